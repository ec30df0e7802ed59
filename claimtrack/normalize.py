"""Normal forms that decide identity: names, claim texts and URLs.

"Alexeï Navalny" and "Alexei Navalny", or "OVD Info" and "OVD-Info", are one name; two URLs
that differ only by scheme, `www.`, a trailing slash or tracking parameters are one document;
two claim texts that differ only by case, accents, punctuation or spacing are one claim.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|s|smid|_ga)$",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Case-, accent- and punctuation-folded text with single spaces: the matching form."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def normalize_name(name: str) -> str:
    """The form under which actor aliases are matched."""
    return fold(name)


def claim_hash(text: str) -> str:
    """SHA-256 of the folded claim text: equal for texts that differ only in form."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


def content_hash(content: bytes | str) -> str:
    """SHA-256 of a document's content, to prove later what was read."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def normalize_url(url: str) -> str:
    """One spelling per web page: https, lower-case host without `www.`, no trailing slash,
    no fragment, no tracking parameters, remaining parameters sorted."""
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING_PARAMS.match(k)))
    return urlunsplit(("https", netloc, path, query, ""))

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

from claimtrack.errors import InvalidInput

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


class InvalidURL(InvalidInput, ValueError):
    """Not a web address claimtrack can identify a document by (a ValueError too, so importers
    turn it into a bad row naming its line)."""


#: a scheme that is not the web's: refused rather than read as a host name
_OTHER_SCHEME = re.compile(r"^(?!https?:)[a-z][a-z0-9+.\-]*:(?!\d+(?:[/?#]|$))", re.IGNORECASE)
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else "%" + match.group(1).upper()


def normalize_url(url: str, *, canonical_escapes: bool = True) -> str:
    """One spelling per web page: https, lower-case host without `www.`, no trailing slash,
    no fragment, no tracking parameters, remaining parameters sorted (a repeated one keeps every
    value), and percent-escapes in the path in RFC 3986 form (upper-case hex; `%7E` is `~`).

    InvalidURL for what is not an http(s) address: another scheme (`javascript:`), a port that
    is not a number, a broken IPv6 host, no host, spaces or control characters.
    `canonical_escapes=False` gives the form of claimtrack before escapes were normalized; keys
    built from URLs (claimreview.url_key) keep using it, so keys already stored stay the same.
    """
    raw = url.strip()
    if not raw:
        raise InvalidURL("the URL is empty")
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise InvalidURL(f"{url!r} is not a web address: it holds control characters")
    raw = re.sub(r"\s", "%20", raw)  # as a browser sends it
    if "://" not in raw:
        if _OTHER_SCHEME.match(raw):
            raise InvalidURL(f"{url!r} is not a web address: only http and https URLs identify documents")
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise InvalidURL(f"{url!r} is not a web address ({exc})") from None
    try:
        port = parts.port
    except ValueError:
        given = parts.netloc.rpartition(":")[2]
        raise InvalidURL(f"{url!r} is not a web address: the port {given!r} is not a number") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURL(f"{url!r} is not a web address: only http and https URLs identify documents")
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidURL(f"{url!r} is not a web address: it names no host")
    host = host.removeprefix("www.")
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if canonical_escapes:
        path = _ESCAPE.sub(_escape, path)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING_PARAMS.match(k)))
    return urlunsplit(("https", netloc, path, query, ""))

"""The native records one mapped CSV row stands for (see claimtrack.formats.csv_map).

Fields: claim (required), language — the claim; speaker, anonymous, role, on_behalf_of, stance,
quote, quote_kind, cue, channel, said, status, status_reason — a statement (role: the speaker's
affiliation, with on_behalf_of as its organization); outlet, url, title, published, author — the
document that reported it (with a hop to the statement); via — the intermediary the document
relied on (AFP); cited_url, cited_outlet, cited_title, cited_published, cited_author — the
document it took the claim from (a second document and a second hop, which the first hop
relies on); primary — the deepest document is the speaker's own words; verdict, rating_value,
best, worst, reviewer, reviewed, review_url, explanation — a verdict on the claim (status and
status_reason are the verdict's when the row has no statement).

`anonymous` is either yes/no (the speaker column then holds a descriptor such as "a former
ally") or the descriptor itself.

Keys: a statement is `csv:<digest of the row's mapped values>`, its verdict the same with
`:verdict`, its hops `:hop` and `:cited-hop`; documents are keyed by their URL (else by the
row); speakers, outlets and reviewers by the slug of their name. Re-importing the same rows
therefore matches everything.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from claimtrack.formats.claimreview import url_key
from claimtrack.formats.plan import slug

FIELDS = ("claim", "speaker", "anonymous", "role", "on_behalf_of", "stance", "quote", "quote_kind", "cue",
          "channel", "said", "outlet", "url", "title", "published", "author", "via", "cited_url", "cited_outlet",
          "cited_title", "cited_published", "cited_author", "primary", "verdict", "rating_value", "best",
          "worst", "reviewer", "reviewed", "review_url", "explanation", "status", "status_reason", "language")
STATEMENT_FIELDS = ("speaker", "anonymous", "role", "on_behalf_of", "stance", "quote", "quote_kind", "cue", "channel",
                    "said", "outlet", "url", "title", "published", "author", "via", "cited_url", "cited_outlet",
                    "cited_title", "cited_published", "cited_author")
DOCUMENT_FIELDS = ("url", "outlet", "title", "published", "author")
CITED_FIELDS = tuple(f"cited_{f}" for f in DOCUMENT_FIELDS)

_YES = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "oui", "sí", "si", "ja", "sim"})
_NO = frozenset({"no", "n", "false", "f", "0", "non", "nein", "não", "nao"})


def _flag(field: str, value: str | None) -> bool | None:
    if value is None:
        return None
    folded = value.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def map_values(raw: dict[str, str | None], values: dict[str, dict[str, str]]) -> dict[str, str | None]:
    """The row's values after the value maps; ValueError names an unmapped value and the map."""
    out = dict(raw)
    for field, table in values.items():
        value = out.get(field)
        if value is None:
            continue
        mapped = table.get(value.casefold())
        if mapped is None:
            listed = ",".join(f"{k}:{v}" for k, v in table.items())
            raise ValueError(f"{field} {value!r} is not in the value map --values {field}={listed}")
        out[field] = mapped or None
    return out


#: how spreadsheet numbers are read (docs/formats.md): a dot is a decimal point; commas that
#: group digits by three are thousands separators (1,000 = 1000; 1,000.5); a single comma
#: followed by other than three digits is a decimal comma (3,5 = 3.5); dots that group by
#: three before a decimal comma are thousands separators (1.000,5 = 1000.5). Anything else
#: (1,00,000; NaN, Infinity) is a row error, never a guess.
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_COMMA_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,(\d{1,2}|\d{4,})")
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")


def _number(values: dict[str, str | None], field: str) -> float | None:
    value = values.get(field)
    if value is None:
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if _PLAIN.fullmatch(text):
        number = float(text)
    elif _COMMA_THOUSANDS.fullmatch(text):
        number = float(text.replace(",", ""))
    elif _DECIMAL_COMMA.fullmatch(text):
        number = float(text.replace(",", "."))
    elif _DOT_THOUSANDS.fullmatch(text):
        number = float(text.replace(".", "").replace(",", "."))
    else:
        raise ValueError(f"{field} {value[:40]!r} is not a number (write 1000, 1,000, 1000.5 or 1000,5)")
    if not math.isfinite(number):
        raise ValueError(f"{field} {value[:40]!r} is too large a number")
    return number


def _actor(records: list[dict[str, Any]], name: str | None, kind: str) -> str | None:
    if not name:
        return None
    key = slug(name)
    records.append({"type": "actor", "key": key, "name": name, "kind": kind})
    return key


def _document(records: list[dict[str, Any]], v: dict[str, str | None], prefix: str, fallback_key: str) -> str | None:
    url, outlet, title, published, author = (v.get(prefix + f) for f in DOCUMENT_FIELDS)
    if not (url or outlet or title):
        return None
    outlet_key = _actor(records, outlet, "outlet")
    key = url_key("url", url) if url else fallback_key
    records.append({"type": "document", "key": key, "outlet": outlet_key, "url": url, "title": title,
                    "published": published, "author": author, "language": v.get("language")})
    return key


def row_records(raw: dict[str, str | None], values: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """The native records for one row's mapped values; ValueError says what is wrong with the row."""
    claim_text = raw.get("claim")
    if not claim_text:
        raise ValueError("the claim column is empty")
    v = map_values(raw, values or {})
    digest = hashlib.sha1(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
    key = f"csv:{digest}"
    records: list[dict[str, Any]] = [{"type": "claim", "key": key, "text": v.get("claim") or claim_text,
                                      "language": v.get("language")}]
    has_statement = any(v.get(f) for f in STATEMENT_FIELDS)
    if has_statement:
        records.extend(_statement(v, key))
    if v.get("verdict"):
        reviewer = _actor(records, v.get("reviewer"), "organization")
        records.append({"type": "verdict", "key": f"{key}:verdict", "claim": key, "label": v["verdict"],
                        "rating_value": _number(v, "rating_value"), "best": _number(v, "best"),
                        "worst": _number(v, "worst"), "reviewer": reviewer, "url": v.get("review_url"),
                        "explanation": v.get("explanation"), "reviewed": v.get("reviewed"),
                        "language": v.get("language"),
                        **({} if has_statement else {"status": v.get("status") or "normal",
                                                     "status_reason": v.get("status_reason")})})
    return records


def _statement(v: dict[str, str | None], key: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    speaker_name, descriptor = v.get("speaker"), None
    anonymous = v.get("anonymous")
    if anonymous is not None:
        flag = _flag("anonymous", anonymous)
        if flag is None:  # the column holds the descriptor itself
            descriptor = anonymous
        elif flag:
            if not speaker_name:
                raise ValueError("anonymous is yes but the speaker column is empty (it holds the descriptor)")
            speaker_name, descriptor = None, speaker_name
    if speaker_name and descriptor:
        raise ValueError(f"both a speaker ({speaker_name!r}) and an anonymous descriptor ({descriptor!r}); "
                         "give one")
    speaker = _actor(records, speaker_name, "person")
    on_behalf_of = _actor(records, v.get("on_behalf_of"), "organization")
    if v.get("role"):
        if speaker is None:
            raise ValueError(f"role {v['role']!r} needs a named speaker (the role is the speaker's)")
        records.append({"type": "affiliation", "actor": speaker, "organization": on_behalf_of, "role": v["role"]})
    quote = v.get("quote")
    records.append({"type": "statement", "key": key, "claim": key, "speaker": speaker,
                    "speaker_descriptor": descriptor, "on_behalf_of": on_behalf_of,
                    "stance": v.get("stance") or "asserts", "quote": quote,
                    "quote_kind": v.get("quote_kind") or ("direct" if quote else None), "cue": v.get("cue"),
                    "channel": v.get("channel"), "said": v.get("said"), "language": v.get("language"),
                    "status": v.get("status") or "normal", "status_reason": v.get("status_reason")})
    primary = _flag("primary", v.get("primary"))
    if v.get("primary") is not None and primary is None:
        raise ValueError(f"primary {v['primary']!r} is not yes or no")
    document = _document(records, v, "", f"{key}:document")
    cited = _document(records, v, "cited_", f"{key}:cited-document")
    via = _actor(records, v.get("via"), "organization")
    if cited is not None and document is None:
        raise ValueError("cited_… columns name the document a report took the claim from, but the row has no "
                         "report (url, outlet or title)")
    if document is None:
        if via is not None or primary:
            raise ValueError("via and primary describe how a document got the claim, but the row has no document "
                             "(url, outlet or title)")
        return records
    if cited is not None:
        cited_hop = f"{key}:cited-hop"
        records.append({"type": "hop", "key": cited_hop, "document": cited, "statement": key,
                        "primary": bool(primary)})
        records.append({"type": "hop", "key": f"{key}:hop", "document": document, "statement": key,
                        "via_hop": cited_hop, "via_actor": via, "cue": v.get("cue"), "quote": quote})
        return records
    if primary and via is not None:
        raise ValueError(f"primary is yes (the document is the speaker's own words) but via names an intermediary "
                         f"({v['via']!r}); give one")
    records.append({"type": "hop", "key": f"{key}:hop", "document": document, "statement": key,
                    "via_actor": via, "cue": v.get("cue"), "quote": quote, "primary": bool(primary)})
    return records

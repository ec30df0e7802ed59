"""A saved page (HTML or plain text) as text plus what the page says about itself.

HTML goes through trafilatura (main-text extraction, the kept library for article text:
boilerplate, menus and comments left out) and htmldate (the publication date, preferring the
original date over a "last updated" one, from the markup, URL and text). Both run offline.
Plain text is taken exactly as it is, decoded from UTF-8 (a leading byte-order mark is not
part of the text). Bad input raises InvalidInput with one line that names the file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from claimtrack.errors import InvalidInput

HTML_TYPE = "text/html"
TEXT_TYPE = "text/plain"
_HTML_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True)
class Page:
    """The text of a page and its metadata (None where the page does not say)."""

    text: str
    media_type: str
    byte_size: int
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    site_name: str | None = None
    language: str | None = None
    url: str | None = None


def is_html(data: bytes, name: str = "") -> bool:
    """HTML by file name (.html, .htm, .xhtml) or by its first bytes."""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_SNIFF.match(data[:4096]))


def read_page(data: bytes, name: str, *, url: str | None = None) -> Page:
    """Text and metadata of a saved page; InvalidInput naming `name` when it cannot be read."""
    if not data.strip():
        raise InvalidInput(f"{name}: the file is empty; expected a saved page (HTML or plain text)")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput(f"{name}: binary data, not a page; expected HTML or plain text (UTF-8)")
    if len(_CONTROL.findall(data[:8192])) > 8:
        raise InvalidInput(f"{name}: binary data, not a page; expected HTML or plain text (UTF-8)")
    if is_html(data, name):
        return _read_html(data, name, url)
    return Page(text=_decode(data, name, None), media_type=TEXT_TYPE, byte_size=len(data), url=url)


def _decode(data: bytes, name: str, declared: str | None) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if declared is None:
            raise InvalidInput(
                f"{name}: not UTF-8 (byte {exc.start}) and no charset declared; "
                "convert it to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)") from None
    try:
        codecs.lookup(declared)
        return data.decode(declared)
    except LookupError:
        raise InvalidInput(f"{name}: unknown charset {declared!r} declared in the page") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not valid {declared} at byte {exc.start} (the charset the page declares)") from None


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _read_html(data: bytes, name: str, url: str | None) -> Page:
    import htmldate
    import trafilatura

    html = _decode(data, name, _declared_charset(data))
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, deduplicate=False)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InvalidInput(f"{name}: no article text found in the HTML (is it the saved page itself?)")
    published = htmldate.find_date(html, url=url, original_date=True, extensive_search=True)
    lang = _HTML_LANG.search(html[:8192])
    return Page(
        text=text, media_type=HTML_TYPE, byte_size=len(data),
        title=_clean(getattr(doc, "title", None)), author=_clean(getattr(doc, "author", None)),
        published=published or _clean(getattr(doc, "date", None)),
        site_name=_clean(getattr(doc, "sitename", None)),
        language=(lang.group(1).split("-")[0].split("_")[0].lower() if lang else _clean(getattr(doc, "language", None))),
        url=url or _clean(getattr(doc, "url", None)),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None

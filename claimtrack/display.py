"""How a user-supplied string is shown where the medium has no markup of its own for it.

The one rule, for terminals, Markdown and SVG (HTML uses `<bdi>` / autoescaping instead; JSON
carries the stored text exactly, never through this module):

- **Control characters are shown, not obeyed.** C0 and C1 controls other than tab and newline,
  DEL, and the bidi embedding/override/isolate characters (U+202A–U+202E, U+2066–U+2069) are
  written as Python-style escapes: ESC becomes the four characters ``\\x1b``, RIGHT-TO-LEFT
  OVERRIDE becomes ``\\u202e``. A stored escape sequence can then neither retitle the window, clear
  the screen, plant a hyperlink nor reverse a row. (A backslash itself is not escaped, so text
  that *already* reads ``\\x1b`` looks the same as an escaped ESC: fact-checkers' texts have many
  Windows paths and almost no literal escape codes; `unshown` documents the one ambiguity.)
- **Right-to-left text is isolated.** A string containing any right-to-left or Arabic-number
  character is wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069), so
  an Arabic name next to a Latin date or a column border never reorders the row. A string
  without such characters is left as it is: with every right-to-left string isolated, nothing
  outside the isolates is right-to-left, so under the Unicode bidi algorithm such a string
  already lays out exactly as it would inside an isolate (and tests and `grep` find Latin text
  unchanged). Raw U+2068/U+2069 in output are therefore always claimtrack's own: stored ones
  are escaped like the other controls.

`shown(s)` does both; `md(s)` also escapes Markdown's punctuation; `unshown(s)` undoes `shown`
(for tests and for people who copy text back out).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE

#: characters never written raw to a terminal, Markdown or SVG
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: the same without the isolates claimtrack adds itself (for a last-line safety net)
FOREIGN_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066\u2067]")
_ESCAPED_RE = re.compile(r"\\x([0-9a-f]{2})|\\u(20(?:2[a-e]|6[6-9]))")
#: Markdown punctuation that can start markup anywhere in a line (CommonMark backslash escapes)
_MD_RE = re.compile(r"([\\`*_\[\]<>|#~&!])")
_MD_UNESCAPE_RE = re.compile(r"\\([\\`*_\[\]<>|#~&!])")
_RTL_CLASSES = frozenset({"R", "AL", "AN"})


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Control and bidi-control characters as visible escapes (tab and newline kept)."""
    return CONTROL_RE.sub(_escape_one, text)


def escape_foreign_controls(text: str) -> str:
    """Like `escape_controls`, but keeps the FSI/PDI isolates claimtrack adds."""
    return FOREIGN_CONTROL_RE.sub(_escape_one, text)


@lru_cache(maxsize=4096)
def _has_rtl(text: str) -> bool:
    return any(ord(ch) >= 0x590 and unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def has_rtl(text: str) -> bool:
    """True when the text holds a right-to-left letter or an Arabic-Indic digit."""
    return not text.isascii() and _has_rtl(text)


def isolate(text: str) -> str:
    """FSI … PDI around text that holds right-to-left characters; other text as it is."""
    return f"{FSI}{text}{PDI}" if has_rtl(text) else text


def shown(text: object) -> str:
    """A user string as claimtrack writes it to a terminal, Markdown or SVG (None → "")."""
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    return isolate(escape_controls(value))


def md_escape(text: str) -> str:
    """Markdown punctuation backslash-escaped in text that is already `shown`, so
    "[x](javascript:…)", "*", "|" and "<script>" stay words; a newline becomes `<br>` (the one
    tag claimtrack writes), so a quote cannot start a heading, a list or a new table row."""
    return _MD_RE.sub(r"\\\1", text).replace("\n", "<br>")


def md(text: object) -> str:
    """A user string for Markdown: `shown`, then `md_escape`."""
    return md_escape(shown(text))


def unshown(text: str) -> str:
    """Undo `shown`: drop claimtrack's isolates and turn escapes back into characters.

    Ambiguous only for text that already contained a literal backslash escape such as "\\x1b"."""
    text = text.replace(FSI, "").replace(PDI, "")
    return _ESCAPED_RE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def unmd(text: str) -> str:
    """Undo `md` (Markdown backslash escapes, then `unshown`)."""
    return unshown(_MD_UNESCAPE_RE.sub(r"\1", re.sub(r"(?<!\\)<br>", "\n", text)))

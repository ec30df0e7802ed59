"""JSON as import files need it: every oddity of the input is a located message, never a crash.

`parse_json(text)` is `json.loads` plus the refusals a record store needs:
- `NaN`, `Infinity`, `-Infinity` (not JSON, though Python reads them) are refused; so is a
  number too large for a float (`1e999`) once a record uses it (see formats/apply/fields.py);
- an integer of more digits than Python converts (4,300) is refused with its position;
- nesting deeper than MAX_DEPTH levels is refused (no claimtrack record or ClaimReview object
  comes near it; deeper would crash the readers that walk the structure);
- a key that appears twice in one object is refused (JSON keeps only the last value, silently).

The fast path is the C decoder alone; when it fails, or when the text has more `"…":` than the
parsed objects have keys (a possible duplicate), a slow pure-Python pass finds the exact
position. Positions are given as line and column of `text`.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

#: deepest nesting accepted: native records are 3 deep, ClaimReview objects about 10
MAX_DEPTH = 100
_KEY = re.compile(r'"\s*:')


class JsonProblem(ValueError):
    """Malformed or refused JSON; `line` and `column` are 1-based positions in the text."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {reason}")
        self.reason = reason
        self.line = line
        self.column = column


class _Constant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


_FAST = json.JSONDecoder(parse_constant=_refuse_constant)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _problem(text: str, index: int, reason: str) -> JsonProblem:
    return JsonProblem(reason, *_position(text, index))


def _shape(value: Any) -> tuple[int, int]:
    """(depth, number of object keys) of a parsed value, without recursion."""
    depth = keys = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            keys += len(node)
            children = node.values()
        elif isinstance(node, list):
            children = node  # type: ignore[assignment]
        else:
            continue
        if level > depth:
            depth = level
            if depth > MAX_DEPTH:
                return depth, keys
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return depth, keys


def _too_deep_at(text: str) -> int:
    """Where nesting first goes deeper than MAX_DEPTH (brackets inside strings do not count)."""
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
    return 0


def _too_deep(text: str) -> JsonProblem:
    return _problem(text, _too_deep_at(text), f"JSON nested deeper than {MAX_DEPTH} levels; "
                    "no claimtrack record needs more than a few")


# the pure-Python parts of the json module (not in its type stubs)
_JSON_OBJECT: Any = getattr(json.decoder, "JSONObject")  # noqa: B009
_JSON_ARRAY: Any = getattr(json.decoder, "JSONArray")  # noqa: B009
_PY_SCANNER: Any = getattr(json.scanner, "py_make_scanner")  # noqa: B009


class _Located(Exception):
    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason


def _reason(exc: Exception) -> str:
    if isinstance(exc, _Constant):
        return f"{exc.args[0]} is not a number JSON allows; write a finite number, or null"
    message = str(exc)
    if "integer string conversion" in message:
        return "a number with more than 4,300 digits; claimtrack stores numbers as floats"
    return message


def _locating(scan_once: Callable[[str, int], Any]) -> Callable[[str, int], Any]:
    def scan(text: str, index: int) -> Any:
        try:
            return scan_once(text, index)
        except (_Located, StopIteration, json.JSONDecodeError):
            raise
        except ValueError as exc:
            raise _Located(index, _reason(exc)) from None

    return scan


def _parse_object(s_and_end: tuple[str, int], strict: bool, scan_once: Any, object_hook: Any,
                  object_pairs_hook: Any, memo: Any = None) -> tuple[dict[str, Any], int]:
    _text, start = s_and_end
    pairs, end = _JSON_OBJECT(s_and_end, strict, _locating(scan_once), None, list, memo)
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            raise _Located(start - 1, f"the key {key!r} appears twice in one object; JSON would keep only "
                                      "the last value, so claimtrack refuses it: remove one")
        seen.add(key)
    return dict(pairs), end


def _parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[list[Any], int]:
    return _JSON_ARRAY(s_and_end, _locating(scan_once))


class _LocatingDecoder(json.JSONDecoder):
    """The pure-Python decoder with positions for refused constants, huge integers, duplicates."""

    def __init__(self) -> None:
        super().__init__(parse_constant=_refuse_constant)
        self.parse_object = _parse_object
        self.parse_array = _parse_array
        self.memo: dict[str, str] = {}
        self.scan_once = _PY_SCANNER(self)


def _locate(text: str) -> JsonProblem | None:
    """The first refused thing in `text` (which the C decoder could parse or nearly), or None."""
    decoder = _LocatingDecoder()
    start = len(text) - len(text.lstrip(" \t\n\r"))
    try:
        _locating(decoder.scan_once)(text, start)
    except _Located as exc:
        return _problem(text, exc.index, exc.reason)
    except RecursionError:
        return _too_deep(text)
    except (StopIteration, json.JSONDecodeError):
        return None
    return None


def parse_json(text: str) -> Any:
    """`json.loads(text)` with the refusals of the module docstring, as JsonProblem."""
    try:
        value = _FAST.decode(text)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"malformed JSON ({exc.msg})", exc.lineno, exc.colno) from None
    except RecursionError:
        raise _too_deep(text) from None
    except ValueError as exc:  # NaN/Infinity, an integer of too many digits
        raise (_locate(text) or JsonProblem(_reason(exc), 1, 1)) from None
    if not isinstance(value, (dict, list)):
        return value
    depth, keys = _shape(value)
    if depth > MAX_DEPTH:
        raise _too_deep(text)
    if len(_KEY.findall(text)) > keys:  # maybe a key given twice (or `":` inside a string)
        problem = _locate(text)
        if problem is not None:
            raise problem
    return value

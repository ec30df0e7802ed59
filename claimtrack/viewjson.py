"""The JSON form of every view (`--json` of the CLI, `?format=json` of the web view).

One place turns a view's data (dicts, lists and the dataclasses of claimtrack.queries) into
plain JSON values: dates and timestamps in ISO form, enums as their values — and every partial
date keeps its precision. A partial date is written as a string at its precision ("2024-03",
"~2021", never an invented "2024-03-01"), and beside it two keys say so explicitly, for programs
that should not parse the string: `<key>_precision` (day, month or year: the model's vocabulary,
claimtrack.vocab.Precision) and `<key>_approximate` (true when the date is marked "~"). So a
statement's `"said": "2021-07"` comes with `"said_precision": "month", "said_approximate": false`.
A date that is not known (null) has both keys null, so a view's keys do not depend on its data.

The partial dates are recognized here, by key, because the views give them as strings already
(queries build them with `str(PartialDate)`): a string under one of DATE_KEYS in the partial
date form.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from claimtrack.dates import PartialDate

_SCALARS = frozenset({str, int, float, bool, type(None)})
#: keys under which the views give partial dates
DATE_KEYS = frozenset({
    "said", "published", "reviewed", "start", "end", "date", "first_published", "last_published",
    "since", "until",
})
_PARTIAL = re.compile(r"^(~?)\d{4}(-\d{2}(-\d{2})?)?$")
_PRECISION = {0: "year", 1: "month", 2: "day"}


def precision_of(text: str) -> tuple[str, bool] | None:
    """(precision, approximate) of a partial date written as text, None if it is not one."""
    match = _PARTIAL.match(text)
    if match is None:
        return None
    body = text[len(match.group(1)):]
    return _PRECISION[body.count("-")], bool(match.group(1))


def dumps(value: Any, default: Any = None) -> str:
    """The view as JSON text (UTF-8 kept, two-space indent); NaN or Infinity, which JSON cannot
    carry, is an InvalidInput rather than invalid JSON."""
    try:
        return json.dumps(json_ready(value), ensure_ascii=False, indent=2, default=default, allow_nan=False)
    except ValueError:
        from claimtrack.errors import InvalidInput

        raise InvalidInput("this view holds NaN or Infinity, which JSON cannot carry; correct the figure "
                           "(claimtrack … edit) and try again") from None


def json_ready(value: Any) -> Any:
    """`value` as plain JSON values, with the precision keys beside every partial date."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict or isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if type(item) not in _SCALARS:
                if isinstance(item, PartialDate):
                    item = str(item)
                else:
                    item = json_ready(item)
            out[key] = item
            if key in DATE_KEYS and f"{key}_precision" not in value:
                if item is None:  # not known: the keys are there all the same (a stable shape)
                    out[f"{key}_precision"] = out[f"{key}_approximate"] = None
                elif type(item) is str:
                    found = precision_of(item)
                    if found is not None:
                        out[f"{key}_precision"], out[f"{key}_approximate"] = found
        return out
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _SCALARS else json_ready(item) for item in value]
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, (str, int, float)):  # subclasses (StrEnum values are str as well)
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_ready({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    return str(value)

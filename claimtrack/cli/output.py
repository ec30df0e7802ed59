"""Output helpers shared by the commands: JSON for scripts, Rich for people, errors to stderr."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import Enum
from typing import Any

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    return str(value)


def to_json(data: Any) -> str:
    """The documented JSON form: UTF-8, two-space indent, dates in ISO form."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


def emit_json(data: Any) -> None:
    """Print JSON to stdout without Rich markup or wrapping, so scripts can parse it."""
    sys.stdout.write(to_json(data) + "\n")


def error(message: str) -> None:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False, markup=True, soft_wrap=True)

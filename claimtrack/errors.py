"""Domain errors. The CLI boundary turns each into one line on stderr and exit code 1."""

from __future__ import annotations


class ClaimtrackError(Exception):
    """Base of every error a fact-checker can cause and fix; its message is shown as is."""


class NotFound(ClaimtrackError):
    """A named or numbered object does not exist ("claim 42 not found")."""


class AlreadyExists(ClaimtrackError):
    """The object would duplicate one that exists."""


class InvalidInput(ClaimtrackError):
    """A value is malformed or impossible; the message says what was expected instead."""


class Ambiguous(ClaimtrackError):
    """A name matches several objects, or only approximately; carries the candidates."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class ConcurrentEdit(ClaimtrackError):
    """Somebody else changed the object since it was read (optimistic locking)."""


class DatabaseError(ClaimtrackError):
    """The database cannot be used: unreachable, not a claimtrack database, wrong revision."""


class ReadOnly(DatabaseError):
    """A write was attempted through a read-only connection or role."""


class ImportFailed(ClaimtrackError):
    """An import file is malformed; the message names file, line and field."""

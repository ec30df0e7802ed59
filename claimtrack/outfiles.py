"""Files the user owns: every file claimtrack writes goes through here.

- An output path that exists is refused unless `force` (the user's `--force`).
- The database (with its SQLite `-wal`, `-shm` and `-journal` siblings) and the input file are
  never an output, `--force` or not: compared by resolved path and by inode (hard links).
- The content goes to a temporary file in the same folder, renamed into place only when the
  whole file was written: an error or a kill never leaves a truncated file, and never touches
  the file that was there before.
- Every refusal and every OS error is one `InvalidInput` line naming the path.

Use `open_output(path, ...)` for a text stream, or `output_path(path, ...)` for writers that
want a file name (Rich's `save_html`/`save_svg`). Call `check_output(...)` before doing any
work so that a refused path fails fast.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from claimtrack.errors import InvalidInput

#: what SQLite keeps beside a database file: writing any of them corrupts the database
SQLITE_SIBLINGS = ("", "-wal", "-shm", "-journal")

Protected = Iterable[tuple[str, Path | str | None]]


def sqlite_files(path: Path | str | None) -> list[Path]:
    """A SQLite database file and the siblings SQLite keeps beside it."""
    if path is None:
        return []
    base = str(path)
    return [Path(base + suffix) for suffix in SQLITE_SIBLINGS]


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare as given
        return path.expanduser().absolute()


def _same(a: Path, b: Path) -> bool:
    if _resolved(a) == _resolved(b):
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return folder.is_dir() and _resolved(path).is_relative_to(_resolved(folder))
    except OSError:
        return False


def check_output(path: Path, *, force: bool = False, protect: Protected = (), option: str = "--output") -> Path:
    """Refuse `path` as an output when it is protected, exists (without `force`) or cannot be
    written; return it. `protect` holds (what, path) pairs, e.g. ("the database", db_file)."""
    shown = str(path)
    for what, other in protect:
        if other is None:
            continue
        other = Path(other)
        if _same(path, other) or (path.exists() and _inside(path, other)):
            raise InvalidInput(f"{option} {shown}: that is {what}; claimtrack never writes over it, "
                               "--force or not: choose another file")
    if path.is_dir():
        raise InvalidInput(f"{option} {shown} is a folder; give a file name")
    if path.exists() or path.is_symlink():
        if not force:
            raise InvalidInput(f"{option} {shown} already exists; give --force to replace it, or choose another file")
        if not os.access(path, os.W_OK) and not os.access(path.parent, os.W_OK):
            raise InvalidInput(f"{option} {shown}: permission denied; cannot replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"{option} {shown}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"{option} {shown}: folder {folder} is not writable for you")
    return path


@contextmanager
def output_path(path: Path, *, force: bool = False, protect: Protected = (), option: str = "--output") -> Iterator[Path]:
    """A temporary path beside `path` (same suffix) to write to; renamed onto `path` when the
    block ends without error, removed otherwise."""
    check_output(path, force=force, protect=protect, option=option)
    folder = path.parent if str(path.parent) else Path(".")
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.part{path.suffix}"
    try:
        # created here (mode 0666 less the umask, like any new file), so the caller's writer
        # only ever replaces our own empty file
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(fd)
    except OSError as exc:
        raise InvalidInput(f"{option} {path}: cannot write in {folder} ({exc.strerror})") from None
    try:
        yield temporary
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InvalidInput(f"{option} {path}: cannot write it ({exc.strerror}); nothing was written there") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _keep_mode(target: Path, temporary: Path) -> None:
    """A replaced file keeps its permissions (a shared export stays shared)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        return
    os.chmod(temporary, mode)


@contextmanager
def open_output(path: Path, *, force: bool = False, protect: Protected = (), option: str = "--output",
                encoding: str = "utf-8", newline: str | None = "\n") -> Iterator[TextIO]:
    """A text stream onto a temporary file beside `path`; it becomes `path` when the block ends
    without error (see the module docstring)."""
    with (output_path(path, force=force, protect=protect, option=option) as temporary,
          temporary.open("w", encoding=encoding, newline=newline) as stream):
        yield stream

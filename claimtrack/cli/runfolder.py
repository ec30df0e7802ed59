"""The command server's files in the runtime folder: its lock, and what dead servers left there.

A server holds `s-KEY.lock` (flock) while it lives, so that of two started at once one stays
(claimtrack.cli.daemon); it removes the file before it lets go of it, so no empty lock file
stays behind (a checkout makes a new key at every edit). A server killed with SIGKILL leaves
its socket and its lock file: the next server to start removes those nobody holds.
"""

from __future__ import annotations

import fcntl
import os

_TRIES = 5


def _locked(path: str, flags: int) -> int | None:
    """`path` opened and flocked by us as the file that is at `path` now, or None: another
    process holds it (or it is gone, when `flags` do not create it)."""
    for _ in range(_TRIES):
        try:
            fd = os.open(path, flags | os.O_RDWR | os.O_CLOEXEC, 0o600)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # its holder removed it while we opened it: take the one there now
    return None


def take(path: str) -> int | None:
    """Hold the lock file at `path` (made if missing): its descriptor, or None if it is held."""
    return _locked(path, os.O_CREAT)


def give_back(path: str, fd: int) -> None:
    """Remove the lock file we hold, then let go of it."""
    try:
        if os.stat(path).st_ino == os.fstat(fd).st_ino:
            os.unlink(path)
    except OSError:
        pass
    os.close(fd)


def sweep(folder: str, own: str) -> list[str]:
    """Remove what servers that are gone left in `folder`: for every key but that of `own` (our
    socket's path), its socket and lock file when nobody holds the lock (a server holds it from
    before it binds its socket until after it removed it). The names removed."""
    removed: list[str] = []
    try:
        names = set(os.listdir(folder))
    except OSError:
        return removed
    sockets = {name.removesuffix(".lock") for name in names
               if name.startswith("s-") and "." not in name.removesuffix(".lock")}
    for name in sorted(sockets - {os.path.basename(own)}):
        lock = os.path.join(folder, f"{name}.lock")
        fd = _locked(lock, 0)
        if fd is None and os.path.exists(lock):
            continue  # its server lives
        if name in names:
            try:
                os.unlink(os.path.join(folder, name))
                removed.append(name)
            except OSError:
                pass
        if fd is not None:
            give_back(lock, fd)
            removed.append(f"{name}.lock")
    return removed

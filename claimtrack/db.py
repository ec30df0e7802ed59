"""Engines and sessions: the only module that knows SQLite pragmas and connection URLs.

One `Database` per process, built from `--db`, `CLAIMTRACK_DATABASE_URL` or the default file
in the user data directory, and passed down (the CLI keeps it on the Typer context).
Every command is one transaction: `with db.write() as session:` commits on success and rolls
back on any error; `with db.read() as session:` cannot write at all.
"""

from __future__ import annotations

import getpass
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm import exc as sa_orm_exc
from sqlalchemy.pool import NullPool

from claimtrack.errors import ClaimtrackError, ConcurrentEdit, DatabaseError, ReadOnly

T = TypeVar("T")

#: Alembic revisions this code knows, oldest first; the last one is what the models describe.
KNOWN_REVISIONS = ("0001_baseline", "0002_license_database_id", "0003_snapshots", "0004_row_hashes",
                   "0005_url_escapes", "0006_audit_marks", "0007_retire_and_merge", "0008_hop_cover_index",
                   "0009_read_path_indexes")
HEAD_REVISION = KNOWN_REVISIONS[-1]

ENV_URL = "CLAIMTRACK_DATABASE_URL"
ENV_USER = "CLAIMTRACK_USER"
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: SQLite reads the database file through a memory map up to this size instead of read() calls:
#: a report that looks up tens of thousands of rows (the outlet report, the audit) spends a third
#: less CPU (docs/performance.md, "Outlet report"); writes still go through the WAL
SQLITE_MMAP_BYTES = 1 << 30
#: PostgreSQL advisory lock that serializes writers, so the event hash chain stays linear. Taken
#: as (WRITE_LOCK_KEY, hashtext(current_database())): advisory locks are server-wide, and two
#: claimtrack databases on one server must not wait for each other.
WRITE_LOCK_KEY = 7_220_417
#: how often taking the write lock, and a whole `run_write` transaction, is tried
BEGIN_ATTEMPTS = 5
RETRY_ATTEMPTS = 5
#: PostgreSQL SQLSTATEs after which re-running the whole transaction is safe
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


class Busy(DatabaseError):
    """The database stayed locked or reported a conflict; the transaction may be re-run."""


def _is_driver_error(exc: BaseException) -> bool:
    """A psycopg (DB-API) error that did not pass through SQLAlchemy."""
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(exc, psycopg.Error)


def _sqlstate(exc: sa_exc.DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)


def is_transient(exc: sa_exc.DBAPIError) -> bool:
    """Whether re-running the whole transaction may succeed: SQLite busy/locked, PostgreSQL
    serialization failure, deadlock or lock timeout."""
    if _sqlstate(exc) in TRANSIENT_SQLSTATES:
        return True
    message = str(exc.orig).lower() if exc.orig is not None else ""
    return isinstance(exc, sa_exc.OperationalError) and (
        "database is locked" in message or "database is busy" in message or "database table is locked" in message
    )


def _backoff(attempt: int) -> float:
    """Jittered, growing waits so that retrying writers do not collide again in step."""
    import random

    return min(2.0, 0.05 * 2**attempt) * (0.5 + random.random())


def _username(url: str) -> str | None:
    try:
        return make_url(url).username
    except (sa_exc.ArgumentError, ValueError):
        return None


def _stale_message(detail: str) -> str:
    """StaleDataError names a table; say it for a person."""
    match = re.search(r"table '(\w+)'", detail)
    what = match.group(1).rstrip("s").replace("_", " ") if match else "the object"
    return (
        f"the {what} was changed by someone else since you read it; nothing was written: "
        "re-read it and try again"
    )


def default_path() -> Path:
    """The embedded database file: claimtrack.db in the user data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("claimtrack", appauthor=False)) / "claimtrack.db"


def resolve_url(db: str | None = None) -> str:
    """`--db` (a path or a URL), else $CLAIMTRACK_DATABASE_URL, else the default file."""
    value = db or os.environ.get(ENV_URL) or str(default_path())
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    scheme = value.split("://", 1)[0].lower()
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return value
    raise DatabaseError(
        f"unknown database scheme {scheme!r} in --db; expected a file path, "
        "sqlite:///PATH or postgresql://USER@HOST/DBNAME"
    )


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***: safe for messages, logs and events."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (sa_exc.ArgumentError, ValueError):  # not a URL SQLAlchemy parses: mask by pattern
        return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


#: passwords at least this long are also masked where they appear outside a URL
BARE_MASK_LENGTH = 8


def mask_secrets(message: str, url: str) -> str:
    """Remove the password of `url` from an arbitrary message (a driver's error text)."""
    try:
        password = make_url(url).password
    except (sa_exc.ArgumentError, ValueError):
        password = None
    message = message.replace(url, mask_url(url))
    if password:
        from urllib.parse import quote

        for spelling in {str(password), quote(str(password), safe="")}:
            # the password field of any URL or conninfo in the text ...
            message = message.replace(f":{spelling}@", ":***@")
            message = re.sub(r"(password\s*=\s*['\"]?)" + re.escape(spelling), r"\g<1>***", message)
            # ... and, for a password long enough not to be an ordinary word, anywhere (a
            # driver may quote it bare); a short one ("e") would turn "connection" into
            # "conn***ction" and reveal itself by the gaps
            if len(spelling) >= BARE_MASK_LENGTH:
                message = message.replace(spelling, "***")
    return message


def current_user(explicit: str | None = None) -> str:
    """Who is acting: --user, else $CLAIMTRACK_USER, else the OS login."""
    if explicit:
        return explicit
    if os.environ.get(ENV_USER):
        return os.environ[ENV_USER]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the file (and its folder) readable by its owner only, before SQLite opens it."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _readonly_sqlite_url(url: str) -> str:
    """A read-only URI for a SQLite file, so reading needs no write access to it or its folder.

    `mode=ro` opens the file read-only. When the folder is not writable and the WAL files are
    not there (SQLite removes them when the last writer closes), they cannot be created, so the
    file is opened `immutable=1`: it is then read as it is, which is exact, since with no WAL
    file every committed change is in the file itself.
    """
    path = _sqlite_path(url)
    if path is None:
        return url
    from urllib.parse import quote

    query = "mode=ro"
    wal, shm = Path(str(path) + "-wal"), Path(str(path) + "-shm")
    if not os.access(path.parent, os.W_OK) and not (wal.exists() and shm.exists()):
        query += "&immutable=1"
    return f"sqlite:///file:{quote(str(path))}?{query}&uri=true"


def require_driver(url: str) -> None:
    """A PostgreSQL URL needs psycopg, which is the `postgresql` extra: say how to get it."""
    if url.startswith("sqlite"):
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseError(
            f"{mask_url(url)} is a PostgreSQL database, and its driver (psycopg) is not installed: "
            "pip install 'claimtrack[postgresql]'"
        ) from None


def _make_engine(url: str, *, readonly: bool, pooled: bool = True) -> Engine:
    require_driver(url)
    kwargs: dict[str, Any] = {}
    if not pooled:
        kwargs["poolclass"] = NullPool
    if url.startswith("sqlite"):
        if readonly:
            url = _readonly_sqlite_url(url)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _install_sqlite_recipe(engine, readonly=readonly)
        return engine
    if readonly:
        kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    return create_engine(url, **kwargs)


def _install_sqlite_recipe(engine: Engine, *, readonly: bool) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT and DDL rollback: take it over."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        if not readonly:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        else:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that later needs to
        # write can fail with "database is locked" without the busy timeout ever applying.
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _refuse_non_finite(session: Session, _context: Any, _instances: Any) -> None:
    """NaN and Infinity are not figures: refuse them in every float column before they are
    stored (typer's float options accept "nan" and "inf"; JSON exports could not write them)."""
    import math

    from sqlalchemy import Float
    from sqlalchemy import inspect as sa_inspect

    from claimtrack.errors import InvalidInput

    for obj in (*session.new, *session.dirty):
        mapper = sa_inspect(obj).mapper
        for column in mapper.columns:
            if isinstance(column.type, Float):
                value = getattr(obj, mapper.get_property_by_column(column).key, None)
                if isinstance(value, float) and not math.isfinite(value):
                    what = column.name.replace("_", " ")
                    raise InvalidInput(f"{what} must be a finite number, got {value}; nothing was written")


class Database:
    """A claimtrack database: its URL, its engines, and one-transaction sessions."""

    def __init__(self, url: str, *, user: str | None = None, default: bool = False) -> None:
        self.url = url
        #: the default file in the user data directory, which any command creates on first use
        self.is_default = default
        self.user = current_user(user)
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
        self._engines: dict[bool, Engine] = {}
        self._schema_checked = False

    @classmethod
    def open(cls, db: str | None = None, *, user: str | None = None) -> Database:
        """Build from `--db`/env/default; the schema is created or checked on first use."""
        return cls(resolve_url(db), user=user, default=not db and not os.environ.get(ENV_URL))

    @property
    def display_url(self) -> str:
        return mask_url(self.url)

    def files(self) -> list[Path]:
        """The files of a SQLite database (with -wal, -shm, -journal); none for PostgreSQL."""
        from claimtrack.outfiles import sqlite_files

        return sqlite_files(_sqlite_path(self.url)) if self.dialect == "sqlite" else []

    def engine(self, *, readonly: bool = False) -> Engine:
        if readonly not in self._engines:
            if not readonly and self.dialect == "sqlite" and (path := _sqlite_path(self.url)) is not None:
                _prepare_sqlite_file(path)
            self._engines[readonly] = _make_engine(self.url, readonly=readonly)
        return self._engines[readonly]

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on any error.

        Taking the write lock (SQLite `BEGIN IMMEDIATE`, the PostgreSQL advisory lock) is retried
        a few times when the database stays busy, since nothing has happened yet at that point.
        A transaction that fails later is not replayed here (the body of a `with` block cannot be
        re-run); callers that can safely re-run their whole transaction use `run_write`.
        """
        self.ensure_schema(create=True)
        with self._translate_errors():
            factory = sessionmaker(bind=self.engine(), expire_on_commit=False)
            session = self._begin_write(factory)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def _begin_write(self, factory: sessionmaker[Session]) -> Session:
        for attempt in range(1, BEGIN_ATTEMPTS + 1):
            session = factory()
            event.listen(session, "before_flush", _refuse_non_finite)
            session.info["user"] = self.user
            session.info["dialect"] = self.dialect
            try:
                session.begin()
                session.connection()  # emits BEGIN IMMEDIATE now, not at the first query
                if self.dialect == "postgresql":
                    session.execute(
                        text("SELECT pg_advisory_xact_lock(:key, hashtext(current_database()))"),
                        {"key": WRITE_LOCK_KEY},
                    )
                return session
            except sa_exc.DBAPIError as exc:
                session.rollback()
                session.close()
                if attempt == BEGIN_ATTEMPTS or not is_transient(exc):
                    raise
                time.sleep(_backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def run_write(self, work: Callable[[Session], T], *, attempts: int = RETRY_ATTEMPTS) -> T:
        """Run `work(session)` in a write transaction, re-running the WHOLE transaction when the
        database reports a transient conflict (SQLite busy, PostgreSQL serialization failure or
        deadlock), at most `attempts` times. `work` must do nothing outside the database that
        cannot be repeated (no printing, no reading of a stream that cannot be rewound).
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as session:
                    return work(session)
            except Busy:
                if attempt == attempts:
                    raise
                self.dispose()  # a fresh connection: a broken one may be what failed
                time.sleep(_backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction: SQLite `query_only`, PostgreSQL `READ ONLY`.

        A read never creates anything: a SQLite file that does not exist (other than the default
        one) and an empty database are refused with what to do instead.
        """
        self.ensure_schema(create=False)
        with self._translate_errors():
            factory = sessionmaker(bind=self.engine(readonly=True), expire_on_commit=False)
            with factory() as session:
                session.info["user"] = self.user
                session.info["dialect"] = self.dialect
                try:
                    yield session
                finally:
                    session.rollback()

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except (ClaimtrackError, sa_exc.IntegrityError):
            raise  # services translate integrity errors whose cause they know
        except sa_orm_exc.StaleDataError as exc:
            raise ConcurrentEdit(_stale_message(str(exc))) from exc
        except sa_exc.DBAPIError as exc:
            raise self._database_error(exc) from exc
        except Exception as exc:
            # the driver's own errors, from code that uses its connection directly (the
            # importer's COPY): translated like SQLAlchemy's, never a traceback
            if self.dialect == "postgresql" and _is_driver_error(exc):
                wrapped = sa_exc.DBAPIError(None, None, exc, connection_invalidated=False)
                raise self._database_error(wrapped) from exc
            raise

    def _database_error(self, exc: sa_exc.DBAPIError) -> ClaimtrackError:
        original = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        original = mask_secrets(original, self.url)
        lowered = original.lower()
        if is_transient(exc):
            # never "database is locked": say what happened and what to do
            return Busy(
                f"{self.display_url} stayed busy: another claimtrack was writing to it for longer than "
                f"{SQLITE_BUSY_TIMEOUT_MS / 1000:g} s (or the server reported a conflict); nothing was "
                "written, try the command again"
            )
        if "permission denied" in lowered or "insufficientprivilege" in lowered or _sqlstate(exc) == "42501":
            role = _username(self.url) or "your role"
            return ReadOnly(
                f"cannot write: the role {role!r} has read-only rights on {self.display_url} ({original}); "
                "ask the database owner for write access or use a writer role"
            )
        if "read-only transaction" in lowered or "read only transaction" in lowered:
            return ReadOnly(f"cannot write: this command opened {self.display_url} read-only ({original})")
        if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
            return ReadOnly(
                f"cannot write: {self.display_url} is read-only for you ({original}); check the file's "
                "permissions and those of its folder"
            )
        if isinstance(exc, sa_exc.OperationalError):
            return DatabaseError(f"cannot use database {self.display_url}: {original}")
        return DatabaseError(f"database error on {self.display_url}: {original}")

    # ------------------------------------------------------------------ schema

    def revision(self) -> str | None:
        """The Alembic revision stamped in the database, or None when it has none (or, for a
        SQLite file, when the file does not exist: asking does not create it)."""
        if self._missing_file() is not None:
            return None
        with self._connect_checked() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def _missing_file(self) -> Path | None:
        """The SQLite file, when the URL names one that does not exist."""
        if self.dialect != "sqlite":
            return None
        path = _sqlite_path(self.url)
        return path if path is not None and not path.exists() else None

    def ensure_schema(self, *, create: bool = True) -> None:
        """Create the schema in an empty database (`create`: a write, or the default file);
        refuse foreign or newer ones.

        An older embedded SQLite file is upgraded in place; a shared PostgreSQL database is
        upgraded only on request (`claimtrack db upgrade`), since others may be using it.
        """
        if self._schema_checked:
            return
        create = create or self.is_default
        if not create and (missing := self._missing_file()) is not None:
            raise DatabaseError(f"no database at {missing}: run claimtrack db upgrade or check --db")
        with self._connect_checked(create=create) as connection:
            inspector = inspect(connection)
            tables = set(inspector.get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision == HEAD_REVISION:
            self._schema_checked = True
            return
        if revision is None and not create and not tables - {"alembic_version"}:
            raise DatabaseError(
                f"{self.display_url} has no claimtrack schema yet; a read command does not create "
                "one: run `claimtrack db upgrade` (or any write command) first, or check --db"
            )
        if revision is None and tables - {"alembic_version"}:
            raise DatabaseError(
                f"{self.display_url} is not a claimtrack database (it has tables but no claimtrack "
                "schema revision); point --db at a new file or an empty database"
            )
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"{self.display_url} is at schema revision {revision}, newer than this claimtrack "
                f"understands ({HEAD_REVISION}); upgrade claimtrack"
            )
        if revision is not None and self.dialect == "postgresql":
            raise DatabaseError(
                f"{self.display_url} is at schema revision {revision}; this claimtrack needs "
                f"{HEAD_REVISION}: run `claimtrack db upgrade`"
            )
        self.upgrade()

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations (see claimtrack.migrate)."""
        from claimtrack.migrate import upgrade

        require_driver(self.url)
        if self.dialect == "sqlite" and (path := _sqlite_path(self.url)) is not None:
            _prepare_sqlite_file(path)
        with self._translate_errors():
            upgrade(self.url, revision)
        self._schema_checked = False
        self.dispose()

    @contextmanager
    def _connect_checked(self, *, create: bool = False) -> Iterator[Any]:
        """A plain connection, with unreachable servers and non-databases as one clear line.
        `create`: make a missing SQLite file (owner-only) first; else a missing one is refused."""
        if self.dialect == "sqlite" and (path := _sqlite_path(self.url)) is not None:
            if create:
                _prepare_sqlite_file(path)
            elif not path.exists():
                raise DatabaseError(f"no database at {path}: run claimtrack db upgrade or check --db")
        # a pragma-free, read-only probe: looking at a foreign file must not change it
        probe = _make_engine(self.url, readonly=True, pooled=False)
        try:
            with probe.connect() as connection:
                yield connection
        except sa_exc.DBAPIError as exc:
            original = mask_secrets(str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc), self.url)
            if "file is not a database" in original or "not a database" in original:
                raise DatabaseError(f"{self.display_url} is not a claimtrack database ({original})") from exc
            raise DatabaseError(f"cannot open database {self.display_url}: {original}") from exc
        finally:
            probe.dispose()

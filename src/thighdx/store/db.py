"""Engine set-up (SQLite WAL or PostgreSQL), sessions and migrations."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Self, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from thighdx.config import Settings
from thighdx.errors import StorageError

try:
    import fcntl
except ImportError:  # not on POSIX: the thread lock and SQLite's own lock
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 7_351_002  # PostgreSQL advisory lock held while migrating


def make_engine(settings: Settings) -> Engine:
    url = settings.db_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8, max_overflow=8)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk before the answer is acknowledged
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)
    _check_when_idle(engine)
    return engine


IDLE_CHECK_SECONDS = 1.0
"""A PostgreSQL connection taken from the pool after resting there this long is first checked with
a round trip (a dead one is replaced); one in use a moment ago is not."""


def _check_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling, only for connections that rested in the pool: checking every
    checkout (`pool_pre_ping`) cost each stored answer two round trips, half its time. A connection
    that fails in use is reported and the pool renewed by SQLAlchemy, with or without a check."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned")
        if returned is None or time.monotonic() - returned < IDLE_CHECK_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:
            raise DisconnectionError(f"connection lost while idle: {error.__class__.__name__}") from error


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (safe to call from several processes at once)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if postgres:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_ID})
                connection.commit()


class WriteLock:
    """One SQLite writer at a time: a re-entrant thread lock and, with a path, `flock` on that file
    (held from the outermost acquire to its release). Without `fcntl`, or when the file cannot be
    opened, only the thread lock (SQLite's own lock still keeps writes apart)."""

    def __init__(self, path: str | None) -> None:
        self._thread = threading.RLock()
        self._path = path
        self._fd: int | None = None
        self._depth = 0

    def _file(self) -> int | None:
        if self._fd is None and self._path is not None and fcntl is not None:
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                self._path = None
        return self._fd

    def __enter__(self) -> Self:
        self._thread.acquire()
        self._depth += 1
        if self._depth == 1:
            fd = self._file()
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    self._depth -= 1
                    self._thread.release()
                    raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._depth -= 1
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread.release()


class _Write:
    """One caller's work waiting for a shared SQLite transaction (`Store.committed`)."""

    __slots__ = ("done", "error", "lead", "value", "work")

    def __init__(self, work: Callable[[Connection], Any]) -> None:
        self.work = work
        self.done = threading.Event()
        self.lead = False
        """Woken to run the next shared transaction rather than with its own outcome."""
        self.value: Any = None
        self.error: BaseException | None = None


GROUP_LIMIT = 64
"""At most this many callers' writes share one SQLite transaction."""


class Store:
    """The database: `read()` and `write()` give a session; `write()` commits on success."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        # A step's reads on PostgreSQL need no transaction (its answers are read with the version
        # they belong to): no BEGIN and ROLLBACK round trips. SQLite reads in one snapshot.
        self._reading_engine = self.engine if self.engine.dialect.name == "sqlite" else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._write_engine = self.engine.execution_options(immediate=True)
        self._write = sessionmaker(self._write_engine, expire_on_commit=False)
        # SQLite lets one write transaction run at a time; a writer that finds the file locked
        # sleeps in SQLite's busy handler (1 ms, 2 ms, ... up to 100 ms at a time) and is not woken
        # when the lock frees, so under load writers queued there waited seconds. Writers queue on
        # a lock instead and start as soon as the one before commits: a thread lock within the
        # process and, between processes (several workers, or servers on one file), an exclusive
        # lock on a file beside the database, whose waiters the kernel wakes when it is released.
        # PostgreSQL locks rows, not the database: no lock.
        self._write_lock: WriteLock | None = None
        if self.engine.dialect.name == "sqlite":
            database = self.engine.url.database
            self._write_lock = WriteLock(database + "-writer" if database and database != ":memory:" else None)
        self._group = threading.Lock()
        self._waiting: list[_Write] = []
        self._leading = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """The database, named for an operator: the SQLite file, or the PostgreSQL URL without its password."""
        if self.dialect == "sqlite":
            return f"database {self.engine.url.database}"
        return f"database {self.engine.url.render_as_string(hide_password=True)}"

    def migrate(self) -> None:
        try:
            migrate(self.engine)
        except DBAPIError as error:
            cause = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise StorageError(f"{self.where}: cannot be opened or migrated: {cause}") from error
        except OSError as error:
            raise StorageError(f"{self.where}: {error.strerror or error}") from error

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._read() as session:
                yield session
        except DBAPIError as error:
            raise StorageError(f"database error: {error.__class__.__name__}") from error

    @contextmanager
    def write(self) -> Iterator[Session]:
        try:
            with self._write_lock or nullcontext(), self._write() as session, session.begin():
                yield session
        except IntegrityError:
            raise  # the caller knows what a duplicate means
        except DBAPIError as error:
            raise StorageError(f"database error: {error.__class__.__name__}") from error

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a few plain (Core) reads, without the ORM's work per statement: for the
        requests every interview step makes. On SQLite in one transaction; on PostgreSQL each
        statement on its own (autocommit), so a caller reads what belongs together in one statement."""
        try:
            with self._reading_engine.connect() as connection:
                yield connection
        except DBAPIError as error:
            raise StorageError(f"database error: {error.__class__.__name__}") from error

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """`write()` as a plain (Core) connection: one transaction, committed on success."""
        try:
            with self._write_lock or nullcontext(), self._write_engine.begin() as connection:
                yield connection
        except IntegrityError:
            raise
        except DBAPIError as error:
            raise StorageError(f"database error: {error.__class__.__name__}") from error

    @contextmanager
    def statements(self) -> Iterator[Any]:
        """PostgreSQL only: a driver cursor on a pooled connection in autocommit mode, for the few
        plain statements an interview step makes. Each statement is its own transaction, committed
        before it returns (durable, as any commit, with the server's `synchronous_commit`), so a
        change written as one statement costs one round trip: no BEGIN and COMMIT of their own, and
        none of SQLAlchemy's work per statement. The pool's checks on checkout apply as to any
        connection; a connection the driver reports broken is discarded rather than pooled. A
        database error is a StorageError."""
        import psycopg

        try:
            pooled = self.engine.raw_connection()
        except DBAPIError as error:
            raise StorageError(f"database error: {error.__class__.__name__}") from error
        driver = pooled.driver_connection
        try:
            driver.autocommit = True
            try:
                with driver.cursor() as cursor:
                    yield cursor
            finally:
                if not driver.broken and not driver.closed:
                    driver.autocommit = False  # as the pool's other users expect it
        except psycopg.Error as error:
            if driver.broken or driver.closed:
                pooled.invalidate(error)
            raise StorageError(f"database error: {error.__class__.__name__}") from error
        finally:
            pooled.close()

    def committed(self, work: Callable[[Connection], T]) -> T:
        """`work(connection)` in a write transaction, its value returned once that transaction is
        committed (durable: on SQLite with its disk flush), its exception raised with none of its
        writes kept. On SQLite, whose commits are one at a time and each costs a flush, the writes
        of callers arriving while one commits share the next transaction, each in its own savepoint
        (one caller's failure undoes only its own writes), and one commit: one flush for all of
        them. `work` must use only the connection it is given, and may be run on another thread."""
        if self._write_lock is None:
            with self.writing() as connection:
                return work(connection)
        mine = _Write(work)
        with self._group:
            self._waiting.append(mine)
            lead = not self._leading
            self._leading = True
        if not lead:
            mine.done.wait()
            lead = mine.lead
        if lead:
            self._lead()
        if mine.error is not None:
            raise mine.error
        return mine.value  # type: ignore[no-any-return]

    def _lead(self) -> None:
        """Run the waiting writes in one transaction, then hand the next batch to its first caller."""
        with self._group:
            batch, self._waiting = self._waiting[:GROUP_LIMIT], self._waiting[GROUP_LIMIT:]
        try:
            with self.writing() as connection:
                for write in batch:
                    try:
                        with connection.begin_nested():
                            write.value = write.work(connection)
                    except (IntegrityError, StorageError) as error:
                        write.error = error
                    except DBAPIError as error:
                        write.error = StorageError(f"database error: {error.__class__.__name__}")
                        write.error.__cause__ = error
                    except Exception as error:  # noqa: BLE001 - the caller's own failure, raised to the caller
                        write.error = error
        except BaseException as error:  # the transaction or its commit failed: nothing of it was kept
            for write in batch:
                write.value, write.error = None, error
                if isinstance(error, StorageError):  # each caller raises its own
                    write.error = StorageError(str(error))
                    write.error.__cause__ = error
            if not isinstance(error, Exception):
                raise
        finally:
            with self._group:
                if self._waiting:
                    self._waiting[0].lead = True
                    self._waiting[0].done.set()
                else:
                    self._leading = False
            for write in batch:
                if not write.lead:
                    write.done.set()

    def open_connections(self, count: int) -> None:
        """Open up to `count` pooled connections now (a worker's threads use one each at once), so
        the first burst of requests after start-up does not wait while they are made. A database
        that cannot be reached now is not an error here: requests report it."""
        size = getattr(self.engine.pool, "size", None)
        count = min(count, size()) if callable(size) else count
        opened: list[Connection] = []
        try:
            for _ in range(count):
                opened.append(self.engine.connect())
        except DBAPIError:
            pass
        finally:
            for connection in opened:
                connection.close()

    def writable(self) -> bool:
        """A write probe: a small file written and synced in the data directory (SQLite) and a
        committed write to the database. False on a full disk or a read-only file system."""
        try:
            if self.dialect == "sqlite":
                probe = self.settings.data_dir / ".healthz-probe"
                with open(probe, "wb") as handle:
                    handle.write(b"\0" * 4096)
                    handle.flush()
                    os.fsync(handle.fileno())
                probe.unlink()
            with self.write() as session:
                session.execute(text('INSERT INTO rate_limits (client, "window", count) VALUES (\'healthz-probe\', 0, 1) '
                                     'ON CONFLICT (client, "window") DO UPDATE SET count = rate_limits.count + 1'))
            return True
        except (OSError, StorageError, DBAPIError):
            return False

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            return False

    def close(self) -> None:
        self.engine.dispose()

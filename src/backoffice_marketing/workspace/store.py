"""The history store of a workspace: one SQLite file, ``history.sqlite``.

The store is a plain SQLite database (the standard library's ``sqlite3``), so
internal tools can read it directly; docs/workspace.md documents every table.

* **Versioned schema.** ``PRAGMA user_version`` holds the schema version and
  ``PRAGMA application_id`` marks the file as a workspace store.
  :data:`MIGRATIONS` lists the forward migrations; opening a store applies
  the missing ones in order, in one transaction.
* **Checked before use.** A store is first opened read-only (``mode=ro``) and
  checked: ``PRAGMA quick_check``, the application id, the schema version, and
  every table and column of the schema. An empty (0-byte) file, an SQLite file
  without the store's tables (unless ``create``), a foreign or damaged file, or
  a store, ``-wal``, ``-shm`` or ``-journal`` that is a symbolic link raises
  :class:`~backoffice_marketing.exceptions.StoreCorruptError`, and a newer
  schema :class:`~backoffice_marketing.exceptions.StoreSchemaError`; the file
  is never written to. Only ``create=True`` (``init``) makes a store.
* **Read-only opening.** ``read_only=True`` (``status``, ``dashboard``) opens
  the store with ``mode=ro`` and writes nothing at all, no lock either; in a
  read-only folder, where SQLite cannot make its ``-shm`` file, a store without
  a pending ``-wal`` is opened ``immutable``.
* **Transactions.** Every change runs in ``BEGIN IMMEDIATE`` ... ``COMMIT``
  (``ROLLBACK`` on any error), in WAL mode with ``synchronous=FULL``: a
  process killed in the middle leaves the store as it was before the change.
  A transaction opened inside another is a savepoint of it, so that a command
  can make all its changes (``update``) in one. A full disk or any other
  failure to write is a :class:`~backoffice_marketing.exceptions.StoreWriteError`
  after the rollback.
* **One writer at a time.** Changes take an exclusive lock on
  ``history.sqlite.lock`` (``fcntl.flock``; ``msvcrt.locking`` on Windows),
  waiting up to ``lock_timeout`` seconds, then
  :class:`~backoffice_marketing.exceptions.StoreLockedError` naming the
  holder's process id. The lock file is opened with ``O_NOFOLLOW`` and
  ``O_CREAT`` only: never through a symlink, never truncated; one that is not a
  plain file of its own (a hard link, a device, a file with other content) is
  refused. Readers need no lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import os
import re
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from backoffice_marketing.exceptions import (
    StoreCorruptError,
    StoreLockedError,
    StoreSchemaError,
    StoreWriteError,
    UnsafeWriteError,
)
from backoffice_marketing.foundation.io import workspace_files
from backoffice_marketing.foundation.messages import message as _message

__all__ = [
    "APPLICATION_ID",
    "DEFAULT_LOCK_TIMEOUT",
    "LOCK_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_NAME",
    "Store",
    "utc_now",
]

#: The file name of the store inside a workspace folder.
STORE_NAME = workspace_files.STORE_NAME
#: The lock file beside the store.
LOCK_NAME = "history.sqlite.lock"
#: ``PRAGMA application_id`` of a workspace store ("BMWS" in ASCII).
APPLICATION_ID = 0x424D5753
#: Seconds a change waits for another process's change to finish.
DEFAULT_LOCK_TIMEOUT = 30.0

#: Forward migrations: ``MIGRATIONS[n]`` takes a store from version ``n`` to ``n + 1``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            rows INTEGER NOT NULL CHECK (rows >= 0),
            settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
            imported_at TEXT NOT NULL,
            UNIQUE (sha256, kind, settings)
        )""",
        """CREATE TABLE adoption_rates (
            source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            period_kind TEXT NOT NULL,
            department TEXT NOT NULL,
            period TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            headcount INTEGER NOT NULL CHECK (headcount >= 0),
            active_users INTEGER NOT NULL CHECK (active_users >= 0),
            rate REAL NOT NULL CHECK (rate >= 0.0 AND rate <= 1.0),
            unmatched_users INTEGER NOT NULL CHECK (unmatched_users >= 0),
            suppressed INTEGER NOT NULL CHECK (suppressed IN (0, 1)),
            PRIMARY KEY (source_id, period_kind, department, period)
        )""",
        """CREATE INDEX adoption_rates_by_period
            ON adoption_rates (period_kind, department, period, source_id)""",
        """CREATE VIEW current_rates AS
            SELECT r.* FROM adoption_rates AS r
            WHERE r.source_id = (
                SELECT max(l.source_id) FROM adoption_rates AS l
                WHERE l.period_kind = r.period_kind
                  AND l.department = r.department
                  AND l.period = r.period
            )""",
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('assessment', 'gap_report')),
            on_date TEXT NOT NULL,
            body TEXT NOT NULL CHECK (json_valid(body)),
            recorded_at TEXT NOT NULL,
            UNIQUE (kind, on_date)
        )""",
        """CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            received_on TEXT NOT NULL,
            theme TEXT,
            status TEXT NOT NULL,
            answered_on TEXT,
            department TEXT,
            source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL
        )""",
        """CREATE TABLE plan_versions (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            body TEXT NOT NULL CHECK (json_valid(body)),
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE task_completions (
            task_id TEXT PRIMARY KEY,
            done_on TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )""",
    ),
)
#: The schema version this library writes and reads.
SCHEMA_VERSION = len(MIGRATIONS)


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the second (``2027-05-17T09:00:00Z``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uri(path: Path, query: str = "mode=ro") -> str:
    return "file:" + urllib.parse.quote(str(path.resolve())) + "?" + query


def _companions(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _refuse_symlinks(path: Path) -> None:
    """A store or a companion file that is a symbolic link is refused (SQLite would follow it)."""
    for file in (path, *_companions(path)):
        if file.is_symlink():
            raise StoreCorruptError(str(path), _message("store.symlink", name=file.name))


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` in a folder where SQLite cannot make ``-shm``."""
    connection = sqlite3.connect(_uri(path), uri=True, isolation_level=None)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        connection.close()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise
        connection = sqlite3.connect(
            _uri(path, "mode=ro&immutable=1"), uri=True, isolation_level=None
        )
    return connection


@functools.cache
def expected_schema() -> dict[str, tuple[str, frozenset[str]]]:
    """Every table and view of the current schema: its type and its columns."""
    connection = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for statement in script:
                connection.execute(statement)
        return _schema_of(connection)
    finally:
        connection.close()


def _schema_of(connection: sqlite3.Connection) -> dict[str, tuple[str, frozenset[str]]]:
    found: dict[str, tuple[str, frozenset[str]]] = {}
    rows = connection.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
    ).fetchall()
    for name, kind in rows:
        columns = connection.execute("SELECT name FROM pragma_table_info(?)", (name,)).fetchall()
        found[name] = (kind, frozenset(column for (column,) in columns))
    return found


def _schema_problem(connection: sqlite3.Connection) -> str | None:
    """What the store lacks of the current schema (a table, a view, columns), else ``None``."""
    found = _schema_of(connection)
    for name, (kind, columns) in sorted(expected_schema().items()):
        if name not in found or found[name][0] != kind:
            return _message("store.missing_table", name=name)
        missing = columns - found[name][1]
        if missing:
            return _message("store.missing_columns", name=name, columns=", ".join(sorted(missing)))
    return None


def check_store(path: Path, *, allow_new: bool = False) -> int:
    """The schema version of the store at ``path``, after read-only checks.

    Raises :class:`StoreCorruptError` for a file that is not a readable store
    (an empty file or an SQLite file without tables too, unless ``allow_new``)
    and :class:`StoreSchemaError` for a newer schema; never writes.
    """
    _refuse_symlinks(path)
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0 and not allow_new:
            raise StoreCorruptError(str(path), _message("store.empty"))
    try:
        connection = _connect_read_only(path)
    except sqlite3.Error as error:
        raise StoreCorruptError(str(path), str(error)) from None
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        application = int(connection.execute("PRAGMA application_id").fetchone()[0])
        if result != [("ok",)]:
            detail = "; ".join(str(row[0]) for row in result[:3])
            raise StoreCorruptError(str(path), _message("store.integrity", detail=detail))
        if application != APPLICATION_ID and not (application == 0 and version == 0):
            raise StoreCorruptError(str(path), _message("store.foreign", found=f"{application:#x}"))
        if version > SCHEMA_VERSION:
            raise StoreSchemaError(str(path), version, SCHEMA_VERSION)
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and not allow_new:
            code = "store.not_initialised" if tables == 0 else "store.foreign"
            raise StoreCorruptError(str(path), _message(code, found=f"{application:#x}"))
        if version == 0 and tables:
            raise StoreCorruptError(str(path), _message("store.foreign", found=f"{application:#x}"))
        problem = _schema_problem(connection) if version == SCHEMA_VERSION else None
    except sqlite3.Error as error:
        raise StoreCorruptError(str(path), str(error)) from None
    finally:
        connection.close()
    if problem is not None:
        raise StoreCorruptError(str(path), problem)
    return version


#: The lock record: the holder's process id, left-aligned in a fixed-width line.
_RECORD = 20
#: Where the Windows lock sits (past the record, which stays readable while locked).
_WINDOWS_LOCK_OFFSET = 1024
_LOCK_CONTENT = re.compile(rb"[0-9 \n]*")
#: The platform the lock is taken for (``os.name``; a test may set it).
_PLATFORM = os.name


class _LockBackend(Protocol):
    """How a lock is taken and released on one platform."""

    def try_lock(self, descriptor: int) -> bool:
        """Take the lock without waiting; ``False`` when another holds it."""

    def unlock(self, descriptor: int) -> None:
        """Release the lock."""


class _PosixLock:
    """``fcntl.flock``: released by the system when the holder dies."""

    def try_lock(self, descriptor: int) -> bool:
        import fcntl  # noqa: PLC0415  (POSIX only)

        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(self, descriptor: int) -> None:
        import fcntl  # noqa: PLC0415  (POSIX only)

        fcntl.flock(descriptor, fcntl.LOCK_UN)


class _WindowsLock:
    """``msvcrt.locking`` of one byte past the record; released by Windows when the holder dies."""

    def try_lock(self, descriptor: int) -> bool:
        import msvcrt  # noqa: PLC0415  (Windows only)

        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True

    def unlock(self, descriptor: int) -> None:
        import msvcrt  # noqa: PLC0415  (Windows only)

        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


def _backend() -> _LockBackend:
    return _WindowsLock() if _PLATFORM == "nt" else _PosixLock()


def _open_lock(path: Path) -> int:
    """The lock file's descriptor: never through a symlink, never truncated, checked."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    unsafe = UnsafeWriteError(str(path), _message("store.lock_unsafe", name=path.name))
    if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():  # Windows: check, then open
        raise unsafe
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        if path.is_symlink():  # ELOOP from O_NOFOLLOW
            raise unsafe from None
        raise StoreWriteError(str(path), error.strerror or str(error)) from None
    info = os.fstat(descriptor)
    content = _read_at(descriptor, 0, 65) if stat.S_ISREG(info.st_mode) else b""
    if (
        not stat.S_ISREG(info.st_mode)
        or info.st_nlink != 1
        or len(content) > 64  # a record is 20 bytes; older ones were shorter
        or _LOCK_CONTENT.fullmatch(content) is None
    ):
        os.close(descriptor)
        raise unsafe
    return descriptor


def _read_at(descriptor: int, offset: int, size: int) -> bytes:
    os.lseek(descriptor, offset, os.SEEK_SET)
    return os.read(descriptor, size)


def _write_at(descriptor: int, offset: int, data: bytes) -> None:
    os.lseek(descriptor, offset, os.SEEK_SET)
    os.write(descriptor, data)


class _Lock:
    """An exclusive lock on a lock file whose record holds the holder's process id."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        backend = _backend()
        descriptor = _open_lock(self.path)
        try:
            deadline = time.monotonic() + self.timeout
            while not backend.try_lock(descriptor):
                if time.monotonic() >= deadline:
                    raise StoreLockedError(str(self.path), _holder(descriptor), self.timeout)
                time.sleep(0.05)
            try:
                try:
                    _write_at(descriptor, 0, f"{os.getpid():<{_RECORD - 1}}\n".encode("ascii"))
                except OSError as error:  # a full disk: nothing was changed yet
                    raise StoreWriteError(str(self.path), _os_reason(error)) from None
                yield
            finally:
                with contextlib.suppress(OSError):  # a full disk cannot lose the old record
                    _write_at(descriptor, 0, b" " * (_RECORD - 1) + b"\n")
                backend.unlock(descriptor)
        finally:
            os.close(descriptor)


def _holder(descriptor: int) -> int | None:
    text = _read_at(descriptor, 0, 32).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _os_reason(error: OSError) -> str:
    """The reason of an operating-system error (a full disk in both languages)."""
    if error.errno in {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}:
        return _message("store.disk_full")
    return error.strerror or str(error)


def _nearly_full(folder: Path) -> bool:
    """Whether the disk of ``folder`` has under 1 MiB free (SQLite then reports an I/O error)."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return info.f_bavail * info.f_frsize < _NEARLY_FULL


#: Free space under which an I/O error of SQLite is taken for a full disk.
_NEARLY_FULL = 1 << 20


def _write_failure(path: Path, error: sqlite3.Error) -> StoreWriteError:
    """A failed change as a :class:`StoreWriteError` whose reason says what happened."""
    text = str(error)
    if "full" in text or ("disk I/O" in text and _nearly_full(path.parent)):
        reason: str = _message("store.disk_full")
    elif "readonly" in text or "read-only" in text:
        reason = _message("store.read_only")
    else:
        reason = text
    return StoreWriteError(str(path), reason)


class Store:
    """A connection to a workspace's history store (use :meth:`open`)."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, lock: _Lock, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.read_only = read_only
        self._connection = connection
        self._lock = lock
        self._depth = 0

    def __repr__(self) -> str:
        return f"<Store {str(self.path)!r} schema={SCHEMA_VERSION}>"

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = False,
        read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> Store:
        """Open the store at ``path`` (a file), checking it first; migrate it forward.

        With ``create`` a missing file (or an empty SQLite file) becomes a new,
        empty store; without, a missing file is a ``FileNotFoundError`` and an
        empty one a :class:`StoreCorruptError`. ``read_only`` opens it for
        reading only: nothing is written, no lock is taken.
        """
        file = Path(path)
        lock = _Lock(file.with_name(file.name + ".lock"), lock_timeout)
        _refuse_symlinks(file)
        if file.exists():
            version = check_store(file, allow_new=create and not read_only)
        elif create and not read_only:
            version = 0
        else:
            raise FileNotFoundError(f"{file}: no such store")
        try:
            if read_only:
                connection = _connect_read_only(file)
            else:
                mode = "rwc" if version == 0 else "rw"
                connection = sqlite3.connect(
                    _uri(file, f"mode={mode}"),
                    uri=True,
                    isolation_level=None,
                    timeout=lock_timeout,
                )
        except sqlite3.Error as error:
            raise StoreCorruptError(str(file), str(error)) from None
        store = cls(file, connection, lock, read_only=read_only)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                connection.execute("PRAGMA synchronous = FULL")
                if version < SCHEMA_VERSION:
                    with store.transaction() as cursor:
                        store._migrate(cursor)
                connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            connection.close()
            raise _write_failure(file, error) from None
        except BaseException:
            connection.close()
            raise
        return store

    def _migrate(self, cursor: sqlite3.Cursor) -> None:
        version = int(cursor.execute("PRAGMA user_version").fetchone()[0])
        for script in MIGRATIONS[version:]:
            for statement in script:
                cursor.execute(statement)
        cursor.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        cursor.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection (the store stays as it is)."""
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open store."""
        return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """Hold the workspace lock and one ``BEGIN IMMEDIATE`` transaction; roll back on error.

        Inside another transaction of this store it is a savepoint: its changes
        are undone on error, and kept or undone with the outer transaction.
        A failure of SQLite to write (disk full, read-only) is a
        :class:`StoreWriteError` after the rollback.
        """
        if self.read_only:
            raise StoreWriteError(str(self.path), _message("store.read_only"))
        if self._depth:
            yield from self._savepoint()
            return
        with self._lock.held():
            cursor = self._connection.cursor()
            self._depth = 1
            try:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield cursor
                    cursor.execute("COMMIT")
                except BaseException:
                    if self._connection.in_transaction:
                        cursor.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise _write_failure(self.path, error) from None
            finally:
                self._depth = 0

    def _savepoint(self) -> Iterator[sqlite3.Cursor]:
        cursor = self._connection.cursor()
        name = f"nested_{self._depth}"
        self._depth += 1
        try:
            cursor.execute(f"SAVEPOINT {name}")
            try:
                yield cursor
            except BaseException:
                if self._connection.in_transaction:  # SQLite may have rolled it all back
                    cursor.execute(f"ROLLBACK TO {name}")
                    cursor.execute(f"RELEASE {name}")
                raise
            cursor.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read-only query (a consistent snapshot of the store).

        A store that fails while being read is a :class:`StoreCorruptError`.
        """
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise StoreCorruptError(str(self.path), str(error)) from None

    def integrity(self) -> str:
        """The result of ``PRAGMA integrity_check`` (``"ok"`` for a sound store)."""
        rows = self._connection.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(row[0]) for row in rows)

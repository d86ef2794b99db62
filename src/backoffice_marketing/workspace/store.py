"""The history store of a workspace: one SQLite file, ``history.sqlite``.

The store is a plain SQLite database (the standard library's ``sqlite3``), so
internal tools can read it directly; docs/workspace.md documents every table.

* **Versioned schema.** ``PRAGMA user_version`` holds the schema version and
  ``PRAGMA application_id`` marks the file as a workspace store.
  :data:`MIGRATIONS` lists the forward migrations; opening a store applies
  the missing ones in order, in one transaction.
* **Checked before use.** A store is first opened read-only (``mode=ro``) and
  checked (``PRAGMA quick_check``, the application id, the schema version). A
  damaged file or one with a newer schema raises
  :class:`~backoffice_marketing.exceptions.StoreCorruptError` or
  :class:`~backoffice_marketing.exceptions.StoreSchemaError` and is never
  written to.
* **Transactions.** Every change runs in ``BEGIN IMMEDIATE`` ... ``COMMIT``
  (``ROLLBACK`` on any error), in WAL mode with ``synchronous=FULL``: a
  process killed in the middle leaves the store as it was before the change.
* **One writer at a time.** Changes take an exclusive ``flock`` on
  ``history.sqlite.lock`` (waiting up to ``lock_timeout`` seconds, then
  :class:`~backoffice_marketing.exceptions.StoreLockedError` naming the
  holder's process id). Readers need no lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from backoffice_marketing.exceptions import (
    StoreCorruptError,
    StoreLockedError,
    StoreSchemaError,
)

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
STORE_NAME = "history.sqlite"
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


def _read_only_uri(path: Path) -> str:
    return "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"


def check_store(path: Path) -> int:
    """The schema version of the store at ``path``, after read-only checks.

    Raises :class:`StoreCorruptError` for a file that is not a readable store
    and :class:`StoreSchemaError` for a newer schema; never writes.
    """
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise StoreCorruptError(str(path), str(error)) from None
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        application = int(connection.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.Error as error:
        raise StoreCorruptError(str(path), str(error)) from None
    finally:
        connection.close()
    if result != [("ok",)]:
        detail = "; ".join(str(row[0]) for row in result[:3])
        raise StoreCorruptError(str(path), f"integrity check failed: {detail}")
    if application != APPLICATION_ID and not (application == 0 and version == 0):
        raise StoreCorruptError(str(path), f"application id {application:#x} is not a store's")
    if version > SCHEMA_VERSION:
        raise StoreSchemaError(str(path), version, SCHEMA_VERSION)
    return version


class _Lock:
    """An exclusive ``flock`` on a lock file that holds the holder's process id."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        import fcntl  # noqa: PLC0415  (POSIX only; imported where it is needed)

        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreLockedError(
                            str(self.path), _holder(descriptor), self.timeout
                        ) from None
                    time.sleep(0.05)
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
            try:
                yield
            finally:
                os.ftruncate(descriptor, 0)
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)


def _holder(descriptor: int) -> int | None:
    text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


class Store:
    """A connection to a workspace's history store (use :meth:`open`)."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock: _Lock) -> None:
        self.path = path
        self._connection = connection
        self._lock = lock

    def __repr__(self) -> str:
        return f"<Store {str(self.path)!r} schema={SCHEMA_VERSION}>"

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> Store:
        """Open the store at ``path`` (a file), checking it first; migrate it forward.

        With ``create`` a missing file becomes a new, empty store; without,
        a missing file is a ``FileNotFoundError``.
        """
        file = Path(path)
        lock = _Lock(file.with_name(file.name + ".lock"), lock_timeout)
        if file.exists():
            version = check_store(file)
        elif create:
            version = 0
        else:
            raise FileNotFoundError(f"{file}: no such store")
        connection = sqlite3.connect(file, isolation_level=None, timeout=lock_timeout)
        store = cls(file, connection, lock)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION:
                with store.transaction() as cursor:
                    store._migrate(cursor)
            connection.execute("PRAGMA journal_mode = WAL")
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
        """Hold the workspace lock and one ``BEGIN IMMEDIATE`` transaction; roll back on error."""
        with self._lock.held():
            cursor = self._connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read-only query (a consistent snapshot of the store)."""
        return self._connection.execute(sql, parameters).fetchall()

    def integrity(self) -> str:
        """The result of ``PRAGMA integrity_check`` (``"ok"`` for a sound store)."""
        rows = self._connection.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(row[0]) for row in rows)

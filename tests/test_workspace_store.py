"""Tests of the workspace history store: schema, checks, transactions, the lock, SIGKILL."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from backoffice_marketing.exceptions import (
    BackofficeMarketingError,
    StoreCorruptError,
    StoreLockedError,
    StoreSchemaError,
)
from backoffice_marketing.workspace import Workspace
from backoffice_marketing.workspace.store import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    _holder,
    check_store,
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(store: Store) -> list[str]:
    return list(store._connection.iterdump())


def test_new_store_has_the_schema_and_pragmas(tmp_path: Path) -> None:
    """A new store uses WAL, foreign keys, the current schema and our application id."""
    with Store.open(tmp_path / "h.sqlite", create=True) as store:
        assert store.query("PRAGMA journal_mode") == [("wal",)]
        assert store.query("PRAGMA foreign_keys") == [(1,)]
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert store.query("PRAGMA application_id") == [(APPLICATION_ID,)]
        tables = {name for (name,) in store.query("SELECT name FROM sqlite_master")}
        assert {"sources", "adoption_rates", "current_rates", "reports", "questions"} <= tables
        assert {"plan_versions", "task_completions"} <= tables
        assert store.integrity() == "ok"
        assert "schema=1" in repr(store)


def test_missing_store_without_create_is_an_error(tmp_path: Path) -> None:
    """Opening a store file that does not exist, without ``create``, is a FileNotFoundError."""
    with pytest.raises(FileNotFoundError, match="no such store"):
        Store.open(tmp_path / "none.sqlite")
    assert not (tmp_path / "none.sqlite").exists()


def test_empty_sqlite_file_is_migrated_forward_only_by_create(tmp_path: Path) -> None:
    """A SQLite file at version 0 (no tables yet) becomes a store only when created (``init``)."""
    path = tmp_path / "h.sqlite"
    sqlite3.connect(path).close()
    with pytest.raises(StoreCorruptError, match="only init creates a store"):
        Store.open(path)
    with Store.open(path, create=True) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_reopening_keeps_the_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    """Opening a current store twice changes nothing (migrations run once)."""
    path = tmp_path / "h.sqlite"
    with Store.open(path, create=True) as store, store.transaction() as cursor:
        cursor.execute("INSERT INTO task_completions VALUES ('t1', '2027-05-17', 'now')")
    with Store.open(path) as store:
        assert store.query("SELECT task_id FROM task_completions") == [("t1",)]
        assert store.schema_version == SCHEMA_VERSION


def test_not_a_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    """A file that is not SQLite gives StoreCorruptError and keeps its bytes."""
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is not a database, just text " * 200)
    before = _digest(path)
    with pytest.raises(StoreCorruptError) as caught:
        Store.open(path)
    assert isinstance(caught.value, BackofficeMarketingError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.path == str(path)
    assert "not modified" in str(caught.value)
    assert _digest(path) == before


def test_unreadable_location_is_a_corrupt_store(tmp_path: Path) -> None:
    """A store path that SQLite cannot open at all (a folder) is reported, not crashed on."""
    folder = tmp_path / "h.sqlite"
    folder.mkdir()
    with pytest.raises(StoreCorruptError):
        check_store(folder)


def test_failed_integrity_check_is_refused_untouched(tmp_path: Path) -> None:
    """A store whose pages are damaged fails quick_check: StoreCorruptError, file unchanged."""
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace, workspace.store.transaction() as cursor:
        cursor.executemany(
            "INSERT INTO task_completions VALUES (?, '2027-05-17', 'now')",
            [(f"task-{index:05d}-{'x' * 60}",) for index in range(3000)],
        )
    path = root / "history.sqlite"
    connection = sqlite3.connect(path)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    (page,) = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'task_completions'"
    ).fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    data[(page - 1) * page_size + 3 : (page - 1) * page_size + 5] = b"\x00\x01"
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StoreCorruptError, match="damaged"):
        Workspace.open(root)
    assert _digest(path) == before


def test_integrity_failure_rows_are_reported(tmp_path: Path) -> None:
    """A quick_check that returns problems (not an exception) names them in the error."""
    path = tmp_path / "c.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
    connection.executemany(
        "INSERT INTO t VALUES (?, ?)", [(i, "x" * 50 + str(i)) for i in range(2000)]
    )
    connection.commit()
    connection.close()
    data = bytearray(path.read_bytes())
    data[4096 + 3 : 4096 + 5] = b"\x00\x01"  # page 2 (the table's root): one cell left
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorruptError, match="integrity check failed"):
        check_store(path)


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    """A SQLite database of another application is not taken over."""
    path = tmp_path / "h.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE other (x)")
    connection.execute("PRAGMA application_id = 7")
    connection.commit()
    connection.close()
    before = _digest(path)
    with pytest.raises(StoreCorruptError, match="application id"):
        Store.open(path)
    assert _digest(path) == before


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    """A store written by a newer library gives StoreSchemaError with both versions."""
    path = tmp_path / "h.sqlite"
    Store.open(path, create=True).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = _digest(path)
    with pytest.raises(StoreSchemaError) as caught:
        Store.open(path)
    assert (caught.value.found, caught.value.supported) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)
    assert "upgrade" in str(caught.value)
    assert _digest(path) == before


def test_a_failed_transaction_rolls_back(tmp_path: Path) -> None:
    """An error inside a transaction leaves the store exactly as it was."""
    with Store.open(tmp_path / "h.sqlite", create=True) as store:
        before = _dump(store)

        def fail() -> None:
            with store.transaction() as cursor:
                cursor.execute("INSERT INTO task_completions VALUES ('t', '2027-01-01', 'x')")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            fail()
        assert _dump(store) == before


def test_second_writer_times_out_naming_the_holder(tmp_path: Path) -> None:
    """While one change holds the lock, another waits up to its timeout, then fails with the pid."""
    path = tmp_path / "h.sqlite"
    first = Store.open(path, create=True)
    second = Store.open(path, lock_timeout=0.2)
    try:
        with first.transaction():
            started = time.monotonic()
            with pytest.raises(StoreLockedError) as caught, second.transaction():
                pass  # pragma: no cover - never reached
            assert time.monotonic() - started >= 0.2
        assert caught.value.holder == os.getpid()
        assert caught.value.timeout == 0.2
        assert isinstance(caught.value, TimeoutError)
        assert f"process {os.getpid()}" in str(caught.value)
        with second.transaction() as cursor:  # free again
            cursor.execute("INSERT INTO task_completions VALUES ('t', '2027-01-01', 'x')")
    finally:
        first.close()
        second.close()


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    """A change that starts while another runs waits and then succeeds (serialised)."""
    path = tmp_path / "h.sqlite"
    second = Store.open(path, create=True, lock_timeout=5)
    held = threading.Event()

    def hold() -> None:
        with Store.open(path) as first, first.transaction() as cursor:
            cursor.execute("INSERT INTO task_completions VALUES ('a', '2027-01-01', 'x')")
            held.set()
            time.sleep(0.3)

    thread = threading.Thread(target=hold)
    try:
        thread.start()
        assert held.wait(5)
        with second.transaction() as cursor:
            cursor.execute("INSERT INTO task_completions VALUES ('b', '2027-01-01', 'x')")
        thread.join()
        assert second.query("SELECT task_id FROM task_completions ORDER BY 1") == [("a",), ("b",)]
    finally:
        second.close()


def test_holder_without_a_pid_is_unknown(tmp_path: Path) -> None:
    """A lock file without a process id (written by nobody yet) gives holder None."""
    lock = tmp_path / "x.lock"
    lock.write_text("")
    descriptor = os.open(lock, os.O_RDONLY)
    try:
        assert _holder(descriptor) is None
    finally:
        os.close(descriptor)
    error = StoreLockedError("x.lock", None, 1.0)
    assert "another process" in str(error)


_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from backoffice_marketing.workspace import Workspace

    root, roster = Path(sys.argv[1]), sys.argv[2]
    workspace = Workspace.open(root)
    print("ready", flush=True)
    for path in sorted((root / "inputs").glob("log-*.csv")):
        workspace.import_usage(path, roster, period="day")
    print("done", flush=True)
    """
)


def _write_logs(root: Path, count: int) -> Path:
    roster = root / "roster.csv"
    lines = ["user_id,department"]
    lines += [f"u{d}-{p},dept{d}" for d in range(8) for p in range(5)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for index in range(count):
        rows = ["user_id,date,count"]
        for day in range(0, 720, 3):
            person = (day + index) % 5
            month, rest = divmod(day, 28)
            when = f"{2025 + month // 12}-{month % 12 + 1:02d}-{rest + 1:02d}"
            rows.append(f"u{day % 8}-{person},{when},{index}")
        (root / "inputs" / f"log-{index:03d}.csv").write_text("\n".join(rows) + "\n")
    return roster


def _assert_consistent(root: Path) -> int:
    with Workspace.open(root) as workspace:
        store = workspace.store
        assert store.integrity() == "ok"
        assert store.query("PRAGMA foreign_key_check") == []
        sources = store.query("SELECT id, rows FROM sources")
        for source_id, rows in sources:
            (stored,) = store.query(
                "SELECT count(*) FROM adoption_rates WHERE source_id = ?", (source_id,)
            )[0]
            assert stored == rows, source_id
        orphans = store.query(
            "SELECT count(*) FROM adoption_rates WHERE source_id NOT IN (SELECT id FROM sources)"
        )
        assert orphans == [(0,)]
        return len(sources)


def test_sigkill_during_imports_leaves_the_store_consistent(tmp_path: Path) -> None:
    """Killing an importing process at random moments, 20 times, never leaves half an import."""
    root = tmp_path / "ws"
    Workspace.create(root).close()
    roster = _write_logs(root, 30)
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    rng = random.Random(17)  # noqa: S311  (kill moments, not secrets)
    for _ in range(20):
        child = subprocess.Popen(  # noqa: S603  (our own script)
            [sys.executable, str(script), str(root), str(roster)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(tmp_path)},  # its staging folders stay in tmp_path
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        _assert_consistent(root)
    rest = subprocess.run(  # noqa: S603  (our own script)
        [sys.executable, str(script), str(root), str(roster)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert rest.stdout.splitlines()[-1] == "done"
    assert _assert_consistent(root) == 30
    assert rest.stdout.splitlines()[0] == "ready"


def test_migration_waits_for_the_lock_and_fails_cleanly(tmp_path: Path) -> None:
    """Migrating while another process holds the lock fails clearly; the store stays as it was."""
    import fcntl  # noqa: PLC0415  (POSIX, like the store's lock)

    path = tmp_path / "h.sqlite"
    sqlite3.connect(path).close()
    descriptor = os.open(tmp_path / "h.sqlite.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.write(descriptor, b"4242\n")
        with pytest.raises(StoreLockedError) as caught:
            Store.open(path, create=True, lock_timeout=0.1)
        assert caught.value.holder == 4242
        assert check_store(path, allow_new=True) == 0
    finally:
        os.close(descriptor)
    with Store.open(path, create=True) as migrated:
        assert migrated.schema_version == SCHEMA_VERSION

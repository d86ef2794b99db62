"""The workspace lock on both platforms: fcntl on POSIX, msvcrt (monkeypatched here) on Windows."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from backoffice_marketing.exceptions import (
    StoreCorruptError,
    StoreLockedError,
    StoreWriteError,
    UnsafeWriteError,
)
from backoffice_marketing.workspace import store as store_module
from backoffice_marketing.workspace.store import Store


class FakeMsvcrt:
    """A stand-in for Windows' ``msvcrt.locking``: byte ranges locked per file, not per handle."""

    LK_UNLCK = 0
    LK_NBLCK = 2

    def __init__(self) -> None:
        self.held: dict[tuple[int, int, int], int] = {}
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, descriptor: int, mode: int, size: int) -> None:
        """Lock or unlock ``size`` bytes at the descriptor's position, like msvcrt does."""
        info = os.fstat(descriptor)
        position = os.lseek(descriptor, 0, os.SEEK_CUR)
        key = (info.st_dev, info.st_ino, position)
        self.calls.append((mode, position, size))
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise OSError(errno.EACCES, "Permission denied")
            self.held[key] = descriptor
        else:
            del self.held[key]


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    """The store's lock as on Windows: msvcrt.locking instead of fcntl.flock."""
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(store_module, "_PLATFORM", "nt")
    return fake


def test_windows_lock_excludes_a_second_writer(tmp_path: Path, windows: FakeMsvcrt) -> None:
    """On Windows a second writer waits, then fails naming the holder read from the record."""
    path = tmp_path / "h.sqlite"
    first = Store.open(path, create=True)
    second = Store.open(path, lock_timeout=0.1)
    try:
        with first.transaction():
            with pytest.raises(StoreLockedError) as caught, second.transaction():
                pass  # pragma: no cover - never reached
            assert caught.value.holder == os.getpid()
        with second.transaction() as cursor:  # released: free again
            cursor.execute("INSERT INTO task_completions VALUES ('t', '2027-01-01', 'x')")
    finally:
        first.close()
        second.close()
    assert windows.held == {}
    assert all(position == 1024 and size == 1 for _, position, size in windows.calls)


def test_lock_without_o_nofollow_checks_for_a_symlink_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ``O_NOFOLLOW`` does not exist (Windows), a symlinked lock is refused before opening."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    path = tmp_path / "h.sqlite"
    Store.open(path, create=True).close()
    (tmp_path / "h.sqlite.lock").unlink()
    (tmp_path / "h.sqlite.lock").symlink_to(victim)
    monkeypatch.delattr(os, "O_NOFOLLOW")
    with Store.open(path) as opened, pytest.raises(UnsafeWriteError), opened.transaction():
        pass  # pragma: no cover - never reached
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_lock_that_cannot_be_opened_is_a_write_error(tmp_path: Path) -> None:
    """A lock path that cannot be opened (a folder) is a StoreWriteError naming it."""
    path = tmp_path / "h.sqlite"
    Store.open(path, create=True).close()
    (tmp_path / "h.sqlite.lock").unlink()
    (tmp_path / "h.sqlite.lock").mkdir()
    with (
        Store.open(path) as opened,
        pytest.raises(StoreWriteError) as caught,
        opened.transaction(),
    ):
        pass  # pragma: no cover - never reached
    assert caught.value.path.endswith("h.sqlite.lock")


def test_lock_record_write_error_other_than_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error writing the lock record is a StoreWriteError with the system's reason."""
    path = tmp_path / "h.sqlite"
    Store.open(path, create=True).close()
    real_write = os.write

    def failing(descriptor: int, data: bytes) -> int:
        if str(Path(f"/proc/self/fd/{descriptor}").readlink()).endswith(".lock"):
            raise OSError(errno.EIO, "Input/output error")
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", failing)
    with (
        Store.open(path) as opened,
        pytest.raises(StoreWriteError, match="Input/output"),
        opened.transaction(),
    ):
        pass  # pragma: no cover - never reached


def _failing_change(opened: Store) -> None:
    with opened.transaction() as inner:
        inner.execute("INSERT INTO task_completions VALUES ('undone', '2027-01-01', 'x')")
        raise RuntimeError("undo")


def test_nested_transactions_are_savepoints(tmp_path: Path) -> None:
    """A failing inner transaction undoes only its own changes; the outer one commits."""
    with Store.open(tmp_path / "h.sqlite", create=True) as opened:
        with opened.transaction() as cursor:
            cursor.execute("INSERT INTO task_completions VALUES ('kept', '2027-01-01', 'x')")
            with pytest.raises(RuntimeError, match="undo"):
                _failing_change(opened)
            with opened.transaction() as inner:
                inner.execute("INSERT INTO task_completions VALUES ('also', '2027-01-01', 'x')")
        rows = opened.query("SELECT task_id FROM task_completions ORDER BY 1")
    assert rows == [("also",), ("kept",)]


def test_sqlite_errors_other_than_a_full_disk(tmp_path: Path) -> None:
    """A constraint failure inside a change is a StoreWriteError with SQLite's reason."""
    with Store.open(tmp_path / "h.sqlite", create=True) as opened:
        with pytest.raises(StoreWriteError, match="CHECK constraint"), opened.transaction() as c:
            c.execute("INSERT INTO sources VALUES (1, 'x', 'usage', 'n', -1, '{}', 'now')")
        assert opened.query("SELECT count(*) FROM sources") == [(0,)]


def test_read_only_reason_and_read_errors(tmp_path: Path) -> None:
    """'readonly database' maps to the read-only reason; a failing read is a corrupt store."""
    import sqlite3  # noqa: PLC0415

    failure = store_module._write_failure(
        tmp_path, sqlite3.OperationalError("attempt to write a readonly database")
    )
    assert "read-only" in str(failure)
    assert "読み取り専用" in failure.render("ja")
    opened = Store.open(tmp_path / "h.sqlite", create=True)
    opened.close()
    with pytest.raises(StoreCorruptError, match="closed"):
        opened.query("SELECT 1")


def test_io_error_on_a_nearly_full_disk_is_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite reports a full disk as an I/O error when the WAL cannot grow: it is named so."""
    import sqlite3  # noqa: PLC0415

    error = sqlite3.OperationalError("disk I/O error")
    full = SimpleNamespace(f_bavail=3, f_frsize=4096)
    roomy = SimpleNamespace(f_bavail=10**6, f_frsize=4096)
    monkeypatch.setattr(os, "statvfs", lambda _folder: full)
    assert "disk is full" in str(store_module._write_failure(tmp_path / "h.sqlite", error))
    monkeypatch.setattr(os, "statvfs", lambda _folder: roomy)
    assert "disk I/O error" in str(store_module._write_failure(tmp_path / "h.sqlite", error))

    def unsupported(_folder: object) -> None:
        raise OSError(errno.ENOSYS, "not supported")

    monkeypatch.setattr(os, "statvfs", unsupported)
    assert "disk I/O error" in str(store_module._write_failure(tmp_path / "h.sqlite", error))

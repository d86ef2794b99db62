"""What killed saves and ingests leave behind is removed at the next run, and only that."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.foundation.io.leftovers import (
    STALE_SECONDS,
    process_alive,
    remove_stale_staging,
    remove_stale_temps,
    staging_folder,
)


def _dead_pid() -> int:
    """The process id of a process that has ended."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_process_alive() -> None:
    """The running process, its parent and unknown ids are alive; an ended process is not."""
    assert process_alive(os.getpid())
    assert process_alive(os.getppid())
    assert process_alive(0)
    assert not process_alive(_dead_pid())


def test_process_alive_on_windows_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where liveness is not checked (Windows), every process counts as alive: age decides."""
    monkeypatch.setattr(os, "name", "nt")
    assert process_alive(_dead_pid())


def test_process_of_another_user_is_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process we may not signal (another user's) is alive."""

    def denied(_pid: int, _signal: int) -> None:
        raise PermissionError

    monkeypatch.setattr(os, "kill", denied)
    assert process_alive(12345)


def test_temp_files_are_removed_by_owner_and_age(tmp_path: Path) -> None:
    """Dead owner or too old: removed; live owner and young, or not ours by name: kept."""
    dead, live = _dead_pid(), os.getppid()
    gone = [
        tmp_path / f".out.md.{dead}.abcd1234.tmp",
        tmp_path / f".out.md.{live}.old12345.tmp",
        tmp_path / ".out.md.oldform1.tmp",
    ]
    kept = [
        tmp_path / f".out.md.{live}.abcd1234.tmp",
        tmp_path / ".out.md.youngfrm.tmp",
        tmp_path / "out.md",
        tmp_path / f".out.md.{dead}.short.tmp",
    ]
    for path in (*gone, *kept):
        path.write_text("x", encoding="utf-8")
    _age(gone[1], STALE_SECONDS + 5)
    _age(gone[2], STALE_SECONDS + 5)
    (tmp_path / f".out.md.{dead}.linkxxxx.tmp").symlink_to(tmp_path / "out.md")
    (tmp_path / f".out.md.{dead}.folderxx.tmp").mkdir()
    assert sorted(remove_stale_temps(tmp_path)) == sorted(gone)
    assert all(path.exists() for path in kept)
    assert (tmp_path / f".out.md.{dead}.linkxxxx.tmp").is_symlink()
    assert remove_stale_temps(tmp_path / "missing") == ()


def test_temp_files_of_another_target_are_left_to_it(tmp_path: Path) -> None:
    """A save of one target removes only its own target's leftovers."""
    dead = _dead_pid()
    mine = tmp_path / f".out.md.{dead}.abcd1234.tmp"
    other = tmp_path / f".other.md.{dead}.abcd1234.tmp"
    for path in (mine, other):
        path.write_text("x", encoding="utf-8")
    write_text_atomic(tmp_path / "out.md", "new\n")
    assert not mine.exists()
    assert other.exists()


def test_temp_file_names_carry_the_process_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save's temporary file is ``.<name>.<pid>.<random>.tmp``, so a later run can judge it."""
    import tempfile  # noqa: PLC0415

    seen: list[str] = []
    real = tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real(*args, **kwargs)  # type: ignore[call-overload]
        seen.append(Path(made[1]).name)
        return made  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    write_text_atomic(tmp_path / "out.md", "x\n")
    assert seen
    assert seen[0].startswith(f".out.md.{os.getpid()}.")


def test_staging_folders_are_removed_by_owner_and_age(tmp_path: Path) -> None:
    """A dead process's or an old staging folder goes (with its files); a live young one stays."""
    dead, live = _dead_pid(), os.getppid()
    gone = [tmp_path / f"bm-ingest-{dead}-abcd1234", tmp_path / f"bm-update-{live}-old"]
    kept = [tmp_path / f"bm-ingest-{live}-abcd1234", tmp_path / "bm-ingest-noid", tmp_path / "x"]
    for folder in (*gone, *kept):
        folder.mkdir()
        (folder / "events.parquet").write_bytes(b"x" * 100)
    _age(gone[1], STALE_SECONDS + 5)
    (tmp_path / f"bm-ingest-{dead}-file").write_text("not a folder", encoding="utf-8")
    assert sorted(remove_stale_staging(tmp_path)) == sorted(gone)
    assert all(folder.exists() for folder in kept)
    assert (tmp_path / f"bm-ingest-{dead}-file").exists()
    assert remove_stale_staging(tmp_path / "missing") == ()


def test_staging_folder_is_named_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staging folder is ``bm-<purpose>-<pid>-...`` in the temp folder and gone afterwards."""
    import tempfile  # noqa: PLC0415

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with staging_folder("update") as folder:
        assert folder.parent == tmp_path
        assert folder.name.startswith(f"bm-update-{os.getpid()}-")
        (folder / "x").write_text("x", encoding="utf-8")
    assert list(tmp_path.iterdir()) == []


_INGEST = textwrap.dedent(
    """
    import sys, time
    from backoffice_marketing.foundation.io.leftovers import staging_folder

    with staging_folder("ingest") as folder:
        (folder / "events.parquet").write_bytes(b"x" * 4_000_000)
        print(folder, flush=True)
        time.sleep(60)
    """
)


def test_folder_of_a_sigkilled_ingest_is_removed_next_time(tmp_path: Path) -> None:
    """An ingest killed with SIGKILL leaves its folder; the next staging removes it."""
    child = subprocess.Popen(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", _INGEST],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert child.stdout is not None
    folder = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert folder.is_dir()
    assert folder.parent == tmp_path
    assert remove_stale_staging(tmp_path) == (folder,)

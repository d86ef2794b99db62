"""Family "writes": ``-o`` never damages an input, a symlink, a device or a read-only file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.exceptions import UnsafeWriteError
from backoffice_marketing.foundation.io import atomic
from backoffice_marketing.foundation.io.atomic import (
    write_bytes_atomic,
    write_policy,
    write_text_atomic,
)

from .helpers import ASSESSMENT, invoke, tree


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding a copy of the example assessment as ``a.toml``."""
    (tmp_path / "a.toml").write_bytes(ASSESSMENT.read_bytes())
    return tmp_path


def test_output_onto_its_own_input_is_refused(work: Path) -> None:
    """``score a.toml -o a.toml`` exits 2 and leaves the input byte for byte."""
    before = tree(work)
    result = invoke(["score", str(work / "a.toml"), "-o", str(work / "a.toml")])
    assert result.exit_code == 2
    assert "input of this command" in result.output
    assert tree(work) == before


def test_output_onto_a_hard_link_of_an_input_is_refused(work: Path) -> None:
    """A hard link to the input is the input: refused, both names intact."""
    os.link(work / "a.toml", work / "b.md")
    before = tree(work)
    result = invoke(["score", str(work / "a.toml"), "-o", str(work / "b.md")])
    assert result.exit_code == 2
    assert tree(work) == before


def test_output_onto_an_input_of_another_option_is_refused(work: Path) -> None:
    """``plan -d deps.csv --format ics -o deps.csv`` (a file writer, not text) is refused."""
    deps = work / "deps.csv"
    deps.write_text("department,headcount\n営業部,30\n", encoding="utf-8")
    before = tree(work)
    args = ["plan", "chat-migration", "--start", "2027-04-01", "-d", str(deps)]
    result = invoke([*args, "--format", "ics", "-o", str(deps)])
    assert result.exit_code == 2
    assert tree(work) == before


def test_validate_cannot_overwrite_a_file_it_validates(work: Path) -> None:
    """``validate assessment a.toml -o a.toml`` is refused like any other command."""
    before = tree(work)
    result = invoke(["validate", "assessment", str(work / "a.toml"), "-o", str(work / "a.toml")])
    assert result.exit_code == 2
    assert tree(work) == before


def test_symlink_output_is_refused_and_kept(work: Path) -> None:
    """``-o link.md`` leaves the symlink (and what it names) alone without --follow-symlinks."""
    (work / "other.md").write_text("keep\n", encoding="utf-8")
    (work / "link.md").symlink_to("other.md")
    result = invoke(["score", str(work / "a.toml"), "-o", str(work / "link.md")])
    assert result.exit_code == 2
    assert "symbolic link" in result.output
    assert (work / "link.md").is_symlink()
    assert (work / "other.md").read_text(encoding="utf-8") == "keep\n"


def test_follow_symlinks_writes_the_named_file_and_keeps_the_link(work: Path) -> None:
    """With --follow-symlinks the file the link names is replaced; the link stays a link."""
    (work / "other.md").write_text("old\n", encoding="utf-8")
    (work / "link.md").symlink_to("other.md")
    args = ["score", str(work / "a.toml"), "-o", str(work / "link.md"), "--follow-symlinks"]
    result = invoke(args)
    assert result.exit_code == 0
    assert (work / "link.md").is_symlink()
    assert (work / "other.md").read_text(encoding="utf-8").startswith("# ")


def test_follow_symlinks_never_reaches_an_input(work: Path) -> None:
    """A symlink that names the input is refused even with --follow-symlinks."""
    (work / "link.md").symlink_to("a.toml")
    before = tree(work)
    args = ["score", str(work / "a.toml"), "-o", str(work / "link.md"), "--follow-symlinks"]
    assert invoke(args).exit_code == 2
    assert tree(work) == before


def test_read_only_output_is_refused(work: Path) -> None:
    """A read-only file is not replaced (also as root); mode and content stay."""
    target = work / "ro.md"
    target.write_text("keep\n", encoding="utf-8")
    target.chmod(0o444)
    result = invoke(["score", str(work / "a.toml"), "-o", str(target)])
    assert result.exit_code == 2
    assert "read-only" in result.output
    assert target.read_text(encoding="utf-8") == "keep\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_device_output_is_refused() -> None:
    """``-o /dev/null`` is refused: the device node is never replaced by a regular file."""
    result = invoke(["score", str(ASSESSMENT), "-o", os.devnull])
    assert result.exit_code == 2
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_fifo_output_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO as output is refused at once (no open, so no wait for a reader)."""
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    result = invoke(["score", str(ASSESSMENT), "-o", str(fifo)])
    assert result.exit_code == 2
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_directory_output_is_refused(tmp_path: Path) -> None:
    """A folder as output is refused, naming the folder."""
    with pytest.raises(UnsafeWriteError, match="folder") as caught:
        write_text_atomic(tmp_path, "x")
    assert caught.value.path == str(tmp_path)


def test_empty_output_name_names_no_temp_file() -> None:
    """An empty name is refused with a message about the name, never a hidden temp file."""
    with pytest.raises(UnsafeWriteError, match="empty") as caught:
        write_bytes_atomic("", b"x")
    assert ".tmp" not in str(caught.value)
    assert invoke(["score", str(ASSESSMENT), "-o", ""]).exit_code == 2


def test_missing_folder_names_the_target(tmp_path: Path) -> None:
    """Writing into a folder that does not exist names the target, not a temp file."""
    target = tmp_path / "no" / "such.md"
    with pytest.raises(UnsafeWriteError, match="folder does not exist") as caught:
        write_text_atomic(target, "x")
    assert caught.value.path == str(target)
    assert ".tmp" not in str(caught.value)


def test_failure_while_writing_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OS error during the write (a full disk) leaves no temp file and the target intact."""
    target = tmp_path / "out.md"
    target.write_text("old\n", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UnsafeWriteError, match="disk is full") as caught:
        write_text_atomic(target, "new\n")
    assert caught.value.path == str(target)
    assert ".tmp" not in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
    assert target.read_text(encoding="utf-8") == "old\n"


def test_interrupt_while_writing_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during a save propagates, leaves the old file and no ``.*.tmp`` behind."""
    target = tmp_path / "out.md"
    target.write_text("old\n", encoding="utf-8")

    def interrupt(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
    assert target.read_text(encoding="utf-8") == "old\n"


def test_target_swapped_for_a_symlink_during_the_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The target is checked again just before the rename: a swap in between is refused."""
    target = tmp_path / "out.md"
    (tmp_path / "victim").write_text("keep\n", encoding="utf-8")
    real_fsync = os.fsync

    def swap(fd: int) -> None:
        real_fsync(fd)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        target.symlink_to("victim")

    monkeypatch.setattr(os, "fsync", swap)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        write_text_atomic(target, "new\n")
    assert (tmp_path / "victim").read_text(encoding="utf-8") == "keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md", "victim"]


def test_lone_surrogate_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """Text that is not valid Unicode is a library error, and no file appears."""
    with pytest.raises(UnsafeWriteError, match="not valid Unicode"):
        write_text_atomic(tmp_path / "out.md", "ok \ud800")
    assert list(tmp_path.iterdir()) == []


def test_policy_protects_library_saves(work: Path) -> None:
    """Inside ``write_policy(protect=...)`` a library save onto the input is refused."""
    assessment = bm.Assessment.from_file(work / "a.toml")
    before = tree(work)
    with write_policy(protect=[work / "a.toml"]), pytest.raises(UnsafeWriteError):
        assessment.save(work / "a.toml")
    assert tree(work) == before
    assessment.save(work / "a.toml")  # outside the policy the caller may replace it
    assert atomic._POLICY.get() == atomic.WritePolicy()


def test_protect_keyword_and_unsafe_error_is_an_os_error(tmp_path: Path) -> None:
    """``protect=`` works per call, and the error is both a library error and an OSError."""
    source = tmp_path / "in.txt"
    source.write_text("x", encoding="utf-8")
    with pytest.raises(OSError, match="input of this command") as caught:
        write_bytes_atomic(source, b"y", protect=[source])
    assert isinstance(caught.value, bm.BackofficeMarketingError)
    assert source.read_text(encoding="utf-8") == "x"


def test_unwritable_folder_names_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the temp file cannot be created in gives an error naming the target."""

    def denied(**_: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".out.md.x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(UnsafeWriteError, match="Permission denied") as caught:
        write_text_atomic(tmp_path / "out.md", "x")
    assert caught.value.path == str(tmp_path / "out.md")
    assert ".tmp" not in str(caught.value)


def test_temp_files_of_killed_saves_are_cleaned_up(tmp_path: Path) -> None:
    """A ``.*.tmp`` left by a SIGKILLed save is removed by the next save once it is stale."""
    target = tmp_path / "out.md"
    stale = tmp_path / ".out.md.abcd1234.tmp"
    fresh = tmp_path / ".out.md.efgh5678.tmp"
    other = tmp_path / ".other.md.abcd1234.tmp"
    for path in (stale, fresh, other):
        path.write_text("half", encoding="utf-8")
    old = time.time() - atomic.STALE_SECONDS - 10
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_text_atomic(target, "new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.md.abcd1234.tmp",
        ".out.md.efgh5678.tmp",
        "out.md",
    ]

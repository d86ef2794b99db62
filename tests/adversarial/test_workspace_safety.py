"""The workspace never loses data: attacks on its writes, its store, its lock and its inputs.

Each test reproduces one fault of issue 20 (data loss 1-5, crashes 13-15, the
read-only workspace of 19) and checks the fix, on the command line in both
languages where a user would meet it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from backoffice_marketing.app import samples
from backoffice_marketing.app.commands import run
from backoffice_marketing.exceptions import (
    LoadError,
    StoreCorruptError,
    StoreWriteError,
    UnsafeWriteError,
)
from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.workspace import Workspace
from backoffice_marketing.workspace import run as workspace_run
from backoffice_marketing.workspace.store import Store

TODAY = "2027-06-01"
Capture = pytest.CaptureFixture[str]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace, made once for the module (tests work on copies)."""
    folder = tmp_path_factory.mktemp("example") / "ws"
    assert run(["init", str(folder), "--example"]) == 0
    return folder


@pytest.fixture
def ws(example: Path, tmp_path: Path) -> Path:
    """A fresh copy of the example workspace."""
    folder = tmp_path / "ws"
    shutil.copytree(example, folder, symlinks=True)
    return folder


def _sha(path: Path) -> str:
    """The content hash of a regular file (a FIFO is named, never read: it would block)."""
    if stat.S_ISFIFO(path.stat().st_mode):
        return "fifo"
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: SQLite's own files beside a WAL store, which any reader may create (empty of data).
_SQLITE_OWN = frozenset({"history.sqlite-wal", "history.sqlite-shm"})


def _listing(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` with its content hash (links and folders by kind).

    SQLite's ``-shm`` and an empty ``-wal``, which a reader of a WAL database
    may leave, are left out; a ``-wal`` with data in it counts.
    """
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        own = name in _SQLITE_OWN and not path.is_symlink()
        if own and (name.endswith("-shm") or not path.stat().st_size):
            continue
        if path.is_symlink():
            found[name] = f"link:{path.readlink()}"
        elif path.is_dir():
            found[name] = "dir"
        else:
            found[name] = _sha(path)
    return found


def _usage(path: Path, roster: Path, *, people: int = 12, weeks: int = 1) -> Path:
    """A usage log of the roster's first people, one event a week from 2027-04-05."""
    users = [line.split(",")[0] for line in roster.read_text(encoding="utf-8").splitlines()[1:]]
    start = dt.date(2027, 4, 5)
    rows = [
        f"{user},{start + dt.timedelta(days=7 * week + index % 5)}T10:00:00+09:00,3"
        for week in range(weeks)
        for index, user in enumerate(users[:people])
    ]
    path.write_text("user_id,timestamp,messages\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _fails(args: list[str], capsys: Capture, *, lang: str) -> str:
    """Run the command line, expect exit 2, and return what it said on standard error."""
    capsys.readouterr()
    assert run([*args, "--lang", lang]) == 2
    return capsys.readouterr().err


# --- Data loss 1: the lock file ------------------------------------------------------------


def test_symlinked_lock_never_empties_the_file_it_names(ws: Path, tmp_path: Path) -> None:
    """A lock that is a symlink to another file is refused; that file keeps its bytes."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    lock = ws / "history.sqlite.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    with Workspace.open(ws) as workspace, pytest.raises(UnsafeWriteError, match="lock"):
        workspace.record_completion("t", done_on=samples.AS_OF)
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_symlinked_lock_on_the_command_line(ws: Path, tmp_path: Path, capsys: Capture) -> None:
    """``update`` with a symlinked lock exits 2 in both languages and empties nothing."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    lock = ws / "history.sqlite.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    assert "lock" in _fails(["update", str(ws)], capsys, lang="en")
    assert "ロック" in _fails(["update", str(ws)], capsys, lang="ja")
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_hard_linked_lock_is_refused(ws: Path, tmp_path: Path) -> None:
    """A lock that is a hard link to another file (two names) is refused, the file untouched."""
    victim = tmp_path / "victim.txt"
    victim.write_text("", encoding="utf-8")
    lock = ws / "history.sqlite.lock"
    lock.unlink(missing_ok=True)
    os.link(victim, lock)
    with Workspace.open(ws) as workspace, pytest.raises(UnsafeWriteError):
        workspace.record_completion("t", done_on=samples.AS_OF)
    assert victim.read_bytes() == b""


def test_lock_with_other_content_is_refused_and_kept(ws: Path) -> None:
    """A lock file holding something else than a process id is refused and left as it is."""
    lock = ws / "history.sqlite.lock"
    lock.write_text("my notes\n", encoding="utf-8")
    with Workspace.open(ws) as workspace, pytest.raises(UnsafeWriteError):
        workspace.record_completion("t", done_on=samples.AS_OF)
    assert lock.read_text(encoding="utf-8") == "my notes\n"


def test_lock_file_is_never_truncated(ws: Path) -> None:
    """Taking and releasing the lock writes a fixed-width record in place, never truncating."""
    lock = ws / "history.sqlite.lock"
    lock.write_bytes(b"4242\n")
    with Workspace.open(ws) as workspace:
        workspace.record_completion("t", done_on=samples.AS_OF)
    assert len(lock.read_bytes()) == 20
    assert lock.read_bytes().strip() == b""


# --- Data loss 2: -o onto the workspace's own files ----------------------------------------

WORKSPACE_TARGETS = (
    "inputs/questions.csv",
    "inputs/roster.csv",
    "history.sqlite",
    "history.sqlite-wal",
    "history.sqlite-shm",
    "history.sqlite.lock",
    "initiative.toml",
    "reports/../inputs/answers.yaml",
    "notes.md",
)


@pytest.mark.parametrize("target", WORKSPACE_TARGETS)
@pytest.mark.parametrize("command", ["status", "dashboard"])
def test_out_never_onto_a_workspace_file(
    ws: Path, target: str, command: str, capsys: Capture
) -> None:
    """``status`` or ``dashboard -o`` onto a workspace file outside reports/: exit 2, no write."""
    before = _listing(ws)
    for lang in ("en", "ja"):
        said = _fails([command, str(ws), "--today", TODAY, "-o", str(ws / target)], capsys,
                      lang=lang)  # fmt: skip
        assert ("not written" if lang == "en" else "書き込みませんでした") in said
    assert _listing(ws) == before


def test_out_of_any_command_into_a_workspace_is_refused(ws: Path, capsys: Capture) -> None:
    """The rule is the writer's: ``checklist -o ws/inputs/x.md`` is refused as well."""
    before = _listing(ws)
    capsys.readouterr()
    assert run(["checklist", "-o", str(ws / "inputs" / "hearings.csv")]) == 2
    assert "reports/" in capsys.readouterr().err
    assert _listing(ws) == before


def test_reports_folder_linked_to_inputs_is_refused(ws: Path, capsys: Capture) -> None:
    """A ``reports`` that is a symlink to ``inputs`` does not open the inputs to ``-o``."""
    shutil.rmtree(ws / "reports")
    (ws / "reports").symlink_to(ws / "inputs", target_is_directory=True)
    before = _listing(ws)
    _fails(["status", str(ws), "--today", TODAY, "-o", str(ws / "reports/roster.csv")], capsys,
           lang="en")  # fmt: skip
    assert _listing(ws) == before


def test_out_into_reports_is_written(ws: Path) -> None:
    """``-o`` into the workspace's reports/ is allowed."""
    target = ws / "reports" / "status-copy.md"
    assert run(["status", str(ws), "--today", TODAY, "-o", str(target)]) in {0, 1}
    assert target.read_text(encoding="utf-8").startswith("#")


def test_library_writer_refuses_workspace_files(ws: Path) -> None:
    """The safe writer itself refuses a workspace input, whoever calls it."""
    before = _sha(ws / "inputs" / "roster.csv")
    with pytest.raises(UnsafeWriteError, match="reports/"):
        write_text_atomic(ws / "inputs" / "roster.csv", "x\n")
    with pytest.raises(UnsafeWriteError, match="history store"):
        write_text_atomic(ws.parent / "history.sqlite-wal", "x\n")
    assert _sha(ws / "inputs" / "roster.csv") == before


# --- Data loss 3: the demo's inputs ---------------------------------------------------------


@pytest.mark.parametrize("name", ["roster.csv", "questions.csv", "initiative.toml"])
def test_demo_never_writes_through_symlinks_in_inputs(
    tmp_path: Path, name: str, capsys: Capture
) -> None:
    """A symlink planted in ``D/inputs/`` stops the demo; the file it names keeps its bytes."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "demo"
    (out / "inputs").mkdir(parents=True)
    (out / "inputs" / name).symlink_to(victim)
    said = _fails(["demo", "--out", str(out)], capsys, lang="en")
    assert "symbolic link" in said
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_demo_refuses_a_symlinked_inputs_folder(tmp_path: Path, capsys: Capture) -> None:
    """A ``D/inputs`` that is a symlink to another folder is refused; that folder stays empty."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "demo"
    out.mkdir()
    (out / "inputs").symlink_to(elsewhere, target_is_directory=True)
    _fails(["demo", "--out", str(out)], capsys, lang="en")
    assert list(elsewhere.iterdir()) == []


# --- Data loss 4: update validates before copying -------------------------------------------

BROKEN_INPUTS = {
    "answers.yaml": b"answers:\n  - [oops\n",
    "roster.csv": b"\x00\x01garbage\n;;;\n",
    "hearings.csv": b"no,such,columns\n1,2,3\n",
    "reach.csv": b"department,person,event,date,channel\nA,u1,reached,not-a-date,email\n",
    "pulse.csv": b"survey,held_on\n",
    "decisions.json": b"{",
    "changes.toml": b"= nonsense",
}


@pytest.mark.parametrize("name", sorted(BROKEN_INPUTS))
def test_update_never_replaces_a_good_input_with_a_broken_one(
    ws: Path, tmp_path: Path, name: str, capsys: Capture
) -> None:
    """``update ws broken/NAME`` exits 2 naming the file; the good input keeps its bytes."""
    broken = tmp_path / "broken" / name
    broken.parent.mkdir()
    broken.write_bytes(BROKEN_INPUTS[name])
    good = ws / "inputs" / name
    before = _sha(good) if good.exists() else None
    said = _fails(["update", str(ws), str(broken)], capsys, lang="en")
    assert str(broken) in said
    assert (_sha(good) if good.exists() else None) == before


def test_update_refuses_a_roster_that_lists_nobody(
    ws: Path, tmp_path: Path, capsys: Capture
) -> None:
    """A roster with its header only is not copied over the good one (in both languages)."""
    empty = tmp_path / "roster.csv"
    empty.write_text("user_id,department\n", encoding="utf-8")
    before = _sha(ws / "inputs" / "roster.csv")
    assert "nobody" in _fails(["update", str(ws), str(empty)], capsys, lang="en")
    assert "名簿" in _fails(["update", str(ws), str(empty)], capsys, lang="ja")
    assert _sha(ws / "inputs" / "roster.csv") == before


def test_update_copies_a_good_input(ws: Path, tmp_path: Path) -> None:
    """A new input that loads replaces the old one."""
    fresh = tmp_path / "answers.yaml"
    fresh.write_text("schema_version: 1\nanswers: []\n", encoding="utf-8")
    assert run(["update", str(ws), str(fresh), "--today", TODAY]) == 0
    assert (ws / "inputs" / "answers.yaml").read_bytes() == fresh.read_bytes()


def test_a_broken_input_rolls_back_the_whole_update(ws: Path, tmp_path: Path) -> None:
    """A usage log and a broken answer book in one update: nothing is imported."""
    usage = _usage(tmp_path / "usage-june.csv", ws / "inputs" / "roster.csv")
    broken = tmp_path / "answers.yaml"
    broken.write_bytes(BROKEN_INPUTS["answers.yaml"])
    before = _sha(ws / "history.sqlite")
    with Workspace.open(ws) as workspace, pytest.raises(LoadError):
        workspace_run.update(workspace, [usage, broken])
    assert _sha(ws / "history.sqlite") == before


# --- Data loss 5: read commands never write the store ---------------------------------------


def _foreign(path: Path, *, application_id: int = 0) -> None:
    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.execute(f"PRAGMA application_id = {application_id}")
    connection.commit()
    connection.close()


def _truncate(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a database\n" * 300)


def _no_table(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("DROP TABLE task_completions")
    connection.commit()
    connection.close()


def _no_column(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE questions DROP COLUMN theme")
    connection.commit()
    connection.close()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


DAMAGE = {
    "fifo": _fifo,
    "truncated": _truncate,
    "foreign": _foreign,
    "garbage": _garbage,
    "missing-table": _no_table,
    "missing-column": _no_column,
}
JAPANESE_HEAD = "履歴ストアが壊れているか"


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("command", ["status", "dashboard", "update"])
def test_damaged_store_is_reported_and_left_byte_identical(
    ws: Path, tmp_path: Path, damage: str, command: str, capsys: Capture
) -> None:
    """Every command reports a damaged, empty or foreign store (exit 2) and changes no byte."""
    store = ws / "history.sqlite"
    DAMAGE[damage](store)
    before = _listing(ws)
    extra = ["-o", str(tmp_path / "d.html")] if command == "dashboard" else []
    english = _fails([command, str(ws), *extra], capsys, lang="en")
    japanese = _fails([command, str(ws), *extra], capsys, lang="ja")
    assert "not modified" in english
    assert str(store) in english
    assert JAPANESE_HEAD in japanese
    assert _listing(ws) == before


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_store_is_a_store_corrupt_error(ws: Path, damage: str) -> None:
    """The library raises StoreCorruptError with the path and what is wrong, in both languages."""
    store = ws / "history.sqlite"
    DAMAGE[damage](store)
    before = _sha(store)
    for read_only in (True, False):
        with pytest.raises(StoreCorruptError) as caught:
            Workspace.open(ws, read_only=read_only)
        assert caught.value.path == str(store)
        assert caught.value.detail
        assert caught.value.detail in caught.value.render("en")
        assert JAPANESE_HEAD in caught.value.render("ja")
    assert _sha(store) == before


def test_only_init_creates_a_store(tmp_path: Path) -> None:
    """A folder with inputs but no store is not made a workspace by a read or an update."""
    folder = tmp_path / "ws"
    (folder / "inputs").mkdir(parents=True)
    for command in (["status", str(folder)], ["update", str(folder)]):
        assert run(command) == 2
    assert not (folder / "history.sqlite").exists()


def test_symlinked_store_is_refused(ws: Path, tmp_path: Path) -> None:
    """A store that is a symlink (or whose -wal is) is refused: SQLite would write through it."""
    real = tmp_path / "real.sqlite"
    (ws / "history.sqlite").rename(real)
    (ws / "history.sqlite").symlink_to(real)
    before = _sha(real)
    with pytest.raises(StoreCorruptError, match="symbolic link"):
        Workspace.open(ws, read_only=True)
    (ws / "history.sqlite").unlink()
    real.rename(ws / "history.sqlite")
    (ws / "history.sqlite-wal").unlink(missing_ok=True)
    (ws / "history.sqlite-wal").symlink_to(tmp_path / "victim")
    with pytest.raises(StoreCorruptError, match="symbolic link"):
        Workspace.open(ws)
    assert _sha(ws / "history.sqlite") == before
    assert not (tmp_path / "victim").exists()


def test_read_only_store_refuses_changes(ws: Path) -> None:
    """A workspace opened read-only refuses a change with StoreWriteError, without a lock."""
    (ws / "history.sqlite.lock").unlink(missing_ok=True)
    with Workspace.open(ws, read_only=True) as workspace, pytest.raises(StoreWriteError):
        workspace.record_completion("t", done_on=samples.AS_OF)
    assert not (ws / "history.sqlite.lock").exists()


# --- Wrong answer 19: a healthy read-only workspace ----------------------------------------


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` and everything in it unwritable (``chattr +i`` for root), then undo it."""
    paths = [folder, *sorted(folder.rglob("*"))]
    if os.geteuid() == 0:  # root writes through chmod: make the files immutable instead
        chattr = shutil.which("chattr")
        if chattr is None:  # pragma: no cover - e2fsprogs is part of every test image
            pytest.skip("chattr is needed to make files read-only for root")
        flag = subprocess.run(  # noqa: S603  (chattr on the test's own files)
            [chattr, "+i", *map(str, paths)], check=False, capture_output=True
        )
        if flag.returncode:  # pragma: no cover - a file system without the immutable flag
            pytest.skip("the file system does not support chattr +i")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", *map(str, paths)], check=True)  # noqa: S603
        return
    modes = {path: path.stat().st_mode for path in paths}  # pragma: no cover - not root
    for path in reversed(paths):  # pragma: no cover
        path.chmod(modes[path] & ~0o222)
    try:  # pragma: no cover
        yield
    finally:  # pragma: no cover
        for path in paths:
            path.chmod(modes[path])


def test_healthy_read_only_workspace_can_be_read(ws: Path, tmp_path: Path, capsys: Capture) -> None:
    """``status`` and ``dashboard`` read a read-only workspace (no -shm, no lock needed)."""
    for leftover in ("history.sqlite-wal", "history.sqlite-shm", "history.sqlite.lock"):
        (ws / leftover).unlink(missing_ok=True)
    before = _listing(ws)
    out = tmp_path / "dashboard.html"
    with _read_only(ws):
        capsys.readouterr()
        assert run(["status", str(ws), "--today", TODAY, "--lang", "en"]) in {0, 1}
        said = capsys.readouterr()
        assert said.out.startswith("#"), said.err
        assert run(["dashboard", str(ws), "--today", TODAY, "-o", str(out)]) == 0
        with Workspace.open(ws, read_only=True) as workspace:
            assert workspace.completions()
    assert out.read_text(encoding="utf-8").startswith("<!")
    assert _listing(ws) == before


# --- Crash 13: an empty usage file -----------------------------------------------------------


def test_empty_usage_file_in_update_is_a_clear_error(
    ws: Path, tmp_path: Path, capsys: Capture
) -> None:
    """A 0-byte usage log is exit 2 naming the file, in both languages; the store is unchanged."""
    empty = tmp_path / "usage-empty.csv"
    empty.write_bytes(b"")
    before = _sha(ws / "history.sqlite")
    english = _fails(["update", str(ws), str(empty)], capsys, lang="en")
    japanese = _fails(["update", str(ws), str(empty)], capsys, lang="ja")
    assert str(empty) in english
    assert "empty" in english
    assert "空" in japanese
    assert "Traceback" not in english + japanese
    assert _sha(ws / "history.sqlite") == before


@pytest.mark.parametrize("name", ["usage-zero.csv", "usage-zero.parquet"])
def test_device_as_usage_file_is_refused_without_hanging(
    ws: Path, tmp_path: Path, name: str, capsys: Capture
) -> None:
    """A usage log that is /dev/zero (through a symlink) is exit 2, not an endless read."""
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    assert "not a regular file" in _fails(["update", str(ws), str(link)], capsys, lang="en")


# --- Crash 15: a full disk during update -----------------------------------------------------


def _full_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every store the command opens full: SQLite's own 'database or disk is full'."""
    opened = Store.open.__func__  # type: ignore[attr-defined]

    def open_full(cls: type[Store], /, *args: object, **kwargs: object) -> Store:
        store: Store = opened(cls, *args, **kwargs)
        (pages,) = store.query("PRAGMA page_count")[0]
        store._connection.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_full))


def test_sqlite_disk_full_during_update(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    """SQLite's 'database or disk is full' in update: exit 2, both languages, store unchanged."""
    usage = _usage(tmp_path / "usage-june.csv", ws / "inputs" / "roster.csv", people=2000, weeks=12)
    before = _sha(ws / "history.sqlite")
    _full_store(monkeypatch)
    english = _fails(["update", str(ws), str(usage)], capsys, lang="en")
    japanese = _fails(["update", str(ws), str(usage)], capsys, lang="ja")
    assert "disk is full" in english
    assert "ディスク" in japanese
    assert _sha(ws / "history.sqlite") == before
    monkeypatch.undo()
    with Workspace.open(ws, read_only=True) as workspace:
        assert workspace.store.integrity() == "ok"


def test_store_write_error_from_sqlite(ws: Path, tmp_path: Path) -> None:
    """The library turns a full store into StoreWriteError (an OSError) after rolling back."""
    usage = _usage(tmp_path / "usage-june.csv", ws / "inputs" / "roster.csv", people=2000, weeks=12)
    before = _sha(ws / "history.sqlite")
    with Workspace.open(ws) as workspace:
        (pages,) = workspace.store.query("PRAGMA page_count")[0]
        workspace.store._connection.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreWriteError) as caught:
            workspace_run.update(workspace, [usage])
        assert isinstance(caught.value, OSError)
        assert caught.value.path == str(ws / "history.sqlite")
        assert workspace.history() == Workspace.open(ws, read_only=True).history()
    assert _sha(ws / "history.sqlite") == before


@pytest.mark.parametrize("point", ["copy", "reports", "lock"])
def test_enospc_at_any_point_of_update(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture, point: str
) -> None:
    """ENOSPC while copying an input, writing reports or taking the lock: exit 2, clean message."""
    usage = _usage(tmp_path / "usage-june.csv", ws / "inputs" / "roster.csv")
    answers = tmp_path / "answers.yaml"
    answers.write_text("schema_version: 1\nanswers: []\n", encoding="utf-8")
    store = ws / "history.sqlite"
    before = _sha(store)
    inputs_before = _listing(ws / "inputs")
    real_fsync, real_write = os.fsync, os.write

    def full_fsync(fd: int) -> None:
        name = str(Path(f"/proc/self/fd/{fd}").readlink())
        wanted = "/inputs/" if point == "copy" else "/reports/"
        if wanted in name:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    def full_write(fd: int, data: bytes) -> int:
        if str(Path(f"/proc/self/fd/{fd}").readlink()).endswith(".lock"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    if point == "lock":
        monkeypatch.setattr(os, "write", full_write)
    else:
        monkeypatch.setattr(os, "fsync", full_fsync)
    for lang, words in (("en", "disk is full"), ("ja", "ディスク")):
        said = _fails(["update", str(ws), str(usage), str(answers)], capsys, lang=lang)
        assert words in said
        assert "Traceback" not in said
    monkeypatch.undo()
    if point != "reports":  # the store is written only once the inputs are in
        assert _sha(store) == before
        assert _listing(ws / "inputs") == inputs_before
    assert not list(ws.rglob("*.tmp"))
    with Workspace.open(ws, read_only=True) as workspace:
        assert workspace.store.integrity() == "ok"


# --- Leftovers -------------------------------------------------------------------------------


def _dead_pid() -> int:
    """The process id of a process that has ended."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_update_removes_temp_files_of_killed_saves(ws: Path) -> None:
    """``update`` removes ``.*.tmp`` files whose process is gone, and keeps a live one's."""
    dead = _dead_pid()
    left = [
        ws / "reports" / f".status.md.{dead}.abcd1234.tmp",
        ws / "inputs" / f".roster.csv.{dead}.abcd1234.tmp",
        ws / f".initiative.toml.{dead}.abcd1234.tmp",
    ]
    live = ws / "reports" / f".plan.md.{os.getppid()}.abcd1234.tmp"
    for path in (*left, live):
        path.write_text("half\n", encoding="utf-8")
    assert run(["update", str(ws), "--today", TODAY]) == 0
    assert not [path for path in left if path.exists()]
    assert live.exists()


def test_update_removes_staging_folders_of_killed_ingests(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``bm-ingest-<pid>-*`` folder of a dead process is removed; a live process's is kept."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile  # noqa: PLC0415

    monkeypatch.setattr(tempfile, "tempdir", None)
    dead = tmp_path / f"bm-ingest-{_dead_pid()}-abcd1234"
    live = tmp_path / f"bm-ingest-{os.getppid()}-abcd1234"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "events.parquet").write_bytes(b"x" * 1000)
    usage = _usage(tmp_path / "usage-june.csv", ws / "inputs" / "roster.csv")
    assert run(["update", str(ws), str(usage), "--today", TODAY]) == 0
    assert not dead.exists()
    assert live.exists()
    assert sorted(p.name for p in tmp_path.glob("bm-*")) == [live.name]


# --- Edges of the store checks and the input copies ------------------------------------------


def test_update_copies_a_file_no_report_reads_as_it_is(ws: Path, tmp_path: Path) -> None:
    """A file of a name no loader knows is copied into inputs/ unchanged (bounded and safe)."""
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"\x00 anything \xff\n")
    assert run(["update", str(ws), str(notes), "--today", TODAY]) == 0
    assert (ws / "inputs" / "notes.txt").read_bytes() == notes.read_bytes()


def test_init_never_takes_over_a_foreign_sqlite_file(tmp_path: Path) -> None:
    """Creating a store over an SQLite file of another application is refused, the file kept."""
    path = tmp_path / "history.sqlite"
    path.write_bytes(b"")
    _foreign(path)
    before = _sha(path)
    with pytest.raises(StoreCorruptError, match="application id"):
        Store.open(path, create=True)
    assert _sha(path) == before


def test_unopenable_store_with_a_pending_wal_is_reported(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store SQLite cannot open read-only while a -wal holds data is reported, not guessed at."""
    from backoffice_marketing.workspace import store as store_module  # noqa: PLC0415

    (ws / "history.sqlite-wal").write_bytes(b"pending")
    monkeypatch.setattr(store_module, "_uri", lambda path, _query="": f"file:{path}.no/x?mode=ro")
    with pytest.raises(StoreCorruptError):
        Workspace.open(ws, read_only=True)


def test_follow_symlinks_never_reaches_an_input(ws: Path, capsys: Capture) -> None:
    """``--follow-symlinks`` onto a link in reports/ that names an input is still refused."""
    link = ws / "reports" / "status.md"
    link.unlink(missing_ok=True)
    link.symlink_to(ws / "inputs" / "roster.csv")
    before = _listing(ws)
    args = ["status", str(ws), "--today", TODAY, "--follow-symlinks", "-o", str(link)]
    assert "reports/" in _fails(args, capsys, lang="en")
    assert _listing(ws) == before

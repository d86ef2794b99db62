"""What a killed process leaves behind, and how the next run removes it safely.

A save (:mod:`backoffice_marketing.foundation.io.atomic`) writes a temporary file
``.<target>.<pid>.<random>.tmp`` beside its target; an ingest stages its data in a
temporary folder ``bm-<purpose>-<pid>-<random>``. Both carry the process id of
their owner, so that the next run can tell a leftover from work in progress:

* a leftover is removed when its owner process is gone, or when it is older than
  :data:`STALE_SECONDS` (the process id may have been reused meanwhile);
* a file or folder of a live process, younger than that, is never touched;
* only the current user's entries are removed, and never through a symlink.

On Windows, where a process's liveness is not checked here, the age alone decides.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "STAGING_PREFIX",
    "STALE_SECONDS",
    "process_alive",
    "remove_stale_staging",
    "remove_stale_temps",
    "staging_folder",
    "temp_prefix",
]

#: A leftover this many seconds old is stale even if a process with its id is running.
STALE_SECONDS = 600
#: The prefix of every staging folder in the system's temporary folder.
STAGING_PREFIX = "bm-"
#: A temporary file of a save: ``.<name>.<pid>.<eight letters>.tmp`` (the pid is optional
#: in files written by earlier versions).
_TEMP_FILE = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d{1,10})\.)?[A-Za-z0-9_]{8}\.tmp$")
#: A staging folder: ``bm-<purpose>-<pid>-<random>``.
_STAGING = re.compile(r"^bm-[a-z]+-(?P<pid>\d{1,10})-[A-Za-z0-9_]+$")


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` may still be running (``True`` when it cannot be told)."""
    if pid <= 0 or os.name == "nt":
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def _owned(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def _stale(info: os.stat_result, pid: str | None, now: float) -> bool:
    if now - info.st_mtime > STALE_SECONDS:
        return True
    return pid is not None and not process_alive(int(pid))


def temp_prefix(target: Path) -> str:
    """The prefix of this process's temporary files for ``target`` (``.<name>.<pid>.``)."""
    return f".{target.name}.{os.getpid()}."


def remove_stale_temps(folder: Path, *, name: str | None = None) -> tuple[Path, ...]:
    """Remove the stale temporary files of saves in ``folder`` (of target ``name`` if given)."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    for entry in entries:
        match = _TEMP_FILE.match(entry.name)
        if match is None or (name is not None and match["name"] != name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and _owned(info) and _stale(info, match["pid"], now):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
    return tuple(removed)


def remove_stale_staging(folder: Path | None = None) -> tuple[Path, ...]:
    """Remove the stale staging folders in ``folder`` (the system's temporary folder)."""
    base = Path(folder if folder is not None else tempfile.gettempdir())
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(base))
    except OSError:
        return ()
    for entry in entries:
        match = _STAGING.match(entry.name)
        if match is None:
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode) and _owned(info) and _stale(info, match["pid"], now):
                shutil.rmtree(entry.path)
                removed.append(Path(entry.path))
    return tuple(removed)


@contextlib.contextmanager
def staging_folder(purpose: str) -> Iterator[Path]:
    """A private temporary folder ``bm-<purpose>-<pid>-...``, removed at the end of the block.

    The stale folders of killed processes are removed first.
    """
    remove_stale_staging()
    with tempfile.TemporaryDirectory(prefix=f"{STAGING_PREFIX}{purpose}-{os.getpid()}-") as name:
        yield Path(name)

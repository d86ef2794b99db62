"""The one safe writer: every file the library or the command line writes goes through here.

Rules (see docs/limits.md):

* only a regular file (or a name not yet taken) is written: directories,
  devices, FIFOs and sockets are refused;
* a symlink is refused unless ``follow_symlinks=True``, which writes the file
  it points to and keeps the link;
* a file that is an input of the same command (``protect``, compared by device
  and inode, so hard links and symlinks to an input count) is never replaced;
* a read-only file is refused, also when run as root;
* a file of a workspace is refused except under its ``reports/`` (and its inputs
  for the workspace's own ``init`` and ``update``), and the history store and its
  companions are refused everywhere (:mod:`backoffice_marketing.foundation.io.workspace_files`);
* the data goes to a temporary file in the target's folder, is fsynced and
  moved over the target with ``os.replace``; then the folder is fsynced;
* the temporary file (``.<name>.<pid>.<random>.tmp``) is removed on every failure
  (also ``KeyboardInterrupt``); one left by a save that was killed outright is
  removed by the next save of the same target once its process is gone or it is
  older than :data:`STALE_SECONDS` (:mod:`backoffice_marketing.foundation.io.leftovers`);
* every error is an :class:`~backoffice_marketing.exceptions.UnsafeWriteError`
  naming the target, never the temporary file.

A command can set the rules once for everything it writes with
:func:`write_policy`; explicit keyword arguments add to that policy.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from backoffice_marketing.exceptions import UnsafeWriteError
from backoffice_marketing.foundation.io import workspace_files
from backoffice_marketing.foundation.io.leftovers import (
    STALE_SECONDS,
    remove_stale_temps,
    temp_prefix,
)
from backoffice_marketing.foundation.messages import message as _message

__all__ = [
    "STALE_SECONDS",
    "WritePolicy",
    "write_bytes_atomic",
    "write_policy",
    "write_text_atomic",
]

StrPath = str | os.PathLike[str]


@attrs.frozen
class WritePolicy:
    """The rules of one command: its inputs (never overwritten), symlinks, its own workspace."""

    protect: frozenset[tuple[int, int]] = frozenset()
    follow_symlinks: bool = False
    workspaces: frozenset[Path] = frozenset()


_DEFAULT_POLICY = WritePolicy()
_POLICY: contextvars.ContextVar[WritePolicy] = contextvars.ContextVar(
    "backoffice_marketing_write_policy",
    default=_DEFAULT_POLICY,
)


def _identities(paths: Iterable[StrPath]) -> frozenset[tuple[int, int]]:
    """The (device, inode) of each existing path (symlinks followed)."""
    found: set[tuple[int, int]] = set()
    for path in paths:
        with contextlib.suppress(OSError, ValueError):
            info = os.stat(path)  # noqa: PTH116  (os.stat takes str and PathLike alike)
            found.add((info.st_dev, info.st_ino))
    return frozenset(found)


@contextlib.contextmanager
def write_policy(
    *,
    protect: Iterable[StrPath] = (),
    follow_symlinks: bool = False,
    workspace: StrPath | None = None,
) -> Iterator[WritePolicy]:
    """Within the block, every safe write protects ``protect`` and follows symlinks if asked.

    ``workspace`` is the folder of a workspace whose ``inputs/`` and
    ``initiative.toml`` the block may replace (its ``init`` and ``update``).
    """
    outer = _POLICY.get()
    own = frozenset({Path(os.path.realpath(workspace))}) if workspace is not None else frozenset()
    policy = WritePolicy(
        protect=outer.protect | _identities(protect),
        follow_symlinks=follow_symlinks or outer.follow_symlinks,
        workspaces=outer.workspaces | own,
    )
    token = _POLICY.set(policy)
    try:
        yield policy
    finally:
        _POLICY.reset(token)


def _check_target(
    name: str, target: Path, policy: WritePolicy, *, follow_symlinks: bool
) -> tuple[Path, int | None]:
    """The path to replace (a symlink's target if followed) and the mode to keep."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise UnsafeWriteError(name, "the folder does not exist") from None
        _check_workspace(name, target, policy)
        return target, None
    except OSError as error:
        raise UnsafeWriteError(name, error.strerror or str(error)) from None
    if stat.S_ISLNK(info.st_mode):
        if not follow_symlinks:
            raise UnsafeWriteError(
                name, "it is a symbolic link; pass --follow-symlinks to write the file it names"
            )
        real = Path(os.path.realpath(target))
        return _check_target(name, real, policy, follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise UnsafeWriteError(name, f"it is {kind}")
    if (info.st_dev, info.st_ino) in policy.protect:
        raise UnsafeWriteError(name, "it is an input of this command")
    _check_workspace(name, target, policy)
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise UnsafeWriteError(name, "the file is read-only")
    return target, info.st_mode & 0o7777


def _check_workspace(name: str, target: Path, policy: WritePolicy) -> None:
    """Refuse a file of a workspace outside its ``reports/`` (the rule of ``workspace_files``)."""
    reason = workspace_files.refusal(target, own=policy.workspaces)
    if reason is not None:
        raise UnsafeWriteError(name, reason)


def _reason(error: OSError) -> str:
    """The reason of an operating-system error, in both languages when it is a known one."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return _message("write.disk_full")
    return error.strerror or str(error)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes_atomic(
    path: StrPath,
    data: bytes,
    *,
    follow_symlinks: bool = False,
    protect: Iterable[StrPath] = (),
) -> Path:
    """Write ``data`` to ``path`` by the rules of this module; return the path written."""
    name = os.fspath(path)
    if not name:
        raise UnsafeWriteError(name, "the file name is empty")
    outer = _POLICY.get()
    policy = attrs.evolve(outer, protect=outer.protect | _identities(protect))
    follow = follow_symlinks or policy.follow_symlinks
    target, mode = _check_target(name, Path(name), policy, follow_symlinks=follow)
    directory = target.parent
    remove_stale_temps(directory, name=target.name)
    try:
        import tempfile  # noqa: PLC0415  (only when writing)

        fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=directory)
    except OSError as error:
        raise UnsafeWriteError(name, _reason(error)) from None
    try:
        # mkstemp creates 0600; keep the mode of the file replaced, else the umask's default.
        os.chmod(fd, _default_mode() if mode is None else mode)  # noqa: PTH101  (a descriptor)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Check again just before the rename: the target may have changed meanwhile.
        _check_target(name, target, policy, follow_symlinks=False)
        os.replace(temp_name, target)  # noqa: PTH105  (atomic rename, as documented)
    except BaseException as error:
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        if isinstance(error, OSError) and not isinstance(error, UnsafeWriteError):
            raise UnsafeWriteError(name, _reason(error)) from None
        raise
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return Path(name)


def write_text_atomic(
    path: StrPath,
    text: str,
    *,
    follow_symlinks: bool = False,
    protect: Iterable[StrPath] = (),
) -> Path:
    """Write ``text`` as UTF-8 by the rules of :func:`write_bytes_atomic` (line ends as given)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UnsafeWriteError(
            os.fspath(path), f"the text is not valid Unicode at character {error.start}"
        ) from None
    return write_bytes_atomic(path, data, follow_symlinks=follow_symlinks, protect=protect)

"""Atomic file writes: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def write_bytes_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    follow_symlinks: bool = False,  # noqa: ARG001  (the hardened writer enforces it)
    protect: tuple[str | os.PathLike[str], ...] = (),  # noqa: ARG001
) -> Path:
    """Write ``data`` to ``path`` through a temporary file, fsync and ``os.replace``."""
    target = Path(path)
    directory = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp creates 0600; keep the mode of the file replaced, else the umask's default.
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(fd, mode)  # noqa: PTH101  (a file descriptor, not a path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)  # noqa: PTH105  (atomic rename, as documented)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temp_name).unlink()
        raise
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 atomically (line ends are kept as given)."""
    return write_bytes_atomic(path, text.encode("utf-8"))

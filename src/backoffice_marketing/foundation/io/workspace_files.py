"""The files of a workspace that the safe writer never replaces (docs/workspace.md).

A folder is a workspace when it holds the history store, ``history.sqlite``
(whatever that file is: a damaged or foreign one counts too). Within a
workspace, :func:`refusal` allows a write only to:

* a file under ``reports/``, always;
* a file directly under ``inputs/``, or ``initiative.toml``, when the command is
  the workspace's own ``init`` or ``update`` (``io.atomic.write_policy``
  with ``workspace=``), which validates the new input before copying it.

The store and its companions (``-wal``, ``-shm``, ``-journal``, the lock) are
never written by the safe writer, in a workspace or anywhere else. Paths are
compared after resolving symlinks, so ``reports/../inputs/x`` or a ``reports``
that is a link to ``inputs`` is refused as well.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from backoffice_marketing.foundation.messages import Message
from backoffice_marketing.foundation.messages import message as _message

__all__ = ["STORE_FILES", "STORE_NAME", "find_workspace", "refusal"]

#: The history store, whose presence makes a folder a workspace.
STORE_NAME = "history.sqlite"
#: The store and the files SQLite and the lock keep beside it.
STORE_FILES = frozenset(
    {
        STORE_NAME,
        f"{STORE_NAME}-wal",
        f"{STORE_NAME}-shm",
        f"{STORE_NAME}-journal",
        f"{STORE_NAME}.lock",
    }
)
_INITIATIVE = "initiative.toml"


def find_workspace(folder: Path) -> Path | None:
    """The workspace that ``folder`` (a resolved path) is in or is, else ``None``."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / STORE_NAME):
            return candidate
    return None


def refusal(target: Path, *, own: Iterable[Path] = ()) -> Message | None:
    """Why ``target`` must not be written (``None`` when it may be).

    ``own`` are the resolved folders of workspaces whose inputs the command may
    replace (``init`` and ``update`` of that workspace).
    """
    if target.name in STORE_FILES:
        return _message("write.store_file")
    parent = Path(os.path.realpath(target.parent))
    root = find_workspace(parent)
    if root is None:
        return None
    parts = (parent / target.name).relative_to(root).parts
    if len(parts) >= 2 and parts[0] == "reports":
        return None
    inputs = (len(parts) == 2 and parts[0] == "inputs") or parts == (_INITIATIVE,)
    if inputs and root in set(own):
        return None
    return _message("write.workspace_file", workspace=str(root))

"""The workspace's inputs: each checked by the loader the reports use before it is copied in.

``update ws FILE`` copies a log into ``inputs/`` under its own name. A file
that would not load must never replace a good one, so :func:`checked_bytes`
reads the new file once (through the bounded reader), stages those very bytes
under the target's name in a private folder, and loads them with the same
loader that ``status``, ``dashboard`` and the reports use. Only bytes that
loaded are written over the old file.

The loader is chosen by the file's stem (``roster``, ``answers``,
``questions``, ``hearings``, ``decisions``, ``changes``, ``pulse``, ``reach``,
``initiative``); a file of any other name is read by nothing and is copied as
it is (still through the bounded reader and the safe writer).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from backoffice_marketing import voice
from backoffice_marketing.adoption import read_roster
from backoffice_marketing.diagnosis.initiative import Initiative
from backoffice_marketing.exceptions import BackofficeMarketingError, LoadError, Problem
from backoffice_marketing.foundation.io.bounded import read_bytes_bounded
from backoffice_marketing.foundation.io.leftovers import (
    remove_stale_staging,
    remove_stale_temps,
    staging_folder,
)
from backoffice_marketing.foundation.io.limits import MAX_LOG_BYTES
from backoffice_marketing.foundation.messages import message
from backoffice_marketing.materials.announcements.reach import ReachLog
from backoffice_marketing.voice.decisions import DecisionLog
from backoffice_marketing.voice.loop import ChangeLog
from backoffice_marketing.workspace.outcome import (
    EMAIL_PREFIX,
    TEAMS_PREFIX,
    load_email,
    load_teams,
)

__all__ = ["LOADED_INPUTS", "checked_bytes", "remove_leftovers"]

#: The stems of the inputs that are loaded before they are copied in.
LOADED_INPUTS = (
    "answers",
    "changes",
    "decisions",
    "hearings",
    "initiative",
    "pulse",
    "questions",
    "reach",
    "roster",
)


def _roster(path: Path) -> object:
    """The roster as the usage imports read it; one that lists nobody is refused too."""
    roster = read_roster(str(path))
    if not roster.users:
        raise LoadError([Problem.for_file(path, message("roster.nobody"))])
    return roster


def _loader(stem: str) -> Callable[[Path], object] | None:
    """The loader of an input named ``stem`` (``None``: no report reads it)."""
    loaders: dict[str, Callable[[Path], object]] = {
        "answers": voice.AnswerBook.from_file,
        "changes": ChangeLog.from_file,
        "decisions": DecisionLog.from_file,
        "hearings": voice.HearingLog.from_file,
        "initiative": Initiative.from_file,
        "pulse": voice.PulseLog.from_file,
        "questions": voice.QuestionLog.from_file,
        "reach": ReachLog.from_file,
        "roster": _roster,
    }
    exports = {EMAIL_PREFIX: load_email, TEAMS_PREFIX: load_teams}  # one file per period
    found = next((load for prefix, load in exports.items() if stem.startswith(prefix)), None)
    return loaders.get(stem, found)


def checked_bytes(source: Path, name: str) -> bytes:
    """The bytes of ``source``, once they load as the input ``name`` (a ``LoadError`` if not)."""
    data = read_bytes_bounded(source, limit=MAX_LOG_BYTES, what="log")
    load = _loader(name.split(".", 1)[0].lower())
    if load is None:
        return data
    with staging_folder("update") as folder:
        staged = folder / name
        staged.write_bytes(data)
        try:
            load(staged)
        except LoadError as error:  # name the file the user gave, not the staged copy
            raise LoadError(
                [
                    Problem(
                        str(source) if p.file == str(staged) else p.file,
                        p.line,
                        p.column,
                        p.path,
                        p.message,
                        code=p.code,
                        arguments=p.arguments,
                    )
                    for p in error.problems
                ]
            ) from None
        except BackofficeMarketingError as error:  # missing columns, a format not supported
            text = str(error).removeprefix(f"{staged}: ").replace(str(staged), str(source))
            raise LoadError([Problem.for_file(source, text)]) from None
    return data


def remove_leftovers(folder: Path) -> tuple[Path, ...]:
    """Remove what killed runs left: stale temporary files in the workspace, staging folders."""
    removed = [
        *remove_stale_temps(folder),
        *remove_stale_temps(folder / "inputs"),
        *remove_stale_temps(folder / "reports"),
        *remove_stale_staging(),
    ]
    return tuple(removed)

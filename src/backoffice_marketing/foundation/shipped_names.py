"""The names of the ids in the package's own data files, read straight from the files.

Renderers show a checklist item by its question, a stage by its name, a task
by its title and the bundled initiative by its display name. Those names live
in the shipped data files (``checklist.toml``, ``stages.toml``,
``playbooks/*.toml``, the example initiative); this foundation module reads
them without building checklists, playbooks or initiatives, so that the render
layer needs nothing from the layers above it. The files themselves are
validated where they are loaded for real (:func:`default_checklist`,
:func:`load_playbook`, ...).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from backoffice_marketing.foundation.io.documents import load_package_document
from backoffice_marketing.foundation.text import LocalizedText

__all__ = [
    "EXAMPLE_INITIATIVE",
    "initiative_names",
    "item_questions",
    "shipped_playbooks",
    "stage_names",
    "task_titles",
]

#: The bundled example initiative (see :meth:`Initiative.example`).
EXAMPLE_INITIATIVE = "examples/chat-migration/initiative.toml"


def _entries(name: str, table: str) -> Iterator[dict[str, Any]]:
    """The entries of the array of tables ``table`` in the shipped data file ``name``."""
    data: Any = load_package_document(name).data  # a shipped file, validated by its own loader
    yield from data.get(table, ())


def _text(value: Mapping[str, str]) -> LocalizedText:
    return LocalizedText(ja=value["ja"], en=value["en"])


def shipped_playbooks() -> tuple[str, ...]:
    """The names of the built-in playbooks, sorted."""
    folder = resources.files("backoffice_marketing.data").joinpath("playbooks")
    return tuple(
        sorted(Path(entry.name).stem for entry in folder.iterdir() if entry.name.endswith(".toml"))
    )


@functools.cache
def item_questions() -> Mapping[str, LocalizedText]:
    """Each shipped checklist item's question, by item id."""
    return {entry["id"]: _text(entry["question"]) for entry in _entries("checklist.toml", "items")}


@functools.cache
def stage_names() -> Mapping[str, LocalizedText]:
    """Each stage's name: the stage catalogue's, then the built-in playbooks' own stages."""
    names = {entry["id"]: _text(entry["name"]) for entry in _entries("stages.toml", "stages")}
    for playbook in shipped_playbooks():
        for entry in _entries(f"playbooks/{playbook}.toml", "stages"):
            if "name" in entry:
                names.setdefault(entry["id"], _text(entry["name"]))
    return names


@functools.cache
def task_titles(playbook: str | None) -> Mapping[str, LocalizedText]:
    """Task titles of the built-in ``playbook`` first, then of every other built-in playbook."""
    known = shipped_playbooks()
    order = ([playbook] if playbook in known else []) + [p for p in known if p != playbook]
    titles: dict[str, LocalizedText] = {}
    for name in order:
        for entry in _entries(f"playbooks/{name}.toml", "tasks"):
            titles.setdefault(entry["id"], _text(entry["title"]))
    return titles


@functools.cache
def initiative_names() -> Mapping[str, LocalizedText]:
    """The bundled initiative's display name, by its id."""
    data: Any = load_package_document(EXAMPLE_INITIATIVE).data
    return {data["id"]: _text(data["name"])}

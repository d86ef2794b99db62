"""Human names for the ids the reports mention: items, stages, tasks, sources, initiatives.

The rendered outputs show a checklist item by its question, a stage or a task
by its name, an evidence source and a country by a label, and an initiative by
its display name. Ids stay ids in JSON; in Markdown and HTML they appear at most
in a small code tag next to the name. An id these tables do not know (a user's
own playbook task, a new producer) is shown as it is, never dropped.
"""

from __future__ import annotations

from backoffice_marketing.foundation.shipped_names import (
    initiative_names,
    item_questions,
    stage_names,
    task_titles,
)
from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.render.labels import label

__all__ = ["Names", "base_task_id"]


def base_task_id(task_id: str) -> str:
    """The playbook task of a planned task id (without ``#round`` and ``@department``)."""
    return task_id.split("@", 1)[0].split("#", 1)[0]


def _label_or(key: str, fallback: str, lang: Lang) -> str:
    try:
        return label(key, lang)
    except KeyError:
        return fallback


class Names:
    """The names of ids in one language (see the module docstring)."""

    def __init__(self, lang: Lang, *, playbook: str | None = None) -> None:
        self.lang = check_lang(lang)
        self.playbook = playbook

    def item(self, item_id: str) -> str:
        """A checklist item's question."""
        text = item_questions().get(item_id)
        return text.get(self.lang) if text is not None else item_id

    def stage(self, stage_id: str | None) -> str:
        """A stage's name (``—`` for none)."""
        if stage_id is None:
            return "—"
        text = stage_names().get(stage_id)
        return text.get(self.lang) if text is not None else stage_id

    def task(self, task_id: str) -> str:
        """A playbook task's title; a planned task keeps its round and department."""
        base = base_task_id(task_id)
        text = task_titles(self.playbook).get(base)
        if text is None:
            return task_id
        title = text.get(self.lang)
        department = task_id.split("@", 1)[1] if "@" in task_id else None
        round_number = task_id.split("#", 1)[1].split("@", 1)[0] if "#" in task_id else None
        details = []
        if round_number is not None:
            details.append(label("plan_round_number", self.lang) % int(round_number))
        if department is not None:
            details.append(department)
        if not details:
            return title
        return f"{title} ({(', ' if self.lang == 'en' else '、').join(details)})"

    def tasks(self, task_ids: tuple[str, ...] | list[str]) -> str:
        """Several task titles in one line (``—`` for none)."""
        if not task_ids:
            return "—"
        separator = "; " if self.lang == "en" else "/"
        return separator.join(self.task(task_id) for task_id in task_ids)

    def source(self, source: str) -> str:
        """An evidence source's label (``手動回答`` for ``manual``, ...)."""
        return _label_or(f"source_{source.replace('-', '_')}", source, self.lang)

    def country(self, code: str) -> str:
        """A holiday calendar's country (``日本`` for ``JP``)."""
        return _label_or(f"country_{code.lower()}", code, self.lang)

    def initiative(self, initiative_id: str) -> str:
        """A bundled initiative's display name; any other initiative by its id."""
        text = initiative_names().get(initiative_id)
        return text.get(self.lang) if text is not None else initiative_id

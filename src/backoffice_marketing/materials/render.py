"""Reviews as JSON, Markdown and HTML.

Markdown and HTML go through the shipped templates ``materials_review.*.j2``
and ``materials_announcements.*.j2``: HTML is autoescaped, Markdown escapes
every quoted text, message and department name with the ``md`` and ``cell``
filters. JSON follows ``schemas/materials_review.schema.json`` and
``schemas/materials_announcements.schema.json``; person ids from a reach log
never appear in any output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from backoffice_marketing.core.privacy import OTHER_GROUP
from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.materials.announcements.channels import Channel
from backoffice_marketing.render.environment import render
from backoffice_marketing.render.labels import label

if TYPE_CHECKING:
    from backoffice_marketing.materials.announcements.review import (
        AnnouncementReview,
        PlanFinding,
    )
    from backoffice_marketing.materials.review import Review

__all__ = ["render_announcements", "render_review"]


def render_review(review: Review, lang: Lang, kind: Literal["md", "html"]) -> str:
    """A materials review rendered with its template."""
    return render(f"materials_review.{kind}.j2", check_lang(lang), review=review)


def render_announcements(
    review: AnnouncementReview, lang: Lang, kind: Literal["md", "html"]
) -> str:
    """An announcement review rendered with its template."""
    checked = check_lang(lang)
    labels = {department.id: department.label for department in review.plan.departments}

    def group_label(group: str) -> str:
        if group == OTHER_GROUP:
            return label("materials_other_group", checked)
        return labels.get(group, group)

    def where(finding: PlanFinding) -> str:
        parts: list[str] = []
        if finding.department is not None:
            parts.append(group_label(finding.department))
        if finding.on is not None:
            parts.append(finding.on.isoformat())
        if finding.line is not None:
            parts.append(f"{label('materials_log_line', checked)} {finding.line}")
        return " / ".join(parts) or label("materials_plan_level", checked)

    return render(
        f"materials_announcements.{kind}.j2",
        checked,
        review=review,
        channels=tuple(Channel),
        group_label=group_label,
        where=where,
    )

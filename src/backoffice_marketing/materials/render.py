"""Reviews as JSON, Markdown and HTML.

Markdown and HTML go through the shipped templates ``materials_review.*.j2``
and ``materials_announcements.*.j2``: HTML is autoescaped, Markdown escapes
every quoted text, message and department name with the ``md`` and ``cell``
filters. JSON follows ``schemas/materials_review.schema.json`` and
``schemas/materials_announcements.schema.json``; person ids from a reach log
never appear in any output.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal

from backoffice_marketing.materials.announcements import Channel, PlanFinding
from backoffice_marketing.privacy import OTHER_GROUP
from backoffice_marketing.render.environment import render
from backoffice_marketing.render.labels import label
from backoffice_marketing.text import Lang, check_lang

if TYPE_CHECKING:
    from backoffice_marketing.materials.announcements import AnnouncementReview
    from backoffice_marketing.materials.review import Review

__all__ = ["announcement_data", "render_announcements", "render_review", "review_data", "to_json"]

SCHEMA_VERSION = 1


def to_json(data: dict[str, object]) -> str:
    """Plain data as deterministic JSON text."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def review_data(review: Review) -> dict[str, object]:
    """A materials review as plain data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "materials-review",
        "source": review.source,
        "format": review.format,
        "lang": review.lang,
        "score": review.score,
        "parts": {
            "style": review.parts.style,
            "reader": review.parts.reader,
            "readability": review.parts.readability,
        },
        "stats": {
            "sentences": review.sentences,
            "characters": review.characters,
            "words": review.words,
        },
        "readability": review.readability.to_data(),
        "reader_checks": [check.to_data() for check in review.reader_checks],
        "findings": [finding.to_data() for finding in review.findings],
    }


def render_review(review: Review, lang: Lang, kind: Literal["md", "html"]) -> str:
    """A materials review rendered with its template."""
    return render(f"materials_review.{kind}.j2", check_lang(lang), review=review)


def announcement_data(review: AnnouncementReview) -> dict[str, object]:
    """An announcement review as plain data (no person ids)."""
    plan = review.plan
    data: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "announcement-review",
        "launch": plan.launch.isoformat(),
        "settings": {
            "min_channels": plan.min_channels,
            "min_touches": plan.min_touches,
            "min_lead_business_days": plan.min_lead_business_days,
            "reach_target": plan.reach_target,
            "acknowledgement_target": plan.acknowledgement_target,
        },
        "coverage": [
            {
                "department": entry.department,
                "label": entry.label,
                "channels": [channel.value for channel in entry.channels],
                "touches": entry.touches,
                "first_message": entry.first_message.isoformat() if entry.first_message else None,
                "lead_business_days": entry.lead_business_days,
                "second_call": entry.second_call,
                "briefing": entry.briefing,
                "two_channels": entry.two_channels,
                "repeated": entry.repeated,
                "enough_lead": entry.enough_lead,
            }
            for entry in review.coverage
        ],
        "findings": [finding.to_data() for finding in review.findings],
    }
    if plan.name is not None:
        data["name"] = plan.name
    if review.reach is not None:
        data["reach"] = {
            "source": review.log_source,
            "groups": [
                {
                    "group": group.group,
                    "members": list(group.members),
                    "headcount": group.headcount,
                    "reached": group.reached,
                    "acknowledged": group.acknowledged,
                    "reach_rate": round(group.reach_rate, 4),
                    "acknowledgement_rate": round(group.acknowledgement_rate, 4),
                }
                for group in review.reach
            ],
            "suppressed": [
                {
                    "group": item.group,
                    "into": item.into,
                    "reason": {"ja": item.reason.ja, "en": item.reason.en},
                }
                for item in review.suppressed
            ],
        }
    return data


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

"""What a gap report may publish: the privacy floor applied to assessments before any figure.

Three rules (docs/privacy.md):

* a department assessment whose department is withheld by
  :func:`~backoffice_marketing.core.privacy.roll_up` enters no figure, the company's
  included, so that a report with it and one without it are the same;
* the company's figures are withheld when the people behind them are fewer
  than the floor: the company scope's headcount when given, else the people
  of the published departments (an assessment with no headcount anywhere is a
  planner's judgement, not a figure about people, and is published);
* free-text notes of an assessment whose group is under the text floor
  (10 people, or the figure floor when higher) are removed before anything
  quotes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from backoffice_marketing.core.assessment import Assessment
from backoffice_marketing.core.checklist import Answer
from backoffice_marketing.core.privacy import Group, roll_up
from backoffice_marketing.exceptions import GapReportError
from backoffice_marketing.foundation.defaults import MIN_TEXT_GROUP_SIZE

__all__ = ["GapPrivacy", "gap_privacy"]


@attrs.frozen
class GapPrivacy:
    """The assessments a gap report may compute from, and whether its company figures show."""

    assessments: tuple[Assessment, ...]
    company_withheld: bool


def _without_notes(assessment: Assessment) -> Assessment:
    answers: list[Answer] = [
        attrs.evolve(answer, evidence=attrs.evolve(answer.evidence, note=None))
        if answer.evidence.note is not None
        else answer
        for answer in assessment.answers
    ]
    return attrs.evolve(assessment, answers=tuple(answers))


def gap_privacy(assessments: Sequence[Assessment], min_group_size: int) -> GapPrivacy:
    """Apply the floor of ``min_group_size`` (figures) and the text floor to ``assessments``."""
    text_floor = max(MIN_TEXT_GROUP_SIZE, min_group_size)
    departments = [a for a in assessments if a.scope.department is not None]
    names = [a.scope.department for a in departments]
    for name in names:
        if names.count(name) > 1:
            raise GapReportError(f"two assessments for department {name!r}")
    rolled = roll_up(
        (
            Group(a.scope.department or "", a.scope.headcount or 0, a.scope.parent)
            for a in departments
        ),
        min_group_size=min_group_size,
    )
    published = set(rolled.assignment)
    published_people = sum(group.size for group in rolled.published)
    company = [a for a in assessments if a.scope.department is None]
    company_size = next(
        (a.scope.headcount for a in company if a.scope.headcount is not None),
        published_people if departments else None,
    )
    kept: list[Assessment] = []
    for assessment in assessments:
        department = assessment.scope.department
        if department is not None and department not in published:
            continue
        size = assessment.scope.headcount if department is not None else company_size
        kept.append(
            _without_notes(assessment) if size is not None and size < text_floor else assessment
        )
    withheld = company_size is not None and company_size < min_group_size
    return GapPrivacy(tuple(kept), withheld or not kept)

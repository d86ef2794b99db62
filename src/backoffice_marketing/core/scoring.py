"""Scores per failure mode, from weighted answers.

For each failure mode the score is the weighted mean of the values of the
answered, applicable items::

    score = sum(weight * value) / sum(weight)

with ``value`` 1 for ``done``, 0.5 for ``partial`` (or the answer's own score)
and 0 for ``not_done``. Items answered ``not_applicable`` leave both sums.
Unanswered items are never counted as zero: they are listed as unanswered and
lower the ``coverage`` instead. A failure mode with no answered, applicable
item has no score (``None``), not a score of zero.

An assessment's scores (:class:`~backoffice_marketing.core.assessment.AssessmentScore`)
live with the assessment: ``assessment.score(checklist)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from backoffice_marketing.core.checklist import Answer, AnswerLevel, Checklist
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.exceptions import UnknownItemError

__all__ = ["FailureModeScore", "failure_mode_scores"]


@attrs.frozen
class FailureModeScore:
    """The score of one failure mode and the items behind it."""

    failure_mode: FailureMode
    score: float | None
    answered: tuple[str, ...]
    unanswered: tuple[str, ...]
    not_applicable: tuple[str, ...]
    answered_weight: float
    applicable_weight: float

    @property
    def coverage(self) -> float:
        """The share of the applicable weight that has an answer, in [0, 1]."""
        if self.applicable_weight == 0:
            return 0.0
        return self.answered_weight / self.applicable_weight


def failure_mode_scores(
    answers: Iterable[Answer], answer_of: Callable[[str], Answer | None], checklist: Checklist
) -> tuple[FailureModeScore, ...]:
    """The score of every failure mode, from ``answers`` (``answer_of`` finds an item's one).

    Raises :class:`UnknownItemError` for the first answer whose item is not in
    the checklist (a typo would otherwise silently leave the item unanswered).
    """
    for given in answers:
        if given.item not in checklist:
            raise UnknownItemError(given.item, known=checklist.ids)
    results = []
    for mode in FailureMode:
        answered: list[str] = []
        unanswered: list[str] = []
        not_applicable: list[str] = []
        weighted = 0.0
        answered_weight = 0.0
        unanswered_weight = 0.0
        for item in checklist:
            if item.failure_mode is not mode:
                continue
            answer = answer_of(item.id)
            if answer is None:
                unanswered.append(item.id)
                unanswered_weight += item.weight
            elif answer.level is AnswerLevel.NOT_APPLICABLE:
                not_applicable.append(item.id)
            else:
                answered.append(item.id)
                answered_weight += item.weight
                weighted += item.weight * (answer.value or 0.0)
        score = min(1.0, max(0.0, weighted / answered_weight)) if answered_weight else None
        results.append(
            FailureModeScore(
                mode,
                score,
                tuple(answered),
                tuple(unanswered),
                tuple(not_applicable),
                answered_weight,
                answered_weight + unanswered_weight,
            )
        )
    return tuple(results)

"""Laggards: departments that need a visit, each flag with its reasons.

``laggards`` is a view of the one classification of
:mod:`backoffice_marketing.adoption.classification`: the departments that
are lagging or have not started in the chosen period (the latest by
default). The cut-over advice, the charts and the gap report read the same
classification, so they never disagree about a department. The rule is
relative (a margin on the logit scale below the company median, or behind
the department's own curve): a department at half the company median is
flagged whether the median is 90 % or 5 %.
"""

from __future__ import annotations

from typing import Any

import attrs

from backoffice_marketing.adoption.classification import (
    LOGIT_MARGIN,
    Classification,
    Reason,
    Standing,
    classify,
)
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET
from backoffice_marketing.foundation.text import LocalizedText

__all__ = [
    "Laggard",
    "LaggardReason",
    "Laggards",
    "laggards",
    "laggards_from",
]

#: Why a department is flagged (the reasons of the classification).
LaggardReason = Reason


@attrs.frozen
class Laggard:
    """A flagged department in ``period``, with ``rate``, its standing and every reason."""

    department: str
    period: str
    rate: float
    reasons: tuple[Reason, ...]
    explanation: LocalizedText
    standing: Standing = Standing.LAGGING


class Laggards(tuple[Laggard, ...]):
    """The flagged departments: a tuple that a notebook shows as a table."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415
        from backoffice_marketing.render.labels import label  # noqa: PLC0415
        from backoffice_marketing.render.notebook import table_html  # noqa: PLC0415

        lang = resolve_lang(None)
        keys = ("adoption_department", "adoption_rate", "adoption_period", "ws_reason")
        headers = [label(key, lang) for key in keys]
        return table_html(
            headers,
            (
                (
                    item.department,
                    f"{item.rate:.0%}",
                    item.period,
                    item.explanation.get(lang),
                )
                for item in self
            ),
            numeric=(1,),
        )


def laggards_from(classification: Classification) -> Laggards:
    """The lagging and not-started departments of ``classification``, lowest rate first."""
    return Laggards(
        Laggard(
            entry.department,
            entry.period,
            entry.rate,
            entry.reasons,
            entry.explanation,
            entry.standing,
        )
        for entry in classification.needing_visit
    )


def laggards(
    rates: Any,
    *,
    target: float = ADOPTION_TARGET,
    period: str | None = None,
    margin: float = LOGIT_MARGIN,
    curve: bool = True,
    department: str = "department",
    period_column: str = "period",
    rate: str = "rate",
) -> Laggards:
    """Flag the departments that lag in ``period`` (the latest by default).

    See :func:`~backoffice_marketing.adoption.classification.classify` for
    the rule. Sorted by rate, then department.
    """
    return laggards_from(
        classify(
            rates,
            target=target,
            period=period,
            margin=margin,
            curve=curve,
            department=department,
            period_column=period_column,
            rate=rate,
        )
    )

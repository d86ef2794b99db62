"""Laggards: departments that need a visit, each flag with its reasons.

``laggards`` screens any frame with ``department``, ``period`` and ``rate``
columns (the output of :func:`~backoffice_marketing.adoption.adoption_rates`,
or figures from elsewhere) in its latest period, for three reasons: below an
absolute target; below the company median by a robust margin (a multiple of
the median absolute deviation, never less than ``min_margin``); behind the
department's own diffusion curve fitted on the earlier periods.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Sequence
from typing import Any

import attrs

from backoffice_marketing.adoption.frames import collect, narwhals, require_columns, to_frame
from backoffice_marketing.text import Lang, LocalizedText

__all__ = ["Laggard", "LaggardReason", "laggards", "laggards_markdown"]


class LaggardReason(enum.StrEnum):
    """Why a department is flagged."""

    BELOW_TARGET = "below_target"
    BELOW_MEDIAN = "below_median"
    BEHIND_CURVE = "behind_curve"


@attrs.frozen
class Laggard:
    """A flagged department in ``period``, with ``rate`` and every reason that applies."""

    department: str
    period: str
    rate: float
    reasons: tuple[LaggardReason, ...]
    explanation: LocalizedText


def _explain(reasons: Sequence[tuple[LaggardReason, float]], rate: float) -> LocalizedText:
    ja: list[str] = []
    en: list[str] = []
    for reason, bar in reasons:
        if reason is LaggardReason.BELOW_TARGET:
            ja.append(f"利用率{rate:.0%}が目標{bar:.0%}に届いていません")
            en.append(f"the rate {rate:.0%} is under the target {bar:.0%}")
        elif reason is LaggardReason.BELOW_MEDIAN:
            ja.append(f"全社の中央値から大きく下回っています(基準{bar:.0%})")
            en.append(f"it is well under the company median (threshold {bar:.0%})")
        else:
            ja.append(f"これまでの伸びから見込まれる{bar:.0%}を下回っています")
            en.append(f"it is under the {bar:.0%} its own trend predicted")
    return LocalizedText(ja="。".join(ja) + "。", en="; ".join(en).capitalize() + ".")


def _behind_curve(history: Sequence[float], latest: float, margin: float) -> float | None:
    """The department's own forecast for the latest period, if the rate is ``margin`` below it."""
    from backoffice_marketing.adoption.diffusion import (  # noqa: PLC0415
        DiffusionFitError,
        fit_bass,
    )

    if len(history) < 4:
        return None
    running = []
    best = 0.0
    for value in history:
        best = max(best, value)
        running.append(best)
    try:
        fit = fit_bass(list(range(1, len(running) + 1)), running)
    except DiffusionFitError:
        return None
    expected = fit.predict(len(running) + 1)
    return expected if fit.r2 >= 0.8 and latest < expected - margin else None


def laggards(
    rates: Any,
    *,
    target: float | None = None,
    period: str | None = None,
    mad_multiple: float = 2.0,
    min_margin: float = 0.1,
    curve: bool = True,
    department: str = "department",
    period_column: str = "period",
    rate: str = "rate",
) -> tuple[Laggard, ...]:
    """Flag the departments that lag in ``period`` (the latest by default).

    A department is flagged when its rate is below ``target`` (if given),
    below the median of all departments by more than
    ``max(min_margin, mad_multiple * MAD)``, or (with ``curve``) below what
    its own Bass curve over the earlier periods predicts by that margin.
    Sorted by rate, then department.
    """
    nw = narwhals()
    frame = to_frame(rates, what="rates")
    require_columns(frame, [department, period_column, rate], what="<rates>")
    if "suppressed" in frame.collect_schema():  # privacy: a withheld row is never flagged
        frame = frame.filter(~nw.col("suppressed").fill_null(value=True).cast(nw.Boolean()))
    data = collect(
        frame.select(
            nw.col(department).cast(nw.String),
            nw.col(period_column).cast(nw.String),
            nw.col(rate).cast(nw.Float64),
        )
    )
    rows = [
        (str(d), str(p), float(r))
        for d, p, r in data.rows()
        if d is not None and p is not None and r is not None and not math.isnan(r)
    ]
    if target is not None and not 0 <= target <= 1:
        raise ValueError(f"target must be in [0, 1]; found {target!r}")
    if not rows:
        return ()
    periods = sorted({p for _, p, _ in rows})
    chosen = period if period is not None else periods[-1]
    if chosen not in periods:
        raise KeyError(f"period {chosen!r} is not in the rates; found {periods[0]}..{periods[-1]}")
    history: dict[str, list[tuple[str, float]]] = {}
    for d, p, r in rows:
        history.setdefault(d, []).append((p, min(max(r, 0.0), 1.0)))
    current = {d: dict(values)[chosen] for d, values in history.items() if chosen in dict(values)}
    median = statistics.median(current.values())
    mad = statistics.median(abs(value - median) for value in current.values())
    margin = max(min_margin, mad_multiple * mad)
    flagged: list[Laggard] = []
    for name in sorted(current):
        value = current[name]
        reasons: list[tuple[LaggardReason, float]] = []
        if target is not None and value < target:
            reasons.append((LaggardReason.BELOW_TARGET, target))
        if value < median - margin:
            reasons.append((LaggardReason.BELOW_MEDIAN, median - margin))
        if curve:
            earlier = [v for p, v in sorted(history[name]) if p < chosen]
            expected = _behind_curve(earlier, value, margin)
            if expected is not None:
                reasons.append((LaggardReason.BEHIND_CURVE, expected))
        if reasons:
            flagged.append(
                Laggard(
                    name,
                    chosen,
                    value,
                    tuple(reason for reason, _ in reasons),
                    _explain(reasons, value),
                )
            )
    return tuple(sorted(flagged, key=lambda lag: (lag.rate, lag.department)))


def laggards_markdown(flags: Sequence[Laggard], *, lang: Lang = "ja") -> str:
    """The flagged departments as a Markdown table with the reasons (names escaped)."""
    from backoffice_marketing.render.environment import render  # noqa: PLC0415

    period = flags[0].period if flags else None
    return render("adoption_laggards.md.j2", lang, flags=tuple(flags), period=period)

"""One classification of the departments per period: on track, lagging, not started.

Laggards, the cut-over advice, the charts and the gap report all read this
one classification, so no two outputs of one run can disagree about a
department.

The rule (documented in ``docs/adoption.md``), for the chosen period:

* **not started**: nobody in the department has used the new way in this
  period or any earlier one;
* **lagging**, with every reason that applies:

  - *below the company*: the department's odds of using the new way are
    less than ``e^-margin`` times the odds of the company median, that is
    ``logit(rate) < logit(median) - margin`` with :data:`LOGIT_MARGIN`
    (0.5). On the logit scale a department at half the median always
    differs by more than ``ln 2`` (about 0.69), so it is flagged whether
    the median is 90 % or 5 %: the flag depends on the relative position,
    not on the level of adoption;
  - *behind its own curve*: a Bass curve fitted on the department's earlier
    periods (at least four, with ``r2 >= CURVE_MIN_R2``) predicts a share
    whose logit exceeds the department's by more than the margin;

* **on track** otherwise (at the target, or moving with the company).

When the rates come with headcounts (``classify`` reads the ``headcount``
column), the rule separates signal from noise instead (see
:func:`classify_rows` and ``docs/adoption.md``): a department lags only when
its shortfall holds in each of the last :data:`PERSIST` periods, the Wilson
interval of its pooled rate lies wholly below the bar, and (against the
company) its robust z-score on the logit scale is under ``-ROBUST_Z``.

The median is taken on the logit scale. Rates are clipped to
``[RATE_FLOOR, 1 - RATE_FLOOR]`` before the logit, so 0 and 1 stay finite.
Departments are taken from published rows only (suppressed rows and the
"other" group are left out; ``merges`` says who was folded where).
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import attrs

from backoffice_marketing.core.departments import company_order
from backoffice_marketing.core.privacy import OTHER_GROUP, Suppression, merge_notes
from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import DiffusionFitError
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET
from backoffice_marketing.foundation.text import Lang, LocalizedText

__all__ = [
    "CURVE_MIN_R2",
    "LOGIT_MARGIN",
    "MIN_SPREAD",
    "PERSIST",
    "RATE_FLOOR",
    "ROBUST_Z",
    "WILSON_Z",
    "Classification",
    "DepartmentStanding",
    "Reason",
    "Standing",
    "classify",
    "classify_rows",
    "logit",
    "members_of",
    "merge_notes",
    "wilson_interval",
]

#: The gap on the logit scale below the company median at which a department lags
#: (``ln 2``: its odds of using the new way are under half the median's).
LOGIT_MARGIN = math.log(2.0)
#: Rates are clipped to [RATE_FLOOR, 1 - RATE_FLOOR] before taking the logit.
RATE_FLOOR = 1e-4
#: A department's own curve is trusted only when it explains this share of the variance.
CURVE_MIN_R2 = 0.8
#: Fewest earlier periods a department's own curve is fitted to.
_CURVE_POINTS = 4
#: Periods in a row a shortfall must hold (with headcounts) before a department is flagged.
PERSIST = 4
#: The normal quantile of the Wilson interval on each pooled rate (95 %).
WILSON_Z = 1.96
#: Robust z-score (median and MAD of the departments' logits) under which a department lags.
ROBUST_Z = 2.5
#: The smallest spread (logit units) the robust z-score divides by, so that a company
#: whose departments are all alike does not flag tiny differences.
MIN_SPREAD = 0.2


class Standing(enum.StrEnum):
    """Where a department stands in a period."""

    ON_TRACK = "on_track"
    LAGGING = "lagging"
    NOT_STARTED = "not_started"


class Reason(enum.StrEnum):
    """Why a department stands where it does."""

    AT_TARGET = "at_target"
    WITH_COMPANY = "with_company"
    NOT_STARTED = "not_started"
    BELOW_MEDIAN = "below_median"
    BEHIND_CURVE = "behind_curve"
    BELOW_TARGET = "below_target"


def logit(rate: float) -> float:
    """The log-odds of ``rate``, clipped to ``[RATE_FLOOR, 1 - RATE_FLOOR]`` first."""
    clipped = min(max(rate, RATE_FLOOR), 1.0 - RATE_FLOOR)
    return math.log(clipped / (1.0 - clipped))


def _inverse_logit(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def wilson_interval(rate: float, size: float, *, z: float = WILSON_Z) -> tuple[float, float]:
    """The Wilson score interval of a share ``rate`` observed among ``size`` people.

    ``size`` 0 gives ``(0, 1)``: nothing is known.
    """
    if size <= 0:
        return 0.0, 1.0
    p = min(max(rate, 0.0), 1.0)
    denominator = 1.0 + z * z / size
    centre = (p + z * z / (2 * size)) / denominator
    half = z * math.sqrt(p * (1 - p) / size + z * z / (4 * size * size)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@attrs.frozen
class DepartmentStanding:
    """One department in one period: its rate, standing, reasons and their explanation."""

    department: str
    period: str
    rate: float
    standing: Standing
    reasons: tuple[Reason, ...]
    explanation: LocalizedText
    expected: float | None = None

    @property
    def needs_visit(self) -> bool:
        """Whether the department is lagging or has not started."""
        return self.standing is not Standing.ON_TRACK


@attrs.frozen
class Classification(Report):
    """Every published department of one period, classified by one rule.

    ``threshold`` is the rate under which a department is below the company
    (``median`` moved down by ``margin`` on the logit scale); ``merges``
    lists the groups folded into others for privacy, with the reason.
    """

    report_kind: ClassVar[str] = "classification"

    def _markdown(self, lang: Lang) -> str:
        """The departments to visit and why (the laggards table), with the merges stated."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        flags = self.needing_visit
        return render(
            "adoption_laggards.md.j2",
            lang,
            flags=flags,
            period=flags[0].period if flags else None,
            merges=merge_notes(self.merges),
            # No department measured at all (a header-only log): say so, not "none lagging".
            no_data=not self.departments,
        )

    period: str | None
    target: float
    median: float | None
    margin: float
    threshold: float | None
    departments: tuple[DepartmentStanding, ...]
    merges: tuple[Suppression, ...] = ()

    def __getitem__(self, department: str) -> DepartmentStanding:
        for entry in self.departments:
            if entry.department == department:
                return entry
        raise KeyError(department)

    def __contains__(self, department: object) -> bool:
        return any(entry.department == department for entry in self.departments)

    @property
    def needing_visit(self) -> tuple[DepartmentStanding, ...]:
        """The lagging and not-started departments, lowest rate first."""
        return tuple(
            sorted(
                (entry for entry in self.departments if entry.needs_visit),
                key=lambda entry: (entry.rate, entry.department),
            )
        )

    def with_merges(self, merges: Iterable[Suppression]) -> Classification:
        """The same classification, stating ``merges`` too (after its own)."""
        extra = tuple(merges)
        return attrs.evolve(self, merges=(*self.merges, *extra)) if extra else self

    def standing_of(self, department: str) -> Standing:
        """The standing of ``department``."""
        return self[department].standing


def _explain(
    reasons: Sequence[tuple[Reason, float]],
    rate: float,
    target: float,
) -> LocalizedText:
    ja: list[str] = []
    en: list[str] = []
    for reason, bar in reasons:
        if reason is Reason.NOT_STARTED:
            ja.append("まだ誰も使い始めていません")
            en.append("nobody has started yet")
        elif reason is Reason.BELOW_MEDIAN:
            ja.append(f"利用率{rate:.0%}が全社の水準から大きく離れています(基準{bar:.0%})")
            en.append(f"the rate {rate:.0%} is well behind the company (threshold {bar:.0%})")
        elif reason is Reason.BELOW_TARGET:
            ja.append(f"目標{target:.0%}を続けて下回っています(区間の上限{bar:.0%})")
            en.append(f"it has stayed under the target {target:.0%} (interval up to {bar:.0%})")
        elif reason is Reason.BEHIND_CURVE:
            ja.append(f"これまでの伸びから見込まれる{bar:.0%}を下回っています")
            en.append(f"it is under the {bar:.0%} its own trend predicted")
        elif reason is Reason.AT_TARGET:
            ja.append(f"目標{target:.0%}に届いています")
            en.append(f"it has reached the target {target:.0%}")
        else:
            points = round((target - rate) * 100)
            ja.append(f"全社と同じペースで進んでいます(目標{target:.0%}まであと{points}ポイント)")
            en.append(
                f"it moves with the company ({points} points to go to the target {target:.0%})"
            )
    return LocalizedText(ja="。".join(ja) + "。", en="; ".join(en).capitalize() + ".")


def _expected_from_curve(history: Sequence[float]) -> float | None:
    """The department's own forecast for the next period from its earlier ones, if trusted."""
    from backoffice_marketing.adoption.curves import fit_bass  # noqa: PLC0415  (numpy, scipy)

    if len(history) < _CURVE_POINTS:
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
    return fit.predict(len(running) + 1) if fit.r2 >= CURVE_MIN_R2 else None


def _stand(
    name: str,
    period: str,
    rate: float,
    earlier: Sequence[float],
    *,
    target: float,
    floor: float,
    threshold: float,
    margin: float,
    curve: bool,
) -> DepartmentStanding:
    """One department's standing in ``period`` by the rule of the module docstring."""
    reasons: list[tuple[Reason, float]] = []
    expected: float | None = None
    if rate <= 0.0 and all(value <= 0.0 for value in earlier):
        standing = Standing.NOT_STARTED
        reasons.append((Reason.NOT_STARTED, 0.0))
    else:
        if rate < target and logit(rate) < floor:
            reasons.append((Reason.BELOW_MEDIAN, threshold))
        if curve and rate < target:
            expected = _expected_from_curve(earlier)
            if expected is not None and logit(rate) < logit(expected) - margin:
                reasons.append((Reason.BEHIND_CURVE, expected))
        standing = Standing.LAGGING if reasons else Standing.ON_TRACK
        if not reasons:
            reasons.append((Reason.AT_TARGET if rate >= target else Reason.WITH_COMPANY, 0.0))
    return DepartmentStanding(
        name,
        period,
        rate,
        standing,
        tuple(reason for reason, _ in reasons),
        _explain(reasons, rate, target),
        expected,
    )


def classify_rows(
    rows: Iterable[tuple[str, Any, float] | tuple[str, Any, float, int]],
    *,
    target: float = ADOPTION_TARGET,
    period: Any = None,
    margin: float = LOGIT_MARGIN,
    curve: bool = True,
    merges: Sequence[Suppression] = (),
    order: Iterable[str] = (),
) -> Classification:
    """Classify ``(department, period, rate)`` rows in ``period`` (the latest by default).

    Periods may be any values that sort in time order (ISO week keys, dates,
    numbers); they are shown as text. Rows with a fourth value, the
    headcount, are classified by the noise-aware rule of :func:`_sized`.
    ``Classification.departments`` come in the company's ``order`` (an
    initiative's departments; names it does not know last, by name); without
    one, by name. The order changes no standing.
    """
    result = _classify_rows(
        rows, target=target, period=period, margin=margin, curve=curve, merges=merges
    )
    key = company_order(order)
    ordered = tuple(sorted(result.departments, key=lambda entry: key(entry.department)))
    return attrs.evolve(result, departments=ordered)


def _classify_rows(
    rows: Iterable[tuple[str, Any, float] | tuple[str, Any, float, int]],
    *,
    target: float,
    period: Any,
    margin: float,
    curve: bool,
    merges: Sequence[Suppression],
) -> Classification:
    """:func:`classify_rows` before the departments are put in the company's order."""
    if not 0 < target <= 1:
        raise ValueError(f"target must be in (0, 1]; found {target!r}")
    if not (math.isfinite(margin) and margin > 0):
        raise ValueError(f"margin must be a number > 0; found {margin!r}")
    history: dict[str, dict[Any, float]] = {}
    sizes: dict[str, dict[Any, int]] = {}
    for row in rows:
        department, when, rate = row[0], row[1], row[2]
        if department == OTHER_GROUP or not math.isfinite(rate):
            continue
        history.setdefault(department, {})[when] = min(max(rate, 0.0), 1.0)
        if len(row) > 3:
            sizes.setdefault(department, {})[when] = int(row[3])
    periods = sorted({when for values in history.values() for when in values})
    if not periods:
        shown = None if period is None else str(period)
        return Classification(shown, target, None, margin, None, (), tuple(merges))
    chosen = period if period is not None else periods[-1]
    if chosen not in periods:
        raise KeyError(f"period {chosen!r} is not in the rates; found {periods[0]}..{periods[-1]}")
    current = {name: values[chosen] for name, values in history.items() if chosen in values}
    if sizes:
        entries = _sized(history, sizes, periods, chosen, target=target, margin=margin, curve=curve)
        centre_rate = statistics.median(current.values())
        return Classification(
            str(chosen), target, centre_rate, margin, None, tuple(entries), tuple(merges)
        )
    # The median on the logit scale (the same department as the rate median
    # when their number is odd), so that the rule is the same at every level.
    centre = statistics.median(logit(value) for value in current.values())
    median = _inverse_logit(centre)
    floor = centre - margin
    threshold = _inverse_logit(floor)
    entries = [
        _stand(
            name,
            str(chosen),
            current[name],
            [value for when, value in sorted(history[name].items()) if when < chosen],
            target=target,
            floor=floor,
            threshold=threshold,
            margin=margin,
            curve=curve,
        )
        for name in sorted(current)
    ]
    return Classification(
        str(chosen), target, median, margin, threshold, tuple(entries), tuple(merges)
    )


def _pooled(
    rates: dict[Any, float], heads: dict[Any, int], window: Sequence[Any]
) -> tuple[float, int]:
    """The headcount-weighted rate over ``window`` and the people-periods behind it."""
    people = sum(max(heads.get(when, 0), 0) for when in window)
    if people <= 0:
        return statistics.fmean(rates[when] for when in window), 0
    active = sum(rates[when] * max(heads.get(when, 0), 0) for when in window)
    return active / people, people


def _sized(
    history: dict[str, dict[Any, float]],
    sizes: dict[str, dict[Any, int]],
    periods: Sequence[Any],
    chosen: Any,
    *,
    target: float,
    margin: float,
    curve: bool,
) -> list[DepartmentStanding]:
    """The noise-aware rule: persistence, an interval by size, and the spread of the others.

    For each department, the window is its last :data:`PERSIST` periods up
    to ``chosen``. Its pooled rate gets a Wilson interval from the
    people-periods behind it, widened to ``mean + z * sd / sqrt(periods)``
    when the department's rate varies more from period to period than
    chance among its people explains. It lags

    * *below the company* when its robust z-score (logit of the pooled
      rate, less the median over departments, over ``max(1.4826 * MAD,
      MIN_SPREAD)``) is under ``-ROBUST_Z``, the upper end of its interval
      is under the company median, and it was under the median of the
      departments in every period of the window;
    * *below the target* when most departments are at the target (their
      median rate in ``chosen`` is), the upper end of its interval is under the
      target and it was under the target in every period of the window;
    * *behind its own curve* when the upper end of its interval is under
      the target and more than ``margin`` (logit) under the prediction of
      its own curve fitted on the periods before the window.

    Early on the window holds the periods there are; the interval (wide for
    few people-periods) keeps a single bad period from flagging a department.
    """
    index = periods.index(chosen)
    window = periods[max(0, index - PERSIST + 1) : index + 1]
    present = sorted(name for name, values in history.items() if chosen in values)
    pooled: dict[str, tuple[float, int]] = {}
    for name in present:
        seen = [when for when in window if when in history[name]]
        pooled[name] = _pooled(history[name], sizes.get(name, {}), seen)
    # Empirical logits ((active + 1/2) / (people + 1)): a department at 0 % or 100 % stays
    # a finite distance from the others, as far as its size supports.
    logits = {
        name: logit((rate * people + 0.5) / (people + 1.0)) if people else logit(rate)
        for name, (rate, people) in pooled.items()
    }
    centre = statistics.median(logits.values())
    spread = max(1.4826 * statistics.median(abs(v - centre) for v in logits.values()), MIN_SPREAD)
    company = _inverse_logit(centre)
    medians = {
        when: statistics.median(values[when] for values in history.values() if when in values)
        for when in window
    }
    at_target = statistics.median(history[name][chosen] for name in present) >= target
    entries = []
    for name in present:
        values = history[name]
        rate = values[chosen]
        earlier = [value for when, value in sorted(values.items()) if when < chosen]
        seen = [when for when in window if when in values]
        mean, people = pooled[name]
        _, upper = wilson_interval(mean, people)
        if len(seen) > 1:  # the variation over time widens the interval where it exceeds chance
            swing = statistics.stdev(values[w] for w in seen) / math.sqrt(len(seen))
            upper = min(1.0, max(upper, mean + WILSON_Z * swing))
        persistent = bool(seen)  # the window may be shorter early on: the interval guards
        reasons: list[tuple[Reason, float]] = []
        expected: float | None = None
        if rate <= 0.0 and all(value <= 0.0 for value in earlier):
            reasons.append((Reason.NOT_STARTED, 0.0))
            standing = Standing.NOT_STARTED
        else:
            z = (logits[name] - centre) / spread
            if (
                persistent
                and z < -ROBUST_Z
                and upper < company
                and all(values[w] < medians[w] for w in seen)
            ):
                reasons.append((Reason.BELOW_MEDIAN, company))
            below = sum(values[w] < target for w in seen)
            if persistent and at_target and upper < target and below >= len(seen) - 1:
                reasons.append((Reason.BELOW_TARGET, upper))
            if curve and persistent and upper < target:
                expected = _expected_from_curve([values[w] for w in sorted(values) if w < seen[0]])
                if expected is not None and logit(upper) < logit(expected) - margin:
                    reasons.append((Reason.BEHIND_CURVE, expected))
            standing = Standing.LAGGING if reasons else Standing.ON_TRACK
            if not reasons:
                reasons.append((Reason.AT_TARGET if rate >= target else Reason.WITH_COMPANY, 0.0))
        entries.append(
            DepartmentStanding(
                name,
                str(chosen),
                rate,
                standing,
                tuple(reason for reason, _ in reasons),
                _explain(reasons, rate, target),
                expected,
            )
        )
    return entries


def classify(
    rates: Any,
    *,
    target: float = ADOPTION_TARGET,
    period: str | None = None,
    margin: float = LOGIT_MARGIN,
    curve: bool = True,
    merges: Sequence[Suppression] = (),
    department: str = "department",
    period_column: str = "period",
    rate: str = "rate",
    order: Iterable[str] = (),
) -> Classification:
    """Classify every published department of a rates frame in ``period`` (the latest).

    ``rates`` is any frame with ``department``, ``period`` and ``rate``
    columns (the output of
    :func:`~backoffice_marketing.adoption.rates.adoption_rates`); rows with
    ``suppressed`` true are left out. ``merges`` (from
    :func:`~backoffice_marketing.adoption.rates.department_groups`) is kept
    with the result so that every output can say who was folded where.
    ``order`` (an initiative's departments) orders
    ``Classification.departments``, as in :func:`classify_rows`.
    """
    from backoffice_marketing.adoption.frames import (  # noqa: PLC0415  (needs narwhals)
        collect,
        narwhals,
        require_columns,
        to_frame,
    )

    nw = narwhals()
    frame = to_frame(rates, what="rates")
    require_columns(frame, [department, period_column, rate], what="<rates>")
    columns = [
        nw.col(department).cast(nw.String),
        nw.col(period_column).cast(nw.String),
        nw.col(rate).cast(nw.Float64),
    ]
    names = frame.collect_schema().names()
    has_flag = "suppressed" in names
    columns.append(nw.col("suppressed") if has_flag else nw.lit(value=False).alias("suppressed"))
    sized = "headcount" in names
    if sized:
        columns.append(nw.col("headcount").cast(nw.Int64))
    data = collect(frame.select(columns))
    rows: list[tuple[str, Any, float] | tuple[str, Any, float, int]] = []
    for values in data.rows():
        if values[0] is None or values[1] is None or values[2] is None or values[3]:
            continue
        department, when, share = str(values[0]), str(values[1]), float(values[2])
        if sized:
            rows.append((department, when, share, int(values[4] or 0)))
        else:
            rows.append((department, when, share))
    return classify_rows(
        rows, target=target, period=period, margin=margin, curve=curve, merges=merges, order=order
    )


def members_of(classification: Classification, standings: Iterable[Standing]) -> frozenset[str]:
    """The departments with one of ``standings``, plus the groups merged into them."""
    wanted = set(standings)
    names = {e.department for e in classification.departments if e.standing in wanted}
    changed = True
    while changed:
        changed = False
        for merge in classification.merges:
            if merge.into in names and merge.group not in names:
                names.add(merge.group)
                changed = True
    return frozenset(names)

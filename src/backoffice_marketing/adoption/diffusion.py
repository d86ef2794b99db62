"""Cut-over advice: when to declare the end of the old way, when to enforce it, whom to visit.

The curves it forecasts with (the Bass model, a logistic alternative, Rogers'
categories) live in :mod:`backoffice_marketing.adoption.curves` and are
re-exported here; the departments' standings come from the one
classification of :mod:`backoffice_marketing.adoption.classification`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from backoffice_marketing.adoption.classification import Classification, Standing
from backoffice_marketing.adoption.curves import (
    AdopterCategory,
    BassFit,
    Forecast,
    LogisticFit,
    adopter_categories,
    fit_bass,
    fit_logistic,
    no_signal,
    numpy_module,
)
from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import DiffusionFitError
from backoffice_marketing.foundation.defaults import (
    ADOPTION_TARGET,
    MAJORITY_SHARE,
    MIN_FORECAST_POINTS,
    NOTICE_DAYS,
)
from backoffice_marketing.foundation.io.shapes import shape_record
from backoffice_marketing.foundation.text import Lang, LocalizedText

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "AdopterCategory",
    "BassFit",
    "CutoverAdvice",
    "DepartmentForecast",
    "DiffusionFitError",
    "Forecast",
    "LogisticFit",
    "adopter_categories",
    "cutover_advice",
    "fit_bass",
    "fit_logistic",
    "series_from_rates",
]


@attrs.frozen
class DepartmentForecast:
    """One department in the cut-over advice.

    ``standing`` and ``reasons`` come from the shared classification;
    ``at_enforcement`` is the share forecast on the enforcement day (``None``
    when no curve could be fitted); ``reach`` is when the target is reached,
    with its interval; ``stranded`` is true when ``at_enforcement`` is below
    the target.
    """

    department: str
    rate: float
    standing: Standing
    explanation: LocalizedText
    at_enforcement: float | None
    reach: Forecast | None
    stranded: bool
    note: str | None = None


@shape_record  # its fields, then the stranded departments (schema_extras)
@attrs.frozen
class CutoverAdvice(Report):
    """When to declare the end of the old way, when to enforce it, and whom to visit first.

    Company A declared the end of internal email *because* a minority still
    relied on it, and the declaration moved them. So: ``declaration`` is the
    first business day after the period in which the company-wide share
    passed ``majority`` (or the day it is forecast to, with
    ``declaration_earliest``/``declaration_latest``); ``enforcement`` is
    ``notice_days`` business days later. ``visits`` lists the lagging and
    not-started departments with their forecasts; ``stranded`` names those
    forecast below ``target`` on the enforcement day (a warning, not a veto).
    """

    report_kind: ClassVar[str] = "cutover_advice"
    schema_extras: ClassVar[dict[str, Any]] = {
        "stranded": {"type": "array", "items": {"type": "string"}}
    }

    target: float
    majority: float
    notice_days: int
    company: tuple[tuple[dt.date, float], ...]
    declaration: dt.date | None
    declaration_observed: bool
    declaration_earliest: dt.date | None
    declaration_latest: dt.date | None
    enforcement: dt.date | None
    per_department: tuple[DepartmentForecast, ...]
    classification: Classification
    declaration_reason: LocalizedText | None = None

    @property
    def visits(self) -> tuple[DepartmentForecast, ...]:
        """The departments to visit before enforcement (lagging or not started), lowest first."""
        return tuple(
            sorted(
                (entry for entry in self.per_department if entry.standing is not Standing.ON_TRACK),
                key=lambda entry: (entry.rate, entry.department),
            )
        )

    @property
    def stranded(self) -> tuple[str, ...]:
        """Departments forecast below the target on the enforcement day."""
        return tuple(entry.department for entry in self.per_department if entry.stranded)

    @property
    def warnings(self) -> tuple[LocalizedText, ...]:
        """What to tell the reader before enforcing: stranded departments, merges."""
        found = []
        if self.stranded:
            names = "、".join(self.stranded)
            found.append(
                LocalizedText(
                    ja=f"{self.enforcement}に止めると、{names}が目標{self.target:.0%}に届かないまま"
                    "取り残される見込みです。止める前に訪問し、原因に手を打ってください。",
                    en=f"Switching off on {self.enforcement} would strand "
                    f"{', '.join(self.stranded)} below the target {self.target:.0%}; "
                    "visit them and act on the causes first.",
                )
            )
        return tuple(found)

    @property
    def ready(self) -> bool:
        """Whether a declaration date is known and enforcing would strand nobody."""
        return self.enforcement is not None and not self.stranded

    @property
    def date(self) -> dt.date | None:
        """The enforcement day (the cut-over), or ``None``."""
        return self.enforcement

    def _markdown(self, lang: Lang) -> str:
        """The declaration, enforcement, visits and forecasts as Markdown (names escaped)."""
        from backoffice_marketing.adoption.classification import merge_notes  # noqa: PLC0415
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render(
            "adoption_cutover.md.j2",
            lang,
            advice=self,
            merges=merge_notes(self.classification.merges),
        )


#: Resamples of the bootstrap behind the early and late dates, and its seed.
BOOTSTRAP_RESAMPLES = 40
BOOTSTRAP_SEED = 20270517
#: The percentiles of the bootstrap reported as earliest and latest.
_BAND = (10.0, 90.0)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _bootstrap_band(
    fitter: Any,
    periods: Sequence[Any],
    values: Sequence[float],
    share: float,
    *,
    resamples: int,
    seed: int,
) -> tuple[Any, Any]:
    """Earliest and latest dates ``share`` is reached, from a bootstrap over the periods.

    Each resample draws the periods with replacement (distinct periods only,
    at least four), refits the curve and solves for ``share``; the band is
    the 10th and 90th percentile of the solutions (``None`` when fewer than
    half of the resamples reach the share).
    """
    np = numpy_module()
    rng = np.random.default_rng(seed)
    found: list[float] = []
    numeric = not isinstance(periods[0], dt.date)
    origin = None if numeric else _as_date(min(periods))
    n = len(periods)
    for _ in range(resamples):
        picked = sorted(set(rng.integers(0, n, size=n).tolist()))
        if len(picked) < 4:
            continue
        try:
            fit = fitter([periods[i] for i in picked], [values[i] for i in picked])
        except DiffusionFitError:
            continue
        when = fit.forecast_date(share).when
        if when is None:
            continue
        if numeric or origin is None:
            found.append(float(when))
        else:
            found.append(float((_as_date(when) - origin).days))
    if len(found) * 2 < resamples:
        return None, None
    low, high = (float(v) for v in np.percentile(np.array(found), _BAND))
    if numeric:
        return low, high
    assert origin is not None  # noqa: S101  (dates)
    return (
        origin + dt.timedelta(days=math.floor(low)),
        origin + dt.timedelta(days=math.ceil(high)),
    )


def _company_series(
    items: Mapping[str, tuple[Sequence[Any], Sequence[float]]],
    weights: Mapping[str, float] | None,
) -> list[tuple[Any, float]]:
    """The company-wide share per period: the weighted mean of the departments' values."""
    sums: dict[Any, list[float]] = {}
    for name, (periods, values) in items.items():
        weight = float(weights.get(name, 0.0)) if weights is not None else 1.0
        if weight <= 0:
            continue
        for period, value in zip(periods, values, strict=True):
            sums.setdefault(period, [0.0, 0.0])
            sums[period][0] += weight * float(value)
            sums[period][1] += weight
    return [(period, total / weight) for period, (total, weight) in sorted(sums.items()) if weight]


def _next_day(periods: Sequence[Any], index: int) -> Any:
    """The day after the period at ``index`` ends (the next period's start)."""
    if index + 1 < len(periods):
        return periods[index + 1]
    step = periods[index] - periods[index - 1] if index > 0 else dt.timedelta(days=7)
    return periods[index] + step


def cutover_advice(
    series: Mapping[str, tuple[Sequence[Any], Sequence[float]]] | Iterable[Any],
    *,
    target: float = ADOPTION_TARGET,
    majority: float = MAJORITY_SHARE,
    notice_days: int = NOTICE_DAYS,
    calendar: BusinessCalendar | str | None = "JP",
    weights: Mapping[str, float] | None = None,
    classification: Classification | None = None,
    model: str = "bass",
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    order: Sequence[str] = (),
) -> CutoverAdvice:
    """Advise when to declare the end of the old way and when to enforce it.

    ``series`` maps department to ``(period starts, shares)`` (see
    :func:`series_from_rates`); ``weights`` (headcounts) weigh the
    departments in the company-wide share (equal weights otherwise).
    ``classification`` is the one classification of the latest period (made
    from the series when not given). Periods must be dates for the business
    calendar; ``calendar`` is a :class:`BusinessCalendar` or a country code.
    Departments follow ``order`` (the company's), then the rest by name.
    """
    from backoffice_marketing.adoption.classification import classify_rows  # noqa: PLC0415
    from backoffice_marketing.core.departments import company_order  # noqa: PLC0415

    if not 0 < target <= 1:
        raise ValueError(f"target must be in (0, 1]; found {target!r}")
    if not 0 < majority <= 1:
        raise ValueError(f"majority must be in (0, 1]; found {majority!r}")
    if isinstance(notice_days, bool) or not isinstance(notice_days, int) or notice_days < 0:
        raise ValueError(f"notice_days must be an integer >= 0; found {notice_days!r}")
    fitter = {"bass": fit_bass, "logistic": fit_logistic}.get(model)
    if fitter is None:
        raise ValueError(f"model must be 'bass' or 'logistic'; found {model!r}")
    business = calendar if isinstance(calendar, BusinessCalendar) else BusinessCalendar(calendar)
    items = {
        name: (tuple(periods), tuple(float(v) for v in values))
        for name, (periods, values) in dict(series).items()
    }
    kinds = {isinstance(p, dt.date) for periods, _ in items.values() for p in periods}
    if len(kinds) > 1:
        raise DiffusionFitError("periods must be all dates or all numbers")
    if classification is None:
        classification = classify_rows(
            (
                (name, _as_date(p) if isinstance(p, dt.date) else p, v)
                for name, (periods, values) in items.items()
                for p, v in zip(periods, values, strict=True)
            ),
            target=target,
        )
    company = _company_series(items, weights)
    declaration, observed, early, late, reason = _declaration(
        company, majority, fitter, resamples, seed
    )
    if isinstance(declaration, dt.date):
        declaration = business.business_days(declaration, 1)[0]
        early = business.business_days(early, 1)[0] if isinstance(early, dt.date) else early
        late = business.business_days(late, 1)[0] if isinstance(late, dt.date) else late
    enforcement = None
    if isinstance(declaration, dt.date):
        enforcement = declaration
        if notice_days:
            after = declaration + dt.timedelta(days=1)
            enforcement = business.business_days(after, notice_days)[-1]
    entries = [
        _department(name, items[name], classification, target, enforcement, fitter, resamples, seed)
        for name in sorted(items, key=company_order(order))
        if name in classification
    ]
    return CutoverAdvice(
        target,
        majority,
        notice_days,
        tuple((_as_date(p), round(s, 6)) for p, s in company if isinstance(p, dt.date)),
        declaration if isinstance(declaration, dt.date) else None,
        observed,
        early,
        late,
        enforcement,
        tuple(entries),
        classification,
        reason,
    )


def _declaration(
    company: Sequence[tuple[Any, float]],
    majority: float,
    fitter: Any,
    resamples: int,
    seed: int,
) -> tuple[Any, bool, Any, Any, LocalizedText | None]:
    """The day to declare, whether it was observed, the forecast band, and why there is none."""
    periods = [p for p, _ in company]
    for index, (_, share) in enumerate(company):
        if share >= majority:
            day = _next_day(periods, index)
            return day, True, day, day, None
    if len(company) < MIN_FORECAST_POINTS:
        return None, False, None, None, no_signal(None, len(company)) if company else None
    shares = [s for _, s in company]
    try:
        fit = fitter(periods, shares)
    except DiffusionFitError:
        return None, False, None, None, None
    forecast = fit.forecast_date(majority)
    if forecast.when is None:
        return None, False, None, None, forecast.reason
    early, late = _bootstrap_band(fitter, periods, shares, majority, resamples=resamples, seed=seed)
    return forecast.when, False, early, late, None


def _department(  # noqa: PLR0917  (private; one call site)
    name: str,
    points: tuple[Sequence[Any], Sequence[float]],
    classification: Classification,
    target: float,
    enforcement: dt.date | None,
    fitter: Any,
    resamples: int,
    seed: int,
) -> DepartmentForecast:
    periods, values = points
    entry = classification[name]
    if values and values[-1] >= target:
        # Observed, not forecast: the first period from which it has stayed at the target.
        index = len(values) - 1
        while index > 0 and values[index - 1] >= target:
            index -= 1
        reached = periods[index]
        return DepartmentForecast(
            name, entry.rate, entry.standing, entry.explanation, values[-1],
            Forecast(target, reached, reached, reached), stranded=False,
        )  # fmt: skip
    try:
        fit = fitter(periods, values)
    except DiffusionFitError as error:
        return DepartmentForecast(
            name, entry.rate, entry.standing, entry.explanation, None, None,
            stranded=enforcement is not None, note=str(error),
        )  # fmt: skip
    central = fit.forecast_date(target)
    if central.when is not None and central.when <= periods[-1]:
        central = Forecast(target, None, None, None)  # the data say not yet: no date in the past
    early, late = (None, None)
    if central.when is not None:
        early, late = _bootstrap_band(
            fitter, periods, values, target, resamples=resamples, seed=seed
        )
        early = (
            early if early is None or early > periods[-1] else _next_day(periods, len(periods) - 1)
        )
    reach = Forecast(target, central.when, early, late, r2=central.r2, reason=central.reason)
    # A curve that explains nothing predicts nothing on the enforcement day either.
    at = fit.predict(enforcement) if enforcement is not None and central.reason is None else None
    note = None
    if central.when is None:
        note = central.reason.en if central.reason is not None else f"ceiling {fit.m:.0%}"
    return DepartmentForecast(
        name, entry.rate, entry.standing, entry.explanation, at, reach,
        stranded=at is not None and at < target, note=note,
    )  # fmt: skip


def series_from_rates(
    rates: Any, *, column: str = "rate"
) -> dict[str, tuple[tuple[dt.date, ...], tuple[float, ...]]]:
    """Each published department's ``(period starts, values)``: the input of :func:`cutover_advice`.

    ``rates`` is a frame from
    :func:`~backoffice_marketing.adoption.rates.adoption_rates`; ``column``
    is the share to follow: ``rate`` (people active in the period, the
    default), ``window_rate`` or ``habit_rate``, or ``started``: the
    cumulative share of people who have used the new way at least once,
    ``1 - never_used / headcount`` (rates computed with ``lifecycle=True``),
    which is what the Bass curve models. Suppressed rows (groups under the
    privacy floor) and the "other" group are left out, so a forecast is
    never made for a group too small to publish.
    """
    from backoffice_marketing.adoption.frames import (  # noqa: PLC0415  (needs narwhals)
        collect,
        require_columns,
        to_frame,
    )

    frame = to_frame(rates, what="rates")
    needed = ["never_used", "headcount"] if column == "started" else [column]
    require_columns(frame, ["department", "period_start", *needed, "suppressed"], what="<rates>")
    data = collect(frame.select("department", "period_start", "suppressed", *needed))
    points: dict[str, list[tuple[dt.date, float]]] = {}
    for department, start, suppressed, *values in data.rows():
        if suppressed or department == "other" or any(value is None for value in values):
            continue
        if column == "started":
            never, headcount = values
            if not headcount:
                continue
            share = 1.0 - float(never) / float(headcount)
        else:
            share = float(values[0])
        points.setdefault(str(department), []).append((start, share))
    result = {}
    for department in sorted(points):
        ordered = sorted(points[department])
        result[department] = (
            tuple(when for when, _ in ordered),
            tuple(value for _, value in ordered),
        )
    return result

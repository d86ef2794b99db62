"""Diffusion curves: the Bass model, a logistic alternative, Rogers' categories, cut-over advice.

``fit_bass`` fits the cumulative Bass curve
``F(t) = m (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})`` to a cumulative
adoption series by least squares (scipy), where ``p`` is the coefficient of
innovation (people who start on their own), ``q`` the coefficient of
imitation (people who follow others) and ``m`` the share that will adopt in
the end. Time is counted in periods from the first observation; dates are
turned into days since the first date.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from backoffice_marketing.adoption.classification import Classification, Standing
from backoffice_marketing.calendars import BusinessCalendar
from backoffice_marketing.defaults import (
    ADOPTION_TARGET,
    MAJORITY_SHARE,
    MIN_FIT_R2,
    MIN_FORECAST_POINTS,
    NOTICE_DAYS,
)
from backoffice_marketing.exceptions import DiffusionFitError, MissingExtraError
from backoffice_marketing.report import Report
from backoffice_marketing.text import Lang, LocalizedText

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

_HORIZON_STEPS = 520  # how far (in time units) a forecast looks before giving up


def _numpy() -> Any:
    try:
        import numpy as np  # noqa: PLC0415  (optional extra)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("data", "numpy") from error
    return np


def _least_squares() -> Any:
    try:
        from scipy.optimize import (  # type: ignore[import-untyped]  # noqa: PLC0415
            least_squares,  # optional extra
        )
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("data", "scipy") from error
    return least_squares


@attrs.frozen
class Forecast:
    """When a share is reached: the central estimate and a band (``None``: not within reach).

    ``reason`` says why there is no date although the ceiling is within reach:
    the fit explains too little (``r2`` under
    :data:`~backoffice_marketing.defaults.MIN_FIT_R2`) or rests on too few
    periods (:data:`~backoffice_marketing.defaults.MIN_FORECAST_POINTS`).
    """

    share: float
    when: float | dt.date | None
    earliest: float | dt.date | None
    latest: float | dt.date | None
    r2: float | None = None
    reason: LocalizedText | None = None

    def _repr_html_(self) -> str:
        from backoffice_marketing.render.notebook import table_html  # noqa: PLC0415

        row = (f"{self.share:.0%}", self.when, self.earliest, self.latest)
        return table_html(("share", "when", "earliest", "latest"), [row], numeric=(0,))


def no_signal(r2: float | None, points: int) -> LocalizedText | None:
    """Why a fit gives no date ("not enough signal yet", with the figure), or ``None``."""
    if points < MIN_FORECAST_POINTS:
        return LocalizedText(
            ja=f"まだ判断できる材料がありません(データが{points}期間分で、"
            f"予測には{MIN_FORECAST_POINTS}期間以上が必要です)。",
            en=f"Not enough signal yet: {points} periods of data; a forecast needs "
            f"{MIN_FORECAST_POINTS} or more.",
        )
    if r2 is None or r2 < MIN_FIT_R2:
        shown = "—" if r2 is None else f"{r2:.2f}".replace("-0.00", "0.00")
        return LocalizedText(
            ja=f"まだ判断できる材料がありません(曲線の当てはまり r² = {shown}、"
            f"日付を示すには {MIN_FIT_R2:.2f} 以上が必要です)。",
            en=f"Not enough signal yet: the curve explains little of the data "
            f"(r² = {shown}; a date needs {MIN_FIT_R2:.2f} or more).",
        )
    return None


def _to_times(periods: Sequence[Any]) -> tuple[Any, dt.date | None]:
    np = _numpy()
    values = list(periods)
    if values and all(isinstance(v, dt.date) for v in values):
        origin = min(values)
        days = [
            (v.date() if isinstance(v, dt.datetime) else v)
            - (origin.date() if isinstance(origin, dt.datetime) else origin)
            for v in values
        ]
        return np.array([d.days for d in days], dtype=float), (
            origin.date() if isinstance(origin, dt.datetime) else origin
        )
    try:
        times = np.array([float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        raise DiffusionFitError("periods must be all dates or all numbers") from None
    return times, None


def _prepare(
    periods: Sequence[Any], values: Sequence[float], market_size: float | None
) -> tuple[Any, Any, float, dt.date | None]:
    np = _numpy()
    if len(periods) != len(values):
        raise DiffusionFitError(
            f"periods and values differ in length ({len(periods)} and {len(values)})"
        )
    times, origin = _to_times(periods)
    shares = np.array([float(v) for v in values], dtype=float)
    if market_size is not None:
        if not (math.isfinite(market_size) and market_size > 0):
            raise DiffusionFitError(f"market_size must be a number > 0; found {market_size!r}")
        shares = shares / market_size
    if len(times) < 4:
        raise DiffusionFitError(f"at least 4 points are needed to fit a curve; found {len(times)}")
    if not (np.all(np.isfinite(shares)) and np.all(np.isfinite(times))):
        raise DiffusionFitError("values and periods must be finite numbers")
    if np.any(shares < 0) or np.any(shares > 1 + 1e-9):
        raise DiffusionFitError(
            "values must be cumulative shares in [0, 1] (or counts with a market_size)"
        )
    order = np.argsort(times, kind="stable")
    times, shares = times[order], shares[order]
    if np.any(np.diff(times) <= 0):
        raise DiffusionFitError("periods must be distinct")
    if float(shares[-1]) <= 0:
        raise DiffusionFitError("nobody has adopted yet: there is no curve to fit")
    origin_time = float(times[0]) - (float(times[1]) - float(times[0]))
    return times - origin_time, shares, origin_time, origin


def _bass(t: Any, p: float, q: float, m: float) -> Any:
    np = _numpy()
    e = np.exp(-(p + q) * t)
    return m * (1 - e) / (1 + (q / p) * e)


def _logistic(t: Any, k: float, t0: float, m: float) -> Any:
    np = _numpy()
    return m / (1 + np.exp(-k * (t - t0)))


@attrs.frozen(eq=False)
class _Curve:
    """What the Bass and the logistic fits share: prediction and forecast."""

    m: float
    r2: float
    n: int
    origin_time: float
    origin_date: dt.date | None
    _params: tuple[float, ...]
    _low: tuple[float, ...]
    _high: tuple[float, ...]

    def _repr_html_(self) -> str:
        from backoffice_marketing.render.notebook import table_html  # noqa: PLC0415

        names = [field for field in ("p", "q", "k", "t0") if hasattr(self, field)]
        names += ["m", "r2", "n"]
        rows = [(name, f"{getattr(self, name):.4g}") for name in names]
        return table_html(("", type(self).__name__), rows, numeric=(1,))

    def _f(self, t: Any, params: tuple[float, ...]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _time(self, when: Any) -> float:
        if isinstance(when, dt.date):
            if self.origin_date is None:
                raise TypeError("this curve was fitted on period numbers; pass a number")
            day = when.date() if isinstance(when, dt.datetime) else when
            return float((day - self.origin_date).days) - self.origin_time
        return float(when) - self.origin_time

    def _from_time(self, t: float) -> float | dt.date:
        value = t + self.origin_time
        if self.origin_date is None:
            return value
        return self.origin_date + dt.timedelta(days=math.ceil(value - 1e-9))

    def predict(self, when: Any) -> float:
        """The cumulative share adopted at ``when`` (a date or a period number)."""
        return float(min(max(float(self._f(self._time(when), self._params)), 0.0), 1.0))

    def _reach(self, share: float, params: tuple[float, ...]) -> float | None:
        np = _numpy()
        if params[-1] < share:
            return None
        step = 1.0
        grid = np.arange(0.0, _HORIZON_STEPS * (7.0 if self.origin_date else 1.0), step / 8)
        values = self._f(grid, params)
        hits = np.flatnonzero(values >= share)
        return float(grid[hits[0]]) if hits.size else None

    def forecast_date(self, share: float) -> Forecast:
        """When the cumulative share reaches ``share``, with a band from the parameter errors.

        The band re-solves with the parameters at the ends of their
        approximate 95 % intervals; ``None`` means "not within reach" (the
        fitted ceiling ``m`` is below ``share``, or beyond the horizon).
        """
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1]; found {share!r}")
        reason = no_signal(self.r2, self.n)
        if reason is not None:  # a fit that explains nothing gives no date
            return Forecast(share, None, None, None, r2=self.r2, reason=reason)
        centre = self._reach(share, self._params)
        fast = self._reach(share, self._high)
        slow = self._reach(share, self._low)
        return Forecast(
            share,
            None if centre is None else self._from_time(centre),
            None if fast is None else self._from_time(fast),
            None if slow is None else self._from_time(slow),
            r2=self.r2,
        )


@attrs.frozen(eq=False)
class BassFit(_Curve):
    """A fitted Bass curve: ``p`` (innovation), ``q`` (imitation), ``m`` (ceiling), ``r2``."""

    p: float = 0.0
    q: float = 0.0

    def _f(self, t: Any, params: tuple[float, ...]) -> Any:
        return _bass(t, *params)

    def __repr__(self) -> str:
        return f"<BassFit p={self.p:.4f} q={self.q:.4f} m={self.m:.3f} r2={self.r2:.3f}>"


@attrs.frozen(eq=False)
class LogisticFit(_Curve):
    """A fitted logistic curve: growth ``k``, midpoint ``t0``, ceiling ``m``, ``r2``."""

    k: float = 0.0
    t0: float = 0.0

    def _f(self, t: Any, params: tuple[float, ...]) -> Any:
        return _logistic(t, *params)

    def __repr__(self) -> str:
        return f"<LogisticFit k={self.k:.4f} t0={self.t0:.2f} m={self.m:.3f} r2={self.r2:.3f}>"


def _fit(
    func: Any, times: Any, shares: Any, starts: Sequence[tuple[float, ...]], bounds: Any
) -> Any:
    np = _numpy()
    least_squares = _least_squares()
    best = None
    for start in starts:
        result = least_squares(
            lambda params: func(times, *params) - shares, start, bounds=bounds, method="trf"
        )
        if best is None or result.cost < best.cost:
            best = result
    assert best is not None  # noqa: S101  (starts is never empty)
    residual = best.fun
    dof = max(len(shares) - len(best.x), 1)
    sigma2 = float(residual @ residual) / dof
    try:
        covariance = np.linalg.pinv(best.jac.T @ best.jac) * sigma2
        errors = np.sqrt(np.clip(np.diag(covariance), 0, None))
    except np.linalg.LinAlgError:  # pragma: no cover - pinv does not fail on finite input
        errors = np.zeros(len(best.x))
    total = float(((shares - shares.mean()) ** 2).sum())
    r2 = 1.0 - float(residual @ residual) / total if total > 0 else 0.0
    return best.x, errors, max(min(r2, 1.0), -1.0)


def fit_bass(
    periods: Sequence[Any], values: Sequence[float], *, market_size: float | None = None
) -> BassFit:
    """Fit the Bass model to a cumulative adoption series.

    ``periods`` are dates or period numbers; ``values`` are cumulative shares
    in [0, 1], or counts when ``market_size`` (the number of people) is given.
    """
    np = _numpy()
    times, shares, origin_time, origin = _prepare(periods, values, market_size)
    scale = float(np.median(np.diff(times)))
    span = times / scale
    starts = [(p, q, max(float(shares[-1]), 0.05)) for p in (0.005, 0.03) for q in (0.1, 0.4)]
    x, errors, r2 = _fit(_bass, span, shares, starts, ([1e-6, 1e-6, 1e-3], [1.0, 5.0, 1.0]))

    def scaled(params: Any) -> tuple[float, ...]:
        p, q, m = (float(v) for v in params)
        return (max(p, 1e-6) / scale, max(q, 1e-6) / scale, min(max(m, 1e-3), 1.0))

    signs = np.array([1.0, 1.0, 1.0])
    return BassFit(
        m=float(x[2]),
        r2=r2,
        n=len(times),
        origin_time=origin_time,
        origin_date=origin,
        params=scaled(x),
        low=scaled(x - 1.96 * errors * signs),
        high=scaled(x + 1.96 * errors * signs),
        p=float(x[0]) / scale,
        q=float(x[1]) / scale,
    )


def fit_logistic(
    periods: Sequence[Any], values: Sequence[float], *, market_size: float | None = None
) -> LogisticFit:
    """Fit a logistic curve ``m / (1 + e^{-k(t - t0)})`` (the symmetric alternative to Bass)."""
    np = _numpy()
    times, shares, origin_time, origin = _prepare(periods, values, market_size)
    half = float(np.interp(float(shares[-1]) / 2, shares, times))
    span = float(times[-1] - times[0]) or 1.0
    starts = [(4.0 / span, half, max(float(shares[-1]), 0.05)), (10.0 / span, half, 1.0)]
    x, errors, r2 = _fit(
        _logistic,
        times,
        shares,
        starts,
        ([1e-6, -10 * span, 1e-3], [50.0, 20 * span, 1.0]),
    )
    k, t0, m = (float(v) for v in x)

    def clip(params: Any) -> tuple[float, ...]:
        a, b, c = (float(v) for v in params)
        return (max(a, 1e-6), b, min(max(c, 1e-3), 1.0))

    # Faster growth, earlier midpoint and a higher ceiling reach a share sooner.
    direction = np.array([1.0, -1.0, 1.0])
    return LogisticFit(
        m=m,
        r2=r2,
        n=len(times),
        origin_time=origin_time,
        origin_date=origin,
        params=(k, t0, m),
        low=clip(x - 1.96 * errors * direction),
        high=clip(x + 1.96 * errors * direction),
        k=k,
        t0=t0,
    )


class AdopterCategory(enum.StrEnum):
    """Rogers' adopter categories, by how early a department crossed the threshold."""

    INNOVATORS = "innovators"
    EARLY_ADOPTERS = "early_adopters"
    EARLY_MAJORITY = "early_majority"
    LATE_MAJORITY = "late_majority"
    LAGGARDS = "laggards"


#: Rogers' cumulative shares: 2.5 %, 13.5 %, 34 %, 34 % and 16 %.
_ROGERS_BOUNDS = (
    (0.025, AdopterCategory.INNOVATORS),
    (0.16, AdopterCategory.EARLY_ADOPTERS),
    (0.50, AdopterCategory.EARLY_MAJORITY),
    (0.84, AdopterCategory.LATE_MAJORITY),
)


def adopter_categories(
    first_reached: Mapping[str, Any | None],
) -> dict[str, AdopterCategory]:
    """Rogers' category of each department from when it reached the threshold.

    ``first_reached`` maps department to the period (date or number) in which
    it first reached the adoption threshold, ``None`` if it never did. The
    departments are ranked by that time (ties share the earlier rank, then by
    name); the shares of Rogers' curve (2.5 / 13.5 / 34 / 34 / 16 %) cut the
    ranking. Departments that never reached it are laggards.
    """
    reached = sorted(
        ((when, name) for name, when in first_reached.items() if when is not None),
        key=lambda pair: (pair[0], pair[1]),
    )
    total = len(first_reached)
    result = dict.fromkeys(first_reached, AdopterCategory.LAGGARDS)
    position = 0
    for index, (when, name) in enumerate(reached):
        if index == 0 or when != reached[index - 1][0]:
            position = index
        share = position / total if total else 1.0
        result[name] = next(
            (category for bound, category in _ROGERS_BOUNDS if share < bound),
            AdopterCategory.LAGGARDS,
        )
    return result


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

    def _data(self) -> dict[str, Any]:
        from backoffice_marketing.io.converter import plain_data  # noqa: PLC0415

        return {**plain_data(self), "stranded": list(self.stranded)}

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
    np = _numpy()
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
    from backoffice_marketing.departments import company_order  # noqa: PLC0415

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

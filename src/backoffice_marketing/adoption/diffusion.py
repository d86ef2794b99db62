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
from typing import Any

import attrs

from backoffice_marketing.exceptions import (
    DiffusionFitError,
    MissingExtraError,
)

__all__ = [
    "AdopterCategory",
    "BassFit",
    "CutoverAdvice",
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
    """When a share is reached: the central estimate and a band (``None``: not within reach)."""

    share: float
    when: float | dt.date | None
    earliest: float | dt.date | None
    latest: float | dt.date | None


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
        centre = self._reach(share, self._params)
        fast = self._reach(share, self._high)
        slow = self._reach(share, self._low)
        return Forecast(
            share,
            None if centre is None else self._from_time(centre),
            None if fast is None else self._from_time(fast),
            None if slow is None else self._from_time(slow),
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
class CutoverAdvice:
    """When every department is forecast to reach the target, or who prevents it.

    ``date`` is the earliest period when every department's central forecast
    reaches ``target`` (with ``latest`` from the slow end of the bands), or
    ``None``; ``blocking`` lists the departments whose curve does not reach
    the target (ceiling too low, or no fit), with the reason.
    """

    target: float
    date: float | dt.date | None
    latest: float | dt.date | None
    per_department: tuple[tuple[str, Forecast | None], ...]
    blocking: tuple[tuple[str, str], ...]

    @property
    def ready(self) -> bool:
        """Whether a cut-over date can be named."""
        return self.date is not None and not self.blocking

    def to_markdown(self, lang: str = "ja") -> str:
        """The forecast per department and the verdict, as Markdown (names escaped)."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415
        from backoffice_marketing.text import check_lang  # noqa: PLC0415

        blocking = [name for name, _ in self.blocking]
        return render("adoption_cutover.md.j2", check_lang(lang), advice=self, blocking=blocking)

    def _repr_markdown_(self) -> str:
        from backoffice_marketing.text import current_language  # noqa: PLC0415

        return self.to_markdown(lang=current_language())


def cutover_advice(
    series: Mapping[str, tuple[Sequence[Any], Sequence[float]]] | Iterable[Any],
    *,
    target: float = 0.9,
    model: str = "bass",
) -> CutoverAdvice:
    """The earliest date when the forecast reaches ``target`` in every department.

    ``series`` maps department to ``(periods, cumulative_shares)``. A
    department already at the target counts from the first period in which
    it reached it (no curve is fitted for it).
    """
    if not 0 < target <= 1:
        raise ValueError(f"target must be in (0, 1]; found {target!r}")
    fitter = {"bass": fit_bass, "logistic": fit_logistic}.get(model)
    if fitter is None:
        raise ValueError(f"model must be 'bass' or 'logistic'; found {model!r}")
    items = dict(series)
    forecasts: list[tuple[str, Forecast | None]] = []
    blocking: list[tuple[str, str]] = []
    for name in sorted(items):
        periods, values = items[name]
        if values and max(values) >= target:
            reached = next(p for p, v in zip(periods, values, strict=True) if v >= target)
            forecasts.append((name, Forecast(target, reached, reached, reached)))
            continue
        try:
            fit = fitter(periods, values)
        except DiffusionFitError as error:
            forecasts.append((name, None))
            blocking.append((name, str(error)))
            continue
        forecast = fit.forecast_date(target)
        forecasts.append((name, forecast))
        if forecast.when is None:
            blocking.append(
                (name, f"the fitted ceiling {fit.m:.0%} stays below the target {target:.0%}")
            )
    whens: list[Any] = [f.when for _, f in forecasts if f is not None and f.when is not None]
    latests: list[Any] = [f.latest for _, f in forecasts if f is not None]
    date = max(whens) if whens and not blocking else None
    latest = (
        max(latests)
        if date is not None and latests and all(value is not None for value in latests)
        else None
    )
    return CutoverAdvice(target, date, latest, tuple(forecasts), tuple(blocking))


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

"""Diffusion curves: the Bass model, a logistic alternative and Rogers' categories.

``fit_bass`` fits the cumulative Bass curve
``F(t) = m (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})`` to a cumulative
adoption series by least squares (scipy), where ``p`` is the coefficient of
innovation (people who start on their own), ``q`` the coefficient of
imitation (people who follow others) and ``m`` the share that will adopt in
the end. Time is counted in periods from the first observation; dates are
turned into days since the first date.

This module knows nothing of departments or classifications: the
classification (a department behind its own curve) and the cut-over advice
of :mod:`backoffice_marketing.adoption.diffusion` both build on it.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from backoffice_marketing.exceptions import DiffusionFitError, MissingExtraError
from backoffice_marketing.foundation.defaults import MIN_FIT_R2, MIN_FORECAST_POINTS
from backoffice_marketing.foundation.text import LocalizedText

__all__ = [
    "AdopterCategory",
    "BassFit",
    "Forecast",
    "LogisticFit",
    "adopter_categories",
    "fit_bass",
    "fit_logistic",
    "no_signal",
    "numpy_module",
]

_HORIZON_STEPS = 520  # how far (in time units) a forecast looks before giving up


def numpy_module() -> Any:
    """numpy, or :class:`MissingExtraError` naming the ``[data]`` extra."""
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
    :data:`~backoffice_marketing.foundation.defaults.MIN_FIT_R2`) or rests on too few
    periods (:data:`~backoffice_marketing.foundation.defaults.MIN_FORECAST_POINTS`).
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
    np = numpy_module()
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
    np = numpy_module()
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
    np = numpy_module()
    e = np.exp(-(p + q) * t)
    return m * (1 - e) / (1 + (q / p) * e)


def _logistic(t: Any, k: float, t0: float, m: float) -> Any:
    np = numpy_module()
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
        np = numpy_module()
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
    np = numpy_module()
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
    np = numpy_module()
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
    np = numpy_module()
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

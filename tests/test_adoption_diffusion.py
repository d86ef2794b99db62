"""Tests of the diffusion fits, Rogers' categories, cut-over advice and laggards."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.adoption import (
    AdopterCategory,
    DiffusionFitError,
    LaggardReason,
    adopter_categories,
    cutover_advice,
    fit_bass,
    fit_logistic,
    laggards,
    laggards_markdown,
)


def bass_curve(t: np.ndarray, p: float, q: float, m: float) -> np.ndarray:
    e = np.exp(-(p + q) * t)
    return np.asarray(m * (1 - e) / (1 + (q / p) * e))


@given(
    st.floats(0.005, 0.05),
    st.floats(0.2, 0.6),
    st.floats(0.6, 1.0),
)
def test_fit_bass_recovers_p_and_q(p: float, q: float, m: float) -> None:
    """On a synthetic Bass series, p and q are recovered within 5 %."""
    t = np.arange(1, 41, dtype=float)
    fit = fit_bass(list(t), list(bass_curve(t, p, q, m)))
    assert math.isclose(fit.p, p, rel_tol=0.05)
    assert math.isclose(fit.q, q, rel_tol=0.05)
    assert math.isclose(fit.m, m, rel_tol=0.05)
    assert fit.r2 > 0.99


def test_fit_bass_predicts_held_back_points_of_an_s_curve() -> None:
    """Fitted on the first 14 weeks of a noisy S-curve, the later weeks are predicted closely."""
    rng = np.random.default_rng(7)
    weeks = np.arange(1, 27, dtype=float)
    truth = 0.92 / (1 + np.exp(-0.45 * (weeks - 10)))  # a logistic-shaped real rollout
    observed = np.clip(truth + rng.normal(0, 0.01, weeks.size), 0, 1)
    observed = np.maximum.accumulate(observed)
    dates = [dt.date(2024, 4, 1) + dt.timedelta(weeks=int(w) - 1) for w in weeks]
    fit = fit_bass(dates[:14], list(observed[:14]))
    errors = [abs(fit.predict(d) - float(v)) for d, v in zip(dates[14:], truth[14:], strict=True)]
    assert max(errors) < 0.08
    forecast = fit.forecast_date(0.8)
    assert isinstance(forecast.when, dt.date)
    assert isinstance(forecast.earliest, dt.date)
    assert forecast.earliest <= forecast.when
    assert not isinstance(forecast.latest, float)
    assert forecast.latest is None or forecast.when <= forecast.latest
    assert dt.date(2024, 6, 1) <= forecast.when <= dt.date(2024, 8, 31)
    assert "BassFit" in repr(fit)


def test_counts_with_market_size_and_logistic() -> None:
    """Counts with a market size are shares; the logistic fit works on the same data."""
    t = np.arange(1, 31, dtype=float)
    counts = bass_curve(t, 0.02, 0.4, 0.9) * 500
    fit = fit_bass(list(t), list(counts), market_size=500)
    assert math.isclose(fit.m, 0.9, rel_tol=0.02)
    logistic = fit_logistic(list(t), list(counts), market_size=500)
    assert logistic.r2 > 0.97
    assert 0 <= logistic.predict(100) <= 1
    assert logistic.forecast_date(0.99).when is None
    assert "LogisticFit" in repr(logistic)
    assert fit.forecast_date(1.0).when is None


def test_fit_errors() -> None:
    """Short, invalid or empty series are clear errors."""
    with pytest.raises(DiffusionFitError, match="at least 4"):
        fit_bass([1, 2, 3], [0.1, 0.2, 0.3])
    with pytest.raises(DiffusionFitError, match="length"):
        fit_bass([1, 2, 3, 4], [0.1])
    with pytest.raises(DiffusionFitError, match="cumulative shares"):
        fit_bass([1, 2, 3, 4], [0.1, 0.2, 3, 4])
    with pytest.raises(DiffusionFitError, match="distinct"):
        fit_bass([1, 1, 2, 3], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(DiffusionFitError, match="nobody"):
        fit_bass([1, 2, 3, 4], [0, 0, 0, 0])
    with pytest.raises(DiffusionFitError, match="finite"):
        fit_bass([1, 2, 3, 4], [0.1, float("nan"), 0.3, 0.4])
    with pytest.raises(DiffusionFitError, match="market_size"):
        fit_bass([1, 2, 3, 4], [1, 2, 3, 4], market_size=0)
    with pytest.raises(DiffusionFitError, match="dates or all numbers"):
        fit_bass([1, "x", 3, 4], [0.1, 0.2, 0.3, 0.4])
    fit = fit_bass([1, 2, 3, 4, 5], [0.05, 0.1, 0.2, 0.35, 0.5])
    with pytest.raises(TypeError, match="period numbers"):
        fit.predict(dt.date(2024, 1, 1))
    with pytest.raises(ValueError, match="share"):
        fit.forecast_date(0)


def test_adopter_categories_follow_rogers_shares() -> None:
    """Departments are ranked by when they reached the threshold; never means laggard."""
    reached: dict[str, int | None] = {f"d{i:02d}": i for i in range(40)}
    reached["never"] = None
    categories = adopter_categories(reached)
    assert categories["d00"] is AdopterCategory.INNOVATORS
    assert categories["d03"] is AdopterCategory.EARLY_ADOPTERS
    assert categories["d10"] is AdopterCategory.EARLY_MAJORITY
    assert categories["d25"] is AdopterCategory.LATE_MAJORITY
    assert categories["d39"] is AdopterCategory.LAGGARDS
    assert categories["never"] is AdopterCategory.LAGGARDS
    tied = adopter_categories({"a": 1, "b": 1})
    assert tied["a"] is tied["b"]
    assert adopter_categories({}) == {}


def test_cutover_advice_names_the_date_or_the_blockers() -> None:
    """The cut-over date is when every department reaches the target; low ceilings block it."""
    t = list(range(1, 16))
    fast = list(bass_curve(np.array(t, dtype=float), 0.03, 0.5, 0.98))
    slow = list(bass_curve(np.array(t, dtype=float), 0.01, 0.3, 0.97))
    capped = list(bass_curve(np.array(t, dtype=float), 0.03, 0.5, 0.6))
    done = [0.5, 0.95, 0.96, 0.97]
    advice = cutover_advice({"A": (t, fast), "B": (t, slow), "D": ([1, 2, 3, 4], done)}, target=0.9)
    assert advice.ready
    assert advice.date is not None
    whens = [f.when for _, f in advice.per_department if f is not None]
    assert advice.date == max(w for w in whens if isinstance(w, float | int))
    blocked = cutover_advice({"A": (t, fast), "C": (t, capped), "E": ([1, 2], [0.1, 0.2])})
    assert not blocked.ready
    assert [name for name, _ in blocked.blocking] == ["C", "E"]
    assert blocked.date is None
    logistic = cutover_advice({"A": (t, fast)}, model="logistic")
    assert logistic.ready
    with pytest.raises(ValueError, match="model"):
        cutover_advice({}, model="gompertz")
    with pytest.raises(ValueError, match="target"):
        cutover_advice({}, target=1.5)


def _rates(values: dict[str, list[float]]) -> pl.DataFrame:
    rows = [
        (name, f"2024-W{index + 14:02d}", value)
        for name, series in values.items()
        for index, value in enumerate(series)
    ]
    return pl.DataFrame(rows, schema=["department", "period", "rate"], orient="row")


def test_laggards_say_why() -> None:
    """Flags name every reason: target, robust median margin, own curve."""
    rates = _rates(
        {
            "営業部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.85],
            "経理部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.82],
            "人事部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.84],
            "総務部": [0.0, 0.0, 0.05, 0.05, 0.1, 0.1],
            "法務部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.4],
        }
    )
    flags = laggards(rates, target=0.8)
    assert [flag.department for flag in flags] == ["総務部", "法務部"]
    assert LaggardReason.BELOW_TARGET in flags[0].reasons
    assert LaggardReason.BELOW_MEDIAN in flags[0].reasons
    assert LaggardReason.BEHIND_CURVE in flags[1].reasons
    assert "目標" in flags[0].explanation.ja
    assert "target" in flags[0].explanation.en
    assert laggards(rates, period="2024-W14", curve=False) == ()
    assert laggards(rates.head(0)) == ()
    with pytest.raises(KeyError):
        laggards(rates, period="1999-W01")
    with pytest.raises(ValueError, match="target"):
        laggards(rates, target=2)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_laggards_never_flag_without_reason(values: list[float]) -> None:
    """Every flag carries at least one reason and a rate in [0, 1]."""
    rates = pl.DataFrame(
        {
            "department": [f"d{i}" for i in range(len(values))],
            "period": ["p"] * len(values),
            "rate": values,
        }
    )
    for flag in laggards(rates, target=0.5):
        assert flag.reasons
        assert 0 <= flag.rate <= 1


def test_laggards_markdown_escapes_names() -> None:
    """The laggard table escapes department names and says when nobody lags."""
    rates = _rates({"|営業*部": [0.1] * 3, "経理部": [0.9] * 3, "人事部": [0.9] * 3})
    text = laggards_markdown(laggards(rates, target=0.5), lang="ja")
    assert "\\|営業\\*部" in text
    assert "10%" in text
    assert "遅れている部署はありません" in laggards_markdown((), lang="ja")
    assert "No department is lagging" in laggards_markdown((), lang="en")


def test_cutover_advice_renders_in_both_languages() -> None:
    """Ready advice names the date; blocked advice names the departments and why, escaped."""
    days = [dt.date(2027, 6, 1) + dt.timedelta(days=7 * i) for i in range(5)]
    ready = cutover_advice({"営業部": (days, (0.2, 0.5, 0.8, 0.92, 0.95))}, target=0.9)
    assert ready.ready
    text = ready.to_markdown(lang="ja")
    assert "**2027-06-22**" in text
    assert "| 営業部 | 2027-06-22 |" in text
    assert ready._repr_markdown_() == text
    blocked = cutover_advice(
        {
            "営業部": (days, (0.2, 0.5, 0.8, 0.92, 0.95)),
            "a|b": ((1, 2, 3), (0.1, 0.2, 0.3)),
            "経理部": (days, (0.05, 0.1, 0.12, 0.13, 0.13)),
        },
        target=0.9,
    )
    english = blocked.to_markdown(lang="en")
    assert "No cut-over date can be named yet" in english
    assert "a\\|b" in english
    assert "Too little data to forecast" in english
    assert "Will not reach the target as things are" in english
    assert "**" not in english

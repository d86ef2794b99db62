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
    LaggardReason,
    Standing,
    adopter_categories,
    classify,
    cutover_advice,
    fit_bass,
    fit_logistic,
    laggards,
)
from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.exceptions import DiffusionFitError
from backoffice_marketing.foundation.defaults import MAJORITY_SHARE, NOTICE_DAYS


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


def _weeks(n: int, first: dt.date = dt.date(2027, 5, 17)) -> list[dt.date]:
    return [first + dt.timedelta(days=7 * i) for i in range(n)]


def test_cutover_advice_declares_once_the_majority_has_moved() -> None:
    """Declaration follows the week the company passed the majority; enforcement the notice."""
    weeks = _weeks(8)
    t = np.arange(1, 9, dtype=float)
    fast = [float(v) for v in bass_curve(t, 0.05, 0.9, 0.99)]
    capped = [float(v) for v in bass_curve(t, 0.03, 0.6, 0.5)]
    advice = cutover_advice(
        {"営業部": (weeks, fast), "経理部": (weeks, fast), "製造部": (weeks, capped)},
        weights={"営業部": 100, "経理部": 100, "製造部": 20},
    )
    assert advice.declaration_observed
    assert advice.declaration is not None
    assert advice.enforcement is not None
    assert weeks[0] < advice.declaration <= weeks[-1]
    passed = next(day for day, share in advice.company if share >= advice.majority)
    assert advice.declaration == passed + dt.timedelta(days=7)
    calendar = BusinessCalendar("JP")
    between = [
        day
        for day in (advice.declaration + dt.timedelta(days=i) for i in range(1, 60))
        if calendar.is_business_day(day) and day <= advice.enforcement
    ]
    assert len(between) == advice.notice_days == NOTICE_DAYS
    assert advice.stranded == ("製造部",)
    assert [entry.department for entry in advice.visits] == ["製造部"]
    assert not advice.ready
    assert advice.date == advice.enforcement
    assert "製造部" in advice.warnings[0].ja
    assert "strand" in advice.warnings[0].en
    assert "製造部" in advice.to_dict()["stranded"]


def test_cutover_advice_forecasts_the_declaration_with_a_real_interval() -> None:
    """Before the majority has moved, the declaration is forecast with a bootstrap band."""
    weeks = _weeks(7)
    t = np.arange(1, 8, dtype=float)
    early = [float(v) for v in bass_curve(t, 0.01, 0.35, 0.98)]
    noisy = [min(1.0, max(0.0, v + 0.01 * (-1) ** i)) for i, v in enumerate(early)]
    advice = cutover_advice({"A": (weeks, early), "B": (weeks, noisy)}, notice_days=0)
    assert early[-1] < MAJORITY_SHARE
    assert not advice.declaration_observed
    assert advice.declaration is not None
    assert advice.enforcement == advice.declaration
    assert advice.declaration_earliest is not None
    assert advice.declaration_latest is not None
    assert advice.declaration_earliest < advice.declaration_latest
    again = cutover_advice({"A": (weeks, early), "B": (weeks, noisy)}, notice_days=0)
    assert again == advice  # a fixed seed: the same band every time


def test_department_forecasts_carry_bootstrap_bands() -> None:
    """A department still short of the target gets earliest < latest, not copies."""
    weeks = _weeks(8)
    t = np.arange(1, 9, dtype=float)
    rising = [float(v) for v in bass_curve(t, 0.01, 0.45, 0.97)]
    wobbly = [min(1.0, max(0.001, v + 0.015 * ((i * 7) % 3 - 1))) for i, v in enumerate(rising)]
    advice = cutover_advice({"A": (weeks, wobbly), "B": (weeks, [0.95] * 8)})
    entry = next(e for e in advice.per_department if e.department == "A")
    assert entry.reach is not None
    assert entry.reach.when is not None
    earliest, latest = entry.reach.earliest, entry.reach.latest
    assert isinstance(earliest, dt.date)
    assert isinstance(latest, dt.date)
    assert earliest < latest
    done = next(e for e in advice.per_department if e.department == "B")
    assert done.reach is not None
    assert done.reach.when == weeks[0]


def test_cutover_advice_without_dates_or_majority() -> None:
    """Numeric periods give no calendar dates; a flat company gives no declaration."""
    t = list(range(1, 9))
    fast = [float(v) for v in bass_curve(np.array(t, dtype=float), 0.05, 0.9, 0.99)]
    numeric = cutover_advice({"A": (t, fast)}, model="logistic")
    assert numeric.declaration is None
    assert numeric.enforcement is None
    flat = cutover_advice({"A": (_weeks(5), [0.05, 0.06, 0.06, 0.07, 0.07])})
    assert flat.declaration is None
    assert "no date can be forecast" in flat.to_markdown(lang="en")
    short = cutover_advice({"A": (_weeks(3), [0.1, 0.2, 0.3])})
    assert short.declaration is None
    assert short.per_department[0].reach is None
    with pytest.raises(ValueError, match="model"):
        cutover_advice({}, model="gompertz")
    with pytest.raises(ValueError, match="target"):
        cutover_advice({}, target=1.5)
    with pytest.raises(ValueError, match="majority"):
        cutover_advice({}, majority=0)
    with pytest.raises(ValueError, match="notice_days"):
        cutover_advice({}, notice_days=-1)
    with pytest.raises(DiffusionFitError, match="all dates"):
        cutover_advice({"A": (t, fast), "B": (_weeks(8), fast)})


def _rates(values: dict[str, list[float]]) -> pl.DataFrame:
    rows = [
        (name, f"2024-W{index + 14:02d}", value)
        for name, series in values.items()
        for index, value in enumerate(series)
    ]
    return pl.DataFrame(rows, schema=["department", "period", "rate"], orient="row")


def test_laggards_say_why() -> None:
    """Flags name every reason: far below the company, behind its own curve, not started."""
    rates = _rates(
        {
            "営業部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.85],
            "経理部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.82],
            "人事部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.84],
            "総務部": [0.0, 0.0, 0.05, 0.05, 0.1, 0.1],
            "法務部": [0.1, 0.3, 0.5, 0.7, 0.8, 0.4],
            "広報部": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    flags = laggards(rates, target=0.8)
    assert [flag.department for flag in flags] == ["広報部", "総務部", "法務部"]
    assert flags[0].reasons == (LaggardReason.NOT_STARTED,)
    assert flags[0].standing is Standing.NOT_STARTED
    assert LaggardReason.BELOW_MEDIAN in flags[1].reasons
    assert LaggardReason.BEHIND_CURVE in flags[2].reasons
    assert "全社" in flags[1].explanation.ja
    assert "company" in flags[1].explanation.en
    assert [f.department for f in laggards(rates, period="2024-W14", curve=False)] == [
        "広報部",
        "総務部",
    ]
    assert laggards(rates.head(0)) == ()
    with pytest.raises(KeyError):
        laggards(rates, period="1999-W01")
    with pytest.raises(ValueError, match="target"):
        laggards(rates, target=2)
    with pytest.raises(ValueError, match="margin"):
        laggards(rates, margin=0)


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
    """The classification's laggard table escapes department names and says when nobody lags."""
    rates = _rates({"|営業*部": [0.1] * 3, "経理部": [0.9] * 3, "人事部": [0.9] * 3})
    text = classify(rates, target=0.5).to_markdown(lang="ja")
    assert "\\|営業\\*部" in text
    assert "10%" in text
    calm = _rates({"経理部": [0.9] * 3, "人事部": [0.9] * 3})
    assert "遅れている部署はありません" in classify(calm, target=0.5).to_markdown(lang="ja")
    assert "No department is lagging" in classify(calm, target=0.5).to_markdown(lang="en")


def test_cutover_advice_renders_in_both_languages() -> None:
    """The advice names declaration, enforcement, visits and merges, escaped, in ja and en."""
    days = _weeks(6, dt.date(2027, 6, 1))
    advice = cutover_advice(
        {
            "営業部": (days, (0.2, 0.5, 0.8, 0.92, 0.95, 0.96)),
            "a|b": (days, (0.0,) * 6),
            "経理部": (days, (0.05, 0.1, 0.12, 0.13, 0.13, 0.13)),
        },
        weights={"営業部": 100, "a|b": 1, "経理部": 10},
    )
    english = advice.to_markdown(lang="en")
    assert "The end of the old way can be declared now" in english
    assert "a\\|b" in english
    assert "Too little data to forecast" in english
    assert "Will not reach the target as things are" in english
    assert "Departments to visit before the switch-off" in english
    japanese = advice.to_markdown(lang="ja")
    assert "旧方式を止める日" in japanese
    assert advice._repr_mimebundle_()["text/markdown"] == japanese
    calm = cutover_advice({"営業部": (days, (0.2, 0.5, 0.8, 0.92, 0.95, 0.96))})
    assert calm.ready
    assert "No department needs a visit" in calm.to_markdown(lang="en")


def test_cutover_advice_on_period_numbers_and_edge_cases() -> None:
    """Numeric periods get numeric bands; unweighted and unfittable series are skipped."""
    t = list(range(1, 9))
    rising = [float(v) for v in bass_curve(np.array(t, dtype=float), 0.01, 0.45, 0.97)]
    wobbly = [min(1.0, max(0.001, v + 0.015 * ((i * 7) % 3 - 1))) for i, v in enumerate(rising)]
    numeric = cutover_advice({"A": (t, wobbly)})
    reach = numeric.per_department[0].reach
    assert reach is not None
    assert isinstance(reach.when, float)
    assert isinstance(reach.earliest, float)
    assert isinstance(reach.latest, float)
    weeks = _weeks(6)
    zeros = cutover_advice({"A": (weeks, [0.0] * 6)}, weights={"A": 5, "B": 3})
    assert zeros.declaration is None
    assert zeros.company == tuple((week, 0.0) for week in weeks)
    skipped = cutover_advice({"A": (weeks, [0.8] * 6), "B": (weeks, [0.1] * 6)}, weights={"A": 1})
    assert [share for _, share in skipped.company] == [0.8] * 6


def test_bootstrap_band_gives_up_when_resamples_fail() -> None:
    """Fewer than half of the resamples solving means no band."""
    from backoffice_marketing.adoption.diffusion import _bootstrap_band  # noqa: PLC0415

    def failing(_periods: object, _values: object) -> object:
        raise DiffusionFitError("no")

    band = _bootstrap_band(failing, _weeks(8), [0.1] * 8, 0.9, resamples=10, seed=1)
    assert band == (None, None)

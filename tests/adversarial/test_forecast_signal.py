"""Family "forecast signal": a fit that explains nothing gives no date, but says why."""

from __future__ import annotations

import datetime as dt

import pytest

import backoffice_marketing as bm
from backoffice_marketing.foundation.defaults import MIN_FIT_R2, MIN_FORECAST_POINTS
from backoffice_marketing.foundation.text import Lang

WEEKS = [dt.date(2027, 5, 17) + dt.timedelta(days=7 * week) for week in range(8)]
NOISE = (0.5, 0.0, 0.0, 0.5)


def test_fit_of_noise_gives_no_date_but_its_r2() -> None:
    """Weekly rates 50/0/0/50 %: r² near 0, so no date, with "not enough signal yet"."""
    fit = bm.adoption.fit_bass(WEEKS[:4], NOISE)
    assert fit.r2 < MIN_FIT_R2
    forecast = fit.forecast_date(0.9)
    assert (forecast.when, forecast.earliest, forecast.latest) == (None, None, None)
    assert forecast.r2 == fit.r2
    assert forecast.reason is not None
    assert "Not enough signal yet" in forecast.reason.en
    assert "r² = 0.00" in forecast.reason.en
    assert "r² = 0.00" in forecast.reason.ja


def test_too_few_periods_give_no_date_and_say_so() -> None:
    """Three periods are too few for a forecast: no declaration date, and the count is named."""
    advice = bm.adoption.cutover_advice({"A": (WEEKS[:3], (0.1, 0.3, 0.6))})
    assert advice.declaration is None
    assert advice.declaration_reason is not None
    assert f"{MIN_FORECAST_POINTS}" in advice.declaration_reason.en
    assert "3" in advice.declaration_reason.ja


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cutover_advice_on_noise_has_no_declaration_date(lang: Lang) -> None:
    """The cut-over advice from a fit that explains nothing names no date and says why."""
    advice = bm.adoption.cutover_advice(
        {"A": (WEEKS[:4], NOISE), "B": (WEEKS[:4], NOISE)}, weights={"A": 10, "B": 10}
    )
    assert advice.declaration is None
    assert advice.enforcement is None
    assert advice.declaration_reason is not None
    for entry in advice.per_department:
        assert entry.reach is not None
        assert entry.reach.when is None
        assert entry.reach.reason is not None
        assert entry.at_enforcement is None
    text = advice.to_markdown(lang=lang)
    assert "r²" in text
    assert "**" + ("旧方式の終了" if lang == "ja" else "Declare") not in text


def test_a_real_s_curve_still_gives_a_date() -> None:
    """A clean S-curve explains the data: the forecast has a date and no reason."""
    shares = (0.02, 0.06, 0.15, 0.32, 0.52, 0.68, 0.78, 0.84)
    fit = bm.adoption.fit_bass(WEEKS, shares)
    assert fit.r2 > MIN_FIT_R2
    forecast = fit.forecast_date(0.8)
    assert isinstance(forecast.when, dt.date)
    assert forecast.reason is None

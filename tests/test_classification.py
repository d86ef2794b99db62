"""The one classification of departments: relative, level-free, shared by every output."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.adoption import (
    LOGIT_MARGIN,
    Reason,
    Standing,
    classify,
    members_of,
    merge_notes,
)
from backoffice_marketing.adoption.classification import classify_rows, logit
from backoffice_marketing.core.privacy import Suppression
from backoffice_marketing.foundation.text import LocalizedText

levels = st.floats(min_value=0.01, max_value=0.98, allow_nan=False)
peers = st.integers(min_value=1, max_value=6)


def _inverse(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


@given(levels, peers)
def test_half_the_median_is_flagged_at_any_level(median: float, others: int) -> None:
    """A department at half the company median lags whether the median is 98 % or 1 %."""
    rows = [(f"d{i}", "p", median) for i in range(2 * others + 1)]
    rows.append(("half", "p", median / 2))
    result = classify_rows(rows, target=1.0, curve=False)
    assert result["half"].standing is Standing.LAGGING
    assert Reason.BELOW_MEDIAN in result["half"].reasons
    assert all(result[f"d{i}"].standing is Standing.ON_TRACK for i in range(2 * others + 1))


@given(
    st.lists(st.floats(min_value=-4, max_value=4, allow_nan=False), min_size=3, max_size=9),
    st.floats(min_value=-3, max_value=3, allow_nan=False),
)
def test_flags_depend_on_relative_position_not_level(logits: list[float], shift: float) -> None:
    """Moving every department by one amount on the logit scale changes no flag."""
    base = classify_rows(
        [(f"d{i}", "p", _inverse(v)) for i, v in enumerate(logits)], target=1.0, curve=False
    )
    moved = classify_rows(
        [(f"d{i}", "p", _inverse(v + shift)) for i, v in enumerate(logits)],
        target=1.0,
        curve=False,
    )
    for entry in base.departments:
        gap = logit(base.median or 0.0) - logit(entry.rate)
        if abs(gap - LOGIT_MARGIN) > 1e-6:  # away from the boundary, where rounding decides
            assert moved[entry.department].standing is entry.standing


@given(st.lists(st.floats(min_value=0.001, max_value=1.0), min_size=1, max_size=12))
def test_the_median_department_is_never_flagged_below_it(values: list[float]) -> None:
    """Departments at or above the median are never flagged as below the company."""
    result = classify_rows([(f"d{i}", "p", v) for i, v in enumerate(values)], curve=False)
    assert result.median is not None
    for entry in result.departments:
        if entry.rate >= result.median:
            assert Reason.BELOW_MEDIAN not in entry.reasons
        assert entry.reasons
        assert entry.explanation.ja
        assert entry.explanation.en


def test_classify_reads_frames_and_skips_suppressed_rows() -> None:
    """Suppressed rows and the other group are left out; not started and at target are named."""
    frame = pl.DataFrame(
        {
            "department": ["a", "b", "c", "hidden", "other"],
            "period": ["2027-W20"] * 5,
            "rate": [0.95, 0.0, 0.6, 0.0, 0.1],
            "suppressed": [False, False, False, True, False],
        }
    )
    result = classify(frame, target=0.9)
    assert [entry.department for entry in result.departments] == ["a", "b", "c"]
    assert result["a"].reasons == (Reason.AT_TARGET,)
    assert result["b"].standing is Standing.NOT_STARTED
    assert result["c"].reasons == (Reason.WITH_COMPANY,)
    assert "b" in result
    assert "hidden" not in result
    assert result.standing_of("b") is Standing.NOT_STARTED
    assert [entry.department for entry in result.needing_visit] == ["b"]
    with pytest.raises(KeyError):
        result["hidden"]
    plain = classify(frame.drop("suppressed"), target=0.9)
    assert "hidden" in plain


def test_classify_rejects_bad_settings_and_handles_no_rows() -> None:
    """Target and margin are checked; no rows give an empty classification."""
    assert classify_rows([]).departments == ()
    assert classify_rows([], period="2027-W20").period == "2027-W20"
    with pytest.raises(ValueError, match="target"):
        classify_rows([], target=0)
    with pytest.raises(ValueError, match="margin"):
        classify_rows([], margin=-1)
    with pytest.raises(KeyError):
        classify_rows([("a", "2027-W20", 0.5)], period="2027-W21")


def test_merges_are_stated_in_both_languages() -> None:
    """Every merge says which group went where and why; members_of follows merges."""
    reason = LocalizedText(ja="小さいため", en="too small")
    merges = (Suppression("名古屋営業所", "営業本部", reason), Suppression("x", None, reason))
    notes = merge_notes(reversed(merges))
    assert "not reported" in notes[0].en
    assert "「名古屋営業所」は「営業本部」" in notes[1].ja
    assert "名古屋営業所 is counted within 営業本部" in notes[1].en
    result = classify_rows(
        [("営業本部", "p", 0.1), ("a", "p", 0.9), ("b", "p", 0.9)], curve=False, merges=merges
    )
    assert members_of(result, (Standing.LAGGING,)) == frozenset({"営業本部", "名古屋営業所"})


def test_own_curve_needs_a_fittable_history_and_finite_rates() -> None:
    """A history without adopters is not fitted; non-finite rates are left out."""
    rows = [("a", f"W{i}", 0.0) for i in range(5)] + [("a", "W5", 0.2)]
    rows += [("b", f"W{i}", 0.2) for i in range(6)]
    rows.append(("c", "W5", math.nan))
    result = classify_rows(rows)
    assert result["a"].expected is None
    assert "c" not in result

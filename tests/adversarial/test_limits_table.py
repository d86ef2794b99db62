"""Family "limits": one table of limits, documented as it is in the code."""

from __future__ import annotations

from pathlib import Path

from backoffice_marketing.foundation import defaults
from backoffice_marketing.foundation.io import limits

DOC = Path(__file__).parents[2] / "docs/limits.md"


def test_every_limit_is_documented_with_its_value() -> None:
    """docs/limits.md lists each limit of LIMITS with the value in the code."""
    text = DOC.read_text(encoding="utf-8")
    for limit in limits.LIMITS:
        value = f"{limit.value:,}" if isinstance(limit.value, int) else f"{limit.value:g}"
        assert f"| `{limit.name}` | {value} | {limit.unit} |" in text, limit.name


def test_table_matches_the_named_figures() -> None:
    """Each row's value is the module's figure; shared figures come from defaults.py."""
    for limit in limits.LIMITS:
        assert getattr(limits, limit.name) == limit.value
        assert limit.en
        assert limit.ja
    assert limits.MAX_PERIODS == defaults.MAX_PERIODS
    assert limits.MAX_REPEAT_ROUNDS == defaults.MAX_REPEAT_ROUNDS
    assert limits.MAX_PLAN_YEARS == defaults.MAX_PLAN_YEARS
    assert sorted(limit.name for limit in limits.LIMITS) == sorted(
        name for name in limits.__all__ if name.startswith("MAX_")
    )

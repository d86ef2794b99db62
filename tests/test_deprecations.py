"""Deprecated names: each warns with the version that deprecated it and the one that removes it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.diagnosis.planning import plan as planning
from backoffice_marketing.foundation.deprecation import DEPRECATIONS, REMOVED_IN, Deprecation

ROOT = Path(__file__).resolve().parents[1]


def _changelog_deprecated() -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = text.split("## [0.1.0]")[0]
    return unreleased.split("### Deprecated", 1)[1].split("\n### ", 1)[0]


def test_every_deprecation_is_in_the_changelog_with_its_replacement() -> None:
    """The CHANGELOG's Deprecated section names every deprecated name and its replacement."""
    section = _changelog_deprecated()
    for entry in DEPRECATIONS:
        short = entry.name.removeprefix("backoffice_marketing.")
        assert f"`backoffice_marketing.{short}`" in section or f"`{short}`" in section, entry
        assert entry.instead in section, entry
    assert f"version {DEPRECATIONS[0].since}" in section
    assert f"version {REMOVED_IN}" in section


def test_every_deprecation_stays_for_at_least_one_release() -> None:
    """No name is removed in the release that deprecates it."""
    for entry in DEPRECATIONS:
        since = tuple(int(part) for part in entry.since.split("."))
        removed = tuple(int(part) for part in entry.removed_in.split("."))
        assert removed > since, entry


def _plan() -> bm.Plan:
    return bm.Plan.from_playbook(
        bm.load_playbook("generic-rollout"), start=dt.date(2027, 4, 1), departments={"営業部": 20}
    )


#: The free adoption renderers of 0.1 (their results: tests/test_adoption_deprecated.py).
_OLD_ADOPTION = (
    "rates_json", "rates_csv", "rates_markdown", "merges_markdown", "laggards_markdown",
    "adoption_chart", "latest_chart", "save_chart",
)  # fmt: skip


def _calls(tmp_path: Path) -> dict[str, Callable[[], object]]:
    return {
        "backoffice_marketing.score_assessment": lambda: bm.score_assessment,
        "backoffice_marketing.materials.count_syllables": lambda: bm.materials.count_syllables,
        "backoffice_marketing.voice.Finding": lambda: bm.voice.Finding,
        "backoffice_marketing.voice.percentile": lambda: bm.voice.percentile,
        "backoffice_marketing.voice.similarity": lambda: bm.voice.similarity,
        "display_language() without an argument": bm.display_language,
        "Plan.to_xlsx()": lambda: _plan().to_xlsx(tmp_path / "plan.xlsx"),
        "Report.to_data()": lambda: bm.default_checklist().to_data(),
        "backoffice_marketing.adoption.ConcealedNamesError": lambda: (
            bm.adoption.ConcealedNamesError
        ),
        "backoffice_marketing.adoption.DiffusionFitError": lambda: bm.adoption.DiffusionFitError,
        "backoffice_marketing.adoption.InputColumnsError": lambda: bm.adoption.InputColumnsError,
        "backoffice_marketing.adoption.TimestampError": lambda: bm.adoption.TimestampError,
        "backoffice_marketing.adoption.UnknownTimeZoneError": lambda: (
            bm.adoption.UnknownTimeZoneError
        ),
        "backoffice_marketing.voice.QuestionStateError": lambda: bm.voice.QuestionStateError,
        "backoffice_marketing.voice.UnknownQuestionError": lambda: bm.voice.UnknownQuestionError,
        "backoffice_marketing.planning.schedule()": lambda: planning.schedule([1], [[]]),
        **{
            f"backoffice_marketing.adoption.{name}": functools.partial(getattr, bm.adoption, name)
            for name in _OLD_ADOPTION
        },
    }


@pytest.mark.parametrize(
    "entry",
    # ReachLog and VoiceReport's old methods are exercised where their data is built
    # (test_materials_announcements.py, test_voice_measures.py).
    [entry for entry in DEPRECATIONS if not entry.name.startswith(("ReachLog", "VoiceReport"))],
    ids=lambda entry: entry.name,
)
def test_each_deprecated_name_warns_with_both_versions(entry: Deprecation, tmp_path: Path) -> None:
    """Using a deprecated name warns, naming its replacement and both versions."""
    pytest.importorskip("openpyxl", reason="Plan.to_xlsx needs the [excel] extra")
    call = _calls(tmp_path)[entry.name]
    pattern = rf"since version {re.escape(entry.since)} .* version {re.escape(entry.removed_in)}"
    with pytest.warns(DeprecationWarning, match=pattern) as caught:
        call()
    assert entry.instead in str(caught[0].message)


def test_to_data_gives_what_to_dict_gives() -> None:
    """The restored to_data() returns the same plain data as to_dict()."""
    checklist = bm.default_checklist()
    with pytest.warns(DeprecationWarning, match=r"Checklist\.to_data"):
        assert checklist.to_data() == checklist.to_dict()

"""The built-in catalogue: failure modes and the default checklist."""

from __future__ import annotations

import re

import pytest

import backoffice_marketing as bm

_STAGES = {
    "research", "diagnosis", "proposal", "design", "materials", "announcement", "launch",
    "measurement", "laggard-follow-up", "intervention", "acceleration", "cut-over", "embedded",
}  # fmt: skip
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_failure_mode_values() -> None:
    """The five failure modes have the contract's values and round-trip from strings."""
    assert [mode.value for mode in bm.FailureMode] == [
        "research", "customer_voice", "announcement", "materials", "two_way",
    ]  # fmt: skip
    assert bm.FailureMode("two_way") is bm.FailureMode.TWO_WAY


@pytest.mark.parametrize("mode", list(bm.FailureMode))
def test_failure_mode_profiles_are_bilingual(mode: bm.FailureMode) -> None:
    """Every profile text exists in Japanese (with Japanese script) and English."""
    profile = mode.profile
    for text in (profile.name, profile.complaint, profile.cause, profile.discipline, profile.habit):
        assert _JAPANESE.search(text.ja)
        assert text.en.isascii()
    assert mode.label("ja") == profile.name.ja
    assert mode.label("en") == profile.name.en


def test_unknown_failure_mode() -> None:
    """An unknown failure mode is a ValueError naming the value."""
    with pytest.raises(ValueError, match="'poster'"):
        bm.FailureMode("poster")


def test_default_checklist_has_eight_items_per_mode() -> None:
    """The catalogue holds at least 8 items for each of the 5 failure modes (40+)."""
    checklist = bm.default_checklist()
    assert len(checklist) >= 40
    for mode in bm.FailureMode:
        assert len(checklist.for_failure_mode(mode)) >= 8


def test_default_checklist_items_are_complete() -> None:
    """Every item has ja and en texts, a remedy, a valid id and known stage gates."""
    for item in bm.default_checklist():
        assert item.id.startswith(f"{item.failure_mode.value}.")
        assert item.remedies
        for text in (item.question, item.why, item.evidence, *item.remedies):
            assert _JAPANESE.search(text.ja), item.id
            assert text.en.strip(), item.id
        assert set(item.gates) <= _STAGES, item.id
        assert item.weight > 0


def test_default_checklist_grounded_practices() -> None:
    """The catalogue covers the practices the issue names, by id."""
    ids = set(bm.default_checklist().ids)
    for expected in (
        "research.department-coverage",
        "customer_voice.decisions-traced",
        "announcement.two-channels",
        "materials.why",
        "materials.what-changes",
        "materials.when",
        "materials.reader-action",
        "materials.where-to-ask",
        "two_way.reply-time",
        "two_way.faq-published",
        "two_way.champions",
        "two_way.adoption-measured",
        "two_way.cutover-readiness",
    ):
        assert expected in ids


def test_materials_gate_the_announcement() -> None:
    """The core materials items must be done before the announcement stage starts."""
    gating = set(bm.default_checklist().for_stage("announcement").ids)
    assert {"materials.why", "materials.reader-action", "materials.where-to-ask"} <= gating


def test_default_checklist_is_cached_and_immutable() -> None:
    """The built-in checklist is loaded once and cannot be changed in place."""
    first = bm.default_checklist()
    assert bm.default_checklist() is first
    with pytest.raises(AttributeError):
        first.items = ()  # type: ignore[misc]

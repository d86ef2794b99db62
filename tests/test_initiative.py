"""The Initiative: one place for the settings every producer, plan and report reads."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import backoffice_marketing as bm
from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation import defaults
from tests.strategies import initiatives


def test_example_takes_its_figures_from_the_defaults() -> None:
    """The bundled initiative leaves every figure to defaults.py and keeps department order."""
    initiative = bm.Initiative.example()
    assert initiative.target == defaults.ADOPTION_TARGET
    assert initiative.majority_share == defaults.MAJORITY_SHARE
    assert initiative.notice_days == defaults.NOTICE_DAYS
    assert initiative.lead_time_days == defaults.LEAD_TIME_DAYS
    assert initiative.reply_days == defaults.REPLY_DAYS
    assert initiative.privacy == bm.PrivacyFloors(
        defaults.MIN_GROUP_SIZE, defaults.MIN_TEXT_GROUP_SIZE
    )
    assert [unit.id for unit in initiative.departments][:3] == ["経営企画部", "総務部", "人事部"]
    assert initiative.headcounts["名古屋営業所"] == 4
    assert sum(initiative.headcounts.values()) == 1400
    assert initiative.plan_options == {
        "lead_time": defaults.LEAD_TIME_DAYS,
        "notice": defaults.NOTICE_DAYS,
        "capacity": defaults.CENTRAL_TEAM_CAPACITY,
    }
    assert "target=90%" in repr(initiative)


def test_plan_and_playbook_use_the_initiative() -> None:
    """The plan runs on the initiative's calendar and the exit criterion takes its target."""
    initiative = attrs.evolve(bm.Initiative.example(), target=0.85, majority_share=0.6)
    playbook = initiative.load_playbook()
    assert playbook.exit.target == 0.85
    plan = initiative.plan()
    assert plan.start == initiative.start
    assert {unit.id for unit in plan.departments} == set(initiative.headcounts)
    assert initiative.business_calendar.country == "JP"
    assert attrs.evolve(initiative, calendar="none").business_calendar.country is None


@settings(max_examples=30)
@given(initiatives())
def test_initiative_round_trips(
    tmp_path_factory: pytest.TempPathFactory, made: bm.Initiative
) -> None:
    """Saving and loading an initiative (TOML, JSON, YAML) gives it back unchanged."""
    folder = tmp_path_factory.mktemp("initiative")
    for suffix in (".toml", ".json", ".yaml"):
        path = folder / f"initiative{suffix}"
        made.save(path)
        assert bm.Initiative.from_file(path) == made


def test_bad_initiative_names_file_line_and_field(tmp_path: Path) -> None:
    """Every problem of the file comes at once, with its line and field."""
    path = tmp_path / "initiative.toml"
    path.write_text(
        "schema_version = 1\n"
        'id = "chat"\n'
        'name = { ja = "移行", en = "Move" }\n'
        'playbook = "chat-migration"\n'
        "start = 2027-03-15\n"
        "target = 1.5\n"
        'lang = "fr"\n'
        "[privacy]\n"
        "figures = 3\n"
        "[[departments]]\n"
        'id = "営業部"\n'
        "headcount = 10\n"
        "[[departments]]\n"
        'id = "営業部"\n'
        "headcount = 12\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        bm.Initiative.from_file(path)
    found = {(problem.path, problem.line) for problem in caught.value.problems}
    assert ("target", 6) in found
    assert ("lang", 7) in found
    assert ("privacy.figures", 9) in found
    assert any(field.startswith("departments") for field, _ in found)
    assert all(problem.file == str(path) for problem in caught.value.problems)


def test_majority_cannot_exceed_target(tmp_path: Path) -> None:
    """Declaring the end needs fewer people than the target: majority above it is an error."""
    path = tmp_path / "initiative.toml"
    path.write_text(
        'schema_version = 1\nid = "chat"\nname = { ja = "移行", en = "Move" }\n'
        'playbook = "chat-migration"\nstart = 2027-03-15\ndepartments = []\n'
        "target = 0.6\nmajority_share = 0.8\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="majority share"):
        bm.Initiative.from_file(path)
    with pytest.raises(ValueError, match="at least 10"):
        bm.PrivacyFloors(text=9)

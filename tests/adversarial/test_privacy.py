"""Family "privacy": every published figure describes at least the floor on its date."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from backoffice_marketing.adoption import adoption_rates, champion_coverage, funnel
from backoffice_marketing.core.privacy import (
    MIN_GROUP_SIZE,
    Group,
    PrivacyFloorError,
    check_min_group_size,
    roll_up,
)
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.voice import Hearing, HearingFinding, HearingLog, VoiceReport

DAY = dt.date(2027, 6, 30)


class Sneaky(int):
    """An int that claims never to be below anything."""

    def __lt__(self, other: object) -> bool:
        return False


@pytest.mark.parametrize("value", [Sneaky(1), True, 4.0, "5", MIN_GROUP_SIZE - 1])
def test_floor_check_accepts_plain_ints_only(value: object) -> None:
    """An int subclass overriding ``__lt__``, a bool, a float or text never pass the floor."""
    with pytest.raises(PrivacyFloorError):
        check_min_group_size(value)


def test_group_size_must_be_a_plain_int() -> None:
    """A group's size is a plain int as well."""
    with pytest.raises(FieldValueError):
        Group("a", Sneaky(3))


def test_parent_total_never_reveals_a_suppressed_child() -> None:
    """Parent total minus its published children would give a 3-person child: withheld."""
    groups = [
        Group("HQ", 0),
        Group("A", 6, "HQ"),
        Group("B", 6, "HQ"),
        Group("solo", 10),
        Group("X", 4),  # outside HQ: "other" mixes X with the small part of HQ
        Group("C", 3, "HQ-lab"),  # rolled up through HQ-lab and HQ into "other"
        Group("HQ-lab", 0, "HQ"),
    ]
    result = roll_up(groups, parent_totals=True)
    published = {group.id: group.size for group in result.published}
    totals = {group.id: group.size for group in result.parent_totals}
    assert published == {"A": 6, "B": 6, "solo": 10, "other": 7}
    # HQ's subtree has 15 people; its total counts only the published A and B, so
    # subtracting them never gives the small part (C, in "other").
    assert totals == {"HQ (total)": 12}
    assert "HQ-lab (total)" not in totals


def test_parent_total_published_when_nothing_is_hidden() -> None:
    """A total whose children are all published is still published."""
    result = roll_up([Group("HQ", 0), Group("A", 6, "HQ"), Group("B", 7, "HQ")], parent_totals=True)
    assert [(g.id, g.size) for g in result.parent_totals] == [("HQ (total)", 13)]


def _roster() -> pl.DataFrame:
    """Sales: 6 people, of whom 3 left on 2027-06-15; Ops: 8 people throughout."""
    users = [f"s{i}" for i in range(6)] + [f"o{i}" for i in range(8)]
    departments = ["Sales"] * 6 + ["Ops"] * 8
    ends = [dt.date(2027, 6, 15)] * 3 + [None] * 11
    return pl.DataFrame(
        {
            "user_id": users,
            "department": departments,
            "start": [dt.date(2027, 1, 1)] * 14,
            "end": ends,
        }
    )


def test_funnel_uses_the_group_size_on_the_day_published() -> None:
    """Sales has 3 people on the day: it is never a row of its own (6 over all time)."""
    events = pl.DataFrame({"user_id": ["s4", "o1"], "date": [DAY, DAY]})
    rows = funnel(events, _roster(), end=DAY)
    assert all(row.headcount >= MIN_GROUP_SIZE for row in rows)
    assert "Sales" not in {row.department for row in rows}


def test_champion_coverage_uses_the_group_size_on_the_day() -> None:
    """Champion coverage of a department that shrank below the floor is not published."""
    rows = champion_coverage(_roster(), ["s4"], on=DAY)
    assert all(row.headcount >= MIN_GROUP_SIZE for row in rows)
    assert "Sales" not in {row.department for row in rows}


def test_withheld_team_is_not_counted_as_unmatched() -> None:
    """A 3-person team that cannot be published does not reappear in ``unmatched_users``."""
    roster = pl.DataFrame({"user_id": ["a", "b", "c"], "department": ["Tiny"] * 3})
    events = pl.DataFrame({"user_id": ["a", "b", "c"], "date": [DAY] * 3})
    rates = adoption_rates(events, roster, period="week")
    assert rates["unmatched_users"].to_list() in ([], [0] * rates.height)
    assert 3 not in rates["active_users"].to_list()


def test_finding_from_a_small_department_is_never_quoted() -> None:
    """A 3-person department's finding is withheld whole, also under "department withheld"."""
    hearings = HearingLog(
        (
            Hearing(
                "h1",
                DAY,
                ("経理部",),
                "HR",
                findings=(
                    HearingFinding("f1", "月末は締めで全く時間が取れない", quotes=("無理",)),
                ),
            ),
        )
    )
    report = VoiceReport.build(
        as_of=DAY, departments={"経理部": 3, "営業部": 40}, hearings=hearings
    )
    for text in (report.to_markdown(lang="ja"), report.to_html(lang="en"), report.to_json()):
        assert "月末" not in text
        assert "無理" not in text


def test_suppressed_rows_are_never_flagged_as_laggards() -> None:
    """A period withheld for privacy (rate shown as 0) does not name its department a laggard."""
    from backoffice_marketing.adoption import laggards  # noqa: PLC0415

    rates = pl.DataFrame(
        {
            "department": ["A", "B", "C"],
            "period": ["2027-W20"] * 3,
            "rate": [0.9, 0.0, 0.85],
            "suppressed": [False, True, False],
        }
    )
    assert [flag.department for flag in laggards(rates, target=0.8)] == []
    shown = rates.with_columns(pl.lit(value=False).alias("suppressed"))
    assert [flag.department for flag in laggards(shown, target=0.8)] == ["B"]


def test_suppressed_rows_are_not_drawn() -> None:
    """The adoption charts leave out rows withheld for privacy."""
    from backoffice_marketing.adoption import AdoptionRates  # noqa: PLC0415

    rates = pl.DataFrame(
        {
            "department": ["A", "B"],
            "period": ["2027-W20"] * 2,
            "rate": [0.9, 0.0],
            "suppressed": [False, True],
        }
    )
    report = AdoptionRates.from_frame(rates)
    for svg in (report.chart_svg(small_multiples=True), report.latest_svg()):
        assert ">A<" in svg
        assert ">B<" not in svg

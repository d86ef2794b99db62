"""Tests of the Teams and Slack readers, the funnel, champions, evidence and charts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from backoffice_marketing.adoption import (
    AdoptionRates,
    adoption_rates,
    champion_coverage,
    cutover_advice,
    evidence,
    funnel,
    laggards,
    read_slack_member_analytics,
    read_teams_user_activity,
)
from backoffice_marketing.adoption.readers import TEAMS_USER_DETAIL_COLUMNS
from backoffice_marketing.core.checklist import AnswerLevel, default_checklist
from backoffice_marketing.exceptions import LoadError, UnsupportedFormatError
from backoffice_marketing.foundation.text import Lang

FIXTURES = Path(__file__).parent / "fixtures" / "adoption"
ROSTER = FIXTURES / "roster.csv"


def teams_files() -> list[Path]:
    return sorted(FIXTURES.glob("teams_user_detail_*.csv"))


def test_teams_fixture_gives_weekly_rates() -> None:
    """The Teams user-detail files load and give per-department weekly rates."""
    events = read_teams_user_activity(teams_files())
    assert events.columns == ["user_id", "date", "count"]
    assert events.height == 10 + 7 + 9
    rates = adoption_rates(events, str(ROSTER))
    table = {(d, p): r for d, p, r in rates.select("department", "period", "rate").rows()}
    assert table[("営業部", "2024-W14")] == 4 / 8
    assert table[("人事部", "2024-W16")] == 1 / 6
    assert sorted({p for _, p in table}) == ["2024-W14", "2024-W15", "2024-W16"]


def test_teams_header_follows_the_documented_columns() -> None:
    """The fixture's header is the documented Graph column list."""
    header = teams_files()[0].read_text(encoding="utf-8-sig").splitlines()[0]
    assert tuple(header.split(",")) == TEAMS_USER_DETAIL_COLUMNS


def test_slack_fixture_gives_weekly_rates() -> None:
    """The Slack member analytics exports load and give per-department weekly rates."""
    events = read_slack_member_analytics(
        sorted(FIXTURES.glob("slack_members_*.csv")), backend="pandas"
    )
    assert list(events.columns) == ["user_id", "date", "count"]
    rates = adoption_rates(events, str(ROSTER))
    table = {
        (d, p): r for d, p, r in rates[["department", "period", "rate"]].itertuples(index=False)
    }
    assert table[("営業部", "2024-W14")] == 0.5
    assert table[("営業部", "2024-W15")] == 1.0


@pytest.mark.usefixtures("in_english")
def test_reader_problems_name_file_line_and_column(tmp_path: Path) -> None:
    """Bad rows are reported together with file, line and column."""
    bad = tmp_path / "teams.csv"
    bad.write_text(
        "User Principal Name,Last Activity Date,Call Count\n"
        "a@example.com,2024-04-01,x\n"
        ",2024-04-01,1\n"
        "b@example.com,yesterday,1\n"
        "c@example.com,,0\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        read_teams_user_activity(bad)
    found = [(p.line, p.column, p.path) for p in caught.value.problems]
    assert found == [
        (2, 3, "Call Count"),
        (3, 1, "User Principal Name"),
        (4, 2, "Last Activity Date"),
    ]
    missing = tmp_path / "slack.csv"
    missing.write_text("Name,Email\nx,y\n", encoding="utf-8")
    with pytest.raises(LoadError, match="Last active"):
        read_slack_member_analytics([missing])
    with pytest.raises(LoadError, match="cannot read"):
        read_teams_user_activity(tmp_path / "nothing.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(LoadError, match="UTF-8"):
        read_teams_user_activity(binary)


def test_slack_dates_in_words(tmp_path: Path) -> None:
    """Slack dates written as 'Apr 1, 2024' or with a time are read."""
    path = tmp_path / "slack.csv"
    path.write_text(
        'User ID,Last active (UTC),Messages posted\nU1,"Apr 1, 2024",3\nU2,2024-04-02 10:00,\n',
        encoding="utf-8",
    )
    events = read_slack_member_analytics(path, backend="pyarrow")
    assert events.to_pylist() == [
        {"user_id": "U1", "date": dt.date(2024, 4, 1), "count": 3},
        {"user_id": "U2", "date": dt.date(2024, 4, 2), "count": 0},
    ]


def test_funnel_and_champions() -> None:
    """The funnel narrows from enabled to champion; coverage asks 1 per 50, at least 1."""
    events = read_teams_user_activity(teams_files())
    rows = funnel(
        events,
        str(ROSTER),
        habit_days=2,
        champions=["user00@example.co.jp"],
        enabled=[f"user{i:02d}@example.co.jp" for i in range(18)],
    )
    by_name = {row.department: row for row in rows}
    sales = by_name["営業部"]
    assert (sales.headcount, sales.enabled, sales.active, sales.habitual, sales.champions) == (
        8,
        8,
        8,
        5,
        1,
    )
    assert by_name["人事部"].enabled == 4
    assert sales.end == dt.date(2024, 4, 16)
    explicit = funnel(events, str(ROSTER), start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 7))
    assert {row.department: row.active for row in explicit}["営業部"] == 4
    coverage = champion_coverage(
        str(ROSTER), ["user00@example.co.jp"], on=dt.date(2024, 4, 1), per=5
    )
    assert [(c.department, c.needed, c.champions, c.met) for c in coverage] == [
        ("人事部", 2, 0, False),
        ("営業部", 2, 1, False),
        ("経理部", 2, 0, False),
    ]
    with pytest.raises(ValueError, match="per"):
        champion_coverage(str(ROSTER), [], per=0)
    with pytest.raises(ValueError, match="habit_days"):
        funnel(events, str(ROSTER), habit_days=0)


def _steady_rates() -> pl.DataFrame:
    """Six weeks of two 100-person departments: one at 95 %, one steadily at 20 %.

    The sample Teams fixture has departments of six people over three weeks: the
    classification reads their swings as noise and flags none, so the answers that
    need a flagged department are built on this steady shortfall instead.
    """
    rows = []
    for week in range(6):
        start = dt.date(2024, 4, 1) + dt.timedelta(days=7 * week)
        for department, rate in (("営業部", 0.95), ("経理部", 0.2)):
            rows.append(
                {
                    "department": department,
                    "period": f"2024-W{14 + week}",
                    "period_start": start,
                    "headcount": 100,
                    "active_users": round(rate * 100),
                    "rate": rate,
                    "unmatched_users": 0,
                    "suppressed": False,
                }
            )
    return pl.DataFrame(rows)


def test_evidence_answers_checklist_items() -> None:
    """Adoption results become answers to real checklist items, with source 'adoption'."""
    events = read_teams_user_activity(teams_files())
    rates = adoption_rates(events, str(ROSTER))
    on = dt.date(2024, 4, 20)
    measured = evidence.adoption_measured(rates, collected_on=on)
    flags = laggards(_steady_rates(), target=0.5)
    assert [flag.department for flag in flags] == ["経理部"]
    answers = [
        measured,
        evidence.laggards_revisited(flags, [flag.department for flag in flags], collected_on=on),
        evidence.laggard_follow_up(flags, [], collected_on=on),
        evidence.champions_in_place(
            champion_coverage(str(ROSTER), ["user00@example.co.jp"], on=on), collected_on=on
        ),
    ]
    checklist = default_checklist()
    for answer in answers:
        assert answer.item in checklist
        assert answer.evidence.source == "adoption"
    assert measured.level is AnswerLevel.DONE
    assert answers[1].level is AnswerLevel.DONE
    assert answers[2].level is AnswerLevel.NOT_DONE
    assert answers[3].level is AnswerLevel.PARTIAL
    assert evidence.laggard_follow_up((), []).level is AnswerLevel.DONE
    assert evidence.adoption_measured(rates.head(0)).level is AnswerLevel.NOT_DONE
    assert evidence.adoption_measured(rates.filter(pl.col("period") == "2024-W14")).level is (
        AnswerLevel.PARTIAL
    )
    assert evidence.champions_in_place(()).level is AnswerLevel.NOT_DONE


def test_cutover_readiness_follows_the_advice() -> None:
    """Not done before the majority moved; then the share of departments not stranded."""
    weeks = [dt.date(2027, 5, 17) + dt.timedelta(days=7 * i) for i in range(6)]
    moved = (0.3, 0.6, 0.8, 0.9, 0.93, 0.95)
    stuck = (0.1, 0.2, 0.25, 0.28, 0.29, 0.3)
    on = dt.date(2027, 6, 30)
    split = cutover_advice(
        {"営業部": (weeks, moved), "製造部": (weeks, stuck)}, weights={"営業部": 9, "製造部": 1}
    )
    advice_only = evidence.cutover_readiness(split, collected_on=on, reference="cutover.md")
    assert advice_only.item == "two_way.cutover-readiness"
    assert advice_only.level is AnswerLevel.NOT_DONE  # advice is not a declaration
    answer = evidence.cutover_readiness(
        split, collected_on=on, reference="cutover.md", declared_on=on
    )
    assert answer.level is AnswerLevel.PARTIAL
    assert answer.score == 0.5
    assert answer.evidence.note is not None
    assert "製造部" in answer.evidence.note
    ready = cutover_advice({"営業部": (weeks, moved)})
    assert evidence.cutover_readiness(ready).level is AnswerLevel.NOT_DONE
    assert evidence.cutover_readiness(ready, declared_on=on).level is AnswerLevel.DONE
    early = cutover_advice({"製造部": (weeks, stuck)})
    waiting = evidence.cutover_readiness(early, lang="en")
    assert waiting.level is AnswerLevel.NOT_DONE
    assert waiting.evidence.note is not None
    assert "majority" in waiting.evidence.note
    assert "終了を宣言する利用率" in str(evidence.cutover_readiness(early, lang="ja").evidence.note)
    empty = cutover_advice({})
    assert evidence.cutover_readiness(empty).level is AnswerLevel.NOT_DONE


def test_charts_render_offline(tmp_path: Path) -> None:
    """Both SVG charts export to PNG and SVG offline, byte-identical on a second run."""
    events = read_teams_user_activity(teams_files())
    report = AdoptionRates.from_frame(adoption_rates(events, str(ROSTER)), target=0.5)
    png = report.write(tmp_path / "trend.png", lang="en")
    first = png.read_bytes()
    assert first.startswith(b"\x89PNG")
    assert report.write(tmp_path / "again.png", lang="en").read_bytes() == first
    assert "営業部" in report.chart_svg(lang="ja", small_multiples=True)
    assert "営業部" in report.latest_svg(lang="ja")
    with pytest.raises(UnsupportedFormatError):
        report.write(tmp_path / "trend.gif")
    empty = AdoptionRates.from_frame(adoption_rates(events, str(ROSTER)).head(0))
    assert empty.latest_svg().startswith("<svg")


def test_other_group_is_labelled_in_the_chart_language() -> None:
    """The roll-up group 'other' is shown as その他 / Other in every chart."""
    rates = pl.DataFrame(
        {
            "department": ["other", "営業部"],
            "period": ["2024-W14"] * 2,
            "rate": [0.2, 0.9],
            "suppressed": [False] * 2,
        }
    )
    report = AdoptionRates.from_frame(rates, target=0.5)
    assert ">その他<" in report.latest_svg(lang="ja")
    assert ">Other<" in report.latest_svg(lang="en")
    assert ">その他<" in report.chart_svg(lang="ja", small_multiples=True)
    assert ">other<" not in report.chart_svg(lang="en", small_multiples=True)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_evidence_notes_follow_the_language(lang: Lang) -> None:
    """Every adoption evidence note is written in the language asked for."""
    events = read_teams_user_activity(teams_files())
    rates = adoption_rates(events, str(ROSTER))
    flags = laggards(_steady_rates(), target=0.5)
    coverage = champion_coverage(str(ROSTER), ["user00@example.co.jp"], on=dt.date(2024, 4, 20))
    answers = [
        evidence.adoption_measured(rates, lang=lang),
        evidence.adoption_measured(rates.head(0), lang=lang),
        evidence.laggards_revisited(flags, [], lang=lang),
        evidence.laggard_follow_up((), [], lang=lang),
        evidence.champions_in_place(coverage, lang=lang),
        evidence.champions_in_place((), lang=lang),
    ]
    notes = [str(answer.evidence.note) for answer in answers]
    words = [re.sub(r"[\w.@-]*@[\w.-]+|\d{4}-W\d{2}", "", note) for note in notes]
    if lang == "ja":
        assert not [note for note in words if re.search(r"[A-Za-z]{2,}", note)]
        assert "未対応" in notes[2]
        assert "不足" in notes[4]
    else:
        assert not [note for note in words if re.search(r"[\u3040-\u30ff]", note)]
        assert "still to do" in notes[2]
        assert "missing" in notes[4]

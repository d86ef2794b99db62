"""Bad input and edge cases of the outcome: readers, mappings, metrics, exit rule, Case B."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.adoption.exit_criteria import (
    ExitRule,
    evaluate_outcome,
    rows_frame,
    slide_back,
)
from backoffice_marketing.adoption.one_on_one import one_on_one_outcome
from backoffice_marketing.adoption.outcome import outcome_metrics, share_definition
from backoffice_marketing.adoption.outcome_readers import (
    parse_column_mapping,
    read_mapped,
    read_message_trace,
    read_teams_activity_counts,
    unknown_departments,
    warn_unknown_departments,
)
from backoffice_marketing.app.outcome_cli import apply_columns
from backoffice_marketing.exceptions import InputColumnsError, LoadError

MONDAY = dt.date(2027, 5, 17)


def _frames(weeks: int = 1) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    users = [f"u{i}" for i in range(6)]
    roster = pl.DataFrame({"user_id": users, "department": ["A"] * 6})
    days = [MONDAY + dt.timedelta(days=d) for d in range(7 * weeks)]
    chat = pl.DataFrame(
        [{"user_id": u, "date": d, "count": 5, "meetings": 1} for u in users for d in days]
    )
    mail = pl.DataFrame([{"user_id": u, "date": d, "sent": 1} for u in users for d in days])
    return chat, mail, roster


def test_metrics_reject_bad_settings_and_counts() -> None:
    """Reversed ranges, bad habit rules, negative or text counts and missing columns are errors."""
    chat, mail, roster = _frames()
    end = MONDAY + dt.timedelta(days=6)
    with pytest.raises(ValueError, match="before start"):
        outcome_metrics(chat, mail, roster, start=end, end=MONDAY)
    with pytest.raises(ValueError, match="habit_days"):
        outcome_metrics(chat, mail, roster, start=MONDAY, end=end, habit_days=0)
    with pytest.raises(ValueError, match="habit_of"):
        outcome_metrics(chat, mail, roster, start=MONDAY, end=end, habit_of=2)
    with pytest.raises(ValueError, match="baseline"):
        outcome_metrics(chat, mail, roster, start=MONDAY, end=end, baseline=(end, MONDAY))
    negative = mail.with_columns(pl.lit(-1).alias("sent"))
    with pytest.raises(LoadError, match="cannot be negative"):
        outcome_metrics(chat, negative, roster, start=MONDAY, end=end)
    text = mail.with_columns(pl.lit("x").alias("sent"))
    with pytest.raises(LoadError, match="whole numbers"):
        outcome_metrics(chat, text, roster, start=MONDAY, end=end)
    with pytest.raises(InputColumnsError):
        outcome_metrics(chat.drop("count"), mail, roster, start=MONDAY, end=end)
    with pytest.raises(InputColumnsError):
        outcome_metrics(chat, mail.drop("sent"), roster, start=MONDAY, end=end)
    with pytest.raises(InputColumnsError):
        outcome_metrics(chat.drop("date"), mail, roster, start=MONDAY, end=end)
    numbers = chat.with_columns(pl.lit(3).alias("date"))
    with pytest.raises(LoadError, match="dates or timestamps"):
        outcome_metrics(numbers, mail, roster, start=MONDAY, end=end)


def test_metrics_depth_baseline_and_change() -> None:
    """Depth columns give a rate; the baseline gives the change in email per person."""
    chat, mail, roster = _frames(weeks=2)
    base_mail = mail.with_columns(pl.col("sent") * 2)
    metrics = outcome_metrics(
        chat.filter(pl.col("date") >= MONDAY + dt.timedelta(days=7)),
        pl.concat(
            [
                base_mail.filter(pl.col("date") < MONDAY + dt.timedelta(days=7)),
                mail.filter(pl.col("date") >= MONDAY + dt.timedelta(days=7)),
            ]
        ),
        roster,
        start=MONDAY + dt.timedelta(days=7),
        end=MONDAY + dt.timedelta(days=13),
        baseline=(MONDAY, MONDAY + dt.timedelta(days=6)),
    )
    row = metrics.row(0, named=True)
    assert row["meetings_rate"] == 1.0
    assert row["baseline_emails_per_person"] == 14.0
    assert row["email_change"] == pytest.approx(-0.5)
    assert row["mail_scope"] == "all"


def test_metrics_on_text_timestamps_and_mixed_backends() -> None:
    """A usage log with text timestamps works, and a pandas mail log joins a polars chat log."""
    chat, mail, roster = _frames()
    stamps = chat.with_columns(
        (pl.col("date").cast(pl.String) + "T09:00:00+09:00").alias("timestamp")
    ).drop("date")
    result = outcome_metrics(
        stamps, mail.to_pandas(), roster, start=MONDAY, end=MONDAY + dt.timedelta(days=6)
    )
    assert result["new_way_share"].to_list() == [pytest.approx(5 / 6)]


def test_small_departments_are_rolled_up_and_unknown_names_warned() -> None:
    """Groups under the floor are merged or withheld; unknown names are warned with a near one."""
    chat, mail, roster = _frames()
    small = roster.with_columns(pl.Series("department", ["A"] * 3 + ["経理部"] * 3))
    with pytest.warns(UserWarning, match="did you mean '経理課'"):
        metrics = outcome_metrics(
            chat, mail, small, start=MONDAY, end=MONDAY + dt.timedelta(days=6),
            known_departments=["経理課", "A"],
        )  # fmt: skip
    assert metrics["department"].to_list() == ["other"]
    assert metrics["headcount"].to_list() == [6]
    tiny = roster.head(3).with_columns(pl.lit("経理部").alias("department"))
    alone = outcome_metrics(chat, mail, tiny, start=MONDAY, end=MONDAY + dt.timedelta(days=6))
    assert len(alone) == 0
    evaluation = evaluate_outcome(alone, ExitRule(0.9))
    assert evaluation.departments == ()
    assert evaluation.company is None
    assert not evaluation.done
    assert unknown_departments(["zzz"], ["A"]) == (("zzz", None),)
    warn_unknown_departments(["A"], ["A"], source="x")  # nothing to warn about


def test_exit_rule_scopes_periods_and_slide_back() -> None:
    """Company scope reads the company; unknown periods are errors; slide-back becomes due."""
    chat, mail, roster = _frames(weeks=14)
    metrics = outcome_metrics(
        chat, mail, roster, start=MONDAY, end=MONDAY + dt.timedelta(days=7 * 14 - 1)
    )
    company = ExitRule(0.8, None, "company")
    assert company.expression == "new_way_share >= 0.8"
    assert evaluate_outcome(metrics, company).done
    with pytest.raises(KeyError):
        evaluate_outcome(metrics, company, period="1999-W01")
    check = slide_back(metrics, ExitRule(0.8), completed=MONDAY, weeks=12)
    assert check.due
    assert check.ok
    with pytest.raises(ValueError, match="weeks"):
        slide_back(metrics, ExitRule(0.8), completed=MONDAY, weeks=0)
    with pytest.raises(ValueError, match="no period"):
        slide_back(metrics, ExitRule(0.8), completed=dt.date(2000, 1, 1))
    with pytest.raises(ValueError, match="between 0 and 1"):
        ExitRule(1.5)
    rule = ExitRule.from_initiative(bm.Initiative.example())
    assert rule.habit_target == 0.6
    assert ExitRule.from_playbook(bm.load_playbook("one-on-one")).habit_target is None
    assert len(rows_frame([{"a": 1}])) == 1
    assert "internal" in share_definition("internal").en


def test_teams_and_trace_readers_report_bad_rows(tmp_path: Path) -> None:
    """Missing columns, bad dates and bad counts are reported with file, line and column."""
    teams = tmp_path / "teams.csv"
    teams.write_text("Report Refresh Date,User Principal Name\n2027-05-23,a@x.example\n", "utf-8")
    with pytest.raises(LoadError, match="Team Chat Message Count"):
        read_teams_activity_counts(teams)
    header = (
        "Report Refresh Date,User Principal Name,Last Activity Date,Team Chat Message Count,"
        "Private Chat Message Count,Call Count,Meeting Count,Report Period\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header + "soon,a@x.example,,1,1,0,0,7\n2027-05-23,b@x.example,,x,1,0,0,7\n"
        "2027-05-23,,,1,1,0,0,7\n",
        "utf-8",
    )
    with pytest.raises(LoadError) as caught:
        read_teams_activity_counts(bad)
    assert {problem.path for problem in caught.value.problems} == {
        "Report Refresh Date", "Team Chat Message Count",
    }  # fmt: skip
    one = tmp_path / "d7.csv"
    one.write_text(header + "2027-05-23,a@x.example,,1,1,0,0,7\n", "utf-8")
    month = tmp_path / "d30.csv"
    month.write_text(header + "2027-05-23,a@x.example,,1,1,0,0,30\n", "utf-8")
    with pytest.raises(LoadError, match="different report periods"):
        read_teams_activity_counts([one, month])
    trace = tmp_path / "trace.csv"
    trace.write_text("Sender,Date\na@corp.example,2027-05-17\n", "utf-8")
    with pytest.raises(LoadError, match="recipient"):
        read_message_trace(trace, domains=["corp.example"])
    dated = tmp_path / "dated.csv"
    dated.write_text(
        "Sender,Recipient,Date\na@corp.example,b@corp.example,someday\n"
        "a@corp.example,b@corp.example,2027-05-17\n",
        "utf-8",
    )
    with pytest.raises(LoadError, match="expected a date"):
        read_message_trace(dated, domains=["corp.example"])
    with pytest.raises(ValueError, match="domains"):
        read_message_trace(dated, domains=[" "])


def test_column_mapping_for_every_input(tmp_path: Path) -> None:
    """--column renames in each input that has the column; unknown columns are errors."""
    log = tmp_path / "log.csv"
    log.write_text("社員番号,timestamp\n1,2027-05-17T09:00:00+09:00\n", "utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("社員番号,所属\n1,A\n", "utf-8")
    renamed = apply_columns([log, roster], ["user_id=社員番号", "department=所属"])
    assert [list(frame.collect_schema().names()) for frame in renamed] == [
        ["user_id", "timestamp"], ["user_id", "department"],
    ]  # fmt: skip
    assert apply_columns([log], []) == [log]
    with pytest.raises(ValueError, match="no input has"):
        apply_columns([log], ["user_id=ID"])
    with pytest.raises(ValueError, match="twice"):
        parse_column_mapping(["a=b", "a=c"])
    with pytest.raises(InputColumnsError):
        read_mapped(pl.DataFrame({"x": [1]}), {"user_id": "社員番号"})


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
                       st.from_regex(r"[^=\s]{1,8}", fullmatch=True), max_size=5))  # fmt: skip
def test_column_mapping_round_trips(mapping: dict[str, str]) -> None:
    """Any mapping written as ours=theirs items parses back to itself."""
    assert parse_column_mapping([f"{ours}={theirs}" for ours, theirs in mapping.items()]) == mapping


def test_one_on_one_outcome_from_a_calendar(tmp_path: Path) -> None:
    """Members with a 1on1 with their manager in the last 30 days count; group meetings do not."""
    roster = tmp_path / "roster.csv"
    lines = ["user_id,department,manager", "boss@x,営業部,"]
    lines += [f"m{i}@x,営業部,boss@x" for i in range(6)] + ["s@x,法務部,boss@x"]
    roster.write_text("\n".join(lines) + "\n", "utf-8")
    calendar = tmp_path / "calendar.csv"
    meetings = ["Organizer,Attendees,Start"]
    meetings += [f"boss@x,m{i}@x,2027-06-{10 + i:02d}T10:00" for i in range(5)]
    meetings += ["boss@x,m5@x;m4@x,2027-06-20", "boss@x,m5@x,2027-04-01", "boss@x,s@x,2027-06-01"]
    calendar.write_text("\n".join(meetings) + "\n", "utf-8")
    columns = {"organizer": "Organizer", "attendees": "Attendees", "start": "Start"}
    outcome = one_on_one_outcome(
        calendar, roster, as_of=dt.date(2027, 6, 30), target=0.8, columns=columns
    )
    sales, legal = outcome.departments
    assert (sales.department, sales.members, sales.met) == ("営業部", 6, 5)
    assert sales.done
    assert legal.suppressed
    assert outcome.done
    bad = tmp_path / "bad.csv"
    bad.write_text("Organizer,Attendees,Start\nboss@x,m1@x,tomorrow\n", "utf-8")
    with pytest.raises(LoadError, match="expected a date"):
        one_on_one_outcome(bad, roster, as_of=dt.date(2027, 6, 30), columns=columns)
    with pytest.raises(LoadError, match="missing column"):
        one_on_one_outcome(bad, roster, as_of=dt.date(2027, 6, 30))
    with pytest.raises(ValueError, match="days"):
        one_on_one_outcome(bad, roster, as_of=dt.date(2027, 6, 30), days=0)


def test_adoption_command_with_mail_and_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The adoption command with --mail adds the outcome and --column renames HR columns."""
    from backoffice_marketing.app import sample_exports, samples  # noqa: PLC0415
    from backoffice_marketing.app.cli import main  # noqa: PLC0415

    end = dt.date(2027, 6, 6)
    usage = samples.write_usage(tmp_path / "usage.csv", end=end)
    roster = samples.write_roster(tmp_path / "roster.csv")
    hr = tmp_path / "hr.csv"
    hr.write_text(roster.read_text("utf-8").replace("user_id,", "社員番号,", 1), "utf-8")
    mail = sample_exports.write_email_activity(tmp_path / "email.csv", end=end)
    arguments = ["adoption", str(usage), "-r", str(hr), "--mail", str(mail), "--lang", "en"]
    arguments += ["--column", "user_id=社員番号", "--column", "count=messages"]
    status = main(arguments)
    text = capsys.readouterr().out
    assert status == 1
    assert "## Outcome: has the old way fallen" in text
    assert "| 経理部 |" in text.split("## Outcome")[1]
    assert main([*arguments[:-4], "--column", "user_id=ID"]) == 2
    teams = sample_exports.write_teams_activity(tmp_path / "teams.csv", end=end)
    initiative = samples.sample_file("chat-migration/initiative.toml")
    status = main(
        ["adoption", str(teams), "--source", "teams", "-r", str(roster), "--mail", str(mail),
         "--start", "2027-05-17", "--end", "2027-06-06", "--initiative", str(initiative)]
    )  # fmt: skip
    assert status == 1
    assert "新しいやり方の比率" in capsys.readouterr().out

"""Family "load checks": every bad value is one LoadError (exit 2) with file, line and field."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import polars as pl
import pytest

import backoffice_marketing as bm
from backoffice_marketing.adoption import adoption_rates
from backoffice_marketing.core.departments import Department, coerce_departments
from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation.io.documents import parse_document
from backoffice_marketing.foundation.io.limits import MAX_HEADCOUNT, MAX_TASK_DAYS
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.voice import QuestionLog

from .helpers import ASSESSMENT, invoke

pytestmark = pytest.mark.usefixtures("english_messages")

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("toml", f"schema_version = 1\nn = {HUGE}\n"),
        ("json", f'{{"schema_version": 1, "n": {HUGE}}}'),
        ("yaml", f"schema_version: 1\nn: {HUGE}\n"),
    ],
)
def test_integer_of_5000_digits_is_a_load_error(fmt: str, text: str) -> None:
    """A number beyond Python's digit limit is a LoadError, not a ValueError traceback."""
    path = Path("a." + fmt)
    try:
        document = parse_document(text, format=fmt, file=str(path))  # type: ignore[arg-type]
    except LoadError as error:
        problems = error.problems
    else:  # YAML collects it with the document's other problems, raised by the loader
        problems = document.problems
    assert [problem.path for problem in problems] in (["n"], [""])


def test_integer_beyond_64_bits_is_refused_at_its_line() -> None:
    """Integers beyond 64 bits (4,000 digits fit Python's limit) are named by line and field."""
    text = "schema_version = 1\n[scope]\nheadcount = " + "9" * 4000 + "\n"
    with pytest.raises(LoadError, match="out of range") as caught:
        parse_document(text, format="toml", file="a.toml")
    assert caught.value.problems[0].path == "scope.headcount"
    assert caught.value.problems[0].line == 3


def test_huge_integer_through_the_command_line_exits_2(tmp_path: Path) -> None:
    """``score`` on an assessment with a 5,000-digit number exits 2 with a message."""
    path = tmp_path / "a.toml"
    path.write_text(ASSESSMENT.read_text("utf-8") + f"\nextra = {HUGE}\n", encoding="utf-8")
    result = invoke(["score", str(path)])
    assert result.exit_code == 2
    assert "a.toml" in result.output


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("json", '{"schema_version": 1, "initiative": "\\ud800"}'),
        ("json", '{"schema_version": 1, "\\udfff": 1}'),
        ("yaml", 'schema_version: 1\ninitiative: "\\ud800"\n'),
    ],
)
def test_lone_surrogate_is_refused_at_load(fmt: str, text: str) -> None:
    """A lone surrogate that would crash a later save is refused when the file is read."""
    with pytest.raises(LoadError, match="Unicode"):
        parse_document(text, format=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_non_finite_numbers_are_refused(value: str) -> None:
    """``inf`` and ``nan`` in a document are errors at their field."""
    with pytest.raises(LoadError, match="finite") as caught:
        parse_document(f"schema_version = 1\nweight = {value}\n", format="toml")
    assert caught.value.problems[0].path == "weight"


def test_headcount_of_4000_digits_is_refused(tmp_path: Path) -> None:
    """A department table or NAME=COUNT with a 4,000-digit headcount exits 2."""
    deps = tmp_path / "deps.csv"
    deps.write_text("department,headcount\n営業部," + "9" * 4000 + "\n", encoding="utf-8")
    args = ["plan", "chat-migration", "--start", "2027-04-01"]
    for departments in (str(deps), "営業部=" + "9" * 4000):
        result = invoke([*args, "-d", departments])
        assert result.exit_code == 2
        assert "9" * 100 not in result.output  # the message does not echo the whole number


def test_headcount_range_is_documented_and_enforced() -> None:
    """Headcounts run from 0 to 10^7; bools and larger numbers are refused."""
    assert Department("a", headcount=MAX_HEADCOUNT).headcount == MAX_HEADCOUNT
    for bad in (MAX_HEADCOUNT + 1, -1, True):
        with pytest.raises(FieldValueError):
            Department("a", headcount=bad)
    with pytest.raises(FieldValueError):
        coerce_departments({"a": 10**4000})


def test_headcount_with_non_ascii_digits_is_a_load_error(tmp_path: Path) -> None:
    """Superscript or full-width digits pass isdigit() but are not headcounts."""
    deps = tmp_path / "deps.csv"
    deps.write_text("department,headcount\n営業部,²\n", encoding="utf-8")
    with pytest.raises(LoadError, match="headcount"):
        coerce_departments(deps)
    result = invoke(["plan", "chat-migration", "--start", "2027-04-01", "-d", "営業部=５"])
    assert result.exit_code == 2


def _checklist_with_weight(tmp_path: Path, weight: str) -> Path:
    builtin = resources.files("backoffice_marketing.data").joinpath("checklist.toml")
    text = builtin.read_text(encoding="utf-8")
    first = text.index("[[items]]")
    block = text[first : text.index("[[items]]", first + 1)]
    block = block.replace('id = "research.department-coverage"', 'id = "research.custom-x"')
    block = re.sub(r"weight = \d+", f"weight = {weight}", block)
    path = tmp_path / "items.toml"
    path.write_text("schema_version = 1\n" + block, encoding="utf-8")
    return path


@pytest.mark.parametrize("weight", ["1e308", "inf", "nan", "0", "-1", "100.5"])
def test_weights_must_be_finite_and_in_0_to_100(tmp_path: Path, weight: str) -> None:
    """Weights of 1e308 (scores of 0 % and nan %), inf, nan, 0 or over 100 are refused."""
    path = _checklist_with_weight(tmp_path, weight)
    with pytest.raises(LoadError, match="weight"):
        bm.Checklist.from_file(path)
    assert invoke(["score", str(ASSESSMENT), "--items", str(path)]).exit_code == 2


def test_weight_of_100_is_accepted(tmp_path: Path) -> None:
    """The upper bound itself is a valid weight."""
    checklist = bm.Checklist.from_file(_checklist_with_weight(tmp_path, "100"))
    assert next(iter(checklist)).weight == 100


def test_unknown_calendar_exits_2() -> None:
    """``--calendar XX`` is a clear error (exit 2), not NotImplementedError."""
    args = ["plan", "chat-migration", "--start", "2027-04-01", "-d", "A=10", "--calendar", "XX"]
    result = invoke(args)
    assert result.exit_code == 2
    assert "XX" in result.output


def test_start_near_the_end_of_the_calendar_exits_2() -> None:
    """``--start 9999-12-31`` is refused up front (plans last at most 10 years)."""
    result = invoke(["plan", "chat-migration", "--start", "9999-12-31", "-d", "A=10"])
    assert result.exit_code == 2
    assert "--start" in result.output


PLAYBOOK = """schema_version = 1
id = "edge"
name = {{ ja = "境界", en = "Edge" }}
summary = {{ ja = "例", en = "Example" }}
owner = "it"

[exit]
metric = "adoption_rate"
target = 0.9
scope = "every_department"
description = {{ ja = "九割", en = "90%" }}

[[stages]]
id = "research"

[[stages]]
id = "measurement"
after = ["research"]
repeat = {{ rounds = {rounds}, cadence = 5 }}

[[tasks]]
id = "a"
stage = "research"
title = {{ ja = "あ", en = "A" }}
role = "it"
duration = {duration}

[[tasks]]
id = "b"
stage = "research"
title = {{ ja = "い", en = "B" }}
role = "it"
duration = 1
depends_on = [{depends}]
"""


def _playbook(tmp_path: Path, *, rounds: int = 2, duration: int = 1, depends: str = "") -> Path:
    path = tmp_path / "edge.toml"
    text = PLAYBOOK.format(rounds=rounds, duration=duration, depends=depends)
    path.write_text(text, encoding="utf-8")
    return path


def test_repeat_rounds_of_10_to_the_9_is_refused(tmp_path: Path) -> None:
    """``repeat.rounds = 10**9`` is refused at load, naming the field."""
    with pytest.raises(LoadError, match=r"stages\[1\]\.repeat\.rounds: expected an integer <= 100"):
        bm.load_playbook(_playbook(tmp_path, rounds=10**9))


def test_duration_of_10_to_the_15_days_is_refused(tmp_path: Path) -> None:
    """A task of 10**15 days is refused at its line, not an OverflowError when scheduled."""
    with pytest.raises(LoadError, match=rf":26:1 tasks\[0\]\.duration: .*<= {MAX_TASK_DAYS}"):
        bm.load_playbook(_playbook(tmp_path, duration=10**15))


def test_self_dependency_is_reported_at_its_task(tmp_path: Path) -> None:
    """A task that depends on itself is reported at that task's depends_on, not another."""
    with pytest.raises(LoadError, match=r"tasks\[1\]\.depends_on: cycle: b -> b") as caught:
        bm.load_playbook(_playbook(tmp_path, depends='"b"'))
    assert caught.value.problems[0].line == 34


def test_valid_edge_playbook_loads(tmp_path: Path) -> None:
    """The same playbook with sensible figures loads."""
    assert len(bm.load_playbook(_playbook(tmp_path)).tasks) == 2


def _roster(tmp_path: Path) -> Path:
    roster = tmp_path / "roster.csv"
    rows = "".join(f"u{i},Sales\n" for i in range(12))
    roster.write_text("user_id,department\n" + rows, encoding="utf-8")
    return roster


def test_start_after_end_is_an_error(tmp_path: Path) -> None:
    """``--start`` after ``--end`` exits 2 instead of an empty table with exit 0."""
    events = tmp_path / "events.csv"
    events.write_text("user_id,date\nu1,2027-05-17\n", encoding="utf-8")
    args = ["adoption", str(events), "-r", str(_roster(tmp_path))]
    result = invoke([*args, "--start", "2027-06-01", "--end", "2027-05-01"])
    assert result.exit_code == 2
    assert "after" in result.output


def test_one_row_dated_9999_12_31_is_refused_quickly(tmp_path: Path) -> None:
    """Daily rates over 8,000 years are refused by the period limit (no 6 GB table)."""
    events = tmp_path / "events.csv"
    events.write_text("user_id,date\nu1,2027-05-17\nu2,9999-12-31\n", encoding="utf-8")
    args = ["adoption", str(events), "-r", str(_roster(tmp_path)), "--period", "day"]
    result = invoke(args)
    assert result.exit_code == 2
    assert "at most 5000" in result.output


def test_mixed_timestamp_formats_are_reported_with_lines(tmp_path: Path) -> None:
    """A usage CSV mixing formats names each odd row's line (the format is not guessed once)."""
    events = tmp_path / "events.csv"
    events.write_text(
        "user_id,timestamp\nu1,2027-05-17 10:00\nu2,2027/05/18\nu3,2027-05-19 09:00\nu4,soon\n",
        encoding="utf-8",
    )
    result = invoke(["adoption", str(events), "-r", str(_roster(tmp_path))])
    assert result.exit_code == 2
    assert "events.csv:3 timestamp" in result.output
    assert "events.csv:5 timestamp: not a timestamp" in result.output


def test_empty_usage_csv_gives_an_empty_table(tmp_path: Path) -> None:
    """A usage CSV with a header and no rows is an empty report (exit 0), not a traceback."""
    events = tmp_path / "events.csv"
    events.write_text("user_id,timestamp\n", encoding="utf-8")
    result = invoke(["adoption", str(events), "-r", str(_roster(tmp_path)), "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.startswith("department,period")


def test_naive_timestamp_after_offset_rows_is_on_its_own_day() -> None:
    """``...T10:45:30`` after a ``+09:00`` row is read in Tokyo, not as offset +45:30."""
    events = pl.DataFrame(
        {"user_id": ["u1", "u2"], "timestamp": ["2027-05-17T10:00:00+09:00", "2027-05-20T10:45:30"]}
    )
    roster = pl.DataFrame({"user_id": [f"u{i}" for i in range(12)], "department": ["S"] * 12})
    rates = adoption_rates(
        events, roster, period="day", start=dt.date(2027, 5, 17), end=dt.date(2027, 5, 20)
    )
    active = dict(zip(rates["period"].to_list(), rates["active_users"].to_list(), strict=True))
    assert active == {"2027-05-17": 1, "2027-05-18": 0, "2027-05-19": 0, "2027-05-20": 1}


def test_offset_rows_keep_their_offsets() -> None:
    """A UTC row late in the day is on the next day in Tokyo, beside naive rows."""
    events = pl.DataFrame(
        {"user_id": ["u1", "u2"], "timestamp": ["2027-05-17T20:00:00Z", "2027-05-17 08:00:00"]}
    )
    roster = pl.DataFrame({"user_id": [f"u{i}" for i in range(12)], "department": ["S"] * 12})
    rates = adoption_rates(events, roster, period="day")
    active = dict(zip(rates["period"].to_list(), rates["active_users"].to_list(), strict=True))
    assert active == {"2027-05-17": 1, "2027-05-18": 1}


@pytest.mark.parametrize("date", ["20270420", "2027-W16-1", "2027-04-2０"])
def test_dates_are_strictly_yyyy_mm_dd(tmp_path: Path, date: str) -> None:
    """Dates that fromisoformat alone would take are refused in documents and tables."""
    path = tmp_path / "a.json"
    path.write_text(
        f'{{"schema_version": 1, "initiative": "x", "date": "{date}", "answers": []}}',
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="YYYY-MM-DD"):
        bm.Assessment.from_file(path)
    questions = tmp_path / "q.csv"
    questions.write_text(f"id,text,received_on\nq1,なぜ?,{date}\n", encoding="utf-8")
    with pytest.raises(LoadError, match="YYYY-MM-DD"):
        QuestionLog.from_file(questions)


def test_integer_cell_of_5000_digits_in_a_table(tmp_path: Path) -> None:
    """An integer cell beyond 18 digits in a voice table is a LoadError at its cell."""
    from backoffice_marketing.voice import PulseLog  # noqa: PLC0415

    path = tmp_path / "pulse.csv"
    path.write_text(
        "id,asked_on,question,responses\np1,2027-05-01,x," + HUGE + "\n", encoding="utf-8"
    )
    with pytest.raises(LoadError):
        PulseLog.from_file(path)

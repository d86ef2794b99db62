"""Voice logs load from and save to CSV, xlsx, JSON, YAML and TOML, with precise errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.exceptions import LoadError, UnsupportedFormatError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.voice import (
    AnswerBook,
    Change,
    ChangeLog,
    Decision,
    DecisionLog,
    Hearing,
    HearingFinding,
    HearingLog,
    OfficialAnswer,
    PulseLog,
    PulseResponse,
    Question,
    QuestionLog,
    Sentiment,
)

SUFFIXES = (".csv", ".xlsx", ".json", ".yaml", ".toml")
_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Co", "Cn"])
free_text = st.one_of(
    st.text(_ALPHABET, min_size=1, max_size=20),
    st.sampled_from(['=HYPERLINK("x")', "'quoted", "''two", "-1", "@me", "+x", "<script>", "a;b"]),
).filter(lambda t: t.strip())
names = st.from_regex(r"[a-z0-9部課]{1,6}", fullmatch=True)
dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@st.composite
def questions(draw: st.DrawFn) -> QuestionLog:
    count = draw(st.integers(0, 4))
    items = []
    for index in range(count):
        received = draw(dates)
        anonymous = draw(st.booleans())
        status = draw(st.sampled_from(["open", "answered", "published", "declined"]))
        replied = status != "open"
        items.append(
            Question(
                f"q{index}",
                draw(free_text),
                received,
                channel=draw(names),
                kind=draw(st.sampled_from(["question", "concern", "suggestion"])),
                anonymous=anonymous,
                asker=None if anonymous else draw(st.none() | names),
                department=None if anonymous else draw(st.none() | names),
                role=None if anonymous else draw(st.none() | names),
                status=status,
                answer=draw(free_text) if replied else None,
                answered_on=received + dt.timedelta(days=draw(st.integers(0, 9)))
                if replied
                else None,
                theme=draw(st.none() | names),
            )
        )
    return QuestionLog(items)


@st.composite
def hearings(draw: st.DrawFn) -> HearingLog:
    items = []
    finding = 0
    for index in range(draw(st.integers(0, 3))):
        findings = []
        for _ in range(draw(st.integers(0, 2))):
            finding += 1
            findings.append(
                HearingFinding(
                    f"f{finding}",
                    draw(free_text),
                    tags=draw(st.lists(names, max_size=2)),
                    failure_modes=draw(st.lists(st.sampled_from(list(FailureMode)), max_size=2)),
                    sentiment=draw(st.none() | st.sampled_from(list(Sentiment))),
                    quotes=draw(
                        st.lists(
                            free_text.filter(
                                lambda t: "\n" not in t and "\r" not in t and t == t.strip()
                            ),
                            max_size=2,
                        )
                    ),
                )
            )
        items.append(
            Hearing(
                f"h{index}",
                draw(dates),
                draw(st.lists(names, min_size=1, max_size=2)),
                draw(names),
                draw(st.integers(1, 30)),
                draw(st.sampled_from(["discovery", "revisit"])),
                findings,
            )
        )
    return HearingLog(items)


def _roundtrip(log: object, folder: Path) -> None:
    for suffix in SUFFIXES:
        path = folder / f"log{suffix}"
        log.save(path)  # type: ignore[attr-defined]
        first = path.read_bytes()
        again = type(log).from_file(path)  # type: ignore[attr-defined]
        assert again == log, suffix
        again.save(path)
        assert path.read_bytes() == first, suffix


_SLOW = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SLOW
@given(questions())
def test_question_logs_round_trip(tmp_path: Path, log: QuestionLog) -> None:
    """A question log saved in any format loads back equal, formula-looking text included."""
    _roundtrip(log, tmp_path)


@_SLOW
@given(hearings())
def test_hearing_logs_round_trip(tmp_path: Path, log: HearingLog) -> None:
    """Hearings with several findings per hearing survive the one-row-per-finding tables."""
    _roundtrip(log, tmp_path)


def test_other_logs_round_trip(tmp_path: Path) -> None:
    """Answers, decisions, changes and pulse responses round-trip through every format."""
    day = dt.date(2024, 6, 3)
    logs = [
        AnswerBook(
            [
                OfficialAnswer(
                    "a", LocalizedText("質問", "Q"), LocalizedText("=回答", "A"), day, ("残業", "x")
                )
            ]
        ),
        DecisionLog([Decision("d1", "決定", ("f1", "f2"), "task-1", day), Decision("d2", "other")]),
        ChangeLog([Change("c1", ("t1",), LocalizedText("変更", "Changed"), day)]),
        PulseLog([PulseResponse("s1", day, "r1", "営業部", "i1", 4)]),
    ]
    for log in logs:
        _roundtrip(log, tmp_path)


def test_saved_tables_are_deterministic(tmp_path: Path) -> None:
    """Saving the same log twice gives byte-identical CSV and xlsx files."""
    log = QuestionLog([Question("q1", "=1+1", dt.date(2024, 6, 3))])
    for suffix in (".csv", ".xlsx"):
        log.save(tmp_path / f"a{suffix}")
        log.save(tmp_path / f"b{suffix}")
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


def _problems(path: Path, cls: Any = QuestionLog) -> list[str]:
    with pytest.raises(LoadError) as caught:
        cls.from_file(path)
    return [problem.render("en") for problem in caught.value.problems]


def test_bad_csv_cells_are_all_reported(tmp_path: Path) -> None:
    """Every bad cell is reported at once with file, line, column number and column name."""
    path = tmp_path / "q.csv"
    path.write_text(
        "id,text,received_on,anonymous,status\n"
        "q1,hello,2024-13-01,maybe,open\n"
        "q2,,2024-01-01,true,weird\n"
        'q3,"multi\nline",2024-01-01,true,answered\n',
        encoding="utf-8",
    )
    assert _problems(path) == [
        f"{path}:2:3 received_on: expected a date (YYYY-MM-DD); found '2024-13-01'",
        f"{path}:2:4 anonymous: expected true or false (yes/no, 1/0); found 'maybe'",
        f"{path}:3:2 text: missing required field",
        f"{path}:3:5 status: expected one of open, answered, published, declined; found 'weird'",
        f"{path}:4 answer: answered questions need answer; found none",
    ]


def test_bad_headers_are_reported(tmp_path: Path) -> None:
    """Unknown, repeated and missing columns are named on line 1."""
    path = tmp_path / "q.csv"
    path.write_text("id,txt,id\n", encoding="utf-8")
    problems = _problems(path)
    assert f"{path}:1:2 txt: unknown column 'txt'; did you mean 'text'?" in problems
    assert f"{path}:1:3 id: the column 'id' appears twice" in problems
    assert f"{path}:1 received_on: missing the required column 'received_on'" in problems
    path.write_text("zzz\n", encoding="utf-8")
    assert any("expected id, text" in problem for problem in _problems(path))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert any("missing the required column 'id'" in p for p in _problems(empty))


@pytest.mark.usefixtures("in_english")
def test_unreadable_files_are_load_errors(tmp_path: Path) -> None:
    """Missing files, bad UTF-8, broken CSV and broken xlsx give one clear problem."""
    assert "cannot read the file" in _problems(tmp_path / "missing.csv")[0]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"id,text\nq1,caf\xe9\n")
    assert _problems(latin)[0].startswith(f"{latin}:2 cannot read the text at line 2 (byte 14)")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert "not a valid xlsx workbook" in _problems(broken)[0]
    with pytest.raises(UnsupportedFormatError):
        QuestionLog.from_file(tmp_path / "q.txt")
    with pytest.raises(UnsupportedFormatError):
        QuestionLog().save(tmp_path / "q.txt")


def test_xlsx_cells_are_typed(tmp_path: Path) -> None:
    """Typed xlsx cells (dates, datetimes, numbers, booleans) are read; a time of day is refused."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["survey", "held_on", "respondent", "department", "item", "score"])
    sheet.append(["s1", dt.datetime(2024, 6, 3), 17, "営業部", "i1", 4.0])
    sheet.append(["s1", dt.datetime(2024, 6, 3, 9, 30), "r2", "営業部", "i1", "x"])
    sheet.append([None] * 6)
    path = tmp_path / "pulse.xlsx"
    workbook.save(path)
    assert _problems(path, PulseLog) == [
        f"{path}:3:2 held_on: expected a date (YYYY-MM-DD); found a time '2024-06-03 09:30:00'",
        f"{path}:3:6 score: expected an integer; found 'x'",
    ]
    sheet.delete_rows(3)
    workbook.save(path)
    log = PulseLog.from_file(path)
    assert log.responses[0].respondent == "17"
    assert log.responses[0].held_on == dt.date(2024, 6, 3)


def test_hearing_rows_must_agree(tmp_path: Path) -> None:
    """A later row of a hearing that contradicts the first is named with both lines."""
    path = tmp_path / "h.csv"
    path.write_text(
        "id,held_on,departments,interviewer,finding_id,finding,participants\n"
        "h1,2024-03-04,営業部,佐藤,f1,a,two\n"
        "h1,2024-03-05,,,f2,b,\n"
        ",2024-03-05,総務部,佐藤,,,\n",
        encoding="utf-8",
    )
    problems = _problems(path, HearingLog)
    assert f"{path}:2:7 participants: expected an integer; found 'two'" in problems
    assert any(p.startswith(f"{path}:3:2 held_on: differs from line 2") for p in problems)
    assert f"{path}:4:1 id: missing required field" in problems


@pytest.mark.usefixtures("in_english")
def test_json_errors_name_the_field(tmp_path: Path) -> None:
    """JSON logs use the strict converter: wrong types and unknown keys are reported."""
    path = tmp_path / "d.json"
    path.write_text(
        '{"schema_version": 1, "decisions": [{"id": "d1", "title": 5, "finding": []}]}',
        encoding="utf-8",
    )
    problems = _problems(path, DecisionLog)
    assert any("decisions[0].title: expected a string" in p for p in problems)
    assert any("unknown key 'finding'; did you mean 'findings'?" in p for p in problems)


def test_list_cells_refuse_the_separator() -> None:
    """A name holding ';' cannot be stored in a list cell, so it is refused up front."""
    with pytest.raises(ValueError, match="without ';'"):
        Decision("d1", "t", ("a;b",))
    with pytest.raises(ValueError, match="without ';'"):
        Decision("d;1", "t")


@pytest.mark.usefixtures("in_english")
def test_table_edge_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blank header cells are ignored, typed cells become text, bad quoting and size are errors."""
    path = tmp_path / "q.csv"
    path.write_text("id,text,received_on,\nq1,hi,2024-06-03,\n", encoding="utf-8")
    assert QuestionLog.from_file(path)["q1"].text == "hi"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "text", "received_on", "anonymous", "channel"])
    sheet.append(["q1", True, dt.date(2024, 6, 3), True, 2.0])
    sheet.append(["q2", dt.date(2024, 1, 2), "2024-06-03", "no", 2.5])
    book = tmp_path / "q.xlsx"
    workbook.save(book)
    log = QuestionLog.from_file(book)
    assert (log["q1"].text, log["q1"].anonymous, log["q1"].channel) == ("true", True, "2")
    assert (log["q2"].text, log["q2"].channel) == ("2024-01-02", "2.5")
    broken = tmp_path / "broken.csv"
    broken.write_text('id,text,received_on\nq1,"a"b,2024-06-03\n', encoding="utf-8")
    assert "not valid CSV" in _problems(broken)[0]
    monkeypatch.setattr("backoffice_marketing.voice.storage.MAX_TABLE_BYTES", 10)
    assert "at most 10 bytes" in _problems(path)[0]


def test_only_voice_logs_have_tables() -> None:
    """Asking for the table layout of another type is a programming error."""
    from backoffice_marketing.voice.storage import load_log  # noqa: PLC0415

    with pytest.raises(TypeError, match="not a voice log"):
        load_log(dict, "x.csv")  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (2.0, "text", ("2", None)),
        (dt.date(2024, 1, 2), "text", ("2024-01-02", None)),
        (dt.date(2024, 1, 2), "date", (dt.date(2024, 1, 2), None)),
        (3.5, "int", (None, "expected an integer; found '3.5'")),
        (" -4 ", "int", (-4, None)),
        ("a\r\nb\n\n", "lines", (["a", "b"], None)),
    ],
)
def test_cells_convert_by_kind(value: object, kind: str, expected: tuple[object, object]) -> None:
    """Cells from any spreadsheet tool become the value their column expects, or a message."""
    from backoffice_marketing.voice.table_cells import read_cell  # noqa: PLC0415

    assert read_cell(value, kind) == expected  # type: ignore[arg-type]

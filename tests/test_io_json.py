"""The JSON reader: values with positions, duplicate keys, syntax errors and limits."""

from __future__ import annotations

from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.documents import MAX_DEPTH, parse_document
from backoffice_marketing.foundation.io.json_source import (
    JSONSourceError,
    line_starts,
    offset_to_position,
    parse_json,
)
from backoffice_marketing.foundation.io.paths import FieldPath

pytestmark = pytest.mark.usefixtures("english_messages")

LEVELS = "expected one of not_done, partial, done, not_applicable"

THREE_MISTAKES = """\
{
  "schema_version": 1,
  "initiative": "チャット移行",
  "date": "2027-05-10",
  "scope": {"department": "営業部", "headcount": 120},
  "answers": [
    {"item": "materials.why", "level": "yes"},
    {
      "item": "materials.faq",
      "level": "partial",
      "score": "half"
    },
    {"item": "research.department-coverage", "levl": "done"}
  ]
}
"""


def _load_error(tmp_path: Path, content: str, name: str = "assessment.json") -> LoadError:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        bm.Assessment.from_file(path)
    return caught.value


def _rows(error: LoadError) -> list[tuple[int | None, int | None, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in error.problems]


def _source_error(text: str, max_depth: int = MAX_DEPTH) -> JSONSourceError:
    with pytest.raises(JSONSourceError) as caught:
        parse_json(text, max_depth=max_depth)
    return caught.value


# --- the contract: every problem at once ------------------------------------------------


def test_three_mistakes_are_reported_in_one_load_error(tmp_path: Path) -> None:
    """A bad level, a string score and a misspelt key all come back in one LoadError."""
    error = _load_error(tmp_path, THREE_MISTAKES)
    file = str(tmp_path / "assessment.json")
    assert all(problem.file == file for problem in error.problems)
    assert _rows(error) == [
        (7, 31, "answers[0].level", f"{LEVELS}; found 'yes'"),
        (11, 7, "answers[1].score", "expected a number; found 'half'"),
        (13, 5, "answers[2].level", "missing required field"),
        (13, 46, "answers[2].levl", "unknown key 'levl'; did you mean 'level'?"),
    ]
    assert str(error).startswith("4 problems found:\n")
    assert f"  {file}:7:31 answers[0].level: {LEVELS}; found 'yes'\n" in str(error)


def test_duplicate_keys_are_reported_with_the_other_problems(tmp_path: Path) -> None:
    """Duplicate keys are errors at their line, reported together with type errors."""
    content = (
        '{"schema_version": 1,\n'
        ' "initiative": "a",\n'
        ' "date": "2027-05-10",\n'
        ' "initiative": "b",\n'
        ' "scope": {"department": "x", "headcount": true, "department": "y"}}\n'
    )
    error = _load_error(tmp_path, content)
    assert _rows(error) == [
        (4, 2, "initiative", "duplicate key 'initiative'"),
        (5, 31, "scope.headcount", "expected an integer; found 'true'"),
        (5, 50, "scope.department", "duplicate key 'department'"),
    ]


def test_huge_number_is_not_a_finite_number(tmp_path: Path) -> None:
    """A number too large for a float reads as infinity and is refused as not finite."""
    content = (
        '{"schema_version": 1, "initiative": "a", "date": "2027-05-10",\n'
        ' "answers": [{"item": "materials.why", "level": "partial", "score": 1e400}]}\n'
    )
    error = _load_error(tmp_path, content)
    assert _rows(error) == [(2, 60, "answers[0].score", "expected a finite number; found 1e400")]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_syntax_errors(tmp_path: Path, literal: str) -> None:
    """JSON has no NaN or Infinity; those words are syntax errors at their column."""
    content = f'{{"schema_version": 1,\n "weight": {literal}}}'
    error = _load_error(tmp_path, content)
    assert _rows(error) == [(2, 12, "weight", f"expected a value; found {literal[0]!r}")]


@pytest.mark.parametrize(
    ("content", "line", "column", "path", "message"),
    [
        ("", 1, 1, "", "unexpected end of input; expected a value"),
        ("{\n", 2, 1, "", "expected a key in double quotes"),
        ('{"a": 1,}', 1, 9, "", "expected a key in double quotes"),
        ("{a: 1}", 1, 2, "", "expected a key in double quotes"),
        ('{"a" 1}', 1, 6, "a", "expected ':' after the key"),
        ('{"a": 1 "b": 2}', 1, 9, "", "expected ',' or '}'"),
        ('{"a": [1 2]}', 1, 10, "a", "expected ',' or ']'"),
        ('{"a": [1, 2', 1, 12, "a", "expected ',' or ']'"),
        ('{"a": [1,\n', 2, 1, "a[1]", "unexpected end of input; expected a value"),
        ('{"a": {"b": tru}}', 1, 13, "a.b", "expected a value; found 't'"),
        ('{"a": 1}\n{"b": 2}', 2, 1, "", "unexpected text after the end of the document"),
        ('{"a": 1} // comment', 1, 10, "", "unexpected text after the end of the document"),
        ("{'a': 1}", 1, 2, "", "expected a key in double quotes"),
        ('{"日本語": x}', 1, 9, "日本語", "expected a value; found 'x'"),
    ],
)
def test_syntax_errors_report_line_and_column(
    content: str, line: int, column: int, path: str, message: str
) -> None:
    """A syntax error is one problem at its line and column (in characters), with its path."""
    with pytest.raises(LoadError) as caught:
        parse_document(content, format="json", file="a.json")
    assert caught.value.problems == (Problem("a.json", line, column, path, message),)


@pytest.mark.parametrize(
    ("content", "column", "message"),
    [
        ('{"a": "unterminated', 7, "unterminated string in a string"),
        ('{"a": "x\ny"}', 9, "invalid control character in a string"),
        ('{"a": "\\q"}', 8, "invalid \\escape in a string"),
        ('{"a": "\\u12"}', 9, "invalid \\uxxxx escape in a string"),
    ],
)
def test_string_errors_name_the_string_problem(content: str, column: int, message: str) -> None:
    """String syntax errors say what is wrong without json's dangling offset suffix."""
    with pytest.raises(LoadError) as caught:
        parse_document(content, format="json", file="a.json")
    assert caught.value.problems == (Problem("a.json", 1, column, "a", message),)


def test_deep_nesting_is_refused_without_recursion_error(tmp_path: Path) -> None:
    """A file of a million brackets is refused at depth 64 with a clear message."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 500_000 + "]" * 500_000, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        bm.Checklist.from_file(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 65)
    assert problem.path == "[0]" * 64
    assert problem.message == "nested deeper than 64 levels"


# --- parse_json ----------------------------------------------------------------------


def test_parse_json_positions_of_keys_and_elements() -> None:
    """Keys are located at their opening quote and array elements at their first character."""
    text = '{\n  "a": [10, {"b": null}],\n  "日本": "語",\n  "c": {}\n}'
    value, positions, duplicates = parse_json(text, max_depth=MAX_DEPTH)
    assert value == {"a": [10, {"b": None}], "日本": "語", "c": {}}
    assert duplicates == []
    expected: dict[FieldPath, tuple[int, int]] = {
        (): (1, 1),
        ("a",): (2, 3),
        ("a", 0): (2, 9),
        ("a", 1): (2, 13),
        ("a", 1, "b"): (2, 14),
        ("日本",): (3, 3),
        ("c",): (4, 3),
    }
    assert positions == expected


def test_parse_json_values() -> None:
    """Numbers, literals, strings and nesting decode to the matching Python values."""
    text = ' {"i": -0, "f": 1.5, "e": 2E3, "g": -1e-2, "t": true, "n": null, "s": "\\u00e9\\n"} '
    value, _, _ = parse_json(text, max_depth=MAX_DEPTH)
    assert value == {"i": 0, "f": 1.5, "e": 2000.0, "g": -0.01, "t": True, "n": None, "s": "é\n"}
    assert isinstance(value, dict)
    assert type(value["i"]) is int
    assert type(value["e"]) is float
    assert parse_json("[]", max_depth=1)[0] == []
    assert parse_json("false", max_depth=0)[0] is False


def test_parse_json_keeps_the_first_of_duplicate_keys() -> None:
    """The first value of a duplicated key wins; each repeat is reported at its own key."""
    text = '{"a": {"x": 1},\n "b": 2,\n "a": {"y": 3},\n "a": 4}'
    value, positions, duplicates = parse_json(text, max_depth=MAX_DEPTH)
    assert value == {"a": {"x": 1}, "b": 2}
    assert positions[("a",)] == (1, 2)
    assert duplicates == [
        ("duplicate key 'a'", (3, 2), ("a",)),
        ("duplicate key 'a'", (4, 2), ("a",)),
    ]


def test_parse_json_reports_nested_duplicates_with_their_path() -> None:
    """A duplicate inside an array element carries the full path."""
    text = '{"answers": [{"level": "done"}, {"level": "done", "level": "partial"}]}'
    _, _, duplicates = parse_json(text, max_depth=MAX_DEPTH)
    assert duplicates == [("duplicate key 'level'", (1, 51), ("answers", 1, "level"))]


def test_parse_json_syntax_error_offsets() -> None:
    """JSONSourceError carries the message, the character offset and the field path."""
    error = _source_error('{"a": [1, }')
    assert (error.message, error.offset, error.path) == (
        "expected a value; found '}'",
        10,
        ("a", 1),
    )
    assert str(error) == "expected a value; found '}'"
    trailing = _source_error("[1] [2]")
    assert (trailing.offset, trailing.path) == (4, ())


@pytest.mark.parametrize("opening", ["[", '{"k": '])
def test_parse_json_depth_limit(opening: str) -> None:
    """Exactly max_depth nested containers are accepted; one more is refused."""
    closing = "]" if opening == "[" else "}"

    def nested(depth: int) -> str:
        return opening * depth + "1" + closing * depth

    value, _, _ = parse_json(nested(5), max_depth=5)
    assert value is not None
    error = _source_error(nested(6), max_depth=5)
    assert error.message == "nested deeper than 5 levels"
    assert error.offset == 5 * len(opening)


def test_line_starts_and_offsets() -> None:
    """Offsets map to 1-based lines and columns counted in characters."""
    text = "ab\n\nあいう\nx"
    starts = line_starts(text)
    assert starts == [0, 3, 4, 8]
    assert offset_to_position(starts, 0) == (1, 1)
    assert offset_to_position(starts, 2) == (1, 3)
    assert offset_to_position(starts, 3) == (2, 1)
    assert offset_to_position(starts, 6) == (3, 3)
    assert offset_to_position(starts, 9) == (4, 2)
    assert line_starts("") == [0]


def test_version_problems_name_the_version_line() -> None:
    """A schema_version other than the expected one is one problem at its line; absent is fine."""
    newer = parse_document('{\n  "schema_version": 2\n}', format="json", file="d.json")
    (problem,) = newer.version_problems(1)
    assert (problem.file, problem.line) == ("d.json", 2)
    assert "expected schema_version 1; found 2" in problem.message
    assert parse_document('{"a": 1}', format="json", file="d.json").version_problems(1) == []
    assert parse_document("[1, 2]", format="json", file="d.json").version_problems(1) == []

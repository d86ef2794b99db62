"""YAML files: a safe subset with positions, duplicate keys, no aliases, anchors or tags."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest
import yaml

import backoffice_marketing as bm
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.documents import Document, parse_document
from backoffice_marketing.foundation.io.paths import FieldPath
from backoffice_marketing.foundation.io.yaml_source import _loader_class, parse_yaml

pytestmark = pytest.mark.usefixtures("english_messages")

LEVELS = "expected one of not_done, partial, done, not_applicable"

THREE_MISTAKES = """\
schema_version: 1
initiative: チャット移行
date: 2027-05-10
scope:
  department: 営業部
  headcount: 120
answers:
  - item: materials.why
    level: "yes"
  - item: materials.faq
    level: partial
    score: half
  - item: research.department-coverage
    levl: done
"""

HEAD = "schema_version: 1\ninitiative: チャット移行\ndate: 2027-05-10\n"


def _write(tmp_path: Path, content: str, name: str = "assessment.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _assessment_error(tmp_path: Path, content: str, name: str = "assessment.yaml") -> LoadError:
    path = _write(tmp_path, content, name)
    with pytest.raises(LoadError) as caught:
        bm.Assessment.from_file(path)
    return caught.value


def _rows(error: LoadError) -> list[tuple[int | None, int | None, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in error.problems]


def _parse(text: str) -> Document:
    return parse_document(text, format="yaml", file="a.yaml")


def _syntax_problem(text: str) -> Problem:
    with pytest.raises(LoadError) as caught:
        _parse(text)
    (problem,) = caught.value.problems
    return problem


# --- the contract: every problem at once ------------------------------------------------


@pytest.mark.parametrize("name", ["assessment.yaml", "assessment.yml"])
def test_three_mistakes_are_reported_in_one_load_error(tmp_path: Path, name: str) -> None:
    """A bad level, a string score and a misspelt key all come back in one LoadError."""
    error = _assessment_error(tmp_path, THREE_MISTAKES, name)
    file = str(tmp_path / name)
    assert all(problem.file == file for problem in error.problems)
    assert _rows(error) == [
        (9, 5, "answers[0].level", f"{LEVELS}; found 'yes'"),
        (12, 5, "answers[1].score", "expected a number; found 'half'"),
        (13, 5, "answers[2].level", "missing required field"),
        (14, 5, "answers[2].levl", "unknown key 'levl'; did you mean 'level'?"),
    ]
    assert str(error.problems[0]) == f"{file}:9:5 answers[0].level: {LEVELS}; found 'yes'"


@pytest.mark.parametrize(
    ("body", "row"),
    [
        (
            "scope:\n  department: yes\n  headcount: 3\n",
            (5, 3, "scope.department", "expected a string; found 'yes'"),
        ),
        (
            "scope:\n  department: x\n  headcount: true\n",
            (6, 3, "scope.headcount", "expected an integer; found 'true'"),
        ),
        (
            "scope:\n  department: x\n  headcount: 1.0\n",
            (6, 3, "scope.headcount", "expected an integer; found 1.0"),
        ),
        (
            "scope:\n  department: 5\n  headcount: 3\n",
            (5, 3, "scope.department", "expected a string; found 5"),
        ),
    ],
)
def test_yaml_scalars_are_typed_strictly(
    tmp_path: Path, body: str, row: tuple[int, int, str, str]
) -> None:
    """Unquoted yes, true, 1.0 and 5 keep their YAML types and are refused where wrong."""
    error = _assessment_error(tmp_path, HEAD + body)
    assert _rows(error) == [row]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_nan_and_infinity_are_not_numbers(tmp_path: Path, value: str) -> None:
    """YAML's .nan and .inf are refused as scores."""
    body = f"answers:\n  - item: materials.why\n    level: partial\n    score: {value}\n"
    error = _assessment_error(tmp_path, HEAD + body)
    (problem,) = error.problems
    assert (problem.line, problem.column, problem.path) == (7, 5, "answers[0].score")
    assert problem.message.startswith("expected a finite number; found ")


def test_string_is_not_a_list_of_strings(tmp_path: Path) -> None:
    """gates: abc is refused instead of being read as the stages a, b and c."""
    content = (
        "schema_version: 1\n"
        "items:\n"
        "  - id: materials.why\n"
        "    failure_mode: materials\n"
        "    question: {ja: 問い, en: question}\n"
        "    why: {ja: 理由, en: why}\n"
        "    evidence: {ja: 証拠, en: evidence}\n"
        "    remedies: [{ja: 対策, en: remedy}]\n"
        "    gates: abc\n"
    )
    path = _write(tmp_path, content, "checklist.yaml")
    with pytest.raises(LoadError) as caught:
        bm.Checklist.from_file(path)
    assert _rows(caught.value) == [(9, 5, "items[0].gates", "expected a list; found 'abc'")]


def test_invalid_timestamp_is_reported_at_its_value(tmp_path: Path) -> None:
    """A date-looking value that is not a real date is reported, not raised."""
    error = _assessment_error(tmp_path, "schema_version: 1\ninitiative: x\ndate: 2027-13-45\n")
    assert _rows(error) == [
        (3, 1, "date", "expected a date (YYYY-MM-DD); found nothing (null)"),
        (3, 7, "date", "invalid value: month must be in 1..12"),
    ]


def test_timestamp_with_time_is_not_a_date(tmp_path: Path) -> None:
    """A YAML timestamp with a time of day is not a date."""
    error = _assessment_error(
        tmp_path, "schema_version: 1\ninitiative: x\ndate: 2027-05-10 09:00:00\n"
    )
    assert _rows(error) == [
        (3, 1, "date", "expected a date (YYYY-MM-DD); found '2027-05-10 09:00:00'")
    ]


# --- duplicate keys -------------------------------------------------------------------


def test_duplicate_keys_are_errors_with_lines(tmp_path: Path) -> None:
    """Every repeated key is reported at its line; the first value is the one kept."""
    content = HEAD + "initiative: again\nscope:\n  department: a\n  headcount: 3\n  department: b\n"
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [
        (4, 1, "initiative", "duplicate key 'initiative'"),
        (8, 3, "scope.department", "duplicate key 'department'"),
    ]
    document = _parse(content)
    assert isinstance(document.data, dict)
    assert document.data["initiative"] == "チャット移行"
    assert document.data["scope"] == {"department": "a", "headcount": 3}


# --- aliases, anchors and tags --------------------------------------------------------


def test_aliases_and_anchors_are_refused(tmp_path: Path) -> None:
    """An anchor and its alias are each reported at their position and never expanded."""
    content = HEAD + "scope: &s\n  department: a\n  headcount: 3\nother: *s\n"
    document = _parse(content)
    assert document.problems == (
        Problem("a.yaml", 4, 8, "", "anchors are not allowed; found &s"),
        Problem("a.yaml", 7, 8, "", "aliases are not allowed; found *s"),
    )
    assert isinstance(document.data, dict)
    assert document.data["other"] is None
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [
        (4, 8, "", "anchors are not allowed; found &s"),
        (7, 1, "other", "unknown key 'other'; expected answers, date, initiative, scope"),
        (7, 8, "", "aliases are not allowed; found *s"),
    ]


def test_merge_keys_are_refused() -> None:
    """The << merge of an alias is refused like any alias."""
    document = _parse("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n")
    assert [problem.message for problem in document.problems] == [
        "anchors are not allowed; found &b",
        "aliases are not allowed; found *b",
    ]


def test_billion_laughs_is_not_expanded() -> None:
    """Nested aliases are refused without expanding them."""
    lines = ['a0: &a0 ["lol", "lol"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    document = _parse("\n".join(lines) + "\n")
    assert isinstance(document.data, dict)
    assert document.data["a29"] == [None, None, None]
    assert len(document.problems) == 30 + 29 * 3


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system {}", "tag:yaml.org,2002:python/object:os.system"),
        ("!!python/name:os.system ''", "tag:yaml.org,2002:python/name:os.system"),
        ("!foo bar", "!foo"),
        ("!!str 1", "tag:yaml.org,2002:str"),
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!<tag:example.com,2000:x> 1", "tag:example.com,2000:x"),
    ],
)
def test_tags_are_refused(value: str, tag: str) -> None:
    """Explicit tags, custom or standard, are refused at their position."""
    document = _parse(f"schema_version: 1\nnote: {value}\n")
    assert document.problems[0] == Problem("a.yaml", 2, 7, "", f"tags are not allowed; found {tag}")


def test_unknown_tag_is_also_an_invalid_value() -> None:
    """A custom tag on a scalar is refused and its value is left empty."""
    document = _parse("note: !foo bar\n")
    assert document.data == {"note": None}
    assert len(document.problems) == 2
    assert document.problems[1].path == "note"
    assert document.problems[1].message.startswith(
        "invalid value: could not determine a constructor for the tag '!foo'"
    )


def test_python_tags_never_run_code(tmp_path: Path) -> None:
    """A python/object/apply tag is refused and its payload is never executed."""
    marker = tmp_path / "pwned"
    content = f'schema_version: 1\nx: !!python/object/apply:os.system ["touch {marker}"]\n'
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [
        (1, 1, "date", "missing required field"),
        (1, 1, "initiative", "missing required field"),
        (2, 1, "x", "unknown key 'x'; expected answers, date, initiative, scope"),
        (2, 4, "", "tags are not allowed; found tag:yaml.org,2002:python/object/apply:os.system"),
    ]
    assert not marker.exists()


# --- syntax errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a: [1,\n", 2, 1, "expected the node content, but found '<stream end>'"),
        ("a: b: c\n", 1, 5, "mapping values are not allowed here"),
        ("\t- x\n", 1, 1, "found character '\\t' that cannot start any token"),
        ('a: "\\q"\n', 1, 6, "found unknown escape character 'q'"),
        ("a: 1\n---\nb: 2\n", 2, 1, "but found another document"),
        ("a:\n  - 1\n - 2\n", 3, 2, "expected <block end>, but found '<block sequence start>'"),
        ("a: 'x\n", 2, 1, "found unexpected end of stream"),
        ("key: *undefined\n", 1, 6, "found undefined alias 'undefined'"),
    ],
)
def test_syntax_errors_report_line_and_column(
    text: str, line: int, column: int, message: str
) -> None:
    """A YAML syntax error is one problem at its line and column."""
    assert _syntax_problem(text) == Problem("a.yaml", line, column, "", message)


@pytest.mark.parametrize("character", ["\x07", "\x00", "\x1b", "\ufffe"])
def test_unprintable_characters_are_a_load_error(tmp_path: Path, character: str) -> None:
    """A control character in a YAML file is reported as a LoadError with its line."""
    error = _assessment_error(tmp_path, f"schema_version: 1\ninitiative: a{character}\n")
    assert error.problems[0].line == 2


def test_positionless_yaml_errors_are_load_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A YAML error without a mark is still a LoadError, without a line."""
    loader = _loader_class(yaml)

    def unmarked(_self: object) -> NoReturn:
        raise yaml.MarkedYAMLError(context="while composing", problem=None)

    monkeypatch.setattr(loader, "get_single_node", unmarked)
    assert _syntax_problem("a: 1\n") == Problem("a.yaml", None, None, "", "while composing")

    def plain(_self: object) -> NoReturn:
        raise yaml.YAMLError("stream failure")

    monkeypatch.setattr(loader, "get_single_node", plain)
    assert _syntax_problem("a: 1\n") == Problem("a.yaml", None, None, "", "stream failure")


# --- structure and limits -------------------------------------------------------------


def test_keys_must_be_plain_text() -> None:
    """A sequence or mapping used as a key is refused; scalar keys become strings."""
    document = _parse("? [a, b]\n: 1\n1: one\ntrue: yes\n")
    assert document.data == {"1": "one", "true": True}
    assert document.problems == (Problem("a.yaml", 1, 3, "", "keys must be plain text"),)


def test_positions_of_keys_and_elements() -> None:
    """Keys are located at the key and sequence elements at the element."""
    text = (
        "schema_version: 1\n"  # 1
        "answers:\n"  # 2
        "  - item: materials.why\n"  # 3
        "    level: done\n"  # 4
        "  - {item: x, level: partial}\n"  # 5
        "tags: [a, b]\n"  # 6
        "日本語: テキスト\n"  # 7
    )
    expected: dict[FieldPath, tuple[int, int]] = {
        (): (1, 1),
        ("schema_version",): (1, 1),
        ("answers",): (2, 1),
        ("answers", 0): (3, 5),
        ("answers", 0, "item"): (3, 5),
        ("answers", 0, "level"): (4, 5),
        ("answers", 1): (5, 5),
        ("answers", 1, "item"): (5, 6),
        ("answers", 1, "level"): (5, 15),
        ("tags",): (6, 1),
        ("tags", 0): (6, 8),
        ("tags", 1): (6, 11),
        ("日本語",): (7, 1),
    }
    document = _parse(text)
    assert document.positions == expected
    assert document.problems == ()


def test_parse_yaml_of_an_empty_stream() -> None:
    """An empty document is None, located at the start."""
    assert parse_yaml("", max_depth=64) == (None, {(): (1, 1)}, [])
    assert parse_yaml("---\n...\n", max_depth=64)[0] is None


def test_nesting_deeper_than_the_limit_is_a_problem() -> None:
    """A collection nested below the limit is reported at its position with its path."""
    value, _, issues = parse_yaml("a:\n  b:\n    c: [1]\n", max_depth=2)
    assert value == {"a": {"b": None}}
    assert issues == [("nested deeper than 2 levels", (3, 5), ("a", "b"))]
    accepted, _, none = parse_yaml("a:\n  b: 1\n", max_depth=2)
    assert accepted == {"a": {"b": 1}}
    assert none == []


def test_nesting_of_65_levels_is_refused(tmp_path: Path) -> None:
    """The top table and 64 nested lists (65 levels) are refused; 64 levels are accepted."""
    error = _assessment_error(tmp_path, HEAD + "x: " + "[" * 64 + "]" * 64 + "\n")
    assert _rows(error) == [
        (4, 1, "x", "unknown key 'x'; expected answers, date, initiative, scope"),
        (4, 67, "x" + "[0]" * 63, "nested deeper than 64 levels"),
    ]
    assert _parse("x: " + "[" * 63 + "]" * 63 + "\n").problems == ()


def test_huge_nesting_is_refused_without_recursion_error(tmp_path: Path) -> None:
    """Half a million nested brackets give a LoadError, not a RecursionError."""
    error = _assessment_error(tmp_path, "[" * 500_000 + "]" * 500_000)
    assert error.problems == (
        Problem(str(tmp_path / "assessment.yaml"), None, None, "", "nested deeper than 64 levels"),
    )

"""Input problems in both languages: the message catalogue, Problem.render and LoadError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.converter import structure_document
from backoffice_marketing.foundation.io.documents import Document, parse_document
from backoffice_marketing.foundation.messages import Message, catalogue, message, render_message

CODES = sorted(catalogue())
PLACEHOLDER = re.compile(r"\{(\w+)\}")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

LEVEL_YES = """\
schema_version: 1
initiative: チャット移行
date: 2027-05-10
answers:
  - item: materials.why
    level: yes
"""


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_catalogue_covers_the_families() -> None:
    """The converter, document readers, bounded reader and CSV reader all have codes."""
    prefixes = {code.split(".")[0] for code in CODES}
    assert {"expected", "key", "field", "schema", "document", "json", "yaml", "toml"} <= prefixes
    assert {"file", "zip", "csv"} <= prefixes


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_both_languages_with_the_same_placeholders(code: str) -> None:
    """Each code has a Japanese and an English text that use the same placeholders."""
    texts = catalogue()[code]
    assert texts["ja"].strip()
    assert texts["en"].strip()
    assert JAPANESE.search(texts["ja"]), texts["ja"]
    assert not JAPANESE.search(texts["en"]), texts["en"]
    assert _placeholders(texts["ja"]) == _placeholders(texts["en"])


@pytest.mark.parametrize("code", CODES)
def test_every_code_renders_in_both_languages(code: str) -> None:
    """A problem with each code renders fully (no placeholder left) in Japanese and English."""
    arguments = {name: f"<{name}>" for name in _placeholders(catalogue()[code]["en"])}
    problem = Problem("a.toml", 3, 2, "scope.headcount", message(code, **arguments))
    assert problem.code == code
    for lang in ("ja", "en"):
        shown = problem.render(lang)
        assert shown.startswith("a.toml:3:2 scope.headcount: ")
        assert not any(f"{{{name}}}" in shown for name in arguments)
        assert all(f"<{name}>" in shown for name in arguments)
    assert problem.render("en").endswith(problem.message)
    assert JAPANESE.search(problem.render("ja"))


def test_message_is_english_text_with_its_code() -> None:
    """message() gives the English text as a str that remembers its code and arguments."""
    made = message("expected.integer", found="'yes'")
    assert isinstance(made, Message)
    assert made == "expected an integer; found 'yes'"
    assert (made.code, made.arguments) == ("expected.integer", (("found", "'yes'"),))


def test_problem_without_a_code_shows_its_message_in_both_languages() -> None:
    """A problem made from a plain text falls back to that (English) text."""
    problem = Problem.for_file("f.csv", "column 'x' is missing")
    assert problem.code is None
    assert problem.arguments == ()
    assert problem.render("ja") == problem.render("en") == "f.csv column 'x' is missing"


def test_unknown_code_falls_back_to_the_message() -> None:
    """A code the catalogue does not know (a newer library's) shows the English message."""
    problem = Problem("f", None, None, "", "plain text", code="no.such.code", arguments={"a": 1})
    assert problem.arguments == (("a", "1"),)
    assert problem.text("ja") == "plain text"
    assert render_message("no.such.code", {}, "ja") is None


def test_str_follows_the_display_language() -> None:
    """str() of a problem and of a LoadError is Japanese by default, English when asked."""
    problem = Problem("a.yaml", 9, 5, "level", message("expected.boolean", found="'maybe'"))
    error = LoadError([problem])
    assert str(problem) == "a.yaml:9:5 level: true か false が必要です。見つかった値: 'maybe'"
    assert str(error).startswith("1 件の問題が見つかりました:\n  a.yaml:9:5 level: true か false")
    with bm.display_language("en"):
        assert str(problem) == "a.yaml:9:5 level: expected true or false; found 'maybe'"
        assert str(error).startswith("1 problem found:\n")
    assert error.render("en") == error.args[0]
    assert LoadError([problem, problem]).render("en").startswith("2 problems found:")


def test_equality_and_order_ignore_the_code() -> None:
    """Problems compare and sort by position and text, as before codes existed."""
    coded = Problem("a", 1, 1, "x", message("field.missing"))
    plain = Problem("a", 1, 1, "x", "missing required field")
    assert coded == plain
    assert hash(coded) == hash(plain)
    assert sorted([Problem("a", 2, 1, "", "b"), coded]) == [coded, Problem("a", 2, 1, "", "b")]


def test_a_yaml_yes_is_quoted_as_written(tmp_path: Path) -> None:
    """A YAML yes given as a level is reported as 'yes', not True, in both languages."""
    path = tmp_path / "assessment.yaml"
    path.write_text(LEVEL_YES, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        bm.Assessment.from_file(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path, problem.code) == (6, "answers[0].level", "expected.one_of")
    assert problem.message.endswith("; found 'yes'")
    assert "True" not in problem.render("en")
    assert problem.text("ja") == (
        "次のいずれかが必要です: not_done, partial, done, not_applicable。見つかった値: 'yes'"
    )
    assert dict(problem.arguments)["found"] == "'yes'"


YAML_HEAD = "schema_version: 1\ninitiative: x\ndate: 2027-05-10\n"
TOML_HEAD = 'schema_version = 1\ninitiative = "x"\ndate = 2027-05-10\n'
JSON_HEAD = '{"schema_version": 1, "initiative": "x", "date": "2027-05-10",\n'


@pytest.mark.parametrize(
    ("fmt", "content", "found"),
    [
        ("yaml", YAML_HEAD + "scope:\n  headcount: on\n", "'on'"),
        ("yaml", YAML_HEAD + "scope:\n  headcount: 1.50\n", "1.50"),
        ("yaml", YAML_HEAD + "scope: {department: no, headcount: 3}\n", "'no'"),
        ("yaml", "schema_version: 1\ninitiative: yes # a comment\ndate: 2027-05-10\n", "'yes'"),
        ("toml", TOML_HEAD + "[scope]\nheadcount = 1e3\n", "1e3"),
        ("toml", TOML_HEAD + "scope.department = 0x1F\n", "0x1F"),
        ("toml", TOML_HEAD + "[scope]\nheadcount = [1, 2]\n", "a list"),
        ("json", JSON_HEAD + ' "scope": {"department": false}}', "'false'"),
        ("json", JSON_HEAD + ' "scope": {"headcount": "7"}}', "'7'"),
    ],
)
def test_values_are_quoted_as_the_user_wrote_them(fmt: str, content: str, found: str) -> None:
    """Words, numbers and booleans are shown with the spelling of the source file."""
    document = parse_document(content, format=fmt, file=f"a.{fmt}")  # type: ignore[arg-type]
    with pytest.raises(LoadError) as caught:
        structure_document(document, bm.Assessment)
    (problem,) = caught.value.problems
    assert dict(problem.arguments)["found"] == found


def test_value_without_a_position_of_its_own_is_shown_as_read() -> None:
    """An element of a TOML array has no position of its own: Python's spelling is used."""
    content = 'schema_version = 1\ninitiative = "x"\ndate = 2027-05-10\n'
    content += '[[answers]]\nitem = "materials.why"\nlevel = "done"\nnote = [true]\n'
    document = parse_document(content, format="toml", file="a.toml")
    assert document.source_text(("answers", 0, "note", 0)) is None
    assert document.source_text(("answers", 0, "level")) == '"done"'
    assert document.source_text(()) is None


@pytest.mark.parametrize(
    ("content", "path"),
    [
        ("a:\n  yes\n", ("a",)),  # the value is on the next line
        ("? |\n  a\n: 1\n", ("a\n",)),  # a complex key: no key then separator on the line
    ],
)
def test_source_text_gives_up_where_the_line_does_not_hold_the_value(
    content: str, path: tuple[str, ...]
) -> None:
    """Where the value is not on the key's line, no source text is claimed."""
    document = parse_document(content, format="yaml", file="a.yaml")
    assert document.source_text(path) is None


def test_source_text_of_a_position_beyond_the_text() -> None:
    """A position outside the text (a document built by hand) gives no source text."""
    document = parse_document("a: 1\n", format="yaml", file="a.yaml")
    moved = Document(document.data, "a.yaml", {("a",): (40, 1)}, text=document.text)
    assert moved.source_text(("a",)) is None


def test_long_source_text_is_shortened() -> None:
    """A very long number is cut to 60 characters, as other values are."""
    long_number = "1" * 80 + ".5"
    content = (
        f"schema_version: 1\ninitiative: x\ndate: 2027-05-10\nscope:\n  department: {long_number}\n"
    )
    document = parse_document(content, format="yaml", file="a.yaml")
    with pytest.raises(LoadError) as caught:
        structure_document(document, bm.Assessment)
    found = dict(caught.value.problems[0].arguments)["found"]
    assert len(found) == 60
    assert found.endswith("...")


@given(
    code=st.sampled_from([*CODES, "no.such.code"]),
    arguments=st.dictionaries(st.text(max_size=12), st.text(max_size=30) | st.integers()),
    lang=st.sampled_from(["ja", "en"]),
)
def test_rendering_never_raises(code: str, arguments: dict[str, object], lang: str) -> None:
    """Any arguments, even odd names, braces or missing ones, render without raising."""
    problem = Problem("f", 1, None, "", "fallback", code=code, arguments=arguments)
    shown = problem.render(lang)
    assert shown.startswith("f:1 ")
    assert LoadError([problem]).render(lang).endswith(shown)


def test_source_text_of_a_list_element() -> None:
    """A YAML or JSON list element is located at its value, not at a key."""
    yaml_document = parse_document("a:\n  - yes # on\n  - 2\n", format="yaml", file="a.yaml")
    assert yaml_document.source_text(("a", 0)) == "yes"
    json_document = parse_document('{"a": [true, 2]}', format="json", file="a.json")
    assert json_document.source_text(("a", 0)) == "true"


def test_voice_log_cells_render_in_japanese(tmp_path: Path) -> None:
    """A bad date and a bad yes/no in a question log CSV are shown in Japanese by default."""
    path = tmp_path / "q.csv"
    path.write_text(
        "id,text,received_on,anonymous,status\nq1,hello,2024-13-01,maybe,open\n", encoding="utf-8"
    )
    with pytest.raises(LoadError) as caught:
        bm.voice.QuestionLog.from_file(path)
    shown = [str(problem) for problem in caught.value.problems]
    assert shown == [
        f"{path}:2:3 received_on: 日付（YYYY-MM-DD 形式）が必要です。見つかった値: '2024-13-01'",
        f"{path}:2:4 anonymous: true か false（yes/no、1/0 も可）が必要です。見つかった値: 'maybe'",
    ]

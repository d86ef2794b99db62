"""TOML files: problems with line numbers, tomllib's errors, limits and the key scanner."""

from __future__ import annotations

from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.documents import parse_document
from backoffice_marketing.foundation.io.paths import FieldPath
from backoffice_marketing.foundation.io.toml_source import locate_toml_keys

pytestmark = pytest.mark.usefixtures("english_messages")

LEVELS = "expected one of not_done, partial, done, not_applicable"

HEAD = 'schema_version = 1\ninitiative = "チャット移行"\ndate = 2027-05-10\n'

THREE_MISTAKES = """\
schema_version = 1
initiative = "チャット移行"
date = 2027-05-10

[scope]
department = "営業部"
headcount = 120

[[answers]]
item = "materials.why"
level = "yes"

[answers.evidence]
source = "manual"
collected_on = 2027-05-01

[[answers]]
item = "materials.faq"
level = "partial"
score = "half"

[[answers]]
item = "research.department-coverage"
levl = "done"
"""

ITEM = """\
schema_version = 1

[[items]]
id = "materials.why"
failure_mode = "materials"
question = { ja = "問い", en = "question" }
why = { ja = "理由", en = "why" }
evidence = { ja = "証拠", en = "evidence" }
remedies = [{ ja = "対策", en = "remedy" }]
"""


def _write(tmp_path: Path, content: str, name: str = "assessment.toml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _assessment_error(tmp_path: Path, content: str) -> LoadError:
    path = _write(tmp_path, content)
    with pytest.raises(LoadError) as caught:
        bm.Assessment.from_file(path)
    return caught.value


def _checklist_error(tmp_path: Path, content: str) -> LoadError:
    path = _write(tmp_path, content, "checklist.toml")
    with pytest.raises(LoadError) as caught:
        bm.Checklist.from_file(path)
    return caught.value


def _rows(error: LoadError) -> list[tuple[int | None, int | None, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in error.problems]


def _syntax_problem(text: str) -> Problem:
    with pytest.raises(LoadError) as caught:
        parse_document(text, format="toml", file="a.toml")
    (problem,) = caught.value.problems
    return problem


# --- the contract: every problem at once ------------------------------------------------


def test_three_mistakes_are_reported_in_one_load_error(tmp_path: Path) -> None:
    """A bad level, a string score and a misspelt key all come back in one LoadError."""
    error = _assessment_error(tmp_path, THREE_MISTAKES)
    file = str(tmp_path / "assessment.toml")
    assert all(problem.file == file for problem in error.problems)
    assert _rows(error) == [
        (11, 1, "answers[0].level", f"{LEVELS}; found 'yes'"),
        (20, 1, "answers[1].score", "expected a number; found 'half'"),
        (22, 3, "answers[2].level", "missing required field"),
        (24, 1, "answers[2].levl", "unknown key 'levl'; did you mean 'level'?"),
    ]
    assert str(error.problems[0]) == f"{file}:11:1 answers[0].level: {LEVELS}; found 'yes'"


def test_problems_in_sub_tables_point_at_their_own_line(tmp_path: Path) -> None:
    """Errors inside [scope] and [answers.evidence] name the line of the offending key."""
    content = HEAD + (
        "[scope]\n"  # 4
        "department = 5\n"  # 5
        "headcont = 3\n"  # 6
        "[[answers]]\n"  # 7
        'item = "materials.why"\n'  # 8
        'level = "done"\n'  # 9
        "[answers.evidence]\n"  # 10
        'collected_on = "yesterday"\n'  # 11
        'sorce = "adoption"\n'  # 12
    )
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [
        (5, 1, "scope.department", "expected a string; found 5"),
        (6, 1, "scope.headcont", "unknown key 'headcont'; did you mean 'headcount'?"),
        (
            11,
            1,
            "answers[0].evidence.collected_on",
            "expected a date (YYYY-MM-DD); found 'yesterday'",
        ),
        (12, 1, "answers[0].evidence.sorce", "unknown key 'sorce'; did you mean 'source'?"),
    ]


def test_validator_problems_name_the_field_line(tmp_path: Path) -> None:
    """Value checks (range, duplicates, score vs level) point at the field's line."""
    content = HEAD + (
        "[scope]\n"  # 4
        'department = "営業部"\n'  # 5
        "headcount = -1\n"  # 6
        "[[answers]]\n"  # 7
        'item = "materials.why"\n'  # 8
        'level = "done"\n'  # 9
        "score = 0.5\n"  # 10
    )
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [
        (6, 1, "scope.headcount", "expected an integer >= 0; found -1"),
        (10, 1, "answers[0].score", "a 'done' answer takes 1 or no score; found 0.5"),
    ]


def test_duplicate_answers_point_at_the_second_one(tmp_path: Path) -> None:
    """Two answers to one item are reported at the second answer's item line."""
    answer = '[[answers]]\nitem = "materials.why"\nlevel = "done"\n'
    error = _assessment_error(tmp_path, HEAD + answer + answer)
    assert _rows(error) == [
        (8, 1, "answers[1].item", "duplicate answer for item 'materials.why' (first at answers[0])")
    ]


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        ('gates = "abc"', "items[0].gates", "expected a list; found 'abc'"),
        ("gates = [5]", "items[0].gates[0]", "expected a string; found 5"),
        ('gates = ["Launch!"]', "items[0].gates[0]", "stage id in kebab-case"),
        ("weight = true", "items[0].weight", "expected a number; found 'true'"),
        ("weight = nan", "items[0].weight", "expected a finite number; found nan"),
        ("weight = inf", "items[0].weight", "expected a finite number; found inf"),
        ("weight = -inf", "items[0].weight", "expected a finite number; found -inf"),
        ("weight = 0", "items[0].weight", "expected a number > 0; found 0"),
        ('weight = "2"', "items[0].weight", "expected a number; found '2'"),
        ("wieght = 2", "items[0].wieght", "unknown key 'wieght'; did you mean 'weight'?"),
        ("colour = 2", "items[0].colour", "unknown key 'colour'; expected evidence, failure_mode"),
    ],
)
def test_strict_types_in_a_checklist(tmp_path: Path, extra: str, path: str, message: str) -> None:
    """Strings are not lists, numbers are not strings, booleans and NaN are not numbers."""
    error = _checklist_error(tmp_path, ITEM + extra + "\n")
    (problem,) = error.problems
    assert (problem.line, problem.column, problem.path) == (10, 1, path)
    assert message in problem.message


def test_five_is_not_a_string_and_bool_is_not_an_int(tmp_path: Path) -> None:
    """An integer where a string is expected and a boolean where an integer is are refused."""
    error = _checklist_error(tmp_path, ITEM.replace('id = "materials.why"', "id = 5"))
    assert _rows(error) == [(4, 1, "items[0].id", "expected a string; found 5")]
    content = HEAD + '[scope]\ndepartment = "営業部"\nheadcount = true\n'
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [(6, 1, "scope.headcount", "expected an integer; found 'true'")]


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("2027-05-10T09:00:00", "'2027-05-10T09:00:00'"),
        ("09:00:00", "'09:00:00'"),
        ('"2027-02-30"', "'2027-02-30'"),
        ("20270510", "20270510"),
    ],
)
def test_date_must_be_a_local_date(tmp_path: Path, value: str, found: str) -> None:
    """Only a TOML local date or a YYYY-MM-DD string is a date."""
    content = f'schema_version = 1\ninitiative = "x"\ndate = {value}\n'
    error = _assessment_error(tmp_path, content)
    assert _rows(error) == [(3, 1, "date", f"expected a date (YYYY-MM-DD); found {found}")]


def test_string_date_is_accepted(tmp_path: Path) -> None:
    """A date may also be written as a quoted YYYY-MM-DD string."""
    path = _write(tmp_path, 'schema_version = 1\ninitiative = "x"\ndate = "2027-05-10"\n')
    assert bm.Assessment.from_file(path).date.isoformat() == "2027-05-10"


def test_missing_required_fields_are_listed(tmp_path: Path) -> None:
    """Each missing required field is its own problem."""
    error = _checklist_error(
        tmp_path,
        ITEM.replace('failure_mode = "materials"\n', "").replace(
            'why = { ja = "理由", en = "why" }\n', ""
        ),
    )
    assert _rows(error) == [
        (3, 3, "items[0].failure_mode", "missing required field"),
        (3, 3, "items[0].why", "missing required field"),
    ]


# --- schema_version -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "row"),
    [
        ("", (None, None, "", "missing schema_version (this library writes 1)")),
        (
            'schema_version = "1"\n',
            (1, 1, "schema_version", "expected a positive integer; found '1'"),
        ),
        (
            "schema_version = 1.0\n",
            (1, 1, "schema_version", "expected a positive integer; found 1.0"),
        ),
        (
            "schema_version = true\n",
            (1, 1, "schema_version", "expected a positive integer; found 'true'"),
        ),
        ("schema_version = 0\n", (1, 1, "schema_version", "expected a positive integer; found 0")),
        (
            "schema_version = 2\n",
            (
                1,
                1,
                "schema_version",
                (
                    "schema_version 2 is newer than this library reads (1); "
                    "upgrade backoffice-marketing"
                ),
            ),
        ),
    ],
)
def test_schema_version(
    tmp_path: Path, head: str, row: tuple[int | None, int | None, str, str]
) -> None:
    """schema_version must be present, a positive integer and no newer than SCHEMA_VERSION."""
    error = _assessment_error(tmp_path, head + 'initiative = "x"\ndate = 2027-05-10\n')
    assert _rows(error) == [row]


def test_schema_version_problem_comes_with_the_others(tmp_path: Path) -> None:
    """A newer schema_version does not hide the other problems of the file."""
    error = _assessment_error(tmp_path, "schema_version = 9\ninitiative = 3\n")
    assert [problem.path for problem in error.problems] == ["date", "schema_version", "initiative"]


# --- tomllib's own errors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a = 1\na = 2\n", 2, 6, "cannot overwrite a value"),
        ("[t]\nx = 1\n[t]\n", 3, 3, "cannot declare ('t',) twice"),
        ("a = 1\n  b = = 2\n", 2, 7, "invalid value"),
        ('a = "x\ny"\n', 1, 7, "illegal character '\\n'"),
        ("[[t]]\n[t]\n", 2, 3, "cannot declare ('t',) twice"),
        ("a = 1 b = 2\n", 1, 7, "expected newline or end of document after a statement"),
    ],
)
def test_syntax_errors_report_line_and_column(
    text: str, line: int, column: int, message: str
) -> None:
    """Errors from tomllib (duplicate keys included) keep its line and column, not its suffix."""
    assert _syntax_problem(text) == Problem("a.toml", line, column, "", message)


def test_duplicate_key_in_an_assessment_file(tmp_path: Path) -> None:
    """A repeated key in an assessment file is one LoadError at the repeat's line."""
    error = _assessment_error(tmp_path, HEAD + 'initiative = "again"\n')
    assert _rows(error) == [(4, 21, "", "cannot overwrite a value")]


@pytest.mark.parametrize("text", ['a = 1\nb = "unterminated', "a = 1\nb = [1, 2", "a = 1\nb = "])
def test_syntax_errors_at_the_end_of_the_document_have_a_line(text: str) -> None:
    """An error at the end of the document is reported on the last line."""
    problem = _syntax_problem(text)
    assert problem.line == 2
    assert "(at end of document)" not in problem.message


# --- limits ---------------------------------------------------------------------------


def test_deep_nesting_is_refused_without_recursion_error(tmp_path: Path) -> None:
    """Half a million nested arrays are refused with a clear message, not a RecursionError."""
    path = _write(tmp_path, "a = " + "[" * 500_000 + "]" * 500_000)
    with pytest.raises(LoadError) as caught:
        bm.Checklist.from_file(path)
    assert caught.value.problems == (
        Problem(str(path), None, None, "", "nested deeper than 64 levels"),
    )


def test_nesting_deeper_than_64_is_a_problem(tmp_path: Path) -> None:
    """A document deeper than 64 levels is reported along with its other problems."""
    nested = "[" * 65 + "1" + "]" * 65
    error = _checklist_error(tmp_path, f"schema_version = 1\nitems = []\nextra = {nested}\n")
    assert _rows(error) == [
        (None, None, "", "nested deeper than 64 levels"),
        (3, 1, "extra", "unknown key 'extra'; expected items"),
    ]


def test_nesting_of_64_levels_is_accepted() -> None:
    """A table holding 63 nested arrays around a value (64 levels) parses cleanly."""
    document = parse_document("a = " + "[" * 63 + "1" + "]" * 63, format="toml")
    assert document.problems == ()


def test_depth_limit_counts_containers_like_json() -> None:
    """A table around 64 nested (empty) arrays is too deep, as it is in JSON."""
    with pytest.raises(LoadError):
        parse_document('{"a": ' + "[" * 64 + "]" * 64 + "}", format="json")
    document = parse_document("a = " + "[" * 64 + "]" * 64, format="toml")
    assert document.problems != ()


# --- locate_toml_keys -----------------------------------------------------------------


def test_locate_headers_and_arrays_of_tables() -> None:
    """Tables and array-of-tables elements are located at their name, with nested indices."""
    text = (
        "schema_version = 1\n"  # 1
        "[[items]]\n"  # 2
        'id = "a"\n'  # 3
        "[[items.remedies]]\n"  # 4
        'ja = "x"\n'  # 5
        "[[items.remedies]]\n"  # 6
        'ja = "y"\n'  # 7
        "[[items]]  # second\n"  # 8
        'id = "b"\n'  # 9
        "[[ items.remedies ]]\n"  # 10
        'ja = "z"\n'  # 11
        "[items.extra]\n"  # 12
        "k = 1\n"  # 13
        "[scope]\n"  # 14
        "department = 1\n"  # 15
    )
    expected: dict[FieldPath, tuple[int, int]] = {
        ("schema_version",): (1, 1),
        ("items",): (2, 3),
        ("items", 0): (2, 3),
        ("items", 0, "id"): (3, 1),
        ("items", 0, "remedies"): (4, 3),
        ("items", 0, "remedies", 0): (4, 3),
        ("items", 0, "remedies", 0, "ja"): (5, 1),
        ("items", 0, "remedies", 1): (6, 3),
        ("items", 0, "remedies", 1, "ja"): (7, 1),
        ("items", 1): (8, 3),
        ("items", 1, "id"): (9, 1),
        ("items", 1, "remedies"): (10, 4),
        ("items", 1, "remedies", 0): (10, 4),
        ("items", 1, "remedies", 0, "ja"): (11, 1),
        ("items", 1, "extra"): (12, 2),
        ("items", 1, "extra", "k"): (13, 1),
        ("scope",): (14, 2),
        ("scope", "department"): (15, 1),
    }
    assert locate_toml_keys(text) == expected


def test_locate_dotted_and_quoted_keys() -> None:
    """Dotted keys give every prefix a position; quoted keys are unquoted and unescaped."""
    text = (
        "question.ja = 1\n"  # 1
        '"quoted key" = 2\n'  # 2
        "'lit.eral' = 3\n"  # 3
        '"esc\\u00e9" = 4\n'  # 4
        '  a . "b c" . d = 5\n'  # 5
        '[ t . "x y" ]  # comment\n'  # 6
        "  v = 6\n"  # 7
        "日本 = 7\n"  # 8 (not a bare key: ignored)
    )
    expected: dict[FieldPath, tuple[int, int]] = {
        ("question",): (1, 1),
        ("question", "ja"): (1, 1),
        ("quoted key",): (2, 1),
        ("lit.eral",): (3, 1),
        ("escé",): (4, 1),
        ("a",): (5, 3),
        ("a", "b c"): (5, 3),
        ("a", "b c", "d"): (5, 3),
        ("t",): (6, 3),
        ("t", "x y"): (6, 3),
        ("t", "x y", "v"): (7, 3),
    }
    assert locate_toml_keys(text) == expected


def test_locate_dotted_keys_under_a_table_keep_the_table_position() -> None:
    """A dotted key under a table sets positions only for paths below the table."""
    text = "[answers]\nevidence.note = 1\n"
    assert locate_toml_keys(text) == {
        ("answers",): (1, 2),
        ("answers", "evidence"): (2, 1),
        ("answers", "evidence", "note"): (2, 1),
    }


def test_multi_line_strings_and_arrays_do_not_confuse_the_scanner() -> None:
    """Text inside multi-line strings and arrays is never taken for keys or headers."""
    text = (
        's = """\n'  # 1
        "[not_a_table]\n"  # 2
        "k = 1\n"  # 3
        '"""\n'  # 4
        "after = 1\n"  # 5
        "arr = [\n"  # 6
        "  1,  # [comment\n"  # 7
        '  "]",\n'  # 8
        "  [2, 3],\n"  # 9
        "  x = 1,\n"  # 10
        "]\n"  # 11
        "after2 = 2\n"  # 12
        "lit = '''\n"  # 13
        "x = 1'''\n"  # 14
        "after3 = 3\n"  # 15
        'm = """one""" # c\n'  # 16
        "after4 = 4\n"  # 17
        'mixed = ["""\n'  # 18
        'a""", 1,\n'  # 19
        "  2]\n"  # 20
        "after5 = 5\n"  # 21
        'c = "x" # comment [\n'  # 22
        "after6 = 6\n"  # 23
        "d = 'C:\\' # {\n"  # 24
        "after7 = 7\n"  # 25
        'e = [ # "quoted" [\n'  # 26
        "]\n"  # 27
        "after8 = 8\n"  # 28
        "t = { a = 1, b = [1, 2] }\n"  # 29
        "after9 = 9\n"  # 30
        'q = """a""""\n'  # 31
        "after10 = 10\n"  # 32
        "f = '''\n"  # 33
        "one\n"  # 34
        "two\n"  # 35
        "''' # done [\n"  # 36
        "after11 = 11\n"  # 37
    )
    positions = locate_toml_keys(text)
    assert positions == {
        ("s",): (1, 1),
        ("after",): (5, 1),
        ("arr",): (6, 1),
        ("after2",): (12, 1),
        ("lit",): (13, 1),
        ("after3",): (15, 1),
        ("m",): (16, 1),
        ("after4",): (17, 1),
        ("mixed",): (18, 1),
        ("after5",): (21, 1),
        ("c",): (22, 1),
        ("after6",): (23, 1),
        ("d",): (24, 1),
        ("after7",): (25, 1),
        ("e",): (26, 1),
        ("after8",): (28, 1),
        ("t",): (29, 1),
        ("after9",): (30, 1),
        ("q",): (31, 1),
        ("after10",): (32, 1),
        ("f",): (33, 1),
        ("after11",): (37, 1),
    }


def test_locate_handles_crlf_line_ends() -> None:
    """Windows line ends do not shift the line numbers."""
    assert locate_toml_keys("a = 1\r\n\r\n[t]\r\nb = 2\r\n") == {
        ("a",): (1, 1),
        ("t",): (3, 2),
        ("t", "b"): (4, 1),
    }


def test_locate_ignores_comments_and_blank_lines() -> None:
    """Comment lines and blank lines produce no positions."""
    assert locate_toml_keys("# a = 1\n\n   # [t]\nb = 2\n") == {("b",): (4, 1)}


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_locate_counts_only_newlines_as_line_ends(separator: str) -> None:
    """A string holding a Unicode line separator does not shift the following lines."""
    text = f'a = "x{separator}y"\nb = 1\n'
    assert locate_toml_keys(text) == {("a",): (1, 1), ("b",): (2, 1)}


def test_escaped_quotes_in_multi_line_strings() -> None:
    """An escaped triple quote inside a multi-line basic string does not end it."""
    one_line = 's = """a \\""" b"""\nk = 1\n'
    assert locate_toml_keys(one_line) == {("s",): (1, 1), ("k",): (2, 1)}
    spread = 's = """\nx \\""" y\n[fake]\n"""\nk = 1\n'
    assert locate_toml_keys(spread) == {("s",): (1, 1), ("k",): (5, 1)}


def test_locate_keys_with_toml_only_escapes() -> None:
    """A quoted key with a TOML-only 8-digit unicode escape is located under its decoded name."""
    assert locate_toml_keys('"smile\\U0001F600" = 1\n') == {("smile\U0001f600",): (1, 1)}

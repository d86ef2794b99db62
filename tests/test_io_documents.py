"""Documents, problems and load errors: reading files in any format, with positions."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.exceptions import (
    BackofficeMarketingError,
    DuplicateItemError,
    LoadError,
    MissingExtraError,
    Problem,
    UnknownItemError,
    UnsupportedFormatError,
    UnsupportedLanguageError,
)
from backoffice_marketing.foundation.io.documents import (
    MAX_BYTES,
    MAX_DEPTH,
    Document,
    Format,
    format_of,
    load_package_document,
    parse_document,
    read_document,
)
from backoffice_marketing.foundation.io.paths import FieldPath, format_path

pytestmark = pytest.mark.usefixtures("english_messages")

FORMATS: tuple[Format, ...] = ("toml", "json", "yaml")

#: The same small valid assessment in each format.
VALID: dict[Format, str] = {
    "toml": 'schema_version = 1\ninitiative = "チャット移行"\ndate = 2027-05-10\n',
    "json": '{"schema_version": 1, "initiative": "チャット移行", "date": "2027-05-10"}\n',
    "yaml": "schema_version: 1\ninitiative: チャット移行\ndate: 2027-05-10\n",
}


def _load_error(path: Path) -> LoadError:
    with pytest.raises(LoadError) as caught:
        bm.Assessment.from_file(path)
    return caught.value


def _rows(error: LoadError) -> list[tuple[int | None, int | None, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in error.problems]


# --- Problem and LoadError -------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            Problem("assessment.yaml", 12, 7, "answers[3].level", "expected X; found 'yes'"),
            "assessment.yaml:12:7 answers[3].level: expected X; found 'yes'",
        ),
        (Problem("a.toml", 12, None, "scope", "m"), "a.toml:12 scope: m"),
        (Problem("a.toml", None, None, "scope", "m"), "a.toml scope: m"),
        (Problem("a.toml", None, 7, "scope", "m"), "a.toml scope: m"),
        (Problem("a.toml", 3, 1, "", "m"), "a.toml:3:1 m"),
        (Problem("a.toml", None, None, "", "m"), "a.toml m"),
        (Problem("", 4, 2, "x", "m"), "<data>:4:2 x: m"),
        (Problem("", None, None, "", "m"), "<data> m"),
    ],
)
def test_problem_str(problem: Problem, text: str) -> None:
    """A problem reads file:line:column, then the field path, then the message."""
    assert str(problem) == text


def test_load_error_sorts_and_lists_every_problem() -> None:
    """LoadError sorts its problems by file, line, column and path and lists each one."""
    later = Problem("b.toml", 1, 1, "x", "in b")
    deep = Problem("a.toml", 10, 3, "answers[1]", "late")
    early = Problem("a.toml", 2, 9, "date", "early")
    same_line_left = Problem("a.toml", 2, 1, "initiative", "left")
    nowhere = Problem("a.toml", None, None, "", "top")
    same_place = Problem("a.toml", 2, 9, "answers", "same place, smaller path")
    error = LoadError([later, deep, early, same_line_left, nowhere, same_place])
    assert error.problems == (nowhere, same_line_left, same_place, early, deep, later)
    assert str(error) == (
        "6 problems found:\n"
        "  a.toml top\n"
        "  a.toml:2:1 initiative: left\n"
        "  a.toml:2:9 answers: same place, smaller path\n"
        "  a.toml:2:9 date: early\n"
        "  a.toml:10:3 answers[1]: late\n"
        "  b.toml:1:1 x: in b"
    )
    assert isinstance(error, ValueError)
    assert isinstance(error, BackofficeMarketingError)


def test_load_error_with_one_problem_uses_the_singular() -> None:
    """A single problem is announced as "1 problem found"."""
    error = LoadError(iter([Problem("a.json", 1, 2, "", "bad")]))
    assert str(error) == "1 problem found:\n  a.json:1:2 bad"
    assert len(error.problems) == 1


def test_unsupported_format_error_carries_its_data() -> None:
    """UnsupportedFormatError names the path and the supported suffixes."""
    error = UnsupportedFormatError("notes.txt", [".json", ".toml"])
    assert error.path == "notes.txt"
    assert error.supported == (".json", ".toml")
    assert str(error) == "notes.txt: unsupported file format; use one of .json, .toml"
    assert isinstance(error, ValueError)


def test_the_other_exceptions_carry_their_data() -> None:
    """Every library error derives from BackofficeMarketingError and keeps its fields."""
    language = UnsupportedLanguageError("fr")
    assert (language.lang, str(language)) == ("fr", "unsupported language 'fr'; use 'ja' or 'en'")
    extra = MissingExtraError("yaml", "pyyaml")
    assert (extra.extra, extra.module) == ("yaml", "pyyaml")
    assert str(extra) == (
        "this feature needs the optional dependency 'pyyaml'; "
        "install it with: pip install 'backoffice-marketing[yaml]'"
    )
    assert isinstance(extra, ImportError)
    unknown = UnknownItemError("materials.wyh", known=["materials.why", "research.key-persons"])
    assert unknown.suggestions == ("materials.why",)
    assert str(unknown) == "unknown checklist item 'materials.wyh'; did you mean 'materials.why'?"
    assert isinstance(unknown, KeyError)
    bare = UnknownItemError("zzz")
    assert (bare.item_id, bare.suggestions, str(bare)) == (
        "zzz",
        (),
        "unknown checklist item 'zzz'",
    )
    duplicate = DuplicateItemError("materials.why", "answer")
    assert duplicate.item_id == "materials.why"
    assert str(duplicate) == "duplicate answer id 'materials.why'"
    assert str(DuplicateItemError("x")) == "duplicate checklist item id 'x'"
    for error in (language, extra, unknown, duplicate):
        assert isinstance(error, BackofficeMarketingError)


# --- field paths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("date",), "date"),
        (("answers", 3, "level"), "answers[3].level"),
        (("scope", "department"), "scope.department"),
        ((0, "a"), "[0].a"),
        (("a", 0, 1), "a[0][1]"),
        (("items", 0, "remedies", 2, "ja"), "items[0].remedies[2].ja"),
    ],
)
def test_format_path(path: FieldPath, text: str) -> None:
    """Field paths print as dotted names with [index] for list elements."""
    assert format_path(path) == text


# --- formats and suffixes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.toml", "toml"),
        ("a.json", "json"),
        ("a.yaml", "yaml"),
        ("a.yml", "yaml"),
        ("dir.d/A.TOML", "toml"),
        ("B.Yml", "yaml"),
    ],
)
def test_format_of(name: str, fmt: Format) -> None:
    """The suffix (in any case) picks the format; .yml is YAML."""
    assert format_of(name) == fmt
    assert format_of(Path(name)) == fmt


@pytest.mark.parametrize("name", ["a.txt", "a", "a.toml.bak", "a.ini", ".toml"])
def test_format_of_refuses_unknown_suffixes(name: str) -> None:
    """A suffix that names no format raises UnsupportedFormatError listing the supported ones."""
    with pytest.raises(UnsupportedFormatError) as caught:
        format_of(name)
    assert caught.value.path == name
    assert caught.value.supported == (".json", ".toml", ".yaml", ".yml")


def test_from_file_with_unsupported_suffix(tmp_path: Path) -> None:
    """Loading a file whose suffix names no format fails before reading it."""
    path = tmp_path / "assessment.txt"
    with pytest.raises(UnsupportedFormatError, match=r"assessment\.txt: unsupported file format"):
        bm.Assessment.from_file(path)
    assert not path.exists()


# --- reading files ---------------------------------------------------------------------


def test_missing_file_is_a_load_error_naming_the_file(tmp_path: Path) -> None:
    """A missing file gives one LoadError problem that names the file and the reason."""
    path = tmp_path / "missing.toml"
    error = _load_error(path)
    assert error.problems == (
        Problem(str(path), None, None, "", "cannot read the file: No such file or directory"),
    )
    assert str(path) in str(error)


def test_unreadable_file_is_a_load_error(tmp_path: Path) -> None:
    """A path that cannot be read as a file (here a directory) gives a LoadError."""
    path = tmp_path / "assessment.json"
    path.mkdir()
    with pytest.raises(LoadError) as caught:
        read_document(path)
    assert caught.value.problems == (
        Problem(str(path), None, None, "", "cannot read the file: it is a folder"),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_read_document_parses_each_format(tmp_path: Path, fmt: Format) -> None:
    """read_document picks the parser by suffix and keeps the file name."""
    path = tmp_path / f"assessment.{fmt}"
    path.write_text(VALID[fmt], encoding="utf-8")
    document = read_document(str(path))
    assert document.file == str(path)
    assert isinstance(document.data, dict)
    assert document.data["initiative"] == "チャット移行"
    assert document.problems == ()
    expected_line = 1 if fmt == "json" else 2
    assert document.locate(("initiative",))[0] == expected_line


def test_file_over_one_mib_is_refused(tmp_path: Path) -> None:
    """A file larger than MAX_BYTES is refused after reading one byte more, with a clear message."""
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_BYTES + 1))
    error = _load_error(path)
    assert error.problems == (
        Problem(
            str(path),
            None,
            None,
            "",
            "the JSON document is too large: at most 1048576 bytes are accepted",
        ),
    )


def test_file_of_exactly_one_mib_is_read(tmp_path: Path) -> None:
    """A file of exactly MAX_BYTES bytes is accepted."""
    path = tmp_path / "padded.json"
    body = b'{"schema_version": 1}'
    path.write_bytes(body + b" " * (MAX_BYTES - len(body)))
    assert read_document(path).data == {"schema_version": 1}


@pytest.mark.parametrize("fmt", FORMATS)
def test_parse_document_refuses_large_bytes(fmt: Format) -> None:
    """In-memory bytes over MAX_BYTES are refused before decoding."""
    with pytest.raises(LoadError, match=r"input is 1048577 bytes; at most 1048576 bytes"):
        parse_document(b"#" * (MAX_BYTES + 1), format=fmt)


def test_parse_document_counts_utf8_bytes_of_text() -> None:
    """A text is measured in UTF-8 bytes, not characters, against MAX_BYTES."""
    count = MAX_BYTES // 3 + 1
    text = "あ" * count
    assert len(text) < MAX_BYTES
    with pytest.raises(LoadError) as caught:
        parse_document(text, format="yaml", file="big.yaml")
    assert caught.value.problems == (
        Problem(
            "big.yaml",
            None,
            None,
            "",
            f"input is {count * 3} bytes; at most 1048576 bytes (1 MiB) are accepted",
        ),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_byte_order_mark_is_accepted(tmp_path: Path, fmt: Format) -> None:
    """A UTF-8 byte order mark at the start of a file is skipped in every format."""
    path = tmp_path / f"assessment.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + VALID[fmt].encode("utf-8"))
    assessment = bm.Assessment.from_file(path)
    assert assessment.initiative == "チャット移行"


@pytest.mark.parametrize("fmt", FORMATS)
def test_non_utf8_bytes_are_reported_with_their_line(tmp_path: Path, fmt: Format) -> None:
    """Bytes that are not UTF-8 give a LoadError naming the line and the byte offset."""
    path = tmp_path / f"assessment.{fmt}"
    raw = VALID[fmt].encode("utf-8")
    path.write_bytes(raw + b"# \xff\xfe\n")
    error = _load_error(path)
    line = VALID[fmt].count("\n") + 1
    assert error.problems == (
        Problem(str(path), line, None, "", f"not valid UTF-8 at byte {len(raw) + 2}"),
    )


def test_non_utf8_bytes_after_a_byte_order_mark_are_located() -> None:
    """With a BOM, a bad byte is still reported at its real offset and line."""
    content = b"\xef\xbb\xbfa = 1\n\xff"
    with pytest.raises(LoadError) as caught:
        parse_document(content, format="toml", file="a.toml")
    assert caught.value.problems == (Problem("a.toml", 2, None, "", "not valid UTF-8 at byte 9"),)


@pytest.mark.parametrize(
    ("fmt", "content", "found"),
    [
        ("json", "[1, 2]\n", "a list"),
        ("json", '"text"\n', "'text'"),
        ("json", "null\n", "nothing (null)"),
        ("yaml", "- 1\n- 2\n", "a list"),
        ("yaml", "just text\n", "'just text'"),
        ("yaml", "", "nothing (null)"),
        ("yaml", "# only a comment\n", "nothing (null)"),
    ],
)
def test_top_level_must_be_a_table(tmp_path: Path, fmt: Format, content: str, found: str) -> None:
    """A document whose top level is not a table is refused at line 1."""
    path = tmp_path / f"assessment.{fmt}"
    path.write_text(content, encoding="utf-8")
    error = _load_error(path)
    assert error.problems[0] == Problem(
        str(path), 1, 1, "", f"expected a table at the top; found {found}"
    )


def test_empty_toml_reports_every_missing_field(tmp_path: Path) -> None:
    """An empty TOML file is an empty table: the version and required fields are missing."""
    path = tmp_path / "assessment.toml"
    path.write_text("", encoding="utf-8")
    error = _load_error(path)
    assert _rows(error) == [
        (None, None, "", "missing schema_version (this library writes 1)"),
        (None, None, "date", "missing required field"),
        (None, None, "initiative", "missing required field"),
    ]


def test_answers_to_unknown_items_are_problems_of_the_file(tmp_path: Path) -> None:
    """With a checklist, answers to items not in it are reported at their item line."""
    path = tmp_path / "assessment.toml"
    answer = '[[answers]]\nitem = "{}"\nlevel = "done"\n'
    path.write_text(
        VALID["toml"]
        + answer.format("research.department-coverage")
        + answer.format("research.departmnt-coverage"),
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        bm.Assessment.from_file(path, checklist=bm.default_checklist())
    assert caught.value.problems == (
        Problem(
            str(path),
            8,
            1,
            "answers[1].item",
            "unknown checklist item 'research.departmnt-coverage'; "
            "did you mean 'research.department-coverage'?",
        ),
    )
    assert len(bm.Assessment.from_file(path).answers) == 2


# --- Document --------------------------------------------------------------------------


def test_document_locates_a_path_or_its_nearest_ancestor() -> None:
    """locate() gives the position of a path, else of its nearest located ancestor."""
    positions: dict[FieldPath, tuple[int, int]] = {("answers",): (4, 1), ("answers", 0): (5, 3)}
    document = Document({}, "a.yaml", positions)
    assert document.locate(("answers", 0)) == (5, 3)
    assert document.locate(("answers", 0, "level")) == (5, 3)
    assert document.locate(("answers", 1, "level")) == (4, 1)
    assert document.locate(("date",)) == (None, None)
    assert document.locate(()) == (None, None)
    assert document.problem(("answers", 0, "level"), "bad") == Problem(
        "a.yaml", 5, 3, "answers[0].level", "bad"
    )
    assert document.problem(("date",), "gone") == Problem("a.yaml", None, None, "date", "gone")


def test_document_equality_ignores_positions() -> None:
    """Two documents with the same data, file and problems are equal whatever the positions."""
    assert Document({"a": 1}, "f", {("a",): (1, 1)}) == Document({"a": 1}, "f", {})


def test_load_package_document() -> None:
    """Package data files are parsed with positions, named by their file name."""
    document = load_package_document("checklist.toml")
    assert document.file == "checklist.toml"
    assert document.problems == ()
    assert isinstance(document.data, dict)
    assert document.data["schema_version"] == 1
    lines = (
        resources.files("backoffice_marketing.data")
        .joinpath("checklist.toml")
        .read_text("utf-8")
        .split("\n")
    )
    version_line = lines.index("schema_version = 1") + 1
    first_id_line = next(n for n, line in enumerate(lines, 1) if line.startswith("id = "))
    assert document.locate(("schema_version",)) == (version_line, 1)
    assert document.locate(("items", 0, "id")) == (first_id_line, 1)


def test_limits() -> None:
    """The documented limits are 1 MiB and 64 levels."""
    assert MAX_BYTES == 1_048_576
    assert MAX_DEPTH == 64

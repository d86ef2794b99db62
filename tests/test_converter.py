"""The strict converter, problem collection, deterministic dumps and atomic saves."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any, NoReturn

import attrs
import pytest

import backoffice_marketing as bm
from backoffice_marketing.core.failure_modes import FailureMode, FailureModeProfile
from backoffice_marketing.exceptions import (
    LoadError,
    Problem,
    UnsafeWriteError,
    UnsupportedFormatError,
)
from backoffice_marketing.foundation.io import atomic
from backoffice_marketing.foundation.io.converter import (
    SCHEMA_VERSION,
    converter,
    dump_text,
    save_object,
    structure_document,
    unstructure,
)
from backoffice_marketing.foundation.io.documents import Document, Format, parse_document
from backoffice_marketing.foundation.validators import FieldValueError

pytestmark = pytest.mark.usefixtures("english_messages")

DAY = dt.date(2027, 5, 10)
TEXT = bm.LocalizedText(ja="全部署にヒアリング", en="=SUM(A1:A3)")
SUFFIXES = (".toml", ".json", ".yaml", ".yml")


def _assessment() -> bm.Assessment:
    return bm.Assessment(
        initiative="チャット移行",
        date=DAY,
        scope=bm.Scope("営業部", 120, "本社"),
        answers=(
            bm.Answer(
                "materials.why",
                bm.AnswerLevel.PARTIAL,
                0.25,
                bm.Evidence("adoption", "=HYPERLINK(x)", dt.date(2027, 5, 1), "メモ"),
            ),
            bm.Answer("research.department-coverage", bm.AnswerLevel.DONE),
        ),
    )


def _checklist() -> bm.Checklist:
    return bm.Checklist(
        [
            bm.ChecklistItem(
                id="materials.why",
                failure_mode=FailureMode.MATERIALS,
                question=TEXT,
                why=TEXT,
                evidence=TEXT,
                remedies=(TEXT, bm.LocalizedText(ja="対策", en="remedy")),
                weight=2.5,
                gates=("launch",),
            )
        ]
    )


def _document(data: object) -> Document:
    return Document(data, "data.json", {})


def _problems(data: object, cls: Any) -> list[tuple[str, str]]:
    with pytest.raises(LoadError) as caught:
        structure_document(_document(data), cls)
    return [(problem.path, problem.message) for problem in caught.value.problems]


# --- strict primitive hooks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cls", "message"),
    [
        (5, str, "expected a string; found 5"),
        (None, str, "expected a string; found nothing (null)"),
        (True, int, "expected an integer; found True"),
        (1.0, int, "expected an integer; found 1.0"),
        ("7", int, "expected an integer; found '7'"),
        (False, float, "expected a number; found False"),
        ("1.5", float, "expected a number; found '1.5'"),
        (float("nan"), float, "expected a finite number; found nan"),
        (float("inf"), float, "expected a finite number; found inf"),
        (float("-inf"), float, "expected a finite number; found -inf"),
        (1, bool, "expected true or false; found 1"),
        ("true", bool, "expected true or false; found 'true'"),
        ("2027-02-30", dt.date, "expected a date (YYYY-MM-DD); found '2027-02-30'"),
        (
            dt.datetime(2027, 1, 2, 3, 4),
            dt.date,
            "expected a date (YYYY-MM-DD); found datetime.datetime(2027, 1, 2, 3, 4)",
        ),
        (20270510, dt.date, "expected a date (YYYY-MM-DD); found 20270510"),
        (
            "DONE",
            bm.AnswerLevel,
            "expected one of not_done, partial, done, not_applicable; found 'DONE'",
        ),
        (1, FailureMode, "expected one of research, customer_voice, announcement"),
        ("abc", tuple[str, ...], "expected a list; found 'abc'"),
        ({"a": 1}, tuple[str, ...], "expected a list; found a table"),
        ([1], dict[str, int], "expected a table; found a list"),
        (["x"], bm.LocalizedText, "expected a table; found a list"),
        ("x" * 100, int, "expected an integer; found '" + "x" * 56 + "..."),
    ],
)
def test_strict_hooks_refuse_wrong_types(value: object, cls: Any, message: str) -> None:
    """Each primitive hook refuses values of another type instead of coercing them."""
    with pytest.raises(ValueError, match=r"^expected") as caught:
        converter.structure(value, cls)
    assert str(caught.value).startswith(message)
    if message.endswith("..."):
        assert len(str(caught.value)) == len("expected an integer; found ") + 60


@pytest.mark.parametrize(
    ("value", "cls", "expected"),
    [
        ("abc", str, "abc"),
        (7, int, 7),
        (1, float, 1.0),
        (0.5, float, 0.5),
        (False, bool, False),
        ("2027-05-10", dt.date, DAY),
        (DAY, dt.date, DAY),
        ("done", bm.AnswerLevel, bm.AnswerLevel.DONE),
        ("two_way", FailureMode, FailureMode.TWO_WAY),
        (["a", "b"], tuple[str, ...], ("a", "b")),
        (("a",), tuple[str, ...], ("a",)),
        ({"a": 1}, dict[str, int], {"a": 1}),
        ({"ja": "日本", "en": "Japan"}, bm.LocalizedText, bm.LocalizedText("日本", "Japan")),
    ],
)
def test_strict_hooks_accept_right_types(value: object, cls: Any, expected: object) -> None:
    """Values of the right type are structured unchanged (ints widen to floats)."""
    result = converter.structure(value, cls)
    assert result == expected
    assert type(result) is type(expected)


def test_element_errors_are_collected_with_their_index() -> None:
    """Every bad element of a list or table is reported, each with its index or key."""
    assert _problems(
        {"schema_version": 1, "items": [{"id": 5}, "x"]},
        bm.Checklist,
    ) == [
        ("items[0].evidence", "missing required field"),
        ("items[0].failure_mode", "missing required field"),
        ("items[0].id", "expected a string; found 5"),
        ("items[0].question", "missing required field"),
        ("items[0].remedies", "missing required field"),
        ("items[0].why", "missing required field"),
        ("items[1]", "expected a table; found 'x'"),
    ]


def test_missing_fields_are_named() -> None:
    """Each missing required field is its own problem, named by its path."""
    problems = _problems({"schema_version": 1, "items": [{"id": "materials.x"}]}, bm.Checklist)
    assert problems == [
        (f"items[0].{name}", "missing required field")
        for name in ("evidence", "failure_mode", "question", "remedies", "why")
    ]


def test_dict_keys_and_values_are_structured_strictly() -> None:
    """A table keyed by an enumeration reports bad keys and bad values with their key."""
    profile = {key: {"ja": "あ", "en": "a"} for key in ("complaint", "cause", "discipline")}
    data = {
        "schema_version": 1,
        "research": {**profile, "name": {"ja": "調査", "en": "Research"}, "habit": 5},
        "nope": {},
    }
    assert _problems(data, dict[FailureMode, FailureModeProfile]) == [
        (
            "nope",
            (
                "expected one of research, customer_voice, announcement, materials, two_way; "
                "found 'nope'"
            ),
        ),
        ("research.habit", "expected a table; found 5"),
    ]


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("levl", "; did you mean 'level'?"),
        ("Level", "; did you mean 'level'?"),
        ("scor", "; did you mean 'score'?"),
        ("comment", "; expected evidence, item, level, score"),
    ],
)
def test_unknown_keys_get_a_hint(key: str, hint: str) -> None:
    """An unknown key suggests the closest field, or lists the fields when none is close."""
    answer = {"item": "materials.why", "level": "done", key: 1}
    data = {"schema_version": 1, "initiative": "x", "date": "2027-05-10", "answers": [answer]}
    assert _problems(data, bm.Assessment) == [(f"answers[0].{key}", f"unknown key {key!r}{hint}")]


def test_several_unknown_keys_are_each_reported() -> None:
    """Each unknown key of one table is its own problem, in name order."""
    data = {"schema_version": 1, "initiative": "x", "date": "2027-05-10", "zeta": 1, "dat": 2}
    assert _problems(data, bm.Assessment) == [
        ("dat", "unknown key 'dat'; did you mean 'date'?"),
        ("zeta", "unknown key 'zeta'; expected answers, date, initiative, scope"),
    ]


def test_validator_errors_keep_their_field_path() -> None:
    """A FieldValueError from a validator names the field (and element) it is about."""
    answer = {"item": "materials.why", "level": "done"}
    data = {
        "schema_version": 1,
        "initiative": "x",
        "date": "2027-05-10",
        "answers": [answer, answer, {**answer, "item": "materials.other", "score": 2}],
    }
    assert _problems(data, bm.Assessment) == [
        ("answers[2].score", "expected a number in [0, 1] (0.85 for 85%); found 2"),
    ]
    data["answers"] = [answer, answer]
    assert _problems(data, bm.Assessment) == [
        ("answers[1].item", "duplicate answer for item 'materials.why' (first at answers[0])"),
    ]


@attrs.frozen
class _Picky:
    """A class whose validator raises a plain ValueError, not a FieldValueError."""

    size: int = attrs.field()

    @size.validator
    def _check(self, _: attrs.Attribute[int], value: int) -> None:
        if value > 3:
            raise ValueError(f"size {value} is too big")


@attrs.frozen
class _Holder:
    """A class holding a _Picky."""

    picky: _Picky


def test_other_validator_errors_are_reported_as_invalid_values() -> None:
    """A validator's plain ValueError is still one problem, at the field's path."""
    data = {"schema_version": 1, "picky": {"size": 5}}
    assert _problems(data, _Holder) == [("picky.size", "size 5 is too big")]
    assert structure_document(_document({"schema_version": 1, "picky": {"size": 2}}), _Holder) == (
        _Holder(_Picky(2))
    )


def test_structure_document_returns_the_object() -> None:
    """A valid document structures into an equal object."""
    data = unstructure(_assessment())
    assert structure_document(_document(data), bm.Assessment) == _assessment()


def test_document_problems_come_first_with_the_others() -> None:
    """Problems found while parsing are reported together with structuring problems."""
    parse_problem = Problem("data.json", 1, 1, "x", "duplicate key 'x'")
    document = Document({"schema_version": 1}, "data.json", {}, (parse_problem,))
    with pytest.raises(LoadError) as caught:
        structure_document(document, bm.Assessment)
    assert caught.value.problems == (
        Problem("data.json", None, None, "date", "missing required field"),
        Problem("data.json", None, None, "initiative", "missing required field"),
        parse_problem,
    )


def test_document_problems_alone_still_fail() -> None:
    """A document with parse problems fails even if its data structures cleanly."""
    parse_problem = Problem("data.json", 3, 1, "", "aliases are not allowed; found *a")
    data = {"schema_version": 1, "items": []}
    with pytest.raises(LoadError) as caught:
        structure_document(Document(data, "data.json", {}, (parse_problem,)), bm.Checklist)
    assert caught.value.problems == (parse_problem,)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (None, "missing schema_version (this library writes 1)"),
        ("1", "expected a positive integer; found '1'"),
        (1.0, "expected a positive integer; found 1.0"),
        (True, "expected a positive integer; found True"),
        (-1, "expected a positive integer; found -1"),
        (
            SCHEMA_VERSION + 1,
            "schema_version 2 is newer than this library reads (1); upgrade backoffice-marketing",
        ),
    ],
)
def test_schema_version_is_checked(version: object, message: str) -> None:
    """schema_version is required, a positive integer, and not newer than SCHEMA_VERSION."""
    data: dict[str, object] = {"items": []}
    if version is not None:
        data["schema_version"] = version
    path = "" if version is None else "schema_version"
    assert _problems(data, bm.Checklist) == [(path, message)]


def test_schema_version_position_in_a_file() -> None:
    """A newer schema_version is reported at its own line."""
    document = parse_document(
        '{\n  "items": [],\n  "schema_version": 3\n}', format="json", file="c.json"
    )
    with pytest.raises(LoadError) as caught:
        structure_document(document, bm.Checklist)
    assert caught.value.problems == (
        Problem(
            "c.json",
            3,
            3,
            "schema_version",
            "schema_version 3 is newer than this library reads (1); upgrade backoffice-marketing",
        ),
    )


def test_value_problems_of_structured_objects_come_with_type_problems() -> None:
    """An answer that structured is still checked when its sibling has a type error."""
    text = (
        "schema_version = 1\n"
        'initiative = "x"\n'
        "date = 2027-05-10\n"
        "[[answers]]\n"
        'item = "materials.why"\n'
        'level = "done"\n'
        "score = 0.5\n"
        "[[answers]]\n"
        'item = "materials.faq"\n'
        'level = "yes"\n'
    )
    with pytest.raises(LoadError) as caught:
        structure_document(parse_document(text, format="toml", file="a.toml"), bm.Assessment)
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (7, "answers[0].score"),
        (10, "answers[1].level"),
    ]


def test_validation_problems_are_reported_with_type_problems() -> None:
    """Every value problem is reported in the same pass as the type problems of the file."""
    text = (
        "schema_version = 1\n"
        'initiative = " "\n'
        "date = 2027-05-10\n"
        "[[answers]]\n"
        'item = "Bad Id"\n'
        'level = "done"\n'
        "score = 0.5\n"
        "[[answers]]\n"
        'item = "materials.faq"\n'
        'level = "yes"\n'
    )
    with pytest.raises(LoadError) as caught:
        structure_document(parse_document(text, format="toml", file="a.toml"), bm.Assessment)
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (2, "initiative"),
        (5, "answers[0].item"),
        (7, "answers[0].score"),
        (10, "answers[1].level"),
    ]


# --- unstructure and dump_text --------------------------------------------------------


def test_unstructure_gives_plain_data_headed_by_schema_version() -> None:
    """Plain data starts with schema_version, drops None and uses lists and enum values."""
    data = unstructure(_assessment())
    assert list(data) == ["schema_version", "initiative", "date", "scope", "answers"]
    assert data == {
        "schema_version": 1,
        "initiative": "チャット移行",
        "date": DAY,
        "scope": {"department": "営業部", "headcount": 120, "parent": "本社"},
        "answers": [
            {
                "item": "materials.why",
                "level": "partial",
                "score": 0.25,
                "evidence": {
                    "source": "adoption",
                    "reference": "=HYPERLINK(x)",
                    "collected_on": dt.date(2027, 5, 1),
                    "note": "メモ",
                },
            },
            {
                "item": "research.department-coverage",
                "level": "done",
                "evidence": {"source": "manual"},
            },
        ],
    }
    assert type(data["answers"][0]["level"]) is str
    checklist = unstructure(_checklist())
    assert checklist["items"][0]["gates"] == ["launch"]
    assert type(checklist["items"][0]["failure_mode"]) is str


def test_dump_text_json() -> None:
    """JSON is indented by two, keeps non-ASCII text and writes dates as YYYY-MM-DD."""
    data = {"schema_version": 1, "initiative": "移行", "date": DAY, "scope": {}}
    assert dump_text(data, "json") == (
        '{\n  "schema_version": 1,\n  "initiative": "移行",\n  "date": "2027-05-10",\n'
        '  "scope": {}\n}\n'
    )


def test_dump_text_toml() -> None:
    """TOML keeps key order and writes dates as local dates."""
    data = {"schema_version": 1, "initiative": "移行", "date": DAY, "scope": {"headcount": 3}}
    assert dump_text(data, "toml") == (
        'schema_version = 1\ninitiative = "移行"\ndate = 2027-05-10\n\n[scope]\nheadcount = 3\n'
    )


def test_dump_text_yaml() -> None:
    """YAML keeps key order, non-ASCII text, and quotes strings that would change type."""
    data = {"schema_version": 1, "initiative": "移行", "date": DAY, "note": "yes", "n": "1.0"}
    assert dump_text(data, "yaml") == (
        "schema_version: 1\ninitiative: 移行\ndate: 2027-05-10\nnote: 'yes'\nn: '1.0'\n"
    )


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_dumped_text_reads_back(fmt: Format) -> None:
    """What dump_text writes, parse_document and structure_document read back equal."""
    for obj in (_assessment(), _checklist()):
        text = dump_text(unstructure(obj), fmt)
        document = parse_document(text, format=fmt)
        assert document.problems == ()
        assert structure_document(document, type(obj)) == obj


def test_yaml_keeps_next_line_characters() -> None:
    """A text holding U+0085 survives a YAML save and load unchanged."""
    obj = bm.Assessment("a\x85b", DAY)
    document = parse_document(dump_text(unstructure(obj), "yaml"), format="yaml")
    assert structure_document(document, bm.Assessment) == obj


# --- saving ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_save_writes_dump_text_and_reads_back(tmp_path: Path, suffix: str) -> None:
    """save() writes exactly dump_text's output and from_file() reads back an equal object."""
    fmt: Format = {".toml": "toml", ".json": "json"}.get(suffix, "yaml")  # type: ignore[assignment]
    assessment = _assessment()
    path = tmp_path / f"assessment{suffix}"
    assessment.save(path)
    assert path.read_bytes() == dump_text(unstructure(assessment), fmt).encode("utf-8")
    assert bm.Assessment.from_file(path) == assessment
    checklist_path = tmp_path / f"checklist{suffix}"
    _checklist().save(str(checklist_path))
    assert bm.Checklist.from_file(checklist_path) == _checklist()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"assessment{suffix}",
        f"checklist{suffix}",
    ]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_saves_are_deterministic(tmp_path: Path, suffix: str) -> None:
    """Equal objects built separately save to byte-identical files."""
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    _assessment().save(first)
    _assessment().save(second)
    assert first.read_bytes() == second.read_bytes()
    _assessment().save(first)
    assert first.read_bytes() == second.read_bytes()


def test_yaml_and_yml_are_the_same_bytes(tmp_path: Path) -> None:
    """The .yaml and .yml suffixes write the same bytes."""
    _checklist().save(tmp_path / "c.yaml")
    _checklist().save(tmp_path / "c.yml")
    assert (tmp_path / "c.yaml").read_bytes() == (tmp_path / "c.yml").read_bytes()


@pytest.mark.parametrize("name", ["assessment.txt", "assessment", "assessment.toml.bak"])
def test_save_refuses_unknown_suffixes(tmp_path: Path, name: str) -> None:
    """Saving to a suffix that names no format raises and writes nothing."""
    with pytest.raises(UnsupportedFormatError) as caught:
        _assessment().save(tmp_path / name)
    assert caught.value.path == str(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_an_existing_file(tmp_path: Path) -> None:
    """Saving over a file replaces its content and leaves no temporary file."""
    path = tmp_path / "assessment.json"
    path.write_text("old", encoding="utf-8")
    save_object(_assessment(), path)
    assert bm.Assessment.from_file(path) == _assessment()
    assert [p.name for p in tmp_path.iterdir()] == ["assessment.json"]


def test_failed_replace_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the old file is intact and the temporary file is removed."""
    path = tmp_path / "assessment.toml"
    path.write_text("old content", encoding="utf-8")
    seen: list[str] = []

    def failing_replace(source: str, _target: object) -> NoReturn:
        seen.append(source)
        assert Path(source).exists()
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        _assessment().save(path)
    assert path.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["assessment.toml"]
    (temp,) = seen
    assert Path(temp).parent == tmp_path
    assert Path(temp).name.startswith(".assessment.toml.")
    assert Path(temp).name.endswith(".tmp")


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt while writing leaves the old file and no temporary file behind."""
    path = tmp_path / "checklist.yaml"
    path.write_text("old content", encoding="utf-8")

    def interrupted(_fd: int) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _checklist().save(path)
    assert path.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["checklist.yaml"]


def test_cleanup_tolerates_a_vanished_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the temporary file is already gone, the error still propagates, naming the target."""
    path = tmp_path / "a.json"

    def vanish_then_fail(source: str, _target: object) -> NoReturn:
        Path(source).unlink()
        raise PermissionError("denied")

    monkeypatch.setattr(os, "replace", vanish_then_fail)
    with pytest.raises(UnsafeWriteError, match="denied"):
        atomic.write_text_atomic(path, "{}")
    assert list(tmp_path.iterdir()) == []


def test_directory_fsync_failure_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A platform that cannot open a directory for fsync still gets the file written."""
    real_open = os.open
    refused: list[Path] = []

    def no_directories(path: str | Path, flags: int, mode: int = 0o777) -> int:
        if Path(path) == tmp_path:
            refused.append(Path(path))
            raise OSError("cannot open a directory")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", no_directories)
    written = atomic.write_bytes_atomic(str(tmp_path / "x.json"), b"{}")
    assert refused == [tmp_path]
    assert written == tmp_path / "x.json"
    assert written.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_write_text_atomic_keeps_line_ends(tmp_path: Path) -> None:
    """Text is written as UTF-8 bytes, line ends as given."""
    path = atomic.write_text_atomic(tmp_path / "t.toml", "a = 1\r\nb = 'é'\n")
    assert path.read_bytes() == "a = 1\r\nb = 'é'\n".encode()


def test_save_keeps_the_mode_of_the_replaced_file(tmp_path: Path) -> None:
    """Saving over a file keeps its permission bits."""
    path = tmp_path / "assessment.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o640)
    _assessment().save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_files_get_the_umask_default_mode(tmp_path: Path) -> None:
    """A new file gets 0666 minus the umask, not mkstemp's private 0600."""
    old = os.umask(0o027)
    try:
        _assessment().save(tmp_path / "assessment.yaml")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "assessment.yaml").stat().st_mode) == 0o640


def test_save_into_a_missing_directory_raises(tmp_path: Path) -> None:
    """Saving into a directory that does not exist raises UnsafeWriteError naming the target."""
    with pytest.raises(UnsafeWriteError, match="the folder does not exist"):
        _assessment().save(tmp_path / "missing" / "assessment.toml")


def test_field_value_error_is_a_library_error() -> None:
    """Validators raise FieldValueError, which names the path and the message."""
    with pytest.raises(FieldValueError) as caught:
        bm.Scope("営業部", -1)
    assert caught.value.path == ("headcount",)
    assert caught.value.message == "expected an integer >= 0; found -1"
    assert isinstance(caught.value, bm.BackofficeMarketingError)

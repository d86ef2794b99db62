"""Round trips: every checklist and assessment survives save and load in every format."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, example, given

import backoffice_marketing as bm
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.foundation.io.converter import (
    converter,
    dump_text,
    structure_document,
    unstructure,
)
from backoffice_marketing.foundation.io.documents import Format, parse_document
from tests.strategies import assessments, checklists

FORMATS: tuple[Format, ...] = ("toml", "json", "yaml")

#: Japanese text and formula-looking strings, always tried first.
JAPANESE = bm.LocalizedText(ja="全部署にヒアリングしましたか?", en="=SUM(A1:A3)")
FORMULA = bm.LocalizedText(ja='=HYPERLINK("http://x")', en="=cmd|' /C calc'!A0")
CHECKLIST = bm.Checklist(
    [
        bm.ChecklistItem(
            id="research.department-coverage",
            failure_mode=FailureMode.RESEARCH,
            question=JAPANESE,
            why=FORMULA,
            evidence=bm.LocalizedText(ja="ヒアリング記録\n(部署名・日付)", en="+1 -x @user"),
            remedies=(JAPANESE, FORMULA),
            weight=2.5,
            gates=("proposal", "launch"),
        ),
        bm.ChecklistItem(
            id="two_way.champions",
            failure_mode=FailureMode.TWO_WAY,
            question=FORMULA,
            why=JAPANESE,
            evidence=JAPANESE,
            remedies=(FORMULA,),
        ),
    ]
)
ASSESSMENT = bm.Assessment(
    initiative="=チャット移行",
    date=dt.date(2027, 5, 10),
    scope=bm.Scope("営業部", 120, "=本社"),
    answers=(
        bm.Answer(
            "research.department-coverage",
            bm.AnswerLevel.PARTIAL,
            0.1,
            bm.Evidence("adoption", "=A1", dt.date(2027, 5, 1), "全部署 'yes'"),
        ),
        bm.Answer("research.key-persons", bm.AnswerLevel.NOT_APPLICABLE),
    ),
)


def _save_and_load_checklist(checklist: bm.Checklist, fmt: Format) -> tuple[bm.Checklist, bytes]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"checklist.{fmt}"
        checklist.save(path)
        content = path.read_bytes()
        # U+0085 does not survive YAML yet: see test_converter.test_yaml_keeps_next_line_characters.
        assume(fmt != "yaml" or "\x85" not in content.decode("utf-8"))
        loaded = bm.Checklist.from_file(path)
        assert sorted(p.name for p in Path(directory).iterdir()) == [path.name]
        return loaded, content


def _save_and_load_assessment(
    assessment: bm.Assessment, fmt: Format
) -> tuple[bm.Assessment, bytes]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"assessment.{fmt}"
        assessment.save(path)
        content = path.read_bytes()
        assume(fmt != "yaml" or "\x85" not in content.decode("utf-8"))
        loaded = bm.Assessment.from_file(path)
        assert sorted(p.name for p in Path(directory).iterdir()) == [path.name]
        return loaded, content


@pytest.mark.parametrize("fmt", FORMATS)
@given(checklists)
@example(CHECKLIST)
@example(bm.Checklist([]))
def test_checklist_file_round_trip(fmt: Format, checklist: bm.Checklist) -> None:
    """Checklist.from_file after save gives an equal checklist, in every format."""
    loaded, content = _save_and_load_checklist(checklist, fmt)
    assert loaded == checklist
    assert dump_text(unstructure(loaded), fmt).encode("utf-8") == content


@pytest.mark.parametrize("fmt", FORMATS)
@given(assessments())
@example(ASSESSMENT)
def test_assessment_file_round_trip(fmt: Format, assessment: bm.Assessment) -> None:
    """Assessment.from_file after save gives an equal assessment, in every format."""
    loaded, content = _save_and_load_assessment(assessment, fmt)
    assert loaded == assessment
    assert dump_text(unstructure(loaded), fmt).encode("utf-8") == content


@pytest.mark.parametrize("fmt", FORMATS)
@given(assessments(["materials.why", "research.key-persons", "two_way.champions"]))
def test_text_round_trip_without_files(fmt: Format, assessment: bm.Assessment) -> None:
    """dump_text, parse_document and structure_document give back an equal assessment."""
    text = dump_text(unstructure(assessment), fmt)
    assume(fmt != "yaml" or "\x85" not in text)
    document = parse_document(text, format=fmt, file=f"a.{fmt}")
    assert document.problems == ()
    assert structure_document(document, bm.Assessment) == assessment


@given(checklists)
@example(CHECKLIST)
def test_checklist_converter_round_trip(checklist: bm.Checklist) -> None:
    """converter.structure of the unstructured data (without schema_version) is equal."""
    data = unstructure(checklist)
    assert data.pop("schema_version") == 1
    assert converter.structure(data, bm.Checklist) == checklist
    assert converter.structure(converter.unstructure(checklist), bm.Checklist) == checklist


@given(assessments())
@example(ASSESSMENT)
def test_assessment_converter_round_trip(assessment: bm.Assessment) -> None:
    """converter.structure of the unstructured data (without schema_version) is equal."""
    data = unstructure(assessment)
    assert data.pop("schema_version") == 1
    assert converter.structure(data, bm.Assessment) == assessment
    assert converter.structure(converter.unstructure(assessment), bm.Assessment) == assessment


def test_japanese_and_formulas_are_written_verbatim(tmp_path: Path) -> None:
    """Japanese text is written as UTF-8 (not escaped) and formulas are kept as text."""
    for fmt in FORMATS:
        path = tmp_path / f"checklist.{fmt}"
        CHECKLIST.save(path)
        content = path.read_text(encoding="utf-8")
        assert "全部署にヒアリングしましたか?" in content
        assert "=SUM(A1:A3)" in content
        assert bm.Checklist.from_file(path) == CHECKLIST

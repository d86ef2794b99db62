"""Plans and gap reports: JSON from the records of their shape, generated schemas, old files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.adoption.classification import (
    Classification,
    DepartmentStanding,
    Reason,
    Standing,
)
from backoffice_marketing.core.privacy import Suppression
from backoffice_marketing.diagnosis.gaps import GapReport, GapReportRecord
from backoffice_marketing.diagnosis.planning.plan import Plan
from backoffice_marketing.diagnosis.planning.records import PlanRecord
from backoffice_marketing.diagnosis.playbooks import list_playbooks, load_playbook
from backoffice_marketing.foundation.io.converter import (
    converter,
    dump_text,
    plain_data,
    structure_document,
)
from backoffice_marketing.foundation.io.documents import parse_document
from backoffice_marketing.readiness.departments import (
    DepartmentBarrier,
    Evidence,
    EvidenceKind,
    EvidenceSource,
    SourceBarrier,
)
from backoffice_marketing.readiness.elements import Element
from backoffice_marketing.schemas.generate import (
    generated_kinds,
    render_schema,
    resolve_shape,
    schema_for,
)
from tests.schemas import validate
from tests.shape_samples import Note, Outer, Owner, Scored, Twice
from tests.strategies import answers, localized

SAVED = Path(__file__).parent / "fixtures" / "saved"
#: Files written before plans and gap reports went through the converter (see the README).
OLD_FILES = sorted(SAVED.glob("*.json"))
#: The last hand-built shapes: the converter must write exactly these bytes.
CURRENT_FILES = sorted(SAVED.glob("*-df778bd.json"))
RECORDS: dict[str, type[Any]] = {"plan": PlanRecord, "gap_report": GapReportRecord}
DAY = dt.date(2027, 5, 10)
CHECKLIST = bm.default_checklist()
IDS = list(CHECKLIST.ids)


def _kind(path: Path) -> str:
    return "plan" if path.name.startswith("plan-") else "gap_report"


def _load(text: str, kind: str, file: str = "<string>") -> Any:
    """A saved file read strictly back into the record of its shape."""
    record = RECORDS[kind]
    resolve_shape(record)
    return structure_document(parse_document(text, format="json", file=file), record)


def _written(record: object) -> str:
    return dump_text({"schema_version": 1, **plain_data(record, keep_none=True)}, "json")


@pytest.mark.parametrize("path", OLD_FILES, ids=lambda path: path.name)
def test_old_saved_files_validate_against_the_shipped_schema(path: Path) -> None:
    """Every saved plan and gap report, from 0.1.0 on, is valid against today's shipped schema."""
    data = validate(path.read_text(encoding="utf-8"), f"{_kind(path)}.schema.json")
    assert data["schema_version"] == 1


@pytest.mark.parametrize("path", OLD_FILES, ids=lambda path: path.name)
def test_old_saved_files_load_into_the_record_of_their_shape(path: Path) -> None:
    """Every saved file, old ones included, reads strictly back into its record."""
    record = _load(path.read_text(encoding="utf-8"), _kind(path), path.name)
    assert isinstance(record, RECORDS[_kind(path)])


def test_files_of_0_1_0_lack_the_keys_added_since() -> None:
    """The 0.1.0 files really are older shapes: the later keys load as their defaults."""
    plan = _load((SAVED / "plan-b5575b9.json").read_text(encoding="utf-8"), "plan")
    assert plan.constraints is None
    assert not any(task.placeholder for task in plan.tasks)
    gaps = _load((SAVED / "gap-report-b5575b9.json").read_text(encoding="utf-8"), "gap_report")
    assert (gaps.conflicts, gaps.conflict_tolerance, gaps.adoption, gaps.barriers) == (
        (),
        None,
        None,
        (),
    )


@pytest.mark.parametrize("path", CURRENT_FILES, ids=lambda path: path.name)
def test_current_files_read_back_and_write_the_same_bytes(path: Path) -> None:
    """A file of today's shape survives reading into its record and writing, byte for byte."""
    text = path.read_text(encoding="utf-8")
    assert _written(_load(text, _kind(path))) == text


def test_an_unknown_key_in_a_saved_file_is_a_load_error() -> None:
    """Reading a saved file back is strict: a misspelt key names its place and a close match."""
    data = json.loads((SAVED / "gap-report-df778bd.json").read_text(encoding="utf-8"))
    data["remedies"][0]["prority"] = 1.0
    with pytest.raises(bm.exceptions.LoadError, match="priority") as caught:
        _load(json.dumps(data), "gap_report")
    assert "remedies" in str(caught.value)


def test_plan_and_gap_report_schemas_are_generated() -> None:
    """The plan and gap report schemas are generated (so the drift test covers them)."""
    kinds = generated_kinds()
    assert kinds["plan"] is Plan
    assert kinds["gap_report"] is GapReport
    shipped = Path(bm.__file__).parent / "schemas"
    for kind in ("plan", "gap_report"):
        text = (shipped / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert text == render_schema(kinds[kind])


def test_generated_schemas_require_every_key_but_the_later_ones() -> None:
    """A shape keeps every key (null for no value); keys added after 0.1.0 are not required."""
    gaps = schema_for(GapReport)
    later = {"conflicts", "conflict_tolerance", "adoption", "barriers"}
    assert set(gaps["required"]) == set(gaps["properties"]) - later
    assert "playbook" in gaps["required"]  # null when there is no playbook, but present
    plan = schema_for(Plan)
    assert set(plan["required"]) == set(plan["properties"]) - {"constraints"}
    task = plan["$defs"]["PlannedTask"]
    assert "placeholder" not in task["required"]
    assert "deliverable" in task["required"]
    # A barrier leaves its empty fields out, as in the readiness report.
    assert "element" not in gaps["$defs"]["DepartmentBarrier"]["required"]
    assert gaps["properties"]["min_group_size"]["minimum"] == 5


# --- Round trips -------------------------------------------------------------------------

_BARRIER = DepartmentBarrier(
    department="d1",
    element=Element.ABILITY,
    sources=(SourceBarrier(EvidenceSource.SURVEY, Element.ABILITY, DAY),),
    evidence=(
        Evidence(
            EvidenceKind.HEARING,
            ("h1",),
            DAY,
            Element.ABILITY,
            bm.LocalizedText(ja="端末がない", en="no device"),
        ),
    ),
    next_action=bm.LocalizedText(ja="端末を配る", en="hand out devices"),
    remedy="ability.shared-terminals",
    disagree=False,
)


@st.composite
def classifications(draw: st.DrawFn) -> Classification:
    """A classification of up to three departments, with or without merges."""
    names = draw(st.lists(st.sampled_from(["d0", "d1", "d2"]), unique=True, max_size=3))
    standings = tuple(
        DepartmentStanding(
            department=name,
            period="2027-W20",
            rate=draw(st.floats(0.0, 1.0)),
            standing=draw(st.sampled_from(list(Standing))),
            reasons=tuple(draw(st.lists(st.sampled_from(list(Reason)), max_size=2))),
            explanation=draw(localized),
        )
        for name in names
    )
    merges = tuple(
        Suppression(group, draw(st.none() | st.just("other")), draw(localized))
        for group in draw(st.lists(st.sampled_from(["d8", "d9"]), unique=True, max_size=2))
    )
    return Classification(
        period=draw(st.none() | st.just("2027-W20")),
        target=draw(st.floats(0.05, 1.0)),
        median=draw(st.none() | st.floats(0.0, 1.0)),
        margin=draw(st.floats(0.01, 2.0)),
        threshold=None,
        departments=standings,
        merges=merges,
    )


@st.composite
def gap_reports(draw: st.DrawFn) -> GapReport:
    """A gap report of random department and company answers, with every optional part."""
    count = draw(st.integers(0, 4))
    assessments = []
    for index in range(count):
        ids = draw(st.lists(st.sampled_from(IDS), max_size=10, unique=True))
        scope = bm.Scope(f"d{index}", draw(st.integers(0, 40)), "d0" if index else None)
        given_answers = tuple(draw(answers(item_id)) for item_id in ids)
        assessments.append(bm.Assessment("x", DAY, scope, given_answers))
    company_ids = draw(st.lists(st.sampled_from(IDS), max_size=10, unique=True))
    company = bm.Assessment(
        "x", DAY, bm.Scope(headcount=draw(st.none() | st.integers(0, 200)))
    ).with_answers(tuple(draw(answers(item_id)) for item_id in company_ids))
    evidence_ids = draw(st.lists(st.sampled_from(IDS), max_size=4, unique=True))
    use_playbook = draw(st.booleans())
    return GapReport.from_assessment(
        [company, *assessments],
        playbook=load_playbook("chat-migration") if use_playbook else None,
        stage=draw(st.sampled_from([None, "research", "launch"])) if use_playbook else None,
        previous=company if draw(st.booleans()) else None,
        evidence=tuple(draw(answers(item_id)) for item_id in evidence_ids),
        adoption=draw(st.none() | classifications()),
        barriers=(_BARRIER,) if draw(st.booleans()) else (),
    )


@settings(max_examples=40, deadline=None)
@given(gap_reports())
def test_gap_report_json_round_trips_through_its_record(report: GapReport) -> None:
    """to_dict -> record -> to_dict is the identity, and so is to_json -> record -> JSON."""
    data = report.to_dict()
    record = converter.structure(
        {key: value for key, value in data.items() if key != "schema_version"}, GapReportRecord
    )
    assert {"schema_version": 1, **plain_data(record, keep_none=True)} == data
    assert record == GapReportRecord.of(report)
    text = report.to_json()
    assert _written(_load(text, "gap_report")) == text
    validate(text, "gap_report.schema.json")


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A built-in playbook scheduled for a few departments, sometimes replanned with flags."""
    names = draw(
        st.lists(st.sampled_from(["営業部", "人事部", "d1", "d2"]), min_size=1, unique=True)
    )
    plan = Plan.from_playbook(
        load_playbook(draw(st.sampled_from(list_playbooks()))),
        start=draw(st.dates(dt.date(2027, 1, 1), dt.date(2028, 12, 31))),
        departments={name: draw(st.integers(0, 300)) for name in names},
        calendar=draw(st.sampled_from(["JP", None])),
        lead_time=draw(st.integers(0, 10)),
        level=draw(st.booleans()),
    )
    if draw(st.booleans()):
        flagged = draw(st.lists(st.sampled_from(names), unique=True))
        plan = plan.replan(flagged=flagged, today=plan.start)
    return plan


@settings(max_examples=15, deadline=None)
@given(plans())
def test_plan_json_round_trips_through_its_record(plan: Plan) -> None:
    """A plan's to_dict and to_json read back into PlanRecord and write the same data."""
    data = plan.to_dict()
    record = converter.structure(
        {key: value for key, value in data.items() if key != "schema_version"}, PlanRecord
    )
    assert {"schema_version": 1, **plain_data(record, keep_none=True)} == data
    assert record == PlanRecord.of(plan)
    text = plan.to_json()
    assert _written(_load(text, "plan")) == text
    validate(text, "plan.schema.json")
    assert converter.unstructure(plan) == converter.unstructure(record)


# --- The converter's record hooks and the generator, on small records -------------------


def test_a_record_keeps_nulls_except_under_a_field_that_omits_them() -> None:
    """Fields are written in order; only the OMIT_NONE field's value drops its None fields."""
    data = plain_data(Owner("営業部"), keep_none=True)
    assert list(data) == ["title", "element", "kept", "dropped", "later"]
    assert data["kept"] == {"text": "営業部", "when": None}
    assert data["dropped"] == {"text": "営業部"}
    assert data["element"] is None
    assert converter.unstructure(Owner("x")) == converter.unstructure(Outer.of(Owner("x")))


def test_only_the_marked_class_is_a_record() -> None:
    """A subclass of a record is not a record unless marked itself (the mark is not inherited)."""

    @attrs.frozen
    class Plain(Twice):
        pass

    assert converter.unstructure(Plain(Note("a"), Note("b")))["dropped"] == {
        "text": "b",
        "when": None,
    }
    assert converter.unstructure(Twice(Note("a"), Note("b")))["dropped"] == {"text": "b"}


def test_generated_schema_of_a_record() -> None:
    """Names imported for type checking resolve; later keys are optional; keywords are added."""
    schema = schema_for(Owner)
    assert schema["required"] == ["dropped", "element", "kept", "schema_version", "title"]
    assert schema["properties"]["later"] == {"type": "integer", "minimum": 0}
    assert schema["properties"]["element"]["anyOf"][0]["enum"][0] == "awareness"
    assert schema["$defs"]["LocalizedText"]["required"] == ["en", "ja"]
    assert schema["$defs"]["Note"]["required"] == ["text", "when"]  # kept: every key present
    assert schema["$defs"]["Memo"]["required"] == ["text"]  # under OMIT_NONE: null left out


def test_a_class_reached_with_and_without_its_nulls_is_refused() -> None:
    """One $defs entry cannot describe a class written both with and without its null fields."""

    class Holder:
        report_kind = "holder"
        json_shape = Twice
        keeps_none = True

    assert schema_for(Twice)["$defs"]["Note"]["required"] == ["text"]  # omitted throughout
    with pytest.raises(TypeError, match="both with and without"):
        schema_for(Holder)


def test_two_classes_of_one_name_are_refused() -> None:
    """Two different classes of the same name in one schema are an error, not a silent mix-up."""
    other = attrs.make_class("Note", {"size": attrs.field(type=int)})
    both = attrs.make_class("Both", {"a": attrs.field(type=Note), "b": attrs.field(type=other)})
    both.report_kind = "both"  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="two classes named Note"):
        schema_for(both)


def test_an_unknown_name_in_an_annotation_is_a_name_error() -> None:
    """A field type naming nothing importable fails loudly when its schema is made."""
    # An annotation as text, as `from __future__ import annotations` leaves it.
    broken = attrs.make_class("Broken", {"x": attrs.field(type="Nowhere")})  # type: ignore[call-overload]
    broken.report_kind = "broken"  # type: ignore[attr-defined]
    with pytest.raises(NameError, match="Nowhere"):
        schema_for(broken)


def test_a_record_writes_its_computed_values_after_its_fields() -> None:
    """The values named in schema_extras follow the fields, in data and in the schema."""
    assert plain_data(Scored(4)) == {"value": 4, "double": 8}
    assert plain_data(Scored(4, "x"), keep_none=True) == {"value": 4, "note": "x", "double": 8}
    schema = schema_for(Scored)
    assert list(schema["properties"]) == ["schema_version", "value", "note", "double"]
    assert schema["required"] == ["double", "schema_version", "value"]
    review = bm.materials.lint("テスト文書です。", lang="ja")
    assert list(review.to_dict())[-1] == "score"
    assert review.to_dict()["score"] == review.score

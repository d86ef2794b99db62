"""Hypothesis strategies for the domain objects."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from backoffice_marketing.core.assessment import Assessment, Scope
from backoffice_marketing.core.checklist import (
    Answer,
    AnswerLevel,
    Checklist,
    ChecklistItem,
    Evidence,
)
from backoffice_marketing.core.departments import Department
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.diagnosis.initiative import Initiative, PrivacyFloors
from backoffice_marketing.foundation.text import LocalizedText

#: Text that every format can carry: any printable character except surrogates,
#: with Japanese and formula-looking prefixes well represented.
_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
texts = st.one_of(
    st.text(_ALPHABET, min_size=1, max_size=30),
    st.sampled_from(["=SUM(A1:A3)", "+1", "-x", "@user", "全部署にヒアリング", "a|b", "<script>"]),
    st.builds(lambda a, b: a + b, st.sampled_from(["=", "部署", "1on1 "]), st.text(_ALPHABET)),
).filter(lambda value: bool(value.strip()))

localized = st.builds(LocalizedText, ja=texts, en=texts)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
stage_ids = st.sampled_from(
    ["research", "diagnosis", "proposal", "design", "materials", "announcement", "launch"]
)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
weights = st.one_of(st.integers(1, 5).map(float), st.floats(0.1, 10.0, allow_nan=False))


@st.composite
def checklist_items(draw: st.DrawFn, mode: FailureMode | None = None) -> ChecklistItem:
    """A valid checklist item."""
    failure_mode = mode if mode is not None else draw(st.sampled_from(list(FailureMode)))
    return ChecklistItem(
        id=f"{failure_mode.value}.{draw(slugs)}",
        failure_mode=failure_mode,
        question=draw(localized),
        why=draw(localized),
        evidence=draw(localized),
        remedies=draw(st.lists(localized, min_size=1, max_size=3)),
        weight=draw(weights),
        gates=draw(st.lists(stage_ids, max_size=3, unique=True)),
    )


checklists = st.lists(checklist_items(), max_size=8, unique_by=lambda item: item.id).map(Checklist)

evidence = st.builds(
    Evidence,
    source=st.sampled_from(["manual", "adoption", "voice", "materials"]),
    reference=st.none() | texts,
    collected_on=st.none() | dates,
    note=st.none() | texts,
)


@st.composite
def answers(draw: st.DrawFn, item_id: str | None = None) -> Answer:
    """A valid answer (its score agrees with its level)."""
    item = item_id if item_id is not None else f"materials.{draw(slugs)}"
    level = draw(st.sampled_from(list(AnswerLevel)))
    score: float | None = None
    if level is AnswerLevel.PARTIAL:
        score = draw(st.none() | st.floats(0.01, 0.99))
    elif level is AnswerLevel.DONE:
        score = draw(st.none() | st.just(1.0))
    elif level is AnswerLevel.NOT_DONE:
        score = draw(st.none() | st.just(0.0))
    return Answer(item, level, score, draw(evidence))


scopes = st.one_of(
    st.just(Scope()),
    st.builds(
        Scope,
        department=texts,
        headcount=st.integers(0, 100_000),
        parent=st.none() | texts,
    ),
)


@st.composite
def assessments(draw: st.DrawFn, item_ids: list[str] | None = None) -> Assessment:
    """A valid assessment; answers refer to ``item_ids`` when given."""
    if item_ids is None:
        ids = draw(st.lists(slugs.map(lambda s: f"research.{s}"), max_size=6, unique=True))
    else:
        ids = draw(st.lists(st.sampled_from(item_ids), unique=True)) if item_ids else []
    return Assessment(
        initiative=draw(texts),
        date=draw(dates),
        scope=draw(scopes),
        answers=tuple(draw(answers(item_id)) for item_id in ids),
    )


@st.composite
def initiatives(draw: st.DrawFn) -> Initiative:
    """A valid initiative with its own figures and departments."""
    names = draw(st.lists(texts, min_size=1, max_size=5, unique_by=str.strip))
    departments = tuple(
        Department(name.strip() or "d", headcount=draw(st.integers(0, 500))) for name in names
    )
    unique = tuple({unit.id: unit for unit in departments}.values())
    target = draw(st.floats(0.05, 1.0, allow_nan=False))
    return Initiative(
        id=draw(slugs),
        name=draw(localized),
        playbook=draw(st.sampled_from(["chat-migration", "one-on-one", "generic-rollout"])),
        start=draw(dates),
        departments=unique,
        calendar=draw(st.sampled_from(["JP", "none"])),
        target=target,
        majority_share=draw(st.floats(0.01, 1.0, allow_nan=False).map(lambda v: v * target)),
        notice_days=draw(st.integers(0, 60)),
        privacy=PrivacyFloors(draw(st.integers(5, 50)), draw(st.integers(10, 50))),
        lang=draw(st.sampled_from(["ja", "en"])),
    )

"""Checklist items and the checklist collection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.exceptions import DuplicateItemError, UnknownItemError
from backoffice_marketing.foundation.validators import FieldValueError
from tests.strategies import checklist_items, checklists

TEXT = bm.LocalizedText(ja="テスト", en="test")


def make_item(item_id: str = "materials.legal-review", **changes: Any) -> bm.ChecklistItem:
    fields: dict[str, object] = {
        "id": item_id,
        "failure_mode": bm.FailureMode(item_id.split(".", maxsplit=1)[0]),
        "question": TEXT,
        "why": TEXT,
        "evidence": TEXT,
        "remedies": (TEXT,),
    }
    fields.update(changes)
    return bm.ChecklistItem(**fields)  # type: ignore[arg-type]


def test_item_defaults() -> None:
    """An item defaults to weight 1 and no gates, and stores tuples."""
    item = make_item(remedies=[TEXT, TEXT], gates=["launch"])
    assert item.weight == 1.0
    assert item.remedies == (TEXT, TEXT)
    assert item.gates == ("launch",)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Materials.Why"}, "expected an id"),
        ({"failure_mode": bm.FailureMode.RESEARCH}, "must start with its failure mode"),
        ({"remedies": ()}, "at least one"),
        ({"weight": 0}, "expected a number > 0"),
        ({"weight": float("nan")}, "expected a number > 0"),
        ({"gates": ["Launch!"]}, "stage id"),
    ],
)
def test_item_validation(changes: dict[str, Any], message: str) -> None:
    """Invalid items are refused with a message naming the problem."""
    with pytest.raises(FieldValueError, match=message):
        make_item(**changes)


def test_item_gates_refuse_a_single_string() -> None:
    """A single string is not a sequence of stage ids."""
    with pytest.raises(TypeError, match="not a single string"):
        make_item(gates="launch")


def test_blank_text_is_refused() -> None:
    """A bilingual text must not be blank in either language."""
    with pytest.raises(ValueError, match="blank"):
        bm.LocalizedText(ja=" ", en="x")


def test_localized_text_get_and_unsupported_language() -> None:
    """Texts are picked by language; an unknown language is a clear error."""
    assert TEXT.get("ja") == "テスト"
    assert TEXT.get("en") == "test"
    assert str(TEXT) == "テスト"  # str() follows the display language, Japanese by default
    with bm.display_language("en"):
        assert str(TEXT) == "test"
    with pytest.raises(bm.exceptions.UnsupportedLanguageError, match="'fr'"):
        TEXT.get("fr")  # type: ignore[arg-type]


def test_checklist_lookup_and_filters() -> None:
    """A checklist looks items up by id and filters by failure mode and stage."""
    first = make_item("materials.legal-review", gates=["announcement"])
    second = make_item("research.site-tour")
    checklist = bm.Checklist([first, second])
    assert len(checklist) == 2
    assert list(checklist) == [first, second]
    assert checklist["research.site-tour"] is second
    assert "materials.legal-review" in checklist
    assert checklist.get("materials.nope") is None
    assert checklist.ids == ("materials.legal-review", "research.site-tour")
    assert checklist.for_failure_mode("research").ids == ("research.site-tour",)
    assert checklist.for_stage("announcement").ids == ("materials.legal-review",)
    assert repr(checklist) == "<Checklist items=2>"


def test_unknown_item_suggests_close_id() -> None:
    """Looking up a misspelt id raises UnknownItemError with a suggestion."""
    checklist = bm.default_checklist()
    with pytest.raises(UnknownItemError) as caught:
        checklist["materials.wy"]
    assert caught.value.item_id == "materials.wy"
    assert "did you mean 'materials.why'" in str(caught.value)
    assert isinstance(caught.value, KeyError)


def test_duplicate_ids_are_refused() -> None:
    """A checklist cannot hold two items with one id."""
    with pytest.raises(FieldValueError, match="duplicate checklist item id"):
        bm.Checklist([make_item(), make_item()])


def test_merge_adds_user_items_and_refuses_collisions() -> None:
    """Merging adds user items after the built-in ones; an id collision is an error."""
    base = bm.default_checklist()
    merged = base.merge([make_item()])
    assert len(merged) == len(base) + 1
    assert merged.ids[-1] == "materials.legal-review"
    with pytest.raises(DuplicateItemError) as caught:
        merged.merge(bm.Checklist([make_item()]))
    assert caught.value.item_id == "materials.legal-review"


@given(checklists)
def test_filters_partition_the_checklist(checklist: bm.Checklist) -> None:
    """The failure-mode filters partition the checklist without loss or repetition."""
    parts = [checklist.for_failure_mode(mode) for mode in bm.FailureMode]
    assert sum(len(part) for part in parts) == len(checklist)
    assert sorted(i for part in parts for i in part.ids) == sorted(checklist.ids)


@given(checklist_items())
def test_item_json_has_every_field(item: bm.ChecklistItem) -> None:
    """The JSON of a one-item checklist carries the item's id, mode and texts."""
    data = json.loads(bm.Checklist([item]).to_json())
    assert data["schema_version"] == 1
    (entry,) = data["items"]
    assert entry["id"] == item.id
    assert entry["failure_mode"] == item.failure_mode.value
    assert entry["question"] == {"ja": item.question.ja, "en": item.question.en}


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_answer_from_share_is_always_a_valid_answer(share: float) -> None:
    """Any share in [0, 1] becomes a valid answer whose value is the share rounded once."""
    answer = bm.Answer.from_share("two_way.champions", share)
    assert answer.value is not None
    assert 0.0 <= answer.value <= 1.0
    assert abs(answer.value - share) <= 1e-4
    if answer.level is bm.AnswerLevel.PARTIAL:
        assert 0.0 < answer.value < 1.0


def test_answer_from_share_edges() -> None:
    """0.99996 stays partial (never a score of 1); shares outside [0, 1] clamp; NaN is refused."""
    near = bm.Answer.from_share("two_way.champions", 0.99996)
    assert near.level is bm.AnswerLevel.PARTIAL
    assert near.score == 0.9999
    assert bm.Answer.from_share("two_way.champions", 1).level is bm.AnswerLevel.DONE
    assert bm.Answer.from_share("two_way.champions", 0.0).level is bm.AnswerLevel.NOT_DONE
    assert bm.Answer.from_share("two_way.champions", 1.5).level is bm.AnswerLevel.DONE
    assert bm.Answer.from_share("two_way.champions", -0.1).level is bm.AnswerLevel.NOT_DONE
    for bad in (float("nan"), float("inf")):
        with pytest.raises(FieldValueError, match="share"):
            bm.Answer.from_share("two_way.champions", bad)

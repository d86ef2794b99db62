"""Report objects display in one language in Jupyter, chosen with set_display_language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import backoffice_marketing as bm
from backoffice_marketing.adoption import cutover_advice
from backoffice_marketing.voice import FAQ, Question


@pytest.fixture(autouse=True)
def restore() -> Iterator[None]:
    previous = bm.display_language()
    yield
    bm.set_display_language(previous)


def _objects() -> list[object]:
    checklist = bm.default_checklist()
    assessment = bm.Assessment("chat-migration", dt.date(2027, 5, 10)).answer(
        "materials.why", "not_done"
    )
    plan = bm.Plan.from_playbook(
        bm.load_playbook("chat-migration"), start=dt.date(2027, 4, 1), departments={"営業部": 20}
    )
    days = [dt.date(2027, 6, 1) + dt.timedelta(days=7 * i) for i in range(4)]
    return [
        checklist,
        assessment.score(checklist),
        plan,
        bm.GapReport.from_assessment(assessment),
        FAQ.build([Question("q1", "質問", dt.date(2027, 6, 1))]),
        bm.materials.lint("経費精算の締め切りは毎月5日です。", lang="ja"),
        cutover_advice({"営業部": (days, (0.2, 0.5, 0.92, 0.95))}),
    ]


def _markdown(value: object) -> str:
    bundle = getattr(value, "_repr_mimebundle_", None)
    if bundle is not None:
        return str(bundle()["text/markdown"])
    return str(value._repr_markdown_())  # type: ignore[attr-defined]


def test_japanese_by_default_then_english_everywhere() -> None:
    """Every report object follows the one setting; the previous language is returned."""
    assert bm.display_language() == "ja"
    objects = _objects()
    japanese = [_markdown(value) for value in objects]
    assert bm.set_display_language("en") == "ja"
    english = [_markdown(value) for value in objects]
    for value, ja, en in zip(objects, japanese, english, strict=True):
        assert ja != en, type(value).__name__
        assert ja == value.to_markdown(lang="ja")  # type: ignore[attr-defined]
        assert en == value.to_markdown(lang="en")  # type: ignore[attr-defined]


def test_unknown_language_is_refused() -> None:
    """A language other than ja or en is a clear error and changes nothing."""
    with pytest.raises(bm.exceptions.UnsupportedLanguageError):
        bm.set_display_language("fr")  # type: ignore[arg-type]
    assert bm.display_language() == "ja"

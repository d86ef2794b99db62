"""Reports display in one language, chosen with display_language() or set_display_language."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest

import backoffice_marketing as bm
from backoffice_marketing.adoption import cutover_advice
from backoffice_marketing.voice import FAQ, Question


@pytest.fixture(autouse=True)
def restore() -> Iterator[None]:
    previous = bm.current_language()
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
    assert bm.current_language() == "ja"
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
    with pytest.raises(bm.exceptions.UnsupportedLanguageError):
        bm.display_language("fr")  # type: ignore[call-overload]
    assert bm.current_language() == "ja"


def test_context_manager_restores_the_language_even_on_error() -> None:
    """The with-block sets the language inside and restores it after, even when it raises."""
    with bm.display_language("en") as chosen:
        assert chosen == "en"
        assert bm.current_language() == "en"
        assert str(bm.LocalizedText("はい", "yes")) == "yes"
    assert bm.current_language() == "ja"
    with pytest.raises(RuntimeError), bm.display_language("en"):
        raise RuntimeError("boom")
    assert bm.current_language() == "ja"


def test_display_language_without_argument_is_deprecated() -> None:
    """The old getter form still answers, with a DeprecationWarning naming the new one."""
    with pytest.warns(DeprecationWarning, match="current_language"):
        assert bm.display_language() == "ja"


def test_threads_keep_their_own_language() -> None:
    """A portal thread that switches to English does not change another thread's language."""
    seen: list[str] = []

    def worker() -> None:
        with bm.display_language("en"):
            seen.append(bm.current_language())

    with bm.display_language("ja"):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert bm.current_language() == "ja"
    assert seen == ["en"]

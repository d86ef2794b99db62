"""The gap report's adoption table: the exit rule's standing first, weekly activity beside it."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.adoption.exit_criteria import (
    ExitRule,
    OutcomeEvaluation,
    OutcomeStatus,
)
from backoffice_marketing.diagnosis.gap_adoption import (
    OutcomeMark,
    adoption_rows,
    outcome_marks,
    outcome_standing,
)
from backoffice_marketing.diagnosis.gaps import GapReport
from tests.schemas import validate

DAY = dt.date(2027, 6, 30)
WEEKLY = [("経理部", "W26", 0.92), ("製造部", "W26", 0.38), ("人事部", "W26", 0.95)]


def _assessment() -> bm.Assessment:
    answers = [bm.Answer(item, "done") for item in bm.default_checklist().ids]
    return bm.Assessment("chat-migration", DAY, answers=answers)


def _status(department: str, *, done: bool, share: float) -> OutcomeStatus:
    why = (
        bm.LocalizedText("終了の条件を満たしています。", "The exit rule holds.")
        if done
        else bm.LocalizedText(
            f"メッセージのうち新しいやり方は{share:.0%}。", f"The new way is {share:.0%}."
        )
    )
    return OutcomeStatus(
        department, "2027-W26", done, share, 0.7, 0.9, 0.9, 0.6, 30, 3, 1.0, None, why
    )


def _outcome(*statuses: OutcomeStatus) -> OutcomeEvaluation:
    rule = ExitRule(0.9)
    definition = bm.LocalizedText("新しいやり方が9割。", "The new way at 90%.")
    return OutcomeEvaluation("2027-W26", rule, "internal", definition, statuses, None)


def _report(outcome: OutcomeEvaluation | None) -> GapReport:
    from backoffice_marketing.adoption import classify_rows  # noqa: PLC0415

    adoption = classify_rows(WEEKLY, curve=False)
    return GapReport.from_assessment(_assessment(), adoption=adoption, outcome=outcome)


def _table(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| 経理部 |")]


def test_outcome_decides_the_standing_and_weekly_activity_is_secondary() -> None:
    """With outcome data, a department below the exit rule reads "not done", never on track."""
    report = _report(
        _outcome(
            _status("経理部", done=False, share=0.57),
            _status("製造部", done=False, share=0.83),
            _status("人事部", done=True, share=0.93),
        )
    )
    for lang in ("ja", "en"):
        markdown = report.to_markdown(lang=lang)
        html = report.to_html(lang=lang)
        row = _table(markdown)[0]
        assert ("未完了" if lang == "ja" else "Not done") in row
        assert "順調" not in row
        assert "On track" not in row
        assert "57%" in row
        assert "92%" in row  # the weekly rate, in its own column
        assert ("目標の水準で利用" if lang == "ja" else "Active at the target level") in row
        assert ("週の利用率" if lang == "ja" else "Weekly active") in html
    data = validate(report.to_json(), "gap_report.schema.json")
    rows = {row["department"]: row for row in data["adoption"]["departments"]}
    assert rows["経理部"]["outcome"]["done"] is False
    assert rows["経理部"]["outcome"]["share"] == 0.57
    assert rows["経理部"]["standing"] == "on_track"  # the weekly standing, kept in the data
    assert rows["人事部"]["outcome"]["done"] is True


def test_without_outcome_data_the_weekly_standing_is_the_standing() -> None:
    """Without outcome data the table is the weekly table it always was."""
    report = _report(None)
    row = _table(report.to_markdown(lang="ja"))[0]
    assert row == "| 経理部 | 92% | 順調 | 目標90%に届いています。 |"
    assert "終了の条件" not in report.to_markdown(lang="ja")
    data = validate(report.to_json(), "gap_report.schema.json")
    assert all("outcome" not in row for row in data["adoption"]["departments"])
    assert "<td>On track</td>" in report.to_html(lang="en")


def test_a_department_the_outcome_does_not_cover_is_not_called_on_track() -> None:
    """A department missing from the outcome data says so instead of "on track"."""
    report = _report(_outcome(_status("製造部", done=False, share=0.8)))
    row = _table(report.to_markdown(lang="en"))[0]
    assert "No outcome data" in row
    assert "| On track |" not in row


def test_rows_follow_the_company_order() -> None:
    """The adoption table follows the plan's (the company's) order of departments."""
    from backoffice_marketing.adoption import classify_rows  # noqa: PLC0415

    adoption = classify_rows(WEEKLY, curve=False)
    order = ("製造部", "経理部", "人事部")
    rows = adoption_rows(adoption.departments, (), order)
    assert [row.department for row in rows] == list(order)


@given(
    st.permutations(["経理部", "製造部", "人事部"]),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.lists(st.floats(0, 1), min_size=3, max_size=3),
)
def test_standing_follows_the_exit_rule_for_any_outcome(
    order: list[str], done: list[bool], shares: list[float]
) -> None:
    """Whatever the outcome, a row is "done" exactly when the exit rule holds, in any order."""
    from backoffice_marketing.adoption import classify_rows  # noqa: PLC0415

    adoption = classify_rows(WEEKLY, curve=False)
    statuses = [
        _status(name, done=flag, share=share)
        for name, flag, share in zip(["経理部", "製造部", "人事部"], done, shares, strict=True)
    ]
    marks = outcome_marks(_outcome(*statuses))
    rows = adoption_rows(adoption.departments, marks, order)
    assert [row.department for row in rows] == order
    verdict = {mark.department: mark.done for mark in marks}
    for row in rows:
        assert row.standing == ("done" if verdict[row.department] else "not_done")
        assert row.weekly in {"on_track", "lagging", "not_started"}
    reversed_marks = tuple(reversed(marks))
    assert adoption_rows(reversed(adoption.departments), reversed_marks, order) == rows


def test_no_outcome_gives_no_marks() -> None:
    """No outcome evaluation gives no marks, so the weekly standing stays."""
    assert outcome_marks(None) == ()
    mark = OutcomeMark("経理部", done=False, share=0.5, why=bm.LocalizedText("a", "b"))
    assert mark.department == "経理部"


def test_marks_read_from_the_json_equal_the_marks_of_the_evaluation() -> None:
    """The outcome's plain data (as a deck reads it back) gives the same marks as the object."""
    evaluation = _outcome(
        _status("製造部", done=False, share=0.83), _status("経理部", done=True, share=0.91)
    )
    assert outcome_marks(evaluation.to_dict()) == outcome_marks(evaluation)


def test_one_standing_rule_for_every_case() -> None:
    """The weekly standing without outcome data; done, not done or no outcome with it."""
    mark = OutcomeMark("経理部", False, 0.5, bm.LocalizedText("理由", "why"))
    assert outcome_standing("on_track", mark, measured=False) == "on_track"
    assert outcome_standing("on_track", mark, measured=True) == "not_done"
    assert outcome_standing("lagging", attrs.evolve(mark, done=True), measured=True) == "done"
    assert outcome_standing("on_track", None, measured=True) == "no_outcome"

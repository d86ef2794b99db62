"""Exit criteria that measure what they say: one evaluation of "done" for every output.

A playbook's exit criterion names a metric and a target; :class:`ExitRule`
turns it into a measurable expression over the outcome metrics of
:func:`~backoffice_marketing.adoption.outcome.outcome_metrics`. For the chat
migration (``new_way_share``) it is::

    new_way_share >= target  and  habit_rate >= habit

evaluated per department and for the company (all published departments
pooled: total chat ÷ total chat and email, habit users ÷ headcount). A
department that is 100 % weekly-active but still sends half of its
internal messages by email has a share of 50 %: not done, whatever its
activity. :func:`evaluate_outcome` is the one evaluation; the adoption
report, the cut-over advice, the gap report and ``status`` read it, and
:func:`outcome_statuses` hands the per-department records to the screens.
:func:`slide_back` checks, ``weeks`` after completion, that the departments
done then are still done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.text import Lang, LocalizedText

__all__ = [
    "HABIT_TARGET",
    "SLIDE_BACK_WEEKS",
    "ExitRule",
    "OutcomeEvaluation",
    "OutcomeStatus",
    "SlideBack",
    "evaluate_outcome",
    "outcome_statuses",
    "slide_back",
]

#: The habit level a department must also reach (people active on >= 3 of 5 business days).
HABIT_TARGET = 0.6
#: Weeks after completion at which sliding back is checked.
SLIDE_BACK_WEEKS = 12

_SCOPES = ("every_department", "company")


def _unit(value: float) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"expected a share between 0 and 1; found {value!r}")
    return number


@attrs.frozen
class ExitRule:
    """``share >= share_target`` and ``habit_rate >= habit_target`` (``None``: no habit part).

    ``scope`` says where it must hold for the initiative to be done:
    ``every_department`` or ``company``.
    """

    share_target: float = attrs.field(converter=_unit)
    habit_target: float | None = attrs.field(default=HABIT_TARGET)
    scope: str = attrs.field(default="every_department", validator=attrs.validators.in_(_SCOPES))
    metric: str = "new_way_share"

    @classmethod
    def from_playbook(cls, playbook: Any, *, habit: float | None = HABIT_TARGET) -> ExitRule:
        """The measurable rule of ``playbook.exit`` (its metric, target and scope).

        ``habit`` is the habit level beside the share of ``new_way_share``;
        other metrics (``one_on_one_rate``) have no habit part.
        """
        exit_criterion = playbook.exit
        metric = str(exit_criterion.metric)
        chosen = habit if metric == "new_way_share" else None
        return cls(exit_criterion.target, chosen, str(exit_criterion.scope.value), metric)

    @classmethod
    def from_initiative(cls, initiative: Any, *, habit: float | None = HABIT_TARGET) -> ExitRule:
        """The rule of the initiative's playbook with the initiative's target."""
        return cls.from_playbook(initiative.load_playbook(), habit=habit)

    @property
    def expression(self) -> str:
        """The rule as one line, such as ``new_way_share >= 0.9 and habit_rate >= 0.6``."""
        text = f"{self.metric} >= {self.share_target:g}"
        if self.habit_target is not None:
            text += f" and habit_rate >= {self.habit_target:g}"
        return text

    def holds(self, share: float, habit: float) -> bool:
        """Whether a share and a habit rate meet the rule."""
        if share < self.share_target:
            return False
        return self.habit_target is None or habit >= self.habit_target


@attrs.frozen
class OutcomeStatus:
    """One department (or ``company``) in one period, judged by the exit rule.

    ``old_way_users`` are the people who sent at least as many emails as
    chat messages; ``why`` says what is missing (or that the rule holds).
    """

    department: str
    period: str
    done: bool
    share: float
    habit: float
    any_use: float
    share_target: float
    habit_target: float | None
    headcount: int
    old_way_users: int
    emails_per_person: float
    email_change: float | None
    why: LocalizedText


@attrs.frozen
class OutcomeEvaluation(Report):
    """The exit rule evaluated per department and for the company in one period."""

    report_kind: ClassVar[str] = "outcome_evaluation"

    period: str | None
    rule: ExitRule
    mail_scope: str
    definition: LocalizedText
    departments: tuple[OutcomeStatus, ...]
    company: OutcomeStatus | None

    @property
    def done(self) -> bool:
        """Whether the initiative is done by the rule's scope."""
        if self.company is None:
            return False
        if self.rule.scope == "company":
            return self.company.done
        return bool(self.departments) and all(entry.done for entry in self.departments)

    @property
    def not_done(self) -> tuple[OutcomeStatus, ...]:
        """The departments where the rule does not hold, lowest share first."""
        return tuple(
            sorted(
                (entry for entry in self.departments if not entry.done),
                key=lambda entry: (entry.share, entry.department),
            )
        )

    def __getitem__(self, department: str) -> OutcomeStatus:
        for entry in self.departments:
            if entry.department == department:
                return entry
        raise KeyError(department)

    def _markdown(self, lang: Lang) -> str:
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("adoption_outcome.md.j2", lang, evaluation=self)


def _why(share: float, habit: float, rule: ExitRule, old_way_users: int) -> LocalizedText:
    ja: list[str] = []
    en: list[str] = []
    if share < rule.share_target:
        ja.append(
            f"メッセージのうち新しいやり方は{share:.0%}(目標{rule.share_target:.0%})。"
            f"まだ{old_way_users}人がメールを主に使っています"
        )
        en.append(
            f"the new way carries {share:.0%} of messages (target {rule.share_target:.0%}); "
            f"{old_way_users} people still mostly use email"
        )
    if rule.habit_target is not None and habit < rule.habit_target:
        ja.append(f"習慣として使っている人は{habit:.0%}(基準{rule.habit_target:.0%})")
        en.append(f"{habit:.0%} use it as a habit (level {rule.habit_target:.0%})")
    if not ja:
        return LocalizedText(ja="終了の条件を満たしています。", en="The exit rule holds.")
    return LocalizedText(ja="。".join(ja) + "。", en="; ".join(en).capitalize() + ".")


def _status(row: dict[str, Any], rule: ExitRule) -> OutcomeStatus:
    share = float(row["new_way_share"])
    habit = float(row["habit_rate"])
    old = int(row["old_way_users"])
    change = row.get("email_change")
    return OutcomeStatus(
        str(row["department"]),
        str(row["period"]),
        rule.holds(share, habit),
        round(share, 6),
        round(habit, 6),
        round(float(row["any_use_rate"]), 6),
        rule.share_target,
        rule.habit_target,
        int(row["headcount"]),
        old,
        round(float(row["emails_per_person"]), 6),
        None if change is None else round(float(change), 6),
        _why(share, habit, rule, old),
    )


def _rows(metrics: Any) -> list[dict[str, Any]]:
    from backoffice_marketing.adoption.frames import collect, to_frame  # noqa: PLC0415

    data = collect(to_frame(metrics, what="outcome"))
    return [dict(zip(data.columns, values, strict=True)) for values in data.rows()]


def _company(rows: Sequence[dict[str, Any]], period: str, rule: ExitRule) -> OutcomeStatus:
    head = sum(int(r["headcount"]) for r in rows)
    chat = sum(int(r["chat_messages"]) for r in rows)
    mail = sum(int(r["emails_sent"]) for r in rows)
    pooled = {
        "department": "company",
        "period": period,
        "new_way_share": chat / (chat + mail) if chat + mail else 0.0,
        "habit_rate": sum(int(r["habit_users"]) for r in rows) / head if head else 0.0,
        "any_use_rate": sum(int(r["active_users"]) for r in rows) / head if head else 0.0,
        "old_way_users": sum(int(r["old_way_users"]) for r in rows),
        "headcount": head,
        "emails_per_person": mail / head if head else 0.0,
        "email_change": None,
    }
    return _status(pooled, rule)


def evaluate_outcome(
    metrics: Any, rule: ExitRule, *, period: str | None = None, order: Sequence[str] = ()
) -> OutcomeEvaluation:
    """Judge every published department and the company in ``period`` (the latest) by ``rule``.

    ``metrics`` is the frame of
    :func:`~backoffice_marketing.adoption.outcome.outcome_metrics`;
    suppressed rows (groups under the privacy floor) are left out.
    Departments follow ``order`` (the company's), then the rest by name.
    """
    from backoffice_marketing.adoption.outcome import share_definition  # noqa: PLC0415
    from backoffice_marketing.core.departments import company_order  # noqa: PLC0415

    rows = [row for row in _rows(metrics) if not row["suppressed"]]
    scope = str(rows[0]["mail_scope"]) if rows else "all"
    periods = sorted({str(row["period"]) for row in rows})
    if not periods:
        return OutcomeEvaluation(period, rule, scope, share_definition(scope), (), None)
    chosen = period if period is not None else periods[-1]
    if chosen not in periods:
        raise KeyError(
            f"period {chosen!r} is not in the outcome; found {periods[0]}..{periods[-1]}"
        )
    company = company_order(order)
    current = sorted(
        (row for row in rows if str(row["period"]) == chosen),
        key=lambda r: company(str(r["department"])),
    )
    return OutcomeEvaluation(
        chosen,
        rule,
        scope,
        share_definition(scope),
        tuple(_status(row, rule) for row in current),
        _company(current, chosen, rule),
    )


def outcome_statuses(
    metrics: Any, rule: ExitRule, *, period: str | None = None
) -> tuple[OutcomeStatus, ...]:
    """Per-department records with ``done``, share, habit and target: for status and dashboard."""
    return evaluate_outcome(metrics, rule, period=period).departments


@attrs.frozen
class SlideBack:
    """Departments done at ``completed`` and no longer done ``weeks`` later (``checked``)."""

    completed: str
    checked: str | None
    weeks: int
    slid: tuple[str, ...]
    due: bool

    @property
    def ok(self) -> bool:
        """Whether the check is due and nobody slid back."""
        return self.due and not self.slid


def slide_back(
    metrics: Any,
    rule: ExitRule,
    *,
    completed: dt.date,
    weeks: int = SLIDE_BACK_WEEKS,
) -> SlideBack:
    """The slide-back check ``weeks`` after completion (the period holding ``completed``).

    ``due`` is false while the metrics do not yet reach ``weeks`` after
    ``completed``; then ``slid`` is empty.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"weeks must be a positive integer; found {weeks!r}")
    rows = [row for row in _rows(metrics) if not row["suppressed"]]
    by_start = sorted({row["period_start"] for row in rows})
    done_at = [start for start in by_start if start <= completed]
    if not done_at:
        raise ValueError(f"no period starts on or before {completed}")
    begin = done_at[-1]
    later = [start for start in by_start if start >= begin + dt.timedelta(weeks=weeks)]
    period_of = {row["period_start"]: str(row["period"]) for row in rows}
    if not later:
        return SlideBack(period_of[begin], None, weeks, (), due=False)
    first = evaluate_outcome(rows_frame(rows), rule, period=period_of[begin])
    then = evaluate_outcome(rows_frame(rows), rule, period=period_of[later[0]])
    was_done = {entry.department for entry in first.departments if entry.done}
    slid = tuple(
        sorted(e.department for e in then.departments if e.department in was_done and not e.done)
    )
    return SlideBack(period_of[begin], period_of[later[0]], weeks, slid, due=True)


def rows_frame(rows: Sequence[dict[str, Any]]) -> Any:
    """A small pyarrow table of outcome rows (for re-evaluating a selection)."""
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415  (data extra)

    return pa.Table.from_pylist(list(rows))

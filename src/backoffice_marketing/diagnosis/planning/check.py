"""What a plan proves about itself (:meth:`Plan.check`).

``check_plan`` turns the schedule into checklist answers with source ``"plan"``:

* ``announcement.lead-time``: every announcement of a launch comes at least the
  plan's lead time (business days) before it;
* ``announcement.key-dates``: every declared end of the old way comes at least
  the notice period before it is enforced;
* ``announcement.briefing-per-department``: each department has its briefing
  on or before the launch;
* ``announcement.two-channels``: each announcement that lists its channels
  lists two or more;
* ``two_way.champions``: every department's champion is appointed before each
  stage the item gates starts;
* ``two_way.adoption-measured``: measurement runs in every round, the first one
  period after launch and the next ones a period apart.

An item the playbook gives no basis for (no announcement of a launch, no
channels listed, no champion task, ...) gets no answer. A failed answer's
note names the playbook file and line to fix.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from backoffice_marketing.core.checklist import (
    Answer,
    AnswerLevel,
    Checklist,
    Evidence,
    default_checklist,
)
from backoffice_marketing.diagnosis.playbooks import Milestone, Recurrence, Task
from backoffice_marketing.exceptions import ReplanError
from backoffice_marketing.foundation.text import Lang, check_lang

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan, PlannedTask

__all__ = ["SOURCE", "ReplanError", "check_plan"]

SOURCE = "plan"


class _Checker:
    """The business-day positions of a plan's tasks, and the answers built from them."""

    def __init__(self, plan: Plan, lang: Lang) -> None:
        self.plan = plan
        self.lang = check_lang(lang)
        self.index = {day: n for n, day in enumerate(plan.days)}
        self.by_task: dict[str, list[PlannedTask]] = {}
        for task in plan.tasks:
            self.by_task.setdefault(task.task, []).append(task)
        self.answers: list[Answer] = []

    def day(self, date: dt.date) -> int:
        return self.index[date]

    def where(self, task: Task, field: str) -> str:
        """``file:line`` of a task's field in the playbook, when the playbook came from a file."""
        playbook = self.plan.playbook
        problem = playbook._problem(("tasks", playbook.tasks.index(task), field), "")
        if not problem.file:
            return f"tasks[{playbook.tasks.index(task)}].{field}"
        return f"{problem.file}:{problem.line}" if problem.line is not None else problem.file

    def add(self, item: str, share: float, reference: str, ja: str, en: str) -> None:
        if share >= 1.0:
            level, score = AnswerLevel.DONE, None
        elif share <= 0.0:
            level, score = AnswerLevel.NOT_DONE, None
        else:
            level, score = AnswerLevel.PARTIAL, round(share, 4)
        note = ja if self.lang == "ja" else en
        evidence = Evidence(SOURCE, reference, self.plan.start, note)
        self.answers.append(Answer(item, level, score, evidence))

    def gaps(self, kind: Milestone, item: str, needed: int) -> None:
        """Announcements of a ``kind`` milestone: each at least ``needed`` business days ahead."""
        playbook = self.plan.playbook
        pairs = [
            task
            for task in playbook.tasks
            if task.announces is not None and playbook.task(task.announces).milestone is kind
        ]
        if not pairs:
            return
        short = []
        for task in pairs:
            announced = min(self.day(t.start) for t in self.by_task[task.id])
            target = min(self.day(t.start) for t in self.by_task[task.announces or ""])
            if target - announced < needed:
                short.append((task, target - announced))
        ok = len(pairs) - len(short)
        if not short:
            self.add(
                item, 1.0, pairs[0].id,
                f"告知から{_ja_kind(kind)}まで{needed}営業日以上あります。",
                f"Every announcement of the {kind.value} comes {needed} or more business days "
                "ahead.",
            )  # fmt: skip
            return
        task, gap = short[0]
        where = self.where(task, "min_days" if task.min_days is not None else "announces")
        self.add(
            item, ok / len(pairs), task.id,
            f"{task.id}の告知から{_ja_kind(kind)}まで{gap}営業日しかありません"
            f"({needed}営業日以上が必要)。修正箇所: {where}",
            f"{task.id} comes only {gap} business days before the {kind.value}; "
            f"{needed} are needed. Fix: {where}",
        )  # fmt: skip

    def briefings(self) -> None:
        playbook = self.plan.playbook
        launch = self.plan.milestone(Milestone.LAUNCH)
        tasks = [
            t
            for t in playbook.tasks_addressing("announcement.briefing-per-department")
            if t.per_department and not t.flagged_only
        ]
        if launch is None or not tasks:
            return
        names = [unit.id for unit in self.plan.departments]
        briefed = {
            planned.department
            for task in tasks
            for planned in self.by_task[task.id]
            if planned.finish <= launch.date
        }
        done = sum(name in briefed for name in names)
        self.add(
            "announcement.briefing-per-department", done / len(names), tasks[0].id,
            f"{len(names)}部署中{done}部署で開始日までに説明会があります。",
            f"{done} of {len(names)} departments are briefed by the launch.",
        )  # fmt: skip

    def channels(self) -> None:
        listed = [
            t
            for t in self.plan.playbook.tasks_addressing("announcement.two-channels")
            if t.channels
        ]
        if not listed:
            return
        good = [t for t in listed if len(set(t.channels)) >= 2]
        if len(good) == len(listed):
            self.add(
                "announcement.two-channels", 1.0, listed[0].id,
                "どの告知も2つ以上の経路で届けます。",
                "Every announcement goes out through two or more channels.",
            )  # fmt: skip
            return
        bad = next(t for t in listed if t not in good)
        where = self.where(bad, "channels")
        self.add(
            "announcement.two-channels", len(good) / len(listed), bad.id,
            f"{bad.id}の告知経路が1つだけです。修正箇所: {where}",
            f"{bad.id} goes out through one channel only. Fix: {where}",
        )  # fmt: skip

    def champions(self, checklist: Checklist) -> None:
        playbook = self.plan.playbook
        tasks = [
            t
            for t in playbook.tasks_addressing("two_way.champions")
            if t.per_department and not t.flagged_only
        ]
        graph = playbook.stage_graph
        gated = [s.id for s in graph if "two_way.champions" in s.gate_items(checklist)]
        if not tasks or not gated:
            return
        starts: dict[str, dt.date] = {}
        for planned in self.plan.tasks:
            if planned.stage in gated:
                starts[planned.stage] = min(starts.get(planned.stage, planned.start), planned.start)
        names = [unit.id for unit in self.plan.departments]
        ready: dict[str, dt.date] = {}
        for task in tasks:
            for planned in self.by_task[task.id]:
                ready[planned.department or ""] = planned.finish
        late = {
            name
            for name in names
            if name not in ready or any(ready[name] >= start for start in starts.values())
        }
        done = len(names) - len(late)
        if done == len(names):
            self.add(
                "two_way.champions", 1.0, tasks[0].id,
                f"全部署の推進担当が{', '.join(sorted(starts))}より前に決まります。",
                f"Every department has its champion before {', '.join(sorted(starts))} starts.",
            )  # fmt: skip
            return
        self.add(
            "two_way.champions", done / len(names), tasks[0].id,
            f"{len(names)}部署中{len(names) - done}部署で、推進担当の任命が"
            f"{', '.join(sorted(starts))}の開始に間に合いません。修正箇所: "
            f"{self.where(tasks[0], 'stage')}",
            f"In {len(names) - done} of {len(names)} departments the champion comes after "
            f"{', '.join(sorted(starts))} starts. Fix: {self.where(tasks[0], 'stage')}",
        )  # fmt: skip

    def measurement(self) -> None:
        playbook = self.plan.playbook
        launch = self.plan.milestone(Milestone.LAUNCH)
        graph = playbook.stage_graph
        tasks = [
            t
            for t in playbook.tasks_addressing("two_way.adoption-measured")
            if graph[t.stage].repeat is not None and not t.per_department
        ]
        if launch is None or not tasks:
            return
        task = next((t for t in tasks if t.repeat is Recurrence.EACH_ROUND), tasks[0])
        repeat = graph[task.stage].repeat
        assert repeat is not None  # noqa: S101
        runs = sorted(self.by_task[task.id], key=lambda t: t.start)
        expected = graph[task.stage].rounds - task.round + 1
        first = self.day(runs[0].start) - self.day(launch.date)
        spaced = all(
            self.day(b.start) - self.day(a.start) >= repeat.cadence
            for a, b in itertools.pairwise(runs)
        )
        if len(runs) == expected and first >= repeat.cadence and spaced:
            self.add(
                "two_way.adoption-measured", 1.0, task.id,
                f"開始の{repeat.cadence}営業日後から{repeat.cadence}営業日ごとに"
                f"{len(runs)}回測定します。",
                f"Measured {len(runs)} times, every {repeat.cadence} business days from "
                f"{repeat.cadence} business days after launch.",
            )  # fmt: skip
            return
        self.add(
            "two_way.adoption-measured", 0.0, task.id,
            f"測定が周期どおりではありません(初回は開始の{first}営業日後)。修正箇所: "
            f"{self.where(task, 'repeat')}",
            f"Measurement does not keep its cadence (first run {first} business days after "
            f"launch). Fix: {self.where(task, 'repeat')}",
        )  # fmt: skip


def _ja_kind(kind: Milestone) -> str:
    return "開始" if kind is Milestone.LAUNCH else "旧方式の終了"


def check_plan(plan: Plan, checklist: Checklist | None, lang: Lang) -> tuple[Answer, ...]:
    """The checklist answers the plan itself proves (see the module docstring)."""
    items = checklist if checklist is not None else default_checklist()
    checker = _Checker(plan, lang)
    checker.gaps(Milestone.LAUNCH, "announcement.lead-time", plan.lead_time)
    checker.gaps(Milestone.CUT_OVER, "announcement.key-dates", plan.notice)
    checker.briefings()
    checker.channels()
    checker.champions(items)
    checker.measurement()
    return tuple(a for a in sorted(checker.answers, key=lambda a: a.item) if a.item in items)

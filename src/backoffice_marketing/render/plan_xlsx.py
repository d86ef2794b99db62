"""Plans as Excel workbooks (``[excel]`` extra): steps, tasks, milestones and champions.

The first sheet has one row per step (a playbook task in one round, its
per-department tasks collapsed); the second keeps every task, one row per
department, for those who need the detail.

Every cell goes through :func:`~backoffice_marketing.render.cells.neutralise`,
so no text becomes a formula; dates are real date cells. The file is
byte-for-byte the same for the same plan: the document properties are derived
from the plan and the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from typing import TYPE_CHECKING

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.render.cells import neutralise
from backoffice_marketing.render.plan import PlanTexts, step_departments
from backoffice_marketing.render.xlsx import add_sheet, repack

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan

__all__ = ["plan_workbook_bytes", "write_plan_xlsx"]

_TASK_COLUMNS = (
    "task_id", "stage", "round", "task", "department", "role", "start", "finish",
    "duration", "slack", "critical", "milestone", "depends_on", "deliverable",
)  # fmt: skip
_STEP_COLUMNS = (
    "step", "stage", "round", "task", "departments", "role", "start", "finish",
    "duration", "slack", "critical", "milestone",
)  # fmt: skip
_CHAMPION_COLUMNS = ("department_id", "department", "parent", "headcount", "champion_count")


def plan_workbook_bytes(plan: Plan, lang: Lang = "ja") -> bytes:
    """The plan as the bytes of an ``.xlsx`` workbook (Steps, Tasks, Milestones, Champions)."""
    texts = PlanTexts(plan, lang)
    try:
        from openpyxl import Workbook  # noqa: PLC0415  (optional extra, imported on use)
        from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415
    except ImportError as error:
        raise MissingExtraError("excel", "openpyxl") from error
    t = texts.t
    workbook = Workbook()
    workbook.remove(workbook.active)
    slack: dict[tuple[str, int | None], int] = {}
    for task in plan.tasks:
        key = (task.task, task.round)
        slack[key] = min(slack.get(key, task.slack), task.slack)
    days = {day: n for n, day in enumerate(plan.days)}
    add_sheet(
        workbook,
        t("plan_sheet_steps"),
        [t(f"plan_{key}") for key in _STEP_COLUMNS],
        [
            [
                step.id,
                texts.stage(step.stage),
                step.round,
                step.title.get(texts.lang),
                step_departments(texts, step),
                texts.role(step.role),
                step.start,
                step.finish,
                0 if step.milestone is not None else days[step.finish] - days[step.start] + 1,
                slack[step.task, step.round],
                step.critical,
                None if step.milestone is None else texts.milestone(step.milestone),
            ]
            for step in plan.steps()
        ],
    )
    add_sheet(
        workbook,
        t("plan_sheet_tasks"),
        [t(f"plan_{key}") for key in _TASK_COLUMNS],
        [
            [
                task.id,
                texts.stage(task.stage),
                task.round,
                task.title.get(texts.lang),
                texts.department(task.department) or None,
                texts.role(task.role),
                task.start,
                task.finish,
                task.duration,
                task.slack,
                task.critical,
                None if task.milestone is None else texts.milestone(task.milestone),
                ", ".join(task.depends_on) or None,
                None if task.deliverable is None else task.deliverable.get(texts.lang),
            ]
            for task in plan.tasks
        ],
    )
    add_sheet(
        workbook,
        t("plan_sheet_milestones"),
        [t(f"plan_{key}") for key in ("milestone", "date", "task_id", "task")],
        [
            [texts.milestone(m.kind), m.date, m.task, texts.task_title(plan.task(m.task))]
            for m in plan.milestones
        ],
    )
    champions = dict(plan.champion_counts)
    add_sheet(
        workbook,
        t("plan_sheet_champions"),
        [t(f"plan_{key}") for key in _CHAMPION_COLUMNS],
        [
            *(
                [unit.id, unit.label, unit.parent, unit.headcount, champions[unit.id]]
                for unit in plan.departments
            ),
            [
                t("plan_total"),
                None,
                None,
                sum(unit.headcount for unit in plan.departments),
                sum(champions.values()),
            ],
        ],
    )
    stamp = dt.datetime.combine(plan.start, dt.time())
    properties = workbook.properties
    properties.creator = "backoffice-marketing"
    properties.lastModifiedBy = None
    properties.title = neutralise(texts.title)
    properties.language = texts.lang
    properties.created = stamp
    properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps "modified" with the clock.
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
    return repack(buffer.getvalue())


def write_plan_xlsx(plan: Plan, path: str | os.PathLike[str], lang: Lang = "ja") -> None:
    """Write the plan as an Excel workbook to ``path``, atomically."""
    write_bytes_atomic(path, plan_workbook_bytes(plan, lang))

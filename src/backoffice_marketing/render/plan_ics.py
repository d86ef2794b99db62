"""Plans as iCalendar files (``[calendar]`` extra): one all-day event per step.

A step is a playbook task in one round with its per-department tasks
collapsed (its description lists the departments); ``detail=True`` writes one
event per planned task instead. Each event runs from the first business day
to the day after the last (``DTEND`` is exclusive for all-day events);
milestones are one-day events on their date. UIDs are stable across runs
(``<playbook>/<step or task id>@backoffice-marketing``, the id
percent-encoded, so a department called ``営業部`` or ``a b`` still gives an
ASCII UID) and ``DTSTAMP`` comes from the plan's start, not the
clock, so the same plan always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from typing import TYPE_CHECKING

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.render.plan import PlanTexts, step_departments, step_title

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan, PlannedStep, PlannedTask

__all__ = ["PRODID", "plan_calendar_bytes", "step_uid", "task_uid", "write_plan_ics"]

PRODID = "-//backoffice-marketing//plan//EN"
UID_DOMAIN = "backoffice-marketing"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def task_uid(plan: Plan, task: PlannedTask) -> str:
    """The stable, unique UID of ``task``'s event: ``<playbook>/<task id>@backoffice-marketing``.

    The task id is percent-encoded (UTF-8) except for ASCII letters, digits and
    ``-._~#@``, so non-ASCII department names and spaces give a valid ASCII UID
    and two different task ids never share one.
    """
    playbook = urllib.parse.quote(plan.playbook.id, safe="")
    task_id = urllib.parse.quote(task.id, safe="#@")
    return f"{playbook}/{task_id}@{UID_DOMAIN}"


def _line(text: str) -> str:
    """``text`` on one line, without control characters."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def _description(texts: PlanTexts, task: PlannedTask) -> str:
    t = texts.t
    lines = [
        f"{t('plan_task_id')}: {_line(task.id)}",
        f"{t('plan_stage')}: {_line(texts.stage(task.stage))}",
        f"{t('plan_role')}: {_line(texts.role(task.role))}",
        f"{t('plan_duration')}: {task.duration}",
        f"{t('plan_slack')}: {task.slack}",
    ]
    if task.critical:
        lines.append(t("plan_critical"))
    if task.milestone is not None:
        lines.append(f"{t('plan_milestone')}: {texts.milestone(task.milestone)}")
    if task.deliverable is not None:
        lines.append(f"{t('plan_deliverable')}: {_line(task.deliverable.get(texts.lang))}")
    return "\n".join(lines)


def _step_description(texts: PlanTexts, step: PlannedStep) -> str:
    t = texts.t
    lines = [
        f"{t('plan_step')}: {_line(step.id)}",
        f"{t('plan_stage')}: {_line(texts.stage(step.stage))}",
        f"{t('plan_role')}: {_line(texts.role(step.role))}",
        f"{t('plan_departments')}: {_line(step_departments(texts, step))}",
    ]
    if len(step.departments) > 1:
        lines.append(", ".join(_line(texts.department(name)) for name in step.departments))
    if step.critical:
        lines.append(t("plan_critical"))
    if step.milestone is not None:
        lines.append(f"{t('plan_milestone')}: {texts.milestone(step.milestone)}")
    return "\n".join(lines)


def step_uid(plan: Plan, step: PlannedStep) -> str:
    """The stable UID of a step's event: ``<playbook>/<step id>@backoffice-marketing``."""
    playbook = urllib.parse.quote(plan.playbook.id, safe="")
    return f"{playbook}/{urllib.parse.quote(step.id, safe='#@')}@{UID_DOMAIN}"


def plan_calendar_bytes(plan: Plan, lang: Lang = "ja", *, detail: bool = False) -> bytes:
    """The plan as the bytes of an iCalendar (``.ics``) file: one event per step or per task."""
    texts = PlanTexts(plan, lang)
    try:
        import icalendar  # noqa: PLC0415  (optional extra, imported on use)
    except ImportError as error:
        raise MissingExtraError("calendar", "icalendar") from error
    stamp = dt.datetime.combine(plan.start, dt.time(), tzinfo=dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _line(texts.title))
    one_day = dt.timedelta(days=1)
    events: list[tuple[str, dt.date, dt.date, str, str, str]] = (
        [
            (
                task_uid(plan, task),
                task.start,
                task.finish,
                texts.task_title(task),
                _description(texts, task),
                task.stage,
            )
            for task in plan.tasks
        ]
        if detail
        else [
            (
                step_uid(plan, step),
                step.start,
                step.finish,
                step_title(texts, step),
                _step_description(texts, step),
                step.stage,
            )
            for step in plan.steps()
        ]
    )
    for uid, start, finish, summary, description, stage in events:
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", finish + one_day)
        event.add("summary", _line(summary))
        event.add("description", description)
        event.add("categories", [_line(texts.stage(stage))])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def write_plan_ics(
    plan: Plan, path: str | os.PathLike[str], lang: Lang = "ja", *, detail: bool = False
) -> None:
    """Write the plan as an iCalendar file to ``path``, atomically (``detail``: event per task)."""
    write_bytes_atomic(path, plan_calendar_bytes(plan, lang, detail=detail))

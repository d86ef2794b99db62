"""Plans as Excel workbooks (``[excel]`` extra): tasks, milestones and champions.

Every cell goes through :func:`~backoffice_marketing.render.cells.neutralise`,
so no text becomes a formula; dates are real date cells. The file is
byte-for-byte the same for the same plan: the document properties are derived
from the plan and the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.io.atomic import write_bytes_atomic
from backoffice_marketing.render.cells import CellValue, neutralise
from backoffice_marketing.render.plan import PlanTexts
from backoffice_marketing.text import Lang

if TYPE_CHECKING:
    from backoffice_marketing.planning import Plan

__all__ = ["plan_workbook_bytes", "write_plan_xlsx"]

DATE_FORMAT = "yyyy-mm-dd"
#: The timestamp of every zip entry (the earliest a zip file can store).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_TASK_COLUMNS = (
    "task_id", "stage", "round", "task", "department", "role", "start", "finish",
    "duration", "slack", "critical", "milestone", "depends_on", "deliverable",
)  # fmt: skip
_CHAMPION_COLUMNS = ("department_id", "department", "parent", "headcount", "champion_count")


def _width(value: CellValue) -> int:
    """How many columns ``value`` needs: wide (East Asian) characters count twice."""
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in longest)


def _sheet(
    workbook: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Add a sheet with a bold, frozen header row, typed cells and fitted columns."""
    from openpyxl.styles import Font  # noqa: PLC0415  (optional extra)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    sheet = workbook.create_sheet(title)
    widths = [_MIN_WIDTH] * len(header)
    bold = Font(bold=True)
    for row_index, values in enumerate([header, *rows], start=1):
        for column, raw in enumerate(values, start=1):
            value = neutralise(raw)
            cell = sheet.cell(row=row_index, column=column, value=value)
            if cell.data_type == "e":  # text such as "#N/A" is data here, not an error code
                cell.data_type = "s"
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if row_index == 1:
                cell.font = bold
            widths[column - 1] = max(widths[column - 1], min(_MAX_WIDTH, _width(value) + 2))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _repack(data: bytes) -> bytes:
    """The same zip archive with a fixed timestamp on every entry, for reproducible files."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry))
    return output.getvalue()


def plan_workbook_bytes(plan: Plan, lang: Lang = "ja") -> bytes:
    """The plan as the bytes of an ``.xlsx`` workbook (sheets Tasks, Milestones, Champions)."""
    texts = PlanTexts(plan, lang)
    try:
        from openpyxl import Workbook  # noqa: PLC0415  (optional extra, imported on use)
        from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415
    except ImportError as error:
        raise MissingExtraError("excel", "openpyxl") from error
    t = texts.t
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
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
    _sheet(
        workbook,
        t("plan_sheet_milestones"),
        [t(f"plan_{key}") for key in ("milestone", "date", "task_id", "task")],
        [
            [texts.milestone(m.kind), m.date, m.task, texts.task_title(plan.task(m.task))]
            for m in plan.milestones
        ],
    )
    champions = dict(plan.champion_counts)
    _sheet(
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
    return _repack(buffer.getvalue())


def write_plan_xlsx(plan: Plan, path: str | os.PathLike[str], lang: Lang = "ja") -> None:
    """Write the plan as an Excel workbook to ``path``, atomically."""
    write_bytes_atomic(path, plan_workbook_bytes(plan, lang))

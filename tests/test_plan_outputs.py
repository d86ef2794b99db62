"""Plan outputs: Markdown, HTML, JSON, Mermaid, xlsx and iCalendar, in Japanese and English."""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import re
import sys
import zipfile
from pathlib import Path

import attrs
import icalendar
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.core.calendars import BusinessCalendar, DateRange
from backoffice_marketing.core.departments import Department
from backoffice_marketing.diagnosis.planning.plan import Plan
from backoffice_marketing.diagnosis.playbooks import (
    ExitScope,
    Playbook,
    list_playbooks,
    load_playbook,
)
from backoffice_marketing.exceptions import MissingExtraError, UnsupportedLanguageError
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.render.markdown import escape_markdown_cell, markdown_code
from backoffice_marketing.render.notebook import fragment
from backoffice_marketing.render.plan import business_days, mermaid_text
from backoffice_marketing.render.plan_ics import PRODID, plan_calendar_bytes, task_uid
from backoffice_marketing.render.plan_xlsx import plan_workbook_bytes
from tests.schemas import validate

START = dt.date(2027, 4, 1)
XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
#: Departments whose names try to break every output format.
DEPARTMENTS = (
    Department("sales", "営業部", 120),
    Department("pipes", "a|b", 30, parent="sales"),
    Department("xss", XSS, 12),
    Department("formula", FORMULA, 7),
    Department("error-code", "#N/A", 5),
    Department("経理 部", None, 64),
)
LANGS: tuple[Lang, ...] = ("ja", "en")
ONE_DAY = dt.timedelta(days=1)


def chat_plan(departments: object = DEPARTMENTS, **options: object) -> Plan:
    return Plan.from_playbook(
        load_playbook("chat-migration"),
        start=START,
        departments=departments,
        **options,  # type: ignore[arg-type]
    )


def odd_playbook() -> Playbook:
    """chat-migration with a hostile title, an unknown role, a company exit, no final tasks."""
    playbook = load_playbook("chat-migration")
    hostile = LocalizedText(
        ja="=呼び出し: 手順#1; 50% <b>完了</b>\n次へ",
        en="Call vendor: step #1; 50% <b>done</b>\nnext",
    )
    tasks = tuple(
        attrs.evolve(task, title=hostile, role="facilities")
        if task.id == "collect-chat-requests"
        else task
        for task in playbook.tasks
        if task.stage != "embedded"
    )
    exit_criterion = attrs.evolve(playbook.exit, scope=ExitScope.COMPANY)
    return attrs.evolve(playbook, tasks=tasks, exit=exit_criterion)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return chat_plan()


# --- Markdown -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_has_every_task_and_section(plan: Plan, lang: Lang) -> None:
    """The Markdown names the playbook, lists every step (every task with detail) and milestone."""
    text = plan.to_markdown(lang=lang)
    assert text.startswith(f"# {plan.playbook.name.get(lang)}\n")
    for step in plan.steps():
        assert f"| {markdown_code(step.id)} |" in text, step.id
    assert "@" not in text.split("## ")[-1]  # per-department tasks are collapsed by default
    detailed = plan.to_markdown(lang=lang, detail=True)
    for task in plan.tasks:
        assert f"| {markdown_code(task.id)} |" in detailed, task.id
    for milestone in plan.milestones:
        assert milestone.date.isoformat() in text
    assert f"{plan.start.isoformat()} – {plan.finish.isoformat()}" in text
    assert "new_way_share >= 0.9" in text
    total = sum(plan.champions.values())
    assert f"**{sum(d.headcount for d in DEPARTMENTS)}** | **{total}** |" in text
    headings = {"ja": "## クリティカルパス", "en": "## Critical path"}
    assert headings[lang] in text
    assert text.endswith("\n")
    assert not text.endswith("\n\n\n")


def test_markdown_groups_tasks_by_stage_in_stage_order(plan: Plan) -> None:
    """Stage headings follow the stage graph's order and each table lists only its stage."""
    text = plan.to_markdown(lang="en")
    stages = list(plan.playbook.stage_graph)
    headings = [line[4:] for line in text.splitlines() if line.startswith("### ")]
    assert headings == [escape_markdown_cell(stage.name.en) for stage in stages]
    chunks = text.split("\n### ")[1:]
    for stage, chunk in zip(stages, chunks, strict=True):
        ids = [step.id for step in plan.steps() if step.stage == stage.id]
        rows = [line for line in chunk.splitlines() if line.startswith("| ") and "---" not in line]
        assert len(rows) == len(ids) + 1  # the header row
        for task_id in ids:
            assert markdown_code(task_id) in chunk


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_escapes_department_names(plan: Plan, lang: Lang) -> None:
    """A department called <script> stays text and one called a|b keeps the table's columns."""
    text = plan.to_markdown(lang=lang, detail=True)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "a\\|b" in text
    task_rows = [line for line in text.splitlines() if re.match(r"\| [a-z]", line)]
    assert task_rows
    for line in text.splitlines():
        if line.startswith("| ") and ("@" in line):
            assert line.replace("\\|", "").count("|") == 7, line  # six columns


def test_markdown_marks_critical_tasks(plan: Plan) -> None:
    """Critical steps carry the marker in the last column; others leave it empty."""
    text = plan.to_markdown(lang="en")
    for step in plan.steps():
        row = next(
            line for line in text.splitlines() if line.startswith(f"| {markdown_code(step.id)} |")
        )
        assert row.endswith("| ● |") is step.critical, step.id
        slack = min(t.slack for t in plan.tasks if (t.task, t.round) == (step.task, step.round))
        assert f" | {slack} |" in row


def test_markdown_is_deterministic_and_order_independent(plan: Plan) -> None:
    """The same plan renders identically, and a headcount table's order changes nothing."""
    other = chat_plan(DEPARTMENTS)
    table = {unit.id: unit.headcount for unit in DEPARTMENTS}
    for lang in LANGS:
        assert plan.to_markdown(lang=lang) == other.to_markdown(lang=lang)
        assert plan.to_html(lang=lang) == other.to_html(lang=lang)
        assert chat_plan(table).to_html(lang=lang) == chat_plan(
            dict(reversed(table.items()))
        ).to_html(lang=lang)


# --- HTML -------------------------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_escaped_and_complete(plan: Plan, lang: Lang) -> None:
    """The HTML page has every task id, and a <script> department name stays text."""
    page = plan.to_html(lang=lang)
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
    parser = _Page()
    parser.feed(page)
    text = "".join(parser.text)
    assert "script" not in parser.tags
    assert XSS in text
    assert "a|b" in text
    for step in plan.steps():
        assert step.id in text, step.id
    for task in plan.tasks:
        if task.department is not None:
            assert plan.playbook.task(task.task).flagged_only or task.start.isoformat() in text
    assert f"<title>{plan.playbook.name.get(lang)}</title>" in page
    assert parser.tags.count("svg") == 1
    assert parser.tags.count("g") == len(plan.steps())
    assert parser.tags.count("tr") == (
        len(plan.steps())
        + len(plan.milestones)
        + len(plan.departments)
        + 3  # the header rows of the milestone and champion tables and the total row
        + len(list(plan.playbook.stage_graph))  # one header row per stage table
    )


# --- JSON -------------------------------------------------------------------------------------


def test_json_validates_and_carries_the_plan(plan: Plan) -> None:
    """The JSON validates against plan.schema.json and holds every task, date and champion."""
    data = validate(plan.to_json(), "plan.schema.json")
    assert data["schema_version"] == 1
    assert data["playbook"] == "chat-migration"
    assert data["start"] == "2027-04-01"
    assert data["finish"] == plan.finish.isoformat()
    assert data["champions"] == plan.champions
    assert [t["id"] for t in data["tasks"]] == [t.id for t in plan.tasks]
    assert data["critical_path"] == list(plan.critical_path)
    assert data["milestones"][0] == {
        "kind": "approval",
        "task": "management-approval",
        "date": plan.milestones[0].date.isoformat(),
    }
    first = data["tasks"][0]
    assert first["title"] == {"ja": plan.tasks[0].title.ja, "en": plan.tasks[0].title.en}
    assert first["round"] is None
    assert first["department"] is None
    by_id = {t["id"]: t for t in data["tasks"]}
    assert by_id["chart-usage-by-department#2"]["round"] == 2
    assert by_id["check-early-uptake"]["round"] == 1
    assert by_id["hold-briefings@xss"]["department"] == "xss"
    assert by_id["management-approval"]["milestone"] == "approval"
    assert {d["id"]: d["name"] for d in data["departments"]}["経理 部"] is None
    assert data["calendar"]["country"] == "JP"


def test_json_is_byte_identical_for_reordered_departments(plan: Plan) -> None:
    """Another company order moves rows only; a reordered headcount table gives the same bytes."""
    reordered = chat_plan(tuple(reversed(DEPARTMENTS))).to_dict()
    data = plan.to_dict()
    assert reordered["departments"] == list(reversed(data["departments"]))
    assert sorted(map(str, reordered["tasks"])) == sorted(map(str, data["tasks"]))
    assert reordered["tasks"] != data["tasks"]
    mapping = {"b": 10, "a": 20}
    assert chat_plan(mapping).to_json() == chat_plan(dict(reversed(mapping.items()))).to_json()


def test_json_with_a_custom_calendar_validates() -> None:
    """A plan without national holidays but with blackouts and company holidays validates."""
    blackout = DateRange(dt.date(2027, 4, 12), dt.date(2027, 4, 16), "audit")
    plan = chat_plan(
        calendar=None,
        blackouts=[blackout],
        company_holidays=[dt.date(2027, 4, 7)],
    )
    data = validate(plan.to_json(), "plan.schema.json")
    assert data["calendar"]["country"] is None
    assert data["calendar"]["blackouts"] == [
        {"start": "2027-04-12", "end": "2027-04-16", "name": "audit"}
    ]
    assert data["calendar"]["company_holidays"] == ["2027-04-07"]
    assert data["calendar"]["weekend"] == [5, 6]
    assert "weekends only" in plan.to_markdown(lang="en")


# --- Mermaid ----------------------------------------------------------------------------------

TASK_LINE = re.compile(
    r"^    (?P<name>[^:#;%\n]+) :(?P<crit>crit, )?(?P<milestone>milestone, )?"
    r"(?P<id>t\d+), (?P<start>\d{4}-\d{2}-\d{2}), (?P<end>\d{4}-\d{2}-\d{2}|0d)$"
)


@pytest.mark.parametrize("lang", LANGS)
def test_mermaid_gantt_matches_the_plan(plan: Plan, lang: Lang) -> None:
    """The gantt chart has a section per stage and a bar per task on the plan's dates."""
    chart = plan.to_mermaid(lang=lang)
    lines = chart.splitlines()
    assert lines[0] == "gantt"
    assert lines[2] == "    dateFormat YYYY-MM-DD"
    assert lines[3].startswith("    excludes weekends")
    assert "2027-04-29" in lines[3]  # Shōwa Day, a national holiday inside the plan
    sections = [line[12:] for line in lines if line.startswith("    section ")]
    assert sections == [mermaid_text(stage.name.get(lang)) for stage in plan.playbook.stage_graph]
    bars = [TASK_LINE.match(line) for line in lines[4:] if not line.startswith("    section ")]
    assert all(bars), [line for line, bar in zip(lines[4:], bars, strict=False) if not bar]
    matches = [bar for bar in bars if bar is not None]
    assert len(matches) == len(plan.tasks)
    by_id = {match["id"]: match for match in matches}
    assert sorted(by_id, key=lambda i: int(i[1:])) == [
        f"t{n}" for n in range(1, len(plan.tasks) + 1)
    ]
    for number, task in enumerate(plan.tasks, start=1):
        bar = by_id[f"t{number}"]
        assert bar["start"] == task.start.isoformat()
        assert bool(bar["crit"]) is task.critical
        if task.duration == 0:
            assert bar["milestone"]
            assert bar["end"] == "0d"
        else:
            assert not bar["milestone"]
            assert dt.date.fromisoformat(bar["end"]) - ONE_DAY == task.finish
    assert sum(1 for bar in matches if bar["crit"]) == sum(t.critical for t in plan.tasks)
    assert "＜script＞" in chart
    assert "<script>" not in chart


def test_mermaid_sanitises_hostile_titles() -> None:
    """Colons, hashes, semicolons, percent signs, line breaks and keywords keep the chart valid."""
    plan = Plan.from_playbook(odd_playbook(), start=START, departments=DEPARTMENTS)
    for lang in LANGS:
        lines = plan.to_mermaid(lang=lang).splitlines()
        bars = [line for line in lines[4:] if not line.startswith("    section ")]
        assert all(TASK_LINE.match(line) for line in bars), bars
        assert len(bars) == len(plan.tasks)
    first = plan.to_mermaid(lang="en").splitlines()[5]
    assert first.startswith("    \u200bCall vendor： step ＃1； 50％ ＜b＞done＜/b＞ next :")
    assert len(lines) == 4 + len(plan.tasks) + len(list(plan.playbook.stage_graph)) - 1


@given(st.text())
def test_mermaid_text_is_always_a_safe_name(text: str) -> None:
    """A sanitised name is one non-empty line without : # ; % and never starts with a keyword."""
    name = mermaid_text(text)
    assert name
    assert name == name.strip()
    assert not re.search(r"[:#;%<>\n\r\x00-\x1f]", name)
    assert not re.match(
        r"(title|section|click|call|href|dateformat|excludes|\d{4}-\d{2}-\d{2})", name, re.I
    )


def test_mermaid_calendar_variants() -> None:
    """Another weekend is excluded by day names and company holidays by date."""
    calendar = BusinessCalendar(country=None, weekend=frozenset({4, 5}))
    plan = chat_plan(calendar=calendar, company_holidays=[dt.date(2027, 4, 7)])
    excludes = plan.to_mermaid().splitlines()[3]
    assert excludes == "    excludes friday, saturday, 2027-04-07"
    assert mermaid_text("") == "-"
    assert mermaid_text("2027-04-01 kickoff") == "\u200b2027-04-01 kickoff"


# --- Odd playbooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_roles_company_scope_and_empty_stages(lang: Lang) -> None:
    """An unknown role is shown as is, a company-wide exit is named and an empty stage says so."""
    plan = Plan.from_playbook(odd_playbook(), start=START, departments={"a": 10})
    text = plan.to_markdown(lang=lang)
    assert "| facilities |" in text
    assert {"ja": "全社で", "en": "company-wide"}[lang] in text
    assert {"ja": "この段階にタスクはありません。", "en": "No tasks in this stage."}[lang] in text
    assert escape_markdown_cell(plan.tasks[0].title.get(lang)) in text
    page = plan.to_html(lang=lang)
    assert "<b>" not in page
    assert "&lt;b&gt;" in page
    validate(plan.to_json(), "plan.schema.json")


def test_business_days_span_the_plan(plan: Plan) -> None:
    """The plan's business days count every working day from start to finish."""
    count = business_days(plan)
    assert count == len(plan.calendar.business_days(plan.start, count))
    assert plan.calendar.business_days(plan.start, count)[-1] == plan.finish
    assert f"({count} business days)" in plan.to_markdown(lang="en")


# --- xlsx -------------------------------------------------------------------------------------

SHEETS = {
    "ja": ["ステップ", "タスク", "マイルストーン", "推進担当"],
    "en": ["Steps", "Tasks", "Milestones", "Champions"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_sheets_headers_and_typed_cells(plan: Plan, lang: Lang, tmp_path: Path) -> None:
    """The workbook has four localised sheets, frozen headers, date cells and no formula."""
    path = tmp_path / "plan.xlsx"
    plan.write(path, lang=lang)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == SHEETS[lang]
    steps = workbook[SHEETS[lang][0]]
    assert steps.max_row == len(plan.steps()) + 1
    for row, step in enumerate(plan.steps(), start=2):
        assert steps.cell(row, 1).value == step.id
        assert steps.cell(row, 7).value.date() == step.start
        assert steps.cell(row, 8).value.date() == step.finish
        assert steps.cell(row, 11).value is step.critical
    tasks = workbook[SHEETS[lang][1]]
    header = [cell.value for cell in tasks[1]]
    assert header[0] == "ID"
    assert header[6] == {"ja": "開始日", "en": "Start"}[lang]
    assert tasks.freeze_panes == "A2"
    assert tasks.max_row == len(plan.tasks) + 1
    assert tasks.column_dimensions["D"].width > 8
    for row, task in enumerate(plan.tasks, start=2):
        assert tasks.cell(row, 1).value == task.id
        start, finish = tasks.cell(row, 7), tasks.cell(row, 8)
        assert start.is_date
        assert start.number_format == "yyyy-mm-dd"
        assert start.value.date() == task.start
        assert finish.value.date() == task.finish
        assert tasks.cell(row, 9).value == task.duration
        assert tasks.cell(row, 11).value is task.critical
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.data_type != "e", (sheet.title, cell.coordinate, cell.value)
    champions = workbook[SHEETS[lang][3]]
    names = [champions.cell(row, 2).value for row in range(2, champions.max_row)]
    assert "'" + FORMULA in names
    assert "#N/A" in names
    assert XSS in names
    total = [cell.value for cell in champions[champions.max_row]]
    assert total == [
        {"ja": "合計", "en": "Total"}[lang],
        None,
        None,
        sum(d.headcount for d in DEPARTMENTS),
        sum(plan.champions.values()),
    ]
    milestones = workbook[SHEETS[lang][2]]
    assert [milestones.cell(row, 3).value for row in range(2, milestones.max_row + 1)] == [
        m.task for m in plan.milestones
    ]


def test_xlsx_neutralises_formula_titles(tmp_path: Path) -> None:
    """A task title starting with '=' is written as text with a leading apostrophe."""
    plan = Plan.from_playbook(odd_playbook(), start=START, departments=DEPARTMENTS)
    path = tmp_path / "odd.xlsx"
    plan.write(path, lang="ja")
    sheet = openpyxl.load_workbook(path)["タスク"]
    assert sheet.cell(2, 4).value == "'=呼び出し: 手順#1; 50% <b>完了</b>\n次へ"
    assert sheet.cell(2, 4).data_type == "s"
    assert sheet.cell(2, 6).value == "facilities"


def test_xlsx_is_reproducible(plan: Plan, tmp_path: Path) -> None:
    """Two writes give identical bytes: fixed properties and zip timestamps, no clock."""
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    plan.write(first)
    plan.write(second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert ">backoffice-marketing</dc:creator>" in core  # namespaces vary with lxml
    assert core.count("2027-04-01T00:00:00Z") == 2
    properties = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(plan, "en"))).properties
    assert properties.created == dt.datetime(2027, 4, 1)
    assert properties.modified == dt.datetime(2027, 4, 1)


# --- iCalendar --------------------------------------------------------------------------------


def parse_calendar(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


@pytest.mark.parametrize("lang", LANGS)
def test_ics_round_trips_the_tasks(plan: Plan, lang: Lang, tmp_path: Path) -> None:
    """Parsing the detailed .ics back gives one all-day event per task with its UID and dates."""
    path = tmp_path / "plan.ics"
    plan.to_ics(path, lang=lang, detail=True)
    calendar = parse_calendar(path.read_bytes())
    assert str(calendar["prodid"]) == PRODID
    events = calendar.events
    assert len(events) == len(plan.tasks)
    uids = [event.uid for event in events]
    assert len(set(uids)) == len(uids)
    for event, task in zip(events, plan.tasks, strict=True):
        assert event.uid == task_uid(plan, task)
        assert event.uid.isascii()
        assert event.start == task.start
        assert not isinstance(event.start, dt.datetime)
        assert event.end == task.finish + ONE_DAY
        assert event.stamp == dt.datetime(2027, 4, 1, tzinfo=dt.UTC)
        title = task.title.get(lang)
        summary = str(event["summary"])
        assert summary.startswith(title)
        if task.department is not None:
            department = next(d for d in DEPARTMENTS if d.id == task.department)
            assert department.label in summary
        description = str(event["description"])
        assert f": {task.slack}" in description
        assert plan.playbook.stage_graph[task.stage].name.get(lang) in description


def test_ics_uids_follow_the_documented_form(plan: Plan) -> None:
    """UIDs are <playbook>/<task id>@backoffice-marketing, non-ASCII percent-encoded."""
    by_id = {task.id: task_uid(plan, task) for task in plan.tasks}
    assert by_id["start-chat"] == "chat-migration/start-chat@backoffice-marketing"
    assert by_id["chart-usage-by-department#2"] == (
        "chat-migration/chart-usage-by-department#2@backoffice-marketing"
    )
    assert by_id["hold-briefings@経理 部"] == (
        "chat-migration/hold-briefings@%E7%B5%8C%E7%90%86%20%E9%83%A8@backoffice-marketing"
    )


def test_ics_is_reproducible(plan: Plan, tmp_path: Path) -> None:
    """Two writes of the same plan give identical bytes."""
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    plan.write(first)
    plan.write(second)
    assert first.read_bytes() == second.read_bytes()
    assert plan_calendar_bytes(plan, "en") == plan_calendar_bytes(chat_plan(), "en")


def test_ics_keeps_hostile_titles_on_one_line() -> None:
    """A title with a line break and markup becomes a one-line summary, parsed back as written."""
    plan = Plan.from_playbook(odd_playbook(), start=START, departments={"a": 10})
    first = parse_calendar(plan_calendar_bytes(plan, "en")).events[0]
    assert str(first["summary"]) == "Call vendor: step #1; 50% <b>done</b> next"


@pytest.mark.parametrize("name", list_playbooks())
def test_every_builtin_playbook_renders(name: str) -> None:
    """Every built-in playbook's plan renders in both languages and its JSON validates."""
    plan = Plan.from_playbook(load_playbook(name), start=START, departments=DEPARTMENTS)
    validate(plan.to_json(), "plan.schema.json")
    for lang in LANGS:
        assert plan.to_markdown(lang=lang).count("\n### ") == len(list(plan.playbook.stage_graph))
        assert "<script>" not in plan.to_html(lang=lang).split("<body>")[1]
        bars = [line for line in plan.to_mermaid(lang=lang).splitlines() if TASK_LINE.match(line)]
        assert len(bars) == len(plan.tasks)
        assert len(parse_calendar(plan_calendar_bytes(plan, lang)).events) == len(plan.steps())
        assert len(parse_calendar(plan_calendar_bytes(plan, lang, detail=True)).events) == len(
            plan.tasks
        )


# --- Errors, languages and notebooks ----------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "write"),
    [("openpyxl", "xlsx"), ("icalendar", "ics")],
)
def test_missing_extras_are_named(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, write: str
) -> None:
    """Without openpyxl or icalendar the writers raise MissingExtraError naming the extra."""
    monkeypatch.setitem(sys.modules, module, None)
    path = tmp_path / "out"
    with pytest.raises(MissingExtraError) as caught:
        plan.write(path, format=write)
    assert caught.value.module == module
    assert caught.value.extra == {"openpyxl": "excel", "icalendar": "calendar"}[module]
    assert not path.exists()


def test_unsupported_language_is_refused_before_writing(plan: Plan, tmp_path: Path) -> None:
    """An unknown language is a clear error, and no file is written."""
    with pytest.raises(UnsupportedLanguageError):
        plan.to_markdown(lang="fr")  # type: ignore[arg-type]
    with pytest.raises(UnsupportedLanguageError):
        plan.to_html(lang="de")  # type: ignore[arg-type]
    with pytest.raises(UnsupportedLanguageError):
        plan.to_mermaid(lang="fr")  # type: ignore[arg-type]
    for fmt in ("xlsx", "ics"):
        path = tmp_path / f"out.{fmt}"
        with pytest.raises(UnsupportedLanguageError):
            plan.write(path, lang="fr")  # type: ignore[arg-type]
        assert not path.exists()
    with pytest.warns(DeprecationWarning, match="write"):
        plan.to_xlsx(tmp_path / "old.xlsx", lang="en")
    assert (tmp_path / "old.xlsx").read_bytes() == plan.to_bytes("xlsx", lang="en")


def test_mimebundle(plan: Plan) -> None:
    """Jupyter gets the Markdown in the display language (Japanese first) and the short repr."""
    bundle = plan._repr_mimebundle_()
    assert bundle["text/markdown"] == plan.to_markdown(lang="ja")
    assert bundle["text/html"] == fragment(plan.to_html(lang="ja"))
    assert bundle["text/markdown"].startswith("# 社内メールからチャットへの移行")
    assert bundle["text/plain"] == repr(plan)
    assert bundle["text/plain"].startswith("<Plan 'chat-migration'")

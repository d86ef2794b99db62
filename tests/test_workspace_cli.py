"""A workspace week after week: init, weekly updates, status, and the dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import backoffice_marketing as bm
from backoffice_marketing.app import samples
from backoffice_marketing.app.cli import main
from backoffice_marketing.workspace.dashboard import dashboard_html
from backoffice_marketing.workspace.load import change_load
from backoffice_marketing.workspace.model import QuestionState
from backoffice_marketing.workspace.run import load_state, week_status
from tests.test_html_chromium import DevTools
from tests.test_html_chromium import _browser as find_browser
from tests.test_html_chromium import _render as render_page

TODAY = "2027-06-30"
Capture = pytest.CaptureFixture[str]


def _weekly_files(folder: Path) -> list[Path]:
    """The sample usage log split into one file per ISO week, as a team would receive it."""
    whole = samples.write_usage(folder / "usage-all.csv")
    with whole.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    at = header.index("timestamp")
    weeks: dict[str, list[list[str]]] = defaultdict(list)
    for row in body:
        year, week, _ = dt.date.fromisoformat(row[at][:10]).isocalendar()
        weeks[f"{year}-W{week:02d}"].append(row)
    files = []
    for key, rows_of_week in sorted(weeks.items()):
        path = folder / f"usage-{key}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows_of_week)
        files.append(path)
    return files


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace, updated once per week of the sample usage."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    root = tmp_path_factory.mktemp("workspace")
    folder = root / "chat"
    assert main(["init", str(folder), "--example"]) == 0
    for path in _weekly_files(root):
        assert main(["update", str(folder), str(path), "--today", TODAY]) == 0
    return folder


def test_status_names_the_lagging_departments(workspace: Path, capsys: Capture) -> None:
    """Status lists the departments to visit (製造部, 物流センター) and exits 1 on overdue work."""
    capsys.readouterr()
    code = main(["status", str(workspace), "--today", TODAY])
    text = capsys.readouterr().out
    assert "製造部: 障壁は" in text  # why, not only who: the barrier and its remedy
    assert "物流センター: 障壁は" in text
    assert "工場の現場には自分のPCがありません" in text  # the waiting factory-PC theme
    assert code == 1  # the champions step is overdue, as in the sample story
    english = main(["status", str(workspace), "--today", TODAY, "--lang", "en"])
    assert english == 1
    assert "製造部: The barrier is" in capsys.readouterr().out


def test_trend_matches_the_demo_rates(workspace: Path, tmp_path: Path) -> None:
    """Weekly imports give the same rates as the demo computes from the whole log at once."""
    roster = samples.write_roster(tmp_path / "roster.csv")
    usage = samples.write_usage(tmp_path / "usage.csv")
    frame = bm.adoption.adoption_rates(
        usage, roster, period="week", start=samples.LAUNCH, end=samples.AS_OF
    )
    expected = bm.adoption.AdoptionRates.from_frame(frame).series()
    with bm.Workspace.open(workspace) as opened:
        state = load_state(opened, today=dt.date.fromisoformat(TODAY))
    got = state.series()
    assert set(got) == set(expected)
    for department, points in expected.items():
        assert [period for period, _ in got[department]] == [p for p, _ in points]
        assert [rate for _, rate in got[department]] == pytest.approx([r for _, r in points])


def _dump(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "history.sqlite") as connection:
        return list(connection.iterdump())


def test_reimporting_a_file_changes_nothing(workspace: Path, capsys: Capture) -> None:
    """Updating with a file already imported leaves the store exactly as it was."""
    before = _dump(workspace)
    week = next(workspace.parent.glob("usage-2027-W2*.csv"))
    assert main(["update", str(workspace), str(week), "--today", TODAY, "--lang", "en"]) == 0
    assert "already imported" in capsys.readouterr().err
    assert _dump(workspace) == before


def test_dashboard_is_one_self_contained_file(workspace: Path, tmp_path: Path) -> None:
    """No scripts, no external resources; every section there; flagged departments marked."""
    out = tmp_path / "dashboard.html"
    assert main(["dashboard", str(workspace), "--today", TODAY, "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * html.count(
        'xmlns="http://www.w3.org/2000/svg"'
    )
    for section in ("trend", "scorecards", "actions", "plan", "gap-report", "faq"):
        assert f'id="{section}"' in html
    assert html.count('class="status-gap"') == 2  # 製造部, 物流センター (名古屋営業所 is withheld)
    assert "告知の到達" in html
    with bm.Workspace.open(workspace) as opened:
        reach = dict(load_state(opened, today=dt.date.fromisoformat(TODAY)).reach)
    assert reach
    assert all(0.0 <= share <= 1.0 for share in reach.values())
    assert "名古屋営業所" not in reach  # four people: under the floor, never shown alone
    assert "今日" in html  # the plan's line for today


def test_department_view_shows_only_that_department(workspace: Path, tmp_path: Path) -> None:
    """--department keeps that department's card only; an unknown one is refused."""
    out = tmp_path / "factory.html"
    code = main(
        ["dashboard", str(workspace), "--today", TODAY, "--department", "製造部", "--lang", "en",
         "-o", str(out)]
    )  # fmt: skip
    assert code == 0
    html = out.read_text(encoding="utf-8")
    first = html.split('<section class="first">')[1].split("</section>")[0]
    assert 'data-block="outcome"' in first
    assert "物流センター" not in html
    assert 'id="gap-report"' not in html  # company-wide diagnosis stays with the project team
    assert main(["dashboard", str(workspace), "--department", "架空部", "-o", str(out)]) == 2


def test_week_status_report_follows_the_protocol(workspace: Path, tmp_path: Path) -> None:
    """The week status is a report: Markdown, HTML and JSON, in both languages."""
    with bm.Workspace.open(workspace) as opened:
        status = week_status(load_state(opened, today=dt.date.fromisoformat(TODAY)))
    assert status.overdue
    assert status.to_markdown(lang="en").startswith("# Moving internal communication")
    assert '"actions"' in status.to_json()
    assert status.write(tmp_path / "status.html", lang="ja").read_text(encoding="utf-8")


def test_init_needs_departments_and_a_start(tmp_path: Path) -> None:
    """Without --example, init needs the departments and the start; with them it works."""
    assert main(["init", str(tmp_path / "a")]) == 2
    departments = tmp_path / "company.csv"
    departments.write_text("department,headcount\nsales,40\nhr,12\n", encoding="utf-8")
    folder = tmp_path / "b"
    args = ["init", str(folder), "--departments", str(departments), "--start", "2027-04-01"]
    assert main(args) == 0
    initiative = bm.Initiative.from_file(folder / "initiative.toml")
    assert {unit.id for unit in initiative.departments} == {"sales", "hr"}
    assert main(args) == 2  # a workspace is never created twice over
    assert main(["status", str(folder), "--today", "2027-04-01"]) == 0


def test_update_takes_in_other_logs_and_assessments(workspace: Path, tmp_path: Path) -> None:
    """Other logs are copied into inputs/; an assessment is recorded by its date."""
    pulse = tmp_path / "pulse-june.csv"
    pulse.write_text("survey,on,respondent,department,item,score\n", encoding="utf-8")
    assessment = tmp_path / "assessment-june.toml"
    bm.Assessment("chat-migration", dt.date(2027, 6, 28)).answer("materials.why", "done").save(
        assessment
    )
    assert main(["update", str(workspace), str(pulse), str(assessment), "--today", TODAY]) == 0
    assert (workspace / "inputs" / "pulse-june.csv").is_file()
    with bm.Workspace.open(workspace) as opened:
        dates = [report.on for report in opened.stored_reports("assessment")]
    assert dt.date(2027, 6, 28) in dates


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    """A headless Chromium, or a skip when none is installed."""
    binary = find_browser()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)")
    tools = DevTools(binary, tmp_path_factory.mktemp("chromium-profile-workspace"))
    try:
        yield tools
    finally:
        tools.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_dashboard_renders_cleanly_in_chromium(
    chromium: DevTools, workspace: Path, tmp_path: Path, lang: str
) -> None:
    """The dashboard fits 1280 px, logs no error and wraps no date or number, in ja and en."""
    out = tmp_path / f"dashboard-{lang}.html"
    assert (
        main(["dashboard", str(workspace), "--today", TODAY, "--lang", lang, "-o", str(out)]) == 0
    )
    probe = render_page(chromium, out, tmp_path)
    assert probe["scrollWidth"] <= probe["clientWidth"], probe["wide"]
    assert probe["errors"] == []
    assert not probe["wrapped"]
    assert list(tmp_path.glob("*.png"))


def test_change_load_warns_when_initiatives_pile_up(tmp_path: Path, capsys: Capture) -> None:
    """Three initiatives briefing the same departments in one week: a table and a warning."""
    folder = tmp_path / "busy"
    assert main(["init", str(folder), "--example"]) == 0
    text = (folder / "initiative.toml").read_text(encoding="utf-8")
    others = folder / "initiatives"
    others.mkdir()
    for other in ("expenses", "one-on-one"):
        (others / f"{other}.toml").write_text(
            text.replace('id = "chat-migration"', f'id = "{other}"'), encoding="utf-8"
        )
    capsys.readouterr()
    main(["status", str(folder), "--today", "2027-05-10", "--lang", "en"])
    out = capsys.readouterr().out
    assert "Too many initiatives at once" in out
    assert "3 initiatives at once \\(chat-migration, expenses, one-on-one\\)" in out
    with bm.Workspace.open(folder) as opened:
        state = load_state(opened, today=dt.date(2027, 5, 10))
    assert state.load is not None
    assert state.load.overloaded
    assert all(cell.count <= 3 for cell in state.load.cells)
    assert "**3**" in state.load.to_markdown(lang="ja")
    page = dashboard_html(state, lang="ja")
    assert 'id="change-load"' in page


def test_change_load_counts_each_initiative_once_per_week() -> None:
    """A department with one initiative's long task counts it once a week, never twice."""
    initiative = bm.Initiative.example()
    plan = initiative.plan()
    load = change_load([("a", plan)], departments=[unit.id for unit in initiative.departments])
    assert load.overloaded == ()
    assert {cell.count for cell in load.cells} == {1}
    assert load.departments[: len(initiative.departments)] == tuple(
        unit.id for unit in initiative.departments
    )
    empty = change_load([])
    assert empty.cells == ()
    assert "まだありません" in empty.to_markdown(lang="ja")


def test_questions_past_the_promise_are_overdue(workspace: Path) -> None:
    """A question unanswered for more business days than promised is an overdue action."""
    with bm.Workspace.open(workspace) as opened:
        state = load_state(opened, today=dt.date.fromisoformat(TODAY))
    late = QuestionState("q-late", dt.date(2027, 6, 1), "open", None, None, "製造部", None)
    fresh = QuestionState("q-new", dt.date(2027, 6, 29), "open", None, None, "製造部", None)
    answered = QuestionState("q-done", dt.date(2027, 6, 1), "answered", None, None, None, None)
    status = week_status(attrs.evolve(state, questions=(late, fresh, answered)))
    overdue = [a for a in status.actions if a.kind.value == "question_overdue"]
    assert [a.ref for a in overdue] == ["q-late"]  # the id for the planner, not in the text
    assert "q-late" not in overdue[0].text.ja + overdue[0].text.en
    assert overdue[0].overdue
    assert "longest 21 business days" in overdue[0].text.en  # 2 June to 30 June


def test_hostile_inputs_and_outputs_of_the_workspace(workspace: Path, tmp_path: Path) -> None:
    """/dev/zero or a FIFO given to update is refused at once; -o never hits the store."""
    before = _dump(workspace)
    assert main(["update", str(workspace), "/dev/zero", "--today", TODAY]) == 2
    fifo = tmp_path / "pulse.csv"
    os.mkfifo(fifo)
    assert main(["update", str(workspace), str(fifo), "--today", TODAY]) == 2
    assert _dump(workspace) == before
    store = workspace / "history.sqlite"
    size = store.stat().st_size
    assert main(["dashboard", str(workspace), "--today", TODAY, "-o", str(store)]) == 2
    settings = workspace / "initiative.toml"
    assert main(["status", str(workspace), "--today", TODAY, "-o", str(settings)]) == 2
    assert store.stat().st_size == size
    assert bm.Initiative.from_file(settings).id == "chat-migration"

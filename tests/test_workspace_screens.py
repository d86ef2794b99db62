"""One screen per reader: the department head's page, the company view and the planner's week."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.app.cli import main
from backoffice_marketing.app.sample_exports import write_email_activity, write_teams_activity
from backoffice_marketing.exceptions import UnknownTaskError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.render.svg_charts import ChartTexts, pair_trend_svg
from backoffice_marketing.workspace.dashboard import dashboard_html, department_html
from backoffice_marketing.workspace.department_view import (
    Outcome,
    company_trend,
    company_views,
    cutover_date,
    department_view,
)
from backoffice_marketing.workspace.first_run import write_roster_template
from backoffice_marketing.workspace.ingest import RateRow
from backoffice_marketing.workspace.load import change_load
from backoffice_marketing.workspace.outcome import load_email, load_teams
from backoffice_marketing.workspace.progress import proven_completions, resolve_tasks
from backoffice_marketing.workspace.reports import write_reports
from backoffice_marketing.workspace.run import (
    STATUS_LIMIT,
    Action,
    ActionKind,
    WorkspaceState,
    load_state,
    week_status,
)

TODAY = "2027-06-30"
Capture = pytest.CaptureFixture[str]
_IDS = re.compile(r"\bq\d{2,}\b|\b(?:research|customer_voice|announcement|materials|two_way)\.")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's first run: init --example, then a bare update."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    folder = tmp_path_factory.mktemp("screens") / "my-initiative"
    assert main(["init", str(folder), "--example"]) == 0
    assert main(["update", str(folder), "--today", TODAY]) == 0
    return folder


@pytest.fixture(scope="module")
def state(example: Path) -> WorkspaceState:
    """The example's state on the README's day."""
    with bm.Workspace.open(example) as workspace:
        return load_state(workspace, today=dt.date.fromisoformat(TODAY))


def test_init_example_brings_weekly_usage_and_update_tells_the_story(example: Path) -> None:
    """`init` --example writes one usage file per ISO week and no empty usage template."""
    names = sorted(path.name for path in (example / "inputs").glob("usage*.csv"))
    assert names[0] == "usage-2027-W20.csv"
    assert names[-1] == "usage-2027-W26.csv"
    assert "usage.csv" not in names
    with bm.Workspace.open(example) as workspace:
        assert len({row.period for row in workspace.rates()}) == len(names)


def test_a_second_bare_update_says_nothing_new(example: Path, capsys: Capture) -> None:
    """`update` without new files says nothing new was found, not "usage.csv (0 rows)"."""
    capsys.readouterr()
    assert main(["update", str(example), "--today", TODAY]) == 0
    said = capsys.readouterr().err
    assert "新しいファイルは見つかりませんでした" in said
    assert "0 行" not in said


def test_status_names_laggards_and_done_clears_the_steps(tmp_path: Path, capsys: Capture) -> None:
    """The README's steps: status names the laggards; once done records them, no task is late."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    folder = tmp_path / "my-initiative"
    assert main(["init", str(folder), "--example"]) == 0
    assert main(["update", str(folder)]) == 0
    capsys.readouterr()
    assert main(["status", str(folder), "--today", TODAY]) == 1
    text = capsys.readouterr().out
    assert "製造部: 障壁は" in text
    assert "基準日: 2027-06-30" in text
    steps = re.findall(r"予定から遅れています `([a-z-]+)`", text)
    assert "appoint-chat-champions" in steps
    for step in steps:
        assert main(["done", str(folder), step, "--on", "2027-06-25"]) == 0
    capsys.readouterr()
    main(["status", str(folder), "--today", TODAY, "--format", "json"])
    status = json.loads(capsys.readouterr().out)
    kinds = {action["kind"] for action in status["actions"] if action["overdue"]}
    assert "task_overdue" not in kinds


def test_done_takes_ids_steps_titles_and_departments(state: WorkspaceState) -> None:
    """A task id, a step id with a department, or a title all name the right tasks."""
    plan = state.baseline
    assert resolve_tasks(plan, "start-chat") == ("start-chat",)
    assert resolve_tasks(plan, "hold-briefings", department="製造部") == ("hold-briefings@製造部",)
    assert len(resolve_tasks(plan, "hold-briefings")) == len(state.order)
    assert resolve_tasks(plan, "チャットの利用を開始する") == ("start-chat",)
    rounds = resolve_tasks(plan, "chart-usage-by-department", on=dt.date(2027, 6, 5))
    assert rounds == ("chart-usage-by-department#1",)
    with pytest.raises(UnknownTaskError) as caught:
        resolve_tasks(plan, "start-chatt")
    assert caught.value.suggestions[0] == "start-chat"


def test_done_command_checks_names_at_the_door(example: Path, capsys: Capture) -> None:
    """`done` with an unknown department or task names the nearest known one."""
    capsys.readouterr()
    assert main(["done", str(example), "hold-briefings", "--department", "製造課"]) == 2
    assert "製造部" in capsys.readouterr().err
    assert main(["done", str(example), "hold-briefing"]) == 2
    assert "hold-briefings" in capsys.readouterr().err
    assert main(["dashboard", str(example), "--department", "物流課", "-o", "-"]) == 2
    assert "物流" in capsys.readouterr().err


def _row(department: str, period: str, start: dt.date, active: int, heads: int = 10) -> RateRow:
    return RateRow(
        department=department,
        period=period,
        period_start=start,
        period_end=start + dt.timedelta(days=6),
        headcount=heads,
        active_users=active,
        rate=active / heads if heads else 0.0,
        unmatched_users=0,
        suppressed=heads < 5,
    )


def test_the_data_marks_chat_use_and_the_announcement_done(state: WorkspaceState) -> None:
    """Chat use started once the log shows use; the announcement once the reach log shows it."""
    rates = [
        _row("製造部", "2027-W21", dt.date(2027, 5, 24), 3),
        _row("製造部", "2027-W20", dt.date(2027, 5, 17), 0),
    ]
    reached = [("u1", dt.date(2027, 4, 28)), ("u2", dt.date(2027, 4, 27))]
    proofs = proven_completions(state.baseline, rates, reached)
    days = {proof.task_id: proof.done_on for proof in proofs}
    assert days == {"start-chat": dt.date(2027, 5, 24), "announce-rollout": dt.date(2027, 4, 27)}
    assert "2027-W21" in next(p for p in proofs if p.task_id == "start-chat").evidence.ja
    assert proven_completions(state.baseline, rates, reached, recorded=days) == ()
    assert proven_completions(state.baseline, [], []) == ()
    shown = week_status(attrs.evolve(state, proven=proofs))
    assert any("データで完了を確認" in change.ja for change in shown.changes)


def test_status_caps_groups_and_counts_the_rest(state: WorkspaceState) -> None:
    """Status lists the ten most urgent actions by kind and counts the others."""
    many = tuple(
        Action(ActionKind.THEME_WAITING, LocalizedText(f"テーマ{n}", f"theme {n}"))
        for n in range(STATUS_LIMIT + 4)
    )
    status = attrs.evolve(week_status(state), actions=many)
    assert sum(len(rows) for _, rows in status.shown()) == STATUS_LIMIT
    assert status.rest() == ((ActionKind.THEME_WAITING, 4),)
    markdown = status.to_markdown(lang="ja")
    assert "ほかの対応(件数)" in markdown
    assert "テーマ10" not in markdown


def test_terminal_status_has_no_markdown_escapes(example: Path, capsys: Capture) -> None:
    """`status` --format text prints plain words: no backslash escapes, one unit for waiting."""
    capsys.readouterr()
    main(["status", str(example), "--today", TODAY, "--format", "text"])
    text = capsys.readouterr().out
    assert "\\(" not in text
    assert "\\" not in text
    assert "営業日" in text
    assert re.search(r"\d日回答待ち", text) is None  # waiting is in business days only
    main(["status", str(example), "--today", TODAY, "--format", "text", "--lang", "en"])
    assert "As of: 2027-06-30" in capsys.readouterr().out


def test_department_view_fills_outcome_barrier_and_next_action(state: WorkspaceState) -> None:
    """製造部's view: below target, a barrier with evidence, a next action with owner and date."""
    view = department_view(state, "製造部")
    assert view.outcome is not None
    assert not view.outcome.done
    assert view.outcome.points_to_go == round((state.initiative.target - view.outcome.value) * 100)
    assert view.barrier is not None
    assert view.barrier_evidence is not None
    assert view.next_action is not None
    assert view.next_action.owner is not None
    assert view.next_action.due is not None
    assert view.cutover_date == cutover_date(state)
    assert view.open_questions == 2
    assert view.flagged


def test_small_departments_show_no_figure(state: WorkspaceState) -> None:
    """A department under the privacy floor gets no rate, question count or reach."""
    small = next(
        name for name, size in state.initiative.headcounts.items()
        if size < state.initiative.privacy.figures
    )  # fmt: skip
    view = department_view(state, small)
    assert view.suppressed
    assert (view.outcome, view.open_questions, view.reach, view.trend) == (None, None, None, ())
    page = department_html(state, small)
    assert "人数が少ないため数値は公表しません" in page


def test_company_view_is_worst_first_and_company_line_uses_published_rows(
    state: WorkspaceState,
) -> None:
    """経営層's view: not done by the exit rule first, furthest below the target first."""
    views = company_views(state)
    # 購買部 (54 %) and 経理部 (57 %) are further from the target than 製造部 (83 %) and
    # 物流センター (87 %), although only the last two are flagged by weekly activity.
    assert [v.department for v in views[:4]] == ["購買部", "経理部", "製造部", "物流センター"]
    judged = [v for v in views if v.outcome is not None]
    done = [v.outcome.done for v in judged if v.outcome is not None]
    assert done == sorted(done)  # every department not done comes before every done one
    shown = [v.department for v in views if v.outcome is not None]
    assert [v.department for v in views[: len(shown)]] == shown  # no figure: last
    assert len(views) == len(state.order)
    published = [row for row in state.rates if not row.suppressed]
    last = max(row.period_start for row in published)
    latest = [row for row in published if row.period_start == last]
    expected = sum(r.active_users for r in latest) / sum(r.headcount for r in latest)
    assert company_trend(state)[-1][1] == pytest.approx(expected)


def test_without_the_exit_rule_flagged_departments_come_first(state: WorkspaceState) -> None:
    """With no outcome exports, worst first is flagged first, as before."""
    views = company_views(attrs.evolve(state, outcome=None))
    assert [v.department for v in views[:2]] == ["製造部", "物流センター"]


def test_a_flagged_department_breaks_a_tie_in_the_gap(state: WorkspaceState) -> None:
    """Two departments equally far below the target: the flagged one comes first."""
    views = {v.department: v for v in company_views(state)}
    outcome = views["購買部"].outcome
    tied = [
        attrs.evolve(views["購買部"], flagged=False),
        attrs.evolve(views["製造部"], outcome=outcome, flagged=True),
    ]
    ranked = sorted(tied, key=lambda v: v.exit_rule_key[:3])
    assert [v.department for v in ranked] == ["製造部", "購買部"]
    nothing = attrs.evolve(views["購買部"], outcome=None)
    assert nothing.exit_rule_key[0] > views["経営企画部"].exit_rule_key[0]


@given(st.floats(0, 1), st.floats(0.01, 1))
def test_points_to_go_is_never_negative(value: float, target: float) -> None:
    """The points still missing are zero once the target is met, and whole points otherwise."""
    outcome = Outcome(value, target, LocalizedText("率", "rate"))
    assert outcome.points_to_go >= 0
    assert (outcome.points_to_go == 0) or not outcome.done


def test_pages_show_no_ids_and_only_their_department(state: WorkspaceState) -> None:
    """Neither page shows question or item ids or a literal <br>; 製造部's page is about 製造部."""
    company = dashboard_html(state, lang="ja")
    page = dashboard_html(state, lang="ja", department="製造部")
    for html in (company, page):
        text = re.sub(r"<[^>]+>", " ", html)
        assert _IDS.search(text) is None
        assert "&lt;br" not in html
    assert 'data-block="outcome"' in page
    assert 'data-block="barrier"' in page
    assert 'data-block="next-action"' in page
    visible = re.sub(r"<[^>]+>", " ", page.split('<section class="more">')[0])
    others = [  # 情報システム部門 (a role, the owner of a task) is not the department
        name for name in state.order if name != "製造部" and re.search(f"{name}(?!門)", visible)
    ]
    assert others == []
    assert "<svg" in page
    assert "2027-10-01" in page or (cutover_date(state) or dt.date.min).isoformat() in page
    english = department_html(state, "製造部", lang="en")
    assert "points to go" in english


def test_field_faq_leaves_out_the_backlog(state: WorkspaceState) -> None:
    """The FAQ on the pages is the field's copy: no waiting themes, no days waiting."""
    assert state.faq is not None
    assert state.faq.pending
    page = department_html(state, "製造部")
    faq = page.split('<div class="faq">', 1)[1]
    assert "回答待ち" not in faq
    assert "まだ公式の回答がないテーマ" not in page
    assert 'class="faq-ties"' not in page
    assert 'class="faq-suggestions"' not in page


def test_pair_chart_escapes_names_and_keeps_text_readable() -> None:
    """The department-beside-company chart escapes names and uses no text under 12 px."""
    texts = ChartTexts(title="推移", period="週", rate="率", target="目標")
    svg = pair_trend_svg(
        [("2027-W20", 0.1), ("2027-W21", 0.4)],
        [("2027-W20", 0.5), ("2027-W21", 0.8)],
        names=("<script>", "全社"),
        target=0.9,
        texts=texts,
    )
    assert "<script>" not in svg
    assert "&lt;script&gt; 40%" in svg
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert min(sizes) >= 12
    assert ">W21<" in svg


def test_roster_template_or_copy(tmp_path: Path) -> None:
    """`init` writes a roster header, or copies a roster given as --departments."""
    template = write_roster_template(tmp_path / "a.csv")
    assert template.read_text(encoding="utf-8") == "user_id,department,parent,start,end\n"
    departments = tmp_path / "departments.csv"
    departments.write_text("department,headcount\n製造部,40\n", encoding="utf-8")
    kept = write_roster_template(tmp_path / "b.csv", departments)
    assert kept.read_text(encoding="utf-8").startswith("user_id")


def test_init_takes_its_name_from_the_playbook(tmp_path: Path) -> None:
    """A new workspace is named after its playbook (not its id) and has a roster template."""
    departments = tmp_path / "departments.csv"
    departments.write_text("department,headcount\n製造部,40\n物流部,12\n", encoding="utf-8")
    folder = tmp_path / "ws"
    code = main(["init", str(folder), "--departments", str(departments), "--start", "2027-04-01"])
    assert code == 0
    settings = bm.Initiative.from_file(folder / "initiative.toml")
    assert settings.name == bm.load_playbook("chat-migration").name
    assert (folder / "inputs" / "roster.csv").read_text(encoding="utf-8").startswith("user_id")


def test_view_edges_roles_questions_cutover_and_suppressed_rows(state: WorkspaceState) -> None:
    """Unknown roles keep their name; answered questions are not open; no cut-over stage: None."""
    from backoffice_marketing.workspace.department_view import _role  # noqa: PLC0415
    from backoffice_marketing.workspace.model import QuestionState  # noqa: PLC0415

    assert _role("nobody") == LocalizedText("nobody", "nobody")
    questions = (
        QuestionState("a", dt.date(2027, 6, 1), "answered", None, None, "製造部", None),
        QuestionState("b", dt.date(2027, 6, 1), "open", "t1", None, "製造部", None),
    )
    view = department_view(attrs.evolve(state, questions=questions, faq=None), "製造部")
    assert view.open_questions == 1
    assert view.question_themes == ()
    unmarked = [t for t in state.plan.tasks if t.milestone is None]
    counts = state.plan.champion_counts
    plain = attrs.evolve(
        state, plan=cast(Any, SimpleNamespace(tasks=unmarked, champion_counts=counts))
    )
    assert cutover_date(plain) == max(t.finish for t in unmarked if t.stage == "cut-over")
    none = attrs.evolve(state, plan=cast(Any, SimpleNamespace(tasks=[], champion_counts=counts)))
    assert cutover_date(none) is None
    remedy = department_view(none, "製造部").next_action  # the barrier's remedy, no task
    assert remedy is not None
    assert remedy.owner is None
    assert department_view(attrs.evolve(none, barriers=()), "製造部").next_action is None
    rows = (
        _row("製造部", "2027-W20", dt.date(2027, 5, 17), 2, heads=3),
        _row("物流センター", "2027-W20", dt.date(2027, 5, 17), 0, heads=0),
    )
    assert company_trend(attrs.evolve(state, rates=rows)) == ()


def test_readme_workspace_steps_run_as_written(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's workspace commands run in an empty folder; after done, no task is late."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    import shlex  # noqa: PLC0415

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("backoffice-marketing init my-initiative --example", 1)[1]
    block = "backoffice-marketing init my-initiative --example" + block.split("```", 1)[0]
    commands = [
        shlex.split(line.split("  #", 1)[0])[1:]
        for line in block.splitlines()
        if line.startswith("backoffice-marketing ")
    ]
    assert [command[0] for command in commands][:3] == ["init", "update", "status"]
    monkeypatch.chdir(tmp_path)
    codes = []
    for command in commands:
        capsys.readouterr()
        codes.append(main(command))
    last_status = max(i for i, command in enumerate(commands) if command[0] == "status")
    assert all(code in {0, 1} for code in codes)
    main([*commands[last_status], "--format", "json"])
    status = json.loads(capsys.readouterr().out)
    assert not [a for a in status["actions"] if a["kind"] == "task_overdue"]
    assert (tmp_path / "製造部.html").is_file()


def test_update_warns_about_a_roster_department_the_initiative_lacks(
    tmp_path: Path, capsys: Capture
) -> None:
    """A typo in the roster (物流センタ) is named with the nearest known department."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    folder = tmp_path / "w"
    assert main(["init", str(folder), "--example"]) == 0
    roster = folder / "inputs" / "roster.csv"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace(",物流センター,", ",物流センタ,"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["update", str(folder), "--today", TODAY]) == 0
    said = capsys.readouterr().err
    assert "「物流センタ」は施策の部署にありません。「物流センター」のことですか?" in said
    with bm.Workspace.open(folder) as workspace:
        state = load_state(workspace, today=dt.date.fromisoformat(TODAY))
    from backoffice_marketing.workspace.names import unknown_departments  # noqa: PLC0415

    far = attrs.evolve(state, rates=(_row("ZZZ", "2027-W20", dt.date(2027, 5, 17), 5),))
    assert "initiative.toml" in unknown_departments(far)[0].en


def test_faq_laggard_names_are_checked(tmp_path: Path, capsys: Capture) -> None:
    """`faq --laggard` with a department the initiative lacks names the nearest one."""
    folder = tmp_path / "w"
    assert main(["init", str(folder), "--example"]) == 0
    questions = folder / "inputs" / "questions.csv"
    settings = folder / "initiative.toml"
    capsys.readouterr()
    code = main(["faq", str(questions), "--initiative", str(settings), "--laggard", "製造課"])
    assert code == 2
    assert "製造部" in capsys.readouterr().err


def test_plan_reads_the_initiative(tmp_path: Path, capsys: Capture) -> None:
    """`plan --initiative` schedules the initiative and says its own target, not the playbook's."""
    source = bm.Initiative.example()
    settings = tmp_path / "initiative.toml"
    attrs.evolve(source, target=0.85).save(settings)
    capsys.readouterr()
    assert main(["plan", "--initiative", str(settings)]) == 0
    text = capsys.readouterr().out
    assert "85%以上" in text
    assert "9割" not in text
    assert main(["plan", "chat-migration"]) == 2
    same = attrs.evolve(source, target=bm.load_playbook("chat-migration").exit.target)
    assert same.load_playbook().exit == bm.load_playbook("chat-migration").exit


def test_errors_quote_values_as_written(tmp_path: Path, capsys: Capture) -> None:
    """A target of 85 is quoted as 85 (not 85.0), in Japanese in Japanese mode."""
    settings = tmp_path / "initiative.toml"
    bm.Initiative.example().save(settings)
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^target = .*$", "target = 85", text), encoding="utf-8")
    capsys.readouterr()
    assert main(["plan", "--initiative", str(settings), "--lang", "ja"]) == 2
    said = capsys.readouterr().err
    assert "見つかった値: 85" in said or "found 85" in said
    assert "85.0" not in said


def test_ok_needs_enough_answers(state: WorkspaceState) -> None:
    """A failure mode scored on 11 % of its weight shows "too few answers", never 良好."""
    from backoffice_marketing.diagnosis.gaps import Status  # noqa: PLC0415

    assert state.gap_report is not None
    first = attrs.evolve(state.gap_report.failure_modes[0], status=Status.OK, coverage=0.11)
    report = attrs.evolve(
        state.gap_report, failure_modes=(first, *state.gap_report.failure_modes[1:])
    )
    row = next(
        line
        for line in report.to_markdown(lang="ja").splitlines()
        if line.startswith(f"| {first.failure_mode.label('ja')} |")
    )
    assert "回答不足" in row
    assert "良好" not in row
    page = dashboard_html(attrs.evolve(state, gap_report=report), lang="ja")
    assert "回答不足" in page
    assert "回答不足" in report.to_html(lang="ja")


def test_reports_keep_a_field_and_a_planner_faq(example: Path) -> None:
    """reports/faq.html is the field's copy; reports/faq-planner.html keeps the backlog."""
    field = (example / "reports" / "faq.html").read_text(encoding="utf-8")
    planner = (example / "reports" / "faq-planner.html").read_text(encoding="utf-8")
    assert "まだ公式の回答がないテーマ" in planner
    assert "まだ公式の回答がないテーマ" not in field


def test_pair_chart_without_a_department_line_and_unknown_names_without_hint() -> None:
    """A department with no published point still gets a chart; far-off names get no hint."""
    from backoffice_marketing.diagnosis.playbooks import _unknown_item, _unknown_task  # noqa: PLC0415

    texts = ChartTexts(title="推移", period="週", rate="率", target="目標")
    svg = pair_trend_svg([], [("2027-W20", 0.5)], names=("製造部", "全社"), texts=texts)
    assert ">製造部<" in svg
    assert ">全社 50%<" in svg
    assert _unknown_task("zzzz", ["start-chat"]).code == "task.unknown"  # type: ignore[attr-defined]
    item = _unknown_item("zzzz", bm.default_checklist())
    assert item.code == "item.unknown"  # type: ignore[attr-defined]


def test_lagging_departments_carry_their_barrier_and_its_remedy(state: WorkspaceState) -> None:
    """製造部 and 物流センター: an ability barrier, a device remedy, on the page and in status."""
    for name in ("製造部", "物流センター"):
        view = department_view(state, name)
        assert view.barrier is not None
        assert "実行" in view.barrier.ja
        assert view.barrier_evidence is not None
        assert "PC" in view.barrier_evidence.ja
        assert view.next_action is not None
        assert "端末" in view.next_action.text.ja
        assert "訪問" not in view.next_action.text.ja
    status = week_status(state)
    lagging = [a for a in status.actions if a.kind is ActionKind.BARRIER]
    assert {a.text.ja.split(":")[0] for a in lagging} == {"製造部", "物流センター"}
    assert all("端末" in a.text.ja for a in lagging)
    assert not [a for a in status.actions if a.kind is ActionKind.VISIT]


def test_a_lagging_department_without_evidence_is_still_visited(state: WorkspaceState) -> None:
    """With no barrier found, a lagging department gets a visit to learn why."""
    bare = attrs.evolve(state, barriers=())
    visits = [a for a in week_status(bare).actions if a.kind is ActionKind.VISIT]
    assert {a.text.ja.split("を訪問")[0] for a in visits} == {"製造部", "物流センター"}
    view = department_view(bare, "製造部")
    assert view.barrier is not None
    assert "全社" in view.barrier.ja


def test_active_but_still_mailing_is_not_done_on_the_pages_and_in_status(
    state: WorkspaceState,
) -> None:
    """経理部 is active in chat every week but still mails: the exit rule says not done."""
    assert state.outcome is not None
    usage = dict(state.series())["経理部"][-1][1]
    assert usage >= state.initiative.target  # by people active in the week, it looks done
    view = department_view(state, "経理部")
    assert view.outcome is not None
    assert view.outcome.met is False
    assert not view.outcome.done
    assert view.outcome.value < view.outcome.target  # the share of messages by chat
    outcome = [a for a in week_status(state).actions if a.kind is ActionKind.OUTCOME]
    assert any(a.text.ja.startswith("経理部:") for a in outcome)
    row = dashboard_html(state, lang="ja").split("経理部", 1)[1].split("</tr>", 1)[0]
    assert "未達" in row


def test_the_exit_rule_can_fail_on_habit_alone() -> None:
    """A share at the target with too little habit is not done, and the page says why."""
    outcome = Outcome(0.95, 0.9, LocalizedText("習慣", "habit"), met=False)
    assert not outcome.done
    assert outcome.points_to_go == 0


def test_a_roster_with_people_is_copied_with_unix_line_ends(tmp_path: Path) -> None:
    """A roster that lists people is copied as it is, its Windows line ends made plain."""
    source = tmp_path / "roster.csv"
    source.write_bytes("user_id,department\r\nu1,製造部\r\n".encode())
    copied = write_roster_template(tmp_path / "copy.csv", source)
    assert copied.read_text(encoding="utf-8") == "user_id,department\nu1,製造部\n"


def test_the_outcome_loaders_read_the_sample_exports(tmp_path: Path) -> None:
    """The checks `update` runs on the two activity exports accept the sample company's."""
    email: Any = load_email(write_email_activity(tmp_path / "email.csv"))
    teams: Any = load_teams(write_teams_activity(tmp_path / "teams.csv"))
    assert {"user_id", "date", "sent", "received"} <= set(email.columns)
    assert {"user_id", "date", "count"} <= set(teams.columns)
    assert len(email) > 0
    assert len(teams) > 0


def test_reports_follow_what_the_state_holds(state: WorkspaceState, tmp_path: Path) -> None:
    """Without laggards, FAQ or gap report none of theirs is written; a change load is."""
    bare = attrs.evolve(
        state,
        classification=None,
        faq=None,
        gap_report=None,
        load=change_load([("chat", state.plan)]),
    )
    with bm.Workspace.create(tmp_path / "ws") as workspace:
        written = write_reports(workspace, bare, lang="en")
    assert [path.name for path in written] == [
        "status.md",
        "plan.html",
        "plan.md",
        "change-load.md",
        "dashboard.html",
    ]

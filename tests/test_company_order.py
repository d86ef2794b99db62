"""The company's order of departments (the initiative's) in every table, chart and plan.

The demo runs once with an initiative whose order differs from code-point
order (製造部, カスタマーサポート部, 経理部 first); every output that lists
departments is checked against that order. Rankings (worst first, highest
first) and date-ordered plan rows keep their own order and are checked for
that instead.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.core.departments import Department, coerce_departments, company_order

FIRST = ("製造部", "カスタマーサポート部", "経理部")


def _reordered() -> bm.Initiative:
    """The example initiative with 製造部, カスタマーサポート部, 経理部 first."""
    example = bm.Initiative.example()
    units = {unit.id: unit for unit in example.departments}
    order = [*FIRST, *(name for name in units if name not in FIRST)]
    return attrs.evolve(example, departments=tuple(units[name] for name in order))


ORDER = tuple(unit.id for unit in _reordered().departments)
RANK = {name: index for index, name in enumerate(ORDER)}
NAMES = re.compile("|".join(sorted(map(re.escape, ORDER), key=len, reverse=True)))


def _in_order(names: list[str]) -> bool:
    """Whether ``names`` follow the company's order."""
    ranks = [RANK[name] for name in names]
    return ranks == sorted(ranks)


def _table_names(text: str, heading: str) -> list[str]:
    """The department of each row of the first Markdown table after ``heading``."""
    lines = (text.split(heading, 1)[1] if heading else text).splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("|"))
    names = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cell = line.split("|")[1].strip()
        if cell in RANK:
            names.append(cell)
    return names


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's outputs, run with the reordered initiative."""
    pytest.importorskip("narwhals", reason="the demo needs the [all] extra")
    folder = tmp_path_factory.mktemp("order") / "demo"
    from backoffice_marketing.app.demo import write_demo  # noqa: PLC0415

    write_demo(folder, lang="ja", initiative=_reordered())
    return folder


def test_code_point_order_differs_from_the_company_order() -> None:
    """The test initiative's order is not code-point order, so the checks below can fail."""
    assert list(FIRST) != sorted(FIRST)
    assert ORDER[:3] == FIRST


def test_plan_tables_follow_the_company_order(demo: Path) -> None:
    """Champions (md, html, json, xlsx) follow the company's order; rows go by date, then rank."""
    markdown = (demo / "plan/plan.md").read_text(encoding="utf-8")
    champions = _table_names(markdown, "## 部署別の推進担当")
    assert champions == list(ORDER)
    html = (demo / "plan/plan.html").read_text(encoding="utf-8")
    section = html.split("部署別の推進担当", 1)[1].split("</table>", 1)[0]
    assert NAMES.findall(section) == list(ORDER)
    data = json.loads((demo / "plan/plan.json").read_text(encoding="utf-8"))
    assert [unit["id"] for unit in data["departments"]] == list(ORDER)
    assert list(data["champions"]) == list(ORDER)
    tasks = data["tasks"]
    starts = [task["start"] for task in tasks]
    assert starts == sorted(starts)  # rows go by date first
    for day in set(starts):
        same = [t["department"] for t in tasks if t["start"] == day and t["department"]]
        assert _in_order(same), day
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(demo / "plan/plan.xlsx")
    sheet = workbook[workbook.sheetnames[-1]]
    listed = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] in RANK]
    assert listed == list(ORDER)


def test_plan_dates_do_not_depend_on_the_company_order(demo: Path) -> None:
    """Reordering the initiative moves rows only: every task keeps its dates."""
    reordered = json.loads((demo / "plan/plan.json").read_text(encoding="utf-8"))["tasks"]
    example = json.loads(bm.Initiative.example().plan().to_json())["tasks"]
    assert sorted(map(str, reordered)) == sorted(map(str, example))


def test_adoption_exports_follow_the_company_order(demo: Path) -> None:
    """Rates (csv, json, md), the outcome and the cut-over advice list departments in order."""
    rows = list(csv.DictReader(io.StringIO((demo / "adoption/rates.csv").read_text("utf-8"))))
    shown = list(dict.fromkeys(row["department"] for row in rows if row["department"] in RANK))
    assert shown[:3] == list(FIRST)
    assert _in_order(shown)
    data = json.loads((demo / "adoption/rates.json").read_text(encoding="utf-8"))
    from_json = list(
        dict.fromkeys(r["department"] for r in data["rows"] if r["department"] in RANK)
    )
    assert from_json == shown
    markdown = (demo / "adoption/rates.md").read_text(encoding="utf-8")
    assert _table_names(markdown, "") == shown
    outcome = json.loads((demo / "adoption/outcome.json").read_text(encoding="utf-8"))
    assert _in_order([entry["department"] for entry in outcome["departments"]])
    assert _in_order(_table_names((demo / "adoption/outcome.md").read_text("utf-8"), ""))
    advice = json.loads((demo / "adoption/cutover.json").read_text(encoding="utf-8"))
    names = [entry["department"] for entry in advice["per_department"]]
    assert names[:3] == list(FIRST)
    assert _in_order(names)
    assert _in_order(advice["stranded"])
    classified = [entry["department"] for entry in advice["classification"]["departments"]]
    assert classified[:3] == list(FIRST)
    assert _in_order(classified)


def test_adoption_charts_follow_the_company_order(demo: Path) -> None:
    """The small multiples follow the company's order; the latest bars rank highest first."""
    svg = (demo / "adoption/adoption-by-department.svg").read_text(encoding="utf-8")
    titled = [
        name for name in re.findall(r'font-weight="bold">([^<]+)</text>', svg) if name in RANK
    ]
    assert titled[:3] == list(FIRST)
    assert _in_order(titled)
    bars = (demo / "adoption/latest.svg").read_text(encoding="utf-8")
    shares = [int(v) for v in re.findall(r">(\d+)%<", bars)]
    assert shares[: len(shares) - 1] == sorted(shares[: len(shares) - 1], reverse=True)


def test_gap_report_follows_the_company_order(demo: Path) -> None:
    """The gap report's adoption table (md, html, json) and barriers follow the company order."""
    markdown = (demo / "report/gap-report-after-launch.md").read_text(encoding="utf-8")
    table = _table_names(markdown, "## 部署ごとの浸透状況")
    assert table[:3] == list(FIRST)
    assert _in_order(table)
    assert _in_order(_table_names(markdown, "## 遅れている部署の障壁と次の一手"))
    html = (demo / "report/gap-report-after-launch.html").read_text(encoding="utf-8")
    section = html.split("部署ごとの浸透状況", 1)[1].split("</table>", 1)[0]
    assert NAMES.findall(section) == table
    data = json.loads((demo / "report/gap-report-after-launch.json").read_text(encoding="utf-8"))
    assert [row["department"] for row in data["adoption"]["departments"]] == table
    assert _in_order([row["department"] for row in data["barriers"]])


def test_readiness_follows_the_company_order(demo: Path) -> None:
    """The readiness tables (md, html, json, csv) and its barriers follow the company order."""
    markdown = (demo / "readiness/readiness-report.md").read_text(encoding="utf-8")
    distribution = _table_names(markdown, "### 障壁の分布")
    assert distribution[:2] == ["製造部", "カスタマーサポート部"]
    assert _in_order(distribution)
    assert _in_order(_table_names(markdown, "## 遅れている部署の障壁と次の一手"))
    rows = csv.reader(io.StringIO((demo / "readiness/barriers.csv").read_text("utf-8")))
    assert [row[0] for row in rows if row and row[0] in RANK] == distribution
    data = json.loads((demo / "readiness/readiness-report.json").read_text(encoding="utf-8"))
    latest = data["rounds"][-1]["groups"]
    assert [group["group"] for group in latest if group["group"] in RANK] == distribution
    assert _in_order([barrier["department"] for barrier in data["barriers"]])
    html = (demo / "readiness/readiness-report.html").read_text(encoding="utf-8")
    table = html.split("<h2", 2)[2].split("</table>", 1)[0]
    assert NAMES.findall(table) == distribution


def test_announcement_review_follows_the_company_order(demo: Path) -> None:
    """The announcement plan review's tables and its JSON's plan follow the company order."""
    markdown = (demo / "materials/announcement-plan-review.md").read_text(encoding="utf-8")
    coverage = _table_names(markdown, "## 部署ごとの告知")
    assert coverage[:3] == list(FIRST)
    assert _in_order(coverage)
    assert _in_order(_table_names(markdown, "## 届いた割合と確認した割合"))
    data = json.loads((demo / "materials/announcement-plan-review.json").read_text("utf-8"))
    assert [entry["department"] for entry in data["coverage"]] == coverage
    assert [unit["id"] for unit in data["plan"]["departments"]] == coverage


def test_voice_report_follows_the_company_order(demo: Path) -> None:
    """The voice report's coverage lists and revisits follow the company's order."""
    data = json.loads((demo / "voice/voice-report.json").read_text(encoding="utf-8"))
    coverage = data["coverage"]
    assert coverage["departments"] == list(ORDER)
    for key in ("heard", "not_heard", "never_visited"):
        assert _in_order(coverage[key]), key
    assert _in_order([row["department"] for row in data["revisits"]])
    markdown = (demo / "voice/voice-report.md").read_text(encoding="utf-8")
    assert _in_order(_table_names(markdown, "## 遅れている部署への再訪問"))
    faq = json.loads((demo / "voice/faq.json").read_text(encoding="utf-8"))
    named = [theme["departments"] for theme in faq["pending"] if len(theme["departments"]) > 1]
    assert named
    assert all(_in_order(names) for names in named)


def test_cutover_deck_follows_the_company_order(demo: Path) -> None:
    """The cut-over deck's department table follows the company's order across its slides."""
    deck = json.loads((demo / "decks/cutover.json").read_text(encoding="utf-8"))
    rows = [
        row[0]
        for slide in deck["slides"]
        if slide["key"] == "departments"
        for row in slide["table"][1:]
    ]
    assert rows[:3] == list(FIRST)
    assert _in_order(rows)


def _plan_json(playbook: bm.Playbook, departments: object) -> str:
    initiative = bm.Initiative.example()
    return bm.Plan.from_playbook(
        playbook,
        start=initiative.start,
        departments=departments,
        calendar=initiative.business_calendar,
        capacity=initiative.capacity,
    ).to_json()


PLAYBOOK = bm.load_playbook("chat-migration")
UNITS = bm.Initiative.example().departments
BASELINE = _plan_json(PLAYBOOK, {unit.id: unit.headcount for unit in UNITS})


@settings(max_examples=8, deadline=None)
@given(shuffle=st.randoms(use_true_random=False))
def test_shuffled_input_files_give_a_byte_identical_plan(
    shuffle: random.Random, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Shuffling the tasks of the playbook and the rows of the department file changes nothing."""
    tasks = list(PLAYBOOK.tasks)
    shuffle.shuffle(tasks)
    rows = [f"{unit.id},{unit.headcount}" for unit in UNITS]
    shuffle.shuffle(rows)
    table = tmp_path_factory.mktemp("table") / "departments.csv"
    table.write_text("department,headcount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert _plan_json(attrs.evolve(PLAYBOOK, tasks=tuple(tasks)), str(table)) == BASELINE


@settings(max_examples=8, deadline=None)
@given(st.permutations(list(UNITS)))
def test_another_company_order_moves_rows_only(units: list[Department]) -> None:
    """Another initiative order gives the same tasks on the same dates, rows in the new order."""
    data = json.loads(_plan_json(PLAYBOOK, units))
    baseline = json.loads(BASELINE)
    assert sorted(map(str, data["tasks"])) == sorted(map(str, baseline["tasks"]))
    assert [unit["id"] for unit in data["departments"]] == [unit.id for unit in units]
    key = company_order(unit.id for unit in units)
    for first, second in zip(data["tasks"], data["tasks"][1:], strict=False):
        if first["start"] == second["start"] and first["department"] and second["department"]:
            same_step = first["id"].split("@")[0] == second["id"].split("@")[0]
            assert not same_step or key(first["department"]) <= key(second["department"])


def test_department_objects_keep_the_company_order_and_files_sort_by_id() -> None:
    """Department objects keep their order; a mapping is sorted by id; unknown names go last."""
    units = [Department("b"), Department("a")]
    assert [unit.id for unit in coerce_departments(units)] == ["b", "a"]
    assert [unit.id for unit in coerce_departments({"b": 1, "a": 2})] == ["a", "b"]
    key = company_order(["製造部", "経理部"])
    assert sorted(["人事部", "経理部", "製造部", "カスタマーサポート部"], key=key) == [
        "製造部",
        "経理部",
        "カスタマーサポート部",
        "人事部",
    ]


def test_faq_waiting_themes_name_departments_in_the_company_order() -> None:
    """Department objects order a waiting theme's departments; a mapping lists them by name."""
    from backoffice_marketing import voice  # noqa: PLC0415
    from backoffice_marketing.app.samples import sample_file  # noqa: PLC0415

    questions = voice.QuestionLog.from_file(sample_file("chat-migration/questions.csv"))
    answers = voice.AnswerBook.from_file(sample_file("chat-migration/answers.yaml"))
    units = _reordered().departments
    ordered = voice.FAQ.build(questions, answers, departments=units)
    by_name = voice.FAQ.build(
        questions, answers, departments={unit.id: unit.headcount for unit in units}
    )
    plain = voice.FAQ.build(questions, answers)
    lists = [theme.departments for theme in ordered.pending if len(theme.departments) > 1]
    assert lists
    assert all(_in_order(list(names)) for names in lists)
    for theme in (*by_name.pending, *plain.pending):
        assert list(theme.departments) == sorted(theme.departments)


@settings(max_examples=40, deadline=None)
@given(
    rates=st.lists(st.floats(0.0, 1.0), min_size=len(ORDER), max_size=len(ORDER)),
    seed=st.integers(0, 2**16),
)
def test_classify_lists_departments_in_the_given_order(rates: list[float], seed: int) -> None:
    """classify(order=) lists departments in that order and changes no standing."""
    pytest.importorskip("narwhals", reason="classify reads frames through narwhals")
    import polars as pl  # noqa: PLC0415

    shuffled = list(zip(ORDER, rates, strict=True))
    random.Random(seed).shuffle(shuffled)  # noqa: S311  (a test's shuffle)
    frame = pl.DataFrame(
        {
            "department": [name for name, _ in shuffled],
            "period": ["2027-W26"] * len(shuffled),
            "rate": [rate for _, rate in shuffled],
        }
    )
    plain = bm.adoption.classify(frame)
    ordered = bm.adoption.classify(frame, order=ORDER)
    assert [entry.department for entry in ordered.departments] == list(ORDER)
    assert [entry.department for entry in plain.departments] == sorted(ORDER)
    assert {e.department: e.standing for e in ordered.departments} == {
        e.department: e.standing for e in plain.departments
    }
    assert ordered.needing_visit == plain.needing_visit


def test_classify_puts_unknown_names_last_by_name() -> None:
    """A department the order does not know comes after the known ones."""
    rows = [("新設部", "W1", 0.5), ("製造部", "W1", 0.4), ("経理部", "W1", 0.9)]
    classified = bm.adoption.classify_rows(rows, curve=False, order=["経理部", "製造部"])
    assert [entry.department for entry in classified.departments] == ["経理部", "製造部", "新設部"]

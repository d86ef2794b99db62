"""Acceptance: the demo, run through one Initiative, tells one consistent story."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import backoffice_marketing as bm
from backoffice_marketing.app import samples
from backoffice_marketing.app.demo import example_company, write_demo

NAGOYA, PARENT = "名古屋営業所", "営業本部"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder, lang="ja", initiative=bm.Initiative.example())
    return folder


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def test_one_target_in_every_output(demo: Path) -> None:
    """Every output that names an adoption target names the initiative's, and only that one.

    The announcement plan's review (``materials/``) has targets of its own for
    reach and acknowledgement of the notice, which are other figures.
    """
    initiative = bm.Initiative.example()
    shown = f"{initiative.target:.0%}"
    targets = set()
    for path in demo.rglob("*.md"):
        if path.relative_to(demo).parts[0] == "materials":
            continue
        text = path.read_text("utf-8")
        targets |= set(re.findall(r"目標 ?(\d+%)", text))
        targets |= set(re.findall(r"[Tt]arget:? (\d+%)", text))
    assert targets == {shown}
    assert _json(demo / "adoption/cutover.json")["target"] == initiative.target
    report = _json(demo / "report/gap-report-after-launch.json")
    assert report["adoption"]["target"] == initiative.target
    assert bm.Initiative.from_file(demo / "inputs/initiative.toml") == initiative
    assert example_company().name == "company.csv"  # the same departments, as a table


def test_laggards_and_cutover_agree_for_every_department(demo: Path) -> None:
    """Laggards, the cut-over advice and the gap report classify every department alike."""
    advice = _json(demo / "adoption/cutover.json")
    cutover = {row["department"]: row["standing"] for row in advice["per_department"]}
    report = _json(demo / "report/gap-report-after-launch.json")
    diagnosed = {row["department"]: row["standing"] for row in report["adoption"]["departments"]}
    assert cutover == diagnosed
    laggards = (demo / "adoption/laggards.md").read_text("utf-8")
    flagged = {name for name in cutover if f"| {name} |" in laggards}
    assert flagged == {name for name, standing in cutover.items() if standing != "on_track"}
    # 名古屋営業所 (4 people) is withheld, never added to 営業本部: 営業本部 is on track alone.
    assert flagged == {"製造部", "物流センター"}
    visits = (demo / "adoption/cutover.md").read_text("utf-8").split("###", 1)[1]
    for name in cutover:
        table = visits.split("\n\n|", 2)[1] if "\n\n|" in visits else ""
        assert (f"| {name} |" in table) is (name in flagged), name


def test_after_launch_report_shows_the_two_conflicts(demo: Path) -> None:
    """The stale manual answers are listed first, with both answers, sources and dates."""
    report = _json(demo / "report/gap-report-after-launch.json")
    conflicts = {row["item"]: row for row in report["conflicts"]}
    measured = conflicts["two_way.adoption-measured"]
    assert measured["manual"]["level"] == "not_done"
    assert measured["computed"]["source"] == "adoption"
    assert measured["computed"]["level"] == "done"
    assert measured["computed"]["collected_on"] == samples.AS_OF.isoformat()
    assert measured["kept"] == "computed"
    coverage = conflicts["research.department-coverage"]
    assert coverage["manual"]["level"] == "done"
    assert coverage["manual"]["collected_on"] == "2027-03-15"
    assert coverage["computed"]["source"] == "voice"
    assert (
        "20部署中14部署" in coverage["computed"]["note"]
    )  # the Japanese demo writes Japanese evidence
    assert coverage["kept"] == "computed"
    text = (demo / "report/gap-report-after-launch.md").read_text("utf-8")
    assert text.index("## 食い違う根拠") < text.index("| 失敗パターン |")
    assert "research.department-coverage" in text
    html = (demo / "report/gap-report-after-launch.html").read_text("utf-8")
    assert "two_way.adoption-measured" in html


def test_adoption_outputs_state_the_merge_of_nagoya(demo: Path) -> None:
    """Every adoption output says that the Nagoya office is not reported (and not in its parent)."""
    sentence = f"「{NAGOYA}」は公表しません"
    for name in ("adoption/rates.md", "adoption/laggards.md", "adoption/cutover.md"):
        assert sentence in (demo / name).read_text("utf-8"), name
    assert sentence in (demo / "report/gap-report-after-launch.md").read_text("utf-8")
    assert sentence in (demo / "report/gap-report-after-launch.html").read_text("utf-8")
    merges = _json(demo / "adoption/cutover.json")["classification"]["merges"]
    assert merges[0]["group"] == NAGOYA
    assert merges[0].get("into") is None
    assert f"「{NAGOYA}」は「{PARENT}」に含めて" not in (demo / "adoption/rates.md").read_text(
        "utf-8"
    )


def test_faq_lists_the_factory_pc_theme_as_waiting(demo: Path) -> None:
    """The factory's lack of PCs leads the waiting themes in every format."""
    faq = _json(demo / "voice/faq.json")
    first = faq["pending"][0]
    assert first["questions"] == 6
    assert first["from_laggards"] == 5  # 名古屋営業所 is withheld, so not a laggard
    assert "製造部" in first["departments"]
    assert "PC" in first["example"]
    for name in ("voice/faq.md", "voice/faq.html"):
        assert first["example"] in (demo / name).read_text("utf-8"), name


def test_cutover_advice_on_the_sample_data(demo: Path) -> None:
    """Declaration within the measured weeks; enforcement a notice period later; laggards named."""
    advice = _json(demo / "adoption/cutover.json")
    initiative = bm.Initiative.example()
    declaration = advice["declaration"]
    enforcement = advice["enforcement"]
    assert samples.LAUNCH.isoformat() <= declaration <= samples.AS_OF.isoformat()
    calendar = initiative.business_calendar
    import datetime as dt  # noqa: PLC0415

    start = dt.date.fromisoformat(declaration)
    end = dt.date.fromisoformat(enforcement)
    days = [
        start + dt.timedelta(days=i)
        for i in range(1, (end - start).days + 1)
        if calendar.is_business_day(start + dt.timedelta(days=i))
    ]
    assert len(days) >= initiative.notice_days
    stranded = set(advice["stranded"])
    assert {"製造部", "物流センター"} <= stranded
    text = (demo / "adoption/cutover.md").read_text("utf-8")
    assert "製造部" in text.split("###", 1)[1]


def test_flagged_departments_show_an_ability_barrier(demo: Path) -> None:
    """製造部 and 物流センター: ability barrier, hearings and waiting theme cited; devices next."""
    report = _json(demo / "report/gap-report-after-launch.json")
    barriers = {b["department"]: b for b in report["barriers"]}
    for name in ("製造部", "物流センター"):
        barrier = barriers[name]
        assert barrier["element"] == "ability"
        assert barrier["remedy"].startswith("ability.")
        kinds = {e["kind"] for e in barrier["evidence"]}
        assert {"hearing", "question_theme", "survey"} <= kinds
        assert "訪問" not in barrier["next_action"]["ja"]
    markdown = (demo / "report/gap-report-after-launch.md").read_text("utf-8")
    assert "共用端末" in markdown
    assert "theme-q03" in markdown
    table = (demo / "readiness/barriers.csv").read_text("utf-8-sig")
    assert "製造部" in table
    assert (demo / "readiness/readiness-report.html").is_file()

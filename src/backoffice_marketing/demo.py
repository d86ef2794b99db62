"""The demo: the chat-migration case end to end on bundled sample data.

A synthetic company of 20 departments and 1,400 people (``data/examples``)
plans the move from internal email to chat, assesses itself just before the
briefing sessions and gets its gap report. Every output is written into one
folder; the same inputs give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from backoffice_marketing.assessment import Assessment
from backoffice_marketing.checklist import default_checklist
from backoffice_marketing.gaps import GapReport
from backoffice_marketing.io.atomic import write_text_atomic
from backoffice_marketing.io.converter import structure_document
from backoffice_marketing.io.documents import load_package_document
from backoffice_marketing.planning import Plan
from backoffice_marketing.playbooks import load_playbook
from backoffice_marketing.text import LANGUAGES, Lang

__all__ = ["DEMO_START", "example_assessment", "example_company", "write_demo"]

#: The demo plan starts at the beginning of fiscal year 2027.
DEMO_START = dt.date(2027, 4, 1)

Progress = Callable[[str, int, int], None]


def example_assessment() -> Assessment:
    """The bundled self-assessment of the chat migration (taken before the briefings)."""
    document = load_package_document("examples/chat-migration-assessment.toml")
    return structure_document(document, Assessment)


def example_company() -> Path:
    """The bundled department table (20 departments, 1,400 people) as a CSV path."""
    return Path(str(resources.files("backoffice_marketing.data").joinpath("examples/company.csv")))


def write_demo(
    folder: Path, *, lang: Lang = "ja", progress: Progress | None = None
) -> tuple[Path, ...]:
    """Write every demo output into ``folder``; return the files written, sorted."""
    report_progress = progress or (lambda _label, _done, _total: None)
    steps = 4
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def text(name: str, content: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(write_text_atomic(path, content))

    report_progress("checklist", 0, steps)
    checklist = default_checklist()
    text("checklist/checklist.json", checklist.to_json())
    for language in LANGUAGES:
        text(f"checklist/checklist.{language}.md", checklist.to_markdown(language))
        text(f"checklist/checklist.{language}.html", checklist.to_html(language))

    report_progress("plan", 1, steps)
    playbook = load_playbook("chat-migration")
    plan = Plan.from_playbook(playbook, start=DEMO_START, departments=example_company())
    text("plan/plan.md", plan.to_markdown(lang))
    text("plan/plan.html", plan.to_html(lang))
    text("plan/plan.json", plan.to_json())
    text("plan/plan.mmd", plan.to_mermaid(lang))
    plan.to_xlsx(folder / "plan/plan.xlsx", lang=lang)
    plan.to_ics(folder / "plan/plan.ics", lang=lang)
    written.extend([folder / "plan/plan.xlsx", folder / "plan/plan.ics"])

    report_progress("gap report", 2, steps)
    assessment = example_assessment()
    (folder / "assessment").mkdir(parents=True, exist_ok=True)
    assessment.save(folder / "assessment/assessment.toml")
    written.append(folder / "assessment/assessment.toml")
    text("assessment/scores.md", assessment.score(checklist).to_markdown(lang))
    report = GapReport.from_assessment(assessment, playbook=playbook, stage="materials", plan=plan)
    text("report/gap-report.md", report.to_markdown(lang))
    text("report/gap-report.html", report.to_html(lang))
    text("report/gap-report.json", report.to_json())
    report_progress("done", steps, steps)
    return tuple(sorted(written))

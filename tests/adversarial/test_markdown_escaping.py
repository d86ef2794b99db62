"""Family "markdown escaping": hostile names stay text in every Markdown report, both languages.

Each report is rendered to Markdown, then to HTML by markdown-it (the library's own
dependency) with raw HTML *allowed*, as a portal that trusts the library would do. The
HTML may hold only the tags the library's own Markdown makes, and no ``javascript:`` link.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pytest
from markdown_it import MarkdownIt

import backoffice_marketing as bm
from backoffice_marketing import materials, voice
from backoffice_marketing.app.samples import sample_file
from backoffice_marketing.core.report import Report, report_kinds
from backoffice_marketing.render.markdown import escape_markdown
from backoffice_marketing.workspace.load import change_load
from backoffice_marketing.workspace.run import Action, ActionKind, WeekStatus

#: The hostile names of the HTML tests (tests/test_render.py), and more of their kind.
HOSTILE = (
    "<script>alert(1)</script>",
    "[x](javascript:alert(1)) a|b",
    "<img src=x onerror=alert(1)>",
    "<javascript:alert(1)>",
    "# 見出し | x",
    "![p](javascript:alert(1))",
    "&lt;script&gt;",
)
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "ul", "ol", "li", "strong", "em", "code", "pre", "br", "hr", "blockquote", "a",
}  # fmt: skip
DAY = dt.date(2027, 6, 30)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs.extend(value or "" for name, value in attrs if name in {"href", "src"})


def _assert_inert(markdown: str) -> None:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    parser = _Tags()
    parser.feed(html)
    assert parser.tags <= ALLOWED_TAGS, (parser.tags - ALLOWED_TAGS, markdown)
    assert not any(href.strip().lower().startswith("javascript") for href in parser.hrefs)


def _departments(name: str) -> dict[str, int]:
    return {name: 40, "経理部": 18, "製造部": 300}


def _assessment(name: str) -> bm.Assessment:
    return bm.Assessment(name, DAY, bm.Scope(name, 40)).answer("materials.why", "done", note=name)


def _plan(name: str) -> bm.Plan:
    return bm.Plan.from_playbook(
        bm.load_playbook("chat-migration"),
        start=dt.date(2027, 2, 26),
        departments=_departments(name),
    )


def _advice(name: str) -> Any:
    days = [dt.date(2027, 5, 17) + dt.timedelta(days=7 * week) for week in range(6)]
    return bm.adoption.cutover_advice(
        {
            name: (days, (0.2, 0.5, 0.8, 0.92, 0.95, 0.96)),
            "製造部": (days, (0.05, 0.1, 0.12, 0.13, 0.13, 0.13)),
        },
        weights={name: 120, "製造部": 300},
    )


def _rates(name: str) -> Any:
    roster = pl.DataFrame(
        {
            "user_id": [f"u{i}" for i in range(12)],
            "department": [name] * 6 + ["経理部"] * 6,
        }
    )
    events = pl.DataFrame(
        {"user_id": ["u0", "u6", "u7"], "date": [dt.date(2027, 6, 1)] * 2 + [dt.date(2027, 6, 9)]}
    )
    return bm.adoption.AdoptionRates.from_frame(
        bm.adoption.adoption_rates(events, roster), target=0.9
    )


def _copy_samples(name: str, folder: Path) -> Path:
    """The chat-migration samples with 製造部 renamed to ``name`` (a hostile department)."""
    source = Path(str(sample_file("chat-migration/questions.csv"))).parent
    target = folder / "samples"
    shutil.copytree(source, target)
    for path in target.iterdir():
        if path.suffix in {".csv", ".toml", ".json", ".yaml"}:
            text = path.read_text(encoding="utf-8")
            safe = name.replace('"', "'")
            path.write_text(text.replace("製造部", safe), encoding="utf-8")
    return target


def _voice(name: str, folder: Path) -> voice.VoiceReport:
    samples = _copy_samples(name, folder)
    return voice.VoiceReport.build(
        as_of=DAY,
        departments={"営業部": 120, "経理部": 18, name: 300, "人事部": 12, "東京営業部": 40},
        hearings=voice.HearingLog.from_file(samples / "hearings.csv"),
        decisions=voice.DecisionLog.from_file(samples / "decisions.json"),
        questions=voice.QuestionLog.from_file(samples / "questions.csv"),
        answers=voice.AnswerBook.from_file(samples / "answers.yaml"),
        changes=voice.ChangeLog.from_file(samples / "changes.toml"),
        proposal_on=dt.date(2027, 4, 20),
    )


def _readiness(name: str, folder: Path) -> Report:
    from backoffice_marketing import readiness  # noqa: PLC0415

    samples = _copy_samples(name, folder)
    barriers = readiness.department_barriers(
        [name],
        hearings=voice.HearingLog.from_file(samples / "hearings.csv"),
        questions=voice.QuestionLog.from_file(samples / "questions.csv"),
    )
    return readiness.ReadinessReport.build([], barriers=barriers, as_of=DAY)


def _manager_followup(name: str) -> Report:
    from backoffice_marketing import readiness  # noqa: PLC0415

    records = readiness.records_from_calendar(
        [("m1@example.com", dt.date(2027, 5, 1))], {"m2@example.com": name, name: name}
    )
    return readiness.managers_without_one_on_one(records, audience="hr", as_of=DAY)


def _deck(name: str) -> Report:
    from backoffice_marketing import decks  # noqa: PLC0415

    initiative = bm.Initiative.example()
    initiative = attrs.evolve(initiative, name=bm.LocalizedText(name, name))
    inputs = decks.DeckInputs(
        initiative=initiative,
        plan=_plan(name),
        as_of=DAY,
        cutover=_advice(name).to_dict(),
        barriers={name: bm.LocalizedText(name, name)},
    )
    return decks.cutover_deck(inputs)


def _outcome(name: str) -> Report:
    from backoffice_marketing.adoption.exit_criteria import (  # noqa: PLC0415
        ExitRule,
        evaluate_outcome,
    )
    from backoffice_marketing.adoption.outcome import outcome_metrics  # noqa: PLC0415

    day = dt.date(2027, 5, 17)
    users = [f"u{i}" for i in range(12)]
    roster = pl.DataFrame({"user_id": users, "department": [name] * 6 + ["経理部"] * 6})
    chat = pl.DataFrame({"user_id": users, "date": [day] * 12, "count": [4] * 12})
    mail = pl.DataFrame({"user_id": users, "date": [day] * 12, "sent": [1] * 6 + [9] * 6})
    metrics = outcome_metrics(chat, mail, roster, start=day, end=day + dt.timedelta(days=6))
    return evaluate_outcome(metrics, ExitRule(0.9))


def _part(part: Report | None) -> Report:
    assert part is not None
    return part


Builder = Callable[[str, Path], Report]
BUILDERS: dict[str, Builder] = {
    "assessment": lambda name, _: _assessment(name),
    "assessment_score": lambda name, _: _assessment(name).score(bm.default_checklist()),
    "gap_report": lambda name, _: bm.GapReport.from_assessment(
        [_assessment(name), bm.Assessment(name, DAY, bm.Scope(name + "2", 12, name))],
        playbook=bm.load_playbook("chat-migration"),
    ),
    "plan": lambda name, _: _plan(name),
    "change_load": lambda name, _: change_load(
        [(name, _plan(name)), ("expenses", _plan(name))], departments=[name, "製造部"]
    ),
    "week_status": lambda name, _: WeekStatus(
        initiative="chat-migration",
        name=bm.LocalizedText(name, name),
        as_of=DAY,
        actions=(Action(ActionKind.VISIT, bm.LocalizedText(name, name)),),
        changes=(bm.LocalizedText(name, name),),
    ),
    "cutover_advice": lambda name, _: _advice(name),
    "classification": lambda name, _: _advice(name).classification,
    "adoption_rates": lambda name, _: _rates(name),
    "materials_review": lambda name, _: materials.lint(
        f"# {name}\n\n{name}を使います。{name}\n", lang="ja", name=name
    ),
    "voice_pulse": lambda name, _: voice.pulse_summary(
        voice.PulseLog([voice.PulseResponse("s1", DAY, f"r{i}", name, "i1", 5) for i in range(6)]),
        {name: 20, "plant": 8},
    ),
    "voice_report": _voice,
    "voice_coverage": lambda name, folder: _part(_voice(name, folder).coverage),
    "voice_traceability": lambda name, folder: _part(_voice(name, folder).traceability),
    "voice_response_stats": lambda name, folder: _part(_voice(name, folder).stats),
    "faq": lambda name, folder: voice.FAQ.build(
        voice.QuestionLog.from_file(_copy_samples(name, folder) / "questions.csv"),
        voice.AnswerBook.from_file(folder / "samples" / "answers.yaml"),
    ),
    "announcement_review": lambda name, folder: materials.AnnouncementPlan.from_file(
        _copy_samples(name, folder) / "announcement-plan.toml"
    ).review(),
    "funnel": lambda name, _: bm.adoption.Funnel(
        bm.adoption.funnel(
            pl.DataFrame({"user_id": ["u0"], "date": [dt.date(2027, 6, 1)]}),
            pl.DataFrame({"user_id": [f"u{i}" for i in range(6)], "department": [name] * 6}),
            end=dt.date(2027, 6, 1),
        ),
        (),
    ),
    # No user text in these two: the built-in checklist and playbook (checked all the same).
    "readiness_report": _readiness,
    "manager_followup": lambda name, _: _manager_followup(name),
    "deck": lambda name, _: _deck(name),
    "outcome_evaluation": lambda name, _: _outcome(name),
    "checklist": lambda _name, _: bm.default_checklist(),
    "stage_graph": lambda _name, _: bm.load_playbook("chat-migration").stage_graph,
}


def test_every_report_kind_is_covered() -> None:
    """A new report kind must join this test."""
    assert set(BUILDERS) == set(report_kinds())


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_name_stays_text_in_markdown(kind: str, name: str, tmp_path: Path) -> None:
    """Every Markdown report, in Japanese and English, turns no hostile name into markup."""
    report = BUILDERS[kind](name, tmp_path)
    for lang in ("ja", "en"):
        _assert_inert(report.to_markdown(lang=lang))


@pytest.mark.parametrize("name", HOSTILE)
def test_escape_function_alone_is_inert(name: str) -> None:
    """The one escaping function keeps each hostile name as text in a heading, list and cell."""
    text = escape_markdown(name)
    _assert_inert(f"# {text}\n\n- {text}\n\n| a |\n|---|\n| {text} |\n")

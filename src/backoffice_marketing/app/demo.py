"""The demo: the chat-migration case (Case A) end to end on the bundled sample company.

A synthetic company of 20 departments and 1,400 people (:mod:`backoffice_marketing.app.samples`)
moves its internal communication from email to chat. The demo:

1. writes the inputs it uses into ``inputs/`` (the initiative's settings,
   roster, usage log, hearings, questions, answers, the draft announcement
   and its plan), so every command of the CLI can be tried on them afterwards;
2. renders the checklist and schedules the playbook on the Japanese business
   calendar (``plan/``: Markdown, HTML, JSON, Mermaid, Excel, iCalendar);
3. diagnoses the self-assessment taken just before the briefings
   (``report/gap-report.*``);
4. reviews the draft announcement and the announcement plan (``materials/``);
5. measures adoption seven weeks after the launch: rates per department and
   week, charts, lagging departments and the cut-over forecast (``adoption/``);
6. groups the field's questions into the FAQ and reports the voice of the
   field (``voice/``);
7. diagnoses again with the evidence computed in steps 4 to 6
   (``report/gap-report-after-launch.*``);
8. writes ``README.md``, an index of every file.

Every step reads its settings from one :class:`~backoffice_marketing.Initiative`
(``inputs/initiative.toml``): the target, the majority share, the notice
period, the reply-time promise, the privacy floors, the calendar and the
departments. The same inputs give byte-identical files (the PNG charts included, for one
version of the rendering libraries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from backoffice_marketing.app.samples import (
    AS_OF,
    LAUNCH,
    PLAN_START,
    sample_file,
    write_roster,
    write_usage,
)
from backoffice_marketing.core.assessment import Assessment
from backoffice_marketing.core.checklist import Answer, default_checklist
from backoffice_marketing.decks.build import named_barriers
from backoffice_marketing.diagnosis.gaps import GapReport
from backoffice_marketing.diagnosis.initiative import Initiative
from backoffice_marketing.diagnosis.planning.plan import Plan
from backoffice_marketing.exceptions import UnsafeWriteError
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic, write_text_atomic
from backoffice_marketing.foundation.io.converter import structure_document
from backoffice_marketing.foundation.io.documents import load_package_document
from backoffice_marketing.foundation.text import LANGUAGES, Lang, check_lang
from backoffice_marketing.render.labels import label

if TYPE_CHECKING:
    from backoffice_marketing.adoption import Classification
    from backoffice_marketing.adoption.exit_criteria import OutcomeEvaluation
    from backoffice_marketing.readiness import DepartmentBarrier

__all__ = ["DEMO_START", "example_assessment", "example_company", "write_demo"]

#: The demo plan starts in mid-March 2027, so that chat starts on ``samples.LAUNCH``.
DEMO_START = PLAN_START

Progress = Callable[[str, int, int], None]

#: The bundled files copied into ``inputs/`` (source name, name in the folder).
_INPUTS = (
    ("company.csv", "company.csv"),
    ("chat-migration-assessment.toml", "assessment.toml"),
    ("chat-migration/hearings.csv", "hearings.csv"),
    ("chat-migration/decisions.json", "decisions.json"),
    ("chat-migration/questions.csv", "questions.csv"),
    ("chat-migration/answers.yaml", "answers.yaml"),
    ("chat-migration/changes.toml", "changes.toml"),
    ("chat-migration/announcement-draft.md", "announcement-draft.md"),
    ("chat-migration/announcement-plan.toml", "announcement-plan.toml"),
    ("chat-migration/reach-log.csv", "reach-log.csv"),
    ("chat-migration/costs.toml", "costs.toml"),
)
_STEPS = (
    "inputs", "plan", "gap report", "materials", "adoption", "voice", "follow-up", "decks", "index",
)  # fmt: skip


def example_assessment() -> Assessment:
    """The bundled self-assessment of the chat migration (taken before the briefings)."""
    document = load_package_document("examples/chat-migration-assessment.toml")
    return structure_document(document, Assessment)


def example_company() -> Path:
    """The bundled department table (20 departments, 1,400 people) as a CSV path."""
    return sample_file("company.csv")


class _Folder:
    """The output folder: every write is atomic and recorded."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[Path] = []

    def path(self, name: str) -> Path:
        """``root/name``, its folders made; a folder of the demo that is a symlink is refused."""
        path = self.root / name
        for folder in list(path.relative_to(self.root).parents)[-2::-1]:  # inputs, then inputs/x
            if (self.root / folder).is_symlink():
                raise UnsafeWriteError(str(path), "a folder on its way is a symbolic link")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def text(self, name: str, content: str) -> None:
        self.written.append(write_text_atomic(self.path(name), content))

    def record(self, path: Path) -> None:
        self.written.append(path)


def write_demo(
    folder: Path,
    *,
    lang: Lang | None = None,
    progress: Progress | None = None,
    initiative: Initiative | None = None,
) -> tuple[Path, ...]:
    """Write every demo output into ``folder``; return the files written, sorted.

    Needs the ``[all]`` extra (data, plot, excel, calendar, yaml). Every
    step reads its settings from ``initiative`` (the bundled chat migration,
    :meth:`Initiative.example`, by default); ``lang`` defaults to the
    initiative's language. ``progress`` is called with a step name, the
    steps done and the steps in all.
    """
    initiative = initiative if initiative is not None else Initiative.example()
    lang = check_lang(lang if lang is not None else initiative.lang)
    report_progress = progress or (lambda _label, _done, _total: None)
    out = _Folder(folder)

    def step(number: int) -> None:
        report_progress(_STEPS[number], number, len(_STEPS))

    step(0)
    roster, usage = _inputs(out, initiative)
    step(1)
    plan = _plan(out, lang, initiative)
    step(2)
    assessment = example_assessment()
    _diagnose(out, lang, initiative, assessment, plan, stage="materials", name="gap-report")
    out.text("assessment/scores.md", assessment.score().to_markdown(lang=lang))
    step(3)
    computed = list(_materials(out, lang, [unit.id for unit in initiative.departments]))
    step(4)
    classification, adoption_answers, outcome = _adoption(out, lang, initiative, roster, usage)
    computed += adoption_answers
    step(5)
    computed += _voice(out, lang, initiative, plan, classification)
    step(6)
    barriers = _readiness(out, lang, initiative, classification)
    _diagnose(
        out, lang, initiative, attrs.evolve(assessment, date=AS_OF), plan,
        stage="laggard-follow-up", name="gap-report-after-launch", previous=assessment,
        evidence=tuple(computed), adoption=classification, barriers=barriers, outcome=outcome,
    )  # fmt: skip
    step(7)
    from backoffice_marketing.decks.sample import write_demo_decks  # noqa: PLC0415

    named = named_barriers(barriers)
    for path in write_demo_decks(
        folder, initiative=initiative, plan=plan, as_of=AS_OF, lang=lang, barriers=named
    ):
        out.record(path)
    step(8)
    out.text("README.md", _index(folder, out.written, lang))
    report_progress("done", len(_STEPS), len(_STEPS))
    return tuple(sorted(out.written))


def _inputs(out: _Folder, initiative: Initiative) -> tuple[Path, Path]:
    """Copy the bundled inputs, the initiative's settings and the generated roster and log."""
    settings = out.path("inputs/initiative.toml")
    initiative.save(settings)
    out.record(settings)
    for source, name in _INPUTS:
        target = out.path(f"inputs/{name}")
        write_bytes_atomic(target, sample_file(source).read_bytes())  # never through a symlink
        out.record(target)
    roster = write_roster(out.path("inputs/roster.csv"))
    usage = write_usage(out.path("inputs/usage.csv"))
    out.record(roster)
    out.record(usage)
    return roster, usage


def _plan(out: _Folder, lang: Lang, initiative: Initiative) -> Plan:
    """The checklist in both languages, and the plan in every format."""
    checklist = default_checklist()
    out.text("checklist/checklist.json", checklist.to_json())
    for language in LANGUAGES:
        out.text(f"checklist/checklist.{language}.md", checklist.to_markdown(lang=language))
        out.text(f"checklist/checklist.{language}.html", checklist.to_html(lang=language))
    plan = initiative.plan()
    out.text("plan/plan.md", plan.to_markdown(lang=lang))
    out.text("plan/plan.html", plan.to_html(lang=lang))
    out.text("plan/plan.json", plan.to_json())
    out.text("plan/plan.mmd", plan.to_mermaid(lang=lang))
    plan.write(out.path("plan/plan.xlsx"), lang=lang)
    plan.write(out.path("plan/plan.ics"), lang=lang)
    out.record(out.root / "plan/plan.xlsx")
    out.record(out.root / "plan/plan.ics")
    return plan


def _diagnose(
    out: _Folder,
    lang: Lang,
    initiative: Initiative,
    assessment: Assessment,
    plan: Plan,
    *,
    stage: str,
    name: str,
    previous: Assessment | None = None,
    evidence: tuple[Answer, ...] = (),
    adoption: Classification | None = None,
    barriers: tuple[DepartmentBarrier, ...] = (),
    outcome: OutcomeEvaluation | None = None,
) -> None:
    """Save the assessment (with the evidence folded in) and write its gap report."""
    report = GapReport.from_assessment(
        assessment,
        playbook=plan.playbook,
        stage=stage,
        previous=previous,
        plan=plan,
        evidence=evidence,
        adoption=adoption,
        min_group_size=initiative.privacy.figures,
        barriers=barriers,
        outcome=outcome,
    )
    saved = out.path(f"assessment/{name.replace('gap-report', 'assessment')}.toml")
    assessment.with_answers(evidence).save(saved)
    out.record(saved)
    out.text(f"report/{name}.md", report.to_markdown(lang=lang))
    out.text(f"report/{name}.html", report.to_html(lang=lang))
    out.text(f"report/{name}.json", report.to_json())


def _materials(out: _Folder, lang: Lang, order: Sequence[str] = ()) -> tuple[Answer, ...]:
    """Review the draft announcement and the announcement plan; return their answers."""
    from backoffice_marketing import materials  # noqa: PLC0415  (lazy subpackage)

    # Sources are named relative to the folder, so that no machine's paths end up in the files.
    draft = materials.lint(
        sample_file("chat-migration/announcement-draft.md"),
        lang="ja",
        name="inputs/announcement-draft.md",
    )
    out.text("materials/announcement-review.md", draft.to_markdown(lang=lang))
    out.text("materials/announcement-review.html", draft.to_html(lang=lang))
    out.text("materials/announcement-review.json", draft.to_json())
    announcements = materials.AnnouncementPlan.from_file(
        sample_file("chat-migration/announcement-plan.toml")
    ).review(
        log=materials.ReachLog.from_text(
            sample_file("chat-migration/reach-log.csv").read_text(encoding="utf-8"),
            source="inputs/reach-log.csv",
        ),
        order=order,
    )
    out.text("materials/announcement-plan-review.md", announcements.to_markdown(lang=lang))
    out.text("materials/announcement-plan-review.html", announcements.to_html(lang=lang))
    out.text("materials/announcement-plan-review.json", announcements.to_json())
    return (
        *draft.answers(collected_on=AS_OF, lang=lang),
        *announcements.answers(collected_on=AS_OF, lang=lang),
    )


def _adoption(
    out: _Folder, lang: Lang, initiative: Initiative, roster: Path, usage: Path
) -> tuple[Classification, tuple[Answer, ...], OutcomeEvaluation]:
    """Rates, charts, the one classification, laggards, the cut-over advice, the outcome."""
    from backoffice_marketing import adoption  # noqa: PLC0415  (needs the data extra)

    floor = initiative.privacy.figures
    rates = adoption.adoption_rates(
        usage, roster, period="week", start=LAUNCH, end=AS_OF, min_group_size=floor
    )
    groups = adoption.department_groups(
        roster, period="week", start=LAUNCH, end=AS_OF, min_group_size=floor
    )
    order = [unit.id for unit in initiative.departments]  # the company's order, in every table
    classification = adoption.classify(
        rates, target=initiative.target, merges=groups.suppressed, order=order
    )
    # One report for the tables and charts: the flagged departments in colour, the rest
    # grey, the target labelled, the initiative's order, the merges stated.
    report = adoption.AdoptionRates.from_frame(
        rates,
        target=initiative.target,
        classification=classification,
        order=order,
    )
    out.text("adoption/rates.csv", report.to_csv())
    out.text("adoption/rates.json", report.to_json())
    out.text("adoption/rates.md", report.to_markdown(lang=lang))
    out.record(report.write(out.path("adoption/adoption.png"), lang=lang))
    out.record(report.write(out.path("adoption/adoption.svg"), lang=lang))
    out.text(
        "adoption/adoption-by-department.svg", report.chart_svg(lang=lang, small_multiples=True)
    )
    out.text("adoption/latest.svg", report.latest_svg(lang=lang))
    from backoffice_marketing.render.svg_charts import svg_to_png  # noqa: PLC0415

    out.record(
        write_bytes_atomic(
            out.path("adoption/latest.png"), svg_to_png(report.latest_svg(lang=lang))
        )
    )
    out.text("adoption/laggards.md", classification.to_markdown(lang=lang))
    advice = adoption.cutover_advice(
        adoption.series_from_rates(rates),
        target=initiative.target,
        majority=initiative.majority_share,
        notice_days=initiative.notice_days,
        calendar=initiative.business_calendar,
        weights=initiative.headcounts,
        classification=classification,
        order=order,
    )
    from backoffice_marketing.app.demo_outcome import demo_outcome  # noqa: PLC0415

    exports, outcome = demo_outcome(out.path("inputs"), roster, initiative)
    out.written.extend(exports)
    out.text("adoption/outcome.md", outcome.to_markdown(lang=lang))
    out.text("adoption/outcome.json", outcome.to_json())
    cutover = advice.to_markdown(lang=lang) + "\n" + outcome.to_markdown(lang=lang)
    out.text("adoption/cutover.md", cutover)
    out.text("adoption/cutover.json", advice.to_json())
    answers = (
        adoption.evidence.adoption_measured(
            rates, collected_on=AS_OF, reference="rates.csv", lang=lang
        ),
        adoption.evidence.cutover_readiness(
            advice, collected_on=AS_OF, reference="cutover.md", lang=lang, outcome=outcome
        ),
    )
    return classification, answers, outcome


def _voice(
    out: _Folder,
    lang: Lang,
    initiative: Initiative,
    plan: Plan,
    classification: Classification,
) -> tuple[Answer, ...]:
    """The FAQ and the voice-of-the-field report; return the report's answers."""
    from backoffice_marketing import voice  # noqa: PLC0415  (lazy subpackage)
    from backoffice_marketing.adoption import Standing, members_of  # noqa: PLC0415

    questions = voice.QuestionLog.from_file(sample_file("chat-migration/questions.csv"))
    answers = voice.AnswerBook.from_file(sample_file("chat-migration/answers.yaml"))
    lagging = members_of(classification, (Standing.LAGGING, Standing.NOT_STARTED))
    report = voice.VoiceReport.build(
        as_of=AS_OF,
        departments=initiative.departments,  # in the company's order
        hearings=voice.HearingLog.from_file(sample_file("chat-migration/hearings.csv")),
        decisions=voice.DecisionLog.from_file(sample_file("chat-migration/decisions.json")),
        questions=questions,
        answers=answers,
        changes=voice.ChangeLog.from_file(sample_file("chat-migration/changes.toml")),
        proposal_on=_milestone(plan, "approval"),
        laggards=sorted(lagging),
        revisit_since=LAUNCH,
        promised_days=initiative.reply_days,
        calendar=initiative.business_calendar,
        min_group_size=initiative.privacy.text,
    )
    faq = voice.FAQ.build(
        questions,
        answers,
        departments=initiative.departments,  # in the company's order
        min_group_size=initiative.privacy.text,
        as_of=AS_OF,
        laggards=lagging,
    )
    out.text("voice/faq.md", faq.to_markdown(lang=lang))
    out.text("voice/faq.html", faq.to_html(lang=lang))
    out.text("voice/faq.json", faq.to_json())
    out.text("voice/voice-report.md", report.to_markdown(lang=lang))
    out.text("voice/voice-report.html", report.to_html(lang=lang))
    out.text("voice/voice-report.json", report.to_json())
    report.write(out.path("voice/questions.xlsx"), lang=lang)
    out.record(out.root / "voice/questions.xlsx")
    return report.answers(lang=lang)


def _readiness(
    out: _Folder, lang: Lang, initiative: Initiative, classification: Classification
) -> tuple[DepartmentBarrier, ...]:
    """The survey form, the sample round, the barrier table and the readiness report."""
    from backoffice_marketing.adoption import Standing, members_of  # noqa: PLC0415
    from backoffice_marketing.app.readiness_sample import demo_readiness  # noqa: PLC0415

    barriers, files = demo_readiness(
        out.root, flagged=members_of(classification, (Standing.LAGGING, Standing.NOT_STARTED)),
        as_of=AS_OF, lang=lang, min_group_size=initiative.privacy.figures,
        text_floor=initiative.privacy.text, departments=initiative.departments,
    )  # fmt: skip
    out.record(out.root / "inputs/readiness-survey.csv")
    for name, data in files:
        out.record(write_bytes_atomic(out.path(name), data))
    return barriers


def _milestone(plan: Plan, kind: str) -> dt.date:
    found = plan.milestone(kind)
    if found is None:  # pragma: no cover - the chat-migration playbook has every milestone
        raise ValueError(f"the plan has no {kind} milestone")
    return found.date


def _index(folder: Path, written: list[Path], lang: Lang) -> str:
    """A Markdown list of the files, grouped by folder, with what each folder holds."""
    lines = [f"# {label('demo_title', lang)}", "", label("demo_intro", lang), ""]
    groups: dict[str, list[str]] = {}
    for path in sorted(written):
        relative = path.relative_to(folder).as_posix()
        head = relative.split("/", 1)[0] if "/" in relative else ""
        groups.setdefault(head, []).append(relative)
    for head in sorted(groups):
        if not head:
            continue
        lines += [f"## {head}/", "", label(f"demo_folder_{head}", lang), ""]
        lines += [f"- [{name}]({name})" for name in groups[head]]
        lines.append("")
    return "\n".join(lines)

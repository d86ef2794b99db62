"""The demo's readiness step: the survey form, the sample round, the barriers and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from backoffice_marketing.readiness.barriers import summarise_round
from backoffice_marketing.readiness.departments import DepartmentBarrier, department_barriers
from backoffice_marketing.readiness.instrument import default_instrument
from backoffice_marketing.readiness.report import ReadinessReport
from backoffice_marketing.readiness.responses import read_responses
from backoffice_marketing.readiness.sample_survey import SURVEY_DAY
from backoffice_marketing.text import Lang

__all__ = ["demo_readiness"]


def demo_readiness(
    folder: object,
    *,
    flagged: Iterable[str],
    as_of: dt.date,
    lang: Lang,
    min_group_size: int,
    text_floor: int,
) -> tuple[tuple[DepartmentBarrier, ...], tuple[tuple[str, bytes], ...]]:
    """The flagged departments' barriers and the demo's readiness files ``(name, bytes)``.

    The sample survey round is written first to ``inputs/readiness-survey.csv``
    under ``folder`` and read back like a real Google Forms export.
    """
    from pathlib import Path  # noqa: PLC0415

    from backoffice_marketing import samples, voice  # noqa: PLC0415

    departments = samples.company_departments()
    target = Path(str(folder)) / "inputs" / "readiness-survey.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    responses = samples.write_readiness_survey(target)
    survey = read_responses(responses, round_id="2027-06", held_on=SURVEY_DAY)
    summary = summarise_round(
        survey,
        parents={d.id: d.parent for d in departments},
        min_group_size=min_group_size,
        text_floor=text_floor,
    )
    laggards = frozenset(flagged)
    questions = voice.QuestionLog.from_file(samples.sample_file("chat-migration/questions.csv"))
    faq = voice.FAQ.build(
        questions,
        voice.AnswerBook.from_file(samples.sample_file("chat-migration/answers.yaml")),
        departments={d.id: d.headcount for d in departments},
        min_group_size=text_floor,
        as_of=as_of,
        laggards=laggards,
    )
    barriers = department_barriers(
        laggards,
        survey=summary,
        hearings=voice.HearingLog.from_file(samples.sample_file("chat-migration/hearings.csv")),
        questions=questions,
        faq=faq,
    )
    report = ReadinessReport.build([summary], barriers=barriers, as_of=as_of)
    instrument = default_instrument()
    files = (
        ("readiness/survey-form.xlsx", instrument.form_bytes("xlsx", lang)),
        ("readiness/survey-form.csv", instrument.form_bytes("csv", lang)),
        ("readiness/survey-form.gs", instrument.apps_script(lang).encode("utf-8")),
        ("readiness/barriers.csv", report.to_bytes("csv", lang=lang)),
        ("readiness/readiness-report.md", report.to_bytes("md", lang=lang)),
        ("readiness/readiness-report.html", report.to_bytes("html", lang=lang)),
        ("readiness/readiness-report.json", report.to_bytes("json")),
    )
    return barriers, files

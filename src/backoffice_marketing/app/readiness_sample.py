"""The demo's readiness step: the survey form, the sample round, the barriers and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from backoffice_marketing import samples
from backoffice_marketing.core.departments import DepartmentsInput
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.readiness.departments import DepartmentBarrier
from backoffice_marketing.readiness.inputs import readiness_from_inputs
from backoffice_marketing.readiness.instrument import default_instrument

__all__ = ["demo_readiness"]


def demo_readiness(
    folder: Path,
    *,
    flagged: Iterable[str],
    as_of: dt.date,
    lang: Lang,
    min_group_size: int,
    text_floor: int,
    departments: DepartmentsInput | None = None,
) -> tuple[tuple[DepartmentBarrier, ...], tuple[tuple[str, bytes], ...]]:
    """The flagged departments' barriers and the demo's readiness files ``(name, bytes)``.

    The sample survey round is written to ``inputs/readiness-survey.csv`` under
    ``folder`` and read back, with the inputs beside it (hearings, questions,
    answers), like a real Google Forms export (:func:`readiness_from_inputs`).
    ``departments`` (the sample company by default) gives the company's order.
    """
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for name, target in (
        ("chat-migration/hearings.csv", "hearings.csv"),
        ("chat-migration/questions.csv", "questions.csv"),
        ("chat-migration/answers.yaml", "answers.yaml"),
    ):
        if not (inputs / target).is_file():
            write_bytes_atomic(inputs / target, samples.sample_file(name).read_bytes())
    samples.write_readiness_survey(inputs / "readiness-survey.csv")
    report = readiness_from_inputs(
        inputs,
        flagged=flagged,
        departments=departments if departments is not None else samples.company_departments(),
        as_of=as_of,
        min_group_size=min_group_size,
        text_floor=text_floor,
    )
    instrument = default_instrument()
    files = (
        ("readiness/survey-form.xlsx", instrument.form_bytes("xlsx", lang=lang)),
        ("readiness/survey-form.csv", instrument.form_bytes("csv", lang=lang)),
        ("readiness/survey-form.gs", instrument.apps_script(lang=lang).encode("utf-8")),
        ("readiness/barriers.csv", report.to_bytes("csv", lang=lang)),
        ("readiness/readiness-report.md", report.to_bytes("md", lang=lang)),
        ("readiness/readiness-report.html", report.to_bytes("html", lang=lang)),
        ("readiness/readiness-report.json", report.to_bytes("json")),
    )
    return report.barriers, files

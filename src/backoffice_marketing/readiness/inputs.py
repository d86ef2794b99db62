"""Readiness from an inputs folder: the one call a workspace, ``status`` or a dashboard needs.

The folder holds what the other producers read (``hearings.csv``,
``questions.csv``, ``answers.yaml``) and the readiness survey rounds as
exported by the survey tool, named ``readiness-survey*.csv`` or ``.xlsx``
(one file per round; ``readiness-survey-2027-09.csv`` is round ``2027-09``).
Missing files are simply left out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from backoffice_marketing import voice
from backoffice_marketing.core.departments import DepartmentsInput, coerce_departments
from backoffice_marketing.foundation.defaults import MIN_GROUP_SIZE, MIN_TEXT_GROUP_SIZE
from backoffice_marketing.readiness.barriers import RoundSummary, summarise_round
from backoffice_marketing.readiness.departments import department_barriers
from backoffice_marketing.readiness.report import ReadinessReport
from backoffice_marketing.readiness.responses import read_responses

__all__ = ["SURVEY_PREFIX", "readiness_from_inputs"]

#: Survey rounds in an inputs folder are the files whose name starts with this.
SURVEY_PREFIX = "readiness-survey"
_HEARINGS = ("hearings.csv", "hearings.xlsx", "hearings.yaml", "hearings.json", "hearings.toml")
_QUESTIONS = ("questions.csv", "questions.xlsx", "questions.yaml", "questions.json")
_ANSWERS = ("answers.yaml", "answers.toml", "answers.json", "answers.csv")


def _first(folder: Path, names: Iterable[str]) -> Path | None:
    return next((folder / name for name in names if (folder / name).is_file()), None)


def _rounds(
    folder: Path, parents: dict[str, str | None], min_group_size: int, text_floor: int
) -> tuple[RoundSummary, ...]:
    found = []
    for path in sorted(folder.glob(f"{SURVEY_PREFIX}*")):
        if path.suffix.lower() not in {".csv", ".xlsx"} or not path.is_file():
            continue
        survey = read_responses(path)
        suffix = path.stem[len(SURVEY_PREFIX) :].strip("-_ ")
        survey = attrs.evolve(survey, id=suffix or survey.held_on.strftime("%Y-%m"))
        found.append(
            summarise_round(
                survey, parents=parents, min_group_size=min_group_size, text_floor=text_floor
            )
        )
    return tuple(found)


def readiness_from_inputs(
    folder: str | os.PathLike[str],
    *,
    flagged: Iterable[str],
    departments: DepartmentsInput,
    as_of: dt.date,
    min_group_size: int = MIN_GROUP_SIZE,
    text_floor: int = MIN_TEXT_GROUP_SIZE,
) -> ReadinessReport:
    """The readiness report of the inputs ``folder``: rounds, trend and flagged barriers.

    ``flagged`` is the set of flagged departments (the classification's public
    result). The report's ``barriers`` feed the gap report
    (``GapReport.from_assessment(..., barriers=...)``), the replanned visits
    (``plan.replan(purposes=visit_purposes(report.barriers))``) and each
    department's screen (``barrier.headline(lang=...)``).
    """
    root = Path(folder)
    units = coerce_departments(departments)
    rounds = _rounds(root, {u.id: u.parent for u in units}, min_group_size, text_floor)
    hearings_file = _first(root, _HEARINGS)
    questions_file = _first(root, _QUESTIONS)
    answers_file = _first(root, _ANSWERS)
    hearings = voice.HearingLog.from_file(hearings_file) if hearings_file else None
    questions = voice.QuestionLog.from_file(questions_file) if questions_file else None
    laggards = frozenset(flagged)
    faq = None
    if questions is not None:
        faq = voice.FAQ.build(
            questions,
            voice.AnswerBook.from_file(answers_file) if answers_file else (),
            departments={u.id: u.headcount for u in units},
            min_group_size=text_floor,
            as_of=as_of,
            laggards=laggards,
        )
    barriers = department_barriers(
        laggards,
        survey=rounds[-1] if rounds else None,
        hearings=hearings,
        questions=questions,
        faq=faq,
    )
    return ReadinessReport.build(rounds, barriers=barriers, as_of=as_of)

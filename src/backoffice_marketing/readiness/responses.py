"""Responses to the readiness survey, read from Microsoft Forms and Google Forms exports.

A Microsoft Forms export (xlsx or csv) starts with ``ID``, ``Start time``,
``Completion time``, ``Email`` and ``Name`` (開始時刻, 完了時刻, メール, 名前 in
Japanese), then one column per question. A Google Forms export starts with
``Timestamp`` (タイムスタンプ), optionally ``Email Address`` (メールアドレス),
then one column per question. A question column is matched to a statement by
its text in either language (a grid's ``Title [statement]`` too) or by the
statement's id; ``columns`` maps any other header to a statement id or to
``department``, ``respondent``, ``submitted`` or the free-text question's id,
for other survey tools.

Answers are the agreement labels (とてもそう思う ... まったくそう思わない,
"Strongly agree" ... "Strongly disagree") or the numbers 1-5. Problems name the
file, the line and the column: duplicated or blank (merged) headers,
out-of-range numbers and unknown labels are errors, raised together; blank
answers and a respondent who answered twice (the later answer is kept) are
warnings kept in :attr:`SurveyRound.warnings`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.readiness.instrument import (
    AGREEMENT_LABELS,
    Instrument,
    default_instrument,
)
from backoffice_marketing.voice.storage import table_rows

__all__ = ["DEPARTMENT_HEADERS", "SurveyResponse", "SurveyRound", "read_responses"]

#: Headers read as the respondent's department when no mapping names one.
DEPARTMENT_HEADERS = ("department", "部署", "所属", "所属部署", "部署名", "部門")
_MS_META = {
    "id": "id",
    "start time": "started",
    "開始時刻": "started",
    "completion time": "submitted",
    "完了時刻": "submitted",
    "last modified time": "modified",
    "最終更新時刻": "modified",
    "email": "email",
    "メール": "email",
    "name": "name",
    "名前": "name",
}
_GOOGLE_META = {
    "timestamp": "submitted",
    "タイムスタンプ": "submitted",
    "email address": "email",
    "メールアドレス": "email",
}
_ANONYMOUS = frozenset({"anonymous", "匿名", "anonymous user"})
_ROLES = ("department", "respondent", "submitted")
#: Timestamps as the Forms tools write them (local time; a trailing "GMT+9" is dropped).
_WHEN_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%y %H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%m/%d/%Y %I:%M:%S %p",
)
_ZONE = re.compile(r"\s+(GMT|UTC)[+-]\d{1,2}(:?\d{2})?$")
_GRID = re.compile(r"\[(?P<inner>[^\[\]]+)\]\s*$")


def _key(text: str) -> str:
    """Text compared loosely: NFKC, lower case, single spaces, no trailing full stop."""
    normal = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    return normal.rstrip("。.")


_LABEL_SCORES: dict[str, int] = {
    _key(label): 5 - index
    for labels in AGREEMENT_LABELS.values()
    for index, label in enumerate(labels)
}
_LABEL_SCORES.update({_key("Neutral"): 3, _key("どちらでもない"): 3, _key("ややそう思う"): 4})


@attrs.frozen
class SurveyResponse:
    """One respondent's answers: statement scores, department and free text."""

    line: int
    respondent: str
    department: str | None
    submitted: dt.datetime | None
    scores: tuple[tuple[str, int], ...]
    comment: str | None = None

    def element_means(self, instrument: Instrument) -> dict[Element, float]:
        """The mean score of each element this respondent answered."""
        given = dict(self.scores)
        means: dict[Element, float] = {}
        for element in ELEMENTS:
            values = [given[s.id] for s in instrument.of(element) if s.id in given]
            if values:
                means[element] = sum(values) / len(values)
        return means


@attrs.frozen
class SurveyRound:
    """One round of the readiness survey: its responses and the warnings of reading them."""

    id: str
    held_on: dt.date
    responses: tuple[SurveyResponse, ...]
    instrument: Instrument = attrs.field(factory=default_instrument, eq=False, repr=False)
    warnings: tuple[Problem, ...] = ()
    source: str = ""

    def __repr__(self) -> str:
        return f"<SurveyRound {self.id!r} {self.held_on} responses={len(self.responses)}>"

    @property
    def has_departments(self) -> bool:
        """Whether any response names a department."""
        return any(response.department for response in self.responses)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _score(value: object) -> int | str | None:
    """1-5 for a label or a number; ``None`` for blank; the text itself when unknown."""
    text = _cell_text(value)
    if not text:
        return None
    key = _key(text)
    if key in _LABEL_SCORES:
        return _LABEL_SCORES[key]
    match = re.fullmatch(r"(\d+)(?:\.0+)?(?:\s*[-:：]\s*\D.*|\s+\D.*)?", key)
    if match:
        return int(match.group(1))
    return text


def _when(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    text = _ZONE.sub("", _cell_text(value))
    for pattern in _WHEN_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _role(
    key: str, mapped: Mapping[str, str], meta: Mapping[str, str], by_text: Mapping[str, str]
) -> str | None:
    """The role of the column headed ``key``: mapped, meta, department or a statement."""
    if key in mapped:
        target = mapped[key]
        return by_text.get(_key(target), target if target in _ROLES else None)
    if key in meta:
        return meta[key]
    if key in DEPARTMENT_HEADERS:
        return "department"
    if key in by_text:
        return by_text[key]
    grid = _GRID.search(key)
    if grid and _key(grid.group("inner")) in by_text:
        return by_text[_key(grid.group("inner"))]
    return None


def _column_roles(
    header: list[str],
    instrument: Instrument,
    columns: Mapping[str, str],
    file: str,
) -> tuple[dict[int, str], list[Problem], list[Problem]]:
    """Each column's role (a statement id, a meta field or ``department``); errors, warnings."""
    by_text: dict[str, str] = {}
    for statement in instrument.statements:
        for text in (statement.ja, statement.en, statement.id):
            by_text[_key(text)] = statement.id
    free = instrument.free_text
    if free is not None:
        for text in (free.ja, free.en, free.id):
            by_text[_key(text)] = "comment"
    mapped = {_key(name): target for name, target in columns.items()}
    keys = [_key(name) for name in header]
    microsoft = {"id", "completion time"} <= set(keys) or {"id", "完了時刻"} <= set(keys)
    meta = _MS_META if microsoft else _GOOGLE_META
    roles: dict[int, str] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    seen: dict[str, int] = {}
    for index, (name, key) in enumerate(zip(header, keys, strict=True), start=1):
        if not key:
            errors.append(
                Problem(file, 1, index, "", "blank header: a merged or missing header cell")
            )
            continue
        if key in seen:
            errors.append(
                Problem(
                    file,
                    1,
                    index,
                    name,
                    f"duplicated header {name!r} (first in column {seen[key]})",
                )
            )
            continue
        seen[key] = index
        if key in mapped and _role(key, mapped, meta, by_text) is None:
            target = mapped[key]
            errors.append(
                Problem(file, 1, index, name, f"the mapping names an unknown target {target!r}")
            )
            continue
        role = _role(key, mapped, meta, by_text)
        if role is None:
            warnings.append(Problem(file, 1, index, name, f"column {name!r} is not read"))
            continue
        if role in roles.values() and role not in ("id", "started", "modified"):
            errors.append(Problem(file, 1, index, name, f"a second column for {role!r}"))
            continue
        roles[index] = role
    answered = set(roles.values())
    errors.extend(
        Problem(file, 1, None, "", f"no column holds a statement of {element.value!r}")
        for element in ELEMENTS
        if not any(s.id in answered for s in instrument.of(element))
    )
    return roles, errors, warnings


def read_responses(
    path: str | os.PathLike[str],
    *,
    round_id: str | None = None,
    held_on: dt.date | None = None,
    instrument: Instrument | None = None,
    columns: Mapping[str, str] | None = None,
) -> SurveyRound:
    """Read a Microsoft Forms or Google Forms export (or any table mapped by ``columns``).

    ``round_id`` defaults to the file's stem and ``held_on`` to the day of
    the latest submission. Raises :class:`LoadError` listing every error.
    """
    chosen = instrument if instrument is not None else default_instrument()
    file = os.fspath(path)
    header, rows = table_rows(path)
    roles, errors, warnings = _column_roles(header, chosen, columns or {}, file)
    if errors:
        raise LoadError(errors)
    return _build(
        rows, roles, chosen, file=file, warnings=warnings,
        round_id=round_id or Path(file).stem, held_on=held_on,
    )  # fmt: skip


def _build(
    rows: Iterable[tuple[int, Sequence[object]]],
    roles: Mapping[int, str],
    instrument: Instrument,
    *,
    file: str,
    warnings: list[Problem],
    round_id: str,
    held_on: dt.date | None,
) -> SurveyRound:
    statements = {s.id for s in instrument.statements}
    errors: list[Problem] = []
    kept: dict[str, SurveyResponse] = {}
    order: list[str] = []
    for line, cells in rows:
        values = {role: cells[i - 1] if i - 1 < len(cells) else None for i, role in roles.items()}
        scores: list[tuple[str, int]] = []
        for index, role in sorted(roles.items()):
            if role not in statements:
                continue
            score = _score(values[role])
            if score is None:
                warnings.append(Problem(file, line, index, role, "blank answer; left out"))
            elif isinstance(score, str):
                errors.append(Problem(file, line, index, role, f"unknown answer {score!r}"))
            elif not 1 <= score <= instrument.scale:
                errors.append(
                    Problem(
                        file,
                        line,
                        index,
                        role,
                        f"answer {score} is outside 1-{instrument.scale}",
                    )
                )
            else:
                scores.append((role, score))
        who = _cell_text(values.get("respondent") or values.get("email") or values.get("name"))
        if not who or _key(who) in _ANONYMOUS:
            who = f"row-{line}"
        department = _cell_text(values.get("department")) or None
        comment = _cell_text(values.get("comment")) or None
        response = SurveyResponse(
            line, who, department, _when(values.get("submitted")), tuple(sorted(scores)), comment
        )
        if who in kept:
            first = kept[who]
            warnings.append(
                Problem(
                    file,
                    line,
                    None,
                    "",
                    f"respondent {who!r} answered twice (also line {first.line}); "
                    "the later answer is kept",
                )
            )
            later = (
                first
                if first.submitted is not None
                and response.submitted is not None
                and first.submitted > response.submitted
                else response
            )
            kept[who] = later
            continue
        kept[who] = response
        order.append(who)
    if errors:
        raise LoadError(errors)
    responses = tuple(kept[who] for who in order)
    submitted = [r.submitted.date() for r in responses if r.submitted is not None]
    day = held_on or max(submitted, default=None)
    if day is None:
        raise LoadError([Problem(file, None, None, "", "no submission date: pass held_on")])
    return SurveyRound(round_id, day, responses, instrument, tuple(sorted(warnings)), file)

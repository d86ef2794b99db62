"""Checklist items, the checklist, answers and their evidence."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs

from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import DuplicateItemError, UnknownItemError
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.foundation.validators import (
    FieldCheck,
    FieldValueError,
    matches,
    non_blank,
    non_empty,
    run_field_checks,
    unique_ids,
    unit_interval,
    weight_range,
)

if TYPE_CHECKING:
    from backoffice_marketing.foundation.io.documents import Document

__all__ = [
    "Answer",
    "AnswerLevel",
    "Checklist",
    "ChecklistItem",
    "Evidence",
    "default_checklist",
]

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ITEM_ID_PATTERN = rf"(?:{'|'.join(mode.value for mode in FailureMode)})\.{_SLUG}"
STAGE_ID_PATTERN = _SLUG


def _tuple_of_texts(values: Iterable[LocalizedText]) -> tuple[LocalizedText, ...]:
    return tuple(values)


def _tuple_of_items(values: Iterable[ChecklistItem]) -> tuple[ChecklistItem, ...]:
    return tuple(values)


def _tuple_of_str(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("expected a sequence of strings, not a single string")
    return tuple(values)


def _stage_ids(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    check = matches(STAGE_ID_PATTERN, "a stage id in kebab-case (e.g. 'announcement')")
    for index, stage in enumerate(value):
        try:
            check(instance, attribute, stage)
        except FieldValueError as error:
            raise FieldValueError((attribute.name, index), error.message) from None


def _check_prefix(*, id: str, failure_mode: FailureMode) -> None:  # noqa: A002
    if id.split(".", 1)[0] != failure_mode.value:
        raise FieldValueError(
            ("id",),
            f"the id must start with its failure mode {failure_mode.value!r}; found {id!r}",
        )


@attrs.frozen
class ChecklistItem:
    """One question of the checklist, under one failure mode.

    ``id`` is stable and starts with the failure mode (``research.department-coverage``);
    ``gates`` lists the stage ids that may not start until this item is done.
    """

    id: str = attrs.field(validator=matches(ITEM_ID_PATTERN, "an id '<failure_mode>.<kebab-slug>'"))
    failure_mode: FailureMode = attrs.field(converter=FailureMode)
    question: LocalizedText
    why: LocalizedText
    evidence: LocalizedText
    remedies: tuple[LocalizedText, ...] = attrs.field(
        converter=_tuple_of_texts, validator=non_empty
    )
    weight: float = attrs.field(default=1.0, converter=float, validator=weight_range)
    gates: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str, validator=_stage_ids)

    _field_checks: ClassVar[tuple[FieldCheck, ...]] = ((("id", "failure_mode"), _check_prefix),)

    def __attrs_post_init__(self) -> None:
        run_field_checks(self, self._field_checks)


@attrs.frozen
class Checklist(Report):
    """An ordered, immutable collection of checklist items with unique ids."""

    report_kind: ClassVar[str] = "checklist"

    items: tuple[ChecklistItem, ...] = attrs.field(
        converter=_tuple_of_items, validator=unique_ids("id", "checklist item id")
    )

    @functools.cached_property
    def _by_id(self) -> Mapping[str, ChecklistItem]:
        return {item.id: item for item in self.items}

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Load a checklist from a TOML, JSON or YAML file."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

        return structure_document(read_document(path), cls)

    @classmethod
    def from_document(cls, document: Document) -> Self:
        """Build a checklist from an already parsed document."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415

        return structure_document(document, cls)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as TOML, JSON or YAML (chosen by the suffix of ``path``)."""
        from backoffice_marketing.foundation.io.converter import save_object  # noqa: PLC0415

        save_object(self, path)

    def __iter__(self) -> Iterator[ChecklistItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id

    def __getitem__(self, item_id: str) -> ChecklistItem:
        try:
            return self._by_id[item_id]
        except KeyError:
            raise UnknownItemError(item_id, known=self._by_id) from None

    def __repr__(self) -> str:
        return f"<Checklist items={len(self.items)}>"

    @property
    def ids(self) -> tuple[str, ...]:
        """The item ids, in checklist order."""
        return tuple(self._by_id)

    def get(self, item_id: str) -> ChecklistItem | None:
        """The item with ``item_id``, or ``None``."""
        return self._by_id.get(item_id)

    def for_failure_mode(self, mode: FailureMode | str) -> Checklist:
        """The items of one failure mode."""
        wanted = FailureMode(mode)
        return Checklist(item for item in self.items if item.failure_mode is wanted)

    def for_stage(self, stage_id: str) -> Checklist:
        """The items that gate the stage ``stage_id``."""
        return Checklist(item for item in self.items if stage_id in item.gates)

    def merge(self, other: Checklist | Iterable[ChecklistItem]) -> Checklist:
        """Return this checklist followed by ``other``'s items; a shared id is an error."""
        extra = tuple(other)
        for item in extra:
            if item.id in self._by_id:
                raise DuplicateItemError(item.id)
        return Checklist((*self.items, *extra))

    def _markdown(self, lang: Lang) -> str:
        """The checklist as a Markdown document, grouped by failure mode."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("checklist.md.j2", lang, checklist=self, modes=tuple(FailureMode))

    def _html(self, lang: Lang) -> str:
        """The checklist as a standalone, escaped HTML page."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("checklist.html.j2", lang, checklist=self, modes=tuple(FailureMode))


@functools.cache
def default_checklist() -> Checklist:
    """The built-in catalogue: items for each of the five failure modes, in ja and en."""
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    return Checklist.from_document(load_package_document("checklist.toml"))


class AnswerLevel(enum.StrEnum):
    """How far a checklist item is fulfilled."""

    NOT_DONE = "not_done"
    PARTIAL = "partial"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


#: The value a level contributes to a score when the answer gives no score.
LEVEL_VALUES: Mapping[AnswerLevel, float] = {
    AnswerLevel.NOT_DONE: 0.0,
    AnswerLevel.PARTIAL: 0.5,
    AnswerLevel.DONE: 1.0,
}

MANUAL = "manual"


@attrs.frozen
class Evidence:
    """Where an answer came from.

    ``source`` is ``"manual"`` for a person's judgement, or the name of the
    producer that computed it (for example ``"adoption"``).
    """

    source: str = attrs.field(default=MANUAL, validator=non_blank)
    reference: str | None = None
    collected_on: dt.date | None = None
    note: str | None = None

    @property
    def is_manual(self) -> bool:
        """Whether a person gave this answer."""
        return self.source == MANUAL


def _check_score(*, level: AnswerLevel, score: float | None) -> None:
    if score is None:
        return
    allowed = {
        AnswerLevel.NOT_DONE: score == 0.0,
        AnswerLevel.DONE: score == 1.0,
        AnswerLevel.PARTIAL: 0.0 < score < 1.0,
        AnswerLevel.NOT_APPLICABLE: False,
    }
    if not allowed[level]:
        expected = {
            AnswerLevel.NOT_DONE: "0 or no score",
            AnswerLevel.DONE: "1 or no score",
            AnswerLevel.PARTIAL: "a score strictly between 0 and 1",
            AnswerLevel.NOT_APPLICABLE: "no score",
        }[level]
        raise FieldValueError(
            ("score",), f"a {level.value!r} answer takes {expected}; found {score!r}"
        )


#: Decimals a share keeps when it becomes an answer's score (:meth:`Answer.from_share`).
SHARE_DIGITS = 4


@attrs.frozen
class Answer:
    """The answer to one checklist item.

    ``score`` refines a ``partial`` answer (strictly between 0 and 1); for the
    other levels it may be omitted, and if given must agree with the level.
    """

    item: str = attrs.field(validator=matches(ITEM_ID_PATTERN, "a checklist item id"))
    level: AnswerLevel = attrs.field(converter=AnswerLevel)
    score: float | None = attrs.field(default=None, validator=unit_interval)
    evidence: Evidence = Evidence()

    _field_checks: ClassVar[tuple[FieldCheck, ...]] = ((("level", "score"), _check_score),)

    def __attrs_post_init__(self) -> None:
        run_field_checks(self, self._field_checks)

    @property
    def value(self) -> float | None:
        """The value in [0, 1] this answer contributes; ``None`` when not applicable."""
        if self.level is AnswerLevel.NOT_APPLICABLE:
            return None
        return self.score if self.score is not None else LEVEL_VALUES[self.level]

    @classmethod
    def from_share(cls, item: str, share: float, evidence: Evidence | None = None) -> Self:
        """The answer for a share of something done: the one rule every producer uses.

        The share is rounded once, to :data:`SHARE_DIGITS` decimals; 1 is ``done``, 0 is
        ``not_done``, and anything between is ``partial`` with the rounded share as its
        score (kept strictly between 0 and 1, so 0.99996 is partial at 0.9999, never an
        invalid partial score of 1). A share outside [0, 1] is clamped into it (a count
        over a stale headcount); a share that is not a finite number is an error.
        """
        if not (isinstance(share, int | float) and math.isfinite(share)):
            raise FieldValueError(("score",), f"a share must be a finite number; found {share!r}")
        chosen = evidence if evidence is not None else Evidence()
        if share >= 1.0:
            return cls(item, AnswerLevel.DONE, evidence=chosen)
        if share <= 0.0:
            return cls(item, AnswerLevel.NOT_DONE, evidence=chosen)
        step = 10.0**-SHARE_DIGITS
        score = min(max(round(share, SHARE_DIGITS), step), 1.0 - step)
        return cls(item, AnswerLevel.PARTIAL, score=score, evidence=chosen)

"""``costs.toml``: the stated assumptions of the business case, and what they add up to.

A file names the hourly cost of an hour of work, the licence per person and
month, the training hours per person, the hours saved per person and week,
and optionally a one-off cost, the owner of the proposal, the team, the
baseline assumptions and the exceptions to the cut-over. Missing, negative or
absurd values are a :class:`~backoffice_marketing.exceptions.LoadError` naming
the file, line and field; a business case that never pays back, or pays back
only after :data:`MAX_PAYBACK_MONTHS`, carries a warning shown on its slide.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import Any

import attrs

from backoffice_marketing.exceptions import FieldValueError
from backoffice_marketing.foundation.text import LocalizedText

__all__ = [
    "MAX_PAYBACK_MONTHS",
    "BaselineAssumptions",
    "Benefit",
    "BusinessCase",
    "Costs",
    "Licence",
    "Proposal",
    "Training",
    "business_case",
    "load_costs",
]

#: A payback later than this (ten years) is shown with a warning on the slide.
MAX_PAYBACK_MONTHS = 120
#: Upper bounds beyond which a value is taken for a typing error, not a plan.
_MAX_HOURLY_COST = 100_000.0
_MAX_MONEY = 1e12
_MAX_TRAINING_HOURS = 200.0
_MAX_HOURS_A_WEEK = 40.0
_MAX_HOURS_A_DAY = 24.0


def _bounded(low: float, high: float, *, strict: bool = False) -> Any:
    """A validator: a finite number from ``low`` (exclusive when ``strict``) to ``high``."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldValueError((attribute.name,), f"expected a number; found {value!r}")
        too_low = value <= low if strict else value < low
        if not math.isfinite(value) or too_low or value > high:
            sign = ">" if strict else ">="
            raise FieldValueError(
                (attribute.name,),
                f"expected a number {sign} {low:g} and <= {high:g}; found {value!r}",
            )

    return check


def _texts(values: Iterable[LocalizedText]) -> tuple[LocalizedText, ...]:
    return tuple(values)


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _yen(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """The slides state amounts in yen: another currency would be mislabelled, so refuse it."""
    if value != "JPY":
        raise FieldValueError(
            (attribute.name,), f"expected 'JPY' (the only currency); found {value!r}"
        )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a text; found {value!r}")
    return value


@attrs.frozen
class Licence:
    """What the new tool costs per person and month."""

    per_person_per_month: float = attrs.field(validator=_bounded(0, _MAX_MONEY))


@attrs.frozen
class Training:
    """Hours of training per person (paid at the hourly cost)."""

    hours_per_person: float = attrs.field(validator=_bounded(0, _MAX_TRAINING_HOURS))


@attrs.frozen
class Benefit:
    """Hours saved per person and week, over the working weeks of a year."""

    hours_saved_per_person_per_week: float = attrs.field(
        validator=_bounded(0, _MAX_HOURS_A_WEEK, strict=True)
    )
    weeks_per_year: int = attrs.field(default=46, validator=_bounded(0, 52, strict=True))


@attrs.frozen
class Proposal:
    """Who asks for the decision, and the team behind the initiative."""

    owner: str
    team: tuple[str, ...] = attrs.field(default=(), converter=_names)


_SOURCE = LocalizedText(
    "公開調査の値(メール 1日2.8時間、うち社内 1.8時間: Cross River 調査、ビジネスチャット"
    "の書籍で引用)。costs.toml の [baseline] で変更できます。",
    "Public figures (email 2.8 h a day, 1.8 h of it internal: the Cross River survey as quoted "
    "in a book on business chat). Override them in costs.toml [baseline].",
)


@attrs.frozen
class BaselineAssumptions:
    """The old way's time per person, when no mail logs measure it (overridable)."""

    email_hours_per_day: float = attrs.field(
        default=2.8, validator=_bounded(0, _MAX_HOURS_A_DAY, strict=True)
    )
    internal_hours_per_day: float = attrs.field(
        default=1.8, validator=_bounded(0, _MAX_HOURS_A_DAY, strict=True)
    )
    working_days_per_year: int = attrs.field(default=240, validator=_bounded(0, 366, strict=True))
    source: LocalizedText = _SOURCE

    def __attrs_post_init__(self) -> None:
        if self.internal_hours_per_day > self.email_hours_per_day:
            raise FieldValueError(
                ("internal_hours_per_day",),
                f"expected at most email_hours_per_day ({self.email_hours_per_day:g}); "
                f"found {self.internal_hours_per_day!r}",
            )


@attrs.frozen
class Costs:
    """The business case's stated assumptions, as read from ``costs.toml``."""

    hourly_cost: float = attrs.field(validator=_bounded(0, _MAX_HOURLY_COST, strict=True))
    licence: Licence
    training: Training
    benefit: Benefit
    one_off: float = attrs.field(default=0.0, validator=_bounded(0, _MAX_MONEY))
    currency: str = attrs.field(default="JPY", converter=_text, validator=_yen)
    proposal: Proposal | None = None
    baseline: BaselineAssumptions = BaselineAssumptions()
    exceptions: tuple[LocalizedText, ...] = attrs.field(default=(), converter=_texts)
    file: str = attrs.field(default="costs.toml", eq=False, repr=False)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Costs:
        """Load ``costs.toml`` (or JSON, YAML); every problem is reported with its line."""
        return load_costs(path)


def load_costs(path: str | os.PathLike[str]) -> Costs:
    """Load ``costs.toml``; missing, negative or absurd values raise one ``LoadError``."""
    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

    document = read_document(path)
    costs = structure_document(document, Costs)
    return attrs.evolve(costs, file=os.path.basename(os.fspath(path)))  # noqa: PTH119


@attrs.frozen
class BusinessCase:
    """What the stated assumptions add up to, in whole currency units and months.

    ``payback_months`` is ``None`` when the yearly benefit does not exceed the
    yearly licences (it never pays back); ``payback_months_halved`` is the
    same with the benefit halved (the sensitivity line). ``warnings`` say, in
    both languages, what looks wrong; they are shown on the slide.
    """

    headcount: int
    one_off: int
    training: int
    licences_per_year: int
    benefit_per_year: int
    net_per_year: int
    payback_months: float | None
    payback_months_halved: float | None
    warnings: tuple[LocalizedText, ...] = ()


def _payback(one_off: int, net_per_year: float) -> float | None:
    if net_per_year <= 0:
        return None
    return round(one_off / (net_per_year / 12), 1)


def business_case(costs: Costs, *, headcount: int) -> BusinessCase:
    """The business case of ``costs`` for ``headcount`` people (payback and sensitivity)."""
    if headcount <= 0:
        raise FieldValueError(("headcount",), f"expected a headcount > 0; found {headcount!r}")
    training = round(costs.training.hours_per_person * costs.hourly_cost * headcount)
    one_off = training + round(costs.one_off)
    licences = round(costs.licence.per_person_per_month * 12 * headcount)
    hours = costs.benefit.hours_saved_per_person_per_week * costs.benefit.weeks_per_year
    benefit = round(hours * costs.hourly_cost * headcount)
    payback = _payback(one_off, benefit - licences)
    halved = _payback(one_off, benefit / 2 - licences)
    warnings: list[LocalizedText] = []
    if payback is None:
        warnings.append(
            LocalizedText(
                "注意: 年間の効果がライセンス費用を上回らず、投資は回収できません。",
                "Warning: the yearly benefit does not exceed the licences; it never pays back.",
            )
        )
    elif payback > MAX_PAYBACK_MONTHS:
        warnings.append(
            LocalizedText(
                f"注意: 回収に {payback / 12:.0f} 年かかる計算です。前提を確認してください。",
                f"Warning: payback takes {payback / 12:.0f} years; check the assumptions.",
            )
        )
    if halved is None and payback is not None:
        warnings.append(
            LocalizedText(
                "注意: 効果が半分なら投資は回収できません。",
                "Warning: with half the benefit, it never pays back.",
            )
        )
    return BusinessCase(
        headcount=headcount,
        one_off=one_off,
        training=training,
        licences_per_year=licences,
        benefit_per_year=benefit,
        net_per_year=benefit - licences,
        payback_months=payback,
        payback_months_halved=halved,
        warnings=tuple(warnings),
    )

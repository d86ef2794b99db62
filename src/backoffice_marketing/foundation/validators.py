"""Field validators for the domain objects.

They raise :class:`FieldValueError`, which names the field (and, for
collections, the element) so that a file loader can point at the exact line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from backoffice_marketing.exceptions import FieldValueError
from backoffice_marketing.foundation.messages import message as _message

__all__ = [
    "FieldCheck",
    "FieldValueError",
    "as_written",
    "at_least",
    "between",
    "finite_positive",
    "matches",
    "non_blank",
    "non_empty",
    "run_field_checks",
    "unique_ids",
    "unit_interval",
    "weight_range",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


#: A check across fields: the field names it reads and a function taking them by keyword.
#: Classes list theirs in ``_field_checks``; the file loader runs every check whose
#: fields loaded cleanly, so such problems are reported with all the others.
FieldCheck = tuple[tuple[str, ...], Callable[..., None]]


def run_field_checks(instance: object, checks: tuple[FieldCheck, ...]) -> None:
    """Run the cross-field ``checks`` of a built object (from ``__attrs_post_init__``)."""
    for names, check in checks:
        check(**{name: getattr(instance, name) for name in names})


def as_written(value: object) -> str:
    """A value quoted as a person wrote it: ``85`` (not ``85.0``), ``1.4``, ``'yes'``."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return _short(value)


def unit_interval(_instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """Require a number in [0, 1] (``None`` passes)."""
    if value is not None and not (0.0 <= value <= 1.0):
        raise FieldValueError(
            (attribute.name,), _message("expected.unit_interval", found=as_written(value))
        )


def finite_positive(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """Require a finite number greater than zero."""
    if not (math.isfinite(value) and value > 0):
        raise FieldValueError(
            (attribute.name,), _message("expected.positive_number", found=as_written(value))
        )


def weight_range(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """Require a finite weight in (0, MAX_WEIGHT] (see ``io.limits``)."""
    from backoffice_marketing.foundation.io.limits import MAX_WEIGHT  # noqa: PLC0415

    finite_positive(_instance, attribute, value)
    if value > MAX_WEIGHT:
        raise FieldValueError(
            (attribute.name,),
            _message("expected.at_most", limit=as_written(MAX_WEIGHT), found=as_written(value)),
        )


def between(minimum: int, maximum: int) -> Validator:
    """Require a plain integer from ``minimum`` to ``maximum`` (``None`` passes)."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is None:
            return
        if type(value) is not int or value < minimum:
            raise FieldValueError(
                (attribute.name,),
                _message("expected.integer_at_least", limit=minimum, found=as_written(value)),
            )
        if value > maximum:
            raise FieldValueError(
                (attribute.name,),
                _message("expected.integer_at_most", limit=maximum, found=as_written(value)),
            )

    return check


def _short(value: object) -> str:
    """``repr(value)``, cut short for numbers of thousands of digits."""
    if type(value) is int and not -(10**18) < value < 10**18:
        return "an integer of more than 18 digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def at_least(minimum: int) -> Validator:
    """Require an integer of at least ``minimum`` (``None`` passes)."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and value < minimum:
            raise FieldValueError(
                (attribute.name,),
                _message("expected.integer_at_least", limit=minimum, found=as_written(value)),
            )

    return check


def matches(pattern: str, description: str) -> Validator:
    """Require a string that matches ``pattern`` in full."""
    compiled = re.compile(pattern)

    def check(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if not compiled.fullmatch(value):
            raise FieldValueError((attribute.name,), f"expected {description}; found {value!r}")

    return check


def non_blank(_instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Require a string with at least one non-space character (``None`` passes)."""
    if value is not None and not value.strip():
        raise FieldValueError(
            (attribute.name,), _message("expected.non_blank", found=as_written(value))
        )


def non_empty(_instance: object, attribute: attrs.Attribute[Any], value: Iterable[Any]) -> None:
    """Require at least one element."""
    if not tuple(value):
        raise FieldValueError((attribute.name,), _message("expected.at_least_one"))


def unique_ids(key: str, what: str) -> Validator:
    """Require the elements' ``key`` attribute to be unique; name the second occurrence."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Iterable[Any]) -> None:
        seen: dict[object, int] = {}
        for index, element in enumerate(value):
            ident = getattr(element, key)
            if ident in seen:
                raise FieldValueError(
                    (attribute.name, index, key),
                    f"duplicate {what} {ident!r} (first at {attribute.name}[{seen[ident]}])",
                )
            seen[ident] = index

    return check

"""Field converters and validators shared by the voice records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from backoffice_marketing.foundation.validators import FieldValueError

__all__ = ["id_list", "no_separator", "one_id", "optional_text", "tuple_of_str"]


def tuple_of_str(values: Iterable[str]) -> tuple[str, ...]:
    """A tuple of strings; a single string is refused (it is not a list)."""
    if isinstance(values, str):
        raise TypeError("expected a list of strings, not a single string")
    return tuple(values)


def id_list(values: Iterable[str]) -> tuple[str, ...]:
    """A sorted tuple of distinct identifiers (order of input does not matter)."""
    return tuple(sorted(set(tuple_of_str(values))))


def no_separator(_instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Require identifiers that are non-blank, trimmed and free of ``;`` (the list separator)."""
    for index, item in enumerate(value):
        if not item.strip() or item != item.strip() or ";" in item or "\n" in item:
            raise FieldValueError(
                (attribute.name, index),
                f"expected a non-blank name without ';', line breaks or outer spaces; "
                f"found {item!r}",
            )


def optional_text(value: str | None) -> str | None:
    """``None`` for an empty text, else the text as given."""
    return value if value else None


def one_id(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Require one identifier that a ``;``-separated list cell can hold."""
    if not value.strip() or value != value.strip() or ";" in value or "\n" in value:
        raise FieldValueError(
            (attribute.name,),
            f"expected a non-blank name without ';', line breaks or outer spaces; found {value!r}",
        )

"""Small record classes for the tests of JSON shapes and their generated schemas."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import attrs

from backoffice_marketing.foundation.io.shapes import shape_field, shape_record

if TYPE_CHECKING:
    from backoffice_marketing.foundation.text import LocalizedText as Text
    from backoffice_marketing.readiness.elements import Element

__all__ = ["Memo", "Note", "Outer", "Owner", "Scored", "Twice"]


@attrs.frozen
class Note:
    """A nested record with an optional field."""

    text: str
    when: dt.date | None = None


@attrs.frozen
class Memo:
    """Another nested record with an optional field."""

    text: str
    when: dt.date | None = None


@shape_record
@attrs.frozen(kw_only=True)
class Outer:
    """A record whose fields name classes imported only for type checking."""

    title: Text
    element: Element | None
    kept: Note
    dropped: Memo | None = shape_field(default=None, omit_none=True)
    later: int = shape_field(default=0, added_later=True, schema={"minimum": 0})

    @classmethod
    def of(cls, owner: Owner) -> Outer:
        """The record of ``owner``: its name as the title, a kept and a dropped note."""
        from backoffice_marketing.foundation.text import LocalizedText  # noqa: PLC0415  (as a user would)

        return cls(
            title=LocalizedText(ja=owner.name, en=owner.name),
            element=None,
            kept=Note(owner.name),
            dropped=Memo(owner.name),
        )


@attrs.frozen
class Owner:
    """Something whose JSON is the record ``Outer``."""

    report_kind: ClassVar[str] = "owner"
    json_shape: ClassVar[type[Outer]] = Outer
    keeps_none: ClassVar[bool] = True

    name: str


@shape_record
@attrs.frozen
class Twice:
    """A record that holds ``Note`` once keeping its nulls and once without."""

    kept: Note
    dropped: Note = shape_field(omit_none=True)

    report_kind: ClassVar[str] = "twice"


@shape_record
@attrs.frozen
class Scored:
    """A record with a computed value listed in ``schema_extras``."""

    report_kind: ClassVar[str] = "scored"
    schema_extras: ClassVar[dict[str, object]] = {"double": {"type": "integer"}}

    value: int
    note: str | None = None

    @property
    def double(self) -> int:
        """Twice the value."""
        return 2 * self.value

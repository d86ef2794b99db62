"""How a record describes a JSON shape: a class mark and field metadata (light to import).

A *record* is an attrs class whose fields are, in order, the keys of a JSON
object. The one converter (:mod:`backoffice_marketing.foundation.io.converter`) writes a
record field by field, and the schema generator
(:mod:`backoffice_marketing.schemas.generate`) makes its JSON Schema from the
field types and the metadata below. A record also writes the computed values
its class lists in ``schema_extras``, after its fields.

This module imports only attrs, so that modules loaded with the package can
mark their records without loading cattrs.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

__all__ = [
    "ADDED_LATER",
    "JSON_SCHEMA",
    "OMIT_NONE",
    "RECORD_MARK",
    "record_of",
    "shape_field",
    "shape_record",
]

T = TypeVar("T")

#: Field metadata: ``None`` fields are left out of this field's value (a nested shape that
#: omits them, inside a shape that keeps every key).
OMIT_NONE = "backoffice_marketing.omit_none"
#: Field metadata: files written before the field existed lack its key (not required).
ADDED_LATER = "backoffice_marketing.added_later"
#: Field metadata: JSON Schema keywords for the field, beside those its type gives.
JSON_SCHEMA = "backoffice_marketing.json_schema"
#: The class attribute that marks a record (set by :func:`shape_record`).
RECORD_MARK = "__shape_record__"


def shape_record(cls: type[T]) -> type[T]:
    """Mark an attrs class as a record of a JSON shape (decorate above ``@attrs.frozen``).

    The converter unstructures a record field by field in the order of its
    fields, each value by its own type (so field types may name classes that
    are imported only for type checking); a field marked :data:`OMIT_NONE`
    leaves the ``None`` fields of its value out. The computed values named in
    the class's ``schema_extras`` follow the fields.
    """
    setattr(cls, RECORD_MARK, True)
    return cls


def shape_field(
    *,
    default: Any = attrs.NOTHING,
    omit_none: bool = False,
    added_later: bool = False,
    schema: dict[str, Any] | None = None,
) -> Any:
    """An attrs field of a JSON shape, with its serialisation and schema notes as metadata.

    ``omit_none`` leaves ``None`` fields out of the value (see :data:`OMIT_NONE`),
    ``added_later`` marks a key older files lack (:data:`ADDED_LATER`), and
    ``schema`` adds JSON Schema keywords (:data:`JSON_SCHEMA`).
    """
    metadata: dict[str, Any] = {}
    if omit_none:
        metadata[OMIT_NONE] = True
    if added_later:
        metadata[ADDED_LATER] = True
    if schema:
        metadata[JSON_SCHEMA] = schema
    return attrs.field(default=default, metadata=metadata)


def record_of(cls: type[T], obj: object, **values: Any) -> T:
    """The record ``cls`` of ``obj``: each field from ``obj``'s attribute of that name.

    ``values`` gives the fields that are not simply an attribute of ``obj``
    (a nested record, a value computed for the shape).
    """
    taken = {
        field.name: getattr(obj, field.name)
        for field in attrs.fields(cls)  # type: ignore[arg-type]  # cls is an attrs class
        if field.name not in values
    }
    return cls(**taken, **values)

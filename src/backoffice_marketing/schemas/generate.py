"""JSON Schemas of the reports, generated from their attrs classes.

The schema of a report kind describes exactly what ``to_dict()`` gives: every
field through the one converter (dates as ISO strings, enumerations as their
values, ``None`` fields left out), plus the computed values the class lists in
``schema_extras``. A report that wraps something else (adoption rates wrap a
dataframe) names the attrs record its ``to_dict()`` is made of in
``schema_model``, and the schema is that record's. The shipped files in this
folder are this module's output; ``python -m backoffice_marketing.schemas.generate``
rewrites them and a test fails when a class and its shipped schema drift apart.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import types
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

__all__ = ["generated_kinds", "main", "render_schema", "schema_for"]

#: Report kinds whose schema files are written by hand (the saved-file formats).
_HANDWRITTEN = frozenset({"assessment", "checklist", "gap_report", "plan"})


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0911, PLR0912
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        return {}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        schemas = [_type_schema(arg, defs) for arg in options]
        if type(None) in args:
            schemas.append({"type": "null"})
        return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    if origin in (tuple, frozenset, set, list) or tp in (tuple, frozenset, list):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {
                "type": "array",
                "prefixItems": [_type_schema(arg, defs) for arg in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        return {"type": "array", "items": _type_schema(args[0], defs) if args else {}}
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        value = args[1] if len(args) == 2 else Any
        return {"type": "object", "additionalProperties": _type_schema(value, defs)}
    if isinstance(tp, type):
        if issubclass(tp, bool):
            return {"type": "boolean"}
        if issubclass(tp, enum.Enum):
            return {"enum": [member.value for member in tp]}
        if issubclass(tp, str):
            return {"type": "string"}
        if issubclass(tp, int):
            return {"type": "integer"}
        if issubclass(tp, float):
            return {"type": "number"}
        if issubclass(tp, dt.datetime):
            return {"type": "string", "format": "date-time"}
        if issubclass(tp, dt.date):
            return {"type": "string", "format": "date"}
        if attrs.has(tp):
            name = tp.__name__
            if name not in defs:
                defs[name] = {}  # placeholder against recursion
                defs[name] = _object_schema(tp, defs)
            return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new field type


def _object_schema(
    cls: type, defs: dict[str, Any], extras: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    namespace = {**vars(typing), **vars(sys.modules[cls.__module__])}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        # Each field's own annotation, evaluated in its module (the library's own code):
        # typing.get_type_hints would also evaluate names imported only for type checking.
        tp = eval(field.type, namespace) if isinstance(field.type, str) else field.type  # noqa: S307
        properties[field.name] = _type_schema(tp, defs)
        if type(None) not in typing.get_args(tp):
            required.append(field.name)
    for name, schema in (extras or {}).items():
        properties[name] = schema
        required.append(name)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(required),
        "properties": properties,
    }


def schema_for(cls: type) -> dict[str, Any]:
    """The JSON Schema of ``cls().to_dict()`` for a report class ``cls``."""
    defs: dict[str, Any] = {}
    kind: str = getattr(cls, "report_kind")  # noqa: B009
    model = getattr(cls, "schema_model", cls)  # a report whose data is another record's fields
    body = _object_schema(model, defs, getattr(cls, "schema_extras", {}))
    body["properties"] = {"schema_version": {"const": 1}, **body["properties"]}
    body["required"] = sorted({"schema_version", *body["required"]})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://backoffice-marketing.invalid/schemas/{kind}.schema.json",
        "title": f"backoffice_marketing {kind}",
        **body,
        "$defs": dict(sorted(defs.items())),
    }


def render_schema(cls: type) -> str:
    """:func:`schema_for` as the text of its shipped file."""
    return json.dumps(schema_for(cls), ensure_ascii=False, indent=2) + "\n"


def generated_kinds() -> dict[str, type]:
    """The report kinds whose schema files this module writes, with their classes."""
    from backoffice_marketing.report import report_kinds  # noqa: PLC0415

    return {kind: cls for kind, cls in report_kinds().items() if kind not in _HANDWRITTEN}


def main() -> None:
    """Rewrite the generated schema files in the package folder."""
    from backoffice_marketing.io.atomic import write_text_atomic  # noqa: PLC0415

    folder = Path(str(resources.files("backoffice_marketing.schemas")))
    for kind, cls in generated_kinds().items():
        write_text_atomic(folder / f"{kind}.schema.json", render_schema(cls))


if __name__ == "__main__":  # pragma: no cover - the command-line entry
    main()

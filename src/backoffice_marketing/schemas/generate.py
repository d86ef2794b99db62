"""JSON Schemas of the reports, generated from their attrs classes.

The schema of a report kind describes exactly what ``to_dict()`` gives: every
field through the one converter (dates as ISO strings, enumerations as their
values, ``None`` fields left out), plus the computed values the class lists in
``schema_extras``. A report whose JSON is not simply its fields (a plan, a gap
report, a stage graph, adoption rates that wrap a dataframe) names the record of its
shape in ``json_shape``. A
report with ``keeps_none`` (a plan, a gap report) keeps every key (``null``
for no value), except under a field marked
:data:`~backoffice_marketing.foundation.io.shapes.OMIT_NONE`. A field marked
:data:`~backoffice_marketing.foundation.io.shapes.ADDED_LATER` is not required (older
files lack it), and :data:`~backoffice_marketing.foundation.io.shapes.JSON_SCHEMA`
adds keywords (ranges, lengths) to a field's schema.

The shipped files in this folder are this module's output;
``python -m backoffice_marketing.schemas.generate`` rewrites them and a test
fails when a class and its shipped schema drift apart.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import functools
import importlib
import inspect
import json
import sys
import types
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from backoffice_marketing.foundation.io.shapes import ADDED_LATER, JSON_SCHEMA, OMIT_NONE
from backoffice_marketing.foundation.public_names import defining_module

__all__ = ["field_type", "generated_kinds", "main", "render_schema", "resolve_shape", "schema_for"]

#: Report kinds whose schema files are written by hand (the saved-file formats).
_HANDWRITTEN = frozenset({"assessment", "checklist"})


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@functools.cache
def _checking_imports(module_name: str) -> dict[str, tuple[str, str]]:
    """The names a module imports only for type checking: name -> (module, attribute)."""
    tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    found: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        found[alias.asname or alias.name] = (statement.module, alias.name)
    return found


class _CheckingNames(dict[str, Any]):
    """Names for evaluating a module's annotations: imported for type checking, on demand.

    This module sits above every layer, so it may import what a record names
    only for type checking (a gap report's barriers, from the readiness package).
    """

    def __init__(self, module_name: str) -> None:
        super().__init__()
        self.module_name = module_name

    def __missing__(self, name: str) -> Any:
        target = _checking_imports(self.module_name).get(name)
        if target is None:
            raise KeyError(name)
        value = getattr(importlib.import_module(target[0]), target[1])
        self[name] = value
        return value


def field_type(cls: type, field: attrs.Attribute[Any]) -> Any:
    """The type of ``field`` of ``cls``, its annotation evaluated in the class's module.

    Names imported only for type checking are imported here, on demand;
    typing.get_type_hints would evaluate every annotation of the class.
    """
    annotation: object = field.type
    if not isinstance(annotation, str):
        return annotation
    globalns, localns = _namespaces(cls)
    return eval(annotation, globalns, localns)  # noqa: S307  (the library's own annotations)


def _namespaces(cls: type) -> tuple[dict[str, Any], _CheckingNames]:
    module = sys.modules[defining_module(cls)]
    return {**vars(typing), **vars(module)}, _CheckingNames(module.__name__)


def resolve_shape(cls: type) -> None:
    """Resolve the field types of ``cls`` and every attrs class it holds, in place.

    After this the one converter can structure ``cls`` (read a saved file back
    into its record), even where a field names a class imported only for type
    checking.
    """
    seen: set[type] = set()
    pending = [cls]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        globalns, localns = _namespaces(current)
        attrs.resolve_types(current, globalns=globalns, localns=localns)
        for field in attrs.fields(current):
            pending.extend(_attrs_classes(field.type))


def _attrs_classes(tp: Any) -> list[type]:
    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return [found for arg in typing.get_args(tp) for found in _attrs_classes(arg)]


@attrs.define
class _Defs:
    """The ``$defs`` of one schema, with the class and None-policy each was made for."""

    schemas: dict[str, Any] = attrs.field(factory=dict)
    owners: dict[str, tuple[type, bool]] = attrs.field(factory=dict)

    def ref(self, tp: type, *, keep_none: bool) -> dict[str, Any]:
        name = tp.__name__
        owner = self.owners.get(name)
        if owner is None:
            self.owners[name] = (tp, keep_none)
            self.schemas[name] = {}  # placeholder against recursion
            self.schemas[name] = _object_schema(tp, self, keep_none=keep_none)
        elif owner[0] is not tp:
            raise TypeError(f"two classes named {name} in one schema: {owner[0]!r} and {tp!r}")
        elif owner[1] != keep_none and _has_optional(tp):
            raise TypeError(f"{name} is reached both with and without its null fields")
        return {"$ref": f"#/$defs/{name}"}


def _has_optional(cls: type) -> bool:
    return any(type(None) in typing.get_args(field_type(cls, f)) for f in attrs.fields(cls))


def _type_schema(tp: Any, defs: _Defs, *, keep_none: bool = False) -> dict[str, Any]:  # noqa: PLR0911, PLR0912
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        return {}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        schemas = [_type_schema(arg, defs, keep_none=keep_none) for arg in options]
        if type(None) in args:
            schemas.append({"type": "null"})
        return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    if origin in (tuple, frozenset, set, list) or tp in (tuple, frozenset, list):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {
                "type": "array",
                "prefixItems": [_type_schema(arg, defs, keep_none=keep_none) for arg in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        items = _type_schema(args[0], defs, keep_none=keep_none) if args else {}
        return {"type": "array", "items": items}
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        value = args[1] if len(args) == 2 else Any
        return {
            "type": "object",
            "additionalProperties": _type_schema(value, defs, keep_none=keep_none),
        }
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
            return defs.ref(tp, keep_none=keep_none)
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new field type


def _object_schema(
    cls: type, defs: _Defs, extras: Mapping[str, Any] | None = None, *, keep_none: bool = False
) -> dict[str, Any]:
    """The schema of an attrs class; ``keep_none``: its ``None`` fields are written as null."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        tp = field_type(cls, field)
        keep = keep_none and OMIT_NONE not in field.metadata
        properties[field.name] = {
            **_type_schema(tp, defs, keep_none=keep),
            **field.metadata.get(JSON_SCHEMA, {}),
        }
        if ADDED_LATER not in field.metadata and (
            keep_none or type(None) not in typing.get_args(tp)
        ):
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
    defs = _Defs()
    kind: str = getattr(cls, "report_kind")  # noqa: B009
    shape = getattr(cls, "json_shape", None)
    keep = bool(getattr(cls, "keeps_none", False))
    extras = getattr(shape or cls, "schema_extras", {})
    body = _object_schema(shape or cls, defs, extras, keep_none=keep)
    body["properties"] = {"schema_version": {"const": 1}, **body["properties"]}
    body["required"] = sorted({"schema_version", *body["required"]})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://backoffice-marketing.invalid/schemas/{kind}.schema.json",
        "title": f"backoffice_marketing {kind}",
        **body,
        "$defs": dict(sorted(defs.schemas.items())),
    }


def render_schema(cls: type) -> str:
    """:func:`schema_for` as the text of its shipped file."""
    return json.dumps(schema_for(cls), ensure_ascii=False, indent=2) + "\n"


def generated_kinds() -> dict[str, type]:
    """The report kinds whose schema files this module writes, with their classes."""
    from backoffice_marketing.core.report import report_kinds  # noqa: PLC0415

    return {kind: cls for kind, cls in report_kinds().items() if kind not in _HANDWRITTEN}


def main() -> None:
    """Rewrite the generated schema files in the package folder."""
    from backoffice_marketing.foundation.io.atomic import write_text_atomic  # noqa: PLC0415

    folder = Path(str(resources.files("backoffice_marketing.schemas")))
    for kind, cls in generated_kinds().items():
        write_text_atomic(folder / f"{kind}.schema.json", render_schema(cls))


if __name__ == "__main__":  # pragma: no cover - the command-line entry
    main()

"""The one strict converter between files and domain objects.

cattrs out of the box accepts ``"abc"`` for a tuple of strings and ``5`` for a
string; here every primitive has a strict hook, unknown keys are errors with a
"did you mean" hint, and every problem of a document is collected into one
:class:`~backoffice_marketing.exceptions.LoadError` that names file, line,
column and field path.

Writing goes the other way through the same converter: a class whose JSON is not
simply its fields names the record of its shape in ``json_shape`` (a plan, a gap
report), and records (:mod:`backoffice_marketing.foundation.io.shapes`) are written field by
field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import json
import math
import os
import sys
import typing
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.foundation.io.documents import Document, Format, format_of
from backoffice_marketing.foundation.io.paths import FieldPath
from backoffice_marketing.foundation.io.shapes import OMIT_NONE, RECORD_MARK
from backoffice_marketing.foundation.io.yaml_source import import_yaml
from backoffice_marketing.foundation.messages import message
from backoffice_marketing.foundation.public_names import defining_module
from backoffice_marketing.foundation.validators import FieldValueError

__all__ = [
    "SCHEMA_VERSION",
    "converter",
    "dump_text",
    "plain_data",
    "save_object",
    "structure_document",
    "unstructure",
]

T = TypeVar("T")

#: The version of the file formats this library writes and the newest it reads.
SCHEMA_VERSION = 1


class _MismatchError(ValueError):
    """A value of the wrong type or shape: a message code, the value found and other arguments.

    Without a code, ``value`` is the (English) text of the message itself.
    """

    def __init__(self, code: str | None, value: object, **arguments: object) -> None:
        self.code = code
        self.value = value
        self.arguments = arguments
        text = str(value) if code is None else message(code, found=_describe(value), **arguments)
        super().__init__(text)

    def message_at(self, document: Document, path: FieldPath) -> str:
        """The message, quoting the value as written at ``path`` of ``document`` when known."""
        if self.code is None:
            return str(self.value)
        return message(self.code, found=_found(document, path, self.value), **self.arguments)


def _found(document: Document, path: FieldPath, value: object) -> str:
    """``value`` as the user wrote it (``'yes'``, ``1.0``, ``0x1F``, ``'2027-05-10T09:00'``).

    Texts are shown quoted as they read (``'abc'``); other scalars by their
    source text when it can be found (numbers bare, words quoted), else as
    Python shows them.
    """
    if isinstance(value, dict | list | str) or value is None:
        return _describe(value)
    raw = document.source_text(path)
    if raw is None:
        return _describe(value)
    shown = raw if isinstance(value, int | float) and not isinstance(value, bool) else repr(raw)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _MismatchError("expected.string", value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _MismatchError("expected.integer", value)
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _MismatchError("expected.number", value)
    if not math.isfinite(value):
        raise _MismatchError("expected.finite_number", value)
    return float(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _MismatchError("expected.boolean", value)
    return value


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    # Strictly YYYY-MM-DD: fromisoformat alone also takes 20270420 and 2027-W16-1.
    if (
        isinstance(value, str)
        and value.isascii()
        and len(value) == 10
        and value[4] == value[7] == "-"
    ):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _MismatchError("expected.date", value)


@functools.cache
def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    choices = [member.value for member in cls]

    def structure(value: object, _: type) -> enum.Enum:
        if isinstance(value, str) and value in choices:
            return cls(value)
        raise _MismatchError("expected.one_of", value, choices=", ".join(choices))

    return structure


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = typing.get_args(cls)
    return typing.get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_dict(cls: Any) -> bool:
    return typing.get_origin(cls) is dict


def _collect(
    pairs: Iterator[tuple[int | str, Callable[[], Any]]], cls: Any
) -> list[tuple[int | str, Any]]:
    results: list[tuple[int | str, Any]] = []
    errors: list[Exception] = []
    for index, make in pairs:
        try:
            results.append((index, make()))
        except Exception as error:  # noqa: BLE001  (collected and re-raised as a group below)
            error.__notes__ = [
                *getattr(error, "__notes__", []),
                IterableValidationNote(f"index {index!r}", index, cls),
            ]
            errors.append(error)
    if errors:
        raise IterableValidationError("invalid entries", errors, cls)
    return results


def _tuple_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], tuple[Any, ...]]:
    element = typing.get_args(cls)[0]
    hook = conv.get_structure_hook(element)

    def structure(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _MismatchError("expected.list", value)
        pairs = ((i, functools.partial(hook, item, element)) for i, item in enumerate(value))
        return tuple(result for _, result in _collect(pairs, cls))

    return structure


def _dict_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], dict[Any, Any]]:
    key_type, value_type = typing.get_args(cls)
    key_hook = conv.get_structure_hook(key_type)
    value_hook = conv.get_structure_hook(value_type)

    def structure(value: object, _: type) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise _MismatchError("expected.table", value)
        pairs = (
            (
                key,
                lambda key=key, item=item: (key_hook(key, key_type), value_hook(item, value_type)),
            )
            for key, item in value.items()
        )
        return dict(result for _, result in _collect(pairs, cls))

    return structure


def _noted(error: Exception, name: str, cls: Any) -> Exception:
    error.__notes__ = [
        *getattr(error, "__notes__", []),
        AttributeValidationNote(f"field {name}", name, cls),
    ]
    return error


def _attrs_hook(conv: cattrs.Converter, cls: Any) -> Callable[[object, type], Any]:
    """Structure an attrs class field by field, collecting every problem.

    Unlike cattrs' generated hooks, each field's converter and validator run as
    soon as that field is structured, so a value problem (a blank name, a
    negative duration) is reported together with the type problems of the
    other fields; cross-field checks run when the object is finally built.
    """
    attrs.resolve_types(cls, globalns=vars(sys.modules[defining_module(cls)]))
    fields = [field for field in attrs.fields(cls) if field.init]
    known = {field.name for field in fields}
    hooks = [(field, conv.get_structure_hook(field.type)) for field in fields]

    def structure(value: object, _: type) -> Any:  # noqa: PLR0912  (one pass, every problem)
        if not isinstance(value, dict):
            raise _MismatchError("expected.table", value)
        errors: list[Exception] = []
        kwargs: dict[str, Any] = {}
        for field, hook in hooks:
            if field.name not in value:
                if field.default is attrs.NOTHING:
                    errors.append(_noted(KeyError(field.name), field.name, cls))
                continue
            try:
                result = hook(value[field.name], field.type)
                if field.converter is not None:
                    result = field.converter(result)
                if field.validator is not None:
                    field.validator(None, field, result)
            except FieldValueError as error:
                errors.append(_noted(_strip_head(error), field.name, cls))
            except (BaseValidationError, _MismatchError) as error:
                errors.append(_noted(error, field.name, cls))
            except (TypeError, ValueError) as error:
                errors.append(_noted(_MismatchError(None, error), field.name, cls))
            else:
                kwargs[field.alias] = result
        for names, check in getattr(cls, "_field_checks", ()):
            if all(name in kwargs for name in names):
                try:
                    check(**{name: kwargs[name] for name in names})
                except FieldValueError as error:
                    head = str(error.path[0]) if error.path else names[0]
                    errors.append(_noted(_strip_head(error), head, cls))
        unknown = set(value) - known
        if unknown:
            errors.append(ForbiddenExtraKeysError("", cls, unknown))
        if errors:
            raise ClassValidationError(f"invalid {cls.__name__}", errors, cls)
        try:
            return cls(**kwargs)
        except FieldValueError as error:  # a cross-field check in __attrs_post_init__
            head = str(error.path[0]) if error.path else ""
            raise ClassValidationError(
                f"invalid {cls.__name__}", [_noted(_strip_head(error), head, cls)], cls
            ) from None

    return structure


def _strip_head(error: FieldValueError) -> FieldValueError:
    """Drop the field name from an error's path: the note carries it."""
    error.path = tuple(error.path[1:])
    return error


def _has_shape(cls: Any) -> bool:
    """Whether ``cls`` names the record type of its JSON shape (``json_shape``)."""
    return isinstance(cls, type) and isinstance(getattr(cls, "json_shape", None), type)


def _shape_hook(conv: cattrs.Converter, cls: Any) -> Callable[[Any], Any]:
    """Unstructure an object as its JSON shape: the record ``cls.json_shape.of(obj)``."""
    shape = cls.json_shape

    def unstructure(obj: Any) -> Any:
        return conv.unstructure(shape.of(obj))

    return unstructure


def _is_record(cls: Any) -> bool:
    """Whether ``cls`` is a record (:func:`~.shapes.shape_record`).

    The mark counts on the class itself only: a subclass is a record when marked too.
    """
    return isinstance(cls, type) and vars(cls).get(RECORD_MARK, False) is True


def _record_hook(conv: cattrs.Converter, cls: Any) -> Callable[[Any], dict[str, Any]]:
    """Unstructure a record field by field, then the computed values of its ``schema_extras``.

    Each value goes by its own type; a field marked
    :data:`~.shapes.OMIT_NONE` drops the ``None`` fields of its value.
    """
    fields = [(field.name, OMIT_NONE in field.metadata) for field in attrs.fields(cls)]
    fields.extend((name, False) for name in getattr(cls, "schema_extras", {}))

    def unstructure(obj: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, omit in fields:
            value = conv.unstructure(getattr(obj, name))
            result[name] = _plain(value, keep_none=False) if omit else value
        return result

    return unstructure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # Registered by class (singledispatch), so they replace cattrs' lenient defaults
    # (which would call str(5) or int("7")). StrEnum precedes str in every StrEnum's
    # MRO, so enumerations reach the enum hook, not the string one.
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(dt.date, _structure_date)
    for base in (enum.StrEnum, enum.Enum):
        conv.register_structure_hook(base, lambda value, cls: _enum_hook(cls)(value, cls))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda cls: _tuple_hook(conv, cls))
    conv.register_structure_hook_factory(_is_dict, lambda cls: _dict_hook(conv, cls))
    conv.register_structure_hook_factory(attrs.has, lambda cls: _attrs_hook(conv, cls))
    conv.register_unstructure_hook(dt.date, lambda value: value)
    # Plain values in every format: PyYAML's safe dumper refuses enum members.
    for base in (enum.StrEnum, enum.Enum):
        conv.register_unstructure_hook(base, lambda member: member.value)
    # Types whose JSON is not simply their fields name a record of it (plans, gap reports).
    conv.register_unstructure_hook_factory(_is_record, lambda cls: _record_hook(conv, cls))
    conv.register_unstructure_hook_factory(_has_shape, lambda cls: _shape_hook(conv, cls))
    return conv


converter = _make_converter()


def _walk(error: BaseException, path: FieldPath) -> Iterator[tuple[FieldPath, str, BaseException]]:
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for child, note in with_notes:
            step = note.name if isinstance(note, AttributeValidationNote) else note.index
            yield from _walk(child, (*path, step))
        for child in without:
            yield from _walk(child, path)
    else:
        yield path, "", error


def _problems(error: BaseException, document: Document) -> Iterator[Problem]:
    for path, _, leaf in _walk(error, ()):
        if isinstance(leaf, ForbiddenExtraKeysError):
            known = sorted(field.name for field in attrs.fields(leaf.cl))
            for key in sorted(leaf.extra_fields):
                close = difflib.get_close_matches(key, known, n=1)
                text = (
                    message("key.unknown_close", key=repr(key), suggestion=repr(close[0]))
                    if close
                    else message("key.unknown", key=repr(key), expected=", ".join(known))
                )
                yield document.problem((*path, key), text)
        elif isinstance(leaf, FieldValueError):
            yield document.problem((*path, *leaf.path), leaf.message)
        elif isinstance(leaf, KeyError):
            yield document.problem(path, message("field.missing"))
        elif isinstance(leaf, _MismatchError):
            yield document.problem(path, leaf.message_at(document, path))
        else:  # pragma: no cover - a hook raised something unexpected
            yield document.problem(path, f"invalid value ({leaf})")


def _check_schema_version(document: Document) -> tuple[dict[str, Any], list[Problem]]:
    data = document.data
    if not isinstance(data, dict):
        return {}, [document.problem((), message("expected.table_at_top", found=_describe(data)))]
    body = dict(data)
    problems: list[Problem] = []
    version = body.pop("schema_version", None)
    if version is None:
        problems.append(document.problem((), message("schema.missing", version=SCHEMA_VERSION)))
    elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(
            document.problem(
                ("schema_version",),
                message(
                    "expected.positive_integer",
                    found=_found(document, ("schema_version",), version),
                ),
            )
        )
    elif version > SCHEMA_VERSION:
        problems.append(
            document.problem(
                ("schema_version",),
                message("schema.newer", found=version, supported=SCHEMA_VERSION),
            )
        )
    return body, problems


def structure_document(document: Document, cls: type[T]) -> T:
    """Turn a parsed document into ``cls``; raise one :class:`LoadError` listing every problem.

    The top level must be a table with an integer ``schema_version`` no newer than
    :data:`SCHEMA_VERSION`; the rest is structured strictly.
    """
    body, problems = _check_schema_version(document)
    problems = [*document.problems, *problems]
    result: Any = None
    try:
        result = converter.structure(body, cls)
    except (BaseValidationError, _MismatchError, FieldValueError) as error:
        problems.extend(_problems(error, document))
    if problems:
        raise LoadError(problems)
    return typing.cast("T", result)


def _plain(value: object, *, keep_none: bool = False) -> object:
    """Tuples as lists, sets as sorted lists; ``None`` entries dropped unless ``keep_none``."""
    if isinstance(value, dict):
        return {
            key: _plain(item, keep_none=keep_none)
            for key, item in value.items()
            if keep_none or item is not None
        }
    if isinstance(value, list | tuple):
        return [_plain(item, keep_none=keep_none) for item in value]
    if isinstance(value, set | frozenset):  # unordered: sorted, so that output is deterministic
        items = [_plain(item, keep_none=keep_none) for item in value]
        try:
            return sorted(items)  # type: ignore[type-var]  # dates, numbers and texts sort as is
        except TypeError:
            return sorted(items, key=repr)
    return value


def plain_data(obj: object, *, keep_none: bool = False) -> dict[str, Any]:
    """The plain data of an attrs object: its fields through the one converter.

    Fields without a value (``None``) are left out, unless ``keep_none`` keeps
    them as ``null`` (for shapes that always carry every key, such as plans).
    """
    body = _plain(converter.unstructure(obj), keep_none=keep_none)
    if not isinstance(body, dict):  # pragma: no cover - only attrs objects are reports
        raise TypeError(f"cannot export {type(obj).__name__}")
    return body


def unstructure(obj: object) -> dict[str, Any]:
    """The plain data of an attrs object, headed by ``schema_version``."""
    body = _plain(converter.unstructure(obj))
    if not isinstance(body, dict):  # pragma: no cover - only attrs objects are saved
        raise TypeError(f"cannot save {type(obj).__name__}")
    return {"schema_version": SCHEMA_VERSION, **body}


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")  # pragma: no cover


#: Characters that YAML 1.1 reads as line breaks although PyYAML writes them raw.
_YAML_BREAKS = ("\x85", "\u2028", "\u2029")


@functools.cache
def _yaml_dumper(yaml: Any) -> Any:
    """A safe dumper that double-quotes (and so escapes) strings with YAML-only line breaks."""

    class Dumper(yaml.SafeDumper):  # type: ignore[misc]
        pass

    def represent_str(dumper: Any, value: str) -> Any:
        style = '"' if any(mark in value for mark in _YAML_BREAKS) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    return Dumper


def dump_text(data: dict[str, Any], fmt: Format) -> str:
    """Serialise plain data deterministically in ``fmt``."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if fmt == "yaml":
        yaml = import_yaml()
        dumper = _yaml_dumper(yaml)
        return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100))
    import tomli_w  # noqa: PLC0415  (only needed to write TOML)

    return tomli_w.dumps(data)


def save_object(obj: object, path: str | os.PathLike[str]) -> None:
    """Save an attrs object to ``path`` atomically, in the format named by its suffix."""
    write_text_atomic(path, dump_text(unstructure(obj), format_of(path)))

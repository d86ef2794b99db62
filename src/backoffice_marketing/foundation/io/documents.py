"""Documents: the parsed content of a TOML, JSON or YAML file with positions.

Every reader here is strict in the same ways: input over 1 MiB or nested
deeper than 64 levels is refused, duplicate keys are errors, and every problem
comes back as a :class:`~backoffice_marketing.exceptions.Problem` that names
the file, line, column and field path.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import attrs

from backoffice_marketing.exceptions import LoadError, Problem, UnsupportedFormatError
from backoffice_marketing.foundation.io.bounded import read_bytes_bounded
from backoffice_marketing.foundation.io.json_source import (
    JSONSourceError,
    line_starts,
    offset_to_position,
    parse_json,
)
from backoffice_marketing.foundation.io.limits import MAX_DEPTH, MAX_DOCUMENT_BYTES
from backoffice_marketing.foundation.io.paths import FieldPath, format_path
from backoffice_marketing.foundation.io.toml_source import locate_toml_keys
from backoffice_marketing.foundation.io.yaml_source import YAMLSourceError, parse_yaml
from backoffice_marketing.foundation.messages import message as _message

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "Format",
    "format_of",
    "load_package_document",
    "parse_document",
    "read_document",
]

MAX_BYTES = MAX_DOCUMENT_BYTES
Format = Literal["toml", "json", "yaml"]
_SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_END = re.compile(r"\(at end of document\)")
#: A key as JSON, YAML or TOML writes it, then its separator (``:`` or ``=``).
_KEY_THEN_SEPARATOR = re.compile(
    r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s"'#:=,\[\]{}][^:=\n]*?)\s*[:=](?=\s|$|[^:=])\s*"""
)
#: A scalar: quoted (as written, quotes kept) or plain up to a comment or a flow separator.
_SCALAR = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n#,\]}]*""")


@attrs.frozen
class Document:
    """Parsed data, the file it came from and the position of each field path."""

    data: object
    file: str
    positions: Mapping[FieldPath, tuple[int, int]] = attrs.field(eq=False, repr=False)
    problems: tuple[Problem, ...] = ()
    #: The source text, kept to quote values as the user wrote them.
    text: str = attrs.field(default="", eq=False, repr=False, kw_only=True)

    def source_text(self, path: FieldPath) -> str | None:
        """The text of the scalar at ``path`` as written in the source, if it can be found.

        Quoted scalars keep their quotes. ``None`` when the path has no position
        of its own (an element of a TOML array, a value on the next line).
        """
        where = self.positions.get(path)
        if not self.text or not path or where is None:
            return None
        line, column = where
        lines = self.text.split("\n")
        if not 0 < line <= len(lines):
            return None
        rest = lines[line - 1].removesuffix("\r")[column - 1 :]
        if isinstance(path[-1], str):  # the position is the key's: skip the key and separator
            key = _KEY_THEN_SEPARATOR.match(rest)
            if key is None:
                return None
            rest = rest[key.end() :]
        scalar = _SCALAR.match(rest)
        found = scalar.group().strip() if scalar else ""
        return found or None

    def locate(self, path: FieldPath) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            where = self.positions.get(path[:end])
            if where is not None:
                return where
        return None, None

    def problem(self, path: FieldPath, message: str) -> Problem:
        """A problem at ``path`` of this document."""
        line, column = self.locate(path)
        return Problem(self.file, line, column, format_path(path), message)

    def version_problems(self, expected: int) -> list[Problem]:
        """A problem when the top-level ``schema_version`` is not ``expected`` (absent is fine)."""
        data = self.data
        version = data.get("schema_version", expected) if isinstance(data, dict) else expected
        if version == expected:
            return []
        return [
            self.problem(
                ("schema_version",), f"expected schema_version {expected}; found {version!r}"
            )
        ]


def format_of(path: str | os.PathLike[str]) -> Format:
    """The format named by the suffix of ``path``."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise UnsupportedFormatError(str(path), sorted(_SUFFIXES))
    return _SUFFIXES[suffix]


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read and parse the file at ``path`` (format chosen by its suffix)."""
    file = str(path)
    fmt = format_of(path)
    raw = read_bytes_bounded(path, limit=MAX_BYTES, what=f"{fmt.upper()} document")
    return parse_document(raw, format=fmt, file=file)


def load_package_document(name: str) -> Document:
    """Read a data file shipped in the package's ``data`` folder."""
    from importlib import resources  # noqa: PLC0415  (only when reading package data)

    resource = resources.files("backoffice_marketing.data").joinpath(name)
    return parse_document(resource.read_bytes(), format=format_of(name), file=name)


def _too_large(file: str, size: int) -> LoadError:
    message = _message("document.too_large", size=size, limit=MAX_BYTES)
    return LoadError([Problem.for_file(file, message)])


def parse_document(content: str | bytes, *, format: Format, file: str = "<string>") -> Document:  # noqa: A002
    """Parse ``content`` in ``format``; raise :class:`LoadError` on any syntax problem."""
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise _too_large(file, len(content))
        bom = 3 if content.startswith(b"\xef\xbb\xbf") else 0
        try:
            text = content[bom:].decode("utf-8")
        except UnicodeDecodeError as error:
            at = error.start + bom
            line = content.count(b"\n", 0, at) + 1
            raise LoadError(
                [Problem(file, line, None, "", _message("document.not_utf8", byte=at))]
            ) from None
    else:
        text = content
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise _too_large(file, len(text.encode("utf-8")))
    parse = {"json": _parse_json, "yaml": _parse_yaml, "toml": _parse_toml}[format]
    try:
        document = attrs.evolve(parse(text, file), text=text)
    except LoadError:
        raise
    except ValueError as error:  # for example int() beyond the digit limit of Python
        raise LoadError(
            [Problem.for_file(file, _message("document.unreadable_value", detail=error))]
        ) from None
    odd = _value_problems(document)
    if odd:
        raise LoadError([*document.problems, *odd])
    return document


#: Integers beyond 64 bits are refused: no field of the library needs them, and
#: converting a number of thousands of digits to text fails later.
_INT_BOUND = 2**63


def _value_problems(document: Document) -> list[Problem]:
    """Strings that are not valid Unicode, integers beyond 64 bits and non-finite numbers."""
    problems: list[Problem] = []
    stack: list[tuple[object, FieldPath]] = [(document.data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and not _valid_unicode(key):
                    problems.append(document.problem(path, _message("document.key_not_unicode")))
                stack.append((child, (*path, str(key))))
        elif isinstance(value, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(value))
        elif isinstance(value, str):
            if not _valid_unicode(value):
                problems.append(document.problem(path, _message("document.text_not_unicode")))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not -_INT_BOUND <= value < _INT_BOUND:
                problems.append(document.problem(path, _message("document.number_out_of_range")))
        elif isinstance(value, float) and not math.isfinite(value):
            found = document.source_text(path) or str(value)
            message = _message("expected.finite_number", found=found)
            problems.append(document.problem(path, message))
    return problems


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _issues(file: str, issues: list[tuple[str, tuple[int, int], FieldPath]]) -> tuple[Problem, ...]:
    return tuple(
        Problem(file, line, column, format_path(path), message)
        for message, (line, column), path in issues
    )


def _parse_json(text: str, file: str) -> Document:
    try:
        data, positions, issues = parse_json(text, max_depth=MAX_DEPTH)
    except JSONSourceError as error:
        line, column = offset_to_position(line_starts(text), error.offset)
        raise LoadError(
            [Problem(file, line, column, format_path(error.path), error.message)]
        ) from None
    return Document(data, file, positions, _issues(file, issues))


def _parse_yaml(text: str, file: str) -> Document:
    try:
        data, positions, issues = parse_yaml(text, max_depth=MAX_DEPTH)
    except YAMLSourceError as error:
        line, column = error.position or (None, None)
        raise LoadError([Problem(file, line, column, "", error.message)]) from None
    except RecursionError:
        raise LoadError([Problem.for_file(file, _too_deep())]) from None
    return Document(data, file, positions, _issues(file, issues))


def _too_deep() -> str:
    return _message("document.too_deep", limit=MAX_DEPTH)


def _parse_toml(text: str, file: str) -> Document:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        column = int(match.group(2)) if match else None
        if match is None and _TOML_END.search(message):
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        message = _TOML_END.sub("", _TOML_POSITION.sub("", message)).strip()
        detail = _message("toml.syntax", detail=message[:1].lower() + message[1:])
        raise LoadError([Problem(file, line, column, "", detail)]) from None
    except RecursionError:
        raise LoadError([Problem.for_file(file, _too_deep())]) from None
    problems: tuple[Problem, ...] = ()
    if _depth(data) > MAX_DEPTH:
        problems = (Problem.for_file(file, _too_deep()),)
    return Document(data, file, locate_toml_keys(text), problems)


def _depth(value: object) -> int:
    """How many containers (tables and arrays) are nested, as JSON and YAML count them."""
    stack: list[tuple[object, int]] = [(value, 0)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level + 1)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest

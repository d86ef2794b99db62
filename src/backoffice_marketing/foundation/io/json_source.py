"""A JSON reader that records the line and column of every value and key.

The standard library's decoder gives no positions and keeps the last of
duplicate keys; this reader rejects duplicates, bounds the nesting depth and
remembers where each field path starts, so that later errors can name a line.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from backoffice_marketing.foundation.io.paths import FieldPath
from backoffice_marketing.foundation.messages import message as _message

__all__ = ["JSONSourceError", "parse_json"]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}


class _JSONSourceError(Exception):
    """A syntax or structure error at an offset of the JSON text."""

    def __init__(self, message: str, offset: int, path: FieldPath = ()) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.path = path


#: What :func:`parse_json` raises on a syntax or structure error (package-internal:
#: :mod:`backoffice_marketing.foundation.io.documents` turns it into a :class:`LoadError`).
JSONSourceError = _JSONSourceError


class _Reader:
    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.positions: dict[FieldPath, int] = {}
        self.duplicates: list[tuple[str, int, FieldPath]] = []

    def skip(self, i: int) -> int:
        match = _WS.match(self.text, i)
        return match.end() if match else i

    def value(self, i: int, path: FieldPath, depth: int) -> tuple[object, int]:
        i = self.skip(i)
        self.positions.setdefault(path, i)
        if i >= len(self.text):
            raise _JSONSourceError(_message("json.end_of_input"), i, path)
        char = self.text[i]
        if char in "{[":
            if depth >= self.max_depth:
                raise _JSONSourceError(_message("document.too_deep", limit=self.max_depth), i, path)
            if char == "{":
                return self.obj(i + 1, path, depth + 1)
            return self.array(i + 1, path, depth + 1)
        if char == '"':
            return self.string(i, path)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, i):
                return literal, i + len(word)
        match = _NUMBER.match(self.text, i)
        if match:
            token = match.group()
            number: object = float(token) if match.group(1) or match.group(2) else int(token)
            return number, match.end()
        raise _JSONSourceError(_message("json.expected_value", found=repr(self.text[i])), i, path)

    def string(self, i: int, path: FieldPath) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, i + 1)  # type: ignore[attr-defined,no-any-return]
        except json.JSONDecodeError as error:
            # json's messages end in "... at" (it appends the offset); we give line and column.
            message = re.sub(r"\s+(?:starting\s+)?at$", "", error.msg).lower()
            raise _JSONSourceError(
                _message("json.bad_string", detail=message), error.pos, path
            ) from None

    def obj(self, i: int, path: FieldPath, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        i = self.skip(i)
        if self.text.startswith("}", i):
            return result, i + 1
        while True:
            i = self.skip(i)
            if not self.text.startswith('"', i):
                raise _JSONSourceError(_message("json.expected_key"), i, path)
            key_start = i
            key, i = self.string(i, path)
            duplicate = key in result
            if duplicate:
                self.duplicates.append(
                    (_message("key.duplicate", key=repr(key)), key_start, (*path, key))
                )
            else:
                self.positions[(*path, key)] = key_start
            i = self.skip(i)
            if not self.text.startswith(":", i):
                raise _JSONSourceError(_message("json.expected_colon"), i, (*path, key))
            value, i = self.value(i + 1, (*path, key), depth)
            if not duplicate:
                self.positions[(*path, key)] = key_start
                result[key] = value
            i = self.skip(i)
            if self.text.startswith(",", i):
                i += 1
                continue
            if self.text.startswith("}", i):
                return result, i + 1
            raise _JSONSourceError(_message("json.expected_comma_or_brace"), i, path)

    def array(self, i: int, path: FieldPath, depth: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        i = self.skip(i)
        if self.text.startswith("]", i):
            return result, i + 1
        while True:
            value, i = self.value(i, (*path, len(result)), depth)
            result.append(value)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i += 1
                continue
            if self.text.startswith("]", i):
                return result, i + 1
            raise _JSONSourceError(_message("json.expected_comma_or_bracket"), i, path)


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of ``text`` starts."""
    starts = [0]
    starts.extend(match.end() for match in re.finditer("\n", text))
    return starts


def offset_to_position(starts: list[int], offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based (line, column)."""
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


Position = tuple[int, int]


def parse_json(
    text: str, *, max_depth: int
) -> tuple[object, dict[FieldPath, Position], list[tuple[str, Position, FieldPath]]]:
    """Parse JSON ``text``.

    Return the value (the first of duplicate keys is kept), the position of each
    field path, and the duplicate keys found as ``(message, position, path)``.
    """
    reader = _Reader(text, max_depth)
    value, end = reader.value(0, (), 0)
    end = reader.skip(end)
    if end != len(text):
        raise _JSONSourceError(_message("json.trailing_text"), end)
    starts = line_starts(text)
    positions = {path: offset_to_position(starts, at) for path, at in reader.positions.items()}
    duplicates = [
        (message, offset_to_position(starts, at), path) for message, at, path in reader.duplicates
    ]
    return value, positions, duplicates

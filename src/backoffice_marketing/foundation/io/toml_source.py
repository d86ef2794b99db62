"""Positions of the keys of a TOML document.

``tomllib`` parses (and rejects duplicate keys, as TOML requires) but gives no
positions; this scanner walks the lines once to find where each table, array
of tables element and key starts, so errors found later can name a line.
Values nested inside one key's value share that key's position.
"""

from __future__ import annotations

import re
import tomllib

from backoffice_marketing.foundation.io.paths import FieldPath

__all__ = ["locate_toml_keys"]

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[|\[)\s*({_DOTTED})\s*(\]\]|\])\s*(?:#.*)?$")
_KEY_VALUE = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_PARTS = re.compile(_KEY_PART)
_STRINGS = re.compile(r'"""|\'\'\'|"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def _split(dotted: str) -> list[str]:
    parts = []
    for raw in _PARTS.findall(dotted):
        if raw.startswith('"'):
            # tomllib decodes every TOML escape (\U0001F600 included) exactly as the parser did.
            try:
                parts.append(next(iter(tomllib.loads(f"{raw} = 0"))))
            except tomllib.TOMLDecodeError:  # pragma: no cover - the document already parsed
                parts.append(raw[1:-1])
        elif raw.startswith("'"):
            parts.append(raw[1:-1])
        else:
            parts.append(raw)
    return parts


def _closing(text: str, delimiter: str, start: int) -> int:
    """Where a multi-line string closes, skipping backslash-escaped quotes; -1 if it does not."""
    position = text.find(delimiter, start)
    while position >= 0 and delimiter == '"""':
        backslashes = len(text[:position]) - len(text[:position].rstrip("\\"))
        if backslashes % 2 == 0:
            break
        position = text.find(delimiter, position + 1)
    # Up to two quotes right before the closing delimiter belong to the string (TOML 1.0).
    extra = 0
    while position >= 0 and extra < 2 and text.startswith(delimiter[0], position + 3):
        position += 1
        extra += 1
    return position


def _value_state(value: str) -> tuple[str | None, int]:
    """Return the open multi-line string delimiter and the bracket balance of a value."""
    balance = 0
    position = 0
    while position < len(value):
        match = _STRINGS.search(value, position)
        chunk = value[position : match.start()] if match else value[position:]
        chunk = chunk.split("#", 1)[0]
        balance += chunk.count("[") + chunk.count("{") - chunk.count("]") - chunk.count("}")
        if match is None or "#" in (value[position : match.start()]):
            break
        token = match.group()
        if token in ('"""', "'''"):
            closing = _closing(value, token, match.end())
            if closing < 0:
                return token, balance
            position = closing + 3
        else:
            position = match.end()
    return None, balance


def locate_toml_keys(text: str) -> dict[FieldPath, tuple[int, int]]:
    """Map each field path of a TOML document to its 1-based (line, column)."""
    positions: dict[FieldPath, tuple[int, int]] = {}
    array_counts: dict[FieldPath, int] = {}
    table: FieldPath = ()
    open_string: str | None = None
    balance = 0
    # Only "\n" ends a line in TOML; str.splitlines() would also split at U+2028 and others.
    for line_number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        if open_string is not None:
            closing = _closing(line, open_string, 0)
            if closing >= 0:
                open_string, extra = _value_state(line[closing + 3 :])
                balance += extra
            continue
        if balance > 0:
            open_string, extra = _value_state(line)
            balance += extra
            continue
        header = _HEADER.match(line)
        if header:
            keys = _split(header.group(2))
            resolved: list[str | int] = []
            for key in keys[:-1]:
                resolved.append(key)
                if tuple(resolved) in array_counts:
                    resolved.append(array_counts[tuple(resolved)])
            full: FieldPath = (*resolved, keys[-1])
            if header.group(1) == "[[":
                index = array_counts.get(full, -1) + 1
                array_counts[full] = index
                table = (*full, index)
            else:
                table = full
            where = (line_number, header.start(2) + 1)
            for end in range(1, len(table) + 1):
                positions.setdefault(table[:end], where)
            positions[table] = where
            continue
        pair = _KEY_VALUE.match(line)
        if pair:
            path = (*table, *_split(pair.group(1)))
            where = (line_number, pair.start(1) + 1)
            for end in range(len(table) + 1, len(path)):
                positions.setdefault(path[:end], where)
            positions[path] = where
            open_string, balance = _value_state(pair.group(2))
    return positions

"""A safe YAML reader: no aliases, anchors or tags, no duplicate keys, bounded depth.

PyYAML's safe loader still expands aliases (the "billion laughs" shape),
accepts anchors and keeps the last of duplicate keys silently. This reader
composes the node tree itself, turns scalars into values with the safe
resolver, and records the position of every field path.
"""

from __future__ import annotations

from typing import Any

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.foundation.io.paths import FieldPath
from backoffice_marketing.foundation.messages import message as _message

__all__ = ["YAMLSourceError", "parse_yaml"]

Position = tuple[int, int]


class _YAMLSourceError(Exception):
    """A YAML syntax error at a position (or at no known position)."""

    def __init__(self, message: str, position: Position | None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


#: What :func:`parse_yaml` raises on a syntax error (package-internal:
#: :mod:`backoffice_marketing.foundation.io.documents` turns it into a :class:`LoadError`).
YAMLSourceError = _YAMLSourceError


def import_yaml() -> Any:
    """The PyYAML module, or :class:`MissingExtraError` naming ``[yaml]`` (package-internal)."""
    try:
        import yaml  # noqa: PLC0415  (optional extra, imported on use)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("yaml", "pyyaml") from error
    return yaml


def parse_yaml(
    text: str, *, max_depth: int
) -> tuple[object, dict[FieldPath, Position], list[tuple[str, Position, FieldPath]]]:
    """Parse one YAML document.

    Return the value, the position of each field path and the non-syntax
    problems found (duplicate keys, aliases, anchors, tags) as
    ``(message, position, path)``; the first of duplicate keys is kept.
    """
    yaml = import_yaml()
    try:
        # PyYAML checks every character when the loader is built: keep that inside the try.
        loader = _loader_class(yaml)(text)
    except yaml.reader.ReaderError as error:
        raise _YAMLSourceError(_reader_message(error), _position(text, error.position)) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else None
        detail = str(error.problem or error.context)
        raise _YAMLSourceError(_message("yaml.syntax", detail=detail), where) from None
    except yaml.YAMLError as error:
        raise _YAMLSourceError(_message("yaml.syntax", detail=error), None) from None
    finally:
        loader.dispose()
    if node is None:
        return None, {(): (1, 1)}, []
    walker = _Walker(loader, max_depth, (yaml.YAMLError, ValueError, TypeError))
    value = walker.walk(node, (), 0)
    issues = [(message, where, ()) for message, where in loader.refused] + walker.issues
    return value, walker.positions, issues


def _reader_message(error: Any) -> str:
    character = error.character
    shown = f"U+{ord(character):04X}" if isinstance(character, str) else repr(character)
    return _message("yaml.character", character=shown)


def _position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


_LOADERS: dict[int, type] = {}


def _loader_class(yaml: Any) -> Any:
    """A safe loader that notes every alias, anchor and explicit tag it meets."""
    if id(yaml) not in _LOADERS:

        class StrictLoader(yaml.SafeLoader):  # type: ignore[misc]
            def __init__(self, stream: str) -> None:
                super().__init__(stream)
                self.refused: list[tuple[str, Position]] = []

            def compose_node(self, parent: Any, index: Any) -> Any:
                event = self.peek_event()
                where = (event.start_mark.line + 1, event.start_mark.column + 1)
                if isinstance(event, yaml.AliasEvent):
                    self.refused.append((_message("yaml.alias", name=event.anchor), where))
                else:
                    if event.anchor is not None:
                        self.refused.append((_message("yaml.anchor", name=event.anchor), where))
                    if event.tag not in (None, "!"):
                        self.refused.append((_message("yaml.tag", tag=event.tag), where))
                return super().compose_node(parent, index)

        _LOADERS[id(yaml)] = StrictLoader
    return _LOADERS[id(yaml)]


class _Walker:
    def __init__(self, loader: Any, max_depth: int, errors: tuple[type[Exception], ...]) -> None:
        self.loader = loader
        self.errors = errors
        self.max_depth = max_depth
        self.positions: dict[FieldPath, Position] = {}
        self.issues: list[tuple[str, Position, FieldPath]] = []
        self.seen: set[int] = set()

    def walk(self, node: Any, path: FieldPath, depth: int) -> object:
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.positions.setdefault(path, where)
        if id(node) in self.seen:  # an alias: already reported, never expanded
            return None
        self.seen.add(id(node))
        if node.id == "scalar":
            try:
                return self.loader.construct_object(node, deep=True)
            except self.errors as error:
                self.issues.append((_message("yaml.invalid_value", detail=error), where, path))
                return None
        if depth >= self.max_depth:
            self.issues.append((_message("document.too_deep", limit=self.max_depth), where, path))
            return None
        if node.id == "sequence":
            return [self.walk(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key_node.id != "scalar":
                self.issues.append((_message("yaml.key_not_text"), key_where, path))
                continue
            key = str(key_node.value)
            if key in result:
                self.issues.append(
                    (_message("key.duplicate", key=repr(key)), key_where, (*path, key))
                )
                continue
            self.positions[(*path, key)] = key_where
            result[key] = self.walk(value_node, (*path, key), depth + 1)
            self.positions[(*path, key)] = key_where
        return result

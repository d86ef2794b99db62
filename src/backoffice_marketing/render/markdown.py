"""Escaping text for Markdown, so that user text stays text.

Employee-written text (department names, questions, notes) must not turn into
links, HTML, headings or extra table columns. Every Markdown control character
is backslash-escaped, ``<`` and ``>`` and ``&`` become entities, and inside a
table cell line breaks become spaces so that the table keeps its columns.
"""

from __future__ import annotations

import re

__all__ = ["escape_markdown", "escape_markdown_cell", "markdown_code"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~$])")
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.MULTILINE)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_ID = re.compile(r"[\w.#@:\-]+")


def escape_markdown(text: object) -> str:
    """Escape ``text`` so that Markdown renders it literally."""
    value = _CONTROL.sub("", str(text))
    value = _SPECIAL.sub(r"\\\1", value)
    value = _LINE_START.sub(_escape_line_start, value)
    return "".join(_ENTITIES.get(char, char) for char in value)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():  # "1." or "1)" starts an ordered list
        return f"{indent}{marker}\\"
    return f"{indent}\\{marker}"


def escape_markdown_cell(text: object) -> str:
    """Escape ``text`` for one cell of a Markdown table (no line breaks)."""
    return " ".join(escape_markdown(text).split())


def markdown_code(text: object) -> str:
    """An id as a code span (safe in a table cell); other text escaped as a cell.

    Code spans show their content literally, so only ids made of word
    characters, dots, dashes, ``#``, ``@`` and ``:`` become one; anything else
    (a department called ``<script>`` or ``a|b`` inside a task id) is escaped.
    """
    value = str(text)
    if _PLAIN_ID.fullmatch(value):
        return f"`{value}`"
    return escape_markdown_cell(value)

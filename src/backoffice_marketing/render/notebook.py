"""HTML for notebooks: a report page as a fragment, and small tables for plain objects.

Jupyter puts an output's HTML inside its own page, whose stylesheet aligns
table cells to the right and would take over any ``<style>`` of ours. So a
report shown in a notebook is the ``<body>`` of its page, with every cell's
alignment written on the cell itself (``style="text-align: ..."``), and its
charts are the library's own inline SVG: nothing is loaded from a network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

__all__ = ["fragment", "table_html"]

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_STYLE = re.compile(r"<style>.*?</style>", re.S)
_CELL = re.compile(r"<(th|td)((?:\s+[a-z-]+(?:=\"[^\"]*\")?)*)\s*>")
_WRAP = '<div class="backoffice-marketing" style="text-align: left; line-height: 1.5;">{}</div>'


def _aligned(match: re.Match[str]) -> str:
    tag, attributes = match.group(1), match.group(2)
    if "style=" in attributes:
        return match.group(0)
    right = re.search(r'class="[^"]*\bnum\b', attributes) is not None
    align = "right" if right else "left"
    return f'<{tag}{attributes} style="text-align: {align}; vertical-align: top;">'


def fragment(page: str) -> str:
    """The ``<body>`` of a page, its styles dropped and every cell's alignment set inline."""
    found = _BODY.search(page)
    body = found.group(1) if found else page
    body = _STYLE.sub("", body)
    return _WRAP.format(_CELL.sub(_aligned, body.strip()))


def table_html(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
) -> str:
    """A small table, escaped, with each column's alignment set inline (numbers right)."""
    right = set(numeric)

    def cell(tag: str, index: int, value: object) -> str:
        align = "right" if index in right else "left"
        text = "—" if value is None else escape(str(value))
        return f'<{tag} style="text-align: {align}; vertical-align: top;">{text}</{tag}>'

    head = "".join(cell("th", index, name) for index, name in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", index, value) for index, value in enumerate(row)) + "</tr>"
        for row in rows
    )
    title = f'<caption style="text-align: left;">{escape(caption)}</caption>' if caption else ""
    return _WRAP.format(
        f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )

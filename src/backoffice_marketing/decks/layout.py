"""Where things go on a 16:9 slide, in points, and how content is split to fit.

The deck builder splits lists and tables with these boxes, and the pptx
writer draws them with the same boxes, so what was measured is what is drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from backoffice_marketing.decks.fit import LINE_HEIGHT, MIN_POINTS, Box, fits, wrap

__all__ = [
    "BODY",
    "BODY_SIZES",
    "FOOTER",
    "GANTT_INSET_Y",
    "GANTT_LABEL_WIDTH",
    "GANTT_ROW",
    "INSET_X",
    "INSET_Y",
    "OUTCOME_TABLE_WIDTHS",
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "SPACING",
    "TABLE_INSET_X",
    "TABLE_INSET_Y",
    "TABLE_SIZES",
    "TABLE_WIDTHS",
    "TITLE",
    "TITLE_SIZES",
    "Rect",
    "month_starts",
    "split_lines",
    "split_table",
    "table_row_height",
    "table_widths",
]

SLIDE_WIDTH = 960.0
SLIDE_HEIGHT = 540.0
#: The text box insets (left/right, top/bottom) the writer sets on every box.
INSET_X = 7.2
INSET_Y = 3.6
#: Table cell margins.
TABLE_INSET_X = 5.4
TABLE_INSET_Y = 2.0
#: The space after a paragraph of body text, in em.
SPACING = 0.35
TITLE_SIZES = (28, 24, 20, 18, 16, 14)
BODY_SIZES = (24, 20, 18, 16, 14)
TABLE_SIZES = (20, 18, 16, 14)
#: The top and bottom insets of a Gantt row's label.
GANTT_INSET_Y = 1.5
#: Height of one Gantt row (a 14 pt label on one line with its insets, and a little air).
GANTT_ROW = MIN_POINTS * LINE_HEIGHT + 2 * GANTT_INSET_Y + 1.0
GANTT_LABEL_WIDTH = 250.0


@attrs.frozen
class Rect:
    """A box on the slide, in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def room(self) -> Box:
        """The room the text has inside the box's insets (paragraphs spaced by :data:`SPACING`)."""
        return Box(self.width - 2 * INSET_X, self.height - 2 * INSET_Y, SPACING)


TITLE = Rect(36, 14, 888, 72)
BODY = Rect(36, 90, 888, 400)
FOOTER = Rect(36, 496, 888, 32)


def split_lines(lines: Sequence[str], box: Box = BODY.room) -> tuple[int, list[list[str]]]:
    """The size to set ``lines`` at, and the lines in chunks that each fit ``box``.

    The largest of :data:`BODY_SIZES` at which everything fits one box wins;
    else everything is set at the smallest size and split into as few boxes as
    needed (a line too tall for a box alone is a programming error).
    """
    size = fits(lines, box, BODY_SIZES)
    if size is not None or not lines:
        return size or BODY_SIZES[0], [list(lines)]
    size = min(BODY_SIZES)
    chunks: list[list[str]] = [[]]
    for line in lines:
        if chunks[-1] and not box.holds([(text, size) for text in [*chunks[-1], line]]):
            chunks.append([])
        chunks[-1].append(line)
    return size, chunks


def _cell_lines(text: str, width: float, size: int) -> int:
    return len(wrap(text, width - 2 * TABLE_INSET_X, size))


def table_row_height(row: Sequence[str], widths: Sequence[float], size: int = MIN_POINTS) -> float:
    """The height of a table row whose cells wrap within ``widths`` at ``size``."""
    lines = max(_cell_lines(text, width, size) for text, width in zip(row, widths, strict=True))
    return lines * size * LINE_HEIGHT + 2 * TABLE_INSET_Y + 1.0


def split_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    height: float = BODY.height,
) -> tuple[int, list[list[Sequence[str]]]]:
    """The type size and the rows in chunks that fit ``height`` under a repeated header.

    The largest of :data:`TABLE_SIZES` that needs no more slides than the smallest wins.
    """
    fewest = len(_split_table(header, rows, widths, height, MIN_POINTS))
    for size in TABLE_SIZES:
        chunks = _split_table(header, rows, widths, height, size)
        if len(chunks) <= fewest:
            return size, chunks
    return MIN_POINTS, _split_table(  # pragma: no cover - the smallest size always qualifies
        header, rows, widths, height, MIN_POINTS
    )


def _split_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    height: float,
    size: int,
) -> list[list[Sequence[str]]]:
    head = table_row_height(header, widths, size)
    chunks: list[list[Sequence[str]]] = [[]]
    used = head
    for row in rows:
        need = table_row_height(row, widths, size)
        if chunks[-1] and used + need > height:
            chunks.append([])
            used = head
        chunks[-1].append(row)
        used += need
    return chunks


#: The widths of the department table's columns (department, rate, standing, barrier).
TABLE_WIDTHS = (300.0, 120.0, 150.0, 318.0)

#: The widths with outcome data (department, exit rule, new way's share, weekly, barrier).
OUTCOME_TABLE_WIDTHS = (180.0, 230.0, 130.0, 130.0, 218.0)


def table_widths(columns: int) -> tuple[float, ...]:
    """The widths of a department table of ``columns`` columns (with outcome data: five)."""
    return OUTCOME_TABLE_WIDTHS if columns == len(OUTCOME_TABLE_WIDTHS) else TABLE_WIDTHS


def month_starts(start: dt.date, finish: dt.date) -> tuple[tuple[dt.date, str], ...]:
    """The first day and ``YYYY-MM`` label of every month from ``start`` to ``finish``."""
    out: list[tuple[dt.date, str]] = []
    year, month = start.year, start.month
    while (year, month) <= (finish.year, finish.month):
        out.append((dt.date(year, month, 1), f"{year}-{month:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(out)

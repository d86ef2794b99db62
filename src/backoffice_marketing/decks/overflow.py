"""Checking a pptx file for text that overflows its box or is set below the smallest size.

The check reads what the file says (box sizes, insets, run sizes, text) and
measures the text with :mod:`.fit`'s conservative widths, so it holds for
any pptx, not only for the decks this library draws.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any

import attrs

from backoffice_marketing.decks.fit import MIN_POINTS, text_height
from backoffice_marketing.decks.pptx_writer import require_pptx

__all__ = ["Overflow", "overflows"]

_EMU = 12700
#: Half a point of tolerance for rounding to EMU.
_TOLERANCE = 0.5


@attrs.frozen
class Overflow:
    """A text that needs more room than its box has, or is set below :data:`MIN_POINTS`."""

    slide: int
    shape: str
    text: str
    needed: float
    available: float
    size: float

    def __str__(self) -> str:
        return (
            f"slide {self.slide}, {self.shape}: {self.text[:40]!r} needs {self.needed:.1f} pt, "
            f"has {self.available:.1f} pt (at {self.size:g} pt)"
        )


def _paragraphs(frame: Any) -> list[tuple[str, float, float]]:
    """Each paragraph's text, type size and space after (in points)."""
    out: list[tuple[str, float, float]] = []
    for paragraph in frame.paragraphs:
        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
        text = "".join(run.text for run in paragraph.runs)
        after = paragraph.space_after.pt if paragraph.space_after is not None else 0.0
        if text:
            out.append((text, max(sizes) if sizes else 18.0, after))
    return out


def _check(slide: int, name: str, frame: Any, width: float, height: float) -> Iterator[Overflow]:
    paragraphs = _paragraphs(frame)
    if not paragraphs:
        return
    needed = sum(text_height([(text, size)], width) for text, size, _ in paragraphs)
    needed += sum(after for _, _, after in paragraphs[:-1])
    text = " / ".join(text for text, _, _ in paragraphs)
    smallest = min(size for _, size, _ in paragraphs)
    if needed > height + _TOLERANCE or smallest < MIN_POINTS:
        yield Overflow(slide, name, text, needed, height, smallest)


def _margin(value: Any, default: float) -> float:
    return default if value is None else value / _EMU


def overflows(pptx: bytes | str | os.PathLike[str]) -> tuple[Overflow, ...]:
    """Every text box and table cell of ``pptx`` (bytes or a path) whose text does not fit."""
    require_pptx()
    from pptx import Presentation  # noqa: PLC0415

    source = io.BytesIO(pptx) if isinstance(pptx, bytes) else os.fspath(pptx)
    presentation = Presentation(source)
    found: list[Overflow] = []
    for number, slide in enumerate(presentation.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame:
                frame = shape.text_frame
                width = (
                    shape.width / _EMU
                    - _margin(frame.margin_left, 7.2)
                    - _margin(frame.margin_right, 7.2)
                )
                height = (
                    shape.height / _EMU
                    - _margin(frame.margin_top, 3.6)
                    - _margin(frame.margin_bottom, 3.6)
                )
                found += _check(number, shape.name, frame, width, height)
            if shape.has_table:
                table = shape.table
                for row in table.rows:
                    for column, cell in zip(table.columns, row.cells, strict=True):
                        width = (column.width - cell.margin_left - cell.margin_right) / _EMU
                        height = (row.height - cell.margin_top - cell.margin_bottom) / _EMU
                        found += _check(number, shape.name, cell.text_frame, width, height)
    return tuple(found)

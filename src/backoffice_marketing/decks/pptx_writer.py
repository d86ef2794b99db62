"""Drawing a :class:`~.model.Deck` as a PowerPoint file (python-pptx, the ``[deck]`` extra).

Japanese is set as PowerPoint expects it: every run names a Latin and an
East Asian typeface (python-pptx sets only the Latin one) from a font stack
that Office on Windows and Mac has, the theme names a Japanese font for the
``Jpan`` script, and the presentation's default language is ``ja-JP`` (for a
Japanese deck). Every box has fixed insets and no auto-fit: the builder
measured the text against the same boxes (:mod:`.layout`).

The file is the same bytes for the same deck: the core properties' dates
come from the as-of date, and the zip is rewritten with sorted entries and
fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from backoffice_marketing.decks.layout import (
    BODY,
    FOOTER,
    GANTT_INSET_Y,
    GANTT_LABEL_WIDTH,
    GANTT_ROW,
    INSET_X,
    INSET_Y,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    SPACING,
    TABLE_INSET_X,
    TABLE_INSET_Y,
    TITLE,
    TITLE_SIZES,
    Rect,
    table_row_height,
)
from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.render.labels import label

if TYPE_CHECKING:
    from backoffice_marketing.decks.model import Deck, Slide

__all__ = ["FONT_STACK", "deck_bytes", "notes_text"]

#: The typefaces a deck names, in order: Office on Windows and Mac ships 游ゴシック (Yu
#: Gothic); メイリオ (Meiryo) is on every Windows since Vista; Hiragino on every Mac.
FONT_STACK = (
    "游ゴシック",
    "Yu Gothic",
    "メイリオ",
    "Meiryo",
    "Hiragino Sans",
    "ヒラギノ角ゴシック",
)
_EA_FONT = FONT_STACK[0]
_LATIN_FONT = FONT_STACK[1]
_EMU = 12700
_NAVY = "1F3864"
_GREY = "595959"
_RED = "C00000"
_BAR = "2E75B6"
_LIGHT = "D9E2F3"
_MARKER = "C55A11"


#: The space on each side of a bar, as a share of its column.
_BAR_GAP = 0.15


def require_pptx() -> Any:
    try:
        import pptx  # noqa: PLC0415
    except ImportError as error:
        raise MissingExtraError("deck", "python-pptx") from error
    return pptx


def _rgb(hex_code: str) -> Any:
    from pptx.dml.color import RGBColor  # noqa: PLC0415

    red, green, blue = bytes.fromhex(hex_code)
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def _emu(points: float) -> int:
    return round(points * _EMU)


def _east_asian(rpr: Any, lang: str) -> None:
    """Name the Latin and East Asian typefaces of a run (``a:latin``, ``a:ea``) and its language."""
    from pptx.oxml.ns import qn  # noqa: PLC0415

    rpr.set("lang", "ja-JP" if lang == "ja" else "en-US")
    rpr.set("altLang", "en-US" if lang == "ja" else "ja-JP")
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    latin = rpr.makeelement(qn("a:latin"), {"typeface": _LATIN_FONT})
    ea = rpr.makeelement(qn("a:ea"), {"typeface": _EA_FONT, "pitchFamily": "50", "charset": "-128"})
    # a:latin and a:ea follow the fill in CT_TextCharacterProperties; hyperlinks would follow.
    rpr.append(latin)
    rpr.append(ea)


def _paragraph(frame: Any, text: str, size: int, lang: str, *, first: bool, **style: Any) -> None:
    from pptx.util import Pt  # noqa: PLC0415

    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size = Pt(size)
    font.bold = bool(style.get("bold"))
    font.color.rgb = _rgb(style.get("color", "000000"))
    _east_asian(run._r.get_or_add_rPr(), lang)
    if style.get("spaced"):
        paragraph.space_after = Pt(round(size * SPACING, 1))


def _frame(frame: Any, *, inset_x: float = INSET_X, inset_y: float = INSET_Y) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE  # noqa: PLC0415
    from pptx.util import Pt  # noqa: PLC0415

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Pt(inset_x)
    frame.margin_top = frame.margin_bottom = Pt(inset_y)


def _textbox(
    shapes: Any,
    rect: Rect,
    lines: list[tuple[str, dict[str, Any]]],
    size: int,
    lang: str,
    *,
    inset_y: float = INSET_Y,
) -> Any:
    box = shapes.add_textbox(_emu(rect.left), _emu(rect.top), _emu(rect.width), _emu(rect.height))
    _frame(box.text_frame, inset_y=inset_y)
    for index, (text, style) in enumerate(lines):
        _paragraph(box.text_frame, text, size, lang, first=index == 0, **style)
    return box


def _rectangle(shapes: Any, rect: Rect, color: str, *, diamond: bool = False) -> None:
    from pptx.enum.shapes import MSO_SHAPE  # noqa: PLC0415

    kind = MSO_SHAPE.DIAMOND if diamond else MSO_SHAPE.RECTANGLE
    shape = shapes.add_shape(
        kind, _emu(rect.left), _emu(rect.top), _emu(rect.width), _emu(rect.height)
    )
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _title_size(title: str) -> int:
    from backoffice_marketing.decks.fit import fits  # noqa: PLC0415

    return fits([title], TITLE.room, TITLE_SIZES) or min(TITLE_SIZES)


def notes_text(deck: Deck, slide: Slide) -> str:
    """The speaker notes of ``slide``: each figure with its report, field and as-of date."""
    lang = deck.lang if deck.lang in {"ja", "en"} else "ja"
    if not slide.figures:
        return label("deck_notes_none", lang)  # type: ignore[arg-type]
    lines = [label("deck_notes_sources", lang)]  # type: ignore[arg-type]
    seen: set[tuple[str, str]] = set()
    for figure in slide.figures:
        if (figure.source, figure.field) in seen:
            continue
        seen.add((figure.source, figure.field))
        when = (
            f", {label('deck_notes_as_of', lang)} {figure.as_of.isoformat()}"  # type: ignore[arg-type]
            if figure.as_of
            else ""
        )
        origin = f" ({figure.origin})" if figure.origin else ""
        lines.append(f"- {figure.text}: {figure.source}.json, {figure.field}{when}{origin}")
    return "\n".join(lines)


def _draw_lines(shapes: Any, slide: Slide, lang: str) -> None:
    lines: list[tuple[str, dict[str, Any]]] = [
        (w, {"color": _RED, "bold": True, "spaced": True}) for w in slide.warnings
    ]
    lines += [(text, {"spaced": True}) for text in slide.lines]
    if slide.missing:
        lines.append((slide.missing, {"color": _GREY, "spaced": True}))
    if lines:
        _textbox(shapes, BODY, lines, slide.size, lang)


def _draw_table(shapes: Any, slide: Slide, lang: str) -> None:
    from pptx.enum.text import MSO_ANCHOR  # noqa: PLC0415
    from pptx.util import Pt  # noqa: PLC0415

    from backoffice_marketing.decks.layout import table_widths  # noqa: PLC0415

    widths = table_widths(len(slide.table[0]))
    heights = [table_row_height(row, widths, slide.size) for row in slide.table]
    frame = shapes.add_table(
        len(slide.table),
        len(widths),
        _emu(BODY.left),
        _emu(BODY.top),
        _emu(sum(widths)),
        _emu(sum(heights)),
    )
    table = frame.table
    for index, width in enumerate(widths):
        table.columns[index].width = _emu(width)
    for row_index, (row, height) in enumerate(zip(slide.table, heights, strict=True)):
        table.rows[row_index].height = _emu(height)
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            cell.margin_left = cell.margin_right = Pt(TABLE_INSET_X)
            cell.margin_top = cell.margin_bottom = Pt(TABLE_INSET_Y)
            cell.text_frame.word_wrap = True
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            header = row_index == 0
            _paragraph(
                cell.text_frame, text, slide.size, lang, first=True, bold=header,
                color="FFFFFF" if header else "000000",
            )  # fmt: skip
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(
                _NAVY if header else ("FFFFFF" if row_index % 2 else "F2F2F2")
            )


def _draw_gantt(shapes: Any, slide: Slide, lang: str) -> None:
    from backoffice_marketing.decks.layout import month_starts  # noqa: PLC0415

    rows = slide.gantt
    first = min(row.start for row in rows)
    last = max(row.finish for row in rows)
    span = (last - first).days + 1
    left = BODY.left + GANTT_LABEL_WIDTH
    width = BODY.width - GANTT_LABEL_WIDTH
    top = BODY.top + GANTT_ROW

    def x(day: dt.date) -> float:
        return left + width * (day - first).days / span

    # Month axis: a light band per month, its label when there is room for it.
    for start, text in month_starts(first, last):
        begin = max(start, first)
        nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(nxt, last + dt.timedelta(days=1))
        band = Rect(x(begin), BODY.top, max(x(end) - x(begin) - 1, 1), GANTT_ROW * (len(rows) + 1))
        _rectangle(shapes, band, "F2F2F2" if start.month % 2 else "FFFFFF")
        if band.width >= 80:
            _textbox(
                shapes,
                Rect(band.left, BODY.top, band.width, GANTT_ROW),
                [(text, {"color": _GREY})],
                14,
                lang,
                inset_y=GANTT_INSET_Y,
            )
    for index, row in enumerate(rows):
        y = top + index * GANTT_ROW
        _textbox(
            shapes,
            Rect(BODY.left, y, GANTT_LABEL_WIDTH, GANTT_ROW),
            [(row.label, {})],
            14,
            lang,
            inset_y=GANTT_INSET_Y,
        )
        bar_left = x(row.start)
        bar_right = x(row.finish + dt.timedelta(days=1))
        _rectangle(
            shapes, Rect(bar_left, y + 5, max(bar_right - bar_left, 3), GANTT_ROW - 10), _BAR
        )
    bottom = top + len(rows) * GANTT_ROW
    for marker in slide.markers:
        if first <= marker.date <= last:
            _rectangle(shapes, Rect(x(marker.date) - 0.75, top, 1.5, bottom - top), _MARKER)
            _rectangle(shapes, Rect(x(marker.date) - 6, bottom - 6, 12, 12), _MARKER, diamond=True)
    legend = Rect(BODY.left, bottom + 4, BODY.width, BODY.top + BODY.height - bottom - 4)
    _textbox(shapes, legend, [(text, {"color": _MARKER}) for text in slide.lines], 14, lang)


def _draw_bars(shapes: Any, slide: Slide, lang: str) -> None:
    room = BODY.room
    text_height = room.height_of([(t, slide.size) for t in slide.lines]) + 2 * INSET_Y + 4
    _textbox(
        shapes,
        Rect(BODY.left, BODY.top, BODY.width, text_height),
        [(t, {"spaced": True}) for t in slide.lines],
        slide.size,
        lang,
    )
    area = Rect(
        BODY.left + 10,
        BODY.top + text_height + 10,
        BODY.width - 110,
        BODY.height - text_height - 14 - GANTT_ROW,
    )
    count = len(slide.bars)
    step = area.width / count
    for index, value in enumerate(slide.bars):
        height = area.height * value
        _rectangle(
            shapes,
            Rect(
                area.left + index * step + step * _BAR_GAP,
                area.top + area.height - height,
                step * (1 - 2 * _BAR_GAP),
                height,
            ),
            _BAR,
        )
    _rectangle(shapes, Rect(area.left, area.top + area.height, area.width, 1), _GREY)
    for index, text in zip((0, count - 1), slide.axis, strict=False):
        left = area.left + index * step if index == 0 else area.left + area.width - 140
        _textbox(
            shapes,
            Rect(left, area.top + area.height + 2, 140, GANTT_ROW),
            [(text, {"color": _GREY})],
            14,
            lang,
            inset_y=GANTT_INSET_Y,
        )
    if slide.reference is not None:
        y = area.top + area.height * (1 - slide.reference)
        _rectangle(shapes, Rect(area.left, y - 1, area.width, 2), _RED)
        _textbox(
            shapes,
            Rect(area.left + area.width + 4, y - 16, 96, 32),
            [(slide.reference_label, {"color": _RED, "bold": True})],
            14,
            lang,
        )


def _draw(presentation: Any, deck: Deck, slide: Slide, layout: Any) -> None:
    page = presentation.slides.add_slide(layout)
    shapes = page.shapes
    lang = deck.lang
    _rectangle(shapes, Rect(0, 0, 960, 8), _NAVY)
    _textbox(
        shapes,
        TITLE,
        [(slide.title, {"bold": True, "color": _NAVY})],
        _title_size(slide.title),
        lang,
    )
    if slide.gantt:
        _draw_gantt(shapes, slide, lang)
    elif slide.table:
        _draw_table(shapes, slide, lang)
    elif slide.bars:
        _draw_bars(shapes, slide, lang)
    else:
        _draw_lines(shapes, slide, lang)
    footer = label("deck_footer", lang).format(name=deck.title, as_of=deck.as_of.isoformat())  # type: ignore[arg-type]
    _textbox(shapes, FOOTER, [(footer, {"color": _GREY})], 14, lang)
    notes = page.notes_slide.notes_text_frame
    for index, text in enumerate(notes_text(deck, slide).split("\n")):
        _paragraph(notes, text, 14, lang, first=index == 0)


def _theme_fonts(presentation: Any, lang: str) -> None:
    """Japanese default language and East Asian fonts in the text styles and the theme."""
    from lxml import etree  # type: ignore[import-untyped]  # noqa: PLC0415
    from pptx.oxml.ns import qn  # noqa: PLC0415

    style = presentation.part._element.find(qn("p:defaultTextStyle"))
    if style is not None:
        for level in style:
            rpr = level.find(qn("a:defRPr"))
            if rpr is not None:
                _east_asian(rpr, lang)
    master = presentation.slide_masters[0]
    for rel in master.part.rels.values():
        if rel.reltype.endswith("/theme"):
            theme = etree.fromstring(rel.target_part.blob)
            for font in theme.iter(qn("a:majorFont"), qn("a:minorFont")):
                font.find(qn("a:latin")).set("typeface", _LATIN_FONT)
                font.find(qn("a:ea")).set("typeface", _EA_FONT)
                for old in font.findall(qn("a:font")):
                    if old.get("script") == "Jpan":
                        font.remove(old)
                jpan = etree.SubElement(font, qn("a:font"))
                jpan.set("script", "Jpan")
                jpan.set("typeface", _EA_FONT)
            rel.target_part._blob = etree.tostring(
                theme, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The zip with sorted entries, one fixed timestamp and fixed attributes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def deck_bytes(deck: Deck) -> bytes:
    """The deck as the bytes of a ``.pptx`` file (the same bytes for the same deck)."""
    require_pptx()
    from pptx import Presentation  # noqa: PLC0415
    from pptx.util import Emu  # noqa: PLC0415

    presentation = Presentation()
    presentation.slide_width = Emu(_emu(SLIDE_WIDTH))
    presentation.slide_height = Emu(_emu(SLIDE_HEIGHT))
    _theme_fonts(presentation, deck.lang)
    layout = presentation.slide_layouts[6]
    for slide in deck.slides:
        _draw(presentation, deck, slide, layout)
    stamp = dt.datetime.combine(deck.as_of, dt.time())
    properties = presentation.core_properties
    properties.title = deck.title
    properties.author = "backoffice-marketing"
    properties.last_modified_by = "backoffice-marketing"
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    properties.language = "ja-JP" if deck.lang == "ja" else "en-US"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return _fixed_zip(buffer.getvalue(), deck.as_of)

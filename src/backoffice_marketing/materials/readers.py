"""Readers for plain text, Markdown, Word (.docx) and PowerPoint (.pptx).

Word and PowerPoint files are zip archives of XML parts (Office Open XML).
They are read with the standard library only, with the care of a hardened
parser: an archive with too many entries, an oversized part or a suspicious
compression ratio is refused, and any part that declares a DTD or an entity is
refused before it is parsed (which rules out entity-expansion bombs and
external entities). Every error names the file and the part.

Locations: text and Markdown give line and column; Word gives the paragraph
(counted over the whole body, tables included) and the column inside it;
PowerPoint gives the slide (in presentation order) and the paragraph on that
slide, and the column.
"""

from __future__ import annotations

import codecs
import os
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from backoffice_marketing.exceptions import LoadError, Problem, UnsupportedFormatError
from backoffice_marketing.foundation.io.bounded import open_zip_bounded, read_bytes_bounded
from backoffice_marketing.foundation.io.limits import (
    MAX_ARCHIVE_ENTRIES,
    MAX_OFFICE_BYTES,
    MAX_PART_BYTES,
    MAX_SLIDES,
    MAX_TEXT_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_XML_DEPTH,
    MAX_XML_ELEMENTS,
)
from backoffice_marketing.materials.model import (
    Anchor,
    Block,
    BlockKind,
    Location,
    Material,
    MaterialFormat,
)

__all__ = [
    "MAX_ARCHIVE_ENTRIES",
    "MAX_PART_BYTES",
    "MAX_TEXT_BYTES",
    "SUFFIXES",
    "material_from_text",
    "read_material",
]

SUFFIXES: dict[str, MaterialFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".pptx": "pptx",
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _problem(file: str, message: str, *, part: str = "", line: int | None = None) -> LoadError:
    return LoadError([Problem(file, line, None, part, message)])


def format_of_material(path: str | os.PathLike[str]) -> MaterialFormat:
    """The format named by the suffix of ``path``."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormatError(str(path), sorted(SUFFIXES))
    return SUFFIXES[suffix]


def read_material(path: str | os.PathLike[str], *, encoding: str | None = None) -> Material:
    """Read the document at ``path`` (format chosen by its suffix).

    Text and Markdown are decoded as UTF-8 (a byte order mark is allowed),
    then, failing that, as Shift_JIS (cp932), which older Japanese Windows
    files use; pass ``encoding`` to choose it yourself.
    """
    file = str(path)
    fmt = format_of_material(path)
    limit = MAX_TEXT_BYTES if fmt in ("text", "markdown") else MAX_OFFICE_BYTES
    raw = read_bytes_bounded(path, limit=limit, what="document")
    if fmt == "docx":
        return _read_docx(raw, file)
    if fmt == "pptx":
        return _read_pptx(raw, file)
    return material_from_text(_decode(raw, file, encoding), format=fmt, name=file)


def _decode(raw: bytes, file: str, encoding: str | None) -> str:
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise _problem(file, f"cannot decode the file as {encoding}: {error}") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _problem(file, f"not valid UTF-16 at byte {error.start}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError:
        line = raw[:start].count(b"\n") + 1
        raise _problem(
            file, f"not valid UTF-8 (nor Shift_JIS) at byte {start}", line=line
        ) from None


# ---------------------------------------------------------------------------
# Text and Markdown
# ---------------------------------------------------------------------------

_BULLET = re.compile(
    r"(?:[-*+]\s+|[・•●○■□◆◇▪▶►]\s*|\d{1,3}[.)]\s+|[０-９]{1,3}[．.）)]\s*"
    r"|[（(][0-9０-９]{1,3}[)）]\s*|[①-⑳]\s*)"
)
_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"\s*(```|~~~)")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE = re.compile(r"!?\[([^\]\n]*)\]\(([^)\s]*)\)|\*\*|__|`")
_TERMINAL = tuple("。．.!?！？:：")
#: A line at least this wide (CJK counted twice) without final punctuation is
#: taken to be hard-wrapped, and the next line continues its paragraph.
_WRAP_WIDTH = 60


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _inline(content: str, line: int, column: int, *, markdown: bool) -> tuple[str, list[Anchor]]:
    """Text of one line with Markdown inline markup removed, and where each piece came from."""
    if not markdown:
        return content, [Anchor(0, Location(line=line, column=column))]
    pieces: list[str] = []
    anchors: list[Anchor] = []
    length = 0
    position = 0

    def keep(text: str, at: int) -> None:
        nonlocal length
        if text:
            anchors.append(Anchor(length, Location(line=line, column=column + at)))
            pieces.append(text)
            length += len(text)

    for match in _INLINE.finditer(content):
        keep(content[position : match.start()], position)
        if match.group(1) is not None:
            keep(match.group(1), match.start(1))
            if match.group(2):
                keep(" ", match.start(2) - 1)
                keep(match.group(2), match.start(2))
        position = match.end()
    keep(content[position:], position)
    if not anchors:
        anchors.append(Anchor(0, Location(line=line, column=column)))
    return "".join(pieces), anchors


class _Builder:
    """Collects blocks, joining hard-wrapped lines into one paragraph."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.text = ""
        self.kind = BlockKind.PARAGRAPH
        self.anchors: list[Anchor] = []
        self.last_line = ""

    def flush(self) -> None:
        if self.text.strip():
            self.blocks.append(Block(self.text, self.kind, self.anchors))
        self.text, self.anchors, self.last_line = "", [], ""

    def start(self, kind: BlockKind, text: str, anchors: list[Anchor], raw: str) -> None:
        self.flush()
        self.kind, self.text, self.anchors, self.last_line = kind, text, anchors, raw

    def continues(self) -> bool:
        last = self.last_line.rstrip()
        return bool(last) and not last.endswith(_TERMINAL) and _width(last) >= _WRAP_WIDTH

    def extend(self, text: str, anchors: list[Anchor], raw: str) -> None:
        joiner = "" if self.text and _is_cjk(self.text[-1]) and text and _is_cjk(text[0]) else " "
        base = len(self.text) + len(joiner)
        self.text += joiner + text
        self.anchors.extend(Anchor(base + a.offset, a.location) for a in anchors)
        self.last_line = raw


def material_from_text(
    text: str,
    *,
    format: MaterialFormat = "markdown",  # noqa: A002  (the public keyword)
    name: str = "<text>",
) -> Material:
    """Read ``text`` as plain text or Markdown.

    Both recognise bullets (``-``, ``*``, ``・``, ``●``, ``1.``, ``(1)``, ``①``
    ...) as list items and join hard-wrapped lines; Markdown also knows
    headings, tables, code blocks (skipped) and inline markup (removed).
    """
    if format not in ("text", "markdown"):
        raise UnsupportedFormatError(name, ["text", "markdown"])
    markdown = format == "markdown"
    builder = _Builder()
    in_fence = False
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.replace("\t", " ")
        if markdown and _FENCE.match(line):
            builder.flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if not stripped:
            builder.flush()
            continue
        indent = len(line) - len(line.lstrip())
        if markdown and (heading := _HEADING.match(stripped)):
            start = indent + heading.start(2)
            body, anchors = _inline(heading.group(2), number, start + 1, markdown=markdown)
            builder.start(BlockKind.HEADING, body, anchors, "")
            builder.flush()
            continue
        if markdown and stripped.startswith("|"):
            builder.flush()
            if not _TABLE_RULE.match(stripped):
                _table_row(builder, line, number)
            continue
        bullet = _BULLET.match(line, indent)
        if bullet:
            body, anchors = _inline(
                line[bullet.end() :].rstrip(), number, bullet.end() + 1, markdown=markdown
            )
            builder.start(BlockKind.LIST_ITEM, body, anchors, line)
            continue
        body, anchors = _inline(stripped, number, indent + 1, markdown=markdown)
        if builder.text and (
            builder.continues() or (builder.kind is BlockKind.LIST_ITEM and indent > 0)
        ):
            builder.extend(body, anchors, line)
        else:
            builder.start(BlockKind.PARAGRAPH, body, anchors, line)
    builder.flush()
    return Material(name, format, tuple(builder.blocks))


def _table_row(builder: _Builder, line: str, number: int) -> None:
    position = line.index("|") + 1
    for cell in re.split(r"(?<!\\)\|", line[position:]):
        content = cell.strip()
        if content:
            offset = position + cell.index(content)
            body, anchors = _inline(content, number, offset + 1, markdown=True)
            builder.start(BlockKind.TABLE_CELL, body, anchors, "")
            builder.flush()
        position += len(cell) + 1


# ---------------------------------------------------------------------------
# Office Open XML
# ---------------------------------------------------------------------------


class _RefusedXMLError(Exception):
    """A part declares a DTD or an entity."""


def _refuse(*_: object) -> None:
    raise _RefusedXMLError


def _open_archive(raw: bytes, file: str) -> zipfile.ZipFile:
    return open_zip_bounded(raw, file, what="Office file")


class _Budget:
    """What one document may still read: uncompressed bytes and XML elements over all parts."""

    def __init__(self) -> None:
        self.bytes = MAX_UNCOMPRESSED_BYTES
        self.elements = MAX_XML_ELEMENTS

    def spend(self, file: str, part: str, size: int, elements: int) -> None:
        self.bytes -= size
        self.elements -= elements
        if self.bytes < 0:
            raise _problem(
                file, f"the parts read hold more than {MAX_UNCOMPRESSED_BYTES} bytes", part=part
            )
        if self.elements < 0:
            raise _problem(
                file, f"the parts read hold more than {MAX_XML_ELEMENTS} XML elements", part=part
            )


def _read_part(archive: zipfile.ZipFile, name: str, file: str) -> bytes | None:
    """The bytes of part ``name``, or ``None`` if the archive lacks it."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError) as error:
        raise _problem(file, f"cannot read the part: {error}", part=name) from None
    if len(data) > MAX_PART_BYTES:  # pragma: no cover - the header lied about the size
        raise _problem(file, f"the part is larger than {MAX_PART_BYTES} bytes", part=name)
    return data


class _XMLCounter:
    """Counts elements and depth while expat checks a part."""

    def __init__(self) -> None:
        self.depth = 0
        self.elements = 0

    def start(self, *_: object) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeepXMLError
        if self.elements > MAX_XML_ELEMENTS:
            raise _TooManyElementsError

    def end(self, *_: object) -> None:
        self.depth -= 1


class _TooDeepXMLError(Exception):
    """A part nests elements deeper than the limit."""


class _TooManyElementsError(Exception):
    """A part holds more elements than the limit."""


def _parse_xml(data: bytes, file: str, part: str) -> ET.Element:
    """Parse one XML part, refusing DTDs, entity declarations, deep nesting and huge trees."""
    element, _ = _parse_xml_counted(data, file, part)
    return element


def _parse_xml_counted(data: bytes, file: str, part: str) -> tuple[ET.Element, int]:
    """The parsed part and the number of its elements."""
    checker = expat.ParserCreate()
    counter = _XMLCounter()
    checker.StartDoctypeDeclHandler = _refuse
    checker.EntityDeclHandler = _refuse
    checker.StartElementHandler = counter.start
    checker.EndElementHandler = counter.end
    try:
        checker.Parse(data, True)  # noqa: FBT003  (expat's own signature)
    except _RefusedXMLError:
        raise _problem(file, "the XML declares a DTD or an entity; refused", part=part) from None
    except _TooDeepXMLError:
        raise _problem(
            file, f"the XML nests elements deeper than {MAX_XML_DEPTH} levels", part=part
        ) from None
    except _TooManyElementsError:
        raise _problem(
            file, f"the XML holds more than {MAX_XML_ELEMENTS} elements", part=part
        ) from None
    except expat.ExpatError as error:
        raise _problem(
            file,
            f"malformed XML ({expat.errors.messages[error.code]})",
            part=part,
            line=error.lineno,
        ) from None
    return ET.fromstring(data), counter.elements  # noqa: S314  (checked: no DTD, no entities)


def _require_part(archive: zipfile.ZipFile, name: str, file: str, what: str) -> ET.Element:
    data = _read_part(archive, name, file)
    if data is None:
        raise _problem(file, f"not a {what} file: the part is missing", part=name)
    return _parse_xml(data, file, name)


def _runs_text(
    element: ET.Element, stop: frozenset[str], text_tags: frozenset[str], breaks: frozenset[str]
) -> str:
    """The text under ``element``, not descending into tags in ``stop``."""
    pieces: list[str] = []
    stack: list[ET.Element] = list(reversed(element))
    while stack:  # depth-first, in document order, without recursion
        child = stack.pop()
        if child.tag in stop:
            continue
        if child.tag in text_tags:
            pieces.append(child.text or "")
        elif child.tag in breaks:
            pieces.append(" ")
        else:
            stack.extend(reversed(child))
    return "".join(pieces)


def _read_docx(raw: bytes, file: str) -> Material:
    with _open_archive(raw, file) as archive:
        document = _require_part(archive, "word/document.xml", file, "Word (.docx)")
        styles_data = _read_part(archive, "word/styles.xml", file)
        styles = (
            _parse_xml(styles_data, file, "word/styles.xml") if styles_data is not None else None
        )
    style_names: dict[str, str] = {}
    if styles is not None:
        for style in styles.iter(f"{_W}style"):
            name = style.find(f"{_W}name")
            style_names[style.get(f"{_W}styleId", "")] = (
                (name.get(f"{_W}val") or "") if name is not None else ""
            ).lower()
    body = document.find(f"{_W}body")
    if body is None:
        raise _problem(
            file, "not a Word (.docx) file: the document has no body", part="word/document.xml"
        )
    in_cell = {id(p) for cell in body.iter(f"{_W}tc") for p in cell.iter(f"{_W}p")}
    stop = frozenset({f"{_W}p", f"{_W}txbxContent", f"{_W}pPr"})
    text_tags = frozenset({f"{_W}t"})
    breaks = frozenset({f"{_W}tab", f"{_W}br", f"{_W}cr"})
    blocks: list[Block] = []
    for number, paragraph in enumerate(body.iter(f"{_W}p"), start=1):
        text = _runs_text(paragraph, stop, text_tags, breaks)
        if not text.strip():
            continue
        kind = _docx_kind(paragraph, style_names, in_cell=id(paragraph) in in_cell)
        blocks.append(Block.at(text, kind, Location(paragraph=number, column=1)))
    return Material(file, "docx", tuple(blocks))


def _docx_kind(paragraph: ET.Element, style_names: dict[str, str], *, in_cell: bool) -> BlockKind:
    if in_cell:
        return BlockKind.TABLE_CELL
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        return BlockKind.PARAGRAPH
    style = properties.find(f"{_W}pStyle")
    name = style_names.get(style.get(f"{_W}val", ""), "") if style is not None else ""
    if properties.find(f"{_W}outlineLvl") is not None or name.startswith(
        ("heading", "title", "subtitle")
    ):
        return BlockKind.HEADING
    if properties.find(f"{_W}numPr") is not None or "list" in name:
        return BlockKind.LIST_ITEM
    return BlockKind.PARAGRAPH


def _slide_parts(archive: zipfile.ZipFile, file: str) -> list[str]:
    """The slide parts in presentation order."""
    presentation = _require_part(archive, "ppt/presentation.xml", file, "PowerPoint (.pptx)")
    rels_data = _read_part(archive, "ppt/_rels/presentation.xml.rels", file)
    targets: dict[str, str] = {}
    if rels_data is not None:
        rels = _parse_xml(rels_data, file, "ppt/_rels/presentation.xml.rels")
        for rel in rels.iter(f"{_REL}Relationship"):
            target = rel.get("Target", "")
            resolved = (
                posixpath.normpath(posixpath.join("ppt", target))
                if not target.startswith("/")
                else target[1:]
            )
            targets[rel.get("Id", "")] = resolved
    parts: list[str] = []
    id_list = presentation.find(f"{_P}sldIdLst")
    for slide_id in id_list if id_list is not None else ():
        slide_part = targets.get(slide_id.get(f"{_R}id", ""))
        if slide_part is None:
            raise _problem(
                file, "a slide of the presentation has no part", part="ppt/presentation.xml"
            )
        parts.append(slide_part)
    if len(parts) > MAX_SLIDES:
        raise _problem(file, f"the presentation has {len(parts)} slides; at most {MAX_SLIDES}")
    return parts


def _read_pptx(raw: bytes, file: str) -> Material:
    blocks: list[Block] = []
    budget = _Budget()
    # Each part is read and parsed once; a slide that reuses a part still spends
    # that part's bytes and elements, so 2,000 slides sharing one big part are refused.
    read: dict[str, tuple[list[tuple[str, BlockKind, int]], int, int]] = {}
    with _open_archive(raw, file) as archive:
        for slide_number, part in enumerate(_slide_parts(archive, file), start=1):
            if part not in read:
                data = _read_part(archive, part, file)
                if data is None:
                    raise _problem(
                        file, "not a PowerPoint (.pptx) file: the part is missing", part=part
                    )
                slide, elements = _parse_xml_counted(data, file, part)
                read[part] = (list(_slide_paragraphs(slide)), len(data), elements)
            paragraphs, size, elements = read[part]
            budget.spend(file, part, size, elements)
            blocks.extend(
                Block.at(text, kind, Location(slide=slide_number, paragraph=number, column=1))
                for text, kind, number in paragraphs
            )
    return Material(file, "pptx", tuple(blocks))


def _slide_paragraphs(slide: ET.Element) -> Iterator[tuple[str, BlockKind, int]]:
    parents = {child: parent for parent in slide.iter() for child in parent}
    stop = frozenset({f"{_A}pPr"})
    text_tags = frozenset({f"{_A}t"})
    breaks = frozenset({f"{_A}br"})
    for number, paragraph in enumerate(slide.iter(f"{_A}p"), start=1):
        text = _runs_text(paragraph, stop, text_tags, breaks)
        if text.strip():
            yield text, _pptx_kind(paragraph, parents), number


def _pptx_kind(paragraph: ET.Element, parents: dict[ET.Element, ET.Element]) -> BlockKind:
    node: ET.Element | None = paragraph
    while node is not None:
        if node.tag == f"{_A}tc":
            return BlockKind.TABLE_CELL
        if node.tag == f"{_P}sp":
            placeholder = node.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
            if placeholder is None:
                break
            kind = placeholder.get("type", "body")
            if kind in ("title", "ctrTitle", "subTitle"):
                return BlockKind.HEADING
            if kind in ("body", "obj"):
                properties = paragraph.find(f"{_A}pPr")
                bulleted = properties is None or properties.find(f"{_A}buNone") is None
                return BlockKind.LIST_ITEM if bulleted else BlockKind.PARAGRAPH
            break
        node = parents.get(node)
    properties = paragraph.find(f"{_A}pPr")
    if properties is not None and (
        properties.find(f"{_A}buChar") is not None or properties.find(f"{_A}buAutoNum") is not None
    ):
        return BlockKind.LIST_ITEM
    return BlockKind.PARAGRAPH

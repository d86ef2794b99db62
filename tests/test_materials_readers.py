"""Tests of the document readers, sentence splitting and readability scores."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.exceptions import LoadError, MissingExtraError, UnsupportedFormatError
from backoffice_marketing.foundation.io import bounded
from backoffice_marketing.foundation.io.converter import plain_data
from backoffice_marketing.materials import (
    BlockKind,
    Location,
    english_readability,
    japanese_readability,
    lint,
    material_from_text,
    read_material,
    readers,
)
from backoffice_marketing.materials import readability as readability_module
from backoffice_marketing.materials.model import Anchor, Block
from backoffice_marketing.materials.readability import (
    ReadabilityMethod,
    band_of,
    count_syllables,
    tateishi_score,
)
from backoffice_marketing.materials.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "materials"

_DOCX_BODY = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>{}</w:body></w:document>"
)


def _zip(tmp_path: Path, name: str, parts: Mapping[str, bytes | str]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def test_docx_reader_finds_headings_lists_tables_and_paragraphs() -> None:
    """The Word fixture yields a heading, list items and paragraphs numbered in order."""
    material = read_material(FIXTURES / "good_ja.docx")
    kinds = [block.kind for block in material.blocks]
    assert kinds[0] is BlockKind.HEADING
    assert BlockKind.LIST_ITEM in kinds
    numbers = [block.locate(0).paragraph or 0 for block in material.blocks]
    assert numbers == sorted(numbers)
    assert repr(material).startswith("<Material")


def test_docx_tables_text_boxes_and_breaks(tmp_path: Path) -> None:
    """Table cells, breaks and tabs (as spaces) and outline-level headings are read."""
    body = (
        '<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>見出し</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>一行目</w:t><w:br/><w:t>二行目</w:t><w:tab/><w:t>end</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>セル</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:pPr><w:numPr/></w:pPr><w:r><w:t>項目</w:t></w:r></w:p>"
        "<w:p><w:pPr/><w:r><w:t>段落</w:t></w:r></w:p><w:p/>"
    )
    path = _zip(tmp_path, "t.docx", {"word/document.xml": _DOCX_BODY.format(body)})
    blocks = read_material(path).blocks
    assert [b.kind for b in blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.TABLE_CELL,
        BlockKind.LIST_ITEM,
        BlockKind.PARAGRAPH,
    ]
    assert blocks[1].text == "一行目 二行目 end"
    assert blocks[2].locate(1) == Location(paragraph=3, column=2)


def test_pptx_reader_keeps_presentation_order_and_kinds() -> None:
    """The PowerPoint fixture gives titles as headings, body text as list items, slides in order."""
    material = read_material(FIXTURES / "good_en.pptx")
    assert material.blocks[0].kind is BlockKind.HEADING
    slides = [block.locate(0).slide or 0 for block in material.blocks]
    assert slides == sorted(slides)
    assert slides[0] == 1
    assert BlockKind.LIST_ITEM in {block.kind for block in material.blocks}


def test_pptx_shapes_tables_and_bullets(tmp_path: Path) -> None:
    """Text boxes, tables and bullets get their kinds; buNone makes body text a paragraph."""
    ns = (
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    slide = (
        f"<p:sld {ns}><p:cSld><p:spTree>"
        "<p:sp><p:nvSpPr><p:nvPr/></p:nvSpPr><p:txBody>"
        "<a:p><a:r><a:t>free text</a:t></a:r></a:p>"
        "<a:p><a:pPr><a:buChar char='*'/></a:pPr><a:r><a:t>bullet</a:t></a:r><a:br/>"
        "<a:r><a:t>more</a:t></a:r></a:p></p:txBody></p:sp>"
        "<p:sp><p:nvSpPr><p:nvPr><p:ph type='body'/></p:nvPr></p:nvSpPr><p:txBody>"
        "<a:p><a:pPr><a:buNone/></a:pPr><a:r><a:t>plain body</a:t></a:r></a:p></p:txBody></p:sp>"
        "<p:sp><p:nvSpPr><p:nvPr><p:ph type='dt'/></p:nvPr></p:nvSpPr><p:txBody>"
        "<a:p><a:r><a:t>date</a:t></a:r></a:p></p:txBody></p:sp>"
        "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody>"
        "<a:p><a:r><a:t>cell</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl>"
        "</a:graphicData></a:graphic></p:graphicFrame>"
        "</p:spTree></p:cSld></p:sld>"
    )
    presentation = (
        f"<p:presentation {ns}><p:sldIdLst>"
        "<p:sldId id='257' r:id='rId2'/><p:sldId id='256' r:id='rId1'/>"
        "</p:sldIdLst></p:presentation>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="slides/slide1.xml"/>'
        '<Relationship Id="rId2" Target="/ppt/slides/slide2.xml"/></Relationships>'
    )
    empty = f"<p:sld {ns}><p:cSld><p:spTree/></p:cSld></p:sld>"
    path = _zip(
        tmp_path,
        "t.pptx",
        {
            "ppt/presentation.xml": presentation,
            "ppt/_rels/presentation.xml.rels": rels,
            "ppt/slides/slide1.xml": slide,
            "ppt/slides/slide2.xml": empty,
        },
    )
    blocks = read_material(path).blocks
    assert [b.kind for b in blocks] == [
        BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.TABLE_CELL,
    ]
    assert {b.locate(0).slide for b in blocks} == {2}
    assert blocks[1].text == "bullet more"


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"word/document.xml": '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}, "DTD or an entity"),
        ({"word/document.xml": "<x><y></x>"}, "malformed XML"),
        ({"other.xml": "<x/>"}, "part is missing"),
        ({"word/document.xml": "<x/>"}, "has no body"),
    ],
)
def test_unsafe_or_broken_docx_is_refused(
    tmp_path: Path, parts: dict[str, str], message: str
) -> None:
    """DTDs, malformed XML, missing parts and bodiless documents are errors naming the file."""
    path = _zip(tmp_path, "bad.docx", parts)
    with pytest.raises(LoadError, match=message) as caught:
        read_material(path)
    assert caught.value.problems[0].file == str(path)


def test_pptx_without_slide_part_is_refused(tmp_path: Path) -> None:
    """A slide id that points at no part is an error."""
    ns = (
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    presentation = (
        f"<p:presentation {ns}><p:sldIdLst><p:sldId r:id='rId9'/></p:sldIdLst></p:presentation>"
    )
    path = _zip(tmp_path, "bad.pptx", {"ppt/presentation.xml": presentation})
    with pytest.raises(LoadError, match="no part"):
        read_material(path)


@pytest.mark.usefixtures("in_english")
def test_archive_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Damaged archives, too many entries, oversized parts and zip bombs are refused."""
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(b"PK not a zip")
    with pytest.raises(LoadError, match="damaged"):
        read_material(damaged)
    bomb = _zip(tmp_path, "bomb.docx", {"word/document.xml": "<x>" + " " * 2_000_000 + "</x>"})
    with pytest.raises(LoadError, match="suspiciously"):
        read_material(bomb)
    normal = FIXTURES / "good_en.docx"
    monkeypatch.setattr(bounded, "MAX_ARCHIVE_ENTRIES", 2)
    with pytest.raises(LoadError, match="entries"):
        read_material(normal)
    monkeypatch.setattr(bounded, "MAX_ARCHIVE_ENTRIES", 10_000)
    monkeypatch.setattr(readers, "MAX_SLIDES", 1)
    with pytest.raises(LoadError, match="slides"):
        read_material(FIXTURES / "good_en.pptx")
    monkeypatch.setattr(bounded, "MAX_PART_BYTES", 100)
    with pytest.raises(LoadError, match="bytes"):
        read_material(normal)


@pytest.mark.usefixtures("in_english")
def test_text_file_limits_and_encodings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """UTF-8, UTF-16 and Shift_JIS files read; undecodable and oversized files are errors."""
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes("お知らせです。".encode("cp932"))
    assert read_material(sjis).blocks[0].text == "お知らせです。"
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("お知らせ".encode("utf-16"))
    assert read_material(utf16).blocks[0].text == "お知らせ"
    broken16 = tmp_path / "b16.txt"
    broken16.write_bytes(b"\xff\xfe\x00\xd8")
    with pytest.raises(LoadError, match="UTF-16"):
        read_material(broken16)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\x81\x20\xff")
    with pytest.raises(LoadError, match="not valid UTF-8") as caught:
        read_material(bad)
    assert caught.value.problems[0].line == 2
    with pytest.raises(LoadError, match="cannot decode"):
        read_material(bad, encoding="ascii")
    assert read_material(sjis, encoding="cp932").blocks
    with pytest.raises(LoadError, match="cannot read"):
        read_material(tmp_path / "missing.txt")
    with pytest.raises(UnsupportedFormatError):
        read_material(tmp_path / "notice.pdf")
    with pytest.raises(UnsupportedFormatError):
        material_from_text("x", format="docx")
    monkeypatch.setattr(readers, "MAX_TEXT_BYTES", 3)
    with pytest.raises(LoadError, match="at most"):
        read_material(sjis)


def test_markdown_structure() -> None:
    """Headings, bullets, tables, fences and wrapped lines become the right blocks."""
    text = (
        "# 件名\n\n- 項目一\n  続き\n1. 手順\n・中黒\n\n| 列A | 列B |\n|---|---|\n| 値1 | 値2 |\n\n"
        "```\n無視する\n```\n"
        "This is a long line that goes on and on and is clearly wrapped by the\n"
        "writer, so it continues here.\n"
        "Short title\nNext paragraph.\n"
    )
    blocks = material_from_text(text).blocks
    kinds = [block.kind for block in blocks]
    assert kinds[:4] == [
        BlockKind.HEADING,
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
    ]
    assert blocks[1].text == "項目一続き"
    assert [b.text for b in blocks if b.kind is BlockKind.TABLE_CELL] == [
        "列A",
        "列B",
        "値1",
        "値2",
    ]
    assert all("無視" not in b.text for b in blocks)
    assert any(b.text.endswith("so it continues here.") for b in blocks)
    assert blocks[-2].text == "Short title"
    cell = next(b for b in blocks if b.text == "値2")
    assert cell.locate(0) == Location(line=10, column=8)


def test_plain_text_keeps_markup_and_joins_wrapped_japanese() -> None:
    """Plain text keeps '#' and joins a hard-wrapped Japanese line without a space."""
    wrapped = "あ" * 35 + "\n" + "い" * 5 + "。"
    blocks = material_from_text("# not a heading\n\n" + wrapped, format="text").blocks
    assert blocks[0].text == "# not a heading"
    assert blocks[1].text == "あ" * 35 + "い" * 5 + "。"
    assert blocks[1].locate(36) == Location(line=4, column=2)


def test_block_needs_an_anchor_at_zero() -> None:
    """A block's anchors must start at offset 0."""
    with pytest.raises(ValueError, match="offset 0"):
        Block("x", BlockKind.PARAGRAPH, (Anchor(1, Location(line=1)),))


def test_location_descriptions_and_sort_order() -> None:
    """Locations describe themselves in both languages and sort in document order."""
    where = Location(slide=2, paragraph=3, column=4)
    assert where.describe(lang="en") == "slide 2, paragraph 3, column 4"
    assert where.describe(lang="ja") == "スライド2 段落3 4文字目"
    assert Location(line=1, column=2).describe(lang="ja") == "1行目 2文字目"
    assert str(Location(line=1)) == "1行目"  # str() follows the display language
    with bm.display_language("en"):
        assert str(Location(line=1)) == "line 1"
    assert Location(line=1, column=2).sort_key < Location(line=2, column=1).sort_key
    assert Location(line=1).shifted(3) == Location(line=1)


@given(st.text(max_size=300), st.sampled_from(["text", "markdown"]))
def test_text_reader_locations_stay_inside_the_source(text: str, fmt: str) -> None:
    """Every character of every block maps to an existing line and a positive column."""
    material = material_from_text(text, format=fmt)  # type: ignore[arg-type]
    lines = text.splitlines()
    for block in material.blocks:
        for offset in range(len(block.text)):
            where = block.locate(offset)
            assert where.line is not None
            assert 1 <= where.line <= len(lines)
            assert where.column is not None
            assert where.column >= 1


@given(st.text(max_size=300), st.sampled_from(["ja", "en"]))
def test_sentences_are_ordered_stripped_pieces_of_their_blocks(text: str, lang: str) -> None:
    """Sentences are non-empty, stripped, found at their offset and numbered in order."""
    blocks = material_from_text(text, format="text").blocks
    sentences = split_sentences(blocks, lang)  # type: ignore[arg-type]
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert sentence.text
        assert sentence.text == sentence.text.strip()
        assert blocks[sentence.block].text[sentence.start :].startswith(sentence.text)


def test_japanese_sentences_respect_quotes() -> None:
    """A 。 inside 「」 does not end the sentence; an unclosed bracket is ignored after a while."""
    blocks = material_from_text(
        "彼は「はい。わかりました。」と言った。次の文。", format="text"
    ).blocks
    assert [s.text for s in split_sentences(blocks, "ja")] == [
        "彼は「はい。わかりました。」と言った。",
        "次の文。",
    ]
    long = "「" + "あ" * 250 + "。残り。"
    assert len(split_sentences(material_from_text(long, format="text").blocks, "ja")) == 2


@given(st.from_regex(r"[A-Za-z]{1,20}", fullmatch=True))
def test_syllables_are_between_one_and_the_word_length(word: str) -> None:
    """Every word has at least one syllable and no more than it has letters."""
    assert 1 <= count_syllables(word) <= max(len(word), 1)


def test_syllable_examples() -> None:
    """Common words get their usual syllable counts."""
    assert count_syllables("cat") == 1
    assert count_syllables("table") == 2
    assert count_syllables("make") == 1
    assert count_syllables("banana") == 3
    assert count_syllables("2025") == 1


def test_flesch_bands() -> None:
    """Short plain sentences read as easy; long Latinate ones as difficult; nothing scores 0."""
    easy = english_readability(["We pay you back in a week.", "Log in once."])
    hard = english_readability(
        [
            (
                "The implementation of organisational optimisation necessitates "
                "comprehensive institutional reconfiguration."
            )
        ]
    )
    assert easy.value > hard.value
    assert easy.band.id in ("easy", "very-easy")
    assert hard.band.id == "very-difficult"
    assert english_readability([]).value == 0.0
    assert 0.0 <= hard.normalised <= easy.normalised <= 1.0


def test_japanese_readability_methods() -> None:
    """Plain Japanese scores easier than stiff Japanese with both methods."""
    plain = ["明日から新しい方法で申請します。", "わからないときは聞いてください。"]
    stiff = ["経費精算申請業務効率化施策実施に伴う所定帳票様式変更について周知徹底されたい。"]
    methods: tuple[ReadabilityMethod, ...] = ("jreadability", "tateishi")
    for method in methods:
        easy = japanese_readability(plain, method=method)
        hard = japanese_readability(stiff, method=method)
        assert easy.value > hard.value, method
        assert easy.method == method
        assert plain_data(easy)["band"]["id"] == easy.band.id
    assert japanese_readability([], method="jreadability").normalised == 0.0
    assert japanese_readability([], method="tateishi").value == 0.0
    with pytest.raises(ValueError, match="unknown readability method"):
        japanese_readability(plain, method="other")  # type: ignore[arg-type]


def test_auto_readability_falls_back_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without jreadability, 'auto' falls back to the Tateishi-style score."""

    def missing() -> None:
        raise MissingExtraError("ja", "jreadability")

    monkeypatch.setattr(readability_module, "_jreadability", missing)
    assert japanese_readability(["文です。"]).method == "tateishi"
    assert not readability_module.jreadability_available()


def test_missing_extra_import_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """When jreadability cannot be imported, the error names the [ja] extra."""
    import sys  # noqa: PLC0415

    readability_module._jreadability.cache_clear()
    monkeypatch.setitem(sys.modules, "jreadability", None)
    try:
        with pytest.raises(MissingExtraError, match=r"\[ja\]"):
            readability_module._jreadability()
    finally:
        readability_module._jreadability.cache_clear()


@given(st.lists(st.text(max_size=40), max_size=6))
def test_tateishi_score_is_finite_and_bands_cover_everything(sentences: list[str]) -> None:
    """The Tateishi-style score is a finite number and always falls in a band."""
    value = tateishi_score(sentences)
    assert math.isfinite(value)
    assert abs(value) < 1e6
    assert band_of("tateishi", value).method == "tateishi"


@pytest.mark.usefixtures("in_english")
def test_part_size_and_corruption_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An oversized part and a part whose checksum fails are errors naming the part."""
    body = _DOCX_BODY.format("<w:p><w:r><w:t>" + "あ" * 2000 + "</w:t></w:r></w:p>")
    path = _zip(tmp_path, "big.docx", {"word/document.xml": body})
    monkeypatch.setattr(bounded, "MAX_PART_BYTES", 2000)
    with pytest.raises(LoadError, match="at most 2000") as caught:
        read_material(path)
    assert caught.value.problems[0].path == "word/document.xml"
    monkeypatch.undo()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", _DOCX_BODY.format("<w:p/>"))
    raw = bytearray(buffer.getvalue())
    raw[raw.index(b"<w:body>") + 2] ^= 0x01
    corrupt = tmp_path / "crc.docx"
    corrupt.write_bytes(bytes(raw))
    with pytest.raises(LoadError, match="cannot read the part"):
        read_material(corrupt)


def test_empty_office_files_start_at_their_first_unit(tmp_path: Path) -> None:
    """A Word or PowerPoint file without text is empty, located at paragraph 1 or slide 1."""
    from backoffice_marketing.materials import lint  # noqa: PLC0415

    docx = _zip(tmp_path, "empty.docx", {"word/document.xml": _DOCX_BODY.format("<w:p/>")})
    review = lint(docx, lang="en")
    assert review.findings[0].location == Location(paragraph=1)
    ns = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    pptx = _zip(tmp_path, "empty.pptx", {"ppt/presentation.xml": f"<p:presentation {ns}/>"})
    review = lint(pptx, lang="ja")
    assert review.findings[0].location == Location(slide=1, paragraph=1)
    assert Location(slide=1).describe(lang="ja") == "スライド1"


def test_pptx_paragraph_outside_shapes(tmp_path: Path) -> None:
    """A paragraph outside any shape or table is a plain paragraph."""
    ns = (
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    slide = f"<p:sld {ns}><a:p><a:r><a:t>loose</a:t></a:r></a:p></p:sld>"
    presentation = (
        f"<p:presentation {ns}><p:sldIdLst><p:sldId r:id='rId1'/></p:sldIdLst></p:presentation>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="slides/slide1.xml"/></Relationships>'
    )
    path = _zip(
        tmp_path,
        "loose.pptx",
        {
            "ppt/presentation.xml": presentation,
            "ppt/_rels/presentation.xml.rels": rels,
            "ppt/slides/slide1.xml": slide,
        },
    )
    assert read_material(path).blocks[0].kind is BlockKind.PARAGRAPH


def test_markdown_links_without_label_or_target() -> None:
    """Links with an empty label or target, and lines of markup only, keep valid anchors."""
    blocks = material_from_text("[](x) and [label]() end\n\n**\n").blocks
    assert blocks[0].text == " x and label end"
    assert material_from_text("**").blocks == ()


def test_sentence_edge_cases() -> None:
    """Nested brackets and initials do not end sentences."""
    blocks = material_from_text("「『引用。』と書いた。」と言う。次。", format="text").blocks
    assert len(split_sentences(blocks, "ja")) == 2
    english = material_from_text("Ask J. Smith today. Then go.", format="text").blocks
    assert [s.text for s in split_sentences(english, "en")] == ["Ask J. Smith today.", "Then go."]
    lower = material_from_text("Prices rose by 3 pct. in May. Fine.", format="text").blocks
    assert len(split_sentences(lower, "en")) == 2


def test_name_replaces_the_path_as_source(tmp_path: Path) -> None:
    """A given name is the review's source, for paths too; without one the path is kept."""
    notice = tmp_path / "notice.md"
    notice.write_text("経費精算の締め切りは毎月5日です。\n", encoding="utf-8")
    assert lint(notice, lang="ja", name="notice.md").source == "notice.md"
    assert str(tmp_path) not in lint(notice, lang="ja", name="notice.md").to_json()
    assert lint(notice, lang="ja").source == str(notice)

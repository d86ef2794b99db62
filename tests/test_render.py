"""Rendering: escaping, HTML, Markdown, languages."""

from __future__ import annotations

import html.parser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.render.environment import render
from backoffice_marketing.render.markdown import escape_markdown, escape_markdown_cell
from tests.schemas import validate

EVIL = bm.LocalizedText(ja="<script>alert(1)</script>", en="[x](javascript:alert(1)) a|b")


def evil_checklist() -> bm.Checklist:
    item = bm.ChecklistItem(
        "materials.evil", bm.FailureMode.MATERIALS, EVIL, EVIL, EVIL, (EVIL,), 1, ("launch",)
    )
    return bm.Checklist([item])


def test_markdown_escapes_links_html_and_pipes() -> None:
    """User text cannot become a link, HTML or an extra table column in Markdown."""
    assert escape_markdown("<b>") == "&lt;b&gt;"
    assert escape_markdown("[x](javascript:y)") == "\\[x\\]\\(javascript:y\\)"
    assert escape_markdown("- a\n1. b\n# c") == "\\- a\n1\\. b\n\\# c"
    assert escape_markdown_cell("a|b\nc") == "a\\|b c"
    assert escape_markdown("a\x00b") == "ab"


@given(st.text())
def test_markdown_cells_never_break_tables(text: str) -> None:
    """An escaped cell has no unescaped pipe and no line break."""
    cell = escape_markdown_cell(text)
    assert "\n" not in cell
    assert "\r" not in cell
    stripped = cell.replace("\\\\", "").replace("\\|", "")
    assert "|" not in stripped
    assert "<" not in cell


def test_checklist_markdown_keeps_columns() -> None:
    """A pipe in an item's question keeps the item table at four columns."""
    text = evil_checklist().to_markdown(lang="en")
    rows = [line for line in text.splitlines() if "`materials.evil` |" in line]
    assert len(rows) == 1
    assert rows[0].replace("\\|", "").count("|") == 4
    assert "<script>" not in text
    assert "](javascript" not in text


class _TextCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.hrefs.extend(value or "" for name, value in attrs if name == "href")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_checklist_html_is_escaped() -> None:
    """A <script> in user text stays text in the HTML page."""
    page = evil_checklist().to_html(lang="ja")
    parser = _TextCollector()
    parser.feed(page)
    assert parser.scripts == 0
    assert not any(href.startswith("javascript") for href in parser.hrefs)
    assert "<script>alert(1)</script>" in "".join(parser.text)
    assert page.startswith('<!DOCTYPE html>\n<html lang="ja">')


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_default_checklist_renders_in_both_languages(lang: Lang) -> None:
    """The catalogue renders in Markdown and HTML with every item present."""
    checklist = bm.default_checklist()
    markdown = checklist.to_markdown(lang=lang)
    page = checklist.to_html(lang=lang)
    for item in checklist:
        assert f"`{item.id}`" in markdown
        assert f'id="{item.id}"' in page
    heading = "チェックリスト" if lang == "ja" else "Checklist"
    assert markdown.startswith(f"# {heading}")


def test_checklist_json_validates_against_schema() -> None:
    """The catalogue's JSON validates against the shipped schema."""
    data = validate(bm.default_checklist().to_json(), "checklist.schema.json")
    assert len(data["items"]) == len(bm.default_checklist())


def test_unsupported_language() -> None:
    """Asking for a language other than ja or en is a clear error."""
    with pytest.raises(bm.exceptions.UnsupportedLanguageError):
        bm.default_checklist().to_markdown(lang="fr")  # type: ignore[arg-type]
    with pytest.raises(bm.exceptions.UnsupportedLanguageError):
        render("checklist.md.j2", "de")  # type: ignore[arg-type]


def test_mimebundle() -> None:
    """Jupyter gets Markdown and a plain-text summary."""
    bundle = bm.default_checklist()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("<Checklist items=")
    assert bundle["text/markdown"].startswith("# チェックリスト")

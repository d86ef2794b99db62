"""The demo's Japanese outputs hold no stray English; its English outputs hold no stray Japanese.

Both tests read the *visible text* of every Markdown and HTML file the demo
writes (``inputs/`` excepted: those are the user's own files, copied as they
are; ``checklist/checklist.<other language>.*`` excepted: the demo writes the
checklist in both languages on purpose).

Visible text
    HTML: the text nodes that ``html.parser`` reports, without ``<style>``,
    ``<script>`` and ``<code>`` (an id in a small code tag is allowed);
    ``<svg>`` text is visible and kept. Attributes are not visible text.
    Markdown: the text without fenced code blocks, code spans, HTML tags and
    link targets, with backslash escapes and entities undone.

Japanese outputs: no ASCII word (a run of two or more ASCII letters) outside
    * URLs, file names and paths (``inputs/usage.csv``, ``adoption/``);
    * dates and ISO week labels (``2027-05-17``, ``2027-W21``);
    * ``1on1``, the usual Japanese spelling of one-on-one meetings;
    * setting names of ``initiative.toml`` (snake_case, ``majority_share``);
    * the field's own words, quoted verbatim from the sample question and
      hearing files (a researcher's question asked in English stays English);
    * :data:`ACCEPTABLE_WORDS`, each documented there.

English outputs: no Japanese character outside names and the field's words:
    a run of Japanese characters is allowed only when it occurs verbatim in
    the demo's input files (department names from the sample company, the
    initiative's Japanese display name, quotes from the hearings and
    questions, the notes of the sample assessment, excerpts of the Japanese
    draft announcement), or inside single quotes (the replacement words the
    glossary suggests for the Japanese draft). Everything else is English.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backoffice_marketing.app.demo import write_demo

#: ASCII words that belong in Japanese business text, and why.
ACCEPTABLE_WORDS = {
    "FAQ": "written in Latin letters in Japanese companies (よくある質問 is longer and rarer)",
    "PC": "the usual Japanese word for a personal computer",
    "CC": "the e-mail carbon-copy field, written so in Japanese mail clients",
    "ID": "the usual Japanese word for an identifier (column header of id columns)",
    "SSO": "a jargon word quoted from the draft announcement by the glossary check",
    "QR": "QRコード, the Japanese name of the code",
    "Excel": "a product name",
    "jReadability": "the name of the Japanese readability formula (a method name)",
}

_SKIPPED = frozenset({"style", "script", "code"})
_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
_SUGGESTED = re.compile(r"'[^'\n]*'")
_ALLOWED_ASCII = (
    re.compile(r"https?://\S+"),
    re.compile(r"[\w.\-]*/[\w./\-]*"),  # paths and folders
    re.compile(r"[\w.\-]+\.(?:md|html|json|csv|toml|yaml|yml|xlsx|ics|mmd|png|svg|txt)\b"),
    re.compile(r"\d{4}-W\d{2}"),
    re.compile(r"\d{4}-\d{2}-\d{2}"),
    re.compile(r"\d+on\d+"),
    re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"),
)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        self.skipping += tag in _SKIPPED

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in _SKIPPED

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    """The text a reader sees in one Markdown or HTML file (see the module docstring)."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        parser = _VisibleText()
        parser.feed(source)
        parser.close()
        return "\n".join(parser.parts)
    text = re.sub(r"```.*?```", "", source, flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "", text)
    text = re.sub(r"<code>.*?</code>", "", text, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return html.unescape(text)


def _outputs(folder: Path, other: str) -> list[Path]:
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.suffix in {".md", ".html"}
        and path.relative_to(folder).parts[0] != "inputs"
        and f".{other}." not in path.name
    ]


#: The columns of the sample files that hold the field's own words.
_FIELD_COLUMNS = {"questions.csv": ("text", "answer"), "hearings.csv": ("finding", "quotes")}


def _field_words(folder: Path) -> list[str]:
    """The field's wordings in the sample question and hearing files, longest first."""
    cells: set[str] = set()
    for name, columns in _FIELD_COLUMNS.items():
        with (folder / "inputs" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                cells.update(row[column].strip() for column in columns if row[column].strip())
    return sorted(cells, key=len, reverse=True)


def stray_english(text: str, field_words: list[str]) -> list[str]:
    """The ASCII words of ``text`` outside the allowlist (module docstring)."""
    for pattern in _ALLOWED_ASCII:
        text = pattern.sub(" ", text)
    for quote in field_words:
        text = text.replace(quote, " ")
    return [word for word in _ASCII_WORD.findall(text) if word not in ACCEPTABLE_WORDS]


def stray_japanese(text: str, inputs: str) -> list[str]:
    """The runs of Japanese characters in ``text`` that the inputs do not hold.

    A wording in single quotes is the word the glossary suggests for the
    Japanese document under review ("Say '活用' instead."), so it stays Japanese.
    """
    text = _SUGGESTED.sub(" ", text)
    return [run for run in _JAPANESE.findall(text) if run not in inputs]


@pytest.fixture(scope="module")
def japanese_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo written in Japanese."""
    folder = tmp_path_factory.mktemp("demo-ja")
    write_demo(folder, lang="ja")
    return folder


@pytest.fixture(scope="module")
def english_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo written in English."""
    folder = tmp_path_factory.mktemp("demo-en")
    write_demo(folder, lang="en")
    return folder


def test_japanese_outputs_hold_no_stray_english(japanese_demo: Path) -> None:
    """Every Japanese Markdown and HTML output names things in Japanese, ids only in code tags."""
    field = _field_words(japanese_demo)
    outputs = _outputs(japanese_demo, "en")
    assert len(outputs) >= 15
    found = {
        path.relative_to(japanese_demo).as_posix(): Counter(
            stray_english(visible_text(path), field)
        )
        for path in outputs
    }
    assert {name: words for name, words in found.items() if words} == {}


def test_english_outputs_hold_no_japanese_outside_names(english_demo: Path) -> None:
    """Every English output is English, except names and words copied from the inputs."""
    inputs = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((english_demo / "inputs").iterdir())
        if path.suffix in {".csv", ".toml", ".yaml", ".json", ".md"}
    )
    outputs = _outputs(english_demo, "ja")
    assert len(outputs) >= 15
    found = {
        path.relative_to(english_demo).as_posix(): Counter(
            stray_japanese(visible_text(path), inputs)
        )
        for path in outputs
    }
    assert {name: runs for name, runs in found.items() if runs} == {}


def test_the_checks_catch_a_stray_word() -> None:
    """The filters keep ids, paths, weeks and field quotes, and still report a bare id."""
    quote = "How do I create a channel for my project?"
    text = f"段階 launch、inputs/usage.csv、2027-W21、1on1、majority_share、FAQ、{quote}"
    assert stray_english(text, [quote]) == ["launch"]
    assert stray_english(text, [])[:3] == ["launch", "How", "do"]
    assert stray_japanese("Stage 開始 at 製造部; say '活用'", "製造部,12") == ["開始"]


def test_visible_text_skips_code_and_keeps_svg_text(tmp_path: Path) -> None:
    """Code tags, styles and scripts are not visible text; SVG labels are."""
    page = tmp_path / "page.html"
    page.write_text(
        "<style>p{}</style><p>目標 <code>launch</code></p><svg><text>target</text></svg>"
        "<script>var x</script>",
        encoding="utf-8",
    )
    assert visible_text(page).split() == ["目標", "target"]
    note = tmp_path / "note.md"
    note.write_text("開始 `launch` [表](plan/plan.md) a\\_b &amp;", encoding="utf-8")
    assert visible_text(note).split() == ["開始", "[表]", "a_b", "&"]

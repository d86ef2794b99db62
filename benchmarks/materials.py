"""Benchmark the materials linter on a 20,000-character Japanese document and a 20-page docx.

The target: linted in under one second, tokenisation included. Measures:

0. a 20-page Word file of polite notices with tables (about 800 characters a
   page), median and spread of five lints (two with ``--quick``);

1. the first lint in a fresh process (jReadability's tagger is loaded then);
2. the best of several further lints (the tagger is reused);
3. the same document with the pure-Python Tateishi-style score instead;
4. the plain-text reader alone.

Run: ``python benchmarks/materials.py`` (add ``--quick`` for fewer repeats).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from environment import describe, summary
from environment import runs as timed_runs

from backoffice_marketing.materials import LintOptions, lint, material_from_text
from backoffice_marketing.materials.readability import jreadability_available

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "materials"
NOTICES = Path(__file__).resolve().parent.parent / "tests" / "data" / "materials"
#: Characters of a Word page of Japanese notices, roughly (40 lines of 20 to 40 characters).
PAGE_CHARACTERS = 800
PAGES = 20
_DOCX = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>{}</w:body></w:document>"
)


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"


def docx_document(pages: int = PAGES) -> bytes:
    """A Word file of about ``pages`` pages: the polite notices, each followed by a small table."""
    notices = tomllib.loads((NOTICES / "keigo_ja.toml").read_text(encoding="utf-8"))["snippets"]
    body: list[str] = []
    written = 0
    index = 0
    while written < pages * PAGE_CHARACTERS:
        notice = notices[index % len(notices)]
        index += 1
        for line in notice["text"].strip().splitlines():
            body.append(_paragraph(line))
            written += len(line)
        cells = [
            ("項目", "内容"),
            ("対象", "全社員"),
            ("担当", "総務部"),
            ("期限", f"{index % 12 + 1}月末"),
        ]
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc>{_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
            for row in cells
        )
        body.append(f"<w:tbl>{rows}</w:tbl>")
        written += sum(len(a) + len(b) for a, b in cells)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", _DOCX.format("".join(body)))
    return buffer.getvalue()


TARGET_CHARACTERS = 20_000
LIMIT_SECONDS = 1.0


def document() -> str:
    """A Japanese document of at least 20,000 characters, bad and good notices mixed."""
    parts = [
        (FIXTURES / "bad_ja.txt").read_text(encoding="utf-8"),
        (FIXTURES / "good_ja.txt").read_text(encoding="utf-8"),
    ]
    text = ""
    while len(text) < TARGET_CHARACTERS:
        text += "\n\n".join(parts) + "\n\n"
    return text


def timed(label: str, repeats: int, run: object) -> float:
    """Run ``run`` ``repeats`` times and print the best time."""
    assert callable(run)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} {best * 1000:8.1f} ms")
    return best


def main() -> None:
    """Run the benchmark and check the one-second target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    repeats = 2 if parser.parse_args().quick else 5
    print(describe())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notices.docx"
        path.write_bytes(docx_document())
        times = timed_runs(repeats, lambda: lint(path, lang="ja"))
        verdict = "OK" if max(times) < LIMIT_SECONDS else "TOO SLOW"
        review = lint(path, lang="ja")
        print(
            f"20-page docx ({review.characters:,} characters, {review.sentences} sentences): "
            f"{summary(times)}; target < 1 s: {verdict}"
        )
    text = document()
    print(f"document: {len(text):,} characters; jReadability available: {jreadability_available()}")
    first = timed("first lint (tagger loaded, auto readability)", 1, lambda: lint(text, lang="ja"))
    warm = timed("lint, tagger reused (auto readability)", repeats, lambda: lint(text, lang="ja"))
    tateishi = LintOptions(readability="tateishi")
    timed(
        "lint with the Tateishi-style score",
        repeats,
        lambda: lint(text, lang="ja", options=tateishi),
    )
    timed("reading the text only", repeats, lambda: material_from_text(text, format="text"))
    review = lint(text, lang="ja")
    print(
        f"findings: {len(review.findings):,}; sentences: {review.sentences:,}; "
        f"score: {review.score}"
    )
    worst = max(first, warm)
    status = "OK" if worst < LIMIT_SECONDS else "TOO SLOW"
    print(f"target < {LIMIT_SECONDS:.0f} s including tokenisation: {status} ({worst:.3f} s)")


if __name__ == "__main__":
    main()

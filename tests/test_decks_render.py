"""The demo's decks as a person sees them: LibreOffice opens them, the PDFs carry the Japanese."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from backoffice_marketing import decks
from backoffice_marketing.app.demo import write_demo

pytestmark = pytest.mark.slow

KINDS = ("approval", "cutover")


def _tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("soffice", "pdftoppm", "pdftotext")}
    missing = sorted(name for name, path in found.items() if path is None)
    if missing:
        pytest.skip(f"needs LibreOffice and poppler; missing: {', '.join(missing)}")
    return {name: str(path) for name, path in found.items()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo folder with each deck converted to PDF and its pages to PNG (50 dpi)."""
    tools = _tools()
    folder = tmp_path_factory.mktemp("decks")
    write_demo(folder / "demo")
    profile = folder / "lo-profile"
    scratch = folder / "scratch"  # LibreOffice's own temporary files stay in the test's folder
    scratch.mkdir()
    environment = {**os.environ, "TMPDIR": str(scratch)}
    pdf = folder / "pdf"
    sources = [str(folder / "demo" / "decks" / f"{kind}.pptx") for kind in KINDS]
    subprocess.run(  # noqa: S603  (our own arguments, a found executable)
        [
            tools["soffice"], f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(pdf), *sources,
        ],
        check=True, capture_output=True, timeout=300, env=environment,
    )  # fmt: skip
    for kind in KINDS:
        subprocess.run(  # noqa: S603  (our own arguments, a found executable)
            [tools["pdftoppm"], "-r", "50", "-png", str(pdf / f"{kind}.pdf"), str(pdf / kind)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return folder


def _pdf_text(folder: Path, kind: str) -> str:
    path = folder / "pdf" / f"{kind}.pdf"
    command = [_tools()["pdftotext"], "-layout", str(path), "-"]
    result = subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_opens_each_deck_and_renders_every_slide(rendered: Path, kind: str) -> None:
    """The PDF has one page per slide, and each page became a PNG."""
    data = json.loads((rendered / "demo" / "decks" / f"{kind}.json").read_text(encoding="utf-8"))
    pages = sorted((rendered / "pdf").glob(f"{kind}-*.png"))
    assert len(pages) == len(data["slides"])
    assert all(page.stat().st_size > 1000 for page in pages)


@pytest.mark.parametrize("kind", KINDS)
def test_the_pdf_carries_the_japanese_text(rendered: Path, kind: str) -> None:
    """Every slide title and every figure's text is in the PDF's text."""
    data = json.loads((rendered / "demo" / "decks" / f"{kind}.json").read_text(encoding="utf-8"))
    text = "".join(_pdf_text(rendered, kind).split())
    for slide in data["slides"]:
        assert "".join(slide["title"].split()) in text, slide["title"]
        for figure in slide.get("figures", ()):
            assert figure["text"] in text, figure
    assert "経営会議" in text or "旧方式" in text


@pytest.mark.parametrize("kind", KINDS)
def test_no_shape_overflows_in_the_rendered_deck(rendered: Path, kind: str) -> None:
    """The deck LibreOffice rendered has no text box whose measured text overflows."""
    assert decks.overflows(rendered / "demo" / "decks" / f"{kind}.pptx") == ()

"""The notebooks: every jupytext pair stays in step, and each opens with a bilingual title."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jupytext  # type: ignore[import-untyped]
import nbformat
import pytest

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
SCRIPTS = sorted(NOTEBOOKS.glob("*.py"))
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _read(script: Path) -> Any:
    """The notebook jupytext reads from ``script``."""
    return jupytext.read(script)


def _stored(script: Path) -> Any:
    """The .ipynb stored beside ``script``, as nbformat reads it."""
    return nbformat.read(script.with_suffix(".ipynb"), as_version=4)  # type: ignore[no-untyped-call]


def _cells(notebook: Any) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def test_there_are_notebooks() -> None:
    """The folder holds the worked cases, so the checks below never pass vacuously."""
    assert len(SCRIPTS) >= 3
    assert all(path.with_suffix(".ipynb").is_file() for path in SCRIPTS)
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == [p.stem for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=[path.stem for path in SCRIPTS])
def test_ipynb_matches_its_script(script: Path) -> None:
    """The .ipynb has exactly the cells jupytext reads from the .py, and no stored outputs."""
    expected = _read(script)
    stored = _stored(script)
    assert _cells(stored) == _cells(expected), (
        f"{script.name} and its .ipynb differ: run "
        f"`.venv/bin/jupytext --to ipynb notebooks/{script.name}`"
    )
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.mark.parametrize("script", SCRIPTS, ids=[path.stem for path in SCRIPTS])
def test_first_markdown_cell_has_a_bilingual_title(script: Path) -> None:
    """The first markdown cell opens with '# <one language> / <the other>'."""
    notebook = _read(script)
    first = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    title = first.source.splitlines()[0]
    assert title.startswith("# "), title
    halves = [half.strip() for half in title.removeprefix("# ").split(" / ")]
    assert len(halves) == 2, title
    japanese = [bool(_JAPANESE.search(half)) for half in halves]
    assert sorted(japanese) == [False, True], title
    english = halves[japanese.index(False)]
    assert _LATIN.search(english), title

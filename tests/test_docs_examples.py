"""Every ```python block of README.md and docs/ runs without error."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    found = []
    for path in files:
        for number, match in enumerate(_BLOCK.finditer(path.read_text("utf-8")), start=1):
            found.append((f"{path.relative_to(ROOT)}#{number}", match.group(1)))
    return found


@pytest.mark.parametrize(("where", "code"), _blocks(), ids=[where for where, _ in _blocks()])
def test_example_runs(
    where: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example runs in a fresh namespace inside an empty working folder."""
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        exec(compile(code, where, "exec"), {"__name__": "__docs__"})  # noqa: S102
    finally:
        os.chdir(previous)
    capsys.readouterr()


def test_readme_has_two_setup_commands() -> None:
    """The README gives the demo command and the test command that .ci/run runs."""
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci/run").read_text("utf-8")
    test_command = ".venv/bin/python -m pytest"
    assert "backoffice-marketing demo" in readme
    assert test_command in readme
    assert test_command in ci

"""The package's layers: what the lowest modules may import."""

from __future__ import annotations

import ast
from pathlib import Path

import backoffice_marketing

PACKAGE = Path(backoffice_marketing.__file__).parent


def _package_imports(path: Path) -> list[str]:
    """Every import of the package in ``path``, at any level (functions and TYPE_CHECKING too)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").startswith("backoffice_marketing"):
                found.append(node.module or ".")
        elif isinstance(node, ast.Import):
            found.extend(
                alias.name for alias in node.names if alias.name.startswith("backoffice_marketing")
            )
    return found


def test_exceptions_import_nothing_of_the_package() -> None:
    """exceptions.py sits under every layer: it imports no module of the package."""
    assert _package_imports(PACKAGE / "exceptions.py") == []


def test_problems_speak_japanese_once_the_package_is_imported() -> None:
    """The message catalogue installs the bilingual texts of problems when the package loads."""
    from backoffice_marketing.exceptions import Problem  # noqa: PLC0415
    from backoffice_marketing.messages import message  # noqa: PLC0415

    problem = Problem("a.toml", 1, 2, "x", message("expected.integer", found="'yes'"))
    assert problem.text("en") != problem.text("ja")

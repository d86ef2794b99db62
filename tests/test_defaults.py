"""Each default figure is written once: defaults.py holds it, everything else imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import backoffice_marketing
from backoffice_marketing.foundation import defaults

SOURCE = Path(backoffice_marketing.__file__).parent

#: Float literals equal to a shared figure that are something else, each with the reason.
ALLOWED: dict[tuple[str, float], str] = {
    ("voice/stats.py", 0.9): "the 90th percentile of reply times, not a target",
    ("app/samples.py", 0.9): "the sample company's default uptake ceiling, not a target",
}
#: Names under which a figure is a target or a share of the initiative.
TARGET_NAMES = {"target", "majority", "majority_share", "adoption_target"}


def _figures() -> dict[float, str]:
    return {float(getattr(defaults, name)): name for name in ("ADOPTION_TARGET", "MAJORITY_SHARE")}


def _python_files() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if path.name != "defaults.py")


def _second_copies(tree: ast.AST, relative: str) -> list[str]:
    found = []
    figures = _figures()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, float)
            and node.value in figures
            and (relative, node.value) not in ALLOWED
        ):
            found.append(f"{relative}:{node.lineno}: {node.value} ({figures[node.value]})")
        if (
            isinstance(node, ast.keyword)
            and node.arg in TARGET_NAMES
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, float)
        ):
            found.append(f"{relative}:{node.value.lineno}: {node.arg}={node.value.value}")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = [*node.args.args, *node.args.kwonlyargs]
            defaults_given = [
                *([None] * (len(node.args.args) - len(node.args.defaults))),
                *node.args.defaults,
                *node.args.kw_defaults,
            ]
            for argument, default in zip(arguments, defaults_given, strict=True):
                if (
                    argument.arg in TARGET_NAMES
                    and isinstance(default, ast.Constant)
                    and isinstance(default.value, float)
                ):
                    found.append(f"{relative}:{default.lineno}: {argument.arg}={default.value}")
    return sorted(found)


def test_no_second_literal_of_the_target_in_the_code() -> None:
    """No module but defaults.py writes the target or the majority share as a number."""
    found = []
    for path in _python_files():
        relative = path.relative_to(SOURCE).as_posix()
        found += _second_copies(ast.parse(path.read_text("utf-8")), relative)
    assert found == []


def test_the_scanner_catches_second_copies() -> None:
    """The scan flags a bare copy, a keyword target and a default target (it can fail)."""
    code = (
        "x = 0.9\n"
        "laggards(rates, target=0.8)\n"
        "def f(*, target: float = 0.75) -> None: ...\n"
        "def g(majority=0.7): ...\n"
    )
    found = _second_copies(ast.parse(code), "example.py")
    assert found == [
        "example.py:1: 0.9 (ADOPTION_TARGET)",
        "example.py:2: target=0.8",
        "example.py:3: target=0.75",
        "example.py:4: 0.7 (MAJORITY_SHARE)",
        "example.py:4: majority=0.7",
    ]


def test_templates_do_not_write_the_target() -> None:
    """Templates show the target from the data they are given, never a number of their own."""
    shown = f"{defaults.ADOPTION_TARGET:.0%}"
    for path in sorted((SOURCE / "templates").glob("*.j2")):
        assert shown not in path.read_text("utf-8"), path.name

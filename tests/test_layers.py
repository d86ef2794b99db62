"""The package's layers: what the lowest modules may import."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _module_name(path: Path) -> str:
    """The dotted module name of a source file of the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _private(name: str) -> bool:
    """Whether ``name`` is private by the ``_`` convention (dunders are not)."""
    return name.startswith("_") and not name.startswith("__")


def _absolute(module: str, node: ast.ImportFrom, path: Path) -> str:
    """The absolute module a ``from ... import`` in ``module`` (file ``path``) reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def private_uses(path: Path, text: str | None = None) -> list[str]:
    """Where the module in ``path`` uses another module's private names.

    ``from x import _y``, ``x._y`` on an imported module, and importing a
    private module (``x._m``) from outside the package ``x`` all count; a
    private module's siblings may import it (it is their package's internal).
    ``text`` stands for the file's content when given.
    """
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    modules: dict[str, str] = {}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, path)
            if not source.startswith("backoffice_marketing"):
                continue
            found.extend(
                f"{module}:{node.lineno} imports {source}.{alias.name}"
                for alias in node.names
                if _private(alias.name)
            )
            modules.update({alias.asname or alias.name: source for alias in node.names})
            parts = source.split(".")
            for depth, part in enumerate(parts):
                owner = ".".join(parts[:depth])
                if _private(part) and not module.startswith(owner + "."):
                    found.append(f"{module}:{node.lineno} imports the private module {source}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("backoffice_marketing"):
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    found.extend(
        f"{module}:{node.lineno} reads {modules[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and _private(node.attr)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
    )
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    """No module of the package imports or reads a private name of another module."""
    found = [use for path in sorted(PACKAGE.rglob("*.py")) for use in private_uses(path)]
    assert found == []


def test_the_private_name_check_finds_every_kind_of_use() -> None:
    """The check reports private imports, private attributes and foreign private modules."""
    folder = PACKAGE / "render"
    source = (
        "import backoffice_marketing.playbooks as books\n"
        "from backoffice_marketing.playbooks import _builtin, load_playbook\n"
        "from ..adoption import _charts\n"
        "from backoffice_marketing.voice._fields import text\n"
        "books._builtin('x')\n"
        "books.load_playbook('x')\n"
    )
    # Checked as if it were render/probe.py: relative imports resolve from there.
    found = private_uses(folder / "probe.py", source)
    assert found == [
        "backoffice_marketing.render.probe:2 imports backoffice_marketing.playbooks._builtin",
        "backoffice_marketing.render.probe:3 imports backoffice_marketing.adoption._charts",
        (
            "backoffice_marketing.render.probe:4 imports the private module "
            "backoffice_marketing.voice._fields"
        ),
        "backoffice_marketing.render.probe:5 reads backoffice_marketing.playbooks._builtin",
    ]


ROOT = PACKAGE.parent.parent

#: Import cycles still left, each a set of modules that import each other (function-level
#: imports included). The list may only shrink: remove a cycle, then remove it here.
REMAINING_CYCLES = (
    ("adoption.classification", "adoption.diffusion", "adoption.export", "adoption.frames",
     "adoption.laggards", "adoption.report"),
    ("materials.announcements", "materials.announcements.plan", "materials.announcements.reach",
     "materials.announcements.review", "materials.evidence", "materials.render",
     "materials.review"),
)  # fmt: skip


def strongly_connected(successors: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The groups of more than one node that all reach each other (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(successors.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(tuple(sorted(group)))

    for node in sorted(successors):
        if node not in index:
            visit(node)
    return sorted(found)


def test_strongly_connected_finds_cycles_and_nothing_else() -> None:
    """A two-node loop and a triangle are found; a chain and a self-contained node are not."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c", "f"}, "f": set()}
    assert strongly_connected(graph) == [("a", "b"), ("c", "d", "e")]
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_import_cycles_only_shrink() -> None:
    """The package's import cycles, function-level imports included, are the listed ones."""
    grimp = pytest.importorskip("grimp", reason="import-linter (a dev dependency) installs grimp")
    graph = grimp.build_graph(
        "backoffice_marketing", exclude_type_checking_imports=True, cache_dir=None
    )
    successors = {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }
    prefix = "backoffice_marketing."
    cycles = [
        tuple(module.removeprefix(prefix) for module in group)
        for group in strongly_connected(successors)
    ]
    assert cycles == sorted(REMAINING_CYCLES)


def test_the_layer_contract_is_kept() -> None:
    """import-linter keeps the layered contract of pyproject.toml (function-level imports too)."""
    pytest.importorskip("importlinter", reason="import-linter is a dev dependency")
    run = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [
            sys.executable,
            "-c",
            (
                "import sys; from importlinter.cli import lint_imports; "
                "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))"
            ),
            str(ROOT / "pyproject.toml"),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout

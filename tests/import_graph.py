"""The package's imports read from its source: who imports what, where, and at what cost.

The layer tests use this map to find function-level imports of package
modules that have no reason to be inside a function: the same import at the
top of the module would close no import cycle, and the imported module does
not pull in a heavy third-party package (whose import must stay lazy so that
``import backoffice_marketing`` stays fast).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

ROOT_PACKAGE = "backoffice_marketing"

#: Third-party packages that take tens of milliseconds or more to import, or belong to an
#: optional extra: a package module that imports one at its top is loaded lazily.
HEAVY = frozenset(
    {
        "altair",
        "click",
        "docx",
        "duckdb",
        "fugashi",
        "holidays",
        "icalendar",
        "jinja2",
        "jreadability",
        "markdown_it",
        "matplotlib",
        "narwhals",
        "networkx",
        "numpy",
        "openpyxl",
        "pandas",
        "polars",
        "pptx",
        "pyarrow",
        "pyspark",
        "rich",
        "scipy",
        "unidic_lite",
        "vl_convert",
        "yaml",
    }
)


class Import(NamedTuple):
    """One import statement's target in a package module."""

    source: str
    target: str
    line: int
    top: bool


class ImportMap(NamedTuple):
    """Every package module, its package imports, and the outside packages it loads on import."""

    modules: frozenset[str]
    imports: tuple[Import, ...]
    outside: Mapping[str, frozenset[str]]


def module_name(path: Path, package: Path) -> str:
    """The dotted module name of the source file ``path`` of the package folder ``package``."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Each import statement and whether it runs when the module loads (``TYPE_CHECKING`` out)."""

    def walk(node: ast.AST, top: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, top
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for branch in node.orelse:
                yield from walk(branch, top)
            return
        inside = top and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            yield from walk(child, inside)

    yield from walk(tree, True)


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` in ``module`` reads from."""
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: frozenset[str]
) -> Iterator[str]:
    """The modules an import statement loads (a ``from`` import of a submodule names it)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = _base(module, is_package, node)
    submodules = [f"{base}.{alias.name}" for alias in node.names]
    found = [name for name in submodules if name in modules]
    yield from found or [base]


def read_import_map(package: Path) -> ImportMap:
    """The import map of the package in the folder ``package``."""
    paths = {module_name(path, package): path for path in sorted(package.rglob("*.py"))}
    modules = frozenset(paths)
    imports: list[Import] = []
    outside: dict[str, frozenset[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        loaded: set[str] = set()
        for node, top in _statements(tree):
            for target in _targets(node, module, path.name == "__init__.py", modules):
                if target == ROOT_PACKAGE or target.startswith(ROOT_PACKAGE + "."):
                    imports.append(Import(module, target, node.lineno, top))
                elif top and target:
                    loaded.add(target.split(".")[0])
        outside[module] = frozenset(loaded)
    return ImportMap(modules, tuple(imports), outside)


def _parents(module: str) -> list[str]:
    """The packages above ``module`` that loading it runs first (the root aside)."""
    parts = module.split(".")
    return [".".join(parts[:depth]) for depth in range(2, len(parts))]


def heavy_modules(graph: ImportMap) -> frozenset[str]:
    """The package modules whose import (top-level imports, followed) loads a heavy package."""
    top: dict[str, set[str]] = {module: set() for module in graph.modules}
    for item in graph.imports:
        if item.top and item.target in graph.modules:
            top[item.source].add(item.target)
    for module in graph.modules:
        top[module].update(_parents(module))
    heavy = {module for module, names in graph.outside.items() if names & HEAVY}
    changed = True
    while changed:
        changed = False
        for module, targets in top.items():
            if module not in heavy and targets & heavy:
                heavy.add(module)
                changed = True
    return frozenset(heavy)


def successors(graph: ImportMap) -> dict[str, set[str]]:
    """Which package modules each module imports, function-level imports included."""
    found: dict[str, set[str]] = {module: set() for module in graph.modules}
    for item in graph.imports:
        if item.target in graph.modules and item.target != item.source:
            found[item.source].add(item.target)
    return found


def strongly_connected(edges: Mapping[str, set[str]]) -> list[tuple[str, ...]]:
    """The groups of more than one node that all reach each other (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def needless_function_imports(graph: ImportMap) -> list[Import]:
    """Function-level imports of package modules that could as well be at the top.

    An import is needed inside a function when its target is heavy (see
    :data:`HEAVY`) or when source and target import each other (the same
    import at the top would close a cycle). Imports of the root package's
    names go through its lazy front and are left out.
    """
    heavy = heavy_modules(graph)
    group = {
        member: number
        for number, members in enumerate(strongly_connected(successors(graph)))
        for member in members
    }
    return [
        item
        for item in graph.imports
        if not item.top
        and item.target in graph.modules
        and item.target != ROOT_PACKAGE
        and item.target not in heavy
        and (item.source not in group or group.get(item.target) != group[item.source])
    ]


def area(module: str, modules: frozenset[str]) -> str:
    """The package a module belongs to (``voice`` for ``backoffice_marketing.voice.faq``).

    The root package's own modules (``backoffice_marketing.app.cli``) form the area
    ``backoffice_marketing``.
    """
    parts = module.split(".")
    if len(parts) == 1:
        return ROOT_PACKAGE
    package = ".".join(parts[:2])
    is_package = package != module or any(name.startswith(package + ".") for name in modules)
    return parts[1] if is_package else ROOT_PACKAGE

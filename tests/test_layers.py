"""The package's layers: what the lowest modules may import."""

from __future__ import annotations

import ast
import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

import backoffice_marketing
from tests.import_graph import (
    HEAVY,
    Import,
    ImportMap,
    area,
    heavy_modules,
    needless_function_imports,
    read_import_map,
    strongly_connected,
)

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
    from backoffice_marketing.foundation.messages import message  # noqa: PLC0415

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
        "import backoffice_marketing.diagnosis.playbooks as books\n"
        "from backoffice_marketing.diagnosis.playbooks import _builtin, load_playbook\n"
        "from ..adoption import _charts\n"
        "from backoffice_marketing.voice._fields import text\n"
        "books._builtin('x')\n"
        "books.load_playbook('x')\n"
    )
    # Checked as if it were render/probe.py: relative imports resolve from there.
    found = private_uses(folder / "probe.py", source)
    assert found == [
        (
            "backoffice_marketing.render.probe:2 imports "
            "backoffice_marketing.diagnosis.playbooks._builtin"
        ),
        "backoffice_marketing.render.probe:3 imports backoffice_marketing.adoption._charts",
        (
            "backoffice_marketing.render.probe:4 imports the private module "
            "backoffice_marketing.voice._fields"
        ),
        (
            "backoffice_marketing.render.probe:5 reads "
            "backoffice_marketing.diagnosis.playbooks._builtin"
        ),
    ]


ROOT = PACKAGE.parent.parent

#: Import cycles still left, each a set of modules that import each other (function-level
#: imports included). The list may only shrink: remove a cycle, then remove it here.
REMAINING_CYCLES: tuple[tuple[str, ...], ...] = ()


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


@functools.cache
def _package_map() -> ImportMap:
    """The import map of the package's source (read once per test run)."""
    return read_import_map(PACKAGE)


def test_the_source_map_finds_the_same_cycles() -> None:
    """The import map read from the source finds the cycles listed above, and no other."""
    graph = _package_map()
    edges: dict[str, set[str]] = {module: set() for module in graph.modules}
    for item in graph.imports:
        if item.target in graph.modules and item.target != item.source:
            edges[item.source].add(item.target)
    prefix = "backoffice_marketing."
    cycles = [tuple(m.removeprefix(prefix) for m in group) for group in strongly_connected(edges)]
    assert cycles == sorted(REMAINING_CYCLES)


#: Function-level imports of package modules that could as well sit at the top of their
#: module (no cycle, nothing heavy), per area (a subpackage, or the root's own modules).
#: A number may only go down; an area that is not listed has none.
NEEDLESS_FUNCTION_IMPORTS = {
    "adoption": 52,
    "app": 49,
    "core": 20,
    "decks": 10,
    "diagnosis": 32,
    "foundation": 2,
    "materials": 14,
    "render": 4,
    "schemas": 2,
}


def test_function_level_imports_have_a_reason() -> None:
    """A package import inside a function either loads a heavy package or avoids a cycle."""
    graph = _package_map()
    found: dict[str, list[str]] = {}
    for item in needless_function_imports(graph):
        found.setdefault(area(item.source, graph.modules), []).append(
            f"{item.source}:{item.line} imports {item.target}"
        )
    over = {
        name: places
        for name, places in sorted(found.items())
        if len(places) > NEEDLESS_FUNCTION_IMPORTS.get(name, 0)
    }
    assert over == {}, "move these imports to the top of their module"
    counts = {name: len(places) for name, places in sorted(found.items())}
    assert counts == NEEDLESS_FUNCTION_IMPORTS, "fewer now: lower the numbers above"


def _synthetic_map() -> ImportMap:
    """A small package: a heavy leaf, a cycle, and light modules."""
    modules = frozenset({"p", "p.heavy", "p.user", "p.one", "p.two", "p.light", "p.caller"})
    imports = (
        Import("p.user", "p.heavy", 3, top=True),  # p.user loads p.heavy when imported
        Import("p.caller", "p.user", 10, top=False),  # needed: p.user is heavy
        Import("p.one", "p.two", 4, top=True),
        Import("p.two", "p.one", 12, top=False),  # needed: the two import each other
        Import("p.caller", "p.light", 11, top=False),  # needless
        Import("p.caller", "p", 12, top=False),  # the root package's front: left out
    )
    outside: dict[str, frozenset[str]] = {module: frozenset() for module in modules} | {
        "p.heavy": frozenset({"polars"})
    }
    return ImportMap(modules, imports, outside)


def test_needless_imports_leave_heavy_targets_and_cycles_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the light import outside any cycle is needless; heavy loads spread to importers."""
    monkeypatch.setattr("tests.import_graph.ROOT_PACKAGE", "p")
    graph = _synthetic_map()
    assert heavy_modules(graph) == {"p.heavy", "p.user"}
    assert needless_function_imports(graph) == [Import("p.caller", "p.light", 11, top=False)]


def test_the_source_map_tells_module_level_from_function_level(tmp_path: Path) -> None:
    """Imports in functions are function-level; class bodies run on import; type hints do not."""
    package = tmp_path / "backoffice_marketing"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("from . import leaf\n", encoding="utf-8")
    (package / "sub" / "leaf.py").write_text("import polars\nimport json\n", encoding="utf-8")
    (package / "main.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from backoffice_marketing.sub import leaf\n"
        "if TYPE_CHECKING:\n"
        "    from backoffice_marketing import hint\n"
        "else:\n"
        "    import backoffice_marketing.sub\n"
        "class Shape:\n"
        "    from backoffice_marketing.sub.leaf import x\n"
        "    def area(self):\n"
        "        from .sub import leaf\n",
        encoding="utf-8",
    )
    graph = read_import_map(package)
    assert sorted(item for item in graph.imports if item.source == "backoffice_marketing.main") == [
        Import("backoffice_marketing.main", "backoffice_marketing.sub", 6, top=True),
        Import("backoffice_marketing.main", "backoffice_marketing.sub.leaf", 2, top=True),
        Import("backoffice_marketing.main", "backoffice_marketing.sub.leaf", 8, top=True),
        Import("backoffice_marketing.main", "backoffice_marketing.sub.leaf", 10, top=False),
    ]
    assert graph.outside["backoffice_marketing.sub.leaf"] == {"polars", "json"}
    assert heavy_modules(graph) == {
        "backoffice_marketing.main",
        "backoffice_marketing.sub",
        "backoffice_marketing.sub.leaf",
    }
    assert area("backoffice_marketing.sub.leaf", graph.modules) == "sub"
    assert area("backoffice_marketing.sub", graph.modules) == "sub"
    assert area("backoffice_marketing.main", graph.modules) == "backoffice_marketing"


def test_modules_the_source_map_calls_light_load_no_heavy_package() -> None:
    """Importing every module the map calls light loads none of the heavy packages."""
    graph = _package_map()
    # A ``__main__`` module is a script: importing it would run the command line.
    light = sorted(m for m in graph.modules - heavy_modules(graph) if not m.endswith(".__main__"))
    run = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [
            sys.executable,
            "-c",
            (
                "import importlib, sys\n"
                "for name in sys.argv[2:]:\n"
                "    importlib.import_module(name)\n"
                "heavy = set(sys.argv[1].split(','))\n"
                "print(','.join(sorted(heavy & {m.split('.')[0] for m in sys.modules})))"
            ),
            ",".join(sorted(HEAVY)),
            *light,
        ],
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


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
    assert "2 kept, 0 broken" in run.stdout

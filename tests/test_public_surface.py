"""The public surface: errors in one module, every type a public function uses exported."""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import typing
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import backoffice_marketing as bm

SOURCE = Path(bm.__file__).parent
#: The public modules: what users import, each with an explicit ``__all__``.
PUBLIC_MODULES = (
    "backoffice_marketing",
    "backoffice_marketing.adoption",
    "backoffice_marketing.decks",
    "backoffice_marketing.exceptions",
    "backoffice_marketing.materials",
    "backoffice_marketing.readiness",
    "backoffice_marketing.voice",
    "backoffice_marketing.workspace",
)


def _public() -> dict[str, ModuleType]:
    return {name: importlib.import_module(name) for name in PUBLIC_MODULES}


def test_every_error_class_lives_in_exceptions() -> None:
    """No public exception class is defined outside exceptions.py (old places re-export)."""
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "exceptions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {ast.unparse(base) for base in node.bases}
                if any(base.endswith(("Error", "Exception")) for base in bases):
                    offenders.append(f"{path.relative_to(SOURCE)}:{node.name}")
    assert offenders == []


def test_every_exported_error_derives_from_the_base() -> None:
    """Each error of bm.exceptions is a BackofficeMarketingError and a built-in error."""
    for name in bm.exceptions.__all__:
        value = getattr(bm.exceptions, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, bm.BackofficeMarketingError), name
            builtin = [base for base in value.__mro__ if base.__module__ == "builtins"]
            assert len(builtin) > 2 or value is bm.BackofficeMarketingError, name


def _exported() -> set[type]:
    found: set[type] = set()
    for module in _public().values():
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type):
                found.add(value)
    return found


def _classes_in(annotation: Any) -> Iterator[type]:
    origin = typing.get_origin(annotation)
    if origin is not None:
        if isinstance(origin, type) and origin.__module__.startswith("backoffice_marketing"):
            yield origin
        for argument in typing.get_args(annotation):
            yield from _classes_in(argument)
    elif isinstance(annotation, type):
        yield annotation


def _signatures() -> Iterator[tuple[str, Any]]:
    seen: set[int] = set()
    for module_name, module in _public().items():
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, ModuleType) or id(value) in seen:
                continue
            seen.add(id(value))
            if inspect.isclass(value) and not issubclass(value, (BaseException, enum.Enum)):
                for member_name, member in inspect.getmembers(value):
                    if (member_name.startswith("_") and member_name != "__init__") or not (
                        inspect.isfunction(member) or inspect.ismethod(member)
                    ):
                        continue
                    yield f"{module_name}.{name}.{member_name}", member
            elif inspect.isfunction(value):
                yield f"{module_name}.{name}", value


def test_every_type_in_a_public_signature_is_exported() -> None:
    """A type that a public function takes or returns can be imported from a public module."""
    exported = _exported()
    missing: dict[str, set[str]] = {}
    for where, function in _signatures():
        try:
            hints = typing.get_type_hints(function)
        except NameError:  # a name imported only for type checking (networkx, pandas, ...)
            continue
        for parameter, annotation in hints.items():
            if parameter.startswith("_"):  # a private argument (Plan's scheduler run)
                continue
            for cls in _classes_in(annotation):
                if (
                    cls.__module__.startswith("backoffice_marketing")
                    and not cls.__name__.startswith("_")
                    and cls not in exported
                ):
                    missing.setdefault(f"{cls.__module__}.{cls.__qualname__}", set()).add(where)
    assert missing == {}


def test_all_names_exist() -> None:
    """Every name in a public module's __all__ exists (ruff's RUF022 keeps it sorted)."""
    for module in _public().values():
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_helpers_do_not_leak() -> None:
    """Internal helpers are not part of a public module's surface."""
    leaked = {
        "voice": {"similarity", "percentile"},
        "materials": {"count_syllables"},
    }
    for package, names in leaked.items():
        module = importlib.import_module(f"backoffice_marketing.{package}")
        assert not names & set(module.__all__), package


def test_version_is_written_once() -> None:
    """The version is written once, in the package; pyproject reads it from there."""
    assert bm.__version__ == version("backoffice-marketing")
    pyproject = (SOURCE.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert bm.__version__ not in pyproject


def test_old_names_still_work_with_a_warning() -> None:
    """Names removed from the surface answer for one more release, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match="HearingFinding"):
        assert bm.voice.Finding is bm.voice.HearingFinding
    with pytest.warns(DeprecationWarning, match=r"readability\.count_syllables"):
        assert callable(bm.materials.count_syllables)
    with pytest.warns(DeprecationWarning, match=r"assessment\.score"):
        assert callable(bm.score_assessment)
    with pytest.raises(AttributeError):
        bm.voice.no_such_name  # noqa: B018

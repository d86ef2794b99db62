"""The public front: where names say they live, old module paths, and error classes."""

from __future__ import annotations

import importlib
import inspect
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import backoffice_marketing as bm
from backoffice_marketing.foundation.deprecation import MOVED_MODULES, moved_module
from backoffice_marketing.foundation.public_names import claim, claim_all, defining_module

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("adoption", "decks", "materials", "readiness", "voice", "workspace")


def _exports() -> Iterator[tuple[str, str, object]]:
    for name in bm.__all__:
        yield "backoffice_marketing", name, getattr(bm, name)
    for package in SUBPACKAGES:
        module = importlib.import_module(f"backoffice_marketing.{package}")
        for name in module.__all__:
            yield module.__name__, name, getattr(module, name)


def test_exported_names_carry_their_public_module() -> None:
    """Every exported class or function of the package names a public module as its home."""
    wrong = {}
    for public, name, value in _exports():
        home = getattr(value, "__module__", None)
        if not callable(value) or not isinstance(home, str):
            continue
        if not home.startswith("backoffice_marketing"):
            continue  # a re-exported third-party helper (none today)
        allowed = {public, "backoffice_marketing", "backoffice_marketing.exceptions"}
        if home not in allowed:
            wrong[f"{public}.{name}"] = home
    assert wrong == {}


def test_the_top_package_wins_whatever_loads_first() -> None:
    """A name exported by the top package and a subpackage says ``backoffice_marketing``."""
    from backoffice_marketing.workspace import Workspace  # noqa: PLC0415

    assert Workspace.__module__ == "backoffice_marketing"
    assert defining_module(Workspace).startswith("backoffice_marketing.workspace.")


def test_claimed_classes_pickle_and_keep_their_source_module() -> None:
    """A claimed record pickles through its public path; its defining module is kept."""
    checklist = bm.default_checklist()
    assert pickle.loads(pickle.dumps(checklist)) == checklist  # noqa: S301  (our own bytes)
    assert defining_module(bm.Checklist) == "backoffice_marketing.core.checklist"
    assert inspect.getsourcefile(bm.combine_answers) == inspect.getsourcefile(
        sys.modules[defining_module(bm.combine_answers)]
    )


def test_a_subclass_does_not_inherit_the_defining_module() -> None:
    """A user's subclass of a public class is defined in the user's module, not the parent's."""

    class MyReport(bm.Checklist):
        pass

    assert defining_module(MyReport) == __name__


@attrs.frozen
class _Probe:
    value: int


def test_claim_leaves_foreign_and_unwritable_objects_alone() -> None:
    """Constants, third-party callables and callables without a writable name are left alone."""
    claim(42, "backoffice_marketing")
    claim(len, "backoffice_marketing")

    class Slotted:
        __slots__ = ()

        def __call__(self) -> None:
            """Do nothing."""

    Slotted.__module__ = "backoffice_marketing.somewhere"
    claim(Slotted(), "backoffice_marketing.voice")  # the instance has no writable __module__
    namespace: dict[str, object] = {"Probe": _Probe}
    claim_all(namespace, "backoffice_marketing.voice", ["Probe", "missing"])
    assert _Probe.__module__ == __name__  # tests are not the package's own code


def test_old_module_paths_import_with_a_warning() -> None:
    """Each module that moved into a layer folder still imports from its old path, warning."""
    for old, new in sorted(MOVED_MODULES.items()):
        sys.modules.pop(old, None)
        try:
            with pytest.warns(DeprecationWarning, match=rf"{old}\b.*0\.3\.0"):
                module = importlib.import_module(old)
            assert module is importlib.import_module(new), old
        finally:
            sys.modules.pop(old, None)


def test_a_submodule_of_an_old_package_is_served_too() -> None:
    """``backoffice_marketing.io.atomic`` answers with ``foundation.io.atomic``."""
    assert moved_module("backoffice_marketing.io.atomic") == (
        "backoffice_marketing.foundation.io.atomic"
    )
    assert moved_module("backoffice_marketing.iox") is None
    assert moved_module("backoffice_marketing.voice") is None
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("backoffice_marketing.no_such_module")


def test_every_moved_module_is_in_the_changelog() -> None:
    """The CHANGELOG lists every moved module with its new place."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").split("## [0.1.0]")[0]
    for old, new in MOVED_MODULES.items():
        assert f"`{old.removeprefix('backoffice_marketing.')}`" in text, old
        assert f"`{new.removeprefix('backoffice_marketing.')}`" in text, new


def test_error_classes_come_from_the_top_and_from_exceptions_only() -> None:
    """Every error class is exported by bm and bm.exceptions, and by no other public module."""
    errors = {
        name
        for name, value in vars(bm.exceptions).items()
        if isinstance(value, type) and issubclass(value, bm.BackofficeMarketingError)
    }
    assert errors <= set(bm.__all__)
    assert errors <= set(bm.exceptions.__all__)
    for name in errors:
        assert getattr(bm, name) is getattr(bm.exceptions, name)
    for package in SUBPACKAGES:
        module = importlib.import_module(f"backoffice_marketing.{package}")
        assert not errors & set(module.__all__), package


@pytest.mark.parametrize(
    ("package", "name"),
    [
        ("adoption", "ConcealedNamesError"),
        ("adoption", "DiffusionFitError"),
        ("adoption", "InputColumnsError"),
        ("adoption", "TimestampError"),
        ("adoption", "UnknownTimeZoneError"),
        ("voice", "QuestionStateError"),
        ("voice", "UnknownQuestionError"),
    ],
)
def test_old_error_paths_warn(package: str, name: str) -> None:
    """An error class imported from its old subpackage still works, with a warning."""
    module = importlib.import_module(f"backoffice_marketing.{package}")
    with pytest.warns(DeprecationWarning, match=rf"use backoffice_marketing\.{name}"):
        value = getattr(module, name)
    assert value is getattr(bm.exceptions, name)


def test_python_dash_m_runs_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m backoffice_marketing --help`` is the command line's help."""
    import runpy  # noqa: PLC0415

    monkeypatch.setattr(sys, "argv", ["backoffice_marketing", "--help"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("backoffice_marketing", run_name="__main__")
    assert exit_.value.code == 0

"""Old public names kept for one release: they still work, and warn."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping

__all__ = ["deprecated_names"]


def deprecated_names(module: str, moved: Mapping[str, tuple[str, str]]) -> Callable[[str], object]:
    """A module ``__getattr__`` serving ``moved`` (old -> (module, new name)), with a warning."""

    def __getattr__(name: str) -> object:  # noqa: N807  (the module hook's name)
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        where, new = moved[name]
        hint = f"use {where}.{new}" if new != name else f"import it from {where} (internal)"
        warnings.warn(
            f"{module}.{name} is deprecated and will be removed in the next release; {hint}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), new)

    return __getattr__

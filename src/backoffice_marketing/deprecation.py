"""Old public names kept for one release: they still work, and warn."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping

__all__ = ["Moved", "deprecated_names"]

#: Where an old name went: (module, name there) or (module, name there, what to use instead).
Moved = tuple[str, str] | tuple[str, str, str]


def deprecated_names(module: str, moved: Mapping[str, Moved]) -> Callable[[str], object]:
    """A module ``__getattr__`` serving ``moved`` (old name -> where it went), with a warning."""

    def __getattr__(name: str) -> object:  # noqa: N807  (the module hook's name)
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        target = moved[name]
        where, new = target[0], target[1]
        if len(target) == 3:
            hint = target[2]
        elif new != name:
            hint = f"use {where}.{new}"
        else:
            hint = f"import it from {where} (internal)"
        warnings.warn(
            f"{module}.{name} is deprecated and will be removed in the next release; {hint}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), new)

    return __getattr__

"""Public names say where to import them from: their ``__module__`` is the public module.

A class or function exported by :mod:`backoffice_marketing` (or by a public subpackage
such as :mod:`backoffice_marketing.adoption`) is defined in an internal module. Its
``__module__`` is set to the public module that exports it, so ``repr``, ``help()``,
pickles and tracebacks name the stable path, not the internal one. The internal module
stays recorded (:func:`defining_module`), because annotations are evaluated there.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["claim", "claim_all", "defining_module"]

#: The attribute that keeps the internal module a claimed name was defined in.
_DEFINED_IN = "__defined_in__"


def defining_module(obj: object) -> str:
    """The module whose source defines ``obj`` (its namespace resolves ``obj``'s annotations)."""
    own = vars(obj).get(_DEFINED_IN) if hasattr(obj, "__dict__") else None
    return own if isinstance(own, str) else str(getattr(obj, "__module__", ""))


def claim(obj: object, public_module: str) -> None:
    """Give ``obj`` the ``__module__`` of ``public_module`` when it is defined below it.

    Only the package's own classes and callables are claimed; exception classes keep
    :mod:`backoffice_marketing.exceptions`, which is public too, and anything defined
    elsewhere (a third-party class, a constant) is left alone.
    """
    if not callable(obj):
        return
    top = sys.modules.get("backoffice_marketing")
    if getattr(obj, "__name__", None) in getattr(top, "__all__", ()):
        public_module = "backoffice_marketing"  # the top package wins, whatever loads first
    original = getattr(obj, "__module__", None)
    if not isinstance(original, str) or not original.startswith("backoffice_marketing."):
        return
    if original in (public_module, "backoffice_marketing.exceptions"):
        return
    if isinstance(obj, type):
        _resolve_annotations(obj, vars(sys.modules[defining_module(obj)]))
    with contextlib.suppress(AttributeError, TypeError):  # a callable without a writable name
        setattr(obj, _DEFINED_IN, defining_module(obj))
        obj.__module__ = public_module


def claim_all(namespace: Mapping[str, object], public_module: str, names: Iterable[str]) -> None:
    """Claim every name of ``names`` found in ``namespace`` (a module's globals) for it."""
    for name in names:
        if name in namespace:
            claim(namespace[name], public_module)


def _resolve_annotations(cls: type, namespace: dict[str, Any]) -> None:
    """Evaluate ``cls``'s own string annotations where it is defined, before it moves.

    ``typing.get_type_hints``, attrs and cattrs evaluate a class's string annotations
    (``from __future__ import annotations``) in ``sys.modules[cls.__module__]``, for the
    class and for every subclass. Once ``__module__`` names the public module, that
    namespace is the wrong one, so each annotation is evaluated now, in the right one.
    A name imported only for type checking stays a string, as it would fail there too.
    """
    own = cls.__dict__.get("__annotations__")  # noqa: RUF063  (the dict itself is updated)
    if not isinstance(own, dict):
        return
    for name, annotation in list(own.items()):
        if isinstance(annotation, str):
            with contextlib.suppress(NameError, AttributeError, SyntaxError, TypeError):
                own[name] = eval(annotation, namespace)  # noqa: S307  (the package's own source)
    if attrs.has(cls):
        with contextlib.suppress(NameError):
            attrs.resolve_types(cls, globalns=namespace)

"""Bilingual texts and the display language.

Every user-facing text exists in Japanese and English. The *display language*
is the one a report uses when no ``lang`` is given (``to_markdown()``,
``to_html()``, ``write()``, Jupyter display, ``str(LocalizedText)``). It is
Japanese by default and lives in a :class:`contextvars.ContextVar`, so threads
and asyncio tasks of a portal each keep their own::

    with bm.display_language("en"):
        print(report.to_markdown())      # English
    report.to_markdown()                 # Japanese again
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Literal, TypeGuard, overload

import attrs

from backoffice_marketing.exceptions import UnsupportedLanguageError, install_localisation
from backoffice_marketing.foundation.validators import non_blank

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Lang",
    "LocalizedText",
    "check_lang",
    "current_language",
    "display_language",
    "resolve_lang",
    "set_display_language",
]

Lang = Literal["ja", "en"]
LANGUAGES: tuple[Lang, ...] = ("ja", "en")
#: The language of every output when none is asked for: Japanese companies come first.
DEFAULT_LANGUAGE: Lang = "ja"

_display: contextvars.ContextVar[Lang] = contextvars.ContextVar(
    "backoffice_marketing_display_language", default=DEFAULT_LANGUAGE
)


def current_language() -> Lang:
    """The display language of the current context (Japanese unless set otherwise)."""
    return _display.get()


def resolve_lang(lang: object | None) -> Lang:
    """``lang`` checked, or the display language when ``lang`` is ``None``."""
    return current_language() if lang is None else check_lang(lang)


@contextlib.contextmanager
def _display_in(lang: Lang) -> Iterator[Lang]:
    token = _display.set(lang)
    try:
        yield lang
    finally:
        _display.reset(token)


@overload
def display_language() -> Lang: ...
@overload
def display_language(lang: Lang) -> contextlib.AbstractContextManager[Lang]: ...
def display_language(lang: Lang | None = None) -> Lang | contextlib.AbstractContextManager[Lang]:
    """A context manager that makes ``lang`` the display language inside its block.

    ``with bm.display_language("en"): ...`` renders every report in English
    within the block and restores the previous language after it, even on an
    error. Called without an argument (deprecated; use :func:`current_language`),
    it returns the current display language.
    """
    if lang is None:
        from backoffice_marketing.foundation.deprecation import warn_deprecated  # noqa: PLC0415

        warn_deprecated("display_language() without an argument", "current_language()")
        return current_language()
    return _display_in(check_lang(lang))


def set_display_language(lang: Lang) -> Lang:
    """Make ``lang`` the display language of the current context; return the previous one.

    Notebooks call it once at the top; scripts and portals prefer the
    :func:`display_language` context manager, which restores the language.
    """
    previous = _display.get()
    _display.set(check_lang(lang))
    return previous


def _is_lang(value: object) -> TypeGuard[Lang]:
    return value in LANGUAGES


def check_lang(lang: object) -> Lang:
    """Return ``lang`` if it is a supported language, else raise a clear error."""
    if not _is_lang(lang):
        raise UnsupportedLanguageError(lang)
    return lang


@attrs.frozen
class LocalizedText:
    """A text in Japanese (``ja``) and English (``en``)."""

    ja: str = attrs.field(validator=non_blank)
    en: str = attrs.field(validator=non_blank)

    def get(self, lang: Lang | None = None) -> str:
        """Return the text in ``lang`` (``"ja"`` or ``"en"``; the display language if omitted)."""
        return self.ja if resolve_lang(lang) == "ja" else self.en

    def __str__(self) -> str:
        return self.get()


# Problems (exceptions.py imports nothing of the package) are shown in the display language.
install_localisation(resolve=resolve_lang)

"""Bilingual texts: every user-facing text exists in Japanese and English."""

from __future__ import annotations

from typing import Literal, TypeGuard

import attrs

from backoffice_marketing.exceptions import UnsupportedLanguageError
from backoffice_marketing.validators import non_blank

__all__ = [
    "LANGUAGES",
    "Lang",
    "LocalizedText",
    "check_lang",
    "display_language",
    "set_display_language",
]

Lang = Literal["ja", "en"]
LANGUAGES: tuple[Lang, ...] = ("ja", "en")


#: The language reports display in, in Jupyter (see :func:`set_display_language`).
_display: list[Lang] = ["ja"]


def display_language() -> Lang:
    """The language in which report objects display in Jupyter (Japanese by default)."""
    return _display[0]


def set_display_language(lang: Lang) -> Lang:
    """Make report objects display in ``lang`` in Jupyter; return the previous language.

    Plans, gap reports, scores, FAQs, voice reports and reviews all follow it, so a
    notebook shows one language. Rendering functions (``to_markdown(lang)``,
    ``to_html(lang)``) keep their own ``lang`` argument and are not affected.
    """
    previous = _display[0]
    _display[0] = check_lang(lang)
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

    def get(self, lang: Lang) -> str:
        """Return the text in ``lang`` (``"ja"`` or ``"en"``)."""
        return self.ja if check_lang(lang) == "ja" else self.en

    def __str__(self) -> str:
        return self.en

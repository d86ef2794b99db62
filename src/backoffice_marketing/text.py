"""Bilingual texts: every user-facing text exists in Japanese and English."""

from __future__ import annotations

from typing import Literal, TypeGuard

import attrs

from backoffice_marketing.exceptions import UnsupportedLanguageError
from backoffice_marketing.validators import non_blank

__all__ = ["LANGUAGES", "Lang", "LocalizedText", "check_lang"]

Lang = Literal["ja", "en"]
LANGUAGES: tuple[Lang, ...] = ("ja", "en")


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

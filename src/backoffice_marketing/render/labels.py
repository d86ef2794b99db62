"""Bilingual labels of the rendered outputs (headings, column names)."""

from __future__ import annotations

import functools

from backoffice_marketing.text import Lang, LocalizedText

__all__ = ["label"]


@functools.cache
def _labels() -> dict[str, LocalizedText]:
    from backoffice_marketing.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.io.documents import load_package_document  # noqa: PLC0415

    return structure_document(load_package_document("labels.toml"), dict[str, LocalizedText])


def label(key: str, lang: Lang) -> str:
    """The label ``key`` in ``lang``; an unknown key is a programming error."""
    return _labels()[key].get(lang)

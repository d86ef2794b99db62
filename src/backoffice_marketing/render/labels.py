"""Bilingual labels of the rendered outputs (headings, column names)."""

from __future__ import annotations

import functools

from backoffice_marketing.foundation.text import Lang, LocalizedText

__all__ = ["label"]


@functools.cache
def _labels() -> dict[str, LocalizedText]:
    """``labels.toml`` merged with every ``labels-<module>.toml``; a key defined twice is a bug."""
    from importlib import resources  # noqa: PLC0415

    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    folder = resources.files("backoffice_marketing.data")
    names = [
        "labels.toml",
        *sorted(
            entry.name
            for entry in folder.iterdir()
            if entry.name.startswith("labels-") and entry.name.endswith(".toml")
        ),
    ]
    merged: dict[str, LocalizedText] = {}
    for name in names:
        table = structure_document(load_package_document(name), dict[str, LocalizedText])
        for key, text in table.items():
            if key in merged:
                raise RuntimeError(f"label {key!r} is defined twice ({name})")
            merged[key] = text
    return merged


def label(key: str, lang: Lang) -> str:
    """The label ``key`` in ``lang``; an unknown key is a programming error."""
    return _labels()[key].get(lang)

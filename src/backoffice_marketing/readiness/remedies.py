"""The remedies for each element of readiness, and the choice of one for a barrier."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

import attrs

from backoffice_marketing.foundation.io.converter import structure_document
from backoffice_marketing.foundation.io.documents import load_package_document
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.foundation.validators import non_blank
from backoffice_marketing.readiness.elements import Element

__all__ = ["ReadinessRemedy", "choose_remedy", "remedy_catalogue"]


def _words(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class ReadinessRemedy:
    """One remedy for an element: what to do, in both languages, and the words it fits."""

    id: str = attrs.field(validator=non_blank)
    element: Element = attrs.field(converter=Element)
    ja: str = attrs.field(validator=non_blank)
    en: str = attrs.field(validator=non_blank)
    triggers: tuple[str, ...] = attrs.field(default=(), converter=_words)

    @property
    def action(self) -> LocalizedText:
        """What to do, in both languages."""
        return LocalizedText(self.ja, self.en)


@attrs.frozen
class _Catalogue:
    remedies: tuple[ReadinessRemedy, ...]


@functools.cache
def remedy_catalogue() -> tuple[ReadinessRemedy, ...]:
    """The shipped remedies (``data/readiness-remedies.toml``), in file order."""
    document = load_package_document("readiness-remedies.toml")
    return structure_document(document, _Catalogue).remedies


def choose_remedy(
    element: Element,
    evidence: Iterable[str],
    *,
    catalogue: Iterable[ReadinessRemedy] | None = None,
) -> ReadinessRemedy:
    """The remedy for ``element`` whose triggers appear in the most evidence texts.

    Ties (and no evidence) go to the first remedy of the element in the catalogue.
    """
    pool = remedy_catalogue() if catalogue is None else tuple(catalogue)
    options = [r for r in pool if r.element is element]
    if not options:
        raise ValueError(f"the catalogue has no remedy for {element.value!r}")
    texts = [unicodedata.normalize("NFKC", text).lower() for text in evidence]

    def hits(remedy: ReadinessRemedy) -> int:
        words = [unicodedata.normalize("NFKC", w).lower() for w in remedy.triggers]
        return sum(any(word in text for word in words) for text in texts)

    return max(options, key=lambda remedy: (hits(remedy), -options.index(remedy)))

"""The five elements of readiness, in the order a person passes through them.

Awareness of the change, desire to take part, knowledge of how, ability to do
it in one's own job, and reinforcement that keeps it going (the ADKAR model
that change practitioners use). The *barrier point* is the first element
that fails: what comes after it cannot hold until it is fixed.
"""

from __future__ import annotations

import enum

from backoffice_marketing.foundation.text import Lang, LocalizedText

__all__ = ["ELEMENTS", "Element"]

_LABELS = {
    "awareness": LocalizedText(
        "認知(変わることを知っている)", "Awareness (knows what changes and when)"
    ),
    "desire": LocalizedText("意欲(参加したいと思う)", "Desire (wants to take part)"),
    "knowledge": LocalizedText("知識(やり方を知っている)", "Knowledge (knows how)"),
    "ability": LocalizedText("実行(自分の仕事でできる)", "Ability (can do it in their own work)"),
    "reinforcement": LocalizedText("定着(続ける仕組みがある)", "Reinforcement (keeps doing it)"),
}

_SHORT = {
    "awareness": LocalizedText("認知", "awareness"),
    "desire": LocalizedText("意欲", "desire"),
    "knowledge": LocalizedText("知識", "knowledge"),
    "ability": LocalizedText("実行", "ability"),
    "reinforcement": LocalizedText("定着", "reinforcement"),
}


class Element(enum.StrEnum):
    """One element of readiness; members compare by their place in the sequence."""

    AWARENESS = "awareness"
    DESIRE = "desire"
    KNOWLEDGE = "knowledge"
    ABILITY = "ability"
    REINFORCEMENT = "reinforcement"

    @property
    def rank(self) -> int:
        """The element's place in the sequence (awareness is 0)."""
        return ELEMENTS.index(self)

    @property
    def text(self) -> LocalizedText:
        """The element's name in both languages."""
        return _LABELS[self.value]

    @property
    def short(self) -> LocalizedText:
        """The element's one-word name in both languages."""
        return _SHORT[self.value]

    def label(self, lang: Lang) -> str:
        """The element's name for a table or a heading in ``lang`` (実行, Ability)."""
        return self.short.ja if lang == "ja" else self.value.capitalize()


#: The elements in the order a person passes through them.
ELEMENTS: tuple[Element, ...] = tuple(Element)

"""The field's own words tagged with the element of readiness they speak to.

A hearing finding, a question or a pulse comment gets an element from rules
that cover the common cases in Japanese and English: no PC, no device, phones
not allowed, no time or no login (ability); never heard of it, the
announcement never arrived (awareness); do not see why (desire); do not know
or forgot how (knowledge); went back to the old way, it did not stick
(reinforcement). Each rule carries a weight; the element with the highest
total wins, ties going to the earlier element of the sequence. Text that no
rule matches stays untagged.

A manual tag always wins: a hearing finding tagged ``adkar:<element>`` (for
example ``adkar:ability``) in its ``tags`` column, or an entry of the
``manual`` mapping given to :func:`tag_items`.

The rules were tuned on one part of a labelled set of Japanese and English
items and are measured on the other (``tests/readiness_tagging.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs

from backoffice_marketing.readiness.elements import ELEMENTS, Element

__all__ = [
    "MANUAL_TAG_PREFIX",
    "RULES",
    "ElementScore",
    "TaggedItem",
    "TaggingRule",
    "manual_element",
    "score_tagging",
    "tag_items",
    "tag_text",
]

#: The prefix of a manual tag in a log's ``tags`` column (``adkar:ability``).
MANUAL_TAG_PREFIX = "adkar:"


@attrs.frozen
class TaggingRule:
    """One pattern (a regular expression, case-insensitive) that points to an element."""

    element: Element
    pattern: str
    weight: int = 1

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _CACHE.get(pattern)
    if found is None:
        found = _CACHE[pattern] = re.compile(pattern, re.IGNORECASE)
    return found


_A, _D, _K, _B, _R = (
    Element.AWARENESS,
    Element.DESIRE,
    Element.KNOWLEDGE,
    Element.ABILITY,
    Element.REINFORCEMENT,
)

#: The built-in rules (text is NFKC-normalised and lower-cased before matching).
RULES: tuple[TaggingRule, ...] = (
    # ability: no device, no access, no time, not allowed
    TaggingRule(
        _B,
        r"(pc|パソコン|端末|デバイス|スマホ|スマートフォン|携帯)(が|は|も)?(ない|ありません|なし|持たず|使えない|禁止|1台)",
        3,
    ),
    TaggingRule(_B, r"(pc|パソコン)の?ない"),
    TaggingRule(
        _B,
        r"(私物|個人)の?(スマホ|スマートフォン|携帯).{0,12}(禁止|使えない|使えず|だめ|できない)",
        3,
    ),
    TaggingRule(_B, r"(持ち込み|持込).{0,4}禁止", 2),
    TaggingRule(_B, r"共用(pc|パソコン|端末)", 2),
    TaggingRule(_B, r"(時間|暇|ひま)(が|も)?(ない|ありません|取れない)", 2),
    TaggingRule(_B, r"(アカウント|id|ログイン).{0,10}(ない|できない|まだ|配られ)", 2),
    TaggingRule(_B, r"画面を(見る|操作|触る)", 1),
    TaggingRule(_B, r"手袋", 1),
    TaggingRule(_B, r"\bno (pc|computer|device|terminal|laptop)s?\b", 3),
    TaggingRule(_B, r"\bno (time|login|account|access)\b", 3),
    TaggingRule(
        _B,
        r"\b(phones?|mobiles?|smartphones?)\b.{0,20}\b(not allowed|banned|forbidden|prohibited)\b",
        3,
    ),
    TaggingRule(_B, r"\b(share|shared) (one )?(terminal|pc|computer)s?\b", 3),
    TaggingRule(_B, r"\b(not|never) (been )?set up\b|\bcannot (log ?in|access)\b", 2),
    TaggingRule(_B, r"\bonly the \w+ has a (pc|computer)\b", 3),
    TaggingRule(_B, r"\bno (computers?|pcs?) (on|in|at)\b", 3),
    # awareness: never heard, not told, the announcement never arrived
    TaggingRule(
        _A,
        r"(聞いていない|聞いてない|聞いていません|知らなかった|知りませんでした|初めて聞|初耳)",
        3,
    ),
    TaggingRule(
        _A,
        r"(案内|連絡|メール|お知らせ|通知)(が|は)?(届いていなかった|届かなかった|来なかった|なかった)",
        3,
    ),
    TaggingRule(_A, r"後から知った", 3),
    TaggingRule(_A, r"\b(never|not) (heard|told|informed)\b", 3),
    TaggingRule(_A, r"\bnobody told\b|\bdid not know\b|\bdidn't know\b", 3),
    TaggingRule(
        _A, r"\b(announcement|email|notice|invitation)s? never (reached|arrived|came)\b", 3
    ),
    TaggingRule(_A, r"\bhad never heard\b|\buntil today\b", 2),
    # desire: do not see why, no point, not interested
    TaggingRule(_D, r"なぜ|何のため|なんのため", 2),
    TaggingRule(_D, r"意味(が|は)?(わからない|分からない|ない)", 3),
    TaggingRule(
        _D, r"必要性を感じない|納得でき|使う気|面倒|やらされ|前向きになれない|関係ないと", 3
    ),
    TaggingRule(
        _D,
        r"\bdon'?t see why\b|\bwhat is the point\b"
        r"|\bno (benefit|point)\b|\bsee no (benefit|point)\b",
        3,
    ),
    TaggingRule(
        _D, r"\bwhy (change|are we|do we)\b|\bdon'?t understand why\b|\bnot interested\b", 3
    ),
    TaggingRule(_D, r"\bfor its own sake\b|\bwhat'?s in it for\b|\bwhat is in it for\b", 3),
    # knowledge: how to, forgot how
    TaggingRule(
        _K,
        r"(やり方|使い方|作り方|操作方法|手順|しかた|仕方|方法)(が|を)?(わからない|分からない|忘れ|覚えられ|教えて)",
        3,
    ),
    TaggingRule(_K, r"(使い方|やり方)", 1),
    TaggingRule(_K, r"教えて(ほしい|ください|もらえ)", 2),
    TaggingRule(_K, r"どこを押せば|操作に迷う", 3),
    TaggingRule(
        _K,
        r"\bforgot (how|the steps)\b|\bhow do i\b|\bnot sure how\b|\bdo not know (how|the steps)\b",
        3,
    ),
    TaggingRule(_K, r"\bshow me how\b|\bwhere do i find\b|\bdon'?t know how\b", 3),
    # reinforcement: went back, did not stick, no recognition
    TaggingRule(_R, r"元に戻|元の.{0,6}に戻|(メール|電話)に戻|続かない|使わなくなった|減って", 3),
    TaggingRule(_R, r"評価されない|戻れない雰囲気|広がらない", 3),
    TaggingRule(
        _R, r"\bwent back\b|\bslipp(ed|ing) back\b|\bdid not (stick|last)\b|\bstopped using\b", 3
    ),
    TaggingRule(_R, r"\bno recognition\b|\bnobody notices\b", 3),
)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def tag_text(text: str, *, rules: Iterable[TaggingRule] = RULES) -> Element | None:
    """The element ``text`` speaks to, or ``None`` when no rule matches."""
    normal = _normalise(text)
    scores = dict.fromkeys(ELEMENTS, 0)
    for rule in rules:
        if rule.regex.search(normal):
            scores[rule.element] += rule.weight
    best = max(ELEMENTS, key=lambda element: (scores[element], -element.rank))
    return best if scores[best] > 0 else None


def manual_element(tags: Iterable[str]) -> Element | None:
    """The element of a manual ``adkar:<element>`` tag among ``tags``, or ``None``.

    An unknown element after the prefix raises ``ValueError`` naming it.
    """
    for tag in tags:
        if tag.lower().startswith(MANUAL_TAG_PREFIX):
            value = tag[len(MANUAL_TAG_PREFIX) :].strip().lower()
            try:
                return Element(value)
            except ValueError:
                known = ", ".join(element.value for element in ELEMENTS)
                raise ValueError(
                    f"unknown element in the manual tag {tag!r}; expected one of {known}"
                ) from None
    return None


@attrs.frozen
class TaggedItem:
    """One item of the field's words with its element and where the element came from."""

    id: str
    text: str
    element: Element | None
    manual: bool


def tag_items(
    items: Iterable[tuple[str, str]],
    *,
    manual: Mapping[str, Element | str] | None = None,
    rules: Iterable[TaggingRule] = RULES,
) -> tuple[TaggedItem, ...]:
    """Tag ``(id, text)`` pairs; an id in ``manual`` keeps its manual element."""
    pinned = {key: Element(value) for key, value in (manual or {}).items()}
    chosen = tuple(rules)
    return tuple(
        TaggedItem(ident, text, pinned[ident], manual=True)
        if ident in pinned
        else TaggedItem(ident, text, tag_text(text, rules=chosen), manual=False)
        for ident, text in items
    )


@attrs.frozen
class ElementScore:
    """Precision and recall of the tagging for one element on a labelled set."""

    element: Element
    labelled: int
    tagged: int
    correct: int

    @property
    def precision(self) -> float | None:
        """Correct tags over all tags given to the element (``None`` when none were given)."""
        return self.correct / self.tagged if self.tagged else None

    @property
    def recall(self) -> float | None:
        """Correct tags over the items labelled with the element (``None`` when none are)."""
        return self.correct / self.labelled if self.labelled else None


def score_tagging(
    pairs: Iterable[tuple[Element | None, Element | None]],
) -> tuple[ElementScore, ...]:
    """Per element, from ``(label, tag)`` pairs (``None``: no element), in the sequence's order."""
    labelled = dict.fromkeys(ELEMENTS, 0)
    tagged = dict.fromkeys(ELEMENTS, 0)
    correct = dict.fromkeys(ELEMENTS, 0)
    for gold, given in pairs:
        if gold is not None:
            labelled[gold] += 1
        if given is not None:
            tagged[given] += 1
            correct[given] += gold is given
    return tuple(
        ElementScore(element, labelled[element], tagged[element], correct[element])
        for element in ELEMENTS
    )

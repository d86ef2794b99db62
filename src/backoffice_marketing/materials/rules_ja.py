"""Japanese writing rules: what makes a notice hard for the field to read.

Each rule looks at one sentence (or, for steps written as prose, one
paragraph) and yields findings located at the offending words:

``ja.sentence-length``
    more characters than ``max_sentence_chars`` (60 by default, after the 2022
    guide 公用文作成の考え方); an error above ``hard_sentence_chars``.
``ja.commas``
    more 、 than ``max_commas``.
``ja.kanji-run``
    a run of kanji longer than ``max_kanji_run`` (kanji numerals not counted).
``ja.double-negative``
    〜ないわけではない, 〜ないことはない, 〜ざるを得ない, 〜しないことのないよう ...
``ja.stiff-request``, ``ja.stiff-passive``, ``ja.stiff-ending``
    the old official 〜されたい, passives such as 〜が実施される or 〜と思われる,
    and rule-book endings such as 〜するものとする.
``ja.inline-list``, ``ja.prose-steps``
    three or more items in one sentence, or three or more steps (まず, 次に,
    最後に ...) in one paragraph, that would read better as a list.
``jargon``
    a glossary term, with its plain alternative; its severity is the entry's
    level (error for real jargon, info for an everyday business word), and
    terms on an allowlist are never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from backoffice_marketing.materials.catalogue import make_finding
from backoffice_marketing.materials.glossary import Glossary
from backoffice_marketing.materials.model import Block, BlockKind, Finding, Location, Severity
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.sentences import Sentence, snap_to_word

__all__ = ["check_block", "check_sentence", "count_inline_items"]

_KANJI = "一-鿿㐀-䶿々〆ヶ"
_KANJI_RUN = re.compile(f"[{_KANJI}]+")
_NUMERALS = re.compile(r"[〇一二三四五六七八九十百千万]")
_DOUBLE_NEGATIVE = re.compile(
    r"な(?:い|く)(?:わけ|訳)では(?:ない|ありません|ございません)"
    r"|ない(?:こと|事)は(?:ない|ありません)"
    r"|なく(?:は|も)(?:ない|ありません)"
    r"|ないとは(?:限らない|限りません|かぎらない|かぎりません|言えない|いえない|言えません|いえません)"
    r"|ざるを(?:得|え)(?:ない|ません)"
    r"|ない(?:こと|事)の(?:ない|ありません)"
    r"|ないでは(?:ない|ありません|ございません)"
    r"|ない(?:こと|事)が(?:ない|ありません)よう"
)
_STIFF_REQUEST = re.compile(
    f"[{_KANJI}ぁ-んァ-ヶー]{{0,6}}?(?:(?:さ|せら)れたい|されたし|願いたい)"
)
_STIFF_PASSIVE = re.compile(
    f"[{_KANJI}]{{2,}}(?:さ|せら)れ(?:る|ます|ました|た(?![いし])|て|ており|ている|ています|ております)"
    r"|(?:と|が)(?:思わ|考えら|望ま|求めら|見込ま|予想さ|期待さ)れ(?:る|ます|ている|ています|ております)"
)
_STIFF_ENDING = re.compile(
    r"(?:もの|こと)と(?:する|します|いたします|致します)|ものである|べく|べし|次第である"
)
_NOUNISH_END = re.compile(f"[{_KANJI}ァ-ヺーA-Za-z0-9０-９Ａ-Ｚａ-ｚ）)」』]$")
_HEAD = re.compile(
    f"([{_KANJI}ァ-ヺーA-Za-z0-9０-９Ａ-Ｚａ-ｚ]{{1,15}})"
    r"(?:を|が|は|の|に|で|と|など|等|も|へ|から|まで)"
)
_SEPARATOR = re.compile(r"[、，・]")
_CONNECTOR = re.compile(
    f"(?<=[{_KANJI}ァ-ヺーA-Za-z0-9])(?:および|及び|並びに|ならびに|または|又は|や)"
)
_MAX_ITEM = 15
#: Particles at the start of a quoted phrase (「について周知」→「周知」).
_LEADING_PARTICLES = re.compile(f"[ぁ-ゖ]+(?=[{_KANJI}ァ-ヺ])")
_STEP_MARKERS = re.compile(
    r"第[一二三四五1-5１-５]に|[一二三四五1-5１-５]つ目(?:は|に)|まず|次に|続いて|その後|最後に"
)


def _is_item(segment: str) -> bool:
    return 0 < len(segment) <= _MAX_ITEM and bool(_NOUNISH_END.search(segment))


def count_inline_items(sentence: str) -> int:
    """The most items listed one after another in ``sentence`` (A、B、Cを... counts 3)."""
    best = 0
    run = 0
    for segment in (part.strip() for part in _SEPARATOR.split(sentence)):
        if _is_item(segment):
            run += 1 + len(_CONNECTOR.findall(segment))
            continue
        if run:
            head = _HEAD.match(segment)
            best = max(best, run + (1 if head else 0))
        run = 0
    return max(best, run)


def _length(text: str) -> int:
    return len("".join(text.split()))


def check_sentence(
    sentence: Sentence,
    blocks: Sequence[Block],
    options: LintOptions,
    glossary: Glossary,
) -> Iterator[Finding]:
    """The findings of the Japanese rules for one sentence."""
    text = sentence.text
    block = blocks[sentence.block]

    def at(offset: int = 0) -> Location:
        return sentence.locate(blocks, offset)

    length = _length(text)
    if options.enabled("ja.sentence-length") and length > options.max_sentence_chars:
        severity = Severity.ERROR if length > options.hard_sentence_chars else None
        yield make_finding(
            "ja.sentence-length",
            at(),
            quote=text,
            severity=severity,
            length=length,
            limit=options.max_sentence_chars,
        )
    commas = text.count("、") + text.count("，")
    if options.enabled("ja.commas") and commas > options.max_commas:
        yield make_finding("ja.commas", at(), quote=text, count=commas, limit=options.max_commas)
    if options.enabled("ja.kanji-run"):
        for match in _KANJI_RUN.finditer(text):
            run = match.group()
            counted = len(_NUMERALS.sub("", run))
            if counted > options.max_kanji_run:
                yield make_finding(
                    "ja.kanji-run",
                    at(match.start()),
                    quote=run,
                    run=run,
                    length=len(run),
                    limit=options.max_kanji_run,
                )
    for rule, pattern in (
        ("ja.double-negative", _DOUBLE_NEGATIVE),
        ("ja.stiff-request", _STIFF_REQUEST),
        ("ja.stiff-passive", _STIFF_PASSIVE),
        ("ja.stiff-ending", _STIFF_ENDING),
    ):
        hit = pattern.search(text) if options.enabled(rule) else None
        if hit:
            # The phrase starts at a word, never inside one (情報システム部に連絡されたい).
            begin = snap_to_word(text, hit.start())
            lead = _LEADING_PARTICLES.match(text, begin, hit.end())
            begin = lead.end() if lead else begin
            phrase = text[begin : hit.end()]
            yield make_finding(rule, at(begin), quote=phrase, phrase=phrase)
    if options.enabled("ja.inline-list") and block.kind is not BlockKind.TABLE_CELL:
        items = count_inline_items(text)
        if items >= 3:
            yield make_finding("ja.inline-list", at(), quote=text, count=items)
    if options.enabled("jargon"):
        seen: set[str] = set()
        for offset, found, entry in glossary.find(text, "ja"):
            if entry.term in seen or options.allows(found):
                continue
            seen.add(entry.term)
            yield make_finding(
                "jargon",
                at(offset),
                quote=found,
                severity=Severity(entry.level),
                term=found,
                plain=entry.plain,
            )


def check_block(block: Block, options: LintOptions) -> Iterator[Finding]:
    """The findings of the Japanese rules that look at a whole paragraph."""
    if not options.enabled("ja.prose-steps") or block.kind is not BlockKind.PARAGRAPH:
        return
    markers = list(_STEP_MARKERS.finditer(block.text))
    distinct = list(dict.fromkeys(match.group() for match in markers))
    if len(distinct) >= 3:
        yield make_finding(
            "ja.prose-steps",
            block.locate(markers[0].start()),
            quote=block.text[markers[0].start() :],
            count=len(distinct),
            markers="・".join(distinct[:4]),
        )

"""English writing rules: long sentences, passives, nominalisations, jargon.

``en.sentence-length``
    more words than ``max_sentence_words`` (25 by default); an error above
    ``hard_sentence_words``.
``en.passive``
    a form of *be* followed by a past participle ("will be sent").
``en.nominalisation``
    a verb turned into a noun where the verb would do ("the submission of",
    "make a decision"), with the verb to use.
``en.noun-heavy``
    more abstract nouns (-tion, -ment, -ance, -ity ...) than ``max_abstract_nouns``.
``en.inline-list``
    three or more items strung along one sentence ("A, B, C and D").
``jargon``
    a glossary term, with its plain alternative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from backoffice_marketing.materials.catalogue import make_finding
from backoffice_marketing.materials.glossary import Glossary
from backoffice_marketing.materials.model import Block, BlockKind, Finding, Location, Severity
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.sentences import Sentence, words

__all__ = ["NOMINALISATIONS", "check_sentence"]

_IRREGULAR = (
    "been|begun|bought|brought|built|caught|chosen|done|drawn|driven|eaten|fallen|felt|found|"
    "forgotten|given|gone|grown|heard|held|hidden|kept|known|laid|led|left|lent|lost|made|meant|"
    "met|paid|put|read|run|said|seen|sent|set|shown|shut|sold|spent|spoken|stolen|taken|taught|"
    "told|thought|understood|won|withdrawn|written"
)
_PASSIVE = re.compile(
    rf"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:\w{{2,}}ed|{_IRREGULAR})\b",
    re.IGNORECASE,
)
_NOT_PASSIVE = frozenset({"interested", "pleased", "tired", "married", "excited", "worried"})

#: Nominalisations and the verb that says the same thing more directly.
NOMINALISATIONS: dict[str, str] = {
    "implementation": "implement",
    "utilisation": "use",
    "utilization": "use",
    "submission": "submit",
    "approval": "approve",
    "notification": "notify",
    "completion": "complete",
    "consideration": "consider",
    "participation": "take part",
    "registration": "register",
    "verification": "check",
    "modification": "change",
    "termination": "end",
    "commencement": "start",
    "determination": "decide",
    "recommendation": "recommend",
    "authorisation": "authorise",
    "authorization": "authorize",
    "reimbursement": "repay",
    "assessment": "assess",
    "establishment": "set up",
    "investigation": "investigate",
    "discussion": "discuss",
    "decision": "decide",
    "confirmation": "confirm",
    "adoption": "adopt",
    "introduction": "introduce",
    "enhancement": "improve",
    "optimisation": "improve",
    "optimization": "improve",
    "migration": "move",
    "transition": "move",
    "analysis": "analyse",
}
_NOMINAL = "|".join(sorted(NOMINALISATIONS, key=lambda noun: (-len(noun), noun)))
_NOMINAL_USE = re.compile(
    rf"\b(?:(?:the|a|an)\s+(?P<of>{_NOMINAL})\s+(?:of|for)\b"
    rf"|(?:make|makes|made|making|conduct\w*|carr(?:y|ies|ied|ying)\s+out|perform\w*"
    rf"|undertak\w*|give|gives|gave|giving|provid\w*|take|takes|took|taking)"
    rf"\s+(?:a|an|the)?\s*(?P<light>{_NOMINAL}))\b",
    re.IGNORECASE,
)
_ABSTRACT = re.compile(r"\b[A-Za-z]{3,}(?:tion|sion|ment|ance|ence|ity|ness)s?\b")
_CONJUNCTION = re.compile(r",?\s+(?:and|or)\s+", re.IGNORECASE)
_MAX_ITEM_WORDS = 4


def count_inline_items(sentence: str) -> int:
    """The most items strung along ``sentence`` as "A, B, C and D" (here 4)."""
    best = 0
    for match in _CONJUNCTION.finditer(sentence):
        before = sentence[: match.start()].split(",")
        run = 0
        for segment in reversed(before):
            if 0 < len(words(segment)) <= _MAX_ITEM_WORDS:
                run += 1
            else:
                break
        if run >= 2:
            best = max(best, run + 1)
    return best


def check_sentence(
    sentence: Sentence,
    blocks: Sequence[Block],
    options: LintOptions,
    glossary: Glossary,
) -> Iterator[Finding]:
    """The findings of the English rules for one sentence."""
    text = sentence.text
    block = blocks[sentence.block]

    def at(offset: int = 0) -> Location:
        return sentence.locate(blocks, offset)

    count = len(words(text))
    if options.enabled("en.sentence-length") and count > options.max_sentence_words:
        severity = Severity.ERROR if count > options.hard_sentence_words else None
        yield make_finding(
            "en.sentence-length",
            at(),
            quote=text,
            severity=severity,
            words=count,
            limit=options.max_sentence_words,
        )
    if options.enabled("en.passive"):
        yield from _passive(text, at)
    if options.enabled("en.nominalisation"):
        yield from _nominalisations(text, at)
    abstract = len(_ABSTRACT.findall(text))
    if options.enabled("en.noun-heavy") and abstract > options.max_abstract_nouns:
        yield make_finding("en.noun-heavy", at(), quote=text, count=abstract)
    if options.enabled("en.inline-list") and block.kind is BlockKind.PARAGRAPH:
        items = count_inline_items(text)
        if items >= 3:
            yield make_finding("en.inline-list", at(), quote=text, count=items)
    if options.enabled("jargon"):
        terms: set[tuple[str, str]] = set()
        for offset, found, entry in glossary.find(text, "en"):
            if entry.key in terms or options.allows(found):
                continue
            terms.add(entry.key)
            yield make_finding(
                "jargon",
                at(offset),
                quote=found,
                severity=Severity(entry.level),
                term=found,
                plain=entry.plain,
            )


def _passive(text: str, at: Callable[[int], Location]) -> Iterator[Finding]:
    for match in _PASSIVE.finditer(text):
        if match.group().split()[-1].lower() not in _NOT_PASSIVE:
            phrase = match.group()
            yield make_finding("en.passive", at(match.start()), quote=phrase, phrase=phrase)
            return


def _nominalisations(text: str, at: Callable[[int], Location]) -> Iterator[Finding]:
    seen: set[str] = set()
    for match in _NOMINAL_USE.finditer(text):
        noun = (match.group("of") or match.group("light")).lower()
        if noun not in seen:
            seen.add(noun)
            yield make_finding(
                "en.nominalisation",
                at(match.start()),
                quote=match.group(),
                phrase=match.group(),
                verb=NOMINALISATIONS[noun],
            )

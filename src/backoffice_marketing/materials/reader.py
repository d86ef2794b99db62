"""Reader checks: the reader's five questions, and the conclusion first.

A reader from another department opens a notice wanting to know *why* this
is happening, *what changes* for them, *when*, *what they must do*, and
*where to ask*. Each question is checked by looking for the words and forms
that answer it (a purpose phrase, a before/after, a date, a request or an
imperative, a contact or a link). The reader's first action should come in
the first few sentences (``action_within_sentences``), not at the end.

Each check maps to a checklist item: ``materials.why``,
``materials.what-changes``, ``materials.when``, ``materials.reader-action``
(together with the conclusion-first check) and ``materials.where-to-ask``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from backoffice_marketing.materials.catalogue import excerpt, make_finding
from backoffice_marketing.materials.model import Block, Finding, Location
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.sentences import Sentence
from backoffice_marketing.text import Lang, LocalizedText

__all__ = ["READER_CHECKS", "ReaderCheck", "check_reader"]

_DIGIT = "[0-9０-９]"
_URL_OR_MAIL = r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
_EN_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ISO_DATE = rf"{_DIGIT}{{4}}[-/.]{_DIGIT}{{1,2}}[-/.]{_DIGIT}{{1,2}}"

_PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {
    "ja": {
        "why": re.compile(
            r"目的|理由|背景|ねらい|狙い|なぜ|ためです|ためでした|ためには"
            r"|(?:減らす|なくす|短くする|楽にする|防ぐ|高める|増やす|改善する|できる|図る|なる)ため"
            r"|(?:た|る|い)ため[、に]|ので、|観点から"
        ),
        "what_changes": re.compile(
            r"変わ[らりるれっ]|変更|変えま|これまで|従来|今後|これから|廃止|新しい|新たに|導入|移行"
            r"|切り替え|切替|なくな[りる]|変わりません"
        ),
        "when": re.compile(
            rf"(?:{_DIGIT}{{4}}|令和\s*{_DIGIT}{{1,2}}|令和[元一二三四五六七八九十]+)\s*年\s*{_DIGIT}{{1,2}}\s*月"
            rf"|{_DIGIT}{{1,2}}\s*月\s*{_DIGIT}{{1,2}}\s*日|{_ISO_DATE}"
            rf"|(?<![0-9０-９/]){_DIGIT}{{1,2}}/{_DIGIT}{{1,2}}(?![0-9０-９/])"
        ),
        "reader_action": re.compile(
            r"(?:て|で)(?:ください|下さい)|お願い(?:します|いたします|致します|申し上げます)"
            r"|(?:する|行う|提出する|確認する)(?:こと|必要があります)(?:。|$)|されたい|願いたい"
            r"|してほしい|しましょう|やること|お願いしたいこと|いただきたいこと|してもらうこと"
        ),
        # A place to ask, not the mere word: a contact point, an address, a named channel,
        # or a desk or department the reader is sent to (「情報システム部(内線1234)まで」).
        "where_to_ask": re.compile(
            rf"問い合わせ先|問合せ先|お問い合わせ|お問合せ|窓口|連絡先|FAQ|よくある質問|ヘルプデスク"
            rf"|内線|{_URL_OR_MAIL}|#[\w-]+|[「『][^」』]+[」』]\s*チャンネル"
            rf"|(?:部|課|係|室|担当|チーム|センター|デスク|事務局)(?:\s*[((][^))]*[))])?\s*(?:まで|へ|宛)"
        ),
    },
    "en": {
        "why": re.compile(
            r"\b(?:why|because|purpose|reasons?|so that|in order to|aims? to|goal)\b",
            re.IGNORECASE,
        ),
        "what_changes": re.compile(
            r"\b(?:changes?|changed|changing|instead of|no longer|from now on|replaces?|replaced"
            r"|new|moves?|moving|stays? the same|before and after|switch(?:es|ing)?)\b",
            re.IGNORECASE,
        ),
        "when": re.compile(
            rf"{_ISO_DATE}|\b{_EN_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
            rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTH}|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b",
            re.IGNORECASE,
        ),
        "reader_action": re.compile(
            r"\bplease\b|\byou (?:must|need to|should|have to|will need to)\b"
            r"|\bwhat (?:you need to|to) do\b|\baction required\b"
            r"|^(?:\W*)(?:submit|register|complete|install|read|reply|book|sign|log|check|send|attend"
            r"|join|update|move|use|start|stop|fill|ask|bring|save|switch|download|open|set up"
            r"|follow|make sure|confirm|review|enter|upload|create|forward)\b",
            re.IGNORECASE,
        ),
        # A place to ask: a contact point, an address, a named channel, or "ask/questions
        # to/at/in" followed by who or where.
        "where_to_ask": re.compile(
            rf"\b(?:contact|FAQ|help ?desk|service ?desk|support (?:team|desk|channel|portal)"
            rf"|extension|ext\.|reach (?:us|out))\b|{_URL_OR_MAIL}|#[a-z][\w-]*"
            rf"|\b(?:ask|questions?)\b[^.?!]{{0,40}}?\b(?:to|at|in|on|with)\s+(?:the\s+|your\s+)?"
            rf"(?:(?-i:[A-Z#])|\w+\s+(?:team|desk|department|office|channel|manager))",
            re.IGNORECASE,
        ),
    },
}

#: The reader checks in order, with the rule that fires when one is missing.
READER_CHECKS: tuple[tuple[str, str], ...] = (
    ("why", "reader.why"),
    ("what_changes", "reader.what-changes"),
    ("when", "reader.when"),
    ("reader_action", "reader.action"),
    ("where_to_ask", "reader.where-to-ask"),
)

_TITLES = {
    "why": LocalizedText(ja="なぜ変えるのか", en="Why it changes"),
    "what_changes": LocalizedText(ja="何が変わるのか", en="What changes"),
    "when": LocalizedText(ja="いつか(日付)", en="When (a date)"),
    "reader_action": LocalizedText(ja="読み手のやること", en="What the reader must do"),
    "where_to_ask": LocalizedText(ja="問い合わせ先", en="Where to ask"),
    "conclusion_first": LocalizedText(ja="結論が先", en="Conclusion first"),
}


@attrs.frozen
class ReaderCheck:
    """One of the reader's questions and whether (and where) the document answers it."""

    key: str
    passed: bool
    location: Location | None = None
    excerpt: str = ""

    @property
    def title(self) -> LocalizedText:
        """The question in both languages."""
        return _TITLES[self.key]


def check_reader(
    sentences: Sequence[Sentence],
    blocks: Sequence[Block],
    lang: Lang,
    options: LintOptions,
    start: Location,
) -> tuple[tuple[ReaderCheck, ...], tuple[Finding, ...]]:
    """The reader checks of a document, and a finding for each one it fails."""
    patterns = _PATTERNS[lang]
    checks: list[ReaderCheck] = []
    findings: list[Finding] = []
    first_action: Sentence | None = None
    for key, rule in READER_CHECKS:
        found = next(
            ((s, m) for s in sentences if (m := patterns[key].search(s.text)) is not None), None
        )
        if found is None:
            checks.append(ReaderCheck(key, passed=False))
            if options.enabled(rule):
                findings.append(make_finding(rule, start))
            continue
        sentence, match = found
        if key == "reader_action":
            first_action = sentence
        checks.append(
            ReaderCheck(
                key,
                passed=True,
                location=sentence.locate(blocks, match.start()),
                excerpt=excerpt(sentence.text),
            )
        )
    limit = options.action_within_sentences
    if first_action is None:
        checks.append(ReaderCheck("conclusion_first", passed=False))
    else:
        position = first_action.index + 1
        location = first_action.locate(blocks)
        early = position <= limit
        checks.append(ReaderCheck("conclusion_first", early, location, excerpt(first_action.text)))
        if not early and options.enabled("reader.action-late"):
            findings.append(
                make_finding(
                    "reader.action-late",
                    location,
                    quote=first_action.text,
                    position=position,
                    limit=limit,
                )
            )
    return tuple(checks), tuple(findings)

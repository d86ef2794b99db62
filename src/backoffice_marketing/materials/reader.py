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

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence

import attrs

from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.materials.catalogue import EXCERPT_LENGTH, excerpt, make_finding
from backoffice_marketing.materials.firmness import is_firm
from backoffice_marketing.materials.model import Block, BlockKind, Finding, Location
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.politeness import threatens, without_courtesy
from backoffice_marketing.materials.sentences import Sentence, snap_to_word
from backoffice_marketing.materials.substance import (
    AS_BEFORE_WORDS,
    VOW,
    binds_action,
    gives_reason,
    has_content,
    points_back,
    reports_event,
    states_change,
    without_stock_reasons,
)

__all__ = [
    "HEADER_LINES",
    "READER_CHECKS",
    "DateMention",
    "ReaderCheck",
    "check_reader",
    "document_date",
    "find_dates",
    "header_length",
]

_DIGIT = "[0-9０-９]"
_URL_OR_MAIL = r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
_EN_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ISO_DATE = rf"{_DIGIT}{{4}}[-/.]{_DIGIT}{{1,2}}[-/.]{_DIGIT}{{1,2}}"

_JA_ORG = r"(?:部|課|係|室|担当|チーム|センター|デスク|事務局|窓口|ヘルプデスク|サービスデスク)"
#: A desk or department with a name (総務部, 経理部 出張精算担当), not a generic one
#: (担当者, お問い合わせ窓口, 各部署の担当, 関係部署).
_NAMED = (
    r"(?<=[一-鿿ァ-ヶーA-Za-zＡ-Ｚ0-9])(?<!問い合わせ)(?<!問合せ)(?<!担当)(?<!関係)(?<!所管)"
    r"(?<!所属)(?<!当該)(?<!各)(?<!専用)(?<!相談)"
)
#: 「各部署の経理担当まで」, 「各課の庶務担当へ」: a desk in every department names no one.
_EACH = re.compile(r"各[一-鿿ァ-ヶー]{0,6}の?[一-鿿ァ-ヶー]{0,8}$")
#: A month naming a pay or billing period (「5月の給与明細」), no date: like 「5月分」.
_NOT_PERIOD = (
    r"(?!の(?:給与|給料|賞与|明細|請求|精算|締め|支払))"
    # 「4月給与控除分から」, 「12月受診分」: a period; 「2027年4月版」: a version
    r"(?!\s*(?:給与|給料|賞与|控除|受診|利用|使用|請求|精算)|版|号)"
)
_EN_ORG = r"(?:team|desk|department|office|help ?desk|service ?desk|helpline|hotline)"

_PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {
    "ja": {
        "why": re.compile(
            # 目的・理由・背景 as the reason itself (目的は…, という理由), not a noun in passing
            # (「その理由を報告する」); a formulaic 「…の観点から」 says no reason.
            # 「私的な目的で使用」 says how a thing is used, not why.
            r"目的(?:は|と|です|に)|を目的|理由(?:は|で|と|です|として|から)|という理由"
            r"|背景(?:に|と|は|です)|ねらい|狙い|なぜ|ためです|ためでした|ためには"
            r"|(?:減らす|なくす|短くする|楽にする|防ぐ|高める|増やす|改善する|できる|図る|なる)ため"
            r"|[うくすつぬぶむるいた]ため[、に]|(?<!ます)ので、|きっかけ|からです"
            r"|ことを受け(?:て|、)|(?<=[るえけせれてう])ように、"
            # a cause: 「法改正により」, 「本社移転に伴い」, 「保守のため、」, 「…ことから、」
            # (「工程表によります」 says what something depends on, not why)
            r"|(?<=[一-鿿ァ-ヶーA-Za-z0-9])(?:により(?!ます)|に伴い|に伴って)|(?<=こと)(?:に伴い|に伴って)"
            # 「航空運賃の高騰を受け、」: an event taken as the cause
            r"|(?<=[一-鿿ァ-ヶー])を受け(?:、|て、)"
            r"|(?:保守|工事|点検|メンテナンス|移転|改装|故障|障害|停電|台風|大雪|災害|棚卸し?|決算|監査"
            r"|法改正)のため[、に]"
            r"|ことから、"
        ),
        # A change stated in the body: before/after, what ends, what starts, what stays.
        "what_changes": re.compile(
            r"(?<!生まれ)変わ(?:[らるれっ](?!た?(?:とき|時|場合|ら))|り(?!ません|はありません|はございません|がありません|はない))(?!ぬ)|変更(?:し|され|にな|とな|後は|です|します)"
            r"|^\s*変更[前後]\s*$|変えま|改めま|これまで(?:どおり|通り|と同じ)"
            r"|今後は|これからは|廃止|停止|中止|休止|新た[にな]|新しく"
            r"|新しい[一-鿿ァ-ヶー]{0,10}(?:システム|ツール|アプリ|方法|仕組み|ルール|手順|様式|書式|機種"
            r"|カード|制度|フォーム)|禁止(?:します|とします|になり|となり)|ようにな(?:り|る)"
            r"|(?<![0-9０-９])[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?(?:以降|から|より)、"
            r"|(?:今年|今年度|来年度|新年度)(?:から|より)"
            r"|(?:短縮|延長|延期|前倒し|拡大|縮小|増額|減額)(?:し|いたし|され|とな|にな)"
            # 「2,000円から3,000円に上がります」
            r"|から[^。、]{1,20}(?:に|へ)(?:上が|下が|増え|減り|減る)"
            r"|(?:引き?上げ|引き?下げ|早め|遅らせ)(?:ま|る|、)"
            r"|(?:切り?替|入れ替|置き?換)え(?:ます|いたします|る|、|を行|られ|にな|とな|\s)|切り?替わ"
            r"|なくな[りる]|必須(?:にな|とな)|移転(?:し|いたし)|(?:改定|改訂)(?:し|いたし|され)"
            # 「…が必要になります」, not 「不要になった書類」 (a modifier)
            r"|(?:不要|必要)(?:にな|とな)(?!った[一-鿿ァ-ヶー])"
            r"|に(?:統一|一本化)"
            # a new habit from a date: 「5月から来客の受付は…予約してもらうようにします」
            r"|[日月][)）]?(?:から|より|以降)[^。]{1,60}?ように(?:し|いたし)ます"
            # a new state from a date: 「5月17日(月)より、連絡はチャットで行うこととなります」
            r"|[日月][)）]?(?:から|より|以降)[^。]{1,60}?こと(?:と|に)な(?:ります|る)"
        ),
        "when": re.compile(
            rf"(?:(?P<year>{_DIGIT}{{4}})|令和\s*(?P<reiwa>{_DIGIT}{{1,2}}|元))\s*年\s*"
            rf"(?P<month>{_DIGIT}{{1,2}})\s*月(?:\s*(?P<day>{_DIGIT}{{1,2}})\s*日)?(?!\s*分){_NOT_PERIOD}"
            rf"|(?<![0-9０-９か])(?P<month2>{_DIGIT}{{1,2}})\s*月(?!間)(?:\s*(?P<day2>{_DIGIT}{{1,2}})\s*日)?(?!\s*分){_NOT_PERIOD}"
            rf"|(?P<iso>{_ISO_DATE})"
            rf"|(?<![0-9０-９/])(?P<m3>{_DIGIT}{{1,2}})/(?P<d3>{_DIGIT}{{1,2}})(?![0-9０-９/])"
        ),
        "reader_action": re.compile(
            r"(?:て|で)(?:ください|下さい)|[ごお][一-鿿]{1,4}[ぁ-ん]{0,3}(?:ください|下さい)"
            r"|[ごお][一-鿿]{1,2}[ぁ-ん][一-鿿][ぁ-ん]{0,2}(?:ください|下さい)"  # お申し込み
            r"|(?<!させ)(?:て|で)いただきます|(?:て|で)いただけ(?:ます|ません)(?:でしょう)?か|願います"
            r"|お願い(?:します|いたします|致します|申し上げます)"
            # 「着用すること。」: an order in a stiff notice (not a list item of facts)
            r"|(?:する|行う|提出する|確認する)(?:こと。|必要があります(?:。|$))|されたい|願いたい"
            r"|してほしい|しましょう|やること|お願いしたいこと|いただきたいこと|してもらうこと"
        ),
        # Someone asking: the words that say "if you have a question".
        "asking": re.compile(
            # (「このチャンネルでご連絡します」 is the sender's own notice, no one asking)
            r"問い?合わ?せ|質問|相談|連絡(?:を(?:くだ|下さ|お?願|して|し)|して|し(?!ます)|くだ|先)|不明な点|不明点|わからない|分からない"
            r"|困った|尋ね|聞いて"
        ),
        # A contact point: an address, an extension, a channel, a named desk or department.
        "contact": re.compile(
            rf"{_URL_OR_MAIL}|内線\s*{_DIGIT}|(?:電話|TEL|Tel|tel)\s*[::]?\s*{_DIGIT}[0-9０-９-]{{3,}}"
            rf"|#[\w-]+|[「『][^」』]+[」』]\s*(?:チャンネル|チャネル)|[\w・]+(?:チャンネル|チャネル)(?:で|に|へ|まで)"
            rf"|{_NAMED}{_JA_ORG}(?:\s*[((][^))]*[))])?(?:\s*の?\s*(?:[一-鿿]{{1,4}}\s*(?:さん|様)|{_JA_ORG}))?"
            rf"\s*(?:まで|へ|宛|にお|にご|に連絡|に相談|に聞)"
            rf"|{_NAMED}[一-鿿ァ-ヶーA-Za-z0-9・]*(?:ヘルプデスク|サービスデスク|窓口|事務局)"
        ),
        "contact_heading": re.compile(r"問い?合わ?せ|連絡先|窓口|質問|相談"),
    },
    "en": {
        "why": re.compile(
            r"\b(?:why|because|purpose|reasons?|so that|so we|in order to|aims? to|goal)\b"
            r"|^\W*to (?:cut|reduce|save|avoid|make|help|speed|simplify|improve|protect|prevent)\b",
            re.IGNORECASE,
        ),
        "what_changes": re.compile(
            r"\b(?:instead of|no longer|from now on|(?:will|is going to) (?:replace|move|switch"
            r"|change|become|be replaced|start|stop|end|close|open)|replaces?|replaced by"
            r"|changes? (?:to|from|for|in)|will change"
            r"|(?:is|are) (?:changing|moving|switching|replacing|ending|retiring)"
            r"|stays? the same|(?:won't|will not|does not|doesn't|do not|don't) change|retires?"
            r"|moving (?:to|from)|moves? (?:to|from|online)|switch(?:es|ing)? (?:to|from)"
            r"|new (?:form|system|tool|process|portal|rule|policy|way|app|address|procedure)"
            r"|what changes|before and after|will now|takes? effect|took effect"
            r"|(?:is|are|will be) (?:gone|removed|withdrawn|discontinued))\b",
            re.IGNORECASE,
        ),
        "when": re.compile(
            rf"(?P<iso>{_ISO_DATE})"
            rf"|\b(?P<mname>{_EN_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
            rf"(?:,?\s+(?P<year>\d{{4}}))?"
            rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mname2>{_EN_MONTH})"
            rf"(?:,?\s+(?P<year2>\d{{4}}))?"
            rf"|\b(?P<mname3>{_EN_MONTH})\s+(?P<year3>\d{{4}})\b"
            rf"|\b(?P<m3>\d{{1,2}})/(?P<d3>\d{{1,2}})(?:/(?P<y3>\d{{2,4}}))?\b",
            re.IGNORECASE,
        ),
        "reader_action": re.compile(
            r"\bplease\b|\b(?:you|everyone|all staff|all employees) (?:must|need to|should|have to"
            r"|will need to)\b"
            r"|\bwhat (?:you need to|to) do\b|\baction required\b"
            r"|^(?:\W*)(?:submit|register|complete|install|read|reply|book|sign|log|check|send|attend"
            r"|join|update|move|use|start|stop|fill|ask|bring|save|switch|download|open|set up"
            r"|follow|make sure|confirm|review|enter|upload|create|forward)\b",
            re.IGNORECASE,
        ),
        "asking": re.compile(
            r"\b(?:ask|asks|questions?|contact|queries|query|help|unsure|not sure|unclear|reach"
            r"|get in touch|talk to|write to|call|problems?|issues?|stuck)\b",
            re.IGNORECASE,
        ),
        "contact": re.compile(
            rf"{_URL_OR_MAIL}|\b(?:ext\.?|extension)\s*\d"
            rf"|\b(?:phone|tel\.?|call)\s*:?\s*\+?\d[\d -]{{3,}}"
            rf"|(?<![\w&])#[a-z][\w-]*|[\"“][^\"”]+[\"”]\s+channel"
            rf"|\b(?-i:[A-Z][\w&-]*)(?:\s+(?-i:[A-Z][\w&-]*))*\s+{_EN_ORG}\b"
            rf"|\b(?:help ?desk|service ?desk)\b"
            rf"|\b(?:your|the)\s+(?:line\s+)?manager\b"
            rf"|\b(?:to|at|in|on|with)\s+(?:the\s+|your\s+)?(?-i:[A-Z][A-Za-z&-]+)\b",
            re.IGNORECASE,
        ),
        "contact_heading": re.compile(r"\b(?:contact|questions?|help|ask)\b", re.IGNORECASE),
    },
}

#: Section headings that announce the answer: the first sentence under them answers the check.
_SECTIONS = {
    "ja": {
        "why": re.compile(r"目的|理由|背景|ねらい|狙い|なぜ"),
        "what_changes": re.compile(r"変更|変わ|変えること|これまでとこれから|新しい"),
    },
    "en": {
        "why": re.compile(r"\b(?:why|purpose|reasons?|background)\b", re.IGNORECASE),
        "what_changes": re.compile(
            r"\b(?:changes?|changing|what's new|what is new)\b", re.IGNORECASE
        ),
    },
}
#: A request only for some readers (「〜の場合は」, "if ...") is not everyone's action.
_CONDITION = {
    "ja": re.compile(
        r"場合[はに、]|ときは|(?<=[ぁ-ん])時は|際は|際に|不明な点|ご不明|ようでしたら|なら、|あれば|方は"
        r"|(?:たら|だら)、"  # 「不審なメールが届いたら、…報告してください」: only if it comes
        # asking for help: the where-to-ask sentence is not the reader's action
        r"|質問|問い?合わ?せ|相談|尋ね|わからない|分からない|聞きたい|迷っ|迷う|困っ"
        # feedback invited (「ご意見・ご感想は…お寄せください」): a choice, not a task
        r"|ご意見|ご感想|ご要望"
    ),
    "en": re.compile(r"\b(?:if|in case|unless|should you|questions?)\b", re.IGNORECASE),
}
#: A reassurance (「…ことは一切ございません」) explains no change.
_REASSURES = re.compile(
    r"ことは(?:一切|決して|全く)?(?:ございません|ありません)"
    r"|(?:変わり|変更は|影響は)(?:ございません|ありません)|変わりません"
)
#: Carrying on as before (「これまでどおり点呼を実施してください」): perhaps no new task.
_AS_BEFORE = re.compile(rf"{AS_BEFORE_WORDS}|引き続き|現行の?(?:様式|方法|手順|システム)")
#: A group defined by a present fact (「まだ提出していない方は」, 「来客予定のある方は」,
#: 「異動される方は」): a group that must act, unlike a choice (「希望する方は」).
_GROUP = re.compile(
    r"(?:ていない|ていらっしゃらない|ておられない|でない|のある|がある|のいる|がいる|ている"
    r"|ておられる|されている|される|満たない|未満の|以上の|該当する)方は$"
)
_CHOICE = re.compile(r"希望|興味|関心|たい|望む|必要な|必要とする|お持ちでない")
#: Contacting a desk (「…までご連絡ください」): from a group, a task or where to ask.
_CONTACTING = re.compile(r"(?:まで|へ|に)[、\s]*ご?連絡")
#: 「席を離れる際は」, 「受け取った方は」: a request for whoever does or meets something.
_MAYBE_EVERYONE = re.compile(r"際は|際に")
#: A consequence of the reader's own delay or omission, not a change (遅れると、… / If you ...).
_CONSEQUENCE = {
    "ja": re.compile(
        r"(?:ると|れば|たら|なければ|ないと)、"
        # 「貸し借りをすると…記録されなくなります」: the consequence of an act, no comma
        r"|(?:をすると|をしないと|をしなければ|を忘れると|が遅れると|を怠ると)"
    ),
    "en": re.compile(r"^\W*(?:if|unless)\b", re.IGNORECASE),
}
#: "Instead of": a change only when the sentence says from when (「4月から、…ではなく」);
#: otherwise a standing rule (「書類はごみ箱ではなく回収箱に入れてください」).
_INSTEAD = re.compile(r"ではなく|代わりに")
_FROM_NOW = re.compile(
    r"(?:[日月週年度]\s*(?:から|以降|より|以後))|(?:から|以降|より|以後|後)[、は]|今後|これから"
    r"|ように(?:し|す)"  # 「紙ではなくPDFで受け取るようにしてください」: a new habit
)
#: A reason that leads into nothing but blanked politeness (「…ので、ご承知おき願います」)
#: gives none; a reason closing its sentence (「…ためです」) does.
_CONTENT = re.compile(r"[^\s、。,.!?！？]")
_REASON_CLOSES = re.compile(r"(?:です|でした)$")
#: Set phrases of politeness that ask the reader for nothing in particular (ご協力をお願いします).
_FORMULA = re.compile(
    r"(?:ご(?:理解|協力|了承|承知|高配)(?:と|、)?)+(?:のほど)?(?:を|の)?\s*"
    r"(?:お願い(?:します|いたします|致します|申し上げます)|ください|下さい)"
)
#: A sentence about the past; 〜こととなった announces a decision about the future, so it is not.
_PAST_JA = re.compile(
    r"(?:ました|でした|(?<!ことに)した|(?<!こととな)(?<!ことにな)った|んだ|れた)[。.]?\s*$"
)
_PAST_EN = re.compile(
    r"\b(?:was|were|had|approved|decided|agreed|announced|held|met|took place"
    r"|last (?:year|month|week)|ago|previously|(?:we|they|it|he|she|I)\s+\w+ed)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。．.!?！？]\s*$")
#: A month alone before の as a topic (「8月の社内イベントの日程につきましては」,
#: 「5月の連休につきましては」): the text names no day.
_MONTH_TOPIC = re.compile(
    r"(?:[0-9０-９]{4}\s*年\s*)?[0-9０-９]{1,2}\s*月(?:以降)?の[^。、]{0,24}?"
    r"(?:につきまして|について|に関して)(?:は|、)?"
    # 「10月は食品衛生月間です」, 「11月の医療安全推進週間に合わせ」: a theme month, no day
    r"|[0-9０-９]{1,2}\s*月[はのを][^。]{0,30}?(?:月間|週間)"
)
#: A date of issue: 「4月1日付で」, 「令和9年4月1日付け」.
_ISSUED = re.compile(r"[^。、]{1,16}?付け?(?:で|にて|の)")
_MONTHS_EN = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
#: At most this many leading blocks are header lines (title, date, sender, addressees).
HEADER_LINES = 8
#: A header line is short; a longer block, or one ending a sentence, starts the body.
_HEADER_CHARS = 40
#: A date without a year lies within this many days before the document date, else next year.
_YEAR_WINDOW = 183


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
    """One of the reader's questions and whether (and where) the document answers it.

    ``unsure`` marks a question the document may answer: a sentence holds only weak
    evidence (「今後は」, 「…が変わります」 without the new state, a cancelled event),
    shown at ``location`` for a person to judge. It is never ``passed``.
    """

    key: str
    passed: bool
    location: Location | None = None
    excerpt: str = ""
    unsure: bool = attrs.field(default=False)

    @unsure.validator
    def _not_both(self, _attribute: attrs.Attribute[bool], value: object) -> None:
        if value and self.passed:
            raise ValueError("a reader check is either passed or unsure, not both")

    @property
    def verdict(self) -> str:
        """``answered``, ``unsure`` (weak evidence only) or ``missing``."""
        if self.passed:
            return "answered"
        return "unsure" if self.unsure else "missing"

    @property
    def title(self) -> LocalizedText:
        """The question in both languages."""
        return _TITLES[self.key]


def _number(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def _month(name: str) -> int:
    return _MONTHS_EN[name.lower().rstrip(".")]


def _day(text: str | None) -> int | None:
    return None if text is None else _number(text)


def _parts_ja(groups: dict[str, str]) -> tuple[int | None, int, int | None]:
    if "month" in groups:
        reiwa = groups.get("reiwa")
        if reiwa is not None:
            year = 2018 + (1 if reiwa == "元" else _number(reiwa))
        else:
            year = _number(groups["year"])
        return year, _number(groups["month"]), _day(groups.get("day"))
    if "month2" in groups:
        return None, _number(groups["month2"]), _day(groups.get("day2"))
    return None, _number(groups["m3"]), _number(groups["d3"])


def _parts_en(groups: dict[str, str]) -> tuple[int | None, int, int | None]:
    for month, day, year in (("mname", "day", "year"), ("mname2", "day2", "year2")):
        if month in groups:
            written = groups.get(year)
            return _day(written), _month(groups[month]), int(groups[day])
    if "mname3" in groups:
        return int(groups["year3"]), _month(groups["mname3"]), None
    short = groups.get("y3")
    year_us = None if short is None else int(short) + (2000 if len(short) <= 2 else 0)
    return year_us, int(groups["m3"]), int(groups["d3"])


def _parts(match: re.Match[str], lang: Lang) -> tuple[int | None, int, int | None]:
    """Year (None when not written), month and day (None for a whole month) of a date match."""
    groups = {key: value for key, value in match.groupdict().items() if value is not None}
    if "iso" in groups:
        year, month, day = re.split(r"[-/.]", unicodedata.normalize("NFKC", groups["iso"]))
        return int(year), int(month), int(day)
    return _parts_ja(groups) if lang == "ja" else _parts_en(groups)


def _span(year: int, month: int, day: int | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date stands for (a whole month without a day), or None."""
    try:
        if day is not None:
            single = dt.date(year, month, day)
            return single, single
        first = dt.date(year, month, 1)
    except ValueError:
        return None
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


@attrs.frozen
class DateMention:
    """A date in a text: where, the first and last day it covers, whether its year is written.

    ``first`` and ``last`` are the same day for a full date and the first and
    last day of the month for a month (「6月」, "June 2027"); both are None
    when the year is neither written nor inferable.
    """

    offset: int
    first: dt.date | None
    last: dt.date | None
    year_written: bool


def find_dates(
    text: str, lang: Lang, *, reference: dt.date | None = None
) -> tuple[DateMention, ...]:
    """The dates written in ``text``, in order.

    A date without a year takes the year of ``reference`` (the document
    date), or the next year when that would put it more than half a year
    before the reference. Impossible dates (2月30日) are left out.
    """
    found: list[DateMention] = []
    for match in _PATTERNS[lang]["when"].finditer(text):
        year, month, day = _parts(match, lang)
        if year is not None:
            span = _span(year, month, day)
        elif reference is not None:
            span = _span(reference.year, month, day)
            if span is not None and span[1] < reference - dt.timedelta(days=_YEAR_WINDOW):
                span = _span(reference.year + 1, month, day)
        else:
            # No year known: keep the date when it exists in some year (2000 was a leap year).
            if _span(2000, month, day) is not None:
                found.append(DateMention(match.start(), None, None, year_written=False))
            continue
        if span is not None:
            found.append(DateMention(match.start(), span[0], span[1], year is not None))
    return tuple(found)


def header_length(blocks: Sequence[Block]) -> int:
    """How many leading blocks are header lines: title, date, sender, addressees.

    Header lines are the first blocks (at most :data:`HEADER_LINES`) that are
    short (at most 40 characters) and end no sentence; the body starts at the
    first longer or sentence-ending block, list item, table cell or second heading.
    """
    count = 0
    for index, block in enumerate(blocks[:HEADER_LINES]):
        text = block.text.strip()
        if block.kind is BlockKind.HEADING:
            if index > 0:
                break
        elif (
            block.kind is not BlockKind.PARAGRAPH
            or len(text) > _HEADER_CHARS
            or _SENTENCE_END.search(text)
        ):
            break
        count += 1
    if count == len(blocks):
        # Nothing but short lines: a fragment (「# 問い合わせ先」 and a line), not a header.
        return 0
    return count


def document_date(blocks: Sequence[Block], lang: Lang) -> dt.date | None:
    """The document's date: the latest full date (with its year) in the header lines."""
    dates = [
        last
        for block in blocks[: header_length(blocks)]
        for mention in find_dates(block.text, lang)
        if mention.year_written and (last := mention.last) is not None and mention.first == last
    ]
    return max(dates, default=None)


def _section_titles(blocks: Sequence[Block], header: int) -> list[str]:
    """For each block, the heading (or short label line) it sits under; the title is none."""
    titles = [""] * min(header, len(blocks))
    heading = label = ""
    for block in blocks[header:]:
        titles.append(f"{heading} {label}".strip())
        text = block.text.strip()
        if block.kind is BlockKind.HEADING:
            heading, label = text, ""
        elif (
            block.kind is BlockKind.PARAGRAPH
            and len(text) <= _HEADER_CHARS // 2
            and not _SENTENCE_END.search(text)
        ):
            label = text
    return titles


def _when(text: str, lang: Lang, context: _Context) -> tuple[int, bool] | None:
    """The first date in ``text`` that says when, and whether firmly, or None.

    A month alone as a topic (「8月の社内イベントの日程につきましては」) is weak: it
    names no day to put in a calendar; a month a change runs from (「8月から」) is firm.
    """
    weak: tuple[int, bool] | None = None
    for offset in _when_offsets(text, lang, context):
        if lang == "ja" and _MONTH_TOPIC.match(text, offset):
            weak = weak or (offset, False)
            continue
        return offset, True
    return weak


def _when_offsets(text: str, lang: Lang, context: _Context) -> Iterator[int]:
    """The offsets of the dates in ``text`` that say when, in order."""
    plain = re.sub(r"\s+", "", without_courtesy(text, lang)) if lang == "ja" else text
    past = (_PAST_JA if lang == "ja" else _PAST_EN).search(plain) is not None
    for mention in find_dates(text, lang, reference=context.date):
        if past and not mention.year_written:
            continue  # a date without its year, in a sentence about the past
        if context.date is None or mention.last is None:
            if not past:
                yield mention.offset
        elif mention.last > context.date or (
            mention.last == context.date and not past and not _ISSUED.match(text, mention.offset)
        ):
            # The document's own date says when only for a change made that day, not for
            # a decision reported (「4月1日付で改定いたしました」) or the date of issue.
            yield mention.offset


def _where(text: str, section: str, lang: Lang) -> int | None:
    """A contact point in a sentence that asks (or under a heading that does), or None."""
    patterns = _PATTERNS[lang]
    contact = next(
        (
            found
            for found in patterns["contact"].finditer(text)
            if lang != "ja" or not _EACH.search(text[: found.start()])
        ),
        None,
    )
    if contact is None:
        return None
    asked = patterns["asking"].search(text) or patterns["contact_heading"].search(section)
    return contact.start() if asked else None


def _searched_text(key: str, text: str, lang: Lang) -> str | None:
    """The text a pattern check searches, or None when the sentence cannot answer ``key``.

    Set phrases of politeness are blanked first: they answer nothing on their own.
    """
    written = text
    text = without_courtesy(text, lang)
    if _answers_nothing(key, text, lang):
        return None
    if key == "why" and lang == "ja" and _REASSURES.search(text):
        return None  # 「…を理由として不利益な取り扱いを受けることは一切ございません」
    if key == "why" and threatens(written, lang):
        # 「上長に報告させていただきますので」: a threat given as the cause, even when its
        # polite wording is blanked as a courtesy, gives no reason
        return None
    if key == "why" and lang == "ja":
        return without_stock_reasons(text)  # 「諸般の事情により」: a reason with nothing behind it
    if key == "reader_action":
        return _FORMULA.sub(lambda match: " " * len(match.group()), text)
    return text


def _scope(text: str, lang: Lang) -> str:
    """Whom a request in ``text`` is for.

    ``all``, a ``group`` that must act, ``maybe`` all (「…する際は」, 「…た方は」), or
    only ``some`` readers (「…の場合は」, 「希望する方は」).
    """
    kinds = {_condition_kind(text, found, lang) for found in _CONDITION[lang].finditer(text)}
    for kind in ("some", "maybe", "group"):
        if kind in kinds:
            return kind
    return "all"


def _condition_kind(text: str, found: re.Match[str], lang: Lang) -> str:
    """What one condition word makes of a request: ``group``, ``maybe`` or ``some``."""
    if lang != "ja":
        return "some"
    clause = re.split(r"[、。]", text[: found.end()])[-1]
    if found.group() == "方は" and _CHOICE.search(clause) is None:
        if _GROUP.search(clause):
            return "group"
        if clause.endswith("た方は"):
            return "maybe"
    return "maybe" if _MAYBE_EVERYONE.fullmatch(found.group()) else "some"


def _answers_nothing(key: str, text: str, lang: Lang) -> bool:
    """Whether a (blanked) sentence is of a kind that cannot answer ``key`` at all.

    A threat or blame gives no reason, change or action (「一切認めませんので」); a vow
    (「…に努めてまいります」) no reason or change; a consequence of the reader's own
    delay (「遅れると…できなくなります」) no change; a conditional request
    (「…の場合は」) is not everyone's action.
    """
    if key not in ("why", "what_changes", "reader_action"):
        return False
    if threatens(text, lang):
        return True
    if key == "reader_action":
        return _scope(text, lang) == "some"
    if lang == "ja" and VOW.search(text):
        return True
    return key == "what_changes" and _CONSEQUENCE[lang].search(text) is not None


def _match(
    key: str, sentence: Sentence, blocks: Sequence[Block], lang: Lang, context: _Context
) -> tuple[int, bool] | None:
    """Where in ``sentence`` the check ``key`` is answered and whether firmly, or None."""
    text = sentence.text
    section = context.sections[sentence.block]
    if key == "when":
        return _when(text, lang, context)
    if blocks[sentence.block].kind is BlockKind.HEADING:
        return None
    if key == "where_to_ask":
        return _firmly(_where(text, section, lang))
    searched = _searched_text(key, text, lang)
    if searched is None:
        return None
    found = _answer(key, searched, lang, text)
    if found is not None and key == "reader_action":
        scope = _scope(text, lang)
        if (
            scope == "maybe"
            or (scope == "group" and _CONTACTING.search(text))
            or (lang == "ja" and _AS_BEFORE.search(text))
        ):
            # 「席を離れる際は…」, 「受け取った方は…」: perhaps everyone's task; 「変更がある方は、
            # 総務部までご連絡ください」: perhaps a task, perhaps where to ask
            return found[0], False
    return found


def _firmly(offset: int | None) -> tuple[int, bool] | None:
    return None if offset is None else (offset, True)


def _answer(key: str, searched: str, lang: Lang, sentence: str) -> tuple[int, bool] | None:
    """Where the pattern of ``key`` answers in the (blanked) ``searched`` of ``sentence``.

    The first firm answer wins; failing one, the first weak one (see
    :func:`~backoffice_marketing.materials.firmness.is_firm`).
    """
    weak: tuple[int, bool] | None = None
    for found in _PATTERNS[lang][key].finditer(searched):
        if _has_content(key, searched, found, lang, sentence):
            if lang != "ja" or is_firm(key, searched, found, sentence):
                return found.start(), True
            weak = weak or (found.start(), False)
    if key == "what_changes" and lang == "ja" and _FROM_NOW.search(searched):
        instead = _INSTEAD.search(searched)
        if instead is not None and states_change(searched, instead, sentence):
            return instead.start(), True
    return weak


def _has_content(key: str, searched: str, found: re.Match[str], lang: Lang, sentence: str) -> bool:
    """Whether the cue ``found`` in ``sentence`` (blanked: ``searched``) carries content."""
    if key == "why" and not _leads_somewhere(searched, found):
        return False
    if lang != "ja":
        return True
    if key == "why":
        return gives_reason(searched, found)
    if key == "what_changes":
        return states_change(searched, found, sentence)
    if key == "reader_action":
        return binds_action(searched, found)
    return True


def _leads_somewhere(text: str, reason: re.Match[str]) -> bool:
    """Whether a reason clause closes its sentence or leads into content, not a set phrase."""
    closes = _REASON_CLOSES.search(reason.group()) is not None
    return closes or _CONTENT.search(text, reason.end()) is not None


def _under_heading(
    key: str, body: Sequence[Sentence], blocks: Sequence[Block], lang: Lang, context: _Context
) -> tuple[Sentence, int] | None:
    """The first sentence under a heading announcing the answer (「背景と目的」, "What changes")."""
    announced = _SECTIONS[lang].get(key)
    if announced is None:
        return None
    return next(
        (
            (sentence, 0)
            for sentence in body
            if blocks[sentence.block].kind is not BlockKind.HEADING
            and announced.search(context.sections[sentence.block])
        ),
        None,
    )


@attrs.frozen
class _Context:
    date: dt.date | None
    sections: list[str]


def check_reader(
    sentences: Sequence[Sentence],
    blocks: Sequence[Block],
    lang: Lang,
    options: LintOptions,
    start: Location,
) -> tuple[tuple[ReaderCheck, ...], tuple[Finding, ...]]:
    """The reader checks of a document, and a finding for each one it fails.

    Header lines (title, date, sender) answer no check, and headings answer
    none but "when": a title alone does not say what changes. When no sentence
    says why (or what changes) in so many words, the first sentence under a
    heading that announces it (「背景と目的」, "What changes") does. "When" takes
    only dates on or after the document date (``options.document_date``, else
    the latest date in the header lines); without a document date, a date in
    a sentence about the past (承認されました, "was approved") does not count.
    """
    header = header_length(blocks)
    context = _Context(
        date=options.document_date or document_date(blocks, lang),
        sections=_section_titles(blocks, header),
    )
    body = [sentence for sentence in sentences if sentence.block >= header]
    checks: list[ReaderCheck] = []
    findings: list[Finding] = []
    first_action: Sentence | None = None
    for key, rule in READER_CHECKS:
        found = _first_answer(key, body, blocks, lang, context)
        if found is None or not found[2]:
            check = _unanswered(key, found, blocks)
            checks.append(check)
            if options.enabled(rule) and found is None:
                findings.append(make_finding(rule, start))
            elif check.location is not None and found and options.enabled("reader.unsure"):
                findings.append(
                    make_finding(
                        "reader.unsure",
                        check.location,
                        quote=found[0].text,
                        question_ja=_TITLES[key].ja,
                        question_en=_TITLES[key].en,
                    )
                )
            continue
        sentence, offset, _firm = found
        if key == "reader_action":
            first_action = sentence
        checks.append(
            ReaderCheck(
                key,
                passed=True,
                location=sentence.locate(blocks, offset),
                excerpt=excerpt(_from_word(sentence.text, offset)),
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


def _first_answer(
    key: str, body: Sequence[Sentence], blocks: Sequence[Block], lang: Lang, context: _Context
) -> tuple[Sentence, int, bool] | None:
    """The first sentence answering ``key`` firmly, else the first answering it weakly."""
    weak: tuple[Sentence, int, bool] | None = None
    previous: Sentence | None = None
    for sentence in body:
        answer: tuple[Sentence, int, bool] | None = None
        found = _match(key, sentence, blocks, lang, context)
        if found is not None:
            answer = (sentence, *found)
        elif key == "why" and lang == "ja" and previous is not None:
            before = _reason_before(sentence, previous, blocks)
            answer = None if before is None else (previous, 0, before)
        if blocks[sentence.block].kind is not BlockKind.HEADING:
            previous = sentence
        if answer is None:
            continue
        if answer[2]:
            return answer
        weak = weak or answer
    heading = _under_heading(key, body, blocks, lang, context)
    if heading is not None:
        return heading[0], heading[1], True
    return weak


def _reason_before(sentence: Sentence, previous: Sentence, blocks: Sequence[Block]) -> bool | None:
    """Whether the sentence before ``sentence`` gives its reason firmly (True), weakly, or None.

    「このため、…」, 「これを受け、…」, 「そこで、…」 point back to what the sentence
    before said (firm when it has content); a report of what happened
    (「…事案が発生しました」) before a request is a reason the reader may take (weak).
    """
    if blocks[sentence.block].kind is BlockKind.HEADING:
        return None
    before = _searched_text("why", previous.text, "ja")
    if before is None:
        return None  # a threat or blame before: no reason
    if points_back(sentence.text):
        return has_content(before)
    if reports_event(before) and _PATTERNS["ja"]["reader_action"].search(sentence.text):
        return False
    return None


def _unanswered(
    key: str, found: tuple[Sentence, int, bool] | None, blocks: Sequence[Block]
) -> ReaderCheck:
    """The check of a question not answered: unsure where a sentence answers it weakly."""
    if found is None:
        return ReaderCheck(key, passed=False)
    sentence, offset, _firm = found
    return ReaderCheck(
        key,
        passed=False,
        location=sentence.locate(blocks, offset),
        excerpt=excerpt(_from_word(sentence.text, offset)),
        unsure=True,
    )


def _from_word(text: str, offset: int) -> str:
    """``text`` from the word holding ``offset`` when the match lies beyond the excerpt."""
    if offset < EXCERPT_LENGTH * 2 // 3:
        return text
    return "…" + text[snap_to_word(text, offset - EXCERPT_LENGTH // 4) :]

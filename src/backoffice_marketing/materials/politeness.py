"""Reading through politeness: set phrases of 敬語 answer nothing, threats are flagged.

A notice can be long and polite and still tell its reader nothing. Three
kinds of set phrase are blanked out before the reader checks look for an
answer (:func:`without_courtesy`), so that they never satisfy a check on
their own:

* **closing courtesies** that ask for nothing in particular:
  何卒よろしくお願い申し上げます, ご理解ご協力のほど…, ご了承のほど…,
  ご承知おきください, ご査収のほど…, "thank you for your cooperation";
* **announcement formulas** that say a decision exists, not what it is or
  why: 〜こととなりました, 〜運びとなりました, 〜予定となっております,
  ご案内申し上げます, お知らせいたします; a reason clause that only leads
  into one (「刷新いたしましたので、お知らせいたします」) is no reason;
* **greetings and apologies**: 平素より格別のご高配を賜り…,
  ご迷惑をおかけし…お詫び申し上げます.

The tone check (rule ``tone.threat``, :func:`check_tone`) flags sentences
that threaten or blame their readers: しかるべき対応, 厳正に対処, 処分,
責任を問う, 自己責任, 後を絶ちません, 再三にわたり…, and 厳守 or 徹底 asked
for with no reason in the same sentence; in English "disciplinary action",
"will not be tolerated", "failure to comply"... A reader who feels accused
stops reading; say what to do and why instead.

Both sets of patterns were set on ``tests/data/materials/keigo_ja.toml`` and
``keigo_ja_more.toml`` and measured on ``keigo_ja_holdout2.toml``
(``benchmarks/reader_checks.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.materials.catalogue import make_finding
from backoffice_marketing.materials.model import Block, BlockKind, Finding
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.sentences import Sentence

__all__ = ["TONE_RULE", "check_tone", "is_prose", "threatens", "without_courtesy"]

#: The rule a threatening or blaming sentence fires.
TONE_RULE = "tone.threat"

_COURTESY_NOUN = (
    r"(?:理解|協力|了承|承知|高配|容赦|査収|指導|鞭撻|支援|愛顧|配慮|厚情|引き立て|引立て"
    r"|海容|寛恕|清祥|清栄|健勝|尽力|留意|自愛)"
)
_PLEASE = r"(?:お願い|お頼み)(?:します|いたします|致します|申し上げます|申しあげます)?"
_LEAD = (
    r"(?:(?:何卒|なにとぞ|どうぞ|どうか|引き続き|今後とも|あらかじめ|予め|重ねて|変わらぬ)[、\s]*)*"
)
_COURTESY_JA = re.compile(
    # ご理解ご協力のほど、何卒よろしくお願い申し上げます / ご了承ください / ご承知おきください
    rf"{_LEAD}[ごお]{_COURTESY_NOUN}(?:(?:と|、|や|および|及び|・)?[ごお]?{_COURTESY_NOUN})*"
    r"(?:を賜り(?:ますよう|たく)?|賜りますよう|くださいますよう|いただけますよう|いただきますよう"
    r"|のほど|おき|を|の)?[、\s]*"
    rf"(?:{_LEAD}よろしく[、\s]*)?(?:{_PLEASE}|ください|下さい|願います|願い上げます)?"
    # 何卒よろしくお願い申し上げます
    rf"|{_LEAD}よろしく[、\s]*{_PLEASE}"
    # ご確認のほどよろしくお願いいたします, ご確認賜りますようお願い申し上げます
    # (no object: a courtesy, unlike 〇〇をご確認ください)
    rf"|(?<![をはも]){_LEAD}ご確認(?:のほど|を?賜りますよう|くださいますよう|いただきますよう"
    rf"|いただけますよう)[、\s]*(?:よろしく)?[、\s]*{_PLEASE}"
    r"|(?:十分|くれぐれも)?ご注意(?:ください|下さい|願います|くださいますよう)"
    r"|(?:今しばらく|しばらく)?お待ち(?:くださいますよう|いただけますよう|ください|下さい)"
    rf"(?:[、\s]*(?:よろしく)?{_PLEASE})?"
    # 〜こととなりましたので / 運びとなりました / 予定となっております
    r"|(?:こと|運び|次第)(?:と|に)なりました(?:ので)?|予定(?:と|に)なっております(?:ので)?"
    r"|させていただ(?:きます|く)"
    # 〜ので、お知らせいたします / ご案内申し上げます: the ので leads only into the notice itself
    r"|(?:ので|ため)?[、\s]*(?:ここに|謹んで|取り急ぎ)?"
    r"(?:お知らせ|ご案内|ご報告|ご連絡|ご通知)(?:いたします|致します|申し上げます|します|します)"
    r"|(?:追って|別途|改めて)(?:ご連絡|ご案内|お知らせ)(?:いたします|申し上げます|します)"
    # greetings and apologies
    r"|平素(?:より|は)[^。]*?(?:御礼|お礼)申し上げます"
    r"|ご迷惑をおかけ[^。]*?(?:お詫び|おわび)申し上げます"
)
_COURTESY_EN = re.compile(
    r"\b(?:thank you|thanks) (?:(?:in advance )?for your (?:understanding|cooperation|patience"
    r"|support|attention)|in advance)\b"
    r"|\bwe (?:appreciate|apologi[sz]e for) (?:your|any|the)[^.]*"
    r"|\b(?:please )?(?:note|be advised|be informed) that\b"
    r"|\bwe are (?:pleased|writing) to (?:inform|announce|let) you\b"
    r"|\bkind(?:est)? regards\b|\bbest regards\b",
    re.IGNORECASE,
)

_REASON_JA = re.compile(r"ため|ので|から|ように|よう、|目的|理由|防ぐ|守る|避ける")
_REASON_EN = re.compile(r"\b(?:because|so that|to (?:protect|prevent|avoid|keep)|since|as)\b", re.I)
_TONE_JA = re.compile(
    r"しかるべき(?:対応|措置|処置|手段|処分)|厳正(?:に|な)(?:対処|処分|対応|処置)"
    r"|(?:懲戒|厳重)?処分(?:を科|の対象|を行|を下|いたし|します|する|とな)|懲戒|減給|没収"
    r"|責任を(?:厳しく)?問|責任は[^。]{0,12}(?:に|が)(?:あ|負)|自己責任"
    r"|断じて|許され(?:る|ざる)(?:もの|行為)|看過(?:でき|いたしかね)|容認(?:でき|いたしかね)"
    r"|再三(?:に|の)|度重な|後を絶ち|いまだに[^。]{0,20}(?:ていません|ていない|ません)"
    r"|守られていない|権限を(?:停止|剥奪)|一切(?:認め|受け付け|応じ)(?:ません|ない)"
    r"|厳しく(?:指導|対処|処分|問)|相応の(?:処分|対応|措置)|処分が(?:なされ|下され|科され)"
    r"|評価[^。]{0,8}(?:考慮|反映)|権限を見直"
)
_STRICT_JA = re.compile(r"厳守|徹底|遵守")
_TONE_EN = re.compile(
    r"\bdisciplinary (?:action|measures?|procedure)|\bwill not be tolerated\b|\bzero tolerance\b"
    r"|\bfailure to (?:comply|follow|observe)\b"
    r"|\bheld (?:personally )?(?:responsible|accountable)\b"
    r"|\bappropriate (?:action|measures) will be taken\b|\brepeatedly (?:reminded|told|asked)\b"
    r"|\bstrictly (?:prohibited|forbidden)\b|\bsanctions?\b|\bdismiss(?:al|ed)\b",
    re.IGNORECASE,
)
_STRICT_EN = re.compile(r"\b(?:strictly|must be (?:strictly )?(?:observed|followed))\b", re.I)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def without_courtesy(text: str, lang: Lang) -> str:
    """``text`` with its set phrases of politeness blanked out (offsets kept)."""
    pattern = _COURTESY_JA if lang == "ja" else _COURTESY_EN
    return pattern.sub(_blank, text)


def threatens(text: str, lang: Lang) -> bool:
    """Whether ``text`` holds a threat or blame (not counting 厳守 without a reason)."""
    return (_TONE_JA if lang == "ja" else _TONE_EN).search(text) is not None


def check_tone(
    sentence: Sentence, blocks: Sequence[Block], options: LintOptions, lang: Lang
) -> Iterator[Finding]:
    """A ``tone.threat`` finding when ``sentence`` threatens or blames its readers."""
    if not options.enabled(TONE_RULE) or blocks[sentence.block].kind is BlockKind.HEADING:
        return
    text = sentence.text
    threat, strict, reason = (
        (_TONE_JA, _STRICT_JA, _REASON_JA) if lang == "ja" else (_TONE_EN, _STRICT_EN, _REASON_EN)
    )
    found = threat.search(text)
    if found is None:
        demand = strict.search(text)
        if demand is not None and reason.search(without_courtesy(text, lang)) is None:
            found = demand
    if found is not None:
        yield make_finding(
            TONE_RULE, sentence.locate(blocks, found.start()), quote=text, phrase=found.group()
        )


_SENTENCE_END = re.compile(r"[。．.!?！？]\s*$")
#: A block this short that ends no sentence is a label (「対象」, 「2027年4月1日」, "Date").
_LABEL_CHARS = 20


def is_prose(sentence: Sentence, blocks: Sequence[Block], header: int = 0) -> bool:
    """Whether a sentence counts in sentence statistics: not a cell, heading, label or header.

    ``header`` is the number of leading header blocks (title, date, sender:
    :func:`~backoffice_marketing.materials.reader.header_length`).
    """
    if sentence.block < header:
        return False
    kind = blocks[sentence.block].kind
    if kind in (BlockKind.TABLE_CELL, BlockKind.HEADING):
        return False
    text = sentence.text.strip()
    return bool(_SENTENCE_END.search(text)) or len(text) > _LABEL_CHARS

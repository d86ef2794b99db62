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
  ご迷惑をおかけし…お詫び申し上げます (with the mishap apologised for:
  「障害により…ご不便をおかけし…お詫び申し上げます」 gives no reason), 念のため.

Stock reasons (諸般の事情により, 〜の観点から), vague changes, requests bound to
no action and vows are judged next to each cue, in
:mod:`backoffice_marketing.materials.substance`.

The tone check (rule ``tone.threat``, :func:`check_tone`) flags sentences
that threaten or blame their readers: sanctions (しかるべき対応, 厳正に対処,
懲戒処分の対象, 権限を停止, 人事考課に反映, 不利益な取り扱い, 厳しい措置),
exposure (氏名を公表, 上長に報告させていただきます), blame (責任を問う,
自己責任, 本人の責任, 一部の社員の不注意により, 自覚を持って, 後を絶ちません,
再三にわたり…, 守られておりません), and 厳守 or 徹底 asked for with no reason
in the same sentence (契約上 or 〜に間に合わせるため is a reason). A bare 処分
next to things (書類, 私物, 不要品) is disposal, not a sanction, and 懲戒 alone
(懲戒規程, 懲戒委員会) threatens no one. In English "disciplinary action",
"will not be tolerated", "failure to comply"... A reader who feels accused
stops reading; say what to do and why instead.

Both sets of patterns were set on ``tests/data/materials/keigo_ja.toml`` and
``keigo_ja_more.toml`` and measured on ``keigo_ja_holdout4.toml``
(``benchmarks/reader_checks.py``).
"""

from __future__ import annotations

import functools
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
    r"(?:理解|協力|了承|了解|承知|高配|容赦|査収|指導|鞭撻|支援|愛顧|配慮|厚情|引き立て|引立て"
    r"|海容|寛恕|清祥|清栄|健勝|尽力|留意|自愛)"
)
_PLEASE = r"(?:お願い|お頼み)(?:します|いたします|致します|申し上げます|申しあげます)?"
_LEAD = (
    r"(?:(?:何卒|なにとぞ|どうぞ|どうか|引き続き|今後とも|あらかじめ|予め|重ねて|変わらぬ"
    r"|これまでどおり|これまで通り|従来どおり|従来通り|変わらず)[、\s]*)*"
)
_COURTESY_JA = re.compile(
    # ご理解ご協力のほど、何卒よろしくお願い申し上げます / ご了承ください / ご承知おきください
    rf"{_LEAD}[ごお]{_COURTESY_NOUN}(?:(?:と|、|や|および|及び|・)?[ごお]?{_COURTESY_NOUN})*"
    r"(?:を賜り(?:ますよう|たく)?|賜りますよう|くださいますよう|いただけますよう|いただきますよう"
    r"|のほど|おき(?:くださいますよう|いただきますよう|いただけますよう)?|を|の)?[、\s]*"
    rf"(?:{_LEAD}よろしく[、\s]*)?(?:{_PLEASE}|ください|下さい|願います|願い上げます)?"
    # 何卒よろしくお願い申し上げます
    rf"|{_LEAD}よろしく[、\s]*{_PLEASE}"
    # ご確認のほどよろしくお願いいたします, ご確認賜りますようお願い申し上げます
    # (no object: a courtesy, unlike 〇〇をご確認ください)
    rf"|(?<![をはも]){_LEAD}ご確認(?:のほど|を?賜りますよう|くださいますよう|いただきますよう"
    rf"|いただけますよう)[、\s]*(?:よろしく)?[、\s]*{_PLEASE}"
    r"|(?:十分|くれぐれも)?ご注意(?:ください|下さい|願います|くださいますよう)"
    # 「…ので、ご安心ください」: reassurance, asking for nothing and explaining no change
    r"|(?:どうぞ)?ご安心(?:ください|下さい|いただけます)"
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
    r"|念のため"
)
#: An apology, with the mishap it apologises for (「障害により…ご不便をおかけし…
#: お詫び申し上げます」): a separate pass, run only on sentences that apologise (its
#: leading ``[^。]*?`` is costly).
_APOLOGY_JA = re.compile(
    r"[^。]*?(?:ご迷惑|ご不便|ご心配|ご負担)を(?:お)?かけ[^。]*?(?:お詫び|おわび)(?:申し上げます|いたします)"
    r"|[^。]*?申し訳(?:ございません|ありません)(?:でした)?"
)
_APOLOGY_WORDS = ("ご迷惑", "ご不便", "ご心配", "ご負担", "申し訳")
_COURTESY_EN = re.compile(
    r"\b(?:thank you|thanks) (?:(?:in advance )?for your (?:understanding|cooperation|patience"
    r"|support|attention)|in advance)\b"
    r"|\bwe (?:appreciate|apologi[sz]e for) (?:your|any|the)[^.]*"
    r"|\b(?:please )?(?:note|be advised|be informed) that\b"
    r"|\bwe are (?:pleased|writing) to (?:inform|announce|let) you\b"
    r"|\bkind(?:est)? regards\b|\bbest regards\b",
    re.IGNORECASE,
)

_REASON_JA = re.compile(
    r"ため|ので|から|ように|よう、|目的|理由|防ぐ|守る|避ける|間に合"
    r"|(?:契約|法令|法律|安全|衛生|防犯|会計|税務)上"
)
_REASON_EN = re.compile(r"\b(?:because|so that|to (?:protect|prevent|avoid|keep)|since|as)\b", re.I)
_TONE_JA = re.compile(
    r"しかるべき(?:対応|措置|処置|手段|処分)|厳正(?:に|な)(?:対処|処分|対応|処置)"
    r"|(?:懲戒|厳重|厳正な|重い)処分|処分(?:を科|を下|の対象)"
    # (「懲戒事由に…を加えます」 states a rule, it threatens no one)
    r"|懲戒(?:の対象|事由(?!に[^。]{0,30}?(?:加え|追加|追記))|解雇|を科|を受け|とな|に処)|減給|没収"
    r"|責任を(?:厳しく)?問|責任は[^。]{0,12}(?:に|が)(?:あ|負)|自己責任"
    r"|断じて|許され(?:る|ざる)(?:もの|行為)|看過(?:でき|いたしかね)|容認(?:でき|いたしかね)"
    r"|再三にわたり|再三[^。]{0,12}(?:にもかかわらず|にも関わらず|ても)|度重な|後を絶(?:ち|た|え)|いまだに[^。]{0,20}(?:ていません|ていない|ません)"
    r"|守られていない|権限を(?:停止|剥奪)|一切(?:認め|受け付け|応じ)(?:ません|ない)"
    r"|厳しく(?:指導|対処|処分|問)|相応の(?:処分|対応|措置)|処分が(?:なされ|下され|科され)"
    r"|(?:評価|考課|査定)[^。]{0,8}(?:考慮|反映|影響)|権限を見直|不利益(?:な|を)"
    # sanctions on the reader's rights, or exposure: 権限を一時停止, 氏名を公表, 上長に報告します
    r"|(?:権限|許可|資格)を(?:一時)?(?:停止|剥奪|取り?消)|(?:氏名|実名|部署名)を?[^。、]{0,6}(?:公表|公開|掲示)"
    r"|(?:上長|所属長|上司)(?:に|へ)(?:報告|通知)(?:させていただ|いたしま|しま)"
    r"|(?:氏名|実名|名前)を[^。]{0,12}(?:上長|所属長|上司)(?:に|へ)(?:報告|通知)(?:させていただ|いたしま|しま)"
    r"|(?:氏名|実名)[^。]{0,20}(?:公表|公開|掲示)(?:させていただ|いたしま|しま|する)"
    r"|厳しい(?:措置|対応|処分|処置)|措置を講じ|(?:本人|各自|ご自身|個人)の(?:責任|負担)(?:と|に|で)"
    # blame: 一部の社員の不注意により, 自覚を持って, 守られておりません, 何度申し上げても
    r"|一部の(?:社員|方|者|従業員|職員)[^。]{0,15}(?:不注意|軽率|心ない|違反|怠慢|により|による)"
    r"|(?:皆様|皆さん|社員|各位|申請者|利用者)の[^。]{0,8}(?:不注意|確認不足|認識不足|意識の低さ)"
    # 「確認不足の方が多いようです」, 「遅れて入室する方が多数見受けられ」: readers blamed
    r"|(?:不足|漏れ|不備|ミス|違反|遅れ|忘れ)の(?:方|者|社員|職員|従業員)が(?:多|目立|散見|見受け|後を絶)"
    r"|(?:方|者|社員|職員|従業員)が(?:多数|多く|一部に)?(?:見受けられ|散見され|目立ち|目立って)"
    # 「ルールを軽く考えている社員が一部にいる」, 「一部の方のマナーが悪いため」
    r"|(?:社員|方|者|職員|従業員)が一部に(?:いる|おられ|見られ)|軽く考え|マナーが(?:悪|守られ)"
    r"|一部の(?:方|社員|者|職員|従業員)の(?:マナー|行動|態度|不注意|言動)"
    r"|意識の低さ|心ない|軽率な|怠慢|自覚(?:を持|していただき|の欠如|が足り|に欠け)|遺憾(?!ながら)|言わざるを得"
    r"|守られて(?:おりません|いません)|何度(?:申し上げ|お願いし|言っ)て?も"
)
#: A bare 処分 of things is disposal (「不要な書類の一斉処分」), not a sanction.
_DISPOSAL = re.compile(
    r"書類|文書|私物|物品|不要|廃棄|ごみ|ゴミ|粗大|備品|資産|機器|データ|在庫|放置"
)
_STRICT_JA = re.compile(r"厳守|徹底|遵守")
#: A demand is made in a sentence with a predicate, not in a title line (「【…の徹底について】」).
_PREDICATE = re.compile(
    r"ください|下さい|お願い|願います|こと[。.]?\s*$|されたい|のこと|べし|ます|です", re.IGNORECASE
)
#: Thanks for keeping a rule (「遵守にご協力いただき、ありがとうございます」): no demand.
_THANKS = re.compile(r"ありがとう|感謝|御礼|お礼", re.IGNORECASE)
#: A sanction denied (「評価に影響することは一切ございません」): no threat.
_DENIED = re.compile(
    r"[^。]{0,8}?(?:ことは|ことも|ことが|ことなど)?(?:一切|決して|全く)?[、\s]*"
    r"(?:ございません|ありません|ない(?:ので|です|。|$)|しません|いたしません)"
)
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
    """``text`` with its set phrases of politeness blanked out (offsets kept).

    Each sentence is blanked once and remembered: every reader check and the tone
    check ask for the same sentences.
    """
    return _blanked(text, lang)


@functools.lru_cache(maxsize=4096)
def _blanked(text: str, lang: Lang) -> str:
    if lang != "ja":
        return _COURTESY_EN.sub(_blank, text)
    if any(word in text for word in _APOLOGY_WORDS):
        text = _APOLOGY_JA.sub(_blank, text)
    return _COURTESY_JA.sub(_blank, text)


def threatens(text: str, lang: Lang) -> bool:
    """Whether ``text`` holds a threat or blame (not counting 厳守 without a reason)."""
    return _threat(text, lang) is not None


def _threat(text: str, lang: Lang) -> re.Match[str] | None:
    """The first threat or blame in ``text``; 処分 of things is disposal, no threat."""
    if lang != "ja":
        return _TONE_EN.search(text)
    for found in _TONE_JA.finditer(text):
        if found.group().startswith("処分") and _DISPOSAL.search(text):
            continue
        if _DENIED.match(text, found.end()):
            continue  # 「評価に影響することは一切ございません」: a sanction denied
        return found
    return None


def check_tone(
    sentence: Sentence,
    blocks: Sequence[Block],
    options: LintOptions,
    lang: Lang,
    *,
    before: str = "",
) -> Iterator[Finding]:
    """A ``tone.threat`` finding when ``sentence`` threatens or blames its readers.

    ``before`` is the sentence before it: a demand (厳守, 徹底, 遵守) whose reason
    comes in the sentence just before (「…引き継がれません。…時刻の厳守をお願いします」)
    is explained, and a demand the sentence thanks the reader for keeping
    (「遵守にご協力いただき、ありがとうございます」) is none.
    """
    if not options.enabled(TONE_RULE) or blocks[sentence.block].kind is BlockKind.HEADING:
        return
    text = sentence.text
    strict, reason = (_STRICT_JA, _REASON_JA) if lang == "ja" else (_STRICT_EN, _REASON_EN)
    found = _threat(text, lang)
    if found is None:
        demand = strict.search(text)
        explained = any(
            reason.search(without_courtesy(part, lang)) is not None for part in (text, before)
        )
        if (
            demand is not None
            and not explained
            and _THANKS.search(text) is None
            and _PREDICATE.search(text) is not None
        ):
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

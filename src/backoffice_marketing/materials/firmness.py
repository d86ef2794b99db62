"""Firm and weak evidence: which Japanese cues answer a reader's question on their own.

A reader check (:mod:`backoffice_marketing.materials.reader`) finds a cue with
content behind it (:mod:`backoffice_marketing.materials.substance`). Some cues
answer the question plainly; others only hint at an answer and, in notices
nobody has tuned the rules on, turned out wrong too often to count as one.
A sentence with only weak evidence makes the check *unsure* (要確認): the
review shows the sentence and asks a person to judge, instead of passing it.

**What changes** is firm when the new state is said:

* a before/after or a target: 「AからBに変更」, 「…に変わります」, 「…へ切り替えます」,
  「…に統一」, 「ではなく…」 from a date, a 変更前/変更後 table;
* an object given or asked for anew: 「在宅勤務手当を新たに支給します」;
* something ends or becomes required: 廃止, なくなります, 不要・必要・必須になります;
* a new rule or state from a date: 「…より、…で行うこととなります」, 「…ようにします」,
  禁止します;
* an amount moved: 「2,000円から3,000円に」, or 短縮, 延長, 引き上げ… with a number.

It is weak (:data:`_WEAK_CHANGE`) when the cue only says *that* something changes,
or hints at it: a change verb with no target (「発注方法が変わります」,
「受付時間を短縮いたします」), a date a change might run from (「10月から、」),
今後は, 新たに, 中止, 停止 or 休止 (so often of one event), これまでどおり (what
stays), 〜ようになります and a rule revised (改定) without what differs.

English cues are all firm: the English checks keep their measured verdicts.
"""

from __future__ import annotations

import re

from backoffice_marketing.materials.substance import AMOUNT_WORDS

__all__ = ["is_firm"]

#: Cues of a change that say only that something changes, or hint at it.
_WEAK_CHANGE = re.compile(
    rf"(?:変わ|変更|変え|改め|切り?替|入れ替|置き?換|移転|{AMOUNT_WORDS}"
    r"|改定|改訂|今後は|これからは|新た|新し|中止|休止|停止"
    r"|これまで|ようにな|禁止(?:にな|とな)|今年|今年度|来年度|新年度)"
    r"|^[0-9０-９]{1,2}月"
)
#: The new state right before the change word: 「…に変更」, 「…へ切り替え」.
_TARGET = re.compile(r"[^。、\s](?:に|へ)[、\s]*$")
#: Change words whose new state is a target (に/へ) before them.
_TARGETED = re.compile(r"変わ|変更|変え|改め|切り?替|入れ替|置き?換|移転")
#: Change words of an amount, firm with a number in the sentence.
_AMOUNT = re.compile(AMOUNT_WORDS)
_NUMBER = re.compile(r"[0-9０-９]")
#: Cues that only set the time or frame of a change (「10月から、」, 「今後は」): firm when the
#: rest of the sentence states the new state.
_FRAME = re.compile(r"[0-9０-９]|今後|これから|今年|来年|新年度")
#: A new state stated: 「白黒になります」, 「…へ移します」, 「打刻が必要です」, 「…のみとなります」.
_NEW_STATE = re.compile(
    r"(?:に|と)な(?:ります|りました|る)(?!か|可能)|(?:に|へ)[、\s]*(?:変更|変わ|移|切り?替|増や|減ら|変え|改め|統一)"
    r"|必要(?:です|とな|にな)|不要|必須|のみ(?:と|に|です)|廃止|やめ|なくな|できるようにな"
    r"|ことと(?:な|いたし)|ように(?:し|いたし|なり)"
)


def is_firm(key: str, searched: str, cue: re.Match[str], sentence: str) -> bool:
    """Whether the Japanese cue ``cue`` (found in the blanked ``searched``) answers ``key`` firmly.

    ``sentence`` is the sentence as written. Only what_changes has weak cues so far.
    """
    return key != "what_changes" or _firm_change(searched, cue, sentence)


def _firm_change(searched: str, cue: re.Match[str], sentence: str) -> bool:
    """Whether a change cue states the new state (see the module's documentation)."""
    word = cue.group().strip()
    if word in ("変更前", "変更後", "新たに", "新しく") or _WEAK_CHANGE.match(word) is None:
        return True  # a before/after table; an object given anew (states_change saw it)
    if _FRAME.match(word) is not None:
        return _NEW_STATE.search(searched, cue.end()) is not None
    if word.startswith("ようにな"):
        return searched[: cue.start()].endswith("できる")
    if _TARGETED.match(word) is not None:
        return _TARGET.search(searched[: cue.start()]) is not None
    return _AMOUNT.match(word) is not None and _NUMBER.search(sentence) is not None

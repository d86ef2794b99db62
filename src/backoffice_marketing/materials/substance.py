"""Content behind a cue: when a reader check's cue word really answers the question.

The reader checks (:mod:`backoffice_marketing.materials.reader`) find their
answers by cue words: 〜ため for *why*, 変更します for *what changes*,
〜してください for *what to do*. A polite notice can use every cue and still
say nothing. The rules here look next to a Japanese cue for the content that
makes it an answer; English cues are taken as they are. None of them names a
sentence: each is a closed list of words of one kind, documented below, and
the benchmark (``benchmarks/reader_checks.py``) measures them.

**A reason** (:func:`gives_reason`) is a clause with content before 〜ため,
〜ので, 〜ことを受け, 〜ように, 〜により, 〜に伴い, 〜ことから (or an event
before のため: 保守のため). It is none when

* its wording is a stock reason with nothing behind it (:data:`STOCK_REASON`:
  諸般の事情により, 業務上の都合により, 以下の理由により, 〜の一環として,
  〜の観点から, 万全を期すため, 下記のとおり…, an abstract aim such as
  「管理のため」 or 「効率化を図るため」), which :func:`without_stock_reasons` blanks;
* its predicate only reports the notice's own making or weight: 掲載しましたので,
  発行いたしましたので, 配布しましたので, 決定いたしましたので, 改定しましたので,
  予定ですので, 別紙のとおりですので, 重要ですので (:data:`_PROCEDURAL`): the
  ので then leads into a request;
* the cause before により or に伴い is the change itself (電子化, 組織改編, 更新),
  a rule book (就業規則により) or a means (電子メールにより) (:data:`_NO_CAUSE`);
* the clause holds fewer than two content characters (kanji, katakana, letters
  or digits) before the cue.

**A change** (:func:`states_change`) is a change word with an object or a
before/after. It is none when

* the sentence is a question or help sentence (困ったときは, ご質問は…): a
  change named in passing (「新しいシステムの使い方で困ったときは」);
* its object is only a vague noun (:data:`_VAGUE_OBJECT`: 一部, 内容, 運用,
  仕様, 体制, 取り扱い, あり方, 規程…) and the sentence gives no before/after
  (「AからBに変更」): 「運用を見直します」, 「一部仕様を変更いたします」,
  「規程を改定いたしました」;
* the cue only names something new (「新しい人事評価制度が始まりました」,
  新たな施策): 新しい, 新たな and 新しく or 新たに without an object right before
  them (:data:`_NEW_OBJECT`) say nothing that differs for the reader;
  「在宅勤務手当を新たに支給します」 does;
* it is 今後は or これからは before a warning (:data:`_ADMONITION`) or a request
  (:data:`_REQUEST_END`), read in the sentence as written, so that a warning
  blanked as a courtesy (「今後は、…確認するよう、十分ご注意ください」) still counts
  as one; 「今後は…で受け付けることとなります」 states a new state and counts;
* it is a date a change runs from (「7月から、」) before an event held
  (:data:`_ONE_OFF`: 実施します, 開催いたします) that does not recur
  (:data:`_RECURRING`: 毎週, ごと, 定期的, 月に1回): a one-off, not a change;
* the sentence is a vow (:data:`VOW`: 「…に努めてまいります」), which promises
  effort, not a change (nor a reason);
* the change is only possible or under consideration (:data:`_POSSIBLE`: 可能性,
  かもしれ, 検討しております, 方向で, 見込み), or only planned (:data:`_PLANNED`:
  「…予定です」) in a sentence with no month or day;
* it is 中止 or 休止 of one day's event (:data:`_DATED_EVENT`: 「6月25日(金)の全体
  朝礼は中止いたします」), or 中止, 休止 or 停止 for a window of hours
  (:data:`_WINDOW`: 「下記の日程で」, 「9時〜18時」): a one-off, not a change.

生まれ変わる, 変わらぬ and 変わりません are no change cue at all (the pattern in
:mod:`backoffice_marketing.materials.reader` leaves them out); a threat or blame given
as the cause (「上長に報告させていただきますので」) is no reason, read there in the
sentence as written.

**A request** (:func:`binds_action`) is a request form bound to an action word.
The action word is the noun or verb the request ending (ください,
お願いします, いただきますよう) attaches to. A request is none when

* the ending attaches to nothing, or to a manner (「厳守でお願いいたします」);
* the action word is a choice, not a task (:data:`_OPTIONAL`: ご検討, ご活用,
  ご参考, ご安心);
* the request asks the reader to reflect or resolve (:data:`_MIND`: 基本に立ち返って,
  行動を見つめ直して, 自覚して, 業務に邁進して…): an exhortation, not a task;
* the action word is an attitude (:data:`_ATTITUDE`: 厳守, 遵守, 徹底, 注意,
  留意, 配慮) with no object, or with a rule book as its object
  (「規程を遵守してください」); 「締め日を厳守してください」 counts;
* the action word is reading (:data:`_READING`: ご確認, ご一読, ご覧, ご参照)
  and what is to be read is nothing or a mere container (:data:`_CONTAINER`:
  内容, 別紙, 別添, 本件, 上記, 詳細): 「内容をご確認ください」 asks for nothing a
  reader can do, 「給与明細の住民税の欄をご確認ください」 and 「規程集でご確認ください」 do;
* the action word is a wish (:data:`_OPTIONAL` also holds ご期待, お楽しみ, ご愛顧), or
  「ぜひ」 comes before it in its clause (:data:`_INVITATION`: 「ぜひご参加ください」):
  an invitation, not a task;
* the request is quoted or reported (:data:`_REPORTED`: 「…してほしいという要望」,
  「…してくださいとの声」);
* the action word points to where something is written (:data:`_POINTING`: ご覧,
  ご参照, 閲覧) and the sentence is a 「詳しくは…」 pointer (:data:`_DETAILS`) or names
  no way to do a task (:data:`_HOW_TO`: 手順, 手引き, 方法, 書き方, 使い方, 操作,
  マニュアル): 「詳しくは…ページをご覧ください」 asks nothing, 「申請の手順は、添付の
  手引きをご覧ください」 does.

Requests made only for some readers (「…の場合は」, 「届いたら」, 「希望する方は」) or
for help (「わからないことは…聞いてください」) are left out before these rules run, in
:mod:`backoffice_marketing.materials.reader`.
"""

from __future__ import annotations

import re

__all__ = [
    "AMOUNT_WORDS",
    "AS_BEFORE_WORDS",
    "STOCK_REASON",
    "VOW",
    "binds_action",
    "gives_reason",
    "has_content",
    "points_back",
    "reports_event",
    "states_change",
    "without_stock_reasons",
]

#: Reasons with nothing behind them: they never say why on their own.
STOCK_REASON = re.compile(
    r"諸般の(?:事情|都合)(?:を勘案し|により|によって|から|で|もあり)?"
    r"|諸事情(?:により|によって|で)?"
    r"|(?:業務上|運営上|社内|弊社|当社|弊部|当部|会社|一身上)の?都合(?:上|により|によって|で)?"
    r"|[一-鿿ァ-ヶー・]*の一環(?:として|で)"
    r"|[一-鿿ァ-ヶー・]*の?観点(?:から|より|に鑑み)"
    r"|万全を期す(?:ため(?:に)?|べく)"
    r"|(?:下記|上記|別紙|別添|以下)の(?:とおり|通り)(?:です|でございます)?(?:ので)?"
    r"|(?:下記|上記|以下|次|別紙)の理由(?:により|によって|で|から)"
    r"|[^、。\s]*事情(?:により|によって|で|から|もあり|を勘案し)"
    r"|(?:諸般の)?状況(?:を|に)鑑み(?:まして|て)?|総合的に判断し(?:た結果)?"
    r"|かねてより検討を重ねてまいりましたが"
    # an abstract aim: 「エンドポイント管理のため」, 「利便性向上のため」, 「効率化を図るため」
    r"|[一-鿿ァ-ヶー・]*(?:管理|強化|向上|化|推進|徹底|充実|確保|改善|対応|対策)(?:のため|を図るため)[、に]?"
)
#: The predicate of a clause that reports the notice's own making (not a reason).
_PROCEDURAL = re.compile(
    r"(?:掲載|格納|送付|添付|同封|同送|回覧|配付|作成|決定|確定|公開|用意|準備|配信|送信|共有|通知|発令|整理|集約"
    r"|お送り|お知らせ|ご案内|ご連絡|決ま|整い|まとま)"
    r"(?:し|いたし|致し|され|り|っ)?(?:ました|ます|た|ている|ております|ています)?"
    r"|(?:発行|配布)(?:し|いたし|致し|され)(?:ました|ます)"
    r"|(?:とおり|通り)(?:です|でございます)?|予定(?:です|でございます)?"
    # the change itself (「規定を改定しましたので」) or the notice's weight (「重要ですので」)
    r"|(?:改定|改訂|変更|実施|開始|導入|移行)(?:し|いたし|致し|され)(?:ました|ます)"
    r"|(?:重要|大切|大事)(?:です|でございます|な[^、。]{0,6}です)?"
)
_PROCEDURAL_END = re.compile(rf"(?:{_PROCEDURAL.pattern})\s*$")
_CONTENT_CHAR = re.compile(r"[一-鿿ァ-ヶA-Za-z0-9０-９Ａ-Ｚａ-ｚ]")
#: Reason cues whose clause comes before them (目的は…, 理由は… carry their own content).
_CLAUSE_CUE = re.compile(
    r"ため|ので|ことを受け|ように|からです|により|によって|に伴|のため|ことから"
)
#: A cause that is the change itself (「電子化に伴い」), a rule book (「就業規則により」) or a
#: means (「電子メールにより連絡する」: により of the way, not of the reason).
_NO_CAUSE = re.compile(
    r"(?:化|変更|導入|移行|開始|改定|改訂|改正案|刷新|見直し|リニューアル|切り?替え|実施|更新|改編|再編"
    r"|規程|規則|規定|ルール|定め"
    r"|メール|書面|文書|電話|口頭|郵送|システム|チャット|ポータル|Web|ウェブ|フォーム|アプリ|掲示|方法|手段"
    # an agent: 「専門業者により溶解処分」
    r"|業者|委託先|担当者|担当部署|許可|承認|決裁)$"
)
#: The reason clause runs into a group or a condition (「…により…変更があった方は」).
_GROUP_AFTER = re.compile(r"[^。、]*?(?:(?<=[たるいなのう])方|場合|とき|際)(?:は|には)")
_CAUSE_CUE = re.compile(r"により|によって|に伴|のため")

#: A question or help sentence names a change only in passing.
_HELP = re.compile(r"困った|不明|質問|問い?合わ?せ|相談|尋ね|わからない|分からない")
#: The change cue runs into a case (「必要となる場合に備え」, 「変更になった際は」).
_CONDITION_AFTER = re.compile(r"[ぁ-ん]{0,4}(?:場合|際|とき|時)(?:は|に|には|の)")
#: Change words that need an object or a before/after to say what changes.
#: Change words of an amount or a time moved (短縮, 延長, 引き上げ…).
AMOUNT_WORDS = r"短縮|延長|延期|前倒し|拡大|縮小|増額|減額|引き?上げ|引き?下げ|早め|遅らせ"
_CHANGE_VERB = re.compile(rf"変更|変わ|変え|改め|改定|改訂|見直|刷新|{AMOUNT_WORDS}")
#: 「今後は」 before a warning to take care announces no change.
_ADMONITION = re.compile(r"注意|留意|気を付け|気をつけ|徹底|厳守|遵守|心がけ|心掛け|慎ん|控え")
#: A request closing the sentence: after 「今後は」 it asks for care, it states no new state.
_REQUEST_END = re.compile(
    r"(?:ください|下さい|願います|お願い(?:します|いたします|致します|申し上げます)"
    r"|いただきますよう[^。]*)[。．.]?\s*$"
)
#: A vow (「…に努めてまいります」) promises effort, not a change or a reason.
VOW = re.compile(
    r"(?:努め|取り組ん|取組ん|邁進し|尽力し|精進し|推進し|進め)て?(?:まいり|参り)ます|努めます"
)
#: Objects that say nothing about what changes.
_VAGUE_OBJECT = re.compile(
    r"(?:一部|内容|運用|仕様|体制|取り?扱い|詳細|あり方|在り方|方針|プロセス|仕組み|運営|形態"
    r"|事項|部分|もの|点|箇所|ところ|環境|基盤|制度|規程|規則|規定|要領|細則|マニュアル|ガイドライン)"
    r"(?:の一部|等|など)?[をがはものに]?[、\s]*(?:一部を?)?[、\s]*$"
)
#: A before/after: 「AからBに」 before the change word.
_BEFORE_AFTER = re.compile(
    r"から[^。]{1,40}(?:に|へ)[、\s]*(?:変更|変わ|変え|改め|切り?替|移|早め|遅ら|引き?上げ|引き?下げ)"
)
#: A date a change runs from (「4月から、」), as the change cue matched it.
_DATE_FROM = re.compile(r"[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?(?:以降|から|より)、")
#: An event held (実施します, 開催いたします), with nothing that recurs: a one-off.
_ONE_OFF = re.compile(r"(?:実施|開催)(?:し|いたし|致し)ます")
_RECURRING = re.compile(r"毎[日週月年朝]|ごと|定期的|[0-9０-９]+(?:か|ヶ|カ)?月に[0-9０-９一]+回")
#: A change only possible or under consideration: 「変わる可能性がございます」,
#: 「検討しております」, 「方向で」, 「見込み」.
_POSSIBLE = re.compile(
    r"可能性|かもしれ|検討(?:中|して|し|いたし|を進め|を重ね)|方向で|見込み|見通し|予想され"
)
#: A change only planned (「入れ替える予定です」): a change only with its month or day.
_PLANNED = re.compile(r"予定(?:です|でございます|しております|しています|となっております)")
_MONTH = re.compile(r"[0-9０-９]{1,2}月")
#: A change only rumoured or reported (「…廃止されるとの情報」, 「…変わるという噂」).
_RUMOUR = re.compile(r"[^。、]{0,8}?[」』]?\s*(?:との|という)(?:情報|噂|うわさ|話|報道|声|誤解)")
#: Once only: 「3月分に限り」, 「今回に限り」, 「今回のみ」.
_ONE_TIME = re.compile(
    r"(?:分|今回|今月|今年度|本年度|当日)(?:の[^。、]{0,12})?に限(?:り|って)|今回(?:のみ|限り)"
)
#: An event of one day (「6月25日(金)の全体朝礼」) right before 中止 or 休止: a one-off.
_DATED_EVENT = re.compile(
    r"[0-9０-９]{1,2}月[0-9０-９]{1,2}日(?:\s*[(（][^)）]{1,3}[)）])?(?:に予定[^。、]{0,12})?の"
    r"[^。、]{1,24}(?:は|を)?[、\s]*$"
)
#: A stop for a window of hours (「下記の日程で…停止」, 「9時〜18時」): a maintenance window.
_WINDOW = re.compile(r"日程|日時|時間帯|[0-9０-９]{1,2}(?:時|:[0-9０-９]{2})\s*[〜~～-]")
#: An object right before 新たに/新しく (「手当を新たに」, 「届出が新しく」), in the same clause.
_NEW_OBJECT = re.compile(r"[一-鿿ァ-ヶーA-Za-z0-9」』][をが][、\s]*$")
_ABSTRACT_NEW = re.compile(
    r"新たな(?:人事|全社的な)?(?:施策|取り?組み|取組|体制|展開|ステージ|価値|挑戦|一歩|段階|局面)"
)

#: Action words that are a choice, not a task.
_OPTIONAL = re.compile(r"(?:検討|活用|参考|利用|安心|期待|楽しみ|愛顧|贔屓)$")
#: 「ぜひ」 before a request makes it an invitation (ぜひご参加ください), not a task.
_INVITATION = re.compile(r"ぜひ|是非|ふるって|奮って")
#: A request quoted or reported (「…してほしいという要望」, 「…してくださいとの声」): no request.
_REPORTED = re.compile(
    r"[」』]?\s*(?:という|といった|との|と(?:いう)?(?:声|要望|意見|ご意見|お声))"
)
#: Pointing to where details are written (ご覧, ご参照): a task only when what is shown is
#: the way to do one (手順, 手引き, 書き方…) and the sentence is no 「詳しくは…」 pointer.
_POINTING = re.compile(r"(?:覧|参照|閲覧)$")
_HOW_TO = re.compile(
    r"手順|手引|方法|やり方|やりかた|しかた|仕方|書き方|使い方|操作|マニュアル|入力の"
)
_DETAILS = re.compile(
    r"(?:^[\s、]*|の)(?:詳しく|詳細|くわしく|その他|そのほか)[^。]{0,12}?(?:は|について)"
)
#: Action words that are an attitude: a task only with a concrete object.
_ATTITUDE = re.compile(r"(?:厳守|遵守|徹底|注意|留意|配慮|意識|心がけ|心掛け|気|対応|協力|対処)$")
#: Verbs of the mind: asking a reader to reflect or resolve is an exhortation, not a task.
_MIND = re.compile(
    r"立ち返|見つめ直|振り返|省み|反省|自覚|肝に銘じ|心に留め|心がけ|心掛け|邁進|精進|努力し|努め"
    r"|お考え|考えて|意識し|意識を"
)
#: How far before a request ending a verb of the mind is looked for.
_MIND_REACH = 20
#: Carrying on as before (「これまでどおり」), with no object: no new task.
#: Carrying on as before: 「これまでどおり」, 「従来と同様」.
AS_BEFORE_WORDS = r"(?:これまで|従来|通常|平常|いつも)(?:と同様|どおり|通り)"
_AS_BEFORE = re.compile(rf"[\s、]*{AS_BEFORE_WORDS}[、\s]*[ごお]?")
#: The notice's own delivery closing a clause (「掲載いたしましたので」).
_PROCEDURAL_SO = re.compile(rf"(?:{_PROCEDURAL.pattern})ので[、\s]*$")
#: Action words that are reading: a task only when what to read is named.
_READING = re.compile(r"(?:確認|一読|覧|参照|査収|閲覧|読)$")
#: Objects that name no particular thing to read or to keep.
_CONTAINER = re.compile(
    r"^(?:内容|別紙|別添|添付|添付ファイル|別添資料|添付資料|関連資料|本件|標記|上記|下記|詳細|本メール"
    r"|本文|概要|以下|こちら)$|(?:規程|規則|規定|ルール|決まり|マナー|規約|ポリシー)$"
)
#: The request ending a pattern matched, with what it attaches to before it.
_ATTACHED_NOUN = re.compile(
    r"[ごお]?(?P<word>[一-鿿ァ-ヶー]{1,8})(?:を|の)?(?:ほど)?[、\s]*(?:よろしく)?[、\s]*$"
)
_ATTACHED_POLITE = re.compile(
    r"[ごお]?(?P<word>[一-鿿ァ-ヶー]{1,8})[ぁ-ん]{0,4}?(?:て|で)?"
    r"(?:いただき|いただけ|ください|下さい|賜り)ます(?:よう|ように)[、\s]*$"
)
#: 「入力は面談のあと1週間以内にお願いします」: an action noun as the topic, with a deadline.
_ACTION_TOPIC = re.compile(
    r"(?P<word>提出|入力|申請|登録|回答|返却|返送|受講|受検|参加|出席|申し?込み?|予約|持参|記入"
    r"|更新|設定|報告|届け?出|手続き?|精算|保存)は[^。、]*?(?:まで|以内|中|前)に[、\s]*$"
)
_ATTACHED_VERB = re.compile(r"[ごお]?(?P<word>[一-鿿ァ-ヶー]{1,8})[ぁ-ん]{0,4}?$")
_HONORIFIC_REQUEST = re.compile(r"^[ごお](?P<word>[一-鿿]{1,4})")
_OBJECT = re.compile(r"(?P<object>[^、。はにでがもへと\s]+)を")
_PLACE = re.compile(r"(?P<object>[^、。はにでがもへと\s]{2,})で[、\s]*$")


#: A connective taking the sentence before as the cause (「このため、」, 「これを受け、」).
_POINTS_BACK = re.compile(
    r"^[\s「]*(?:この|その|こうした|このような|そのような)?(?:ため|ことから|状況を(?:受け|踏まえ))[、に]"
    r"|^[\s「]*(?:これ|それ|この事態|この結果|この状況|こうした状況)を(?:受け|踏まえ)(?:て|まして)?、"
    r"|^[\s「]*(?:これ|それ)に(?:伴い|より)、|^[\s「]*そこで、|^[\s「]*以上の(?:ことから|理由から)、"
)
#: What happened, reported: 「…事案が発生しました」, 「…が相次いでおります」.
_EVENT = re.compile(
    r"(?:発生|確認|判明|多発|頻発|急増|増加)(?:し|いたし|され)(?:ました|ております|ています)"
    r"|相次いで(?:おり|い)|続いて(?:おり|い)|増えて(?:おり|い)|寄せられて(?:おり|い)"
)
#: At least this many content characters make the sentence before a reason.
_MIN_REASON_CHARS = 6


def points_back(text: str) -> bool:
    """Whether ``text`` opens with a connective that takes the sentence before as its cause."""
    return _POINTS_BACK.match(text) is not None


def reports_event(text: str) -> bool:
    """Whether ``text`` reports something that happened (「…事案が発生しました」)."""
    return _EVENT.search(text) is not None


def has_content(text: str) -> bool:
    """Whether a (blanked) sentence still holds a reason's worth of content characters."""
    return len(_CONTENT_CHAR.findall(without_stock_reasons(text))) >= _MIN_REASON_CHARS


def without_stock_reasons(text: str) -> str:
    """``text`` with its stock reasons (諸般の事情により…) blanked out (offsets kept)."""
    return STOCK_REASON.sub(lambda match: " " * len(match.group()), text)


def gives_reason(text: str, cue: re.Match[str]) -> bool:
    """Whether the reason cue ``cue`` in ``text`` follows a clause with content."""
    if _CLAUSE_CUE.match(cue.group()) is None and not cue.group().startswith(
        ("う", "く", "す", "つ", "ぬ", "ぶ", "む", "る", "い", "た")
    ):
        return True  # 目的は…, 理由は…: the cue word is the reason's own heading
    before = text[: cue.start() + _stem_length(cue.group())].rstrip()
    clause = re.split(r"[。]", before)[-1]
    if _PROCEDURAL_END.search(clause):
        return False
    if _CAUSE_CUE.match(cue.group()) and _NO_CAUSE.search(clause):
        return False
    if _GROUP_AFTER.match(text, cue.end()):
        return False  # 「転居等により通勤経路に変更があった方は」: who must act, not why
    return len(_CONTENT_CHAR.findall(clause)) >= 2


def _stem_length(cue: str) -> int:
    """How many characters of a matched cue belong to the clause (「るため」: the る)."""
    return 1 if cue[:1] in "うくすつぬぶむるいた" and cue[1:3] == "ため" else 0


def states_change(text: str, cue: re.Match[str], sentence: str | None = None) -> bool:
    """Whether the change cue ``cue`` in ``text`` says what changes.

    ``text`` may have its courtesies blanked; ``sentence`` is the sentence as
    written (default ``text``), where a warning blanked as a courtesy
    (「十分ご注意ください」) still shows.
    """
    if _HELP.search(text) or _names_no_change(text, cue, sentence or text):
        return False
    if _CONDITION_AFTER.match(text, cue.end()):
        return False  # 「連絡が必要となる場合に備え」: a change only in some case
    if _CHANGE_VERB.match(cue.group()) is None:
        return True
    if _BEFORE_AFTER.search(text[: cue.end() + 4]):
        return True
    return _VAGUE_OBJECT.search(text[: cue.start()]) is None


def _names_no_change(text: str, cue: re.Match[str], sentence: str) -> bool:
    """Whether the cue is of a kind that, here, names nothing that differs for the reader."""
    word = cue.group()
    if (
        _POSSIBLE.search(sentence)
        or (_PLANNED.search(sentence) and _MONTH.search(sentence) is None)
        or _ONE_TIME.search(sentence)
        or _RUMOUR.match(text, cue.end())
    ):
        # 「変わる可能性がございます」, 「入れ替える予定です」 without a date, 「3月分の
        # 経費精算に限り」, 「…廃止されるとの情報」: possible, undated, once only or a
        # rumour, not a change
        return True
    if word.startswith(("中止", "休止")) and _DATED_EVENT.search(text[: cue.start()]):
        return True  # 「6月25日(金)の全体朝礼は中止いたします」: one day's event, a one-off
    if word.startswith(("中止", "休止", "停止")) and _WINDOW.search(sentence):
        return True  # 「下記の日程で社内ポータルを停止いたします」: a maintenance window
    if word.startswith(("新し", "新た")):
        # 「新しい制度が始まりました」: something new, not what differs for the reader;
        # 「在宅勤務手当を新たに支給します」: an object given, taken or asked for anew does.
        return word not in ("新たに", "新しく") or _NEW_OBJECT.search(text[: cue.start()]) is None
    if word.startswith(("今後", "これから")):
        # 「今後は、…確認するよう、十分ご注意ください」: a warning, not a change
        return bool(_ADMONITION.search(sentence) or _REQUEST_END.search(sentence))
    # 「7月から、健康診断を実施します」: an event from a date, not a change
    return bool(_DATE_FROM.match(word) and _ONE_OFF.search(text) and not _RECURRING.search(text))


def binds_action(text: str, cue: re.Match[str]) -> bool:
    """Whether the request cue ``cue`` in ``text`` asks for an action on something."""
    last_clause = re.split(r"[、。]", text[: cue.start()].rstrip("、 \u3000"))[-1]
    word, head = _action_word(text[: cue.start()], cue.group())
    if word is None or _asks_no_task(text, cue, word, last_clause):
        return False
    needs_object = _ATTITUDE.search(word) is not None or _READING.search(word) is not None
    if not needs_object:
        # 「これまでどおり勤務してください」: carrying on as before is no task
        return _AS_BEFORE.fullmatch(last_clause[: max(last_clause.rfind(word), 0)]) is None
    if _READING.search(word) is not None and _PROCEDURAL_SO.search(last_clause + "、"):
        return False  # 「…に掲載いたしましたので、ご確認ください」: the notice's own delivery
    if _ATTITUDE.search(word) is not None:
        named = _object_noun(head, _OBJECT)
        return named is not None and not _CONTAINER.search(named)
    # What to read: the thing (「手引きをご確認ください」) or where it is
    # (「規程集でご確認ください」).
    return any(
        named is not None and not _CONTAINER.search(named)
        for named in (_object_noun(head, _OBJECT), _object_noun(head, _PLACE))
    )


def _asks_no_task(text: str, cue: re.Match[str], word: str, last_clause: str) -> bool:
    """Whether the request is of a kind that asks for no task, whatever its object."""
    return bool(
        # 「基本に立ち返っていただきますよう」: an exhortation, not a task
        _MIND.search(last_clause[-_MIND_REACH:])
        or _OPTIONAL.search(word)
        # 「ぜひご参加ください」: an invitation, not a task
        or _INVITATION.search(last_clause)
        # 「…してほしいという要望が多かった」: a wish reported, no request
        or _REPORTED.match(text, cue.end())
        # 「詳しくは…ページをご覧ください」: a pointer to details asks nothing
        or (_POINTING.search(word) and (_DETAILS.search(text) or not _HOW_TO.search(text)))
    )


def _object_noun(head: str, pattern: re.Pattern[str]) -> str | None:
    """The head noun of the last object (「…を」) or place (「…で」) before a request, or None.

    The phrase runs from the last clause break or particle to を (or で); its head
    noun is the part after the last の (「添付の手引き」: 手引き, 「住民税の欄の金額」: 金額).
    """
    objects = list(pattern.finditer(head))
    if not objects:
        return None
    phrase = objects[-1].group("object")
    return phrase.split("の")[-1].strip("「」『』 ") or None


def _action_word(head: str, cue: str) -> tuple[str | None, str]:
    """The action word a request ending attaches to, and the text before that word."""
    if cue.startswith(("お願い", "願い")):
        for pattern in (_ATTACHED_POLITE, _ATTACHED_NOUN, _ACTION_TOPIC):
            attached = pattern.search(head)
            if attached is not None:
                return attached.group("word"), head[: attached.start()]
        return None, head
    honorific = _HONORIFIC_REQUEST.match(cue)
    if honorific is not None:
        return honorific.group("word"), head
    attached = _ATTACHED_VERB.search(head)
    if attached is None:
        return "", head  # 「…すること」, 「しましょう」: the cue is the verb itself
    return attached.group("word"), head[: attached.start()]

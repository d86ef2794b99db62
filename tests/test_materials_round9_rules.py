"""Round 9 of the 敬語 reader checks: the families notices by new writers found.

Each case is one family of forms the rules misread in notices written by people
who never saw them (the round's tuning part): a reason cue inside a condition,
an agent, a reassurance, a denied sanction, thanks for keeping a rule, a demand
explained in the sentence before, a pay-period month, a topic month and more.
"""

from __future__ import annotations

import pytest

from backoffice_marketing.materials import lint


def _verdict(text: str, check: str) -> str:
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).verdict


def _threat(text: str) -> bool:
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    return any(finding.rule == "tone.threat" for finding in review.findings)


@pytest.mark.parametrize(
    "text",
    [
        "VPNを業務以外の目的で長時間使用することは認められません。",
        "転居等により通勤経路に変更があった方は、1か月以内に通勤届を出してください。",
        "回収した名簿は、専門業者により溶解処分いたします。",
        "訓練の結果が個人の評価に影響することは一切ございませんので、ご安心ください。",
        "最近、確認不足の方が多いようですので、改めて申し上げます。",
    ],
)
def test_no_reason_in_conditions_agents_reassurance_or_blame(text: str) -> None:
    """A use, a condition, an agent, a reassurance or blame gives no reason for the change."""
    assert _verdict(text, "why") == "missing"


@pytest.mark.parametrize(
    "text",
    [
        "紙の精算書の回収に毎月多くの時間がかかっていたため、システムに切り替えます。",
        "倉庫で転倒事故が起きたことを受け、通路の照明を増やします。",
    ],
)
def test_reasons_with_content_still_count(text: str) -> None:
    """What happened, stated before its cue, still says why."""
    assert _verdict(text, "why") == "answered"


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("平素より喫煙ルールの遵守にご協力いただき、ありがとうございます。", False),
        ("訓練の結果が個人の評価に影響することは一切ございません。", False),
        (
            (
                "移行は一度しか実行できないため、18時までに入力してください。"
                "締め切り時刻の厳守をお願いいたします。"
            ),
            False,
        ),
        ("締め切り時刻の厳守をお願いいたします。", True),
        ("同様の不備を繰り返す方については、氏名を所属長へ報告いたします。", True),
        ("改善が見られない場合は、該当者の氏名を社内ポータルにて公表いたします。", True),
        ("最近、確認不足の方が多いようです。", True),
        ("遅れて入室する方が多数見受けられます。", True),
        ("不明な点は所属長に報告してください。", False),
    ],
)
def test_tone_reads_thanks_denials_the_sentence_before_and_exposure(
    text: str, *, threat: bool
) -> None:
    """Thanks, a denied sanction and a demand explained just before are no threat."""
    assert _threat(text) is threat


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("休業中に緊急のご連絡が必要となる場合に備え、連絡先を登録してください。", "missing"),
        ("社員証の貸し借りをすると勤務実態が正しく記録されなくなります。", "missing"),
        ("4月1日以降、旧システムへのログインはできなくなります。", "answered"),
    ],
)
def test_a_change_only_in_some_case_is_none(text: str, verdict: str) -> None:
    """A change inside a condition or as the consequence of an act is no change."""
    assert _verdict(text, "what_changes") == verdict


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("資材置場横に新設する喫煙所をご利用ください。", "missing"),
        ("機密情報の持ち出しに関する規程を遵守してください。", "missing"),
        ("操作方法の詳細は、社内ポータルの経理部ページをご覧ください。", "missing"),
        ("これまでどおり勤務してください。", "missing"),
        ("7月分の給与明細をWeb明細に掲載いたしましたので、ご確認ください。", "missing"),
        ("これまでどおりメールをお使いください。", "unsure"),
        ("これまでどおり点呼を実施してください。", "unsure"),
        ("ご意見・ご感想は、各部署の推進者までお寄せください。", "missing"),
        ("ふるってご応募ください。", "missing"),
        ("現在の契約が1月末で満了すること", "missing"),
        ("作業時は必ず手袋を着用すること。", "answered"),
        ("給与明細の住民税の欄をご確認ください。", "answered"),
        ("申請の手順は、添付の手引きをご覧ください。", "answered"),
    ],
)
def test_requests_that_ask_no_task(text: str, verdict: str) -> None:
    """An offer, a rule book, a pointer, carrying on, or the notice's own delivery asks nothing."""
    assert _verdict(text, "reader_action") == verdict


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("お手数ですが、5月の給与明細の立替経費の欄をご確認ください。", "missing"),
        ("8月の社内イベントの日程につきましては、別紙のとおりです。", "unsure"),
        ("8月から、経費はシステムで精算します。", "answered"),
        ("8月の第2週に点検を行います。", "answered"),
    ],
)
def test_a_pay_month_is_no_date_and_a_topic_month_is_unsure(text: str, verdict: str) -> None:
    """「5月の給与明細」 names a pay period; 「8月の…につきましては」 names no day to note."""
    review = lint(f"2027年4月1日\n\n{text}", lang="ja")
    assert review.check("when").verdict == verdict


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (
            (
                "先週、倉庫前で自転車と歩行者の接触事故が起きました。"
                "これを受け、倉庫前では自転車を押して通行していただきます。"
            ),
            "answered",
        ),
        (
            (
                "法人カードの利用上限に達する出張が増えております。"
                "そのため、上限額を30万円から50万円に引き上げます。"
            ),
            "answered",
        ),
        ("お疲れ様です。そこで、上限額を引き上げます。", "unsure"),
        (
            (
                "離席中のPCから第三者がメッセージを送る事案が発生しました。"
                "今後は、席を離れる際は画面をロックしてください。"
            ),
            "unsure",
        ),
        ("航空運賃の高騰を受け、上限額を引き上げます。", "answered"),
    ],
)
def test_a_reason_in_the_sentence_before(text: str, verdict: str) -> None:
    """「このため」 and 「これを受け」 point back to a reason; a bare report is unsure."""
    assert _verdict(text, "why") == verdict


def test_blame_before_a_connective_gives_no_reason() -> None:
    """「このため」 after a sentence that blames its readers says no reason."""
    text = "一部の社員の不注意により事故が起きました。このため、手袋の着用を義務とします。"
    assert _verdict(text, "why") == "missing"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("まだ申請がお済みでない方は、6月30日までに申請してください。", "answered"),
        ("来客予定のある方は、前営業日までに受付システムに登録してください。", "answered"),
        ("異動される方は、最終出社日までに法人カードを返却してください。", "answered"),
        ("参加を希望する方は、申込フォームから登録してください。", "missing"),
        ("席を離れる際は、PCの画面をロックしてください。", "unsure"),
        ("通知メールを受け取った方は、3日以内に返信してください。", "unsure"),
        ("申請内容に変更がある方は、総務部までご連絡ください。", "unsure"),
        ("困ったときは、総務部までご連絡ください。", "missing"),
    ],
)
def test_requests_to_a_group_that_must_act(text: str, verdict: str) -> None:
    """A group defined by a present fact must act; a choice does not; 「…際は」 is unsure."""
    assert _verdict(text, "reader_action") == verdict


@pytest.mark.parametrize(
    ("text", "check", "verdict"),
    [
        ("手洗いのポスターを同封いたしましたので、掲示してください。", "why", "missing"),
        ("※現場の稼働は各工事の工程表によります。", "why", "missing"),
        ("確認不足の職員が後を絶たないため、改めて通知する。", "why", "missing"),
        (
            "通報したことを理由として不利益な取り扱いを受けることは一切ございません。",
            "why",
            "missing",
        ),
        ("更新後も点呼の手順に変わりはございません。", "what_changes", "missing"),
        (
            "決算を早める必要があることから、3月分の経費精算に限り、締切を前倒しいたします。",
            "what_changes",
            "missing",
        ),
    ],
)
def test_delivery_dependence_blame_reassurance_and_once_only(
    text: str, check: str, verdict: str
) -> None:
    """An enclosure, 「…によります」, blame, a reassurance or a one-time rule answer nothing."""
    assert _verdict(text, check) == verdict


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("10月は食品衛生月間です。", "unsure"),
        ("今号は、11月の医療安全推進週間に合わせた特集です。", "unsure"),
        ("6月以降の夜勤体制につきまして一部を変更します。", "unsure"),
    ],
)
def test_a_theme_month_is_unsure(text: str, verdict: str) -> None:
    """A theme month or a topic from a month names no day to put in a calendar."""
    review = lint(f"2027年4月1日\n\n{text}", lang="ja")
    assert review.check("when").verdict == verdict


@pytest.mark.parametrize(
    ("text", "threat"),
    [("【クリアデスクの徹底について】", False), ("クリアデスクを徹底してください。", True)],
)
def test_a_title_line_makes_no_demand(text: str, *, threat: bool) -> None:
    """徹底 in a title line makes no demand; in a request without a reason it does."""
    assert _threat(text) is threat


@pytest.mark.parametrize(
    ("text", "check", "verdict"),
    [
        ("持ち出しは禁止します(従来は園長の許可により持ち出し可)。", "why", "missing"),
        ("ルールを軽く考えている社員が一部にいるようですので、お伝えします。", "why", "missing"),
        ("一部の方のマナーが悪いため、冷蔵庫が私物であふれています。", "why", "missing"),
        ("冊子を配付いたしましたので、ご一読いただけますと幸いです。", "why", "missing"),
        ("給付の内容は変わりませんので、これまでどおりご利用ください。", "why", "missing"),
        ("「付加給付が廃止される」との情報が出回っていますが誤りです。", "what_changes", "missing"),
        ("それまでの間は、引き続き現行様式をご使用ください。", "reader_action", "unsure"),
        ("詳細は決まり次第、改めてこのチャンネルでご連絡します。", "where_to_ask", "missing"),
    ],
)
def test_permission_rumours_and_the_senders_own_notice(text: str, check: str, verdict: str) -> None:
    """A means, blame, delivery, no change, a rumour or the sender's own notice answer nothing."""
    assert _verdict(text, check) == verdict


@pytest.mark.parametrize(
    "text",
    [
        "毎年11月は、国が定める「児童虐待防止推進月間」です。",
        "10月を「こころの健康月間」と定めています。",
        "保険料は2027年4月給与控除分から変わります。",
        "新様式(様式第7号・2027年4月版)に切り替えました。",
    ],
)
def test_theme_months_pay_periods_and_versions_say_no_day(text: str) -> None:
    """A theme month is unsure; a pay period or a version names no date."""
    review = lint(f"2027年3月1日\n\n{text}", lang="ja")
    assert review.check("when").verdict != "answered"


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("10月1日から、就業規則の懲戒事由に無許可の輸出を加えます。", False),
        ("違反した場合は懲戒事由に該当します。", True),
    ],
)
def test_a_rule_book_amendment_threatens_no_one(text: str, *, threat: bool) -> None:
    """Adding to the 懲戒事由 states a rule; being told one falls under it threatens."""
    assert _threat(text) is threat

"""Round 7 of the 敬語 reader checks: cues that need stronger evidence before they answer."""

from __future__ import annotations

import re

import pytest

from backoffice_marketing.materials import LintOptions, lint
from backoffice_marketing.materials.substance import gives_reason, states_change


def _passes(text: str, check: str) -> bool:
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).passed


def _seen(text: str, check: str) -> bool:
    """Whether the check finds an answer: firm (passed) or weak (unsure, for a person to judge)."""
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).verdict != "missing"


def _dated(text: str, check: str) -> bool:
    import datetime as dt  # noqa: PLC0415

    options = LintOptions(document_date=dt.date(2027, 6, 1))
    return lint(f"お知らせ\n\n{text}", lang="ja", options=options).check(check).passed


@pytest.mark.parametrize(
    "text",
    [
        "4月1日に新しい人事評価制度が始まりました。",
        "新しい勤怠アプリは近日中に公開予定です。",
        "新しい社内チャットの試験運用を開始いたしました。",
        "経費システムの新しいスマートフォンアプリを公開しました。",
        "新しく入った方の歓迎会を開きます。",
        "新しい勤怠システムを導入することとなりました。",
        "新しい勤怠システムを導入しました。",
        "基幹システムをクラウドへ移行しました。",
        "今後は、会議室を出る前に机の上を確認するよう、十分ご注意ください。",
        "今後は、送信前に宛先を必ずご確認いただきますよう、お願い申し上げます。",
        "これからは、貴重品をロッカーに入れて施錠してください。",
        "説明会を開催することとなります。",
    ],
)
def test_something_new_or_a_warning_says_not_what_changes(text: str) -> None:
    """A new thing named, a move announced or a 今後は warning says nothing that differs."""
    assert not _passes(text, "what_changes")


@pytest.mark.parametrize(
    "text",
    [
        "在宅勤務手当を新たに支給します。",
        "副業の届出制度を新しく設けます。",
        "今後は、出張の精算は経費システムのみで受け付けることとなります。",
        "5月から、来客の受付は前日までにWebで予約してもらうようにします。",
        "2027年5月17日(月)より、社内の連絡は原則としてチャットで行うこととなります。",
        "公開後は、旧フォームではなく新しいフォームから申し込みます。",
        "複合機を4月15日に新しい機種に入れ替えます。",
    ],
)
def test_a_new_state_the_reader_meets_says_what_changes(text: str) -> None:
    """Something given anew, a new state from a date, or a new habit is seen as a change."""
    assert _seen(text, "what_changes")


def test_states_change_reads_the_sentence_as_written() -> None:
    """A warning blanked as a courtesy still stops 今後は; a new state after it does not."""
    blanked = "今後は、机の上を確認するよう、          。"
    written = "今後は、机の上を確認するよう、十分ご注意ください。"
    cue = re.search("今後は", blanked)
    assert cue is not None
    assert states_change(blanked, cue)
    assert not states_change(blanked, cue, written)
    stated = "今後は、申請はフォームのみで受け付けます。"
    later = re.search("今後は", stated)
    assert later is not None
    assert states_change(stated, later, stated)
    fresh = "新しい制度が始まりました。"
    new = re.search("新しい", fresh)
    assert new is not None
    assert not states_change(fresh, new)
    given_anew = "手当を新たに支給します。"
    anew = re.search("新たに", given_anew)
    assert anew is not None
    assert states_change(given_anew, anew)


@pytest.mark.parametrize(
    "text",
    [
        "4月分の給与明細を発行いたしましたので、内容をご確認ください。",
        "源泉徴収票を配布いたしましたので、ご確認ください。",
    ],
)
def test_the_notice_s_own_issuing_is_no_reason(text: str) -> None:
    """「発行いたしましたので」 reports the notice's own making, not why."""
    assert not _passes(text, "why")


def test_a_cause_before_issuing_is_still_a_reason() -> None:
    """A cause with content still counts when a document is issued for it."""
    text = "システム障害で金額に誤りがあったため、給与明細を再発行いたします。"
    assert _passes(text, "why")
    cue = re.search("ので", "明細を発行いたしましたので、")
    assert cue is not None
    assert not gives_reason("明細を発行いたしましたので、", cue)


@pytest.mark.parametrize(
    "text",
    [
        "6月分の給与明細を発行いたしました。",
        "8月分の精算から新しい様式を使います。",
        "2027年7月分の経費から適用します。",
    ],
)
def test_a_pay_or_billing_period_is_no_date(text: str) -> None:
    """「6月分」 names a pay or billing period, not a day the reader can mark."""
    assert not _dated(text, "when")


@pytest.mark.parametrize(
    "text",
    [
        "8月から、給与明細はWebで届きます。",
        "7月10日までに届出をご提出ください。",
        "2027年9月に始めます。",
    ],
)
def test_a_month_or_a_day_still_says_when(text: str) -> None:
    """A month or a day after the document date still says when."""
    assert _dated(text, "when")


@pytest.mark.parametrize(
    "text",
    [
        "ご不明な点は、各部署の経理担当までお問い合わせください。",
        "ご質問は、各課の庶務担当へお寄せください。",
        "ご不明な点は各事業所総務部までお問い合わせください。",
    ],
)
def test_a_desk_in_every_department_is_no_contact(text: str) -> None:
    """「各部署の経理担当まで」 names no one the reader can reach."""
    assert not _passes(text, "where_to_ask")


@pytest.mark.parametrize(
    "text",
    [
        "ご不明な点は、経理部 出張精算担当(内線3021)までお問い合わせください。",
        "ご不明な点は、各自で確認のうえ、人事部 労務課までお問い合わせください。",
        "ご質問は、経理部までお寄せください。",
    ],
)
def test_a_named_desk_is_still_a_contact(text: str) -> None:
    """A desk with a name, an extension or a department still says where to ask."""
    assert _passes(text, "where_to_ask")


def test_an_event_from_a_date_is_no_change() -> None:
    """「7月から、健康診断を実施します」 is one event; held every week it is a change."""
    assert not _passes("7月から、健康診断を実施します。", "what_changes")
    assert _seen("7月から、毎週水曜日に朝礼を実施します。", "what_changes")
    assert _seen("7月から、経費はシステムで精算します。", "what_changes")

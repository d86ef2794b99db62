"""Round 8 of the 敬語 reader checks: hedges, one-off stops, reported wishes and pointers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.materials import lint


def _passes(text: str, check: str) -> bool:
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).passed


def _seen(text: str, check: str) -> bool:
    """Whether the check finds an answer: firm (passed) or weak (unsure, for a person to judge)."""
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).verdict != "missing"


@pytest.mark.parametrize(
    "text",
    [
        "本社1階のカフェテリアが、社員の憩いの場として生まれ変わりました。",
        "今後とも変わらぬご支援を賜りますよう、よろしくお願い申し上げます。",
        "組織変更の後も、皆さまの勤務時間と勤務場所は変わりません。",
        "来年度以降、駐車場の利用区画が変わる可能性がございます。",
        "在宅勤務の上限日数を週2日から週3日に変える方向で検討しております。",
        "社内Wi-Fiの機器を、新しい機種に入れ替える予定です。",
        "業務上の都合により、6月25日(金)の全体朝礼は中止いたします。",
        "7月12日の全体朝礼を中止いたします。",
        "システム保守のため、下記の日程で社内ポータルを停止いたします。",
        "6月19日の9時〜18時は、基幹システムを停止いたします。",
    ],
)
def test_no_change_without_firm_evidence(text: str) -> None:
    """A possibility, a plan with no date, an idiom, a negation or a one-off stop is no change."""
    assert not _passes(text, "what_changes")


@pytest.mark.parametrize(
    "text",
    [
        "8月1日から、会議室の利用ルールが変わり、予約は1回2時間までになります。",
        "9月1日から、本社の入館ゲートを社員証のタッチ式に変更する予定です。",
        "6月30日をもって、社内報の紙版の発行を中止いたします。",
        "旧経費精算システムは、6月30日をもちまして利用を停止いたします。",
        "パスワードの有効期限を、9月1日から90日から180日に変更します。",
    ],
)
def test_change_with_firm_evidence_still_counts(text: str) -> None:
    """A change with its object, new state or date is still seen as one."""
    assert _seen(text, "what_changes")


@pytest.mark.parametrize(
    "text",
    [
        "社内報は新しいデザインになります。どうぞご期待ください。",
        "今後ともご愛顧くださいますよう、お願い申し上げます。",
        "7月30日に夏祭りを開きます。ぜひご参加ください。",
        "「会議室を予約してください」との声を多数いただいております。",
        "会議室の長時間の予約を減らしてほしいという要望が多かったためです。",
        "詳しくは、社内ポータルの福利厚生ページをご覧ください。",
        "夏季休暇の取得状況は、社内ポータルの「勤怠」ページをご覧ください。",
        "詳細につきましては、別紙をご参照くださいますようお願い申し上げます。",
    ],
)
def test_no_action_without_a_task(text: str) -> None:
    """Wishes, invitations, reported requests and pointers to details ask the reader nothing."""
    assert not _passes(text, "reader_action")


@pytest.mark.parametrize(
    "text",
    [
        "7月31日までに、マイナンバー登録票を人事部へご提出ください。",
        "8月中に、eラーニングで「情報セキュリティ基礎」を受講してください。",
        "申請の手順は、添付の手引きをご覧ください。",
        "新しい名刺の発注方法については、別紙の手順書をご覧ください。",
        "給与明細の住民税の欄をご確認ください。",
    ],
)
def test_action_with_a_task_still_counts(text: str) -> None:
    """A concrete task, or reading the way to do one, is still the reader's action."""
    assert _passes(text, "reader_action")


def test_threat_as_cause_gives_no_reason() -> None:
    """A threat given as the cause is no reason, even when its politeness is blanked."""
    threat = "未提出の方については上長に報告させていただきますので、問診票を提出してください。"
    reason = "健診機関への送付に間に合わせるため、問診票を6月30日までに提出してください。"
    assert not _passes(threat, "why")
    assert _passes(reason, "why")


_CHANGES = st.sampled_from(
    [
        "会議室の利用ルールが変わる",
        "勤怠システムをキンタイクラウドに切り替える",
        "仮払金の制度を廃止する",
        "郵便物の受け取り場所を受付から郵便室へ移す",
    ]
)
_HEDGES = st.sampled_from(
    ["可能性がございます", "方向で検討しております", "見込みです", "かもしれません"]
)


@given(_CHANGES, _HEDGES)
def test_hedged_change_never_counts(change: str, hedge: str) -> None:
    """However the change is worded, a possibility or a plan under consideration is none."""
    assert not _passes(f"来年度以降、{change}{hedge}。", "what_changes")


@given(st.sampled_from(["ご提出ください", "ご返却ください", "ご回答ください", "ご予約ください"]))
def test_reported_request_never_counts(request: str) -> None:
    """A request quoted as what others said (「…」との声) is never the reader's action."""
    assert not _passes(f"「書類を{request}」との声をいただいております。", "reader_action")

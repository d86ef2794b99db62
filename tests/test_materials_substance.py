"""Content behind a cue: reasons, changes and requests that say something, and the tone check."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice_marketing.materials import LintOptions, lint
from backoffice_marketing.materials.politeness import TONE_RULE, threatens
from backoffice_marketing.materials.substance import (
    STOCK_REASON,
    binds_action,
    gives_reason,
    states_change,
    without_stock_reasons,
)

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
CHECKS = ("why", "what_changes", "when", "reader_action", "where_to_ask")
#: Closing courtesies a polite notice ends with: none of them may change a verdict.
COURTESIES = (
    "何卒よろしくお願い申し上げます。",
    "ご理解ご協力のほど、よろしくお願いいたします。",
    "ご不便をおかけいたしますが、何卒ご理解賜りますようお願い申し上げます。",
    "今後ともよろしくお願いいたします。",
    "ご承知おきくださいますようお願い申し上げます。",
    "これまでどおり、よろしくお願いいたします。",
    "あらかじめご了解ください。",
    "念のため申し添えます。",
)


@pytest.fixture(scope="module")
def tuning() -> Iterator[tuple[object, ...]]:
    """The tuning part of the 敬語 notices, loaded through the benchmark."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import reader_checks  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

        yield reader_checks.load_snippets("ja", "tuning", labelled_set="keigo")
    finally:
        sys.path.remove(str(BENCHMARKS))


def _passes(text: str, check: str) -> bool:
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).passed


def _seen(text: str, check: str) -> bool:
    """Whether the check finds an answer: firm (passed) or weak (unsure, for a person to judge)."""
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).verdict != "missing"


def _verdicts(text: str) -> tuple[bool, ...]:
    review = lint(text, lang="ja", options=LintOptions(readability="tateishi"))
    tone = any(finding.rule == TONE_RULE for finding in review.findings)
    return (*(review.check(check).passed for check in CHECKS), tone)


# --- why ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "諸般の事情により、本年度の運動会は中止いたします。",
        "やむを得ない事情により、研修の日程を変えます。",
        "業務上の都合により、社内報の発行を遅らせます。",
        "以下の理由により、説明会の日程を変更いたします。",
        "研修資料を共有フォルダに格納しましたので、ご一読ください。",
        "一部規定を改定しましたので、ご一読ください。",
        "本件は重要ですので、必ずお読みください。",
        "改定後の金額は別紙のとおりですので、ご確認ください。",
        "年末調整の電子化に伴い、申告書は人事システムから出してください。",
        "来年度の組織改編に伴い、所管業務を見直します。",
        "就業規則により、副業は届け出てください。",
        "エンドポイント管理のため、Intuneを入れます。",
        "より良い職場環境を実現するため、各種施策を推進してまいります。",
        "社内ネットワークの障害により、ご不便をおかけしましたことをお詫び申し上げます。",
        "手当の額は部署によって異なります。",
        "従来より電子メールにより社内連絡を実施してきたが、チャットを入れます。",
    ],
)
def test_stock_and_procedural_reasons_say_not_why(text: str) -> None:
    """A stock reason, the notice's own making, the change itself, a means or a vow is no reason."""
    assert not _passes(text, "why")


@pytest.mark.parametrize(
    "text",
    [
        "法改正により、パートタイムの方も社会保険の対象となります。",
        "本社移転に伴い、郵便物の宛先を変えます。",
        "保守期間の終了により、旧システムは6月末で止めます。",
        "システム保守のため、社内ポータルを停止いたします。",
        "盗難が他社で相次いでいることから、全社員のパソコンを暗号化します。",
        "人員不足により、受付時間を短縮いたします。",
        "残業代を正しい月に計上するためです。",
    ],
)
def test_reasons_with_a_cause_say_why(text: str) -> None:
    """A cause with content (により, に伴い, のため after an event, ことから) says why."""
    assert _passes(text, "why")


def test_gives_reason_reads_the_clause_before_the_cue() -> None:
    """gives_reason wants two content characters before the cue."""
    for text, expected in (
        ("紙が無くなるため、", True),
        ("そのため、", False),
        ("ため、", False),
        ("予定ですので、", False),
    ):
        cue = re.search(r"ため|ので", text)
        assert cue is not None
        assert gives_reason(text, cue) is expected, text
    purpose = re.search("目的は", "目的は、紛失を減らすことです。")
    assert purpose is not None
    assert gives_reason("目的は、紛失を減らすことです。", purpose)


@given(st.text(alphabet="諸般の事情によりため、。都合上観点から一環として", max_size=40))
def test_blanking_stock_reasons_keeps_offsets(text: str) -> None:
    """without_stock_reasons keeps the length and only ever turns characters into spaces."""
    blanked = without_stock_reasons(text)
    assert len(blanked) == len(text)
    assert all(new in (old, " ") for old, new in zip(text, blanked, strict=True))
    assert STOCK_REASON.search(blanked) is None or not blanked.strip()


# --- what changes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "このたび、社内規程の一部を変更いたします。",
        "勤怠システムの一部仕様を変更します。",
        "会議室予約の運用を見直します。",
        "内容が変わります。",
        "新たな人事施策を順次展開いたします。",
        "今後は、より一層の業務改善に努めてまいります。",
        "今後は、十分注意してください。",
        "これまでどおり、よろしくお願いいたします。",
        "新しい経費システムの使い方で困ったときは、総務部に聞いてください。",
        "切り替えの手順は、別紙をご覧ください。",
        "6月20日に、不要になった書類の一斉処分を行います。",
        "一部規定を改定しましたので、ご一読ください。",
        "次に返却漏れがあった場合は、入室権限を一時停止させていただきます。",
    ],
)
def test_vague_changes_say_not_what_changes(text: str) -> None:
    """A change of a vague object, a vow, a warning, a mention or a threat says no change."""
    assert not _passes(text, "what_changes")


@pytest.mark.parametrize(
    "text",
    [
        "予約受付を、電話からWebフォームに変更します。",
        "承認期限が、翌営業日中から当日中に変わります。",
        "出張の宿泊費の上限を引き上げます。",
        "人員不足により、受付時間を短縮いたします。",
        "旧経費精算システムの利用を停止いたします。",
        "本年度の社内運動会は中止いたします。",
        "住民税の額が変わります。",
        "4月から、経費はシステムで精算します。",
        "旅費規程の日当の額を改定いたします。",
        "出張手当の額が1日2,000円から3,000円に上がります。",
        "社員証は、新しい社員証に切り替えさせていただきます。",
        "経費精算を紙の伝票からスマートフォンアプリに切り替えます。",
        "11月以降、登録番号の入力が必須となります。",
    ],
)
def test_concrete_changes_say_what_changes(text: str) -> None:
    """A concrete change is seen: passed, or unsure where its cue is weak (中止, 変わります)."""
    assert _seen(text, "what_changes")


def test_states_change_checks_object_and_before_after() -> None:
    """states_change refuses a vague object unless the sentence gives a before/after."""
    vague = "運用の一部を変更します。"
    moved = "運用の一部を、紙からWebに変更します。"
    for text, expected in ((vague, False), (moved, True)):
        cue = re.search("変更", text)
        assert cue is not None
        assert states_change(text, cue) is expected


# --- the reader's action --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "提出期限は厳守でお願いいたします。",
        "お忙しいところ恐縮ですが、ご対応いただきますようお願いいたします。",
        "内容をご確認くださいますようお願いいたします。",
        "添付ファイルをご参照ください。",
        "本件は重要ですので、必ずお読みください。",
        "混雑を避けたい方は、11時台のご利用をご検討ください。",
        "体調管理にはくれぐれもお気をつけください。",
        "ご安心ください。",
        "在宅勤務規程を遵守してください。",
        "今後は、十分注意してください。",
        "追ってご連絡いたしますので、ご承知おきくださいますようお願い申し上げます。",
        "つきましては、下記事項にご留意のうえ、適切なご対応をお願いいたします。",
        "今一度、基本に立ち返っていただきますよう、強くお願い申し上げます。",
        "ご自身の行動を今一度見つめ直していただきますよう、お願いいたします。",
        "不審なメールが届いたら、開かずに情報システム部に報告してください。",
        "郵便についてわからないことは、総務部 郵便担当(内線1130)に聞いてください。",
    ],
)
def test_requests_without_an_action_are_no_reader_action(text: str) -> None:
    """A request bound to a manner, an attitude, a container or a choice asks nothing."""
    assert not _passes(text, "reader_action")


@pytest.mark.parametrize(
    "text",
    [
        "11月15日までに、申告書をご提出くださいますよう、お願い申し上げます。",
        "初期設定を済ませていただきますようお願い申し上げます。",
        "お早めのご提出をお願いします。",
        "入力は面談のあと1週間以内にお願いします。",
        "給与明細で、住民税の欄の金額をご確認ください。",
        "改定内容は社内規程集でご確認ください。",
        "詳しい手順は、添付の手引きをご覧ください。",
        "勤怠の締め日を厳守してください。",
        "2階の複合機をお使いください。",
        "入れ替え作業中の10時から12時は、2階の複合機をお使いください。",
        "ご多忙中とは存じますが、ご出席賜りますようお願い申し上げます。",
        "今月の業務を振り返って、報告書を提出してください。",
        "4月20日までに、設定を済ませていただけますでしょうか。",
        "新しいフォームからお申し込みください。",
        "健康診断の受診日時は、指定された日時を厳守してください。",
    ],
)
def test_requests_bound_to_an_action_count(text: str) -> None:
    """A polite request of an action on something is the reader's action."""
    assert _passes(text, "reader_action")


def test_binds_action_needs_an_action_word() -> None:
    """binds_action refuses an ending attached to nothing."""
    text = "よろしくお願いいたします。"
    cue = re.search("お願いいたします", text)
    assert cue is not None
    assert not binds_action("で" + text, cue)
    assert not binds_action(text, cue)


# --- tone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "打刻漏れが月3回を超えた方につきましては、人事考課に反映させていただきます。",
        "改善が見られない場合は、該当者の氏名を社内に公表いたします。",
        "今後も改善されない場合は、厳しい措置を講じざるを得ません。",
        "期限までに修了されなかった方は、賞与の査定において不利益な取り扱いとなります。",
        "期限までに受講されない方については、上長に報告させていただきます。",
        "一部の社員の不注意により、誤送信が再び発生いたしました。",
        "社員としての自覚を持って行動していただきたく存じます。",
        "何度申し上げてもルールが守られておりません。",
        "勤務中の私的なSNS利用は、懲戒処分の対象となります。",
        "次に返却漏れがあった場合は、入室権限を一時停止させていただきます。",
        "差し戻しの大半は、申請者の皆様の確認不足によるものでございます。",
    ],
)
def test_sanctions_exposure_and_blame_are_threats(text: str) -> None:
    """Sanctions, exposure to the boss or the company, and blame fire the tone check."""
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    assert [f.rule for f in review.findings].count(TONE_RULE) == 1


@pytest.mark.parametrize(
    "text",
    [
        "6月20日に、不要になった書類の一斉処分を行います。",
        "放置された私物は処分の対象となります。",
        "懲戒規程の条文に変更はありません。",
        "懲戒委員会の委員を募集します。",
        "誠に遺憾ながら、本年度の社員旅行は中止となりました。",
        "再三のご案内となり恐縮ですが、アンケートへのご回答をお願いいたします。",
        "退館時刻は、警備会社との契約上、22時を厳守してください。",
        "支払日に間に合わせるため、この期限は厳守をお願いします。",
        "期限を過ぎると、翌月の処理になります。",
    ],
)
def test_polite_non_threats_are_not_flagged(text: str) -> None:
    """Disposal, a rule book named, regret, a reminder and 厳守 with a reason are no threat."""
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    assert TONE_RULE not in [f.rule for f in review.findings]
    assert not threatens("6月に書類を処分の対象とします。", "ja")


# --- properties ------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_appending_a_courtesy_never_changes_a_verdict(
    tuning: tuple[object, ...], data: st.DataObject
) -> None:
    """A closing courtesy appended to a notice changes no reader check and no tone verdict."""
    snippet = data.draw(st.sampled_from(tuning))
    courtesy = data.draw(st.sampled_from(COURTESIES))
    text = snippet.text  # type: ignore[attr-defined]
    assert _verdicts(f"{text.rstrip()}\n{courtesy}\n") == _verdicts(text)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(COURTESIES), st.sampled_from(COURTESIES))
def test_courtesies_alone_answer_nothing(first: str, second: str) -> None:
    """A notice made only of courtesies answers no reader question and threatens no one."""
    assert _verdicts(f"お知らせ\n\n{first}\n{second}\n") == (False,) * 6

"""Firm and weak evidence: a reader check passes on firm cues and is unsure on weak ones."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.core.checklist import AnswerLevel
from backoffice_marketing.materials import ReaderCheck, lint
from backoffice_marketing.materials.evidence import review_answers
from backoffice_marketing.materials.firmness import is_firm

_ORDER = {"missing": 0, "unsure": 1, "answered": 2}


def _verdict(text: str, check: str = "what_changes") -> str:
    return lint(f"お知らせ\n\n{text}", lang="ja").check(check).verdict


@pytest.mark.parametrize(
    "text",
    [
        "来月から勤怠の締め日が変わります。",
        "来月より、文房具の発注方法が変わります。",
        "人員不足により、受付時間を短縮いたします。",
        "本年度の社内運動会は中止いたします。",
        "10月から、新しい人事評価制度の運用を開始いたします。",
        "社外の方とのやりとりは、これまでどおりメールをお使いください。",
        "旅費規程の日当の額を改定いたします。",
    ],
)
def test_a_weak_cue_makes_the_check_unsure(text: str) -> None:
    """A change named without its new state is shown for a person to judge, never passed."""
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    check = review.check("what_changes")
    assert check.verdict == "unsure"
    assert not check.passed
    assert check.location is not None
    assert check.excerpt
    rules = {finding.rule for finding in review.findings}
    assert "reader.unsure" in rules
    assert "reader.what-changes" not in rules


@pytest.mark.parametrize(
    "text",
    [
        "6月1日より、社内便の集荷時刻を15時から14時に変更いたします。",
        "提出期限が毎月10日に変わります。",
        "8月1日から、社内報は紙での配布をやめ、アプリでの配信のみとなります。",
        "10月から、社内の印刷は原則として白黒になります。",
        "紙の出勤簿は廃止します。",
        "確定拠出年金のマッチング拠出を、9月から利用できるようになります。",
        "出張の宿泊費の上限を1万円から1万2千円に引き上げます。",
        "受付時間を30分短縮いたします。",
        "在宅勤務手当を新たに支給します。",
    ],
)
def test_a_firm_cue_passes(text: str) -> None:
    """A change with its new state, an end, a target or an amount answers what changes."""
    assert _verdict(text) == "answered"


def test_a_firm_answer_later_wins_over_an_earlier_weak_one() -> None:
    """The check takes the first firm sentence, even after a weak one."""
    review = lint(
        "お知らせ\n\n来月から勤怠の締め日が変わります。\n\n締め日は毎月25日から20日に変更します。\n",
        lang="ja",
    )
    check = review.check("what_changes")
    assert check.passed
    assert "20日に変更" in check.excerpt
    assert "reader.unsure" not in {finding.rule for finding in review.findings}


def test_english_cues_stay_firm() -> None:
    """English cues keep their verdicts: the weak families are Japanese."""
    review = lint("Notice\n\nThe form will change next month.\n", lang="en")
    assert review.check("what_changes").passed
    found = re.search("ため", "ため")
    assert found is not None
    assert is_firm("why", "ため", found, "ため")


def test_passed_and_unsure_exclude_each_other() -> None:
    """A reader check cannot be both passed and unsure."""
    with pytest.raises(ValueError, match="either passed or unsure"):
        ReaderCheck("why", passed=True, unsure=True)
    assert ReaderCheck("why", passed=False).verdict == "missing"


def test_unsure_earns_half_the_weight_and_a_partial_answer() -> None:
    """The score counts an unsure check at half, and the checklist answer is partial."""
    weak = lint("お知らせ\n\n来月から勤怠の締め日が変わります。\n", lang="ja")
    none = lint("お知らせ\n\n勤怠のお知らせです。\n", lang="ja")
    firm = lint("お知らせ\n\n締め日を25日から20日に変更します。\n", lang="ja")
    assert none.parts.reader < weak.parts.reader < firm.parts.reader
    answers = {answer.item: answer for answer in review_answers(weak, lang="ja")}
    partial = answers["materials.what-changes"]
    assert partial.level is AnswerLevel.PARTIAL
    assert partial.evidence is not None
    assert "要確認" in (partial.evidence.note or "")


@pytest.mark.parametrize(("lang", "label"), [("ja", "要確認"), ("en", "check")])
def test_reports_show_the_unsure_verdict(lang: str, label: str) -> None:
    """Markdown and HTML name the unsure verdict and colour its row as at risk."""
    review = lint("お知らせ\n\n来月から勤怠の締め日が変わります。\n", lang="ja")
    assert f"| {label} |" in review.to_markdown(lang=lang)  # type: ignore[arg-type]
    html = review.to_html(lang=lang)  # type: ignore[arg-type]
    assert 'class="status-at_risk"' in html
    assert f">{label}</td>" in html
    assert review.to_dict()["reader_checks"][1]["unsure"] is True


_SENTENCES = [
    "来月から勤怠の締め日が変わります。",
    "締め日を25日から20日に変更します。",
    "本年度の社内運動会は中止いたします。",
    "紙の出勤簿は廃止します。",
    "勤怠のお知らせです。",
    "何卒よろしくお願い申し上げます。",
    "紙の紛失が続いているため、電子化します。",
    "申請書は8月31日までに提出してください。",
]


@given(st.lists(st.sampled_from(_SENTENCES), max_size=4), st.sampled_from(_SENTENCES))
def test_adding_a_sentence_never_lowers_a_verdict(body: list[str], more: str) -> None:
    """Appending a sentence can turn missing into unsure or answered, never the reverse."""
    text = "お知らせ\n\n" + "".join(f"{line}\n\n" for line in body)
    before = lint(text, lang="ja")
    after = lint(f"{text}{more}\n", lang="ja")
    for check in before.reader_checks:
        if check.key == "conclusion_first":
            continue
        assert _ORDER[after.check(check.key).verdict] >= _ORDER[check.verdict], check.key

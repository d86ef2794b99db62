"""Reader checks that see through 敬語, a tone check, sentence statistics and IT jargon."""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.materials import LintOptions, lint, material_from_text
from backoffice_marketing.materials.politeness import TONE_RULE, is_prose, without_courtesy
from backoffice_marketing.materials.sentences import split_sentences

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
_DOCX_BODY = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>{}</w:body></w:document>"
)
_NOTICE = [
    "社内コミュニケーションツール移行のお知らせ",
    "2027年4月1日",
    "情報システム部",
    "平素より格別のご高配を賜り、厚く御礼申し上げます。",
    (
        "このたび、DX推進の一環として、社内コミュニケーション基盤のマイグレーションを実施することと"
        "なりましたので、ここにご案内申し上げます。"
    ),
    (
        "所定の手続きを経ずにMFAおよびIntuneの設定を行わなかった場合には、しかるべき対応を取らせて"
        "いただく場合がございますので、あらかじめご了承のほどお願い申し上げます。"
    ),
]
_CELLS = [("項目", "内容"), ("対象", "全社員"), ("担当", "情報システム部"), ("備考", "なし")]
_CLOSING = "ご理解ご協力のほど、何卒よろしくお願い申し上げます。"


@pytest.fixture(scope="module")
def benchmark() -> Iterator[object]:
    """The reader-check benchmark script, imported as a module."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import reader_checks  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

        yield reader_checks
    finally:
        sys.path.remove(str(BENCHMARKS))


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"


def _docx(tmp_path: Path) -> Path:
    """The issue's polite notice as a Word file, with a table of short cells."""
    rows = "".join(
        "<w:tr>" + "".join(f"<w:tc>{_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in _CELLS
    )
    body = "".join(_paragraph(line) for line in _NOTICE) + f"<w:tbl>{rows}</w:tbl>"
    body += _paragraph(_CLOSING) + _paragraph("以上")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", _DOCX_BODY.format(body))
    path = tmp_path / "notice.docx"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("何卒よろしくお願い申し上げます。", "reader_action"),
        ("ご理解ご協力のほど、何卒よろしくお願い申し上げます。", "reader_action"),
        ("あらかじめご了承のほど、よろしくお願いいたします。", "reader_action"),
        ("ご確認のほどよろしくお願い申し上げます。", "reader_action"),
        ("何卒ご容赦くださいますようお願い申し上げます。", "reader_action"),
        ("十分ご注意ください。", "reader_action"),
        ("実施することとなりましたので、ご案内申し上げます。", "why"),
        ("システムを刷新いたしましたので、お知らせいたします。", "why"),
        ("社内規程を改定することとなりました。", "what_changes"),
        ("今後とも変わらぬご支援を賜りますよう、お願い申し上げます。", "what_changes"),
        ("何卒ご確認賜りますようお願い申し上げます。", "reader_action"),
        ("十分にご留意ください。", "reader_action"),
        ("規程違反は懲戒事由に該当しますので、軽率な行動は慎んでください。", "reader_action"),
        ("ガバナンス強化の観点から、プロセスを見直す運びとなりました。", "why"),
        ("例年どおりの取り扱いとさせていただきますので、ご承知おき願います。", "why"),
        ("上限を超えた部署は、その理由を人事部に報告する義務があります。", "why"),
        ("個人情報を含む書類は、ごみ箱ではなく回収箱に入れてください。", "what_changes"),
        ("ご不明な点がございましたら、お問い合わせ窓口までご連絡ください。", "where_to_ask"),
        ("ご不明な点は、担当部署の担当までお問い合わせください。", "where_to_ask"),
    ],
)
def test_set_phrases_of_politeness_answer_no_reader_question(text: str, check: str) -> None:
    """A closing courtesy or an announcement formula alone satisfies no reader check."""
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    assert not review.check(check).passed


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("経費システムから申請してください。", "reader_action"),
        ("設定を4月25日までにお済ませください。", "reader_action"),
        ("7月から毎月1回、1on1を行っていただきます。", "reader_action"),
        ("紙の紛失が続いているため、電子申請に切り替えます。", "why"),
        ("事故が続いていることを受け、使い回しを禁止します。", "why"),
        ("必要な人が使えるように、予約を取り消してください。", "why"),
        ("4月1日より、勤怠は新しいシステムで記録することとなります。", "what_changes"),
        ("9月から手配を代理店に依頼できるようになります。", "what_changes"),
        ("4月から、申請は総務部ではなく各部署の庶務担当が受け付けます。", "what_changes"),
        ("請求書は、紙ではなくPDFで受け取るようにしてください。", "what_changes"),
        ("重複予約が続いたため、システムでの管理に改めます。", "what_changes"),
        ("窓口を近くにして、届くまでの日数を短くするためです。", "why"),
        ("背景には、紙の申請書の紛失があります。", "why"),
        ("不明な点は、情報システム部の窓口へご相談ください。", "where_to_ask"),
        ("質問は、経理部 出張精算担当(内線2305)にお尋ねください。", "where_to_ask"),
    ],
)
def test_real_answers_still_count_behind_politeness(text: str, check: str) -> None:
    """A real request, reason or change still answers its check among polite words."""
    review = lint(
        f"お知らせ\n\n平素より格別のご高配を賜り、厚く御礼申し上げます。\n\n{text}", lang="ja"
    )
    assert review.check(check).passed


@pytest.mark.parametrize(
    ("text", "passed"),
    [
        ("令和9年4月1日付で就業規則を改定いたしましたので、お知らせいたします。", False),
        ("4月1日付の通達のとおり、運用を続けます。", False),
        ("2027年4月1日に規程を改定しました。", False),
        ("本日4月1日から、新しい勤怠システムに切り替えます。", True),
        ("5月1日から、経費精算を電子申請に切り替えます。", True),
    ],
)
def test_the_document_date_alone_says_not_when(text: str, *, passed: bool) -> None:
    """The document's own date in a report or as a date of issue does not say when."""
    options = LintOptions(document_date=dt.date(2027, 4, 1))
    review = lint(f"お知らせ\n\n{text}", lang="ja", options=options)
    assert review.check("when").passed is passed


def test_the_docx_notice_does_not_pass_on_politeness(tmp_path: Path) -> None:
    """The issue's Word notice fails why and the reader's action, and flags its jargon and tone."""
    review = lint(_docx(tmp_path), lang="ja")
    assert not review.check("why").passed
    assert not review.check("reader_action").passed
    assert not review.check("where_to_ask").passed
    assert review.parts.reader < 1.0
    terms = {f.excerpt for f in review.findings if f.rule == "jargon"}
    assert {"DX", "MFA", "Intune", "マイグレーション"} <= terms
    assert any(f.rule == TONE_RULE for f in review.findings)


def test_table_cells_and_labels_leave_sentence_statistics_alone(tmp_path: Path) -> None:
    """Short table cells and label lines do not pull the mean sentence length down."""
    review = lint(_docx(tmp_path), lang="ja")
    assert review.readability.sentences == 4
    assert review.readability.mean_sentence_length > 40
    text = lint("\n\n".join(_NOTICE[3:]), lang="ja")
    assert review.readability.mean_sentence_length == pytest.approx(
        (text.readability.mean_sentence_length * 3 + len(_CLOSING)) / 4, abs=1.0
    )


def test_is_prose_skips_cells_headings_and_labels() -> None:
    """Table cells, headings and short lines without an ending are not prose."""
    material = material_from_text(
        "# 見出し\n\n対象\n\n本文の文です。\n\n| a | b |\n|---|---|\n| セル | 値 |\n\n"
        "句点のない長い行ですがこれは二十文字をこえているので文として数えます"
    )
    sentences = split_sentences(material.blocks, "ja")
    kept = [s.text for s in sentences if is_prose(s, material.blocks)]
    assert kept == [
        "本文の文です。",
        "句点のない長い行ですがこれは二十文字をこえているので文として数えます",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "違反した場合は、しかるべき対応を取らせていただきます。",
        "今後違反が確認された場合は、厳正に対処いたします。",
        "違反者には懲戒処分を科すことがあります。",
        "提出を怠った場合の責任は各管理職にあります。",
        "無断で持ち帰った者は、自己責任で対応すること。",
        "再三にわたり周知しているにもかかわらず、改善されていません。",
        "機密文書の持ち出し禁止を厳守願います。",
    ],
)
def test_threats_and_blame_are_flagged(text: str) -> None:
    """Threats, blame and 厳守 without a reason fire tone.threat, naming the phrase."""
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    found = [f for f in review.findings if f.rule == TONE_RULE]
    assert len(found) == 1
    assert found[0].message.ja.startswith("「")


@pytest.mark.parametrize(
    "text",
    [
        "顧客情報を守るため、持ち出し禁止を厳守してください。",
        "経費は月末までに申請してください。",
        "ご不明な点は総務部までお問い合わせください。",
    ],
)
def test_requests_with_a_reason_are_not_threats(text: str) -> None:
    """厳守 with its reason, and plain requests, do not fire the tone check."""
    review = lint(f"お知らせ\n\n{text}", lang="ja")
    assert not [f for f in review.findings if f.rule == TONE_RULE]


def test_english_tone_and_courtesies() -> None:
    """English threats fire the tone check; thanks for cooperation is no reader action."""
    review = lint(
        "Notice\n\nFailure to comply will result in disciplinary action.\n\n"
        "Thank you for your cooperation.",
        lang="en",
    )
    assert [f.rule for f in review.findings].count(TONE_RULE) == 1
    assert not review.check("reader_action").passed
    calm = lint("Notice\n\nKeep receipts strictly because auditors ask for them.", lang="en")
    assert not [f for f in calm.findings if f.rule == TONE_RULE]


def test_the_tone_check_can_be_switched_off() -> None:
    """disabled_rules turns the tone check off like any rule."""
    options = LintOptions(disabled_rules={TONE_RULE})
    review = lint("お知らせ\n\nしかるべき対応を取ります。", lang="ja", options=options)
    assert not [f for f in review.findings if f.rule == TONE_RULE]


def test_the_shipped_glossary_knows_it_words_and_the_user_adds_more() -> None:
    """DX, MFA, Intune and katakana IT words are flagged; a user's own terms too."""
    review = lint(
        "お知らせ\n\nDXとしてMFAとIntuneを入れ、ソリューションのアジェンダとエビデンスを作ります。",
        lang="ja",
        glossary={"稼働日": "会社が開いている日"},
    )
    terms = {f.excerpt for f in review.findings if f.rule == "jargon"}
    assert {"DX", "MFA", "Intune", "ソリューション", "アジェンダ", "エビデンス"} <= terms
    own = lint("お知らせ\n\n稼働日に提出してください。", lang="ja", glossary={"稼働日": "営業日"})
    assert any(f.rule == "jargon" for f in own.findings)


@given(st.text(max_size=80), st.sampled_from(["ja", "en"]))
def test_blanking_courtesies_keeps_offsets(text: str, lang: str) -> None:
    """without_courtesy keeps the length and only ever turns characters into spaces."""
    blanked = without_courtesy(text, lang)  # type: ignore[arg-type]
    assert len(blanked) == len(text)
    assert all(new in (old, " ") for old, new in zip(text, blanked, strict=True))


def test_keigo_notices_meet_the_measured_precision(benchmark: object) -> None:
    """On the 敬語 notices, each check keeps the precision measured when round 9 ended.

    Tuning part (823 notices): 1.00 for why, what_changes, when and tone, 0.99 for
    reader_action and 0.996 for where_to_ask. Held-out part (the ninth, 218 notices by
    writers who never saw the rules, measured once, docs/materials.md): why 1.00,
    what_changes 0.93, when 1.00, reader_action 1.00, where_to_ask 0.99, tone 1.00.
    """
    load, measure = benchmark.load_snippets, benchmark.measure  # type: ignore[attr-defined]
    tuning = measure(load("ja", "tuning", labelled_set="keigo"))
    tuning_floors = {
        "why": 1.0,
        "what_changes": 1.0,
        "when": 1.0,
        "reader_action": 0.989,
        "where_to_ask": 0.996,
        "tone": 1.0,
    }
    for check, floor in tuning_floors.items():
        assert tuning[check].precision >= floor - 0.0005, (check, tuning[check])
    held_out = measure(load("ja", "held-out", labelled_set="keigo"))
    floors = {
        "why": 1.0,
        "what_changes": 0.931,
        "when": 1.0,
        "reader_action": 1.0,
        "where_to_ask": 0.989,
        "tone": 1.0,
    }
    for check, floor in floors.items():
        assert held_out[check].precision >= floor - 0.0005, (check, held_out[check])
        assert held_out[check].precision >= 0.9, (check, held_out[check])


def test_keigo_parts_are_large_enough_and_disjoint(benchmark: object) -> None:
    """The 敬語 set holds 823 tuning and 218 held-out notices, every id once."""
    load = benchmark.load_snippets  # type: ignore[attr-defined]
    tuning = load("ja", "tuning", labelled_set="keigo")
    held_out = load("ja", "held-out", labelled_set="keigo")
    assert len(tuning) >= 823
    assert len(held_out) >= 218
    ids = [snippet.id for snippet in (*tuning, *held_out)]
    assert len(ids) == len(set(ids))

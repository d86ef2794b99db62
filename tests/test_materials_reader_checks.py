"""Reader checks measured on labelled snippets, dates, headers, excerpts and glossary levels."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.app.samples import sample_file
from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.materials import Glossary, LintOptions, lint
from backoffice_marketing.materials.glossary import GlossaryEntry, default_glossary
from backoffice_marketing.materials.model import Block, BlockKind, Location, Severity
from backoffice_marketing.materials.reader import document_date, find_dates, header_length
from backoffice_marketing.materials.sentences import cut_at_word, snap_to_word, word_starts

ROOT = Path(__file__).resolve().parent.parent
MIN_PRECISION = 0.9


def _benchmark() -> ModuleType:
    """The benchmark script, loaded as a module (it holds the loader and the counting)."""
    name = "reader_checks_benchmark"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "reader_checks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _blocks(*lines: str, heading: bool = False) -> tuple[Block, ...]:
    """Blocks of a small text document, one per line (the first a heading when asked)."""
    return tuple(
        Block.at(
            line,
            BlockKind.HEADING if heading and index == 0 else BlockKind.PARAGRAPH,
            Location(line=index + 1, column=1),
        )
        for index, line in enumerate(lines)
    )


# --- the labelled set ---------------------------------------------------------------


def test_labelled_set_is_large_enough() -> None:
    """The tuning set holds at least 40 Japanese and 20 English snippets, ids unique."""
    bench = _benchmark()
    japanese = bench.load_snippets("ja")
    english = bench.load_snippets("en")
    assert len(japanese) >= 40
    assert len(english) >= 20
    ids = [
        s.id
        for part in bench.PARTS
        for lang in bench.LANGS
        for s in bench.load_snippets(lang, part)
    ]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_reader_checks_are_precise_on_the_labelled_set(lang: str) -> None:
    """Every reader check reaches 0.9 precision on the labelled snippets (both parts)."""
    bench = _benchmark()
    snippets = tuple(s for part in bench.PARTS for s in bench.load_snippets(lang, part))
    counts = bench.measure(snippets)
    assert set(counts) == set(bench.CHECKS)
    low = {check: c.precision for check, c in counts.items() if c.precision < MIN_PRECISION}
    assert not low, low
    # Each check has positives to be precise about, and finds most of them.
    assert all(c.tp >= 3 and c.recall >= 0.5 for c in counts.values())


def test_counts_precision_and_recall() -> None:
    """The confusion counts add verdicts and give precision and recall (1 when undefined)."""
    counts = _benchmark().Counts()
    assert (counts.precision, counts.recall) == (1.0, 1.0)
    counts = counts.add("a", predicted=True, actual=True).add("b", predicted=True, actual=False)
    counts = counts.add("c", predicted=False, actual=True).add("d", predicted=False, actual=False)
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == (1, 1, 1, 1)
    assert (counts.precision, counts.recall, counts.misses) == (0.5, 0.5, ("b", "c"))


def test_benchmark_table_lists_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    """The benchmark prints one row per set, language and check, and the misses on request."""
    bench = _benchmark()
    sys_argv = sys.argv
    sys.argv = ["reader_checks.py", "--misses"]
    try:
        bench.main()
    finally:
        sys.argv = sys_argv
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith(("| reader |", "| keigo |"))]
    reader_rows = len(bench.PARTS) * len(bench.LANGS) * len(bench.CHECKS)
    keigo_rows = len(bench.PARTS) * (len(bench.CHECKS) + 1)  # Japanese only, with the tone check
    assert len(rows) == reader_rows + keigo_rows
    assert "| reader | tuning | ja | where_to_ask |" in out
    assert "| keigo | held-out | ja | tone |" in out


# --- the demo's draft -----------------------------------------------------------------


def test_demo_draft_checks_point_at_the_right_sentences() -> None:
    """The draft's checks cite the help desk, the start date and the body, never the title."""
    path = sample_file("chat-migration/announcement-draft.md")
    lines = path.read_text(encoding="utf-8").splitlines()
    review = lint(path, lang="ja")

    def line_of(key: str) -> str:
        location = review.check(key).location
        assert location is not None
        assert location.line is not None
        return lines[location.line - 1]

    assert "内線2100" in line_of("where_to_ask")
    assert "5月17日" in line_of("when")
    assert line_of("what_changes").startswith("2027年5月17日")
    assert "ログイン" in line_of("reader_action")
    assert not review.check("conclusion_first").passed
    assert review.parts.reader == pytest.approx(12 / 13, abs=1e-6)


def test_demo_draft_quotes_whole_words() -> None:
    """Old-style requests are quoted from the start of a word: 情報システム部, not テム部."""
    review = lint(sample_file("chat-migration/announcement-draft.md"), lang="ja")
    quotes = [f.excerpt for f in review.findings if f.rule == "ja.stiff-request"]
    assert "情報システム部に連絡されたい" in quotes
    assert not any(quote.startswith("テム") for quote in quotes)
    # Leading particles are dropped: 「日程の調整について配慮願いたい」 is quoted from 配慮.
    assert "配慮願いたい" in quotes


# --- what changes, where to ask, the reader's action ---------------------------------------


def test_title_alone_does_not_say_what_changes() -> None:
    """A title announcing a change answers nothing; the same words in the body do."""
    title_only = lint("# 勤怠システムの変更について\n\n詳しくは追って連絡します。\n")
    assert not title_only.check("what_changes").passed
    body = lint("# 勤怠について\n\n来月から勤怠の締め日が20日に変わります。\n")
    assert body.check("what_changes").passed


def test_section_heading_lets_its_first_sentence_answer() -> None:
    """A sentence under a 「背景と目的」 heading answers why; a title does not make a section."""
    review = lint("# お知らせ\n\n## 背景と目的\n\n請求書の処理が月末に集中しています。\n")
    assert review.check("why").passed
    titled = lint("# 変更の目的\n\n請求書の処理が月末に集中しています。\n")
    assert not titled.check("why").passed


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("## 問い合わせ先\n\n総務部 山田(内線2211)\n", True),
        ("## お問い合わせ\n\n経理部 経理課\nメール: keiri@example.co.jp\n", True),
        ("説明会では、よくある質問への回答も行います。", False),
        ("よくある質問は、FAQにまとめる予定です。", False),
        ("各部署へのヒアリングで、連絡手段の不満が多く指摘されています。", False),
        ("ご質問は、推進担当にお気軽にどうぞ。", True),
    ],
)
def test_where_to_ask_wants_a_contact_point(text: str, found: bool) -> None:
    """A help-desk line, an address or a desk answers 「問い合わせ先」; the word 質問 does not."""
    assert lint(text, lang="ja").check("where_to_ask").passed is found


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("ja", "不明な点は、総務部までお問い合わせください。", False),
        ("ja", "ご理解とご協力をお願いいたします。", False),
        ("ja", "受付へ直接お持ちください。", True),
        ("ja", "5月14日までにログインしてください。", True),
        ("en", "If anything is unclear, please ask your manager.", False),
        ("en", "Everyone must complete the course.", True),
    ],
)
def test_reader_action_is_everyones_action(lang: str, text: str, found: bool) -> None:
    """Conditional requests and set phrases of politeness are not the reader's action."""
    assert lint(text, lang=lang).check("reader_action").passed is found


def test_consequence_is_not_a_change() -> None:
    """「遅れると…できなくなります」 says what happens if, not what changes."""
    review = lint("提出が遅れると、面談の日程が組めなくなります。")
    assert not review.check("what_changes").passed
    assert lint("紙の申請書は使えなくなります。").check("what_changes").passed
    assert not lint("If you are late, the form will close.", lang="en").check("what_changes").passed


# --- when: dates and the document date ---------------------------------------------------


def test_when_takes_only_dates_on_or_after_the_document_date() -> None:
    """With a header date, an earlier approval date answers nothing and a later start does."""
    header = "# 在宅勤務について\n\n2027年6月10日\n\n人事部\n\n"
    past = lint(header + "2027年3月の経営会議で、見直しが承認されました。\n")
    assert not past.check("when").passed
    future = lint(header + "7月1日から、申請は勤怠システムで受け付けます。\n")
    assert future.check("when").passed
    assert future.check("when").location == Location(line=7, column=1)


def test_document_date_argument_wins_over_the_header() -> None:
    """``LintOptions.document_date`` sets the date the reader's 'when' is measured from."""
    text = "# 通知\n\n2027年1月5日\n\n申請の締め切りは3月31日です。\n"
    assert lint(text).check("when").passed
    late = lint(text, options=LintOptions(document_date=dt.date(2027, 4, 10)))
    assert not late.check("when").passed
    with pytest.raises(TypeError):
        LintOptions(document_date="2027-04-10")  # type: ignore[arg-type]


def test_without_a_document_date_past_sentences_do_not_say_when() -> None:
    """Without a document date, a date in a sentence about the past does not count."""
    assert not lint("2027年3月の経営会議で承認されました。").check("when").passed
    assert not lint("6月25日に締め処理をしました。").check("when").passed
    assert lint("10月1日より、新システムで行うこととなった。").check("when").passed
    assert not lint("The board approved it on March 12.", lang="en").check("when").passed
    assert lint("The new form starts on March 12.", lang="en").check("when").passed


def test_find_dates_reads_the_common_forms() -> None:
    """Japanese, ISO, Reiwa, month-only, English and US dates become day ranges."""
    reference = dt.date(2027, 4, 1)
    found = find_dates("2027年5月17日、令和9年6月、7/1、2027-08-02、9月", "ja", reference=reference)
    spans = [(m.first, m.last, m.year_written) for m in found]
    assert spans == [
        (dt.date(2027, 5, 17), dt.date(2027, 5, 17), True),
        (dt.date(2027, 6, 1), dt.date(2027, 6, 30), True),
        (dt.date(2027, 7, 1), dt.date(2027, 7, 1), False),
        (dt.date(2027, 8, 2), dt.date(2027, 8, 2), True),
        (dt.date(2027, 9, 1), dt.date(2027, 9, 30), False),
    ]
    english = find_dates("May 17, 17 June 2027, July 2027, 12/1/27", "en", reference=reference)
    assert [(m.first, m.last) for m in english] == [
        (dt.date(2027, 5, 17), dt.date(2027, 5, 17)),
        (dt.date(2027, 6, 17), dt.date(2027, 6, 17)),
        (dt.date(2027, 7, 1), dt.date(2027, 7, 31)),
        (dt.date(2027, 12, 1), dt.date(2027, 12, 1)),
    ]
    assert find_dates("令和元年5月1日", "ja")[0].first == dt.date(2019, 5, 1)
    assert find_dates("12月", "ja", reference=dt.date(2027, 12, 20))[0].last == dt.date(
        2027, 12, 31
    )


def test_find_dates_skips_impossible_dates_and_rolls_the_year() -> None:
    """2月30日 is no date; a year-less date far before the document date is next year's."""
    assert find_dates("2月30日", "ja") == ()
    assert find_dates("2月30日", "ja", reference=dt.date(2027, 1, 1)) == ()
    assert find_dates("2027年2月30日", "ja") == ()
    rolled = find_dates("1月10日", "ja", reference=dt.date(2027, 12, 20))
    assert rolled[0].first == dt.date(2028, 1, 10)
    unknown = find_dates("2月29日", "ja")
    assert (unknown[0].first, unknown[0].year_written) == (None, False)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
)
def test_year_less_dates_fall_near_the_reference(day: dt.date, reference: dt.date) -> None:
    """A year-less date lands in the reference's year or the next, never half a year before it."""
    (mention,) = find_dates(f"{day.month}月{day.day}日", "ja", reference=reference)
    assert mention.first is not None
    assert mention.last is not None
    assert (mention.first.month, mention.first.day) == (day.month, day.day) or (
        day.month,
        day.day,
    ) == (2, 29)
    assert mention.first.year in (reference.year, reference.year + 1)
    assert (
        mention.last >= reference - dt.timedelta(days=183)
        or mention.first.year == reference.year + 1
    )


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_written_dates_round_trip(day: dt.date) -> None:
    """A date written in full, in any of the forms, reads back as that day."""
    forms: tuple[tuple[str, Lang], ...] = (
        (f"{day.year}年{day.month}月{day.day}日", "ja"),
        (day.isoformat(), "ja"),
        (day.strftime("%B ") + f"{day.day}, {day.year}", "en"),
        (f"{day.day} " + day.strftime("%b %Y"), "en"),
    )
    for text, lang in forms:
        (mention,) = find_dates(text, lang)
        assert (mention.first, mention.last, mention.year_written) == (day, day, True)


def test_header_lines_and_their_date() -> None:
    """The header is the leading short lines; its latest full date is the document date."""
    blocks = _blocks(
        "人事部からのお知らせ", "2027年4月1日", "2027年4月3日", "本文です。", heading=True
    )
    assert header_length(blocks) == 3
    assert document_date(blocks, "ja") == dt.date(2027, 4, 3)
    assert header_length(_blocks("# 問い合わせ先", "総務部 山田", heading=True)) == 0
    assert header_length(_blocks("題名", "節の見出し", heading=True)[:1] + _blocks("x")) == 0
    assert header_length(_blocks("とても長い最初の段落です。本文から始まる文書です。")) == 0
    second_heading = (
        *_blocks("題名", heading=True),
        *_blocks("節", heading=True),
        *_blocks("本文。"),
    )
    assert header_length(second_heading) == 1
    assert document_date(_blocks("お知らせ", "5月1日", "本文です。"), "ja") is None


# --- excerpts at word boundaries ----------------------------------------------------------


def test_excerpts_cut_at_word_boundaries() -> None:
    """Long quotes end at a word start, with or without the morphological analyser."""
    text = "当該画面が表示されない場合は所定の手順に従って情報システム部に連絡されたい。"
    for morphemes in (True, False):
        cut = cut_at_word(text * 2, 40, morphemes=morphemes)
        assert cut.endswith("…")
        assert len(cut) <= 40
        assert text.startswith(cut[:-1])
        start = snap_to_word(text, text.index("テム"), morphemes=morphemes)
        assert text[start:].startswith("情報システム部")
    assert cut_at_word("連絡先はhelpdesk@example.co.jpです", 20) == "連絡先は…"
    assert cut_at_word("短い文。", 40) == "短い文。"
    assert word_starts("") == ()
    english = cut_at_word("Please log in to the new expense tool before the end of April", 30)
    assert english == "Please log in to the new…"


@given(st.text(alphabet="あいう漢字カナABC12 .@、。-", max_size=80), st.integers(2, 60))
def test_cut_at_word_is_a_short_prefix(text: str, limit: int) -> None:
    """A cut text is at most ``limit`` long and a prefix of the flattened text."""
    for morphemes in (True, False):
        cut = cut_at_word(text, limit, morphemes=morphemes)
        flat = " ".join(text.split())
        assert len(cut) <= limit
        assert flat.startswith(cut.removesuffix("…").rstrip())
        starts = word_starts(flat, morphemes=morphemes)
        assert list(starts) == sorted(set(starts))
        assert all(0 <= start < len(flat) for start in starts)
        if flat:
            assert starts[0] == 0
            offset = len(flat) // 2
            assert snap_to_word(flat, offset, morphemes=morphemes) in (*starts, 0)
            assert snap_to_word(flat, offset, morphemes=morphemes) <= offset


# --- glossary levels and the allowlist ------------------------------------------------------


def test_glossary_levels_set_the_severity() -> None:
    """Real jargon is an error; an everyday business word such as 施策 or 稟議 only a hint."""
    review = lint("この施策では、証憑を稟議書に添付してください。")
    severity = {f.excerpt: f.severity for f in review.findings if f.rule == "jargon"}
    assert severity == {"施策": Severity.INFO, "証憑": Severity.ERROR, "稟議": Severity.INFO}
    levels = {entry.term: entry.level for entry in default_glossary().entries}
    assert levels["施策"] == levels["稟議"] == levels["stakeholder"] == "info"
    assert levels["証憑"] == levels["provisioning"] == "error"
    english = lint("Our stakeholders need provisioning.", lang="en")
    assert {f.severity for f in english.findings if f.rule == "jargon"} == {
        Severity.INFO,
        Severity.ERROR,
    }


def test_allowlist_in_options_and_in_the_glossary(tmp_path: Path) -> None:
    """Allowed terms are never flagged, from the options or from the user's glossary file."""
    text = "この施策では、証憑を提出してください。"
    allowed = lint(text, options=LintOptions(allowed_terms={"施策"}))
    assert [f.excerpt for f in allowed.findings if f.rule == "jargon"] == ["証憑"]
    english = lint(
        "Ask the Stakeholders.", lang="en", options=LintOptions(allowed_terms={"stakeholders"})
    )
    assert "jargon" not in english.counts()
    path = tmp_path / "glossary.toml"
    path.write_text(
        'schema_version = 1\nallow = ["証憑", "施策"]\n\n[[entries]]\nterm = "回付"\n'
        'plain = "回すこと"\nlang = "ja"\nlevel = "info"\n',
        encoding="utf-8",
    )
    review = lint(text + "書類を回付します。", glossary=path)
    assert {f.excerpt: f.severity for f in review.findings if f.rule == "jargon"} == {
        "回付": Severity.INFO
    }
    with pytest.raises(TypeError):
        LintOptions(allowed_terms="施策")


def test_glossary_allowlist_api() -> None:
    """``allowing`` and ``merge`` join allowlists; English terms are allowed ignoring case."""
    glossary = Glossary.from_mapping({"回付": "回すこと"}, level="info").allowing(["KPI"])
    assert glossary.entries[0].level == "info"
    merged = glossary.merge(Glossary((), allow=["SSO"]))
    assert merged.allow == frozenset({"KPI", "SSO"})
    assert merged.allows("kpi")
    assert not merged.allows("回付")
    with pytest.raises(FieldValueError):
        Glossary((), allow="KPI")
    with pytest.raises(FieldValueError):
        GlossaryEntry("回付", "回すこと", "ja", "warning")


def test_glossary_file_with_a_bad_level_names_the_field(tmp_path: Path) -> None:
    """A glossary file whose level is neither error nor info fails with the file and field named."""
    path = tmp_path / "glossary.toml"
    path.write_text(
        'schema_version = 1\n\n[[entries]]\nterm = "回付"\nplain = "回すこと"\nlevel = "warn"\n',
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        Glossary.from_file(path)
    message = str(caught.value)
    assert "glossary.toml" in message
    assert "level" in message
    assert "'warn'" in message

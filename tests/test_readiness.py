"""The readiness survey, barrier points, tagging, department barriers and the HR list."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import math
import random
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing import readiness, voice
from backoffice_marketing.app.readiness_sample import demo_readiness
from backoffice_marketing.app.samples import sample_file
from backoffice_marketing.core.departments import Department
from backoffice_marketing.core.report import schema
from backoffice_marketing.exceptions import AudienceError, LoadError, UnsupportedFormatError
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.readiness import Element
from backoffice_marketing.readiness.barriers import COMPANY, INCOMPLETE, NO_BARRIER
from backoffice_marketing.readiness.tagging import ElementScore, score_tagging

DATA = Path(__file__).parent / "data" / "readiness"
HAND = DATA / "hand-computed.csv"
INSTRUMENT = readiness.default_instrument()
A, D, K, B, R = (
    Element.AWARENESS,
    Element.DESIRE,
    Element.KNOWLEDGE,
    Element.ABILITY,
    Element.REINFORCEMENT,
)


def _hand() -> readiness.SurveyRound:
    return readiness.read_responses(HAND, round_id="r1")


def _hand_rows() -> list[list[str]]:
    return list(csv.reader(HAND.read_text(encoding="utf-8").splitlines()))


def _write_csv(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _statements(lang: str = "ja") -> list[str]:
    return [s.ja if lang == "ja" else s.en for s in INSTRUMENT.statements]


# -- the hand-computed fixture ---------------------------------------------------------


def test_hand_computed_barrier_points_per_respondent() -> None:
    """Each respondent's barrier point is the first element whose mean is at most 3."""
    people = {p.respondent.split("@")[0]: p.barrier for p in readiness.respondent_barriers(_hand())}
    assert people == {
        "r1": None, "r2": K, "r3": A, "r4": R, "r5": R, "r6": D, "r7": B,
        "r8": None, "r9": B, "r10": B, "r11": A, "r12": K, "r13": None,
    }  # fmt: skip


def test_hand_computed_distributions_per_department() -> None:
    """The small 法務課 is withheld, in no figure; each distribution is as counted by hand.

    Folding it into its parent would let a reader subtract 営業部 without it (a run
    before 法務課 answered) from 営業部 with it, so the privacy roll-up withholds it and
    the company counts the published groups only.
    """
    summary = readiness.summarise_round(_hand(), parents={"法務課": "営業部"})
    groups = {g.group: g for g in summary.groups}
    assert set(groups) == {"営業部", "製造部"}
    assert groups["営業部"].members == ("営業部",)
    assert dict(groups["営業部"].distribution) == {
        "awareness": 1, "desire": 1, "knowledge": 1, "ability": 0, "reinforcement": 2,
        "none": 1, "incomplete": 0,
    }  # fmt: skip
    assert dict(groups["製造部"].distribution) == {
        "awareness": 1, "desire": 0, "knowledge": 1, "ability": 2, "reinforcement": 0,
        "none": 1, "incomplete": 0,
    }  # fmt: skip
    assert dict(summary.company.distribution) == {
        "awareness": 2, "desire": 1, "knowledge": 2, "ability": 2, "reinforcement": 2,
        "none": 2, "incomplete": 0,
    }  # fmt: skip
    # Ties go to the earlier element: reinforcement (2) before "none" (1); in the company
    # (withheld 法務課 left out) every element has 2, so the first one, awareness.
    assert groups["営業部"].barrier is R
    assert groups["製造部"].barrier is B
    assert summary.company.barrier is A
    assert [s.group for s in summary.suppressed] == ["法務課"]
    assert groups["製造部"].share(B) == pytest.approx(0.4)


def test_hand_computed_mean_and_interval() -> None:
    """製造部's ability mean and its 95 % t-interval match the hand computation."""
    summary = readiness.summarise_round(_hand(), parents={"法務課": "営業部"})
    group = summary.group_of("製造部")
    assert group is not None
    ability = next(m for m in group.means if m.element is B)
    values = [4 / 3, 2, 2, 2, 10 / 3]
    mean = sum(values) / 5
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / 4)
    half = 2.776 * sd / math.sqrt(5)
    assert ability.mean == pytest.approx(2.1333, abs=1e-4)
    assert ability.low == pytest.approx(mean - half, abs=1e-4)
    assert ability.high == pytest.approx(mean + half, abs=1e-4)
    assert ability.respondents == 5


def test_free_text_needs_ten_respondents() -> None:
    """Comments of a group under the free-text floor are never quoted; the company's 13 are."""
    summary = readiness.summarise_round(_hand(), parents={"法務課": "営業部"})
    manufacturing = summary.group_of("製造部")
    assert manufacturing is not None
    assert manufacturing.comments == ()
    # With departments, the company quotes nothing: its comments less the published
    # groups' would give away those of the groups under the floor.
    assert summary.company.comments == ()
    with pytest.raises(bm.exceptions.PrivacyFloorError):
        readiness.summarise_round(_hand(), text_floor=9)


def test_survey_without_department_gives_the_company_barrier(tmp_path: Path) -> None:
    """Without a department column, the company's barrier is still computed."""
    rows = _hand_rows()
    path = _write_csv(
        tmp_path / "anon.csv", [rows[0][0], *rows[0][3:]], [[r[0], *r[3:]] for r in rows[1:]]
    )
    survey = readiness.read_responses(path)
    summary = readiness.summarise_round(survey)
    assert not summary.by_department
    assert summary.groups == ()
    assert summary.company.barrier is B
    assert summary.company.respondents == 13
    assert summary.company.comments == ("端末がほしい",) * 5
    report = readiness.ReadinessReport.build([summary])
    assert "部署の列がない" in report.to_markdown(lang="ja")


def test_a_small_survey_publishes_nothing(tmp_path: Path) -> None:
    """Fewer respondents than the floor: no distribution and no means, even for the company."""
    rows = _hand_rows()
    path = _write_csv(tmp_path / "few.csv", rows[0], rows[1:4])
    summary = readiness.summarise_round(readiness.read_responses(path))
    assert summary.company.distribution == ()
    assert summary.company.barrier is None
    assert summary.groups == ()
    text = readiness.ReadinessReport.build([summary]).to_markdown(lang="en")
    assert "No survey answers yet" in text


# -- readers -------------------------------------------------------------------------


def test_microsoft_forms_xlsx_in_english(tmp_path: Path) -> None:
    """An MS Forms xlsx export (ID, Start time, Completion time, Email, Name) is read."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["ID", "Start time", "Completion time", "Email", "Name", "Department", *_statements("en")]
    )
    for number in range(6):
        answers = ["Strongly agree"] * 7 + ["Disagree"] * 3 + ["Agree"] * 2
        started, done = dt.datetime(2027, 6, 1, 9), dt.datetime(2027, 6, 1, 9, 5 + number)
        sheet.append([number + 1, started, done, "anonymous", "anonymous", "Plant", *answers])
    path = tmp_path / "ms.xlsx"
    book.save(path)
    survey = readiness.read_responses(path)
    assert len(survey.responses) == 6
    assert survey.held_on == dt.date(2027, 6, 1)
    assert {r.department for r in survey.responses} == {"Plant"}
    assert {p.barrier for p in readiness.respondent_barriers(survey)} == {B}
    assert all(r.respondent.startswith("row-") for r in survey.responses)


def test_google_grid_headers_and_a_column_mapping(tmp_path: Path) -> None:
    """Grid headers ``Title [statement]`` and a mapping for another tool's column names are read."""
    header = ["Submitted", "Team", *(f"Rate these [{s}]" for s in _statements("en"))]
    header[2] = "Q1"
    rows = [["2027-06-02T10:00:00", "Ops", *(["5"] * 12)]]
    path = _write_csv(tmp_path / "other.csv", header, rows)
    survey = readiness.read_responses(
        path, columns={"Submitted": "submitted", "Team": "department", "Q1": "aw1"}
    )
    assert survey.responses[0].department == "Ops"
    assert dict(survey.responses[0].scores)["aw1"] == 5
    assert survey.held_on == dt.date(2027, 6, 2)


def test_bad_headers_are_errors_naming_the_column(tmp_path: Path) -> None:
    """Duplicated and blank (merged) headers, a bad mapping and a missing element are errors."""
    header = ["Timestamp", "", _statements("en")[0], _statements("en")[0], "Unmapped"]
    path = _write_csv(tmp_path / "bad.csv", header, [["2027-06-02 10:00:00", "", "5", "5", "x"]])
    with pytest.raises(LoadError) as caught:
        readiness.read_responses(path, columns={"Unmapped": "nothing"})
    text = str(caught.value)
    assert "bad.csv:1:2" in text
    assert "merged" in text
    assert "duplicated header" in text
    assert "column 3" in text
    assert "unknown target 'nothing'" in text
    assert "no column holds a statement of 'desire'" in text


def test_bad_answers_are_errors_naming_the_row(tmp_path: Path) -> None:
    """Out-of-range numbers and unknown labels are errors with the line and column."""
    header = ["Timestamp", *_statements("en")]
    rows = [["2027/06/02 10:00:00", "7", "maybe", "3.5", *(["4"] * 9)]]
    path = _write_csv(tmp_path / "answers.csv", header, rows)
    with pytest.raises(LoadError) as caught:
        readiness.read_responses(path)
    text = str(caught.value)
    assert "answers.csv:2:2 aw1: answer 7 is outside 1-5" in text
    assert "answers.csv:2:3 aw2: unknown answer 'maybe'" in text
    assert "answers.csv:2:4 aw3: unknown answer '3.5'" in text


def test_blank_answers_and_repeat_respondents_are_warnings(tmp_path: Path) -> None:
    """A blank answer is left out; a respondent who answered twice keeps the later answer."""
    header = ["タイムスタンプ", "メールアドレス", "所属", *_statements("ja"), "Comment"]
    full = ["4"] * 12
    rows = [
        ["2027/06/03 10:00:00", "a@x", "営業部", *full, ""],
        ["2027/06/02 10:00:00", "b@x", "営業部", "", "", "", *full[3:], ""],
        ["2027/06/04 10:00:00", "a@x", "営業部", *(["2"] * 12), ""],
        ["2027/06/01 10:00:00", "a@x", "営業部", *(["5"] * 12), ""],
    ]
    survey = readiness.read_responses(_write_csv(tmp_path / "w.csv", header, rows))
    warnings = [str(w) for w in survey.warnings]
    assert any("w.csv:3:4 aw1: blank answer" in w for w in warnings)
    assert any("line 4" not in w and "answered twice" in w for w in warnings)
    assert any("w.csv:1:16 Comment" in w and "not read" in w for w in warnings)
    by = {r.respondent: r for r in survey.responses}
    assert set(by) == {"a@x", "b@x"}
    assert dict(by["a@x"].scores)["aw1"] == 2  # the later (2027-06-04) answer
    people = {p.respondent: p for p in readiness.respondent_barriers(survey)}
    assert not people["b@x"].complete
    assert people["b@x"].key == INCOMPLETE
    assert people["a@x"].barrier is A


def test_numbers_with_labels_are_read(tmp_path: Path) -> None:
    """'5 - Strongly agree' and '4: そう思う' read as 5 and 4."""
    header = ["Timestamp", *_statements("en")]
    rows = [["2027/06/02 10:00:00", "5 - Strongly agree", "4: そう思う", *(["4.0"] * 10)]]
    survey = readiness.read_responses(_write_csv(tmp_path / "n.csv", header, rows))
    assert dict(survey.responses[0].scores)["aw1"] == 5
    assert dict(survey.responses[0].scores)["aw2"] == 4
    assert dict(survey.responses[0].scores)["kn1"] == 4


def test_element_means_need_the_floor_of_answers() -> None:
    """A mean that fewer than 5 people answered is withheld even in a published group."""
    full = tuple((s.id, 4) for s in INSTRUMENT.statements)
    partial = tuple((s.id, 4) for s in INSTRUMENT.statements if s.element is not D)
    rows = [
        readiness.SurveyResponse(i, f"p{i}", "x", None, full if i < 4 else partial)
        for i in range(8)
    ]
    summary = readiness.summarise_round(
        readiness.SurveyRound("s", dt.date(2027, 1, 1), tuple(rows))
    )
    group = summary.group_of("x")
    assert group is not None
    assert group.respondents == 8
    assert D not in {m.element for m in group.means}
    assert dict(group.distribution)[INCOMPLETE] == 4


def test_no_date_is_an_error(tmp_path: Path) -> None:
    """A table with no timestamps needs held_on."""
    path = _write_csv(tmp_path / "nodate.csv", _statements("en"), [["4"] * 12])
    with pytest.raises(LoadError, match="held_on"):
        readiness.read_responses(path)
    survey = readiness.read_responses(path, held_on=dt.date(2027, 1, 1))
    assert survey.held_on == dt.date(2027, 1, 1)
    assert repr(survey).startswith("<SurveyRound 'nodate'")


_LABELS = st.sampled_from(["ja", "en", "num"])


@given(
    answers=st.lists(st.lists(st.integers(1, 5), min_size=12, max_size=12), min_size=1, max_size=8),
    form=_LABELS,
)
def test_answers_round_trip_through_an_export(answers: list[list[int]], form: str) -> None:
    """Scores written as labels (either language) or numbers read back as the same scores."""
    header = ["Timestamp", "Email Address", *_statements("en")]
    labels = readiness.AGREEMENT_LABELS

    def cell(score: int) -> str:
        return str(score) if form == "num" else labels[form][5 - score]  # type: ignore[index]

    rows = [
        [f"2027-06-0{1 + i % 9} 10:00:00", f"p{i}@x", *map(cell, row)]
        for i, row in enumerate(answers)
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    import tempfile  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "round.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        survey = readiness.read_responses(path)
    ids = [s.id for s in INSTRUMENT.statements]
    for response, row in zip(survey.responses, answers, strict=True):
        assert dict(response.scores) == dict(zip(ids, row, strict=True))


# -- barriers and privacy ---------------------------------------------------------------


@given(
    st.dictionaries(
        st.sampled_from(ELEMENT_KEYS := ["a", "b", "c", "d", "e", "f"]),
        st.integers(1, 12),
        min_size=1,
    )
)
def test_no_published_group_is_under_the_floor(sizes: dict[str, int]) -> None:
    """Every published group has at least 5 respondents and they add up to the company."""
    responses = tuple(
        readiness.SurveyResponse(
            i, f"{name}{i}", name, None, tuple((s.id, 1 + i % 5) for s in INSTRUMENT.statements)
        )
        for name, size in sizes.items()
        for i in range(size)
    )
    survey = readiness.SurveyRound("p", dt.date(2027, 1, 1), responses)
    summary = readiness.summarise_round(survey, parents={"b": "a", "c": "a"})
    published = sum(g.respondents for g in summary.groups)
    assert all(g.respondents >= 5 for g in summary.groups)
    # Nothing is left over to subtract: the company counts exactly the published groups.
    assert summary.company.respondents == published
    for group in summary.groups:
        assert sum(dict(group.distribution).values()) == group.respondents
        assert all(mean.respondents >= 5 for mean in group.means)
        assert group.comments == ()


@given(
    st.dictionaries(st.sampled_from(list(Element)), st.floats(1, 5), min_size=5, max_size=5),
    st.floats(1, 5),
)
def test_barrier_point_is_the_first_element_at_or_below(
    means: dict[Element, float], threshold: float
) -> None:
    """Every element before the barrier is above the threshold; the barrier is at or below."""
    found = readiness.barrier_point(means, threshold=threshold)
    before = list(Element) if found is None else list(Element)[: found.rank]
    assert all(means[e] > threshold for e in before)
    if found is not None:
        assert means[found] <= threshold


def test_trend_across_rounds(tmp_path: Path) -> None:
    """Two rounds give one trend point per published group and round, company first."""
    first = readiness.summarise_round(_hand(), parents={"法務課": "営業部"})
    rows = _hand_rows()
    better = [[*r[:3], *(["5"] * 12), ""] for r in rows[1:]]
    second_path = _write_csv(tmp_path / "r2.csv", rows[0], better)
    second = readiness.summarise_round(
        readiness.read_responses(second_path, round_id="r2", held_on=dt.date(2027, 9, 1)),
        parents={"法務課": "営業部"},
    )
    points = readiness.readiness_trend([second, first])
    assert [(p.group, p.round) for p in points][:2] == [(COMPANY, "r1"), (COMPANY, "r2")]
    assert dict(points[1].shares)[NO_BARRIER] == 1.0
    report = readiness.ReadinessReport.build([second, first])
    assert [r.round for r in report.rounds] == ["r1", "r2"]
    text = report.to_markdown(lang="en")
    assert "Across rounds" in text
    assert "| 製造部 | r2 |" in text


# -- tagging ----------------------------------------------------------------------------


def _labelled(part: str) -> list[tuple[str, Element | None]]:
    with (DATA / "tagging.csv").open(encoding="utf-8") as handle:
        return [
            (row["text"], Element(row["element"]) if row["element"] else None)
            for row in csv.DictReader(handle)
            if row["part"] == part
        ]


def test_labelled_set_covers_both_languages_and_every_element() -> None:
    """At least 80 labelled items, in Japanese and English, each element in both parts."""
    with (DATA / "tagging.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 80
    assert {row["lang"] for row in rows} == {"ja", "en"}
    for part in ("tune", "heldout"):
        assert {row["element"] for row in rows if row["part"] == part} >= {e.value for e in Element}


def test_tagging_floor_on_the_held_out_part() -> None:
    """On the held-out part every element keeps precision >= 0.9 and recall >= 0.4."""
    scores = score_tagging(
        (label, readiness.tag_text(text)) for text, label in _labelled("heldout")
    )
    for score in scores:
        assert score.precision is not None, score
        assert score.precision >= 0.9, score
        assert score.recall is not None, score
        assert score.recall >= 0.4, score


def test_benchmark_script_prints_both_parts() -> None:
    """The benchmark prints one row per element and part."""
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        readiness_tagging = importlib.import_module("readiness_tagging")
    finally:
        sys.path.pop(0)
    table = readiness_tagging.table()
    assert table.count("| tune") == 5
    assert table.count("| heldout") == 5


def test_score_tagging_counts() -> None:
    """Precision and recall are None when nothing was tagged or labelled."""
    scores = {s.element: s for s in score_tagging([(A, A), (A, None), (None, D)])}
    assert scores[A] == ElementScore(A, 2, 1, 1)
    assert scores[A].precision == 1.0
    assert scores[A].recall == 0.5
    assert scores[D].precision == 0.0
    assert scores[D].recall is None
    assert scores[K].precision is None


@pytest.mark.parametrize(
    ("text", "element"),
    [
        ("工場にPCなし", B), ("PCがない", B), ("端末がない", B), ("no time for it", B),
        ("phones are not allowed in the warehouse", B), ("聞いていない", A), ("知らなかった", A),
        ("I never heard of it", A), ("なぜ変えるのか", D), ("意味がわからない", D),
        ("I don't see why", D), ("やり方がわからない", K), ("使い方を教えて", K),
        ("I forgot how", K), ("元に戻った", R), ("続かない", R), ("明日は晴れ", None),
    ],
)  # fmt: skip
def test_rules_cover_the_common_cases(text: str, element: Element | None) -> None:
    """The common phrasings of each element are tagged in both languages."""
    assert readiness.tag_text(text) is element


@given(st.text(max_size=40))
def test_tagging_ignores_character_width(text: str) -> None:
    """Full-width and half-width forms of the same text get the same element."""
    assert readiness.tag_text(text) is readiness.tag_text(unicodedata.normalize("NFKC", text))


def test_manual_tags_win() -> None:
    """A manual tag (in the tags or the mapping) always wins over the rules."""
    assert readiness.manual_element(["no-pc", "adkar:Knowledge"]) is K
    assert readiness.manual_element(["no-pc"]) is None
    with pytest.raises(ValueError, match="unknown element"):
        readiness.manual_element(["adkar:speed"])
    items = readiness.tag_items([("x", "PCがない"), ("y", "PCがない")], manual={"x": "desire"})
    assert [(i.element, i.manual) for i in items] == [(D, True), (B, False)]


# -- department barriers ----------------------------------------------------------------


def _field() -> tuple[voice.HearingLog, voice.QuestionLog, voice.FAQ]:
    questions = voice.QuestionLog.from_file(sample_file("chat-migration/questions.csv"))
    faq = voice.FAQ.build(
        questions,
        voice.AnswerBook.from_file(sample_file("chat-migration/answers.yaml")),
        departments={d.id: d.headcount for d in bm.samples.company_departments()},
        as_of=dt.date(2027, 6, 30),
        laggards={"製造部", "物流センター"},
    )
    return voice.HearingLog.from_file(sample_file("chat-migration/hearings.csv")), questions, faq


def test_demo_departments_have_an_ability_barrier(tmp_path: Path) -> None:
    """製造部 and 物流センター: ability, citing the hearings and the waiting theme; devices next."""
    barriers, files = demo_readiness(
        tmp_path, flagged={"製造部", "物流センター"}, as_of=dt.date(2027, 6, 30), lang="ja",
        min_group_size=5, text_floor=10,
    )  # fmt: skip
    by = {b.department: b for b in barriers}
    for name in ("製造部", "物流センター"):
        barrier = by[name]
        assert barrier.element is B
        assert not barrier.disagree
        kinds = {e.kind for e in barrier.evidence}
        assert kinds >= {
            readiness.EvidenceKind.HEARING,
            readiness.EvidenceKind.QUESTION_THEME,
            readiness.EvidenceKind.SURVEY,
        }
        assert barrier.remedy is not None
        assert barrier.remedy.startswith("ability.")
        assert barrier.next_action is not None
        assert "訪問" not in barrier.next_action.ja
        assert "visit" not in barrier.next_action.en
    assert by["製造部"].headline(lang="ja").startswith("障壁: 実行 / 次の一手: ")
    assert by["製造部"].headline(lang="en").startswith("Barrier: ability / Next: ")
    hearing_refs = {ref for e in by["製造部"].evidence for ref in e.references}
    assert {"h03", "h15", "theme-q03"} <= hearing_refs
    names = dict(files)
    assert b"readiness" not in names["readiness/barriers.csv"][:3]
    assert "実行" in names["readiness/readiness-report.md"].decode()


def test_evidence_that_disagrees_is_shown_newest_first() -> None:
    """The survey (newer) says knowledge, the hearings say ability: both shown, the survey first."""
    hearings, questions, faq = _field()
    scores = tuple((s.id, 2 if s.element is K else 4) for s in INSTRUMENT.statements)
    rows = [readiness.SurveyResponse(i, f"p{i}", "製造部", None, scores) for i in range(6)]
    summary = readiness.summarise_round(
        readiness.SurveyRound("s", dt.date(2027, 7, 1), tuple(rows))
    )
    (barrier,) = readiness.department_barriers(
        ["製造部"], survey=summary, hearings=hearings, questions=questions, faq=faq
    )
    assert barrier.disagree
    assert [s.source.value for s in barrier.sources] == ["survey", "field"]
    assert barrier.element is K
    assert barrier.remedy is not None
    assert barrier.remedy.startswith("knowledge.")
    assert "newest first" in barrier.reason.en
    assert "新しい順" in barrier.reason.ja
    older = readiness.summarise_round(readiness.SurveyRound("s", dt.date(2027, 1, 1), tuple(rows)))
    (again,) = readiness.department_barriers(
        ["製造部"], survey=older, hearings=hearings, questions=questions
    )
    assert again.element is B
    assert [s.source.value for s in again.sources] == ["field", "survey"]


def test_manual_tags_decide_the_field_barrier() -> None:
    """Manual tags on findings and questions win over the rules."""
    hearings, questions, faq = _field()
    manual = dict.fromkeys(("f16a", "q08", "q24", "theme-q03"), "reinforcement")
    (barrier,) = readiness.department_barriers(
        ["物流センター"], hearings=hearings, questions=questions, faq=faq, manual=manual
    )
    assert barrier.element is R
    (silent,) = readiness.department_barriers(["経理部"])
    assert silent.element is None
    assert silent.next_action is None
    assert "No evidence" in silent.reason.en
    assert silent.headline(lang="en") == silent.reason.en


def test_remedy_choice_follows_the_evidence() -> None:
    """Phones in the evidence choose the phone policy; nothing chooses the first remedy."""
    assert readiness.choose_remedy(B, ["私物のスマホは禁止"]).id == "ability.phone-policy"
    assert readiness.choose_remedy(B, []).id == "ability.shared-terminals"
    with pytest.raises(ValueError, match="no remedy"):
        readiness.choose_remedy(B, [], catalogue=())
    elements = {r.element for r in readiness.remedy_catalogue()}
    assert elements == set(Element)


def test_gap_report_shows_the_barriers() -> None:
    """The gap report carries the barriers in Markdown, HTML and JSON valid against its schema."""
    hearings, questions, faq = _field()
    barriers = readiness.department_barriers(
        ["製造部", "物流センター"], hearings=hearings, questions=questions, faq=faq
    )
    report = bm.GapReport.from_assessment(
        bm.Assessment("chat-migration", dt.date(2027, 6, 30)), barriers=barriers
    )
    assert "共用端末" in report.to_markdown(lang="ja")
    assert "shared terminals" in report.to_html(lang="en")
    data = json.loads(report.to_json())
    jsonschema.Draft202012Validator(schema("gap_report")).validate(data)
    assert [b["department"] for b in data["barriers"]] == ["物流センター", "製造部"]
    empty = bm.GapReport.from_assessment(bm.Assessment("chat-migration", dt.date(2027, 6, 30)))
    assert "Flagged departments: barrier" not in empty.to_markdown(lang="en")
    assert "Flagged departments: barrier" in report.to_markdown(lang="en")
    assert json.loads(empty.to_json())["barriers"] == []


def test_no_flagged_department_section() -> None:
    """The barrier section says so when no department is flagged."""
    text = readiness.report.barriers_markdown((), lang="en")
    assert "No department is flagged" in text


# -- instrument ---------------------------------------------------------------------------


def test_instrument_has_two_or_three_statements_per_element() -> None:
    """Each element has 2-3 statements in both languages, plus the free-text question."""
    for element in Element:
        assert 2 <= len(INSTRUMENT.of(element)) <= 3
    assert INSTRUMENT.free_text is not None
    assert repr(INSTRUMENT) == "<Instrument 'readiness-v1' statements=12>"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_instrument_exports(tmp_path: Path, lang: Lang) -> None:
    """The form exports as CSV, xlsx and a Google Apps Script, one row per question."""
    csv_path = INSTRUMENT.write(tmp_path / "form.csv", lang=lang)
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 1 + 12 + 1
    assert rows[1][0] == INSTRUMENT.statements[0].text(lang)
    xlsx = INSTRUMENT.write(tmp_path / "form.xlsx", lang=lang)
    assert xlsx.read_bytes()[:2] == b"PK"
    script = INSTRUMENT.write(tmp_path / "form.gs", lang=lang).read_text(encoding="utf-8")
    assert script.count("addMultipleChoiceItem") == 12
    assert "addParagraphTextItem" in script
    with pytest.raises(UnsupportedFormatError):
        INSTRUMENT.write(tmp_path / "form.docx", lang=lang)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.csv", "form.gs", "form.xlsx"]


def test_instrument_rejects_gaps() -> None:
    """An instrument without a statement for some element, or with duplicate ids, is refused."""
    first = INSTRUMENT.statements[0]
    with pytest.raises(bm.exceptions.FieldValueError, match="desire"):
        readiness.Instrument("x", INSTRUMENT.title, INSTRUMENT.intro, (first,))
    with pytest.raises(bm.exceptions.FieldValueError, match="duplicate"):
        readiness.Instrument(
            "x", INSTRUMENT.title, INSTRUMENT.intro, (*INSTRUMENT.statements, first)
        )


# -- HR -------------------------------------------------------------------------------------


def _roster(tmp_path: Path) -> Path:
    return _write_csv(
        tmp_path / "managers.csv",
        ["manager", "department", "last_one_on_one", "one_on_ones"],
        [
            ["r9@x.example", "製造部", "2027-05-01", ""],
            ["r1@x.example", "営業部", "2027-06-20", ""],
            ["m3@x.example", "営業部", "", "0"],
            ["m4@x.example", "営業部", "2027-01-01", "2"],
            ["m5@x.example", "", "", ""],
        ],
    )


def test_hr_list_needs_the_hr_audience(tmp_path: Path) -> None:
    """Only audience='hr' gets the list; any other audience is refused."""
    records = readiness.read_manager_roster(_roster(tmp_path))
    for audience in ("department_head", "dashboard", "HR "):
        with pytest.raises(AudienceError) as caught:
            readiness.managers_without_one_on_one(
                records, audience=audience, as_of=dt.date(2027, 6, 30)
            )
        assert caught.value.allowed == "hr"
        assert isinstance(caught.value, PermissionError)


def test_hr_list_names_managers_without_a_one_on_one(tmp_path: Path) -> None:
    """Managers with no 1on1 in 30 days are listed with their survey barrier, confidentially."""
    records = readiness.read_manager_roster(_roster(tmp_path))
    report = readiness.managers_without_one_on_one(
        records, audience="hr", as_of=dt.date(2027, 6, 30), survey=_hand()
    )
    rows = {r.manager: r for r in report.managers}
    assert set(rows) == {"r9@x.example", "m3@x.example", "m5@x.example"}
    assert rows["r9@x.example"].barrier is B
    assert rows["r9@x.example"].surveyed
    assert not rows["m3@x.example"].surveyed
    assert report.confidential
    assert report.audience == "hr"
    assert "機密" in report.to_markdown(lang="ja")
    assert "Confidential" in report.to_markdown(lang="en")
    assert "Confidential" in report.to_html(lang="en")
    assert "CONFIDENTIAL" in repr(report)
    assert "r1@x.example" not in report.to_json()
    empty = readiness.managers_without_one_on_one((), audience="hr", as_of=dt.date(2027, 6, 30))
    assert "Every manager" in empty.to_markdown(lang="en")
    with pytest.raises(ValueError, match="window_days"):
        readiness.managers_without_one_on_one(
            (), audience="hr", as_of=dt.date(2027, 6, 30), window_days=0
        )


def test_hr_roster_errors_name_the_line(tmp_path: Path) -> None:
    """A bad date, a bad count, a blank or repeated manager are errors naming the line."""
    path = _write_csv(
        tmp_path / "bad.csv",
        ["manager", "last_one_on_one", "one_on_ones"],
        [["a", "June", ""], ["a", "", ""], ["", "2027-01-01", ""], ["b", "", "-1"], ["c", "", "x"]],
    )
    with pytest.raises(LoadError) as caught:
        readiness.read_manager_roster(path)
    text = str(caught.value)
    assert "bad.csv:2 last_one_on_one" in text
    assert "bad.csv:3 manager" in text
    assert "bad.csv:4 manager: blank manager" in text
    assert "bad.csv:5 one_on_ones" in text
    with pytest.raises(LoadError, match="'manager'"):
        readiness.read_manager_roster(_write_csv(tmp_path / "m.csv", ["name"], [["x"]]))
    with pytest.raises(LoadError, match="last_one_on_one"):
        readiness.read_manager_roster(_write_csv(tmp_path / "n.csv", ["manager"], [["x"]]))


def test_hr_records_from_a_calendar() -> None:
    """A calendar's 1on1 meetings give each organiser's latest one; silent managers are kept."""
    records = readiness.records_from_calendar(
        [("a", dt.date(2027, 6, 1)), ("a", dt.date(2027, 6, 20)), ("b", dt.date(2027, 4, 1))],
        {"c": "営業部"},
    )
    assert [(r.manager, r.last_one_on_one) for r in records] == [
        ("a", dt.date(2027, 6, 20)), ("b", dt.date(2027, 4, 1)), ("c", None),
    ]  # fmt: skip
    report = readiness.managers_without_one_on_one(
        records, audience="hr", as_of=dt.date(2027, 6, 30)
    )
    assert [r.manager for r in report.managers] == ["b", "c"]


def test_readiness_report_csv_is_the_barrier_table() -> None:
    """The report's CSV is the latest round's barrier table, one row per published group."""
    summary = readiness.summarise_round(_hand(), parents={"法務課": "営業部"})
    report = readiness.ReadinessReport.build([summary])
    text = report.to_bytes("csv", lang="en").decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][:3] == ["Group", "Respondents", "Barrier"]
    assert [row[0] for row in rows[1:]] == ["Company", "営業部", "製造部"]
    assert rows[3][2] == "Ability"
    assert readiness.ReadinessReport.build([]).to_bytes("csv").decode("utf-8-sig") == ""
    assert "rounds=1" in repr(report)


def test_replanned_visits_follow_the_barrier() -> None:
    """A replanned visit to a flagged department carries its barrier's remedy as its purpose."""
    hearings, questions, faq = _field()
    barriers = readiness.department_barriers(
        ["製造部", "経理部"], hearings=hearings, questions=questions, faq=faq
    )
    purposes = readiness.visit_purposes(barriers)
    assert set(purposes) == {"製造部"}
    plan = bm.Plan.from_playbook(
        bm.load_playbook("chat-migration"),
        start=dt.date(2027, 2, 26),
        departments={"製造部": 238, "経理部": 36, "総務部": 38},
    )
    replanned = plan.replan(
        flagged=["製造部", "経理部"], today=dt.date(2027, 7, 1), purposes=purposes
    )
    visits = {
        t.department: t.title
        for t in replanned.tasks
        if t.task == "visit-lagging-departments" and t.department
    }
    assert visits["製造部"] == purposes["製造部"]
    assert "共用端末" in visits["製造部"].ja
    assert visits["経理部"].en == "Visit each lagging department and ask why"
    assert replanned.purposes == (("製造部", purposes["製造部"]),)


def test_quoted_comments_carry_their_element(tmp_path: Path) -> None:
    """A quoted free-text answer is shown with the element its words speak to."""
    rows = _hand_rows()
    body = [[r[0], *r[3:-1], "PCがない"] for r in rows[1:]]
    path = _write_csv(tmp_path / "c.csv", [rows[0][0], *rows[0][3:]], body)
    summary = readiness.summarise_round(readiness.read_responses(path))
    text = readiness.ReadinessReport.build([summary]).to_markdown(lang="ja")
    assert "PCがない (実行)" in text


@given(st.randoms(use_true_random=False))
def test_summary_does_not_depend_on_the_order_of_answers(rng: random.Random) -> None:
    """Shuffling the respondents gives the same summary (comments compared as sets)."""
    survey = _hand()
    shuffled = list(survey.responses)
    rng.shuffle(shuffled)
    parents = {"法務課": "営業部"}
    first = readiness.summarise_round(survey, parents=parents)
    again = readiness.summarise_round(
        attrs.evolve(survey, responses=tuple(shuffled)), parents=parents
    )
    assert first == again
    assert repr(first) == "<RoundSummary 'r1' 2027-06-13 respondents=11 groups=2>"


@given(st.permutations(["製造部", "物流センター", "名古屋営業所"]))
def test_department_barriers_do_not_depend_on_the_order_of_flags(order: list[str]) -> None:
    """The flagged departments come back sorted, whatever order they were given in."""
    hearings, questions, _ = _field()
    found = readiness.department_barriers(order, hearings=hearings, questions=questions)
    assert [b.department for b in found] == sorted(order)


def test_merged_header_cells_in_a_workbook_are_an_error(tmp_path: Path) -> None:
    """A header cell merged over two columns leaves the second blank: an error naming it."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Timestamp", "Department", "", *_statements("en")])
    sheet.merge_cells("B1:C1")
    sheet.append(["2027-06-01 09:00:00", "Plant", "x", *(["4"] * 12)])
    path = tmp_path / "merged.xlsx"
    book.save(path)
    with pytest.raises(LoadError, match=r"merged\.xlsx:1:3 blank header"):
        readiness.read_responses(path)


def test_readiness_from_an_inputs_folder(tmp_path: Path) -> None:
    """Every readiness-survey* file is a round; the latest decides; missing logs are left out."""
    rows = _hand_rows()
    _write_csv(tmp_path / "readiness-survey-2027-09.csv", rows[0], rows[1:])
    (tmp_path / "readiness-survey-notes.txt").write_text("not a round", encoding="utf-8")
    departments = [
        Department("営業部", headcount=120),
        Department("製造部", headcount=300),
        Department("法務課", headcount=10, parent="営業部"),
    ]
    report = readiness.readiness_from_inputs(
        tmp_path, flagged={"製造部"}, departments=departments, as_of=dt.date(2027, 9, 30)
    )
    assert [r.round for r in report.rounds] == ["2027-09"]
    (barrier,) = report.barriers
    assert barrier.element is B
    assert [s.source.value for s in barrier.sources] == ["survey"]
    plain = tmp_path / "plain"
    plain.mkdir()
    _write_csv(plain / "readiness-survey.csv", rows[0], rows[1:])
    again = readiness.readiness_from_inputs(
        plain, flagged=(), departments=departments, as_of=dt.date(2027, 9, 30)
    )
    assert [r.round for r in again.rounds] == ["2027-06"]
    assert again.barriers == ()


def test_one_on_one_sample_roster_gives_the_hr_list() -> None:
    """The Case B sample roster: three managers held no 1on1 in the 30 days to 31 July 2024."""
    records = readiness.read_manager_roster(sample_file("one-on-one/managers.csv"))
    report = readiness.managers_without_one_on_one(
        records, audience="hr", as_of=dt.date(2024, 7, 31)
    )
    assert [row.manager for row in report.managers] == [
        "mgr-sales-02@sample.example",
        "mgr-plant-01@sample.example",
        "mgr-plant-02@sample.example",
    ]
    assert all(row.department in {"営業部", "製造部"} for row in report.managers)


@pytest.mark.parametrize(
    "stamp",
    ["2027/06/14 9:07:00", "6/14/2027 9:07:00 AM GMT+9", "6/14/27 21:07:00", "2027-06-14T09:07:00"],
)
def test_forms_timestamps_give_the_round_date(tmp_path: Path, stamp: str) -> None:
    """The timestamp styles of Google Forms and Microsoft Forms exports give the round's date."""
    path = _write_csv(tmp_path / "t.csv", ["Timestamp", *_statements("en")], [[stamp, *["4"] * 12]])
    assert readiness.read_responses(path).held_on == dt.date(2027, 6, 14)


def test_hr_roster_from_a_workbook_with_typed_cells(tmp_path: Path) -> None:
    """Date, datetime and float cells of an xlsx roster are read; a ready manager says so."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["manager", "department", "last_one_on_one", "one_on_ones"])
    sheet.append(["r1@x.example", "営業部", dt.datetime(2027, 5, 1, 10), None])
    sheet.append(["r2@x.example", "営業部", dt.date(2027, 6, 25), 0.0])
    sheet.append(["r3@x.example", "営業部", None, 2.0])
    path = tmp_path / "managers.xlsx"
    book.save(path)
    records = readiness.read_manager_roster(path)
    assert [(r.last_one_on_one, r.one_on_ones) for r in records] == [
        (dt.date(2027, 5, 1), None),
        (dt.date(2027, 6, 25), 0),
        (None, 2),
    ]
    report = readiness.managers_without_one_on_one(
        records, audience="hr", as_of=dt.date(2027, 6, 30), survey=_hand()
    )
    assert [r.manager for r in report.managers] == ["r1@x.example", "r2@x.example"]
    assert "| r1@x.example | 営業部 | 2027-05-01 | No barrier |" in report.to_markdown(lang="en")

"""The decision decks: figures from the run's reports, Japanese fonts, fitting text, bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import stat
import sys
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]
from pptx import Presentation
from pptx.util import Pt

import backoffice_marketing as bm
from backoffice_marketing import decks, samples
from backoffice_marketing.adoption.exit_criteria import ExitRule, OutcomeEvaluation, OutcomeStatus
from backoffice_marketing.app.cli import main
from backoffice_marketing.app.demo import write_demo
from backoffice_marketing.decks.figures import format_value, resolve
from backoffice_marketing.decks.fit import MIN_POINTS, Box, text_width, wrap
from backoffice_marketing.decks.layout import BODY, split_lines
from backoffice_marketing.decks.pptx_writer import FONT_STACK, notes_text
from backoffice_marketing.decks.sample import DEMO_REPORTS
from backoffice_marketing.exceptions import LoadError, MissingExtraError, UnsafeWriteError
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.workspace.deck_inputs import _cutover, inputs_from_state
from backoffice_marketing.workspace.ingest import RateRow
from backoffice_marketing.workspace.run import load_state

AS_OF = dt.date(2027, 6, 30)
KINDS = ("approval", "cutover")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's output folder (one run: its JSON reports and its two decks)."""
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder)
    return folder


def _slide_texts(pptx: bytes | Path) -> list[str]:
    """The text of every shape of every slide (tables included), one string per slide."""
    source = io.BytesIO(pptx) if isinstance(pptx, bytes) else str(pptx)
    out: list[str] = []
    for slide in Presentation(source).slides:
        parts: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append("\n".join(parts))
    return out


def _notes(pptx: Path) -> list[str]:

    return [s.notes_slide.notes_text_frame.text for s in Presentation(str(pptx)).slides]


def _reports(folder: Path, deck_json: dict[str, Any]) -> dict[str, Any]:
    """Each figure source's JSON as the demo wrote it ("deck" is the deck's own JSON)."""
    reports = {
        name: json.loads((folder / path).read_text(encoding="utf-8"))
        for name, path in DEMO_REPORTS.items()
    }
    reports["deck"] = deck_json
    return reports


def _inputs(**changes: Any) -> decks.DeckInputs:
    initiative = bm.Initiative.example()
    values: dict[str, Any] = {"initiative": initiative, "plan": initiative.plan(), "as_of": AS_OF}
    values.update(changes)
    return decks.DeckInputs(**values)


def _costs_text(**overrides: str) -> str:
    values = {
        "hourly_cost": "4000",
        "per_person_per_month": "550",
        "hours_per_person": "1.5",
        "hours_saved_per_person_per_week": "0.5",
    }
    values.update(overrides)
    lines = ["schema_version = 1"]
    if values["hourly_cost"]:
        lines.append(f"hourly_cost = {values['hourly_cost']}")
    lines += [
        "[licence]",
        f"per_person_per_month = {values['per_person_per_month']}",
        "[training]",
        f"hours_per_person = {values['hours_per_person']}",
        "[benefit]",
        f"hours_saved_per_person_per_week = {values['hours_saved_per_person_per_week']}",
    ]
    return "\n".join(lines) + "\n"


# -- every figure agrees with the JSON reports of the same run ---------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_figure_is_the_value_of_its_report_field(demo: Path, kind: str) -> None:
    """Each figure's text is its report field's value, formatted, and is on its slide."""
    deck_json = json.loads((demo / "decks" / f"{kind}.json").read_text(encoding="utf-8"))
    reports = _reports(demo, deck_json)
    texts = _slide_texts(demo / "decks" / f"{kind}.pptx")
    assert len(texts) == len(deck_json["slides"])
    checked = 0
    for text, slide in zip(texts, deck_json["slides"], strict=True):
        for figure in slide.get("figures", ()):
            value = resolve(reports[figure["source"]], figure["field"])
            assert format_value(value, figure["format"]) == figure["text"], figure
            assert figure["text"] in text, (figure, text)
            checked += 1
    assert checked >= (25 if kind == "approval" else 20)


@pytest.mark.parametrize("kind", KINDS)
def test_no_number_on_a_slide_comes_from_nowhere(demo: Path, kind: str) -> None:
    """Every number in a slide's text is a figure's, or inside a name, quote or axis label."""
    deck_json = json.loads((demo / "decks" / f"{kind}.json").read_text(encoding="utf-8"))
    texts = _slide_texts(demo / "decks" / f"{kind}.pptx")
    for text, slide in zip(texts, deck_json["slides"], strict=True):
        rest = text
        sources = [
            *(f["text"] for f in slide.get("figures", ())),
            *slide.get("verbatim", ()),
            deck_json["as_of"],
            deck_json["title"],
        ]
        for source in sorted(sources, key=len, reverse=True):
            rest = rest.replace(source, " ")
        assert _NUMBER.findall(rest) == [], (slide["title"], rest)


@pytest.mark.parametrize("kind", KINDS)
def test_speaker_notes_name_the_source_of_each_figure(demo: Path, kind: str) -> None:
    """The notes name each figure's report, field and as-of date."""
    deck_json = json.loads((demo / "decks" / f"{kind}.json").read_text(encoding="utf-8"))
    notes = _notes(demo / "decks" / f"{kind}.pptx")
    for note, slide in zip(notes, deck_json["slides"], strict=True):
        for figure in slide.get("figures", ()):
            assert f"{figure['source']}.json, {figure['field']}" in note
            if figure.get("as_of"):
                assert figure["as_of"] in note


def test_the_demo_decks_hold_the_asked_slides(demo: Path) -> None:
    """The approval deck has 8 to 10 slides in 16:9; the cut-over deck has each part."""
    approval = json.loads((demo / "decks" / "approval.json").read_text(encoding="utf-8"))
    cutover = json.loads((demo / "decks" / "cutover.json").read_text(encoding="utf-8"))
    assert 8 <= len(approval["slides"]) <= 10
    assert [s["key"] for s in approval["slides"]][:2] == ["decision", "voice"]
    assert {s["key"] for s in approval["slides"]} >= {
        "decision", "voice", "hearings", "baseline", "costs", "risks", "timeline", "team",
    }  # fmt: skip
    assert {s["key"] for s in cutover["slides"]} >= {
        "decision", "company", "departments", "stranded", "dates", "exceptions",
    }  # fmt: skip
    presentation = Presentation(str(demo / "decks" / "approval.pptx"))
    assert presentation.slide_width is not None
    assert presentation.slide_height is not None
    assert presentation.slide_width * 9 == presentation.slide_height * 16
    assert not any(s.get("missing") for s in approval["slides"])


# -- Japanese as PowerPoint expects it, and nothing overflows ----------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_run_names_an_east_asian_and_a_latin_font(demo: Path, kind: str) -> None:
    """Every run's properties carry a:latin and a:ea from the font stack, and lang ja-JP."""
    with zipfile.ZipFile(demo / "decks" / f"{kind}.pptx") as package:
        names = [n for n in package.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        assert names

        runs = 0
        for name in names:
            root = etree.fromstring(package.read(name))
            for run in root.iter(f"{_A}r"):
                properties = run.find(f"{_A}rPr")
                assert properties is not None
                assert properties.get("lang") == "ja-JP"
                assert properties.find(f"{_A}ea").get("typeface") in FONT_STACK
                assert properties.find(f"{_A}latin").get("typeface") in FONT_STACK
                runs += 1
        assert runs > 20
        presentation = package.read("ppt/presentation.xml").decode("utf-8")
        assert 'lang="ja-JP"' in presentation
        themes = [n for n in package.namelist() if n.startswith("ppt/theme/")]
        assert any('script="Jpan"' in package.read(n).decode("utf-8") for n in themes)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_text_overflows_its_box(demo: Path, kind: str, lang: Lang) -> None:
    """Measured text fits every box and table cell, never below 14 pt, in both languages."""
    folder = demo / "decks"
    path = folder / f"{kind}.pptx"
    if lang == "en":
        reports = {
            k: json.loads((demo / v).read_text(encoding="utf-8")) for k, v in DEMO_REPORTS.items()
        }
        inputs = _inputs(
            voice=reports["voice_report"],
            gaps=reports["gap_report"],
            cutover=reports["cutover_advice"],
            costs=decks.load_costs(demo / "inputs" / "costs.toml"),
        )
        data = decks.build_deck(inputs, kind, lang="en").to_bytes("pptx")
        assert decks.overflows(data) == ()
    else:
        assert decks.overflows(path) == ()


def test_overflow_check_finds_a_box_too_small(tmp_path: Path) -> None:
    """A pptx with a long text in a small box, or a tiny size, is reported."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, Pt(100), Pt(30))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "社内連絡をメールからチャットへ移す理由を説明します" * 3
    run.font.size = Pt(18)
    small = slide.shapes.add_textbox(0, Pt(100), Pt(400), Pt(100))
    tiny = small.text_frame.paragraphs[0].add_run()
    tiny.text = "小さい文字"
    tiny.font.size = Pt(10)
    presentation.save(str(tmp_path / "bad.pptx"))
    found = decks.overflows(tmp_path / "bad.pptx")
    assert len(found) == 2
    assert found[0].needed > found[0].available
    assert found[1].size == 10
    assert "slide 1" in str(found[0])


def test_long_content_is_split_onto_further_slides_not_shrunk() -> None:
    """Forty exceptions go onto continuation slides at 14 pt or more, none overflowing."""
    costs = decks.Costs(
        hourly_cost=4000,
        licence=decks.Licence(550),
        training=decks.Training(1.5),
        benefit=decks.Benefit(0.5),
        exceptions=tuple(
            bm.LocalizedText(f"例外 {n}: 社外とのメールは続けます。" * 2, f"Exception {n}.")
            for n in range(40)
        ),
    )
    deck = decks.cutover_deck(_inputs(costs=costs))
    parts = [s for s in deck.slides if s.key == "exceptions"]
    assert len(parts) >= 2
    assert parts[1].title.endswith("(続き)")
    assert all(s.size >= MIN_POINTS for s in deck.slides)
    assert decks.overflows(deck.to_bytes("pptx")) == ()


# -- byte-identical files -----------------------------------------------------------------------


def test_same_inputs_give_byte_identical_files(demo: Path) -> None:
    """Two builds give the same bytes; the zip has sorted entries and fixed dates."""
    inputs = _inputs(costs=decks.load_costs(demo / "inputs" / "costs.toml"))
    first = decks.approval_deck(inputs).to_bytes("pptx")
    second = decks.approval_deck(inputs).to_bytes("pptx")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        names = package.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in package.infolist()} == {(2027, 6, 30, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode("utf-8")
    assert "2027-06-30T00:00:00Z" in core
    later = decks.approval_deck(_inputs(as_of=AS_OF + dt.timedelta(days=1))).to_bytes("pptx")
    assert later != first


# -- missing data and bad input -----------------------------------------------------------------


def test_slides_without_data_say_what_is_missing() -> None:
    """Without voice, diagnosis, adoption or costs, each slide names what is missing."""
    approval = decks.approval_deck(_inputs())
    cutover = decks.cutover_deck(_inputs(), lang="en")
    missing = {s.key: s.missing for s in (*approval.slides, *cutover.slides) if s.missing}
    assert {"voice", "hearings", "costs", "risks", "team", "company", "departments"} <= set(missing)
    assert "costs.toml" in (missing["costs"] or "")
    assert "usage.csv" in (missing["company"] or "")
    assert not any(s.bars or s.table for s in cutover.slides)
    text = "\n".join(_slide_texts(approval.to_bytes("pptx")))
    assert "hearings.csv" in text
    assert "未記入" in text  # the owner is not named


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hourly_cost": ""}, "hourly_cost"),
        ({"hourly_cost": "0"}, "hourly_cost"),
        ({"per_person_per_month": "-550"}, "licence.per_person_per_month"),
        ({"hours_per_person": "5000"}, "training.hours_per_person"),
        ({"hours_saved_per_person_per_week": "nan"}, "benefit.hours_saved_per_person_per_week"),
    ],
)
def test_bad_costs_are_an_error_naming_file_line_and_field(
    tmp_path: Path, overrides: dict[str, str], field: str
) -> None:
    """Missing, zero, negative or absurd values are a LoadError with file, line and field."""
    path = tmp_path / "costs.toml"
    path.write_text(_costs_text(**overrides), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        decks.load_costs(path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("costs.toml")
    assert problem.path == field
    assert (problem.line is None) == ("" in overrides.values())  # a missing key has no line
    assert f"{problem.file}:" in str(caught.value) or problem.line is None


def test_another_currency_is_refused(tmp_path: Path) -> None:
    """Amounts are labelled in yen, so a costs.toml in another currency is an error."""
    path = tmp_path / "costs.toml"
    path.write_text(
        _costs_text().replace("schema_version = 1", 'schema_version = 1\ncurrency = "USD"'),
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="currency"):
        decks.load_costs(path)


def test_internal_email_above_all_email_is_an_error(tmp_path: Path) -> None:
    """A baseline whose internal hours exceed all email hours is refused with its line."""
    path = tmp_path / "costs.toml"
    text = _costs_text() + "[baseline]\nemail_hours_per_day = 1.0\ninternal_hours_per_day = 2.0\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match="internal_hours_per_day"):
        decks.load_costs(path)


def test_absurd_payback_is_a_visible_warning_on_the_slide(tmp_path: Path) -> None:
    """A 400-year payback, or none, is a red warning on the costs slide, not dropped."""
    path = tmp_path / "costs.toml"
    path.write_text(
        _costs_text(per_person_per_month="0", hours_saved_per_person_per_week="0.0001"),
        encoding="utf-8",
    )
    slow = decks.load_costs(path)
    case = decks.business_case(slow, headcount=1400)
    assert case.payback_months is not None
    assert case.payback_months > decks.MAX_PAYBACK_MONTHS
    deck = decks.approval_deck(_inputs(costs=slow))
    (costs_slide,) = [s for s in deck.slides if s.key == "costs"]
    assert costs_slide.warnings
    assert costs_slide.warnings[0] in "\n".join(_slide_texts(deck.to_bytes("pptx")))
    never = decks.business_case(attrs_evolve_licence(slow, 10_000), headcount=10)
    assert never.payback_months is None
    assert len(never.warnings) == 1
    with pytest.raises(bm.exceptions.FieldValueError):
        decks.business_case(slow, headcount=0)


def attrs_evolve_licence(costs: decks.Costs, per_month: float) -> decks.Costs:
    """The same costs with another licence price."""
    return attrs.evolve(costs, licence=decks.Licence(per_month))


def test_halved_benefit_that_never_pays_back_is_warned() -> None:
    """When only the halved benefit fails to pay back, the sensitivity line says so."""
    costs = decks.Costs(4000, decks.Licence(1000), decks.Training(1), decks.Benefit(0.1))
    case = decks.business_case(costs, headcount=100)
    assert case.payback_months is not None
    assert case.payback_months_halved is None
    deck = decks.approval_deck(_inputs(costs=costs), lang="en")
    text = "\n".join(_slide_texts(deck.to_bytes("pptx")))
    assert "With half the benefit: never pays back" in text
    assert "Warning: with half the benefit" in text


def test_the_deck_refuses_a_symlink_and_a_read_only_target(tmp_path: Path) -> None:
    """The safe writer's rules hold: no write through a symlink or over a read-only file."""
    deck = decks.approval_deck(_inputs())
    real = tmp_path / "real.pptx"
    real.write_bytes(b"keep")
    link = tmp_path / "link.pptx"
    link.symlink_to(real)
    with pytest.raises(UnsafeWriteError):
        deck.write(link)
    assert real.read_bytes() == b"keep"
    locked = tmp_path / "locked.pptx"
    locked.write_bytes(b"keep")
    locked.chmod(stat.S_IRUSR)
    try:
        if os.access(locked, os.W_OK):  # pragma: no cover - running as root
            pytest.skip("root may write read-only files")
        with pytest.raises(UnsafeWriteError):
            deck.write(locked)
        assert locked.read_bytes() == b"keep"
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_missing_extra_names_the_deck_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-pptx, drawing a deck raises MissingExtraError naming [deck]."""
    deck = decks.approval_deck(_inputs())
    monkeypatch.setitem(sys.modules, "pptx", None)
    with pytest.raises(MissingExtraError, match=r"\[deck\]"):
        deck.to_bytes("pptx")


def test_barriers_are_shown_when_present() -> None:
    """A barrier shows in the table; on track shows a dash, the others "not assessed"."""
    weeks = (dt.date(2027, 6, 7), dt.date(2027, 6, 14))
    rates = {"東京営業部": (weeks, (0.5, 0.6)), "製造部": (weeks, (0.2, 0.3))}
    rates["情報システム部"] = (weeks, (0.95, 1.0))
    rates["物流センター"] = (weeks, (0.2, 0.25))
    advice = bm.adoption.cutover_advice(rates, calendar="JP")
    barrier = bm.LocalizedText("知識: 使い方が分からない", "Knowledge: not sure how")
    deck = decks.cutover_deck(_inputs(cutover=advice, barriers={"製造部": barrier}), lang="en")
    (table,) = [s.table for s in deck.slides if s.key == "departments"]
    rows = {row[0]: (row[2], row[3]) for row in table[1:]}
    assert rows["製造部"][1] == "Knowledge: not sure how"
    assert rows["情報システム部"] == ("On track", "—")
    assert rows["物流センター"] == ("Lagging", "not assessed")
    assert any(s.key == "dates" and s.missing for s in deck.slides)


# -- measuring text -----------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("あいうえお漢字カナ、。abcdefXYZ 0123456789%(),.")), max_size=200
)


@given(_TEXT, st.floats(min_value=40, max_value=900), st.sampled_from([14, 18, 24]))
def test_wrapped_lines_fit_and_keep_every_character(text: str, width: float, size: int) -> None:
    """Each wrapped line fits the width (or is one character), and no visible character is lost."""
    lines = wrap(text, width, size)
    assert lines
    for line in lines:
        assert text_width(line, size) <= width or len(line) <= 1
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(st.lists(_TEXT, max_size=30))
def test_split_lines_chunks_each_fit_the_body(lines: list[str]) -> None:
    """Split lines keep their order, and every chunk fits the body at the chosen size."""
    size, chunks = split_lines(lines)
    assert [line for chunk in chunks for line in chunk] == lines
    assert size >= MIN_POINTS
    room = BODY.room
    for chunk in chunks:
        assert len(chunk) == 1 or room.holds([(line, size) for line in chunk])


def _cjk_font() -> Path | None:
    for folder in ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"):
        for name in ("NotoSansCJK-Regular.ttc", "NotoSansCJKjp-Regular.otf"):
            if (Path(folder) / name).is_file():
                return Path(folder) / name
    return None


@pytest.mark.parametrize(
    "text",
    [
        "社内連絡のメールからチャットへの移行",
        "Moving internal communication from email to chat",
        "全社の利用率: 81%(2027-06-28の週)",
        "WWW MMM @@@ %%% 1,400,000 JPY",
    ],
)
def test_the_width_estimate_is_wider_than_a_real_cjk_font(text: str) -> None:
    """The estimate is never narrower than Noto Sans CJK's real glyph advance widths."""
    font_path = _cjk_font()
    if font_path is None:
        pytest.skip("no Noto Sans CJK font installed")
    image_font = pytest.importorskip("PIL.ImageFont")
    font = image_font.truetype(str(font_path), 100, index=0)
    assert text_width(text, 100) >= font.getlength(text)


def test_box_fits_picks_the_largest_size() -> None:
    """fits() gives the largest size that fits, or None when even 14 pt is too big."""
    box = Box(200, 40)
    assert decks.fit.fits(["短い"], box, [24, 18, 14]) == 24
    assert decks.fit.fits(["長い" * 200], box, [24, 18, 14]) is None


# -- workspace and command line -----------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The example workspace with the sample costs.toml."""
    folder = tmp_path / "ws"
    assert main(["init", str(folder), "--example"]) == 0
    shutil.copyfile(samples.sample_file("chat-migration/costs.toml"), folder / "costs.toml")
    return folder


def test_the_deck_command_writes_both_decks(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`deck FOLDER --kind approval -o 経営会議.pptx` writes a pptx; cutover writes JSON too."""
    target = workspace.parent / "経営会議.pptx"
    assert main(["deck", str(workspace), "--kind", "approval", "-o", str(target)]) == 0
    assert target.read_bytes()[:2] == b"PK"
    assert decks.overflows(target) == ()
    assert "wrote" in capsys.readouterr().err
    summary = workspace.parent / "cutover.json"
    code = main(
        ["deck", str(workspace), "--kind", "cutover", "--today", "2027-06-30", "-o", str(summary)]
    )
    assert code == 0
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["kind"] == "cutover"
    assert any(s.get("missing") for s in data["slides"])  # no usage imported yet


def test_the_deck_command_never_overwrites_an_input(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o onto a file in inputs/ or onto the --costs file itself is refused (exit 2)."""
    guarded = workspace / "inputs" / "hearings.json"
    guarded.write_text("{}", encoding="utf-8")
    assert main(["deck", str(workspace), "--kind", "approval", "-o", str(guarded)]) == 2
    assert guarded.read_text(encoding="utf-8") == "{}"
    costs = workspace.parent / "costs.json"
    document = {
        "schema_version": 1,
        "hourly_cost": 4000,
        "licence": {"per_person_per_month": 550},
        "training": {"hours_per_person": 1},
        "benefit": {"hours_saved_per_person_per_week": 0.5},
    }
    costs.write_text(json.dumps(document), encoding="utf-8")
    before = costs.read_bytes()
    code = main(
        ["deck", str(workspace), "--kind", "approval", "--costs", str(costs), "-o", str(costs)]
    )
    assert code == 2
    assert costs.read_bytes() == before
    assert "input" in capsys.readouterr().err


def test_bad_costs_in_a_workspace_are_a_clear_error(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A costs.toml with hourly cost 0 stops the command with its file and line."""
    (workspace / "costs.toml").write_text(_costs_text(hourly_cost="0"), encoding="utf-8")
    assert (
        main(["deck", str(workspace), "--kind", "approval", "-o", str(workspace / "x.pptx")]) == 2
    )
    error = capsys.readouterr().err
    assert "costs.toml:2" in error
    assert "hourly_cost" in error
    assert not (workspace / "x.pptx").exists()


def test_workspace_deck_reads_the_workspace(workspace: Path) -> None:
    """Workspace.deck writes the deck with the workspace's voice, plan and costs."""
    with bm.Workspace.open(workspace) as opened:
        path = opened.deck(
            "approval", workspace / "reports" / "approval.json", lang="en", today=AS_OF
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = {s["key"]: s for s in data["slides"]}
    assert keys["voice"].get("missing") is None
    assert keys["costs"]["lines"]
    assert data["lang"] == "en"


# -- edge inputs, given as the reports' JSON ----------------------------------------------------

_VOICE: dict[str, Any] = {
    "as_of": "2027-06-30",
    "themes": [],
    "stats": {"received": 0, "replied": 0},
    "coverage": {
        "heard": ["製造部"],
        "departments": ["製造部", "名古屋営業所"],
        "headcount": 242,
        "headcount_heard": 238,
    },
    "findings": [
        {"departments": ["製造部"], "quotes": ["伏せた声"], "quotes_withheld": True},
        {"departments": ["名古屋営業所"], "quotes": ["小さな集団の声"]},
        {"departments": [], "quotes": ["部署のない声"]},
        {"departments": ["製造部"], "quotes": []},
        {"departments": ["製造部"], "quotes": ["現場の声"]},
        {"departments": ["製造部"], "quotes": ["同じ部署の二つ目"]},
    ],
}
_GAPS: dict[str, Any] = {
    "date": "2027-06-30",
    "failure_modes": [
        {"failure_mode": "research", "score": 0.2, "status": "gap"},
        {"failure_mode": "materials", "score": None, "status": "unanswered"},
    ],
    "remedies": [{"failure_mode": "research", "actions": []}],
}
_ADVICE: dict[str, Any] = {
    "company": [["2027-06-07", 0.5]],
    "majority": 0.7,
    "target": 0.9,
    "notice_days": 20,
    "declaration": "2027-07-20",
    "declaration_observed": False,
    "declaration_earliest": "2027-07-13",
    "declaration_latest": "2027-08-02",
    "enforcement": None,
    "per_department": [
        {"department": "製造部", "rate": 0.3, "standing": "lagging", "at_enforcement": None}
    ],
    "stranded": ["製造部"],
}


def test_edge_inputs_are_shown_with_their_limits() -> None:
    """Withheld and small-group quotes stay out; forecasts, gaps and unplanned work show."""
    initiative = bm.Initiative.example()
    plan = attrs.evolve(initiative.plan(), milestones=())
    measured = decks.Baseline(
        headcount=10,
        hours_per_person_per_day=1.0,
        working_days_per_year=200,
        old_way_share=0.5,
        hours_per_year=1000,
        cost_per_year=None,
        measured=True,
        origin=bm.LocalizedText("メールのログ", "mail logs"),
    )
    never = decks.Costs(4000, decks.Licence(100_000), decks.Training(1), decks.Benefit(0.1))
    inputs = _inputs(
        plan=plan,
        as_of=dt.date(2028, 4, 1),
        voice=_VOICE,
        gaps=_GAPS,
        cutover=_ADVICE,
        baseline=measured,
        costs=never,
    )
    approval = decks.approval_deck(inputs)
    by_key = {s.key: s for s in approval.slides}
    heard = "\n".join(by_key["hearings"].lines)
    assert "現場の声" in heard
    assert "伏せた声" not in heard
    assert "小さな集団の声" not in heard
    assert "同じ部署の二つ目" not in heard
    assert by_key["voice"].missing is not None
    assert any("メールのログ" in line for line in by_key["baseline"].lines)
    assert "回収期間: 回収できません" in by_key["costs"].lines
    assert by_key["decision"].lines[0].startswith("2028-04-01の経営会議")
    assert len(by_key["risks"].lines) == 1
    cutover = decks.cutover_deck(inputs)
    by_key = {s.key: s for s in cutover.slides}
    assert by_key["stranded"].lines[0] == "製造部"
    assert "まだありません" in by_key["stranded"].lines[1]
    dates = by_key["dates"].lines
    assert dates[1] == "(見込み。幅 2027-07-13〜2027-08-02)"
    assert not any("停止" in line for line in dates)
    assert "不足" not in by_key["company"].lines[-1]
    assert by_key["company"].reference == 0.7
    assert decks.overflows(cutover.to_bytes("pptx")) == ()


def test_costs_without_headcounts_say_so() -> None:
    """An initiative without headcounts gets a costs slide naming what is missing."""
    initiative = bm.Initiative.example()
    units = tuple(attrs.evolve(unit, headcount=0) for unit in initiative.departments)
    costs = decks.Costs(4000, decks.Licence(500), decks.Training(1), decks.Benefit(0.5))
    deck = decks.approval_deck(
        _inputs(initiative=attrs.evolve(initiative, departments=units), costs=costs)
    )
    (slide,) = [s for s in deck.slides if s.key == "costs"]
    assert "headcount" in (slide.missing or "")


def test_a_stranded_department_shows_its_own_planned_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stranded department's own tasks ahead are listed with their dates (or their day)."""
    plan = bm.Initiative.example().plan()
    data = plan.to_dict()
    for task in data["tasks"]:
        if task["department"] == "製造部" and task["task"] == "hold-briefings":
            task["finish"] = task["finish"] + dt.timedelta(days=3)
    monkeypatch.setattr(bm.Plan, "to_dict", lambda _self: data)
    inputs = _inputs(plan=plan, cutover=_ADVICE, as_of=plan.start)
    (slide,) = [s for s in decks.cutover_deck(inputs).slides if s.key == "stranded"]
    assert (
        slide.lines[1] == "  予定: 製造部のヒアリングをする(2027-03-10)"
        or "〜" not in slide.lines[1]
    )
    assert "〜" in slide.lines[2]


def test_markdown_and_html_show_the_slides() -> None:
    """The deck's Markdown lists each slide, its lines, warnings and table, escaped."""
    costs = decks.Costs(4000, decks.Licence(100_000), decks.Training(1), decks.Benefit(0.1))
    advice = dict(_ADVICE, per_department=[dict(_ADVICE["per_department"][0], department="a|b")])
    deck = decks.cutover_deck(_inputs(cutover=advice, costs=costs), lang="en")
    markdown = deck.to_markdown()
    assert markdown.startswith("# Ending the old way")
    assert "| a\\|b | 30% |" in markdown
    approval = decks.approval_deck(_inputs(costs=costs))
    text = approval.to_markdown()
    assert "- **注意: 年間の効果がライセンス費用を上回らず" in text
    assert "スケジュール" in text
    assert " – 2027-" in text
    assert "<h1>" in approval.to_html()
    assert repr(approval) == "<Deck approval slides=9 as_of=2027-06-30>"
    assert approval.figures
    assert approval.warnings


def test_workspace_inputs_read_costs_in_inputs_and_rates(workspace: Path) -> None:
    """costs.toml in inputs/ is read; without hearings or questions there is no voice report."""
    (workspace / "costs.toml").rename(workspace / "inputs" / "costs.toml")
    for name in ("hearings.csv", "questions.csv"):
        (workspace / "inputs" / name).unlink()
    with bm.Workspace.open(workspace) as opened:
        state = load_state(opened, today=AS_OF)
    inputs = inputs_from_state(state, workspace)
    assert inputs.costs is not None
    assert inputs.voice is None
    assert inputs.cutover is None
    rows = tuple(
        RateRow(name, f"2027-W{week}", day, day, 50, 25, rate, 0, suppressed)
        for name, suppressed in (("製造部", False), ("other", False), ("法務部", True))
        for week, day, rate in ((23, dt.date(2027, 6, 7), 0.5), (24, dt.date(2027, 6, 14), 0.8))
    )

    advice = _cutover(attrs.evolve(state, rates=rows, classification=None))
    assert [entry.department for entry in advice.per_department] == ["製造部"]


def test_a_word_longer_than_the_line_is_cut() -> None:
    """A run of narrow characters wider than the box is cut into pieces that each fit."""
    lines = wrap("x" * 300, 100, 14)
    assert len(lines) > 3
    assert all(text_width(line, 14) <= 100 for line in lines)


# -- properties of the business case and the costs file -----------------------------------------

_MONEY = st.integers(min_value=0, max_value=100_000)
_HOURS = st.integers(min_value=1, max_value=400).map(lambda tenths: tenths / 10)


@given(
    hourly=st.integers(min_value=1, max_value=20_000),
    licence=_MONEY,
    training=st.integers(min_value=0, max_value=100).map(lambda tenths: tenths / 10),
    saved=_HOURS,
    people=st.integers(min_value=1, max_value=100_000),
)
def test_business_case_invariants(
    *, hourly: int, licence: int, training: float, saved: float, people: int
) -> None:
    """Halving the benefit never shortens the payback; costs and benefit are never negative."""
    costs = decks.Costs(
        hourly, decks.Licence(licence), decks.Training(training), decks.Benefit(saved)
    )
    case = decks.business_case(costs, headcount=people)
    assert min(case.one_off, case.licences_per_year, case.benefit_per_year) >= 0
    assert case.net_per_year == case.benefit_per_year - case.licences_per_year
    if case.payback_months_halved is not None:
        assert case.payback_months is not None
        assert case.payback_months <= case.payback_months_halved
    if case.payback_months is None:
        assert case.warnings


@given(
    hourly=st.integers(min_value=1, max_value=20_000),
    licence=_MONEY,
    training=st.integers(min_value=0, max_value=100).map(lambda tenths: tenths / 10),
    saved=_HOURS,
    owner=st.text(alphabet=st.sampled_from(list("情報部長 ABCxyz")), min_size=1, max_size=12),
)
def test_costs_file_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    *,
    hourly: int,
    licence: int,
    training: float,
    saved: float,
    owner: str,
) -> None:
    """Any valid costs.toml loads to the values written, and its JSON twin to the same."""
    folder = tmp_path_factory.mktemp("costs")
    text = (
        _costs_text(
            hourly_cost=str(hourly),
            per_person_per_month=str(licence),
            hours_per_person=repr(training),
            hours_saved_per_person_per_week=repr(saved),
        )
        + f"[proposal]\nowner = {json.dumps(owner, ensure_ascii=False)}\n"
    )
    (folder / "costs.toml").write_text(text, encoding="utf-8")
    loaded = decks.load_costs(folder / "costs.toml")
    assert (loaded.hourly_cost, loaded.licence.per_person_per_month) == (hourly, licence)
    assert (loaded.training.hours_per_person, loaded.benefit.hours_saved_per_person_per_week) == (
        training,
        saved,
    )
    assert loaded.proposal == decks.Proposal(owner)
    document = {
        "schema_version": 1,
        "hourly_cost": hourly,
        "licence": {"per_person_per_month": licence},
        "training": {"hours_per_person": training},
        "benefit": {"hours_saved_per_person_per_week": saved},
        "proposal": {"owner": owner},
    }
    (folder / "costs.json").write_text(json.dumps(document), encoding="utf-8")
    assert decks.load_costs(folder / "costs.json") == loaded


@given(st.floats(min_value=0, max_value=1), st.integers(min_value=0, max_value=10**9))
def test_format_and_resolve_agree(share: float, count: int) -> None:
    """A figure read at a path formats the value found there, the same for dates as text."""
    data = {"a": [{"b": share}, {"c": count}], "d": dt.date(2027, 6, 30)}
    assert decks.Figure.read(data, "x", "a[0].b", "percent").text == f"{round(share * 100)}%"
    assert decks.Figure.read(data, "x", "a[1].c", "count").text == f"{count:,}"
    assert format_value(data["d"], "date") == format_value("2027-06-30", "date")


def _outcome_entry(department: str, *, done: bool, share: float) -> dict[str, Any]:
    why = {"ja": "理由", "en": "why"}
    return {"department": department, "done": done, "share": share, "why": why}


def test_the_exit_rule_is_the_standing_when_outcome_data_exists() -> None:
    """With an outcome, the table shows done / not done / no outcome first, weekly second."""
    weeks = (dt.date(2027, 6, 7), dt.date(2027, 6, 14))
    rates = {"経理部": (weeks, (0.9, 0.95)), "製造部": (weeks, (0.2, 0.3))}
    rates["情報システム部"] = (weeks, (0.95, 1.0))
    advice = bm.adoption.cutover_advice(rates, calendar="JP")
    outcome = {
        "departments": [
            _outcome_entry("経理部", done=False, share=0.55),
            _outcome_entry("情報システム部", done=True, share=0.93),
        ]
    }
    deck = decks.cutover_deck(_inputs(cutover=advice, outcome=outcome), lang="en")
    (slide,) = [s for s in deck.slides if s.key == "departments"]
    header, *rows = slide.table
    assert slide.title == "Each department against the exit rule, and its barrier"
    assert header[1:4] == ("Exit rule", "New way's share of messages", "Weekly active")
    by_name = {row[0]: row[1:] for row in rows}
    assert by_name["経理部"] == (
        "Not done (exit rule not met)",
        "55%",
        "95% (On track)",
        "not assessed",
    )
    assert by_name["情報システム部"] == ("Done (exit rule met)", "93%", "100% (On track)", "—")
    assert by_name["製造部"][:2] == ("No outcome data", "—")
    sources = {(f.source, f.field) for f in slide.figures}
    assert ("outcome_evaluation", "departments[0].share") in sources
    notes = notes_text(deck, slide)
    assert "outcome_evaluation.json, departments[0].share" in notes
    japanese = decks.cutover_deck(_inputs(cutover=advice, outcome=outcome), lang="ja")
    (table,) = [s.table for s in japanese.slides if s.key == "departments"]
    assert {row[0]: row[1] for row in table[1:]}["経理部"] == "未完了(終了の条件に届かない)"
    assert {row[0]: row[3] for row in table[1:]}["経理部"] == "95%(順調)"


def test_the_deck_reads_an_outcome_evaluation_object() -> None:
    """An OutcomeEvaluation object gives the same standings as its JSON."""
    weeks = (dt.date(2027, 6, 7), dt.date(2027, 6, 14))
    advice = bm.adoption.cutover_advice({"経理部": (weeks, (0.9, 0.95))}, calendar="JP")
    status = OutcomeStatus(
        "経理部",
        "2027-W24",
        False,
        0.55,
        0.9,
        1.0,
        0.9,
        0.6,
        20,
        8,
        3.0,
        None,
        bm.LocalizedText("理由", "why"),
    )
    evaluation = OutcomeEvaluation(
        "2027-W24",
        ExitRule(0.9),
        "internal",
        bm.LocalizedText("定義", "definition"),
        (status,),
        None,
    )
    for shown in (evaluation, evaluation.to_dict()):
        deck = decks.cutover_deck(_inputs(cutover=advice, outcome=shown), lang="en")
        (table,) = [s.table for s in deck.slides if s.key == "departments"]
        assert table[1][1:3] == ("Not done (exit rule not met)", "55%")


def test_the_workspace_cutover_deck_shows_the_exit_rule(workspace: Path) -> None:
    """After `update`, the workspace's cut-over deck calls 経理部 not done, weekly 順調 beside."""
    assert main(["update", str(workspace)]) == 0
    with bm.Workspace.open(workspace) as opened:
        state = load_state(opened, today=AS_OF)
    assert state.outcome is not None
    deck = decks.cutover_deck(inputs_from_state(state, workspace), lang="ja")
    rows = {
        row[0]: row[1:]
        for slide in deck.slides
        if slide.key == "departments"
        for row in slide.table[1:]
    }
    assert rows["経理部"][0] == "未完了(終了の条件に届かない)"
    assert rows["経理部"][2].endswith("(順調)")
    assert rows["製造部"][0] == "未完了(終了の条件に届かない)"
    assert rows["製造部"][-1] == "実行"  # the barrier the workspace's readiness found

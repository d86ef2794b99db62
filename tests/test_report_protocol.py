"""Every report type follows the one report protocol (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import backoffice_marketing as bm
from backoffice_marketing import materials, samples, voice
from backoffice_marketing.app.samples import sample_file
from backoffice_marketing.core.report import Report, markdown_to_html, report_kinds, schema
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.schemas.generate import generated_kinds, render_schema
from backoffice_marketing.schemas.generate import main as main_of_generator
from backoffice_marketing.workspace.load import change_load
from backoffice_marketing.workspace.run import Action, ActionKind, WeekStatus

AS_OF = dt.date(2027, 6, 30)


def _assessment() -> bm.Assessment:
    return (
        bm.Assessment("chat-migration", dt.date(2027, 5, 10))
        .answer("materials.why", "not_done", note="<b>why</b> | missing")
        .answer("research.department-coverage", "done", reference="hearing-log.xlsx")
    )


def _voice_report() -> voice.VoiceReport:
    departments = {"営業部": 120, "経理部": 18, "製造部": 300, "人事部": 12}
    return voice.VoiceReport.build(
        as_of=AS_OF,
        departments=departments,
        hearings=voice.HearingLog.from_file(sample_file("chat-migration/hearings.csv")),
        decisions=voice.DecisionLog.from_file(sample_file("chat-migration/decisions.json")),
        questions=voice.QuestionLog.from_file(sample_file("chat-migration/questions.csv")),
        answers=voice.AnswerBook.from_file(sample_file("chat-migration/answers.yaml")),
        changes=voice.ChangeLog.from_file(sample_file("chat-migration/changes.toml")),
        proposal_on=dt.date(2027, 4, 20),
    )


def _pulse() -> voice.PulseSummary:
    responses = [
        voice.PulseResponse("s1", AS_OF, f"r{i}", "sales", "i1", 5 if i < 4 else 2)
        for i in range(6)
    ]
    return voice.pulse_summary(voice.PulseLog(responses), {"sales": 20, "plant": 8})


def _faq() -> voice.FAQ:
    return voice.FAQ.build(
        voice.QuestionLog.from_file(sample_file("chat-migration/questions.csv")),
        voice.AnswerBook.from_file(sample_file("chat-migration/answers.yaml")),
    )


def _part(name: str) -> Callable[[], Any]:
    def build() -> Any:
        part = getattr(_voice_report(), name)
        assert part is not None
        return part

    return build


def _plan() -> bm.Plan:
    return bm.Plan.from_playbook(
        bm.load_playbook("chat-migration"),
        start=dt.date(2027, 2, 26),
        departments={"営業部": 120, "経理部": 18, "製造部": 300, "人事部": 12},
    )


def _weeks(count: int) -> list[dt.date]:
    return [dt.date(2027, 5, 17) + dt.timedelta(days=7 * week) for week in range(count)]


def _advice() -> Any:
    days = _weeks(6)
    return bm.adoption.cutover_advice(
        {
            "営業部": (days, (0.2, 0.5, 0.8, 0.92, 0.95, 0.96)),
            "製造部": (days, (0.05, 0.1, 0.12, 0.13, 0.13, 0.13)),
            "経理部": (days, (0.3, 0.6, 0.85, 0.9, 0.93, 0.95)),
        },
        weights={"営業部": 120, "製造部": 300, "経理部": 18},
    )


#: The sample roster and usage log, written once under pytest's temporary folder.
_SAMPLE_FILES: dict[str, Path] = {}


@pytest.fixture(autouse=True, scope="module")
def _sample_files(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Write the sample company's roster and usage log once (pytest removes them later)."""
    folder = tmp_path_factory.mktemp("report-samples")
    _SAMPLE_FILES["roster"] = samples.write_roster(folder / "roster.csv")
    _SAMPLE_FILES["usage"] = samples.write_usage(folder / "usage.csv")
    _SAMPLE_FILES["survey"] = samples.write_readiness_survey(folder / "survey.csv")


def _rates() -> Any:
    roster, usage = _SAMPLE_FILES["roster"], _SAMPLE_FILES["usage"]
    frame = bm.adoption.adoption_rates(
        usage, roster, period="week", start=samples.LAUNCH, end=samples.AS_OF
    )
    order = [department.id for department in samples.company_departments()]
    return bm.adoption.AdoptionRates.from_frame(frame, order=order)


def _outcome() -> Any:
    import polars as pl  # noqa: PLC0415

    from backoffice_marketing.adoption.exit_criteria import ExitRule, evaluate_outcome  # noqa: PLC0415
    from backoffice_marketing.adoption.outcome import outcome_metrics  # noqa: PLC0415

    day = dt.date(2027, 5, 17)
    users = [f"u{i}" for i in range(6)]
    roster = pl.DataFrame({"user_id": users, "department": ["営業部"] * 6})
    chat = pl.DataFrame({"user_id": users, "date": [day] * 6, "count": [4] * 6})
    mail = pl.DataFrame({"user_id": users, "date": [day] * 6, "sent": [1] * 6})
    metrics = outcome_metrics(chat, mail, roster, start=day, end=day + dt.timedelta(days=6))
    return evaluate_outcome(metrics, ExitRule(0.9))


def _funnel() -> Any:
    roster, usage = _SAMPLE_FILES["roster"], _SAMPLE_FILES["usage"]
    champions = ["u0001", "u0100", "u0500"]
    return bm.adoption.Funnel(
        bm.adoption.funnel(usage, roster, champions=champions, start=samples.LAUNCH,
                           end=samples.AS_OF),
        bm.adoption.champion_coverage(roster, champions, on=samples.AS_OF),
    )  # fmt: skip


def _readiness_report() -> Any:
    from backoffice_marketing import readiness  # noqa: PLC0415

    survey = readiness.read_responses(_SAMPLE_FILES["survey"], round_id="2027-06")
    summary = readiness.summarise_round(
        survey, parents={d.id: d.parent for d in samples.company_departments()}
    )
    barriers = readiness.department_barriers(
        ["製造部"],
        survey=summary,
        hearings=voice.HearingLog.from_file(sample_file("chat-migration/hearings.csv")),
        questions=voice.QuestionLog.from_file(sample_file("chat-migration/questions.csv")),
        faq=_faq(),
    )
    return readiness.ReadinessReport.build([summary], barriers=barriers)


def _manager_followup() -> Any:
    from backoffice_marketing import readiness  # noqa: PLC0415

    records = readiness.records_from_calendar(
        [("m1@example.com", dt.date(2027, 5, 1))], {"m2@example.com": "製造部"}
    )
    return readiness.managers_without_one_on_one(records, audience="hr", as_of=AS_OF)


#: One real-shaped example per report kind; a new kind must be added here.
def _deck() -> Report:
    from backoffice_marketing import decks  # noqa: PLC0415

    initiative = bm.Initiative.example()
    costs = decks.load_costs(sample_file("chat-migration/costs.toml"))
    inputs = decks.DeckInputs(initiative=initiative, plan=_plan(), as_of=AS_OF, costs=costs)
    return decks.approval_deck(inputs)


EXAMPLES: dict[str, Callable[[], Report]] = {
    "checklist": bm.default_checklist,
    "assessment": _assessment,
    "assessment_score": lambda: _assessment().score(bm.default_checklist()),
    "stage_graph": lambda: bm.load_playbook("chat-migration").stage_graph,
    "voice_report": _voice_report,
    "voice_coverage": _part("coverage"),
    "voice_traceability": _part("traceability"),
    "voice_response_stats": _part("stats"),
    "voice_pulse": _pulse,
    "faq": _faq,
    "materials_review": lambda: materials.lint(
        sample_file("chat-migration/announcement-draft.md"), lang="ja", name="draft.md"
    ),
    "plan": _plan,
    "gap_report": lambda: bm.GapReport.from_assessment(
        _assessment(), playbook=bm.load_playbook("chat-migration"), stage="materials", plan=_plan()
    ),
    "cutover_advice": _advice,
    "deck": _deck,
    "outcome_evaluation": _outcome,
    "adoption_rates": _rates,
    "funnel": _funnel,
    "change_load": lambda: change_load(
        [("chat-migration", _plan()), ("expenses", _plan())], departments=["製造部", "営業部"]
    ),
    "week_status": lambda: WeekStatus(
        initiative="chat-migration",
        name=bm.LocalizedText("チャット移行", "Chat migration"),
        as_of=dt.date(2027, 6, 30),
        actions=(
            Action(ActionKind.VISIT, bm.LocalizedText("製造部を訪問", "Visit 製造部")),
            Action(
                ActionKind.TASK_OVERDUE,
                bm.LocalizedText("推進担当を置く", "Name champions"),
                overdue=True,
            ),
        ),
        changes=(bm.LocalizedText("最新の取り込み", "Latest import"),),
    ),
    "classification": lambda: _advice().classification,
    "readiness_report": _readiness_report,
    "manager_followup": _manager_followup,
    "announcement_review": lambda: materials.AnnouncementPlan.from_file(
        sample_file("chat-migration/announcement-plan.toml")
    ).review(),
}


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def example(request: pytest.FixtureRequest) -> Report:
    return EXAMPLES[request.param]()


def test_every_report_kind_has_an_example() -> None:
    """Each class that joins the protocol is exercised by this test module."""
    assert set(report_kinds()) == set(EXAMPLES)


def test_json_is_valid_against_the_shipped_schema(example: Report) -> None:
    """to_json() is deterministic and valid against schemas/<kind>.schema.json."""
    data = json.loads(example.to_json())
    assert data["schema_version"] == 1
    jsonschema.Draft202012Validator(schema(example.report_kind)).validate(data)
    assert example.to_json() == example.to_json()
    assert json.loads(json.dumps(example.to_dict(), default=str)) == data


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_markdown_and_html_in_both_languages(example: Report, lang: Lang) -> None:
    """Markdown and HTML render in either language; HTML is a whole page in that language."""
    markdown = example.to_markdown(lang=lang)
    html = example.to_html(lang=lang)
    assert markdown.strip()
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in html
    assert "<script" not in html


def test_display_language_drives_the_default(example: Report) -> None:
    """lang=None means the display language; the context manager restores it."""
    with bm.display_language("en"):
        assert example.to_markdown() == example.to_markdown(lang="en")
        bundle = example._repr_mimebundle_()
    assert example.to_markdown() == example.to_markdown(lang="ja")
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    assert bundle["text/markdown"] == example.to_markdown(lang="en")
    assert bm.current_language() == "ja"


def test_write_every_supported_format(example: Report, tmp_path: Path) -> None:
    """write() takes the format from the suffix and writes what to_bytes() gives."""
    for fmt in example.write_formats:
        target = tmp_path / f"report.{fmt}"
        written = example.write(target, lang="en")
        assert written == target
        assert target.read_bytes() == example.to_bytes(fmt, lang="en")
        assert target.stat().st_size > 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"report.{fmt}" for fmt in example.write_formats
    )


def test_write_refuses_an_unsupported_format(example: Report, tmp_path: Path) -> None:
    """An unknown suffix is a clear library error, and nothing is written."""
    with pytest.raises(bm.exceptions.UnsupportedFormatError, match="unsupported"):
        example.write(tmp_path / "report.docx")
    with pytest.raises(bm.exceptions.UnsupportedFormatError):
        example.write(tmp_path / "report")
    assert list(tmp_path.iterdir()) == []


def test_explicit_format_wins_over_the_suffix(example: Report, tmp_path: Path) -> None:
    """format= overrides the suffix (for example a .txt file holding Markdown)."""
    target = example.write(tmp_path / "report.txt", format="md", lang="ja")
    assert target.read_text(encoding="utf-8") == example.to_markdown(lang="ja")


@pytest.mark.parametrize("kind", sorted(generated_kinds()))
def test_shipped_schemas_match_their_classes(kind: str) -> None:
    """Each generated schema file is what the generator makes of its class today."""
    shipped = Path(bm.__file__).parent / "schemas" / f"{kind}.schema.json"
    assert shipped.read_text(encoding="utf-8") == render_schema(generated_kinds()[kind])


def test_markdown_to_html_keeps_user_html_as_text() -> None:
    """The generic HTML page shows raw HTML from Markdown as text, never as markup."""
    html = markdown_to_html("# T\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<table>" in html


def test_adoption_rates_hand_the_native_frame_back() -> None:
    """The wrapper gives back the very frame, and adoption functions accept the wrapper."""
    rates = _rates()
    assert rates.to_native() is rates.frame
    assert rates.to_csv() == bm.adoption.AdoptionRates(rates.frame).to_csv()
    assert bm.adoption.AdoptionRates(rates).to_csv() == rates.to_csv()  # a report as the frame
    assert rates.flagged == {
        entry.department
        for entry in bm.adoption.classify(rates.frame).departments
        if entry.standing is not bm.adoption.Standing.ON_TRACK
    }
    svg = rates.chart_svg(lang="ja")
    for name in rates.flagged:
        assert f">{name} " in svg  # flagged lines are named at their end
    assert "目標 90%" in svg
    assert "<svg" in rates.latest_svg(lang="en")
    assert "<svg" in rates.chart_svg(small_multiples=True)


def test_adoption_overview_names_visits_and_the_cutover() -> None:
    """The overview is the rates, the departments to visit and the cut-over advice, in one."""
    rates = _rates()
    text = rates.overview_markdown(lang="ja", initiative=bm.Initiative.example())
    assert "製造部" in text
    advice = rates.advice(bm.Initiative.example())
    assert advice is not None
    assert advice.to_markdown(lang="ja") in text
    few = bm.adoption.AdoptionRates.from_frame(rates.frame.head(3))
    assert few.advice() is None


def test_unknown_schema_is_a_clear_error() -> None:
    """Asking for the schema of a kind that does not exist names the kinds that do."""
    with pytest.raises(bm.exceptions.UnsupportedFormatError, match=r"nothing\.schema\.json"):
        schema("nothing")


def test_generator_writes_every_generated_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generator's main() writes one file per generated kind, equal to render_schema."""
    monkeypatch.setattr("backoffice_marketing.schemas.generate.resources.files", lambda _: tmp_path)
    main_of_generator()
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"{kind}.schema.json" for kind in generated_kinds())
    for kind, cls in generated_kinds().items():
        assert (tmp_path / f"{kind}.schema.json").read_text(encoding="utf-8") == render_schema(cls)

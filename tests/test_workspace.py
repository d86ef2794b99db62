"""Tests of bm.Workspace: layout, imports (idempotent, transactional), records, ingestion."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import attrs
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.adoption import adoption_rates
from backoffice_marketing.app import samples
from backoffice_marketing.exceptions import (
    InputColumnsError,
    LoadError,
    UnsupportedFormatError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
)
from backoffice_marketing.materials.announcements import ReachLog
from backoffice_marketing.voice import storage
from backoffice_marketing.voice.decisions import DecisionLog
from backoffice_marketing.voice.faq import AnswerBook
from backoffice_marketing.voice.hearings import HearingLog
from backoffice_marketing.voice.loop import ChangeLog
from backoffice_marketing.voice.pulse import PulseLog
from backoffice_marketing.voice.questions import Question, QuestionLog, QuestionStatus
from backoffice_marketing.workspace import INPUT_TEMPLATES, RateRow, Workspace, ingest
from backoffice_marketing.workspace.ingest import _as_date, usage_rates

FIXTURES = Path(__file__).parent / "fixtures" / "adoption"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample company's roster and usage log, written once for the module."""
    folder = tmp_path_factory.mktemp("sample")
    return samples.write_roster(folder / "roster.csv"), samples.write_usage(folder / "usage.csv")


_NAMES = (
    "department",
    "period",
    "period_start",
    "headcount",
    "active_users",
    "rate",
    "unmatched_users",
    "suppressed",
)


def _expected(events: object, roster: object, **options: object) -> tuple[tuple[object, ...], ...]:
    frame = adoption_rates(events, roster, **options)  # type: ignore[arg-type]
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    return tuple(tuple(row[name] for name in _NAMES) for row in frame.iter_rows(named=True))


def _plain(rows: tuple[RateRow, ...]) -> tuple[tuple[object, ...], ...]:
    return tuple(tuple(getattr(r, name) for name in _NAMES) for r in rows)


def test_workspace_is_exported() -> None:
    """``bm.Workspace`` is the workspace class."""
    assert bm.Workspace is Workspace


def test_create_makes_the_layout_and_templates(tmp_path: Path) -> None:
    """A new workspace has inputs/ with one template per log, reports/ and the store."""
    with Workspace.create(tmp_path / "ws") as workspace:
        assert sorted(p.name for p in workspace.inputs.iterdir()) == sorted(INPUT_TEMPLATES)
        assert workspace.reports.is_dir()
        assert (workspace.path / "history.sqlite").is_file()
        assert workspace.history() == ()
        assert workspace.rates() == ()
        assert repr(workspace).startswith("<Workspace ")


def test_templates_load_as_empty_logs(tmp_path: Path) -> None:
    """Every template is read by the library's own loader as an empty log."""
    with Workspace.create(tmp_path / "ws") as workspace:
        inputs = workspace.inputs
    for name, cls in (
        ("hearings.csv", HearingLog),
        ("questions.csv", QuestionLog),
        ("answers.csv", AnswerBook),
        ("decisions.csv", DecisionLog),
        ("changes.csv", ChangeLog),
        ("pulse.csv", PulseLog),
    ):
        assert storage.load_log(cls, inputs / name) == cls(), name
    assert ReachLog.from_file(inputs / "reach.csv").records == ()
    usage = (inputs / "usage.csv").read_text(encoding="utf-8").splitlines()
    assert usage == ["user_id,timestamp,messages"]


def test_create_keeps_existing_inputs_and_refuses_a_second_store(tmp_path: Path) -> None:
    """Creating over a folder keeps the user's files; creating over a workspace is an error."""
    (tmp_path / "ws" / "inputs").mkdir(parents=True)
    (tmp_path / "ws" / "inputs" / "questions.csv").write_text("mine\n", encoding="utf-8")
    Workspace.create(tmp_path / "ws").close()
    assert (tmp_path / "ws" / "inputs" / "questions.csv").read_text(encoding="utf-8") == "mine\n"
    with pytest.raises(WorkspaceExistsError) as caught:
        Workspace.create(tmp_path / "ws")
    assert isinstance(caught.value, FileExistsError)
    assert caught.value.path == str(tmp_path / "ws")


def test_open_needs_a_workspace(tmp_path: Path) -> None:
    """Opening a missing folder, or a folder without a store, is a clear error."""
    with pytest.raises(WorkspaceNotFoundError) as caught:
        Workspace.open(tmp_path / "nothing")
    assert isinstance(caught.value, FileNotFoundError)
    (tmp_path / "plain").mkdir()
    with pytest.raises(WorkspaceNotFoundError, match=r"history\.sqlite"):
        Workspace.open(tmp_path / "plain")
    assert not (tmp_path / "plain" / "history.sqlite").exists()


def test_import_usage_stores_the_library_rates(tmp_path: Path, sample: tuple[Path, Path]) -> None:
    """The sample usage imported gives exactly adoption_rates' rows, with period ends."""
    roster, usage = sample
    with Workspace.create(tmp_path / "ws") as workspace:
        result = workspace.import_usage(usage, roster)
        assert result.new
        assert not result.duplicate
        assert result.source.rows == len(workspace.rates()) > 0
        stored = workspace.rates()
    assert _plain(stored) == _expected(str(usage), str(roster))
    assert all(r.period_end - r.period_start == dt.timedelta(days=6) for r in stored)
    assert result.periods == tuple(sorted({r.period for r in stored}))
    assert result.describe(lang="en").startswith("Imported usage.csv")
    assert "取り込みました" in result.describe(lang="ja")


def test_reimport_is_a_no_op_that_says_so(tmp_path: Path, sample: tuple[Path, Path]) -> None:
    """The same content imported twice (even under another name) counts once."""
    roster, usage = sample
    copy = tmp_path / "again.csv"
    copy.write_bytes(usage.read_bytes())
    with Workspace.create(tmp_path / "ws") as workspace:
        first = workspace.import_usage(usage, roster)
        dump = list(workspace.store._connection.iterdump())
        second = workspace.import_usage(copy, roster)
        assert list(workspace.store._connection.iterdump()) == dump
        assert len(workspace.history()) == 1
    assert second.duplicate
    assert second.source == first.source
    assert second.periods == first.periods
    assert "nothing changed" in second.describe(lang="en")
    assert "変更なし" in second.describe(lang="ja")


def test_weekly_files_give_the_same_rates_as_one_file(
    tmp_path: Path, sample: tuple[Path, Path]
) -> None:
    """The sample usage split into ISO-week files and imported week by week gives the full rates."""
    roster, usage = sample
    with usage.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        weeks: dict[str, list[list[str]]] = {}
        for row in reader:
            day = dt.date.fromisoformat(row[1][:10])
            weeks.setdefault(day.strftime("%G-W%V"), []).append(row)
    with Workspace.create(tmp_path / "ws") as workspace:
        for week, rows in sorted(weeks.items()):
            path = workspace.inputs / f"usage-{week}.csv"
            with path.open("w", encoding="utf-8", newline="") as stream:
                csv.writer(stream).writerows([header, *rows])
            assert workspace.import_usage(path, roster).periods == (week,)
        stored = workspace.rates()
        assert len(workspace.history()) == len(weeks)
    assert _plain(stored) == _expected(str(usage), str(roster))


def test_a_later_import_of_a_period_wins(tmp_path: Path) -> None:
    """When two imports cover one period, the rates view shows the later one."""
    roster = FIXTURES / "roster.csv"
    rows = ["user_id,date", "user00@example.co.jp,2024-04-01"]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join(rows) + "\n", encoding="utf-8")
    second.write_text("\n".join(rows[:1]) + "\n", encoding="utf-8")
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.import_usage(first, roster)
        before = {(r.department, r.period): r.active_users for r in workspace.rates()}
        more = [*rows, "user01@example.co.jp,2024-04-02"]
        second.write_text("\n".join(more) + "\n", encoding="utf-8")
        workspace.import_usage(second, roster)
        after = {(r.department, r.period): r.active_users for r in workspace.rates()}
        by_source = workspace.store.query("SELECT count(*) FROM adoption_rates")
    assert before[("営業部", "2024-W14")] == 1
    assert after[("営業部", "2024-W14")] == 2
    assert by_source[0][0] == 2 * len(after)


def test_rates_are_kept_per_period_kind(tmp_path: Path, sample: tuple[Path, Path]) -> None:
    """Monthly rates are stored beside weekly ones and read by ``period``."""
    roster, usage = sample
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.import_usage(usage, roster)
        assert workspace.import_usage(usage, roster, period="month").new  # other options
        assert workspace.import_usage(usage, roster, period="month").duplicate
        months = workspace.rates(period="month")
        assert {r.period for r in months} == {"2027-05", "2027-06"}
        assert _plain(months) == _expected(str(usage), str(roster), period="month")
        assert {r.period_end for r in months} == {dt.date(2027, 5, 31), dt.date(2027, 6, 30)}


def test_failed_import_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """A usage file that cannot be read raises the library's error and changes nothing."""
    bad = tmp_path / "bad.csv"
    bad.write_text("person,timestamp\nx,2027-05-17T09:00:00+09:00\n", encoding="utf-8")
    with Workspace.create(tmp_path / "ws") as workspace:
        dump = list(workspace.store._connection.iterdump())
        with pytest.raises(InputColumnsError):
            workspace.import_usage(bad, FIXTURES / "roster.csv")
        assert list(workspace.store._connection.iterdump()) == dump


def test_failure_while_writing_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: tuple[Path, Path]
) -> None:
    """A row the store rejects half-way through the insert leaves no source and no rates."""
    roster, usage = sample
    rows = usage_rates(usage, roster)
    broken = (*rows[:50], attrs.evolve(rows[50], rate=2.0), *rows[51:])
    monkeypatch.setattr("backoffice_marketing.workspace.model.usage_rates", lambda *_, **__: broken)
    with Workspace.create(tmp_path / "ws") as workspace:
        dump = list(workspace.store._connection.iterdump())
        with pytest.raises(Exception, match="CHECK constraint"):
            workspace.import_usage(usage, roster)
        assert list(workspace.store._connection.iterdump()) == dump
        monkeypatch.undo()
        assert workspace.import_usage(usage, roster).new


def test_import_seen_by_another_process_meanwhile_is_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: tuple[Path, Path]
) -> None:
    """If the same file was imported while the rates were computed, the import is a no-op."""
    roster, usage = sample
    with Workspace.create(tmp_path / "ws") as workspace, Workspace.open(tmp_path / "ws") as other:
        rows = usage_rates(usage, roster)
        raced: list[bool] = []

        def racing(*_: object, **__: object) -> tuple[RateRow, ...]:
            if not raced:
                raced.append(True)
                other.import_usage(usage, roster)
            return rows

        monkeypatch.setattr("backoffice_marketing.workspace.model.usage_rates", racing)
        result = workspace.import_usage(usage, roster)
        assert result.duplicate
        assert len(workspace.history()) == 1


def test_teams_and_slack_exports_import(tmp_path: Path) -> None:
    """Teams and Slack exports are imported with the readers' events."""
    roster = FIXTURES / "roster.csv"
    with Workspace.create(tmp_path / "ws") as workspace:
        teams = sorted(FIXTURES.glob("teams_user_detail_*.csv"))[0]
        slack = sorted(FIXTURES.glob("slack_members_*.csv"))[0]
        assert workspace.import_usage(teams, roster, kind="teams").new
        assert workspace.import_usage(slack, roster, kind="slack").new
        kinds = [source.kind for source in workspace.history()]
    assert kinds == ["teams", "slack"]


def test_import_questions_keeps_the_latest_states(tmp_path: Path) -> None:
    """Question logs are imported once each; a later log's states replace earlier ones."""
    day = dt.date(2027, 5, 18)
    log = QuestionLog(
        (
            Question("q1", "外部とは?", day, theme="rules", department="営業部"),
            Question("q2", "スマホは?", day),
        )
    )
    first = tmp_path / "q1.csv"
    log.save(first)
    answered = log.answer("q1", "メールのままです。", on=day + dt.timedelta(days=2))
    later = tmp_path / "q2.csv"
    answered.save(later)
    with Workspace.create(tmp_path / "ws") as workspace:
        assert workspace.import_questions(first).new
        assert workspace.import_questions(first).duplicate
        assert workspace.import_questions(later).new
        states = {q.id: q for q in workspace.questions()}
    assert states["q1"].status == QuestionStatus.ANSWERED.value
    assert states["q1"].answered_on == day + dt.timedelta(days=2)
    assert states["q1"].theme == "rules"
    assert states["q1"].department == "営業部"
    assert states["q2"].status == QuestionStatus.OPEN.value
    assert states["q2"].answered_on is None
    assert states["q2"].source_id == 2


def test_question_log_imported_meanwhile_is_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the same question log was imported while it was being read, the import is a no-op."""
    path = tmp_path / "q.csv"
    QuestionLog((Question("q1", "外部とは?", dt.date(2027, 5, 18)),)).save(path)
    with Workspace.create(tmp_path / "ws") as workspace, Workspace.open(tmp_path / "ws") as other:
        other_result = other.import_questions(path)
        real = Workspace._existing
        calls: list[int] = []

        def first_miss(self: Workspace, sha256: str, kind: str, settings: str) -> object:
            calls.append(1)
            return None if len(calls) == 1 else real(self, sha256, kind, settings)

        monkeypatch.setattr(Workspace, "_existing", first_miss)
        result = workspace.import_questions(path)
    assert result.duplicate
    assert result.source == other_result.source


def test_bad_question_log_changes_nothing(tmp_path: Path) -> None:
    """A question log with a bad row is a LoadError and the store is unchanged."""
    bad = tmp_path / "q.csv"
    bad.write_text("id,text,received_on\nq1,text,not-a-date\n", encoding="utf-8")
    with Workspace.create(tmp_path / "ws") as workspace:
        with pytest.raises(LoadError):
            workspace.import_questions(bad)
        assert workspace.history() == ()


@attrs.frozen
class _Doc:
    body: dict[str, object]

    def to_json(self) -> str:
        return json.dumps(self.body, sort_keys=True)


def test_reports_are_kept_by_date(tmp_path: Path) -> None:
    """Assessments and gap reports are kept one per kind and date; a new one replaces it."""
    day = dt.date(2027, 6, 1)
    with Workspace.create(tmp_path / "ws") as workspace:
        kept = workspace.record_assessment(_Doc({"score": 1}), on=day)
        again = workspace.record_assessment(_Doc({"score": 1}), on=day)
        assert again == kept
        workspace.record_assessment(_Doc({"score": 2}), on=day)
        workspace.record_assessment(_Doc({"score": 3}), on=day + dt.timedelta(days=30))
        workspace.record_gap_report(_Doc({"gaps": []}), on=day)
        assessments = workspace.stored_reports("assessment")
        gaps = workspace.stored_reports("gap_report")
    assert [json.loads(r.body)["score"] for r in assessments] == [2, 3]
    assert [r.on for r in assessments] == [day, day + dt.timedelta(days=30)]
    assert [r.kind for r in gaps] == ["gap_report"]


def test_real_reports_are_stored_as_their_json(tmp_path: Path) -> None:
    """A real assessment's and gap report's JSON is stored as given."""
    assessment = bm.Assessment.from_file(samples.sample_file("chat-migration-assessment.toml"))
    report = bm.GapReport.from_assessment(assessment)
    with Workspace.create(tmp_path / "ws") as workspace:
        stored = workspace.record_gap_report(report, on=dt.date(2027, 6, 1))
    assert stored.body == report.to_json()


def test_plan_versions_and_completions(tmp_path: Path) -> None:
    """Plan versions are kept once per content; completions are kept per task."""
    with Workspace.create(tmp_path / "ws") as workspace:
        first = workspace.record_plan(_Doc({"tasks": 1}))
        same = workspace.record_plan(_Doc({"tasks": 1}))
        second = workspace.record_plan(_Doc({"tasks": 2}))
        assert (first.new, same.new, second.new) == (True, False, True)
        assert same == first
        assert [v.id for v in workspace.plan_versions()] == [1, 2]
        workspace.record_completion("brief-営業部", done_on=dt.date(2027, 5, 10))
        workspace.record_completion("brief-営業部", done_on=dt.date(2027, 5, 12))
        workspace.record_completion("launch", done_on=dt.date(2027, 5, 17))
        assert workspace.completions() == {
            "brief-営業部": dt.date(2027, 5, 12),
            "launch": dt.date(2027, 5, 17),
        }


def test_history_survives_reopening(tmp_path: Path, sample: tuple[Path, Path]) -> None:
    """What was imported is there when the workspace is opened again."""
    roster, usage = sample
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.import_usage(usage, roster)
        rates = workspace.rates()
    with Workspace.open(tmp_path / "ws") as workspace:
        assert workspace.rates() == rates
        assert [s.name for s in workspace.history()] == ["usage.csv"]


# Ingestion


def test_ingest_without_polars_gives_the_same_rows(
    monkeypatch: pytest.MonkeyPatch, sample: tuple[Path, Path]
) -> None:
    """Without polars the library's own path gives the same rows as the streaming one."""
    roster, usage = sample
    streamed = usage_rates(usage, roster)
    monkeypatch.setattr(ingest, "_polars", lambda: None)
    monkeypatch.setattr("backoffice_marketing.adoption.frames._PATH_BACKENDS", ("pyarrow",))
    assert usage_rates(usage, roster) == streamed


def test_ingest_collects_a_lazy_result_of_the_fallback(
    monkeypatch: pytest.MonkeyPatch, sample: tuple[Path, Path]
) -> None:
    """When the fallback path still gives a lazy frame, it is collected to the same rows."""
    roster, usage = sample
    streamed = usage_rates(usage, roster)
    monkeypatch.setattr(ingest, "_polars", lambda: None)
    assert usage_rates(usage, roster) == streamed


def test_ingest_without_polars_reads_teams(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without polars, Teams and Slack exports still give the rates of the readers' events."""
    roster = FIXTURES / "roster.csv"
    teams = sorted(FIXTURES.glob("teams_user_detail_*.csv"))[0]
    slack = sorted(FIXTURES.glob("slack_members_*.csv"))[0]
    expected = (usage_rates(teams, roster, kind="teams"), usage_rates(slack, roster, kind="slack"))
    monkeypatch.setattr(ingest, "_polars", lambda: None)
    found = (usage_rates(teams, roster, kind="teams"), usage_rates(slack, roster, kind="slack"))
    assert found == expected


def test_ingest_reads_parquet(tmp_path: Path, sample: tuple[Path, Path]) -> None:
    """A Parquet usage log gives the same rows as the CSV it came from."""
    roster, usage = sample
    parquet = tmp_path / "usage.parquet"
    pl.read_csv(usage).write_parquet(parquet)
    assert usage_rates(parquet, roster) == usage_rates(usage, roster)


def test_ingest_reads_other_text_timestamps(tmp_path: Path) -> None:
    """Text timestamps that are not ISO 8601 with an offset are read by the library itself."""
    roster = FIXTURES / "roster.csv"
    path = tmp_path / "usage.csv"
    lines = ["user_id,timestamp", "user00@example.co.jp,2024/4/9 09:00", "user08@example.co.jp,"]
    lines += ["user01@example.co.jp,2024/4/10 23:30"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _plain(usage_rates(path, roster)) == _expected(str(path), str(roster))


def test_ingest_stages_iso_timestamps_to_the_same_rows(
    tmp_path: Path, sample: tuple[Path, Path]
) -> None:
    """ISO timestamps with offsets (parsed once while staging) give the library's rows."""
    roster, usage = sample
    shifted = tmp_path / "usage.csv"
    text = usage.read_text(encoding="utf-8").replace("+09:00", "+00:00")
    shifted.write_text(text, encoding="utf-8")
    assert _plain(usage_rates(shifted, roster)) == _expected(str(shifted), str(roster))


def test_ingest_checks_its_arguments(tmp_path: Path) -> None:
    """Unknown kinds, unsupported suffixes and missing files are clear errors."""
    roster = FIXTURES / "roster.csv"
    with pytest.raises(ValueError, match="kind must be one of"):
        usage_rates(tmp_path / "x.csv", roster, kind="mail")  # type: ignore[arg-type]
    with pytest.raises(UnsupportedFormatError):
        usage_rates(tmp_path / "x.json", roster)
    with pytest.raises(FileNotFoundError, match="no such usage file"):
        usage_rates(tmp_path / "x.csv", roster)


def test_empty_usage_template_gives_no_rows(tmp_path: Path) -> None:
    """The empty usage template imports as a source with no rows."""
    with Workspace.create(tmp_path / "ws") as workspace:
        result = workspace.import_usage(workspace.inputs / "usage.csv", FIXTURES / "roster.csv")
    assert (result.new, result.source.rows, result.periods) == (True, 0, ())


def test_dates_from_every_backend() -> None:
    """Dates arrive as dates, datetimes or text, and all read as the same calendar day."""
    day = dt.date(2027, 5, 17)
    assert _as_date(day) == day
    assert _as_date(dt.datetime(2027, 5, 17, 0, 0)) == day
    assert _as_date("2027-05-17 00:00:00") == day


_EMAILS = [f"user{i:02d}@example.co.jp" for i in range(0, 20, 2)] + ["ghost@example.com"]


@settings(max_examples=15, deadline=None)
@given(
    events=st.lists(
        st.tuples(st.sampled_from(_EMAILS), st.integers(0, 40)), min_size=1, max_size=40
    ),
    period=st.sampled_from(["day", "week", "month"]),
)
def test_ingested_rates_equal_adoption_rates(events: list[tuple[str, int]], period: str) -> None:
    """For any small event log, the ingested rows are adoption_rates' rows, in its order."""
    roster = FIXTURES / "roster.csv"
    start = dt.date(2024, 4, 1)
    frame = pl.DataFrame(
        {
            "user_id": [user for user, _ in events],
            "date": [start + dt.timedelta(days=offset) for _, offset in events],
        }
    )
    import tempfile  # noqa: PLC0415  (hypothesis runs many examples: one folder each)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        frame.write_parquet(path)
        rows = usage_rates(path, roster, period=period)
    assert _plain(rows) == _expected(frame, str(roster), period=period)
    assert all(0.0 <= row.rate <= 1.0 for row in rows)


@settings(max_examples=10, deadline=None)
@given(order=st.permutations(range(4)), repeats=st.lists(st.integers(0, 3), max_size=4))
def test_import_order_and_repeats_do_not_matter(
    order: list[int], repeats: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Weekly files imported in any order, some twice, give the same rates and history size."""
    folder = tmp_path_factory.mktemp("order")
    roster = FIXTURES / "roster.csv"
    paths = []
    for week in range(4):
        path = folder / f"w{week}.csv"
        day = dt.date(2024, 4, 1) + dt.timedelta(weeks=week)
        users = _EMAILS[: week + 2]
        lines = ["user_id,date", *(f"{user},{day.isoformat()}" for user in users)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    with Workspace.create(folder / "ws") as workspace:
        for index in [*order, *repeats]:
            workspace.import_usage(paths[index], roster)
        assert len(workspace.history()) == 4
        found = workspace.rates()
    with Workspace.create(folder / "ref") as reference:
        for path in paths:
            reference.import_usage(path, roster)
        assert found == reference.rates()

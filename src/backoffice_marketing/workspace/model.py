"""``Workspace``: one initiative's folder, with its inputs, reports and history store."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs

from backoffice_marketing.core.privacy import MIN_GROUP_SIZE
from backoffice_marketing.exceptions import (
    StoreCorruptError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
)
from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.foundation.io.bounded import check_regular_file
from backoffice_marketing.foundation.messages import message
from backoffice_marketing.foundation.text import Lang, resolve_lang
from backoffice_marketing.render.notebook import table_html
from backoffice_marketing.voice import storage
from backoffice_marketing.voice.decisions import DecisionLog
from backoffice_marketing.voice.faq import AnswerBook
from backoffice_marketing.voice.hearings import HearingLog
from backoffice_marketing.voice.loop import ChangeLog
from backoffice_marketing.voice.pulse import PulseLog
from backoffice_marketing.voice.questions import QuestionLog
from backoffice_marketing.workspace.deck_inputs import COSTS_FILE, workspace_deck
from backoffice_marketing.workspace.ingest import RateRow, UsageKind, usage_rates
from backoffice_marketing.workspace.store import (
    DEFAULT_LOCK_TIMEOUT,
    STORE_NAME,
    Store,
    utc_now,
)

__all__ = [
    "INPUT_TEMPLATES",
    "ImportResult",
    "PlanVersion",
    "QuestionState",
    "Source",
    "StoredReport",
    "Workspace",
]

ReportKind = Literal["assessment", "gap_report"]
#: The empty input logs a new workspace gets, by file name under ``inputs/``.
INPUT_TEMPLATES = (
    "usage.csv",
    "hearings.csv",
    "questions.csv",
    "answers.csv",
    "decisions.csv",
    "changes.csv",
    "reach.csv",
    "pulse.csv",
)
_USAGE_HEADER = "user_id,timestamp,messages\n"
_REACH_HEADER = "department,person,event,date,channel\n"
_CHUNK = 1 << 20


class _JsonReport(Protocol):
    def to_json(self) -> str: ...


def _sha256(path: Path) -> str:
    """The content hash of a regular file (a FIFO or a device is a ``LoadError``, not a hang)."""
    check_regular_file(path, limit=sys.maxsize, what="log")
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@attrs.frozen
class Source:
    """One imported file: its content hash, kind, name, rows stored and import time (UTC)."""

    id: int
    sha256: str
    kind: str
    name: str
    rows: int
    imported_at: str


@attrs.frozen
class ImportResult:
    """What an import did: a new source, or a duplicate of one already imported (a no-op)."""

    source: Source
    new: bool
    periods: tuple[str, ...] = ()

    @property
    def duplicate(self) -> bool:
        """Whether the file had been imported before, so nothing changed."""
        return not self.new

    def describe(self, *, lang: Lang | None = None) -> str:
        """One sentence saying what the import did, in ``lang`` (the display language)."""
        chosen = resolve_lang(lang)
        name, rows = self.source.name, self.source.rows
        if self.new:
            if chosen == "ja":
                return f"{name} を取り込みました({rows} 行、{len(self.periods)} 期間)。"
            return f"Imported {name} ({rows} rows, {len(self.periods)} periods)."
        if chosen == "ja":
            return f"{name} は取り込み済みです(同じ内容、{self.source.imported_at})。変更なし。"
        return (
            f"{name} was already imported (same content, {self.source.imported_at}); "
            "nothing changed."
        )


@attrs.frozen
class StoredReport:
    """An assessment or gap report kept by date, as the JSON of its ``to_json()``."""

    kind: ReportKind
    on: dt.date
    body: str
    recorded_at: str


@attrs.frozen
class QuestionState:
    """The latest known state of one question."""

    id: str
    received_on: dt.date
    status: str
    theme: str | None
    answered_on: dt.date | None
    department: str | None
    source_id: int | None


@attrs.frozen
class PlanVersion:
    """One stored version of the plan (its JSON), numbered from 1."""

    id: int
    sha256: str
    body: str
    created_at: str
    new: bool = attrs.field(default=False, eq=False)


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


class Workspace:
    """A workspace folder: ``inputs/``, ``reports/`` and the history store.

    Open one with :meth:`open` or make one with :meth:`create`; close it (or
    use it in a ``with`` block) when done.
    """

    def __init__(self, path: Path, store: Store) -> None:
        self.path = path
        self.store = store

    def __repr__(self) -> str:
        return f"<Workspace {str(self.path)!r}>"

    def _repr_html_(self) -> str:
        """The imported files, oldest first (name, kind, rows, when)."""
        rows = ((s.name, s.kind, s.rows, s.imported_at) for s in self.history())
        return table_html(("file", "kind", "rows", "imported"), rows, numeric=(2,))

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the history store."""
        self.store.close()

    @property
    def inputs(self) -> Path:
        """The folder of input logs."""
        return self.path / "inputs"

    @property
    def reports(self) -> Path:
        """The folder of written reports."""
        return self.path / "reports"

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> Workspace:
        """Open an existing workspace; a folder without a store is a clear error.

        ``read_only`` (what ``status`` and ``dashboard`` use) writes nothing,
        not even a lock, and works in a read-only folder. A damaged, empty or
        foreign store is a :class:`~backoffice_marketing.exceptions.StoreCorruptError`
        either way, and is left as it is.
        """
        folder = Path(path)
        if not folder.is_dir():
            raise WorkspaceNotFoundError(str(folder), str(folder))
        store = folder / STORE_NAME
        if not os.path.lexists(store):  # a dangling link counts: it is refused
            raise WorkspaceNotFoundError(str(folder), str(store))
        if not store.is_file() and not store.is_symlink():  # a folder, a FIFO: never opened
            raise StoreCorruptError(str(store), message("store.not_regular"))
        return cls(folder, Store.open(store, read_only=read_only, lock_timeout=lock_timeout))

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> Workspace:
        """Make a new workspace: the folders, an empty template per input log, the store.

        Existing input files are kept; an existing store is an error.
        """
        folder = Path(path)
        store = folder / STORE_NAME
        if store.exists():
            raise WorkspaceExistsError(str(folder))
        writers: dict[str, Callable[[Path], object]] = {
            "usage.csv": lambda p: write_text_atomic(p, _USAGE_HEADER),
            "hearings.csv": lambda p: storage.save_log(HearingLog(), p),
            "questions.csv": lambda p: storage.save_log(QuestionLog(), p),
            "answers.csv": lambda p: storage.save_log(AnswerBook(), p),
            "decisions.csv": lambda p: storage.save_log(DecisionLog(), p),
            "changes.csv": lambda p: storage.save_log(ChangeLog(), p),
            "reach.csv": lambda p: write_text_atomic(p, _REACH_HEADER),
            "pulse.csv": lambda p: storage.save_log(PulseLog(), p),
        }
        (folder / "inputs").mkdir(parents=True, exist_ok=True)
        (folder / "reports").mkdir(exist_ok=True)
        for name in INPUT_TEMPLATES:
            target = folder / "inputs" / name
            if not target.exists():
                writers[name](target)
        return cls(folder, Store.open(store, create=True, lock_timeout=lock_timeout))

    # Importing files.

    def _existing(self, sha256: str, kind: str, settings: str) -> Source | None:
        rows = self.store.query(
            "SELECT id, sha256, kind, name, rows, imported_at FROM sources "
            "WHERE sha256 = ? AND kind = ? AND settings = ?",
            (sha256, kind, settings),
        )
        return Source(*rows[0]) if rows else None

    def _periods(self, source_id: int) -> tuple[str, ...]:
        rows = self.store.query(
            "SELECT DISTINCT period FROM adoption_rates WHERE source_id = ? ORDER BY period",
            (source_id,),
        )
        return tuple(row[0] for row in rows)

    def import_usage(
        self,
        path: str | os.PathLike[str],
        roster: Any,
        *,
        kind: UsageKind = "usage",
        period: str = "week",
        timezone: str = "Asia/Tokyo",
        fiscal_year_start: int = 4,
        min_group_size: int = MIN_GROUP_SIZE,
    ) -> ImportResult:
        """Import a usage file's adoption rates; a file imported before is a no-op.

        "Before" means the same content (SHA-256), kind and options (period,
        time zone, fiscal year start, privacy floor), under any file name.

        The rates are those of :func:`~backoffice_marketing.workspace.ingest.usage_rates`
        (streamed with polars when installed). The whole import is one
        transaction: on any error the store is left exactly as it was.
        """
        file = Path(path)
        sha256 = _sha256(file)
        settings = json.dumps(
            {
                "period": period,
                "timezone": timezone,
                "fiscal_year_start": fiscal_year_start,
                "min_group_size": min_group_size,
            },
            sort_keys=True,
        )
        existing = self._existing(sha256, kind, settings)
        if existing is not None:
            return ImportResult(existing, new=False, periods=self._periods(existing.id))
        rows = usage_rates(
            file,
            roster,
            kind=kind,
            period=period,
            timezone=timezone,
            fiscal_year_start=fiscal_year_start,
            min_group_size=min_group_size,
        )
        with self.store.transaction() as cursor:
            # Another process may have imported the same file meanwhile.
            again = self._existing(sha256, kind, settings)
            if again is not None:
                return ImportResult(again, new=False, periods=self._periods(again.id))
            source = self._add_source(
                cursor, sha256, kind, file.name, rows=len(rows), settings=settings
            )
            cursor.executemany(
                "INSERT INTO adoption_rates (source_id, period_kind, department, period, "
                "period_start, period_end, headcount, active_users, rate, unmatched_users, "
                "suppressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        source.id,
                        period,
                        row.department,
                        row.period,
                        row.period_start.isoformat(),
                        row.period_end.isoformat(),
                        row.headcount,
                        row.active_users,
                        row.rate,
                        row.unmatched_users,
                        int(row.suppressed),
                    )
                    for row in rows
                ],
            )
        return ImportResult(source, new=True, periods=tuple(sorted({r.period for r in rows})))

    @staticmethod
    def _add_source(
        cursor: Any, sha256: str, kind: str, name: str, *, rows: int, settings: str
    ) -> Source:
        imported_at = utc_now()
        cursor.execute(
            "INSERT INTO sources (sha256, kind, name, rows, settings, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (sha256, kind, name, rows, settings, imported_at),
        )
        return Source(int(cursor.lastrowid), sha256, kind, name, rows, imported_at)

    def import_questions(self, path: str | os.PathLike[str]) -> ImportResult:
        """Import a question log (CSV, xlsx, JSON, YAML, TOML); each question's latest state wins.

        A file imported before is a no-op; a file that does not load raises
        :class:`~backoffice_marketing.exceptions.LoadError` and changes nothing.
        """
        file = Path(path)
        sha256 = _sha256(file)
        existing = self._existing(sha256, "questions", "{}")
        if existing is not None:
            return ImportResult(existing, new=False)
        log = QuestionLog.from_file(file)
        with self.store.transaction() as cursor:
            again = self._existing(sha256, "questions", "{}")
            if again is not None:
                return ImportResult(again, new=False)
            source = self._add_source(
                cursor, sha256, "questions", file.name, rows=len(log.questions), settings="{}"
            )
            cursor.executemany(
                "INSERT INTO questions (id, received_on, theme, status, answered_on, "
                "department, source_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET received_on = excluded.received_on, "
                "theme = excluded.theme, status = excluded.status, "
                "answered_on = excluded.answered_on, department = excluded.department, "
                "source_id = excluded.source_id",
                [
                    (
                        q.id,
                        q.received_on.isoformat(),
                        q.theme,
                        q.status.value,
                        q.answered_on.isoformat() if q.answered_on else None,
                        q.department,
                        source.id,
                    )
                    for q in log.questions
                ],
            )
        return ImportResult(source, new=True)

    # Recording reports, plans and completions.

    def _record_report(self, kind: ReportKind, report: _JsonReport, on: dt.date) -> StoredReport:
        body = report.to_json()
        recorded_at = utc_now()
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO reports (kind, on_date, body, recorded_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, on_date) DO UPDATE SET body = excluded.body, "
                "recorded_at = excluded.recorded_at WHERE body != excluded.body",
                (kind, on.isoformat(), body, recorded_at),
            )
        return self.stored_reports(kind, on=on)[0]

    def record_assessment(self, assessment: _JsonReport, *, on: dt.date) -> StoredReport:
        """Keep an assessment (its ``to_json()``) as the one of ``on``; the same one is a no-op."""
        return self._record_report("assessment", assessment, on)

    def record_gap_report(self, report: _JsonReport, *, on: dt.date) -> StoredReport:
        """Keep a gap report (its ``to_json()``) as the one of ``on``; the same one is a no-op."""
        return self._record_report("gap_report", report, on)

    def record_plan(self, plan: _JsonReport) -> PlanVersion:
        """Keep a version of the plan; a plan equal to a stored version adds nothing."""
        body = plan.to_json()
        sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO plan_versions (sha256, body, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (sha256) DO NOTHING",
                (sha256, body, utc_now()),
            )
            new = cursor.rowcount == 1
        rows = self.store.query(
            "SELECT id, sha256, body, created_at FROM plan_versions WHERE sha256 = ?", (sha256,)
        )
        version = PlanVersion(*rows[0])
        return attrs.evolve(version, new=new)

    def record_completion(self, task_id: str, *, done_on: dt.date) -> None:
        """Record the day a plan task was actually done (recording it again corrects it)."""
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO task_completions (task_id, done_on, recorded_at) VALUES (?, ?, ?) "
                "ON CONFLICT (task_id) DO UPDATE SET done_on = excluded.done_on, "
                "recorded_at = excluded.recorded_at",
                (task_id, done_on.isoformat(), utc_now()),
            )

    # Reading the history.

    def history(self) -> tuple[Source, ...]:
        """Every imported file, oldest first."""
        rows = self.store.query(
            "SELECT id, sha256, kind, name, rows, imported_at FROM sources ORDER BY id"
        )
        return tuple(Source(*row) for row in rows)

    def rates(self, *, period: str = "week") -> tuple[RateRow, ...]:
        """The current adoption rates (view ``current_rates``), by department and period.

        When several imports cover the same department and period, the
        latest import's row counts.
        """
        rows = self.store.query(
            "SELECT department, period, period_start, period_end, headcount, active_users, "
            "rate, unmatched_users, suppressed FROM current_rates WHERE period_kind = ? "
            "ORDER BY department, period_start",
            (period,),
        )
        return tuple(
            RateRow(
                department=row[0],
                period=row[1],
                period_start=dt.date.fromisoformat(row[2]),
                period_end=dt.date.fromisoformat(row[3]),
                headcount=row[4],
                active_users=row[5],
                rate=row[6],
                unmatched_users=row[7],
                suppressed=bool(row[8]),
            )
            for row in rows
        )

    def stored_reports(
        self, kind: ReportKind, *, on: dt.date | None = None
    ) -> tuple[StoredReport, ...]:
        """The stored assessments or gap reports, oldest first (only ``on``'s when given)."""
        sql = "SELECT kind, on_date, body, recorded_at FROM reports WHERE kind = ?"
        parameters: list[str] = [kind]
        if on is not None:
            sql += " AND on_date = ?"
            parameters.append(on.isoformat())
        rows = self.store.query(sql + " ORDER BY on_date", parameters)
        return tuple(
            StoredReport(row[0], dt.date.fromisoformat(row[1]), row[2], row[3]) for row in rows
        )

    def questions(self) -> tuple[QuestionState, ...]:
        """Every question's latest state, by id."""
        rows = self.store.query(
            "SELECT id, received_on, status, theme, answered_on, department, source_id "
            "FROM questions ORDER BY id"
        )
        return tuple(
            QuestionState(
                id=row[0],
                received_on=dt.date.fromisoformat(row[1]),
                status=row[2],
                theme=row[3],
                answered_on=_date(row[4]),
                department=row[5],
                source_id=row[6],
            )
            for row in rows
        )

    def plan_versions(self) -> tuple[PlanVersion, ...]:
        """Every stored plan version, oldest first."""
        rows = self.store.query(
            "SELECT id, sha256, body, created_at FROM plan_versions ORDER BY id"
        )
        return tuple(PlanVersion(*row) for row in rows)

    def completions(self) -> dict[str, dt.date]:
        """The day each completed task was done, by task id."""
        rows = self.store.query("SELECT task_id, done_on FROM task_completions ORDER BY task_id")
        return {task: dt.date.fromisoformat(day) for task, day in rows}

    # Decision decks.

    def deck(
        self,
        kind: Literal["approval", "cutover"],
        path: str | os.PathLike[str],
        *,
        today: dt.date | None = None,
        costs: str | os.PathLike[str] | None = None,
        lang: Literal["ja", "en"] | None = None,
        follow_symlinks: bool = False,
    ) -> Path:
        """Write the ``approval`` or ``cutover`` deck (pptx, or json/md/html by the suffix).

        See :mod:`backoffice_marketing.decks` and
        :mod:`~backoffice_marketing.workspace.deck_inputs`; ``costs`` defaults to the
        workspace's ``costs.toml``. The output never overwrites the store,
        ``initiative.toml``, ``costs.toml`` or a file in ``inputs/``.
        """
        deck = workspace_deck(self, kind, today=today, costs=costs, lang=lang)
        inputs = sorted(self.inputs.iterdir()) if self.inputs.is_dir() else []
        guarded = [self.path / "initiative.toml", self.path / STORE_NAME, self.path / COSTS_FILE]
        protect = tuple(
            p for p in [*guarded, *inputs, *([costs] if costs else [])] if Path(p).exists()
        )
        return deck.write(path, lang=lang, follow_symlinks=follow_symlinks, protect=protect)

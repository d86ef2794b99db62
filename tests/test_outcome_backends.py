"""The same outcome metrics on Dask, duckdb and PySpark as on polars."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from backoffice_marketing.adoption.outcome import outcome_metrics
from backoffice_marketing.adoption.outcome_readers import (
    read_email_activity,
    read_teams_activity_counts,
)
from backoffice_marketing.app import sample_exports, samples

END = dt.date(2027, 6, 6)
OPTIONS: dict[str, Any] = {
    "start": samples.LAUNCH,
    "end": END,
    "baseline": (sample_exports.BASELINE_START, samples.LAUNCH - dt.timedelta(days=1)),
}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame, Path]:
    """Three weeks of the sample company's Teams and email exports, and its roster."""
    folder = tmp_path_factory.mktemp("outcome-backends")
    chat = read_teams_activity_counts(
        sample_exports.write_teams_activity(folder / "teams.csv", end=END)
    )
    mail = read_email_activity(sample_exports.write_email_activity(folder / "email.csv", end=END))
    return chat, mail, samples.write_roster(folder / "roster.csv")


def _plain(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows with dates as ISO text and floats rounded, whatever the backend's types."""
    return [
        tuple(
            round(v, 9)
            if isinstance(v, float)
            else str(v)[:10]
            if isinstance(v, dt.date)
            else v.item()
            if hasattr(v, "item")
            else v
            for v in row
        )
        for row in rows
    ]


def _expected(logs: tuple[pl.DataFrame, pl.DataFrame, Path]) -> list[tuple[Any, ...]]:
    chat, mail, roster = logs
    frame = outcome_metrics(chat, mail, roster, **OPTIONS)
    assert isinstance(frame, pl.DataFrame)
    assert len(frame) == 19 * 3
    return _plain(frame.rows())


@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
def test_dask_gives_the_polars_outcome(logs: tuple[pl.DataFrame, pl.DataFrame, Path]) -> None:
    """Partitioned Dask frames give the same outcome rows as polars, lazily."""
    dd = pytest.importorskip("dask.dataframe")
    chat, mail, roster = logs
    result = outcome_metrics(
        dd.from_pandas(chat.to_pandas(), npartitions=3),
        dd.from_pandas(mail.to_pandas(), npartitions=2),
        roster,
        **OPTIONS,
    )
    assert isinstance(result, dd.DataFrame)
    computed = result.compute().reset_index(drop=True)
    assert _plain(list(computed.itertuples(index=False, name=None))) == _expected(logs)


def test_duckdb_gives_the_polars_outcome(logs: tuple[pl.DataFrame, pl.DataFrame, Path]) -> None:
    """A lazy SQL backend (duckdb, a cheap stand-in for Spark) gives the same rows."""
    duckdb = pytest.importorskip("duckdb")
    chat, mail, roster = logs
    result = outcome_metrics(
        duckdb.from_arrow(chat.to_arrow()), duckdb.from_arrow(mail.to_arrow()), roster, **OPTIONS
    )
    assert _plain(result.fetchall()) == _expected(logs)


def _spark_ready() -> bool:
    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.skipif(not _spark_ready(), reason="needs pyspark and a Java runtime")
def test_spark_gives_the_polars_outcome(
    logs: tuple[pl.DataFrame, pl.DataFrame, Path], tmp_path: Path
) -> None:  # pragma: no cover - runs only where pyspark and a JVM are installed
    """Local PySpark frames give the same outcome rows as polars."""
    from pyspark.sql import SparkSession  # noqa: PLC0415  (optional, heavy)

    chat, mail, roster = logs
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("backoffice-marketing-outcome")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(tmp_path))
        .getOrCreate()
    )
    try:
        result = outcome_metrics(
            spark.createDataFrame(chat.to_arrow()),
            spark.createDataFrame(mail.to_arrow()),
            roster,
            **OPTIONS,
        )
        assert _plain([tuple(row) for row in result.collect()]) == _expected(logs)
    finally:
        spark.stop()

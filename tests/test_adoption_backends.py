"""The same adoption rates on frames beyond one machine: Dask always, PySpark with a JVM."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from backoffice_marketing.adoption import adoption_rates
from backoffice_marketing.app import samples


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample company's usage log and roster as pandas frames."""
    folder = tmp_path_factory.mktemp("backends")
    usage = pd.read_csv(samples.write_usage(folder / "usage.csv"))
    roster = pd.read_csv(samples.write_roster(folder / "roster.csv"))
    return usage, roster


def _rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The rate rows as plain tuples, with ``period_start`` as a date whatever its dtype."""
    table = frame.reset_index(drop=True).copy()
    table["period_start"] = [dt.date.fromisoformat(str(day)[:10]) for day in table["period_start"]]
    return [tuple(row) for row in table.itertuples(index=False)]


# narwhals announces that Dask support moves to the separate narwhals-dask package,
# which is not published yet where these tests run; the support itself still works.
@pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
@pytest.mark.parametrize(
    "options",
    [{}, {"period": "month", "window": 7, "habit_days": 2, "lifecycle": True}],
    ids=["weekly", "monthly-with-options"],
)
def test_dask_frame_gives_the_pandas_rates(
    sample: tuple[pd.DataFrame, pd.DataFrame], options: dict[str, Any]
) -> None:
    """adoption_rates on a partitioned Dask frame gives the same rows as on pandas.

    A person active in two partitions counts once (narwhals' grouped
    ``n_unique`` on Dask would count them twice).
    """
    dd = pytest.importorskip("dask.dataframe")
    usage, roster = sample
    expected = adoption_rates(usage, roster, **options)
    result = adoption_rates(dd.from_pandas(usage, npartitions=4), roster, **options)
    assert isinstance(result, dd.DataFrame)  # lazy in, lazy out
    computed = result.compute()
    assert list(computed.columns) == list(expected.columns)
    assert _rows(computed) == _rows(expected)
    assert len(expected) > 30


def _spark_ready() -> bool:
    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.skipif(not _spark_ready(), reason="needs pyspark and a Java runtime")
def test_spark_frame_gives_the_pandas_rates(
    sample: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path
) -> None:  # pragma: no cover - runs only where pyspark and a JVM are installed
    """adoption_rates on a local PySpark frame gives the same rows as on pandas."""
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415
    from pyspark.sql import SparkSession  # noqa: PLC0415  (optional, heavy)

    usage, roster = sample
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("backoffice-marketing-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(tmp_path))
        .getOrCreate()
    )
    try:
        expected = adoption_rates(usage, roster)
        # Through Arrow and plain rows: PySpark 4's pandas conversions do not support pandas 3.
        events = spark.createDataFrame(pa.Table.from_pandas(usage, preserve_index=False))
        result = adoption_rates(events, roster)
        computed = pd.DataFrame([row.asDict() for row in result.collect()])
        assert _rows(computed.sort_values(["department", "period"])) == _rows(expected)
    finally:
        spark.stop()

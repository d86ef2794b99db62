"""Family "row limits": logs are bounded in rows as well as bytes, before they are loaded."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from backoffice_marketing.adoption import adoption_rates
from backoffice_marketing.adoption.frames import backend_errors_as_load_errors
from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation.io.bounded import check_log_rows
from backoffice_marketing.foundation.io.limits import LIMITS, MAX_LOG_ROWS

from .helpers import run_limited

pytestmark = pytest.mark.usefixtures("english_messages")


def _roster() -> pl.DataFrame:
    return pl.DataFrame({"user_id": [f"u{i}" for i in range(6)], "department": ["A"] * 6})


def test_row_limit_is_in_the_limits_table() -> None:
    """MAX_LOG_ROWS is a row of the one limits table."""
    assert any(limit.name == "MAX_LOG_ROWS" and limit.unit == "rows" for limit in LIMITS)


def test_small_parquet_of_many_rows_is_refused_before_loading(tmp_path: Path) -> None:
    """A few hundred kB of Parquet declaring millions of identical rows: refused at once."""
    path = tmp_path / "events.parquet"
    pl.select(
        pl.repeat("u1", MAX_LOG_ROWS + 1, eager=False).alias("user_id"),
        pl.lit(dt.date(2027, 6, 1)).alias("date"),
    ).write_parquet(path, compression="zstd", statistics=False)
    assert path.stat().st_size < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(LoadError) as caught:
        adoption_rates(path, _roster())
    assert time.monotonic() - started < 5
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert f"{MAX_LOG_ROWS:,}" in problem.message


def test_parquet_bomb_stays_small_under_a_memory_cap(tmp_path: Path) -> None:
    """Under 1 GiB, a file of 10^8 declared rows is a LoadError, not a panic or a kill."""
    path = tmp_path / "bomb.parquet"
    pl.select(
        pl.repeat("u1", 100_000_000, eager=False).alias("user_id"),
        pl.lit(dt.date(2027, 6, 1)).alias("date"),
    ).write_parquet(path, compression="zstd", statistics=False)
    result = run_limited(
        f"""
        import polars as pl
        from backoffice_marketing.adoption import adoption_rates
        from backoffice_marketing.exceptions import LoadError
        roster = pl.DataFrame({{"user_id": ["u1"] * 6, "department": ["A"] * 6}})
        roster = roster.with_columns(pl.Series("user_id", [f"u{{i}}" for i in range(6)]))
        try:
            adoption_rates({str(path)!r}, roster)
        except LoadError as error:
            print("refused", error.problems[0].file)
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"refused {path}"


@pytest.mark.parametrize(("lines", "refused"), [(10, False), (11, False), (12, True)])
def test_csv_rows_are_counted_while_streaming(tmp_path: Path, lines: int, refused: bool) -> None:
    """A CSV's data lines are counted chunk by chunk; over the limit is a LoadError."""
    path = tmp_path / "events.csv"
    path.write_text("user_id,date\n" + "u1,2027-06-01\n" * (lines - 1), encoding="utf-8")
    if refused:
        with pytest.raises(LoadError, match="rows or more"):
            check_log_rows(path, limit=10, what="usage log")
    else:
        assert check_log_rows(path, limit=10, what="usage log") == lines - 1


def test_file_named_parquet_that_is_not_parquet(tmp_path: Path) -> None:
    """A file called .parquet holding text is a LoadError naming it, not a pyarrow error."""
    path = tmp_path / "events.parquet"
    path.write_text("user_id,date\nu1,2027-06-01\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        adoption_rates(path, _roster())
    assert caught.value.problems[0].file == str(path)


class PanicException(BaseException):
    """Stands in for pyo3_runtime.PanicException, a BaseException."""


def test_polars_panic_becomes_a_load_error_naming_the_file() -> None:
    """A Rust panic while reading the events is a LoadError naming the file."""

    @backend_errors_as_load_errors
    def reader(_events: Any) -> None:
        raise PanicException("called `Result::unwrap()` on an `Err` value: capacity overflow")

    with pytest.raises(LoadError) as caught:
        reader("logs/events.parquet")
    problem = caught.value.problems[0]
    assert problem.file == "logs/events.parquet"
    assert "failed" in problem.message


def test_keyboard_interrupt_is_not_swallowed() -> None:
    """Only a panic becomes a LoadError: Ctrl-C still stops the program."""

    @backend_errors_as_load_errors
    def reader(_events: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reader("events.csv")

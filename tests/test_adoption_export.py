"""Exports of adoption rates through their report: CSV, JSON (one shape) and the Markdown table."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.adoption import AdoptionRates, adoption_rates
from backoffice_marketing.exceptions import InputColumnsError
from backoffice_marketing.foundation.text import Lang
from tests.schemas import validate

ROSTER = pl.DataFrame(
    {
        "user_id": [f"s{i}" for i in range(6)]
        + [f"f{i}" for i in range(6)]
        + [f"t{i}" for i in range(6)],
        "department": ["営業部"] * 6 + ["=HYPERLINK(1)"] * 6 + ["小部署A"] * 3 + ["小部署B"] * 3,
    }
)
EVENTS = pl.DataFrame(
    {
        "user_id": ["s0", "s1", "f0", "s0", "t1"],
        "timestamp": [
            dt.datetime(2027, 6, 1, 9),
            dt.datetime(2027, 6, 2, 9),
            dt.datetime(2027, 6, 2, 9),
            dt.datetime(2027, 6, 9, 9),
            dt.datetime(2027, 6, 9, 9),
        ],
    }
)


def rates_csv(rates: object) -> str:
    return AdoptionRates(rates).to_csv()


def rates_json(rates: object) -> str:
    return AdoptionRates(rates).to_json()


def rates_markdown(rates: object, *, lang: Lang = "ja", column: str = "rate") -> str:
    return AdoptionRates(rates).table_markdown(lang=lang, column=column)


@pytest.fixture(scope="module")
def rates() -> pl.DataFrame:
    result = adoption_rates(EVENTS, ROSTER, period="week")
    assert isinstance(result, pl.DataFrame)
    return result


def test_csv_is_sorted_typed_and_formula_safe(rates: pl.DataFrame) -> None:
    """Rows come sorted; the department that looks like a formula is neutralised."""
    rows = list(csv.DictReader(io.StringIO(rates_csv(rates))))
    assert [(row["department"], row["period"]) for row in rows] == sorted(
        (row["department"], row["period"]) for row in rows
    )
    assert {row["department"] for row in rows} == {"'=HYPERLINK(1)", "other", "営業部"}
    assert {row["suppressed"] for row in rows} <= {"true", "false"}
    assert all(0 <= float(row["rate"]) <= 1 for row in rows)


def test_json_round_trips_numbers_and_dates(rates: pl.DataFrame) -> None:
    """JSON keeps numbers as numbers and dates as ISO text, columns in order, schema-valid."""
    document = validate(rates_json(rates), "adoption_rates.schema.json")
    assert document["schema_version"] == 1
    assert document["columns"] == rates.columns
    first = document["rows"][0]
    assert isinstance(first["headcount"], int)
    assert isinstance(first["rate"], float)
    assert dt.date.fromisoformat(first["period_start"])
    assert len(document["rows"]) == rates.height


def test_json_has_one_shape_whatever_the_columns() -> None:
    """A frame with fewer rate columns gives the same keys, its rows only the columns it has."""
    frame = pl.DataFrame(
        {"department": ["a"], "period": ["W1"], "rate": [0.5], "note": ["x"], "suppressed": [False]}
    )
    document = validate(rates_json(frame), "adoption_rates.schema.json")
    assert set(document) == {"schema_version", "target", "columns", "rows", "merges"}
    assert document["columns"] == ["department", "period", "rate", "suppressed"]
    assert document["rows"] == [
        {"department": "a", "period": "W1", "rate": 0.5, "suppressed": False}
    ]


def test_markdown_pivots_periods_and_hides_suppressed(rates: pl.DataFrame) -> None:
    """Departments in rows, weeks in columns; 'other' is translated; names are escaped."""
    english = rates_markdown(rates, lang="en")
    assert english.splitlines()[0] == "| Department | 2027-W22 | 2027-W23 |"
    assert "| 営業部 | 33% | 17% |" in english
    assert "Other" in english
    assert "その他" in rates_markdown(rates, lang="ja")
    suppressed = rates.with_columns(pl.lit(True).alias("suppressed"))
    assert "| 営業部 | — | — |" in rates_markdown(suppressed, lang="en")


def test_same_output_from_pandas(rates: pl.DataFrame) -> None:
    """Rates computed on pandas export to the same text as on polars."""
    native = adoption_rates(EVENTS.to_pandas(), ROSTER.to_pandas(), period="week")
    assert isinstance(native, pd.DataFrame)
    assert rates_csv(native) == rates_csv(rates)
    assert rates_markdown(native) == rates_markdown(rates)


def test_missing_columns_are_named() -> None:
    """A frame without the columns the export needs gets a clear error."""
    with pytest.raises(InputColumnsError, match="period"):
        rates_csv(pl.DataFrame({"department": ["a"]}))
    with pytest.raises(InputColumnsError, match="window_rate"):
        rates_markdown(pl.DataFrame({"department": ["a"], "period": ["p"]}), column="window_rate")


@given(st.permutations(list(range(5))))
def test_row_order_does_not_matter(order: list[int]) -> None:
    """Shuffled input rows export to the same bytes."""
    frame = pl.DataFrame(
        {
            "department": ["b", "a", "b", "a", "c"],
            "period": ["W2", "W1", "W1", "W2", "W1"],
            "rate": [0.1, 0.2, 0.3, 0.4, 0.5],
            "suppressed": [False] * 5,
        }
    )
    shuffled = frame[order]
    assert rates_csv(shuffled) == rates_csv(frame)
    assert rates_json(shuffled) == rates_json(frame)
    assert rates_markdown(shuffled) == rates_markdown(frame)


def test_an_unclassified_report_flags_nothing_and_skips_withheld_cells() -> None:
    """Without a classification nothing is flagged; withheld or empty cells are not drawn."""
    frame = pl.DataFrame(
        {
            "department": ["a", "a", "b"],
            "period": ["W1", "W2", "W1"],
            "period_start": [dt.datetime(2027, 6, 7, 0, 0)] * 3,
            "rate": [0.5, None, 0.4],
            "headcount": [10, 10, None],
            "suppressed": [False, False, True],
        }
    )
    report = AdoptionRates(frame)
    assert report.flagged == frozenset()
    assert report.series() == {"a": [("W1", 0.5)]}
    assert ">a<" in report.chart_svg(small_multiples=True)
    assert "| a | 50% | — |" in report.overview_markdown(lang="en")
    assert AdoptionRates.from_frame(report, target=0.5).frame is frame
    document = validate(report.to_json(), "adoption_rates.schema.json")
    assert document["rows"][0]["period_start"] == "2027-06-07"  # a datetime column is a day
    assert "rate" not in document["rows"][1]  # an empty cell is left out, not invented
    assert "headcount" not in document["rows"][2]
    assert report.to_csv().splitlines()[2].split(",")[3] == ""  # and empty in CSV


_Cell = tuple[str, str, int, float, bool]
_CELLS = st.tuples(
    st.sampled_from(["営業部", "経理部", "=cmd", "a|b", "other"]),
    st.sampled_from(["2027-W20", "2027-W21", "2027-W22"]),
    st.integers(min_value=0, max_value=500),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.booleans(),
)


@given(st.lists(_CELLS, max_size=12, unique_by=lambda cell: (cell[0], cell[1])))
def test_json_rows_carry_every_cell_as_given(cells: list[_Cell]) -> None:
    """The JSON rows are the frame's cells, typed, sorted by department and period, valid."""
    frame = pl.DataFrame(
        cells,
        schema={
            "department": pl.String,
            "period": pl.String,
            "headcount": pl.Int64,
            "rate": pl.Float64,
            "suppressed": pl.Boolean,
        },
        orient="row",
    )
    document = validate(rates_json(frame), "adoption_rates.schema.json")
    expected = [
        {"department": d, "period": p, "headcount": h, "rate": r, "suppressed": s}
        for d, p, h, r, s in sorted(cells, key=lambda cell: (cell[0], cell[1]))
    ]
    assert document["rows"] == expected
    assert document["columns"] == ["department", "period", "headcount", "rate", "suppressed"]

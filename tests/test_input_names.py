"""A missing column names the file it is missing from (roster, usage log), not a stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from backoffice_marketing import adoption
from backoffice_marketing.exceptions import InputColumnsError

pytest.importorskip("narwhals", reason="adoption needs the [data] extra")


def _files(tmp_path: Path, usage_header: str, roster_header: str) -> tuple[Path, Path]:
    usage = tmp_path / "usage.csv"
    usage.write_text(f"{usage_header}\na,2027-04-01T09:00:00\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(f"{roster_header}\na,営業部\n", encoding="utf-8")
    return usage, roster


@pytest.mark.parametrize("as_text", [False, True])
def test_a_roster_path_is_named(tmp_path: Path, as_text: bool) -> None:
    """A roster given as a Path or as text is named by its path in the column error."""
    usage, roster = _files(tmp_path, "user_id,timestamp", "user,dept")
    given = str(roster) if as_text else roster
    with pytest.raises(InputColumnsError) as caught:
        adoption.adoption_rates(usage, given, period="week")
    assert str(roster) in str(caught.value)
    assert "<roster>" not in str(caught.value)


@pytest.mark.parametrize("function", ["adoption_rates", "unmatched_users", "funnel"])
def test_a_usage_log_path_is_named(tmp_path: Path, function: str) -> None:
    """A usage log without its user column is named by its path, whichever function reads it."""
    usage, roster = _files(tmp_path, "user,timestamp", "user_id,department")
    with pytest.raises(InputColumnsError) as caught:
        getattr(adoption, function)(usage, roster)
    assert str(usage) in str(caught.value)


def test_a_usage_log_without_a_time_column_is_named(tmp_path: Path) -> None:
    """A usage log without timestamp or date is named by its path."""
    usage, roster = _files(tmp_path, "user_id,when", "user_id,department")
    with pytest.raises(InputColumnsError) as caught:
        adoption.adoption_rates(usage, roster)
    assert str(usage) in str(caught.value)


def test_a_frame_is_named_by_its_kind() -> None:
    """Data that is not a file is named by what it is."""
    from backoffice_marketing.adoption.frames import input_name  # noqa: PLC0415

    assert input_name({"a": [1]}, "roster") == "<roster>"

"""Parts of the voice report display on their own, the same as inside the report."""

from __future__ import annotations

from typing import Any

import pytest

from backoffice_marketing.voice import VoiceReport, pulse_summary
from tests.test_voice_case_b import answers, questions, report  # noqa: F401  (fixtures)
from tests.test_voice_measures import _pulse


@pytest.mark.parametrize("part", ["coverage", "traceability", "stats"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_part_is_the_report_section(report: VoiceReport, part: str, lang: str) -> None:
    """Each part renders the section of the report, heading first, and displays in Jupyter."""
    value: Any = getattr(report, part)
    assert value is not None
    text = value.to_markdown(lang)
    assert text.startswith("## ")
    assert text.strip() in report.to_markdown(lang)
    assert value._repr_markdown_() == value.to_markdown("ja")


def test_pulse_summary_displays() -> None:
    """A pulse summary renders its table, with the company row and 'other' translated."""
    summary = pulse_summary(_pulse(), {"sales": 20, "tiny": 2, "plant": 8})
    english = summary.to_markdown("en")
    assert english.startswith("## ")
    assert "| sales |" in english
    assert english.strip() in VoiceReport(as_of=summary.held_on, pulse=summary).to_markdown("en")

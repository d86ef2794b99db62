"""Shared display of the voice report's parts.

:class:`~backoffice_marketing.voice.hearings.Coverage`,
:class:`~backoffice_marketing.voice.decisions.Traceability`,
:class:`~backoffice_marketing.voice.stats.ResponseStats` and
:class:`~backoffice_marketing.voice.pulse.PulseSummary` render the same
section as in :meth:`VoiceReport.to_markdown
<backoffice_marketing.voice.report.VoiceReport.to_markdown>` (one template
serves both) and follow the report protocol (:mod:`backoffice_marketing.core.report`).
"""

from __future__ import annotations

from typing import ClassVar

from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.text import Lang

__all__ = ["ReportPart"]


class ReportPart(Report):
    """Mixin: a section of the voice report (``_part``) as a report of its own."""

    __slots__ = ()
    _part: ClassVar[str]

    def _markdown(self, lang: Lang) -> str:
        """The part as the Markdown section of the voice report (employee text escaped)."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_part.md.j2", lang, part=self._part, value=self).lstrip("\n")

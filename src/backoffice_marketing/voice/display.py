"""Parts of the voice report that display on their own, in a notebook or a portal.

:class:`~backoffice_marketing.voice.hearings.Coverage`,
:class:`~backoffice_marketing.voice.decisions.Traceability`,
:class:`~backoffice_marketing.voice.stats.ResponseStats` and
:class:`~backoffice_marketing.voice.pulse.PulseSummary` render the same
section as in :meth:`VoiceReport.to_markdown
<backoffice_marketing.voice.report.VoiceReport.to_markdown>` (one template
serves both), and Jupyter shows it.
"""

from __future__ import annotations

from typing import ClassVar

from backoffice_marketing.text import Lang

__all__ = ["ReportPart"]


class ReportPart:
    """Mixin: ``to_markdown(lang)`` and rich display from the report section ``_part``."""

    __slots__ = ()
    _part: ClassVar[str]

    def to_markdown(self, lang: Lang = "ja") -> str:
        """The part as the Markdown section of the voice report (employee text escaped)."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_part.md.j2", lang, part=self._part, value=self).lstrip("\n")

    def _repr_markdown_(self) -> str:
        from backoffice_marketing.text import display_language  # noqa: PLC0415

        return self.to_markdown(display_language())

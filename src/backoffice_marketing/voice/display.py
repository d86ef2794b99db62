"""Shared display and export of the voice report, its parts and the FAQ.

:class:`~backoffice_marketing.voice.hearings.Coverage`,
:class:`~backoffice_marketing.voice.decisions.Traceability`,
:class:`~backoffice_marketing.voice.stats.ResponseStats` and
:class:`~backoffice_marketing.voice.pulse.PulseSummary` render the same
section as in :meth:`VoiceReport.to_markdown
<backoffice_marketing.voice.report.VoiceReport.to_markdown>` (one template
serves both), and Jupyter shows it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from backoffice_marketing.text import Lang

__all__ = ["JsonExport", "ReportPart"]


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


class JsonExport:
    """Mixin: ``to_dict()`` and ``to_json()`` for the voice report and the FAQ."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the shape of :meth:`to_json`): ``schema_version`` 1, then every field.

        Only what the rendered report shows is there: text under the privacy
        floor is already withheld, and dates are ISO strings.
        """
        from backoffice_marketing.io.converter import converter  # noqa: PLC0415

        return {"schema_version": 1, **converter.unstructure(self)}

    def to_json(self) -> str:
        """The same content as JSON (UTF-8, fields as declared, byte-identical for equal input)."""
        from backoffice_marketing.io.converter import dump_text  # noqa: PLC0415

        return dump_text(self.to_dict(), "json")

"""The one report protocol every report-like object follows.

A report (a checklist, a score, a plan, a gap report, adoption rates, a FAQ,
a review, ...) offers the same surface:

- ``to_dict()``: plain data through the one cattrs converter, headed by
  ``schema_version``;
- ``to_json()``: that data as JSON, valid against the JSON Schema shipped as
  ``schemas/<kind>.schema.json`` (:func:`schema`);
- ``to_markdown(*, lang=None)`` and ``to_html(*, lang=None)``; ``lang=None``
  means the display language (``with bm.display_language("en"): ...``);
- ``_repr_mimebundle_``: HTML, Markdown and plain text for Jupyter;
- ``write(path, *, format=None, lang=None)``: the format from the suffix
  (``md``, ``html``, ``json`` and, where the type supports them, ``xlsx``,
  ``csv``, ``ics``, ``mmd``, ``png``, ``svg``), always through the one safe
  writer.

A class joins by deriving from :class:`Report`, naming its ``report_kind`` and
implementing ``_markdown(lang)``; it overrides ``_html(lang)`` when it has an
HTML template of its own (else its Markdown is shown in the house HTML page),
and ``_export(fmt, lang)`` for extra formats listed in ``write_formats``. When
its JSON is not simply its fields, it names in ``json_shape`` an attrs record
of the shape with a classmethod ``of(report)`` (see
:mod:`backoffice_marketing.foundation.io.shapes`): the one converter writes that record,
and the schema is generated from it.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any, ClassVar

from backoffice_marketing.exceptions import UnsupportedFormatError
from backoffice_marketing.foundation.text import Lang, resolve_lang

__all__ = ["SCHEMA_VERSION", "Report", "markdown_to_html", "report_kinds", "schema"]

#: The version of every JSON shape this library writes (reports and saved files).
SCHEMA_VERSION = 1

#: Every report kind, filled as classes that derive from :class:`Report` are defined.
_KINDS: dict[str, type[Report]] = {}


class Report:
    """Mixin: the report protocol (see the module documentation)."""

    __slots__ = ()
    #: The name of the report's JSON shape and schema file.
    report_kind: ClassVar[str]
    #: The formats :meth:`write` accepts, by file suffix.
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json")
    #: Whether the JSON keeps every key, ``null`` for no value (plans, gap reports);
    #: otherwise fields without a value are left out.
    keeps_none: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("report_kind")
        if isinstance(kind, str):
            _KINDS[kind] = cls

    # -- data -------------------------------------------------------------------------
    def _data(self) -> dict[str, Any]:
        """The report's plain data: its fields (or its ``json_shape``) through the converter."""
        from backoffice_marketing.foundation.io.converter import plain_data  # noqa: PLC0415

        return plain_data(self, keep_none=self.keeps_none)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``schema_version``, then the report's content."""
        return {"schema_version": SCHEMA_VERSION, **self._data()}

    def to_data(self) -> dict[str, Any]:
        """Deprecated: use :meth:`to_dict` (the same plain data)."""
        from backoffice_marketing.foundation.deprecation import warn_deprecated  # noqa: PLC0415

        warn_deprecated(f"{type(self).__name__}.to_data()", "to_dict()")
        return self.to_dict()

    def to_json(self) -> str:
        """The report as JSON (UTF-8, deterministic), valid against :func:`schema`."""
        from backoffice_marketing.foundation.io.converter import dump_text  # noqa: PLC0415

        return dump_text(self.to_dict(), "json")

    # -- text -------------------------------------------------------------------------
    def _markdown(self, lang: Lang) -> str:
        raise NotImplementedError

    def _html(self, lang: Lang) -> str:
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        markdown = self._markdown(lang)
        title = next(
            (line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")),
            self.report_kind,
        )
        return render(
            "report.html.j2", lang, title=title, body=markdown_to_html(markdown), report=self
        )

    def to_markdown(self, *, lang: Lang | None = None) -> str:
        """The report as Markdown (employee-written text escaped)."""
        return self._markdown(resolve_lang(lang))

    def to_html(self, *, lang: Lang | None = None) -> str:
        """The report as a standalone HTML page (autoescaped)."""
        return self._html(resolve_lang(lang))

    def _repr_mimebundle_(
        self,
        include: object = None,  # noqa: ARG002  (IPython's signature)
        exclude: object = None,  # noqa: ARG002
    ) -> dict[str, str]:
        from backoffice_marketing.render.notebook import fragment  # noqa: PLC0415

        lang = resolve_lang(None)
        return {
            "text/html": fragment(self._html(lang)),
            "text/markdown": self._markdown(lang),
            "text/plain": repr(self),
        }

    # -- files ------------------------------------------------------------------------
    def _export(self, fmt: str, lang: Lang) -> bytes:  # noqa: ARG002  (overridden per type)
        """The bytes of an extra format of ``write_formats`` (md, html, json are built in)."""
        raise UnsupportedFormatError(fmt, self.write_formats)  # pragma: no cover - guarded

    def to_bytes(self, format: str, *, lang: Lang | None = None) -> bytes:  # noqa: A002
        """The report in ``format`` (one of ``write_formats``) as bytes."""
        fmt = format.lower().lstrip(".")
        if fmt not in self.write_formats:
            raise UnsupportedFormatError(f".{fmt}", self.write_formats)
        chosen = resolve_lang(lang)
        if fmt == "md":
            return self._markdown(chosen).encode("utf-8")
        if fmt == "html":
            return self._html(chosen).encode("utf-8")
        if fmt == "json":
            return self.to_json().encode("utf-8")
        return self._export(fmt, chosen)

    def write(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,  # noqa: A002  (the protocol's name)
        lang: Lang | None = None,
        follow_symlinks: bool = False,
        protect: tuple[str | os.PathLike[str], ...] = (),
    ) -> Path:
        """Write the report to ``path`` through the one safe writer; return the path.

        The format comes from ``format`` or else from the suffix of ``path``.
        ``protect`` names files that must never be overwritten (a command's own
        inputs); a symlink is replaced only with ``follow_symlinks=True``.
        """
        from backoffice_marketing.foundation.io.atomic import write_bytes_atomic  # noqa: PLC0415

        target = Path(path)
        fmt = format if format is not None else target.suffix
        if not fmt:
            raise UnsupportedFormatError(str(path), self.write_formats)
        data = self.to_bytes(fmt, lang=lang)
        return write_bytes_atomic(target, data, follow_symlinks=follow_symlinks, protect=protect)


def report_kinds() -> dict[str, type[Report]]:
    """Every report kind and its class (for tools that dispatch on ``kind``)."""
    _import_all()
    return dict(sorted(_KINDS.items()))


def _import_all() -> None:
    import importlib  # noqa: PLC0415

    for module in _REPORT_MODULES:
        importlib.import_module(module)


#: The modules that define report classes (imported by :func:`report_kinds`).
_REPORT_MODULES = (
    "backoffice_marketing.core.checklist",
    "backoffice_marketing.core.assessment",
    "backoffice_marketing.core.scoring",
    "backoffice_marketing.diagnosis.stages",
    "backoffice_marketing.voice",
    "backoffice_marketing.materials",
    "backoffice_marketing.diagnosis.planning.plan",
    "backoffice_marketing.diagnosis.gaps",
    "backoffice_marketing.adoption.diffusion",
    "backoffice_marketing.adoption.classification",
    "backoffice_marketing.adoption.report",
    "backoffice_marketing.adoption.funnel",
    "backoffice_marketing.adoption.exit_criteria",
    "backoffice_marketing.workspace.run",
    "backoffice_marketing.workspace.load",
    "backoffice_marketing.readiness",
    "backoffice_marketing.decks.model",
)


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema shipped for the report kind ``kind``."""
    name = f"{kind}.schema.json"
    from importlib import resources  # noqa: PLC0415  (only when reading package data)

    resource = resources.files("backoffice_marketing.schemas").joinpath(name)
    if not resource.is_file():
        raise UnsupportedFormatError(name, sorted(_KINDS))
    loaded: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


def markdown_to_html(markdown: str) -> str:
    """HTML for the library's own Markdown (tables on; raw HTML in it stays text)."""
    from markdown_it import MarkdownIt  # noqa: PLC0415

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return str(parser.render(markdown))

"""The shipped readiness survey instrument and its exports for survey tools.

The instrument (``data/readiness-survey.toml``) holds two or three statements
per element of readiness, in Japanese and English, each answered on a 1-5
scale from "strongly disagree" to "strongly agree", and one optional
free-text question ("what would help?").

:meth:`Instrument.form_rows` gives the rows a person pastes into Microsoft
Forms or Google Forms (question, kind, choices, required); ``write`` saves
them as CSV or xlsx. :meth:`Instrument.apps_script` gives a Google Apps
Script that creates the form in Google Forms in one run (Microsoft Forms has
no import format; its "Quick import" reads the same rows from a Word file).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from backoffice_marketing.exceptions import UnsupportedFormatError
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic
from backoffice_marketing.foundation.io.converter import structure_document
from backoffice_marketing.foundation.io.documents import load_package_document
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.foundation.validators import FieldValueError, non_blank
from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.render.cells import neutralise
from backoffice_marketing.voice.storage import xlsx_bytes

__all__ = [
    "AGREEMENT_LABELS",
    "FreeTextQuestion",
    "Instrument",
    "Statement",
    "default_instrument",
]

#: The answer labels of the 1-5 scale, from 5 (strongly agree) down to 1, per language.
AGREEMENT_LABELS: dict[Lang, tuple[str, ...]] = {
    "ja": (
        "とてもそう思う",
        "そう思う",
        "どちらともいえない",
        "そう思わない",
        "まったくそう思わない",
    ),
    "en": (
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ),
}


@attrs.frozen
class Statement:
    """One statement of the survey, scored 1-5, measuring one element."""

    id: str = attrs.field(validator=non_blank)
    element: Element = attrs.field(converter=Element)
    ja: str = attrs.field(validator=non_blank)
    en: str = attrs.field(validator=non_blank)

    def text(self, lang: Lang) -> str:
        """The statement in ``lang``."""
        return self.ja if lang == "ja" else self.en


@attrs.frozen
class FreeTextQuestion:
    """The optional free-text question."""

    id: str = attrs.field(validator=non_blank)
    ja: str = attrs.field(validator=non_blank)
    en: str = attrs.field(validator=non_blank)

    def text(self, lang: Lang) -> str:
        """The question in ``lang``."""
        return self.ja if lang == "ja" else self.en


def _statements(values: Iterable[Statement]) -> tuple[Statement, ...]:
    return tuple(values)


def _complete(_instance: object, _attribute: object, value: tuple[Statement, ...]) -> None:
    seen: set[str] = set()
    for index, statement in enumerate(value):
        if statement.id in seen:
            raise FieldValueError(
                ("statements", index, "id"), f"duplicate statement id {statement.id!r}"
            )
        seen.add(statement.id)
    for element in ELEMENTS:
        if not any(statement.element is element for statement in value):
            raise FieldValueError(("statements",), f"no statement measures {element.value!r}")


@attrs.frozen
class Instrument:
    """A readiness survey: statements per element and an optional free-text question."""

    id: str = attrs.field(validator=non_blank)
    title: LocalizedText
    intro: LocalizedText
    statements: tuple[Statement, ...] = attrs.field(converter=_statements, validator=_complete)
    free_text: FreeTextQuestion | None = None
    scale: int = 5

    def __repr__(self) -> str:
        return f"<Instrument {self.id!r} statements={len(self.statements)}>"

    def of(self, element: Element) -> tuple[Statement, ...]:
        """The statements that measure ``element``."""
        return tuple(s for s in self.statements if s.element is element)

    def form_rows(self, *, lang: Lang) -> tuple[tuple[str, str, str, str], ...]:
        """``(question, kind, choices, required)`` per question, ready to paste into a form."""
        choices = " / ".join(AGREEMENT_LABELS[lang])
        kind = "選択肢(1つ)" if lang == "ja" else "Choice (one answer)"
        yes, no = ("必須", "任意") if lang == "ja" else ("required", "optional")
        rows = [(s.text(lang), kind, choices, yes) for s in self.statements]
        if self.free_text is not None:
            text_kind = "テキスト(長文)" if lang == "ja" else "Text (long answer)"
            rows.append((self.free_text.text(lang), text_kind, "", no))
        return tuple(rows)

    def form_header(self, *, lang: Lang) -> tuple[str, str, str, str]:
        """The header of :meth:`form_rows`."""
        if lang == "ja":
            return ("質問", "種類", "選択肢", "回答")
        return ("Question", "Kind", "Choices", "Answer")

    def form_bytes(self, fmt: str, *, lang: Lang) -> bytes:
        """The form rows as ``csv`` (UTF-8 with a byte-order mark) or ``xlsx`` bytes."""
        header, rows = self.form_header(lang=lang), self.form_rows(lang=lang)
        if fmt == "xlsx":
            return xlsx_bytes(self.id[:31], header, rows)
        if fmt != "csv":
            raise UnsupportedFormatError(f".{fmt}", ("csv", "xlsx", "gs"))

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[neutralise(cell) for cell in row] for row in rows])
        return buffer.getvalue().encode("utf-8-sig")

    def apps_script(self, *, lang: Lang) -> str:
        """A Google Apps Script that creates this survey as a Google Form."""

        def q(text: str) -> str:
            return json.dumps(text, ensure_ascii=False)

        choices = ", ".join(q(label) for label in AGREEMENT_LABELS[lang])
        lines = [
            "// Run once at script.google.com: creates the readiness survey as a Google Form.",
            "function createReadinessSurvey() {",
            f"  var form = FormApp.create({q(self.title.get(lang))});",
            f"  form.setDescription({q(self.intro.get(lang))});",
            "  var item;",
        ]
        for statement in self.statements:
            lines += [
                "  item = form.addMultipleChoiceItem();",
                (
                    f"  item.setTitle({q(statement.text(lang))}).setChoiceValues([{choices}])"
                    ".setRequired(true);"
                ),
            ]
        if self.free_text is not None:
            lines.append(f"  form.addParagraphTextItem().setTitle({q(self.free_text.text(lang))});")
        lines += ["  Logger.log(form.getEditUrl());", "}", ""]
        return "\n".join(lines)

    def write(self, path: str | os.PathLike[str], *, lang: Lang = "ja") -> Path:
        """Write the form as ``.csv``, ``.xlsx`` or ``.gs`` (Apps Script), safely."""
        target = Path(path)
        fmt = target.suffix.lower().lstrip(".")
        data = (
            self.apps_script(lang=lang).encode("utf-8")
            if fmt == "gs"
            else self.form_bytes(fmt, lang=lang)
        )
        return write_bytes_atomic(target, data)


@functools.cache
def default_instrument() -> Instrument:
    """The shipped readiness survey (``data/readiness-survey.toml``)."""
    return structure_document(load_package_document("readiness-survey.toml"), Instrument)

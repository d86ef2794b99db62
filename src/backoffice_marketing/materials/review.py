"""Linting a document: :func:`lint` and the :class:`Review` it returns.

The score
---------
``score`` runs from 0 to 100; higher means easier for the reader. It combines
three parts, each between 0 and 1::

    score = 100 * (0.45 * style + 0.35 * reader + 0.20 * readability)

``style``
    ``exp(-d)``, where ``d`` is the weighted number of writing findings per
    sentence (info 0.25, warning 1, error 2); the reader-check findings are
    not counted here. A document without writing findings scores 1.
``reader``
    the weighted share of reader checks passed: why 3, what changes 2, when
    2, reader action 3, where to ask 2, conclusion first 1 (the weights of
    the matching checklist items).
``readability``
    the readability value normalised to [0, 1] (see
    :mod:`backoffice_marketing.materials.readability`).

A document without text scores 0. The score is rounded to one decimal.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.shapes import shape_record
from backoffice_marketing.foundation.text import Lang, check_lang, resolve_lang
from backoffice_marketing.materials import rules_en, rules_ja
from backoffice_marketing.materials.catalogue import make_finding
from backoffice_marketing.materials.glossary import Glossary, default_glossary
from backoffice_marketing.materials.model import Finding, Material, MaterialFormat
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.politeness import check_tone, is_prose
from backoffice_marketing.materials.readability import (
    Readability,
    english_readability,
    japanese_readability,
)
from backoffice_marketing.materials.reader import ReaderCheck, check_reader, header_length
from backoffice_marketing.materials.readers import SUFFIXES, material_from_text, read_material
from backoffice_marketing.materials.scoring import (
    READABILITY_SHARE,
    READER_SHARE,
    READER_WEIGHTS,
    STYLE_SHARE,
    UNSURE_SHARE,
)
from backoffice_marketing.materials.sentences import split_sentences, words

if TYPE_CHECKING:
    from backoffice_marketing.core.checklist import Answer

__all__ = ["READER_WEIGHTS", "Review", "ScoreParts", "detect_lang", "lint"]

_JAPANESE = re.compile(r"[ぁ-ゖァ-ヺ一-鿿]")
_LATIN = re.compile(r"[A-Za-z]")


@attrs.frozen
class ScoreParts:
    """The three parts of the score, each in [0, 1] (1 is best for the reader)."""

    style: float
    reader: float
    readability: float

    @property
    def score(self) -> float:
        """The score from 0 to 100 (rounded to one decimal)."""
        total = (
            STYLE_SHARE * self.style
            + READER_SHARE * self.reader
            + READABILITY_SHARE * self.readability
        )
        return round(100.0 * total, 1)


def detect_lang(text: str) -> Lang:
    """``"ja"`` when at least a fifth of the letters of ``text`` are Japanese, else ``"en"``."""
    japanese = len(_JAPANESE.findall(text))
    latin = len(_LATIN.findall(text))
    return "ja" if japanese and japanese * 5 >= japanese + latin else "en"


@shape_record  # its fields, then the score (schema_extras)
@attrs.frozen(repr=False)
class Review(Report):
    """The result of :func:`lint`: findings, reader checks, readability and score."""

    report_kind: ClassVar[str] = "materials_review"
    schema_extras: ClassVar[dict[str, Any]] = {
        "score": {"type": "number", "minimum": 0, "maximum": 100}
    }

    source: str
    format: MaterialFormat
    lang: Lang
    findings: tuple[Finding, ...]
    reader_checks: tuple[ReaderCheck, ...]
    readability: Readability
    parts: ScoreParts
    sentences: int
    characters: int
    words: int

    @property
    def score(self) -> float:
        """0 to 100, higher is easier for the reader (see the module documentation)."""
        return 0.0 if self.characters == 0 else self.parts.score

    def __repr__(self) -> str:
        return f"<Review {self.source!r} score={self.score} findings={len(self.findings)}>"

    def check(self, key: str) -> ReaderCheck:
        """The reader check ``key`` (``why``, ``when``, ``conclusion_first`` ...)."""
        return next(check for check in self.reader_checks if check.key == key)

    def counts(self) -> dict[str, int]:
        """The number of findings per rule, rules sorted."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return dict(sorted(counts.items()))

    def answers(
        self, *, collected_on: dt.date | None = None, lang: Lang | None = None
    ) -> tuple[Answer, ...]:
        """Checklist answers for the materials items this review can speak to."""
        from backoffice_marketing.materials.evidence import review_answers  # noqa: PLC0415

        return review_answers(self, collected_on=collected_on, lang=resolve_lang(lang))

    def _markdown(self, lang: Lang) -> str:
        """The review as Markdown, every quoted text escaped."""
        from backoffice_marketing.materials.render import render_review  # noqa: PLC0415

        return render_review(self, lang, "md")

    def _html(self, lang: Lang) -> str:
        """The review as a standalone, escaped HTML page."""
        from backoffice_marketing.materials.render import render_review  # noqa: PLC0415

        return render_review(self, lang, "html")


def _as_material(
    text_or_path: str | os.PathLike[str] | Material,
    format: MaterialFormat | None,  # noqa: A002
    name: str | None,
) -> Material:
    if isinstance(text_or_path, Material):
        return text_or_path
    if isinstance(text_or_path, os.PathLike):
        return read_material(text_or_path)
    if not isinstance(text_or_path, str):
        raise TypeError(
            f"lint() takes a text, a path or a Material; found {type(text_or_path).__name__}"
        )
    looks_like_path = (
        "\n" not in text_or_path
        and len(text_or_path) < 1024
        and Path(text_or_path).suffix.lower() in SUFFIXES
    )
    if looks_like_path:
        if not Path(text_or_path).is_file():
            raise LoadError([Problem(text_or_path, None, None, "", "no such file")])
        return read_material(text_or_path)
    fmt = format or "markdown"
    return material_from_text(text_or_path, format=fmt, name=name or "<text>")


def lint(
    text_or_path: str | os.PathLike[str] | Material,
    *,
    lang: Lang | str = "ja",
    glossary: Glossary | str | os.PathLike[str] | dict[str, str] | None = None,
    use_default_glossary: bool = True,
    options: LintOptions | None = None,
    format: MaterialFormat | None = None,  # noqa: A002
    name: str | None = None,
) -> Review:
    """Review a notice, rule book or briefing deck the way its reader would.

    ``text_or_path`` is the text itself (read as Markdown unless ``format``
    is ``"text"``), a path to a ``.txt``, ``.md``, ``.docx`` or ``.pptx``
    file (a one-line string ending in one of these suffixes is taken as a
    path), or a :class:`Material` already read. ``lang`` is ``"ja"``, ``"en"``
    or ``"auto"`` (detected from the text). ``glossary`` adds terms to the
    shipped glossary of back-office jargon (a :class:`Glossary`, a file, or a
    ``{term: plain}`` mapping in ``lang``); ``use_default_glossary=False``
    leaves the shipped one out. ``options`` sets thresholds and switches rules
    off. ``name`` is how the review names its source (the path by default,
    ``<text>`` for a text): give a short name to keep machine paths out of
    published reviews.
    """
    material = _as_material(text_or_path, format, name)
    if name is not None and material.name != name:
        material = attrs.evolve(material, name=name)
    chosen: Lang = detect_lang(material.text) if lang == "auto" else check_lang(lang)
    settings = options or LintOptions()
    terms = _glossary(glossary, chosen, use_default=use_default_glossary)
    blocks = material.blocks
    sentences = split_sentences(blocks, chosen)
    findings: list[Finding] = []
    rules = rules_ja if chosen == "ja" else rules_en
    for index, sentence in enumerate(sentences):
        findings.extend(rules.check_sentence(sentence, blocks, settings, terms))
        before = sentences[index - 1].text if index else ""
        findings.extend(check_tone(sentence, blocks, settings, chosen, before=before))
    if chosen == "ja":
        for block in blocks:
            findings.extend(rules_ja.check_block(block, settings))
    checks, reader_findings = check_reader(sentences, blocks, chosen, settings, material.start)
    # Sentence statistics read the prose only: table cells, headings and labels are no sentences.
    header = header_length(blocks)
    prose = [s.text for s in sentences if is_prose(s, blocks, header)]
    texts = prose or [sentence.text for sentence in sentences]
    if chosen == "ja":
        readability = japanese_readability(texts, method=settings.readability)
    else:
        readability = english_readability(texts)
    characters = sum(len("".join(text.split())) for text in texts)
    word_count = sum(len(words(text)) for text in texts)
    if not sentences:
        findings.append(make_finding("document.empty", material.start))
    weight = sum(finding.severity.weight for finding in findings)
    style = math.exp(-weight / max(len(sentences), 1))
    passed = sum(
        READER_WEIGHTS[check.key] * (1.0 if check.passed else UNSURE_SHARE)
        for check in checks
        if check.passed or check.unsure
    )
    parts = ScoreParts(
        style=round(style, 6),
        reader=round(passed / sum(READER_WEIGHTS.values()), 6),
        readability=round(readability.normalised, 6),
    )
    ordered = sorted(
        (*findings, *reader_findings), key=lambda f: (f.location.sort_key, f.rule, f.excerpt)
    )
    return Review(
        source=material.name,
        format=material.format,
        lang=chosen,
        findings=tuple(ordered),
        reader_checks=checks,
        readability=readability,
        parts=parts,
        sentences=len(sentences),
        characters=characters,
        words=word_count,
    )


def _glossary(
    glossary: Glossary | str | os.PathLike[str] | dict[str, str] | None,
    lang: Lang,
    *,
    use_default: bool,
) -> Glossary:
    base = default_glossary() if use_default else Glossary(())
    if glossary is None:
        return base
    if isinstance(glossary, Glossary):
        extra = glossary
    elif isinstance(glossary, dict):
        extra = Glossary.from_mapping(glossary, lang=lang)
    else:
        extra = Glossary.from_file(glossary)
    return base.merge(extra)

"""The shipped catalogue of rules: severity, title, message and suggestion in ja and en.

The texts live in ``data/materials/rules.toml``; a rule fills the ``{name}``
placeholders of its message and suggestion with the details of what it found.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.materials.model import Finding, Location, Severity
from backoffice_marketing.materials.sentences import cut_at_word

__all__ = ["RuleInfo", "make_finding", "rule_catalogue"]

#: The longest excerpt of the reader's text that a finding quotes.
EXCERPT_LENGTH = 40


@attrs.frozen
class RuleInfo:
    """What a rule checks and what it says when it fires."""

    severity: Severity = attrs.field(converter=Severity)
    title: LocalizedText
    message: LocalizedText
    suggestion: LocalizedText


@attrs.frozen
class _Catalogue:
    rules: dict[str, RuleInfo]


@functools.cache
def rule_catalogue() -> Mapping[str, RuleInfo]:
    """Every rule of the linter and of the announcement review, by id."""
    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    document = load_package_document("materials/rules.toml")
    return dict(structure_document(document, _Catalogue).rules)


def fill(text: LocalizedText, params: Mapping[str, object]) -> LocalizedText:
    """``text`` with its ``{name}`` placeholders replaced by ``params``."""
    return LocalizedText(ja=text.ja.format_map(params), en=text.en.format_map(params))


def excerpt(text: str) -> str:
    """``text`` on one line, cut at a word boundary to at most :data:`EXCERPT_LENGTH` characters."""
    return cut_at_word(text, EXCERPT_LENGTH)


def make_finding(
    rule: str,
    location: Location,
    *,
    quote: str = "",
    severity: Severity | None = None,
    **params: object,
) -> Finding:
    """A finding of ``rule`` at ``location``, its texts filled with ``params``."""
    info = rule_catalogue()[rule]
    return Finding(
        rule=rule,
        severity=severity or info.severity,
        location=location,
        message=fill(info.message, params),
        suggestion=fill(info.suggestion, params),
        excerpt=excerpt(quote),
    )

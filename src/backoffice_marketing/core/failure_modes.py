"""The five failure modes of back-office initiatives, with their profiles."""

from __future__ import annotations

import enum
import functools

import attrs

from backoffice_marketing.foundation.text import Lang, LocalizedText

__all__ = ["FailureMode", "FailureModeProfile"]


@attrs.frozen
class FailureModeProfile:
    """What the field says when a failure mode strikes, and what prevents it.

    ``complaint`` is what the field voices about the back office, ``cause`` the
    reason behind it, ``discipline`` the marketing discipline that was skipped
    and ``habit`` the working habit that prevents it.
    """

    name: LocalizedText
    complaint: LocalizedText
    cause: LocalizedText
    discipline: LocalizedText
    habit: LocalizedText


class FailureMode(enum.StrEnum):
    """One of the five ways a back-office initiative fails in the field.

    >>> FailureMode("two_way").label("en")
    'One-way communication'
    """

    RESEARCH = "research"
    CUSTOMER_VOICE = "customer_voice"
    ANNOUNCEMENT = "announcement"
    MATERIALS = "materials"
    TWO_WAY = "two_way"

    @property
    def profile(self) -> FailureModeProfile:
        """The bilingual profile of this failure mode (shipped as package data)."""
        return _profiles()[self]

    def label(self, lang: Lang | None = None) -> str:
        """The short name of this failure mode in ``lang`` (the display language if omitted)."""
        return self.profile.name.get(lang)


@functools.cache
def _profiles() -> dict[FailureMode, FailureModeProfile]:
    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    document = load_package_document("failure_modes.toml")
    return structure_document(document, dict[FailureMode, FailureModeProfile])

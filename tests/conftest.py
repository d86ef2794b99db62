"""Shared pytest configuration: hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="module")
def english_messages() -> Iterator[None]:
    """Show error messages in English for a module whose tests check their English text."""
    from backoffice_marketing.foundation.text import display_language  # noqa: PLC0415

    with display_language("en"):
        yield


@pytest.fixture
def in_english() -> Iterator[None]:
    """Show error messages in English for one test that checks their English text."""
    from backoffice_marketing.foundation.text import display_language  # noqa: PLC0415

    with display_language("en"):
        yield


@pytest.fixture(autouse=True)
def neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test under a neutral locale, whatever the machine's (tests may set their own)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")

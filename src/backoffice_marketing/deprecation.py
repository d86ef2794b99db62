"""Old public names kept for at least one release: they still work, and warn with versions.

Every deprecation names the release that deprecated it and the first release that
may remove it, as polars does (``version=``). The table :data:`DEPRECATIONS` lists
them all; the CHANGELOG's *Deprecated* section repeats it, and a test keeps the two
in step.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping

import attrs

__all__ = ["DEPRECATIONS", "Deprecation", "Moved", "deprecated_names", "warn_deprecated"]

#: Where an old name went: (module, name there) or (module, name there, what to use instead).
Moved = tuple[str, str] | tuple[str, str, str]

#: The release that deprecates the names of this development cycle.
DEPRECATED_IN = "0.2.0"
#: The first release that may remove them (every name stays for at least one release).
REMOVED_IN = "0.3.0"


@attrs.frozen
class Deprecation:
    """One deprecated name: what it was, what replaces it, and when."""

    name: str
    instead: str
    since: str = DEPRECATED_IN
    removed_in: str = REMOVED_IN


#: Every deprecated public name, in the order of the CHANGELOG.
DEPRECATIONS: tuple[Deprecation, ...] = (
    Deprecation("backoffice_marketing.score_assessment", "assessment.score(checklist)"),
    Deprecation(
        "backoffice_marketing.materials.count_syllables",
        "backoffice_marketing.materials.readability.count_syllables",
    ),
    Deprecation("backoffice_marketing.voice.Finding", "backoffice_marketing.voice.HearingFinding"),
    Deprecation(
        "backoffice_marketing.voice.percentile", "backoffice_marketing.voice.stats.percentile"
    ),
    Deprecation(
        "backoffice_marketing.voice.similarity", "backoffice_marketing.voice.ngrams.similarity"
    ),
    Deprecation("ReachLog.from_csv()", "ReachLog.from_file()"),
    Deprecation("VoiceReport.questions_xlsx()", "to_bytes('xlsx')"),
    Deprecation("VoiceReport.write_questions_xlsx()", "write('questions.xlsx')"),
    Deprecation("display_language() without an argument", "current_language()"),
    Deprecation("Plan.to_xlsx()", "Plan.write('plan.xlsx')"),
    Deprecation("backoffice_marketing.planning.schedule()", "Plan.from_playbook()"),
    Deprecation("Report.to_data()", "to_dict()"),
    Deprecation("backoffice_marketing.adoption.rates_json", "AdoptionRates.to_json()"),
    Deprecation("backoffice_marketing.adoption.rates_csv", "AdoptionRates.to_csv()"),
    Deprecation(
        "backoffice_marketing.adoption.rates_markdown", "AdoptionRates.table_markdown(lang=)"
    ),
    Deprecation(
        "backoffice_marketing.adoption.merges_markdown", "AdoptionRates.to_markdown(lang=)"
    ),
    Deprecation(
        "backoffice_marketing.adoption.laggards_markdown", "Classification.to_markdown(lang=)"
    ),
    Deprecation("backoffice_marketing.adoption.adoption_chart", "AdoptionRates.chart_svg(lang=)"),
    Deprecation("backoffice_marketing.adoption.latest_chart", "AdoptionRates.latest_svg(lang=)"),
    Deprecation("backoffice_marketing.adoption.save_chart", "AdoptionRates.write('chart.png')"),
)


def _message(what: str, instead: str, since: str, removed_in: str) -> str:
    return (
        f"{what} is deprecated since version {since} and will be removed in version "
        f"{removed_in}; use {instead}"
    )


def warn_deprecated(
    what: str,
    instead: str,
    *,
    since: str = DEPRECATED_IN,
    removed_in: str = REMOVED_IN,
    stacklevel: int = 3,
) -> None:
    """Warn that ``what`` is deprecated since ``since``, to be removed in ``removed_in``."""
    warnings.warn(
        _message(what, instead, since, removed_in), DeprecationWarning, stacklevel=stacklevel
    )


def deprecated_names(
    module: str,
    moved: Mapping[str, Moved],
    *,
    since: str = DEPRECATED_IN,
    removed_in: str = REMOVED_IN,
) -> Callable[[str], object]:
    """A module ``__getattr__`` serving ``moved`` (old name -> where it went), with a warning."""

    def __getattr__(name: str) -> object:  # noqa: N807  (the module hook's name)
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        target = moved[name]
        where, new = target[0], target[1]
        instead = target[2] if len(target) == 3 else f"{where}.{new}"
        warn_deprecated(
            f"{module}.{name}", instead, since=since, removed_in=removed_in, stacklevel=3
        )
        return getattr(importlib.import_module(where), new)

    return __getattr__

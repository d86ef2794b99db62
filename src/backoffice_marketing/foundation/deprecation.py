"""Old public names kept for at least one release: they still work, and warn with versions.

Every deprecation names the release that deprecated it and the first release that
may remove it, as polars does (``version=``). The table :data:`DEPRECATIONS` lists
them all; the CHANGELOG's *Deprecated* section repeats it, and a test keeps the two
in step.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings
from collections.abc import Callable, Mapping, Sequence

import attrs

__all__ = [
    "DEPRECATIONS",
    "MOVED_MODULES",
    "Deprecation",
    "Moved",
    "deprecated_names",
    "install_moved_modules",
    "moved_module",
    "warn_deprecated",
]

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
    Deprecation(
        "backoffice_marketing.adoption.ConcealedNamesError",
        "backoffice_marketing.ConcealedNamesError",
    ),
    Deprecation(
        "backoffice_marketing.adoption.DiffusionFitError", "backoffice_marketing.DiffusionFitError"
    ),
    Deprecation(
        "backoffice_marketing.adoption.InputColumnsError", "backoffice_marketing.InputColumnsError"
    ),
    Deprecation(
        "backoffice_marketing.adoption.TimestampError", "backoffice_marketing.TimestampError"
    ),
    Deprecation(
        "backoffice_marketing.adoption.UnknownTimeZoneError",
        "backoffice_marketing.UnknownTimeZoneError",
    ),
    Deprecation(
        "backoffice_marketing.voice.QuestionStateError", "backoffice_marketing.QuestionStateError"
    ),
    Deprecation(
        "backoffice_marketing.voice.UnknownQuestionError",
        "backoffice_marketing.UnknownQuestionError",
    ),
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


#: The modules that moved into the layer folders in 0.2.0: old name -> new name. They
#: were never public (the public names live in ``backoffice_marketing`` and its public
#: subpackages), but code that imported them keeps working until 0.3.0, with a warning.
MOVED_MODULES: Mapping[str, str] = {
    "backoffice_marketing.assessment": "backoffice_marketing.core.assessment",
    "backoffice_marketing.calendars": "backoffice_marketing.core.calendars",
    "backoffice_marketing.checklist": "backoffice_marketing.core.checklist",
    "backoffice_marketing.cli": "backoffice_marketing.app.cli",
    "backoffice_marketing.commands": "backoffice_marketing.app.commands",
    "backoffice_marketing.defaults": "backoffice_marketing.foundation.defaults",
    "backoffice_marketing.demo": "backoffice_marketing.app.demo",
    "backoffice_marketing.demo_outcome": "backoffice_marketing.app.demo_outcome",
    "backoffice_marketing.departments": "backoffice_marketing.core.departments",
    "backoffice_marketing.deprecation": "backoffice_marketing.foundation.deprecation",
    "backoffice_marketing.failure_modes": "backoffice_marketing.core.failure_modes",
    "backoffice_marketing.gap_privacy": "backoffice_marketing.diagnosis.gap_privacy",
    "backoffice_marketing.gaps": "backoffice_marketing.diagnosis.gaps",
    "backoffice_marketing.graphs": "backoffice_marketing.foundation.graphs",
    "backoffice_marketing.initiative": "backoffice_marketing.diagnosis.initiative",
    "backoffice_marketing.io": "backoffice_marketing.foundation.io",
    "backoffice_marketing.messages": "backoffice_marketing.foundation.messages",
    "backoffice_marketing.outcome_cli": "backoffice_marketing.app.outcome_cli",
    "backoffice_marketing.plan_check": "backoffice_marketing.diagnosis.planning.check",
    "backoffice_marketing.plan_expansion": "backoffice_marketing.diagnosis.planning.expansion",
    "backoffice_marketing.plan_records": "backoffice_marketing.diagnosis.planning.records",
    "backoffice_marketing.plan_schedule": "backoffice_marketing.diagnosis.planning.schedule",
    "backoffice_marketing.planning": "backoffice_marketing.diagnosis.planning.plan",
    "backoffice_marketing.playbooks": "backoffice_marketing.diagnosis.playbooks",
    "backoffice_marketing.privacy": "backoffice_marketing.core.privacy",
    "backoffice_marketing.readiness.sample": "backoffice_marketing.app.readiness_sample",
    "backoffice_marketing.replanning": "backoffice_marketing.diagnosis.planning.replan",
    "backoffice_marketing.report": "backoffice_marketing.core.report",
    "backoffice_marketing.sample_exports": "backoffice_marketing.app.sample_exports",
    "backoffice_marketing.samples": "backoffice_marketing.app.samples",
    "backoffice_marketing.scheduling": "backoffice_marketing.diagnosis.planning.scheduler",
    "backoffice_marketing.scoring": "backoffice_marketing.core.scoring",
    "backoffice_marketing.shipped_names": "backoffice_marketing.foundation.shipped_names",
    "backoffice_marketing.stages": "backoffice_marketing.diagnosis.stages",
    "backoffice_marketing.text": "backoffice_marketing.foundation.text",
    "backoffice_marketing.validators": "backoffice_marketing.foundation.validators",
}


def moved_module(name: str) -> str | None:
    """Where the old module ``name`` (or a submodule of an old package) lives now, if it moved."""
    if name in MOVED_MODULES:
        return MOVED_MODULES[name]
    for old, new in MOVED_MODULES.items():
        if name.startswith(old + "."):
            return new + name[len(old) :]
    return None


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves an old module name with the module at its new place, and warns once per name."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,  # noqa: ARG002  (the finder protocol's signature)
        target: types.ModuleType | None = None,  # noqa: ARG002
    ) -> importlib.machinery.ModuleSpec | None:
        if moved_module(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        new = moved_module(spec.name) or spec.name  # find_spec answered only for moved names
        warn_deprecated(
            f"the module {spec.name}",
            f"the public names of backoffice_marketing (it moved to {new}, which is internal)",
            stacklevel=2,
        )
        return importlib.import_module(new)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the module at the new place is already loaded."""


def install_moved_modules() -> None:
    """Let the old module names of :data:`MOVED_MODULES` import (with a warning); idempotent."""
    if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedModuleFinder())

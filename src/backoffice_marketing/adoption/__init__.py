"""Adoption analytics: measure each department until the field has changed.

Usage logs and HR rosters in (any dataframe narwhals supports, or CSV and
Parquet paths), per-department adoption out; diffusion fits and cut-over
advice; funnel and champion coverage; checklist evidence; charts (the
library's own SVG, through :class:`AdoptionRates`).
Heavy libraries (narwhals, numpy, scipy) are imported only when a function
needs them; a missing one raises
:class:`~backoffice_marketing.exceptions.MissingExtraError` naming the extra.
The free renderers of 0.1 (``rates_json``, ``adoption_chart``, ...) still
answer, with a ``DeprecationWarning`` naming the method that replaces them.
"""

from __future__ import annotations

from backoffice_marketing.adoption import evidence
from backoffice_marketing.adoption.classification import (
    LOGIT_MARGIN,
    Classification,
    DepartmentStanding,
    Reason,
    Standing,
    classify,
    classify_rows,
    members_of,
    merge_notes,
)
from backoffice_marketing.adoption.diffusion import (
    AdopterCategory,
    BassFit,
    CutoverAdvice,
    DepartmentForecast,
    Forecast,
    LogisticFit,
    adopter_categories,
    cutover_advice,
    fit_bass,
    fit_logistic,
    series_from_rates,
)
from backoffice_marketing.adoption.exit_criteria import (
    ExitRule,
    OutcomeEvaluation,
    OutcomeStatus,
    SlideBack,
    evaluate_outcome,
    outcome_statuses,
    slide_back,
)
from backoffice_marketing.adoption.export import RateRow, rates_rows
from backoffice_marketing.adoption.funnel import (
    ChampionCoverage,
    Funnel,
    FunnelRow,
    champion_coverage,
    funnel,
)
from backoffice_marketing.adoption.laggards import (
    Laggard,
    LaggardReason,
    Laggards,
    laggards,
    laggards_from,
)
from backoffice_marketing.adoption.one_on_one import (
    OneOnOneOutcome,
    OneOnOneRate,
    one_on_one_outcome,
)
from backoffice_marketing.adoption.outcome import OUTCOME_COLUMNS, outcome_metrics, share_definition
from backoffice_marketing.adoption.outcome_readers import (
    parse_column_mapping,
    read_email_activity,
    read_mapped,
    read_message_trace,
    read_teams_activity_counts,
)
from backoffice_marketing.adoption.periods import Period, PeriodSpec
from backoffice_marketing.adoption.rates import (
    RATE_COLUMNS,
    adoption_rates,
    department_groups,
    unmatched_users,
)
from backoffice_marketing.adoption.readers import (
    read_slack_member_analytics,
    read_teams_user_activity,
)
from backoffice_marketing.adoption.report import AdoptionRates, AdoptionRatesData
from backoffice_marketing.adoption.roster import Roster, RosterColumns, read_roster
from backoffice_marketing.foundation.deprecation import deprecated_names
from backoffice_marketing.foundation.public_names import claim_all

_OLD = "backoffice_marketing.adoption.deprecated_functions"

__all__ = [
    "LOGIT_MARGIN",
    "OUTCOME_COLUMNS",
    "RATE_COLUMNS",
    "AdopterCategory",
    "AdoptionRates",
    "AdoptionRatesData",
    "BassFit",
    "ChampionCoverage",
    "Classification",
    "CutoverAdvice",
    "DepartmentForecast",
    "DepartmentStanding",
    "ExitRule",
    "Forecast",
    "Funnel",
    "FunnelRow",
    "Laggard",
    "LaggardReason",
    "Laggards",
    "LogisticFit",
    "OneOnOneOutcome",
    "OneOnOneRate",
    "OutcomeEvaluation",
    "OutcomeStatus",
    "Period",
    "PeriodSpec",
    "RateRow",
    "Reason",
    "Roster",
    "RosterColumns",
    "SlideBack",
    "Standing",
    "adopter_categories",
    "adoption_rates",
    "champion_coverage",
    "classify",
    "classify_rows",
    "cutover_advice",
    "department_groups",
    "evaluate_outcome",
    "evidence",
    "fit_bass",
    "fit_logistic",
    "funnel",
    "laggards",
    "laggards_from",
    "members_of",
    "merge_notes",
    "one_on_one_outcome",
    "outcome_metrics",
    "outcome_statuses",
    "parse_column_mapping",
    "rates_rows",
    "read_email_activity",
    "read_mapped",
    "read_message_trace",
    "read_roster",
    "read_slack_member_analytics",
    "read_teams_activity_counts",
    "read_teams_user_activity",
    "series_from_rates",
    "share_definition",
    "slide_back",
    "unmatched_users",
]

#: The free renderers of 0.1 and the methods that replace them, and the error classes,
#: which live in :mod:`backoffice_marketing.exceptions` (and the top package); their old
#: places here keep working until 0.3.0, with a warning (DEPRECATIONS lists them).
__getattr__ = deprecated_names(
    __name__,
    {
        "rates_json": (_OLD, "rates_json", "AdoptionRates.to_json()"),
        "rates_csv": (_OLD, "rates_csv", "AdoptionRates.to_csv()"),
        "rates_markdown": (_OLD, "rates_markdown", "AdoptionRates.table_markdown(lang=)"),
        "merges_markdown": (_OLD, "merges_markdown", "AdoptionRates.to_markdown(lang=)"),
        "laggards_markdown": (_OLD, "laggards_markdown", "Classification.to_markdown(lang=)"),
        "adoption_chart": (_OLD, "adoption_chart", "AdoptionRates.chart_svg(lang=)"),
        "latest_chart": (_OLD, "latest_chart", "AdoptionRates.latest_svg(lang=)"),
        "save_chart": (_OLD, "save_chart", "AdoptionRates.write('chart.png')"),
    }
    | {
        name: ("backoffice_marketing.exceptions", name, f"backoffice_marketing.{name}")
        for name in (
            "ConcealedNamesError",
            "DiffusionFitError",
            "InputColumnsError",
            "TimestampError",
            "UnknownTimeZoneError",
        )
    },
)
claim_all(globals(), __name__, __all__)

"""Adoption analytics: measure each department until the field has changed.

Usage logs and HR rosters in (any dataframe narwhals supports, or CSV and
Parquet paths), per-department adoption out; diffusion fits and cut-over
advice; funnel and champion coverage; checklist evidence; charts.
Heavy libraries (narwhals, numpy, scipy, altair) are imported only when a
function needs them; a missing one raises
:class:`~backoffice_marketing.exceptions.MissingExtraError` naming the extra.
"""

from __future__ import annotations

from backoffice_marketing.adoption import evidence
from backoffice_marketing.adoption.charts import adoption_chart, latest_chart, save_chart
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
    merges_markdown,
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
from backoffice_marketing.adoption.export import rates_csv, rates_json, rates_markdown, rates_rows
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
    laggards_markdown,
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
from backoffice_marketing.adoption.report import AdoptionRates
from backoffice_marketing.adoption.roster import Roster, RosterColumns, read_roster
from backoffice_marketing.foundation.deprecation import deprecated_names
from backoffice_marketing.foundation.public_names import claim_all

__all__ = [
    "LOGIT_MARGIN",
    "OUTCOME_COLUMNS",
    "RATE_COLUMNS",
    "AdopterCategory",
    "AdoptionRates",
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
    "Reason",
    "Roster",
    "RosterColumns",
    "SlideBack",
    "Standing",
    "adopter_categories",
    "adoption_chart",
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
    "laggards_markdown",
    "latest_chart",
    "members_of",
    "merge_notes",
    "merges_markdown",
    "one_on_one_outcome",
    "outcome_metrics",
    "outcome_statuses",
    "parse_column_mapping",
    "rates_csv",
    "rates_json",
    "rates_markdown",
    "rates_rows",
    "read_email_activity",
    "read_mapped",
    "read_message_trace",
    "read_roster",
    "read_slack_member_analytics",
    "read_teams_activity_counts",
    "read_teams_user_activity",
    "save_chart",
    "series_from_rates",
    "share_definition",
    "slide_back",
    "unmatched_users",
]

#: Error classes live in :mod:`backoffice_marketing.exceptions` (and the top package);
#: their old place here keeps working until 0.3.0, with a warning.
__getattr__ = deprecated_names(
    __name__,
    {
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

"""The outcome of a change, per department and period: ``outcome_metrics``.

Activity says who opened the new tool; the outcome says whether the old way
fell. One frame, one row per published department and period, holds:

* ``new_way_share``: chat messages ÷ (chat messages + emails sent). Internal
  email only where the mail source can tell internal recipients apart (a
  message trace read with the company's domains); ``mail_scope`` says which
  (``internal`` or ``all``), and :func:`share_definition` words it for every
  output;
* ``habit_rate``: the share of the department active on at least ``k`` of
  the period's business days (3 of 5 by default, scaled to short weeks),
  beside ``any_use_rate`` (active at least once);
* depth: ``messages_per_active`` and, where the export has them, the share
  of active people who used team chat, private chat, calls and meetings;
* the old way: ``emails_per_person``, its ``baseline_emails_per_person`` in
  the weeks before launch and ``email_change`` since, and
  ``old_way_users``, the people who sent at least as many emails as chat
  messages (they still rely on the old way).

People in the logs and not in the roster are counted in
``unmatched_users``, never as members of a department. The query is written
in narwhals and stays lazy on lazy inputs, so it runs on polars, pandas,
pyarrow, duckdb, Dask and PySpark with the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from backoffice_marketing.adoption.clock import check_text_timestamps, check_timezone, with_day
from backoffice_marketing.adoption.frames import (
    InputColumnsError,
    backend_errors_as_load_errors,
    collect,
    input_name,
    narwhals,
    table_like,
    to_frame,
)
from backoffice_marketing.adoption.periods import PeriodSpec, day_number, from_day_number
from backoffice_marketing.adoption.rates import WITHHELD, spell_rows
from backoffice_marketing.adoption.roster import (
    DEFAULT_COLUMNS,
    UNMATCHED,
    RosterColumns,
    read_roster,
)
from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.text import LocalizedText

__all__ = [
    "DEPTH_COLUMNS",
    "HABIT_DAYS",
    "HABIT_OF",
    "OUTCOME_COLUMNS",
    "habit_threshold",
    "outcome_metrics",
    "share_definition",
]

#: Default habit rule: active on at least HABIT_DAYS of every HABIT_OF business days.
HABIT_DAYS = 3
HABIT_OF = 5
#: Optional per-person columns of a chat log whose use is reported as a share of active people.
DEPTH_COLUMNS = ("team_chat", "private_chat", "calls", "meetings")

#: The columns of every :func:`outcome_metrics` result, in order (depth columns follow).
OUTCOME_COLUMNS = (
    "department",
    "period",
    "period_start",
    "headcount",
    "active_users",
    "any_use_rate",
    "habit_users",
    "habit_rate",
    "chat_messages",
    "emails_sent",
    "new_way_share",
    "messages_per_active",
    "emails_per_person",
    "baseline_emails_per_person",
    "email_change",
    "old_way_users",
    "unmatched_users",
    "suppressed",
    "mail_scope",
)


def share_definition(mail_scope: str) -> LocalizedText:
    """The definition of ``new_way_share`` for ``mail_scope`` (``internal`` or ``all``)."""
    if mail_scope == "internal":
        return LocalizedText(
            ja="新しいやり方の比率 = チャットのメッセージ数 ÷ "
            "(チャットのメッセージ数 + 社内宛てに送ったメール数)",
            en="New way's share = chat messages ÷ "
            "(chat messages + emails sent to internal recipients)",
        )
    return LocalizedText(
        ja="新しいやり方の比率 = チャットのメッセージ数 ÷ (チャットのメッセージ数 + 送信メール数。"
        "社外宛ても含みます。社内だけを数えるにはメッセージ追跡ログを使ってください)",
        en="New way's share = chat messages ÷ (chat messages + emails sent, external ones "
        "included; a message trace counts internal email on its own)",
    )


def habit_threshold(business_days: int, *, days: int = HABIT_DAYS, of: int = HABIT_OF) -> int:
    """Business days of activity that make a habit in a period of ``business_days``.

    ``days`` of every ``of`` business days, rounded up, at least 1: 3 in a
    week of 5, 2 in a week of 3, 12 in a month of 20.
    """
    if business_days <= 0:
        return 1
    return max(1, math.ceil(days * business_days / of - 1e-9))


def _check_counts(frame: Any, columns: Sequence[str], source: str) -> None:
    """Negative or non-numeric counts are errors naming the file, column and first rows."""
    nw = narwhals()
    schema = frame.collect_schema()
    problems: list[Problem] = []
    for name in columns:
        if name not in schema:
            continue
        dtype = schema[name]
        if not dtype.is_numeric():
            problems.append(
                Problem(
                    source, None, None, name, f"expected whole numbers of messages; found {dtype}"
                )
            )
            continue
        bad = collect(frame.filter(nw.col(name) < 0).select(nw.col(name)).head(5))
        if len(bad):
            found = ", ".join(str(v) for v in bad[name].to_list())
            problems.append(
                Problem(source, None, None, name, f"counts cannot be negative; found {found}")
            )
    if problems:
        raise LoadError(problems)


def _days(frame: Any, *, user_id: str, date: str, timezone: str, source: str) -> Any:
    """``frame`` with ``__user`` and ``__day`` (the organisation's day number)."""
    nw = narwhals()
    schema = frame.collect_schema()
    if date not in schema and "timestamp" in schema:
        date = "timestamp"  # a usage log with timestamps: their day in ``timezone``
    if user_id not in schema or date not in schema:
        missing = [name for name in (user_id, date) if name not in schema]
        raise InputColumnsError(source, missing, list(schema.names()))
    dtype = schema[date]
    sample = None
    if isinstance(dtype, nw.String):
        values = collect(frame.select(nw.col(date)))[date].to_list()
        sample = check_text_timestamps(values, column=date, source=source)
    elif not isinstance(dtype, nw.Date | nw.Datetime):
        raise LoadError(
            [Problem(source, None, None, date, f"expected dates or timestamps; found {dtype}")]
        )
    frame = frame.filter(~nw.col(date).is_null() & ~nw.col(user_id).is_null())
    frame = with_day(frame, nw, date, dtype, timezone, sample=sample)
    return frame.with_columns(nw.col(user_id).cast(nw.String).alias("__user"))


def _prepared(
    frame: Any,
    counts: Mapping[str, str],
    *,
    user_id: str,
    date: str,
    timezone: str,
    source: str,
    first: int,
    last: int,
) -> Any:
    """Per person and day: the sum of each of ``counts`` (output name to input column)."""
    nw = narwhals()
    _check_counts(frame, list(counts.values()), source)
    staged = _days(frame, user_id=user_id, date=date, timezone=timezone, source=source)
    present = set(staged.collect_schema().names())
    staged = staged.filter((nw.col("__day") >= first) & (nw.col("__day") <= last))
    values = [
        (
            nw.col(column).cast(nw.Int64).fill_null(0) if column in present else nw.lit(0, nw.Int64)
        ).alias(name)
        for name, column in counts.items()
    ]
    return staged.select(nw.col("__user"), nw.col("__day").cast(nw.Int64), *values)


def _report_periods(frame: Any) -> set[int]:
    nw = narwhals()
    if "report_period" not in frame.collect_schema().names():
        return set()
    data = collect(frame.select(nw.col("report_period")).unique())
    return {int(v) for v in data["report_period"].to_list() if v is not None}


def _check_same_period(chat: Any, mail: Any, chat_source: str, mail_source: str) -> None:
    chat_periods, mail_periods = _report_periods(chat), _report_periods(mail)
    if chat_periods and mail_periods and chat_periods != mail_periods:
        raise LoadError(
            [
                Problem(
                    mail_source,
                    None,
                    None,
                    "Report Period",
                    f"the mail export covers {sorted(mail_periods)} day(s) per report and "
                    f"{chat_source} covers {sorted(chat_periods)}; export both for the same "
                    "report period",
                )
            ]
        )


@backend_errors_as_load_errors
def outcome_metrics(  # noqa: PLR0912, PLR0915  (one documented pipeline)
    chat: Any,
    mail: Any,
    roster: Any,
    *,
    start: dt.date,
    end: dt.date,
    period: str = "week",
    baseline: tuple[dt.date, dt.date] | None = None,
    habit_days: int = HABIT_DAYS,
    habit_of: int = HABIT_OF,
    calendar: BusinessCalendar | str | None = "JP",
    timezone: str = "Asia/Tokyo",
    fiscal_year_start: int = 4,
    min_group_size: int = MIN_GROUP_SIZE,
    user_id: str = "user_id",
    date: str = "date",
    chat_count: str = "count",
    mail_count: str = "sent",
    internal_count: str = "internal_sent",
    roster_columns: RosterColumns = DEFAULT_COLUMNS,
    known_departments: Sequence[str] | None = None,
) -> Any:
    """Outcome per published department and period from ``start`` to ``end``, as one frame.

    ``chat`` has ``user_id``, ``date`` (a date or timestamp) and
    ``chat_count`` (messages that day), and optionally the depth columns
    ``team_chat``, ``private_chat``, ``calls``, ``meetings``;
    ``mail`` has ``user_id``, ``date`` and ``mail_count`` (emails sent), and
    ``internal_count`` when the source tells internal recipients apart (then
    the share counts internal email only). Both are any frame narwhals
    supports or a CSV/Parquet path; the result is the kind of ``chat``.
    ``baseline`` is the range of days before launch whose email volume per
    person and period ``email_change`` compares with. The result's columns
    are :data:`OUTCOME_COLUMNS` (plus ``<depth>_rate`` for each depth column
    present); see the module docstring for each one. With
    ``known_departments`` (the initiative's), a roster department outside
    them is warned about, with the nearest known name.
    """
    nw = narwhals()
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    if isinstance(habit_days, bool) or not isinstance(habit_days, int) or habit_days < 1:
        raise ValueError(f"habit_days must be a positive integer; found {habit_days!r}")
    if isinstance(habit_of, bool) or not isinstance(habit_of, int) or habit_of < habit_days:
        raise ValueError(f"habit_of must be an integer >= habit_days; found {habit_of!r}")
    zone = check_timezone(timezone)
    spec = PeriodSpec(period, fiscal_year_start)
    chat_source = os.fspath(chat) if isinstance(chat, str | os.PathLike) else "<chat>"
    mail_source = os.fspath(mail) if isinstance(mail, str | os.PathLike) else "<mail>"
    chat_frame = to_frame(chat, what="chat")
    mail_frame = to_frame(mail, what="mail")
    _check_same_period(chat_frame, mail_frame, chat_source, mail_source)
    parsed = read_roster(roster, columns=roster_columns, timezone=zone)
    if known_departments is not None:
        from backoffice_marketing.adoption.outcome_readers import (  # noqa: PLC0415
            warn_unknown_departments,
        )

        source = input_name(roster, "roster")
        warn_unknown_departments(parsed.departments, known_departments, source=source)
    first, last = day_number(start), day_number(end)
    keys = spec.keys_between(first, last)
    span_first, span_last = spec.bounds(keys[0])[0], spec.bounds(keys[-1])[1]
    base_keys: tuple[int, ...] = ()
    low, high = span_first, span_last
    if baseline is not None:
        base_first, base_last = day_number(baseline[0]), day_number(baseline[1])
        if base_last < base_first:
            raise ValueError(f"baseline ends {baseline[1]} before it starts {baseline[0]}")
        base_keys = spec.keys_between(base_first, base_last)
        low = min(low, spec.bounds(base_keys[0])[0])
    chat_schema = chat_frame.collect_schema().names()
    depth = tuple(name for name in DEPTH_COLUMNS if name in chat_schema)
    internal = internal_count in mail_frame.collect_schema().names()
    mail_scope = "internal" if internal else "all"
    if chat_count not in chat_schema:
        raise InputColumnsError(chat_source, [chat_count], list(chat_schema))
    mail_names = mail_frame.collect_schema().names()
    if mail_count not in mail_names:
        raise InputColumnsError(mail_source, [mail_count], list(mail_names))
    zero = dict.fromkeys(("__chat", "__mail", *(f"__d_{n}" for n in depth)), "\x00none")
    chat_counts = {**zero, "__chat": chat_count, **{f"__d_{n}": n for n in depth}}
    mail_counts = {**zero, "__mail": internal_count if internal else mail_count}
    chat_days = _prepared(
        chat_frame, chat_counts, user_id=user_id, date=date, timezone=zone,
        source=chat_source, first=low, last=high,
    )  # fmt: skip
    mail_days = _prepared(
        mail_frame, mail_counts, user_id=user_id, date=date, timezone=zone,
        source=mail_source, first=low, last=high,
    )  # fmt: skip
    if chat_days.implementation is not mail_days.implementation or isinstance(
        chat_days, nw.LazyFrame
    ) != isinstance(mail_days, nw.LazyFrame):
        # One backend for the join: the mail log follows the chat log.
        eager = collect(mail_days)
        mail_days = table_like(
            {name: eager[name].to_list() for name in eager.columns}, dict(eager.schema), chat_days
        )
    value_names = list(chat_counts)
    days = nw.concat([chat_days, mail_days.select("__user", "__day", *value_names)])
    days = days.group_by("__user", "__day").agg(*(nw.col(n).sum() for n in value_names))

    # The business days of the whole span and the habit threshold of each period.
    business = calendar if isinstance(calendar, BusinessCalendar) else BusinessCalendar(calendar)
    all_keys = sorted({*keys, *base_keys})
    business_days: list[int] = []
    need: dict[int, int] = {}
    for key in all_keys:
        lo, hi = spec.bounds(key)
        open_days = [d for d in range(lo, hi + 1) if business.is_business_day(from_day_number(d))]
        business_days.extend(open_days)
        need[key] = habit_threshold(len(open_days), days=habit_days, of=habit_of)

    # Roster spells in their published groups (departments under the floor rolled up);
    # every event meets one row: its group, or UNMATCHED (not on the roster that day).
    groups = parsed.roll_up(spec, keys, min_group_size=min_group_size)
    assignment = dict(groups.assignment)
    for name in parsed.departments:
        assignment.setdefault(name, WITHHELD)  # on the roster, in no published figure
    # The same spells as adoption_rates joins on (one rule for both).
    spells = spell_rows(parsed, assignment, [str(user) for user in parsed.users])
    # Groups travel as integer codes through the big join and aggregations (-1: unmatched).
    codes = {name: code for code, name in enumerate(sorted(set(spells["__group"])))}
    spells["__group"] = [-1 if g == UNMATCHED else codes[g] for g in spells["__group"]]
    spell_schema = {
        "__ruser": nw.String(),
        "__group": nw.Int64(),
        "__start": nw.Int64(),
        "__end": nw.Int64(),
        "__tiled": nw.Boolean(),
    }
    days = spec_key(days, spec)
    if parsed.open_ended:  # no dates in the roster: a person's group never changes
        spell_table = table_like(
            {"__ruser": spells["__ruser"], "__group": spells["__group"]},
            {"__ruser": nw.String(), "__group": nw.Int64()},
            days,
        )
        joined = days.join(spell_table, left_on="__user", right_on="__ruser", how="left")
        matched = joined.with_columns(nw.col("__group").fill_null(-1))
    else:
        spell_table = table_like(spells, spell_schema, days)
        inside = (nw.col("__day") >= nw.col("__start")) & (nw.col("__day") <= nw.col("__end"))
        joined = days.join(spell_table, left_on="__user", right_on="__ruser", how="left")
        matched = joined.filter(
            nw.col("__tiled").is_null() | ~nw.col("__tiled") | inside
        ).with_columns(
            nw.when(nw.col("__group").is_null() | ~inside)
            .then(nw.lit(-1, nw.Int64))
            .otherwise(nw.col("__group"))
            .alias("__group")
        )
    # Flags first, then plain sums: every backend aggregates plain columns the same way.
    is_business = nw.col("__day").is_in(business_days)
    flagged = matched.with_columns(
        ((nw.col("__chat") > 0) & is_business).cast(nw.Int64).alias("__bday"),
        *((nw.col(f"__d_{n}") > 0).cast(nw.Int64).alias(f"__d_{n}") for n in depth),
    )
    per_person = flagged.group_by("__group", "__key", "__user").agg(
        nw.col("__chat").sum(),
        nw.col("__mail").sum(),
        nw.col("__bday").sum(),
        *(nw.col(f"__d_{n}").max() for n in depth),
    )
    need_table = table_like(
        {"__key": list(need), "__need": list(need.values())},
        {"__key": nw.Int64(), "__need": nw.Int64()},
        days,
    )
    active = nw.col("__chat") > 0
    per_person = per_person.join(need_table, on="__key", how="left").with_columns(
        active.cast(nw.Int64).alias("active_users"),
        (active & (nw.col("__bday") >= nw.col("__need"))).cast(nw.Int64).alias("habit_users"),
        ((nw.col("__mail") > 0) & (nw.col("__mail") >= nw.col("__chat")))
        .cast(nw.Int64)
        .alias("old_way_users"),
        *((active & (nw.col(f"__d_{n}") > 0)).cast(nw.Int64).alias(f"__d_{n}") for n in depth),
    )
    aggregated = per_person.group_by("__group", "__key").agg(
        nw.len().alias("__people"),
        nw.col("active_users").sum(),
        nw.col("habit_users").sum(),
        nw.col("__chat").sum().alias("chat_messages"),
        nw.col("__mail").sum().alias("emails_sent"),
        nw.col("old_way_users").sum(),
        *(nw.col(f"__d_{n}").sum() for n in depth),
    )
    # Unmatched: people active in a period on days they were not on the roster.
    unmatched = aggregated.filter(nw.col("__group") == -1).select(
        "__key", nw.col("__people").alias("unmatched_users")
    )

    # The spine: every published group and period with its headcount and baseline.
    heads = parsed.headcounts(spec, list(keys), assignment)
    base_heads = parsed.headcounts(spec, list(base_keys), assignment) if base_keys else {}
    names = sorted({group.id for group in groups.published})
    base_people = dict.fromkeys(names, 0)
    for (name, _), count in base_heads.items():
        base_people[name] = base_people.get(name, 0) + count
    spine_rows = [(name, key) for name in names for key in keys]
    spine_data: dict[str, list[Any]] = {
        "department": [n for n, _ in spine_rows],
        "__group": [codes.get(n, -2) for n, _ in spine_rows],
        "__key": [k for _, k in spine_rows],
        "period": [spec.label(k) for _, k in spine_rows],
        "period_start": [from_day_number(spec.bounds(k)[0]) for _, k in spine_rows],
        "headcount": [heads.get((n, k), 0) for n, k in spine_rows],
        "__base_people": [base_people.get(n, 0) for n, _ in spine_rows],
    }
    spine_schema = {
        "department": nw.String(),
        "__group": nw.Int64(),
        "__key": nw.Int64(),
        "period": nw.String(),
        "period_start": nw.Date(),
        "headcount": nw.Int64(),
        "__base_people": nw.Int64(),
    }
    spine = table_like(spine_data, spine_schema, days)
    result = spine.join(
        aggregated.filter(nw.col("__key").is_in(list(keys))),
        on=["__group", "__key"],
        how="left",
    )
    if base_keys:
        base_mail = (
            aggregated.filter(nw.col("__key").is_in(list(base_keys)))
            .group_by("__group")
            .agg(nw.col("emails_sent").sum().alias("__base_mail"))
        )
        result = result.join(base_mail, on="__group", how="left")
    else:
        result = result.with_columns(nw.lit(None, nw.Int64).alias("__base_mail"))
    result = result.join(unmatched, on="__key", how="left")
    counts = ["active_users", "habit_users", "chat_messages", "emails_sent", "old_way_users"]
    counts += [f"__d_{n}" for n in depth]
    result = result.with_columns(
        *(nw.col(name).fill_null(0).cast(nw.Int64) for name in counts),
        nw.col("unmatched_users").fill_null(0).cast(nw.Int64),
        (nw.col("headcount") < min_group_size).alias("suppressed"),
    )
    hidden = nw.col("suppressed")
    result = result.with_columns(
        *(
            nw.when(hidden).then(nw.lit(0, nw.Int64)).otherwise(nw.col(name)).alias(name)
            for name in counts
        )
    )
    head = nw.col("headcount").cast(nw.Float64)
    actives = nw.col("active_users").cast(nw.Float64)
    messages = (nw.col("chat_messages") + nw.col("emails_sent")).cast(nw.Float64)
    per_person_mail = nw.col("emails_sent").cast(nw.Float64) / head
    base = nw.col("__base_mail").cast(nw.Float64) / nw.col("__base_people").cast(nw.Float64)
    result = result.with_columns(
        nw.when(head > 0).then(actives / head).otherwise(0.0).alias("any_use_rate"),
        nw.when(head > 0)
        .then(nw.col("habit_users").cast(nw.Float64) / head)
        .otherwise(0.0)
        .alias("habit_rate"),
        nw.when(messages > 0)
        .then(nw.col("chat_messages").cast(nw.Float64) / messages)
        .otherwise(0.0)
        .alias("new_way_share"),
        nw.when(actives > 0)
        .then(nw.col("chat_messages").cast(nw.Float64) / actives)
        .otherwise(0.0)
        .alias("messages_per_active"),
        nw.when(head > 0).then(per_person_mail).otherwise(0.0).alias("emails_per_person"),
        nw.when(~hidden & (nw.col("__base_people") > 0) & ~nw.col("__base_mail").is_null())
        .then(base)
        .otherwise(None)
        .alias("baseline_emails_per_person"),
        *(
            nw.when(actives > 0)
            .then(nw.col(f"__d_{n}").cast(nw.Float64) / actives)
            .otherwise(0.0)
            .alias(f"{n}_rate")
            for n in depth
        ),
        nw.lit(mail_scope).alias("mail_scope"),
    )
    base_value = nw.col("baseline_emails_per_person")
    result = result.with_columns(
        nw.when(base_value > 0)
        .then(nw.col("emails_per_person") / base_value - 1.0)
        .otherwise(None)
        .alias("email_change")
    )
    columns = [*OUTCOME_COLUMNS, *(f"{n}_rate" for n in depth)]
    ordered = result.select(columns).sort("department", "period")
    return ordered.to_native()


def spec_key(frame: Any, spec: PeriodSpec) -> Any:
    """``frame`` with ``__key``, the period of its ``__day`` column."""
    from backoffice_marketing.adoption.periods import with_key  # noqa: PLC0415

    return with_key(frame, narwhals(), spec)

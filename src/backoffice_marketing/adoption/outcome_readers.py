"""Readers for the exports that measure the outcome: the old way's volume and chat depth.

* **Email activity user details** (Microsoft 365 admin center > Reports >
  Usage > Exchange > Email activity, or Graph's
  ``getEmailActivityUserDetail``): one row per mailbox with ``Send Count``,
  ``Receive Count`` and ``Read Count`` for a ``Report Period`` ending on the
  ``Report Refresh Date``. Gives ``user_id``, ``date`` (the refresh date),
  ``sent``, ``received``, ``read`` and ``report_period``. External mail is
  included: the share then counts all email (``mail_scope`` ``all``).
* **Microsoft Teams user activity user details**
  (``getTeamsUserActivityUserDetail``): gives ``user_id``, ``date``,
  ``count`` (team chat + private chat messages), ``team_chat``,
  ``private_chat``, ``calls``, ``meetings`` and ``report_period``.
* **A message trace** (Exchange admin center > Mail flow > Message trace,
  or ``Get-MessageTrace``): one row per message and recipient. Senders in
  the company's ``domains`` give ``user_id``, ``date``, ``sent`` (messages)
  and ``internal_sent`` (messages whose every recipient is internal), so
  internal email is counted on its own.
* **Any CSV or Parquet** with :func:`read_mapped` and a column mapping
  (``{"user_id": "社員番号"}``), as HR and mail systems never use our names.

Microsoft 365 conceals user names in reports by default (a hash instead of
the address). A concealed export is refused with
:class:`ConcealedNamesError`, which names the admin setting: it would never
match the roster, and joining it would be silently wrong. Negative or
non-numeric counts are errors naming the file, line and column.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from backoffice_marketing.adoption.frames import narwhals, to_frame
from backoffice_marketing.exceptions import ConcealedNamesError, LoadError, Problem
from backoffice_marketing.foundation.io.csv_rows import csv_rows, read_text_file

__all__ = [
    "EMAIL_ACTIVITY_COLUMNS",
    "MESSAGE_TRACE_COLUMNS",
    "TEAMS_ACTIVITY_COUNTS",
    "ConcealedNamesError",
    "parse_column_mapping",
    "read_email_activity",
    "read_mapped",
    "read_message_trace",
    "read_teams_activity_counts",
    "unknown_departments",
    "warn_unknown_departments",
]

#: The header of getEmailActivityUserDetail (Microsoft Graph v1.0), in order.
EMAIL_ACTIVITY_COLUMNS = (
    "Report Refresh Date",
    "User Principal Name",
    "Display Name",
    "Is Deleted",
    "Deleted Date",
    "Last Activity Date",
    "Send Count",
    "Receive Count",
    "Read Count",
    "Meeting Created Count",
    "Meeting Interacted Count",
    "Assigned Products",
    "Has Other Action",
    "Report Period",
)
#: The Teams user-detail count columns read, and the name each gets.
TEAMS_ACTIVITY_COUNTS = (
    ("Team Chat Message Count", "team_chat"),
    ("Private Chat Message Count", "private_chat"),
    ("Call Count", "calls"),
    ("Meeting Count", "meetings"),
)
#: Accepted names of the message-trace columns (Get-MessageTrace, then the portal's CSV).
MESSAGE_TRACE_COLUMNS = {
    "sender": ("SenderAddress", "Sender Address", "sender_address", "Sender"),
    "recipient": ("RecipientAddress", "Recipient Address", "recipient_address", "Recipient"),
    "time": ("Received", "Date", "date_time_utc", "Received (UTC)"),
    "message": ("MessageId", "Message ID", "message_id", "MessageTraceId"),
}
_HASH = re.compile(r"^[0-9A-Fa-f]{16,64}$")


def _check_concealed(path: Path, column: str, values: Sequence[str]) -> None:
    filled = [value for value in values if value]
    hashed = [value for value in filled if "@" not in value and _HASH.match(value)]
    if filled and len(hashed) * 2 > len(filled):
        raise ConcealedNamesError(str(path), column, hashed)


def _paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return sorted(Path(p) for p in paths)


def _date(text: str) -> dt.date | None:
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    return None


def _count(
    path: Path, line: int, header: Sequence[str], name: str, text: str | None
) -> int | Problem:
    value = (text or "").strip()
    if not value:
        return 0
    if value.isdigit():
        return int(value)
    what = "a whole number >= 0"
    return Problem(
        str(path), line, header.index(name) + 1, name, f"expected {what}; found {value!r}"
    )


def _missing(path: Path, header: Sequence[str], required: Sequence[str]) -> list[Problem]:
    return [
        Problem(str(path), 1, None, name, f"missing column {name!r}; found {', '.join(header)}")
        for name in required
        if name not in header
    ]


def _frame(data: Mapping[str, list[Any]], schema: Mapping[str, Any], backend: str | None) -> Any:
    import importlib.util  # noqa: PLC0415

    nw = narwhals()
    installed = (n for n in ("polars", "pandas") if importlib.util.find_spec(n) is not None)
    chosen = backend or next(installed, "pyarrow")
    return nw.from_dict(dict(data), schema=dict(schema), backend=chosen)


def _report_rows(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    counts: Sequence[tuple[str, str]],
    user_column: str,
) -> tuple[list[tuple[str, dt.date, int, tuple[int, ...]]], list[Problem]]:
    """Rows of Microsoft 365 user-detail reports: (user, refresh date, period, counts)."""
    rows: list[tuple[str, dt.date, int, tuple[int, ...]]] = []
    problems: list[Problem] = []
    periods: dict[int, str] = {}
    for path in _paths(paths):
        header, records = csv_rows(read_text_file(path), file=str(path))
        required = ("Report Refresh Date", user_column, *(name for name, _ in counts))
        missing = _missing(path, header, required)
        if missing:
            problems.extend(missing)
            continue
        _check_concealed(
            path, user_column, [(r.get(user_column) or "").strip() for _, r in records]
        )
        for line, record in records:
            user = (record.get(user_column) or "").strip()
            if not user:
                continue
            when = _date(record.get("Report Refresh Date") or "")
            if when is None:
                problems.append(
                    Problem(str(path), line, header.index("Report Refresh Date") + 1,
                            "Report Refresh Date", "expected a date such as 2027-06-30")
                )  # fmt: skip
                continue
            period_text = (record.get("Report Period") or "0").strip()
            period = int(period_text) if period_text.isdigit() else 0
            last = _date(record.get("Last Activity Date") or "")
            if period == 1 and last is not None:
                when = last  # a daily (date=) export: the day of the activity
            periods.setdefault(period, str(path))
            values: list[int] = []
            for name, _ in counts:
                found = _count(path, line, header, name, record.get(name))
                if isinstance(found, Problem):
                    problems.append(found)
                    found = 0
                values.append(found)
            rows.append((user, when, period, tuple(values)))
    if len(periods) > 1:
        listed = ", ".join(f"{days} days in {file}" for days, file in sorted(periods.items()))
        problems.append(
            Problem(max(periods.values()), None, None, "Report Period",
                    f"the exports cover different report periods ({listed}); export all for one")
        )  # fmt: skip
    return rows, problems


def read_email_activity(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    user_column: str = "User Principal Name",
    backend: str | None = None,
) -> Any:
    """The old way's volume from Email activity user detail exports (one row per person and file).

    Columns: ``user_id``, ``date`` (the report refresh date), ``sent``,
    ``received``, ``read``, ``report_period`` (days the counts cover).
    """
    nw = narwhals()
    counts = (("Send Count", "sent"), ("Receive Count", "received"), ("Read Count", "read"))
    rows, problems = _report_rows(paths, counts, user_column)
    if problems:
        raise LoadError(problems)
    data: dict[str, list[Any]] = {
        "user_id": [r[0] for r in rows],
        "date": [r[1] for r in rows],
        **{name: [r[3][i] for r in rows] for i, (_, name) in enumerate(counts)},
        "report_period": [r[2] for r in rows],
    }
    schema = {"user_id": nw.String(), "date": nw.Date()}
    schema |= {name: nw.Int64() for _, name in counts} | {"report_period": nw.Int64()}
    return _frame(data, schema, backend).to_native()


def read_teams_activity_counts(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    user_column: str = "User Principal Name",
    backend: str | None = None,
) -> Any:
    """Chat messages and depth from Teams user activity user detail exports.

    Columns: ``user_id``, ``date`` (the report refresh date), ``count``
    (team chat + private chat messages), ``team_chat``, ``private_chat``,
    ``calls``, ``meetings``, ``report_period``.
    """
    nw = narwhals()
    rows, problems = _report_rows(paths, TEAMS_ACTIVITY_COUNTS, user_column)
    if problems:
        raise LoadError(problems)
    names = [name for _, name in TEAMS_ACTIVITY_COUNTS]
    data: dict[str, list[Any]] = {
        "user_id": [r[0] for r in rows],
        "date": [r[1] for r in rows],
        "count": [r[3][0] + r[3][1] for r in rows],
        **{name: [r[3][i] for r in rows] for i, name in enumerate(names)},
        "report_period": [r[2] for r in rows],
    }
    schema = {"user_id": nw.String(), "date": nw.Date(), "count": nw.Int64()}
    schema |= {name: nw.Int64() for name in names} | {"report_period": nw.Int64()}
    return _frame(data, schema, backend).to_native()


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower() if "@" in address else ""


def _pick(header: Sequence[str], kind: str, mapping: Mapping[str, str]) -> str | None:
    if kind in mapping:
        return mapping[kind]
    return next((name for name in MESSAGE_TRACE_COLUMNS[kind] if name in header), None)


def read_message_trace(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    domains: Iterable[str],
    columns: Mapping[str, str] | None = None,
    backend: str | None = None,
) -> Any:
    """Emails sent per internal sender and day from message-trace CSV exports.

    A message is one ``message`` id (or one row when the trace has none);
    several recipients may share a cell, separated by ``;`` or ``,``. A
    message is internal when every recipient's domain is one of ``domains``.
    Senders outside ``domains`` are left out (they are not employees).
    ``columns`` maps ``sender``, ``recipient``, ``time``, ``message`` to
    other header names. Columns: ``user_id``, ``date`` (UTC day of the
    trace time), ``sent``, ``internal_sent``.
    """
    nw = narwhals()
    own = frozenset(d.strip().lower().lstrip("@") for d in domains if d.strip())
    if not own:
        raise ValueError("domains must name at least one of the company's mail domains")
    mapping = dict(columns or {})
    messages: dict[tuple[str, str], tuple[str, dt.date, bool]] = {}
    problems: list[Problem] = []
    for path in _paths(paths):
        header, records = csv_rows(read_text_file(path), file=str(path))
        sender = _pick(header, "sender", mapping)
        recipient = _pick(header, "recipient", mapping)
        time = _pick(header, "time", mapping)
        message = _pick(header, "message", mapping)
        wanted = {"sender": sender, "recipient": recipient, "time": time}
        lacking = [kind for kind, name in wanted.items() if name is None or name not in header]
        if lacking:
            problems.extend(
                Problem(str(path), 1, None, kind,
                        f"missing the {kind} column (one of "
                        f"{', '.join(MESSAGE_TRACE_COLUMNS[kind])}); found {', '.join(header)}")
                for kind in lacking
            )  # fmt: skip
            continue
        sender, recipient, time = str(sender), str(recipient), str(time)
        for line, record in records:
            who = (record.get(sender) or "").strip().lower()
            if _domain(who) not in own:
                continue
            when = _date(record.get(time) or "")
            if when is None:
                problems.append(
                    Problem(str(path), line, header.index(time) + 1, time,
                            f"expected a date or timestamp; found {record.get(time)!r}")
                )  # fmt: skip
                continue
            to = [p for p in re.split(r"[;,]", record.get(recipient) or "") if p.strip()]
            inside = bool(to) and all(_domain(p) in own for p in to)
            key = (str(path), (record.get(message) or "").strip() if message else f"{line}")
            if not key[1]:
                key = (str(path), f"{line}")
            known = messages.get(key)
            messages[key] = (who, when, inside and (known is None or known[2]))
    if problems:
        raise LoadError(problems)
    totals: dict[tuple[str, dt.date], list[int]] = {}
    for who, when, inside in messages.values():
        entry = totals.setdefault((who, when), [0, 0])
        entry[0] += 1
        entry[1] += int(inside)
    ordered = sorted(totals.items())
    data: dict[str, list[Any]] = {
        "user_id": [k[0] for k, _ in ordered],
        "date": [k[1] for k, _ in ordered],
        "sent": [v[0] for _, v in ordered],
        "internal_sent": [v[1] for _, v in ordered],
    }
    schema = {"user_id": nw.String(), "date": nw.Date(), "sent": nw.Int64(),
              "internal_sent": nw.Int64()}  # fmt: skip
    return _frame(data, schema, backend).to_native()


def parse_column_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["user_id=社員番号", ...]`` as ``{"user_id": "社員番号"}`` (ours = theirs).

    Raises ``ValueError`` naming the item without ``=`` or named twice.
    """
    mapping: dict[str, str] = {}
    for item in items:
        ours, sep, theirs = item.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise ValueError(
                f"--column expects ours=theirs, such as user_id=社員番号; found {item!r}"
            )
        if ours.strip() in mapping:
            raise ValueError(f"--column names {ours.strip()!r} twice")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def read_mapped(data: Any, mapping: Mapping[str, str], *, what: str = "log") -> Any:
    """Any frame or CSV/Parquet path with its columns renamed by ``mapping`` (ours: theirs).

    A missing source column is an :class:`InputColumnsError` naming the
    file and the column; the result is the same kind of frame as ``data``.
    """
    from backoffice_marketing.adoption.frames import require_columns  # noqa: PLC0415

    frame = to_frame(data, what=what)
    source = os.fspath(data) if isinstance(data, str | os.PathLike) else f"<{what}>"
    require_columns(frame, list(mapping.values()), what=source)
    return frame.rename({theirs: ours for ours, theirs in mapping.items()}).to_native()


def unknown_departments(
    found: Iterable[str], known: Iterable[str]
) -> tuple[tuple[str, str | None], ...]:
    """Each name of ``found`` not in ``known``, with the nearest known name (or ``None``)."""
    import difflib  # noqa: PLC0415

    choices = sorted(set(known))
    return tuple(
        (name, next(iter(difflib.get_close_matches(name, choices, n=1, cutoff=0.5)), None))
        for name in sorted(set(found) - set(choices))
    )


def warn_unknown_departments(found: Iterable[str], known: Iterable[str], *, source: str) -> None:
    """Warn (``UserWarning``) listing the departments of ``source`` the initiative does not know."""
    import warnings  # noqa: PLC0415

    unknown = unknown_departments(found, known)
    if not unknown:
        return
    listed = "; ".join(
        f"{name!r} (did you mean {near!r}?)" if near else repr(name) for name, near in unknown
    )
    warnings.warn(
        f"{source}: department(s) not in the initiative, counted on their own: {listed}",
        UserWarning,
        stacklevel=3,
    )

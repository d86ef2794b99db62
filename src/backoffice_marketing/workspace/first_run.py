"""What a new workspace starts with: a roster template, and for the example its weekly logs.

``init --example`` brings the sample company's chat usage as one file per
ISO week (``inputs/usage-2027-W20.csv`` ...), the way a planner receives
them, so that ``update`` and ``status`` tell the story at once. ``init`` for
a company of one's own writes a roster template (or copies the roster given
as ``--departments``) so that ``update`` finds it without options.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

__all__ = ["ROSTER_HEADER", "write_example_usage", "write_roster_template"]

#: The columns of a roster.
ROSTER_HEADER = ("user_id", "department", "parent", "start", "end")


def write_example_usage(inputs: Path) -> tuple[Path, ...]:
    """Write the sample usage log as one CSV per ISO week into ``inputs``; return the paths."""
    from backoffice_marketing import samples  # noqa: PLC0415
    from backoffice_marketing.io.atomic import write_text_atomic  # noqa: PLC0415

    weeks: dict[str, list[tuple[str, str, str]]] = {}
    for row in samples.usage_rows():
        iso = row.timestamp.date().isocalendar()
        weeks.setdefault(f"{iso.year}-W{iso.week:02d}", []).append(
            (row.user_id, row.timestamp.isoformat(), str(row.messages))
        )
    written = []
    for week, rows in sorted(weeks.items()):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("user_id", "timestamp", "messages"))
        writer.writerows(rows)
        written.append(write_text_atomic(inputs / f"usage-{week}.csv", buffer.getvalue()))
    return tuple(written)


def write_roster_template(target: Path, source: Path | None = None) -> Path:
    """Write the roster: a copy of ``source`` when it lists people, else the header alone.

    A copy is stored as UTF-8 whatever the source's encoding (cp932 from Excel too).
    """
    from backoffice_marketing.io.atomic import write_text_atomic  # noqa: PLC0415
    from backoffice_marketing.io.csv_rows import csv_rows, read_text_file  # noqa: PLC0415

    if source is not None:
        text = read_text_file(source, what="roster")
        header, _ = csv_rows(text, file=str(source))
        if "user_id" in header:
            return write_text_atomic(target, text.replace("\r\n", "\n"))
    return write_text_atomic(target, ",".join(ROSTER_HEADER) + "\n")

"""What a new workspace starts with: a roster template.

(``init --example`` brings the sample company's weekly usage logs through
:func:`backoffice_marketing.app.samples.write_weekly_usage`.) ``init`` for
a company of one's own writes a roster template (or copies the roster given
as ``--departments``) so that ``update`` finds it without options.
"""

from __future__ import annotations

from pathlib import Path

from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.foundation.io.csv_rows import csv_rows, read_text_file

__all__ = ["ROSTER_HEADER", "write_roster_template"]

#: The columns of a roster.
ROSTER_HEADER = ("user_id", "department", "parent", "start", "end")


def write_roster_template(target: Path, source: Path | None = None) -> Path:
    """Write the roster: a copy of ``source`` when it lists people, else the header alone.

    A copy is stored as UTF-8 whatever the source's encoding (cp932 from Excel too).
    """
    if source is not None:
        text = read_text_file(source, what="roster")
        header, _ = csv_rows(text, file=str(source))
        if "user_id" in header:
            return write_text_atomic(target, text.replace("\r\n", "\n"))
    return write_text_atomic(target, ",".join(ROSTER_HEADER) + "\n")

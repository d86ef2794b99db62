"""The ``backoffice-marketing`` entry point.

The commands live in :mod:`backoffice_marketing.app.commands` and need the
``[cli]`` extra (click and rich); without it this prints how to install it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from backoffice_marketing.exceptions import MissingExtraError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 findings, 2 bad input)."""
    try:
        from backoffice_marketing.app.commands import run  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - exercised without the extra
        if error.name not in {"click", "rich"}:
            raise
        sys.stderr.write(f"error: {MissingExtraError('cli', error.name)}\n")
        return 2
    return run(argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

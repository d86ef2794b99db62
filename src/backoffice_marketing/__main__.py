"""``python -m backoffice_marketing``: the ``backoffice-marketing`` command line."""

from backoffice_marketing.app.cli import main

if __name__ == "__main__":  # pragma: no branch
    raise SystemExit(main())

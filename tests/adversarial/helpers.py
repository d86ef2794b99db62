"""Shared helpers of the adversarial tests: the command line and resource-limited runs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from backoffice_marketing.app.commands import cli

EXAMPLES = Path(__file__).parents[2] / "src/backoffice_marketing/data/examples"
ASSESSMENT = EXAMPLES / "chat-migration-assessment.toml"
#: Memory and CPU limits of the resource-limited runs (the issue's "1 GiB, 30 s").
MEMORY_LIMIT = 1024 * 1024 * 1024
CPU_SECONDS = 30


def invoke(args: Sequence[str]) -> Result:
    """Run the command line in-process, as click's test runner does."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_limited(code: str, *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter under 1 GiB of data (heap and mmap) and 30 s of CPU."""
    prelude = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_DATA, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        resource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS}))
        """
    )
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "POLARS_MAX_THREADS": "1"},
    )


def zip_bytes(parts: Mapping[str, bytes | str], *, stored: bool = False) -> bytes:
    """A zip archive of ``parts`` (deflated unless ``stored``)."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to show that nothing changed)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }

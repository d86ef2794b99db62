"""The demo's whole output is byte-identical across processes, hash seeds and time zones."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("narwhals", reason="the demo needs the [all] extra")

_RUN_DEMO = "import sys; from backoffice_marketing.app.cli import main; sys.exit(main())"


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _demo(out: Path, *, seed: str, zone: str, lang: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone}
    env.pop("COVERAGE_PROCESS_START", None)
    finished = subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, "-c", _RUN_DEMO, "demo", "--out", str(out), "--lang", lang],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr
    return _digests(out)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_demo_output_is_byte_identical_under_two_hash_seeds(tmp_path: Path, lang: str) -> None:
    """Two demo runs in new processes, other hash seeds and time zones, write the same bytes."""
    first = _demo(tmp_path / "a", seed="0", zone="UTC", lang=lang)
    second = _demo(tmp_path / "b", seed="4242", zone="America/Los_Angeles", lang=lang)
    assert len(first) > 20
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []

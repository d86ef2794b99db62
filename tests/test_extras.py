"""A missing optional dependency always gives MissingExtraError naming the extra, never ImportError.

Each case runs in a fresh interpreter in which an import hook hides the extra's modules,
so the test holds whatever this environment has installed (CI also runs it in a
virtual environment with no extras at all).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_PRELUDE = """
import importlib.abc, sys
HIDDEN = {hidden!r}
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Hide())
for loaded in [m for m in sys.modules if m.split(".")[0] in HIDDEN]:
    del sys.modules[loaded]
import datetime as dt
import backoffice_marketing as bm
from backoffice_marketing import adoption, materials, voice
from backoffice_marketing.exceptions import MissingExtraError
try:
{body}
except MissingExtraError as error:
    print("MISSING", error.extra)
else:
    print("OK")
"""

EVERY_EXTRA = (
    "yaml", "openpyxl", "narwhals", "numpy", "scipy", "pyarrow", "polars", "pandas",
    "vl_convert", "matplotlib_fontja", "holidays", "icalendar", "click", "rich", "jreadability",
    "fugashi",
)  # fmt: skip


def _run(hidden: tuple[str, ...], body: str, tmp_path: Path) -> str:
    code = _PRELUDE.format(hidden=set(hidden), body=textwrap.indent(body.strip(), "    "))
    done = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_core_imports_and_runs_without_any_extra(tmp_path: Path) -> None:
    """The package imports, the checklist scores and an SVG chart draws, with no extra."""
    body = """
checklist = bm.default_checklist()
score = bm.Assessment("x", dt.date(2027, 5, 10)).answer("materials.why", "done").score(checklist)
assert score.to_markdown() and score.to_html() and score.to_json()
assert bm.load_playbook("chat-migration").stage_graph.to_markdown()
from backoffice_marketing.render.svg_charts import ChartTexts, small_multiples_svg
texts = ChartTexts("利用率", "週", "利用率", "目標")
assert "営業部" in small_multiples_svg({"営業部": [("2027-W20", 0.5)]}, target=0.8, texts=texts)
"""
    assert _run(EVERY_EXTRA, body, tmp_path) == "OK"


_PLAN = (
    "bm.Plan.from_playbook(bm.load_playbook('chat-migration'), "
    "start=dt.date(2027, 4, 1), departments={'営業部': 20})"
)
#: A plan on a calendar without national holidays, which needs no extra at all.
_PLAIN_PLAN = _PLAN.replace("})", "}, calendar=bm.BusinessCalendar(country=None))")
_JA_LINT = (
    "materials.lint('社内の連絡はチャットで行います。', lang='ja', "
    "options=materials.LintOptions(readability='jreadability'))"
)
CASES = {
    "holidays": (("holidays",), _PLAN, "calendar"),
    "openpyxl": (("openpyxl", "holidays"), _PLAIN_PLAN + ".write('p.xlsx')", "excel"),
    "icalendar": (("icalendar", "holidays"), _PLAIN_PLAN + ".write('p.ics')", "calendar"),
    "yaml": (
        ("yaml",),
        "open('a.yaml', 'w').write('x: 1\\n'); bm.Assessment.from_file('a.yaml')",
        "yaml",
    ),
    "narwhals": (("narwhals",), "adoption.adoption_rates('usage.csv', {'営業部': 20})", "data"),
    "scipy": (("numpy", "scipy"), "adoption.fit_bass([1, 2, 3, 4], [0.1, 0.3, 0.6, 0.8])", "data"),
    "jreadability": (("jreadability", "fugashi"), _JA_LINT, "ja"),
    "vl_convert": (
        ("vl_convert",),
        (
            "from backoffice_marketing.render.svg_charts import svg_to_png\n"
            'svg_to_png(\'<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>\')'
        ),
        "plot",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_missing_extra_is_named(case: str, tmp_path: Path) -> None:
    """Using a feature whose extra is missing raises MissingExtraError naming that extra."""
    hidden, body, extra = CASES[case]
    assert _run(hidden, body, tmp_path) == f"MISSING {extra}"

"""The command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from backoffice_marketing.cli import main

EXAMPLE = Path(__file__).parents[1] / "src/backoffice_marketing/data/examples"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out)
    return status, out.getvalue()


def test_demo_writes_outputs(tmp_path: Path) -> None:
    """The demo renders the catalogue and the example summary in both languages."""
    status, text = run("demo", "--out", str(tmp_path / "demo"), "--lang", "en")
    assert status == 0
    names = sorted(path.name for path in (tmp_path / "demo").iterdir())
    assert names == [
        "checklist.en.html", "checklist.en.md", "checklist.ja.html", "checklist.ja.md",
        "checklist.json", "example-assessment.toml", "scores.en.md", "scores.ja.md",
    ]  # fmt: skip
    assert "Scores by failure mode" in text
    first = {p.name: p.read_bytes() for p in (tmp_path / "demo").iterdir()}
    run("demo", "--out", str(tmp_path / "demo"))
    second = {p.name: p.read_bytes() for p in (tmp_path / "demo").iterdir()}
    assert first == second


@pytest.mark.parametrize(("fmt", "marker"), [("md", "# Checklist"), ("html", "<!DOCTYPE html>")])
def test_checklist_command(fmt: str, marker: str) -> None:
    """The checklist command renders the catalogue in the asked format."""
    status, text = run("checklist", "--lang", "en", "--format", fmt)
    assert status == 0
    assert text.startswith(marker)


def test_checklist_json_with_extra_items(tmp_path: Path) -> None:
    """User items from --items are added to the catalogue; output can go to a file."""
    extra = tmp_path / "extra.toml"
    extra.write_text(
        'schema_version = 1\n[[items]]\nid = "materials.legal-review"\n'
        'failure_mode = "materials"\nquestion = { ja = "法務確認", en = "Legal review" }\n'
        'why = { ja = "理由", en = "why" }\nevidence = { ja = "証跡", en = "proof" }\n'
        'remedies = [{ ja = "確認する", en = "Check" }]\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.json"
    status, _ = run("checklist", "--format", "json", "--items", str(extra), "-o", str(target))
    assert status == 0
    data = json.loads(target.read_text("utf-8"))
    assert data["items"][-1]["id"] == "materials.legal-review"


def test_score_and_validate() -> None:
    """Score renders the summary; validate says ok for a good file."""
    path = str(EXAMPLE / "chat-migration-assessment.toml")
    status, text = run("score", path, "--lang", "ja")
    assert status == 0
    assert "失敗パターン別スコア" in text
    status, text = run("validate", "assessment", path)
    assert (status, text.strip()) == (0, f"{path}: ok")


def test_validate_reports_every_problem(tmp_path: Path) -> None:
    """Validate prints one line per problem with file and line, and exits 2."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema_version = 1\ninitiative = "x"\ndate = 2027-01-01\n'
        '[[answers]]\nitem = "materials.why"\nlevel = "yes"\n'
        '[[answers]]\nitem = "materials.when"\nlevl = "done"\n',
        encoding="utf-8",
    )
    status, text = run("validate", "assessment", str(bad))
    assert status == 2
    lines = text.strip().splitlines()
    assert f"{bad}:6:1 answers[0].level: expected one of" in lines[0]
    assert any(f"{bad}:9:1 answers[1].levl: unknown key 'levl'" in line for line in lines)


def test_load_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken file given to score prints the problems to stderr and exits 2."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "initiative": 5}', encoding="utf-8")
    status, _ = run("score", str(bad))
    assert status == 2
    err = capsys.readouterr().err
    assert "initiative: expected a string; found 5" in err
    assert "missing required field" in err


def test_library_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A library error (an unknown item in an assessment) is one line on stderr."""
    path = tmp_path / "a.toml"
    path.write_text(
        'schema_version = 1\ninitiative = "x"\ndate = 2027-01-01\n'
        '[[answers]]\nitem = "materials.wyh"\nlevel = "done"\n',
        encoding="utf-8",
    )
    status, _ = run("score", str(path))
    assert status == 2
    assert "did you mean 'materials.why'" in capsys.readouterr().err

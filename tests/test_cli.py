"""The command line."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import click
import pytest

import backoffice_marketing as bm
from backoffice_marketing.app import samples
from backoffice_marketing.app.cli import main
from tests.schemas import validate

EXAMPLES = Path(__file__).parents[1] / "src/backoffice_marketing/data/examples"
ASSESSMENT = str(EXAMPLES / "chat-migration-assessment.toml")
Capture = pytest.CaptureFixture[str]


def test_demo_writes_outputs(tmp_path: Path, capsys: Capture) -> None:
    """The demo writes every output of the chat-migration case; reruns are byte-identical."""
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--lang", "en"]) == 0
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    for expected in (
        "checklist/checklist.ja.md", "plan/plan.md", "plan/plan.xlsx", "plan/plan.ics",
        "plan/plan.mmd", "plan/plan.html", "plan/plan.json", "report/gap-report.html",
        "report/gap-report.md", "report/gap-report.json", "assessment/scores.md",
        "adoption/adoption.png", "adoption/latest.png", "adoption/rates.csv",
        "adoption/laggards.md", "adoption/cutover.md", "voice/faq.md", "voice/faq.html",
        "voice/voice-report.md", "voice/faq.json", "voice/voice-report.json",
        "materials/announcement-review.md",
        "materials/announcement-plan-review.md", "report/gap-report-after-launch.md",
        "inputs/usage.csv", "inputs/roster.csv", "README.md",
    ):  # fmt: skip
        assert expected in names
    assert "wrote" in capsys.readouterr().out
    first = {name: (out / name).read_bytes() for name in names}
    package = str(Path(samples.__file__).parent)
    for name, data in first.items():  # no machine's paths in the files
        assert str(tmp_path).encode() not in data, name
        assert package.encode() not in data, name
    assert main(["demo", "--out", str(out), "--lang", "en"]) == 0
    assert first == {name: (out / name).read_bytes() for name in names}


@pytest.mark.parametrize(("fmt", "marker"), [("md", "# Checklist"), ("html", "<!DOCTYPE html>")])
def test_checklist_command(fmt: str, marker: str, capsys: Capture) -> None:
    """The checklist command renders the catalogue in the asked format."""
    assert main(["checklist", "--lang", "en", "--format", fmt]) == 0
    assert capsys.readouterr().out.startswith(marker)


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
    assert main(["checklist", "--format", "json", "--items", str(extra), "-o", str(target)]) == 0
    data = json.loads(target.read_text("utf-8"))
    assert data["items"][-1]["id"] == "materials.legal-review"


def test_score_and_validate(capsys: Capture) -> None:
    """Score renders the summary; validate says ok for a good file."""
    assert main(["score", ASSESSMENT, "--lang", "ja"]) == 0
    assert "失敗パターン別スコア" in capsys.readouterr().out
    assert main(["validate", "assessment", ASSESSMENT]) == 0
    assert capsys.readouterr().out.strip() == f"{ASSESSMENT}: ok"
    assert main(["validate", "playbook", "chat-migration"]) == 0


def test_validate_reports_every_problem(tmp_path: Path, capsys: Capture) -> None:
    """Validate prints one line per problem with file and line, and exits 2."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema_version = 1\ninitiative = "x"\ndate = 2027-01-01\n'
        '[[answers]]\nitem = "materials.why"\nlevel = "yes"\n'
        '[[answers]]\nitem = "materials.when"\nlevl = "done"\n',
        encoding="utf-8",
    )
    other = tmp_path / "file.txt"
    other.write_text("x", encoding="utf-8")
    assert main(["validate", "assessment", str(bad), str(other), "--lang", "en"]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert f"{bad}:6:1 answers[0].level: expected one of" in lines[0]
    assert any(f"{bad}:9:1 answers[1].levl: unknown key 'levl'" in line for line in lines)
    assert any(line.startswith(f"{other}: ") and "unsupported" in line for line in lines)
    target = tmp_path / "problems.json"
    assert (
        main(
            [
                "validate",
                "assessment",
                str(bad),
                str(other),
                "--format",
                "json",
                "-o",
                str(target),
                "--lang",
                "en",
            ]
        )
        == 2
    )
    listed = json.loads(target.read_text("utf-8"))
    assert listed[0] == {
        "file": str(bad), "line": 6, "column": 1, "path": "answers[0].level",
        "message": listed[0]["message"], "code": "expected.one_of",
        "arguments": {
            "choices": "not_done, partial, done, not_applicable", "found": "'yes'"
        },
        "text": listed[0]["message"],
    }  # fmt: skip
    assert listed[-1]["file"] == str(other)
    assert listed[-1]["line"] is None
    assert main(["validate", "assessment", ASSESSMENT, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_playbooks_to_a_file(tmp_path: Path) -> None:
    """The playbook list, a playbook and its graph can be written to files."""
    for args, marker in (
        ([], "chat-migration\t"),
        (["one-on-one", "--lang", "en"], "one-on-one: "),
        (["one-on-one", "--format", "mermaid"], "flowchart"),
    ):
        target = tmp_path / "out.txt"
        assert main(["playbooks", *args, "-o", str(target)]) == 0
        assert marker in target.read_text("utf-8")


def test_load_errors_exit_2(tmp_path: Path, capsys: Capture) -> None:
    """A broken file prints the problems as one block on stderr and exits 2."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "initiative": 5}', encoding="utf-8")
    assert main(["score", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "initiative: expected a string; found 5" in err
    assert "missing required field" in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("in_english")
def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    """With --debug the library error propagates."""
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(Exception, match="missing schema_version"):
        main(["--debug", "score", str(bad)])


def test_unknown_item_is_bad_input(tmp_path: Path, capsys: Capture) -> None:
    """An unknown item in an assessment names the line and suggests the right id."""
    path = tmp_path / "a.toml"
    path.write_text(
        'schema_version = 1\ninitiative = "x"\ndate = 2027-01-01\n'
        '[[answers]]\nitem = "materials.wyh"\nlevel = "done"\n',
        encoding="utf-8",
    )
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert "a.toml:5:1 answers[0].item" in err
    assert "did you mean 'materials.why'" in err


def test_playbooks_command(capsys: Capture) -> None:
    """Playbooks lists the built-ins and shows one's stages, tasks or Mermaid graph."""
    assert main(["playbooks", "--lang", "en"]) == 0
    listing = capsys.readouterr().out
    assert "chat-migration\t" in listing
    assert "one-on-one\t" in listing
    assert main(["playbooks", "one-on-one", "--lang", "ja"]) == 0
    assert "[measurement x" in capsys.readouterr().out
    assert main(["playbooks", "chat-migration", "--lang", "en"]) == 0
    assert "(per department)" in capsys.readouterr().out
    assert main(["playbooks", "chat-migration", "--format", "mermaid"]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR")
    assert main(["playbooks", "nope"]) == 2
    assert "no built-in playbook 'nope'" in capsys.readouterr().err


def test_plan_command(tmp_path: Path, capsys: Capture) -> None:
    """Plan schedules a playbook for departments from pairs or a CSV, in every format."""
    args = ["plan", "chat-migration", "--start", "2027-04-01", "-d", "営業=120", "-d", "人事=12"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["champions"] == {"人事": 1, "営業": 3}
    company = str(EXAMPLES / "company.csv")
    args = ["plan", "one-on-one", "--start", "2027-04-01", "-d", company, "--lang", "en"]
    assert main([*args, "--format", "mermaid"]) == 0
    assert capsys.readouterr().out.startswith("gantt")
    assert main([*args, "--format", "xlsx", "--out", str(tmp_path / "p.xlsx")]) == 0
    assert (tmp_path / "p.xlsx").stat().st_size > 0
    assert main([*args, "--format", "ics", "--out", str(tmp_path / "p.ics")]) == 0
    assert main([*args, "--format", "html", "--out", str(tmp_path / "p.html")]) == 0
    assert main([*args, "--format", "md", "--calendar", "none"]) == 0
    capsys.readouterr()
    assert main([*args, "--format", "xlsx"]) == 2
    assert "give --out" in capsys.readouterr().err
    assert main(["plan", "chat-migration", "--start", "2027-04-01", "-d", "x=y"]) == 2


def test_report_command(tmp_path: Path, capsys: Capture) -> None:
    """Report writes the gap report of assessment files, with gates from a playbook."""
    args = ["report", ASSESSMENT, "--playbook", "chat-migration", "--stage", "materials"]
    assert main([*args, "--lang", "en"]) == 0
    assert "First blocked stage" in capsys.readouterr().out
    assert main([*args, "--format", "json", "--previous", ASSESSMENT]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["first_blocked_stage"] == "announcement"
    assert data["trend"]["improved"] == []
    assert main([*args, "--format", "html", "-o", str(tmp_path / "r.html")]) == 0
    assert main([*args, "--min-group-size", "3"]) == 2
    assert "privacy floor" in capsys.readouterr().err


def test_lint_command(tmp_path: Path, capsys: Capture) -> None:
    """Lint reviews a document; findings exit 1, a clean notice exits 0."""
    fixtures = Path(__file__).parent / "fixtures/materials"
    assert main(["lint", str(fixtures / "bad_ja.docx"), "--lang", "en"]) == 1
    assert capsys.readouterr().out
    assert main(["lint", str(fixtures / "good_en.txt"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert (
        main(
            [
                "lint",
                str(fixtures / "good_ja.txt"),
                "--format",
                "html",
                "-o",
                str(tmp_path / "r.html"),
            ]
        )
        == 0
    )


@pytest.fixture(scope="module")
def sample_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    samples.write_roster(folder / "roster.csv")
    samples.write_usage(folder / "usage.csv")
    return folder


def test_adoption_command_reports_laggards(sample_inputs: Path, capsys: Capture) -> None:
    """Markdown has the table, the laggards and the forecast; laggards exit with 1."""
    usage, roster = str(sample_inputs / "usage.csv"), str(sample_inputs / "roster.csv")
    chart = sample_inputs / "chart.svg"
    status = main(["adoption", usage, "-r", roster, "--lang", "en", "--chart", str(chart)])
    assert status == 1
    text = capsys.readouterr().out
    assert "| 製造部 |" in text
    assert "## Lagging departments" in text
    assert "## Cut-over forecast" in text
    assert chart.read_text("utf-8").startswith("<svg")
    assert ">製造部 " in chart.read_text("utf-8")  # the flagged department is named
    # No Vega-Lite specification any more: a clear error, nothing written.
    spec = sample_inputs / "chart.json"
    assert main(["adoption", usage, "-r", roster, "--chart", str(spec)]) == 2
    assert ".png, .svg" in capsys.readouterr().err
    assert not spec.exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_adoption_command_exports(sample_inputs: Path, tmp_path: Path, fmt: str) -> None:
    """CSV and JSON go to --out; a high enough bar for laggards is still reported with 1."""
    usage, roster = str(sample_inputs / "usage.csv"), str(sample_inputs / "roster.csv")
    target = tmp_path / f"rates.{fmt}"
    args = ["adoption", usage, "-r", roster, "--format", fmt, "-o", str(target)]
    assert main([*args, "--period", "month", "--window", "28", "--habit-days", "4"]) == 1
    text = target.read_text("utf-8")
    assert "window_rate" in text
    assert "habit_rate" in text
    if fmt == "json":  # the report's one shape
        validate(text, "adoption_rates.schema.json")


def test_adoption_command_sources_and_errors(
    sample_inputs: Path, tmp_path: Path, capsys: Capture
) -> None:
    """Teams and Slack exports are read; bad input exits with 2 and a one-block message."""
    fixtures = Path(__file__).parent / "fixtures" / "adoption"
    roster = str(fixtures / "roster.csv")
    teams = sorted(str(p) for p in fixtures.glob("teams_*.csv"))
    slack = sorted(str(p) for p in fixtures.glob("slack_*.csv"))
    # Departments of six to eight people: three weeks of ups and downs are within noise.
    assert main(["adoption", *teams, "-r", roster, "--source", "teams"]) == 0
    assert "| 経理部 |" in capsys.readouterr().out
    assert main(["adoption", *slack, "-r", roster, "--source", "slack", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("department,period")
    usage = str(sample_inputs / "usage.csv")
    assert main(["adoption", usage, usage, "-r", roster]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("user_id,when\na,2027-01-01\n", encoding="utf-8")
    assert main(["adoption", str(bad), "-r", roster]) == 2
    error = capsys.readouterr().err
    assert "error:" in error
    assert "Traceback" not in error


def test_faq_command(tmp_path: Path, capsys: Capture) -> None:
    """The FAQ renders; a theme without an answer is a finding (exit 1); all answered is 0."""
    examples = EXAMPLES / "chat-migration"
    questions, answers = str(examples / "questions.csv"), str(examples / "answers.yaml")
    company = str(EXAMPLES / "company.csv")
    assert main(["faq", questions, "-a", answers, "-d", company]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("# ")
    assert "wait for an official answer" in captured.err
    target = tmp_path / "faq.html"
    assert main(["faq", questions, "-a", answers, "--format", "html", "-o", str(target)]) == 1
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    one = tmp_path / "q.csv"
    one.write_text(
        "id,text,received_on,channel,department,role,status\n"
        "q1,質問です,2027-06-01,form,営業部,member,open\n",
        encoding="utf-8",
    )
    assert main(["faq", str(one), "-d", "営業部=120", "--lang", "en"]) == 1
    empty = tmp_path / "none.csv"
    empty.write_text("id,text,received_on,channel,department,role,status\n", encoding="utf-8")
    assert main(["faq", str(empty)]) == 0


def test_broken_pipe_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that goes away (`| head`) ends the command quietly with 0."""

    def closed(*_args: object, **_kwargs: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(click, "echo", closed)
    monkeypatch.setattr("backoffice_marketing.app.commands._silence_stdout", lambda: None)
    assert main(["playbooks"]) == 0


def test_adoption_command_reads_the_initiative(
    sample_inputs: Path, tmp_path: Path, capsys: Capture
) -> None:
    """With --initiative the command uses its target and notice, and states every merge."""
    settings = tmp_path / "initiative.toml"
    attrs.evolve(bm.Initiative.example(), notice_days=10).save(settings)
    usage, roster = str(sample_inputs / "usage.csv"), str(sample_inputs / "roster.csv")
    args = ["adoption", usage, "-r", roster, "--start", "2027-05-17", "--end", "2027-06-30"]
    assert main([*args, "--initiative", str(settings), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "名古屋営業所 is not reported" in captured.err
    assert "名古屋営業所 is not reported" in captured.out
    assert "Notice period (business days): 10" in captured.out
    assert "The end of the old way can be declared now" in captured.out


def test_faq_command_reads_the_initiative(capsys: Capture) -> None:
    """The FAQ takes departments and floors from --initiative and lists waiting themes."""
    examples = EXAMPLES / "chat-migration"
    questions, answers = str(examples / "questions.csv"), str(examples / "answers.yaml")
    settings = str(examples / "initiative.toml")
    args = ["faq", questions, "-a", answers, "--initiative", settings, "--laggard", "製造部"]
    assert main([*args, "--as-of", "2027-06-30", "--format", "json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["pending"][0]["questions"] == 6
    assert data["pending"][0]["days_waiting"] == 69
    assert "theme-q03: 6 question(s), 69 day(s) waiting" in captured.err

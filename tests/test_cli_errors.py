"""The command line's error messages follow --lang, then the initiative, then the locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.app.cli import main
from backoffice_marketing.app.commands import _initiative_language, _locale_language

Capture = pytest.CaptureFixture[str]
EXAMPLES = Path(__file__).parents[1] / "src/backoffice_marketing/data/examples"
BAD_ASSESSMENT = "schema_version: 1\ninitiative: x\ndate: 2027-05-10\nanswers:\n"
BAD_ASSESSMENT += "  - item: materials.why\n    level: yes\n"


@pytest.fixture
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user whose locale is not Japanese."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.fixture
def bad_assessment(tmp_path: Path) -> Path:
    """An assessment whose level is a YAML yes."""
    path = tmp_path / "assessment.yaml"
    path.write_text(BAD_ASSESSMENT, encoding="utf-8")
    return path


@pytest.mark.usefixtures("english_locale")
def test_validate_lang_ja_prints_japanese_and_exits_2(
    bad_assessment: Path, capsys: Capture
) -> None:
    """`validate --lang ja` prints each problem in Japanese, quoting the value as written."""
    assert main(["validate", "assessment", str(bad_assessment), "--lang", "ja"]) == 2
    out = capsys.readouterr().out
    assert f"{bad_assessment}:6:5 answers[0].level: 次のいずれかが必要です" in out
    assert "見つかった値: 'yes'" in out
    assert "expected" not in out


@pytest.mark.usefixtures("english_locale")
def test_validate_follows_the_locale(
    bad_assessment: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --lang, validate speaks the locale's language: English, or Japanese."""
    assert main(["validate", "assessment", str(bad_assessment)]) == 2
    assert "expected one of" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert main(["validate", "assessment", str(EXAMPLES / "chat-migration-assessment.toml")]) == 0
    assert capsys.readouterr().out.endswith(": 問題なし\n")


@pytest.mark.usefixtures("english_locale")
def test_validate_json_keeps_codes_and_arguments(bad_assessment: Path, capsys: Capture) -> None:
    """The JSON output carries the code, the arguments, the English message and the text."""
    assert (
        main(["validate", "assessment", str(bad_assessment), "--format", "json", "--lang", "ja"])
        == 2
    )
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["code"] == "expected.one_of"
    assert listed["arguments"]["found"] == "'yes'"
    assert listed["message"].startswith("expected one of")
    assert listed["text"].startswith("次のいずれかが必要です")


@pytest.mark.usefixtures("english_locale")
def test_command_errors_follow_an_explicit_lang(bad_assessment: Path, capsys: Capture) -> None:
    """`score --lang ja` prints its load error in Japanese; without --lang the locale's English."""
    assert main(["score", str(bad_assessment), "--lang", "ja"]) == 2
    err = capsys.readouterr().err
    assert "エラー: 入力に 1 件の問題があります" in err
    assert "見つかった値: 'yes'" in err
    assert main(["score", str(bad_assessment)]) == 2
    err = capsys.readouterr().err
    assert "error: 1 problem(s) in the input" in err
    assert "found 'yes'" in err


@pytest.mark.usefixtures("english_locale")
def test_other_errors_get_a_localised_head(tmp_path: Path, capsys: Capture) -> None:
    """An error that is not a load error keeps its text under a Japanese head with --lang ja."""
    (tmp_path / "real.md").write_text("x", encoding="utf-8")
    target = tmp_path / "link.md"
    target.symlink_to(tmp_path / "real.md")
    assert main(["checklist", "--lang", "ja", "-o", str(target)]) == 2
    assert capsys.readouterr().err.startswith("エラー: ")


@pytest.mark.parametrize(("lang", "expected"), [("en", "error: "), ("ja", "エラー: ")])
def test_errors_follow_the_initiative_language(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    """Without --lang, a command that names an initiative speaks the initiative's language."""
    monkeypatch.setenv("LANG", "en_US.UTF-8" if lang == "ja" else "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    settings = tmp_path / "initiative.toml"
    bm.Initiative.example().save(settings)
    if lang == "en":
        text = settings.read_text("utf-8")
        settings.write_text(text.replace('lang = "ja"', 'lang = "en"'), encoding="utf-8")
    questions = tmp_path / "questions.csv"
    questions.write_bytes(b"id,text\n1,\xff\n")
    answers = str(EXAMPLES / "chat-migration/answers.yaml")
    assert main(["faq", str(questions), "-a", answers, "--initiative", str(settings)]) == 2
    assert capsys.readouterr().err.startswith(expected)


def test_initiative_language_of_a_workspace_folder(tmp_path: Path) -> None:
    """A workspace folder's initiative.toml gives the language; an unreadable one gives none."""
    (tmp_path / "initiative.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert _initiative_language({"folder": tmp_path}) == "en"
    (tmp_path / "initiative.toml").write_text("not toml at all = = =\n", encoding="utf-8")
    assert _initiative_language({"folder": tmp_path}) is None
    assert _initiative_language({"folder": tmp_path / "nowhere"}) is None
    (tmp_path / "initiative.toml").write_text('id = "x"\n', encoding="utf-8")
    assert _initiative_language({"folder": tmp_path}) == "ja"


@pytest.mark.parametrize(
    ("env", "found", "expected"),
    [
        ({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, None, "ja"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}, None, "en"),
        ({}, "ja_JP", "ja"),
        ({}, None, "en"),
    ],
)
def test_locale_language(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], found: str | None, expected: str
) -> None:
    """LC_ALL, LC_MESSAGES and LANG are read in that order, then the C library's locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("locale.getlocale", lambda: (found, "UTF-8"))
    assert _locale_language() == expected

"""A person's FAQ decisions: merge and split themes, in the API, the workspace and the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.app.commands import cli
from backoffice_marketing.exceptions import LoadError, WorkspaceNotFoundError
from backoffice_marketing.voice import Question
from backoffice_marketing.voice.faq import group
from backoffice_marketing.voice.merges import (
    DECISIONS_FILE,
    ThemeDecisions,
    record_merge,
    record_split,
    workspace_decisions,
    workspace_reading,
)

DAY = dt.date(2026, 12, 7)
QUESTIONS = [
    Question("q1", "経費の締め切りはいつですか", DAY),
    Question("q2", "交通費の申請期限を教えてください", DAY),
    Question("q3", "チャンネルの作り方", DAY),
    Question("q4", "有給休暇の申請方法", DAY),
]


def _theme_of(decisions: ThemeDecisions | None = None) -> dict[str, str]:
    grouping = group(QUESTIONS, decisions=decisions)
    return {q: theme.id for theme in grouping.themes for q in theme.questions}


def test_a_merge_joins_two_themes_and_a_split_undoes_it() -> None:
    """Merged themes take the smaller id; splitting them again restores both themes."""
    before = _theme_of()
    assert before["q3"] != before["q4"]
    merged = ThemeDecisions().merge(before["q4"], before["q3"])
    after = _theme_of(merged)
    assert after["q3"] == after["q4"] == min(before["q3"], before["q4"])
    split = merged.split(before["q3"], before["q4"])
    assert not split.merges
    assert _theme_of(split) == before


def test_a_pair_kept_apart_is_never_suggested() -> None:
    """After a split, the pair no longer appears among the suggestions."""
    close = [
        Question(f"q{i}", text, DAY)
        for i, text in enumerate(["通知が多すぎる", "経費の締め切り", "通知 経費"])
    ]
    grouping = group(close, threshold=0.6)
    assert grouping.suggestions
    first, second = grouping.suggestions[0].themes
    kept = group(close, threshold=0.6, decisions=ThemeDecisions().split(first, second))
    assert all(set(s.themes) != {first, second} for s in kept.suggestions)


def test_a_merge_keeps_the_official_answers_id() -> None:
    """A theme with an official answer gives its id to the merged theme."""
    decisions = ThemeDecisions().merge("theme-q1", "answer")
    assert decisions.apply({"q1": "theme-q1", "q2": "answer"}, frozenset({"answer"})) == {
        "q1": "answer",
        "q2": "answer",
    }
    chained = decisions.merge("theme-q1", "theme-q9")
    assert set(chained.apply({"a": "theme-q9", "b": "theme-q1"}, frozenset()).values()) == {
        "answer"
    }


@pytest.mark.parametrize(("first", "second"), [("a", "a"), ("a", " ")])
def test_a_merge_needs_two_different_themes(first: str, second: str) -> None:
    """Merging a theme with itself or with a blank id is a ValueError."""
    with pytest.raises(ValueError, match="theme"):
        ThemeDecisions().merge(first, second)


def test_the_decisions_file_round_trips(tmp_path: Path) -> None:
    """Saved decisions read back equal, and the file is deterministic TOML."""
    decisions = ThemeDecisions().merge("theme-b", "theme-a").split("theme-c", "theme-d")
    path = tmp_path / DECISIONS_FILE
    decisions.save(path)
    assert ThemeDecisions.from_file(path) == decisions
    assert path.read_text(encoding="utf-8") == decisions.to_toml()
    assert 'themes = ["theme-a", "theme-b"]' in decisions.to_toml()
    assert ThemeDecisions.from_file(tmp_path / "missing.toml") == ThemeDecisions()


_IDS = st.from_regex(r"theme-[a-z0-9ぁ-ん]{1,6}", fullmatch=True)


@given(st.lists(st.tuples(_IDS, _IDS, st.booleans()), max_size=8))
def test_any_decisions_round_trip_through_toml(steps: list[tuple[str, str, bool]]) -> None:
    """Whatever merges and splits are recorded, the TOML reads back to the same decisions."""
    decisions = ThemeDecisions()
    for first, second, merge in steps:
        if first != second:
            decisions = decisions.merge(first, second) if merge else decisions.split(first, second)
    assert ThemeDecisions.from_toml(decisions.to_toml()) == decisions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema_version = 2\n", "schema_version"),
        ("other = 1\n", "unknown key"),
        ('merge = "x"\n', "list"),
        ('[[merge]]\nthemes = ["a"]\n', "two different"),
        ('[[apart]]\nthemes = ["a", "a"]\n', "two different"),
        ("[[merge]]\nthemes = [1, 2]\n", "two different"),
    ],
)
def test_bad_decisions_are_refused_with_the_line(text: str, expected: str) -> None:
    """A malformed decisions file is a load error naming the problem."""
    with pytest.raises(LoadError, match=expected):
        ThemeDecisions.from_toml(text, file="faq-decisions.toml")


def _workspace(root: Path) -> Path:
    folder = root / "ws"
    (folder / "inputs").mkdir(parents=True)
    return folder


def test_the_workspace_records_merges_and_splits(tmp_path: Path) -> None:
    """record_merge and record_split write inputs/faq-decisions.toml; reading finds them."""
    folder = _workspace(tmp_path)
    record_merge(folder, "theme-a", "theme-b")
    assert workspace_decisions(folder).merges == {frozenset({"theme-a", "theme-b"})}
    record_split(folder, "theme-a", "theme-b")
    assert workspace_decisions(folder).apart == {frozenset({"theme-a", "theme-b"})}
    assert "analyser" not in workspace_reading(folder)
    (folder / "inputs" / "synonyms.toml").write_text(
        '[concepts]\ntablet = ["タブレット"]\n', encoding="utf-8"
    )
    assert workspace_reading(folder)["analyser"].features("タブレット") == {"c:tablet": 1}


def test_a_folder_without_inputs_is_not_a_workspace(tmp_path: Path) -> None:
    """Recording into a folder without inputs/ fails clearly and writes nothing."""
    with pytest.raises(WorkspaceNotFoundError, match="inputs"):
        record_merge(tmp_path, "a", "b")
    assert not list(tmp_path.iterdir())


def test_cli_merge_and_split_and_the_old_faq_usage(tmp_path: Path) -> None:
    """Faq merge/split record decisions; faq QUESTIONS still builds the FAQ and honours them."""
    folder = _workspace(tmp_path)
    runner = CliRunner()
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "id,text,received_on\nq1,チャンネルの作り方,2026-12-01\nq2,有給休暇の申請方法,2026-12-02\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["faq", str(questions), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert '"theme-q1"' in result.stdout
    assert '"theme-q2"' in result.stdout
    merged = runner.invoke(cli, ["faq", "merge", str(folder), "theme-q1", "theme-q2"])
    assert merged.exit_code == 0, merged.output
    decisions = folder / "inputs" / DECISIONS_FILE
    result = runner.invoke(
        cli, ["faq", str(questions), "--decisions", str(decisions), "--format", "json"]
    )
    assert '"theme-q2"' not in result.stdout
    split = runner.invoke(cli, ["faq", "split", str(folder), "theme-q1", "theme-q2"])
    assert split.exit_code == 0
    synonyms = tmp_path / "synonyms.toml"
    synonyms.write_text('[concepts]\nleave = ["チャンネル"]\n', encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "faq",
            "build",
            str(questions),
            "--synonyms",
            str(synonyms),
            "--decisions",
            str(decisions),
        ],
    )
    assert result.exit_code in (0, 1)
    assert "build" in runner.invoke(cli, ["faq", "--help"]).output

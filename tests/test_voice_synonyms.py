"""The synonym table: the shipped one, a user's extension, chains, cycles and duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.voice.synonyms import default_synonyms, load_synonyms, normalise_word


def test_the_shipped_table_covers_workplace_it_and_hr_words() -> None:
    """PC, smartphone, channel and application words are concepts in both languages."""
    table = default_synonyms()
    assert len(table.concepts) >= 40
    for word, concept in (
        ("パソコン", "pc"),
        ("個人PC", "pc"),
        ("端末", "pc"),
        ("Laptop", "pc"),
        ("スマホ", "smartphone"),
        ("私物端末", "smartphone"),
        ("携帯", "smartphone"),
        ("グループ", "channel"),
        ("チャンネル", "channel"),
        ("届出", "apply"),
        ("申請", "apply"),
    ):
        assert table.concept_of(word) == concept, word
    assert table.concept_of("unknown-word") is None
    assert "concepts=" in repr(table)
    assert len(table) > 400


def test_a_user_table_adds_words_and_concepts() -> None:
    """A user's concepts add to the shipped ones; a word the user lists moves to their concept."""
    table = load_synonyms(
        text='[concepts]\npc = ["マイPC"]\ntablet = ["タブレット", "iPad"]\nkiosk = ["端末"]\n'
    )
    assert table.concept_of("マイpc") == "pc"
    assert table.concept_of("パソコン") == "pc"
    assert table.concept_of("ipad") == "tablet"
    assert table.concept_of("端末") == "kiosk"
    assert "端末" not in table.concepts["pc"]
    assert table.sources == ("synonyms.toml", "<synonyms>")


def test_a_concept_name_in_a_list_folds_that_concept_in() -> None:
    """``pc = ["laptop"]`` with ``laptop = [...]``: the laptop words read as pc."""
    table = load_synonyms(text='[concepts]\nfoo = ["bar"]\nbar = ["バー"]\n')
    assert table.concept_of("バー") == "foo"
    assert table.concept_of("bar") == "foo"


def test_a_cycle_is_an_error_naming_the_lines() -> None:
    """Concepts that name each other in a cycle fail with each line and the cycle path."""
    with pytest.raises(LoadError) as raised:
        load_synonyms(text='schema_version = 1\n[concepts]\na = ["b"]\nb = ["c"]\nc = ["a"]\n')
    problems = raised.value.problems
    assert [problem.line for problem in problems] == [3, 4, 5]
    assert "a -> c -> b -> a" in problems[0].message


def test_a_duplicate_word_is_an_error_naming_both_lines() -> None:
    """A word listed twice in one file names the second line and the first."""
    with pytest.raises(LoadError) as raised:
        load_synonyms(text='[concepts]\na = ["x", "y"]\n\nb = [\n  "z",\n  "X",\n]\n')
    (problem,) = raised.value.problems
    assert problem.line == 6
    assert "line 2" in problem.message
    assert "'a'" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema_version = 2\n", "schema_version"),
        ('concepts = "pc"\n', "table of concepts"),
        ("[concepts]\npc = 3\n", "list of words"),
        ('[concepts]\npc = ["ok", 3]\n', "list of words"),
        ('[concepts]\npc = [" "]\n', "empty word"),
        ('[concepts]\n" " = ["x"]\n', "needs a name"),
        ('other = 1\n[concepts]\npc = ["x"]\n', "unknown key"),
        ("[concepts\n", "TOML"),
    ],
)
def test_malformed_tables_are_refused(text: str, expected: str) -> None:
    """Wrong versions, types, blank words, unknown keys and bad TOML are load errors."""
    with pytest.raises(LoadError, match=expected):
        load_synonyms(text=text)


def test_a_table_file_is_read_through_the_bounded_reader(tmp_path: Path) -> None:
    """A user's file is read from disk; its problems name the file."""
    good = tmp_path / "synonyms.toml"
    good.write_text('[concepts]\ntablet = ["タブレット"]\n', encoding="utf-8")
    assert load_synonyms(good).concept_of("タブレット") == "tablet"
    bad = tmp_path / "bad.toml"
    bad.write_text('[concepts]\na = ["b"]\nb = ["a"]\n', encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.toml"):
        load_synonyms(bad)


def test_without_a_user_table_the_shipped_one_is_shared() -> None:
    """Loading nothing extra gives the cached shipped table."""
    assert load_synonyms() is default_synonyms()


def test_words_yield_every_entry_with_its_concept() -> None:
    """words() lists concept names and their words, each with the concept it reads as."""
    table = load_synonyms(text='[concepts]\nfoo = ["bar"]\nbar = ["バー"]\n')
    found = dict(table.words())
    assert found["バー"] == "foo"
    assert found["foo"] == "foo"


_WORDS = st.text(st.characters(categories=["L"]), min_size=1, max_size=6)


@given(st.dictionaries(st.from_regex(r"[a-z]{3,8}", fullmatch=True), st.lists(_WORDS, max_size=4)))
def test_a_table_of_distinct_words_loads_and_maps_each_word(
    concepts: dict[str, list[str]],
) -> None:
    """Any table whose words are all distinct loads, and each word reads as its concept."""
    seen: set[str] = set()
    lines = ["[concepts]"]
    chosen: dict[str, list[str]] = {}
    for name, words in concepts.items():
        kept = []
        for word in words:
            key = normalise_word(word)
            if key and key not in seen and key not in concepts and '"' not in word:
                seen.add(key)
                kept.append(word)
        chosen[name] = kept
        lines.append(f"{name} = [{', '.join(repr(w).replace(chr(39), chr(34)) for w in kept)}]")
    if set(concepts) & seen:
        return
    try:
        table = load_synonyms(text="\n".join(lines) + "\n")
    except LoadError:
        # A user's concept whose name is a shipped word folds into it: nothing to check here.
        return
    for name, words in chosen.items():
        for word in words:
            assert table.concept_of(word) == table.concept_of(name)

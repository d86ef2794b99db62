"""Spreadsheet cells: formulas neutralised, numbers and dates kept, control characters gone."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from backoffice_marketing.render.cells import FORMULA_PREFIXES, MAX_CELL_LENGTH, neutralise

#: Any text, formula-looking text and text behind control characters.
cell_texts = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8")),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from([*FORMULA_PREFIXES, "\x01", "\x1b=", "\x7f+", "\x00\x00@", "'", " ="]),
        st.text(),
    ),
)


def _forbidden(character: str) -> bool:
    """A character no spreadsheet cell may hold, by its Unicode category, not the code's regex.

    Control characters (category Cc) other than tab, line feed and carriage return, lone
    surrogates (Cs) and the two noncharacters U+FFFE and U+FFFF.
    """
    category = unicodedata.category(character)
    if category == "Cc":
        return character not in "\t\n\r"
    return category == "Cs" or character in ("\ufffe", "\uffff")


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


@given(cell_texts)
def test_neutralised_text_never_starts_a_formula(text: str) -> None:
    """A neutralised string never starts with = + - @, a tab, a line break or NUL."""
    value = neutralise(text)
    assert isinstance(value, str)
    assert not value.startswith(FORMULA_PREFIXES)
    assert not any(_forbidden(character) for character in value)
    assert _utf16_length(value) <= MAX_CELL_LENGTH


@given(cell_texts)
def test_neutralise_is_idempotent(text: str) -> None:
    """Neutralising twice gives the same cell as neutralising once."""
    once = neutralise(text)
    assert neutralise(once) == once


@given(cell_texts)
def test_neutralise_keeps_the_text(text: str) -> None:
    """Apart from the apostrophe and the removed control characters, the text is unchanged."""
    value = neutralise(text)
    assert isinstance(value, str)
    expected = "".join(character for character in text if not _forbidden(character))
    assert value in {expected, "'" + expected}


@given(
    st.one_of(
        st.integers(),
        st.floats(),
        st.decimals(allow_nan=False),
        st.dates(),
        st.datetimes(),
        st.times(),
        st.booleans(),
        st.none(),
    )
)
def test_numbers_dates_and_booleans_stay_typed(value: object) -> None:
    """Numbers, dates, times, booleans and None are returned as they are."""
    assert neutralise(value) is value


@given(cell_texts)
def test_openpyxl_never_writes_a_formula(text: str) -> None:
    """A neutralised string is stored by openpyxl as text, never as a formula cell."""
    sheet = Workbook().active
    assert sheet is not None
    cell = sheet.cell(row=1, column=1, value=neutralise(text))
    assert cell.data_type != "f"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81 3", "'+81 3"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r\n=x", "'\r\n=x"),
        ("\x00=x", "'=x"),
        ("\x01=cmd", "'=cmd"),
        ("a\x07b\x1b[0m", "ab[0m"),
        ("a\tb\nc\r\nd", "a\tb\nc\r\nd"),
        ("営業部", "営業部"),
        ("'=already", "'=already"),
        ("", ""),
    ],
)
def test_examples(raw: str, expected: str) -> None:
    """Known formula prefixes get an apostrophe; control characters disappear."""
    assert neutralise(raw) == expected


def test_other_objects_become_text() -> None:
    """A value that is neither text, number nor date is written as its text."""
    assert neutralise(Decimal("1.5")) == Decimal("1.5")
    assert neutralise(dt.date(2027, 4, 1)) == dt.date(2027, 4, 1)
    assert neutralise(["=x"]) == "['=x']"

    class Formula:
        def __str__(self) -> str:
            return "=cmd|' /C calc'!A0"

    assert neutralise(Formula()) == "'=cmd|' /C calc'!A0"


def test_long_text_is_capped_without_splitting_characters() -> None:
    """Text longer than Excel's limit is cut at 32,767 UTF-16 units, never mid-character."""
    assert neutralise("x" * 40_000) == "x" * MAX_CELL_LENGTH
    assert neutralise("x" * MAX_CELL_LENGTH) == "x" * MAX_CELL_LENGTH
    emoji = neutralise("😀" * 20_000)
    assert isinstance(emoji, str)
    assert emoji == "😀" * (MAX_CELL_LENGTH // 2)
    wide = "部" * 20_000
    assert neutralise(wide) == wide

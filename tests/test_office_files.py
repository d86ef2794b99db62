"""Japanese office files: CSV in UTF-8 (with or without a BOM) or cp932, and xlsx rosters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.app import samples
from backoffice_marketing.app.cli import main
from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation.io.csv_rows import read_text_file
from backoffice_marketing.foundation.io.encodings import (
    decode_text,
    detect_encoding,
    is_utf8_prefix,
)

Capture = pytest.CaptureFixture[str]

#: Text that cp932 carries and that can never pass for UTF-8 (hiragana lead bytes are 0x82).
_KANA = st.text(st.sampled_from("あいうえおかきくけこ部署営業,. abcXYZ019"), min_size=1).filter(
    lambda text: any("\u3040" <= char <= "\u309f" for char in text)
)
_ANY = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\0"))


@given(_ANY, st.booleans())
def test_utf8_round_trips_with_or_without_a_bom(text: str, bom: bool) -> None:
    """Any UTF-8 text decodes to itself; a byte-order mark is dropped."""
    raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    assert decode_text(raw, file="x.csv") == text


@given(_KANA)
def test_cp932_text_is_detected(text: str) -> None:
    """Japanese text saved as Shift_JIS (cp932) by Excel is recognised and decoded."""
    raw = text.replace("\n", "\r\n").encode("cp932")
    assert detect_encoding(raw, file="x.csv") == "cp932"
    assert decode_text(raw, file="x.csv") == text.replace("\n", "\r\n")


@given(_ANY, st.integers(0, 4))
def test_a_cut_prefix_of_utf8_is_still_utf8(text: str, cut: int) -> None:
    """The first bytes of a UTF-8 file stay UTF-8 even when a character is cut at the end."""
    raw = text.encode("utf-8")
    assert is_utf8_prefix(raw[: max(len(raw) - cut, 0)])


def test_explicit_encoding_wins_and_errors_name_file_line_and_encodings() -> None:
    """--encoding wins; undecodable bytes name the file, the line and what was tried."""
    raw = "部署\n".encode("euc_jp")
    assert decode_text(raw, file="r.csv", encoding="euc-jp") == "部署\n"
    with pytest.raises(LoadError) as caught:
        decode_text(b"a,b\r\n\xff\xfe\x00\r\n", file="roster.csv")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("roster.csv", 2)
    assert "utf-8, cp932" in problem.render("en")
    assert "試した文字コード" in problem.render("ja")
    with pytest.raises(LoadError, match="euc-jp"):
        decode_text(b"\xff\xff", file="r.csv", encoding="euc-jp")
    with pytest.raises(LoadError, match="klingon"):
        decode_text(b"a", file="r.csv", encoding="klingon")
    assert not is_utf8_prefix(b"\xff\xfe")


def _sjis_roster(folder: Path) -> Path:
    """The sample roster as Excel on Japanese Windows saves it: cp932 with CRLF."""
    text = samples.write_roster(folder / "roster-utf8.csv").read_text(encoding="utf-8")
    target = folder / "roster.csv"
    target.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    (folder / "roster-utf8.csv").unlink()
    return target


def test_an_excel_roster_works_in_adoption_init_and_update(tmp_path: Path, capsys: Capture) -> None:
    """A Shift_JIS CSV roster works in adoption, init --departments and a bare update."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    roster = _sjis_roster(tmp_path)
    usage = samples.write_usage(tmp_path / "usage.csv", end=dt.date(2027, 6, 4))
    assert main(["adoption", str(usage), "--roster", str(roster)]) in {0, 1}
    assert "製造部" in capsys.readouterr().out
    folder = tmp_path / "ws"
    code = main(["init", str(folder), "--departments", str(roster), "--start", "2027-02-26"])
    assert code == 0
    copied = folder / "inputs" / "roster.csv"
    assert "製造部" in copied.read_text(encoding="utf-8")  # stored as UTF-8
    (folder / "inputs" / "usage.csv").write_bytes(usage.read_bytes())
    assert main(["update", str(folder), "--today", "2027-06-04"]) == 0
    with bm.Workspace.open(folder) as workspace:
        assert {row.department for row in workspace.rates()} >= {"製造部", "物流センター"}


def test_read_text_file_reads_cp932(tmp_path: Path) -> None:
    """The one CSV text reader takes cp932 and names the file it could not read."""
    path = tmp_path / "departments.csv"
    path.write_bytes("department,headcount\r\n製造部,40\r\n".encode("cp932"))
    assert "製造部" in read_text_file(path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"department\n\x81\x00\n")
    with pytest.raises(LoadError, match=r"bad\.csv"):
        read_text_file(bad)


def test_xlsx_roster_is_read_like_a_csv(tmp_path: Path) -> None:
    """A roster kept in Excel (.xlsx) gives the same departments as its CSV."""
    pytest.importorskip("narwhals", reason="rosters need the [data] extra")
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["user_id", "department", "parent", "start", "end"])
    sheet.append(["u1", "製造部", None, dt.datetime(2027, 4, 1), None])
    sheet.append([None, None, None, None, None])
    sheet.append([2.0, "物流センター", "", dt.date(2027, 4, 1), dt.datetime(2027, 5, 1, 9, 30)])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    roster = bm.adoption.read_roster(str(path))
    assert set(roster.departments) == {"製造部", "物流センター"}


def test_adoption_takes_an_explicit_encoding(tmp_path: Path, capsys: Capture) -> None:
    """`adoption --encoding` cp932 reads a Shift_JIS roster and log as given."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    roster = _sjis_roster(tmp_path)
    usage = samples.write_usage(tmp_path / "usage.csv", end=dt.date(2027, 6, 4))
    code = main(["adoption", str(usage), "--roster", str(roster), "--encoding", "cp932"])
    assert code in {0, 1}
    assert "製造部" in capsys.readouterr().out


def test_a_bad_byte_names_the_roster_not_the_events(tmp_path: Path) -> None:
    """An undecodable roster is reported under the roster's name and line."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    usage = samples.write_usage(tmp_path / "usage.csv", end=dt.date(2027, 5, 21))
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"user_id,department\nu1,a\nu2,\x82\x00b\n")
    with pytest.raises(LoadError) as caught:
        bm.adoption.adoption_rates(usage, roster)
    problem = caught.value.problems[0]
    assert (Path(problem.file).name, problem.line) == ("roster.csv", 3)


def test_large_logs_are_judged_by_their_first_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log over the whole-check size is scanned lazily when it starts as UTF-8."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    from backoffice_marketing.adoption import frames  # noqa: PLC0415

    monkeypatch.setattr(frames, "_DECODE_WHOLE", 10)
    path = tmp_path / "log.csv"
    path.write_text("user_id,department\nu1,製造部\n", encoding="utf-8")
    assert type(frames.to_frame(path).to_native()).__name__ == "LazyFrame"
    path.write_bytes("user_id,department\nu1,製造部\n".encode("cp932"))
    assert frames.to_frame(path).collect()["department"].to_list() == ["製造部"]


def test_workbook_cells_read_as_a_csv_would_hold_them() -> None:
    """Dates are ISO, whole numbers lose their .0, times are kept, text stays text."""
    pytest.importorskip("narwhals", reason="adoption needs the [data] extra")
    from backoffice_marketing.adoption.frames import _cell_text  # noqa: PLC0415

    assert _cell_text(dt.date(2027, 4, 1)) == "2027-04-01"
    assert _cell_text(dt.datetime(2027, 4, 1)) == "2027-04-01"
    assert _cell_text(dt.datetime(2027, 4, 1, 9, 30)) == "2027-04-01T09:30:00"
    assert _cell_text(2.0) == "2"
    assert _cell_text(2.5) == "2.5"
    assert _cell_text("製造部") == "製造部"


def test_a_zip_that_is_no_workbook_is_a_clear_error() -> None:
    """A .xlsx that is a zip without a workbook inside is a LoadError naming the file."""
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    from backoffice_marketing.foundation.io.workbooks import xlsx_rows  # noqa: PLC0415

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(LoadError, match=r"roster\.xlsx"):
        list(xlsx_rows(buffer.getvalue(), "roster.xlsx"))


def test_column_checks_speak_japanese(tmp_path: Path) -> None:
    """A misspelt, doubled or missing column is reported in Japanese as well as English."""
    path = tmp_path / "questions.csv"
    path.write_text("id,recieved_on,text,text\nq1,2027-06-01,質問\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        bm.voice.QuestionLog.from_file(path)
    japanese = caught.value.render("ja")
    assert "知らない列 'recieved_on' があります。'received_on' のことですか?" in japanese
    assert "列 'text' が二度あります" in japanese
    assert "必須の列 'received_on' がありません" in japanese
    assert "unknown column 'recieved_on'; did you mean 'received_on'?" in caught.value.render("en")


def test_a_cp932_usage_log_is_imported(tmp_path: Path) -> None:
    """A usage log saved as cp932 is imported into a workspace like a UTF-8 one."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    folder = tmp_path / "ws"
    assert main(["init", str(folder), "--example"]) == 0
    usage = samples.write_usage(tmp_path / "usage-w.csv", end=dt.date(2027, 5, 21))
    text = usage.read_text(encoding="utf-8").replace("user_id", "user_id", 1)
    target = tmp_path / "usage-sjis.csv"
    lines = text.splitlines()
    lines[0] += ",メモ"
    lines[1:] = [line + ",社内" for line in lines[1:]]
    target.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    assert main(["update", str(folder), str(target), "--today", "2027-05-21"]) == 0
    with bm.Workspace.open(folder) as workspace:
        assert any(source.name == "usage-sjis.csv" for source in workspace.history())

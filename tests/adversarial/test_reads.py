"""Family "reads": devices, FIFOs, folders, oversized files and archive bombs end in LoadError."""

from __future__ import annotations

import io
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest

from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation.io import bounded
from backoffice_marketing.foundation.io.bounded import check_regular_file, read_bytes_bounded
from backoffice_marketing.foundation.io.documents import read_document
from backoffice_marketing.foundation.io.limits import MAX_DOCUMENT_BYTES, MAX_XML_DEPTH
from backoffice_marketing.materials import read_material
from backoffice_marketing.voice import QuestionLog

from .helpers import ASSESSMENT, invoke, run_limited, zip_bytes

pytestmark = pytest.mark.usefixtures("english_messages")

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _link(tmp_path: Path, name: str, target: str) -> Path:
    path = tmp_path / name
    path.symlink_to(target)
    return path


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("name", ["z.toml", "z.json", "z.yaml"])
def test_dev_zero_as_a_document_is_refused(tmp_path: Path, name: str) -> None:
    """``/dev/zero`` named as a TOML/JSON/YAML input is refused, not read without bound."""
    with pytest.raises(LoadError, match="not a regular file"):
        read_document(_link(tmp_path, name, "/dev/zero"))


def test_fifo_as_a_document_does_not_hang(tmp_path: Path) -> None:
    """A FIFO with no writer is refused at once through the command line (exit 2)."""
    started = time.monotonic()
    result = invoke(["score", str(_fifo(tmp_path, "a.toml"))])
    assert result.exit_code == 2
    assert "not a regular file" in result.output
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name", ["notice.txt", "notice.md", "notice.docx", "notice.pptx"])
def test_dev_zero_and_fifo_as_a_notice_are_refused(tmp_path: Path, name: str) -> None:
    """Text, Markdown, Word and PowerPoint readers refuse devices and FIFOs."""
    with pytest.raises(LoadError, match="not a regular file"):
        read_material(_link(tmp_path, name, "/dev/zero"))
    with pytest.raises(LoadError, match="not a regular file"):
        read_material(_fifo(tmp_path, "fifo-" + name))


def test_dev_zero_as_questions_is_refused(tmp_path: Path) -> None:
    """The questions CSV of ``faq`` given as /dev/zero exits 2."""
    result = invoke(["faq", str(_link(tmp_path, "q.csv", "/dev/zero"))])
    assert result.exit_code == 2
    with pytest.raises(LoadError):
        QuestionLog.from_file(_fifo(tmp_path, "fifo.csv"))


def test_fifo_as_usage_log_or_roster_is_refused(tmp_path: Path) -> None:
    """``adoption`` with a FIFO as events or roster exits 2 without waiting."""
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,department\nu1,A\n", encoding="utf-8")
    fifo = _fifo(tmp_path, "events.csv")
    assert invoke(["adoption", str(fifo), "-r", str(roster)]).exit_code == 2
    events = tmp_path / "ok.csv"
    events.write_text("user_id,date\nu1,2027-05-17\n", encoding="utf-8")
    assert invoke(["adoption", str(events), "-r", str(_fifo(tmp_path, "r.csv"))]).exit_code == 2


def test_department_csv_as_dev_zero_is_refused(tmp_path: Path) -> None:
    """``plan -d`` with a department CSV that is /dev/zero exits 2."""
    deps = _link(tmp_path, "deps.csv", "/dev/zero")
    result = invoke(["plan", "chat-migration", "--start", "2027-04-01", "-d", str(deps)])
    assert result.exit_code == 2


def test_folder_as_input_is_refused(tmp_path: Path) -> None:
    """A folder named like a document is a LoadError saying so."""
    (tmp_path / "x.toml").mkdir()
    with pytest.raises(LoadError, match="folder"):
        read_document(tmp_path / "x.toml")


def test_file_one_byte_over_the_limit_is_refused(tmp_path: Path) -> None:
    """The reader reads limit + 1 bytes and refuses; the limit itself is accepted."""
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(LoadError, match="too large"):
        read_bytes_bounded(path, limit=MAX_DOCUMENT_BYTES, what="document")
    assert len(read_bytes_bounded(path, limit=MAX_DOCUMENT_BYTES + 1)) == MAX_DOCUMENT_BYTES + 1
    with pytest.raises(LoadError, match="too large"):
        check_regular_file(path, limit=10, what="log")
    assert check_regular_file(path, limit=MAX_DOCUMENT_BYTES + 1, what="log") == path


def test_stdin_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-`` is standard input only with ``allow_stdin``; otherwise it is a file name."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abc")))
    assert read_bytes_bounded("-", limit=3, allow_stdin=True) == b"abc"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abcd")))
    with pytest.raises(LoadError, match="<stdin>"):
        read_bytes_bounded("-", limit=3, allow_stdin=True)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LoadError, match="cannot read"):
        read_bytes_bounded("-", limit=3)


def test_text_reader_reports_bad_utf8_with_line(tmp_path: Path) -> None:
    """Bounded text reading names the line of the first byte that is not UTF-8."""
    path = tmp_path / "a.csv"
    path.write_bytes(b"ok\n\xff\n")
    with pytest.raises(LoadError) as caught:
        bounded.read_text_bounded(path, limit=100)
    assert caught.value.problems[0].line == 2


def test_zip_archive_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Too many members, a huge part, a huge total and a zip bomb are each refused."""
    docx = tmp_path / "n.docx"
    docx.write_bytes(zip_bytes({f"p{i}": "x" for i in range(5)}))
    monkeypatch.setattr(bounded, "MAX_ARCHIVE_ENTRIES", 4)
    with pytest.raises(LoadError, match="entries"):
        read_material(docx)
    monkeypatch.undo()
    docx.write_bytes(zip_bytes({"a": "x" * 3000, "b": "y" * 3000}, stored=True))
    monkeypatch.setattr(bounded, "MAX_UNCOMPRESSED_BYTES", 5000)
    with pytest.raises(LoadError, match="bytes uncompressed"):
        read_material(docx)
    monkeypatch.undo()
    docx.write_bytes(zip_bytes({"word/document.xml": "<x>" + " " * 3_000_000 + "</x>"}))
    with pytest.raises(LoadError, match="zip bomb"):
        read_material(docx)


def test_xlsx_bomb_as_questions_is_refused(tmp_path: Path) -> None:
    """A questions workbook whose sheet inflates 1,000-fold is refused before openpyxl."""
    path = tmp_path / "q.xlsx"
    path.write_bytes(zip_bytes({"xl/worksheets/sheet1.xml": "<a>" + "0" * 2_000_000 + "</a>"}))
    with pytest.raises(LoadError, match="zip bomb"):
        QuestionLog.from_file(path)


def _pptx(slides: int, slide_xml: str) -> bytes:
    ids = "".join(f'<p:sldId id="{256 + i}" r:id="rId1"/>' for i in range(slides))
    presentation = (
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="slides/slide1.xml"/></Relationships>'
    )
    return zip_bytes(
        {
            "ppt/presentation.xml": presentation,
            "ppt/_rels/presentation.xml.rels": rels,
            "ppt/slides/slide1.xml": slide_xml,
        }
    )


def _slide(paragraphs: int) -> str:
    body = "".join(
        f"<a:p><a:r><a:t>line {i} of the notice</a:t></a:r></a:p>" for i in range(paragraphs)
    )
    return (
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"<p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )


def test_pptx_slides_sharing_one_part_count_against_the_limit(tmp_path: Path) -> None:
    """2,000 slide ids on one 1.4 MB slide: refused within 1 GiB and seconds, part read once."""
    path = tmp_path / "shared.pptx"
    path.write_bytes(_pptx(2000, _slide(24_000)))
    assert path.stat().st_size < 1024 * 1024
    run = run_limited(
        f"""
        import time
        from backoffice_marketing.exceptions import LoadError
        from backoffice_marketing.materials import read_material
        started = time.monotonic()
        try:
            read_material({str(path)!r})
        except LoadError as error:
            print("LoadError", error.problems[0].message)
        print(round(time.monotonic() - started, 1))
        """
    )
    assert run.returncode == 0, run.stderr
    message, seconds = run.stdout.strip().splitlines()
    assert message.startswith("LoadError the parts read hold more than")
    assert float(seconds) < 30


def test_pptx_sharing_a_small_part_is_read(tmp_path: Path) -> None:
    """A few slides reusing one small part are read, each with its own slide number."""
    path = tmp_path / "small.pptx"
    path.write_bytes(_pptx(3, _slide(2)))
    material = read_material(path)
    assert [block.anchors[0].location.slide for block in material.blocks] == [1, 1, 2, 2, 3, 3]


def test_docx_with_200000_nested_runs_is_a_load_error(tmp_path: Path) -> None:
    """Deeply nested runs end in one LoadError about XML depth, never RecursionError."""
    depth = 200_000
    body = "<w:r>" * depth + "<w:t>x</w:t>" + "</w:r>" * depth
    xml = f"<w:document {_W}><w:body><w:p>{body}</w:p></w:body></w:document>"
    path = tmp_path / "deep.docx"
    path.write_bytes(zip_bytes({"word/document.xml": xml}, stored=True))
    with pytest.raises(LoadError, match=f"deeper than {MAX_XML_DEPTH}"):
        read_material(path)


def test_docx_nested_within_the_limit_is_read(tmp_path: Path) -> None:
    """Runs nested below the depth limit are read without recursion."""
    depth = MAX_XML_DEPTH - 10
    body = "<w:r>" * depth + "<w:t>深い</w:t>" + "</w:r>" * depth
    xml = f"<w:document {_W}><w:body><w:p>{body}</w:p></w:body></w:document>"
    path = tmp_path / "nested.docx"
    path.write_bytes(zip_bytes({"word/document.xml": xml}))
    assert read_material(path).blocks[0].text == "深い"


def test_xml_element_count_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part with more elements than the limit is refused, naming the part."""
    from backoffice_marketing.materials import readers  # noqa: PLC0415

    monkeypatch.setattr(readers, "MAX_XML_ELEMENTS", 50)
    body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 20
    xml = f"<w:document {_W}><w:body>{body}</w:body></w:document>"
    path = tmp_path / "many.docx"
    path.write_bytes(zip_bytes({"word/document.xml": xml}))
    with pytest.raises(LoadError, match="more than 50 elements") as caught:
        read_material(path)
    assert caught.value.problems[0].path == "word/document.xml"


def test_csv_with_a_nul_byte_or_a_huge_field_is_a_load_error(tmp_path: Path) -> None:
    """The strict CSV reader turns csv.Error (NUL, field over the limit) into a LoadError."""
    deps = tmp_path / "deps.csv"
    deps.write_text('department,headcount\n"' + "x" * 200_000 + '",5\n', encoding="utf-8")
    result = invoke(["plan", "chat-migration", "--start", "2027-04-01", "-d", str(deps)])
    assert result.exit_code == 2
    assert "not valid CSV" in result.output


def test_example_still_reads() -> None:
    """The guards leave ordinary input alone."""
    assert read_document(ASSESSMENT).data


def test_shared_slides_spend_the_byte_and_element_budgets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three slides on one part: each use counts, against bytes and against elements."""
    from backoffice_marketing.materials import readers  # noqa: PLC0415

    path = tmp_path / "shared.pptx"
    path.write_bytes(_pptx(3, _slide(20)))
    slide_bytes = len(_slide(20).encode("utf-8"))
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED_BYTES", 2 * slide_bytes + 1)
    with pytest.raises(LoadError, match="bytes"):
        read_material(path)
    monkeypatch.undo()
    monkeypatch.setattr(readers, "MAX_XML_ELEMENTS", 2 * 66 + 1)  # one slide has 66 elements
    with pytest.raises(LoadError, match="XML elements"):
        read_material(path)


def test_slide_whose_part_is_missing_is_named(tmp_path: Path) -> None:
    """A slide id pointing at a part the archive lacks is a LoadError naming the part."""
    data = _pptx(1, _slide(1))
    path = tmp_path / "missing.pptx"
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            if info.filename != "ppt/slides/slide1.xml":
                target.writestr(info, source.read(info))
    with pytest.raises(LoadError, match="part is missing") as caught:
        read_material(path)
    assert caught.value.problems[0].path == "ppt/slides/slide1.xml"


def test_workbook_without_its_parts_is_a_load_error(tmp_path: Path) -> None:
    """A small, valid zip that is no workbook passes the archive checks and fails in openpyxl."""
    path = tmp_path / "q.xlsx"
    path.write_bytes(zip_bytes({"hello.txt": "not a workbook"}))
    with pytest.raises(LoadError, match="not a valid xlsx workbook"):
        QuestionLog.from_file(path)


def test_path_that_cannot_be_inspected_names_the_target(tmp_path: Path) -> None:
    """An output name too long for the file system is an error naming the target."""
    from backoffice_marketing.exceptions import UnsafeWriteError  # noqa: PLC0415
    from backoffice_marketing.foundation.io.atomic import write_text_atomic  # noqa: PLC0415

    target = tmp_path / ("x" * 300)
    with pytest.raises(UnsafeWriteError) as caught:
        write_text_atomic(target, "x")
    assert caught.value.path == str(target)


def test_reach_log_dates_are_strict(tmp_path: Path) -> None:
    """A reach log date such as 20270420 is a LoadError at its line."""
    from backoffice_marketing.materials import ReachLog  # noqa: PLC0415

    path = tmp_path / "reach.csv"
    path.write_text(
        "department,person,event,date,channel\n営業部,u1,reached,20270420,email\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="date") as caught:
        ReachLog.from_file(path)
    assert caught.value.problems[0].line == 2

"""Roster parents checked at the door: an unknown one is named with file, line, nearest name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.app.cli import main
from backoffice_marketing.core.departments import Department, unknown_parent, unknown_parents
from backoffice_marketing.exceptions import LoadError

ROSTER = (
    "user_id,department,parent\n"
    "u1,営業本部,\n"
    "u2,東京営業部,営業本布\n"
    "u3,東京営業部,営業本布\n"
    "u4,大阪営業部,ZZZ\n"
)


def test_a_typo_in_a_parent_is_named_with_file_line_and_nearest_name(tmp_path: Path) -> None:
    """A parent that names no department gets a problem at its first line, nearest name given."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    typo, far = unknown_parents(roster)
    assert (typo.file, typo.line, typo.path) == (str(roster), 3, "parent")
    assert "'営業本布'" in typo.render("ja")
    assert "'営業本部' のことですか?" in typo.render("ja")
    assert "did you mean '営業本部'?" in typo.render("en")
    assert far.line == 5
    assert "施策の部署に加えるか" in far.render("ja")
    assert "add it to the initiative's departments" in far.render("en")


def test_parents_the_initiative_knows_are_fine(tmp_path: Path) -> None:
    """A parent with no members of its own is fine when the initiative lists it."""
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,department,parent\nu1,東京営業部,営業本部\n", encoding="utf-8")
    assert len(unknown_parents(roster)) == 1
    assert unknown_parents(roster, ["営業本部"]) == ()
    plain = tmp_path / "plain.csv"
    plain.write_text("user_id,department\nu1,東京営業部\n", encoding="utf-8")
    assert unknown_parents(plain) == ()


@given(
    parent=st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"]),
        min_size=1,
        max_size=8,
    ).filter(lambda s: s.strip() == s and not set(s) & set(',"')),
    known=st.lists(st.sampled_from(["営業本部", "経理部", "人事部"]), unique=True),
)
def test_a_parent_is_named_exactly_when_nobody_knows_it(
    parent: str, known: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A parent gets a problem exactly when neither the roster nor the initiative lists it."""
    roster = tmp_path_factory.mktemp("roster") / "roster.csv"
    roster.write_text(
        f"user_id,department,parent\nu1,東京営業部,{parent}\nu2,経理部,\n", encoding="utf-8"
    )
    found = unknown_parents(roster, known)
    assert bool(found) is (parent not in {*known, "東京営業部", "経理部"})
    for problem in found:
        assert (problem.line, problem.path) == (2, "parent")
        assert problem.text("en").startswith("the parent ")
        assert unknown_parent(parent, known) == problem.message


def test_an_initiative_parent_must_be_one_of_its_departments() -> None:
    """An initiative whose parent names no department is refused, naming the nearest one."""
    with pytest.raises(bm.BackofficeMarketingError, match="did you mean '営業本部'"):
        bm.Initiative(
            id="x",
            name=bm.LocalizedText("x", "x"),
            playbook="chat-migration",
            start=bm.Initiative.example().start,
            departments=[
                Department("営業本部", headcount=12),
                Department("東京", headcount=5, parent="営業本布"),
            ],
        )


def test_an_initiative_file_with_an_unknown_parent_names_the_file(tmp_path: Path) -> None:
    """Loading initiative.toml with a parent typo gives a load error with the file and field."""
    text = (tmp_path / "initiative.toml").write_text
    text(
        'schema_version = 1\nid = "x"\nplaybook = "chat-migration"\nstart = 2027-02-26\n'
        'departments = [\n  { id = "営業本部", headcount = 12 },\n'
        '  { id = "東京営業部", headcount = 5, parent = "営業本布" },\n]\n'
        '[name]\nja = "x"\nen = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        bm.Initiative.from_file(tmp_path / "initiative.toml")
    assert "departments[1].parent" in caught.value.render("ja")
    assert "'営業本部' のことですか?" in caught.value.render("ja")


def test_update_warns_about_an_unknown_roster_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`update` names a roster parent typo with the roster file, its line and the nearest name."""
    pytest.importorskip("narwhals", reason="usage imports need the [data] extra")
    folder = tmp_path / "w"
    assert main(["init", str(folder), "--example"]) == 0
    roster = folder / "inputs" / "roster.csv"
    rows = list(csv.DictReader(io.StringIO(roster.read_text(encoding="utf-8"))))
    for row in rows:
        if row["department"] == rows[0]["department"]:
            row["parent"] = "営業本布"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    roster.write_text(buffer.getvalue(), encoding="utf-8")
    capsys.readouterr()
    assert main(["update", str(folder), "--today", "2027-06-30"]) == 0
    said = capsys.readouterr().err
    assert f"{roster}:2 parent:" in said
    assert "'営業本部' のことですか?" in said


def test_a_workspace_without_a_roster_has_no_parent_warnings(tmp_path: Path) -> None:
    """Without a roster file there is nothing to check."""
    from types import SimpleNamespace  # noqa: PLC0415
    from typing import cast  # noqa: PLC0415

    from backoffice_marketing.workspace.names import unknown_roster_parents  # noqa: PLC0415
    from backoffice_marketing.workspace.run import WorkspaceState  # noqa: PLC0415

    state = cast("WorkspaceState", SimpleNamespace(order=("営業本部",)))
    assert unknown_roster_parents(tmp_path / "roster.csv", state) == ()

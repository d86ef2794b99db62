"""Human names of ids in the rendered outputs (render/names.py, the ``code`` filter)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.render.markdown import markdown_code
from backoffice_marketing.render.names import Names, base_task_id


def test_items_stages_and_sources_have_names_in_both_languages() -> None:
    """Known ids become their question, name or label; unknown ids are shown as they are."""
    ja, en = Names("ja"), Names("en")
    assert ja.item("materials.why") == "資料で、なぜこの変更を行うのかを説明していますか?"
    assert en.item("materials.why").startswith("Does the material explain why")
    assert ja.item("materials.unknown") == "materials.unknown"
    assert ja.stage("launch") == "開始"
    assert en.stage("launch") == "Launch"
    assert ja.stage("no-such-stage") == "no-such-stage"
    assert ja.stage(None) == "—"
    assert [ja.source(s) for s in ("manual", "adoption", "voice", "materials", "plan")] == [
        "手動回答",
        "利用ログ",
        "現場の声",
        "資料",
        "計画",
    ]
    assert en.source("my-producer") == "my-producer"
    assert ja.country("JP") == "日本"
    assert en.country("jp") == "Japan"
    assert ja.country("XX") == "XX"


def test_tasks_keep_their_round_and_department() -> None:
    """A planned task id names the playbook task, its round and its department."""
    ja = Names("ja", playbook="chat-migration")
    en = Names("en", playbook="chat-migration")
    assert ja.task("start-chat") == "チャットの利用を開始する"
    assert ja.task("sync-with-champions#2").endswith("課題に手を打つ (第2回)")
    assert en.task("interview-departments@製造部").endswith("(製造部)")
    assert en.task("visit-lagging-departments#1@営業本部").endswith("(round 1, 営業本部)")
    assert ja.task("my-own-task#3") == "my-own-task#3"
    assert ja.tasks(()) == "—"
    assert ja.tasks(("start-chat", "share-chat-tips")).count("/") == 1
    assert en.tasks(("start-chat", "share-chat-tips")).count("; ") == 1
    assert Names("en").task("start-chat") == en.task("start-chat")
    assert base_task_id("visit-lagging-departments#1@営業本部") == "visit-lagging-departments"


def test_initiatives_by_display_name() -> None:
    """The bundled initiative is shown by its display name; any other by its id."""
    assert Names("ja").initiative("chat-migration") == "社内連絡のメールからチャットへの移行"
    assert Names("en").initiative("chat-migration").startswith("Moving internal communication")
    assert Names("ja").initiative("paperless") == "paperless"


def test_markdown_code_spans_only_plain_ids() -> None:
    """A plain id becomes a code span; text with Markdown or HTML in it is escaped instead."""
    assert markdown_code("materials.why") == "`materials.why`"
    assert markdown_code("visit#1@製造部") == "`visit#1@製造部`"
    assert markdown_code("a|b <script>") == "a\\|b &lt;script&gt;"


@given(st.text())
def test_markdown_code_never_breaks_a_table_cell(text: str) -> None:
    """Whatever the id, the cell keeps its columns and its line."""
    cell = markdown_code(text)
    assert "\n" not in cell
    assert "|" not in cell.replace("\\\\", "").replace("\\|", "")
    assert "<" not in cell

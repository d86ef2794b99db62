"""Stages, stage graphs and playbooks: loading, validation and the built-ins."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import backoffice_marketing as bm
from backoffice_marketing.diagnosis.playbooks import (
    Milestone,
    Playbook,
    UnknownPlaybookError,
    list_playbooks,
    load_playbook,
)
from backoffice_marketing.diagnosis.stages import stage_catalogue
from backoffice_marketing.exceptions import LoadError

CANONICAL = (
    "research", "diagnosis", "proposal", "design", "materials", "announcement", "launch",
    "measurement", "laggard-follow-up", "intervention", "acceleration", "cut-over", "embedded",
)  # fmt: skip

HEADER = """schema_version = 1
id = "broken"
name = { ja = "壊れた例", en = "Broken" }
summary = { ja = "例", en = "Example" }
owner = "it"

[exit]
metric = "adoption_rate"
target = 0.9
scope = "every_department"
description = { ja = "九割", en = "90%" }
"""


def write(tmp_path: Path, body: str, name: str = "playbook.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_stage_catalogue_is_canonical() -> None:
    """The catalogue holds the 13 canonical stages in order, each bilingual."""
    catalogue = stage_catalogue()
    assert tuple(catalogue) == CANONICAL
    for stage in catalogue.values():
        assert stage.name.ja
        assert stage.purpose.ja
        assert stage.failure_modes
    loops = {stage.id for stage in catalogue.values() if stage.repeat is not None}
    assert loops == {"measurement", "laggard-follow-up", "intervention"}
    assert catalogue["embedded"].duration == 0


def test_builtin_playbooks_are_listed_and_load() -> None:
    """The built-ins include the contract's three playbooks and one more case."""
    names = list_playbooks()
    assert {"chat-migration", "one-on-one", "generic-rollout"} <= set(names)
    assert len(names) >= 4
    for name in names:
        playbook = load_playbook(name)
        assert playbook.id == name
        assert isinstance(playbook.graph, nx.DiGraph)
        assert nx.is_directed_acyclic_graph(playbook.graph)
        assert repr(playbook).startswith(f"<Playbook {name!r}")


def test_graph_is_read_only() -> None:
    """The exposed networkx graph cannot be modified."""
    graph = load_playbook("chat-migration").stage_graph.graph
    with pytest.raises(nx.NetworkXError):
        graph.add_node("x")


@pytest.mark.parametrize(("name", "steps"), [("chat-migration", 10), ("one-on-one", 9)])
def test_cases_cover_every_step_in_order(name: str, steps: int) -> None:
    """Every step of the worked case appears as a task, in order."""
    playbook = load_playbook(name)
    numbered = [task.step for task in playbook.tasks if task.step is not None]
    assert sorted(set(numbered)) == list(range(1, steps + 1))
    assert numbered == sorted(numbered)


def test_chat_migration_has_the_case_a_essentials() -> None:
    """Case A: usage chart, laggard visits, champions, the email end date and its enforcement."""
    playbook = load_playbook("chat-migration")
    ids = {task.id for task in playbook.tasks}
    assert {
        "interview-departments", "chart-usage-by-department", "visit-lagging-departments",
        "appoint-chat-champions", "declare-email-end-date", "block-internal-email",
    } <= ids  # fmt: skip
    milestones = {task.milestone for task in playbook.tasks if task.milestone}
    assert milestones == {Milestone.APPROVAL, Milestone.LAUNCH, Milestone.CUT_OVER}
    assert playbook.exit.target == 0.9
    assert playbook.task("interview-departments").per_department
    assert playbook.tasks_addressing("two_way.champions")


def test_one_on_one_has_the_case_b_essentials() -> None:
    """Case B: study sessions, videos, second call, interviews, FAQ, newsletter."""
    playbook = load_playbook("one-on-one")
    titles = " ".join(task.title.en.lower() for task in playbook.tasks)
    for word in ("study session", "video", "faq", "newsletter"):
        assert word in titles, word
    assert any(task.per_department for task in playbook.tasks)


def test_unknown_playbook_name() -> None:
    """An unknown name (and no such file) raises with a suggestion."""
    with pytest.raises(UnknownPlaybookError, match="did you mean 'chat-migration'"):
        load_playbook("chat-migratoin")


def test_cycle_and_unknown_stage_are_both_reported(tmp_path: Path) -> None:
    """A file with a stage cycle and an unknown stage id reports both, with lines."""
    path = write(
        tmp_path,
        """
[[stages]]
id = "design"
after = ["materials"]

[[stages]]
id = "materials"
after = ["design"]

[[stages]]
id = "launchh"
after = ["materials"]

[[tasks]]
id = "a"
stage = "design"
title = { ja = "あ", en = "A" }
role = "it"
duration = 1
""",
    )
    with pytest.raises(LoadError) as caught:
        load_playbook(path)
    messages = [(p.line, p.path, p.message) for p in caught.value.problems]
    assert (15, "stages[0].after", "cycle: design -> materials -> design") in messages
    assert any(
        line == 22 and field == "stages[2].id" and "unknown stage id 'launchh'" in message
        and "did you mean 'launch'" in message
        for line, field, message in messages
    )  # fmt: skip


def test_task_problems_are_reported_at_once(tmp_path: Path) -> None:
    """Unknown stages, tasks and items, duplicates and task cycles come in one error."""
    path = write(
        tmp_path,
        """
[[stages]]
id = "research"

[[stages]]
id = "research"

[[tasks]]
id = "a"
stage = "research"
title = { ja = "あ", en = "A" }
role = "it"
duration = 1
depends_on = ["b"]
addresses = ["research.nope"]
milestone = "launch"

[[tasks]]
id = "b"
stage = "design"
title = { ja = "い", en = "B" }
role = "it"
duration = 1
depends_on = ["a", "zzz"]
milestone = "launch"

[[tasks]]
id = "a"
stage = "research"
title = { ja = "う", en = "C" }
role = "it"
duration = 2
""",
    )
    with pytest.raises(LoadError) as caught:
        load_playbook(path)
    found = {(p.path, p.message.split(";")[0].split(" (")[0]) for p in caught.value.problems}
    assert ("stages[1].id", "duplicate stage id 'research'") in found
    assert ("tasks[2].id", "duplicate task id 'a'") in found
    assert ("tasks[1].stage", "unknown stage id 'design'") in found
    assert ("tasks[0].addresses[0]", "unknown checklist item 'research.nope'") in found
    assert ("tasks[1].depends_on[1]", "unknown task id 'zzz'") in found
    assert ("tasks[1].milestone", "milestone 'launch' is already set on tasks[0]") in found
    assert ("tasks[0].depends_on", "cycle: a -> b -> a") in found
    assert all(p.line is not None for p in caught.value.problems)


def test_negative_duration_and_bad_gate(tmp_path: Path) -> None:
    """Negative durations are refused with their line; unknown gate items too."""
    path = write(
        tmp_path,
        """
[[stages]]
id = "research"
gate = ["research.nope"]

[[tasks]]
id = "a"
stage = "research"
title = { ja = "あ", en = "A" }
role = "it"
duration = -3
""",
    )
    with pytest.raises(
        LoadError, match=r":22:1 tasks\[0\]\.duration: 0 以上の整数が必要です。見つかった値: -3"
    ):
        load_playbook(path)
    path.write_text(path.read_text("utf-8").replace("-3", "3"), encoding="utf-8")
    with pytest.raises(
        LoadError, match=r"stages\[0\]\.gate\[0\]: チェック項目 'research\.nope' はありません"
    ):
        load_playbook(path)


def test_custom_stage_needs_texts(tmp_path: Path) -> None:
    """A stage outside the catalogue is accepted when it brings its own texts."""
    path = write(
        tmp_path,
        """
[[stages]]
id = "legal-review"
name = { ja = "法務確認", en = "Legal review" }
purpose = { ja = "規程を確認する", en = "Check the rules" }
failure_modes = ["materials"]
duration = 4

[[stages]]
id = "launch"
after = ["legal-review"]
repeat = { rounds = 2, cadence = 5 }

[[tasks]]
id = "review"
stage = "legal-review"
title = { ja = "確認", en = "Review" }
role = "general_affairs"
duration = 4
""",
        name="custom.yaml.toml",
    )
    playbook = Playbook.from_file(path)
    assert playbook.stage_graph.order == ("legal-review", "launch")
    assert playbook.stage_graph["legal-review"].duration == 4
    assert playbook.stage_graph["launch"].rounds == 2
    assert playbook.stage_graph.descendants("legal-review") == frozenset({"launch"})
    assert "launch" in playbook.stage_graph
    assert playbook.stage_graph.predecessors("launch") == ("legal-review",)
    assert "legal_review --> launch" in playbook.stage_graph.to_mermaid()


def test_stage_gate_items_combine_checklist_and_stage() -> None:
    """A stage's gate is the items naming it plus its own extra gate ids."""
    playbook = load_playbook("chat-migration")
    cut_over = playbook.stage_graph["cut-over"]
    assert "two_way.cutover-readiness" in cut_over.gate_items(bm.default_checklist())
    announcement = playbook.stage_graph["announcement"]
    assert "materials.why" in announcement.gate_items(bm.default_checklist())


def test_task_cannot_wait_for_a_later_stage(tmp_path: Path) -> None:
    """A dependency on a task of a later stage is reported with its line at load time."""
    path = write(
        tmp_path,
        """
[[stages]]
id = "research"

[[stages]]
id = "design"
after = ["research"]

[[tasks]]
id = "a"
stage = "research"
title = { ja = "あ", en = "A" }
role = "it"
duration = 1
depends_on = ["b"]

[[tasks]]
id = "b"
stage = "design"
title = { ja = "い", en = "B" }
role = "it"
duration = 1
""",
    )
    with pytest.raises(
        LoadError, match=r"tasks\[0\]\.depends_on\[0\]: task 'b' is in stage 'design'"
    ):
        load_playbook(path)

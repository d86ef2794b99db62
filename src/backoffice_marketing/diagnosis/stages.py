"""Stages of an initiative and the graph they form."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, ClassVar

import attrs

from backoffice_marketing.core.checklist import STAGE_ID_PATTERN, Checklist
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import UnknownStageError
from backoffice_marketing.foundation.defaults import MAX_REPEAT_ROUNDS
from backoffice_marketing.foundation.io.limits import MAX_TASK_DAYS
from backoffice_marketing.foundation.io.shapes import shape_record
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.foundation.validators import between, matches

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Repetition", "Stage", "StageGraph", "UnknownStageError", "stage_catalogue"]


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("expected a sequence of ids, not a single string")
    return tuple(values)


def _mode_tuple(values: Iterable[FailureMode]) -> tuple[FailureMode, ...]:
    return tuple(FailureMode(value) for value in values)


@attrs.frozen
class Repetition:
    """A bounded loop of a stage: ``rounds`` rounds, one every ``cadence`` business days."""

    rounds: int = attrs.field(validator=between(1, MAX_REPEAT_ROUNDS))
    cadence: int = attrs.field(validator=between(1, MAX_TASK_DAYS))


@attrs.frozen
class Stage:
    """One stage of an initiative.

    ``gate`` lists checklist item ids that must be done before the stage starts
    (beyond the items that name this stage in their own ``gates``); ``after``
    lists the stages it follows; ``repeat`` makes it a bounded loop.
    """

    id: str = attrs.field(validator=matches(STAGE_ID_PATTERN, "a stage id in kebab-case"))
    name: LocalizedText
    purpose: LocalizedText
    failure_modes: tuple[FailureMode, ...] = attrs.field(converter=_mode_tuple)
    duration: int = attrs.field(validator=between(0, MAX_TASK_DAYS))
    after: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    gate: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    repeat: Repetition | None = None

    @property
    def rounds(self) -> int:
        """How many times the stage runs (1 unless it repeats)."""
        return self.repeat.rounds if self.repeat is not None else 1

    def gate_items(self, checklist: Checklist) -> tuple[str, ...]:
        """Every checklist item that must be done before this stage starts."""
        derived = checklist.for_stage(self.id).ids
        return tuple(dict.fromkeys((*derived, *self.gate)))


@attrs.frozen
class _StageFile:
    stages: tuple[Stage, ...]


@functools.cache
def stage_catalogue() -> Mapping[str, Stage]:
    """The canonical stages, by id, in their canonical order."""
    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    stages = structure_document(load_package_document("stages.toml"), _StageFile).stages
    return {stage.id: stage for stage in stages}


def _stage_tuple(values: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(values)


@attrs.frozen
class StageGraph(Report):
    """Stages and their order as a directed acyclic graph.

    ``order`` is the lexicographically smallest topological order. The graph is
    validated when built (see :mod:`backoffice_marketing.diagnosis.playbooks`); ``graph``
    gives a read-only networkx ``DiGraph`` for your own analysis and drawing.
    """

    report_kind: ClassVar[str] = "stage_graph"
    #: The record of the graph's JSON (set below): its stages in order.
    json_shape: ClassVar[type[StageGraphRecord]]
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "mmd")

    stages: tuple[Stage, ...] = attrs.field(converter=_stage_tuple)

    @functools.cached_property
    def _by_id(self) -> Mapping[str, Stage]:
        return {stage.id: stage for stage in self.stages}

    @functools.cached_property
    def order(self) -> tuple[str, ...]:
        """Stage ids in lexicographic topological order."""
        from backoffice_marketing.foundation.graphs import lexicographic_order  # noqa: PLC0415

        ids = sorted(self._by_id)
        index = {stage_id: i for i, stage_id in enumerate(ids)}
        successors: list[list[int]] = [[] for _ in ids]
        indegree = [0] * len(ids)
        for stage in self.stages:
            for before in stage.after:
                successors[index[before]].append(index[stage.id])
                indegree[index[stage.id]] += 1
        return tuple(ids[node] for node in lexicographic_order(successors, indegree))

    @functools.cached_property
    def graph(self) -> nx.DiGraph[str]:
        """A frozen networkx ``DiGraph``: nodes are stage ids with a ``stage`` attribute."""
        import networkx as nx  # noqa: PLC0415  (heavy; imported on first use)

        graph: nx.DiGraph[str] = nx.DiGraph()
        for stage_id in self.order:
            stage = self._by_id[stage_id]
            graph.add_node(stage_id, stage=stage, label=stage.name.en)
        for stage in self.stages:
            for before in stage.after:
                graph.add_edge(before, stage.id)
        frozen: nx.DiGraph[str] = nx.freeze(graph)
        return frozen

    def __iter__(self) -> Iterator[Stage]:
        return (self._by_id[stage_id] for stage_id in self.order)

    def __len__(self) -> int:
        return len(self.stages)

    def __contains__(self, stage_id: object) -> bool:
        return stage_id in self._by_id

    def __getitem__(self, stage_id: str) -> Stage:
        return self._by_id[stage_id]

    def __repr__(self) -> str:
        return f"<StageGraph stages={len(self.stages)}>"

    def predecessors(self, stage_id: str) -> tuple[str, ...]:
        """The stages ``stage_id`` directly follows."""
        return self._by_id[stage_id].after

    @functools.cached_property
    def _descendants(self) -> Mapping[str, frozenset[str]]:
        below: dict[str, set[str]] = {stage_id: set() for stage_id in self._by_id}
        for stage_id in reversed(self.order):
            for before in self._by_id[stage_id].after:
                below[before] |= {stage_id, *below[stage_id]}
        return {stage_id: frozenset(ids) for stage_id, ids in below.items()}

    def descendants(self, stage_id: str) -> frozenset[str]:
        """Every stage reachable from ``stage_id``."""
        return self._descendants[stage_id]

    def _markdown(self, lang: Lang) -> str:
        """A table of the stages in order: name, purpose, duration, what they follow."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("stage_graph.md.j2", lang, graph=self)

    def _export(self, fmt: str, lang: Lang) -> bytes:  # noqa: ARG002  (mmd is the only extra)
        return self.to_mermaid(lang=lang).encode("utf-8")

    def to_mermaid(self, *, lang: Lang | None = None) -> str:
        """The stage graph as a Mermaid flowchart in ``lang`` (loops drawn as labelled stages).

        ``lang=None`` means the display language. Labels are quoted and sanitised
        by :mod:`backoffice_marketing.render.mermaid`.
        """
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415
        from backoffice_marketing.render.mermaid import flowchart_label  # noqa: PLC0415

        chosen = resolve_lang(lang)
        lines = ["flowchart LR"]
        for stage in self:
            suffix = f" ×{stage.rounds}" if stage.repeat is not None else ""
            label = flowchart_label(stage.name.get(chosen) + suffix, fallback=stage.id)
            lines.append(f"    {_node(stage.id)}[{label}]")
        lines.extend(
            f"    {_node(before)} --> {_node(stage.id)}" for stage in self for before in stage.after
        )
        return "\n".join(lines) + "\n"


def _node(stage_id: str) -> str:
    return stage_id.replace("-", "_")


@shape_record
@attrs.frozen
class StageGraphRecord:
    """The JSON shape of a stage graph: its stages in the graph's order."""

    stages: tuple[Stage, ...]

    @classmethod
    def of(cls, graph: StageGraph) -> StageGraphRecord:
        """The record of ``graph``."""
        return cls(tuple(graph))


StageGraph.json_shape = StageGraphRecord

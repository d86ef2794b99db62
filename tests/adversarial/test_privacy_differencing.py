"""Family "differencing": no two published figures give a small group by subtraction.

Each test builds an organisation, publishes every output the library makes of it (groups,
parent totals, the company, adoption rows, ``unmatched_users``, gap-report scores) for a
run with everyone and for runs with one department removed, then tries every subtraction
between two published figures. A figure is known by the set of departments whose people
it counts, so a subtraction reveals the departments in one set and not in the other; it
must never isolate between 1 and k-1 people.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.adoption import adoption_rates, department_groups
from backoffice_marketing.core.privacy import Group, roll_up

Figure = frozenset[str]
DAY = dt.date(2027, 6, 2)


@st.composite
def organisations(draw: st.DrawFn, max_size: int = 12, max_count: int = 9) -> list[Group]:
    """Department forests with many groups near the floor (sizes 0 to 12)."""
    count = draw(st.integers(1, max_count))
    groups = []
    for index in range(count):
        parent = draw(st.none() | st.integers(0, index - 1)) if index else None
        size = draw(st.integers(0, max_size))
        groups.append(Group(f"d{index}", size, f"d{parent}" if parent is not None else None))
    return groups


def _figures(groups: Sequence[Group], k: int) -> list[Figure]:
    """Every figure one run publishes: groups, parent totals and the company."""
    result = roll_up(groups, min_group_size=k, parent_totals=True)
    figures = [frozenset(group.members) for group in result.published]
    figures += [frozenset(total.members) for total in result.parent_totals]
    if figures:
        figures.append(frozenset(m for group in result.published for m in group.members))
    return figures


def _without(groups: Sequence[Group], removed: str) -> list[Group]:
    return [group for group in groups if group.id != removed]


def _recovered(
    runs: Iterable[Sequence[Figure]], sizes: dict[str, int], k: int
) -> list[tuple[Figure, Figure]]:
    """Pairs of published figures whose difference isolates 1 to k-1 people."""
    everything = {figure for figures in runs for figure in figures}
    found = []
    for bigger, smaller in itertools.permutations(everything, 2):
        if smaller < bigger:
            people = sum(sizes[name] for name in bigger - smaller)
            if 0 < people < k:
                found.append((bigger, smaller))
    return found


@settings(max_examples=300)
@given(organisations(), st.integers(5, 7))
def test_no_subtraction_of_two_outputs_reveals_a_small_group(groups: list[Group], k: int) -> None:
    """Parent less child, company less departments, run A less run B: never 1 to k-1 people."""
    sizes = {group.id: group.size for group in groups}
    full = _figures(groups, k)
    for figure in full:
        assert sum(sizes[name] for name in figure) >= k
    runs = [full] + [_figures(_without(groups, group.id), k) for group in groups]
    assert _recovered(runs, sizes, k) == []


@settings(max_examples=200)
@given(organisations(), st.integers(5, 6))
def test_adding_a_department_changes_no_figure_by_less_than_the_floor(
    groups: list[Group], k: int
) -> None:
    """Every pair of runs that differ by one department, added or removed, is safe together."""
    sizes = {group.id: group.size for group in groups}
    for first, second in itertools.combinations(groups, 2):
        runs = [
            _figures(_without(groups, first.id), k),
            _figures(_without(_without(groups, first.id), second.id), k),
        ]
        assert _recovered(runs, sizes, k) == []


def test_naive_roll_up_would_fail_this_test() -> None:
    """The check itself finds the classic leak: a parent with and without its small team."""
    sizes = {"sales": 40, "nagoya": 3}
    naive_with = [frozenset({"sales", "nagoya"})]
    naive_without = [frozenset({"sales"})]
    assert _recovered([naive_with, naive_without], sizes, 5) != []


# -- adoption: the real outputs --------------------------------------------------------


def _roster(groups: Sequence[Group]) -> pl.DataFrame:
    users, departments, parents = [], [], []
    for group in groups:
        for person in range(group.size):
            users.append(f"{group.id}-{person}")
            departments.append(group.id)
            parents.append(group.parent)
    return pl.DataFrame(
        {"user_id": users, "department": departments, "parent": parents},
        schema={"user_id": pl.String, "department": pl.String, "parent": pl.String},
    )


def _adoption_figures(
    groups: Sequence[Group], active: set[str], strangers: int
) -> tuple[list[Figure], list[int], dict[Figure, tuple[int, int]]]:
    """Published adoption rows as figures, the unmatched counts, and each row's numbers."""
    roster = _roster(groups)
    present = set(roster["user_id"].to_list())
    users = sorted(active & present) + sorted(active - present)
    users += [f"stranger-{i}" for i in range(strangers)]
    events = pl.DataFrame({"user_id": users, "date": [DAY] * len(users)})
    events = events.cast({"user_id": pl.String, "date": pl.Date})
    if roster.height == 0:
        return [], [], {}
    rates = adoption_rates(events, roster, period="week", start=DAY, end=DAY)
    rolled = department_groups(roster, period="week", start=DAY, end=DAY)
    # A parent named in the roster but absent from this run is a label with no people.
    here = {group.id for group in groups}
    members = {group.id: frozenset(group.members) & here for group in rolled.published}
    figures: list[Figure] = []
    numbers: dict[Figure, tuple[int, int]] = {}
    for row in rates.filter(~pl.col("suppressed")).iter_rows(named=True):
        figure = members[row["department"]]
        figures.append(figure)
        numbers[figure] = (row["headcount"], row["active_users"])
    return figures, rates["unmatched_users"].to_list(), numbers


@settings(max_examples=12, deadline=None)
@given(
    organisations(max_size=8, max_count=5),
    st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=30),
    st.integers(0, 12),
)
def test_adoption_outputs_with_and_without_a_department(
    groups: list[Group], active_pairs: set[tuple[int, int]], strangers: int
) -> None:
    """adoption_rates with a department and without it (its people then unmatched) leak nothing."""
    k = bm.MIN_GROUP_SIZE
    active = {f"d{d}-{p}" for d, p in active_pairs}
    sizes = {group.id: group.size for group in groups}
    full, unmatched_full, numbers = _adoption_figures(groups, active, strangers)
    for figure, (headcount, _) in numbers.items():
        assert headcount == sum(sizes[name] for name in figure) >= k
    runs = [full]
    for group in groups:
        figures, unmatched, _ = _adoption_figures(_without(groups, group.id), active, strangers)
        runs.append(figures)
        # Unmatched counts are bands of k: the difference of two bands never pins a count.
        assert all(value % k == 0 for value in (*unmatched, *unmatched_full))
    assert _recovered(runs, sizes, k) == []


# -- gap reports ---------------------------------------------------------------------------


def _assessment(group: Group, level: str) -> bm.Assessment:
    return bm.Assessment(
        "chat-migration", DAY, bm.Scope(group.id, group.size, group.parent)
    ).answer("materials.why", level)


@settings(max_examples=40, deadline=None)
@given(
    organisations(),
    st.lists(st.sampled_from(["done", "partial", "not_done"]), min_size=9, max_size=9),
)
def test_gap_report_is_the_same_without_a_withheld_department(
    groups: list[Group], levels: list[str]
) -> None:
    """A withheld department has no influence: without it, the same groups give the same scores."""
    assessments = [_assessment(group, level) for group, level in zip(groups, levels, strict=False)]
    report = bm.GapReport.from_assessment(assessments)
    withheld = {
        row.department for row in report.departments if row.suppressed and row.merged_into is None
    }
    for name in withheld:
        rest = [a for a in assessments if a.scope.department != name]
        if not rest:
            continue
        other = bm.GapReport.from_assessment(rest)
        if _shown(other) == _shown(report):
            assert [m.score for m in other.failure_modes] == [m.score for m in report.failure_modes]
            assert [r for r in other.departments if not r.suppressed] == [
                r for r in report.departments if not r.suppressed
            ]


def _shown(report: bm.GapReport) -> frozenset[str]:
    return frozenset(m for row in report.departments if not row.suppressed for m in row.members)


def test_one_small_department_company_publishes_nothing() -> None:
    """A company that is one 3-person department shows no score, no note, no remedy."""
    tiny = (
        bm.Assessment("chat-migration", DAY, bm.Scope("経理部", 3))
        .answer("materials.why", "not_done", note="課長が反対している")
        .answer("two_way.champions", "done")
    )
    report = bm.GapReport.from_assessment(tiny)
    assert {m.status for m in report.failure_modes} == {"suppressed"}
    assert report.readiness.value is None
    assert report.remedies == ()
    for text in (report.to_markdown(lang="ja"), report.to_html(lang="en"), report.to_json()):
        assert "課長が反対している" not in text


def test_company_assessment_of_three_people_is_withheld() -> None:
    """A company-wide assessment whose headcount is under the floor publishes no figure."""
    company = bm.Assessment("chat-migration", DAY, bm.Scope(headcount=3)).answer(
        "materials.why", "done", note="全員賛成"
    )
    report = bm.GapReport.from_assessment(company)
    assert {m.status for m in report.failure_modes} == {"suppressed"}
    assert "全員賛成" not in report.to_markdown(lang="ja")


def test_note_of_a_group_under_the_text_floor_is_never_quoted() -> None:
    """A 7-person company may show its scores but never its free-text notes (floor 10)."""
    company = bm.Assessment("chat-migration", DAY, bm.Scope(headcount=7)).answer(
        "materials.why", "partial", note="部長の口癖がうつった"
    )
    report = bm.GapReport.from_assessment(company)
    assert report["materials"].score == pytest.approx(0.5)
    for text in (report.to_markdown(lang="en"), report.to_html(lang="ja"), report.to_json()):
        assert "部長の口癖" not in text
    big = bm.Assessment("chat-migration", DAY, bm.Scope(headcount=40)).answer(
        "materials.why", "partial", note="部長の口癖がうつった"
    )
    assert "部長の口癖" in bm.GapReport.from_assessment(big).to_markdown(lang="en")


def test_two_gap_reports_with_and_without_a_small_department_agree() -> None:
    """The issue's case: a report with a 3-person department and one without it are the same."""
    big = _assessment(Group("営業部", 40), "done")
    small = _assessment(Group("経理部", 3), "not_done")
    with_small = bm.GapReport.from_assessment([big, small])
    without = bm.GapReport.from_assessment([big])
    assert [m.score for m in with_small.failure_modes] == [m.score for m in without.failure_modes]
    assert with_small.readiness == without.readiness

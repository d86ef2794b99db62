"""Departments of a company, from objects, a mapping, a roster file or a dataframe."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from backoffice_marketing.exceptions import (
    DepartmentCycleError,
    DepartmentsError,
    LoadError,
    MissingExtraError,
    Problem,
)
from backoffice_marketing.foundation.io.csv_rows import csv_rows, read_text_file
from backoffice_marketing.foundation.io.limits import MAX_HEADCOUNT
from backoffice_marketing.foundation.validators import between, non_blank

if TYPE_CHECKING:
    from backoffice_marketing.foundation.messages import Message

__all__ = [
    "Department",
    "DepartmentsError",
    "check_parent_cycles",
    "coerce_departments",
    "company_order",
    "nearest_name",
    "unknown_parent",
    "unknown_parents",
]


@attrs.frozen
class Department:
    """A department: a stable ``id``, a display ``name``, its ``headcount`` and ``parent``."""

    id: str = attrs.field(validator=non_blank)
    name: str | None = None
    headcount: int = attrs.field(default=0, validator=between(0, MAX_HEADCOUNT))
    parent: str | None = None

    @property
    def label(self) -> str:
        """The name to show: ``name`` when given, else ``id``."""
        return self.name or self.id


DepartmentsInput = Iterable[Department] | Mapping[str, int] | str | os.PathLike[str] | Any


def coerce_departments(
    departments: DepartmentsInput, *, allow_empty: bool = False
) -> tuple[Department, ...]:
    """Normalise any accepted form of departments into a tuple in the company's order.

    A sequence of :class:`Department` objects (an initiative's ``departments``)
    is the company's order and is kept as given; a mapping, a roster file or a
    dataframe carries no such order, so its departments are sorted by id (and
    reordering the file changes nothing).

    Accepted: a sequence of :class:`Department`; a mapping of name to
    headcount; a CSV path or a dataframe (pandas, polars, pyarrow, ... through narwhals)
    that is either a roster (``user_id`` and ``department`` columns, optional
    ``parent``) or a department table (``department`` and ``headcount``). No
    department at all is an error unless ``allow_empty`` (a plan needs one; a
    privacy floor without departments simply knows none).
    """
    ordered = False
    if isinstance(departments, str | os.PathLike):
        result = _from_csv(Path(departments))
    elif isinstance(departments, Mapping):
        result = [_from_pair(name, count) for name, count in departments.items()]
    elif hasattr(departments, "__narwhals_dataframe__") or _looks_like_frame(departments):
        result = _from_frame(departments)
    else:
        result = list(departments)
        for entry in result:
            if not isinstance(entry, Department):
                raise TypeError(f"expected Department objects; found {type(entry).__name__}")
        ordered = True
    seen: set[str] = set()
    for department in result:
        if department.id in seen:
            raise DepartmentsError(f"duplicate department id {department.id!r}", department.id)
        seen.add(department.id)
    if not result and not allow_empty:
        raise DepartmentsError("a plan needs at least one department")
    check_parent_cycles({d.id: d.parent for d in result})
    return tuple(result) if ordered else tuple(sorted(result, key=lambda d: d.id))


def check_parent_cycles(parents: Mapping[str, str | None]) -> None:
    """Raise :class:`DepartmentCycleError` naming the path when parents form a cycle.

    Parents that name no known department end the chain (they are roots).
    """
    done: set[str] = set()
    for start in sorted(parents):
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parents and node not in done:
            if node in chain:
                raise DepartmentCycleError([*chain[chain.index(node) :], node])
            chain.append(node)
            node = parents[node]
        done.update(chain)


def company_order(order: Iterable[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key that puts department names in the company's ``order`` (an initiative's).

    A name's rank is its position in ``order``; names the order does not
    know come after every known one, by name, so the result never depends on
    the order the names arrived in.
    """
    rank = {name: position for position, name in enumerate(order)}
    last = len(rank)

    def key(name: str) -> tuple[int, str]:
        return (rank.get(name, last), name)

    return key


def nearest_name(name: str, known: Sequence[str]) -> str | None:
    """The known department name closest to ``name`` (a typo such as 物流課 for 物流部), if any."""
    import difflib  # noqa: PLC0415  (only on the error path)

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return close[0] if close else None


def unknown_parent(parent: str, known: Sequence[str]) -> Message:
    """The message for a ``parent`` that names none of the ``known`` departments.

    It names the nearest known name (:func:`nearest_name`) when there is one.
    """
    from backoffice_marketing.foundation.messages import message  # noqa: PLC0415  (only on a finding)
    from backoffice_marketing.foundation.validators import as_written  # noqa: PLC0415

    close = nearest_name(parent, known)
    if close is None:
        return message("department.parent_unknown", parent=as_written(parent))
    return message(
        "department.parent_unknown_close", parent=as_written(parent), close=as_written(close)
    )


def unknown_parents(path: str | os.PathLike[str], known: Iterable[str] = ()) -> tuple[Problem, ...]:
    """The roster's parents that name no department of the roster or of ``known``.

    ``path`` is a roster CSV (``department`` and optional ``parent`` columns)
    and ``known`` the initiative's departments. Each unknown parent is named
    once, at the first line that gives it, with the nearest known name. A
    roster without a ``parent`` column has none.
    """
    file = str(path)
    columns, rows = csv_rows(read_text_file(path), file=file)
    if "parent" not in columns:
        return ()
    departments = {(row.get("department") or "").strip() for _, row in rows}
    names = [*dict.fromkeys([*known, *sorted(departments - {""})])]
    everyone = set(names)
    first: dict[str, int] = {}
    for line, row in rows:
        parent = (row.get("parent") or "").strip()
        if parent and parent not in everyone:
            first.setdefault(parent, line)
    return tuple(
        Problem(file, line, None, "parent", unknown_parent(parent, names))
        for parent, line in sorted(first.items(), key=lambda pair: pair[1])
    )


def _headcount_text(raw: str) -> bool:
    """Whether ``raw`` is an ASCII integer from 0 to MAX_HEADCOUNT (no digit-limit error)."""
    digits = raw.lstrip("0") or "0"
    return raw.isascii() and raw.isdigit() and len(digits) <= 8 and int(digits) <= MAX_HEADCOUNT


def _from_pair(name: object, count: object) -> Department:
    if not isinstance(name, str):
        raise TypeError(f"department names must be strings; found {name!r}")
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"the headcount of {name!r} must be an integer; found {count!r}")
    return Department(name, name, count)


def _looks_like_frame(value: object) -> bool:
    module = type(value).__module__.split(".", 1)[0]
    return module in {"pandas", "polars", "pyarrow", "duckdb", "modin", "cudf", "dask"}


def _rows_to_departments(
    columns: Sequence[str], rows: Iterable[tuple[int, Mapping[str, str]]], file: str
) -> list[Department]:
    problems: list[Problem] = []
    if "department" not in columns:
        found = ", ".join(columns) or "none"
        raise LoadError(
            [Problem(file, 1, None, "", f"expected a 'department' column; found {found}")]
        )
    table = "headcount" in columns
    if not table and "user_id" not in columns:
        raise LoadError(
            [Problem(file, 1, None, "", "expected a 'headcount' or a 'user_id' column (a roster)")]
        )
    counts: dict[str, set[str] | int] = {}
    parents: dict[str, str | None] = {}
    for line, row in rows:
        name = (row.get("department") or "").strip()
        if not name:
            problems.append(Problem(file, line, None, "department", "missing department"))
            continue
        parent = (row.get("parent") or "").strip() or None
        if parents.setdefault(name, parent) != parent:
            problems.append(
                Problem(file, line, None, "parent", f"department {name!r} has two parents")
            )
        if table:
            raw = (row.get("headcount") or "").strip()
            if not _headcount_text(raw):
                problems.append(
                    Problem(
                        file,
                        line,
                        None,
                        "headcount",
                        f"expected an integer <= {MAX_HEADCOUNT}; found {raw[:20]!r}"
                        if raw.isascii() and raw.isdigit()
                        else f"expected an integer >= 0; found {raw[:20]!r}",
                    )
                )
                continue
            if name in counts:
                problems.append(
                    Problem(file, line, None, "department", f"duplicate department {name!r}")
                )
                continue
            counts[name] = int(raw)
        else:
            user = (row.get("user_id") or "").strip()
            if not user:
                problems.append(Problem(file, line, None, "user_id", "missing user_id"))
                continue
            members = counts.setdefault(name, set())
            assert isinstance(members, set)  # noqa: S101  (roster mode only stores sets)
            members.add(user)
    if problems:
        raise LoadError(problems)
    return [
        Department(name, name, value if isinstance(value, int) else len(value), parents.get(name))
        for name, value in counts.items()
    ]


def _from_csv(path: Path) -> list[Department]:
    columns, rows = csv_rows(read_text_file(path), file=str(path))
    return _rows_to_departments(columns, rows, str(path))


def _from_frame(frame: Any) -> list[Department]:
    try:
        import narwhals.stable.v1 as nw  # noqa: PLC0415  (optional extra)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("data", "narwhals") from error
    data = nw.from_native(frame, eager_only=False)
    if isinstance(data, nw.LazyFrame):
        data = data.collect()
    columns = list(data.columns)
    wanted = [name for name in ("department", "parent", "headcount", "user_id") if name in columns]
    rows = (
        (index + 2, {key: "" if value is None else str(value) for key, value in row.items()})
        for index, row in enumerate(data.select(wanted).iter_rows(named=True))
    )
    return _rows_to_departments(columns, rows, "<dataframe>")

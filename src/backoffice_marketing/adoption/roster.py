"""The roster: who belongs to which department, from when to when.

A roster has one row per person and department spell: ``user_id``,
``department``, and optionally the department's ``parent`` and the
``start`` and ``end`` of the spell (inclusive dates; empty means open).
A person who moved has one row per department, and the spells may not
overlap. The roster is small (one row per person), so it is read eagerly;
the usage events stay lazy.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from backoffice_marketing.adoption.clock import TimestampError, python_day, with_day
from backoffice_marketing.adoption.frames import (
    collect,
    input_name,
    narwhals,
    require_columns,
    to_frame,
)
from backoffice_marketing.adoption.periods import PeriodSpec
from backoffice_marketing.core.privacy import Group, RollUp, check_min_group_size, roll_up
from backoffice_marketing.exceptions import LoadError, Problem

__all__ = [
    "DEFAULT_COLUMNS",
    "OPEN_END",
    "OPEN_START",
    "Roster",
    "RosterColumns",
    "read_roster",
]

#: Day numbers standing for "no start" and "no end" of a spell.
OPEN_START = -10_000_000
OPEN_END = 10_000_000
#: Department key given to activity that matches no roster spell (never a real name).
UNMATCHED = "\x00unmatched"


@attrs.frozen
class RosterColumns:
    """The column names of a roster (defaults: ``user_id``, ``department``, ...)."""

    user_id: str = "user_id"
    department: str = "department"
    parent: str = "parent"
    start: str = "start"
    end: str = "end"


#: The default column names of a roster.
DEFAULT_COLUMNS = RosterColumns()


@attrs.frozen
class Spell:
    """One person in one department from ``start`` to ``end`` (day numbers, inclusive)."""

    user: Any
    department: str
    start: int
    end: int


@attrs.frozen(eq=False)
class Roster:
    """The validated spells of a roster (as arrays) and each department's parent."""

    users: tuple[Any, ...]
    departments_of: tuple[str, ...]
    starts: Any  # numpy int64 array of day numbers
    ends: Any
    parents: Mapping[str, str | None]

    def __repr__(self) -> str:
        return f"<Roster spells={len(self.users)} departments={len(self.departments)}>"

    def _repr_html_(self) -> str:
        """Each department with its number of spells and its parent (never a person)."""
        from backoffice_marketing.render.notebook import table_html  # noqa: PLC0415

        counts: dict[str, int] = {}
        for name in self.departments_of:
            counts[name] = counts.get(name, 0) + 1
        rows = ((name, counts[name], self.parents.get(name)) for name in self.departments)
        return table_html(("department", "spells", "parent"), rows, numeric=(1,))

    @property
    def departments(self) -> tuple[str, ...]:
        """Every department with at least one spell, sorted."""
        return tuple(sorted(set(self.departments_of)))

    @property
    def open_ended(self) -> bool:
        """Whether every spell is open at both ends and nobody has two (no dates to check)."""
        return (
            bool((self.starts == OPEN_START).all())
            and bool((self.ends == OPEN_END).all())
            and not self.multi_spell_users()
        )

    @property
    def spells(self) -> tuple[Spell, ...]:
        """The spells as records (for small rosters and tests)."""
        return tuple(
            Spell(user, department, int(start), int(end))
            for user, department, start, end in zip(
                self.users, self.departments_of, self.starts, self.ends, strict=True
            )
        )

    def multi_spell_users(self) -> frozenset[Any]:
        """The people with more than one spell (they moved, left and came back, ...)."""
        if len(set(self.users)) == len(self.users):
            return frozenset()
        seen: set[Any] = set()
        repeated: set[Any] = set()
        for user in self.users:
            (repeated if user in seen else seen).add(user)
        return frozenset(repeated)

    def headcounts(
        self, spec: PeriodSpec, keys: Sequence[int], assignment: Mapping[str, str]
    ) -> dict[tuple[str, int], int]:
        """Distinct people per (group, period key), a person counting where employed that period.

        ``assignment`` maps each department to the group it is reported in.
        """
        import numpy as np  # noqa: PLC0415  (optional extra, checked by narwhals())

        if not keys or not self.users:
            return {}
        first_day, last_day = spec.bounds(keys[0])[0], spec.bounds(keys[-1])[1]
        groups = sorted(set(assignment.values()))
        code = {name: index for index, name in enumerate(groups)}
        group_of = np.array([code[assignment[d]] for d in self.departments_of], dtype=np.int64)
        inside = (self.starts <= last_day) & (self.ends >= first_day)
        low = spec.key_expr(np.clip(self.starts, first_day, last_day)) - keys[0]
        high = spec.key_expr(np.clip(self.ends, first_day, last_day)) - keys[0]
        repeated = self.multi_spell_users()
        multi = np.array([user in repeated for user in self.users], dtype=bool)
        single = inside & ~multi
        width = len(keys) + 1
        diff = np.zeros(len(groups) * width, dtype=np.int64)
        np.add.at(diff, group_of[single] * width + low[single], 1)
        np.add.at(diff, group_of[single] * width + high[single] + 1, -1)
        table = np.cumsum(diff.reshape(len(groups), width), axis=1)[:, :-1]
        extra: dict[tuple[int, int], set[Any]] = {}
        for index in np.flatnonzero(inside & multi):
            for offset in range(int(low[index]), int(high[index]) + 1):
                extra.setdefault((int(group_of[index]), offset), set()).add(self.users[index])
        for (group, offset), people in extra.items():
            table[group, offset] += len(people)
        rows, cols = np.nonzero(table)
        return {
            (groups[row], keys[col]): int(table[row, col])
            for row, col in zip(rows.tolist(), cols.tolist(), strict=True)
        }

    def roll_up(self, spec: PeriodSpec, keys: Sequence[int], *, min_group_size: int) -> RollUp:
        """Departments under ``min_group_size`` folded into their parent or "other".

        A department's size is its largest headcount over ``keys`` (its
        distinct people when ``keys`` is empty); a period in which a
        published group has fewer people than the floor is suppressed by
        the caller.
        """
        k = check_min_group_size(min_group_size)
        identity = {name: name for name in self.departments}
        sizes = dict.fromkeys(identity, 0)
        if keys:
            for (name, _), count in self.headcounts(spec, keys, identity).items():
                sizes[name] = max(sizes[name], count)
        else:
            for _, department in set(zip(self.users, self.departments_of, strict=True)):
                sizes[department] += 1
        groups = [Group(name, sizes[name], self.parents.get(name)) for name in identity]
        parents_only = sorted({p for p in self.parents.values() if p and p not in identity})
        groups.extend(Group(parent, 0, None) for parent in parents_only)
        return roll_up(groups, min_group_size=k)


def _is_missing(value: Any) -> bool:
    """Whether ``value`` is a null of any backend (None, NaN, pandas NA or NaT)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}


def _text(value: Any) -> str | None:
    if _is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def read_roster(  # noqa: PLR0915  (one pass that reports every problem at once)
    roster: Any, *, columns: RosterColumns = DEFAULT_COLUMNS, timezone: str = "Asia/Tokyo"
) -> Roster:
    """Read and validate a roster (any dataframe or a CSV/Parquet path).

    Every problem is reported at once, each naming the row and the field.
    """
    nw = narwhals()
    source = input_name(roster, "roster")
    frame = to_frame(roster, what="roster")
    require_columns(frame, [columns.user_id, columns.department], what=source)
    schema = frame.collect_schema()
    optional = [name for name in (columns.parent, columns.start, columns.end) if name in schema]
    wanted = [columns.user_id, columns.department, *optional]
    exprs = [nw.col(columns.user_id), nw.col(columns.department).cast(nw.String)]
    if columns.parent in schema:
        exprs.append(nw.col(columns.parent).cast(nw.String))
    data = collect(frame.select(wanted).select(*exprs))
    raw_days: dict[str, list[Any]] = {}
    for name in (columns.start, columns.end):
        if name in schema:
            raw_days[name] = collect(frame.select(nw.col(name)))[name].to_list()
    users = data[columns.user_id].to_list()
    departments = data[columns.department].to_list()
    parents_col = data[columns.parent].to_list() if columns.parent in schema else None
    fast = _fast_roster(frame, data, schema, columns, timezone)
    if fast is not None:
        return fast
    line_base = 2 if isinstance(roster, str) else 0
    problems: list[Problem] = []
    spells: list[Spell] = []
    parents: dict[str, str | None] = {}

    def problem(index: int, field: str, message: str) -> None:
        if line_base:
            problems.append(Problem(source, index + line_base, None, field, message))
        else:
            problems.append(Problem(source, None, None, f"[{index}].{field}", message))

    for index, (user, raw_department) in enumerate(zip(users, departments, strict=True)):
        department = _text(raw_department)
        user_text = _text(user)
        if user_text is None:
            problem(index, columns.user_id, "missing user id")
            continue
        if department is None:
            problem(index, columns.department, "missing department")
            continue
        if "\x00" in department or department == "other":
            problem(index, columns.department, f"reserved department name {department!r}")
            continue
        parent = _text(parents_col[index]) if parents_col is not None else None
        if parents.setdefault(department, parent) != parent:
            problem(
                index,
                columns.parent,
                f"department {department!r} has two parents "
                f"({parents[department]!r} and {parent!r})",
            )
        try:
            start = (
                python_day(raw_days[columns.start][index], timezone, column=columns.start)
                if columns.start in raw_days
                else None
            )
            end = (
                python_day(raw_days[columns.end][index], timezone, column=columns.end)
                if columns.end in raw_days
                else None
            )
        except TimestampError as error:
            problem(index, error.column, str(error))
            continue
        first = OPEN_START if start is None else start
        last = OPEN_END if end is None else end
        if last < first:
            problem(index, columns.end, "the end is before the start")
            continue
        key = user if isinstance(user, int) and not isinstance(user, bool) else user_text
        spells.append(Spell(key, department, first, last))
    problems.extend(_overlaps(spells, source, columns))
    if problems:
        raise LoadError(problems)
    import numpy as np  # noqa: PLC0415  (optional extra, checked by narwhals())

    return Roster(
        tuple(spell.user for spell in spells),
        tuple(spell.department for spell in spells),
        np.array([spell.start for spell in spells], dtype=np.int64),
        np.array([spell.end for spell in spells], dtype=np.int64),
        parents,
    )


def _vector_days(frame: Any, name: str, dtype: Any, timezone: str, default: int) -> Any:
    """Day numbers of a date or datetime column of a small frame; ``default`` where empty."""
    import numpy as np  # noqa: PLC0415  (optional extra, checked by narwhals())

    nw = narwhals()
    column = collect(frame.select(nw.col(name))).with_row_index("__i")
    present = column.filter(~nw.col(name).is_null())
    staged = with_day(present, nw, name, dtype, timezone)
    days = np.full(len(column), default, dtype=np.int64)
    days[np.asarray(staged["__i"].to_list(), dtype=np.int64)] = np.asarray(
        staged["__day"].to_list(), dtype=np.int64
    )
    return days


def _fast_roster(  # noqa: PLR0911, PLR0912  (each check may give up early)
    frame: Any, data: Any, schema: Any, columns: RosterColumns, timezone: str
) -> Roster | None:
    """The roster without a row-by-row pass, or ``None`` when a check fails.

    On ``None`` the caller's row-by-row pass names every problem.
    """
    import numpy as np  # noqa: PLC0415  (optional extra, checked by narwhals())

    nw = narwhals()
    for name in (columns.start, columns.end):
        if name in schema and not isinstance(schema[name], nw.Date | nw.Datetime):
            return None
    user_dtype = schema[columns.user_id]
    if not (user_dtype.is_integer() or isinstance(user_dtype, nw.String)):
        return None
    checks = [nw.col(columns.user_id).is_null().any(), nw.col(columns.department).is_null().any()]
    if isinstance(user_dtype, nw.String):
        user = nw.col(columns.user_id)
        checks.append((user.str.strip_chars() != user).any())
        checks.append((user == "").any())
    named = [check.alias(f"__check{index}") for index, check in enumerate(checks)]
    if any(bool(value) for value in data.select(*named).row(0)):
        return None
    users = data[columns.user_id].to_list()
    departments = data[columns.department].to_list()
    for name in set(departments):
        if name != name.strip() or not name or "\x00" in name or name == "other":
            return None
    parents: dict[str, str | None] = {}
    if columns.parent in schema:
        pairs = set(zip(departments, data[columns.parent].to_list(), strict=True))
        for department, parent in pairs:
            text = _text(parent)
            if parents.setdefault(department, text) != text:
                return None
    else:
        parents = dict.fromkeys(departments)
    starts = (
        _vector_days(frame, columns.start, schema[columns.start], timezone, OPEN_START)
        if columns.start in schema
        else np.full(len(users), OPEN_START, dtype=np.int64)
    )
    ends = (
        _vector_days(frame, columns.end, schema[columns.end], timezone, OPEN_END)
        if columns.end in schema
        else np.full(len(users), OPEN_END, dtype=np.int64)
    )
    if bool(np.any(ends < starts)):
        return None
    roster = Roster(tuple(users), tuple(departments), starts, ends, parents)
    repeated = roster.multi_spell_users()
    if repeated:
        chosen = [spell for spell in roster.spells if spell.user in repeated]
        if _overlaps(chosen, "", columns):
            return None
    return roster


def _overlaps(spells: Sequence[Spell], source: str, columns: RosterColumns) -> list[Problem]:
    by_user: dict[Any, list[Spell]] = {}
    for spell in spells:
        by_user.setdefault(spell.user, []).append(spell)
    problems = []
    for user, own in by_user.items():
        if len(own) < 2:
            continue
        ordered = sorted(own, key=lambda s: (s.start, s.end, s.department))
        for before, after in itertools.pairwise(ordered):
            if after.start <= before.end:
                problems.append(
                    Problem(
                        source,
                        None,
                        None,
                        columns.user_id,
                        f"user {user!r} is in {before.department!r} and {after.department!r} "
                        "at the same time (spells overlap)",
                    )
                )
    return problems

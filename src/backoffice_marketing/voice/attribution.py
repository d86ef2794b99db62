"""Who may be named next to a piece of free text, under the privacy floor.

Free text (a question, a finding, a quote) is shown with its department only
when that department has at least
:data:`~backoffice_marketing.core.privacy.MIN_TEXT_GROUP_SIZE` (10) people; a
caller may raise the floor, never lower it. Text from a smaller department,
or from a department whose size is not known, is never attributed, and it is
not quoted in published documents at all (a small team can be recognised by
its wording). Anonymous text and text with no department count as coming from
the whole company, so they may be quoted once the company has 10 people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from backoffice_marketing.core.departments import DepartmentsInput, coerce_departments
from backoffice_marketing.core.privacy import MIN_TEXT_GROUP_SIZE, check_min_group_size

__all__ = ["TextFloor"]


def _sizes(value: Mapping[str, int]) -> Mapping[str, int]:
    return dict(sorted(value.items()))


@attrs.frozen
class TextFloor:
    """Department sizes and the floor for free text."""

    sizes: Mapping[str, int] = attrs.field(factory=dict, converter=_sizes)
    min_group_size: int = attrs.field(default=MIN_TEXT_GROUP_SIZE)

    def __attrs_post_init__(self) -> None:
        check_min_group_size(self.min_group_size, floor=MIN_TEXT_GROUP_SIZE)

    @classmethod
    def of(
        cls,
        departments: DepartmentsInput | None,
        *,
        min_group_size: int = MIN_TEXT_GROUP_SIZE,
    ) -> TextFloor:
        """A floor from departments (with headcounts), a mapping of name to headcount, or a CSV."""
        if departments is None:
            return cls({}, min_group_size)
        if isinstance(departments, Mapping):
            return cls(dict(departments), min_group_size)
        return cls(
            {unit.id: unit.headcount for unit in coerce_departments(departments, allow_empty=True)},
            min_group_size,
        )

    @property
    def company_size(self) -> int:
        """Everyone in the known departments."""
        return sum(self.sizes.values())

    def attributable(self, departments: Iterable[str | None]) -> bool:
        """Whether text may name these departments: each one known and at the floor or above."""
        names = tuple(departments)
        return bool(names) and all(
            name is not None and self.sizes.get(name, 0) >= self.min_group_size for name in names
        )

    def attribute(self, department: str | None) -> str | None:
        """``department`` when text may be attributed to it, else ``None``."""
        return department if self.attributable((department,)) else None

    def quotable(self, department: str | None) -> bool:
        """Whether text from ``department`` (``None``: anonymous or company-wide) may be quoted."""
        if department is None:
            return self.company_size >= self.min_group_size
        return self.attributable((department,))

"""The exception family of backoffice_marketing.

Every error the library raises on purpose derives from
:class:`BackofficeMarketingError`; the specific ones also derive from the
matching built-in (``KeyError``, ``ValueError``, ...) so that generic handlers
keep working. Each carries its data as fields, not only in its message.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "BackofficeMarketingError",
    "DuplicateItemError",
    "LoadError",
    "MissingExtraError",
    "Problem",
    "UnknownItemError",
    "UnsafeWriteError",
    "UnsupportedFormatError",
    "UnsupportedLanguageError",
    "UserTemplateError",
    "close_matches",
]


class BackofficeMarketingError(Exception):
    """Base class of every error raised by backoffice_marketing."""


@attrs.frozen(order=True)
class Problem:
    """One problem found in an input file.

    ``line`` and ``column`` are 1-based; either may be ``None`` when the
    position is not known (for example for data that did not come from a file).
    ``path`` is the field path inside the document, such as ``answers[3].level``.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file or "<data>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}{field} {self.message}"


class LoadError(BackofficeMarketingError, ValueError):
    """A file (or in-memory document) could not be loaded.

    ``problems`` lists every problem found, sorted by position, so that a user
    can fix them all in one pass.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.path))
        )
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{count} {noun} found:\n{lines}")


class UnsupportedFormatError(BackofficeMarketingError, ValueError):
    """A file name has a suffix that names no supported format."""

    def __init__(self, path: str, supported: Iterable[str]) -> None:
        self.path = path
        self.supported = tuple(supported)
        super().__init__(f"{path}: unsupported file format; use one of {', '.join(self.supported)}")


class UnsupportedLanguageError(BackofficeMarketingError, ValueError):
    """A language other than the supported ones (``ja``, ``en``) was asked for."""

    def __init__(self, lang: object) -> None:
        self.lang = lang
        super().__init__(f"unsupported language {lang!r}; use 'ja' or 'en'")


class MissingExtraError(BackofficeMarketingError, ImportError):
    """An optional dependency is needed for this feature but is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"this feature needs the optional dependency {module!r}; "
            f"install it with: pip install 'backoffice-marketing[{extra}]'"
        )


class UnsafeWriteError(BackofficeMarketingError, OSError):
    """A file was not written because writing it would be unsafe or failed.

    ``path`` is the target the caller named (never a temporary file) and
    ``reason`` says why: not a regular file, a symlink, an input of the same
    command, read-only, or the operating system's own error.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path or repr(path)}: not written: {reason}")
        self.filename = path

    def __str__(self) -> str:
        return f"{self.path or repr(self.path)}: not written: {self.reason}"


class UserTemplateError(BackofficeMarketingError, ValueError):
    """A user-supplied template could not be rendered safely.

    ``kind`` is one of ``"syntax"``, ``"undefined"``, ``"security"`` (a
    sandbox refusal), ``"limit"`` (a size, range or number bound) or
    ``"time"``; ``detail`` says what happened.
    """

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"template {kind} error: {detail}")


class UnknownItemError(BackofficeMarketingError, KeyError):
    """A checklist item id is not in the checklist."""

    def __init__(self, item_id: str, *, known: Iterable[str] = ()) -> None:
        self.item_id = item_id
        self.suggestions = close_matches(item_id, known)
        hint = f"; did you mean {self.suggestions[0]!r}?" if self.suggestions else ""
        super().__init__(f"unknown checklist item {item_id!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class DuplicateItemError(BackofficeMarketingError, ValueError):
    """Two checklist items (or two answers) share one id."""

    def __init__(self, item_id: str, what: str = "checklist item") -> None:
        self.item_id = item_id
        super().__init__(f"duplicate {what} id {item_id!r}")


def close_matches(word: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """Up to three names of ``candidates`` close to ``word`` (for "did you mean" hints)."""
    import difflib  # noqa: PLC0415  (only needed on the error path)

    return tuple(difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6))

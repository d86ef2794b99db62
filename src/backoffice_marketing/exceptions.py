"""The exception family of backoffice_marketing.

Every error the library raises on purpose derives from
:class:`BackofficeMarketingError`; the specific ones also derive from the
matching built-in (``KeyError``, ``ValueError``, ...) so that generic handlers
keep working. Each carries its data as fields, not only in its message.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

__all__ = [
    "AudienceError",
    "BackofficeMarketingError",
    "ConcealedNamesError",
    "DepartmentCycleError",
    "DepartmentsError",
    "DiffusionFitError",
    "DuplicateItemError",
    "FieldValueError",
    "GapReportError",
    "InputColumnsError",
    "LoadError",
    "MissingExtraError",
    "PlanTooLongError",
    "PrivacyFloorError",
    "Problem",
    "QuestionStateError",
    "QuestionTooLongError",
    "ReplanError",
    "ScheduleError",
    "StoreCorruptError",
    "StoreLockedError",
    "StoreSchemaError",
    "StoreWriteError",
    "TimestampError",
    "UnknownItemError",
    "UnknownPlaybookError",
    "UnknownQuestionError",
    "UnknownSampleError",
    "UnknownStageError",
    "UnknownTaskError",
    "UnknownTimeZoneError",
    "UnsafeWriteError",
    "UnsupportedFormatError",
    "UnsupportedLanguageError",
    "UserTemplateError",
    "WorkspaceExistsError",
    "WorkspaceNotFoundError",
    "close_matches",
]


class BackofficeMarketingError(Exception):
    """Base class of every error raised by backoffice_marketing."""


def argument_pairs(
    arguments: Mapping[str, object] | Iterable[tuple[str, object]],
) -> tuple[tuple[str, str], ...]:
    """``arguments`` as sorted (name, text) pairs: hashable, ordered and JSON-friendly."""
    items = arguments.items() if isinstance(arguments, Mapping) else arguments
    return tuple(sorted((str(name), str(value)) for name, value in items))


#: Shows a message code with its arguments in a language (``None`` for an unknown code).
Localiser = Callable[[str, tuple[tuple[str, str], ...], str], "str | None"]
#: Turns ``None`` into the display language and checks a language code.
LanguageResolver = Callable[["str | None"], str]


@attrs.define
class _Localisation:
    """How problems are shown in a language.

    This module imports nothing of the package, so the message catalogue
    (:mod:`backoffice_marketing.foundation.messages`) and the display language
    (:mod:`backoffice_marketing.foundation.text`), both imported with the package, install
    them; until they do, problems show their English text.
    """

    render: Localiser = lambda _code, _arguments, _lang: None
    resolve: LanguageResolver = lambda lang: lang or "en"


_LOCALISATION = _Localisation()


def install_localisation(
    *, render: Localiser | None = None, resolve: LanguageResolver | None = None
) -> None:
    """Show problems' message codes through ``render``, in the language ``resolve`` gives.

    The message catalogue installs ``render`` and the display language installs
    ``resolve`` (:mod:`backoffice_marketing.foundation.text`), each when it is imported.
    """
    if render is not None:
        _LOCALISATION.render = render
    if resolve is not None:
        _LOCALISATION.resolve = resolve


def _localized(code: str, lang: str | None, **arguments: object) -> str:
    """The catalogue text ``code`` in ``lang``; an argument that is a message is rendered too."""
    chosen = _LOCALISATION.resolve(lang)
    values: dict[str, object] = {}
    for name, value in arguments.items():
        inner = getattr(value, "code", None)
        rendered = (
            _LOCALISATION.render(inner, argument_pairs(getattr(value, "arguments", ())), chosen)
            if isinstance(inner, str)
            else None
        )
        values[name] = value if rendered is None else rendered
    pairs = argument_pairs(values)
    text = _LOCALISATION.render(code, pairs, chosen)
    if text is None:  # the catalogue is not installed: the code and its values, never nothing
        return f"{code}: " + ", ".join(f"{name}={value}" for name, value in pairs)
    return text


@attrs.frozen(order=True)
class Problem:
    """One problem found in an input file.

    ``line`` and ``column`` are 1-based; either may be ``None`` when the
    position is not known (for example for data that did not come from a file).
    ``path`` is the field path inside the document, such as ``answers[3].level``.
    ``message`` is the English text; ``code`` (a key of the message catalogue,
    such as ``expected.integer``) and ``arguments`` (name and text pairs, such as
    ``(("found", "'yes'"),)``) let :meth:`render` show it in Japanese too. A
    problem without a code shows its English ``message`` in both languages.
    A :class:`~backoffice_marketing.foundation.messages.Message` given as ``message``
    brings its code and arguments along.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    code: str | None = attrs.field(default=None, kw_only=True, eq=False, order=False)
    arguments: tuple[tuple[str, str], ...] = attrs.field(
        default=(), kw_only=True, eq=False, order=False, converter=argument_pairs
    )

    def __attrs_post_init__(self) -> None:
        code = getattr(self.message, "code", None)
        if self.code is None and isinstance(code, str):
            object.__setattr__(self, "code", code)
            object.__setattr__(self, "arguments", getattr(self.message, "arguments", ()))
        object.__setattr__(self, "message", str(self.message))

    @classmethod
    def for_file(
        cls,
        file: object,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str = "",
    ) -> Problem:
        """A problem of ``file`` (a path or a name), by default about the file as a whole."""
        return cls(str(file), line, column, path, message)

    def text(self, lang: str | None = None) -> str:
        """The message alone in ``lang`` (the display language if omitted)."""
        if self.code is None:
            return self.message
        rendered = _LOCALISATION.render(self.code, self.arguments, _LOCALISATION.resolve(lang))
        return self.message if rendered is None else rendered

    def render(self, lang: str | None = None) -> str:
        """``file:line:column path: message`` in ``lang`` (the display language if omitted)."""
        where = self.file or "<data>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}{field} {self.text(lang)}"

    def __str__(self) -> str:
        return self.render()


class LoadError(BackofficeMarketingError, ValueError):
    """A file (or in-memory document) could not be loaded.

    ``problems`` lists every problem found, sorted by position, so that a user
    can fix them all in one pass. ``str()`` shows them in the display language
    (Japanese unless set otherwise); :meth:`render` in either language.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.path))
        )
        super().__init__(self.render("en"))

    def render(self, lang: str | None = None) -> str:
        """Every problem, one a line, under a count, in ``lang`` (else the display language)."""
        chosen = _LOCALISATION.resolve(lang)
        count = len(self.problems)
        if chosen == "ja":
            head = f"{count} 件の問題が見つかりました:"
        else:
            head = f"{count} {'problem' if count == 1 else 'problems'} found:"
        lines = "\n".join(f"  {p.render(chosen)}" for p in self.problems)
        return f"{head}\n{lines}"

    def __str__(self) -> str:
        return self.render()


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

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the display language if omitted); the reason too if known."""
        return _localized("write.not_written", lang, path=self.path or repr(self.path),
                          reason=self.reason)  # fmt: skip


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


class UnknownStageError(BackofficeMarketingError, KeyError):
    """A stage id is not in the stage graph."""

    def __init__(self, stage_id: str, *, known: Iterable[str] = ()) -> None:
        self.stage_id = stage_id
        self.suggestions = close_matches(stage_id, known)
        hint = f"; did you mean {self.suggestions[0]!r}?" if self.suggestions else ""
        super().__init__(f"unknown stage {stage_id!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownTaskError(BackofficeMarketingError, KeyError):
    """A plan has no task by this id, step or title; ``suggestions`` holds close step ids."""

    def __init__(self, task: str, *, known: Iterable[str] = ()) -> None:
        self.task = task
        self.suggestions = close_matches(task, known)
        hint = f"; did you mean {self.suggestions[0]!r}?" if self.suggestions else ""
        super().__init__(f"the plan has no task {task!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownSampleError(BackofficeMarketingError, KeyError):
    """No bundled sample file has this name; ``suggestions`` holds close names."""

    def __init__(self, name: str, *, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        self.suggestions = close_matches(name, known)
        hint = f"; did you mean {self.suggestions[0]!r}?" if self.suggestions else ""
        super().__init__(f"no sample file {name!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class PrivacyFloorError(BackofficeMarketingError, ValueError):
    """A minimum group size below the privacy floor was asked for."""

    def __init__(self, requested: object, floor: int) -> None:
        self.requested = requested
        self.floor = floor
        super().__init__(
            f"min_group_size must be an integer of at least {floor} (the privacy floor); "
            f"found {requested!r}"
        )


class AudienceError(BackofficeMarketingError, PermissionError):
    """A confidential output was asked for an audience it is not meant for."""

    def __init__(self, audience: object, allowed: str) -> None:
        self.audience = audience
        self.allowed = allowed
        super().__init__(
            f"this output names individuals and is for audience={allowed!r} only; "
            f"found audience={audience!r}"
        )


class QuestionStateError(BackofficeMarketingError, ValueError):
    """A lifecycle move that is not allowed, such as publishing an open question."""

    def __init__(self, question_id: str, status: enum.Enum, target: enum.Enum) -> None:
        self.question_id = question_id
        self.status = status
        self.target = target
        super().__init__(
            f"question {question_id!r} is {status.value}; it cannot become {target.value}"
        )


class UnknownQuestionError(BackofficeMarketingError, KeyError):
    """No question with this id is in the log."""

    def __init__(self, question_id: str) -> None:
        self.question_id = question_id
        super().__init__(f"no question {question_id!r} in the log")

    def __str__(self) -> str:
        return str(self.args[0])


class QuestionTooLongError(BackofficeMarketingError, ValueError):
    """A question is longer than the FAQ builder reads (``MAX_QUESTION_CHARS``)."""

    def __init__(self, question_id: str, length: int, limit: int) -> None:
        self.question_id = question_id
        self.length = length
        self.limit = limit
        super().__init__(
            f"question {question_id!r} has {length:,} characters; the FAQ builder reads at"
            f" most {limit:,} (MAX_QUESTION_CHARS): shorten it or split it into questions"
        )


class FieldValueError(BackofficeMarketingError, ValueError):
    """A field holds a value of the right type but an invalid content."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class UnknownPlaybookError(BackofficeMarketingError, KeyError):
    """No built-in playbook has this name and no file exists at this path."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.suggestions = close_matches(name, known)
        hint = f"; did you mean {self.suggestions[0]!r}?" if self.suggestions else ""
        super().__init__(
            f"no built-in playbook {name!r} and no such file{hint} "
            f"(built-in: {', '.join(sorted(known))})"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class GapReportError(BackofficeMarketingError, ValueError):
    """The assessments given to a gap report do not fit together."""


class DepartmentsError(BackofficeMarketingError, ValueError):
    """The departments given to a plan are inconsistent (for example a duplicate id)."""

    def __init__(self, message: str, department: str | None = None) -> None:
        self.department = department
        super().__init__(message)


class DepartmentCycleError(DepartmentsError):
    """Department parents form a cycle (``A`` under ``B`` under ``A``); ``cycle`` is its path."""

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle: tuple[str, ...] = tuple(cycle)
        path = " -> ".join(self.cycle)
        super().__init__(f"department parents form a cycle: {path}", self.cycle[0])


class ScheduleError(BackofficeMarketingError, ValueError):
    """The task graph handed to the scheduler has a cycle (a bug: playbooks are validated)."""


class UnknownTimeZoneError(BackofficeMarketingError, ValueError):
    """A time zone name that the IANA database does not know."""

    def __init__(self, name: object) -> None:
        self.name = name
        super().__init__(f"unknown time zone {name!r}; use an IANA name such as 'Asia/Tokyo'")


class TimestampError(BackofficeMarketingError, ValueError):
    """A timestamp column has a type or text format that cannot be read."""

    def __init__(self, column: str, found: str, *, formats: Sequence[str] = ()) -> None:
        self.column = column
        self.found = found
        self.formats = tuple(formats)
        text = f" (or text in one of {', '.join(self.formats)})" if self.formats else ""
        super().__init__(f"column {column!r}: expected dates or timestamps{text}; found {found}")


class DiffusionFitError(BackofficeMarketingError, ValueError):
    """A diffusion curve cannot be fitted to the given series (too short, flat, invalid)."""


class InputColumnsError(BackofficeMarketingError, KeyError):
    """A frame given to the adoption analytics lacks a required column."""

    def __init__(self, source: str, missing: Sequence[str], found: Sequence[str]) -> None:
        self.source = source
        self.missing = tuple(missing)
        self.found = tuple(found)
        super().__init__(
            f"{source}: missing column(s) {', '.join(map(repr, self.missing))}; "
            f"found {', '.join(map(repr, self.found)) or 'none'} "
            "(other column names can be given by keyword)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


_CONCEALED_SETTING = {
    "ja": "Microsoft 365 管理センター > 設定 > 組織設定 > サービス > レポート で"
    "「すべてのレポートで、秘匿化されたユーザー名、グループ名、サイト名を表示する」を"
    "オフにしてから、もう一度エクスポートしてください。",
    "en": "In the Microsoft 365 admin center > Settings > Org settings > Services > "
    "Reports, turn off 'Display concealed user, group, and site names in all reports', "
    "then export again.",
}


class ConcealedNamesError(BackofficeMarketingError, ValueError):
    """A Microsoft 365 report whose user names are concealed (hashed): it cannot meet a roster."""

    def __init__(self, file: str, column: str, examples: Sequence[str]) -> None:
        self.file = file
        self.column = column
        self.examples = tuple(examples)
        super().__init__(self.render("en"))

    def render(self, lang: str | None = None) -> str:
        """The error in ``lang`` (the display language by default), naming the admin setting."""
        chosen = _LOCALISATION.resolve(lang)
        chosen = chosen if chosen in _CONCEALED_SETTING else "en"
        shown = ", ".join(self.examples[:2])
        if chosen == "ja":
            head = (
                f"{self.file} の列 {self.column!r} のユーザー名が秘匿化(ハッシュ化)されています"
                f"(例: {shown})。名簿と突き合わせられないため読み込みません。"
            )
        else:
            head = (
                f"{self.file}: column {self.column!r} holds concealed (hashed) user names "
                f"(such as {shown}); they cannot be matched to the roster, so the file is refused."
            )
        return f"{head} {_CONCEALED_SETTING[chosen]}"

    def __str__(self) -> str:
        return self.render()


class PlanTooLongError(BackofficeMarketingError, ValueError):
    """The plan would run past the longest plan allowed (``MAX_PLAN_YEARS`` after its start)."""

    def __init__(self, finish: dt.date, limit: dt.date) -> None:
        self.finish = finish
        self.limit = limit
        super().__init__(
            f"the plan would finish on {finish}, after {limit}, the latest allowed; "
            "raise the capacity or plan fewer departments"
        )


class StoreCorruptError(BackofficeMarketingError, ValueError):
    """A workspace history store is not a readable SQLite file of this library; left untouched.

    ``path`` is the store and ``detail`` what is wrong (empty, foreign, a table
    missing, damaged); :meth:`render` says it in Japanese or English.
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(_localized("store.corrupt", "en", path=path, detail=detail))

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the display language if omitted)."""
        return _localized("store.corrupt", lang, path=self.path, detail=self.detail)


class StoreSchemaError(BackofficeMarketingError, ValueError):
    """A workspace history store has a newer schema than this version of the library knows."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"{path}: the store has schema version {found}, newer than {supported} which "
            "this version of backoffice-marketing knows; upgrade the library "
            "(the store was not modified)"
        )


class StoreWriteError(BackofficeMarketingError, OSError):
    """A change to the history store failed (disk full, read-only, I/O error) and was rolled back.

    ``path`` is the store and ``reason`` why; the store is as it was before the change.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(_localized("store.write_failed", "en", path=path, reason=reason))
        self.filename = path

    def __str__(self) -> str:
        return _localized("store.write_failed", "en", path=self.path, reason=self.reason)

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the display language if omitted)."""
        return _localized("store.write_failed", lang, path=self.path, reason=self.reason)


class StoreLockedError(BackofficeMarketingError, TimeoutError):
    """Another process held the workspace lock for longer than the timeout."""

    def __init__(self, path: str, holder: int | None, timeout: float) -> None:
        self.path = path
        self.holder = holder
        self.timeout = timeout
        who = f"process {holder}" if holder is not None else "another process"
        super().__init__(
            f"{path}: {who} is updating the workspace; waited {timeout:g} s for it to finish"
        )


class WorkspaceNotFoundError(BackofficeMarketingError, FileNotFoundError):
    """A folder is not a workspace: it or its history store does not exist."""

    def __init__(self, path: str, missing: str) -> None:
        self.path = path
        self.missing = missing
        super().__init__(
            f"{path}: not a workspace ({missing} does not exist); "
            "create one with Workspace.create(path)"
        )


class WorkspaceExistsError(BackofficeMarketingError, FileExistsError):
    """A folder already holds a workspace store, so a new workspace is not made there."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: already a workspace; open it with Workspace.open(path)")


class ReplanError(BackofficeMarketingError, ValueError):
    """Progress or rates name tasks or departments the plan does not have."""

    def __init__(self, what: str, unknown: Iterable[str]) -> None:
        self.what = what
        self.unknown = tuple(sorted(unknown))
        super().__init__(f"unknown {what}: {', '.join(self.unknown)}")


def close_matches(word: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """Up to three names of ``candidates`` close to ``word`` (for "did you mean" hints)."""
    import difflib  # noqa: PLC0415  (only needed on the error path)

    return tuple(difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6))

"""The commands of ``backoffice-marketing`` (click and rich, the ``[cli]`` extra).

It uses only the public API. Exit codes: 0 ok, 1 findings (for example a
review with problems), 2 bad input. Errors print as one readable block naming
file, line and field; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

import backoffice_marketing as bm
from backoffice_marketing.core.departments import coerce_departments
from backoffice_marketing.exceptions import BackofficeMarketingError, LoadError, Problem
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET, MIN_TEXT_GROUP_SIZE
from backoffice_marketing.foundation.io.atomic import write_policy, write_text_atomic

__all__ = ["cli", "run"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2


def run(argv: Sequence[str] | None = None) -> int:
    """Run the commands with ``argv``; return the exit status."""
    try:
        # Without standalone mode click returns the code of an ``Exit`` instead of raising.
        status = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return EXIT_INVALID
    except click.exceptions.Abort:  # pragma: no cover - Ctrl-C
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader went away (``... | head``): not an error of ours, and nothing to say.
        _silence_stdout()
        return EXIT_OK
    return status if isinstance(status, int) else EXIT_OK


def _silence_stdout() -> None:
    """Point standard output at the null device so that flushing at exit cannot fail again."""
    import os  # noqa: PLC0415
    import sys  # noqa: PLC0415

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def _fail(error: BaseException, lang: bm.text.Lang = "en") -> NoReturn:
    """Print a library error as one block on stderr in ``lang`` and exit with 2."""
    from rich.console import Console  # noqa: PLC0415
    from rich.markup import escape  # noqa: PLC0415

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    head = "エラー" if lang == "ja" else "error"
    if isinstance(error, LoadError):
        count = len(error.problems)
        summary = (
            f"入力に {count} 件の問題があります"
            if lang == "ja"
            else f"{count} problem(s) in the input"
        )
        console.print(f"[bold red]{head}:[/] {summary}")
        for problem in error.problems:
            console.print(f"  {escape(problem.render(lang))}")
    else:
        render = getattr(error, "render", None)  # errors that speak both languages
        text = render(lang) if callable(render) else str(error)
        console.print(f"[bold red]{head}:[/] {escape(text)}")
    raise click.exceptions.Exit(EXIT_INVALID)


def _locale_language() -> bm.text.Lang:
    """Japanese if the locale is (LC_ALL, LC_MESSAGES, LANG, then the C library's), else English."""
    import locale  # noqa: PLC0415
    import os  # noqa: PLC0415

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    found = locale.getlocale()[0] or ""
    return "ja" if found.lower().startswith("ja") else "en"


def _initiative_language(params: dict[str, Any]) -> bm.text.Lang | None:
    """The ``lang`` of the initiative a command names (``--initiative``, a workspace's)."""
    from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

    candidates: list[Path] = []
    if isinstance(params.get("initiative_file"), Path):
        candidates.append(params["initiative_file"])
    if isinstance(params.get("folder"), Path):
        candidates.append(params["folder"] / "initiative.toml")
    for path in candidates:
        try:
            data = read_document(path).data
        except (BackofficeMarketingError, OSError):
            continue  # an unreadable initiative says nothing about the language
        lang = data.get("lang") if isinstance(data, dict) else None
        return "en" if lang == "en" else "ja"
    return None


def error_language(ctx: click.Context | None) -> bm.text.Lang:
    """The language of a command's error messages.

    The command's ``--lang`` when given, else the ``lang`` of the initiative it
    names, else the locale.
    """
    if ctx is not None:
        lang = ctx.params.get("lang")
        source = ctx.get_parameter_source("lang")
        if lang in ("ja", "en") and source is not click.core.ParameterSource.DEFAULT:
            return "ja" if lang == "ja" else "en"
        found = _initiative_language(ctx.params)
        if found is not None:
            return found
    return _locale_language()


_FOLLOW_SYMLINKS = "backoffice_marketing.follow_symlinks"
#: The context of the command being run (``meta`` is shared by the group and its command).
_COMMAND_CONTEXT = "backoffice_marketing.command_context"
#: Options that name files the command writes, not reads.
_OUTPUTS = frozenset({"out", "chart"})


def _input_paths(params: dict[str, Any]) -> list[str]:
    """Every existing file the command's options and arguments name, except its outputs."""
    import os  # noqa: PLC0415

    found: list[str] = []
    for name, value in params.items():
        if name in _OUTPUTS:
            continue
        values = value if isinstance(value, tuple | list) else (value,)
        found.extend(
            os.fspath(item)
            for item in values
            if isinstance(item, str | Path) and str(item) and os.path.isfile(item)  # noqa: PTH113
        )
    return found


class _Command(click.Command):
    """A command whose every write protects its inputs and follows symlinks only if asked."""

    def invoke(self, ctx: click.Context) -> Any:
        ctx.meta[_COMMAND_CONTEXT] = ctx
        with write_policy(
            protect=_input_paths(ctx.params),
            follow_symlinks=bool(ctx.meta.get(_FOLLOW_SYMLINKS)),
        ):
            return super().invoke(ctx)


class _Group(click.Group):
    """A group that turns library errors into readable messages (unless ``--debug``)."""

    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # handled in run(): the reader went away
        except (BackofficeMarketingError, OSError) as error:
            if ctx.params.get("debug"):
                raise
            _fail(error, error_language(ctx.meta.get(_COMMAND_CONTEXT)))


LANG = click.option(
    "--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
    help="Language of the output.",
)  # fmt: skip
ITEMS = click.option(
    "--items", "items", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True, help="A checklist file whose items are added to the built-in ones (repeatable).",
)  # fmt: skip


def _remember_follow(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    ctx.meta[_FOLLOW_SYMLINKS] = value


INITIATIVE = click.option(
    "--initiative", "initiative_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="initiative.toml: the target, majority share, notice period, floors and departments.",
)  # fmt: skip


def _initiative(path: Path | None) -> bm.Initiative | None:
    return bm.Initiative.from_file(path) if path is not None else None


def _say_merges(merges: Sequence[Any], lang: bm.text.Lang) -> None:
    """State every merge on standard error: which group went into which, and why."""
    for note in bm.adoption.merge_notes(merges):
        click.echo(note.get(lang), err=True)


def _out_option(*, required: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    out = click.option(
        "--out", "-o", type=click.Path(dir_okay=False, path_type=Path), required=required,
        help="Write to this file instead of standard output.",
    )  # fmt: skip
    follow = click.option(
        "--follow-symlinks", is_flag=True, expose_value=False, callback=_remember_follow,
        help="If the output is a symbolic link, write the file it names (refused otherwise).",
    )  # fmt: skip

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        return out(follow(function))

    return decorate


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(out, text)
        click.echo(f"wrote {out}", err=True)


#: The CLI's name of a format, where it is not the report's (a Mermaid chart is ``.mmd``).
_FORMAT_NAMES = {"mermaid": "mmd"}


def _emit_report(report: bm.Report, fmt: str, lang: bm.text.Lang | None, out: Path | None) -> None:
    """Print or write ``report`` in ``fmt`` through the report protocol (``to_bytes``)."""
    _emit(report.to_bytes(_FORMAT_NAMES.get(fmt, fmt), lang=lang).decode("utf-8"), out)


def _working(label: str) -> Any:
    """A spinner on standard error while long work runs (shown on a terminal only)."""
    from rich.console import Console  # noqa: PLC0415

    return Console(stderr=True).status(label)


def _checklist(items: Sequence[Path]) -> bm.Checklist:
    checklist = bm.default_checklist()
    for path in items:
        checklist = checklist.merge(bm.Checklist.from_file(path))
    return checklist


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(bm.__version__, prog_name="backoffice-marketing")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short error messages.")
def cli(debug: bool) -> None:
    """Plan and diagnose back-office initiatives the way marketing runs a launch.

    間接部門の全社施策を、マーケティングの進め方で計画し診断します。
    """


@cli.command()
@LANG
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md")
@ITEMS
@_out_option()
def checklist(lang: bm.text.Lang, fmt: str, items: Sequence[Path], out: Path | None) -> None:
    """Render the checklist catalogue (with your own items added)."""
    merged = _checklist(items)
    _emit_report(merged, fmt, lang, out)


@cli.command()
@click.argument("assessment", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LANG
@ITEMS
@_out_option()
def score(assessment: Path, lang: bm.text.Lang, items: Sequence[Path], out: Path | None) -> None:
    """Score an assessment file by failure mode."""
    merged = _checklist(items)
    _emit(
        bm.Assessment.from_file(assessment, checklist=merged).score(merged).to_markdown(lang=lang),
        out,
    )


@cli.command()
@click.argument("kind", type=click.Choice(["checklist", "assessment", "playbook"]))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@ITEMS
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: one line per problem; json: a list of {file, line, column, path, message, "
    "code, arguments, text}.",
)  # fmt: skip
@click.option(
    "--lang", type=click.Choice(["ja", "en"]),
    help="Language of the messages (default: the locale's).",
)  # fmt: skip
@_out_option()
def validate(
    kind: str,
    files: Sequence[Path],
    items: Sequence[Path],
    fmt: str,
    lang: bm.text.Lang | None,
    out: Path | None,
) -> None:
    """Check files and report every problem with file, line and field."""
    chosen = lang or error_language(click.get_current_context())
    merged = _checklist(items)
    loaders: dict[str, Callable[[Path], object]] = {
        "checklist": bm.Checklist.from_file,
        "assessment": lambda path: bm.Assessment.from_file(path, checklist=merged),
        "playbook": lambda path: bm.load_playbook(path, checklist=merged),
    }
    problems: list[Problem] = []
    lines: list[str] = []
    for path in files:
        try:
            loaders[kind](path)
        except LoadError as error:
            problems.extend(error.problems)
            lines.extend(problem.render(chosen) for problem in error.problems)
        except (BackofficeMarketingError, OSError) as error:
            problems.append(Problem.for_file(path, str(error)))
            lines.append(f"{path}: {error}")
        else:
            lines.append(f"{path}: {'問題なし' if chosen == 'ja' else 'ok'}")
    if fmt == "json":
        import json  # noqa: PLC0415

        listed = [
            {
                "file": problem.file,
                "line": problem.line,
                "column": problem.column,
                "path": problem.path,
                "message": problem.message,
                "code": problem.code,
                "arguments": dict(problem.arguments),
                "text": problem.text(chosen),
            }
            for problem in problems
        ]
        _emit(json.dumps(listed, ensure_ascii=False, indent=2) + "\n", out)
    else:
        _emit("".join(f"{line}\n" for line in lines), out)
    if problems:
        raise click.exceptions.Exit(EXIT_INVALID)


@cli.command()
@click.argument("name", required=False)
@LANG
@click.option("--format", "fmt", type=click.Choice(["text", "mermaid"]), default="text")
@_out_option()
def playbooks(name: str | None, lang: bm.text.Lang, fmt: str, out: Path | None) -> None:
    """List the built-in playbooks, or show one's stages and tasks."""
    if name is None:
        listed = [
            f"{entry}\t{bm.load_playbook(entry).name.get(lang)}\n" for entry in bm.list_playbooks()
        ]
        _emit("".join(listed), out)
        return
    playbook = bm.load_playbook(name)
    if fmt == "mermaid":
        _emit(playbook.stage_graph.to_mermaid(lang=lang), out)
        return
    lines = [f"{playbook.id}: {playbook.name.get(lang)}", playbook.summary.get(lang), ""]
    for stage in playbook.stage_graph:
        rounds = f" x{stage.rounds}" if stage.repeat else ""
        lines.append(f"[{stage.id}{rounds}] {stage.name.get(lang)}")
        for task in playbook.tasks:
            if task.stage == stage.id:
                per = " (per department)" if task.per_department and lang == "en" else ""
                per = "(部署ごと)" if task.per_department and lang == "ja" else per
                lines.append(f"  - {task.id}: {task.title.get(lang)}{per} {task.duration}d")
    _emit("".join(f"{line}\n" for line in lines), out)


def _departments(values: Sequence[str]) -> Any:
    """A roster/table CSV path, or ``name=headcount`` pairs."""
    if len(values) == 1 and "=" not in values[0]:
        return Path(values[0])
    result: dict[str, int] = {}
    for value in values:
        name, sep, count = value.rpartition("=")
        if not sep or not name or not (count.isascii() and count.isdigit()) or len(count) > 18:
            raise click.BadParameter(f"expected NAME=HEADCOUNT or one CSV file; got {value[:40]!r}")
        if name in result:
            raise click.BadParameter(f"department {name!r} is given twice")
        result[name] = int(count)
    return result


PLAN_FORMATS = ("md", "html", "json", "mermaid", "xlsx", "ics")


@cli.command()
@click.argument("playbook", required=False)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option(
    "--departments", "-d", multiple=True,
    help="A roster or department CSV, or NAME=HEADCOUNT (repeatable).",
)  # fmt: skip
@click.option("--calendar", default="JP", show_default=True, help="Country code or 'none'.")
@click.option("--champion-ratio", type=click.IntRange(min=1), default=50, show_default=True)
@INITIATIVE
@LANG
@click.option("--format", "fmt", type=click.Choice(PLAN_FORMATS), default="md")
@_out_option()
def plan(
    playbook: str | None,
    start: dt.datetime | None,
    departments: Sequence[str],
    calendar: str,
    champion_ratio: int,
    initiative_file: Path | None,
    lang: bm.text.Lang,
    fmt: str,
    out: Path | None,
) -> None:
    """Schedule a playbook (built-in name or file) for your departments, or an initiative's plan.

    With --initiative, the initiative's playbook, start, departments (in its order),
    calendar and lead times are used; PLAYBOOK, --start and --departments are not needed.
    """
    from backoffice_marketing.foundation.defaults import MAX_PLAN_YEARS  # noqa: PLC0415

    settings = _initiative(initiative_file)
    if settings is not None:
        made = settings.plan()
    else:
        if playbook is None or start is None or not departments:
            raise click.UsageError("give PLAYBOOK, --start and --departments, or --initiative")
        if start.year > dt.date.max.year - MAX_PLAN_YEARS - 1:
            raise click.BadParameter(
                f"the plan may last {MAX_PLAN_YEARS} years; start before "
                f"{dt.date.max.year - MAX_PLAN_YEARS}-01-01",
                param_hint="--start",
            )
        made = bm.Plan.from_playbook(
            bm.load_playbook(playbook),
            start=start.date(),
            departments=_departments(departments),
            calendar=None if calendar.lower() == "none" else calendar,
            champion_ratio=champion_ratio,
        )
    if fmt in {"xlsx", "ics"}:
        if out is None:
            raise click.UsageError(f"--format {fmt} writes a file: give --out")
        if fmt == "xlsx":
            made.write(out, format="xlsx", lang=lang)
        else:
            made.write(out, format="ics", lang=lang)
        click.echo(f"wrote {out}", err=True)
        return
    _emit_report(made, fmt, lang, out)


@cli.command()
@click.argument(
    "assessments", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
@click.option("--playbook", help="Built-in playbook name or file, for gates and tasks.")
@click.option("--stage", help="The current stage: only later stages are gated.")
@click.option(
    "--previous", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Earlier assessment file(s), for the trend (repeatable).",
)  # fmt: skip
@click.option("--min-group-size", type=int, default=bm.MIN_GROUP_SIZE, show_default=True)
@ITEMS
@LANG
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md")
@_out_option()
def report(
    assessments: Sequence[Path],
    playbook: str | None,
    stage: str | None,
    previous: Sequence[Path],
    min_group_size: int,
    items: Sequence[Path],
    lang: bm.text.Lang,
    fmt: str,
    out: Path | None,
) -> None:
    """Write a gap report from one or more assessment files (one per department)."""
    merged = _checklist(items)
    loaded = [bm.Assessment.from_file(path, checklist=merged) for path in assessments]
    earlier = [bm.Assessment.from_file(path, checklist=merged) for path in previous]
    made = bm.GapReport.from_assessment(
        loaded,
        playbook=bm.load_playbook(playbook, checklist=merged) if playbook else None,
        stage=stage,
        previous=earlier or None,
        min_group_size=min_group_size,
        checklist=merged,
    )
    _emit_report(made, fmt, lang, out)


@cli.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--doc-lang", type=click.Choice(["ja", "en", "auto"]), default="auto", show_default=True,
    help="Language of the document.",
)  # fmt: skip
@LANG
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md")
@_out_option()
def lint(document: Path, doc_lang: str, lang: bm.text.Lang, fmt: str, out: Path | None) -> None:
    """Review a notice (.txt, .md, .docx, .pptx) the way its reader would.

    Exits with 1 when the review has warnings or errors.
    """
    review = bm.materials.lint(document, lang=doc_lang)
    _emit_report(review, fmt, lang, out)
    if any(finding.severity.value != "info" for finding in review.findings):
        raise click.exceptions.Exit(EXIT_FINDINGS)


@cli.command()
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    default=Path("backoffice-marketing-demo"), show_default=True,
)  # fmt: skip
@INITIATIVE
@LANG
def demo(out: Path, initiative_file: Path | None, lang: bm.text.Lang) -> None:
    """Run the chat-migration case end to end on bundled sample data; write every output."""
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    from backoffice_marketing.app.demo import write_demo  # noqa: PLC0415

    console = Console(stderr=True)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("demo", total=None)

        def step(label: str, done: int, total: int) -> None:
            progress.update(task, description=label, completed=done, total=total)

        files = write_demo(out, lang=lang, progress=step, initiative=_initiative(initiative_file))
    click.echo(f"wrote {len(files)} files to {out}:")
    for path in files:
        click.echo(f"  {path.relative_to(out)}")


ADOPTION_FORMATS = ("md", "csv", "json")


@cli.command()
@click.argument(
    "events", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--roster", "-r", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Who belongs where: CSV or Parquet with user_id, department (parent, start, end).",
)  # fmt: skip
@click.option(
    "--source", type=click.Choice(["log", "teams", "slack"]), default="log", show_default=True,
    help="log: CSV/Parquet with user_id and timestamp (or date); teams/slack: their exports.",
)  # fmt: skip
@click.option(
    "--period", type=click.Choice([p.value for p in bm.adoption.Period]), default="week",
    show_default=True,
)  # fmt: skip
@click.option("--timezone", default="Asia/Tokyo", show_default=True, help="IANA time zone.")
@click.option(
    "--window", type=click.Choice(["7", "28"]), help="Add people active in the last N days."
)
@click.option(
    "--habit-days", type=click.IntRange(min=1), help="Add people active on at least N days."
)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@click.option(
    "--target", type=click.FloatRange(0, 1, min_open=True),
    help="Share of each department that must use the new way "
    "[default: the initiative's, else 0.9 from backoffice_marketing.foundation.defaults].",
)  # fmt: skip
@click.option(
    "--min-group-size", type=int,
    help="Privacy floor for figures [default: the initiative's, else 5].",
)  # fmt: skip
@INITIATIVE
@click.option(
    "--encoding", help="Text encoding of CSV inputs [default: UTF-8 or cp932, detected].",
)  # fmt: skip
@click.option(
    "--chart", type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the chart by department (.png or .svg).",
)  # fmt: skip
@click.option(
    "--column", "columns", multiple=True, metavar="OURS=THEIRS",
    help="Our column name = the name in your files (repeatable), e.g. user_id=社員番号.",
)  # fmt: skip
@click.option(
    "--mail", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Email activity export (Microsoft 365) or a log with user_id, date, sent: adds the "
    "outcome (the new way's share of messages) and judges 'done' by it.",
)  # fmt: skip
@LANG
@click.option("--format", "fmt", type=click.Choice(ADOPTION_FORMATS), default="md")
@_out_option()
def adoption(
    events: Sequence[Path],
    roster: Path,
    source: str,
    period: str,
    timezone: str,
    window: str | None,
    habit_days: int | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    target: float | None,
    min_group_size: int | None,
    initiative_file: Path | None,
    encoding: str | None,
    chart: Path | None,
    columns: Sequence[str],
    mail: Path | None,
    lang: bm.text.Lang,
    fmt: str,
    out: Path | None,
) -> None:
    """Adoption per department and period from usage logs and a roster.

    The Markdown output adds the lagging departments and the cut-over advice
    (declaration and enforcement dates, departments to visit); every merge
    of a small group is stated, on standard error too. Exits with 1 when a
    department is lagging or has not started.
    """
    ad = bm.adoption
    if source == "log" and len(events) != 1:
        raise click.UsageError("--source log takes one events file")
    settings = _initiative(initiative_file)
    if settings is None:
        settings_target, floor = ADOPTION_TARGET, bm.MIN_GROUP_SIZE
    else:
        settings_target, floor = settings.target, settings.privacy.figures
    target = target if target is not None else settings_target
    min_group_size = min_group_size if min_group_size is not None else floor
    readers = {"teams": ad.read_teams_user_activity, "slack": ad.read_slack_member_analytics}
    from backoffice_marketing.app.outcome_cli import apply_columns, outcome_for  # noqa: PLC0415

    try:
        log, roster_data = (
            apply_columns([events[0], roster], columns, encoding=encoding)
            if source == "log"
            else (events[0], *apply_columns([roster], columns, encoding=encoding))
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    with _working("adoption"):
        rates = ad.adoption_rates(
            log if source == "log" else readers[source](events),
            roster_data,
            period=period,
            timezone=timezone,
            window=int(window) if window else None,
            habit_days=habit_days,
            start=start.date() if start else None,
            end=end.date() if end else None,
            min_group_size=min_group_size,
        )
        groups = ad.department_groups(
            roster_data,
            period=period,
            start=start.date() if start else None,
            end=end.date() if end else None,
            min_group_size=min_group_size,
            timezone=timezone,
        )
        order = () if settings is None else [unit.id for unit in settings.departments]
        classification = ad.classify(rates, target=target, merges=groups.suppressed, order=order)
        outcome = None if mail is None else outcome_for(
            log if source == "log" else events, mail, roster_data, rates=rates,
            teams=source == "teams",
            initiative=settings, target=target, period=period, timezone=timezone,
            start=start.date() if start else None, end=end.date() if end else None,
            min_group_size=min_group_size,
        )  # fmt: skip
    _say_merges(classification.merges, lang)
    _adoption_outputs(
        rates, classification, settings, chart=chart, lang=lang, fmt=fmt, out=out, outcome=outcome
    )
    if classification.needing_visit or (outcome is not None and not outcome.done):
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _adoption_outputs(
    rates: Any,
    classification: Any,
    settings: bm.Initiative | None,
    *,
    chart: Path | None,
    lang: bm.text.Lang,
    fmt: str,
    out: Path | None,
    outcome: Any = None,
) -> None:
    """Only options to library calls: the report object knows its outputs."""
    ad = bm.adoption
    report = ad.AdoptionRates.from_frame(
        rates,
        target=classification.target,
        classification=classification,
        order=[unit.id for unit in settings.departments] if settings is not None else (),
        outcome=outcome,
    )
    if chart is not None:
        if chart.suffix.lower() not in (".png", ".svg"):
            raise bm.exceptions.UnsupportedFormatError(str(chart), (".png", ".svg"))
        report.write(chart, lang=lang)
        click.echo(f"wrote {chart}", err=True)
    if fmt == "csv":
        _emit(report.to_csv(), out)
    elif fmt == "json":
        _emit(report.to_json(), out)
    else:
        _emit(report.overview_markdown(lang=lang, initiative=settings), out)


class _FaqGroup(click.Group):
    """``faq QUESTIONS...`` keeps working: anything that is not a subcommand runs ``faq build``."""

    command_class = _Command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Insert ``build`` unless the first argument names a subcommand or asks for help."""
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["build", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_FaqGroup)
def faq() -> None:
    """Group the field's questions into themes; record a person's merges and splits."""


@faq.command("build")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--answers", "-a", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The official answers (YAML, JSON or TOML).",
)  # fmt: skip
@click.option(
    "--decisions", "decisions_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Merges and splits a person decided (faq-decisions.toml).",
)  # fmt: skip
@click.option(
    "--synonyms", "synonyms_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your own synonym table (TOML), added to the shipped one.",
)  # fmt: skip
@click.option(
    "--departments", "-d", multiple=True,
    help="A department CSV, or NAME=HEADCOUNT (repeatable): small ones are never quoted.",
)  # fmt: skip
@click.option(
    "--laggard", "laggard_names", multiple=True,
    help="A lagging department: its questions rank first among the waiting themes (repeatable).",
)  # fmt: skip
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Count days waiting up to here.")
@INITIATIVE
@LANG
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md")
@_out_option()
def faq_build(
    questions: Path,
    answers: Path | None,
    decisions_file: Path | None,
    synonyms_file: Path | None,
    departments: Sequence[str],
    laggard_names: Sequence[str],
    as_of: dt.datetime | None,
    initiative_file: Path | None,
    lang: bm.text.Lang,
    fmt: str,
    out: Path | None,
) -> None:
    """Group the field's questions into themes and publish the official answers.

    Themes still waiting for an official answer are listed first, most
    urgent first. Exits with 1 when some themes still wait.
    """
    voice = bm.voice
    settings = _initiative(initiative_file)
    log = voice.QuestionLog.from_file(questions)
    book = voice.AnswerBook.from_file(answers) if answers else voice.AnswerBook()
    units = coerce_departments(_departments(departments)) if departments else None
    if units is None and settings is not None:
        units = settings.departments
    known = [unit.id for unit in units] if units is not None else []
    for name in laggard_names if known else ():
        _check_department(name, known, param_hint="--laggard")
    floor = settings.privacy.text if settings is not None else MIN_TEXT_GROUP_SIZE
    made = voice.FAQ.build(
        log,
        book,
        departments=units,
        min_group_size=floor,
        as_of=as_of.date() if as_of else None,
        laggards=laggard_names,
        **_faq_reading(decisions_file, synonyms_file),
    )
    _emit_report(made, fmt, lang, out)
    if made.pending:
        click.echo(f"{len(made.pending)} theme(s) wait for an official answer:", err=True)
        for theme in made.pending:
            click.echo(
                f"  {theme.id}: {theme.questions} question(s), {theme.days_waiting} day(s) waiting",
                err=True,
            )
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _faq_reading(decisions: Path | None, synonyms: Path | None) -> dict[str, Any]:
    """The ``decisions`` and ``analyser`` arguments of ``FAQ.build`` from the options."""
    from backoffice_marketing.voice import meaning, merges  # noqa: PLC0415
    from backoffice_marketing.voice import synonyms as table  # noqa: PLC0415

    found: dict[str, Any] = {}
    if decisions is not None:
        found["decisions"] = merges.ThemeDecisions.from_file(decisions)
    if synonyms is not None:
        found["analyser"] = meaning.default_analyser(table.load_synonyms(synonyms))
    return found


@faq.command("merge")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("first")
@click.argument("second")
def faq_merge(folder: Path, first: str, second: str) -> None:
    """Record that two FAQ themes are one question (in FOLDER/inputs/faq-decisions.toml)."""
    from backoffice_marketing.voice.merges import record_merge  # noqa: PLC0415

    record_merge(folder, first, second)
    click.echo(f"merged {first} and {second}; the next update groups them as one theme", err=True)


@faq.command("split")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("first")
@click.argument("second")
def faq_split(folder: Path, first: str, second: str) -> None:
    """Record that two FAQ themes are separate questions (undoes a merge; no longer suggested)."""
    from backoffice_marketing.voice.merges import record_split  # noqa: PLC0415

    record_split(folder, first, second)
    click.echo(f"kept {first} and {second} apart; they are no longer suggested", err=True)


# --- Workspace: your own initiative, week after week --------------------------------------


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--playbook", default="chat-migration", show_default=True, help="Playbook name.")
@click.option(
    "--departments", "departments_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of the departments (department, headcount, parent), in the company's order.",
)  # fmt: skip
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="Start date, YYYY-MM-DD.")
@click.option("--example", is_flag=True, help="Fill the workspace with the bundled sample company.")
def init(
    folder: Path,
    playbook: str,
    departments_file: Path | None,
    start: dt.datetime | None,
    example: bool,
) -> None:
    """Create a workspace: initiative.toml, inputs/ with a template per log, the history store."""
    if example:
        settings = bm.Initiative.example()
    else:
        if departments_file is None or start is None:
            raise click.UsageError("give --departments and --start, or --example")
        units = coerce_departments(_departments([str(departments_file)]))
        known = bm.list_playbooks()
        settings = bm.Initiative(
            id=playbook if playbook in known else "my-initiative",
            name=bm.load_playbook(playbook).name,
            playbook=playbook,
            start=start.date(),
            departments=units,
        )
    with write_policy(workspace=folder):  # init may write the workspace's own inputs
        _init_workspace(folder, settings, example=example, departments_file=departments_file)
    click.echo(f"created {folder}", err=True)


def _init_workspace(
    folder: Path, settings: bm.Initiative, *, example: bool, departments_file: Path | None = None
) -> None:
    """Make the workspace ``folder`` with ``settings`` (and the sample company's inputs).

    Without the example, ``inputs/roster.csv`` is a template, or a UTF-8 copy of the
    roster in ``departments_file``.
    """
    from backoffice_marketing.workspace.run import INITIATIVE_FILE, ROSTER_FILE  # noqa: PLC0415

    workspace = bm.Workspace.create(folder)
    try:
        settings.save(folder / INITIATIVE_FILE)
        if example:
            from backoffice_marketing.app import samples  # noqa: PLC0415

            samples.write_roster(workspace.inputs / ROSTER_FILE)
            (workspace.inputs / "usage.csv").unlink()  # the weekly files replace the template
            samples.write_weekly_usage(workspace.inputs)
            names = ("questions.csv", "hearings.csv", "decisions.json", "changes.toml")
            for name in (*names, "answers.yaml"):
                source = samples.sample_file(f"chat-migration/{name}")
                write_text_atomic(workspace.inputs / name, source.read_text(encoding="utf-8"))
                template = (workspace.inputs / name).with_suffix(".csv")
                if template.name != name and template.exists():  # the sample replaces it
                    template.unlink()
            from backoffice_marketing.app import sample_exports  # noqa: PLC0415
            from backoffice_marketing.app.demo_outcome import OUTCOME_END  # noqa: PLC0415
            from backoffice_marketing.workspace.outcome import (  # noqa: PLC0415
                EMAIL_PREFIX,
                TEAMS_PREFIX,
            )

            sample_exports.write_email_activity(
                workspace.inputs / f"{EMAIL_PREFIX}.csv", end=OUTCOME_END
            )
            sample_exports.write_teams_activity(
                workspace.inputs / f"{TEAMS_PREFIX}.csv", end=OUTCOME_END
            )
            reach = samples.sample_file("chat-migration/reach-log.csv")
            write_text_atomic(workspace.inputs / "reach.csv", reach.read_text(encoding="utf-8"))
            # The sample company did everything it planned up to the launch, on time, and
            # assessed itself in May.
            for task in settings.plan().tasks:
                if task.finish <= samples.LAUNCH and not task.placeholder:
                    workspace.record_completion(task.id, done_on=task.finish)
            from backoffice_marketing.app.demo import example_assessment  # noqa: PLC0415

            assessment = example_assessment()
            workspace.record_assessment(assessment, on=assessment.date)
        else:
            from backoffice_marketing.workspace.first_run import (  # noqa: PLC0415
                write_roster_template,
            )

            write_roster_template(workspace.inputs / ROSTER_FILE, departments_file)
    finally:
        workspace.close()


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to plan from.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language of reports/.")
def update(
    folder: Path, files: Sequence[Path], today: dt.datetime | None, lang: bm.text.Lang | None
) -> None:
    """Take in new files, recompute, and write reports/ (re-importing a file changes nothing)."""
    from backoffice_marketing.render.labels import label  # noqa: PLC0415
    from backoffice_marketing.workspace.reports import write_reports  # noqa: PLC0415
    from backoffice_marketing.workspace.run import load_state  # noqa: PLC0415
    from backoffice_marketing.workspace.run import update as take_in  # noqa: PLC0415

    with write_policy(workspace=folder), bm.Workspace.open(folder) as workspace:
        results = take_in(workspace, files)
        for done in results:
            if isinstance(done, str) or done.new or files:
                click.echo(done if isinstance(done, str) else done.describe(lang=lang), err=True)
        state = load_state(workspace, today=today.date() if today else None)
        chosen: bm.text.Lang = lang or ("en" if state.initiative.lang == "en" else "ja")
        if not files and not any(isinstance(d, str) or d.new for d in results):
            click.echo(label("ws_nothing_new", chosen), err=True)
        from backoffice_marketing.workspace.names import (  # noqa: PLC0415
            unknown_departments,
            unknown_roster_parents,
        )

        roster = workspace.inputs / "roster.csv"
        for warning in (*unknown_departments(state), *unknown_roster_parents(roster, state)):
            click.echo(warning.get(chosen), err=True)
        for path in write_reports(workspace, state, lang=lang):
            click.echo(f"wrote {path}", err=True)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to look from.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language (the initiative's).")
@click.option(
    "--format", "fmt", type=click.Choice(["auto", "text", "md", "json"]), default="auto",
    show_default=True, help="auto: text in a terminal, Markdown for -o and pipes.",
)  # fmt: skip
@_out_option()
def status(
    folder: Path,
    today: dt.datetime | None,
    lang: bm.text.Lang | None,
    fmt: str,
    out: Path | None,
) -> None:
    """Print the week's actions; exit 1 when a task or a question is overdue."""
    from backoffice_marketing.workspace.run import load_state, week_status  # noqa: PLC0415

    with bm.Workspace.open(folder, read_only=True) as workspace:
        state = load_state(workspace, today=today.date() if today else None)
    chosen: bm.text.Lang = lang or ("en" if state.initiative.lang == "en" else "ja")
    report = week_status(state)
    terminal = fmt == "text" or (fmt == "auto" and out is None and sys.stdout.isatty())
    if terminal and out is None:
        from rich.console import Console  # noqa: PLC0415

        Console(highlight=False, soft_wrap=True).print(report.to_rich(lang=chosen))
    else:
        _emit(report.to_json() if fmt == "json" else report.to_markdown(lang=chosen), out)
    if report.overdue:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _check_department(
    name: str, settings: bm.Initiative | Sequence[str], *, param_hint: str = "--department"
) -> None:
    """A usage error naming the nearest known department when ``name`` is not one."""
    from backoffice_marketing.core.departments import nearest_name  # noqa: PLC0415

    known = (
        [unit.id for unit in settings.departments]
        if isinstance(settings, bm.Initiative)
        else list(settings)
    )
    if name in known:
        return
    close = nearest_name(name, known)
    hint = f"; did you mean {close!r}?" if close else f"; known: {', '.join(known)}"
    raise click.BadParameter(
        f"{name!r} is not a department of the initiative{hint}", param_hint=param_hint
    )


@cli.command("done")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("task")
@click.option("--on", type=click.DateTime(["%Y-%m-%d"]), help="The day it was done (today).")
@click.option("--department", help="Only this department's task of a per-department step.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language (the initiative's).")
def done_command(
    folder: Path,
    task: str,
    on: dt.datetime | None,
    department: str | None,
    lang: bm.text.Lang | None,
) -> None:
    """Record a task of the plan as done (a task id, a step id as status shows it, or a title)."""
    from backoffice_marketing.render.labels import label  # noqa: PLC0415
    from backoffice_marketing.workspace.progress import resolve_tasks  # noqa: PLC0415
    from backoffice_marketing.workspace.run import INITIATIVE_FILE  # noqa: PLC0415

    settings = bm.Initiative.from_file(folder / INITIATIVE_FILE)
    chosen: bm.text.Lang = lang or ("en" if settings.lang == "en" else "ja")
    if department is not None:
        _check_department(department, settings)
    plan = settings.plan()
    day = on.date() if on else dt.date.today()
    ids = resolve_tasks(plan, task, department=department, on=day)
    titles = {t.id: t for t in plan.tasks}
    with bm.Workspace.open(folder) as workspace:
        for task_id in ids:
            workspace.record_completion(task_id, done_on=day)
            made = titles[task_id]
            where = f" {made.department}" if made.department else ""
            click.echo(
                label("ws_recorded", chosen) % (made.title.get(chosen) + where, day.isoformat()),
                err=True,
            )


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to look from.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language (the initiative's).")
@click.option("--department", help="Only what this department may see.")
@_out_option(required=True)
def dashboard(
    folder: Path,
    today: dt.datetime | None,
    lang: bm.text.Lang | None,
    department: str | None,
    out: Path,
) -> None:
    """One self-contained HTML dashboard: status, trend, scorecards, plan, gap report, FAQ."""
    from backoffice_marketing.workspace.dashboard import dashboard_html  # noqa: PLC0415
    from backoffice_marketing.workspace.run import load_state  # noqa: PLC0415

    with bm.Workspace.open(folder, read_only=True) as workspace:
        state = load_state(workspace, today=today.date() if today else None)
    if department is not None:
        _check_department(department, state.initiative)
    chosen: bm.text.Lang = lang or ("en" if state.initiative.lang == "en" else "ja")
    _emit(dashboard_html(state, lang=chosen, department=department), out)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["approval", "cutover"]), required=True)
@click.option(
    "--costs", "costs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The business case's assumptions (default: FOLDER/costs.toml).",
)  # fmt: skip
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to look from.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Language (the initiative's).")
@_out_option(required=True)
def deck(
    folder: Path,
    kind: str,
    costs_file: Path | None,
    today: dt.datetime | None,
    lang: bm.text.Lang | None,
    out: Path,
) -> None:
    """A deck for the management meeting: pptx (or json, md, html by the suffix of -o)."""
    with bm.Workspace.open(folder, read_only=True) as workspace:
        day = today.date() if today else None
        written = workspace.deck(kind, out, today=day, costs=costs_file, lang=lang)  # type: ignore[arg-type]
    click.echo(f"wrote {written}", err=True)

"""The ``backoffice-marketing`` command line.

It uses only the public API and argparse from the standard library, so it
works on a bare install. Errors print one line per problem and exit with 2;
nothing prints a Python traceback for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import backoffice_marketing as bm
from backoffice_marketing.exceptions import BackofficeMarketingError, LoadError
from backoffice_marketing.io.atomic import write_text_atomic
from backoffice_marketing.playbooks import load_playbook
from backoffice_marketing.text import Lang

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 2


def _emit(text: str, output: Path | None, out: TextIO) -> None:
    if output is None:
        out.write(text)
    else:
        write_text_atomic(output, text)


def _load_checklist(extra: Sequence[Path]) -> bm.Checklist:
    checklist = bm.default_checklist()
    for path in extra:
        checklist = checklist.merge(bm.Checklist.from_file(path))
    return checklist


def _cmd_checklist(args: argparse.Namespace, out: TextIO) -> int:
    checklist = _load_checklist(args.items)
    renderers: dict[str, Callable[[], str]] = {
        "md": lambda: checklist.to_markdown(args.lang),
        "html": lambda: checklist.to_html(args.lang),
        "json": checklist.to_json,
    }
    _emit(renderers[args.format](), args.output, out)
    return EXIT_OK


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    checklist = _load_checklist(args.items)
    summary = bm.Assessment.from_file(args.assessment, checklist=checklist).score(checklist)
    _emit(summary.to_markdown(args.lang), args.output, out)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    checklist = _load_checklist(args.items)
    loaders: dict[str, Callable[[Path], object]] = {
        "checklist": bm.Checklist.from_file,
        "assessment": lambda path: bm.Assessment.from_file(path, checklist=checklist),
        "playbook": lambda path: load_playbook(path, checklist=checklist),
    }
    failed = False
    for path in args.files:
        try:
            loaders[args.kind](path)
        except LoadError as error:
            failed = True
            for problem in error.problems:
                out.write(f"{problem}\n")
        except BackofficeMarketingError as error:
            failed = True
            out.write(f"{path}: {error}\n")
        else:
            out.write(f"{path}: ok\n")
    return EXIT_INVALID if failed else EXIT_OK


def example_assessment() -> bm.Assessment:
    """The example assessment shipped with the package (a chat migration)."""
    from backoffice_marketing.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.io.documents import load_package_document  # noqa: PLC0415

    document = load_package_document("examples/chat-migration-assessment.toml")
    return structure_document(document, bm.Assessment)


def write_demo(folder: Path) -> tuple[Path, ...]:
    """Render the catalogue and the example summaries into ``folder``; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    checklist = bm.default_checklist()
    assessment = example_assessment()
    summary = assessment.score(checklist)
    outputs: dict[str, str] = {"checklist.json": checklist.to_json()}
    languages: tuple[Lang, ...] = ("ja", "en")
    for lang in languages:
        outputs[f"checklist.{lang}.md"] = checklist.to_markdown(lang)
        outputs[f"checklist.{lang}.html"] = checklist.to_html(lang)
        outputs[f"scores.{lang}.md"] = summary.to_markdown(lang)
    written = []
    for name, text in sorted(outputs.items()):
        written.append(write_text_atomic(folder / name, text))
    assessment.save(folder / "example-assessment.toml")
    written.append(folder / "example-assessment.toml")
    return tuple(sorted(written))


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    files = write_demo(args.out)
    out.write(f"wrote {len(files)} files to {args.out}:\n")
    for path in files:
        out.write(f"  {path.name}\n")
    out.write("\n" + example_assessment().score().to_markdown(args.lang))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backoffice-marketing",
        description="Plan and diagnose back-office initiatives as a marketing launch.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {bm.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser, formats: Sequence[str]) -> None:
        sub.add_argument("--lang", choices=("ja", "en"), default="ja", help="output language")
        sub.add_argument("--format", choices=formats, default=formats[0], help="output format")
        sub.add_argument("--output", "-o", type=Path, help="write here instead of stdout")
        sub.add_argument(
            "--items",
            type=Path,
            action="append",
            default=[],
            help="a checklist file whose items are added to the built-in ones (repeatable)",
        )

    demo = commands.add_parser("demo", help="render the catalogue and an example into a folder")
    demo.add_argument("--out", type=Path, default=Path("backoffice-marketing-demo"))
    demo.add_argument("--lang", choices=("ja", "en"), default="ja")
    demo.set_defaults(handler=_cmd_demo)

    checklist = commands.add_parser("checklist", help="render the checklist catalogue")
    common(checklist, ("md", "html", "json"))
    checklist.set_defaults(handler=_cmd_checklist)

    score = commands.add_parser("score", help="score an assessment file by failure mode")
    score.add_argument("assessment", type=Path)
    common(score, ("md",))
    score.set_defaults(handler=_cmd_score)

    validate = commands.add_parser("validate", help="check files; report every problem")
    validate.add_argument("kind", choices=("checklist", "assessment", "playbook"))
    validate.add_argument("files", type=Path, nargs="+")
    validate.add_argument(
        "--items",
        type=Path,
        action="append",
        default=[],
        help="a checklist file whose items are added to the built-in ones (repeatable)",
    )
    validate.set_defaults(handler=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    stream = out if out is not None else sys.stdout
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args, stream))
    except LoadError as error:
        for problem in error.problems:
            sys.stderr.write(f"error: {problem}\n")
        return EXIT_INVALID
    except BackofficeMarketingError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_INVALID


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

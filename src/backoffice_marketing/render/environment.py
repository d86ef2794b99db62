"""The one jinja2 environment for the shipped templates.

HTML templates (``*.html.j2``) are autoescaped; Markdown templates are not,
so they escape every user-supplied text with the ``md`` and ``cell`` filters.
Undefined names are errors, never silent blanks.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.markdown import (
    escape_markdown,
    escape_markdown_cell,
    markdown_code,
)
from backoffice_marketing.render.names import Names

__all__ = ["environment", "render"]


def _percent(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@functools.cache
def environment() -> jinja2.Environment:
    """The shared environment: package templates, autoescaped HTML, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("backoffice_marketing", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=True, default=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["cell"] = escape_markdown_cell
    env.filters["code"] = markdown_code
    env.filters["percent"] = _percent
    from backoffice_marketing.foundation.defaults import MIN_COVERAGE_FOR_OK  # noqa: PLC0415

    env.globals["coverage_floor"] = MIN_COVERAGE_FOR_OK
    return env


def render(template: str, lang: Lang, *, playbook: str | None = None, **context: Any) -> str:
    """Render a shipped template in ``lang`` with ``context``.

    Templates get ``t`` (labels) and ``nm`` (:class:`~backoffice_marketing.render.names.Names`:
    the names of items, stages, tasks and sources; ``playbook`` names the tasks first).
    """
    checked = check_lang(lang)

    def t(key: str) -> str:
        return label(key, checked)

    names = Names(checked, playbook=playbook)
    return environment().get_template(template).render(lang=checked, t=t, nm=names, **context)

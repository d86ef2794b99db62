"""Families "Mermaid" and "templates": labels cannot inject, user templates cannot run away."""

from __future__ import annotations

import datetime as dt
import time

import attrs
import pytest

import backoffice_marketing as bm
from backoffice_marketing.diagnosis.stages import StageGraph
from backoffice_marketing.exceptions import UserTemplateError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.render.mermaid import flowchart_label, mermaid_text
from backoffice_marketing.render.sandbox import UserTemplateEnvironment, render_user_template

from .helpers import invoke, run_limited

EVIL = 'Launch"]\nclick launch call alert(1)\n%%{init: {}}%%\n<img src=x onerror=alert(1)>&#60;'


def _graph_with_evil_name() -> StageGraph:
    graph = bm.load_playbook("chat-migration").stage_graph
    stages = [
        attrs.evolve(stage, name=LocalizedText(ja="開始\n" + EVIL, en=EVIL))
        if stage.id == "launch"
        else stage
        for stage in graph
    ]
    return StageGraph(stages)


def test_newline_in_a_stage_name_cannot_add_lines() -> None:
    """A newline and a quote in a stage name stay inside one quoted label."""
    chart = _graph_with_evil_name().to_mermaid(lang="en")
    launch = [line for line in chart.splitlines() if line.strip().startswith("launch[")]
    assert len(launch) == 1
    assert not any(line.strip().startswith(("click", "%%")) for line in chart.splitlines())
    assert launch[0].count('"') == 2


def test_html_in_a_label_never_reaches_the_svg() -> None:
    """``<img ...>`` and entities become look-alike text in every label."""
    for label in (flowchart_label(EVIL), mermaid_text(EVIL)):
        assert "<" not in label
        assert ">" not in label
        assert "&" not in label
        assert "#" not in label
        assert "\n" not in label


def test_stage_graph_mermaid_honours_lang() -> None:
    """``to_mermaid(lang='ja')`` uses Japanese names, 'en' English ones; None the display one."""
    graph = bm.load_playbook("chat-migration").stage_graph
    japanese = graph.to_mermaid(lang="ja")
    english = graph.to_mermaid(lang="en")
    assert japanese != english
    launch = graph["launch"].name
    assert launch.ja in japanese
    assert launch.en in english
    with _English():
        assert graph.to_mermaid() == english
    result = invoke(["playbooks", "chat-migration", "--format", "mermaid", "--lang", "ja"])
    assert result.output == japanese


class _English:
    """Switch the display language to English for a block."""

    def __enter__(self) -> None:
        self.previous = bm.set_display_language("en")

    def __exit__(self, *_: object) -> None:
        bm.set_display_language(self.previous)


def test_plan_mermaid_sanitises_task_names() -> None:
    """The plan's Gantt chart keeps one line per task whatever the names hold."""
    plan = bm.Plan.from_playbook(
        bm.load_playbook("chat-migration"),
        start=dt.date(2027, 4, 1),
        departments={"営業部\nsection evil": 30},
        calendar=None,
    )
    chart = plan.to_mermaid(lang="en")
    assert not any(line.strip().startswith("section evil") for line in chart.splitlines())
    assert "<" not in chart.replace("<=", "")


def test_long_label_is_cut() -> None:
    """A label of a megabyte is cut to a short one with an ellipsis."""
    assert len(mermaid_text("x" * 1_000_000)) <= 200
    assert mermaid_text("") == "-"
    assert mermaid_text("title") == "\u200btitle"


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("{{ 'a' * 1500000000 }}", "limit"),
        ("{{ [1] * 1500000000 }}", "limit"),
        ("{{ 'a'.center(1500000000) }}", "limit"),
        ("{{ 'a' | center(1500000000) }}", "limit"),
        ("{{ 'a\nb' | indent(1500000000) }}", "limit"),
        ("{{ '{:>1500000000}'.format(1) }}", "limit"),
        ("{{ '%1500000000d' % 1 }}", "limit"),
        ("{{ 2 ** 100000000 }}", "limit"),
        ("{{ range(10 ** 9) | list }}", "limit"),
        ("{{ range(200000) | list }}", "limit"),
        ("{{ 2.5 ** 100000 }}", "limit"),
        (("{% set ns = namespace(s='x') %}{% for i in range(64) %}"
         "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"), "limit"),
        (("{% set ns = namespace(s='x') %}{% for i in range(64) %}"
         "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}"), "limit"),
        (("{% set ns = namespace(n=3) %}{% for i in range(64) %}"
         "{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n }}"), "limit"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "limit"),
        ("{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}", "limit"),
        ("{{ nope }}", "undefined"),
        ("{{ ''.__class__.__mro__ }}", "security"),
        ("{{ report.append(1) }}", "security"),
        ("{% for %}", "syntax"),
        ("{{ 1 / 0 }}", "error"),
    ],
)  # fmt: skip
def test_user_template_attacks_end_in_one_library_error(source: str, kind: str) -> None:
    """Each attack is one UserTemplateError of its kind, quickly."""
    started = time.monotonic()
    with pytest.raises(UserTemplateError) as caught:
        render_user_template(source, {"report": [1]})
    assert caught.value.kind == kind
    assert time.monotonic() - started < 5


def test_user_template_loop_is_stopped_inside_the_render() -> None:
    """Nested loops with no output are stopped at the deadline, not between chunks."""
    source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(UserTemplateError) as caught:
        render_user_template(source, {}, max_seconds=0.5)
    assert caught.value.kind == "time"
    assert time.monotonic() - started < 3


def test_user_template_source_size_is_bounded() -> None:
    """A template source over the limit is refused before it is compiled."""
    with pytest.raises(UserTemplateError, match="longer than"):
        render_user_template("x" * 300_000, {})


def test_user_template_renders_escaped_data() -> None:
    """An ordinary template renders, with employee text escaped."""
    html = render_user_template(
        "{% for d in rows %}<td>{{ d.name }}</td>{% endfor %}{{ range(3) | length }}",
        {"rows": [{"name": "<b>営業部</b>"}]},
    )
    assert html == "<td>&lt;b&gt;営業部&lt;/b&gt;</td>3"
    assert UserTemplateEnvironment().from_string("{{ 'ab' ~ 'c' }}").render() == "abc"


def test_user_template_under_one_gib() -> None:
    """The string multiplication of the issue stays under 1 GiB of address space."""
    run = run_limited(
        """
        from backoffice_marketing.exceptions import UserTemplateError
        from backoffice_marketing.render.sandbox import render_user_template
        try:
            render_user_template("{{ 'a' * 1500000000 }}", {})
        except UserTemplateError as error:
            print(error.kind)
        """
    )
    assert run.stdout.strip() == "limit", run.stderr

"""Family "sandbox": widths, precisions and repetitions are bounded before the work is done."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from backoffice_marketing.exceptions import UserTemplateError
from backoffice_marketing.render.sandbox import render_user_template

from .helpers import run_limited

HUGE_WORK = [
    "{{ ('\\t' * 1000).expandtabs(16000000) }}",
    "{{ '\\t\\t'.expandtabs(tabsize=9000000) }}",
    "{{ '%.16000000f%.16000000f' % (1, 2) }}",
    "{{ '%16000000d%16000000d' % (1, 2) }}",
    "{{ '%(a)16000000s%(a)16000000s' % {'a': 1} }}",
    "{{ '{:16000000}{:16000000}'.format(1, 2) }}",
    "{{ '{:.9000000f}{:.9000000f}'.format(1.0, 2.0) }}",
    "{{ '{0:{1}}'.format(1, 16000000) }}",
    "{{ '{a:>16000000}{a:>16000000}'.format_map({'a': 1}) }}",
    "{{ '%.9000000f%.9000000f'|format(1, 2) }}",
    "{{ ('a\\n' * 100000)|indent(1000) }}",
    "{{ ('a' * 10000).replace('a', 'b' * 10000) }}",
    "{{ ('a' * 10000)|replace('a', 'b' * 10000) }}",
    "{{ ('a\n' * 100)|indent(width=1000000) }}",
    "{% for i in range(10**6) %}{% endfor %}",
    "{{ 'a' * 10**8 }}",
    "{{ ['a'] * 10**8 }}",
]


@pytest.mark.parametrize("source", HUGE_WORK)
def test_huge_width_or_precision_is_refused_before_the_work(source: str) -> None:
    """Each template would need gigabytes (or a long loop): refused before allocating it."""
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(UserTemplateError) as caught:
            render_user_template(source, {})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.kind == "limit"
    assert peak < 4 * 1024 * 1024  # the 16 MB output limit was never approached
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 'ok %5.2f'|format(3.14159) }}", "ok  3.14"),
        ("{{ '{:>8.3f}'.format(2.5) }}", "   2.500"),
        ("{{ 'a\\tb'.expandtabs(4) }}", "a   b"),
        ("{{ 'x'|center(5) }}", "  x  "),
        ("{{ 'a\\nb'|indent(2, first=True) }}", "  a\n  b"),
        ("{{ 'abc'.replace('b', 'BB') }}", "aBBc"),
        ("{{ '%-4s|' % 'ab' }}", "ab  |"),
    ],
)
def test_ordinary_widths_still_work(source: str, expected: str) -> None:
    """Widths and precisions of everyday size render as before."""
    assert render_user_template(source, {}, autoescape=False) == expected


def test_width_from_the_data_is_refused() -> None:
    """A ``%*d`` width taken from the data cannot be bounded beforehand: refused."""
    with pytest.raises(UserTemplateError):
        render_user_template("{{ '%*d' % (w, 1) }}", {"w": 5})


def test_expandtabs_bomb_stays_small_under_a_memory_cap() -> None:
    """Under 1 GiB, the 16 GB expandtabs is refused with the sandbox's error, not a MemoryError."""
    result = run_limited(
        """
        from backoffice_marketing.exceptions import UserTemplateError
        from backoffice_marketing.render.sandbox import render_user_template
        try:
            render_user_template("{{ ('\\\\t' * 1000).expandtabs(16000000) }}", {})
        except UserTemplateError as error:
            print("refused", error.kind)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "refused limit"

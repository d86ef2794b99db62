"""A sandboxed renderer for templates written by users (portals that override the look).

:func:`render_user_template` renders a template in
:class:`UserTemplateEnvironment`, a subclass of jinja2's
``ImmutableSandboxedEnvironment`` with ``StrictUndefined`` and autoescaping,
whose time and output are bounded *inside* the render, not only between
output chunks:

* the source is at most :data:`~backoffice_marketing.foundation.io.limits.MAX_TEMPLATE_SOURCE`
  characters;
* ``*`` on text or lists, ``**``, ``%`` formatting and ``~`` joins refuse results
  over :data:`~backoffice_marketing.foundation.io.limits.MAX_TEMPLATE_OUTPUT` characters
  before building them; integers are kept under 10,000 bits;
* every call (methods, filters) refuses integer arguments over that size, so
  ``'a'.center(10**9)`` or ``'x' | indent(10**9)`` never allocate; and the
  result of ``expandtabs``, ``center``/``ljust``/``rjust``/``zfill``,
  ``format``/``format_map``, ``replace``, ``%`` formatting and the ``format``,
  ``indent``, ``center`` and ``replace`` filters is bounded from the text and
  the widths and precisions *before* the call (a width taken from the data,
  ``%*d`` or ``{:{w}}``, is refused);
* ``range()`` yields at most :data:`~backoffice_marketing.foundation.io.limits.MAX_TEMPLATE_RANGE`
  items;
* the deadline (:data:`~backoffice_marketing.foundation.io.limits.MAX_TEMPLATE_SECONDS`)
  is checked at every call, attribute lookup, operator, range step, join and
  output chunk; recursion that runs too deep is refused.

Every failure is one :class:`~backoffice_marketing.exceptions.UserTemplateError`.
The sandbox cannot stop a single C-level operation that is already running;
for hard guarantees render in a worker process with ``resource`` limits too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import Concat
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from backoffice_marketing.exceptions import UserTemplateError
from backoffice_marketing.foundation.io.limits import (
    MAX_TEMPLATE_OUTPUT,
    MAX_TEMPLATE_RANGE,
    MAX_TEMPLATE_SECONDS,
    MAX_TEMPLATE_SOURCE,
)

__all__ = ["UserTemplateEnvironment", "render_user_template"]

_MAX_INT_BITS = 10_000
_WIDE_FIELD = re.compile(r"\{[^{}]*:[^{}]*\d{9}|%[-#0 +]*(\*|\d{9})")
#: A ``%`` conversion with its optional width and precision (``*`` takes them from the data).
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")
_TOO_BIG = 2**62


def _percent_size(template: str) -> int:
    """An upper bound of the padding that ``template % values`` adds (width and precision)."""
    total = len(template)
    for width, precision in _PERCENT_FIELD.findall(template):
        if "*" in (width, precision):
            return _TOO_BIG  # a width from the data: cannot be bounded before the work
        total += int(width or 0) + int(precision or 0)
    return total


def _format_size(template: str) -> int:
    """An upper bound of the padding that ``template.format(...)`` adds.

    Every number in a field's format spec (fill, width, precision) is counted,
    which over-estimates; a spec that takes its width from an argument
    (``{:{w}}``) is refused, since it cannot be bounded before the work.
    """
    import string  # noqa: PLC0415  (small; used only for user templates)

    total = len(template)
    for _, _, spec, _ in string.Formatter().parse(template):
        if not spec:
            continue
        if "{" in spec:
            return _TOO_BIG
        total += sum(int(digits) for digits in _DIGITS.findall(spec))
    return total


def _int_argument(args: tuple[Any, ...], kwargs: Mapping[str, Any], name: str, default: int) -> int:
    value = args[0] if args else kwargs.get(name, default)
    return value if type(value) is int else default


def _text_size(text: str, method: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """An upper bound of the length of ``text.method(*args, **kwargs)`` (0: not estimated)."""
    if method == "expandtabs":
        return len(text) + text.count("\t") * max(_int_argument(args, kwargs, "tabsize", 8), 0)
    if method in {"center", "ljust", "rjust", "zfill"}:
        return max(len(text), _int_argument(args, kwargs, "width", 0))
    if method == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], args[1]
        count = text.count(old) if old else len(text) + 1
        return len(text) + count * max(len(str(new)) - len(old), 0)
    return 0


def _filter_size(name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """An upper bound of a filter's result from its arguments (0: not estimated)."""
    if not args or not isinstance(args[0], str):
        return 0
    value, rest = args[0], args[1:]
    if name == "format":
        return _percent_size(value) + sum(len(str(item)) for item in rest)
    if name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        width = len(width) if isinstance(width, str) else width if type(width) is int else 4
        return len(value) + (value.count("\n") + 1) * max(width, 0)
    if name == "center":
        return max(len(value), _int_argument(rest, kwargs, "width", 80))
    if name == "replace":
        return _text_size(value, "replace", rest, kwargs)
    return 0


def _limit(detail: str) -> UserTemplateError:
    return UserTemplateError("limit", detail)


class _Generator(CodeGenerator):
    """Compiles ``~`` joins so that the environment checks their size and the deadline."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:  # noqa: N802  (jinja2's name)
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")


class _BoundedRange:
    """``range()`` that checks the deadline as it is iterated."""

    def __init__(self, environment: UserTemplateEnvironment, values: range) -> None:
        self._environment = environment
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[int]:
        for index, value in enumerate(self._values):
            if index % 1024 == 0:
                self._environment.check_time()
            yield value


class UserTemplateEnvironment(ImmutableSandboxedEnvironment):
    """An immutable sandbox with strict undefined names and bounded time and output."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(
        self,
        *,
        autoescape: bool = True,
        finalize: Callable[[Any], Any] | None = None,
        max_output: int = MAX_TEMPLATE_OUTPUT,
        max_seconds: float = MAX_TEMPLATE_SECONDS,
    ) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=autoescape, finalize=finalize)
        self.max_output = max_output
        self.max_seconds = max_seconds
        self.deadline = float("inf")
        self.globals["range"] = self._range
        self.filters = {name: self._bounded(f, name) for name, f in self.filters.items()}

    # -- time and size ------------------------------------------------------------
    def check_time(self) -> None:
        """Raise once the render's deadline has passed."""
        if time.monotonic() > self.deadline:
            raise UserTemplateError("time", f"the render took longer than {self.max_seconds} s")

    def _check_size(self, size: int, what: str) -> None:
        if size > self.max_output:
            raise _limit(f"{what} would be longer than {self.max_output} characters")

    def bounded_text(self, value: Any) -> Any:
        """A ``~`` join, refused when too long."""
        self.check_time()
        self._check_size(len(value), "the joined text")
        return value

    def _check_arguments(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        for value in (*args, *kwargs.values()):
            if type(value) is int and abs(value) > self.max_output:
                raise _limit(f"the number {value} is too large for this call")

    def _range(self, *args: int) -> _BoundedRange:
        self.check_time()
        values = range(*args)
        if len(values) > MAX_TEMPLATE_RANGE:
            raise _limit(f"range() of {len(values)} items; at most {MAX_TEMPLATE_RANGE}")
        return _BoundedRange(self, values)

    def _bounded(self, function: Callable[..., Any], name: str = "") -> Callable[..., Any]:
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.check_time()
            self._check_arguments(args[1:], kwargs)
            # pass_context/pass_environment filters get that first: the value comes after it.
            values = args[1:] if getattr(function, "jinja_pass_arg", None) else args
            self._check_size(_filter_size(name, values, kwargs), f"the result of {name}")
            return function(*args, **kwargs)

        for marker in ("jinja_pass_arg",):  # keep jinja2's pass_context/pass_environment marks
            if hasattr(function, marker):
                setattr(bounded, marker, getattr(function, marker))
        return bounded

    # -- the sandbox's hooks --------------------------------------------------------
    def call(
        __self,  # noqa: N805  (jinja2's signature)
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Every call: the deadline, and no integer argument larger than the output limit.

        (``str.format`` of too wide a field is refused when the method is looked up.)
        """
        __self.check_time()
        __self._check_arguments(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):  # a str method: bound its result before the work
            method = getattr(__obj, "__name__", "")
            __self._check_size(_text_size(owner, method, args, kwargs), f"the result of {method}")
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute lookup, with the deadline; ``str.format`` of too wide a field is refused."""
        self.check_time()
        if (
            isinstance(obj, str)
            and attribute in {"format", "format_map"}
            and (_WIDE_FIELD.search(obj) or _format_size(obj) > self.max_output)
        ):
            raise _limit("a format field is too wide")
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item lookup, with the deadline."""
        self.check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``%`` and ``+`` with their results bounded before they are built."""
        self.check_time()
        if operator == "*":
            self._check_product(left, right)
        elif operator == "**":
            if isinstance(left, int | float) and isinstance(right, int | float):
                bits = max(abs(int(left)), 2).bit_length() * max(int(right), 0)
                if type(left) is int and bits > _MAX_INT_BITS:
                    raise _limit("the power is too large")
                if abs(right) > _MAX_INT_BITS:
                    raise _limit("the exponent is too large")
        elif operator == "%" and isinstance(left, str):
            if _WIDE_FIELD.search(left) or _percent_size(left) > self.max_output:
                raise _limit("a format field is too wide")
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            self._check_size(len(left) + len(right), "the sum")
        return super().call_binop(context, operator, left, right)

    def _check_product(self, left: Any, right: Any) -> None:
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, str | list | tuple | bytes) and type(count) is int:
                self._check_size(len(sequence) * max(count, 0), "the repeated text or list")
        both_int = type(left) is int and type(right) is int
        if both_int and left.bit_length() + right.bit_length() > _MAX_INT_BITS:
            raise _limit("the product is too large")


def render_user_template(
    source: str,
    data: Mapping[str, Any],
    *,
    autoescape: bool = True,
    finalize: Callable[[Any], Any] | None = None,
    max_output: int = MAX_TEMPLATE_OUTPUT,
    max_seconds: float = MAX_TEMPLATE_SECONDS,
) -> str:
    """Render the user-written template ``source`` with ``data``, within bounded time and size.

    Use it for templates you did not write (an administrator's portal page, a
    team's bot message). Pass plain data (``report.to_dict()``), not library
    objects. HTML is autoescaped unless ``autoescape=False``; ``finalize`` is
    applied to every printed value (for Markdown, pass an escaping function).
    """
    if len(source) > MAX_TEMPLATE_SOURCE:
        raise _limit(f"the template is longer than {MAX_TEMPLATE_SOURCE} characters")
    environment = UserTemplateEnvironment(
        autoescape=autoescape, finalize=finalize, max_output=max_output, max_seconds=max_seconds
    )
    try:
        template = environment.from_string(source)
        environment.deadline = time.monotonic() + max_seconds
        parts: list[str] = []
        size = 0
        for chunk in template.generate(**data):
            size += len(chunk)
            environment._check_size(size, "the output")
            environment.check_time()
            parts.append(chunk)
    except UserTemplateError:
        raise
    except jinja2.TemplateSyntaxError as error:
        raise UserTemplateError("syntax", f"line {error.lineno}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise UserTemplateError("undefined", str(error)) from None
    except SecurityError as error:
        raise UserTemplateError("security", str(error)) from None
    except RecursionError:
        raise _limit("the template recurses too deeply") from None
    except MemoryError:  # pragma: no cover - a last resort
        raise _limit("the template needs too much memory") from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        raise UserTemplateError("error", f"{type(error).__name__}: {error}") from None
    return "".join(parts)

"""The catalogue of input-problem messages, in Japanese and English.

A message has a *code* (``expected.integer``) and *arguments* (``found="'yes'"``);
the catalogue (``data/messages.toml``, read on first use) holds its text in
each language with ``{name}`` placeholders. :func:`message` builds the English
text as a :class:`Message`, a ``str`` that remembers its code and arguments,
so that a :class:`~backoffice_marketing.exceptions.Problem` made from it can be
shown again in Japanese.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Self

from backoffice_marketing.exceptions import argument_pairs, install_localisation

__all__ = ["Message", "argument_pairs", "catalogue", "message", "render_message"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Message(str):
    """An English message text that also carries its ``code`` and ``arguments``."""

    code: str
    arguments: tuple[tuple[str, str], ...]

    def __new__(
        cls, text: str = "", code: str = "", arguments: tuple[tuple[str, str], ...] = ()
    ) -> Self:
        """A message whose English text is ``text``."""
        made = super().__new__(cls, text)
        made.code = code
        made.arguments = arguments
        return made


@functools.cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every message code with its ``ja`` and ``en`` texts (read once, on first use)."""
    import tomllib  # noqa: PLC0415  (only when a message is first made)
    from importlib import resources  # noqa: PLC0415

    raw = resources.files("backoffice_marketing.data").joinpath("messages.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    return {code: {"ja": str(texts["ja"]), "en": str(texts["en"])} for code, texts in data.items()}


def render_message(
    code: str, arguments: Mapping[str, object] | Iterable[tuple[str, object]], lang: str
) -> str | None:
    """The text of ``code`` in ``lang`` with ``arguments`` filled in; ``None`` for an unknown code.

    It never raises for any arguments: a placeholder without an argument stays
    as written, and extra arguments are ignored.
    """
    texts = catalogue().get(code)
    if texts is None:
        return None
    values = dict(argument_pairs(arguments))
    template = texts.get(lang, texts["en"])
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def message(code: str, /, **arguments: object) -> Message:
    """The message ``code`` with ``arguments``, as English text that remembers both."""
    pairs = argument_pairs(arguments)
    text = render_message(code, pairs, "en")
    if text is None:  # pragma: no cover - a programming error caught by the catalogue test
        raise KeyError(code)
    return Message(text, code, pairs)


# Problems (in exceptions.py, which imports nothing of the package) show their codes
# through this catalogue; text.py installs the display language.
install_localisation(render=render_message)

"""Text made safe for Mermaid: one place for every label the library puts in a diagram.

Mermaid reads its input line by line, and some renderers put labels into the
SVG as HTML. So every label is quoted where the syntax allows, line breaks and
control characters become single spaces (a newline in a stage name would end
the statement and start a directive), and the characters that Mermaid or HTML
give a meaning (``" < > & # ; : % ` ``) become full-width look-alikes, so that
``<img src=x onerror=...>`` reaches the reader as text, never as markup.
"""

from __future__ import annotations

import re

__all__ = ["flowchart_label", "mermaid_text"]

# Characters that end a Mermaid token, start a comment, an entity or HTML, with
# look-alike replacements; line breaks and other control characters become spaces.
_REPLACEMENTS = str.maketrans(
    {
        ":": "：",
        "#": "＃",
        ";": "；",
        "%": "％",
        "<": "＜",
        ">": "＞",
        "`": "＇",
        '"': "＂",
        "&": "＆",
    }
)
_SPACES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")
# Words that Mermaid's gantt lexer reads as a statement at the start of a line.
_KEYWORDS = re.compile(
    r"(gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes"
    r"|todaymarker|weekday|weekend|title|accdescription|acctitle|accdescr|section|click|call"
    r"|href|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
#: The longest label kept (longer ones are cut with an ellipsis).
MAX_LABEL = 200


def _clean(text: str, fallback: str) -> str:
    value = _SPACES.sub(" ", text.translate(_REPLACEMENTS)).strip() or fallback
    return value if len(value) <= MAX_LABEL else value[: MAX_LABEL - 1] + "…"


def mermaid_text(text: str, fallback: str = "-") -> str:
    """``text`` made safe as a Mermaid gantt title, section or task name (unquoted syntax).

    A text that starts with a Mermaid keyword (``title``, ``section``,
    ``click``, ...) is prefixed with a zero-width space so that it stays a name.
    """
    value = _clean(text, fallback)
    if _KEYWORDS.match(value):
        value = "\u200b" + value
    return value


def flowchart_label(text: str, fallback: str = "-") -> str:
    """``text`` as a quoted flowchart node label, quotes included: ``"..."``."""
    return f'"{_clean(text, fallback)}"'

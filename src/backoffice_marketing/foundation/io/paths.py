"""Field paths inside a document, such as ``answers[3].level``."""

from __future__ import annotations

__all__ = ["FieldPath", "format_path"]

FieldPath = tuple[str | int, ...]


def format_path(path: FieldPath) -> str:
    """Format a field path the way a user reads it: ``answers[3].level``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif out:
            out.append(f".{part}")
        else:
            out.append(part)
    return "".join(out)

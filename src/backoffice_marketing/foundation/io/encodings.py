"""Text encodings of office files: UTF-8 (with or without a byte-order mark) or cp932.

Excel on Japanese Windows saves "CSV" as Shift_JIS (cp932, CRLF line ends);
"CSV UTF-8" adds a byte-order mark. :func:`decode_text` reads all of them:
an explicit ``encoding`` wins; otherwise UTF-8 is tried first (a byte-order
mark is dropped), then cp932. Text that neither decodes is a
:class:`~backoffice_marketing.exceptions.LoadError` naming the file, the line
and the encodings tried. Every CSV reader of the package goes through here.
"""

from __future__ import annotations

import codecs
import re

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.messages import message as _message

__all__ = ["AUTO_ENCODINGS", "decode_text", "detect_encoding", "is_utf8_prefix"]

#: The encodings tried, in order, when none is given.
AUTO_ENCODINGS = ("utf-8", "cp932")
_IMPLAUSIBLE = re.compile("[\x00\x80\xa0\uf8f0-\uf8ff]")


def _undecodable(raw: bytes, file: str, start: int, tried: tuple[str, ...]) -> LoadError:
    line = raw[:start].count(b"\n") + 1
    text = _message("text.undecodable", line=line, byte=start, tried=", ".join(tried))
    return LoadError([Problem(file, line, None, "", text)])


def detect_encoding(raw: bytes, *, file: str, encoding: str | None = None) -> str:
    """The encoding that decodes all of ``raw``: ``encoding`` when given, else the first that fits.

    The answer is ``utf-8-sig`` for UTF-8 (with or without a byte-order mark)
    and ``cp932`` for Shift_JIS text.
    """
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            unknown = _message("text.unknown_encoding", encoding=encoding)
            raise LoadError([Problem(file, None, None, "", unknown)]) from None
        try:
            raw.decode(codec)
        except UnicodeDecodeError as error:
            raise _undecodable(raw, file, error.start, (encoding,)) from None
        return "utf-8-sig" if codec == "utf-8" else codec
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_error = error.start
    else:
        return "utf-8-sig"
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        pass
    else:
        # cp932 maps the single bytes 0x80, 0xA0 and 0xFD-0xFF to private-use characters and
        # lets NUL through: text with those is binary or another encoding, not Excel's CSV.
        if _IMPLAUSIBLE.search(text) is None:
            return "cp932"
    raise _undecodable(raw, file, first_error, AUTO_ENCODINGS)


def decode_text(raw: bytes, *, file: str, encoding: str | None = None) -> str:
    """``raw`` decoded as :func:`detect_encoding` finds (a byte-order mark dropped)."""
    return raw.decode(detect_encoding(raw, file=file, encoding=encoding))


def is_utf8_prefix(raw: bytes) -> bool:
    """Whether ``raw`` (the first bytes of a file) is UTF-8, allowing a cut last character."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the prefix is not an error.
        return error.reason == "unexpected end of data" and error.start >= len(raw) - 3
    return True

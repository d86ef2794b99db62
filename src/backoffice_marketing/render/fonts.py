"""The Japanese font of the charts, registered with vl-convert so that nothing is downloaded.

IPAexGothic comes with the ``[plot]`` extra (``matplotlib-fontja``); both chart
paths (the library's SVG turned into PNG, and the altair exports) draw with it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from backoffice_marketing.exceptions import MissingExtraError

__all__ = ["register_chart_font"]


@functools.cache
def register_chart_font() -> str:
    """Register the IPAexGothic folder of matplotlib-fontja with vl-convert; return the folder."""
    try:
        import matplotlib_fontja  # type: ignore[import-untyped]  # noqa: PLC0415  (optional)
        import vl_convert  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("plot", "vl-convert-python and matplotlib-fontja") from error
    folder = Path(matplotlib_fontja.__file__).parent / "fonts"
    vl_convert.register_font_directory(str(folder))
    return str(folder)

"""The Japanese font of the PNG charts, registered with the SVG rasteriser, nothing downloaded.

The library draws its charts as SVG (:mod:`backoffice_marketing.render.svg_charts`);
:func:`~backoffice_marketing.render.svg_charts.svg_to_png` rasterises them with
vl-convert's bundled resvg (offline, no browser). IPAexGothic comes with the
``[plot]`` extra (``matplotlib-fontja``) and is registered here once, so
Japanese department names draw the same on every machine.
"""

from __future__ import annotations

import functools
from pathlib import Path

from backoffice_marketing.exceptions import MissingExtraError

__all__ = ["register_chart_font"]


@functools.cache
def register_chart_font() -> str:
    """Register the IPAexGothic folder of matplotlib-fontja with the rasteriser; return it."""
    try:
        import matplotlib_fontja  # type: ignore[import-untyped]  # noqa: PLC0415  (optional)
        import vl_convert  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("plot", "vl-convert-python and matplotlib-fontja") from error
    folder = Path(matplotlib_fontja.__file__).parent / "fonts"
    vl_convert.register_font_directory(str(folder))
    return str(folder)

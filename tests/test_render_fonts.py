"""The PNG charts' Japanese font, registered with the SVG rasteriser from the installed package."""

from __future__ import annotations

from pathlib import Path

import pytest

from backoffice_marketing.render.fonts import register_chart_font


def test_the_registered_folder_holds_the_japanese_font() -> None:
    """The folder registered with the rasteriser holds IPAexGothic, and is registered once."""
    pytest.importorskip("vl_convert", reason="the [plot] extra draws PNG charts")
    pytest.importorskip("matplotlib_fontja", reason="the [plot] extra ships the font")
    folder = register_chart_font()
    assert any(path.name.lower().startswith("ipaexg") for path in Path(folder).iterdir())
    assert register_chart_font() == folder

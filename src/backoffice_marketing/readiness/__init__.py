"""Readiness: why a department lags, from a survey and the field's own words.
"""

from __future__ import annotations

from backoffice_marketing.readiness.elements import ELEMENTS, Element

__all__ = ["ELEMENTS", "Element"]

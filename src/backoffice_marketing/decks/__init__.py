"""Decision decks for the management meeting (経営会議): approval and cut-over, as pptx.

:func:`approval_deck` asks to approve an initiative: the decision in one
sentence, the field's voice, the baseline, costs and benefits with payback
and a sensitivity line, risks, the timeline (a Gantt drawn with shapes), and
the team. :func:`cutover_deck` asks to declare the end of the old way: the
company against the majority share, each department's outcome and barrier,
the stranded departments, the dates and the exceptions.

Both are built from the reports of one run (:class:`DeckInputs`; a
workspace gathers them with :meth:`backoffice_marketing.Workspace.deck`), so every
figure is a value of a report's JSON, named with its field in the speaker
notes; the same inputs give byte-identical files. Drawing the pptx needs the
``[deck]`` extra (python-pptx).
"""

from __future__ import annotations

from backoffice_marketing.decks.baseline import Baseline
from backoffice_marketing.decks.build import DeckInputs, approval_deck, build_deck, cutover_deck
from backoffice_marketing.decks.costs import (
    MAX_PAYBACK_MONTHS,
    BaselineAssumptions,
    Benefit,
    BusinessCase,
    Costs,
    Licence,
    Proposal,
    Training,
    business_case,
    load_costs,
)
from backoffice_marketing.decks.figures import Figure
from backoffice_marketing.decks.fit import MIN_POINTS
from backoffice_marketing.decks.model import Deck, DeckKind, GanttRow, Marker, Slide
from backoffice_marketing.decks.overflow import Overflow, overflows
from backoffice_marketing.foundation.public_names import claim_all

__all__ = [
    "MAX_PAYBACK_MONTHS",
    "MIN_POINTS",
    "Baseline",
    "BaselineAssumptions",
    "Benefit",
    "BusinessCase",
    "Costs",
    "Deck",
    "DeckInputs",
    "DeckKind",
    "Figure",
    "GanttRow",
    "Licence",
    "Marker",
    "Overflow",
    "Proposal",
    "Slide",
    "Training",
    "approval_deck",
    "build_deck",
    "business_case",
    "cutover_deck",
    "load_costs",
    "overflows",
]

claim_all(globals(), __name__, __all__)

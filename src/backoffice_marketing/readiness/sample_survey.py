"""The sample company's readiness survey round, generated like its roster and usage log.

The round agrees with the hearings: on the factory floor (製造部) and in the
logistics centre (物流センター) most people know about the change, want it
and know how, but have no device or access to use it at work (ability); a
share of the night shift never heard the briefing (awareness). Elsewhere most
people are ready, with a few whose habit has not taken hold yet
(reinforcement); in the small Nagoya office the briefing invitation never
arrived (awareness). The export is in the Google Forms shape (タイムスタンプ,
所属部署, one column per statement, the free-text question), answers as
Japanese labels; the same seed always gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable

from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.readiness.instrument import AGREEMENT_LABELS, default_instrument

__all__ = ["SURVEY_DAY", "survey_csv"]

#: The day the sample round closed.
SURVEY_DAY = dt.date(2027, 6, 18)
_SEED = 2027_0618
#: Per department: the share of the headcount that answers, and the profile mix
#: (profile name, weight). A profile gives each element's typical score.
_PROFILES: dict[str, dict[Element, int]] = {
    "ready": dict.fromkeys(ELEMENTS, 4),
    "habit": {**dict.fromkeys(ELEMENTS, 4), Element.REINFORCEMENT: 2},
    "no-device": {**dict.fromkeys(ELEMENTS, 4), Element.ABILITY: 2, Element.REINFORCEMENT: 2},
    "not-told": {**dict.fromkeys(ELEMENTS, 4), Element.AWARENESS: 2, Element.ABILITY: 2},
    "how": {**dict.fromkeys(ELEMENTS, 4), Element.KNOWLEDGE: 2},
    "unaware": {**dict.fromkeys(ELEMENTS, 4), Element.AWARENESS: 2},
}
_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "製造部": (("no-device", 14), ("not-told", 4), ("ready", 2)),
    "物流センター": (("no-device", 13), ("not-told", 2), ("how", 2), ("ready", 3)),
    "名古屋営業所": (("unaware", 1), ("ready", 1)),
}
_DEFAULT_MIX = (("ready", 14), ("habit", 4), ("how", 2))
_RESPONSE_SHARE = 0.2
_COMMENTS = {
    "no-device": "現場に共用の端末を置いてほしい",
    "not-told": "夜勤にも説明してほしい",
}


def _answer(rng: random.Random, typical: int) -> int:
    return max(1, min(5, typical + rng.choice((-1, 0, 0, 0, 1))))


def survey_csv(departments: Iterable[tuple[str, int]], *, seed: int = _SEED) -> str:
    """The round as a Google Forms CSV export for ``(department, headcount)`` pairs."""
    instrument = default_instrument()
    labels = AGREEMENT_LABELS["ja"]
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    free = instrument.free_text
    header = [
        "タイムスタンプ",
        "所属部署",
        *(s.ja for s in instrument.statements),
        *((free.ja,) if free is not None else ()),
    ]
    rows: list[list[str]] = []
    minute = 0
    for department, headcount in departments:
        mix = _MIX.get(department, _DEFAULT_MIX)
        count = max(2, round(headcount * _RESPONSE_SHARE)) if department not in _MIX else None
        total = sum(weight for _, weight in mix)
        wanted = count if count is not None else total
        names = [name for name, weight in mix for _ in range(weight)]
        for number in range(wanted):
            profile = names[number % total] if count is None else rng.choice(names)
            typical = _PROFILES[profile]
            # The profile's failing element stays at or below the threshold, so that the
            # round tells one story; the others vary around their typical score.
            answers = [
                labels[5 - (min(3, typical[s.element]) if typical[s.element] < 3
                            else _answer(rng, typical[s.element]))]
                for s in instrument.statements
            ]  # fmt: skip
            minute += 7
            stamp = dt.datetime.combine(SURVEY_DAY - dt.timedelta(days=4), dt.time(8, 0))
            stamp += dt.timedelta(minutes=minute)
            comment = _COMMENTS.get(profile, "") if rng.random() < 0.5 else ""
            rows.append([stamp.strftime("%Y/%m/%d %H:%M:%S"), department, *answers, comment])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()

"""Checklist answers from the voice logs (``Evidence.source == "voice"``).

The rules, item by item (a share of 1 is ``done``, 0 is ``not_done``, and
anything between is ``partial`` with that share as its score):

- ``research.department-coverage``: the share of departments heard within the
  window before the proposal.
- ``research.revisit-laggards``: the share of lagging departments visited
  again since they were found lagging (left out when no laggards are given).
- ``customer_voice.decisions-traced``: the share of design decisions that
  reference at least one known finding.
- ``customer_voice.objections-logged``: the share of logged concerns that
  have had a reply.
- ``two_way.reply-time``: the share of questions replied to within the
  promised number of business days (open ones already past it count as late).
- ``two_way.faq-published``: the share of question themes whose official
  answer is published in the FAQ.
- ``two_way.you-said-we-did``: the share of question themes with at least one
  change made in response.
- ``two_way.pulse-survey``: company-wide participation in the latest pulse
  survey, over the 60 % mark (``done`` at 60 % or more).
- ``two_way.question-channel``: ``done`` when questions arrive and at least
  one arrived anonymously (the channel accepts anonymous posts); ``partial``
  (0.5) when questions arrive but none anonymously; ``not_done`` when the log
  is empty.

An item is left out when its input was not given or holds nothing to judge
(no decisions, no concerns, no themes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backoffice_marketing.core.checklist import Answer, Evidence
from backoffice_marketing.foundation.text import Lang, resolve_lang
from backoffice_marketing.voice.pulse import PARTICIPATION_FLAG

if TYPE_CHECKING:
    from backoffice_marketing.voice.report import VoiceReport

__all__ = ["SOURCE", "report_answers"]

SOURCE = "voice"


def _note(lang: Lang, ja: str, en: str) -> str:
    return ja if lang == "ja" else en


def report_answers(report: VoiceReport, *, lang: Lang | None = None) -> tuple[Answer, ...]:
    """The checklist answers that ``report`` supports (see the module docstring)."""
    checked = resolve_lang(lang)
    answers: list[Answer] = []

    def add(item: str, share: float, reference: str, ja: str, en: str) -> None:
        evidence = Evidence(SOURCE, reference, report.as_of, _note(checked, ja, en))
        answers.append(Answer.from_share(item, share, evidence))

    cov = report.coverage
    if cov is not None and cov.department_share is not None:
        n, total = len(cov.heard), len(cov.departments)
        days, never = (cov.proposal_on - cov.window_start).days, len(cov.never_visited)
        add(
            "research.department-coverage",
            cov.department_share,
            "hearings",
            f"提案前{days}日間に{total}部署中{n}部署でヒアリング。未訪問: {never}部署",
            f"{n} of {total} departments heard in the {days} days before the proposal; "
            f"{never} never visited",
        )
    if report.revisits:
        done = sum(r.done for r in report.revisits)
        total = len(report.revisits)
        add(
            "research.revisit-laggards",
            done / total,
            "hearings",
            f"遅れている{total}部署中{done}部署を再訪問",
            f"{done} of {total} lagging departments revisited",
        )
    tr = report.traceability
    if tr is not None and tr.traced_share is not None:
        add(
            "customer_voice.decisions-traced",
            tr.traced_share,
            "decisions",
            f"設計判断{tr.decisions}件中{len(tr.traced)}件が現場の声に紐づく",
            f"{len(tr.traced)} of {tr.decisions} design decisions trace back to findings",
        )
    if report.concerns:
        add(
            "customer_voice.objections-logged",
            report.concerns_replied / report.concerns,
            "questions",
            f"懸念{report.concerns}件中{report.concerns_replied}件に回答済み",
            f"{report.concerns_replied} of {report.concerns} concerns have a reply",
        )
    st = report.stats
    if st is not None and st.within_promise is not None:
        add(
            "two_way.reply-time",
            st.within_promise,
            "questions",
            f"{st.promised_days}営業日以内の回答率 {st.within_promise:.0%}",
            f"{st.within_promise:.0%} replied within {st.promised_days} business days",
        )
    if report.themes:
        published = sum(row.published_on is not None for row in report.themes)
        total = len(report.themes)
        add(
            "two_way.faq-published",
            published / total,
            "faq",
            f"質問テーマ{total}件中{published}件の公式回答をFAQに掲載",
            f"{published} of {total} question themes have a published official answer",
        )
    theme_ids = {row.id for row in report.themes}
    loop = [row for row in report.loop if row.theme in theme_ids]
    if loop:
        changed = sum(bool(row.changes) for row in loop)
        add(
            "two_way.you-said-we-did",
            changed / len(loop),
            "changes",
            f"質問テーマ{len(loop)}件中{changed}件に対応した変更を公表",
            f"{changed} of {len(loop)} question themes have a change made in response",
        )
    pulse = report.pulse
    if pulse is not None and pulse.company.participation is not None:
        rate = pulse.company.participation
        add(
            "two_way.pulse-survey",
            min(1.0, rate / PARTICIPATION_FLAG),
            f"pulse:{pulse.survey}",
            f"パルスサーベイ {pulse.held_on} の回答率 {rate:.0%}",
            f"pulse survey of {pulse.held_on}: {rate:.0%} took part",
        )
    if report.question_count is not None:
        count, anonymous = report.question_count, report.anonymous_questions
        share = 0.0 if not count else (1.0 if anonymous else 0.5)
        add(
            "two_way.question-channel",
            share,
            "questions",
            f"質問{count}件(うち匿名{anonymous}件)",
            f"{count} questions received, {anonymous} of them anonymous",
        )
    return tuple(answers)

"""Checklist answers from a materials review and from an announcement review.

Every answer says where it came from: ``Evidence(source="materials", ...)``
with the document or plan as ``reference`` and a short note in the chosen
language. A review only answers the items it can actually speak to: a plan
without a reach log says nothing about ``announcement.reach-measured``, and
a long document says nothing about ``materials.one-page`` (a summary may
exist elsewhere).

Items answered:

* from a document: ``materials.why``, ``materials.what-changes``,
  ``materials.when``, ``materials.reader-action`` (partial when the action
  comes late), ``materials.where-to-ask``, ``materials.plain-language``
  (from the style and readability parts of the score), and
  ``materials.one-page`` when the document is short and complete;
* from a plan: ``announcement.two-channels``, ``announcement.lead-time``,
  ``announcement.second-call``, ``announcement.briefing-per-department``
  (each the share of departments that pass; partial in between), and
  ``announcement.reach-measured`` when a reach log was given.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from backoffice_marketing.core.checklist import Answer, AnswerLevel, Evidence
from backoffice_marketing.foundation.text import Lang, resolve_lang
from backoffice_marketing.materials.scoring import (
    READABILITY_SHARE,
    STYLE_SHARE,
    is_one_page,
    item_of_check,
)

if TYPE_CHECKING:
    from backoffice_marketing.materials.announcements import AnnouncementReview
    from backoffice_marketing.materials.review import Review

__all__ = ["SOURCE", "announcement_answers", "fraction_answer", "review_answers"]

#: The evidence source of every answer produced here.
SOURCE = "materials"
#: The plain-language quality at which ``materials.plain-language`` counts as done.
PLAIN_LANGUAGE_DONE = 0.8


def fraction_answer(item: str, fraction: float, evidence: Evidence) -> Answer:
    """Done at 1, not done at 0, partial in between (:meth:`Answer.from_share`)."""
    return Answer.from_share(item, fraction, evidence)


def review_answers(
    review: Review, *, collected_on: dt.date | None = None, lang: Lang | None = None
) -> tuple[Answer, ...]:
    """Answers for the materials items, from one linted document."""
    ja = resolve_lang(lang) == "ja"

    def evidence(note: str) -> Evidence:
        return Evidence(SOURCE, review.source, collected_on, note)

    answers: list[Answer] = []
    for check in review.reader_checks:
        item = item_of_check(check.key)
        if item is None:
            continue
        if check.location is not None and (check.passed or check.unsure):
            where = check.location.describe(lang=lang)
            note = f"{where}:「{check.excerpt}」" if ja else f"{where}: “{check.excerpt}”"
            if check.passed:
                answers.append(Answer(item, AnswerLevel.DONE, evidence=evidence(note)))
                continue
            note = f"答えかどうか要確認。{note}" if ja else f"Maybe answered; check it. {note}"
            answers.append(Answer(item, AnswerLevel.PARTIAL, score=0.5, evidence=evidence(note)))
        else:
            note = "文書中に見当たりません。" if ja else "Not found in the document."
            answers.append(Answer(item, AnswerLevel.NOT_DONE, evidence=evidence(note)))
    action, first = review.check("reader_action"), review.check("conclusion_first")
    if not action.passed:
        note = "読み手へのお願いが見当たりません。" if ja else "No call to action found."
        answers.append(
            Answer("materials.reader-action", AnswerLevel.NOT_DONE, evidence=evidence(note))
        )
    elif first.passed:
        note = (
            "冒頭近くで読み手のやることを伝えています。"
            if ja
            else "The reader's action comes near the top."
        )
        answers.append(Answer("materials.reader-action", AnswerLevel.DONE, evidence=evidence(note)))
    else:
        note = (
            "読み手のやることはありますが、後ろのほうにあります。"
            if ja
            else "The reader's action is there but comes late."
        )
        answers.append(
            Answer(
                "materials.reader-action", AnswerLevel.PARTIAL, score=0.5, evidence=evidence(note)
            )
        )
    quality = (STYLE_SHARE * review.parts.style + READABILITY_SHARE * review.parts.readability) / (
        STYLE_SHARE + READABILITY_SHARE
    )
    band = review.readability.band.label.get(lang)
    note = (
        f"平易さ {quality:.2f}(文体 {review.parts.style:.2f}、読みやすさ「{band}」)"
        if ja
        else f"plain-language quality {quality:.2f} "
        f"(style {review.parts.style:.2f}, readability '{band}')"
    )
    plain = 1.0 if quality >= PLAIN_LANGUAGE_DONE else quality / PLAIN_LANGUAGE_DONE
    answers.append(fraction_answer("materials.plain-language", plain, evidence(note)))
    if is_one_page(review) and all(check.passed for check in review.reader_checks):
        note = (
            "1枚に収まり、五つの問いすべてに答えています。"
            if ja
            else "Fits on one page and answers all five questions."
        )
        answers.append(Answer("materials.one-page", AnswerLevel.DONE, evidence=evidence(note)))
    return tuple(sorted(answers, key=lambda answer: answer.item))


def announcement_answers(
    review: AnnouncementReview, *, collected_on: dt.date | None = None, lang: Lang | None = None
) -> tuple[Answer, ...]:
    """Answers for the announcement items, from a reviewed plan (and its reach log)."""
    ja = resolve_lang(lang) == "ja"
    reference = review.plan.name or f"announcement plan (launch {review.plan.launch})"
    coverage = review.coverage
    total = len(coverage)

    def share(passing: int, what_ja: str, what_en: str) -> tuple[float, Evidence]:
        note = (
            f"{total}部署中{passing}部署が{what_ja}"
            if ja
            else f"{passing} of {total} departments {what_en}"
        )
        return passing / total, Evidence(SOURCE, reference, collected_on, note)

    answers = []
    plan = review.plan
    for item, passing, what_ja, what_en in (
        (
            "announcement.two-channels",
            sum(entry.two_channels for entry in coverage),
            f"開始前に{plan.min_channels}経路以上で告知されています。",
            f"are reached through {plan.min_channels} or more channels before launch.",
        ),
        (
            "announcement.lead-time",
            sum(entry.enough_lead for entry in coverage),
            f"開始の{plan.min_lead_business_days}営業日以上前に告知されています。",
            f"hear about it at least {plan.min_lead_business_days} business days ahead.",
        ),
        (
            "announcement.second-call",
            sum(entry.second_call for entry in coverage),
            "開始後の2度目の呼びかけの対象です。",
            "get a second call after launch.",
        ),
        (
            "announcement.briefing-per-department",
            sum(entry.briefing for entry in coverage),
            "開始前の説明会の対象です。",
            "get a briefing session before launch.",
        ),
    ):
        fraction, evidence = share(passing, what_ja, what_en)
        answers.append(fraction_answer(item, fraction, evidence))
    if review.reach is not None:
        counted = [entry for entry in plan.departments if entry.headcount > 0]
        logged = sum(department.id in review.logged_departments for department in counted)
        base = max(len(counted), 1)
        note = (
            f"届いた記録のある部署:{len(counted)}部署中{logged}部署({review.log_source})"
            if ja
            else f"reach logged for {logged} of {len(counted)} departments ({review.log_source})"
        )
        evidence = Evidence(SOURCE, reference, collected_on, note)
        answers.append(fraction_answer("announcement.reach-measured", logged / base, evidence))
    return tuple(sorted(answers, key=lambda answer: answer.item))

# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assess your own initiative / 自分たちの施策を診断する
#
# This notebook walks through a self-assessment of a back-office initiative against the
# five failure modes, then turns it into a gap report gated by a playbook's stages.
# 自部門の施策を五つの失敗パターンで自己点検し、段階ごとのゲートを含むギャップ診断にします。

# %%
import datetime as dt

import backoffice_marketing as bm

bm.set_display_language("ja")  # 表示は日本語。"en" にすると英語 / "en" for English

checklist = bm.default_checklist()
checklist

# %% [markdown]
# ## 1. Answer the items you know / 分かる項目から回答する
#
# Unanswered items are never counted as zero: they are reported as unanswered.

# %%
assessment = (
    bm.Assessment("paperless-expenses", dt.date(2027, 1, 15))
    .answer("research.department-coverage", "done", reference="hearing-notes-2026Q4.xlsx")
    .answer("research.key-persons", "done")
    .answer("research.constraints", "partial", note="March closing not yet discussed")
    .answer("customer_voice.problem-confirmed", "done")
    .answer("customer_voice.decisions-traced", "partial", score=0.3)
    .answer("materials.why", "not_done", note="the draft rule book starts with the form fields")
    .answer("materials.reader-action", "partial")
    .answer("materials.where-to-ask", "not_done")
    .answer("announcement.two-channels", "not_done")
    .answer("two_way.question-channel", "done")
)
assessment.score(checklist)

# %% [markdown]
# ## 2. The gap report / ギャップ診断
#
# With the playbook, the report says which upcoming stage is blocked first and orders the
# remedies by weight x gap x urgency.

# %%
playbook = bm.load_playbook("paperless-expenses")
report = bm.GapReport.from_assessment(assessment, playbook=playbook, stage="design")
print(report.first_blocked_stage, report.readiness.value)
for remedy in report.remedies[:5]:
    print(remedy.item, round(remedy.priority, 2), remedy.actions[0].en)

# %%
report

# %% [markdown]
# ## 3. Departments, with the privacy floor / 部署別(少人数の保護つき)
#
# Department figures about fewer than five people are rolled up into the parent department.

# %%
departments = [
    bm.Assessment("paperless-expenses", dt.date(2027, 1, 15), bm.Scope("営業部", 120))
    .answer("materials.why", "partial"),
    bm.Assessment("paperless-expenses", dt.date(2027, 1, 15), bm.Scope("営業部 法人課", 4, "営業部"))
    .answer("materials.why", "not_done"),
    bm.Assessment("paperless-expenses", dt.date(2027, 1, 15), bm.Scope("経理部", 18))
    .answer("materials.why", "done"),
]
by_department = bm.GapReport.from_assessment(departments)
[(row.department, row.headcount, row.suppressed) for row in by_department.departments]

# %%
by_department

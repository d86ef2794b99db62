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
# # すべてのレポートを表示する / Every report, displayed
#
# ライブラリが返すレポートを一つずつ表示します。どれも表かグラフとして読める形で出ます。
# グラフはライブラリ自身のSVGで描くので、社内ネットワークでもインターネットなしで表示されます。
#
# Each report the library returns is shown once, as a table or a chart. Charts are the
# library's own SVG, so they show offline, on a company network with no internet access.

# %%
import tempfile
from pathlib import Path

from IPython.display import SVG, display

import backoffice_marketing as bm
from backoffice_marketing import adoption, materials, samples, voice
from backoffice_marketing.app.demo import example_assessment

bm.set_display_language("ja")  # 表示は日本語。"en" にすると英語 / "en" for English
scratch = tempfile.TemporaryDirectory()  # removed in the last cell
folder = Path(scratch.name)

# %% [markdown]
# ## 施策と計画 / The initiative and its plan

# %%
initiative = bm.Initiative.example()
initiative

# %%
playbook = initiative.load_playbook()
playbook

# %%
playbook.stage_graph

# %%
plan = initiative.plan()
plan

# %% [markdown]
# ## 点検と診断 / Checklist, assessment and gap report

# %%
checklist = bm.default_checklist()
checklist

# %%
assessment = example_assessment()
assessment

# %%
assessment.score()

# %%
gap = bm.GapReport.from_assessment(assessment, playbook=playbook, plan=plan)
gap

# %% [markdown]
# ## 利用率 / Adoption
#
# ファイルから計算した利用率は表として出ます(クエリの実行計画ではありません)。
#
# Rates computed from a file come back as a table, not as a query plan.

# %%
roster = samples.write_roster(folder / "roster.csv")
usage = samples.write_usage(folder / "usage.csv")
rates = adoption.adoption_rates(usage, roster, start=samples.LAUNCH, end=samples.AS_OF)
rates.head()

# %%
classification = adoption.classify(rates, target=initiative.target)
classification

# %%
adoption.laggards(rates, target=initiative.target)

# %%
report = adoption.AdoptionRates.from_frame(
    rates,
    target=initiative.target,
    classification=classification,
    order=[unit.id for unit in initiative.departments],
)
report

# %%
display(SVG(report.chart_svg()))

# %%
adoption.funnel(usage, roster, start=samples.LAUNCH, end=samples.AS_OF)

# %%
series = adoption.series_from_rates(rates)
advice = adoption.cutover_advice(
    series,
    target=initiative.target,
    majority=initiative.majority_share,
    notice_days=initiative.notice_days,
    calendar=initiative.business_calendar,
    weights=initiative.headcounts,
    classification=classification,
)
advice

# %%
fit = adoption.fit_bass(list(range(1, 8)), [0.05, 0.2, 0.45, 0.65, 0.78, 0.85, 0.88])
fit

# %%
fit.forecast_date(0.85)

# %% [markdown]
# ## 現場の声 / The voice of the field

# %%
questions = voice.QuestionLog.from_file(samples.sample_file("chat-migration/questions.csv"))
answers = voice.AnswerBook.from_file(samples.sample_file("chat-migration/answers.yaml"))
faq = voice.FAQ.build(questions, answers, departments=initiative.headcounts, as_of=samples.AS_OF)
faq

# %%
voice_report = voice.VoiceReport.build(
    as_of=samples.AS_OF,
    departments=initiative.headcounts,
    hearings=voice.HearingLog.from_file(samples.sample_file("chat-migration/hearings.csv")),
    questions=questions,
    answers=answers,
    calendar=initiative.business_calendar,
)
voice_report

# %% [markdown]
# ## 告知文と告知計画 / The notice and the announcement plan

# %%
review = materials.lint(samples.sample_file("chat-migration/announcement-draft.md"), lang="ja")
review

# %%
announcements = materials.AnnouncementPlan.from_file(
    samples.sample_file("chat-migration/announcement-plan.toml")
).review(log=materials.ReachLog.from_file(samples.sample_file("chat-migration/reach-log.csv")))
announcements

# %% [markdown]
# ## ワークスペース / The workspace
#
# 週ごとの状況と、部門長のページ(最初の画面に成果・つまずき・次の一手)です。
#
# The week's status, and a department head's page (outcome, barrier and next action first).

# %%
from backoffice_marketing.app.cli import main  # noqa: E402
from backoffice_marketing.workspace.dashboard import department_html  # noqa: E402
from backoffice_marketing.workspace.run import load_state, week_status  # noqa: E402

main(["init", str(folder / "ws"), "--example"])
main(["update", str(folder / "ws"), "--today", "2027-06-30"])
workspace = bm.Workspace.open(folder / "ws")
workspace

# %%
state = load_state(workspace, today=samples.AS_OF)
week_status(state)

# %%
from IPython.display import HTML  # noqa: E402

from backoffice_marketing.render.notebook import fragment  # noqa: E402

HTML(fragment(department_html(state, "製造部")))

# %%
workspace.close()
scratch.cleanup()

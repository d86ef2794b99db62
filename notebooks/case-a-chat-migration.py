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
# # ケースA: 社内メールからチャットへ / Case A: moving internal mail to chat
#
# 情報システム部門が社内の連絡手段をメールからチャットに切り替える施策を、
# 同梱のサンプル企業(20部署・1,400人)で最初から最後までたどります。計画を立て、
# 利用ログから部署別の利用率を出し、遅れている部署を見つけ、切り替え日を予測し、
# 最後にギャップ診断で「社内メールを止めてよいか」を判断します。
#
# This notebook follows IT's move from internal email to chat on the bundled sample company
# (20 departments, 1,400 people): plan the rollout, turn the usage log into adoption per
# department, find the lagging departments, forecast the cut-over date, and end with a gap
# report that says whether internal email may be switched off yet.

# %%
import tempfile
from pathlib import Path

import attrs
import polars as pl
from IPython.display import SVG, Markdown

import backoffice_marketing as bm
from backoffice_marketing import samples

bm.set_display_language("ja")  # 表示は日本語。"en" にすると英語 / "en" for English

samples.company_departments()[:4]

# %% [markdown]
# サンプル企業の部署表(`company.csv`)には部署名・人数・親部署が入っています。
# 名古屋営業所は4人だけの小さな拠点で、営業本部の下にあります。後でこの点が効いてきます。
#
# The department table (`company.csv`) holds each department's headcount and parent. The
# Nagoya office (名古屋営業所) has only four people and sits under 営業本部; that matters later.

# %% [markdown]
# ## 1. 計画を立てる / Plan the rollout
#
# 組み込みのプレイブック `chat-migration` は、ケースAの10の手順を段階(現場調査→…→旧方式の終了→定着)
# とタスクに分けたひな形です。開始日と部署表を渡すと、日本の祝日を除いた営業日で日程を組みます。
#
# The built-in `chat-migration` playbook breaks the ten steps of Case A into stages and tasks.
# Given a start date and the department table, it is scheduled on Japanese business days.

# %%
# One initiative, one truth: the target, the majority share, the notice period, the
# privacy floors, the calendar and the departments come from one initiative.toml.
initiative = bm.Initiative.example()
playbook = initiative.load_playbook()
plan = initiative.plan()
plan

# %% [markdown]
# 読み方: 3月15日に始めると、経営会議の承認が3月31日、チャットの利用開始が5月17日、
# 社内メールの停止が7月2日の予定です。部署ごとのヒアリングや説明会は部署の数だけタスクに展開され、
# 推進担当は50人に1人(最低1人)の割合で部署ごとに必要数が出ます(製造部は5人)。
#
# Reading: starting on 15 March, approval falls on 31 March, chat goes live on 17 May and
# internal email is to be switched off on 2 July. Per-department tasks (interviews,
# briefings) are expanded for every department, and each department needs one champion per
# 50 people (at least one; five for 製造部).

# %% [markdown]
# 計画の利用開始日は、サンプルの利用ログの初日(`samples.LAUNCH`)と同じ日です。
#
# The plan's launch day is the first day of the sample usage log (`samples.LAUNCH`).

# %%
pl.DataFrame(
    [
        {"milestone": milestone.kind.value, "date": milestone.date, "task": milestone.task}
        for milestone in plan.milestones
    ]
)

# %% [markdown]
# クリティカルパス(一日でも遅れると完了日が延びるタスクの連なり)と、
# Mermaid形式のガントチャートの冒頭です。`plan.to_mermaid()` の全文は、
# Mermaidを表示できる社内Wikiなどに貼り付けて使えます。
#
# The critical path (the chain of tasks with no slack) and the start of the Mermaid gantt
# chart; paste the whole of `plan.to_mermaid()` into any wiki that renders Mermaid.

# %%
print("\n".join(plan.critical_path[:8]), "...", sep="\n")
print("\n".join(plan.to_mermaid(lang="ja").splitlines()[:10]))

# %% [markdown]
# ## 2. 利用ログから部署別の利用率を出す / Adoption per department from the usage log
#
# サンプルの人事名簿(1人1行、6月1日付の異動3件を含む)と、利用開始日(5月17日)
# から6月30日までのチャット利用ログ(1人1日1行)を一時フォルダにCSVで書き出します。今日は6月30日、
# メール停止の予定日の2日前です。実際の施策では、
# 人事システムとチャットツールから出力したCSVを使います。
#
# Write the sample roster (one row per person, with three transfers on 1 June) and the chat
# usage log (one row per person and day, from the launch on 17 May to 30 June) as CSV files
# in a temporary folder. Today is 30 June, two days before email is due to stop. In a real
# initiative these are exports from the HR system and the chat tool.

# %%
workdir = tempfile.TemporaryDirectory(prefix="case-a-")
folder = Path(workdir.name)
roster = samples.write_roster(folder / "roster.csv")
usage = samples.write_usage(folder / "usage.csv")
pl.read_csv(usage).head(3)

# %% [markdown]
# 週ごとに、部署の在籍人数のうち何人がチャットを使ったかを数えます(`rate`)。`window=28` は、
# 週の最終日までの28日間に一度でも使った人の割合(`window_rate`、静かな週が1回あっても下がらない見方)
# を加え、`lifecycle=True` は「一度も使っていない人」(`never_used`)
# と「以前は使っていたが今週は使っていない人」(`dormant`)を加えます。CSVのパスを渡すと、
# 計算済みの表(polars の DataFrame)が返ります。
#
# Count, each ISO week, how many of each department's people used chat (`rate`).
# `window=28` adds the share active at least once in the 28 days up to the week's end
# (`window_rate`, which one quiet week does not pull down); `lifecycle=True` adds those who
# never used it (`never_used`) and those who used it before but not this week (`dormant`).
# A CSV path gives a computed table (a polars DataFrame).

# %%
rates = bm.adoption.adoption_rates(usage, roster, period="week", window=28, lifecycle=True)
latest_week = rates["period"].max()
rates.filter(pl.col("period") == latest_week).sort("rate")

# %% [markdown]
# 読み方: 最新週(2027-W26、6月28日〜30日)では、ほとんどの部署が9割前後まで使っていますが、
# 製造部は約4割、物流センターは約5割にとどまり、まだ一度も使っていない人(`never_used`)
# が大勢残っています。大阪営業部と総務部は今週だけ見ると9割をわずかに切りますが、
# 28日間で見れば9割を超えています。`unmatched_users` の6人は、
# 名簿にいないのにチャットを使った人(協力会社の方)で、捨てずに数えています。
#
# Reading: in the latest week (2027-W26, 28 to 30 June) most departments are near 90%, but
# 製造部 is at about 40% and 物流センター about 50%, with many people who never used chat
# (`never_used`). 大阪営業部 and 総務部 dip just under 90% this week but are over it across 28
# days. The six `unmatched_users` used chat without being on the roster (contractors): they
# are counted, not dropped.

# %%
bm.adoption.unmatched_users(usage, roster)

# %% [markdown]
# ### 少人数の部署は数字に含めない / Small departments are in no figure
#
# 5人未満の集団の数字は、個人が特定されかねないため出しません。名古屋営業所(4人)
# は上の表になく、営業本部(12人)にも足されません。足すと、名古屋を除いた集計との差で
# 名古屋の数字が分かってしまうからです。
#
# No figure is published about fewer than five people. 名古屋営業所 (four people) is missing
# from the table above and is not added to 営業本部 either: a run without it would give
# its figures by subtraction.

# %%
groups = bm.adoption.department_groups(roster)
groups.suppressed

# %% [markdown]
# ## 3. 部署別の利用率を見える化する / Make adoption visible per department
#
# ケースAの手順7にあたります。まず部署ごとの状況を一つの規則で分類します(順調・遅れ・未着手)。
# グラフ、遅れている部署、切り替えの助言、ギャップ診断はすべてこの分類を使います。
# 各部署の週ごとの利用率の推移と、目標(initiative の target)の線です。
#
# Step 7 of Case A. First classify every department by one rule (on track, lagging, not
# started); the charts, the laggards, the cut-over advice and the gap report all read it.
# Then each department's weekly rate, with the initiative's target line: the flagged
# departments in colour and named, the others in grey, in the initiative's order.

# %%
standings = bm.adoption.classify(rates, target=initiative.target, merges=groups.suppressed)
adoption_report = bm.adoption.AdoptionRates.from_frame(
    rates,
    target=initiative.target,
    classification=standings,
    order=[unit.id for unit in initiative.departments],
)
SVG(adoption_report.chart_svg(lang="ja"))

# %% [markdown]
# 最新週だけを棒グラフにすると、遅れている部署(色付き)と順調な部署(灰色)が一目で分かります。
#
# The latest week as bars: lagging departments in colour, those on track in grey.

# %%
SVG(adoption_report.latest_svg(lang="ja"))

# %% [markdown]
# ## 4. 遅れている部署を見つける / Find the lagging departments
#
# 判定は相対的です: 利用している人の割合のオッズが全社の中央値の半分に満たない部署、
# または自部署のこれまでの伸びから見込まれる値を大きく下回る部署が「遅れ」です。
# 全社の水準が9割でも5%でも、中央値の半分の部署は必ず挙がります。合算した部署も明記されます。
#
# The rule is relative: a department lags when its odds of using chat are under half the
# company median's, or when it falls well below its own trend. A department at half the
# median is flagged whether the median is 90% or 5%. Merged groups are stated.

# %%
lagging = bm.adoption.laggards_from(standings)
Markdown(standings.to_markdown(lang="ja"))

# %% [markdown]
# 読み方: 製造部と物流センターは全社から大きく離れています。名古屋営業所は数字に出ないため、
# ここには挙がりません。小さな拠点の様子は、数字ではなく訪問やヒアリングで確かめます。
# 次はケースAの手順8: 遅れている部署を訪ね、理由を聞くことです。
#
# Reading: 製造部 and 物流センター are far behind the company. The Nagoya office is in no
# figure, so it cannot appear here: how a small office is doing is a question for a visit or
# a hearing, not for the figures. Next is step 8: go and ask why.

# %% [markdown]
# ## 5. 推進担当と利用の段階 / Champions and the adoption funnel
#
# 訪問の結果、各部署に推進担当を置くことにしました。ここでは仮に、
# 名簿で各部署の最初の人を推進担当とし、製造部と物流センターはまだ決まっていないとします。
# 必要数は50人に1人(最低1人)です。
#
# After the visits, each department names chat champions. Here the first person of each
# department on the roster is its champion, and 製造部 and 物流センター have not named one yet.
# A department needs one per 50 people (at least one).

# %%
first_person: dict[str, str] = {}
for person in samples.roster_rows():
    first_person.setdefault(person.department, person.user_id)
champions = [
    user
    for department, user in first_person.items()
    if department not in {"製造部", "物流センター"}
]
coverage = bm.adoption.champion_coverage(roster, champions, on=samples.AS_OF)
pl.DataFrame([attrs.asdict(row) | {"met": row.met} for row in coverage]).sort("met")

# %% [markdown]
# 読み方: 人数の多い部署ほど1人では足りません(東京営業部は4人必要)。
# 営業本部は自部署の推進担当1人で必要数を満たしています(名古屋営業所は数字に含めません)。
#
# Reading: the larger departments need more than one (東京営業部 needs four). 営業本部
# has its own champion, which is enough (the Nagoya office is in no figure).
#
# 利用の段階(ファネル): 使える人 → 直近28日に一度でも使った人 → 4日以上使った人(習慣化) → 推進担当。
#
# The funnel over the last 28 days: enabled → active at least once → active on four or more
# days (a habit) → champions.

# %%
funnel = bm.adoption.funnel(usage, roster, champions=champions)
pl.DataFrame([attrs.asdict(row) for row in funnel]).sort("active")

# %% [markdown]
# 読み方: 使い始めた人はほぼ全員が習慣になっています。製造部と物流センターの課題は「続かない」
# ことではなく「始めていない」ことなので、打ち手は使い方の定着支援ではなく、始めるきっかけ(端末、
# 説明、推進担当)です。
#
# Reading: almost everyone who started has made it a habit. In 製造部 and 物流センター the
# problem is not keeping people going but getting them to start: the remedy is a way in
# (devices, a briefing, a champion), not usage tips.

# %% [markdown]
# ## 6. 旧方式の終了を宣言する / Declare the end of the old way
#
# ケースAの手順9では、大半が移った時点で「社内メールは○日で終了」と宣言し、その宣言が
# 残っていた人たちを動かしました。全社の利用率が宣言の水準(既定で70%)を超えた週の直後に宣言し、
# 周知期間(既定で20営業日)のあとに止めます。それまでに訪問する部署と、止める日に目標に届かない
# 見込みの部署(取り残される部署)が示されます。
#
# Step 9: once most people had moved, IT declared "internal email ends on date X", and the
# declaration moved the rest. The advice declares right after the week the company-wide share
# passed the majority share (70% by default) and switches email off after the notice period
# (20 business days by default), listing the departments to visit first and warning about
# those that would be stranded below the target.

# %%
series = bm.adoption.series_from_rates(rates)
advice = bm.adoption.cutover_advice(
    series,
    target=initiative.target,
    majority=initiative.majority_share,
    notice_days=initiative.notice_days,
    calendar=initiative.business_calendar,
    weights=initiative.headcounts,
    classification=standings,
)
advice

# %% [markdown]
# 読み方: 宣言の日と止める日が決まります。ただし、製造部(頭打ちは4割ほど)と物流センター(5割ほど)
# は、このままでは止める日までに目標に届かず取り残されます。
# 周知期間のうちに訪問し、原因に手を打ちます。早い場合・遅い場合は、期間を再標本化した
# 予測の幅です。
#
# Reading: the advice names a declaration date and a switch-off date. But 製造部 (levelling
# off near 40%) and 物流センター (near 50%) would be stranded below the
# target on that day: visit them during the notice period and act on the causes. Earliest
# and latest come from a bootstrap over the weeks.

# %%
advice.declaration, advice.enforcement, advice.stranded

# ## 7. 根拠つきの回答からギャップ診断へ / From evidence to a gap report
#
# 分析結果を、チェックリストの項目への回答(根拠つき)に変えます。訪問したのは製造部と物流センター、
# 原因に手を打てたのは物流センター(現場用の共用端末を配置)だけ、という状況です。
#
# Turn the analysis into checklist answers, each with its evidence. IT visited 製造部 and
# 物流センター, and has acted on the cause only in 物流センター (shared devices on the floor).

# %%
evidence = [
    bm.adoption.evidence.adoption_measured(
        rates, collected_on=samples.AS_OF, reference="usage.csv"
    ),
    bm.adoption.evidence.laggards_revisited(
        lagging, visited=["製造部", "物流センター"], collected_on=samples.AS_OF
    ),
    bm.adoption.evidence.laggard_follow_up(
        lagging, acted_on=["物流センター"], collected_on=samples.AS_OF
    ),
    bm.adoption.evidence.champions_in_place(coverage, collected_on=samples.AS_OF),
    bm.adoption.evidence.cutover_readiness(advice, collected_on=samples.AS_OF),
]
pl.DataFrame(
    [
        {
            "item": answer.item,
            "level": answer.level.value,
            "score": answer.score,
            "note": answer.evidence.note,
        }
        for answer in evidence
    ]
)

# %% [markdown]
# 5月の説明会前に付けた自己評価(同梱の `chat-migration-assessment.toml`)に、今日の回答を加えます。
# 新しい根拠が優先され、手で付けた回答が集計より優先されるのは、それが新しく理由が書かれているとき
# だけです。手の回答と集計が食い違う項目は、ギャップ診断の最初に「食い違う根拠」として並びます。
#
# Add today's answers to the self-assessment made in May, before the briefings. The newer
# evidence wins; a hand answer overrides computed evidence only when it is newer and gives a
# reason. Items where the two disagree are listed first in the gap report, as conflicts.

# %%
may = bm.Assessment.from_file(samples.sample_file("chat-migration-assessment.toml"))
assessment = attrs.evolve(may, date=samples.AS_OF)
assessment

# 計画のうえでは浸透の加速を終え、旧方式の終了に入る時期です。段階を「acceleration」
# として診断すると、次の段階「旧方式の終了」の関門(全部署が目標に届いているか)が満たされているか、
# 計画ではいつまでに満たされるはずだったかが分かります。
#
# By the plan, acceleration is ending and the cut-over is starting. Diagnosing at the
# acceleration stage shows whether the gate of the next stage, the cut-over (is every
# department at the target?), holds, and by when the plan needed it to.

# %%
report = bm.GapReport.from_assessment(
    assessment,
    playbook=playbook,
    stage="acceleration",
    plan=plan,
    evidence=evidence,
    adoption=standings,
)
[(conflict.item, conflict.kept) for conflict in report.conflicts]

# %%
report

# %% [markdown]
# 読み方: 5月に手で「未実施」とした利用率の測定と推進担当は、今日の集計と食い違うので
# 最初に並び、新しい集計が採用されています。最初に止まるのは「旧方式の終了」で、
# その関門 `two_way.cutover-readiness` は6月29日までに満たされるはずでしたが、満たされていません
# (止める日に取り残される部署があるためです)。優先して打つ手の上位には、5月から残る資料の弱さ
# (なぜ変えるのか)と質問への回答期限が並びます。全社の大半はすでに移っているので終了日は宣言し、
# 計画の7月2日ではなく周知期間を置いた日に止めます。それまでに製造部と物流センターの推進担当を決め、
# 名古屋営業所を訪ねて話を聞き、利用率をもう一度測ります。現場が変わるまでが推進部門の仕事です。
# 日本語の報告書は `report.to_markdown(lang="ja")` や `report.to_html(lang="ja")` で出せます。
#
# Reading: the May hand answers on adoption measured and champions disagree with today's
# figures, so they are listed first and the newer figures are kept. The first blocked stage
# is the cut-over; its gate `two_way.cutover-readiness`
# should have held by 29 June and does not (some departments would be stranded on the
# switch-off day). The top remedies are the weakness left over from May in the materials
# (why we move) and a promised reply time for questions. Most of the company has moved, so
# declare the end date, but switch email off after the notice period rather than on the
# planned 2 July; in between, name champions in 製造部 and 物流センター, visit the
# Nagoya office, and measure again. The job is done when the field has changed.
# `report.to_markdown(lang="ja")` and `report.to_html(lang="ja")` give the report in Japanese.

# %%
workdir.cleanup()

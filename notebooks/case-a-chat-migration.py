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
from IPython.display import Markdown

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
playbook = bm.load_playbook("chat-migration")
plan = bm.Plan.from_playbook(
    playbook, start=samples.PLAN_START, departments=samples.sample_file("company.csv")
)
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
# polarsの遅延評価のフレームが返るので `.collect()` で計算します。
#
# Count, each ISO week, how many of each department's people used chat (`rate`).
# `window=28` adds the share active at least once in the 28 days up to the week's end
# (`window_rate`, which one quiet week does not pull down); `lifecycle=True` adds those who
# never used it (`never_used`) and those who used it before but not this week (`dormant`).
# CSV paths give a lazy polars frame: `.collect()` computes it.

# %%
rates = bm.adoption.adoption_rates(
    usage, roster, period="week", window=28, lifecycle=True
).collect()
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
# ### 少人数の部署は親部署に合算される / Small departments roll up into their parent
#
# 5人未満の集団の数字は、個人が特定されかねないため単独では出しません。名古屋営業所(4人)
# は上の表にはなく、営業本部(12人)に合算されて16人の「営業本部」として出ています。
#
# No figure is published about fewer than five people. 名古屋営業所 (four people) is missing
# from the table above: it is merged into 営業本部, published as one group of 16.

# %%
groups = bm.adoption.department_groups(roster)
groups.suppressed

# %% [markdown]
# ## 3. 部署別の利用率を見える化する / Make adoption visible per department
#
# ケースAの手順7にあたります。各部署の週ごとの利用率の推移と、目標90%の線です。
#
# Step 7 of Case A: each department's weekly rate, with the 90% target line.

# %%
bm.adoption.adoption_chart(rates, lang="ja", target=0.9)

# %% [markdown]
# 最新週だけを棒グラフにすると、目標に届いた部署(青)と届いていない部署(橙)が一目で分かります。
#
# The latest week as bars: departments at the target in blue, the rest in orange.

# %%
bm.adoption.latest_chart(rates, target=0.9, lang="ja")

# %% [markdown]
# ## 4. 遅れている部署を見つける / Find the lagging departments
#
# 三つの理由で判定します: 目標(ここでは80%)未満、全社の中央値から大きく下回る、
# 自部署のこれまでの伸びから見込まれる値を下回る。結果は `Laggard` の組で、
# 表にするには `laggards_markdown` を使います。
#
# Departments are flagged for three reasons: below the target (80% here), well below the
# company median, or below what their own trend predicted. The result is a tuple of
# `Laggard` records; `laggards_markdown` renders it as a table.

# %%
lagging = bm.adoption.laggards(rates, target=0.8)
Markdown(bm.adoption.laggards_markdown(lagging, lang="ja"))

# %% [markdown]
# 読み方: 製造部と物流センターは目標にも中央値にも届いていません。営業本部が挙がっているのは、
# 利用が進まない名古屋営業所が合算されているためです。数字からはどちらが原因か分からないので、
# 訪問するときは両方に話を聞きます。次はケースAの手順8: 遅れている部署を訪ね、理由を聞くことです。
#
# Reading: 製造部 and 物流センター are below both the target and the median. 営業本部 is
# flagged because the slow Nagoya office is merged into it; the figures cannot tell which of
# the two holds it back, so a visit should hear both. Next is step 8: go and ask why.

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
# 営業本部は名古屋営業所の担当者と合わせて2人いて、必要数を満たしています。
#
# Reading: the larger departments need more than one (東京営業部 needs four). 営業本部
# counts two, its own and the Nagoya office's, which is enough.
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
# ## 6. 切り替え日を予測する / Forecast the cut-over date
#
# ケースAの手順9では「社内メールは○日で終了」と宣言します。全部署が目標90%に届く日を、
# 部署ごとに普及曲線(Bassモデル)を当てはめて予測します。届かない部署があれば、
# それが切り替えを止めている部署です。
#
# Step 9 declares "internal email ends on date X". Fit a diffusion curve (the Bass model) to
# each department and forecast when every one reaches 90%; the departments whose curve never
# gets there are the ones blocking the cut-over.

# %%
series = bm.adoption.series_from_rates(rates)
advice = bm.adoption.cutover_advice(series, target=0.9)
advice

# %% [markdown]
# ロジスティック曲線でも予測して比べます。二つのモデルで見込みが食い違う部署があれば、
# 曲線に頼らず現場で確かめます。
#
# The same forecast with a logistic curve. Where the two models disagree, check in the field
# rather than trusting either curve.

# %%
logistic = bm.adoption.cutover_advice(series, target=0.9, model="logistic")
logistic

# %% [markdown]
# 読み方: どちらのモデルでも、今のままでは切り替え日を決められません。
# ほかの部署はすでに90%に届いていますが、製造部(頭打ちは4割ほど)、物流センター(5割ほど)、
# 営業本部(8割ほど)は、このままでは90%に届きません。曲線を延ばしても解決しない、
# 原因に手を打つ必要がある部署です。7月2日の予定どおりにメールを止めると、
# これらの部署の連絡が途切れます。
#
# Reading: neither model can name a cut-over date yet. Every other department has already
# reached 90%, but 製造部 (levelling off near 40%), 物流センター (near 50%) and 営業本部 (near
# 80%) will not get there as things are: waiting will not fix them, acting on the causes
# will. Switching email off on the planned 2 July would cut these departments off.

# %%
advice.ready, advice.blocking

# %% [markdown]
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
    bm.adoption.evidence.cutover_readiness(rates, target=0.9, collected_on=samples.AS_OF),
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
# 人が手で付けた回答は自動で出した回答より優先されるので、5月に手で「未実施」とした項目(推進担当、
# 利用率の測定)は外してから加えます。そうしないと、古い判断が今日の測定結果を上書きしてしまいます。
#
# Add today's answers to the self-assessment made in May, before the briefings. A person's
# answer always beats a computed one, so the May hand answers to the items measured today
# (champions, adoption measured) are dropped first; otherwise the old judgement would hide
# today's figures.

# %%
may = bm.Assessment.from_file(samples.sample_file("chat-migration-assessment.toml"))
measured = {answer.item for answer in evidence}
kept = [answer for answer in may.answers if answer.item not in measured]
assessment = bm.Assessment("chat-migration", samples.AS_OF, answers=kept).with_answers(evidence)
assessment

# %% [markdown]
# 計画のうえでは浸透の加速を終え、旧方式の終了に入る時期です。段階を「acceleration」
# として診断すると、次の段階「旧方式の終了」の関門(全部署が目標に届いているか)が満たされているか、
# 計画ではいつまでに満たされるはずだったかが分かります。
#
# By the plan, acceleration is ending and the cut-over is starting. Diagnosing at the
# acceleration stage shows whether the gate of the next stage, the cut-over (is every
# department at the target?), holds, and by when the plan needed it to.

# %%
report = bm.GapReport.from_assessment(
    assessment, playbook=playbook, stage="acceleration", plan=plan
)
report

# %% [markdown]
# 読み方: 最初に止まるのは「旧方式の終了」で、
# その関門 `two_way.cutover-readiness` は6月29日までに満たされるはずでしたが、満たされていません。
# 優先して打つ手の上位には、5月から残る資料の弱さ(なぜ変えるのか)、質問への回答期限、
# 旧方式を終える判断基準の公表が並びます。7月2日にメールを止めるのは見送り、
# 製造部と物流センターの推進担当を決め、営業本部と名古屋営業所を訪ね、
# 利用率をもう一度測ってから終了日を宣言し直します。現場が変わるまでが推進部門の仕事です。
# 日本語の報告書は `report.to_markdown(lang="ja")` や `report.to_html(lang="ja")` で出せます。
#
# Reading: the first blocked stage is the cut-over; its gate `two_way.cutover-readiness`
# should have held by 29 June and does not. The top remedies are the weakness left over
# from May in the materials (why we move), a promised reply time for questions, and
# published criteria for ending the old way. Hold off the
# switch-off on 2 July: name champions in 製造部 and 物流センター, visit 営業本部 and the
# Nagoya office, measure again, then declare a new end date. The job is done when the field
# has changed.
# `report.to_markdown(lang="ja")` and `report.to_html(lang="ja")` give the report in Japanese.

# %%
workdir.cleanup()

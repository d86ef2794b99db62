"""The one table of input limits (documented in docs/limits.md).

Every reader takes its limits from here, so that no input of at most 1 MiB can
make a command use more than 1 GiB of memory or run longer than 30 seconds.
Figures shared with planning and analytics (periods, rounds, plan length) are
the ones in :mod:`backoffice_marketing.foundation.defaults`.
"""

from __future__ import annotations

from typing import Final

import attrs

from backoffice_marketing.foundation.defaults import MAX_PERIODS, MAX_PLAN_YEARS, MAX_REPEAT_ROUNDS

__all__ = [
    "LIMITS",
    "MAX_ARCHIVE_ENTRIES",
    "MAX_COMPRESSION_RATIO",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_HEADCOUNT",
    "MAX_LOG_BYTES",
    "MAX_LOG_ROWS",
    "MAX_OFFICE_BYTES",
    "MAX_PART_BYTES",
    "MAX_PERIODS",
    "MAX_PLAN_YEARS",
    "MAX_QUESTION_CHARS",
    "MAX_REPEAT_ROUNDS",
    "MAX_SLIDES",
    "MAX_TABLE_BYTES",
    "MAX_TASK_DAYS",
    "MAX_TEMPLATE_OUTPUT",
    "MAX_TEMPLATE_RANGE",
    "MAX_TEMPLATE_SECONDS",
    "MAX_TEMPLATE_SOURCE",
    "MAX_TEXT_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_WEIGHT",
    "MAX_XML_DEPTH",
    "MAX_XML_ELEMENTS",
    "Limit",
]

_MIB = 1024 * 1024

#: A TOML, JSON or YAML document (checklists, assessments, playbooks, answers).
MAX_DOCUMENT_BYTES: Final = 1 * _MIB
#: Containers (tables, arrays, mappings) nested in one document.
MAX_DEPTH: Final = 64
#: A plain text or Markdown notice.
MAX_TEXT_BYTES: Final = 4 * _MIB
#: A Word (.docx) or PowerPoint (.pptx) file, as stored.
MAX_OFFICE_BYTES: Final = 32 * _MIB
#: One uncompressed part of a .docx, .pptx or .xlsx archive.
MAX_PART_BYTES: Final = 32 * _MIB
#: All parts read from one archive, uncompressed; a slide part shared by several
#: slides counts once per slide that uses it.
MAX_UNCOMPRESSED_BYTES: Final = 64 * _MIB
#: Entries (members) of one archive.
MAX_ARCHIVE_ENTRIES: Final = 10_000
#: Uncompressed size over compressed size of one part (zip bombs go far beyond).
MAX_COMPRESSION_RATIO: Final = 200
#: Slides read from one presentation.
MAX_SLIDES: Final = 2_000
#: Elements nested in one XML part.
MAX_XML_DEPTH: Final = 256
#: XML elements read from one document (over all its parts; shared slides count per use).
MAX_XML_ELEMENTS: Final = 1_000_000
#: A questions or hearings table (CSV or xlsx).
MAX_TABLE_BYTES: Final = 16 * _MIB
#: One question or feedback text, in characters (the FAQ builder refuses longer ones).
MAX_QUESTION_CHARS: Final = 5_000
#: A log (usage events, reach log, roster, department list) in CSV or Parquet.
MAX_LOG_BYTES: Final = 64 * _MIB
#: Rows of one log file (CSV lines, or rows a Parquet file's metadata declares): a
#: compressed Parquet file can declare far more rows than its bytes suggest.
MAX_LOG_ROWS: Final = 5_000_000
#: People in one department.
MAX_HEADCOUNT: Final = 10**7
#: Weight of one checklist item; weights are finite and in (0, MAX_WEIGHT].
MAX_WEIGHT: Final = 100
#: Duration of one task, in days (a plan lasts at most MAX_PLAN_YEARS).
MAX_TASK_DAYS: Final = MAX_PLAN_YEARS * 366
#: A user-supplied template, in characters.
MAX_TEMPLATE_SOURCE: Final = 256 * 1024
#: Output of one template render, in characters.
MAX_TEMPLATE_OUTPUT: Final = 16 * _MIB
#: Items of one ``range()`` inside a template.
MAX_TEMPLATE_RANGE: Final = 100_000
#: Wall-clock seconds one template render may take.
MAX_TEMPLATE_SECONDS: Final = 5.0


@attrs.frozen
class Limit:
    """One row of the limits table."""

    name: str
    value: int | float
    unit: str
    en: str
    ja: str


#: The documented table, in the order of docs/limits.md.
LIMITS: Final = (
    Limit(
        "MAX_DOCUMENT_BYTES",
        MAX_DOCUMENT_BYTES,
        "bytes",
        "TOML, JSON or YAML document",
        "TOML・JSON・YAML 文書",
    ),
    Limit("MAX_DEPTH", MAX_DEPTH, "levels", "nesting of one document", "文書の入れ子の深さ"),
    Limit(
        "MAX_TEXT_BYTES",
        MAX_TEXT_BYTES,
        "bytes",
        "text or Markdown notice",
        "テキスト・Markdown の文書",
    ),
    Limit(
        "MAX_OFFICE_BYTES",
        MAX_OFFICE_BYTES,
        "bytes",
        "a .docx or .pptx file",
        ".docx・.pptx ファイル",
    ),
    Limit(
        "MAX_PART_BYTES",
        MAX_PART_BYTES,
        "bytes",
        "one uncompressed archive part",
        "アーカイブ内の 1 パート（展開後）",
    ),
    Limit(
        "MAX_UNCOMPRESSED_BYTES",
        MAX_UNCOMPRESSED_BYTES,
        "bytes",
        "all parts read, shared slides once per use",
        "読んだ全パートの合計（共有スライドは使うたびに数える）",
    ),
    Limit(
        "MAX_ARCHIVE_ENTRIES",
        MAX_ARCHIVE_ENTRIES,
        "members",
        "members of one archive",
        "アーカイブのメンバー数",
    ),
    Limit(
        "MAX_COMPRESSION_RATIO",
        MAX_COMPRESSION_RATIO,
        "ratio",
        "compression ratio of one part",
        "1 パートの圧縮率",
    ),
    Limit(
        "MAX_SLIDES",
        MAX_SLIDES,
        "slides",
        "slides of one presentation",
        "1 つのプレゼンテーションのスライド数",
    ),
    Limit(
        "MAX_XML_DEPTH",
        MAX_XML_DEPTH,
        "levels",
        "nesting of one XML part",
        "XML パートの入れ子の深さ",
    ),
    Limit(
        "MAX_XML_ELEMENTS",
        MAX_XML_ELEMENTS,
        "elements",
        "XML elements of one document",
        "1 文書の XML 要素数",
    ),
    Limit(
        "MAX_TABLE_BYTES",
        MAX_TABLE_BYTES,
        "bytes",
        "questions or hearings table",
        "質問・ヒアリングの表",
    ),
    Limit(
        "MAX_QUESTION_CHARS",
        MAX_QUESTION_CHARS,
        "characters",
        "one question text grouped into FAQ themes",
        "FAQ テーマに分ける質問 1 件の文字数",
    ),
    Limit(
        "MAX_LOG_BYTES",
        MAX_LOG_BYTES,
        "bytes",
        "usage log, reach log, roster",
        "利用ログ・到達ログ・名簿",
    ),
    Limit(
        "MAX_LOG_ROWS",
        MAX_LOG_ROWS,
        "rows",
        "rows of a usage log or roster (CSV lines, Parquet rows)",
        "利用ログ・名簿の行数（CSV の行、Parquet の行）",
    ),
    Limit(
        "MAX_PERIODS", MAX_PERIODS, "periods", "periods of one rate table", "1 つの率の表の期間数"
    ),
    Limit(
        "MAX_REPEAT_ROUNDS",
        MAX_REPEAT_ROUNDS,
        "rounds",
        "rounds of a repeated stage",
        "繰り返すステージの回数",
    ),
    Limit(
        "MAX_PLAN_YEARS",
        MAX_PLAN_YEARS,
        "years",
        "plan length after its start",
        "計画の長さ（開始から）",
    ),
    Limit("MAX_TASK_DAYS", MAX_TASK_DAYS, "days", "duration of one task", "1 タスクの期間"),
    Limit("MAX_HEADCOUNT", MAX_HEADCOUNT, "people", "headcount of one department", "1 部署の人数"),
    Limit(
        "MAX_WEIGHT",
        MAX_WEIGHT,
        "weight",
        "weight of one checklist item, in (0, 100]",
        "チェック項目の重み（0 より大きく 100 以下）",
    ),
    Limit(
        "MAX_TEMPLATE_SOURCE",
        MAX_TEMPLATE_SOURCE,
        "characters",
        "user template source",
        "利用者テンプレートの長さ",
    ),
    Limit(
        "MAX_TEMPLATE_OUTPUT",
        MAX_TEMPLATE_OUTPUT,
        "characters",
        "output of one render",
        "1 回の描画の出力",
    ),
    Limit(
        "MAX_TEMPLATE_RANGE",
        MAX_TEMPLATE_RANGE,
        "items",
        "one range() in a template",
        "テンプレート内の range() の要素数",
    ),
    Limit(
        "MAX_TEMPLATE_SECONDS",
        MAX_TEMPLATE_SECONDS,
        "seconds",
        "time of one render",
        "1 回の描画の時間",
    ),
)

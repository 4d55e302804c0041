"""What a correct reader must read from each file in tests/data/variants/ (issue 8).

The variants are the seed reports (tests/golden_seeds.py), corpus 012 and
corpus 014 (tests/golden_markdown.py) written again in the shapes reports
really arrive in: Word-exported HTML whose grid does not line up with the
format, Markdown extracted from PDFs, flattened web text. The files are
written by tests/data/variants/build_variants.py from the values below.

Every expected table is a hand-written golden table with the changes listed
beside each variant (written by hand, with the reason). Nothing here comes
from gxaudit's output.

Cell encoding (as in golden_seeds.py), plus three markers:
  * ``int`` / ``(kind, value, unit)``: that cell exactly;
  * ``UNREADABLE``: two placements or readings fit the file, so the cell must
    be reported unreadable (``"unreadable": true``), never a number, never a
    plain empty cell;
  * ``Either(v)``: the readings that fit all agree on ``v`` here, so ``v`` or
    unreadable are both right (a reader may leave a whole ambiguous row
    unreadable), never another number, never a plain empty cell;
  * ``OneOf(specs)``: any of these (one cell only, where the goldens and issue 8
    differ: see m04).

Findings: `allowed` lists the report's own findings of the kinds the tests
police (structure, subsections, balance, cells but GX-CEL-007), as
(rule, (table, row, column) or None for any place); `required` the findings a
correct reader must give. GX-CEL-001 on a cell expected EMPTY is always
allowed (the report left it blank); GX-CEL-008 on a row with UNREADABLE or
Either cells is always allowed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from golden_markdown import GOLDEN as MARKDOWN_GOLDEN
from golden_seeds import GOLDEN as SEED_GOLDEN

APPLICATION_COLUMNS = ("natural_person", "commercial", "research", "social", "legal", "other", "total")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
EMPTY = ("empty", None, None)


class _Unreadable:
    def __repr__(self) -> str:
        return "UNREADABLE"

    def __deepcopy__(self, memo) -> _Unreadable:
        return self  # one marker, compared by identity


UNREADABLE = _Unreadable()


@dataclass(frozen=True)
class Either:
    """The value every fitting reading agrees on; unreadable is right too."""

    value: object


@dataclass(frozen=True)
class OneOf:
    """Any of these specs is right (a cell the goldens and issue 8 read differently)."""

    specs: tuple


def row(*values):
    """A table-three row in printed column order."""
    assert len(values) == 7, values
    return dict(zip(APPLICATION_COLUMNS, values))


def block(*values):
    """A table-four block in printed column order."""
    assert len(values) == 5, values
    return dict(zip(REVIEW_COLUMNS, values))


def derive(golden: dict, changes: dict) -> dict:
    """The three tables of a golden entry with changes applied.

    Keys: ("applications", row) -> row(...); ("review_litigation", block) ->
    block(...); ("proactive", block, row, column) -> cell; ("applications",
    row, column) -> cell."""
    tables = {t: copy.deepcopy(golden[t]) for t in ("proactive", "applications", "review_litigation")}
    for key, value in changes.items():
        target = tables[key[0]]
        for part in key[1:-1]:
            target = target[part]
        if key[-1] not in target:
            raise KeyError(f"{key}: no such cell in the golden table")
        if isinstance(target[key[-1]], dict) and not isinstance(value, dict):
            raise TypeError(f"{key}: a whole row needs row(...) or block(...)")
        target[key[-1]] = copy.deepcopy(value)  # shared row(...) dicts must not be edited in place
    return tables


# ------------------------------------------------------------------ values

SEED_004 = "004_e00e53dea6302a83.txt"  # 景泰县 2020, format 2019, many non-zero numbers
SEED_000 = "000_f29079d135fdfab1.txt"  # 半坡镇 2020, format 2019
SEED_002 = "002_44a23edc808f0eac.txt"  # 焦虎镇 2021, format 2021

# 004 with non-zero table four (the seed's is all 0, where a shifted cell cannot
# be told from a right one). The blocks add up.
T4_NONZERO = {
    ("review_litigation", "review"): block(2, 1, 0, 1, 4),
    ("review_litigation", "litigation_direct"): block(1, 0, 0, 0, 1),
    ("review_litigation", "litigation_after_review"): block(0, 0, 1, 0, 1),
}

# 000 with one more application, handled under 5.要求行政机关确认… (the row whose
# label the seed already prints out of line): new 2, results 2. Balances. (The
# prose still says 申请1件: GX-NAR-001 is this variant's own; it is not policed.)
V000 = {
    ("applications", "new"): row(2, 0, 0, 0, 0, 0, 2),
    ("applications", "rejected_confirm"): row(1, 0, 0, 0, 0, 0, 1),
    ("applications", "results_total"): row(2, 0, 0, 0, 0, 0, 2),
}

# 002 (format 2021, all zero in the seed) with some applications, three columns
# in use, every identity holding:
#   new 3,0,1 = granted 2 + denied_process 1 + other_no_correction (research) 1.
B21 = {
    ("applications", "new"): row(3, 0, 1, 0, 0, 0, 4),
    ("applications", "granted"): row(2, 0, 0, 0, 0, 0, 2),
    ("applications", "denied_process"): row(1, 0, 0, 0, 0, 0, 1),
    ("applications", "other_no_correction"): row(0, 0, 1, 0, 0, 0, 1),
    ("applications", "results_total"): row(3, 0, 1, 0, 0, 0, 4),
}

# Corpus 012 (沭阳县发展和改革局 2023, format 2021), read by hand from the page
# (the same reading as tests/test_html_adapter.py): natural person and total
# carry the numbers, the five 法人或其他组织 cells are blank in every row.
_012_ROWS = {
    "new": 26, "carried_over": 0, "granted": 26, "partial": 0, "denied_secret": 0,
    "denied_law": 0, "denied_security": 0, "denied_third_party": 0, "denied_internal": 0,
    "denied_process": 0, "denied_case_file": 0, "denied_query": 0, "unable_not_held": 0,
    "unable_need_create": 0, "unable_unclear": 0, "rejected_petition": 0, "rejected_repeat": 0,
    "rejected_publication": 0, "rejected_mass": 0, "rejected_confirm": 0,
    "other_no_correction": 0, "other_no_fee": 0, "other_misc": 0, "results_total": 26,
    "carried_forward": 0,
}
GOLDEN_012 = {
    "title": "沭阳县发展和改革局2023年政府信息公开年度报告",
    "year": 2023,
    "format": "2021",
    "proactive": {
        "item1": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
                  "normative_docs": {"issued": 8, "repealed": 0, "in_force": 18}},
        "item5": {"licensing": {"decisions": 0}},
        "item6": {"penalty": {"decisions": 0}, "enforcement": {"decisions": 0}},
        "item8": {"fees": {"amount": 0}},
    },
    "applications": {r: row(v, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, v) for r, v in _012_ROWS.items()},
    "review_litigation": {
        "review": block(0, 0, 0, 1, 1),
        "litigation_direct": block(0, 0, 0, 0, 0),
        "litigation_after_review": block(0, 0, 0, 0, 0),
    },
}

MD_014 = "014_shanghai_kewei_2024_pdf2md.md"


def golden_of(name: str) -> dict:
    if name == "012":
        return GOLDEN_012
    if name == MD_014:
        return MARKDOWN_GOLDEN[MD_014]
    return SEED_GOLDEN[name]


# ------------------------------------------------------------------ variants

# The findings a misreading causes: all of these categories except GX-CEL-007 (info:
# digits split by inference, said so).
POLICED_CATEGORIES = ("structure", "subsections", "balance", "cells")
NOT_POLICED = ("GX-CEL-007",)


@dataclass
class Variant:
    file: str  # under tests/data/variants/
    base: str  # seed file name, "012" or the 014 file name
    shapes: tuple[str, ...]  # what the file does to the tables
    changes: dict = field(default_factory=dict)  # expected changes to the base's golden tables
    allowed: tuple = ()  # the report's own policed findings: (rule, (table, row, column) | None)
    required: tuple = ()  # findings a correct reader must give
    note: str = ""
    # flattened text: the digit run the page prints for one row, (table, row, digits);
    # row is None for table four (its fifteen cells are one run)
    run: tuple | None = None

    @property
    def kind(self) -> str:
        return self.file.split("/")[0]

    @property
    def id(self) -> str:
        return self.file.split("/")[1].rsplit(".", 1)[0]

    @property
    def tables(self) -> dict:
        return derive(golden_of(self.base), self.changes)

    @property
    def year(self) -> int:
        return golden_of(self.base)["year"]

    @property
    def format(self) -> str:
        return golden_of(self.base)["format"]


def _unreadable_row(row_id: str, unreadable: tuple[str, ...], values: tuple) -> dict:
    """A table-three row whose `unreadable` columns are UNREADABLE and the others Either."""
    out = {}
    for column, value in zip(APPLICATION_COLUMNS, values):
        out[("applications", row_id, column)] = UNREADABLE if column in unreadable else Either(value)
    return out


# 012's own part-five heading (存在的主要问题及整改措施) is a variant wording.
OWN_012 = (("GX-STR-005", None),)
# 014's own outline restarts its numbering (see golden_markdown.py).
OWN_014 = (("GX-STR-002", None), ("GX-STR-003", None))

HTML = [
    Variant(
        "html/h01_004_word_export.html", SEED_004,
        ("Word export: one table per part, header rows with colspan/rowspan (法人或其他组织 "
         "colspan=5 over 商业企业…其他, 总计 rowspan), row labels over two and three cells with "
         "rowspan (三、本年度办理结果 / （三）不予公开 …), <th> headers, every cell's text inside "
         "<p><span>, header words broken over paragraphs (本年新</p><p>制作数量)",),
    ),
    Variant(
        "html/h02_004_value_colspan.html", SEED_004,
        ("a value cell with colspan=2 over two header columns: item8 (0 under 上一年项目数量 and "
         "本年增/减), item9 (177 under 采购项目数量 and 采购总金额), table three rows 新收, 予以公开 "
         "and 总计 (the first number spanning the label area and 自然人); the row's number of "
         "value cells equals the format's columns, so each maps in order",),
    ),
    Variant(
        "html/h03_004_header_colspan.html", SEED_004,
        ("a header cell spanning two value cells, the number in either of them and the other "
         "blank: item1 对外公开总数量, item5 本年增/减, table three 总计 (every row: the blank "
         "before or after the total), table four 行政复议 总计",),
        changes=T4_NONZERO,
        note="table four made non-zero (T4_NONZERO) so that a shifted cell shows",
    ),
    Variant(
        "html/h04_000_short_rows.html", SEED_000,
        ("rows with one cell fewer than their neighbours: a rowspan one row short (（五）不予处理 "
         "rowspan=4, so 5.要求行政机关确认… starts one column left and its numbers sit one grid "
         "column left of the header), 三、本年度办理结果 rowspan two short ((六)其他处理, (七)总计 "
         "start at the left edge), the trailing blank grid column present in some rows and "
         "missing in others, item8/item9 rows of three cells in a four-column table",),
        changes=V000,
    ),
    Variant(
        "html/h05_012_blank_forms.html", "012",
        ("corpus 012 with its blank cells written every way pages write them: &nbsp;, <br>, "
         "<p>&nbsp;</p>, empty <td></td>, <span>&nbsp;</span>, U+3000, <p><br></p>; table two's "
         "values inside <p><span>",),
        allowed=OWN_012,
    ),
    Variant(
        "html/h06_012_split_tables.html", "012",
        ("tables split into two <table> elements: table two after item5; table three after "
         "4.保护第三方合法权益, its second part repeating the three header rows and dropping the "
         "三、本年度办理结果 cell (rows one cell narrower than the first part); table four's "
         "header and data row in separate tables",),
        allowed=OWN_012,
    ),
    Variant(
        "html/h07_002_th_nested_2021.html", SEED_002,
        ("format 2021 with <th> for every header cell, labels in <p><strong>/<span>, header "
         "words in two paragraphs (商业</p><p>企业), row labels over cells with rowspan "
         "(（六）其他处理 rowspan=3), 本年处理决定数量 / 本年收费金额 headers colspan=3 over one "
         "number and two blank cells (the number first, in the middle, or last)",),
        changes=B21,
    ),
    Variant(
        "html/h08_004_ambiguous_colspan.html", SEED_004,
        ("ambiguous by construction: item6 行政处罚 has two value cells for three columns, "
         "the first (255) with colspan=2 under 上一年项目数量 and 本年增/减 (headers without "
         "spans): 255 may be either, the other number is not printed",),
        changes={
            ("proactive", "item6", "penalty", "prev_items"): UNREADABLE,
            ("proactive", "item6", "penalty", "change"): UNREADABLE,
        },
    ),
    Variant(
        "html/h09_004_ambiguous_short_row.html", SEED_004,
        ("ambiguous by construction: item5 其他对外管理服务事项 has two plain cells (431, "
         "296626) for three columns, no span saying which is missing; table three "
         "2.没有现成信息需要另行制作 has six cells (3 0 0 0 0 3) for seven: the row sum and the "
         "column identities fix 3 under 自然人 and 3 under 总计, but any of the four zero "
         "columns between them may be the missing one",),
        changes={
            ("proactive", "item5", "other_services", "prev_items"): UNREADABLE,
            ("proactive", "item5", "other_services", "change"): UNREADABLE,
            ("proactive", "item5", "other_services", "decisions"): UNREADABLE,
            **_unreadable_row("unable_need_create", ("commercial", "research", "social", "legal", "other"),
                              (3, 0, 0, 0, 0, 0, 3)),
        },
    ),
]

MARKDOWN = [
    Variant(
        "markdown/m01_002_renamed_columns.md", SEED_002,
        ("table three's applicant columns renamed 数据1…数据6 by the extractor (header row "
         "only; the data rows are whole)",),
        changes=B21,
    ),
    Variant(
        "markdown/m02_004_repeated_header.md", SEED_004,
        ("table three's three header rows repeated between 5.属于三类内部事务信息 and "
         "6.属于四类过程性信息 (a page break), with a second separator row; table four's header "
         "repeated before its data row",),
    ),
    Variant(
        "markdown/m03_004_split_labels.md", SEED_004,
        ("row labels split over two rows: 2.没有现成信息需要另行 / 制作 (numbers on the first "
         "row), 1.本机关不掌握相关 / 政府信息 (numbers on the second), and 2.其他法律行政法规禁 / "
         "止公开 as two loose lines before a label-less row of numbers",),
    ),
    Variant(
        "markdown/m04_014_loose_value.md", MD_014,
        ("corpus 014 with table two's 规范性文件 本年制发件数 cell moved out of its row as loose "
         "text right under the table: “13（其中修订 5 件）” (the note in brackets annotates the "
         "count: the cell is 13)",),
        changes={("applications", "carried_forward", "total"): OneOf((1, UNREADABLE, EMPTY))},
        allowed=OWN_014 + (("GX-CEL-001", ("applications", "carried_forward", "total")),),
        note=("carried_forward/总计: golden_markdown.py leaves it EMPTY (the lone “1” on l.172 is "
              "not tied to it by anything in the file); issue 8 would place it by the identities. "
              "Both readings are accepted here, and unreadable."),
    ),
    Variant(
        "markdown/m05_004_footers.md", SEED_004,
        ("page footers inside tables, with no blank line around them: “— 3 —” between two rows "
         "of table three, “- 4 -” inside item5, “第 5 页” and “第 5 页 共 8 页” between table "
         "four's header and its numbers",),
    ),
    Variant(
        "markdown/m06_002_dropped_headings.md", SEED_002,
        ("headings dropped by the extractor: part headings 三、 and 四、 (their tables follow the "
         "previous table directly) and the block heading 第二十条第（六）项 (its rows 行政处罚, "
         "行政强制 can only be item6)",),
        changes=B21,
        allowed=(("GX-STR-001", None),),
        note="the missing part headings are missing from the file: GX-STR-001 is allowed",
    ),
    Variant(
        "markdown/m07_002_combined.md", SEED_002,
        ("several shapes at once: applicant columns 数据1…数据6, the header repeated inside "
         "table three, a label split over two rows, “- 3 -” inside table three, and table two's "
         "行政规范性文件 本年制发件数 moved out as loose text “22（其中修订 16 件）”",),
        changes={**B21, ("proactive", "item1", "normative_docs", "issued"): 22},
    ),
]

# Flattened pages: the table-three rows written as digit runs (see
# build_variants.py); the changes below are the values the runs print.
F04_VALUES = {  # 103's shape: a results row printed with a broken sum, columns consistent
    ("applications", "new"): row(13, 0, 1, 0, 0, 0, 14),
    ("applications", "granted"): row(12, 1, 0, 0, 0, 0, 12),
    ("applications", "denied_process"): row(1, 0, 0, 0, 0, 0, 1),
    ("applications", "other_no_correction"): row(0, 0, 1, 0, 0, 0, 1),
    ("applications", "results_total"): row(13, 1, 1, 0, 0, 0, 14),
}
F05_VALUES = {  # results_total's 自然人 printed 2 (a typo for 12)
    ("applications", "new"): row(12, 0, 1, 0, 0, 0, 13),
    ("applications", "granted"): row(11, 0, 0, 0, 0, 0, 11),
    ("applications", "denied_process"): row(1, 0, 0, 0, 0, 0, 1),
    ("applications", "other_no_correction"): row(0, 0, 1, 0, 0, 0, 1),
    ("applications", "results_total"): row(2, 0, 1, 0, 0, 0, 13),
}


def _review(*values) -> dict:
    assert len(values) == 15
    return {("review_litigation", b): block(*values[5 * i:5 * i + 5]) for i, b in enumerate(REVIEW_BLOCKS)}


FLATTENED = [
    Variant(
        "flattened/f01_forced_broken_row_sum.txt", SEED_002,
        ("予以公开 printed “2100002”: seven digits for seven cells, one reading only "
         "(2,1,0,0,0,0,2), and 2+1≠2: read as printed, the broken sum is the report's defect",),
        changes={**B21, ("applications", "granted"): row(2, 1, 0, 0, 0, 0, 2)},
        required=(("GX-BAL-001", ("applications", "granted", None)),),
        allowed=(("GX-BAL-001", ("applications", "granted", None)),
                 ("GX-BAL-002", ("applications", None, "commercial"))),
        run=("applications", "granted", "2100002"),
    ),
    Variant(
        "flattened/f02_short_run_one_blank_position.txt", SEED_002,
        ("本年新收 printed “310004”: six digits for seven cells, so one cell is blank; only "
         "a blank under 商业企业 fits (elsewhere 3 or 1 lands in a column whose identities "
         "then fail, or 4 lands under 其他)",),
        changes={**B21, ("applications", "new", "commercial"): EMPTY},
        run=("applications", "new", "310004"),
    ),
    Variant(
        "flattened/f03_short_run_two_blank_positions.txt", SEED_002,
        ("1.申请人无正当理由逾期不补正… printed “010001”: six digits for seven cells; a blank "
         "under 自然人 or under 商业企业 both fit every identity (0 and blank change no sum): "
         "those two cells are unreadable; the other five read the same either way",),
        changes={**B21, **_unreadable_row("other_no_correction", ("natural_person", "commercial"),
                                          (0, 0, 1, 0, 0, 0, 1))},
        # the values are not guessed, and a blank cell is certain all the same (GX-CEL-010)
        required=(
            ("GX-CEL-008", ("applications", "other_no_correction", None)),
            ("GX-CEL-010", ("applications", "other_no_correction", None)),
        ),
        run=("applications", "other_no_correction", "010001"),
    ),
    Variant(
        "flattened/f04_min_break_unique.txt", SEED_002,
        ("103's shape with a longer run: 予以公开 “121000012”, 总计 “13 1 1 0 0 0 14” (read "
         "directly). No reading of the run satisfies every identity; 12,1,0,0,0,0,12 breaks "
         "one (its row sum), every other reading breaks three or more of the identities the "
         "run's cells enter: read it, the row sum is the report's defect",),
        changes={**B21, **F04_VALUES},
        required=(("GX-BAL-001", ("applications", "granted", None)),),
        allowed=(("GX-BAL-001", ("applications", "granted", None)),
                 ("GX-BAL-001", ("applications", "results_total", None)),
                 ("GX-BAL-003", ("applications", None, "commercial"))),
        note=("Identities are counted among those the run's cells enter (its row sum, the results "
              "identity of each column): the results_total row sum and the 勾稽 of 商业企业 are "
              "broken by the printed 总计 whatever the run says. In a complete table three no "
              "defect can break a single identity instance overall (the row sums and the column "
              "identities are linearly dependent)."),
        run=("applications", "granted", "121000012"),
    ),
    Variant(
        "flattened/f05_min_break_tie.txt", SEED_002,
        ("予以公开 “110000011” with 总计 printed “2 0 1 0 0 0 13” (自然人 2, a typo for 12): "
         "11,0,…,11 breaks the 自然人 results identity, 1,10,…,11 the 商业企业 one; a tie, so "
         "自然人 and 商业企业 of 予以公开 are unreadable",),
        changes={**B21, **F05_VALUES,
                 **_unreadable_row("granted", ("natural_person", "commercial"), (11, 0, 0, 0, 0, 0, 11))},
        required=(("GX-CEL-008", ("applications", "granted", None)),),
        allowed=(("GX-BAL-001", ("applications", "results_total", None)),
                 ("GX-BAL-003", ("applications", None, "natural_person"))),
        run=("applications", "granted", "110000011"),
    ),
    Variant(
        "flattened/f06_table_four_15_digits.txt", SEED_000,
        ("format 2019; table four printed “300131000100000”: fifteen digits for fifteen cells, "
         "行政复议 3,0,0,1,3 with 3+1≠3 (as 008 prints a wrong 总计): read as printed",),
        changes={**V000, **_review(3, 0, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)},
        required=(("GX-BAL-004", ("review_litigation", "review", None)),),
        allowed=(("GX-BAL-004", ("review_litigation", "review", None)),),
        run=("review_litigation", None, "300131000100000"),
    ),
    Variant(
        "flattened/f07_table_four_multi_digit.txt", SEED_002,
        ("table four printed “30010131000100000”: seventeen digits for fifteen cells; only "
         "3,0,0,10,13 | 1,0,0,0,1 | 0,0,0,0,0 makes every 总计 the sum of its block",),
        changes={**B21, **_review(3, 0, 0, 10, 13, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)},
        run=("review_litigation", None, "30010131000100000"),
    ),
    Variant(
        "flattened/f08_table_four_min_break_unique.txt", SEED_002,
        ("table four printed “0100091000101001”: sixteen digits, no reading satisfies all three "
         "blocks; 0,10,0,0,9 | 1,0,0,0,1 | 0,1,0,0,1 breaks one (行政复议 10≠9), the other four "
         "readings break two or three: read it, 行政复议's 总计 is the report's defect",),
        changes={**B21, **_review(0, 10, 0, 0, 9, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1)},
        required=(("GX-BAL-004", ("review_litigation", "review", None)),),
        allowed=(("GX-BAL-004", ("review_litigation", "review", None)),),
        run=("review_litigation", None, "0100091000101001"),
    ),
    Variant(
        "flattened/f09_table_four_tie.txt", SEED_002,
        ("table four printed “10100100000000000”: seventeen digits, no reading satisfies all "
         "blocks and five readings break one each (10,1,0,0,10 / 1,0,10,0,10 / …): unreadable; "
         "the two litigation blocks read 0 in all five",),
        changes={**B21,
                 **{("review_litigation", "review", c): UNREADABLE for c in REVIEW_COLUMNS},
                 **{("review_litigation", b, c): Either(0)
                    for b in REVIEW_BLOCKS[1:] for c in REVIEW_COLUMNS}},
        required=(("GX-CEL-008", ("review_litigation", None, None)),),
        run=("review_litigation", None, "10100100000000000"),
    ),
]

VARIANTS = HTML + MARKDOWN + FLATTENED

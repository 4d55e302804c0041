"""Writes the reading variants of issue 8 (html/, markdown/, flattened/ beside this file).

    python tests/data/variants/build_variants.py

Each file is a seed report (../shared/seeds), corpus 012 or corpus 014 written
again in a shape real reports arrive in. The numbers come from the values in
tests/variants_expected.py (the hand-written goldens with the changes listed
there); the shapes are written out below, one function per file. The files
are committed: the tests read them, they do not rebuild them. Nothing here
uses gxaudit.
"""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[1]
sys.path.insert(0, str(TESTS))

import variants_expected as X  # noqa: E402

SHARED = Path(os.environ.get("GXAUDIT_SHARED", TESTS.parents[0].parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"

CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_secret": "1.属于国家秘密",
    "denied_law": "2.其他法律行政法规禁止公开",
    "denied_security": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal": "5.属于三类内部事务信息",
    "denied_process": "6.属于四类过程性信息",
    "denied_case_file": "7.属于行政执法案卷",
    "denied_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_need_create": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确",
    "rejected_petition": "1.信访举报投诉类申请",
    "rejected_repeat": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_mass": "4.无正当理由大量反复申请",
    "rejected_confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other_handling": "（六）其他处理",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "results_total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUPS = {  # first row of a group -> (group label, rows in the group)
    "denied_secret": ("（三）不予公开", 8),
    "unable_not_held": ("（四）无法提供", 3),
    "rejected_petition": ("（五）不予处理", 5),
    "other_no_correction": ("（六）其他处理", 3),
}
RESULTS_LABEL = "三、本年度办理结果"
APPLICANTS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
REVIEW_SUB = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

T2 = {
    "2019": [
        ("item1", "第二十条第（一）项", ("本年新|制作数量", "本年新|公开数量", "对外公开总数量"),
         [("rules", "规章"), ("normative_docs", "规范性文件")]),
        ("item5", "第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
        ("item6", "第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         [("penalty", "行政处罚"), ("enforcement", "行政强制")]),
        ("item8", "第二十条第（八）项", ("上一年项目数量", "本年增/减"), [("fees", "行政事业性收费")]),
        ("item9", "第二十条第（九）项", ("采购项目数量", "采购总金额"), [("procurement", "政府集中采购")]),
    ],
    "2021": [
        ("item1", "第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
         [("rules", "规章"), ("normative_docs", "行政规范性文件")]),
        ("item5", "第二十条第（五）项", ("本年处理决定数量",), [("licensing", "行政许可")]),
        ("item6", "第二十条第（六）项", ("本年处理决定数量",),
         [("penalty", "行政处罚"), ("enforcement", "行政强制")]),
        ("item8", "第二十条第（八）项", ("本年收费金额（单位：万元）",), [("fees", "行政事业性收费")]),
    ],
}


# ------------------------------------------------------------------ values as printed

def printed(value, column: str = "") -> str:
    """A golden cell as the report prints it."""
    if isinstance(value, X.Either):
        value = value.value
    if value is X.UNREADABLE:
        raise ValueError("an unreadable cell has no printed form: write it in the variant")
    if isinstance(value, int):
        return f"+{value}" if column == "change" and value > 0 else str(value)
    kind, v, unit = value
    if kind == "empty":
        return ""
    if kind == "number":
        return f"+{v}" if column == "change" and v > 0 else str(v)
    if kind == "number_with_unit":
        return f"{v}{unit}"
    raise ValueError(f"no printed form for {value!r}")


@dataclass
class Values:
    fmt: str
    t2: dict  # block -> row -> column -> text
    t3: dict  # row -> [7 texts]
    t4: list  # 15 texts


def values_of(variant: X.Variant, overrides: dict | None = None) -> Values:
    """The printed values of a variant: its golden tables with its changes, then
    `overrides` (what the page prints where the expectation is UNREADABLE)."""
    tables = X.derive(X.golden_of(variant.base), {k: v for k, v in variant.changes.items()
                                                if v is not X.UNREADABLE and not isinstance(v, (X.Either, X.OneOf))})
    t2 = {b: {r: {c: printed(v, c) for c, v in cols.items()} for r, cols in rows.items()}
          for b, rows in tables["proactive"].items()}
    t3 = {r: [printed(cols[c]) for c in X.APPLICATION_COLUMNS] for r, cols in tables["applications"].items()}
    t4 = [printed(tables["review_litigation"][b][c]) for b in X.REVIEW_BLOCKS for c in X.REVIEW_COLUMNS]
    for key, text in (overrides or {}).items():
        if key[0] == "proactive":
            t2[key[1]][key[2]][key[3]] = text
        elif key[0] == "applications":
            t3[key[1]][X.APPLICATION_COLUMNS.index(key[2])] = text
    return Values(variant.format, t2, t3, t4)


# ------------------------------------------------------------------ seed prose

HEADING = re.compile(r"^\s*(?:\[bookmark: _GoBack\])?([一二三四五六])、")


def seed_lines(name: str) -> tuple[str, list[tuple[str | None, str]]]:
    """The title and the prose lines of a seed, each with the part numeral it
    opens (None for body lines); the tables' lines (between parts 二 and 五) are left out."""
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    lines = [line.replace("[bookmark: _GoBack]", "") for line in lines]
    title_lines = []
    index = 0
    while not HEADING.match(lines[index]):
        if lines[index].strip():
            title_lines.append(lines[index].strip())
        index += 1
    # a title broken over lines is joined; the paragraphs after it stay prose
    title = title_lines[0]
    rest = title_lines[1:]
    out: list[tuple[str | None, str]] = [(None, t) for t in rest]
    in_tables = False
    for line in lines[index:]:
        match = HEADING.match(line) if "\t" not in line else None  # not a table row's label
        if match:
            numeral = match.group(1)
            in_tables = numeral in "二三四"
            out.append((numeral, line.strip()))
            continue
        if in_tables or "\t" in line or not line.strip():
            continue
        out.append((None, line.strip()))
    return title, out


# ------------------------------------------------------------------ HTML tables

@dataclass
class C:
    """One HTML table cell."""

    text: str = ""
    cs: int = 1
    rs: int = 1
    th: bool = False
    raw: str | None = None  # HTML written as is (blank forms)


def t2_rows(v: Values) -> dict[str, list[list[C]]]:
    """Table two as a Word export: one grid of label + three columns; per block a heading
    row, a header row and its data rows (a block with fewer columns spans its last one)."""
    out = {}
    for item, heading, headers, rows in T2[v.fmt]:
        block = [[C(heading, cs=4)]]
        header = [C("信息内容")] + [C(h) for h in headers]
        header[-1].cs = 4 - len(headers)
        block.append(header)
        for row_id, label in rows:
            texts = list(v.t2[item][row_id].values())
            cells = [C(label)] + [C(t) for t in texts]
            cells[-1].cs = 4 - len(headers)
            block.append(cells)
        out[item] = block
    return out


def t3_rows(v: Values) -> tuple[list[list[C]], dict[str, list[C]]]:
    """Table three as a Word export: three label columns, seven value columns."""
    header = [
        [C(CAPTION, cs=3, rs=3), C("申请人情况", cs=7)],
        [C("自然人", rs=2), C("法人或其他组织", cs=5), C("总计", rs=2)],
        [C(a) for a in APPLICANTS],
    ]
    row_ids = list(v.t3)
    results = [r for r in row_ids if r not in ("new", "carried_over", "carried_forward")]
    body: dict[str, list[C]] = {}
    for row_id in row_ids:
        values = [C(t) for t in v.t3[row_id]]
        label = T3_LABELS[row_id]
        if row_id in ("new", "carried_over", "carried_forward"):
            cells = [C(label, cs=3)]
        else:
            cells = [C(RESULTS_LABEL, rs=len(results))] if row_id == "granted" else []
            if row_id in GROUPS:
                group, size = GROUPS[row_id]
                cells += [C(group, rs=size), C(label)]
            elif row_id.startswith(("denied_", "unable_", "rejected_", "other_")) and row_id != "other_handling":
                cells += [C(label)]
            else:
                cells += [C(label, cs=2)]
        body[row_id] = cells + values
    return header, body


def t4_rows(v: Values) -> tuple[list[list[C]], list[C]]:
    header = [
        [C("行政复议", cs=5), C("行政诉讼", cs=10)],
        [C(s, rs=2) for s in REVIEW_SUB] + [C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
        [C(s) for s in REVIEW_SUB * 2],
    ]
    return header, [C(t) for t in v.t4]


@dataclass
class Style:
    nest: bool = False  # <p><span> around every text (Word)
    th_headers: bool = False  # header cells as <th>
    blanks: tuple[str, ...] = ("",)  # how blank cells are written, in turn


class Renderer:
    def __init__(self, style: Style):
        self.style = style
        self.blank_index = 0

    def text(self, text: str) -> str:
        parts = [html.escape(p) for p in text.split("|")]
        if self.style.nest:
            return "".join(f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt">{p}</span></p>'
                           for p in parts)
        return "".join(f"<p>{p}</p>" for p in parts) if len(parts) > 1 else parts[0]

    def cell(self, c: C, header: bool) -> str:
        tag = "th" if c.th or (header and self.style.th_headers) else "td"
        attrs = (f' colspan="{c.cs}"' if c.cs > 1 else "") + (f' rowspan="{c.rs}"' if c.rs > 1 else "")
        if c.raw is not None:
            inner = c.raw
        elif c.text == "":
            inner = self.style.blanks[self.blank_index % len(self.style.blanks)]
            self.blank_index += 1
        else:
            inner = self.text(c.text)
        return f"<{tag}{attrs}>{inner}</{tag}>"

    def table(self, rows: list[tuple[bool, list[C]]]) -> str:
        out = ['<table border="1" cellspacing="0" cellpadding="0"><tbody>']
        for header, cells in rows:
            out.append("<tr>" + "".join(self.cell(c, header) for c in cells) + "</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)


def flat_t2(blocks: dict[str, list[list[C]]]) -> list[tuple[bool, list[C]]]:
    """Table two's rows, header rows marked."""
    out = []
    for rows in blocks.values():
        for index, cells in enumerate(rows):
            out.append((index < 2, cells))
    return out


def page(title: str, prose: list[tuple[str | None, str]], tables: dict[str, list[str]]) -> str:
    """A web page: the seed's paragraphs, each part's tables after its heading."""
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">',
           f"<title>{html.escape(title)}</title></head><body>",
           '<nav><a href="/">首页</a> &gt; <a href="/gk">政府信息公开</a> &gt; 年度报告</nav>',
           f"<h1>{html.escape(title)}</h1>", '<div id="zoomcon">']
    for numeral, text in prose:
        out.append(f"<p>{html.escape(text)}</p>")
        if numeral in tables:
            out.extend(tables[numeral])
    out.append("</div><footer>网站地图 | 联系我们 | 主办单位</footer></body></html>")
    return "\n".join(out) + "\n"


def html_from_seed(variant: X.Variant, tables: dict[str, list[str]]) -> str:
    title, prose = seed_lines(variant.base)
    return page(title, prose, tables)


def html_from_012(tables: list[str]) -> str:
    """Corpus 012 with its three tables replaced (`tables`: the HTML for each, in order)."""
    source = (CORPUS / "012_shuyang_fgj_2023.html").read_text(encoding="utf-8")
    parts = re.split(r"<table.*?</table>", source, flags=re.S)
    assert len(parts) == 4, len(parts)
    source = parts[0] + tables[0] + parts[1] + tables[1] + parts[2] + tables[2] + parts[3]
    return source.replace("<!-- source page", "<!-- variant of corpus 012 (tests/data/variants); source page")


def word_tables(v: Values, style: Style, t2=None, t3=None, t4=None) -> dict[str, list[str]]:
    """The three tables rendered; t2/t3/t4 edit the rows first."""
    blocks = t2_rows(v)
    head3, body3 = t3_rows(v)
    head4, data4 = t4_rows(v)
    if t2:
        t2(blocks)
    if t3:
        t3(head3, body3)
    if t4:
        t4(head4, data4)
    r = Renderer(style)
    return {
        "二": [r.table(flat_t2(blocks))],
        "三": [r.table([(True, c) for c in head3] + [(False, c) for c in body3.values()])],
        "四": [r.table([(True, c) for c in head4] + [(False, data4)])],
    }


# ---- one function per HTML variant

def h01(variant):
    v = values_of(variant)
    return html_from_seed(variant, word_tables(v, Style(nest=True, th_headers=True)))


def h02(variant):
    v = values_of(variant)

    def t2(blocks):
        # item8: header 上一年项目数量 over grid columns 1-2, 本年增/减 over 3; value 0 over 2-3
        header, data = blocks["item8"][1], blocks["item8"][2]
        header[1].cs, header[2].cs = 2, 1
        data[1].cs, data[2].cs = 1, 2
        # item9: header as exported (采购总金额 over 2-3); value 177 over 1-2, amount over 3
        data = blocks["item9"][2]
        data[1].cs, data[2].cs = 2, 1

    def t3(head, body):
        # the first number spans the label area's last grid column and 自然人
        body["new"][0].cs = 2
        body["new"][1].cs = 2
        body["results_total"][0].cs = 1
        body["results_total"][1].cs = 2
        body["granted"][1].cs = 1  # （一）予以公开 over one column, its first value over two
        body["granted"][2].cs = 2

    return html_from_seed(variant, word_tables(v, Style(), t2=t2, t3=t3))


def h03(variant):
    v = values_of(variant)

    def t2(blocks):
        # item1: 对外公开总数量 spans two value cells: blank then the number
        header = blocks["item1"][1]
        header[3].cs = 2
        for data in blocks["item1"][2:]:
            data.insert(3, C(""))
        blocks["item1"][0][0].cs = 5
        # item5: 本年增/减 spans two value cells: the number then a blank (licensing),
        # a blank then the number (other_services)
        header = blocks["item5"][1]
        header[2].cs = 2
        blocks["item5"][2].insert(3, C(""))
        blocks["item5"][3].insert(2, C(""))
        blocks["item5"][0][0].cs = 5
        for item in ("item6", "item8", "item9"):
            blocks[item][0][0].cs = 5
            blocks[item][1][-1].cs += 1
            for data in blocks[item][2:]:
                data[-1].cs += 1

    def t3(head, body):
        head[0][1].cs = 8  # 申请人情况
        head[1][2].cs = 2  # 总计 over two value cells
        for index, cells in enumerate(body.values()):
            # the total in the right-hand cell of 总计 (even rows) or the left one (odd rows)
            cells.insert(len(cells) - 1 if index % 2 == 0 else len(cells), C(""))

    def t4(head, data):
        head[0][0].cs = 6  # 行政复议
        head[1][4].cs = 2  # its 总计 over two value cells
        data.insert(4, C(""))

    return html_from_seed(variant, word_tables(v, Style(), t2=t2, t3=t3, t4=t4))


def h04(variant):
    v = values_of(variant)

    def t2(blocks):
        # item8 and item9: three cells in a four-column table (no span, no trailing cell)
        for item in ("item8", "item9"):
            for cells in blocks[item][1:]:
                cells[-1].cs = 1

    def t3(head, body):
        # a trailing blank grid column, as the seed's trailing tabs show
        head[0].append(C("", rs=3))
        row_ids = list(body)
        for index, row_id in enumerate(row_ids):
            if index % 3 != 1:  # every third row has lost its trailing blank cell
                body[row_id].append(C(""))
        # （五）不予处理 spans four rows, not five: 5.要求行政机关确认… starts one column left
        body["rejected_petition"][0].rs = 4
        # 三、本年度办理结果 spans two rows too few: (六)其他处理 and (七)总计 start at the left
        # edge, with their label over two columns only (as the seed prints them)
        body["granted"][0].rs -= 2

    return html_from_seed(variant, word_tables(v, Style(blanks=("",)), t2=t2, t3=t3))


BLANK_FORMS = ("&nbsp;", "<br>", "<p>&nbsp;</p>", "", "<span>&nbsp;</span>", "\u3000", "<p><br></p>")


def _012_values() -> Values:
    variant = next(x for x in X.HTML if x.base == "012")
    return values_of(variant)


def _012_t2(v: Values, r: Renderer) -> list[tuple[bool, list[C]]]:
    """Table two as 012 prints it: one-column blocks span columns 1-3."""
    return flat_t2(t2_rows(v))


def h05(variant):
    v = values_of(variant)
    r = Renderer(Style(nest=True, blanks=BLANK_FORMS))
    head3, body3 = t3_rows(v)
    head4, data4 = t4_rows(v)
    tables = [
        r.table(_012_t2(v, r)),
        r.table([(True, c) for c in head3] + [(False, c) for c in body3.values()]),
        r.table([(True, c) for c in head4] + [(False, data4)]),
    ]
    return html_from_012(tables)


def h06(variant):
    v = values_of(variant)
    r = Renderer(Style(blanks=("&nbsp;",)))
    t2 = flat_t2(t2_rows(v))
    split2 = next(i for i, (_, cells) in enumerate(t2) if cells[0].text == "第二十条第（六）项")
    head3, body3 = t3_rows(v)
    rows = list(body3.items())
    cut = [row_id for row_id, _ in rows].index("denied_internal")
    first = [(True, c) for c in head3] + [(False, cells) for _, cells in rows[:cut]]
    # the second part: the header repeated, 三、本年度办理结果 not repeated (each row one
    # cell narrower), （三）不予公开 re-opened over its last four rows
    second = [(True, [C(CAPTION, cs=2, rs=3), C("申请人情况", cs=7)]), (True, head3[1]), (True, head3[2])]
    body_rows = []
    for row_id, cells in rows[cut:]:
        cells = [c for c in cells if c.text != RESULTS_LABEL]
        if row_id == "denied_internal":
            cells = [C("（三）不予公开", rs=4)] + cells
        if row_id == "carried_forward":
            cells[0].cs = 2
        body_rows.append((False, cells))
    # the rowspans cut by the split
    for _, cells in first:
        for c in cells:
            if c.text == RESULTS_LABEL:
                c.rs = cut - 2
            if c.text == "（三）不予公开":
                c.rs = 4
    head4, data4 = t4_rows(v)
    tables = [
        r.table(t2[:split2]) + "\n<p>&nbsp;</p>\n" + r.table(t2[split2:]),
        r.table(first) + "\n<p>&nbsp;</p>\n" + r.table(second + body_rows),
        r.table([(True, c) for c in head4]) + "\n" + r.table([(False, data4)]),
    ]
    return html_from_012(tables)


def h07(variant):
    v = values_of(variant)

    def t2(blocks):
        # one number and two blank cells under a header spanning three columns
        for item, position in (("item5", 0), ("item6", 1), ("item8", 2)):
            for cells in blocks[item][2:]:
                number = cells[1].text
                cells[1:] = [C("") for _ in range(3)]
                cells[1 + position] = C(number)
        for cells in blocks["item1"][2:]:
            cells[0] = C(cells[0].text, raw=f"<p><strong>{cells[0].text}</strong></p>")

    def t3(head, body):
        head[2] = [C(a.replace("企业", "|企业").replace("机构", "|机构").replace("组织", "|组织"))
                   for a in APPLICANTS]
        body["granted"][0] = C(RESULTS_LABEL, rs=body["granted"][0].rs,
                               raw=f"<p><span><strong>{RESULTS_LABEL}</strong></span></p>")

    style = Style(nest=False, th_headers=True, blanks=("", "&nbsp;"))
    return html_from_seed(variant, word_tables(v, style, t2=t2, t3=t3))


def h08(variant):
    # the page prints 255 over two columns and 322: the -42 of the seed is not printed
    v = values_of(variant, {("proactive", "item6", "penalty", "prev_items"): "255",
                            ("proactive", "item6", "penalty", "change"): ""})

    def t2(blocks):
        cells = blocks["item6"][2]
        assert cells[0].text == "行政处罚"
        blocks["item6"][2] = [cells[0], C("255", cs=2), cells[3]]

    return html_from_seed(variant, word_tables(v, Style(nest=True), t2=t2))


def h09(variant):
    v = values_of(variant, {("proactive", "item5", "other_services", "prev_items"): "431",
                            ("proactive", "item5", "other_services", "change"): "",
                            ("proactive", "item5", "other_services", "decisions"): "296626",
                            ("applications", "unable_need_create", "commercial"): "0"})

    def t2(blocks):
        cells = blocks["item5"][3]
        assert cells[0].text == "其他对外管理服务事项"
        blocks["item5"][3] = [cells[0], C("431"), C("296626")]

    def t3(head, body):
        cells = body["unable_need_create"]
        assert cells[0].text == T3_LABELS["unable_need_create"]
        body["unable_need_create"] = [cells[0]] + [C(t) for t in ("3", "0", "0", "0", "0", "3")]

    return html_from_seed(variant, word_tables(v, Style(nest=True), t2=t2, t3=t3))


# ------------------------------------------------------------------ Markdown

def pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def separator(width: int) -> str:
    return "|" + "---|" * width


def md_t2(v: Values) -> list[str]:
    out = []
    for item, heading, headers, rows in T2[v.fmt]:
        out.append(pipe([heading, "", "", ""]))
        if not out[1:]:
            out.append(separator(4))
        out.append(pipe(["信息内容"] + [h.replace("|", "") for h in headers] + [""] * (3 - len(headers))))
        for row_id, label in rows:
            texts = list(v.t2[item][row_id].values())
            out.append(pipe([label] + texts + [""] * (3 - len(texts))))
    return out


def md_t3_header(renamed: bool = False) -> list[list[str]]:
    applicants = [f"数据{i}" for i in range(2, 7)] if renamed else list(APPLICANTS)
    natural = "数据1" if renamed else "自然人"
    return [
        [CAPTION, "", "申请人情况", "", "", "", "", "", ""],
        ["", "", natural, "法人或其他组织", "", "", "", "", "总计"],
        ["", "", ""] + applicants + [""],
    ]


def md_t3_rows(v: Values) -> dict[str, list[str]]:
    out = {}
    for row_id, texts in v.t3.items():
        label = T3_LABELS[row_id]
        if row_id in ("new", "carried_over", "carried_forward"):
            first, second = label, ""
        elif row_id == "granted":
            first, second = RESULTS_LABEL, label
        elif row_id in GROUPS:
            first, second = GROUPS[row_id][0], label
        else:
            first, second = "", label
        out[row_id] = [first, second] + list(texts)
    return out


def md_t4(v: Values) -> list[list[str]]:
    return [
        ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
        list(REVIEW_SUB) + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [""] * 5 + list(REVIEW_SUB) * 2,
        list(v.t4),
    ]


def md_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    out = [pipe(rows[0] + [""] * (width - len(rows[0]))), separator(width)]
    out += [pipe(r + [""] * (width - len(r))) for r in rows[1:]]
    return out


def md_page(variant: X.Variant, tables: dict[str, list[str]], drop: tuple[str, ...] = ()) -> str:
    """The seed as extracted Markdown: headings as plain lines, tables as pipe tables."""
    title, prose = seed_lines(variant.base)
    out = [title, ""]
    for numeral, text in prose:
        if numeral not in drop:
            out.append(text)
        if numeral in tables:
            out.append("")
            out.extend(tables[numeral])
            out.append("")
    return "\n".join(out) + "\n"


def md_parts(v: Values, t3_rows: list[str] | None = None, t4: list[str] | None = None,
             t2: list[str] | None = None) -> dict[str, list[str]]:
    if t3_rows is None:
        body = md_t3_rows(v)
        t3_rows = md_table(md_t3_header() + list(body.values()))
    return {"二": t2 if t2 is not None else md_t2(v), "三": t3_rows,
            "四": t4 if t4 is not None else md_table(md_t4(v))}


def m01(variant):
    v = values_of(variant)
    body = md_t3_rows(v)
    return md_page(variant, md_parts(v, md_table(md_t3_header(renamed=True) + list(body.values()))))


def m02(variant):
    v = values_of(variant)
    body = md_t3_rows(v)
    rows = list(body.items())
    cut = [r for r, _ in rows].index("denied_process")
    lines = md_table(md_t3_header() + [cells for _, cells in rows[:cut]])
    repeat = md_table(md_t3_header() + [cells for _, cells in rows[cut:]])
    t4 = md_t4(v)
    t4_lines = md_table(t4[:3]) + [pipe(c) for c in t4[:3]] + [pipe(t4[3])]
    return md_page(variant, md_parts(v, lines + repeat, t4_lines))


def m03(variant):
    v = values_of(variant)
    body = md_t3_rows(v)
    rows = []
    for row_id, cells in body.items():
        if row_id == "unable_need_create":  # numbers on the first row
            rows.append([cells[0], "2.没有现成信息需要另行"] + cells[2:])
            rows.append(["", "制作"] + [""] * 7)
        elif row_id == "unable_not_held":  # numbers on the second row
            rows.append([cells[0], "1.本机关不掌握相关"] + [""] * 7)
            rows.append(["", "政府信息"] + cells[2:])
        else:
            rows.append(cells)
    lines = md_table(md_t3_header() + rows)
    # 2.其他法律行政法规禁止公开: its label as two loose lines, its numbers a label-less row
    index = next(i for i, line in enumerate(lines) if "2.其他法律行政法规禁止公开" in line)
    numbers = pipe(body["denied_law"][2:])
    lines[index:index + 1] = ["", "2.其他法律行政法规禁", "止公开", numbers, separator(7)]
    return md_page(variant, md_parts(v, lines))


def m04(variant):
    source = (CORPUS / X.MD_014).read_text(encoding="utf-8").split("\n")
    index = source.index("| 规范性文件 | 13 | 0 | 55 |")
    source[index:index + 1] = ["| 规范性文件 |  | 0 | 55 |", "13（其中修订 5 件）"]
    return "\n".join(source)


def m05(variant):
    v = values_of(variant)
    body = md_t3_rows(v)
    rows = list(body.values())
    lines = md_table(md_t3_header() + rows)
    index = next(i for i, line in enumerate(lines) if "4.保护第三方合法权益" in line)
    lines.insert(index + 1, "— 3 —")
    t2 = md_t2(v)
    index = next(i for i, line in enumerate(t2) if line.startswith("| 行政许可"))
    t2.insert(index + 1, "- 4 -")
    t4 = md_table(md_t4(v))
    t4[-1:-1] = ["第 5 页", "第 5 页 共 8 页"]
    return md_page(variant, md_parts(v, lines, t4, t2))


def m06(variant):
    v = values_of(variant)
    t2 = [line for line in md_t2(v) if "第二十条第（六）项" not in line]
    return md_page(variant, md_parts(v, t2=t2), drop=("三", "四"))


def m07(variant):
    v = values_of(variant, {("proactive", "item1", "normative_docs", "issued"): ""})
    body = md_t3_rows(v)
    rows = list(body.items())
    cut = [r for r, _ in rows].index("unable_not_held")
    first = md_table(md_t3_header(renamed=True) + [c for _, c in rows[:cut]])
    second = md_table(md_t3_header(renamed=True) + [c for _, c in rows[cut:]])
    index = next(i for i, line in enumerate(second) if "1.信访举报投诉类申请" in line)
    cells = body["rejected_petition"]
    second[index:index + 1] = [pipe([cells[0], "1.信访举报投诉类"] + cells[2:]), pipe(["", "申请"] + [""] * 7)]
    t2 = md_t2(v)
    index = next(i for i, line in enumerate(t2) if line.startswith("| 行政规范性文件"))
    t2.insert(index + 1, "22（其中修订 16 件）")
    return md_page(variant, md_parts(v, first + ["- 3 -"] + second, t2=t2))


# ------------------------------------------------------------------ flattened

FLAT_T3_HEAD = ("三、收到和处理政府信息公开申请情况 " + CAPTION + " 申请人情况 自然人 法人或其他组织 总计 "
                "商业 企业 科研 机构 社会公益组织 法律服务机构 其他 ")
FLAT_T4_HEAD = ("四、政府信息公开行政复议、行政诉讼情况 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 "
                "未经复议直接起诉 复议后起诉 结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 "
                "尚未审结 总计 ")
FLAT_T2_HEADERS = {"2019": {"item1": "信息内容本年新制作数量本年新公开数量对外公开总数量",
                            "item5": "信息内容上一年项目数量本年增/减处理决定数量",
                            "item6": "信息内容上一年项目数量本年增/减处理决定数量",
                            "item8": "信息内容上一年项目数量本年增/减",
                            "item9": "信息内容采购项目数量采购总金额"},
                   "2021": {"item1": " 信息内容 本年制发件数 本年废止件数 现行有效件数 ",
                            "item5": "信息内容本年处理决定数量",
                            "item6": "信息内容本年处理决定数量",
                            "item8": "信息内容本年收费金额（单位：万元）"}}


def flat_digits(texts: list[str]) -> str:
    """A row's cells as the flattened pages print them: run together, except that a
    number of two digits or more keeps spaces around it (as the pages do for
    multi-digit table-two cells)."""
    if all(len(t) <= 1 for t in texts):
        return "".join(texts)
    return " ".join(texts)


def flat_page(variant: X.Variant, runs: dict[str, str], t4: str) -> str:
    """The seed as one line of web text (as 103 and 205 arrive); `runs` give the
    printed digits of table-three rows that differ from their plain writing."""
    v = values_of(variant)
    title, prose = seed_lines(variant.base)
    parts = [title + " "]
    for numeral, text in prose:
        parts.append(text)
        if numeral == "二":
            parts.append(" ")
            for item, heading, _headers, rows in T2[v.fmt]:
                parts.append(heading + FLAT_T2_HEADERS[v.fmt][item])
                for row_id, label in rows:
                    parts.append(label + flat_digits(list(v.t2[item][row_id].values())))
            parts.append(" ")
        elif numeral == "三":
            parts[-1] = FLAT_T3_HEAD
            for row_id, texts in v.t3.items():
                label = T3_LABELS[row_id]
                if row_id == "granted":
                    label = RESULTS_LABEL + " " + label
                elif row_id in GROUPS and row_id != "other_handling":
                    label = GROUPS[row_id][0] + " " + label
                parts.append(label + " " + runs.get(row_id, flat_digits(texts)))
        elif numeral == "四":
            parts[-1] = FLAT_T4_HEAD + t4 + " "
    return "".join(parts).replace("\n", " ") + "\n"


def flattened(variant):
    """A flattened page whose run (variant.run) replaces its row's plain digits."""
    table, row_id, digits = variant.run
    if table == "applications":
        return flat_page(variant, {row_id: digits}, "0" * 15)
    return flat_page(variant, {}, digits)


def main() -> None:
    for variant in X.VARIANTS:
        build = flattened if variant.kind == "flattened" else globals()[variant.id.split("_")[0]]
        path = HERE / variant.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build(variant), encoding="utf-8")
        print(path.relative_to(HERE))


if __name__ == "__main__":
    main()

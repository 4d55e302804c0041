"""Synthetic annual reports with known injected defects, for measuring gxaudit.

    python benchmarks/generate.py OUTDIR --count N --seed S [--shapes text,cells,html]

Writes N reports and OUTDIR/manifest.json. Each report is built from the
structure of the real samples (../shared/seeds, ../shared/corpus): a title
"{organ}{year}年政府信息公开工作年度报告", a statistics-period sentence, the six
parts with prose, table two (the format's 第二十条 blocks), table three (23 rows
for format 2019, 25 for 2021) and table four (15 cells), with random counts that
satisfy every identity of ../shared/TEMPLATES.md.

Shapes:
  text   one table row per line, tab-separated, spans expanded (seeds 000, 002)
  cells  one cell per line with a leading tab, rows separated by blank lines,
         headers broken over lines (Word exports: seeds 003, 004)
  html   tables with colspan/rowspan (corpus 012)

About half the reports carry 0–3 injected defects. The manifest lists, for
every report: file, shape, organ, year, format (as written), year_format (what
the year requires), defects (what was injected, where) and `expected`, the
findings gxaudit must produce: {rule, table, row, column, section}, with only
the fields that rule's finding locates. A clean report's `expected` is [].

Deterministic: a report depends only on (seed, index, shape).
"""
from __future__ import annotations

import argparse
import html as htmllib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHAPES = ("text", "cells", "html")
YEARS = range(2019, 2025)
NUMERALS = "一二三四五六七八九十"

APPLICANTS = ["natural_person", "commercial", "research", "social", "legal", "other"]
T3_COLUMNS = APPLICANTS + ["total"]
RESULT_ROWS_COMMON = [
    "granted", "partial", "denied_secret", "denied_law", "denied_security", "denied_third_party",
    "denied_internal", "denied_process", "denied_case_file", "denied_query", "unable_not_held",
    "unable_need_create", "unable_unclear", "rejected_petition", "rejected_repeat",
    "rejected_publication", "rejected_mass", "rejected_confirm"]
RESULT_ROWS = {"2019": RESULT_ROWS_COMMON + ["other_handling"],
               "2021": RESULT_ROWS_COMMON + ["other_no_correction", "other_no_fee", "other_misc"]}
T3_ROWS = {f: ["new", "carried_over"] + RESULT_ROWS[f] + ["results_total", "carried_forward"]
           for f in RESULT_ROWS}
T4_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

# how often a result row is the outcome of an application
RESULT_WEIGHTS = {
    "granted": 30, "partial": 8, "denied_secret": 0.3, "denied_law": 1, "denied_security": 0.5,
    "denied_third_party": 1, "denied_internal": 1.5, "denied_process": 1.5, "denied_case_file": 0.5,
    "denied_query": 1, "unable_not_held": 15, "unable_need_create": 3, "unable_unclear": 2,
    "rejected_petition": 3, "rejected_repeat": 2, "rejected_publication": 0.5, "rejected_mass": 0.5,
    "rejected_confirm": 1, "other_handling": 4, "other_no_correction": 2, "other_no_fee": 0.3,
    "other_misc": 2}

# ---------------------------------------------------------------- formats

T2_BLOCKS = {
    "2019": [
        ("item1", "一", [("rules", "规章"), ("normative_docs", "规范性文件")],
         [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量")]),
        ("item5", "五", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         [("prev_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("item6", "六", [("penalty", "行政处罚"), ("enforcement", "行政强制")],
         [("prev_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("item8", "八", [("fees", "行政事业性收费")],
         [("prev_items", "上一年项目数量"), ("change", "本年增/减")]),
        ("item9", "九", [("procurement", "政府集中采购")],
         [("projects", "采购项目数量"), ("amount", "采购总金额")]),
    ],
    "2021": [
        ("item1", "一", [("rules", "规章"), ("normative_docs", "行政规范性文件")],
         [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]),
        ("item5", "五", [("licensing", "行政许可")], [("decisions", "本年处理决定数量")]),
        ("item6", "六", [("penalty", "行政处罚"), ("enforcement", "行政强制")],
         [("decisions", "本年处理决定数量")]),
        ("item8", "八", [("fees", "行政事业性收费")], [("amount", "本年收费金额（单位：万元）")]),
    ],
}
AMOUNT_LABELS_2019 = ["采购总金额", "采购总金额（单位：万元）", "采购总金额(单位:万元,保留4位小数)"]

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
# real reports' typos and older wordings of row labels (the grammar knows them)
T3_LABEL_VARIANTS = {
    "carried_over": ["二、上年转结政府信息公开申请数量"],
    "denied_law": ["2.其他法律法规禁止公开"],
    "results_total": ["（七）总 计"],
}
# the groups of result rows: (heading cell, rows under it)
T3_GROUPS = {
    "2019": [(None, ["granted"]), (None, ["partial"]),
             ("（三）不予公开", RESULT_ROWS_COMMON[2:10]),
             ("（四）无法提供", RESULT_ROWS_COMMON[10:13]),
             ("（五）不予处理", RESULT_ROWS_COMMON[13:18]),
             (None, ["other_handling"])],
    "2021": [(None, ["granted"]), (None, ["partial"]),
             ("（三）不予公开", RESULT_ROWS_COMMON[2:10]),
             ("（四）无法提供", RESULT_ROWS_COMMON[10:13]),
             ("（五）不予处理", RESULT_ROWS_COMMON[13:18]),
             ("（六）其他处理", ["other_no_correction", "other_no_fee", "other_misc"])],
}

SECTION_IDS = ["overview", "proactive", "applications", "review_litigation", "problems", "other_matters"]
HEADINGS = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
# variant headings of part 五 (formats/common.yaml): still the section, but a GX-STR-005 finding
PROBLEMS_VARIANTS = ["存在问题及改进情况", "政府信息公开工作存在的主要问题及改进情况",
                     "存在的主要问题及整改措施", "存在的主要问题及改进措施", "存在的问题及改进措施"]

# ---------------------------------------------------------------- organs

PLACES = ["青石", "柳河", "白沙", "东湖", "南山", "金塘", "云岭", "桃源", "石门", "清水", "长乐", "新安",
          "平阳", "永宁", "凤凰", "黄土岭", "大桥", "双河", "龙泉", "梅溪", "红星", "高桥", "马坊", "杨柳",
          "松林", "沙坪", "罗城", "安平", "兴隆", "太平", "半塘", "官渡", "鹤鸣", "石桥", "洪山", "芦溪"]
COUNTIES = ["景阳", "临川", "安远", "宁河", "丰城", "宜山", "武平", "江源", "泰和", "崇安", "德化", "灵寿",
            "会宁", "昌乐", "新野", "通许", "乐亭", "繁峙"]
CITIES = ["江州", "云州", "临海", "安庆", "襄平", "宁安", "金城", "沧源"]
BUREAUS = [("发展和改革局", "我局"), ("财政局", "我局"), ("教育局", "我局"), ("自然资源局", "我局"),
           ("住房和城乡建设局", "我局"), ("交通运输局", "我局"), ("农业农村局", "我局"),
           ("卫生健康委员会", "我委"), ("市场监督管理局", "我局"), ("生态环境局", "我局"),
           ("应急管理局", "我局"), ("民政局", "我局"), ("人力资源和社会保障局", "我局"), ("司法局", "我局"),
           ("水利局", "我局"), ("统计局", "我局"), ("退役军人事务局", "我局")]


@dataclass
class Organ:
    name: str        # as in the title
    we: str          # how the report refers to itself (我镇, 我局 …)
    size: str        # small | medium | large: how many applications and items


SYLLABLES = "青柳白东南金云桃石清长新平永凤黄大双龙梅红高马杨松沙罗安兴太半官鹤洪芦宁丰宜武江泰崇德灵会昌通乐繁临襄沧源溪湖岭川远野寿化阳坪桥泉"
SHAPE_NUMBER = {"text": 0, "cells": 1, "html": 2}


def unique_place(index: int, shape: str) -> str:
    """A place name of its own for every generated report (index, shape).

    Organs must not repeat by accident: two reports of "the same organ" in
    consecutive years with unrelated figures would rightly get cross-year
    findings. Three syllables give len(SYLLABLES)**3 distinct names.
    """
    n = index * len(SHAPE_NUMBER) + SHAPE_NUMBER.get(shape, 0)
    base = len(SYLLABLES)
    return SYLLABLES[n % base] + SYLLABLES[(n // base) % base] + SYLLABLES[(n // base // base) % base]


def make_organ(rng: random.Random, place: str) -> Organ:
    """An organ of a random kind, named after `place` (unique per report)."""
    kind = rng.choices(["town", "township", "street", "county", "county_gov", "district", "county_bureau",
                        "city_bureau", "county_office"], weights=[5, 2, 2, 2, 1, 2, 5, 3, 1])[0]
    county, city = place, rng.choice(CITIES)
    if kind == "town":
        return Organ(f"{place}镇人民政府", "我镇", "small")
    if kind == "township":
        return Organ(f"{place}乡人民政府", "我乡", "small")
    if kind == "street":
        return Organ(f"{city}市{county}区{place}街道办事处", "我街道", "small")
    if kind == "county":
        return Organ(f"{county}县", "我县", "large")
    if kind == "county_gov":
        return Organ(f"{county}县人民政府", "县政府", "large")
    if kind == "district":
        return Organ(f"{city}市{place}区人民政府", "我区", "large")
    bureau, we = rng.choice(BUREAUS)
    if kind == "county_bureau":
        return Organ(f"{county}县{bureau}", we, "medium")
    if kind == "city_bureau":
        return Organ(f"{place}市{bureau}", we, "medium")
    return Organ(f"{county}县人民政府办公室", "我办", "medium")


# ---------------------------------------------------------------- data

def _count(rng: random.Random, size: str, zero: float = 0.5, scale: float = 1.0) -> int:
    if rng.random() < zero:
        return 0
    top = {"small": 8, "medium": 60, "large": 400}[size] * scale
    return int(rng.random() ** 2 * top) + 1


def _signed(rng: random.Random, prev: int) -> str:
    if rng.random() < 0.45:
        return "0"
    delta = rng.randint(1, max(1, prev // 5 + 3))
    if rng.random() < 0.5 and delta <= prev:
        return f"-{delta}"
    return f"+{delta}" if rng.random() < 0.7 else str(delta)


def _money(rng: random.Random, nonzero: float) -> str:
    if rng.random() > nonzero:
        return "0"
    value = rng.random() ** 2 * 3000
    return rng.choice([f"{value:.4f}", f"{value:.2f}", f"{value:.1f}"])


def make_table_two(rng: random.Random, fmt: str, size: str) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for block, _item, rows, columns in T2_BLOCKS[fmt]:
        out[block] = {}
        for row, _label in rows:
            cells: dict[str, str] = {}
            if block == "item1":
                rare = row == "rules"
                made = 0 if rare and rng.random() < 0.9 else _count(rng, size, 0.4, 0.2)
                if fmt == "2019":
                    published = made if rng.random() < 0.7 else rng.randint(0, made)
                    cells = {"made": str(made), "published": str(published),
                             "total_public": str(published + _count(rng, size, 0.3, 0.5))}
                else:
                    repealed = 0 if rng.random() < 0.6 else _count(rng, size, 0.3, 0.1)
                    cells = {"issued": str(made), "repealed": str(repealed),
                             "in_force": str(made + _count(rng, size, 0.3, 0.5))}
            elif block in ("item5", "item6"):
                decisions = _count(rng, size, 0.35, 8.0)
                if fmt == "2019":
                    prev = _count(rng, size, 0.3, 1.0)
                    cells = {"prev_items": str(prev), "change": _signed(rng, prev), "decisions": str(decisions)}
                else:
                    cells = {"decisions": str(decisions)}
            elif block == "item8":
                if fmt == "2019":
                    prev = _count(rng, size, 0.5, 0.2)
                    cells = {"prev_items": str(prev), "change": _signed(rng, prev)}
                else:
                    cells = {"amount": _money(rng, 0.2)}
            elif block == "item9":
                projects = _count(rng, size, 0.5, 0.3)
                cells = {"projects": str(projects), "amount": _money(rng, 1.0) if projects else "0"}
            out[block][row] = cells
    return out


def make_table_three(rng: random.Random, fmt: str, size: str) -> dict[str, dict[str, int]]:
    rows = T3_ROWS[fmt]
    results = RESULT_ROWS[fmt]
    table = {r: {c: 0 for c in T3_COLUMNS} for r in rows}
    activity = {"natural_person": 0.85, "commercial": 0.35, "research": 0.05, "social": 0.06,
                "legal": 0.12, "other": 0.1}
    busy = rng.random() < {"small": 0.45, "medium": 0.75, "large": 0.95}[size]
    for column in APPLICANTS:
        if not busy or rng.random() > activity[column]:
            continue
        scale = 1.0 if column == "natural_person" else 0.25
        new = _count(rng, size, 0.0, scale)
        carried_over = 0 if rng.random() < 0.7 else rng.randint(0, max(1, new // 4))
        available = new + carried_over
        carried_forward = 0 if rng.random() < 0.65 else rng.randint(0, max(0, available // 3))
        done = available - carried_forward
        table["new"][column] = new
        table["carried_over"][column] = carried_over
        table["carried_forward"][column] = carried_forward
        table["results_total"][column] = done
        weights = [RESULT_WEIGHTS[r] for r in results]
        for row in rng.choices(results, weights=weights, k=done):
            table[row][column] += 1
    for row in rows:
        table[row]["total"] = sum(table[row][c] for c in APPLICANTS)
    return table


def check_table_three(table: dict[str, dict[str, int]], fmt: str) -> None:
    """Every identity of TEMPLATES.md holds (the generator's own guarantee)."""
    for row, cells in table.items():
        assert cells["total"] == sum(cells[c] for c in APPLICANTS), row
    for c in T3_COLUMNS:
        assert table["results_total"][c] == sum(table[r][c] for r in RESULT_ROWS[fmt]), c
        assert (table["new"][c] + table["carried_over"][c]
                == table["results_total"][c] + table["carried_forward"][c]), c


def make_table_four(rng: random.Random, size: str) -> dict[str, dict[str, int]]:
    out = {}
    active = rng.random() < {"small": 0.15, "medium": 0.4, "large": 0.7}[size]
    for block in T4_BLOCKS:
        cells = {c: 0 for c in T4_COLUMNS[:4]}
        if active and rng.random() < 0.7:
            for c in cells:
                cells[c] = 0 if rng.random() < 0.5 else rng.randint(1, {"small": 2, "medium": 6, "large": 20}[size])
        cells["total"] = sum(cells.values())
        out[block] = cells
    return out


# ---------------------------------------------------------------- tables as grids

@dataclass
class C:
    """One table cell as an HTML table would have it."""
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False     # a header label (may be broken over lines in the cells shape)


Grid = list[list[C]]


def grid_table_two(fmt: str, data: dict, style: "Style") -> Grid:
    rows: Grid = []
    for block, item, row_specs, columns in T2_BLOCKS[fmt]:
        heading = f"第二十条第（{item}）项" if style.fullwidth else f"第二十条第({item})项"
        rows.append([C(heading, colspan=4)])
        labels = [label for _cid, label in columns]
        if fmt == "2019" and block == "item1" and style.alt_labels:
            labels[0] = "本年度制作数量"
        if fmt == "2019" and block == "item9":
            labels[1] = style.amount_label
        rows.append([C("信息内容", header=True)] + _spread([C(l, header=True) for l in labels]))
        for row, label in row_specs:
            values = [C(data[block][row][cid]) for cid, _l in columns]
            rows.append([C(label)] + _spread(values))
    return rows


def _spread(cells: list[C]) -> list[C]:
    """Value cells across the three value columns of table two."""
    if len(cells) == 1:
        cells[0].colspan = 3
    elif len(cells) == 2:
        cells[1].colspan = 2
    return cells


def grid_table_three(fmt: str, values: dict[str, dict[str, str]], style: "Style") -> Grid:
    label = dict(T3_LABELS)
    for row, variants in T3_LABEL_VARIANTS.items():
        if style.rng.random() < 0.15:
            label[row] = style.rng.choice(variants)

    def nums(row: str) -> list[C]:
        return [C(values[row][c]) for c in T3_COLUMNS]

    def paren(text: str) -> str:
        return text if style.fullwidth else text.replace("（", "(").replace("）", ") ")

    rows: Grid = [
        [C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3),
         C("申请人情况", colspan=7, header=True)],
        [C("自然人", rowspan=2, header=True), C("法人或其他组织", colspan=5, header=True),
         C("总计", rowspan=2, header=True)],
        [C("商业企业", header=True), C("科研机构", header=True), C("社会公益组织", header=True),
         C("法律服务机构", header=True), C("其他", header=True)],
        [C(label["new"], colspan=3)] + nums("new"),
        [C(label["carried_over"], colspan=3)] + nums("carried_over"),
    ]
    result_rows = RESULT_ROWS[fmt]
    first = True
    for group, members in T3_GROUPS[fmt]:
        for index, row in enumerate(members):
            line: list[C] = []
            if first:
                line.append(C("三、本年度办理结果", rowspan=len(result_rows) + 1))
                first = False
            if group is None:
                line.append(C(paren(label[row]), colspan=2))
            else:
                if index == 0:
                    line.append(C(paren(group), rowspan=len(members)))
                line.append(C(label[row]))
            rows.append(line + nums(row))
    rows.append([C(paren(label["results_total"]), colspan=2)] + nums("results_total"))
    rows.append([C(label["carried_forward"], colspan=3)] + nums("carried_forward"))
    return rows


def grid_table_four(values: dict[str, dict[str, str]]) -> Grid:
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [C("行政复议", colspan=5, header=True), C("行政诉讼", colspan=10, header=True)],
        [C(l, rowspan=2, header=True) for l in labels]
        + [C("未经复议直接起诉", colspan=5, header=True), C("复议后起诉", colspan=5, header=True)],
        [C(l, header=True) for l in labels * 2],
        [C(values[b][c]) for b in T4_BLOCKS for c in T4_COLUMNS],
    ]


def expand_cells(grid: Grid, fill_colspan: bool = True) -> list[list[tuple[str, C | None]]]:
    """Grid rows as (text, cell) pairs; a position covered by a rowspan is ("", None).

    fill_colspan: a colspan is written as the cell and empty cells after it (a
    spreadsheet's view, and the HTML adapter's); otherwise as one cell (Word's
    view), and a cell covered by a rowspan as one empty cell whatever its width.
    """
    out: list[list[tuple[str, C | None]]] = []
    pending: dict[tuple[int, int], int] = {}          # (row, column) -> width covered
    for r, row in enumerate(grid):
        line: list[tuple[str, C | None]] = []
        c = 0

        def covered() -> None:
            nonlocal c
            while (r, c) in pending:
                width = pending.pop((r, c))
                line.extend([("", None)] * (width if fill_colspan else 1))
                c += width

        for cell in row:
            covered()
            line.append((cell.text, cell))
            if fill_colspan:
                line.extend([("", None)] * (cell.colspan - 1))
            for down in range(1, cell.rowspan):
                pending[(r + down, c)] = cell.colspan
            c += cell.colspan
        covered()
        out.append(line)
    return out


def expand(grid: Grid, fill_colspan: bool = True) -> list[list[str]]:
    return [[text for text, _cell in row] for row in expand_cells(grid, fill_colspan)]


# ---------------------------------------------------------------- prose

CHANNELS = ["政府门户网站", "政府信息公开专栏", "政务新媒体", "政务公开栏", "微信公众号", "便民服务中心公开查阅点"]
CATEGORIES = ["工作动态", "通知公告", "政策文件", "财政预决算信息", "人事信息", "重点领域信息", "政策解读"]
TOPICS = ["征地拆迁", "土地征收补偿", "房屋登记", "社会保障", "行政执法", "规划建设", "企业登记", "环境保护",
          "财政资金使用", "项目审批"]
PROBLEMS = [
    "主动公开的深度和广度还不够，部分领域信息更新不够及时",
    "政策解读形式较为单一，图解、视频等解读方式运用不多",
    "信息公开工作人员多为兼职，业务能力有待提升",
    "依申请公开答复文书的规范性有待进一步提高",
    "部分栏目内容更新频率不高，信息发布的时效性不强",
    "基层政务公开标准化规范化建设还需持续深化",
    "政务新媒体互动回应能力还不够强",
]
MEASURES = [
    "进一步加强组织领导，压实各科室信息公开工作责任",
    "持续丰富政策解读形式，提高解读的针对性和可读性",
    "加强业务培训，提升信息公开工作人员的能力和水平",
    "严格落实保密审查制度，确保公开信息安全准确",
    "规范依申请公开办理流程，提高答复质量",
    "加大重点领域信息公开力度，及时回应社会关切",
    "加强政府信息公开专栏日常维护，确保信息及时更新",
]


def _numbered(rng: random.Random, pool: list[str], n: int) -> str:
    order = ["一", "二", "三", "四", "五"]
    items = rng.sample(pool, n)
    return "；".join(f"{order[i]}是{text}" for i, text in enumerate(items)) + "。"


def overview(rng: random.Random, organ: Organ, year: int, t3: dict, paren: Any) -> list[str]:
    we, Y = organ.we, year
    intro = rng.choice([
        f"{Y}年，{organ.name}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的各项部署，不断完善工作机制，拓宽公开渠道，政府信息公开工作取得了新的进展。",
        f"{Y}年，{we}严格按照《中华人民共和国政府信息公开条例》要求，坚持“以公开为常态、不公开为例外”原则，围绕中心工作扎实推进政务公开，切实保障人民群众的知情权、参与权、表达权和监督权。",
        f"{Y}年以来，{organ.name}高度重视政府信息公开工作，将其纳入年度重点工作统筹推进，主要负责同志定期听取工作汇报，研究解决工作中遇到的问题。",
    ])
    total = rng.randint(20, 2000)
    parts = sorted(rng.sample(range(1, total), 2)) if total > 3 else [1, 2]
    cats = rng.sample(CATEGORIES, 3)
    channels = "、".join(rng.sample(CHANNELS, 3))
    proactive = (f"{Y}年，{we}通过{channels}等渠道主动公开政府信息{total}条，其中{cats[0]}{parts[0]}条、"
                 f"{cats[1]}{parts[1] - parts[0]}条、{cats[2]}{total - parts[1]}条。")
    if rng.random() < 0.5:
        proactive += f"较{Y - 1}年增长{rng.randint(2, 40)}%。"
    proactive += f"全年发布政策解读{rng.randint(1, 60)}篇，回应社会关切{rng.randint(0, 30)}次。"
    new, carried, done, forward = (t3["new"]["total"], t3["carried_over"]["total"],
                                   t3["results_total"]["total"], t3["carried_forward"]["total"])
    if new + carried == 0:
        applications = f"{Y}年，{we}未收到政府信息公开申请，也无上年结转的申请。"
    else:
        applications = (f"{Y}年，{we}共收到政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，"
                        f"结转下年度继续办理{forward}件。申请内容主要涉及{'、'.join(rng.sample(TOPICS, 2))}等方面，"
                        f"均在法定期限内依法答复。")
    management = rng.choice([
        "严格落实政府信息公开属性源头认定机制，公文在起草时即明确公开属性。健全保密审查制度，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
        f"对现行有效的规范性文件进行全面清理，并在政府信息公开专栏集中公开。{Y}年，{we}更新政府信息公开指南和公开目录，规范信息发布流程。",
    ])
    platform = rng.choice([
        f"以政府门户网站为第一平台，持续优化政府信息公开专栏栏目设置。{Y}年，{we}政务新媒体共发布信息{rng.randint(10, 900)}条。",
        "加强政府网站和政务新媒体内容保障，做好栏目日常监测和维护，确保信息发布及时、准确、安全。",
    ])
    supervision = (f"成立由主要负责同志任组长的政务公开工作领导小组，明确专人负责。{Y}年组织政务公开业务培训"
                   f"{rng.randint(1, 8)}次，参训{rng.randint(10, 300)}人次。将政务公开工作纳入年度绩效考核，"
                   f"全年未发生因政府信息公开工作被追究责任的情况。")
    subs = [("主动公开情况", proactive), ("依申请公开情况", applications),
            ("政府信息管理情况", management), ("政府信息公开平台建设情况", platform),
            ("监督保障情况", supervision)]
    lines = [intro]
    for index, (heading, body) in enumerate(subs):
        lines.append(paren(f"（{NUMERALS[index]}）{heading}"))
        lines.append(body)
    return lines


def problems(rng: random.Random, organ: Organ, year: int, plan_same_year: bool, paren: Any) -> list[str]:
    we, Y = organ.we, year
    lines = [paren("（一）存在的主要问题"),
             f"{Y}年，{we}政府信息公开工作取得了一定成效，但也存在一些不足：" + _numbered(rng, PROBLEMS, 3)]
    if plan_same_year:
        lines.append(paren(f"（二）{Y}年工作计划"))
        lines.append(f"下一步，{we}将重点做好以下工作：" + _numbered(rng, MEASURES, 3))
    elif rng.random() < 0.5:
        lines.append(paren(f"（二）{Y + 1}年工作计划"))
        lines.append(f"{Y + 1}年，{we}将重点做好以下工作：" + _numbered(rng, MEASURES, 3))
    else:
        lines.append(paren("（二）改进措施"))
        lines.append(f"{Y + 1}年，{we}将重点做好以下工作：" + _numbered(rng, MEASURES, 3))
    return lines


def other_matters(rng: random.Random, organ: Organ, year: int, fmt: str, just_wu: bool) -> list[str]:
    we, Y = organ.we, year
    if just_wu:
        return [rng.choice(["无", "无。"])]
    extra = (f"{Y}年，{we}共办理人大代表建议{rng.randint(0, 30)}件、政协委员提案{rng.randint(0, 30)}件，"
             f"办理结果已按规定公开。")
    if fmt == "2021":
        fee = rng.choice([
            f"{Y}年度，{we}未收取信息处理费。",
            f"本机关{Y}年度依据《政府信息公开信息处理费管理办法》收取信息处理费0元。",
            f"{Y}年，{we}没有收取信息处理费，无其他需要报告的事项。",
            f"{Y}年度本单位未发生政府信息公开信息处理费收费情况。",
        ])
        return [fee, extra] if rng.random() < 0.3 else [fee]
    return [rng.choice(["无。", "无", "本年度无其他需要报告的事项。", extra])]


# ---------------------------------------------------------------- the report

@dataclass
class Style:
    rng: random.Random
    fullwidth: bool = True          # （一） or (一)
    alt_labels: bool = False        # 本年度制作数量 for 本年新制作数量
    amount_label: str = "采购总金额"
    fill_colspan: bool = True       # text: colspan positions written as empty cells
    trailing_tabs: int = 0          # text: stray tabs after table rows
    split_headers: bool = False     # cells: "商业\n企业"
    space_lines: bool = False       # cells: " " lines between cells (seed 004)
    split_title: bool = False
    signature: bool = False
    period: bool = True
    intro: bool = True


@dataclass
class Report:
    index: int
    shape: str
    organ: Organ
    year: int
    fmt: str
    year_format: str
    style: Style
    defects: list[dict[str, Any]] = field(default_factory=list)
    t2: dict = field(default_factory=dict)
    t3: dict = field(default_factory=dict)      # row -> column -> str
    t4: dict = field(default_factory=dict)      # block -> column -> str
    period_year: int = 0
    headings: dict[str, str] = field(default_factory=dict)   # section id -> heading text (None: dropped)
    bodies: dict[str, list[str]] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"{self.index:05d}_{self.shape}.{'html' if self.shape == 'html' else 'txt'}"


DEFECTS = ["t4_blank", "t4_total", "t3_row_total", "t3_dash", "t2_change_word", "drop_part6",
           "variant_heading5", "plan_same_year", "six_wu", "old_format", "wrong_period"]
EXCLUSIVE = [{"t3_row_total", "t3_dash"}, {"drop_part6", "six_wu"}]


def _loc(rule: str, **where: str) -> dict[str, str]:
    return {"rule": rule, **where}


def choose_defects(rng: random.Random, year: int) -> list[str]:
    if rng.random() < 0.5:
        return []
    k = rng.choice([1, 1, 2, 2, 3])
    chosen: list[str] = []
    if year >= 2021 and rng.random() < 0.15:
        chosen.append("old_format")
    fmt = "2019" if year <= 2020 or "old_format" in chosen else "2021"
    pool = [d for d in DEFECTS if d != "old_format"
            and not (d == "t2_change_word" and fmt != "2019")
            and not (d == "six_wu" and fmt != "2021")]
    rng.shuffle(pool)
    for d in pool:
        if len(chosen) >= k:
            break
        if any(d in group and chosen_d in group for group in EXCLUSIVE for chosen_d in chosen):
            continue
        chosen.append(d)
    return chosen


def build(index: int, seed: int, shape: str) -> Report:
    rng = random.Random(f"gxaudit-bench:{seed}:{index}:{shape}")
    organ = make_organ(rng, unique_place(index, shape))
    year = rng.choice(list(YEARS))
    year_format = "2019" if year <= 2020 else "2021"
    kinds = choose_defects(rng, year)
    fmt = "2019" if "old_format" in kinds else year_format
    style = Style(rng=rng, fullwidth=rng.random() < 0.75, alt_labels=rng.random() < 0.2,
                  amount_label=rng.choice(AMOUNT_LABELS_2019), fill_colspan=rng.random() < 0.7,
                  trailing_tabs=rng.choice([0, 0, 0, 1, 2]), split_headers=rng.random() < 0.6,
                  space_lines=rng.random() < 0.3, split_title=shape == "cells" and rng.random() < 0.3,
                  signature=rng.random() < 0.5, period=rng.random() < 0.85 or "wrong_period" in kinds,
                  intro=rng.random() < 0.8)
    if "wrong_period" in kinds:
        style.period = style.intro = True
    report = Report(index, shape, organ, year, fmt, year_format, style)
    report.t2 = make_table_two(rng, fmt, organ.size)
    t3 = make_table_three(rng, fmt, organ.size)
    check_table_three(t3, fmt)
    t4 = make_table_four(rng, organ.size)
    report.t3 = {r: {c: str(v) for c, v in cells.items()} for r, cells in t3.items()}
    report.t4 = {b: {c: str(v) for c, v in cells.items()} for b, cells in t4.items()}
    report.period_year = year

    paren = (lambda s: s) if style.fullwidth else (lambda s: s.replace("（", "(").replace("）", ") "))
    report.headings = dict(zip(SECTION_IDS, HEADINGS))
    report.bodies = {
        "overview": overview(rng, organ, year, t3, paren),
        "problems": problems(rng, organ, year, "plan_same_year" in kinds, paren),
        "other_matters": other_matters(rng, organ, year, fmt, "six_wu" in kinds),
    }

    for kind in kinds:
        apply_defect(rng, report, kind)
    return report


def apply_defect(rng: random.Random, report: Report, kind: str) -> None:
    d: dict[str, Any] = {"defect": kind}
    fmt = report.fmt
    if kind == "t4_blank":
        used = {x["block"] for x in report.defects if x["defect"] == "t4_total"}
        block = rng.choice([b for b in T4_BLOCKS if b not in used])
        column = rng.choice(T4_COLUMNS)
        report.t4[block][column] = ""
        d |= {"block": block, "column": column, "description": f"表四 {block}/{column} 留空",
              "expected": [_loc("GX-CEL-001", table="review_litigation", row=block, column=column,
                                section="review_litigation")]}
    elif kind == "t4_total":
        used = {x["block"] for x in report.defects if x["defect"] == "t4_blank"}
        block = rng.choice([b for b in T4_BLOCKS if b not in used])
        old = int(report.t4[block]["total"])
        report.t4[block]["total"] = str(old + rng.randint(1, 3))
        d |= {"block": block, "description": f"表四 {block} 总计 {old} → {report.t4[block]['total']}",
              "expected": [_loc("GX-BAL-004", table="review_litigation", row=block, column="total",
                                section="review_litigation")]}
    elif kind == "t3_row_total":
        row = rng.choice(RESULT_ROWS[fmt])
        old = int(report.t3[row]["total"])
        report.t3[row]["total"] = str(old + 1)
        d |= {"row": row, "description": f"表三 {row} 总计 {old} → {old + 1}",
              "expected": [_loc("GX-BAL-001", table="applications", row=row, column="total",
                                section="applications"),
                           _loc("GX-BAL-002", table="applications", row="results_total", column="total",
                                section="applications")]}
    elif kind == "t3_dash":
        row = rng.choice(T3_ROWS[fmt])
        column = rng.choice(APPLICANTS[1:])      # a legal-person column, as real reports do
        raw = rng.choice(["/", "—", "-"])
        report.t3[row][column] = raw
        d |= {"row": row, "column": column, "raw": raw, "description": f"表三 {row}/{column} 写作“{raw}”",
              "expected": [_loc("GX-CEL-003", table="applications", row=row, column=column,
                                section="applications")]}
    elif kind == "t2_change_word":
        block, row = rng.choice([("item5", "licensing"), ("item5", "other_services"), ("item6", "penalty"),
                                 ("item6", "enforcement"), ("item8", "fees")])
        word = rng.choice(["增", "减", "增加", "无变化"])
        report.t2[block][row]["change"] = word
        d |= {"block": block, "row": row, "raw": word, "description": f"表二 {block}/{row} 本年增/减 写作“{word}”",
              "expected": [_loc("GX-CEL-002", table="proactive", row=row, column="change", section="proactive")]}
    elif kind == "drop_part6":
        report.headings["other_matters"] = None
        report.bodies["other_matters"] = []
        d |= {"description": "删去第六部分", "expected": [_loc("GX-STR-001", section="other_matters")]}
    elif kind == "variant_heading5":
        heading = rng.choice(PROBLEMS_VARIANTS)
        report.headings["problems"] = heading
        d |= {"heading": heading, "description": f"第五部分标题写作“{heading}”",
              "expected": [_loc("GX-STR-005", section="problems")]}
    elif kind == "plan_same_year":
        d |= {"description": f"第五部分写“（二）{report.year}年工作计划”",
              "expected": [_loc("GX-YEAR-003", section="problems")]}
    elif kind == "six_wu":
        d |= {"description": "2021年格式报告第六部分只写“无”",
              "expected": [_loc("GX-CON-001", section="other_matters")]}
    elif kind == "old_format":
        d |= {"description": f"{report.year}年度报告使用2019年格式",
              "expected": [_loc("GX-STR-006")]}
    elif kind == "wrong_period":
        report.period_year = report.year + rng.choice([-1, -1, -1, 1])
        d |= {"period_year": report.period_year,
              "description": f"统计期限写作{report.period_year}年",
              "expected": [_loc("GX-YEAR-001")]}
    report.defects.append(d)


# ---------------------------------------------------------------- rendering

def _period_sentence(rng: random.Random, y: int) -> str:
    return rng.choice([
        f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        f"本年度报告所列数据的统计时限为{y}年1月1日至{y}年12月31日。",
        f"报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。",
    ])


def _intro(report: Report) -> list[str]:
    rng, organ, Y = report.style.rng, report.organ, report.year
    lines = []
    if report.style.intro:
        text = (f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现向社会公布{organ.name}"
                f"{Y}年度政府信息公开工作年度报告。报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成。")
        if report.style.period:
            text += _period_sentence(rng, report.period_year)
        text += (f"本报告电子版可在{organ.name}门户网站政府信息公开专栏查阅。如对本报告有疑问，请与本机关办公室联系（电话：0{rng.randint(300, 999)}-"
                 f"{rng.randint(1000000, 9999999)}）。")
        lines.append(text)
    elif report.style.period:
        lines.append(_period_sentence(rng, report.period_year))
    return lines


def blocks(report: Report) -> list[tuple[str, Any]]:
    """The report as a sequence of (kind, content): title, para, heading, table."""
    out: list[tuple[str, Any]] = [("title", f"{report.organ.name}{report.year}年政府信息公开工作年度报告")]
    out += [("para", p) for p in _intro(report)]
    tables = {"proactive": grid_table_two(report.fmt, report.t2, report.style),
              "applications": grid_table_three(report.fmt, report.t3, report.style),
              "review_litigation": grid_table_four(report.t4)}
    for number, sid in zip(NUMERALS, SECTION_IDS):
        heading = report.headings[sid]
        if heading is None:
            continue
        out.append(("heading", f"{number}、{heading}"))
        if sid in tables:
            out.append(("table", tables[sid]))
        for para in report.bodies.get(sid, []):
            out.append(("para", para))
    if report.style.signature:
        out.append(("sign", report.organ.name))
        out.append(("sign", f"{report.year + 1}年{report.style.rng.randint(1, 3)}月{report.style.rng.randint(1, 28)}日"))
    return out


# Only the headers the seeds show broken are broken: table two's column labels
# (seed 004 "本年新\n制作数量") and table three's (seed 003 "商业\n企业"). The
# cells that open a table, and table four's headers, stay whole.
NOT_SPLIT = {"行政复议", "行政诉讼", "申请人情况", "信息内容", "结果维持", "结果纠正", "其他结果",
             "尚未审结", "未经复议直接起诉", "复议后起诉"}


def _split_header(rng: random.Random, text: str) -> str:
    """Header labels broken over lines, as Word exports them ("商业\\n企业")."""
    if len(text) < 4 or text.startswith(("（", "(")) or text in NOT_SPLIT:
        return text
    if text in ("社会公益组织", "法律服务机构"):
        return text[:2] + "\n" + text[2:4] + "\n" + text[4:]
    cut = rng.choice([2, 3]) if len(text) > 4 else 2
    return text[:cut] + "\n" + text[cut:]


def render_text(report: Report) -> str:
    style = report.style
    lines: list[str] = ["", ""]
    for kind, content in blocks(report):
        if kind == "table":
            for row in expand(content, style.fill_colspan):
                lines.append("\t".join(row) + "\t" * style.trailing_tabs)
            lines.append("")
        else:
            lines.append(content)
            lines.append("")
    return "\n".join(lines) + "\n"


def render_cells(report: Report) -> str:
    style, rng = report.style, report.style.rng
    lines: list[str] = []
    for kind, content in blocks(report):
        if kind == "title" and style.split_title:
            cut = content.index("政府信息公开") + len("政府信息公开")
            lines += [content[:cut], content[cut:]]
        elif kind == "table":
            for row in expand_cells(content, fill_colspan=False):
                for text, cell in row:
                    if cell is not None and cell.header and style.split_headers:
                        text = _split_header(rng, text)
                    elif cell is not None and text and style.space_lines and rng.random() < 0.3 \
                            and grammar_value(text):
                        text = rng.choice([" ", ""]) + text + rng.choice([" ", ""])
                    lines.append("\t" + text)
                    if style.space_lines:
                        lines.append(" ")
                lines.append("")
            lines.append("")
        elif kind == "heading" and rng.random() < 0.1:
            lines.append("[bookmark: _GoBack]" + content)       # a Word artefact (seeds 003, 004)
        else:
            lines.append(content)
    return "\n".join(lines) + "\n"


def grammar_value(text: str) -> bool:
    """A number-like cell (padding with spaces is only done to those, as in seed 004)."""
    return bool(re.fullmatch(r"[+-]?\d+(?:\.\d+)?(?:万元|万)?", text))


def render_html(report: Report) -> str:
    style, rng = report.style, report.style.rng
    esc = htmllib.escape
    title = f"{report.organ.name}{report.year}年政府信息公开工作年度报告"
    parts = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">", f"<title>{esc(title)}</title>",
             "<style>td{border:1px solid #000}</style></head><body>",
             "<nav><a href=\"/\">首页</a> &gt; <a href=\"/xxgk/\">政府信息公开</a> &gt; 年度报告</nav>",
             "<div class=\"article\">"]
    for kind, content in blocks(report):
        if kind == "title":
            parts.append(f"<h1>{esc(content)}</h1>")
        elif kind == "table":
            parts.append("<table border=\"1\" cellspacing=\"0\"><tbody>")
            for row in content:
                tds = []
                for cell in row:
                    attrs = ""
                    if cell.colspan > 1:
                        attrs += f" colspan=\"{cell.colspan}\""
                    if cell.rowspan > 1:
                        attrs += f" rowspan=\"{cell.rowspan}\""
                    text = esc(cell.text)
                    if cell.header and style.split_headers and len(cell.text) >= 4:
                        text = "".join(f"<p>{esc(t)}</p>" for t in _split_header(rng, cell.text).split("\n"))
                    elif not cell.text:
                        text = rng.choice(["", "&nbsp;", " "])
                    tds.append(f"<td{attrs}>{text}</td>")
                parts.append("<tr>" + "".join(tds) + "</tr>")
            parts.append("</tbody></table>")
        elif kind == "sign":
            parts.append(f"<p style=\"text-align:right\">{esc(content)}</p>")
        else:
            parts.append(f"<p>{esc(content)}</p>")
    parts += ["</div>", "<footer>主办单位：" + esc(report.organ.name) + "　网站标识码：" +
              str(rng.randint(1000000000, 9999999999)) + "</footer>", "</body></html>"]
    return "\n".join(parts) + "\n"


RENDER = {"text": render_text, "cells": render_cells, "html": render_html}


def manifest_entry(report: Report) -> dict[str, Any]:
    defects = []
    for d in report.defects:
        defects.append({k: v for k, v in d.items()})
    expected = [e for d in report.defects for e in d["expected"]]
    return {"file": report.file, "shape": report.shape, "organ": report.organ.name, "year": report.year,
            "format": report.fmt, "year_format": report.year_format, "defects": defects, "expected": expected}


def generate(outdir: str | Path, count: int, seed: int, shapes: list[str] | tuple[str, ...] = SHAPES,
             start: int = 0) -> dict[str, Any]:
    """Write `count` reports (shapes in turn) and manifest.json into outdir; return the manifest."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for offset in range(count):
        index = start + offset
        shape = shapes[offset % len(shapes)]
        report = build(index, seed, shape)
        (out / report.file).write_text(RENDER[shape](report), encoding="utf-8")
        entries.append(manifest_entry(report))
    manifest = {"generator": "benchmarks/generate.py", "seed": seed, "count": count, "shapes": list(shapes),
                "reports": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shapes", default="text,cells,html",
                        help="comma-separated, used in turn (default text,cells,html)")
    args = parser.parse_args(argv)
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown or not shapes:
        parser.error(f"unknown shape(s): {', '.join(unknown) or '(none)'}; choose from {', '.join(SHAPES)}")
    manifest = generate(args.outdir, args.count, args.seed, shapes)
    defective = sum(1 for e in manifest["reports"] if e["expected"])
    injected = sum(len(e["expected"]) for e in manifest["reports"])
    print(f"{args.count} reports in {args.outdir} ({defective} with defects, {injected} expected findings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

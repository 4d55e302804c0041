"""Small report texts for the narrative tests: a title, the text of the parts,
and tables three and four written from a few totals (every other cell 0).

Written by hand for the tests; nothing here is produced by gxaudit.
"""
from __future__ import annotations

APPLICATION_ROWS_2021 = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_secret", "1.属于国家秘密"),
    ("denied_law", "2.其他法律行政法规禁止公开"),
    ("denied_security", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal", "5.属于三类内部事务信息"),
    ("denied_process", "6.属于四类过程性信息"),
    ("denied_case_file", "7.属于行政执法案卷"),
    ("denied_query", "8.属于行政查询事项"),
    ("unable_not_held", "1.本机关不掌握相关政府信息"),
    ("unable_need_create", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"),
    ("rejected_petition", "1.信访举报投诉类申请"),
    ("rejected_repeat", "2.重复申请"),
    ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_mass", "4.无正当理由大量反复申请"),
    ("rejected_confirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
    ("results_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
APPLICATION_ROWS_2019 = [
    r for r in APPLICATION_ROWS_2021 if not r[0].startswith("other_")
]
APPLICATION_ROWS_2019.insert(
    [r[0] for r in APPLICATION_ROWS_2019].index("results_total"), ("other_handling", "（六）其他处理")
)
REVIEW_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def row(label: str, total: int) -> str:
    """A table-three row whose applications are all natural persons."""
    return "\t".join([label, str(total), "0", "0", "0", "0", "0", str(total)])


def report(
    *,
    year: int = 2023,
    organ: str = "某区人民政府",
    overview: str = "",
    applications_text: str = "",
    review_text: str = "",
    problems_text: str = "",
    rows: dict[str, int] | None = None,
    cases: dict[str, dict[str, int]] | None = None,
    in_force: tuple[int, int] | None = None,
) -> str:
    """A report text. `rows`: table-three totals by row id (others 0, results_total
    the sum of the result rows unless given); `cases`: table-four cells by block and
    column (totals added unless given); `in_force`: 现行有效 of 规章 and 规范性文件."""
    fmt_2021 = year >= 2021
    rows = dict(rows or {})
    spec = APPLICATION_ROWS_2021 if fmt_2021 else APPLICATION_ROWS_2019
    results = [r for r, _ in spec if r not in ("new", "carried_over", "results_total", "carried_forward")]
    rows.setdefault("results_total", sum(rows.get(r, 0) for r in results))
    lines = [f"{organ}{year}年政府信息公开工作年度报告", "一、总体情况"]
    lines += [t for t in overview.split("\n") if t] or ["本年度政府信息公开工作有序开展。"]
    lines.append("二、主动公开政府信息情况")
    if in_force is not None and fmt_2021:
        lines += ["第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
                  f"规章\t0\t0\t{in_force[0]}", f"行政规范性文件\t0\t0\t{in_force[1]}"]
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += [t for t in applications_text.split("\n") if t]
    lines += [row(label, rows.get(rid, 0)) for rid, label in spec]
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += [t for t in review_text.split("\n") if t]
    lines += ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计"]
    values = []
    for block in REVIEW_BLOCKS:
        cells = dict((cases or {}).get(block, {}))
        cells.setdefault("total", sum(cells.get(c, 0) for c in REVIEW_COLUMNS[:4]))
        values += [str(cells.get(c, 0)) for c in REVIEW_COLUMNS]
    lines.append("\t".join(values))
    lines.append("五、存在的主要问题及改进情况")
    lines += [t for t in problems_text.split("\n") if t] or ["信息公开的及时性有待提高。"]
    lines.append("六、其他需要报告的事项")
    lines.append("本年度未收取信息处理费。")
    return "\n".join(lines)

"""Hand-written expected parse of the Markdown report in shared/corpus/.

Every value below was read by a person from the Markdown file (not produced
by running the adapter or the parser). Line numbers are 1-based lines of
the Markdown file; the adapter keeps them for every line outside a rebuilt
table (a rebuilt table is padded to its original length).

Cell encoding (same as golden_seeds.py):
  * a plain ``int``           -> kind "number", that value, unit None
  * ``(kind, value, unit)``   -> anything else, e.g. ("empty", None, None)
"""

APPLICATION_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social",
    "legal",
    "other",
    "total",
)
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

EMPTY = ("empty", None, None)


def _r(*values):
    """One table-three row, values in printed column order."""
    assert len(values) == len(APPLICATION_COLUMNS), values
    return dict(zip(APPLICATION_COLUMNS, values))


def _b(*values):
    """One table-four block, values in printed column order."""
    assert len(values) == len(REVIEW_COLUMNS), values
    return dict(zip(REVIEW_COLUMNS, values))


ZEROS = _r(0, 0, 0, 0, 0, 0, 0)

GOLDEN = {
    # ------------------------------------------------------------------
    # 014: 上海市科学技术委员会 (市科委) 2024, Markdown extracted from the
    # PDF.  Title on lines 2-3 ("2024 年上海市科委政府信息公开工作" /
    # "年度报告"), the organ after the year.  Format 2021 (本年制发件数 …,
    # four blocks).  Outline: 一…六 of 总体情况's topics, then the tables
    # under 一、二、三 again, no 四 heading before （一）主要问题, and
    # 五、其他需要报告的事项.
    # ------------------------------------------------------------------
    "014_shanghai_kewei_2024_pdf2md.md": {
        "title": "2024 年上海市科委政府信息公开工作年度报告",
        "organ": "上海市科委",
        "year": 2024,
        "format": "2021",
        # part headings as written: (numeral, heading text, Markdown line)
        "headings": [
            ("一", "总体情况", 13),
            ("二", "工作机制保障", 23),
            ("三", "主动公开工作情况", 30),
            ("四", "政府信息公开申请情况", 41),
            ("五", "政府信息管理", 48),
            ("六", "政府信息公开平台建设", 55),
            ("一", "主动公开政府信息情况", 73),
            ("二", "收到和处理政府信息公开申请情况", 91),
            ("三", "政府信息公开行政复议、行政诉讼情况", 180),
            ("五", "其他需要报告的事项", 205),
        ],
        "proactive": {
            "item1": {
                # l.74 is the block heading; its table (l.86-89) was moved
                # by the extractor after item8's block.
                "rules": {"issued": 0, "repealed": 0, "in_force": 0},  # l.88
                "normative_docs": {"issued": 13, "repealed": 0, "in_force": 55},  # l.89 规范性文件
            },
            "item5": {
                "licensing": {"decisions": 97},  # l.77 "行政许可 97"
            },
            "item6": {
                "penalty": {"decisions": 0},  # l.80
                "enforcement": {"decisions": 0},  # l.81
            },
            "item8": {
                "fees": {"amount": 0},  # l.84 ("0", unit only in the header, l.83)
            },
        },
        "applications": {
            "new": _r(32, 2, 0, 0, 0, 0, 34),  # l.102
            "carried_over": _r(2, 0, 0, 0, 0, 0, 2),  # l.103
            "granted": _r(9, 0, 0, 0, 0, 0, 9),  # l.104 (group cell "三、", 本年度办理结果 vertical)
            "partial": ZEROS,  # values l.105, label l.108+110
            "denied_secret": ZEROS,  # l.114
            "denied_law": ZEROS,  # values l.116, label l.112-113
            "denied_security": ZEROS,  # l.118
            "denied_third_party": ZEROS,  # l.120
            "denied_internal": _r(1, 0, 0, 0, 0, 0, 1),  # values l.128, label l.124-125
            "denied_process": _r(1, 0, 0, 0, 0, 0, 1),  # l.130
            "denied_case_file": ZEROS,  # l.132
            "denied_query": ZEROS,  # l.133
            "unable_not_held": _r(4, 0, 0, 0, 0, 0, 4),  # values l.134, label l.126-127
            "unable_need_create": _r(6, 0, 0, 0, 0, 0, 6),  # values l.141, label l.137-138
            "unable_unclear": ZEROS,  # values l.143, label l.139-140
            "rejected_petition": ZEROS,  # l.145
            "rejected_repeat": ZEROS,  # l.147
            "rejected_publication": ZEROS,  # l.148
            "rejected_mass": ZEROS,  # values l.159, label l.151-152
            "rejected_confirm": ZEROS,  # values l.161, label l.153-154
            "other_no_correction": _r(8, 2, 0, 0, 0, 0, 10),  # values l.163, label l.155-158
            "other_no_fee": ZEROS,  # values l.173, label l.168-171
            "other_misc": _r(4, 0, 0, 0, 0, 0, 4),  # l.175
            "results_total": _r(33, 2, 0, 0, 0, 0, 35),  # l.177
            # l.178: the 总计 cell of this row is empty in the Markdown.  A lone
            # "1" sits on l.172, between the loose labels of （六）; it is most
            # likely this cell (row sum 1; 34 + 2 = 35 + 1; the text says
            # 转下一年度办理答复的有 1 件), but nothing in the file ties it to
            # this cell, so the adapter leaves it out and reports it.
            "carried_forward": _r(1, 0, 0, 0, 0, 0, EMPTY),
        },
        "review_litigation": {  # data l.189, header pieces l.181-187
            "review": _b(1, 0, 0, 0, 1),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(0, 0, 0, 0, 0),
        },
        # table content the adapter cannot place: (Markdown line, text)
        "unplaced": [(172, "1")],
    },
}

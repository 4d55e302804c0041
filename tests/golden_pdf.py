"""Hand-written expected parses of the three PDF reports in shared/corpus/.

Every value below was read by a person from the printed pages (rendered with
``pdftoppm -r 160`` and read on screen), not produced by running the adapter
or the parser.  Page numbers in the comments are the printed page numbers.

Cell encoding (V), as in ``golden_seeds.py``:
  * a plain ``int``           -> kind "number", that value, unit None
  * ``(kind, value, unit)``   -> anything else, e.g.
      ("number", "7730.28", None)   a decimal, value as a decimal string

Sections are ``(numeral, id, heading as printed)``: line numbers depend on
how the PDF text is laid out, which is not something a reader of the page
can know, so they are not compared (their order is).
"""

from golden_seeds import _b, _r

SIX_PARTS = [
    ("一", "overview", "总体情况"),
    ("二", "proactive", "主动公开政府信息情况"),
    ("三", "applications", "收到和处理政府信息公开申请情况"),
    ("四", "review_litigation", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "problems", "存在的主要问题及改进情况"),
    ("六", "other_matters", "其他需要报告的事项"),
]

GOLDEN = {
    # ------------------------------------------------------------------
    # 008: 洪泽区人民政府 2023 (WPS PDF, 5 pages).  Title on two centred
    # lines (p.1).  Format 2021 (本年制发件数 …) but table three prints
    # （六）其他处理 as ONE row, as the 2019 format did: 23 rows.
    # Table two runs from p.2 to p.3 (the 第二十条第（六）项 bar ends p.2);
    # table three from p.3 to p.4, its 三、本年度办理结果 printed one
    # character per line; row 2 of 不予公开 is printed truncated
    # "2.其他法律行政止公开".  Table four (p.4) as printed, with its defects:
    # 行政复议 总计 0 although 维持 10 + 纠正 1; 复议后起诉 总计 0 although 维持 5.
    # ------------------------------------------------------------------
    "008_huaian_hongzequ_2023.pdf": {
        "title": "洪泽区人民政府2023年政府信息公开工作年度报告",
        "organ": "洪泽区人民政府",
        "year": 2023,
        "format": "2021",
        "sections": SIX_PARTS,
        "proactive": {
            "item1": {  # p.2
                "rules": {"issued": 0, "repealed": 0, "in_force": 0},
                "normative_docs": {"issued": 0, "repealed": 5, "in_force": 5},
            },
            "item5": {  # p.2
                "licensing": {"decisions": 550},
            },
            "item6": {  # heading p.2, rows p.3
                "penalty": {"decisions": 4119},
                "enforcement": {"decisions": 195},
            },
            "item8": {  # p.3, unit 万元 in the column header only
                "fees": {"amount": ("number", "7730.28", None)},
            },
        },
        "applications": {
            "new": _r(21, 0, 0, 0, 0, 0, 21),  # p.3
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),
            "granted": _r(0, 0, 0, 0, 0, 0, 0),
            "partial": _r(4, 0, 0, 0, 0, 0, 4),
            "denied_secret": _r(1, 0, 0, 0, 0, 0, 1),
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # "2.其他法律行政止公开"
            "denied_security": _r(0, 0, 0, 0, 0, 0, 0),
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),
            "denied_internal": _r(0, 0, 0, 0, 0, 0, 0),
            "denied_process": _r(1, 0, 0, 0, 0, 0, 1),
            "denied_case_file": _r(1, 0, 0, 0, 0, 0, 1),
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),
            "unable_not_held": _r(10, 0, 0, 0, 0, 0, 10),
            "unable_need_create": _r(3, 0, 0, 0, 0, 0, 3),  # last row of p.3
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),  # first row of p.4
            "rejected_petition": _r(1, 0, 0, 0, 0, 0, 1),
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),
            "other_handling": _r(0, 0, 0, 0, 0, 0, 0),
            "results_total": _r(21, 0, 0, 0, 0, 0, 21),
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),
        },
        "review_litigation": {  # p.4
            "review": _b(10, 1, 0, 0, 0),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(5, 0, 0, 0, 0),
        },
    },
    # ------------------------------------------------------------------
    # 009: 淮安市洪泽区人民政府 2024 (same organ, next year; 5 pages).  Same
    # layout as 008: 23-row table three in a 2021-format report, truncated
    # "2.其他法律行政止公开", vertical 三、本年度办理结果.  Table two p.2-3,
    # table three p.3-4 (break after 1.本机关不掌握相关政府信息), table four p.4.
    # ------------------------------------------------------------------
    "009_huaian_hongzequ_2024.pdf": {
        "title": "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
        "organ": "淮安市洪泽区人民政府",
        "year": 2024,
        "format": "2021",
        "sections": SIX_PARTS,
        "proactive": {
            "item1": {  # p.2
                "rules": {"issued": 0, "repealed": 0, "in_force": 0},
                "normative_docs": {"issued": 3, "repealed": 0, "in_force": 8},
            },
            "item5": {  # p.2
                "licensing": {"decisions": 9487},
            },
            "item6": {  # p.3
                "penalty": {"decisions": 2776},
                "enforcement": {"decisions": 84},
            },
            "item8": {  # p.3
                "fees": {"amount": 7545},
            },
        },
        "applications": {
            "new": _r(95, 0, 0, 0, 0, 0, 95),  # p.3
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),
            "granted": _r(50, 0, 0, 0, 0, 0, 50),
            "partial": _r(9, 0, 0, 0, 0, 0, 9),
            "denied_secret": _r(0, 0, 0, 0, 0, 0, 0),
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # "2.其他法律行政止公开"
            "denied_security": _r(1, 0, 0, 0, 0, 0, 1),
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),
            "denied_internal": _r(0, 0, 0, 0, 0, 0, 0),
            "denied_process": _r(1, 0, 0, 0, 0, 0, 1),
            "denied_case_file": _r(1, 0, 0, 0, 0, 0, 1),
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),
            "unable_not_held": _r(31, 0, 0, 0, 0, 0, 31),  # last row of p.3
            "unable_need_create": _r(1, 0, 0, 0, 0, 0, 1),  # first row of p.4
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_petition": _r(1, 0, 0, 0, 0, 0, 1),
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),
            "other_handling": _r(0, 0, 0, 0, 0, 0, 0),
            "results_total": _r(95, 0, 0, 0, 0, 0, 95),
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),
        },
        "review_litigation": {  # p.4
            "review": _b(1, 1, 0, 0, 2),
            "litigation_direct": _b(1, 0, 0, 0, 1),
            "litigation_after_review": _b(2, 0, 1, 0, 3),
        },
    },
    # ------------------------------------------------------------------
    # 010: 淮安市人民政府 2024 (6 pages).  Table two p.3-4 (break after the
    # 第二十条 第（六）项 bar), table three p.4-5 with the full 25 rows; the
    # page break cuts the group label "（四）无" / "法提供".  Table four p.5.
    # Everything balances: 新收 3119 + 结转 34 = 办结 3050 + 结转下年 103.
    # ------------------------------------------------------------------
    "010_huaian_shi_2024.pdf": {
        "title": "淮安市人民政府2024年政府信息公开工作年度报告",
        "organ": "淮安市人民政府",
        "year": 2024,
        "format": "2021",
        "sections": SIX_PARTS,
        "proactive": {
            "item1": {  # p.3
                "rules": {"issued": 1, "repealed": 0, "in_force": 11},
                "normative_docs": {"issued": 8, "repealed": 26, "in_force": 66},
            },
            "item5": {  # p.3
                "licensing": {"decisions": 447228},
            },
            "item6": {  # heading p.3, rows p.4
                "penalty": {"decisions": 3985758},
                "enforcement": {"decisions": 88283},
            },
            "item8": {  # p.4
                "fees": {"amount": ("number", "96171.6", None)},
            },
        },
        "applications": {
            "new": _r(3001, 53, 0, 0, 61, 4, 3119),  # p.4
            "carried_over": _r(34, 0, 0, 0, 0, 0, 34),
            "granted": _r(1288, 21, 0, 0, 50, 3, 1362),
            "partial": _r(447, 7, 0, 0, 0, 0, 454),
            "denied_secret": _r(2, 0, 0, 0, 0, 0, 2),
            "denied_law": _r(30, 1, 0, 0, 0, 0, 31),
            "denied_security": _r(5, 0, 0, 0, 0, 0, 5),
            "denied_third_party": _r(6, 0, 0, 0, 0, 0, 6),
            "denied_internal": _r(7, 1, 0, 0, 0, 0, 8),
            "denied_process": _r(12, 0, 0, 0, 0, 0, 12),
            "denied_case_file": _r(9, 0, 0, 0, 0, 0, 9),
            "denied_query": _r(105, 0, 0, 0, 0, 0, 105),
            "unable_not_held": _r(746, 12, 0, 0, 10, 1, 769),  # last row of p.4
            "unable_need_create": _r(11, 0, 0, 0, 0, 0, 11),  # first row of p.5
            "unable_unclear": _r(1, 0, 0, 0, 0, 0, 1),
            "rejected_petition": _r(56, 6, 0, 0, 0, 0, 62),
            "rejected_repeat": _r(25, 0, 0, 0, 0, 0, 25),
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),
            "rejected_confirm": _r(1, 0, 0, 0, 0, 0, 1),
            "other_no_correction": _r(67, 3, 0, 0, 1, 0, 71),
            "other_no_fee": _r(6, 0, 0, 0, 0, 0, 6),
            "other_misc": _r(108, 2, 0, 0, 0, 0, 110),
            "results_total": _r(2932, 53, 0, 0, 61, 4, 3050),
            "carried_forward": _r(103, 0, 0, 0, 0, 0, 103),
        },
        "review_litigation": {  # p.5
            "review": _b(72, 64, 178, 37, 351),
            "litigation_direct": _b(13, 4, 8, 1, 26),
            "litigation_after_review": _b(12, 1, 1, 6, 20),
        },
    },
}

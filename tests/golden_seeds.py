"""Hand-written expected parses of the five seed reports in shared/seeds/.

Every value below was read by a person from the report text (not produced
by running a parser).  Line numbers are 1-based line numbers of the seed
file.

Cell encoding (V):
  * a plain ``int``           -> kind "number", that value, unit None
  * ``(kind, value, unit)``   -> anything else, e.g.
      ("number", -262, None)              signed number "-262"
      ("empty", None, None)               empty cell
      ("text", None, None)                a word such as "增"
      ("number_with_unit", "0", "万元")   value as a decimal string
"""

# Table-three column order: natural_person, commercial, research, social,
# legal, other, total.
APPLICATION_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social",
    "legal",
    "other",
    "total",
)

# Table-four column order inside each block.
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

EMPTY = ("empty", None, None)
TEXT = ("text", None, None)


def _r(*values):
    """One table-three row, values in printed column order."""
    assert len(values) == len(APPLICATION_COLUMNS), values
    return dict(zip(APPLICATION_COLUMNS, values))


def _b(*values):
    """One table-four block, values in printed column order."""
    assert len(values) == len(REVIEW_COLUMNS), values
    return dict(zip(REVIEW_COLUMNS, values))


GOLDEN = {
    # ------------------------------------------------------------------
    # 000: 半坡镇人民政府 2020, one table row per line, tab separated.
    # ------------------------------------------------------------------
    "000_f29079d135fdfab1.txt": {
        "title": "半坡镇人民政府2020年政府信息公开工作年度报告",
        "organ": "半坡镇人民政府",
        "year": 2020,
        "format": "2019",
        "sections": [
            ("一", "overview", 5),
            ("二", "proactive", 33),
            ("三", "applications", 55),
            ("四", "review_litigation", 84),
            ("五", "problems", 91),
            ("六", "other_matters", 97),
        ],
        "proactive": {
            "item1": {
                "rules": {"made": 0, "published": 0, "total_public": 0},  # l.37
                "normative_docs": {"made": 0, "published": 0, "total_public": 0},  # l.38
            },
            "item5": {
                "licensing": {"prev_items": 0, "change": 0, "decisions": 0},  # l.41
                "other_services": {"prev_items": 0, "change": 0, "decisions": 0},  # l.42
            },
            "item6": {
                "penalty": {"prev_items": 0, "change": 0, "decisions": 0},  # l.45
                "enforcement": {"prev_items": 0, "change": 0, "decisions": 0},  # l.46
            },
            "item8": {
                "fees": {"prev_items": 0, "change": 0},  # l.50
            },
            "item9": {
                "procurement": {"projects": 0, "amount": 0},  # l.53
            },
        },
        "applications": {
            "new": _r(1, 0, 0, 0, 0, 0, 1),  # l.60
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),  # l.61
            "granted": _r(0, 0, 0, 0, 0, 0, 0),  # l.62
            "partial": _r(0, 0, 0, 0, 0, 0, 0),  # l.63
            "denied_secret": _r(0, 0, 0, 0, 0, 0, 0),  # l.64
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # l.65 "其他法律法规禁止公开"
            "denied_security": _r(0, 0, 0, 0, 0, 0, 0),  # l.66
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),  # l.67
            "denied_internal": _r(1, 0, 0, 0, 0, 0, 1),  # l.68
            "denied_process": _r(0, 0, 0, 0, 0, 0, 0),  # l.69
            "denied_case_file": _r(0, 0, 0, 0, 0, 0, 0),  # l.70
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),  # l.71
            "unable_not_held": _r(0, 0, 0, 0, 0, 0, 0),  # l.72
            "unable_need_create": _r(0, 0, 0, 0, 0, 0, 0),  # l.73
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),  # l.74
            "rejected_petition": _r(0, 0, 0, 0, 0, 0, 0),  # l.75
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),  # l.76
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),  # l.77
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),  # l.78
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),  # l.79
            "other_handling": _r(0, 0, 0, 0, 0, 0, 0),  # l.80
            "results_total": _r(1, 0, 0, 0, 0, 0, 1),  # l.81
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),  # l.82
        },
        "review_litigation": {  # l.89
            "review": _b(0, 0, 0, 0, 0),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(0, 0, 0, 0, 0),
        },
    },
    # ------------------------------------------------------------------
    # 001: 新青镇 2020.  Spaces inside the title line are kept.  Its part
    # 二 heading says 其他需要报告的事项 (the table-two data sits under it),
    # and there is no 五/六.  Table four's data row starts with five empty
    # cells (the 行政复议 block).
    # ------------------------------------------------------------------
    "001_0843dfdf5e1a4b6d.txt": {
        "title": "新青镇 2020 年政府信息公开工作报告",
        "organ": "新青镇",
        "year": 2020,
        "format": "2019",
        "sections": [
            ("一", "overview", 5),
            ("二", "other_matters", 21),
            ("三", "applications", 43),
            ("四", "review_litigation", 75),
        ],
        "proactive": {
            "item1": {
                "rules": {"made": 0, "published": 0, "total_public": 0},  # l.25
                "normative_docs": {"made": 0, "published": 0, "total_public": 0},  # l.26
            },
            "item5": {
                "licensing": {"prev_items": 0, "change": 0, "decisions": 0},  # l.29
                "other_services": {"prev_items": 0, "change": 0, "decisions": 0},  # l.30
            },
            "item6": {
                "penalty": {"prev_items": 0, "change": 0, "decisions": 0},  # l.33
                "enforcement": {"prev_items": 0, "change": 0, "decisions": 0},  # l.35
            },
            "item8": {
                "fees": {"prev_items": 0, "change": 0},  # l.38 (trailing tab not a cell)
            },
            "item9": {
                "procurement": {"projects": 0, "amount": 0},  # l.41 (trailing tab not a cell)
            },
        },
        "applications": {
            "new": _r(0, 0, 0, 0, 0, 0, 0),  # l.48
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),  # l.49
            "granted": _r(0, 0, 0, 0, 0, 0, 0),  # l.50
            "partial": _r(0, 0, 0, 0, 0, 0, 0),  # l.51
            "denied_secret": _r(0, 0, 0, 0, 0, 0, 0),  # l.52
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # l.53 (label continues on l.55)
            "denied_security": _r(0, 0, 0, 0, 0, 0, 0),  # l.56
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),  # l.57
            "denied_internal": _r(0, 0, 0, 0, 0, 0, 0),  # l.58
            "denied_process": _r(0, 0, 0, 0, 0, 0, 0),  # l.59
            "denied_case_file": _r(0, 0, 0, 0, 0, 0, 0),  # l.60
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),  # l.61
            "unable_not_held": _r(0, 0, 0, 0, 0, 0, 0),  # l.62
            "unable_need_create": _r(0, 0, 0, 0, 0, 0, 0),  # l.63
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),  # l.64
            "rejected_petition": _r(0, 0, 0, 0, 0, 0, 0),  # l.65
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),  # l.67
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),  # l.68
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),  # l.69
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),  # l.70
            "other_handling": _r(0, 0, 0, 0, 0, 0, 0),  # l.71
            "results_total": _r(0, 0, 0, 0, 0, 0, 0),  # l.72
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),  # l.73
        },
        "review_litigation": {  # l.80: five empty cells, then ten 0
            "review": _b(EMPTY, EMPTY, EMPTY, EMPTY, EMPTY),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(0, 0, 0, 0, 0),
        },
    },
    # ------------------------------------------------------------------
    # 002: 焦虎镇 2021, format 2021 (本年制发件数…, four blocks).
    # ------------------------------------------------------------------
    "002_44a23edc808f0eac.txt": {
        "title": "焦虎镇2021年政府信息公开工作年度报告",
        "organ": "焦虎镇",
        "year": 2021,
        "format": "2021",
        "sections": [
            ("一", "overview", 5),
            ("二", "proactive", 19),
            ("三", "applications", 36),
            ("四", "review_litigation", 69),
            ("五", "problems", 76),
            ("六", "other_matters", 82),
        ],
        "proactive": {
            "item1": {
                "rules": {"issued": 0, "repealed": 0, "in_force": 0},  # l.23
                "normative_docs": {"issued": 455, "repealed": 0, "in_force": 455},  # l.24
            },
            "item5": {
                "licensing": {"decisions": 0},  # l.27
            },
            "item6": {
                "penalty": {"decisions": 0},  # l.30
                "enforcement": {"decisions": 0},  # l.31
            },
            "item8": {
                "fees": {"amount": 0},  # l.34 ("0", unit only in the header)
            },
        },
        "applications": {
            "new": _r(0, 0, 0, 0, 0, 0, 0),  # l.43
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),  # l.44
            "granted": _r(0, 0, 0, 0, 0, 0, 0),  # l.45
            "partial": _r(0, 0, 0, 0, 0, 0, 0),  # l.46
            "denied_secret": _r(0, 0, 0, 0, 0, 0, 0),  # l.47
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # l.48 "其他法律法规禁止公开"
            "denied_security": _r(0, 0, 0, 0, 0, 0, 0),  # l.49
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),  # l.50
            "denied_internal": _r(0, 0, 0, 0, 0, 0, 0),  # l.51
            "denied_process": _r(0, 0, 0, 0, 0, 0, 0),  # l.52
            "denied_case_file": _r(0, 0, 0, 0, 0, 0, 0),  # l.53
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),  # l.54
            "unable_not_held": _r(0, 0, 0, 0, 0, 0, 0),  # l.55
            "unable_need_create": _r(0, 0, 0, 0, 0, 0, 0),  # l.56
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),  # l.57
            "rejected_petition": _r(0, 0, 0, 0, 0, 0, 0),  # l.58
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),  # l.59
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),  # l.60
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),  # l.61
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),  # l.62
            "other_no_correction": _r(0, 0, 0, 0, 0, 0, 0),  # l.63
            "other_no_fee": _r(0, 0, 0, 0, 0, 0, 0),  # l.64
            "other_misc": _r(0, 0, 0, 0, 0, 0, 0),  # l.65
            "results_total": _r(0, 0, 0, 0, 0, 0, 0),  # l.66
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),  # l.67
        },
        "review_litigation": {  # l.74
            "review": _b(0, 0, 0, 0, 0),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(0, 0, 0, 0, 0),
        },
    },
    # ------------------------------------------------------------------
    # 003: 建塘镇人民政府 2020, one cell per line (Word export).  Title is
    # split over lines 1-2.  No part 六.  本年增/减 is "增" in item5.
    # ------------------------------------------------------------------
    "003_51b21fc9b3159953.txt": {
        "title": "建塘镇人民政府2020年度政府信息公开工作报告",
        "organ": "建塘镇人民政府",
        "year": 2020,
        "format": "2019",
        "sections": [
            ("一", "overview", 4),
            ("二", "proactive", 13),
            ("三", "applications", 86),
            ("四", "review_litigation", 354),
            ("五", "problems", 399),  # "存在问题及改进情况" (variant wording)
        ],
        "proactive": {
            "item1": {
                "rules": {"made": 0, "published": 0, "total_public": 0},  # l.22-24
                "normative_docs": {"made": 0, "published": 0, "total_public": 0},  # l.27-29
            },
            "item5": {
                "licensing": {"prev_items": 0, "change": TEXT, "decisions": 0},  # l.39-41
                "other_services": {"prev_items": 0, "change": TEXT, "decisions": 0},  # l.44-46
            },
            "item6": {
                "penalty": {"prev_items": 0, "change": 0, "decisions": 0},  # l.56-58
                "enforcement": {"prev_items": 0, "change": 0, "decisions": 0},  # l.61-63
            },
            "item8": {
                "fees": {"prev_items": 0, "change": 0},  # l.72-73
            },
            "item9": {
                "procurement": {  # l.82-83
                    "projects": 0,
                    "amount": ("number_with_unit", "0", "万元"),
                },
            },
        },
        "applications": {
            "new": _r(0, 0, 0, 0, 0, 0, 0),  # l.111-117
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),  # l.120-126 "上年转结"
            "granted": _r(0, 0, 0, 0, 0, 0, 0),  # l.130-136
            "partial": _r(0, 0, 0, 0, 0, 0, 0),  # l.140-146
            "denied_secret": _r(0, 0, 0, 0, 0, 0, 0),  # l.151-157
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # l.162-168
            "denied_security": _r(0, 0, 0, 0, 0, 0, 0),  # l.173-179
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),  # l.184-190
            "denied_internal": _r(0, 0, 0, 0, 0, 0, 0),  # l.195-201
            "denied_process": _r(0, 0, 0, 0, 0, 0, 0),  # l.206-212
            "denied_case_file": _r(0, 0, 0, 0, 0, 0, 0),  # l.217-223
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),  # l.228-234
            "unable_not_held": _r(0, 0, 0, 0, 0, 0, 0),  # l.239-245
            "unable_need_create": _r(0, 0, 0, 0, 0, 0, 0),  # l.250-256
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),  # l.261-267 "补征后早请…"
            "rejected_petition": _r(0, 0, 0, 0, 0, 0, 0),  # l.272-278
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),  # l.283-289
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),  # l.294-300
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),  # l.305-311
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),  # l.316-322
            "other_handling": _r(0, 0, 0, 0, 0, 0, 0),  # l.326-332
            "results_total": _r(0, 0, 0, 0, 0, 0, 0),  # l.336-342
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),  # l.345-351
        },
        "review_litigation": {  # l.382-396
            "review": _b(0, 0, 0, 0, 0),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(0, 0, 0, 0, 0),
        },
    },
    # ------------------------------------------------------------------
    # 004: 景泰县 2020, one cell per line with stray space-only lines and
    # cells padded with spaces ("0 ", " 0", "34  ").  Signed 本年增/减
    # values and an amount "24575.93万".  Part 六's heading line starts
    # with a "[bookmark: _GoBack]" export artefact (l.641).
    # ------------------------------------------------------------------
    "004_e00e53dea6302a83.txt": {
        "title": "景泰县2020年政府信息公开工作年度报告",
        "organ": "景泰县",
        "year": 2020,
        "format": "2019",
        "sections": [
            ("一", "overview", 4),
            ("二", "proactive", 12),
            ("三", "applications", 119),
            ("四", "review_litigation", 566),
            ("五", "problems", 632),
            ("六", "other_matters", 641),
        ],
        "proactive": {
            "item1": {
                "rules": {"made": 0, "published": 0, "total_public": 0},  # l.29-31
                "normative_docs": {"made": 5, "published": 5, "total_public": 27},  # l.35-37
            },
            "item5": {
                "licensing": {  # l.53-55
                    "prev_items": 223,
                    "change": ("number", 23, None),  # "+23"
                    "decisions": 31810,
                },
                "other_services": {  # l.59-61
                    "prev_items": 431,
                    "change": ("number", -262, None),
                    "decisions": 296626,
                },
            },
            "item6": {
                "penalty": {  # l.77-79
                    "prev_items": 255,
                    "change": ("number", -42, None),
                    "decisions": 322,
                },
                "enforcement": {  # l.83-85
                    "prev_items": 123,
                    "change": ("number", -73, None),
                    "decisions": 331,
                },
            },
            "item8": {
                "fees": {"prev_items": 34, "change": 0},  # l.99-100
            },
            "item9": {
                "procurement": {  # l.114-115
                    "projects": 177,
                    "amount": ("number_with_unit", "24575.93", "万"),
                },
            },
        },
        "applications": {
            "new": _r(10, 0, 0, 0, 0, 0, 10),  # l.149-160
            "carried_over": _r(0, 0, 0, 0, 0, 0, 0),  # l.164-176
            "granted": _r(1, 0, 0, 0, 0, 0, 1),  # l.183-194
            "partial": _r(2, 0, 0, 0, 0, 0, 2),  # l.199-210
            "denied_secret": _r(0, 0, 0, 0, 0, 0, 0),  # l.217-229
            "denied_law": _r(0, 0, 0, 0, 0, 0, 0),  # l.236-248
            "denied_security": _r(0, 0, 0, 0, 0, 0, 0),  # l.255-267
            "denied_third_party": _r(0, 0, 0, 0, 0, 0, 0),  # l.274-286
            "denied_internal": _r(0, 0, 0, 0, 0, 0, 0),  # l.293-305
            "denied_process": _r(0, 0, 0, 0, 0, 0, 0),  # l.312-324
            "denied_case_file": _r(0, 0, 0, 0, 0, 0, 0),  # l.331-343
            "denied_query": _r(0, 0, 0, 0, 0, 0, 0),  # l.350-362
            "unable_not_held": _r(4, 0, 0, 0, 0, 0, 4),  # l.370-381
            "unable_need_create": _r(3, 0, 0, 0, 0, 0, 3),  # l.387-398
            "unable_unclear": _r(0, 0, 0, 0, 0, 0, 0),  # l.404-416
            "rejected_petition": _r(0, 0, 0, 0, 0, 0, 0),  # l.424-436
            "rejected_repeat": _r(0, 0, 0, 0, 0, 0, 0),  # l.443-455
            "rejected_publication": _r(0, 0, 0, 0, 0, 0, 0),  # l.462-474
            "rejected_mass": _r(0, 0, 0, 0, 0, 0, 0),  # l.481-493
            "rejected_confirm": _r(0, 0, 0, 0, 0, 0, 0),  # l.500-512
            "other_handling": _r(0, 0, 0, 0, 0, 0, 0),  # l.518-530
            "results_total": _r(10, 0, 0, 0, 0, 0, 10),  # l.536-547
            "carried_forward": _r(0, 0, 0, 0, 0, 0, 0),  # l.551-563
        },
        "review_litigation": {  # l.614-628
            "review": _b(0, 0, 0, 0, 0),
            "litigation_direct": _b(0, 0, 0, 0, 0),
            "litigation_after_review": _b(0, 0, 0, 0, 0),
        },
    },
}

"""A signing date written in full-width digits ("２０２３年６月３０日"), with 元月 for January
("2023年元月20日", "二〇二三年元月二十日") or with 0 typed for 〇 ("二0二三年一月二十日") is read
as the signature's date wherever its ASCII form is: before, none of these was read, so no
timeliness check was made (a late report went unnoticed). A form that does not name a day of
the calendar stays unread: 正月 (the lunar month), a year of two digits, a date that does not
exist, a month without its day.

Variants made here from the tab-row seeds and generated text reports (their year and organ
as read), signed in each form: late, the same GX-TIM-001 as the ASCII form; in time, none.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import audit_to_json, tab_row_reports, unsigned_text

from gxaudit.parse.metadata import signature, signature_date

FW = str.maketrans("0123456789-", "０１２３４５６７８９－")


@pytest.mark.parametrize(
    ("ending", "date"),
    [
        (["某镇人民政府", "２０２３年１月２０日"], dt.date(2023, 1, 20)),
        (["某镇人民政府", "２０２３－０６－３０"], dt.date(2023, 6, 30)),
        (["某镇人民政府（盖章）２０２３年６月３０日"], dt.date(2023, 6, 30)),
        (["某镇人民政府", "日期：２０２３年６月３０日"], dt.date(2023, 6, 30)),
        (["某镇人民政府", "2023年元月20日"], dt.date(2023, 1, 20)),
        (["某镇人民政府", "2023 年 元月 5 日"], dt.date(2023, 1, 5)),
        (["某镇人民政府", "２０２３年元月２０日"], dt.date(2023, 1, 20)),
        (["某镇人民政府", "二〇二三年元月二十日"], dt.date(2023, 1, 20)),
        (["某镇人民政府", "二0二三年一月二十日"], dt.date(2023, 1, 20)),
        (["某镇人民政府", "二０二三年六月三十日"], dt.date(2023, 6, 30)),
        (
            [
                "某镇人民政府",
                "２０２３年１月２０日",
                "",
                "主办：某镇人民政府  更新时间：２０２３－０３－０１",
            ],
            dt.date(2023, 1, 20),
        ),
        (["某镇人民政府 ２０２３年１月２０日 附件下载 【打印本页】 【关闭窗口】"], dt.date(2023, 1, 20)),
        # not a day of the calendar, or not a signature: unread
        (["某镇人民政府", "2023年正月20日"], None),
        (["某镇人民政府", "二〇二三年正月二十日"], None),
        (["某镇人民政府", "２３年１月２０日"], None),
        (["某镇人民政府", "２０２３年２月３０日"], None),
        (["某镇人民政府", "2023年元月32日"], None),
        (["某镇人民政府", "2023年元月"], None),
        (["本年度未收取信息处理费，完成时间：２０２３年６月３０日"], None),
    ],
)
def test_signature_date_forms(ending, date):
    found = signature_date(["某镇2022年政府信息公开工作年度报告", "一、总体情况", *ending])
    assert (found[0] if found else None) == date


def test_the_organ_before_a_full_width_date_is_the_signature_s():
    lines = [
        "某镇2022年政府信息公开工作年度报告",
        "一、总体情况",
        "正文。",
        "某县某镇人民政府（盖章）",
        "２０２３年１月２０日",
    ]
    assert signature(lines) == ("某县某镇人民政府", 4)
    assert signature_date(lines) == (dt.date(2023, 1, 20), 5)


def _late(document: dict) -> dict[str, list[str]]:
    return {
        r["path"]: [f["message"] for f in r["findings"] if f["rule"] == "GX-TIM-001"]
        for r in document["reports"]
    }


def _forms(year: int, month: int, day: int) -> list[str]:
    numerals = "〇一二三四五六七八九"
    cn_year = "".join(numerals[int(d)] for d in str(year))

    def cn(n: int) -> str:
        return (
            ("" if n < 20 else numerals[n // 10])
            + ("十" if n >= 10 else "")
            + (numerals[n % 10] if n % 10 else "")
        )

    month_cn = "元" if month == 1 else cn(month)
    return [
        f"{year}年{month}月{day}日".translate(FW),
        f"{year}-{month:02d}-{day:02d}".translate(FW),
        f"{year}年{'元' if month == 1 else month}月{day}日",
        f"{cn_year}年{month_cn}月{cn(day)}日",
        f"{cn_year.replace('〇', '0')}年{cn(month)}月{cn(day)}日",
        f"{cn_year.replace('〇', '○')}年{cn(month)}月{cn(day)}日",
    ]


def _originals(tmp_path_factory, tmp_path, count: int, seed: int):
    originals = tab_row_reports(tmp_path_factory, count, seed)
    document = audit_to_json(originals, tmp_path / "originals.json")
    read = {r["path"]: r for r in document["reports"]}
    return [(p, read[str(p)]["organ"], read[str(p)]["year"]) for p in originals if read[str(p)]["year"]]


def test_a_late_signature_in_each_form_is_late_as_its_ascii_form(tmp_path_factory, tmp_path):
    made: list[tuple] = []
    for path, organ, year in _originals(tmp_path_factory, tmp_path, 4, 571):
        text = unsigned_text(path).rstrip("\n")
        # late: a year late in January (元月), or in June of the next year
        for month, day, signed_year in ((1, 20, year + 2), (6, 30, year + 1)):
            ascii_form = f"{signed_year}年{month}月{day}日"
            for f, form in enumerate(_forms(signed_year, month, day)):
                target = tmp_path / f"{path.stem}.{month}.{f}.txt"
                target.write_text(f"{text}\n{organ}\n{form}\n", encoding="utf-8")
                made.append((target, ascii_form))
    late = _late(audit_to_json([t for t, _ in made], tmp_path / "late.json"))
    for target, ascii_form in made:
        assert len(late[str(target)]) == 1, target.name
        (message,) = late[str(target)]
        assert message.startswith(f"落款日期为{ascii_form}"), (target.name, message)


def test_an_in_time_signature_in_each_form_is_not_late(tmp_path_factory, tmp_path):
    made = []
    for path, organ, year in _originals(tmp_path_factory, tmp_path, 3, 572):
        text = unsigned_text(path).rstrip("\n")
        for f, form in enumerate(_forms(year + 1, 1, 20)):
            target = tmp_path / f"{path.stem}.{f}.txt"
            target.write_text(f"{text}\n{organ}\n{form}\n", encoding="utf-8")
            made.append(target)
    late = _late(audit_to_json(made, tmp_path / "in_time.json"))
    assert not any(late[str(t)] for t in made)

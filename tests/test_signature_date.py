"""The date a report is signed with, when something dated follows it or the text ends
with a date that is not a signature.

Before, the last date of the text was taken as the signature's: a page footer after the
signature ("主办：X  更新时间：2022-03-01"), a publication date printed after it
("发布日期：2022-02-15") or a last sentence ending "完成时间：2022年6月30日" gave a false
GX-TIM-001 "落款日期为…，晚于…". Now the page's fields after the end are not the signature
(it is read above them), a date right after a label or a sentence's words is not one, and
a 发布日期 the page prints is read as the publication date: late, it is said to be the
发布日期, not the 落款.

Variants made here from the tab-row seeds and generated text reports (their year and organ
as read): signed in time, then a footer; the text ending with a dated sentence; a late
publication date after an in-time signature. Negative cases: a late signature before a
footer is still late; "日期：" under the organ and "X局2022年1月7日" are still signatures.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports, unsigned_text

from gxaudit.parse.metadata import printed_publication_date, signature_date


def _originals(tmp_path_factory, tmp_path, count: int, seed: int):
    originals = tab_row_reports(tmp_path_factory, count, seed)
    document = audit_to_json(originals, tmp_path / "originals.json")
    read = {r["path"]: r for r in document["reports"]}
    return [(p, read[str(p)]["organ"], read[str(p)]["year"]) for p in originals if read[str(p)]["year"]]


def _write(path, name: str, text: str, ending: str):
    target = path / name
    target.write_text(text.rstrip("\n") + "\n" + ending + "\n", encoding="utf-8")
    return target


def _timeliness(document: dict) -> dict[str, list[str]]:
    return {
        r["path"]: [f["message"] for f in r["findings"] if f["rule"] == "GX-TIM-001"]
        for r in document["reports"]
    }


def test_what_follows_an_in_time_signature_is_not_the_signature(tmp_path_factory, tmp_path):
    pairs = []
    for k, (path, organ, year) in enumerate(_originals(tmp_path_factory, tmp_path, 8, 551)):
        text = unsigned_text(path)
        signed = f"{organ}\n{year + 1}年1月20日"
        after = [
            f"主办：{organ}  技术支持：某某网络  更新时间：{year + 1}-03-01",
            f"发布机构：{organ}\n更新日期：{year + 1}年6月2日",
            f"【打印本页】\n浏览次数：123  更新时间：{year + 1}-07-01 10:20",
        ][k % 3]
        pairs.append(
            (
                _write(tmp_path, f"{path.stem}.signed.txt", text, signed),
                _write(tmp_path, f"{path.stem}.footer.txt", text, signed + "\n\n" + after),
            )
        )
    signed_doc = audit_to_json([s for s, _ in pairs], tmp_path / "signed.json")
    footer_doc = audit_to_json([f for _, f in pairs], tmp_path / "footer.json")
    signed_places, footer_places = findings_by_place(signed_doc), findings_by_place(footer_doc)
    for signed, footer in pairs:
        assert footer_places[str(footer)] == signed_places[str(signed)], footer.name
    assert not any(_timeliness(footer_doc).values())


def test_a_text_that_ends_with_a_date_is_not_signed_then(tmp_path_factory, tmp_path):
    pairs = []
    for path, _organ, year in _originals(tmp_path_factory, tmp_path, 8, 552):
        text = unsigned_text(path)
        ending = [
            f"我单位将于{year + 1}年6月30日前完成政务公开专区建设，完成时间：{year + 1}年6月30日",
            f"下一步将持续推进专区建设，预计于{year + 1}年9月30日",
        ][len(pairs) % 2]
        unsigned = _write(tmp_path, f"{path.stem}.unsigned.txt", text, "")
        pairs.append((unsigned, _write(tmp_path, f"{path.stem}.dated.txt", text, ending)))
    before = audit_to_json([p for p, _ in pairs], tmp_path / "before.json")
    after = audit_to_json([t for _, t in pairs], tmp_path / "after.json")
    before_places, after_places = findings_by_place(before), findings_by_place(after)
    for original, variant in pairs:
        assert after_places[str(variant)] == before_places[str(original)], variant.name


def test_a_late_publication_date_printed_after_the_end_is_said_to_be_one(tmp_path_factory, tmp_path):
    made = []
    for path, organ, year in _originals(tmp_path_factory, tmp_path, 5, 553):
        ending = f"{organ}\n{year + 1}年1月20日\n\n发布日期：{year + 1}-06-30"
        made.append(_write(tmp_path, f"{path.stem}.published.txt", unsigned_text(path), ending))
    late = _timeliness(audit_to_json(made, tmp_path / "published.json"))
    for target in made:
        assert len(late[str(target)]) == 1, target.name
        (message,) = late[str(target)]
        assert message.startswith("发布日期为") and "6月30日" in message, message


def test_a_late_signature_before_a_footer_is_still_late(tmp_path_factory, tmp_path):
    made = []
    for path, organ, year in _originals(tmp_path_factory, tmp_path, 5, 554):
        ending = f"{organ}\n{year + 1}年6月30日\n\n主办：{organ}  更新时间：{year + 1}-01-02"
        made.append(_write(tmp_path, f"{path.stem}.late.txt", unsigned_text(path), ending))
    late = _timeliness(audit_to_json(made, tmp_path / "late.json"))
    for target in made:
        assert len(late[str(target)]) == 1, target.name
        (message,) = late[str(target)]
        assert message.startswith("落款日期为") and "6月30日" in message, message


@pytest.mark.parametrize(
    ("ending", "date"),
    [
        (["某镇人民政府", "2022年1月20日"], dt.date(2022, 1, 20)),
        (["某镇人民政府", "日期：2022年1月20日"], dt.date(2022, 1, 20)),
        (["平潭综合实验区公安局2022年1月7日"], dt.date(2022, 1, 7)),
        (["无 某局（盖章）2022年1月7日"], dt.date(2022, 1, 7)),
        (["某镇人民政府", "2022年1月20日", "", "发布日期：2022-02-15"], dt.date(2022, 1, 20)),
        (["某镇人民政府", "2022年1月20日", "来源：党政办  更新时间：2022-03-01 10:00"], dt.date(2022, 1, 20)),
        (["本年度未收取信息处理费，完成时间：2022年6月30日"], None),
        (["本报告统计数据截至2021年12月31日"], None),
        (["某镇人民政府", "发布日期：2022-02-15"], None),
    ],
)
def test_signature_date(ending, date):
    found = signature_date(["某镇2021年政府信息公开工作年度报告", "一、总体情况", *ending])
    assert (found[0] if found else None) == date


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (
            ["某镇2021年政府信息公开工作年度报告", "发布时间：2022-01-20 14:30  来源：党政办", "正文"],
            dt.date(2022, 1, 20),
        ),
        (
            [
                "某镇2021年政府信息公开工作年度报告",
                "正文",
                "某镇人民政府",
                "2022年1月20日",
                "发布日期：2022年2月15日",
            ],
            dt.date(2022, 2, 15),
        ),
        # a date in the text, or a field that is not the publication date: none
        (
            [
                "某镇2021年政府信息公开工作年度报告",
                "正文",
                "某镇人民政府",
                "2022年1月20日",
                "更新时间：2022-03-01",
            ],
            None,
        ),
        (
            [
                "某镇2021年政府信息公开工作年度报告",
                *["正文"] * 10,
                "文件发布时间：2022年1月5日。",
                "某镇人民政府",
            ],
            None,
        ),
    ],
)
def test_printed_publication_date(lines, date):
    found = printed_publication_date(lines)
    assert (found[0] if found else None) == date

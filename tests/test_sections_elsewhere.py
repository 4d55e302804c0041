"""A part numbered as another: the message says where the part's own heading stands, or
that it stands nowhere (corpus 014: no part has the heading 存在的主要问题及改进情况; the
README lists "no part 四 heading before the problems"). The `sections` kind's
`heading_found` property lets a rule ask the same."""

from __future__ import annotations

import textwrap

from conftest import CORPUS, findings_of


def test_corpus_014_says_which_part_has_no_heading_and_where_the_others_stand(capsys):
    path = CORPUS / "014_shanghai_kewei_2024_pdf2md.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    messages = {
        f["location"]["source"]["line"]: f["message"]
        for f in findings_of(capsys, path)
        if f["rule"] == "GX-STR-002"
    }
    assert messages[48].endswith("；整份报告中也没有“存在的主要问题及改进情况”这一部分的标题。")
    # the others: the prescribed heading, at the file's line, with the numeral it carries there
    for line, message in messages.items():
        if line == 48:
            continue
        where = message.split("写在第")[1]
        number, numeral = int(where.split("行")[0]), where.split("编号“")[1][0]
        assert lines[number - 1].startswith(f"{numeral}、"), (message, lines[number - 1])
        heading = message.split("；“")[1].split("”写在")[0]
        assert heading in lines[number - 1]


REPORT = textwrap.dedent(
    """\
    某区卫生健康委员会2022年政府信息公开工作年度报告
    一、总体情况
    本年度…
    二、收到和处理政府信息公开申请情况
    三、主动公开政府信息情况
    四、政府信息公开行政复议、行政诉讼情况
    五、其他需要报告的事项
    六、政府信息公开平台建设
    """
)


def test_a_made_report_with_parts_swapped_and_one_part_without_heading(capsys, tmp_path):
    path = tmp_path / "swapped.txt"
    path.write_text(REPORT, encoding="utf-8")
    by_number = {
        f["message"][1]: f["message"] for f in findings_of(capsys, path) if f["rule"] == "GX-STR-002"
    }
    assert by_number["二"].endswith("；“主动公开政府信息情况”写在第5行（编号“三、”）。")
    assert by_number["三"].endswith("；“收到和处理政府信息公开申请情况”写在第4行（编号“二、”）。")
    assert by_number["五"].endswith("；整份报告中也没有“存在的主要问题及改进情况”这一部分的标题。")
    assert by_number["六"].endswith("；“其他需要报告的事项”写在第7行（编号“五、”）。")


def test_a_rule_can_ask_whether_a_parts_heading_stands_anywhere(capsys, tmp_path):
    path = tmp_path / "swapped.txt"
    path.write_text(REPORT, encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text(
        textwrap.dedent(
            """\
            rules:
              - id: USR-STR-001
                title: 规定的部分没有标题
                category: structure
                severity: warning
                weight: 1
                check:
                  kind: sections
                  assert: heading_found
                message: 没有“{expected_heading}”的标题。
            """
        ),
        encoding="utf-8",
    )
    found = [
        f["message"] for f in findings_of(capsys, path, "--rules", str(rules)) if f["rule"] == "USR-STR-001"
    ]
    assert found == ["没有“存在的主要问题及改进情况”的标题。"]

"""A readable file that is not an annual report is listed as such, not as an error (issue 12).

Only a file that shows nothing of a report is "not a report": a text with
the formats' part headings or table-three rows that could not be read as a
report, or a file from which no text came out, stays an error, so that a
report we misread is never skipped quietly.
"""
import pytest

from gxaudit.errors import InputError, NotAReportError
from gxaudit.parse.document import parse_file


@pytest.mark.parametrize("name, text", [
    ("README.md", "# 使用说明\n\n把各单位的政府信息公开工作年度报告放进这个文件夹，然后运行审查。\n"),
    ("通知.txt", "关于报送2023年度政府信息公开工作年度报告的通知\n请于1月31日前报送。\n"),
    ("附件1.txt", "会议纪要\n\n时间：三月五日\n参会人员：略\n"),
    ("list.html", "<html><body><p>通知</p><p>请各单位按时报送材料。</p></body></html>"),
])
def test_other_files_are_not_reports(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotAReportError):
        parse_file(path)


@pytest.mark.parametrize("name, text, words", [
    ("damaged.txt", "（表格缺失）本年新收政府信息公开申请数量 3 件\n", "有年度报告的栏目名称"),
    ("cut.txt", "其中主动公开政府信息情况从略\n", "有年度报告的栏目名称"),
    ("truncated.html", "<html><body><table><tr><td>第二十条", "没有读出任何文字"),
])
def test_what_may_be_a_misread_report_stays_an_error(tmp_path, name, text, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert not isinstance(caught.value, NotAReportError) and words in caught.value.reason

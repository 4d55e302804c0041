"""The formats are the single source of table knowledge: validated when loaded,
read by the rules, and a new format year is one new file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, SEEDS

from gxaudit.errors import ConfigError
from gxaudit.formats import load as formats_load
from gxaudit.formats.load import format_for_year, load_formats


def _copy_formats(tmp_path):
    folder = tmp_path / "formats"
    shutil.copytree(REPO / "formats", folder)
    return folder


def _load(folder):
    formats_load._load_yaml.cache_clear()
    try:
        return formats_load.load_formats(str(folder))
    finally:
        formats_load._load_yaml.cache_clear()
        formats_load.load_formats.cache_clear()


def test_identities_and_measures_come_from_the_format_files():
    for fmt in load_formats().values():
        ids = {(i.table, i.id) for i in fmt.identities}
        assert ids == {("applications", "row_sums"), ("applications", "results"), ("applications", "balance"),
                       ("review_litigation", "totals")}
        results = fmt.identity("applications", "results")
        # every row of the format but the four the identity relates is a result row
        others = {"new", "carried_over", "results_total", "carried_forward"}
        assert list(results.right) == [r.id for r in fmt.application_rows if r.id not in others]
        assert fmt.measures["litigation"].cells[1].keys == ("litigation_after_review", "total")
        assert fmt.tables["review_litigation"].name == "表四（行政复议、行政诉讼）"


def test_a_broken_format_file_is_refused_with_its_position(tmp_path):
    folder = _copy_formats(tmp_path)
    path = folder / "2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      item: 八\n", "      item: 八\n      colour: red\n"),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        _load(folder)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "colour" in text)
    assert str(caught.value).startswith(f"{path}:{line}:7: 格式文件：未知的键 'colour'")


def test_an_identity_with_a_wrong_shape_is_refused(tmp_path):
    folder = _copy_formats(tmp_path)
    path = folder / "common.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      each: column\n      left: [new, carried_over]",
                                                             "      each: diagonal\n      left: [new, carried_over]"),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="each 应为以下之一：row, column, block"):
        _load(folder)


def test_the_newest_format_a_year_falls_in():
    assert format_for_year(2020).id == "2019"
    assert format_for_year(2024).id == "2021"
    assert format_for_year(2018) is None


NEW_FORMAT = """\
# a hypothetical next format: the 2021 tables, item1 with one more column (本年修订件数)
format: "2030"
issued_by: 国办公开办函〔2030〕1号
years: [2030, null]
include: common.yaml
proactive:
  blocks:
    - id: item1
      item: 一
      label: 第二十条第（一）项
      rows:
        - {id: rules, label: 规章}
        - {id: normative_docs, label: 行政规范性文件}
      columns:
        - {id: issued, label: 本年制发件数}
        - {id: repealed, label: 本年废止件数}
        - {id: in_force, label: 现行有效件数}
        - {id: revised, label: 本年修订件数}
    - id: item5
      item: 五
      label: 第二十条第（五）项
      rows: [{id: licensing, label: 行政许可}]
      columns: [{id: decisions, label: 本年处理决定数量}]
    - id: item6
      item: 六
      label: 第二十条第（六）项
      rows: [{id: penalty, label: 行政处罚}, {id: enforcement, label: 行政强制}]
      columns: [{id: decisions, label: 本年处理决定数量}]
    - id: item8
      item: 八
      label: 第二十条第（八）项
      rows: [{id: fees, label: 行政事业性收费}]
      columns: [{id: amount, label: 本年收费金额（单位：万元）, money: true, default_unit: 万元}]
applications:
  rows: [new, carried_over, granted, partial, denied_secret, denied_law, denied_security,
         denied_third_party, denied_internal, denied_process, denied_case_file, denied_query,
         unable_not_held, unable_need_create, unable_unclear, rejected_petition, rejected_repeat,
         rejected_publication, rejected_mass, rejected_confirm, other_no_correction, other_no_fee,
         other_misc, results_total, carried_forward]
"""


def test_a_new_format_year_is_one_new_file(tmp_path):
    """CONTRIBUTING.md's worked example: formats/2030.yaml, nothing else."""
    folder = _copy_formats(tmp_path)
    (folder / "2030.yaml").write_text(NEW_FORMAT, encoding="utf-8")
    report = tmp_path / "report.txt"
    text = (SEEDS / "002_44a23edc808f0eac.txt").read_text(encoding="utf-8")  # a 2021-format report
    report.write_text(text.replace("2021", "2030").replace("2020", "2029"), encoding="utf-8")
    env = dict(os.environ, GXAUDIT_FORMATS=str(folder))
    parsed = subprocess.run([sys.executable, "-m", "gxaudit", "parse", str(report), "--format", "json"],
                            capture_output=True, text=True, env=env, check=True)
    assert json.loads(parsed.stdout)["format"] == "2030"
    audited = subprocess.run([sys.executable, "-m", "gxaudit", "audit", str(report), "--format", "json",
                              "--no-progress", "--jobs", "1"], capture_output=True, text=True, env=env)
    assert audited.returncode in (0, 1), audited.stderr
    result = json.loads(audited.stdout)["reports"][0]
    assert result["status"] == "audited" and result["format"] == "2030"
    # the balance rules read the new format's identities: its result rows are table three's
    assert not [f for f in result["findings"] if f["rule"].startswith("GX-BAL")]

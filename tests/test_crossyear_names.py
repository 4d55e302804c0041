"""Last year's report of an organ found whatever way the organ writes 人民政府, and never
chosen at random among two organs of the same name.

Before: "X镇人民政府" one year and "X镇政府" the next were two organs (only a trailing
人民政府 was taken off the name): no cross-year check was made, a 上年结转 that does not
follow last year's 结转下年度 was missed (GX-XYR-001). And "半坡镇人民政府" this year, with
"永青县半坡镇人民政府" and "石青县半坡镇人民政府" last year, was paired with whichever came
first in the input: its findings changed with the order of the files. Now the names are
one organ's, and two organs of that name are none (no pairing, in either order).

Variants made from seed 000 (半坡镇人民政府, 2020): a copy for 2021 whose 上年结转 is 2 (last
year's 结转下年度 is 0).
"""

from __future__ import annotations

import pytest
from conftest import SEEDS, audit_to_json

from gxaudit.audit.crossyear import PreviousIndex, find_previous, organ_key

SEED = SEEDS / "000_f29079d135fdfab1.txt"
ORGAN = "半坡镇人民政府"
CARRIED = "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0"


def _write(folder, name: str, organ: str, year: int) -> str:
    text = SEED.read_text(encoding="utf-8")
    assert ORGAN in text and CARRIED in text and "2020" in text
    text = text.replace(ORGAN, organ).replace("2020", str(year))
    if year == 2021:  # this year's 上年结转: 2, where last year's 结转下年度 was 0
        text = text.replace(CARRIED, CARRIED.replace("\t0\t0\t0\t0\t0\t0\t0", "\t2\t0\t0\t0\t0\t0\t2"))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _cross_year(tmp_path, paths: list[str]) -> dict[str, set[str]]:
    document = audit_to_json(paths, tmp_path / "out.json", "--jobs", "1")
    return {
        r["path"]: {f["rule"] for f in r["findings"] if f["rule"].startswith("GX-XYR")}
        for r in document["reports"]
    }


@pytest.mark.parametrize(("last", "this"), [(ORGAN, "半坡镇政府"), ("半坡镇政府", ORGAN), (ORGAN, ORGAN)])
def test_renhe_zhengfu_is_one_organ(tmp_path, last, this):
    earlier = _write(tmp_path, "a2020.txt", last, 2020)
    later = _write(tmp_path, "b2021.txt", this, 2021)
    assert "GX-XYR-001" in _cross_year(tmp_path, [earlier, later])[later]


@pytest.mark.parametrize("order", [0, 1])
def test_two_organs_of_that_name_last_year_are_no_pairing(tmp_path, order):
    earlier = [
        _write(tmp_path, "a2020.txt", "永青县" + ORGAN, 2020),
        _write(tmp_path, "c2020.txt", "石青县" + ORGAN, 2020),
    ]
    later = _write(tmp_path, "b2021.txt", ORGAN, 2021)
    paths = (earlier if order == 0 else earlier[::-1]) + [later]
    assert not _cross_year(tmp_path, paths)[later]
    # the control: with one of them only, it is last year's
    assert "GX-XYR-001" in _cross_year(tmp_path, [earlier[order], later])[later]


def test_keys_and_the_index_agree():
    assert organ_key("X区人民政府") == organ_key("X区政府") == "X区"
    assert organ_key("X市人民政府办公室") == organ_key("X市政府办公室")
    assert organ_key("市政府") == organ_key("市人民政府")
    last = [
        {"year": 2020, "organ_key": organ_key(name), "name": name}
        for name in ("永青县城关镇人民政府", "石青县城关镇人民政府", "城关镇卫生院")
    ]
    this = {"year": 2021, "organ_key": organ_key("城关镇人民政府")}
    assert find_previous(this, last) is None and PreviousIndex(last).find(this) is None
    exact = last + [{"year": 2020, "organ_key": organ_key("城关镇政府"), "name": "城关镇政府"}]
    assert PreviousIndex(exact).find(this)["name"] == "城关镇政府"
    one = [c for c in last if c["name"].startswith("永青县")]
    assert PreviousIndex(one).find(this)["name"] == "永青县城关镇人民政府"

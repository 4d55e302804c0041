"""HTML reports: corpus 012 against expectations read by hand, and the seeds as HTML."""
import html

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.parse.document import parse_file, parse_text

F012 = CORPUS / "012_shuyang_fgj_2023.html"
E = ("empty", None)

# Read from the page's tables (012): the five 法人或其他组织 columns are blank
# in every row of table three; natural person and total carry the numbers.
APPLICATIONS_012 = {
    "new": (26, 26), "carried_over": (0, 0), "granted": (26, 26), "partial": (0, 0),
    "denied_secret": (0, 0), "denied_law": (0, 0), "denied_security": (0, 0),
    "denied_third_party": (0, 0), "denied_internal": (0, 0), "denied_process": (0, 0),
    "denied_case_file": (0, 0), "denied_query": (0, 0), "unable_not_held": (0, 0),
    "unable_need_create": (0, 0), "unable_unclear": (0, 0), "rejected_petition": (0, 0),
    "rejected_repeat": (0, 0), "rejected_publication": (0, 0), "rejected_mass": (0, 0),
    "rejected_confirm": (0, 0), "other_no_correction": (0, 0), "other_no_fee": (0, 0),
    "other_misc": (0, 0), "results_total": (26, 26), "carried_forward": (0, 0),
}
PROACTIVE_012 = {
    "item1": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
              "normative_docs": {"issued": 8, "repealed": 0, "in_force": 18}},
    "item5": {"licensing": {"decisions": 0}},
    "item6": {"penalty": {"decisions": 0}, "enforcement": {"decisions": 0}},
    "item8": {"fees": {"amount": 0}},
}
REVIEW_012 = {
    "review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}


def cells(doc_table):
    return {k: {c: (v["kind"], v["value"]) for c, v in row.items()} for k, row in doc_table.items()}


def test_012_metadata_and_sections():
    report = parse_file(F012)
    assert (report.title, report.organ, report.year, report.format) == (
        "沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", 2023, "2021")
    assert [(s.number, s.id, s.variant) for s in report.sections] == [
        ("一", "overview", False), ("二", "proactive", False), ("三", "applications", False),
        ("四", "review_litigation", False), ("五", "problems", True), ("六", "other_matters", False)]
    assert report.sections[4].heading == "存在的主要问题及整改措施"
    assert report.diagnostics == [] and report.input_kind == "html"


def test_012_tables_complete_and_right():
    doc = parse_file(F012).to_dict()["tables"]
    expected_apps = {row: {"natural_person": ("number", a), "commercial": E, "research": E, "social": E,
                           "legal": E, "other": E, "total": ("number", t)}
                     for row, (a, t) in APPLICATIONS_012.items()}
    assert cells(doc["applications"]) == expected_apps
    assert {b: cells(rows) for b, rows in doc["proactive"].items()} == {
        b: {r: {c: ("number", v) for c, v in cols.items()} for r, cols in rows.items()}
        for b, rows in PROACTIVE_012.items()}
    assert cells(doc["review_litigation"]) == {
        b: {c: ("number", v) for c, v in cols.items()} for b, cols in REVIEW_012.items()}


def seed_as_html(text: str) -> str:
    """A seed rendered as a web page: prose in <p>, each run of tab lines as one <table>."""
    out, rows = ["<!DOCTYPE html><html><head><title>t</title></head><body>"], []

    def flush():
        if rows:
            out.append("<table border='1'>" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
                + "</table>")
            rows.clear()
    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
        else:
            flush()
            if line.strip():
                out.append(f"<p>{html.escape(line)}</p>")
    flush()
    out.append("<footer>网站地图 | 联系我们</footer></body></html>")
    return "\n".join(out)


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_as_html_gives_the_same_ast(tmp_path, seed):
    text = seed.read_text(encoding="utf-8")
    page = tmp_path / "report.html"
    page.write_text(seed_as_html(text), encoding="utf-8")
    from_text = parse_text(text).to_dict()
    from_html = parse_file(page).to_dict()

    def strip(doc):
        tables = doc["tables"]
        return {
            "meta": (doc["title"], doc["organ"], doc["year"], doc["format"]),
            "sections": [(s["number"], s["id"], s["heading"]) for s in doc["sections"]],
            "proactive": {b: cells(rows) for b, rows in tables["proactive"].items()},
            "applications": cells(tables["applications"]),
            "review": cells(tables["review_litigation"]),
        }
    assert strip(from_html) == strip(from_text)

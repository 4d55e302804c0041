"""Shapes of web pages and Markdown that lost a report's text or tables:

* the article inside a layout table (`<table><tr><td><h1>…<p>…<table>…`), as many
  government sites print it; or the article's head alone in a one-cell table: its
  paragraphs were one table cell ("缺少第一部分", no title);
* Markdown whose tables are HTML tables and whose paragraphs are lines (PDF-to-Markdown
  converters): read as a web page, its lines ran together ("缺少第一部分", no title);
* pipe tables without a separator row and without any `#` heading: read as plain text,
  every table lost (表三缺少… for every row).

Variants made here from generated web pages, the corpus's web page and Markdown file,
and the tab-row seeds; each must read as its original (findings by rule and place in
the tables; for the web-page frames, by rule, line in the file and message).
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import CORPUS, audit_to_json, findings_by_place, generated_reports, tab_row_reports


def _exact(document: dict) -> dict[str, set[tuple]]:
    return {
        r["path"]: {
            (f["rule"], (f["location"].get("source") or {}).get("line"), f["message"]) for f in r["findings"]
        }
        for r in document["reports"]
    }


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    made = generated_reports(tmp_path_factory.mktemp("pages"), 10, 111, "html")
    return sorted(made.glob("*.html")) + sorted(CORPUS.glob("*.html"))


def test_an_article_in_a_layout_table(pages, tmp_path):
    made = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        whole = re.sub(r"(<body[^>]*>)", r'\1<table width="100%"><tr><td class="content">', text, count=1)
        whole = whole.replace("</body>", "</td></tr></table></body>", 1)
        first = whole.find("<table", whole.find('class="content"'))
        head_only = re.sub(r"(<body[^>]*>)", r"\1<table><tr><td>", text, count=1)
        at = head_only.find("<table", head_only.find("<table><tr><td>") + 1)
        head_only = head_only[:at] + "</td></tr></table>" + head_only[at:]
        assert first > 0
        for name, variant in (("frame", whole), ("box", head_only)):
            target = tmp_path / f"{path.stem}.{name}.html"
            target.write_text(variant, encoding="utf-8")
            made.append((path, target))
    before = _exact(audit_to_json(pages, tmp_path / "before.json"))
    after = _exact(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name


def _as_markdown(page: str) -> str:
    """A web page as a PDF-to-Markdown converter writes it: the title a heading, each
    paragraph a line with a blank line after it, the tables left as HTML."""
    body = page[page.find("<body") :]
    out = []
    for m in re.finditer(r"<table\b.*?</table>|<(h1|p)\b[^>]*>(.*?)</\1>", body, re.S):
        if m.group(0).startswith("<table"):
            out.append(m.group(0))
        else:
            words = html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
            out.append(("# " if m.group(1) == "h1" else "") + words)
    return "\n\n".join(out) + "\n"


def test_markdown_with_html_tables(pages, tmp_path):
    generated = [p for p in pages if p.parent != CORPUS]
    made = []
    for path in generated:
        target = tmp_path / f"{path.stem}.md"
        target.write_text(_as_markdown(path.read_text(encoding="utf-8")), encoding="utf-8")
        made.append((path, target))
        bare = target.with_suffix(".txt")  # no heading mark at all
        bare.write_text(target.read_text(encoding="utf-8").replace("# ", "", 1), encoding="utf-8")
        made.append((path, bare))
    before = findings_by_place(audit_to_json(generated, tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name


def test_pipe_tables_without_separator_rows(tmp_path_factory, tmp_path):
    originals = list(tab_row_reports(tmp_path_factory, 6, 112)) + sorted(CORPUS.glob("*.md"))
    made = []
    for path in originals:
        lines = path.read_text(encoding="utf-8").split("\n")
        if path.suffix == ".md":  # no separator row, no heading mark
            rows = [
                re.sub(r"^#+\s*", "", line)
                for line in lines
                if not re.fullmatch(r"\s*\|?[\s:|-]*-[\s:|-]*", line)
            ]
        else:  # tab rows as pipe rows
            rows = [
                "| " + " | ".join(line.split("\t")) + " |" if "\t" in line.strip("\t") else line
                for line in lines
            ]
        target = tmp_path / f"{path.stem}.pipes.txt"
        target.write_text("\n".join(rows), encoding="utf-8")
        made.append((path, target))
    before = findings_by_place(audit_to_json(originals, tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name

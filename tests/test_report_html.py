"""The self-contained HTML report: content, locality, inertness of report text, real browser."""
from __future__ import annotations

import copy
import datetime as dt
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gxaudit import __version__
from gxaudit.audit.findings import Finding, ReportResult
from gxaudit.audit.ranking import rank
from gxaudit.audit.batch import AuditSetup, run_batch
from gxaudit.cli import collect_inputs
from gxaudit.report.html import CSP, render_html
from gxaudit.rules.load import Rule, builtin_rules_dir, load_rules

from conftest import CORPUS, REPORTS

CHROMIUM = Path("/usr/bin/chromium")
SEED_003 = REPORTS / "003_51b21fc9b3159953.txt"
RANK_HEADERS = ["排名", "机关", "年度", "格式", "得分", "等级", "读出", "错误", "警告", "提示", "扣分构成",
                "主要问题"]

# --------------------------------------------------------------- a tiny DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]], parent: "Node | None"):
        self.tag, self.parent, self.children = tag, parent, []
        self.attrs = {k: (v or "") for k, v in attrs}
        self.attr_list = attrs

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.attrs.get("class", "").split():
                continue
            if any(node.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def by_id(self, ident: str) -> "Node":
        matches = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(matches) == 1, f"expected one element with id {ident!r}, found {len(matches)}"
        return matches[0]


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root
        self.raw_script_bodies: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        if self.current.tag == "script":
            self.raw_script_bodies.append(data)
        self.current.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def assert_self_contained(page: str, dom: Node) -> None:
    """Nothing is loaded from anywhere: no external URL, no element that fetches."""
    assert not re.search(r"""\b(src|href|action|srcset)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    for node in dom.iter():
        assert node.tag not in {"link", "img", "iframe", "object", "embed", "base", "frame",
                                "audio", "video", "source", "form"}, node.tag
        for name, value in node.attrs.items():
            if name in {"src", "srcset", "href", "xlink:href", "action", "formaction", "poster",
                        "background", "data"}:
                assert not re.match(r"\s*(https?:)?//", value, re.I), (name, value)
                assert name == "href" and value.startswith("#"), (node.tag, name, value)
    styles = "".join(n.text() for n in dom.find_all("style"))
    assert "url(" not in styles and "@import" not in styles
    for script in dom.find_all("script"):
        assert "src" not in script.attrs
    metas = [m for m in dom.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert [m.attrs["content"] for m in metas] == [CSP]
    assert "default-src 'none'" in CSP and "img-src data:" in CSP


def assert_inert(dom: Node) -> None:
    """Only the page's own markup: one script of ours, no event-handler attributes, no images."""
    assert len(dom.find_all("script")) == 1
    assert not dom.find_all("img")
    for node in dom.iter():
        for name in node.attrs:
            assert not name.lower().startswith("on"), (node.tag, name)
        assert node.tag in ALLOWED_TAGS, node.tag


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section",
                "footer", "script", "div", "h1", "h2", "h3", "p", "span", "b", "small", "code", "a",
                "table", "thead", "tbody", "tr", "th", "td", "svg", "line", "text", "rect", "title",
                "article", "dl", "dt", "dd", "ol", "ul", "li", "figure", "figcaption", "mark",
                "label", "input", "details", "summary"}


# ------------------------------------------------------------------ fixtures

def _audit(paths: list[str]) -> list[ReportResult]:
    setup = AuditSetup(rule_dirs=(str(builtin_rules_dir()),), scoring_path=None, engine="durable",
                       keep_source=True)
    return rank(run_batch(paths, setup, jobs=1, progress=False))


@pytest.fixture(scope="module")
def pack():
    return load_rules([builtin_rules_dir()])


@pytest.fixture(scope="module")
def audited():
    folders = [str(REPORTS)] + ([str(CORPUS)] if CORPUS.is_dir() else [])
    return _audit(collect_inputs(folders))


@pytest.fixture(scope="module")
def page(audited, pack):
    rules, version = pack
    return render_html(audited, rules, version)


def _article_of(dom: Node, result_path: str) -> Node:
    for article in dom.find_all("article"):
        if any(code.text() == result_path for code in article.find_all("code")):
            return article
    raise AssertionError(f"no drill-down section for {result_path}")


# ------------------------------------------------------------- (1) content

def test_page_has_every_report_and_finding(audited, pack, page):
    rules, version = pack
    dom = parse(page)
    text = dom.text()
    assert f"gxaudit {__version__}" in text and version in text
    assert f"报告 {len(audited)} 份" in text
    assert_self_contained(page, dom)
    assert_inert(dom)

    table = dom.by_id("ranking-table")
    assert [th.text() for th in table.find_all("th")] == RANK_HEADERS
    rows = table.find_all("tbody")[0].find_all("tr")
    assert len(rows) == len(audited)
    for row, result in zip(rows, audited):
        cells = row.find_all("td")
        assert len(cells) == len(RANK_HEADERS)
        assert all("data-sort" in c.attrs for c in cells)       # the JS sorts by these
        assert cells[0].text() == (str(result.rank) if result.rank else "—")
        assert result.path in cells[1].text()
        link = cells[1].find_all("a")[0].attrs["href"]
        article = dom.by_id(link[1:])                           # the table links to the drill-down
        assert article.tag == "article" and result.path in article.text()
        if result.status == "audited":
            assert cells[4].text() == f"{result.score:.1f}"
            assert (result.organ or "（未识别机关）") in article.find_all("h3")[0].text()
        else:
            assert result.error and result.error in article.text()   # listed with its reason
        for finding in result.findings:                          # every finding, where it belongs
            assert finding.message in article.text()
            assert finding.rule in article.text()

    assert sum(len(r.findings) for r in audited) > 50
    assert {r.status for r in audited} >= {"audited"}


def test_source_line_highlighted_next_to_its_finding(audited, page):
    dom = parse(page)
    article = _article_of(dom, str(SEED_003))
    groups = article.find_all("div", cls="group")
    target = [g for g in groups
              if any(li.attrs.get("data-line") == "40" and "GX-CEL-002" in li.text()
                     for li in g.find_all("li", cls="finding"))]
    assert len(target) == 1
    hit = [tr for tr in target[0].find_all("tr", cls="hit") if tr.attrs.get("data-line") == "40"]
    assert len(hit) == 1
    marks = hit[0].find_all("mark")
    assert len(marks) == 1 and marks[0].text().strip() == "增"
    numbers = [tr.find_all("td", cls="ln")[0].text() for tr in target[0].find_all("tr")]
    assert "40" in numbers and "37" in numbers and "43" in numbers     # context on both sides
    context = [tr for tr in target[0].find_all("tr") if "hit" not in tr.attrs.get("class", "")]
    assert context and not any(tr.find_all("mark") for tr in context)


def test_charts_and_heat_map(audited, pack, page):
    dom = parse(page)
    svg = dom.by_id("distribution").find_all("svg")[0]
    bars = svg.find_all("rect")
    scored = [r for r in audited if r.status == "audited"]
    assert bars and all(b.find_all("title") for b in bars)
    bar_total = sum(int(re.search(r"(\d+) 份", b.find_all("title")[0].text()).group(1)) for b in bars)
    assert bar_total == len(scored)

    heat = dom.by_id("heatmap").find_all("table")[0]
    fired = {f.rule for r in audited for f in r.findings}
    row_rules = [tr.find_all("th")[0].find_all("code")[0].text()
                 for tr in heat.find_all("tbody")[0].find_all("tr")]
    assert sorted(row_rules) == sorted(fired)
    assert len(heat.find_all("thead")[0].find_all("th")) == len(scored) + 2
    for tr in heat.find_all("tbody")[0].find_all("tr"):
        cells = tr.find_all("td", cls="heat")[:-1]
        assert len(cells) == len(scored) and all(c.attrs.get("title") for c in cells)
        rule = tr.find_all("code")[0].text()
        for cell, result in zip(cells, scored):
            count = sum(1 for f in result.findings if f.rule == rule)
            assert cell.text() == (str(count) if count else "")


def test_output_is_deterministic(audited, pack, page):
    rules, version = pack
    assert render_html(audited, rules, version) == page
    today = dt.date.today()
    for stamp in (today.isoformat(), f"{today.year}年{today.month}月{today.day}日"):
        assert stamp not in page


# ----------------------------------------------------------- (2) injection

SCRIPT = "<script>document.body.setAttribute('data-pwned','1')</script>"
IMG = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
SCRIPT_BODY = "<script>document.body.setAttribute('data-pwned','3')</script>"


def _evil_report(folder: Path) -> Path:
    lines = SEED_003.read_text(encoding="utf-8").split("\n")
    # the title, whole on its first line (so the organ carries the payload into the page)
    lines[0] = f"建塘镇{SCRIPT}人民政府2020年度政府信息公开工作报告"
    lines[1] = ""
    lines[39] = "\t" + IMG                                     # a table cell (a finding's line)
    lines[405] = lines[405] + SCRIPT_BODY                      # prose shown as context
    path = folder / "evil<script>alert(1)<\\script>.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def evil_page(tmp_path_factory, pack):
    folder = tmp_path_factory.mktemp("evil")
    results = _audit([str(_evil_report(folder)), str(SEED_003)])
    rules, version = pack
    return results, render_html(results, rules, version)


def test_injected_report_text_stays_inert(evil_page):
    results, page = evil_page
    evil = next(r for r in results if "evil" in r.path)
    assert any(IMG in f.message for f in evil.findings)       # the payload reached a message
    for raw in (SCRIPT, IMG, SCRIPT_BODY, "<img", "<script>document", "<script>alert"):
        assert raw not in page
    dom = parse(page)
    assert_inert(dom)
    assert_self_contained(page, dom)
    text = dom.text()
    for payload in (SCRIPT, IMG, SCRIPT_BODY):                  # shown, as text
        assert payload.strip("\t") in text
    article = _article_of(dom, evil.path)
    hit = [tr for tr in article.find_all("tr", cls="hit") if tr.attrs.get("data-line") == "40"]
    assert hit and IMG in hit[0].text()


def test_every_field_is_escaped(pack):
    """Organ, path, title, error, messages, source lines, waiver and user rule text."""
    evil = "</title></style></script><script>alert(1)</script>\"'><img src=x onerror=alert(2)>&amp;"
    rule = Rule(id="GX-USR-001" + evil, title="标题" + evil, category="content", severity="error",
                weight=5, check={}, message="消息" + evil, description="说明" + evil)
    finding = Finding(rule=rule.id, category="content", severity="error", title=rule.title,
                      message="问题" + evil,
                      location={"line": 2, "section": evil, "table": evil, "row": evil, "column": evil},
                      expected=evil, actual=[evil, 1], weight=5, fingerprint="fp" + evil,
                      deduction=5.0, waiver={"reason": "原因" + evil, "by": evil, "until": evil})
    audited = ReportResult(path="/x/" + evil + ".txt", status="audited", organ="机关" + evil,
                           year=2021, format="2021" + evil, title="报告" + evil, score=95.0,
                           grade="优秀" + evil, rank=1, findings=[finding],
                           source_lines=["第一行" + evil, "\t" + evil + "\t", "第三行"],
                           input_kind="text" + evil)
    failed = ReportResult(path="/y/" + evil, status="error", error="原因" + evil)
    rules, _version = pack
    page = render_html([audited, failed], rules + [rule], "v" + evil)
    assert "<img" not in page and "<script>alert" not in page and "</title></style>" not in page
    dom = parse(page)
    assert_inert(dom)
    assert_self_contained(page, dom)
    assert len(dom.find_all("title")) == 1 + sum(1 for r in dom.find_all("rect"))
    text = dom.text()
    for shown in ("机关" + evil, "问题" + evil, "原因" + evil, "/x/" + evil + ".txt", evil + "\t",
                  "标题" + evil, "/y/" + evil):
        assert shown.replace("\t", "") in text.replace("\t", ""), shown
    # attribute values survive unbroken (the tooltip carries the whole user description)
    assert any(n.attrs.get("title", "").endswith("说明" + evil) for n in dom.iter())


# ---------------------------------------------------------- (3) a browser

SORT_PROBE = """<script>
var heads = document.querySelectorAll("#ranking-table thead th");
function column(i) {
  return [].map.call(document.querySelectorAll("#ranking-table tbody tr"),
                     function (r) { return r.cells[i].getAttribute("data-sort"); }).join(",");
}
heads[4].click(); var up = column(4); heads[4].click(); var down = column(4);
var out = document.createElement("pre"); out.id = "probe";
out.textContent = [up, down, heads[4].getAttribute("aria-sort")].join("\\n");
document.body.appendChild(out);
</script>"""


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, timeout=180, check=False)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_headless_chromium_renders_inert_page(tmp_path, evil_page, audited, pack):
    rules, version = pack
    evil_results, _ = evil_page
    results = rank([copy.copy(r) for r in audited]            # copies: rank() renumbers
                   + [copy.copy(r) for r in evil_results if "evil" in r.path])
    page = tmp_path / "report.html"
    page.write_text(render_html(results, rules, version), encoding="utf-8")

    dumped = _chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    assert dumped.returncode == 0, dumped.stderr.decode(errors="replace")[-2000:]
    dom = parse(dumped.stdout.decode("utf-8"))
    html_tag = dom.find_all("html")[0]
    assert "js" in html_tag.attrs.get("class", "").split()        # our script did run
    body = dom.find_all("body")[0]
    assert "data-pwned" not in body.attrs                        # the injected ones did not
    assert not any("data-pwned" in n.attrs for n in dom.iter())
    assert not dom.find_all("img")
    assert len(dom.find_all("script")) == 1
    text = dom.text()
    for result in results:
        assert result.path in text
        for finding in result.findings:
            assert finding.message in text
    assert len(dom.by_id("ranking-table").find_all("tbody")[0].find_all("tr")) == len(results)

    # the ranked table sorts on a click (a probe script added to a copy of the page)
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", SORT_PROBE + "</body>"),
                     encoding="utf-8")
    dumped = _chromium("--dump-dom", probe.as_uri(), profile=tmp_path / "profile")
    lines = parse(dumped.stdout.decode("utf-8")).by_id("probe").text().split("\n")
    scores = sorted((r.score for r in results if r.score is not None))
    shown = [s for s in lines[0].split(",") if s]
    assert [float(s) for s in shown] == scores                  # 得分, ascending, blanks last
    assert lines[0].endswith("," * (len(results) - len(scores)))
    assert [float(s) for s in lines[1].split(",") if s] == scores[::-1]
    assert lines[2] == "descending"

    shot = tmp_path / "shot.png"
    taken = _chromium(f"--screenshot={shot}", "--window-size=1400,2000", "--hide-scrollbars",
                      page.as_uri(), profile=tmp_path / "profile")
    assert taken.returncode == 0, taken.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000                                   # a real page, not a blank one
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 2000)

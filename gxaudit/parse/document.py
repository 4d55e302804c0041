"""From a report file to the AST: read, scan, assemble."""

from __future__ import annotations

from pathlib import Path

from gxaudit.errors import InputError, NotAReportError
from gxaudit.formats import grammar
from gxaudit.formats.load import load_formats
from gxaudit.formats.text import fold, split_lines, squeeze
from gxaudit.parse import ast, coverage, metadata, tables
from gxaudit.parse.readings import annotate
from gxaudit.parse.scan import APPLICATIONS, PROACTIVE, REVIEW, scan
from gxaudit.parse.unplaced import mark_unplaced
from gxaudit.read import flattened
from gxaudit.read.files import read_source
from gxaudit.read.source import SourceText, align
from gxaudit.regex import on_use

# How many leading lines may hold the title.
TITLE_SEARCH_LINES = 8


def _find_title(lines: list[str]) -> tuple[str | None, int | None]:
    """The title (joined when split over two lines) and its first line."""
    seen = 0
    for index, line in enumerate(lines):
        text = grammar.without_emphasis(line).strip()  # "**…年度报告**": a converter's bold
        if not text:
            continue
        seen += 1
        if seen > TITLE_SEARCH_LINES:
            break
        if grammar.parse_heading(line):
            break
        if grammar.is_page_chrome(text):
            continue  # a breadcrumb ending "…年报" is not the title
        if grammar.is_title_end(text):
            # the page's header before it on its line ("X人民政府 2022-01-20 来源：… TITLE") is
            # not the title's: its name would be taken for the organ, its date for the year
            header = grammar.page_header_end(text)
            if header and grammar.is_title_end(text[header:]):
                text = text[header:].strip()
            text = grammar.without_title_marks(text)
            following = next((n.strip() for n in lines[index + 1 : index + 3] if n.strip()), "")
            if grammar.title_year(text)[0] is None and following and grammar.is_year_alone(following):
                text += following  # "X政府信息公开工作年度报告" over "（2021年度）"
            return text, index + 1
        if grammar.is_metadata_line(text):
            continue  # a date, 发布日期：…, 索引号：… above the title: never the title's first half
        following = next((n.strip() for n in lines[index + 1 : index + 3] if n.strip()), "")
        if (
            following
            and len(text) + len(following) <= 60
            and grammar.is_title_end(following)
            and "报告" not in text
            and grammar.title_year(text + following)[0]
        ):
            return text + following, index + 1
    return None, None


# a heading and its line
Placed = tuple[int, grammar.Heading]


def _contents_list(headings: list[Placed], lines: list[str]) -> set[int]:
    """The lines of the report's contents list, if it has one: not part headings.

    An entry with dot leaders and a page number ("一、总体情况……1", "… ....... 1"); and a run
    of at least CONTENTS_RUN heading lines in the parts' order with nothing between them
    but blank lines and entries (or their leaders alone: a flattened page's), at least
    CONTENTS_RUN of whose parts are headed again after it (their text follows there). (An
    entry "一、总体情况\t1" is a row of cells: no heading at all.) Under a "目录" line, a
    run's entries may have sub-entries between them, without leaders ("（一）主动公开情况",
    "（二）主动公开政府信息情况", a short line): a part's sub-headings have text under them
    (a sentence breaks the run), and its parts are not headed again."""
    listed = {n for n, _h in headings if grammar.ends_with_page_leader(lines[n - 1])}
    run: list[Placed] = []
    titled = False  # the run stands under a "目录" line: sub-entries may stand in it
    for index, placed in enumerate(headings):
        if run and titled and placed[1].loose and _sub_entry(run[-1], placed):
            continue  # "（二）主动公开政府信息情况" under 一: a sub-entry (checked as a line)
        if run and not _next_entry(run[-1], placed, lines, titled):
            _take_run(run, headings[index:], listed, headings if titled else [])
            run = []
        if not run:
            titled = _under_contents_title(placed[0], lines)
        run.append(placed)
    _take_run(run, [], listed, headings if titled else [])
    return listed


_CONTENTS_TITLES = ("目录", "目次")
_CONTENTS_FIRST = frozenset(title[0] for title in _CONTENTS_TITLES)


def _under_contents_title(line_no: int, lines: list[str]) -> bool:
    """The line before `line_no` (blank lines aside) is a contents list's title ("目  录")."""
    for n in range(line_no - 1, 0, -1):
        if lines[n - 1].strip():
            line = lines[n - 1]
            # a line without a title's first character (most) is not squeezed
            return any(c in line for c in _CONTENTS_FIRST) and (
                grammar.without_emphasis(squeeze(line)) in _CONTENTS_TITLES
            )
    return False


def _numbered_as(heading: grammar.Heading) -> str:
    """How a heading is numbered: "N、", "（N）", "第N部分", a digit, or a numeral alone."""
    if heading.arabic:
        return "digit"
    written = fold(heading.numbering)
    return (
        "" if not written else "(" if written.startswith("(") else "第" if written.startswith("第") else "N"
    )


def _sub_entry(previous: Placed, current: Placed) -> bool:
    """`current`, numbered otherwise than the entry before it ("（二）主动公开政府信息情况"
    under "一、总体情况"), or not after it, is no next entry: an item under `previous`."""
    value = grammar.NUMERAL_VALUE.get
    return _numbered_as(current[1]) != _numbered_as(previous[1]) or value(current[1].number, 0) <= value(
        previous[1].number, 0
    )


# a sub-entry of a contents list as a line: short, no sentence or clause in it, no cells
_SUB_ENTRY = on_use(r"[^\t。；;！!？?，,：:]{1,40}")


def _next_entry(previous: Placed, current: Placed, lines: list[str], titled: bool = False) -> bool:
    """`current` is the entry after `previous` in a list of the parts: the part after it,
    with only blank lines, entries or their leaders between them (under a "目录" line, also
    sub-entries)."""
    (before, first), (line_no, heading) = previous, current
    if grammar.NUMERAL_VALUE.get(heading.number, 0) <= grammar.NUMERAL_VALUE.get(first.number, 0):
        return False
    return all(
        not lines[n - 1].strip()
        or grammar.ends_with_page_leader(lines[n - 1])
        or grammar.is_leader_alone(lines[n - 1])
        or (titled and _SUB_ENTRY.fullmatch(fold(lines[n - 1]).strip()) is not None)
        for n in range(before + 1, line_no)
    )


def _take_run(run: list[Placed], after: list[Placed], listed: set[int], among: list[Placed]) -> None:
    """Add to `listed` the lines of `run` when it is a contents list: long enough, and at
    least CONTENTS_RUN of its parts headed again in `after` (the headings after it; a part
    the report then leaves out is its own finding, not the list's); and the headings of
    `among` between its first and last entries (its sub-entries)."""
    if len(run) < grammar.CONTENTS_RUN:
        return
    again = {h.number for n, h in after if n not in listed}
    if sum(h.number in again for _n, h in run) >= grammar.CONTENTS_RUN:
        listed.update(n for n, _h in run)
        listed.update(n for n, _h in among if run[0][0] < n < run[-1][0])


# parts numbered with digits ("1、总体情况"): at least this many, in order, or none is a part
ARABIC_PARTS = 2


def _headings(found, lines: list[str]) -> list[Placed]:
    """The part headings: not the entries of a contents list; a heading numbered otherwise
    ("（三）…", "三 …", "第三部分 …", "3、…") only where no heading of its number is written
    "N、" (then it is a sub-item that names a part); digits, see _numbered_with_digits."""
    listed = _contents_list(found.headings, lines)
    kept = [(n, h) for n, h in found.headings if n not in listed]
    usual = {h.number for _n, h in kept if not h.loose}
    kept = [(n, h) for n, h in kept if not (h.loose and h.number in usual)]
    return _numbered_with_digits(kept) if any(h.arabic for _n, h in kept) else kept


def _numbered_with_digits(headings: list[Placed]) -> list[Placed]:
    """Digits number a part's items as well as parts ("2.主动公开情况" under 总体情况): a
    heading numbered with one ("2、主动公开政府信息情况") is a part only where no heading
    numbered with a numeral has its number; where no other numbered with a digit has it,
    unless that one alone is in the part's own words (not a variant); where it stands after
    the part before it; and where the parts are numbered so (ARABIC_PARTS of them). Else
    the part has no heading rather than an item's."""
    worded = {h.number for _n, h in headings if not h.arabic}
    candidates: dict[str, list[Placed]] = {}
    for placed in headings:
        if placed[1].arabic and placed[1].number not in worded:
            candidates.setdefault(placed[1].number, []).append(placed)
    chosen = set()
    for same in candidates.values():
        own_words = [p for p in same if not grammar.match_section(p[1].text)[1]]
        if len(same) == 1 or len(own_words) == 1:
            chosen.add((same if len(same) == 1 else own_words)[0][0])
    ordered: list[Placed] = []
    last = 0
    for line_no, heading in headings:
        value = grammar.NUMERAL_VALUE.get(heading.number, 0)
        if heading.arabic and (line_no not in chosen or value <= last):
            continue
        ordered.append((line_no, heading))
        last = max(last, value)
    if sum(h.arabic for _n, h in ordered) < ARABIC_PARTS:
        return [(n, h) for n, h in ordered if not h.arabic]
    return ordered


def _sections(lines: list[str], found, table_lines: set[int]) -> list[ast.Section]:
    sections = []
    headings = _headings(found, lines)
    for index, (line_no, heading) in enumerate(headings):
        end = headings[index + 1][0] if index + 1 < len(headings) else len(lines) + 1
        section_id, variant = grammar.match_section(heading.text)
        body = [
            (n, lines[n - 1])
            for n in range(line_no + 1, end)
            if n not in table_lines and lines[n - 1].strip()
        ]
        if heading.rest:  # "一、总体情况 本机关…": the part's text starts on the heading's line
            body.insert(0, (line_no, heading.rest))
        sections.append(
            ast.Section(
                number=heading.number,
                id=section_id,
                heading=heading.text,
                line=line_no,
                variant=variant,
                numbering=heading.numbering,
                text="\n".join(t for _, t in body),
                body_lines=body,
            )
        )
    return sections


def parse_text(
    text: str, path: str = "<text>", input_kind: str = "text", source: SourceText | None = None
) -> ast.Report:
    """Parse a report's lines; `source` (what the adapter read), when given, gives the lines
    (`text` is then not read) and each line's origin."""
    lines = source.lines if source is not None else split_lines(text)
    diagnostics: list[ast.Diagnostic] = []
    title, title_line = _find_title(lines)
    year, organ = None, None
    if title:
        year, position = grammar.title_year(title)
        organ = metadata.organ_of_title(title, position)
    else:
        diagnostics.append(ast.Diagnostic(1, "未找到报告标题"))
    period_years = grammar.statistics_periods(lines)
    if year is None and period_years:
        year = period_years[-1][0]
    found = scan(lines)
    first_heading = found.headings[0][0] if found.headings else len(lines) + 1
    if organ is None:
        organ = (
            metadata.signature(lines)[0]
            or metadata.organ_from_chrome(lines)
            or metadata.organ_summed_up(lines, first_heading)
        )
    if year is None:
        year = metadata.year_named_in_preamble(lines, first_heading)
    sections = _sections(lines, found, found.table_lines)
    if year is None:
        overview = next((sec for sec in sections if sec.id == "overview"), None)
        year = metadata.year_opening_overview(overview.text) if overview else None
    fmt_id = tables.detect_format(found.tables.get(PROACTIVE, []), year)
    if year is not None and year < min(f.first_year for f in load_formats().values()):
        fmt_id = ast.FORMAT_PRE_2019
    fmt = load_formats().get(fmt_id)
    report_tables = ast.Tables(lines=dict(found.table_starts))
    spaced = found.spaced_lines
    report_tables.proactive = tables.assemble_proactive(
        found.tables.get(PROACTIVE, []), fmt, diagnostics, spaced
    )
    report_tables.applications = tables.assemble_applications(
        found.tables.get(APPLICATIONS, []), fmt, diagnostics, spaced
    )
    report_tables.review_litigation = tables.assemble_review(
        found.tables.get(REVIEW, []), fmt, diagnostics, spaced
    )
    if not sections:
        diagnostics.append(ast.Diagnostic(1, "未找到任何一级标题（一、二、三……）"))
    diagnostics.sort(key=lambda d: d.line)
    return ast.Report(
        path=path,
        title=title,
        organ=organ,
        year=year,
        format=fmt_id,
        sections=sections,
        tables=report_tables,
        diagnostics=diagnostics,
        title_line=title_line,
        period_years=period_years,
        lines=lines,
        input_kind=input_kind,
        origins=source.origins if source is not None else [],
        original_lines=source.original if source is not None else None,
    )


def parse_document(text: str, path: str = "<text>", input_kind: str = "text") -> ast.Report:
    """Parse a report's text, first rebuilding the lines of a flattened one."""
    return parse_source(SourceText.plain(text, input_kind), path)


def parse_source(source: SourceText, path: str = "<text>") -> ast.Report:
    """Parse what an adapter read; a flattened text is first rebuilt into lines."""
    if flattened.lines_flattened(source.lines):
        # a whole report on one line: rebuild lines and split run-together digits
        text, inferences = flattened.unflatten(source.text)
        report = parse_text(text, path, input_kind="flattened")
        report.origins = align(report.lines, source)
        report.original_lines = source.original
        annotate(report, inferences)
    else:
        # the source's lines are parsed: its text (the lines joined again) is not needed
        report = parse_text("", path, source.kind, source)
        mark_unplaced(report, source.unplaced)
    # read, absent or unreadable: for every cell of the template
    report.coverage = coverage.measure(report, load_formats().get(report.format))
    return report


# the formats' part headings and table-three rows (formats/common.yaml): only a report has them,
# so a text with any of them that parsed to nothing is a report we misread, not "some other file"
# (a README or a notice may well say 政府信息公开工作年度报告)
REPORT_WORDS = (
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议、行政诉讼情况",
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
)


def looks_like_report(report: ast.Report) -> bool:
    """Anything a report has: a title (a notice's alone is none), a part heading or a table."""
    t = report.tables
    titled = bool(report.title) and not grammar.is_notice_title(report.title or "")
    return titled or bool(report.sections or t.proactive or t.applications or t.review_litigation)


def parse_file(path: str | Path) -> ast.Report:
    """Parse a report file; raises errors.InputError for unreadable input.

    The kind of file is recognised by its content, not its extension.
    """
    source = read_source(path)
    report = parse_source(source, str(path))
    if not looks_like_report(report):
        text = source.text
        if not text.strip():  # nothing read: damaged or truncated, not known to be "another file"
            raise InputError(str(path), "没有读出任何文字（文件可能损坏或被截断）")
        if any(word in text for word in REPORT_WORDS):
            # a report we could not read (damaged, truncated, a new layout) is an error, never skipped
            raise InputError(
                str(path), "无法识别为年度报告：有年度报告的栏目名称，但没有读出标题、部分标题或表格"
            )
        raise NotAReportError(str(path), "不是年度报告：没有标题、部分标题或表格")
    return report

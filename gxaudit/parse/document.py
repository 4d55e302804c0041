"""From a report file to the AST: read, scan, assemble."""

from __future__ import annotations

from pathlib import Path

from gxaudit.errors import InputError, NotAReportError
from gxaudit.formats import grammar
from gxaudit.formats.load import load_formats
from gxaudit.formats.text import split_lines
from gxaudit.parse import ast, coverage, metadata, tables
from gxaudit.parse.readings import annotate
from gxaudit.parse.scan import APPLICATIONS, PROACTIVE, REVIEW, scan
from gxaudit.parse.unplaced import mark_unplaced
from gxaudit.read import flattened
from gxaudit.read.files import read_source
from gxaudit.read.source import SourceText, align

# How many leading lines may hold the title.
TITLE_SEARCH_LINES = 8


def _find_title(lines: list[str]) -> tuple[str | None, int | None]:
    """The title (joined when split over two lines) and its first line."""
    seen = 0
    for index, line in enumerate(lines):
        text = line.strip()
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


def _headings(found) -> list[tuple[int, grammar.Heading]]:
    """The part headings: a heading numbered otherwise ("（三）…", "三 …") only where no
    heading of its number is written "N、" (then it is a sub-item that names a part)."""
    usual = {heading.number for _, heading in found.headings if not heading.loose}
    return [(n, h) for n, h in found.headings if not (h.loose and h.number in usual)]


def _sections(lines: list[str], found, table_lines: set[int]) -> list[ast.Section]:
    sections = []
    headings = _headings(found)
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
                text="\n".join(t for _, t in body),
                body_lines=body,
            )
        )
    return sections


def parse_text(
    text: str, path: str = "<text>", input_kind: str = "text", source: SourceText | None = None
) -> ast.Report:
    """Parse a report's lines; `source` (what the adapter read) gives each line its origin."""
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
    if flattened.is_flattened(source.text):
        # a whole report on one line: rebuild lines and split run-together digits
        text, inferences = flattened.unflatten(source.text)
        report = parse_text(text, path, input_kind="flattened")
        report.origins = align(report.lines, source)
        report.original_lines = source.original
        annotate(report, inferences)
    else:
        report = parse_text(source.text, path, source.kind, source)
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
    """Anything a report has: a title, a part heading or a table."""
    t = report.tables
    return bool(report.title or report.sections or t.proactive or t.applications or t.review_litigation)


def parse_file(path: str | Path) -> ast.Report:
    """Parse a report file; raises errors.InputError for unreadable input.

    The kind of file is recognised by its content, not its extension.
    """
    source = read_source(path)
    report = parse_source(source, str(path))
    text = source.text
    if not looks_like_report(report):
        if not text.strip():  # nothing read: damaged or truncated, not known to be "another file"
            raise InputError(str(path), "没有读出任何文字（文件可能损坏或被截断）")
        if any(word in text for word in REPORT_WORDS):
            # a report we could not read (damaged, truncated, a new layout) is an error, never skipped
            raise InputError(
                str(path), "无法识别为年度报告：有年度报告的栏目名称，但没有读出标题、部分标题或表格"
            )
        raise NotAReportError(str(path), "不是年度报告：没有标题、部分标题或表格")
    return report

"""The Markdown file to the parser's lines: regions repaired by table, the rest as written.

Every line written keeps the line of the Markdown file it comes from (a row
moved by a repair keeps its own). A rebuilt region is also padded with empty
lines to its length in the file, so the lines after it keep their numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.formats.text import split_lines
from gxaudit.read.markdown.applications import repair_applications
from gxaudit.read.markdown.fixes import drop_repeated_headers, join_split_labels, put_back_loose_values
from gxaudit.read.markdown.items import FOOTER, HEADING, PIPE, TEXT, Item, classify, text_row
from gxaudit.read.markdown.proactive import repair_proactive, split_header
from gxaudit.read.markdown.regions import Context, Note, captions, emit, region_kind, regions
from gxaudit.read.markdown.review import repair_review
from gxaudit.read.source import UNREADABLE_MARK, Origin, SourceLine, SourceText, Unplaced

REPAIRS = {"proactive": repair_proactive, "applications": repair_applications, "review": repair_review}


@dataclass
class MarkdownConversion:
    lines: list[SourceLine]
    notes: list[Note] = field(default_factory=list)  # repairs made
    unplaced: list[Note] = field(default_factory=list)  # table text left out of every cell
    unreadable_rows: list[tuple[int, str]] = field(default_factory=list)  # (Markdown line, reason)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _render_generic(items: list[Item], ctx: Context) -> list[SourceLine]:
    """Row for row, line for line; captions first; text rows split at their values."""
    out = captions(items)
    for item in items:
        if item.kind == PIPE:
            out.append(emit("\t".join(item.cells), item.line, item))
        elif item.kind == TEXT:
            row = text_row(item.text)
            if not row or len(row) < 2:
                row = split_header(item.text)
            out.append(emit("\t".join(row), item.line, item))
        elif item.kind == FOOTER:
            ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
            out.append(emit("", item.line))
        elif item.kind != HEADING:
            out.append(emit("", item.line))
    return out


def _render_plain(items: list[Item], ctx: Context) -> list[SourceLine]:
    out = []
    for item in items:
        if item.kind in (TEXT, HEADING):
            out.append(emit(item.text, item.line, item))
        elif item.kind == FOOTER:
            ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
            out.append(emit("", item.line))
        elif item.kind == PIPE:
            out.append(emit("\t".join(item.cells), item.line, item))
        else:
            out.append(emit("", item.line))
    return out


def _region(region: list[Item], ctx: Context, marked: list[tuple[int, str]]) -> list[SourceLine]:
    kind = region_kind(region)
    if kind in ("proactive", "applications"):
        drop_repeated_headers(region, ctx)
        join_split_labels(region, ctx)
        before = len(ctx.unplaced)
        for line in put_back_loose_values(region, ctx):
            marked.append((line, ctx.unplaced[before].message))
            before += 1
    rendered = None
    if kind in REPAIRS:
        saved = (len(ctx.notes), len(ctx.unplaced))
        rendered = REPAIRS[kind](region, ctx)
        if rendered is None:  # no repair: drop what the attempt noted
            del ctx.notes[saved[0] :], ctx.unplaced[saved[1] :]
    if rendered is None:
        rendered = _render_generic(region, ctx)
    pad = region[-1].line if region else 0
    return rendered + [emit("", pad)] * (len(region) - len(rendered))


def convert_markdown(text: str) -> MarkdownConversion:
    """The report's lines for the grammar, with what was repaired and what was left out."""
    items = classify(split_lines(text))
    ctx = Context()
    marked: list[tuple[int, str]] = []
    out: list[SourceLine] = []
    position = 0
    for start, end in regions(items):
        out += _render_plain(items[position:start], ctx)
        out += _region(items[start:end], ctx, marked)
        position = end
    out += _render_plain(items[position:], ctx)
    marked += [(item.line, item.reason) for item in items if item.reason]  # HTML tables inside
    return MarkdownConversion(out, ctx.notes, ctx.unplaced, marked)


def read_markdown(text: str, name: str = "<markdown>", encoding: str = "utf-8") -> SourceText:
    """The lines of a Markdown report for the parser, each with its line in the file."""
    conversion = convert_markdown(text)
    source = SourceText.from_lines(
        conversion.lines, kind="markdown", encoding=encoding, original=split_lines(text)
    )
    for md_line, reason in conversion.unreadable_rows:
        index = next(
            (
                i
                for i, (t, o) in enumerate(zip(source.lines, source.origins))
                if o.line == md_line and UNREADABLE_MARK in t
            ),
            None,
        )
        if index is not None:
            positions = [k for k, c in enumerate(source.lines[index].split("\t")) if c == UNREADABLE_MARK]
            source.unplaced.append(
                Unplaced(index, positions, reason, source.lines[index].replace("\t", " | "))
            )
    return source


def markdown_to_text(text: str) -> str:
    return convert_markdown(text).text


__all__ = ["MarkdownConversion", "Origin", "convert_markdown", "markdown_to_text", "read_markdown"]

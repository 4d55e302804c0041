"""Table three of a flattened page: rows by their labels, digits read by the identities."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from gxaudit.formats import grammar
from gxaudit.formats.load import Format, Label, common, format_for_year, load_formats
from gxaudit.formats.text import fold
from gxaudit.read.flattened.model import Cell, Out
from gxaudit.read.flattened.runs import Run, find_runs
from gxaudit.read.flattened.solve import Unit, instances, solve, unit_cells
from gxaudit.read.flattened.text import WS, bare, loose, split_words
from gxaudit.read.flattened.two import Context
from gxaudit.regex import on_use

# A table-three label piece longer than this, or one holding a full stop, is prose.
MAX_LABEL_PIECE = 60

# ------------------------------------------------------------------ table three

# a match starts only where a run of numerals starts: tried inside a long run, it would
# scan the rest of the run again from every position (quadratic on a 200,000-character cell)
_ENUM = on_use(
    r"(?<![一二三四五六七八九十])[一二三四五六七八九十]+\s*、"
    r"|[(（]\s*[一二三四五六七八九十]+\s*[)）]"
    r"|(?<![0-9])[0-9]+\s*[.．、]"
)


def _cell_ids(row_id: str, key: tuple[str, ...]) -> dict[str, str]:
    """The ids an inference of a table-three cell carries."""
    return {"table": "applications", "row": row_id, "cell": key[1]}


def _label_pieces(text: str) -> list[str]:
    """A label region cut before each enumerator: "三、本年度办理结果（一）予以公开"
    gives "三、本年度办理结果", "（一）予以公开"."""
    folded = fold(text)
    starts = sorted({m.start() for m in _ENUM.finditer(folded)} | {0})
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    return [p for p in pieces if p]


@dataclass
class _T3Row:
    label_cells: list[str]
    label: Label | None
    run: Run | None

    @property
    def id(self) -> str | None:
        return self.label.id if self.label else None

    @property
    def name(self) -> str:
        return bare(self.label_cells[-1]) if self.label_cells else "?"


def _application_labels() -> list[Label]:
    labels: dict[str, Label] = {}
    for fmt in reversed(list(load_formats().values())):
        for row in fmt.application_rows:
            labels.setdefault(row.id, row)
    return list(labels.values())


def table_three_start(folded: str, start: int, end: int) -> int | None:
    marks = [re.compile(r"[(（]?\s*" + loose(m)) for m in common()["applications"]["markers"]]
    # the first row, however its name is worded (本年新收, 本年度新收, 本年收到…)
    openings = "|".join(loose(o) for o in grammar.applications_openings())
    marks.append(re.compile(rf"[一1]\s*[、.．]\s*(?:{openings})"))
    hits = [m.start() for p in marks if (m := p.search(folded, start, end))]
    return min(hits) if hits else None


def table_three(text: str, folded: str, start: int, end: int, ctx: Context) -> int:
    """Write table three found at `start`; return where it ends."""
    out = ctx.out
    labels = _application_labels()
    runs = find_runs(text, folded, start, end)
    # label regions: before each run
    regions: list[tuple[int, int, Run | None]] = []
    pos = start
    for each in runs:
        regions.append((pos, each.start, each))
        pos = each.end
    regions.append((pos, end, None))
    rows: list[_T3Row] = []
    table_end = start
    header: list[str] = []
    opened = False
    for r_start, r_end, run in regions:
        region = text[r_start:r_end]
        pieces = _label_pieces(region)
        if not opened:
            first = next((i for i, p in enumerate(pieces) if grammar.opens_applications(p)), None)
            if first is None:
                if run is None:
                    break
                header.append(region)  # digits inside the header? keep as header
                header.append(run.raw)
                continue
            header.append("".join(pieces[:first]) if first else "")
            pieces = pieces[first:]
            opened = True
        prose = any("。" in p or len(p) > MAX_LABEL_PIECE for p in pieces)
        if run is None:
            # the end of the part: a last label without numbers, or prose
            label = grammar.match_label(pieces[-1], labels) if pieces and not prose else None
            if label is not None:
                rows.append(_T3Row(pieces, label, None))
                table_end = r_end
            break
        if prose:
            break  # prose after the table
        label = grammar.match_label(pieces[-1], labels) if pieces else None
        rows.append(_T3Row(pieces, label, run))
        table_end = run.end if run else r_end
        if label is not None and label.id == "carried_forward":
            break
    if not opened:
        return start
    _write_header_three(out, "".join(header))
    units = _read_rows(rows, ctx.year)
    for row in rows:
        cells = [Cell(WS.sub("", p) if len(p) <= 12 else p) for p in row.label_cells]
        unit = units.get(id(row))
        if unit is not None:
            cells += unit_cells(unit, functools.partial(_cell_ids, row.id or ""))
        out.row(cells)
    return table_end


def _write_header_three(out: Out, header: str) -> None:
    folded = fold(header)
    note = re.search(r"[(（]?\s*本列数据的勾稽关系[^)）]*[)）]?", folded)
    rest = header
    if note:
        out.text(header[note.start() : note.end()])
        rest = header[: note.start()] + " " + header[note.end() :]
    words = [c["label"] for c in common()["applications"]["columns"]]
    words += ["申请人情况", "法人或其他组织"]
    cells = split_words(rest, words)
    if cells:
        out.row([Cell(c) for c in cells])


def _format_of(row_ids: set[str], year: int | None) -> Format | None:
    """The format whose table-three rows the page has; else the year's."""
    formats = list(load_formats().values())
    fitting = [f for f in formats if row_ids <= {r.id for r in f.application_rows}]
    if len(fitting) == 1:
        return fitting[0]
    by_year = format_for_year(year) if year is not None else None
    return by_year if by_year in fitting or not fitting else fitting[-1]


def _read_rows(rows: list[_T3Row], year: int | None) -> dict[int, Unit]:
    """Each row's digits read by the row sums and the column identities of the format."""
    columns = common()["applications"]["columns"]
    column_ids = [c["id"] for c in columns]
    column_labels = {c["id"]: c["label"] for c in columns}
    units: dict[int, Unit] = {}
    names: dict[str, str] = {}
    for row in rows:
        if row.run is None:
            continue
        rid = row.id or f"?{len(units)}"  # an unknown label: its cells take part in no identity
        names[rid] = row.name
        units[id(row)] = Unit(
            where=f"‘{row.name}’一行的数字串“{row.run.raw}”",
            keys=[(rid, c) for c in column_ids],
            chunks=row.run.chunks,
        )
    fmt = _format_of({r.id for r in rows if r.id}, year)
    identities = [i for i in fmt.identities if i.table == "applications"] if fmt else []

    def label(each: str, key: str) -> str:
        return f"“{column_labels[key]}”一列" if each == "column" else f"“{names.get(key, key)}”一行"

    found = instances(identities, list(names), column_ids, label)
    solve(list(units.values()), found, len(column_ids))
    return units

"""What the flattened reader writes: its lines, and the cells it had to infer."""

from __future__ import annotations

from dataclasses import dataclass

from gxaudit.read.flattened.text import paragraphs

INFERRED = "inferred"
AMBIGUOUS = "ambiguous"
UNSATISFIABLE = "unsatisfiable"
# no reading keeps every identity; exactly one breaks just one: read, and said so
LEAST_BROKEN = "least_broken"
# how a cell a reading leaves blank is written where a reading is shown (reasons, messages)
BLANK_CELL = "（空白）"


@dataclass
class Inference:
    """One table cell whose value had to be recovered from run-together digits.

    `line`/`column` are 1-based positions of the cell in the text `unflatten`
    returns (the column is where the cell's text starts, as the parser counts
    it). `raw` is the cell's digits when inferred, else the whole digit string
    of the row. The last four fields say which cell it is (table id, block id
    for tables two and four, row id, column id).
    """

    line: int
    column: int
    raw: str
    status: str  # INFERRED | LEAST_BROKEN | AMBIGUOUS | UNSATISFIABLE
    reason: str  # in Chinese, for the supervisor
    table: str = ""
    block: str = ""
    row: str = ""
    cell: str = ""
    decided_by: str = ""  # the constraint that decided an inferred reading, in Chinese
    blank: int = 0  # not read: how many cells of its run were certainly blank on the page


# ------------------------------------------------------------------ output


@dataclass
class Cell:
    text: str
    inference: tuple[str, str, str, dict] | None = None  # raw, status, reason, ids


class Out:
    """The lines being written, and the inferences with their positions."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.inferences: list[Inference] = []

    def text(self, line: str) -> None:
        line = line.replace("\t", " ").strip()
        if line:
            self.lines.append(line)

    def prose(self, text: str) -> None:
        for paragraph in paragraphs(text):
            self.text(paragraph)

    def row(self, cells: list[Cell]) -> None:
        line_no = len(self.lines) + 1
        column = 1
        for cell in cells:
            text = cell.text.replace("\t", " ")
            if cell.inference is not None:
                raw, status, reason, ids = cell.inference
                self.inferences.append(Inference(line_no, column, raw, status, reason, **ids))
            column += len(text) + 1
        self.lines.append("\t".join(c.text.replace("\t", " ") for c in cells))

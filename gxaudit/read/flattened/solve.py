"""Reading run-together digits by the constraints the format declares.

A *unit* is one digit run and the table cells it must fill (a table-three row:
seven cells; table four: its fifteen cells). Its candidate readings come from
the shape of the run alone:

* as many chunks (pieces between white space) as cells: read directly;
* as many digits as cells, or any run with exactly one split into counts
  without leading zeros: one reading, forced by the digit count — read, even
  when a sum then fails (that is the report's own defect, for the balance
  rules to report);
* one digit fewer than cells: one cell was blank on the page. Where the run
  has white space inside, the blank is placed at a gap (the page left the
  space where the empty cell was); else at any position;
* otherwise every split into counts (no leading zeros).

The identities of the formats (`Format.identities`: row sums, the result rows'
total, 勾稽, table four's totals) then decide. An identity instance whose cells
all lie in one unit is *local* (a row sum); one spanning units is *cross* (a
column identity). Per unit, the candidates that keep its local identities are
kept; when none does, every candidate stays, each costing the local identities
it breaks. Units left with several candidates are combined (within a bound)
and each combination costs the identity instances it breaks:

* a combination breaking nothing, and every unit the same in all such
  combinations: read (inferred); a unit that differs: ambiguous;
* none breaking nothing: if exactly one combination breaks exactly one
  instance and every other breaks more, read it and say which identity is
  broken and which decided (least broken); else unsatisfiable.

An unreadable unit is never guessed: its cells are left empty with the reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gxaudit.formats.grammar import MAX_FIGURE
from gxaudit.formats.model import Identity
from gxaudit.read.flattened.model import AMBIGUOUS, BLANK_CELL, INFERRED, LEAST_BROKEN, UNSATISFIABLE, Cell
from gxaudit.read.flattened.runs import Chunk, count_digits, count_ok, dash_readings, split_run

# Bounds of the search: past them a unit is unreadable, with the reason.
MAX_SPLITS_PER_UNIT = 5000
MAX_COMBINATIONS = 20_000

CellKey = tuple[str, ...]  # (row, column), (block, column) …

DIRECT, COUNT, SPLIT, BLANK = "direct", "count", "split", "blank"


@dataclass
class Unit:
    """One digit run and the cells it fills. `where` names it in reasons."""

    where: str
    keys: list[CellKey]
    chunks: list[Chunk]
    how: str = ""
    candidates: list[tuple[str, ...]] = field(default_factory=list)
    costs: list[int] = field(default_factory=list)  # local identities each candidate breaks
    status: str | None = None  # None: read directly
    reading: tuple[str, ...] | None = None
    reason: str = ""
    decided_by: str = ""  # the constraint that decided, in Chinese
    # cells certainly blank on the page: the run has fewer digits than the unit has cells
    # (wherever a reading puts the blank, or when none can be chosen)
    blank: int = 0
    # a check of a partial split (cells so far, complete?) that keeps the local identities:
    # used only when a long run has too many splits to list them all
    prune: Callable[[list[str], bool], bool] | None = None

    @property
    def raw(self) -> str:
        return " ".join(c.raw for c in self.chunks)

    @property
    def open(self) -> bool:
        return self.status is None and self.reading is None and len(self.candidates) > 1


@dataclass(frozen=True)
class Instance:
    """One identity for one row, column or block: sum(left) == sum(right)."""

    identity: Identity
    key: str
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]
    label: str  # "“总计”一列" …

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return self.left + self.right

    def describe(self) -> str:
        return f"{self.label}{self.identity.name}"


def instances(
    identities: Iterable[Identity],
    rows: list[str],
    columns: list[str],
    label: Callable[[str, str], str],
) -> list[Instance]:
    """Every instance of the identities over these rows (or blocks) and columns.
    `label(each, key)` names a row, column or block for the reasons."""
    out = []
    for identity in identities:
        keys = columns if identity.each == "column" else rows
        for key in keys:
            left, right = identity.terms(key)
            out.append(Instance(identity, key, tuple(left), tuple(right), label(identity.each, key)))
    return out


def _value(text: str) -> int | None:
    """A cell's count for the identities: a blank cell counts 0, a dash cannot be checked,
    nor a number beyond what a cell may hold (an unreadable cell once parsed)."""
    if text == "":
        return 0
    text = count_digits(text)
    if not text.isdigit() or len(text) > len(str(MAX_FIGURE)):  # before int(): 5,000 digits raise
        return None
    value = int(text)
    return value if value <= MAX_FIGURE else None


def _broken(instance: Instance, values: dict[CellKey, int | None]) -> bool:
    left = [values[c] for c in instance.left]
    right = [values[c] for c in instance.right]
    if any(v is None for v in left) or any(v is None for v in right):
        return False  # a dash: this instance cannot be checked
    return sum(left) != sum(right)  # type: ignore[arg-type]


def _capacity(chunks: list[Chunk]) -> int:
    return sum(c.most_cells for c in chunks)


def _blank_placements(chunks: list[Chunk], k: int) -> list[tuple[str, ...]]:
    """k-1 single cells and one blank: at a white-space gap inside the run if it has any.
    (Not for grouped digits: each chunk gives its most cells, one per digit or dash.)"""
    cells: list[str] = []
    gaps: set[int] = set()
    for index, chunk in enumerate(chunks):
        if index:
            gaps.add(len(cells))
        if chunk.dash:
            readings = dash_readings(chunk.dash)
            cells.extend(readings[max(readings)])
        else:
            cells.extend(chunk.digits)
    positions = sorted(gaps) if gaps else range(k)
    return [tuple(cells[:p] + [""] + cells[p:]) for p in positions]


def _shape(unit: Unit, k: int) -> None:
    """The unit's candidates from the run's shape alone."""
    chunks = unit.chunks
    capacity = _capacity(chunks)
    # thousands separators read as such: with them, too few digits for the cells proves no
    # blank cell (the separators may be misread), and the row is only unreadable
    grouped = any(c.grouped for c in chunks)
    fewest = sum(c.fewest_cells for c in chunks)
    if len(chunks) == k and all(c.one_cell for c in chunks):
        unit.how, unit.candidates = DIRECT, [tuple(c.raw for c in chunks)]
    elif len(chunks) > k:
        unit.status = UNSATISFIABLE
        unit.reason = f"{unit.where}有 {len(chunks)} 段，多于 {k} 个单元格，数值未填"
    elif fewest > k:
        unit.status = UNSATISFIABLE
        unit.reason = f"{unit.where}至少占 {fewest} 个单元格，多于 {k} 个单元格，数值未填"
    elif capacity == k - 1 and not grouped:
        unit.how, unit.candidates = BLANK, _blank_placements(chunks, k)
        unit.blank = 1
    elif capacity < k and not grouped:
        unit.blank = k - capacity
        unit.status = UNSATISFIABLE
        unit.reason = (
            f"{unit.where}只有 {capacity} 个数字，少于 {k} 个单元格，无法确定哪些单元格空白，数值未填"
        )
    elif capacity < k:
        unit.status = UNSATISFIABLE
        unit.reason = f"{unit.where}按千位分隔符读，至多拆成 {capacity} 个单元格，少于 {k} 个，数值未填"
    else:
        found, stopped = split_run(chunks, k, count_ok, _any, MAX_SPLITS_PER_UNIT)
        pruned = stopped and unit.prune is not None
        if pruned:
            found, stopped = split_run(chunks, k, count_ok, unit.prune or _any, MAX_SPLITS_PER_UNIT)
            if not found and not stopped:
                unit.status = UNSATISFIABLE
                unit.reason = f"{unit.where}拆成 {k} 个单元格的读法很多，没有一种能满足各栏合计，数值未填"
                return
        if stopped:
            unit.status = UNSATISFIABLE
            unit.reason = (
                f"{unit.where}拆成 {k} 个单元格的读法超过 {MAX_SPLITS_PER_UNIT} 种，未逐一核对，数值未填"
            )
        elif not found:
            unit.status = UNSATISFIABLE
            commas = "（逗号只按“1,234”这样的千位分隔符读）" if grouped else ""
            unit.reason = f"{unit.where}无法拆成 {k} 个不带前导零的计数{commas}，数值未填"
        elif len(_dash_places(found)) > 1:
            # a dash cannot be checked by any sum: a reading putting a dash where another
            # has a count would "keep" the sums by not taking part; nothing tells them apart
            unit.status = AMBIGUOUS
            shown = "、".join(_shown(r) for r in found[:3])
            unit.reason = (
                f"{unit.where}有 {len(found)} 种拆成 {k} 个单元格的读法，横线等符号落在不同的单元格"
                f"（如 {shown}），各栏合计无法用来区分，数值未填"
            )
        else:
            unit.how = COUNT if len(found) == 1 and not pruned else SPLIT
            unit.candidates = found


def _dash_places(readings: list[tuple[str, ...]]) -> set[tuple[int, ...]]:
    """Where each reading has a dash (a cell without digits)."""
    return {tuple(i for i, v in enumerate(r) if v and not any(ch.isdigit() for ch in v)) for r in readings}


def _any(_cells: list[str], _complete: bool) -> bool:
    return True


def _names(found: Iterable[Instance]) -> str:
    return "、".join(dict.fromkeys(i.identity.name for i in found))


def _shown(reading: tuple[str, ...]) -> str:
    return "/".join(v or BLANK_CELL for v in reading)


def solve(units: list[Unit], all_instances: list[Instance], k: int) -> None:
    """Decide every unit: set its status, reading, reason and what decided."""
    owner: dict[CellKey, Unit] = {key: u for u in units for key in u.keys}
    for unit in units:
        _shape(unit, k)
    local: dict[int, list[Instance]] = {id(u): [] for u in units}
    cross: list[Instance] = []
    for instance in all_instances:
        owners = {id(owner[c]) for c in instance.cells if c in owner}
        if any(c not in owner for c in instance.cells) or not all(
            owner[c].candidates for c in instance.cells
        ):
            continue  # a cell of a row not found or not readable: the instance cannot be checked
        if len(owners) == 1:
            local[owners.pop()].append(instance)
        else:
            cross.append(instance)
    for unit in units:
        if unit.status is None:
            _local(unit, local[id(unit)])
    _combine(units, owner, cross, local)


def _local(unit: Unit, own: list[Instance]) -> None:
    """Keep the candidates that hold the unit's own identities; fix a unit left with one."""
    values = [dict(zip(unit.keys, map(_value, c))) for c in unit.candidates]
    unit.costs = [sum(_broken(i, v) for i in own) for v in values]
    names = _names(own)
    if unit.how == DIRECT:
        unit.reading = unit.candidates[0]
        return
    if unit.how == COUNT:
        unit.reading, unit.status, unit.decided_by = unit.candidates[0], INFERRED, "数字个数"
        unit.reason = f"{unit.where}拆成 {k_of(unit)} 个单元格只有 1 种读法（由数字个数决定）"
        failed = [i for i in own if _broken(i, values[0])]
        if failed:
            unit.reason += f"；按此读法{_names(failed)}不成立，属报告本身的数字问题"
        return
    if unit.how == BLANK and min(unit.costs) > 0:
        unit.status = UNSATISFIABLE
        unit.reason = (
            f"{unit.where}比 {k_of(unit)} 个单元格少一个数字，空白单元格放在"
            f"{'任何空格处' if len(unit.chunks) > 1 else '任何位置'}都不能满足{names}，数值未填"
        )
        return
    if min(unit.costs) == 0:
        keep = [i for i, cost in enumerate(unit.costs) if cost == 0]
        unit.candidates = [unit.candidates[i] for i in keep]
        unit.costs = [0] * len(keep)
    if len(unit.candidates) == 1:
        unit.reading, unit.status = unit.candidates[0], INFERRED
        if unit.how == BLANK:
            unit.decided_by = "版面（空格处为空白单元格）" if len(unit.chunks) > 1 else names
            unit.reason = (
                f"{unit.where}比 {k_of(unit)} 个单元格少一个数字：空白单元格只能在一个位置"
                f"（{unit.decided_by}），读作 {_shown(unit.reading)}"
            )
        else:
            unit.decided_by = names
            unit.reason = f"{unit.where}拆成 {k_of(unit)} 个单元格，只有 1 种读法满足{names}"


def k_of(unit: Unit) -> int:
    return len(unit.keys)


def _components(
    open_units: list[Unit], owner: dict[CellKey, Unit], cross: list[Instance]
) -> list[list[Unit]]:
    """Open units linked by a cross identity are decided together."""
    parent = {id(u): id(u) for u in open_units}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for instance in cross:
        ids = [id(owner[c]) for c in instance.cells if id(owner[c]) in parent]
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    groups: dict[int, list[Unit]] = {}
    for unit in open_units:
        groups.setdefault(find(id(unit)), []).append(unit)
    return list(groups.values())


def _combine(
    units: list[Unit], owner: dict[CellKey, Unit], cross: list[Instance], local: dict[int, list[Instance]]
) -> None:
    open_units = [u for u in units if u.open]
    fixed: dict[CellKey, int | None] = {}
    for unit in units:
        if unit.reading is not None:
            fixed.update(zip(unit.keys, map(_value, unit.reading)))
    for group in _components(open_units, owner, cross):
        members = {id(u) for u in group}
        touching = [i for i in cross if any(id(owner[c]) in members for c in i.cells)]
        # an instance reading a unit that stays unreadable cannot be checked
        touching = [i for i in touching if all(c in fixed or id(owner[c]) in members for c in i.cells)]
        _decide(group, touching, fixed, local)


def _decide(
    group: list[Unit], touching: list[Instance], fixed: dict[CellKey, int | None], local: dict
) -> None:
    product = 1
    for unit in group:
        product *= len(unit.candidates)
    where = "、".join(u.where for u in group)
    if product > MAX_COMBINATIONS:
        for unit in group:
            unit.status = UNSATISFIABLE
            unit.reason = (
                f"{unit.where}有 {len(unit.candidates)} 种读法，与其他行组合超过 {MAX_COMBINATIONS} 种，"
                f"未能用{_names(touching) or '勾稽关系'}逐一核对，数值未填"
            )
        return
    widened = any(min(u.costs) > 0 for u in group)
    candidate_values = [[list(map(_value, c)) for c in u.candidates] for u in group]
    best: int | None = None
    at_best: list[tuple[int, ...]] = []
    values = dict(fixed)
    for combo in itertools.product(*(range(len(u.candidates)) for u in group)):
        cost = 0
        for unit, vals, choice in zip(group, candidate_values, combo):
            cost += unit.costs[choice]
            values.update(zip(unit.keys, vals[choice]))
        cost += sum(_broken(i, values) for i in touching)
        if best is None or cost < best:
            best, at_best = cost, [combo]
        elif cost == best:
            at_best.append(combo)
    assert best is not None
    names = _names(touching) or "勾稽关系"
    if best == 0:
        for index, unit in enumerate(group):
            readings = sorted({unit.candidates[c[index]] for c in at_best})
            if len(readings) == 1:
                unit.reading, unit.status = readings[0], INFERRED
                unit.decided_by = names if touching else _names(local[id(unit)])
                unit.reason = (
                    f"{unit.where}有 {len(unit.candidates)} 种读法满足"
                    f"{_names(local[id(unit)]) or '单元格格式'}，只有 1 种同时满足{names}"
                )
            else:
                unit.status = AMBIGUOUS
                shown = "、".join(_shown(r) for r in readings[:3])
                also = f"和{names}" if touching else "，且没有可用的列勾稽关系"
                blank = "空白单元格的位置" if unit.how == BLANK else "拆分"
                unit.reason = (
                    f"{unit.where}有 {len(readings)} 种{blank}都满足"
                    f"{_names(local[id(unit)]) or '单元格格式'}{also}（如 {shown}），无法确定，数值未填"
                )
        return
    if best == 1 and len(at_best) == 1:
        combo = at_best[0]
        values = dict(fixed)
        for unit, choice in zip(group, combo):
            values.update(zip(unit.keys, map(_value, unit.candidates[choice])))
        failed = [i for i in touching if _broken(i, values)]
        failed += [i for u in group for i in local[id(u)] if _broken(i, values)]
        for unit, choice in zip(group, combo):
            unit.reading, unit.status = unit.candidates[choice], LEAST_BROKEN
            unit.decided_by = names
            unit.reason = (
                f"{unit.where}没有一种读法能让{names}全部成立；只有读作 {_shown(unit.reading)} 时"
                f"仅一处不成立（{failed[0].describe()}），其他读法都至少两处不成立，按此推定读取"
            )
        return
    if len(group) == 1 and _implied(group[0], touching + local[id(group[0])], fixed):
        return
    for unit in group:
        unit.status = UNSATISFIABLE
        tie = f"有 {len(at_best)} 种读法同样只" if len(at_best) > 1 else "每种读法都至少"
        unit.reason = (
            f"{where}没有一种读法能让{names}全部成立，{tie}有 {best} 处不成立，无法确定，数值未填"
            if len(group) > 1
            else f"{unit.where}没有一种读法能让{_names(local[id(unit)]) or ''}{'、' if widened else ''}"
            f"{names}全部成立，{tie}有 {best} 处不成立，无法确定，数值未填"
        )


def unit_cells(unit: Unit, ids: Callable[[CellKey], dict[str, str]]) -> list[Cell]:
    """The cells to write for a decided unit; `ids(key)` names each cell for its inference."""
    if unit.status is None:  # as many chunks as cells: read directly
        return [Cell(c.raw) for c in unit.chunks]
    if unit.reading is not None:
        return [
            Cell(v, (v, unit.status, unit.reason, {**ids(key), "decided_by": unit.decided_by}))
            for v, key in zip(unit.reading, unit.keys)
        ]
    # not read: the cells stay empty (unreadable); how many of them the page left blank is
    # known all the same (a blank is the report's defect, whichever cell it is)
    return [
        Cell("", (unit.raw, unit.status, unit.reason, {**ids(key), "blank": unit.blank})) for key in unit.keys
    ]


def _implied(unit: Unit, touching: list[Instance], fixed: dict[CellKey, int | None]) -> bool:
    """A unit whose every cell one identity computes from the other rows ("（七）总计 is the
    sum of the result rows"), where the computed cells are exactly one of the run's readings:
    read it, though other identities then fail (the report's own sums). False if no identity,
    or two identities disagreeing, decide it."""
    keys = set(unit.keys)
    implied: dict[str, dict[CellKey, int]] = {}
    for instance in touching:
        mine = [c for c in instance.cells if c in keys]
        others = [c for c in instance.cells if c not in keys]
        if len(mine) != 1 or any(fixed.get(c) is None for c in others):
            continue
        cell = mine[0]
        left = sum(fixed[c] for c in instance.left if c != cell)  # type: ignore[misc]
        right = sum(fixed[c] for c in instance.right if c != cell)  # type: ignore[misc]
        value = right - left if cell in instance.left else left - right
        implied.setdefault(instance.identity.id, {})[cell] = value
    readings: dict[tuple[str, ...], list[str]] = {}
    for identity_id, cells in implied.items():
        if len(cells) == len(unit.keys):
            reading = tuple(str(cells[k]) if cells[k] >= 0 else "-" for k in unit.keys)
            if reading in unit.candidates:
                readings.setdefault(reading, []).append(identity_id)
    if len(readings) != 1:
        return False
    reading, by = next(iter(readings.items()))
    decided = [i for i in touching if i.identity.id in by]
    values = dict(fixed)
    values.update(zip(unit.keys, map(_value, reading)))
    failed = [i for i in touching if _broken(i, values)]
    unit.reading, unit.status, unit.decided_by = reading, LEAST_BROKEN, _names(decided)
    unit.reason = (
        f"{unit.where}没有一种读法能让勾稽关系全部成立；按{unit.decided_by}由其他行算出的数值"
        f"正是数字串的一种读法 {_shown(reading)}，按此推定读取"
    )
    if failed:
        unit.reason += f"；按此读法{'、'.join(dict.fromkeys(i.describe() for i in failed))}不成立"
    return True

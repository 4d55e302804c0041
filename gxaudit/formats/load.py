"""The official report formats, loaded from the YAML files in formats/.

A format file names a shared file under `include` and adds its own table-two
blocks and the list of table-three rows it has. A future format year is added
by writing a file, not code: every `*.yaml` with a `format:` key is a format.
Each file is checked against the format-file schema (formats/schema.py) when
it is loaded; a broken file is a ConfigError at its file:line:column.
"""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path
from typing import Any

from gxaudit import cache as store
from gxaudit.errors import ConfigError
from gxaudit.formats import nodes
from gxaudit.formats.model import BlockSpec, Format, Identity, Label, Measure, MeasureCell, TableSpec
from gxaudit.formats.schema import format_file_schema
from gxaudit.formats.schema_check import problems

__all__ = [
    "BlockSpec",
    "Format",
    "Label",
    "all_application_rows",
    "common",
    "format_for_year",
    "formats_dir",
    "load_formats",
    "measures",
    "tables",
]


def formats_dir() -> Path:
    """The folder of format files: $GXAUDIT_FORMATS, else the installed package data, else
    the repo's formats/."""
    configured = os.environ.get("GXAUDIT_FORMATS")
    if configured:
        return Path(configured)
    return _package_formats_dir()


def _package_formats_dir() -> Path:
    """gxaudit's own format files: the installed package data, else the repo's formats/."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "formats_data"  # where the wheel puts formats/*.yaml
    if (installed / "common.yaml").is_file():
        return installed
    return package.parent / "formats"


def _label(data: dict[str, Any]) -> Label:
    known = {"id", "label", "heading", "variants", "keys"}
    return Label(
        id=str(data["id"]),
        label=str(data.get("label", data.get("heading"))),
        variants=tuple(data.get("variants") or ()),
        keys=tuple(data.get("keys") or ()),
        extra=tuple(sorted((k, v) for k, v in data.items() if k not in known)),
    )


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@functools.cache
def _load_yaml(path: Path) -> dict[str, Any]:
    """A format file's content, checked against the schema; kept between runs
    (gxaudit/cache.py: reading the format files is ~13 ms of every command)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"无法读取格式文件（{exc.strerror or exc}）", path=str(path)) from None
    # the package's own format files (not a folder named by GXAUDIT_FORMATS): libyaml
    trusted = path.parent.resolve() == _package_formats_dir().resolve()
    name = store.key("format file", str(int(trusted)), text)
    kept = store.recall(name)
    if isinstance(kept, dict):
        return kept
    data = _checked_yaml(path, text, trusted)
    store.keep(name, data)
    return data


def _checked_yaml(path: Path, text: str, trusted: bool) -> dict[str, Any]:
    try:
        root, loader = nodes.compose(text, trusted=trusted)
    except nodes.NodeError as exc:
        raise ConfigError(exc.message, path=str(path), line=exc.line, column=exc.column) from None
    if root is None:
        return {}
    data = nodes.value_of(root, loader)
    found = problems(data, format_file_schema())
    if found:
        where, at_key, message = found[0]
        value, key = nodes.at_path(root, where)
        line, column = nodes.position(key if at_key and key is not None else value)
        raise ConfigError(f"格式文件：{message}", path=str(path), line=line, column=column)
    return data


def _identities(data: dict[str, Any], result_rows: list[str]) -> tuple[Identity, ...]:
    out = []
    for table in ("applications", "review_litigation"):
        for item in data[table].get("identities") or []:
            right = item["right"]
            if isinstance(right, dict):  # {rows: result}: the format's result rows
                right = result_rows
            out.append(
                Identity(
                    id=item["id"],
                    table=table,
                    name=item["name"],
                    each=item["each"],
                    left=tuple(item["left"]),
                    right=tuple(right),
                )
            )
    return tuple(out)


def _measures(data: dict[str, Any]) -> dict[str, Measure]:
    out = {}
    for measure_id, item in (data.get("measures") or {}).items():
        cells = []
        for cell in item["cells"]:
            table, *keys = cell["cell"].split(".")
            cells.append(MeasureCell(table=table, keys=tuple(keys), name=cell["name"]))
        out[measure_id] = Measure(id=measure_id, label=item["label"], cells=tuple(cells))
    return out


def _build(data: dict[str, Any], source: str) -> Format:
    catalogue = {r["id"]: _label(r) for r in data["applications"]["rows_catalogue"]}
    unknown = [r for r in data["applications"]["rows"] if r not in catalogue]
    if unknown:
        raise ConfigError(f"格式 {data['format']}：表三的行不在行目录中：{unknown}", path=source)
    years = data.get("years") or [None, None]
    rows = tuple(catalogue[r] for r in data["applications"]["rows"])
    result_rows = [r.id for r in rows if r.get("result")]
    return Format(
        id=str(data["format"]),
        issued_by=str(data.get("issued_by", "")),
        first_year=int(years[0]),
        last_year=None if years[1] is None else int(years[-1]),
        sections=tuple(_label(s) for s in data["sections"]),
        blocks=tuple(
            BlockSpec(
                id=b["id"],
                item=b["item"],
                label=b["label"],
                rows=tuple(_label(r) for r in b["rows"]),
                columns=tuple(_label(c) for c in b["columns"]),
            )
            for b in data["proactive"]["blocks"]
        ),
        application_rows=rows,
        application_columns=tuple(_label(c) for c in data["applications"]["columns"]),
        review_blocks=tuple(_label(b) for b in data["review_litigation"]["blocks"]),
        review_columns=tuple(_label(c) for c in data["review_litigation"]["columns"]),
        tables={
            t: TableSpec(id=t, name=v["name"], short_name=v["short_name"], section=v["section"])
            for t, v in data["tables"].items()
        },
        identities=_identities(data, result_rows),
        measures=_measures(data),
        raw=data,
    )


@functools.cache
def load_formats(directory: str | None = None) -> dict[str, Format]:
    """All formats in the formats folder, by id, oldest first."""
    folder = Path(directory) if directory else formats_dir()
    formats: dict[str, Format] = {}
    for path in sorted(folder.glob("*.yaml")):
        own = _load_yaml(path)
        if "format" not in own:
            continue
        base = copy.deepcopy(_load_yaml(folder / own["include"])) if own.get("include") else {}
        # table three's row catalogue is in the shared file; the format lists which rows it has
        base_rows = base.get("applications", {}).get("rows", [])
        merged = _merge(base, own)
        merged["applications"]["rows_catalogue"] = base_rows
        missing = [
            k
            for k in ("sections", "tables", "proactive", "applications", "review_litigation")
            if k not in merged
        ]
        if missing:
            raise ConfigError(
                f"格式 {own['format']}（含 {own.get('include')}）缺少 {missing}", path=str(path)
            )
        formats[str(own["format"])] = _build(merged, str(path))
    return dict(sorted(formats.items(), key=lambda kv: kv[1].first_year))


@functools.cache
def common() -> dict[str, Any]:
    """The shared shapes (headings, cell words, markers) of formats/common.yaml."""
    return _load_yaml(formats_dir() / "common.yaml")


def format_for_year(year: int) -> Format | None:
    """The format a report of `year` must follow: the newest whose years include it
    (a new format year is one new file; the older format's open range need not change)."""
    fitting = [f for f in load_formats().values() if f.applies_to_year(year)]
    return max(fitting, key=lambda f: f.first_year) if fitting else None


def tables() -> dict[str, TableSpec]:
    """The three statistics tables (their names are the same in every format)."""
    return next(iter(load_formats().values())).tables


def measures() -> dict[str, Measure]:
    """The measures a report's text states figures of (the same in every format)."""
    return next(iter(load_formats().values())).measures


def all_application_rows() -> dict[str, Label]:
    """Every table-three row any format knows, by id (the catalogue)."""
    return {r["id"]: _label(r) for r in common()["applications"]["rows"]}

"""The official report formats, loaded from the YAML files in formats/.

A format file names a shared file under `include` and adds its own table-two
blocks and the list of table-three rows it has. A future format year is added
by writing a file, not code: every `*.yaml` with a `format:` key is a format.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Label:
    id: str
    label: str
    variants: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.extra).get(name, default)

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class BlockSpec:
    id: str
    item: str
    label: str
    rows: tuple[Label, ...]
    columns: tuple[Label, ...]


@dataclass
class Format:
    id: str
    issued_by: str
    first_year: int
    last_year: int | None
    sections: tuple[Label, ...]
    blocks: tuple[BlockSpec, ...]
    application_rows: tuple[Label, ...]
    application_columns: tuple[Label, ...]
    review_blocks: tuple[Label, ...]
    review_columns: tuple[Label, ...]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def block(self, block_id: str) -> BlockSpec | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def section_label(self, section_id: str) -> Label | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def applies_to_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def formats_dir() -> Path:
    """The folder of format files: installed package data, else the repo's formats/."""
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


def _load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _build(data: dict[str, Any]) -> Format:
    all_rows = {r["id"]: _label(r) for r in data["applications"]["rows_catalogue"]}
    years = data.get("years") or [None, None]
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
        application_rows=tuple(all_rows[r] for r in data["applications"]["rows"]),
        application_columns=tuple(_label(c) for c in data["applications"]["columns"]),
        review_blocks=tuple(_label(b) for b in data["review_litigation"]["blocks"]),
        review_columns=tuple(_label(c) for c in data["review_litigation"]["columns"]),
        raw=data,
    )


@functools.cache
def load_formats(directory: str | None = None) -> dict[str, Format]:
    """All formats in the grammar folder, by id, oldest first."""
    folder = Path(directory) if directory else formats_dir()
    formats: dict[str, Format] = {}
    for path in sorted(folder.glob("*.yaml")):
        own = _load_yaml(path)
        if "format" not in own:
            continue
        base = _load_yaml(folder / own["include"]) if own.get("include") else {}
        # table three's row catalogue is in the shared file; the format lists which rows it has
        base_rows = base.get("applications", {}).get("rows", [])
        merged = _merge(base, own)
        merged["applications"]["rows_catalogue"] = base_rows
        formats[str(own["format"])] = _build(merged)
    return dict(sorted(formats.items(), key=lambda kv: kv[1].first_year))


@functools.cache
def common() -> dict[str, Any]:
    """The shared shapes (headings, cell words, markers) of formats/common.yaml."""
    return _load_yaml(formats_dir() / "common.yaml")


def all_application_rows() -> dict[str, Label]:
    """Every table-three row any format knows, by id (the catalogue)."""
    return {r["id"]: _label(r) for r in common()["applications"]["rows"]}

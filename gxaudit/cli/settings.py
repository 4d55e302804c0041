"""Project settings: `gxaudit.toml`, or `[tool.gxaudit]` in pyproject.toml.

Found as ruff finds its own: from the working directory upward, the first
folder holding `gxaudit.toml`, `.gxaudit.toml`, or a pyproject.toml with a
`[tool.gxaudit]` table (a pyproject.toml without one is passed over).
`--config FILE` names the file instead; `--isolated` uses none. Paths in the
file are relative to the file's folder. A command-line option overrides the
file's key of the same name; `select`, `extend-select` and `ignore` are
layered as in ruff (see audit/selection.py).

    # gxaudit.toml
    paths = ["reports"]            # what `gxaudit audit` audits when no path is given
    rules = ["my_rules"]           # rule folders added to the built-in pack
    builtin = true                 # false: only the `rules` folders
    select = ["ALL"]               # rule ids, prefixes (GX-BAL), categories (balance) or ALL
    extend-select = ["GX-HIE-002"] # add to the selection (a rule off by default, by its id)
    ignore = ["GX-CEL-001", "narrative"]
    exclude = ["附件", "*.draft.txt"]   # files and folders not audited (glob)
    scoring = "scoring.yaml"
    units = "units.csv"
    waivers = "waivers.yaml"
    store = "audits.db"
    format = "html"                # output defaults
    output = "out/result.html"
    fail-on = "warning"
    group-by = "region"
    jobs = 2
    dask = "local:2"               # or "tcp://HOST:8786": the batch on a Dask cluster (README)
    parts = "out/parts"            # with dask: results written as Parquet parts by the workers
    timeout = 60
    memory-limit = 2048            # MiB of address space per worker process (0: none)
    strict = false                 # true: a file that is not a report makes the run fail (exit 2)
    progress = true
    color = "auto"

    [severity]                     # severity overrides: selector = error | warning | info
    "GX-CEL-001" = "warning"
    year = "info"

Every key is checked against a schema when the file is loaded; a mistake is
one line with file:line:column and the key, exit 2.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxaudit.errors import ConfigError
from gxaudit.formats import nodes
from gxaudit.formats.config_check import check, key_text, zh
from gxaudit.regex import on_use

FILE_NAMES = ("gxaudit.toml", ".gxaudit.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info")
OUTPUT_FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx", "sarif")
ENGINES = ("durable", "reference")
COLORS = ("auto", "always", "never")

_TEXTS = {"type": "array", "items": {"type": "string"}}
_PATH = {"type": "string"}


@dataclass(frozen=True)
class Option:
    """A setting: its key in the file, its argparse dest, its schema and default."""

    key: str
    schema: dict[str, Any]
    default: Any = None
    path: bool = False  # a path, or list of paths, relative to the settings file's folder

    @property
    def dest(self) -> str:
        return self.key.replace("-", "_")


OPTIONS = (
    Option("paths", _TEXTS, path=True),
    Option("rules", _TEXTS, path=True),
    Option("builtin", {"type": "boolean"}, True),
    Option("select", _TEXTS),
    Option("extend-select", _TEXTS),
    Option("ignore", _TEXTS),
    Option("severity", {"type": "object", "additionalProperties": {"enum": list(SEVERITIES)}}),
    Option("exclude", _TEXTS),
    Option("scoring", _PATH, path=True),
    Option("units", _PATH, path=True),
    Option("waivers", _PATH, path=True),
    Option("store", _PATH, path=True),
    Option("format", {"enum": list(OUTPUT_FORMATS)}, "table"),
    Option("output", _PATH, path=True),
    Option("fail-on", {"enum": list(SEVERITIES)}, "error"),
    Option("group-by", {"type": "string"}),
    Option("csv-headers", {"enum": ["zh", "en"]}, "zh"),
    Option("engine", {"enum": list(ENGINES)}),
    Option("jobs", {"type": "integer", "minimum": 1, "maximum": 1024}),
    # local:N or a scheduler's address (checked in cli/audit.py, with the place in the file)
    Option("dask", {"type": "string"}),
    Option("parts", _PATH, path=True),
    Option("timeout", {"type": "integer", "minimum": 1, "maximum": 86_400}, 60),
    # MiB of address space per worker process (0: no limit); see audit/batch/setup.py
    Option("memory-limit", {"type": "integer", "minimum": 0, "maximum": 1_048_576}, 2048),
    Option("strict", {"type": "boolean"}, False),
    Option("progress", {"type": "boolean"}, True),
    Option("color", {"enum": list(COLORS)}, "auto"),
)
BY_KEY = {o.key: o for o in OPTIONS}
SCHEMA = zh(
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {o.key: o.schema for o in OPTIONS},
    }
)


@dataclass
class Settings:
    """The settings file's table (checked), where it came from, and how to find its keys."""

    path: str | None = None
    root: Path = field(default_factory=Path.cwd)
    values: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    prefix: tuple[str, ...] = ()  # ("tool", "gxaudit") in pyproject.toml

    def has(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str) -> Any:
        """A key's value, paths made relative to the working directory (as a user reads them)."""
        value = self.values.get(key)
        if value is None or not BY_KEY[key].path:
            return value
        return [self.resolve(v) for v in value] if isinstance(value, list) else self.resolve(value)

    def resolve(self, value: str) -> str:
        path = Path(value).expanduser()
        if path.is_absolute():
            return str(path)
        joined = self.root / path
        try:
            return os.path.normpath(os.path.relpath(joined))
        except ValueError:  # another drive (Windows)
            return str(joined)

    def where(self, *steps: Any, at_key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of a value (or its key) in the file, when it can be found."""
        return locate(self.text, (*self.prefix, *steps), self.values, steps, at_key) or (None, None)

    def error(self, message: str, *steps: Any, at_key: bool = False) -> ConfigError:
        line, column = self.where(*steps, at_key=at_key)
        shown = key_text(steps)
        return ConfigError(
            f"{shown}：{message}" if shown else message, path=self.path, line=line, column=column
        )


# ------------------------------------------------------------------ finding it


_TOOL_TABLE = on_use(r"^\s*\[\s*tool\s*\.\s*gxaudit\s*[\].]", re.MULTILINE)


def discover(start: Path | None = None) -> Path | None:
    """The settings file for a working directory: the nearest folder upward that has one."""
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        for name in FILE_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                text = nodes.read_text(candidate, "pyproject.toml")
            except ConfigError:
                continue  # someone else's unreadable file is not ours to judge
            if _TOOL_TABLE.search(text):
                return candidate
    return None


def load(config: str | None = None, isolated: bool = False, start: Path | None = None) -> Settings:
    """The settings in force: `config` if given, else the discovered file, else none."""
    if isolated:
        return Settings()
    path = Path(config) if config else discover(start)
    if path is None:
        return Settings()
    return load_file(path)


_TOML_POSITION = on_use(r"\s*\(at line (\d+), column (\d+)\)$")


def load_file(path: Path) -> Settings:
    import tomllib  # here: most commands find no settings file (~1 % of one PDF's command)

    name = str(path)
    text = nodes.read_text(path, "配置文件")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        if message.endswith("(at end of document)"):
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        detail = _TOML_POSITION.sub("", message).removesuffix(" (at end of document)")
        raise ConfigError(f"不是有效的 TOML（{detail}）", path=name, line=line, column=column) from None
    except RecursionError:
        raise ConfigError("不是有效的 TOML（嵌套过深）", path=name) from None
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "gxaudit")
        table = document.get("tool", {}).get("gxaudit")
        if table is None:
            raise ConfigError("pyproject.toml 中没有 [tool.gxaudit] 表", path=name)
        if not isinstance(table, dict):
            raise ConfigError("tool.gxaudit 应为表", path=name)
    else:
        table = document
    settings = Settings(path=name, root=path.resolve().parent, values=table, text=text, prefix=prefix)
    for key in table:
        if isinstance(key, str) and "_" in key and key.replace("_", "-") in BY_KEY:
            raise settings.error(f"未知的键，应写作 {key.replace('_', '-')}", key, at_key=True)
    check(
        table,
        SCHEMA,
        name,
        lambda where, at_key: locate(text, (*prefix, *where), table, where, at_key),
        prefix=(),
    )
    return settings


# ------------------------------------------------------------ positions in TOML

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_TABLE_LINE = on_use(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = on_use(rf"^(\s*)({_DOTTED})\s*=\s*")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip()[1:-1] if p.strip()[:1] in "\"'" else p.strip() for p in re.findall(_KEY, dotted))


def _positions(text: str) -> dict[tuple[str, ...], tuple[int, int, int]]:
    """Where each key is defined: path -> (line, key column, value column), 1-based."""
    found: dict[tuple[str, ...], tuple[int, int, int]] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_LINE.match(line)
        if header:
            table = _parts(header.group(1))
            found.setdefault(table, (number, line.index("[") + 1, line.index("[") + 1))
            continue
        key = _KEY_LINE.match(line)
        if key:
            found.setdefault((*table, *_parts(key.group(2))), (number, len(key.group(1)) + 1, key.end() + 1))
    return found


def locate(
    text: str, full: tuple[Any, ...], values: Any = None, steps: tuple[Any, ...] = (), at_key: bool = False
) -> tuple[int, int] | None:
    """Line and column of the value at `full` (a key path in the TOML document).

    A key of its own line is found exactly; an item of a list or an inline
    table is looked for as text after its parent's key (the item's value is
    known from `values`, reached through `steps`, the path within the table).
    """
    if not text:
        return None
    positions = _positions(text)
    lines = text.splitlines()
    for depth in range(len(full), 0, -1):
        hit = positions.get(tuple(str(s) for s in full[:depth]))
        if hit is None:
            continue
        line, key_column, value_column = hit
        rest = full[depth:]
        if not rest:
            return line, key_column if at_key else value_column
        needles = _needles(rest[-1], values, steps)
        for index in range(line - 1, min(len(lines), line + 200)):
            start = value_column - 1 if index == line - 1 else 0
            columns = [c for c in (lines[index].find(n, start) for n in needles) if c >= 0]
            if columns:
                return index + 1, min(columns) + 1
        return line, value_column
    return None


def _needles(step: Any, values: Any, steps: tuple[Any, ...]) -> tuple[str, ...]:
    """The texts to look for: a key's name, or a list item's value as TOML writes it."""
    if isinstance(step, str):
        return (step,)
    item = values
    for s in steps:
        try:
            item = item[s]
        except (KeyError, IndexError, TypeError):
            return ()
    if isinstance(item, str):
        return (f'"{item}"', f"'{item}'") if item else ()
    if isinstance(item, bool):
        return ("true" if item else "false",)
    return (str(item),) if isinstance(item, (int, float)) else ()

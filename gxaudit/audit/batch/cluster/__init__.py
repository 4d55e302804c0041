"""The batch on a Dask cluster (`--dask local:N` or `--dask tcp://HOST:8786`).

    backend.py  the client: versions checked, chunks submitted, results as they complete
    plugin.py   each Dask worker: one audit process per worker thread (pool.WorkerPool)
    schedule.py which files go in which task; a lost task split, a deadly file's error
    parts.py    --parts DIR: results as Parquet parts, read back by the client

Only this package imports dask, distributed and pyarrow (an import-linter
contract), and only when --dask is given: `gxaudit --help` and every other
audit never load them. This module itself imports none of them.
"""

from __future__ import annotations

import re

from gxaudit.errors import ConfigError

LOCAL = re.compile(r"local:([1-9][0-9]{0,3})")
REMOTE = re.compile(r"(tcp|tls|ws|wss)://[^\s/:]+(:[0-9]{1,5})?/?")
INSTALL_HINT = "pip install 'gxaudit[dask]'"


def is_part(name: str) -> bool:
    """A file name of a --parts folder that holds a part (parts.py: part_name)."""
    return name.startswith("part-") and name.endswith(".parquet")


def address_problem(text: str) -> str | None:
    """Why `text` is not a --dask address (None: it is one)."""
    if LOCAL.fullmatch(text) or REMOTE.fullmatch(text):
        return None
    return f"{text!r} 不是 Dask 地址：应为 local:N（本机 N 个工作进程）或调度器地址，如 tcp://HOST:8786"


def check_address(text: str) -> None:
    problem = address_problem(text)
    if problem:
        raise ConfigError(f"--dask：{problem}")


def local_workers(address: str) -> int | None:
    """N of `local:N`; None for a scheduler's address."""
    found = LOCAL.fullmatch(address)
    return int(found.group(1)) if found else None


def require_dask() -> None:
    """A clear error when dask, distributed or pyarrow is not installed."""
    import importlib.util

    missing = [name for name in ("dask", "distributed", "pyarrow") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"--dask 需要安装 {'、'.join(missing)}（{INSTALL_HINT}）")


def open_backend(address: str, setup, rules_version: str, parts: str | None = None, say=None):
    """A DaskBackend connected to `address`, every worker's versions checked (see backend.py)."""
    check_address(address)
    require_dask()
    from gxaudit.audit.batch.cluster.backend import DaskBackend

    return DaskBackend(address, setup, rules_version, parts=parts, say=say)

"""Patterns compiled on first use (gxaudit/regex.py): they read as re.compile's, every
module-level one compiles, and a command's output does not depend on which were used."""

import json
import pickle
import re
import subprocess
import sys
import threading
import types

import pytest
from conftest import CORPUS, REPO, SEEDS

from gxaudit import regex
from gxaudit.regex import on_use

TEXT = "收到申请 12 件，办结 3 件；第（二）项 2024年"
PATTERNS = [
    (r"(?P<n>\d+)\s*件", 0),
    (r"第\s*[（(](?P<item>[一二三四五六七八九十]+)[)）]\s*项", 0),
    (r"[a-z]+", re.IGNORECASE),
    (r"(?:19|20)\d\d年", 0),
]


def _module(source: str) -> types.ModuleType:
    """A module whose code makes patterns with on_use, as gxaudit's modules do."""
    module = types.ModuleType("on_use_sample")
    exec(compile(source, "on_use_sample", "exec"), module.__dict__)  # test's own code, not user input
    return module


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_reads_as_the_compiled_pattern(pattern, flags):
    expected = re.compile(pattern, flags)
    for made in (on_use(pattern, flags), on_use(pattern, flags)):
        # first read through the lazy object, then through what it kept
        for _ in range(2):
            assert made.search(TEXT) is not None or expected.search(TEXT) is None
            assert [m.span() for m in made.finditer(TEXT)] == [m.span() for m in expected.finditer(TEXT)]
            assert made.findall(TEXT) == expected.findall(TEXT)
            assert made.sub("#", TEXT) == expected.sub("#", TEXT)
            assert made.subn("#", TEXT) == expected.subn("#", TEXT)
            assert made.split(TEXT) == expected.split(TEXT)
            assert (made.match(TEXT) is None) == (expected.match(TEXT) is None)
            assert (made.fullmatch(TEXT) is None) == (expected.fullmatch(TEXT) is None)
            assert (made.pattern, made.flags, made.groups, made.groupindex) == (
                expected.pattern,
                expected.flags,
                expected.groups,
                expected.groupindex,
            )


def test_compiled_only_when_used_then_the_global_is_the_pattern():
    module = _module(
        "from gxaudit.regex import on_use\n"
        "FIGURE = on_use(r'\\d+')\n"
        "SAME = FIGURE\n"
        "HELD = (FIGURE, on_use(r'[一二三]'))\n"
        "UNUSED = on_use(r'never')\n"
        "def figures(text):\n"
        "    return FIGURE.findall(text)\n"
    )
    held = module.HELD[0]
    assert type(held) is regex._CompiledOnUse  # nothing compiled at import
    assert type(module.UNUSED) is regex._CompiledOnUse
    assert module.figures("12 件 3 件") == ["12", "3"]
    # the module's globals naming it are the compiled pattern now; a tuple still holds the object,
    # which reads as the pattern without going through __getattr__ again
    assert type(module.FIGURE) is re.Pattern and module.SAME is module.FIGURE
    assert type(held) is regex._Compiled and held.compiled is module.FIGURE
    assert held.findall("7 件") == ["7"]
    assert module.figures("45") == ["45"]
    assert type(module.HELD[1]) is regex._CompiledOnUse  # another pattern: still not compiled
    assert type(module.UNUSED) is regex._CompiledOnUse


def test_pickles_as_the_compiled_pattern():
    before = on_use(r"(\d+)件", re.IGNORECASE)
    after = on_use(r"(\d+)件", re.IGNORECASE)
    after.search("1件")
    for made in (before, after):
        copy = pickle.loads(pickle.dumps(made))
        assert type(copy) is re.Pattern
        assert (copy.pattern, copy.flags) == (r"(\d+)件", re.compile(r"(\d+)件", re.IGNORECASE).flags)
    assert "on_use(" in repr(before) and "on_use(" in repr(after)


def test_threads_using_it_first_together_agree():
    module = _module("from gxaudit.regex import on_use\nP = on_use(r'(\\d+)件')\n")
    made = module.P
    found: list = []
    barrier = threading.Barrier(8)

    def use():
        barrier.wait()
        found.append(made.findall("3件 4件"))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [["3", "4"]] * 8
    assert type(module.P) is re.Pattern


def test_a_second_first_use_at_the_same_moment_does_no_harm():
    """Two threads may both reach the first use before either has finished it: the second
    finds the pattern compiled and the global rebound, and must not fail."""
    module = _module("from gxaudit.regex import on_use\nP = on_use(r'(\\d+)件')\n")
    made = module.P
    first_use = regex._CompiledOnUse.__getattr__
    first_use(made, "search")  # one thread
    assert first_use(made, "findall")("5件 6件") == ["5", "6"]  # the other, which entered before the swap
    assert type(module.P) is re.Pattern and made.findall("7件") == ["7"]


# run in a fresh interpreter: in this one, tests before may have used (and so compiled) them
_COMPILE_EVERY_PATTERN = """
import importlib, pkgutil, re, sys
import gxaudit
from gxaudit import regex

def lazy(value, depth=0):
    if isinstance(value, regex._Compiled):
        yield value
    elif depth < 2 and isinstance(value, (tuple, list)):
        for item in value:
            yield from lazy(item, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from lazy(item, depth + 1)

names = [m.name for m in pkgutil.walk_packages(gxaudit.__path__, "gxaudit.")
         if not m.name.endswith("__main__") and ".cluster" not in m.name]  # cluster: dask, an extra
modules = [importlib.import_module(name) for name in names]
seen = set()
for module in modules:
    for name, value in list(vars(module).items()):
        for made in lazy(value):
            if id(made) in seen:
                continue
            seen.add(id(made))
            try:
                made.pattern  # compiles it
            except re.error as exc:
                sys.exit(f"{module.__name__}.{name}: {exc}")
print(len(seen))
"""


def test_every_module_level_pattern_compiles():
    """A pattern compiled on use would show a mistake in it only when first used: compile
    every one of gxaudit's now (and count them, so that this test sees them at all)."""
    run = subprocess.run(
        [sys.executable, "-c", _COMPILE_EVERY_PATTERN], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) >= 150


def test_a_file_audited_alone_gives_what_it_gives_in_a_batch(tmp_path):
    """Which patterns a process compiles depends on what it read first: one file alone
    (few compiled) and the same file after every seed and corpus file (most compiled) give
    the same findings."""
    one = next(p for p in sorted(CORPUS.iterdir()) if p.suffix == ".pdf")

    def audit(*paths):
        out = tmp_path / "out.json"
        subprocess.run(
            [sys.executable, "-m", "gxaudit", "audit", *map(str, paths), "--format", "json", "-o", str(out),
             "--no-progress", "--jobs", "1"],
            cwd=REPO,
            capture_output=True,
            check=False,
        )
        reports = json.loads(out.read_text(encoding="utf-8"))["reports"]
        return {r["path"]: (r["score"], r["findings"]) for r in reports}

    alone = audit(one)
    together = audit(SEEDS, CORPUS)
    (only,) = alone.values()
    assert only == together[next(k for k in together if k.endswith(one.name))]
    assert only[1]  # this PDF has findings: the comparison says something

"""Line separators other than CR/LF (Word's vertical tab for a manual line break, NEL,
U+2028, U+2029) end a line for reading; the pieces keep the file's line number, as an
editor shows them, with the column where each starts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CORPUS, SEEDS

from gxaudit.parse.document import parse_source
from gxaudit.read.files import read_decoded
from gxaudit.read.source import SourceText

SEPARATORS = {"vt": "\x0b", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}


@pytest.mark.parametrize("name", sorted(SEPARATORS))
def test_a_seed_with_soft_breaks_reads_as_with_line_feeds(name):
    text = sorted(SEEDS.glob("*.txt"))[3].read_text(encoding="utf-8")
    # every other line ending becomes the separator: pieces and whole lines mixed
    lines = text.split("\n")
    mixed = (
        "".join(line + (SEPARATORS[name] if i % 2 else "\n") for i, line in enumerate(lines[:-1])) + lines[-1]
    )
    plain = parse_source(SourceText.plain(text), "x.txt")
    soft = parse_source(SourceText.plain(mixed), "x.txt")
    assert soft.to_dict()["tables"] == plain.to_dict()["tables"]
    assert [s.id for s in soft.sections] == [s.id for s in plain.sections]


def test_pieces_keep_the_files_line_and_their_column():
    source = SourceText.plain("第一行\n甲\x0b乙乙\u2028丙\n末行")
    assert source.lines == ["第一行", "甲", "乙乙", "丙", "末行"]
    assert [(o.line, o.column) for o in source.origins] == [(1, None), (2, None), (2, 3), (2, 6), (3, None)]
    assert source.original == ["第一行", "甲\x0b乙乙\u2028丙", "末行"]


def test_a_finding_after_a_vertical_tab_is_located_on_the_files_line(tmp_path):
    """Seed 001 lacks parts 五 and 六; with its lines joined by vertical tabs in pairs
    the findings are the same and their source lines are the file's."""
    text = sorted(SEEDS.glob("*.txt"))[1].read_text(encoding="utf-8")
    lines = text.split("\n")
    joined = "\n".join("\x0b".join(lines[i : i + 2]) for i in range(0, len(lines), 2))
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(joined, encoding="utf-8")

    def findings(name):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "gxaudit",
                "audit",
                str(tmp_path / name),
                "--format",
                "json",
                "--isolated",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 1, out.stderr
        return json.loads(out.stdout)["reports"][0]["findings"]

    plain, soft = findings("a.txt"), findings("b.txt")
    assert [(f["rule"], f["message"]) for f in soft] == [(f["rule"], f["message"]) for f in plain]
    located = 0
    for a, b in zip(plain, soft):
        line = (a["location"]["source"] or {}).get("line")
        if line:
            # line n of the original is line (n + 1) // 2 of the joined file
            assert b["location"]["source"]["line"] == (line + 1) // 2, (a, b)
            located += 1
    assert located


@pytest.mark.parametrize("name", sorted(SEPARATORS))
def test_soft_breaks_inside_a_markdown_extraction_are_white_space(name):
    # Markdown ends a line at CR/LF only: a separator inside a table row or a sentence
    # of a PDF-to-Markdown extraction is white space there, and reads as nothing
    text = (CORPUS / "014_shanghai_kewei_2024_pdf2md.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    changed = 0
    for i, line in enumerate(lines):
        if line.startswith("|") and "| 0 |" in line and changed < 6:
            lines[i] = line.replace("| 0 |", f"| 0{SEPARATORS[name]} |", 1)
            changed += 1
        elif len(line) > 60 and not line.startswith("|") and changed < 9:
            lines[i] = line[:30] + SEPARATORS[name] + line[30:]
            changed += 1
    assert changed >= 6
    plain = parse_source(read_decoded(text, "x.md"), "x.md")
    soft = parse_source(read_decoded("\n".join(lines), "x.md"), "x.md")
    assert soft.to_dict()["tables"] == plain.to_dict()["tables"]
    assert [s.id for s in soft.sections] == [s.id for s in plain.sections]
    assert plain.to_dict()["tables"]["applications"]  # a real table was compared

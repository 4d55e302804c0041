"""The check kinds' reference, made from the registry (docs/check-kinds.md, and
the kind part of `gxaudit rules show`)."""

from __future__ import annotations

import json

from gxaudit.rules.kinds import KINDS
from gxaudit.rules.kinds.kind import COMMON_PLACEHOLDERS, Kind


def _schema_text(schema: dict) -> str:
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    return f"`{json.dumps({k: v for k, v in schema.items() if k != 'description'}, ensure_ascii=False)}`"


def kind_markdown(kind: Kind) -> str:
    out = [f"## `{kind.name}`", "", f"One fact per {kind.one_fact_per}.", "", kind.doc, ""]
    if kind.params:
        out += ["| parameter | required | value | meaning |", "|---|---|---|---|"]
        for p in kind.params:
            out.append(
                f"| `{p.name}` | {'yes' if p.required else 'no'} | {_schema_text(p.schema)} | {p.doc} |"
            )
        out.append("")
    if kind.asserts_on == "cells":
        out += [
            "`assert` is an equation over table cells: `table[key]…`, `sum(table[set][key])`, `+ - *`, "
            "one comparison; the `for_each` variables are keys.",
            "",
        ]
    else:
        out += ["| property (for `assert`) | type | meaning |", "|---|---|---|"]
        out += [f"| `{p.name}` | {p.type} | {p.doc} |" for p in kind.properties]
        out.append("")
    extra = ", ".join(f"`{{{n}}}`" for n in kind.placeholders)
    out += [
        f"Message placeholders: the properties, {extra}, and those of every kind "
        f"({', '.join(f'`{{{n}}}`' for n in COMMON_PLACEHOLDERS)}).",
        "",
    ]
    out += ["```yaml", kind.example.strip(), "```", ""]
    return "\n".join(out)


def kinds_markdown() -> str:
    """The whole reference: every kind, in registry order."""
    head = [
        "# Check kinds",
        "",
        "<!-- made by `gxaudit rules kinds`; do not edit by hand -->",
        "",
        "A rule's `check:` names a kind. The kind draws facts from each report; the rule's `assert` "
        "says what must hold on each fact, and every fact where it does not hold is a finding. "
        "The rule-file schema is docs/rule-schema.json (`gxaudit rules schema`).",
        "",
        "| kind | one fact per |",
        "|---|---|",
        *[f"| [`{k.name}`](#{k.name}) | {k.one_fact_per} |" for k in KINDS.values()],
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(kind_markdown(k) for k in KINDS.values())

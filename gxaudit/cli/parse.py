"""`gxaudit parse FILE|-`: one report's AST, as an outline or JSON."""

from __future__ import annotations

import json
import sys

from gxaudit.cli.common import EXIT_OK, Context
from gxaudit.cli.inputs import STDIN, collect
from gxaudit.errors import InputError
from gxaudit.formats.printable import escape_surrogates, printable


def run(ctx: Context) -> int:
    from gxaudit.audit.batch.limits import (
        FileTimeout,
        memory_limit,
        memory_reason,
        time_limit,
        timeout_reason,
    )
    from gxaudit.parse.document import parse_file
    from gxaudit.parse.tree import render

    args = ctx.args
    inputs = collect([args.file], [], getattr(args, "stdin_filename", None)) if args.file == STDIN else None
    path = (inputs.stdin_file if inputs else None) or args.file
    ctx.console.current = args.file
    o = ctx.options
    try:
        # the limits a file is audited under (time, memory; the size limit is the reader's)
        with memory_limit(o.memory_limit), time_limit(o.timeout):
            report = parse_file(path)
    except FileTimeout:
        raise InputError(args.file, timeout_reason(o.timeout)) from None
    except MemoryError:
        raise InputError(args.file, memory_reason(o.memory_limit)) from None
    except InputError as exc:
        if inputs is None:
            raise
        raise type(exc)(inputs.stdin_name, exc.reason) from None
    finally:
        if inputs:
            inputs.cleanup()
    if inputs:
        report.path = inputs.stdin_name
    if args.format == "json":
        # a file name that is not UTF-8: its bytes written \\xNN (escaped once more inside JSON)
        text = escape_surrogates(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), "\\\\")
    else:
        text = printable(render(report), keep_newlines=True)  # report text is data, not terminal codes
    sys.stdout.write(text + "\n")
    return EXIT_OK

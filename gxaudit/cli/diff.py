"""`gxaudit diff OLD NEW`: findings new, fixed and unchanged between two audits.

Exit code: 1 when the newer run has a new finding at or above --fail-on (not
waived), as `gxaudit audit`'s; 0 when it has none; 2 when an input cannot be used.
"""

from __future__ import annotations

import shutil
import sys
import tempfile

from gxaudit.cli.common import EXIT_FINDINGS, EXIT_OK, Context

# the diff is written here first, then to standard output: a newer run found wrong
# half-way (it is checked as it is read) leaves no half-written diff behind
SPOOL_BYTES = 8 << 20


def run(ctx: Context) -> int:
    from gxaudit.audit.diff import Side, write_diff
    from gxaudit.audit.store import Store

    args, o = ctx.args, ctx.options
    store_path = args.store or o.store
    store = Store(store_path, create=False) if store_path else None
    old = new = None
    try:
        try:
            old = Side(args.old, store)
            new = Side(args.new, store)
        finally:
            if store is not None:
                store.close()
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as out:
            found = write_diff(old, new, args.format, o.fail_on, out)
            out.seek(0)
            shutil.copyfileobj(out, sys.stdout)
    finally:
        for side in (old, new):
            if side is not None:
                side.close()
    return EXIT_FINDINGS if found else EXIT_OK

"""`gxaudit diff OLD NEW`: findings new, fixed and unchanged between two audits.

Exit code: 1 when the newer run has a new finding at or above --fail-on (not
waived), as `gxaudit audit`'s; 0 when it has none; 2 when an input cannot be used.
"""

from __future__ import annotations

import sys

from gxaudit.cli.common import EXIT_FINDINGS, EXIT_OK, Context


def run(ctx: Context) -> int:
    from gxaudit.audit.diff import diff_documents, load_side, regressions, render_diff
    from gxaudit.audit.store import Store

    args, o = ctx.args, ctx.options
    store_path = args.store or o.store
    store = Store(store_path, create=False) if store_path else None
    try:
        old = load_side(args.old, store)
        new = load_side(args.new, store)
    finally:
        if store is not None:
            store.close()
    changes = diff_documents(old, new)
    sys.stdout.write(render_diff(changes, args.format))
    return EXIT_FINDINGS if regressions(changes, o.fail_on) else EXIT_OK

"""`gxaudit diff OLD NEW`: findings new, fixed and unchanged between two audits."""

from __future__ import annotations

import sys

from gxaudit.cli.common import EXIT_OK, Context


def run(ctx: Context) -> int:
    from gxaudit.audit.diff import diff_documents, load_side, render_diff
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
    sys.stdout.write(render_diff(diff_documents(old, new), args.format))
    return EXIT_OK

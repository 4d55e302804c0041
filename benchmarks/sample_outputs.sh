#!/usr/bin/env bash
# Every output of `gxaudit audit` for reports/ and ../shared/corpus, into out/samples/,
# plus a screenshot of the HTML report (needs chromium), for a person to look at.
#   bash benchmarks/sample_outputs.sh [GXAUDIT]      (default: gxaudit on PATH, else .venv/bin/gxaudit)
set -uo pipefail
cd "$(dirname "$0")/.."
GX=${1:-$(command -v gxaudit || echo .venv/bin/gxaudit)}
SHARED=${GXAUDIT_SHARED:-../shared}
OUT=out/samples
mkdir -p "$OUT"
INPUTS=(reports "$SHARED/corpus")
for fmt in table markdown csv json html xlsx sarif; do
    ext=$fmt; [ "$fmt" = table ] && ext=txt; [ "$fmt" = markdown ] && ext=md
    "$GX" audit "${INPUTS[@]}" --format "$fmt" --output "$OUT/audit.$ext" --no-progress 2>/dev/null
    echo "$OUT/audit.$ext ($(wc -c < "$OUT/audit.$ext") bytes)"
done
"$GX" rules list > "$OUT/rules.txt" && echo "$OUT/rules.txt"
if command -v chromium >/dev/null 2>&1; then
    "$(dirname "$GX")/python" benchmarks/html_screenshot.py --out "$OUT" --focus report-8 >/dev/null 2>&1 \
        || .venv/bin/python benchmarks/html_screenshot.py --out "$OUT" --focus report-8 >/dev/null
    echo "$OUT/report.png (top of the page), $OUT/report-8.png (one report's findings)"
fi

#!/usr/bin/env bash
# README command 3: set up, build everything, then measure. Runs the native benchmark
# (build/native/pipeboard_bench) and the browser one (web/bench/performance.bench.mjs, headless
# Chromium) on workspaces of PIPEBOARD_BENCH_SIZES deals (default 1000,10000,100000), and prints
# one table of both (web/bench/report.mjs). Figures go to build/bench: native.json,
# browser.json, results.json and results.md. Timings are reported, never judged.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/build/bench"
SIZES="${PIPEBOARD_BENCH_SIZES:-1000,10000,100000}"
say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }
problems=()

"$ROOT/scripts/setup.sh" || { say "setup failed"; exit 1; }
"$ROOT/scripts/build.sh" all || { say "build failed"; exit 1; }
mkdir -p "$OUT"
# Figures of an earlier run must never pass for this one's.
rm -f "$OUT/native.json" "$OUT/browser.json" "$OUT/results.json" "$OUT/results.md"

# [SECTION] native: core and UI frames without a window, thread CPU time
say "native benchmark, sizes $SIZES"
if [ -x "$ROOT/build/native/pipeboard_bench" ]; then
  "$ROOT/build/native/pipeboard_bench" --sizes "$SIZES" --json "$OUT/native.json" || problems+=("native benchmark")
else
  say "build/native/pipeboard_bench was not built by this checkout: the table has no native figures"
  problems+=("native benchmark missing")
fi

# [SECTION] browser: the wasm app in headless Chromium with real IndexedDB
say "browser benchmark, sizes $SIZES (100,000 deals take many minutes)"
(cd "$ROOT/web" && PIPEBOARD_BENCH_SIZES="$SIZES" PIPEBOARD_DIST="$ROOT/build/web/dist" PIPEBOARD_BENCH_OUT="$OUT" \
  node bench/performance.bench.mjs) || problems+=("browser benchmark")

# [SECTION] one table of both
say "results"
node "$ROOT/web/bench/report.mjs" "$OUT" || problems+=("report")
for problem in "${problems[@]+"${problems[@]}"}"; do say "FAILED: $problem"; done
[ ${#problems[@]} -eq 0 ]

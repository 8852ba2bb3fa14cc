#!/usr/bin/env bash
# README command 2: set up, build everything and run every test: doctest natively (through
# CTest), the core tests compiled to wasm under Node, and the browser tests in headless
# Chromium. Ends with one summary line; exits non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOGS="$ROOT/build/test-logs"
say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

passed=0
failed=0
problems=()

finish() {
  echo
  for problem in "${problems[@]+"${problems[@]}"}"; do say "FAILED: $problem"; done
  echo "Summary: $passed passed, $failed failed"
  if [ "$failed" -gt 0 ] || [ ${#problems[@]} -gt 0 ]; then exit 1; fi
  exit 0
}

"$ROOT/scripts/setup.sh" || { problems+=("setup"); failed=$((failed + 1)); finish; }
"$ROOT/scripts/build.sh" all || { problems+=("build"); failed=$((failed + 1)); finish; }
mkdir -p "$LOGS"

# [SECTION] native doctest suites through CTest
say "native tests (CTest)"
ctest --test-dir "$ROOT/build/native" --output-on-failure -j"$(nproc)" 2>&1 | tee "$LOGS/native.log"
line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$LOGS/native.log" | tail -1)
if [ -n "$line" ]; then
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad)); failed=$((failed + bad))
else
  problems+=("native CTest did not run")
fi

# [SECTION] the core suite as wasm under Node
say "core tests as wasm under Node"
wasm_tests="$ROOT/build/web/pipeboard_core_tests.js"
(cd "$ROOT/tests" && node --no-experimental-fetch "$wasm_tests" --no-colors=true) 2>&1 | tee "$LOGS/wasm.log"
# doctest colours its summary when it thinks it writes to a terminal; read it without them.
line=$(sed -E 's/\x1b\[[0-9;]*m//g' "$LOGS/wasm.log" | grep -E 'test cases: *[0-9]+ \| *[0-9]+ passed \| *[0-9]+ failed' | tail -1)
if [ -n "$line" ]; then
  ok=$(sed -E 's/.*\| *([0-9]+) passed.*/\1/' <<<"$line")
  bad=$(sed -E 's/.*passed \| *([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + ok)); failed=$((failed + bad))
else
  problems+=("wasm core tests did not run")
fi

# [SECTION] browser tests in headless Chromium
say "browser tests (headless Chromium)"
(cd "$ROOT/web" && PIPEBOARD_DIST="$ROOT/build/web/dist" PIPEBOARD_ARTIFACTS="$ROOT/build/browser-artifacts" \
  node --test --test-concurrency=1 --test-reporter=spec tests/) 2>&1 | tee "$LOGS/browser.log"
ok=$(grep -E '^ℹ pass [0-9]+' "$LOGS/browser.log" | tail -1 | awk '{print $3}')
bad=$(grep -E '^ℹ fail [0-9]+' "$LOGS/browser.log" | tail -1 | awk '{print $3}')
if [ -n "$ok" ] && [ -n "$bad" ]; then
  passed=$((passed + ok)); failed=$((failed + bad))
else
  problems+=("browser tests did not run")
fi

finish

#!/usr/bin/env bash
# README command 1: set up, build the web app and serve it on http://127.0.0.1:8080
# (another port: PORT=9000 scripts/serve.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" --web
"$ROOT/scripts/build.sh" web
exec node "$ROOT/web/serve.mjs" "$ROOT/build/web/dist" --port "${PORT:-8080}"

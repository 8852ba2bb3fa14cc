#!/usr/bin/env bash
# Configures and builds Pipeboard. Usage: scripts/build.sh web|native|all
# (run scripts/setup.sh first; serve.sh and test.sh do).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/build/deps"
JOBS="${PB_JOBS:-$(nproc)}"
say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }

build_native() {
  say "native build (core, UI, desktop app, tests) in build/native"
  cmake -S "$ROOT" -B "$ROOT/build/native" -DCMAKE_BUILD_TYPE=Release \
    -DPB_IMGUI_DIR="$DEPS/src/imgui" >/dev/null
  cmake --build "$ROOT/build/native" -j"$JOBS"
}

build_web() {
  say "web build (app, core tests as wasm) in build/web"
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S "$ROOT" -B "$ROOT/build/web" -DCMAKE_BUILD_TYPE=Release \
    -DPB_IMGUI_DIR="$DEPS/src/imgui" -DPB_SDL2_WEB_PREFIX="$DEPS/sdl2-web" >/dev/null
  cmake --build "$ROOT/build/web" -j"$JOBS"
}

case "${1:-all}" in
  web) build_web ;;
  native) build_native ;;
  all) build_native; build_web ;;
  *) echo "usage: scripts/build.sh web|native|all" >&2; exit 2 ;;
esac

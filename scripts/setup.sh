#!/usr/bin/env bash
# Installs and prepares everything Pipeboard builds with, from Debian's packages and the npm
# registry only. Idempotent: what it fetched or built is cached under build/deps, so a second
# run takes seconds. Usage: scripts/setup.sh [--web] [--native] [--browser-tests] (default: all).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/build/deps"
# shellcheck source=scripts/versions.sh
source "$ROOT/scripts/versions.sh"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

want_web=0 want_native=0 want_browser=0
if [ $# -eq 0 ]; then want_web=1 want_native=1 want_browser=1; fi
for arg in "$@"; do
  case "$arg" in
    --web) want_web=1 ;;
    --native) want_native=1 ;;
    --browser-tests) want_browser=1 want_web=1 ;;
    *) die "unknown option $arg" ;;
  esac
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# [SECTION] Debian packages
packages=(cmake make g++ python3 dpkg-dev xz-utils ca-certificates nlohmann-json3-dev doctest-dev fonts-inter fonttools)
[ $want_native -eq 1 ] && packages+=(libsdl2-dev zlib1g-dev clang libclang-rt-14-dev)
[ $want_web -eq 1 ] && packages+=(emscripten nodejs npm)
[ $want_browser -eq 1 ] && packages+=(chromium fonts-noto-core)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# The machine's Node.js may come from outside Debian's package (it answers `node`): keep it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for pkg in "${missing[@]}"; do
    case "$pkg" in nodejs|npm) ;; *) filtered+=("$pkg") ;; esac
  done
  missing=("${filtered[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present"
fi

# [SECTION] Debian source packages (Dear ImGui, and SDL2 for the web build)
# A private apt state with deb-src entries derived from the machine's own sources, so the
# system's apt configuration is never changed and no host name is written here.
apt_private() {
  apt-get -o Dir::Etc::SourceList="$DEPS/apt/sources.list" -o Dir::Etc::SourceParts=- \
    -o Dir::State::Lists="$DEPS/apt/lists" -o Dir::Cache="$DEPS/apt/cache" \
    -o Debug::NoDropPrivs=true -o APT::Sandbox::User=root "$@"
}

prepare_apt_sources() {
  [ -f "$DEPS/apt/lists/.updated" ] && return
  mkdir -p "$DEPS/apt/lists/partial" "$DEPS/apt/cache/archives/partial"
  local system_sources=/etc/apt/sources.list.d/debian.sources uri
  if [ -f "$system_sources" ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$system_sources")
  else
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "could not read the Debian mirror from the system's apt sources"
  : > "$DEPS/apt/sources.list"
  for suite in "${SOURCE_SUITES[@]}"; do
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" >> "$DEPS/apt/sources.list"
  done
  say "reading Debian source package lists (${SOURCE_SUITES[*]})"
  apt_private update -qq
  touch "$DEPS/apt/lists/.updated"
}

# fetch_source NAME VERSION DEST: download (apt checks the signed checksums) and unpack.
fetch_source() {
  local name=$1 version=$2 dest=$3
  [ -f "$dest/.unpacked-$version" ] && return
  prepare_apt_sources
  say "fetching Debian source package $name=$version"
  mkdir -p "$DEPS/src"
  (cd "$DEPS/src" && apt_private source --download-only -qq "$name=$version" >/dev/null 2>&1) \
    || die "apt could not fetch $name=$version"
  local dsc="$DEPS/src/${name}_${version#*:}.dsc"
  rm -rf "$dest"
  dpkg-source --no-check -x "$dsc" "$dest" >/dev/null
  touch "$dest/.unpacked-$version"
}

fetch_source imgui "$IMGUI_VERSION" "$DEPS/src/imgui"

# [SECTION] SDL2 for the web
export NODE_PATH=/usr/share/nodejs  # Debian's Emscripten needs acorn from here
# Debian ships Emscripten with a prebuilt, frozen system-library cache; it is used as is.
if [ $want_web -eq 1 ]; then
  fetch_source libsdl2 "$SDL2_VERSION" "$DEPS/src/sdl2"
  if [ ! -f "$DEPS/sdl2-web/.built-$SDL2_VERSION" ]; then
    say "building SDL2 $SDL2_VERSION for the web (about 3 minutes on 2 cores)"
    rm -rf "$DEPS/sdl2-web-build" "$DEPS/sdl2-web"
    emcmake cmake -S "$DEPS/src/sdl2" -B "$DEPS/sdl2-web-build" -DCMAKE_BUILD_TYPE=Release \
      -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DCMAKE_INSTALL_PREFIX="$DEPS/sdl2-web" >"$DEPS/sdl2-web-build.log" 2>&1 \
      || die "SDL2 configure failed, see $DEPS/sdl2-web-build.log"
    cmake --build "$DEPS/sdl2-web-build" -j"$(nproc)" >>"$DEPS/sdl2-web-build.log" 2>&1 \
      || die "SDL2 build failed, see $DEPS/sdl2-web-build.log"
    cmake --install "$DEPS/sdl2-web-build" >>"$DEPS/sdl2-web-build.log" 2>&1
    touch "$DEPS/sdl2-web/.built-$SDL2_VERSION"
  else
    say "web SDL2 $SDL2_VERSION cached"
  fi
fi

# [SECTION] npm packages for the browser tests
if [ $want_browser -eq 1 ]; then
  if [ ! -d "$ROOT/web/node_modules/playwright-core" ] || [ "$ROOT/web/package-lock.json" -nt "$ROOT/web/node_modules/.package-lock.json" ]; then
    say "installing npm packages for the browser tests (npm ci)"
    (cd "$ROOT/web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  else
    say "npm packages present"
  fi
fi

say "ready"

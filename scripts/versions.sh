# Pinned versions of the Debian source packages Pipeboard builds from.
# shellcheck disable=SC2034
IMGUI_VERSION="1.90.1+ds-1"      # Dear ImGui 1.90.1, suite trixie
SDL2_VERSION="2.26.5+dfsg-1"     # SDL2 2.26.5, suite bookworm (2.32 needs a newer Emscripten)
SOURCE_SUITES=(bookworm trixie)

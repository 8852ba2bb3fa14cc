// The desktop platform: OpenGL 3.2 core, a blocking loop, the system clock, the
// command-line subcommands of the same binary, and storage in files (desktop_storage.cpp).
#include <SDL.h>

#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "platform/desktop/desktop_storage.hpp"
#include "platform/platform.hpp"

namespace pb::platform {

GlSetup gl_setup() { return GlSetup{"#version 150", 3, 2, SDL_GL_CONTEXT_PROFILE_CORE}; }

int run_command_line(int argc, char** argv) {
    if (argc < 2 || !is_cli_subcommand(argv[1])) return -1;
    std::vector<std::string> args(argv + 1, argv + argc);
    return run_cli(args, std::cout, std::cerr);
}

void run_main_loop(std::function<bool()> frame) {
    while (frame()) {
    }
}

Timestamp now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::uint64_t entropy_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) | device();
}

void install_clipboard() {}

Workspace initial_workspace(IdGenerator& ids, Timestamp now) {
    return desktop::load_initial_workspace(ids, now);
}

void attach(ui::PipeboardApp& app) { desktop::attach_storage(app); }

void frame_presented() { desktop::save_if_due(); }

void file_dropped(const char* path) { desktop::import_dropped_file(path); }

void shutdown() { desktop::save_now(); }

}  // namespace pb::platform

// The desktop platform: OpenGL 3.2 core, a blocking loop, the system clock, the
// command-line subcommands of the same binary, and storage in files (desktop_storage.cpp).
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "platform/desktop/desktop_storage.hpp"
#include "platform/platform.hpp"
#include "ui/app.hpp"
#include "ui/frame_pacer.hpp"

namespace {

pb::ui::PipeboardApp* g_app = nullptr;
std::string g_png_request;  // the file name of a dashboard PNG to take after this frame

void append_u32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

void append_chunk(std::string& out, const char* type, const std::string& data) {
    append_u32(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t start = out.size();
    out.append(type, 4);
    out += data;
    const auto* bytes = reinterpret_cast<const Bytef*>(out.data() + start);
    append_u32(out,
               static_cast<std::uint32_t>(crc32(0, bytes, static_cast<uInt>(out.size() - start))));
}

// An 8-bit RGB PNG of rows given bottom-up (as OpenGL reads them); zlib does the compression
// and the checksums. Empty when compression fails.
std::string encode_png(const std::vector<unsigned char>& rgb, int width, int height) {
    const std::size_t stride = static_cast<std::size_t>(width) * 3;
    std::string raw;
    raw.reserve((stride + 1) * static_cast<std::size_t>(height));
    for (int y = height - 1; y >= 0; --y) {
        raw += '\0';  // filter type: none
        raw.append(reinterpret_cast<const char*>(rgb.data()) + stride * static_cast<std::size_t>(y),
                   stride);
    }
    uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
    std::string packed(packed_size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                  Z_BEST_SPEED) != Z_OK)
        return {};
    packed.resize(packed_size);
    std::string header;
    append_u32(header, static_cast<std::uint32_t>(width));
    append_u32(header, static_cast<std::uint32_t>(height));
    header += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, no interlace
    std::string png("\x89PNG\r\n\x1a\n", 8);
    append_chunk(png, "IHDR", header);
    append_chunk(png, "IDAT", packed);
    append_chunk(png, "IEND", {});
    return png;
}

}  // namespace

namespace pb::platform {

GlSetup gl_setup() { return GlSetup{"#version 150", 3, 2, SDL_GL_CONTEXT_PROFILE_CORE}; }

int run_command_line(int argc, char** argv) {
    if (argc < 2 || !is_cli_subcommand(argv[1])) return -1;
    std::vector<std::string> args(argv + 1, argv + argc);
    return run_cli(args, std::cout, std::cerr);
}

void run_main_loop(ui::FramePacer& pacer, std::function<bool()> frame) {
    while (frame()) {
        // Sleep until a frame is due or input arrives; a save that falls due meanwhile is
        // written without drawing.
        for (;;) {
            const double wait = pacer.next_frame_in(pacer_seconds());
            if (wait <= 0) break;
            desktop::save_if_due();
            const double sleep = std::min(wait, desktop::seconds_to_save());
            const int timeout_ms =
                std::isfinite(sleep) ? static_cast<int>(std::ceil(sleep * 1000.0)) : -1;
            if (timeout_ms < 0 ? SDL_WaitEvent(nullptr) : SDL_WaitEventTimeout(nullptr, timeout_ms))
                break;
        }
    }
}

double pacer_seconds() { return static_cast<double>(SDL_GetTicks64()) / 1000.0; }

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

void attach(ui::PipeboardApp& app) {
    g_app = &app;
    desktop::attach_storage(app);
    app.set_dashboard_downloads(
        [](const std::string& file_name, const std::string& csv) {
            g_app->notify(desktop::save_download(file_name, csv));
        },
        [](const std::string& file_name) { g_png_request = file_name; });
}

void frame_drawn(double) {
    if (g_png_request.empty()) return;
    const ImGuiIO& io = ImGui::GetIO();
    const int width = static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x);
    const int height = static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y);
    std::vector<unsigned char> rgb(static_cast<std::size_t>(width) * 3 *
                                   static_cast<std::size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
    const std::string png = encode_png(rgb, width, height);
    g_app->notify(png.empty() ? "The image of the dashboard could not be made"
                              : desktop::save_download(g_png_request, png));
    g_png_request.clear();
}

void frame_presented() { desktop::save_if_due(); }

void file_dropped(const char* path) { desktop::import_dropped_file(path); }

void shutdown() { desktop::save_now(); }

}  // namespace pb::platform

// What differs between the browser and the desktop, behind one interface; CMake picks
// src/platform/web or src/platform/desktop. Everything else is shared.
#pragma once

#include <cstdint>
#include <functional>

#include "core/calendar.hpp"
#include "core/ids.hpp"
#include "core/workspace.hpp"

struct ImDrawData;

namespace pb::ui {
class FramePacer;
class PipeboardApp;
}

namespace pb::platform {

struct GlSetup {
    const char* glsl_version;
    int major;
    int minor;
    int profile;  // an SDL_GLprofile value
};

GlSetup gl_setup();

// Drawing ImGui's frames into the window's GL context: start once the context is current,
// tell it each time the font atlas was rebuilt, stop before the context goes.
void renderer_start(const GlSetup& gl);
void renderer_fonts_changed();
void renderer_draw(const ImDrawData& frame);
void renderer_stop();

// Runs a command-line subcommand when one is given; returns its exit code, or -1 to open
// the window.
int run_command_line(int argc, char** argv);

// Calls `frame` (which draws one frame) whenever `pacer` says a frame is due, at most once
// per display refresh, until it returns false (desktop) or forever (web). In between it
// sleeps until input arrives or the pacer's next timer runs out.
void run_main_loop(ui::FramePacer& pacer, std::function<bool()> frame);
// The clock the pacer runs on, in seconds.
double pacer_seconds();

Timestamp now();
std::uint64_t entropy_seed();

// Hooks the browser's clipboard into Dear ImGui (SDL 2.26 has none on the web).
void install_clipboard();

// The workspace to start with: the stored one, or a new one for a first-time user. Never
// fails: when the stored data cannot be used, a new workspace runs in memory, the stored data
// is left untouched and the Data UI says why.
Workspace initial_workspace(IdGenerator& ids, Timestamp now);

// The app the automation API and the platform's events act on; from here on every change
// the app's session makes is stored.
void attach(ui::PipeboardApp& app);
// A file dropped on the window (the desktop; the web page handles its own drops).
void file_dropped(const char* path);
// After the main loop ends: stores whatever is still unsaved.
void shutdown();
// Called once each frame is drawn, before it is presented: the one moment its pixels can be
// read back (a WebGL canvas keeps no copy of a presented frame), for the dashboard's PNG.
// `cpu_ms` is what the frame took from its start to its draw data submitted.
void frame_drawn(double cpu_ms);
// Called after each frame is presented; the first call resolves the page's ready promise.
void frame_presented();

}  // namespace pb::platform

// The browser platform: WebGL2, the browser's main loop, time and entropy from JS, the
// clipboard bridge, and the automation API that the page exposes as window.pipeboard.
// JS is reached only through the small named functions below (EM_JS) and the exported
// pb_* callbacks; the page's side lives in shell/pipeboard-shell.js.
#include "platform/platform.hpp"

#include "core/json_format.hpp"
#include "ui/app.hpp"

#include <SDL.h>
#include <emscripten.h>
#include <imgui.h>

#include <string>

namespace {

pb::ui::PipeboardApp* g_app = nullptr;
std::string g_clipboard;
std::string g_reply;  // keeps the last string handed to JS alive until the next call
std::uint64_t g_frames = 0;

EM_JS(void, pb_js_first_frame, (), { Module.pipeboardFirstFrame && Module.pipeboardFirstFrame(); });
EM_JS(void, pb_js_copy_text, (const char* text),
      { Module.pipeboardCopyText && Module.pipeboardCopyText(UTF8ToString(text)); });
EM_JS(double, pb_js_now_ms, (), { return Date.now(); });
EM_JS(double, pb_js_random_u32, (), {
    const words = new Uint32Array(1);
    crypto.getRandomValues(words);
    return words[0];
});

const char* clipboard_get(void*) { return g_clipboard.c_str(); }

void clipboard_set(void*, const char* text) {
    g_clipboard = text;
    pb_js_copy_text(text);
}

void main_loop_step(void* frame) {
    (*static_cast<std::function<bool()>*>(frame))();
}

}  // namespace

namespace pb::platform {

GlSetup gl_setup() { return GlSetup{"#version 300 es", 3, 0, SDL_GL_CONTEXT_PROFILE_ES}; }

int run_command_line(int, char**) { return -1; }

void run_main_loop(std::function<bool()> frame) {
    auto* kept = new std::function<bool()>(std::move(frame));
    emscripten_set_main_loop_arg(main_loop_step, kept, 0, true);
}

Timestamp now() { return static_cast<Timestamp>(pb_js_now_ms() / 1000.0); }

std::uint64_t entropy_seed() {
    return (static_cast<std::uint64_t>(pb_js_random_u32()) << 32) |
           static_cast<std::uint64_t>(pb_js_random_u32());
}

void install_clipboard() {
    ImGuiIO& io = ImGui::GetIO();
    io.GetClipboardTextFn = clipboard_get;
    io.SetClipboardTextFn = clipboard_set;
}

void attach(ui::PipeboardApp& app) { g_app = &app; }

void frame_presented() {
    if (++g_frames == 1) pb_js_first_frame();
}

}  // namespace pb::platform

// [SECTION] Exported to the page (see shell/pipeboard-shell.js)
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* pb_state_json() {
    g_reply = g_app ? pb::workspace_to_json(g_app->workspace()) : "null";
    return g_reply.c_str();
}

// Returns {"ok":bool,"error":"...","problems":[{"path":..,"message":..}]}; the workspace is
// replaced only when the document is usable.
EMSCRIPTEN_KEEPALIVE const char* pb_load_state_json(const char* text) {
    pb::LoadResult result = pb::workspace_from_json(text ? text : "");
    nlohmann::json reply = {{"ok", result.ok()}, {"error", result.error}};
    nlohmann::json problems = nlohmann::json::array();
    for (const pb::LoadProblem& problem : result.problems)
        problems.push_back({{"path", problem.path}, {"message", problem.message}});
    reply["problems"] = std::move(problems);
    if (result.ok() && g_app) g_app->replace_workspace(std::move(*result.workspace));
    g_reply = reply.dump();
    return g_reply.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* pb_ui_rects_json() {
    g_reply = g_app ? g_app->rects().to_json() : "{}";
    return g_reply.c_str();
}

// The page caught a paste event: remember the text and replay Ctrl+V to ImGui, whose key
// event the page kept from SDL so that the browser would fire the paste event at all.
EMSCRIPTEN_KEEPALIVE void pb_clipboard_pasted(const char* text) {
    g_clipboard = text ? text : "";
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, true);
    io.AddKeyEvent(ImGuiKey_V, true);
    io.AddKeyEvent(ImGuiKey_V, false);
    io.AddKeyEvent(ImGuiMod_Ctrl, false);
}

EMSCRIPTEN_KEEPALIVE double pb_frame_count() { return static_cast<double>(g_frames); }

}  // extern "C"

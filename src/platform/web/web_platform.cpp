// The browser platform: WebGL2, the browser's main loop, time and entropy from JS, the
// clipboard bridge, and the automation API that the page exposes as window.pipeboard.
// JS is reached only through the small named functions below (EM_JS) and the exported
// pb_* callbacks; the page's side lives in shell/pipeboard-shell.js, storage in
// web_storage.cpp and shell/storage.js.
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/commands.hpp"
#include "core/json_format.hpp"
#include "core/sample_workspace.hpp"
#include "platform/platform.hpp"
#include "platform/web/web_storage.hpp"
#include "platform/web/web_workspaces.hpp"
#include "ui/app.hpp"
#include "ui/frame_pacer.hpp"

namespace {

using nlohmann::json;

pb::ui::PipeboardApp* g_app = nullptr;
std::string g_clipboard;
std::string g_reply;  // keeps the last string handed to JS alive until the next call
std::uint64_t g_frames = 0;
std::vector<double> g_frame_times;  // CPU ms of the frames drawn since the page last asked
std::string g_png_request;          // the file name of a dashboard PNG to take after this frame

// JS inside EM_JS is kept as written; the formatter reads it as C++.
// clang-format off
EM_JS(void, pb_js_first_frame, (), { Module.pipeboardFirstFrame && Module.pipeboardFirstFrame(); });
EM_JS(void, pb_js_copy_text, (const char* text),
      { Module.pipeboardCopyText && Module.pipeboardCopyText(UTF8ToString(text)); });
EM_JS(double, pb_js_now_ms, (), { return Date.now(); });
// Presentation mode asks for the whole screen; the browser may refuse (no user gesture), which
// changes nothing else.
EM_JS(void, pb_js_full_screen, (int on), {
    if (on && !document.fullscreenElement && document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen().catch(() => {});
    } else if (!on && document.fullscreenElement && document.exitFullscreen) {
        document.exitFullscreen().catch(() => {});
    }
});
// toBlob copies the drawing buffer when called, so this must run in the task that drew it.
EM_JS(void, pb_js_download_canvas_png, (const char* name), {
    const fileName = UTF8ToString(name);
    Module.canvas.toBlob((blob) => {
        if (blob) Module.pipeboardDownload(fileName, 'image/png', blob);
        else Module.ccall('pb_show_message', null, ['string'], ['The image of the dashboard could not be made']);
    }, 'image/png');
});
EM_JS(double, pb_js_unsaved_change, (), {
    return Module.pipeboardStorage ? Module.pipeboardStorage.unsavedChange() : 0;
});
EM_JS(double, pb_js_random_u32, (), {
    const words = new Uint32Array(1);
    crypto.getRandomValues(words);
    return words[0];
});
// clang-format on

const char* clipboard_get(void*) { return g_clipboard.c_str(); }

void clipboard_set(void*, const char* text) {
    g_clipboard = text;
    pb_js_copy_text(text);
}

// [SECTION] Frames on demand: one animation frame at a time, asked for only when the pacer
// says a frame is due, and a timeout for the pacer's next timer in between.
struct FrameLoop {
    pb::ui::FramePacer* pacer = nullptr;
    std::function<bool()> frame;
    bool frame_asked = false;
    long timeout = 0;
    double change_waited_for = 0;  // the newest change a frame was held back for
    double holding_since_ms = 0;
};
FrameLoop g_loop;

// Saving an edit takes a millisecond or two of the page's main thread, but a frame drawn
// without a GPU (software WebGL) blocks it for hundreds; so a frame waits for a change being
// written, once per change and never long.
constexpr double kMaxHoldForSaveMs = 100;

void ask_for_frame();

void ask_for_frame_in(double ms) {
    g_loop.timeout = emscripten_set_timeout(
        [](void*) {
            g_loop.timeout = 0;
            ask_for_frame();
        },
        ms, nullptr);
}

bool hold_for_save() {
    const double change = pb_js_unsaved_change();
    if (change <= g_loop.change_waited_for) return false;
    const double now = emscripten_get_now();
    if (g_loop.holding_since_ms == 0) g_loop.holding_since_ms = now;
    if (now - g_loop.holding_since_ms < kMaxHoldForSaveMs) return true;
    g_loop.change_waited_for = change;
    g_loop.holding_since_ms = 0;
    return false;
}

EM_BOOL animation_frame(double, void*) {
    g_loop.frame_asked = false;
    if (hold_for_save()) {
        ask_for_frame_in(1);
        return EM_FALSE;
    }
    g_loop.holding_since_ms = 0;
    g_loop.frame();
    const double wait = g_loop.pacer->next_frame_in(pb::platform::pacer_seconds());
    if (wait <= 0) {
        ask_for_frame();
    } else if (std::isfinite(wait)) {
        ask_for_frame_in(wait * 1000.0);
    }
    return EM_FALSE;
}

void ask_for_frame() {
    if (g_loop.frame_asked || !g_loop.pacer) return;
    if (g_loop.timeout) {
        emscripten_clear_timeout(g_loop.timeout);
        g_loop.timeout = 0;
    }
    g_loop.frame_asked = true;
    emscripten_request_animation_frame(animation_frame, nullptr);
}

std::string text_at(const json& j, const char* key) {
    const auto found = j.find(key);
    return found != j.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// A stage named by id or by name (the first live stage of that name).
pb::Id find_stage_id(const pb::Session& session, const std::string& id_or_name) {
    if (session.index().find_stage(id_or_name)) return id_or_name;
    for (const pb::Stage& stage : session.workspace().stages) {
        if (!stage.meta.deleted && stage.name == id_or_name) return stage.meta.id;
    }
    return {};
}

// The few commands the automation API accepts (see README.md), as domain commands; nullopt
// with `error` set when the JSON does not describe one.
std::optional<pb::Command> automation_command(const json& request, const pb::Session& session,
                                              std::string& error) {
    const std::string type = text_at(request, "type");
    const auto number = [&](const char* key) -> std::optional<pb::Money> {
        const auto found = request.find(key);
        if (found == request.end() || !found->is_number()) return std::nullopt;
        return static_cast<pb::Money>(found->get<double>());
    };
    const auto has_text = [&](const char* key) {
        const auto found = request.find(key);
        return found != request.end() && found->is_string();
    };
    if (type == "createDeal") {
        pb::Deal deal;
        deal.title = text_at(request, "title");
        deal.organization = text_at(request, "organization");
        deal.value = number("value").value_or(0);
        if (has_text("stage")) {
            deal.stage_id = find_stage_id(session, text_at(request, "stage"));
            if (deal.stage_id.empty()) error = "No stage '" + text_at(request, "stage") + "'";
        } else if (const auto pipelines = session.index().pipelines(); !pipelines.empty()) {
            // Like a new deal from the board: the first stage of the first pipeline.
            if (const pb::Stage* first =
                    session.index().first_stage_of(pipelines.front().meta.id)) {
                deal.stage_id = first->meta.id;
            }
        }
        return error.empty() ? std::optional<pb::Command>(pb::cmd::CreateDeal{deal}) : std::nullopt;
    }
    const std::string id = text_at(request, "id");
    if (type == "editDeal") {
        const pb::Deal* current = session.index().find_deal(id);
        if (!current) {
            error = "No deal '" + id + "'";
            return std::nullopt;
        }
        pb::Deal deal = *current;
        if (has_text("title")) deal.title = text_at(request, "title");
        if (has_text("organization")) deal.organization = text_at(request, "organization");
        if (has_text("notes")) deal.notes = text_at(request, "notes");
        if (const auto value = number("value")) deal.value = *value;
        return pb::cmd::EditDeal{deal};
    }
    if (type == "moveDeal") {
        const pb::Id stage_id = find_stage_id(session, text_at(request, "stage"));
        if (stage_id.empty()) {
            error = "No stage '" + text_at(request, "stage") + "'";
            return std::nullopt;
        }
        return pb::cmd::MoveDeal{id, stage_id, text_at(request, "before")};
    }
    if (type == "deleteDeal") return pb::cmd::DeleteDeal{id};
    if (type == "renameWorkspace") {
        return pb::cmd::EditWorkspace{text_at(request, "name"), session.workspace().currency};
    }
    error = "Unknown command type '" + type + "'";
    return std::nullopt;
}

}  // namespace

namespace pb::platform {

GlSetup gl_setup() { return GlSetup{"#version 300 es", 3, 0, SDL_GL_CONTEXT_PROFILE_ES}; }

int run_command_line(int, char**) { return -1; }

void run_main_loop(ui::FramePacer& pacer, std::function<bool()> frame) {
    g_loop.pacer = &pacer;
    g_loop.frame = std::move(frame);
    ask_for_frame();
    // main() returns into the browser's event loop; the app lives on in the frames.
    emscripten_exit_with_live_runtime();
}

double pacer_seconds() { return emscripten_get_now() / 1000.0; }

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

Workspace initial_workspace(IdGenerator& ids, Timestamp now) {
    return web::load_initial_workspace(ids, now);
}

void attach(ui::PipeboardApp& app) {
    g_app = &app;
    web::attach_workspaces(app);
    app.presentation().set_full_screen_listener([](bool on) { pb_js_full_screen(on ? 1 : 0); });
    web::attach_storage(app);
    app.set_dashboard_downloads(
        [](const std::string& file_name, const std::string& csv) {
            web::download(file_name, "text/csv", csv);
            g_app->notify("Downloaded " + file_name);
        },
        [](const std::string& file_name) { g_png_request = file_name; });
}

void file_dropped(const char*) {}

void shutdown() {}

void frame_drawn(double cpu_ms) {
    // Without a benchmark asking for them, only the recent times are kept.
    constexpr std::size_t kFrameTimesKept = 10000;
    if (g_frame_times.size() >= kFrameTimesKept)
        g_frame_times.erase(g_frame_times.begin(), g_frame_times.begin() + kFrameTimesKept / 2);
    g_frame_times.push_back(cpu_ms);
    if (g_png_request.empty()) return;
    pb_js_download_canvas_png(g_png_request.c_str());
    g_app->notify("Downloaded " + g_png_request);
    g_png_request.clear();
}

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
    if (result.ok() && g_app) {
        g_app->replace_workspace(std::move(*result.workspace));
        pb::platform::web::store_replaced_workspace(*g_app);
    }
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

// Input reached the page, or the page changed what the app shows: draw until it settles.
EMSCRIPTEN_KEEPALIVE void pb_wake() {
    if (!g_loop.pacer) return;
    g_loop.pacer->wake();
    ask_for_frame();
}

EMSCRIPTEN_KEEPALIVE void pb_request_frames(int frames) {
    if (!g_loop.pacer) return;
    g_loop.pacer->request_frames(frames);
    ask_for_frame();
}

// The CPU milliseconds of each frame drawn since the last call, as a JSON array.
EMSCRIPTEN_KEEPALIVE const char* pb_frame_times_json() {
    g_reply = json(g_frame_times).dump();
    g_frame_times.clear();
    return g_reply.c_str();
}

// One command through the session, as a user's edit would go (undo, change listener, storage):
// {"type":"createDeal"|"editDeal"|"moveDeal"|"deleteDeal"|"renameWorkspace", ...}. Returns
// {"ok":bool,"error":"...","id":"<created id>"}.
EMSCRIPTEN_KEEPALIVE const char* pb_apply_command_json(const char* text) {
    json reply = {{"ok", false}, {"error", ""}, {"id", ""}};
    const json request = json::parse(text ? text : "", nullptr, false);
    std::string error;
    if (!g_app) {
        error = "The app is not running";
    } else if (!request.is_object()) {
        error = "The command is not a JSON object";
    } else if (const auto command = automation_command(request, g_app->session(), error)) {
        const pb::CommandResult result = g_app->apply(*command, pb::platform::now(), false, false);
        reply["ok"] = result.ok;
        error = result.error;
        reply["id"] = result.created_id;
    }
    reply["error"] = error;
    g_reply = reply.dump(-1, ' ', false, json::error_handler_t::replace);
    return g_reply.c_str();
}

// The sample pipeline of `deal_count` deals as a document, for demos and benchmarks.
EMSCRIPTEN_KEEPALIVE const char* pb_sample_state_json(int deal_count, double seed) {
    pb::SampleOptions options;
    options.deal_count = deal_count;
    options.seed = static_cast<std::uint64_t>(seed);
    g_reply = pb::workspace_to_json(pb::make_sample_workspace(options, pb::platform::now()));
    return g_reply.c_str();
}

}  // extern "C"

// Each call goes to Module.pipeboardWorkspaces (shell/workspaces.js); the list is read from
// the registry when asked, so a rename or another tab's new workspace shows at once.
#include "platform/web/web_workspaces.hpp"

#include <emscripten.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/json_format.hpp"
#include "ui/app.hpp"
#include "ui/workspace_menu.hpp"

namespace {

using nlohmann::json;

// JS inside EM_JS is kept as written; the formatter reads it as C++.
// clang-format off
EM_JS(int, pb_js_workspaces_revision, (), { return Module.pipeboardWorkspaces.listRevision(); });
EM_JS(char*, pb_js_workspaces_json, (), {
    return Module.pbMallocText(JSON.stringify(Module.pipeboardWorkspaces.list()));
});
EM_JS(void, pb_js_open_workspace, (const char* key),
      { Module.pipeboardWorkspaces.open(UTF8ToString(key)); });
EM_JS(void, pb_js_create_workspace, (const char* text, int length, int demo), {
    Module.pipeboardWorkspaces.create(Module.pbHeapText(text, length), demo !== 0);
});
EM_JS(void, pb_js_delete_workspace, (), { Module.pipeboardWorkspaces.deleteCurrent(); });
EM_JS(void, pb_js_make_snapshot_link, (const char* text, int length), {
    Module.pipeboardMakeSnapshotLink(Module.pbHeapText(text, length));
});
EM_JS(int, pb_js_showing_snapshot, (), { return Module.pipeboardStorage.isSnapshot() ? 1 : 0; });
// clang-format on

class WebWorkspaceServices final : public pb::ui::WorkspaceServices {
public:
    std::vector<pb::ui::WorkspaceEntry> workspaces() const override {
        const int revision = pb_js_workspaces_revision();
        if (revision == listed_revision_) return listed_;
        listed_revision_ = revision;
        listed_.clear();
        char* text = pb_js_workspaces_json();
        const json list = json::parse(text ? text : "", nullptr, false);
        std::free(text);
        if (!list.is_array()) return listed_;
        for (const json& entry : list) {
            if (!entry.is_object()) continue;
            listed_.push_back({entry.value("key", ""), entry.value("name", ""),
                               entry.value("demo", false), entry.value("current", false)});
        }
        return listed_;
    }

    void switch_to(const std::string& key) override { pb_js_open_workspace(key.c_str()); }

    void create(const pb::Workspace& initial, bool demo) override {
        const std::string text = pb::workspace_to_json(initial);
        pb_js_create_workspace(text.data(), static_cast<int>(text.size()), demo ? 1 : 0);
    }

    void delete_current() override { pb_js_delete_workspace(); }

    void make_snapshot_link(const std::string& document) override {
        pb_js_make_snapshot_link(document.data(), static_cast<int>(document.size()));
    }

    void save_snapshot_copy(const pb::Workspace& copy) override { create(copy, false); }

private:
    // The list as the registry last read, and the registry's revision then.
    mutable std::vector<pb::ui::WorkspaceEntry> listed_;
    mutable int listed_revision_ = -1;
};

WebWorkspaceServices g_workspaces;
pb::ui::PipeboardApp* g_app = nullptr;

}  // namespace

namespace pb::platform::web {

void attach_workspaces(ui::PipeboardApp& app) {
    g_app = &app;
    app.workspaces().set_services(&g_workspaces);
    app.set_read_only(pb_js_showing_snapshot() != 0);
}

}  // namespace pb::platform::web

// [SECTION] Exported to the shell (see shell/pipeboard-shell.js)
extern "C" {

// The answer to a snapshot link request: {"ok":bool,"link":"...","chars":n,"limit":n}.
EMSCRIPTEN_KEEPALIVE void pb_snapshot_link(const char* reply_json) {
    if (!g_app) return;
    const json reply = json::parse(reply_json ? reply_json : "", nullptr, false);
    if (!reply.is_object()) return;
    g_app->workspaces().snapshot_ready(reply.value("ok", false), reply.value("link", ""),
                                       reply.value("chars", std::size_t{0}),
                                       reply.value("limit", std::size_t{0}));
}

}  // extern "C"

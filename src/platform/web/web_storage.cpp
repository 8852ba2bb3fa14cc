// The wasm side of browser storage. Every command's changed records go to the shell as JSON
// (it batches and commits them to IndexedDB); whole-workspace saves happen only for a new
// workspace, an import or a restore. Results come back through the exported pb_* callbacks.
#include "platform/web/web_storage.hpp"

#include <emscripten.h>

#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/commands.hpp"
#include "core/csv.hpp"
#include "core/json_format.hpp"
#include "core/packed_records.hpp"
#include "platform/platform.hpp"
#include "ui/app.hpp"
#include "ui/data_services.hpp"

namespace {

using nlohmann::json;

// What the shell found in IndexedDB at start (pb_js_initial_source).
constexpr int kNothingStored = 0;
constexpr int kStored = 1;
constexpr std::size_t kProblemsInNotice = 5;
// An import that adds or advances more records than this is stored whole, as a new base: one
// large write instead of one IndexedDB entry (about 0.2 ms) per record.
constexpr std::size_t kMostRecordsWrittenOneByOne = 2000;

// JS inside EM_JS is kept as written; the formatter reads it as C++ (and splits "!==").
// clang-format off
// Helpers the other functions use to move text between the wasm heap and JS strings; from
// here on the shell's storage may call the exported callbacks.
EM_JS(void, pb_js_install_helpers, (), {
    Module.pbHeapText = function(at, length) {
        return new TextDecoder().decode(HEAPU8.subarray(at, at + length));
    };
    Module.pbHeapBytes = function(at, length) { return HEAPU8.slice(at, at + length); };
    Module.pbMallocText = function(text) {
        // Stored text is nearly all ASCII: encoding straight into the heap, with an eighth
        // to spare, saves building and copying a second copy of a workspace of many megabytes.
        const room = text.length + (text.length >> 3) + 16;
        const direct = _malloc(room + 1);
        if (direct) {
            const done = new TextEncoder().encodeInto(text, HEAPU8.subarray(direct, direct + room));
            if (done.read === text.length) {
                HEAPU8[direct + done.written] = 0;
                return direct;
            }
            _free(direct);
        }
        const bytes = new TextEncoder().encode(text);
        const at = _malloc(bytes.length + 1);
        if (!at) return 0;
        HEAPU8.set(bytes, at);
        HEAPU8[at + bytes.length] = 0;
        return at;
    };
    Module.pipeboardStorage.bind(Module);
});
EM_JS(int, pb_js_initial_source, (), { return Module.pipeboardStorage.initialSource(); });
EM_JS(char*, pb_js_initial_state, (), {
    const text = Module.pipeboardStorage.takeInitialState();
    return text ? Module.pbMallocText(text) : 0;
});
// The stored base document, copied into the heap; *length is -1 when there is no room for it.
EM_JS(char*, pb_js_initial_base, (int* length), {
    const bytes = Module.pipeboardStorage.takeInitialBase();
    HEAP32[length >> 2] = 0;
    if (!bytes || !bytes.length) return 0;
    const at = _malloc(bytes.length);
    if (!at) {
        HEAP32[length >> 2] = -1;
        return 0;
    }
    HEAPU8.set(bytes, at);
    HEAP32[length >> 2] = bytes.length;
    return at;
});
EM_JS(char*, pb_js_status_json, (), {
    return Module.pbMallocText(JSON.stringify(Module.pipeboardStorage.status()));
});
EM_JS(void, pb_js_queue_changes, (const char* text, int length),
      { Module.pipeboardStorage.queue(Module.pbHeapText(text, length)); });
EM_JS(void, pb_js_save_whole,
      (const char* bytes, int length, const char* header, int pipelines, int first_save), {
    Module.pipeboardStorage.saveWhole(Module.pbHeapBytes(bytes, length), UTF8ToString(header),
                                      pipelines, first_save !== 0);
});
EM_JS(void, pb_js_hand_over, (const char* bytes, int length, int pipelines), {
    Module.pipeboardStorage.handOver(Module.pbHeapBytes(bytes, length), pipelines);
});
EM_JS(void, pb_js_keep_workspace,
      (const char* label, const char* fields, const char* records, int length), {
    Module.pipeboardStorage.keepWorkspace(UTF8ToString(label), UTF8ToString(fields),
                                          Module.pbHeapBytes(records, length));
});
EM_JS(void, pb_js_restore_kept, (const char* id),
      { Module.pipeboardStorage.restoreKept(UTF8ToString(id)); });
EM_JS(void, pb_js_storage_unusable, (const char* reason),
      { Module.pipeboardStorage.unusable(UTF8ToString(reason)); });
EM_JS(void, pb_js_report_load_problems, (const char* problems),
      { Module.pipeboardStorage.setAsideDamaged(JSON.parse(UTF8ToString(problems))); });
EM_JS(void, pb_js_dismiss_notice, (const char* id),
      { Module.pipeboardStorage.dismissNotice(UTF8ToString(id)); });
EM_JS(void, pb_js_note_export, (const char* file_name),
      { Module.pipeboardStorage.noteExport(UTF8ToString(file_name)); });
// The Blob takes its own copy of the bytes as it is made, so a view of the heap will do: a
// copy first cost a second at 100,000 deals.
EM_JS(void, pb_js_download, (const char* name, const char* mime, const char* bytes, int length), {
    Module.pipeboardDownload(UTF8ToString(name), UTF8ToString(mime),
                             HEAPU8.subarray(bytes, bytes + length));
});
EM_JS(void, pb_js_choose_file, (), { Module.pipeboardChooseFile(); });
// clang-format on

std::string text_at(const json& j, const char* key) {
    const auto found = j.find(key);
    return found != j.end() && found->is_string() ? found->get<std::string>() : std::string();
}

double number_at(const json& j, const char* key, double fallback) {
    const auto found = j.find(key);
    return found != j.end() && found->is_number() ? found->get<double>() : fallback;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string take_js_string(char* text) {
    if (!text) return {};
    std::string out(text);
    std::free(text);
    return out;
}

// The same rule as the core's merge: the winning revision, or the larger text when the two
// cannot be ordered, so every tab keeps the same version of a record.
bool incoming_wins(const std::string& local, const std::string& incoming) {
    if (pb::revision_wins(incoming, local)) return true;
    if (pb::revision_wins(local, incoming)) return false;
    return incoming > local;
}

std::string export_file_name(const pb::Workspace& ws, pb::Timestamp now, const char* extension) {
    std::string slug;
    for (const char c : ws.name) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            slug += static_cast<char>(std::tolower(u));
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
        if (slug.size() >= 40) break;
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.empty()) slug = "workspace";
    return "pipeboard-" + slug + "-" + pb::format_day(pb::day_of(now)) + "." + extension;
}

class WebDataServices final : public pb::ui::DataServices {
public:
    pb::ui::StorageStatus storage_status() const override { return status_; }

    std::vector<pb::ui::StorageNotice> notices() const override {
        std::vector<pb::ui::StorageNotice> all = own_notices_;
        all.insert(all.end(), shell_notices_.begin(), shell_notices_.end());
        return all;
    }

    void dismiss_notice(const std::string& id) override {
        std::erase_if(own_notices_, [&](const auto& notice) { return notice.id == id; });
        std::erase_if(shell_notices_, [&](const auto& notice) { return notice.id == id; });
        pb_js_dismiss_notice(id.c_str());
    }

    std::string export_json(pb::ui::PipeboardApp& app, pb::Timestamp now) override;
    std::string export_deals_csv(pb::ui::PipeboardApp& app, pb::Timestamp now) override;

    bool has_file_chooser() const override { return true; }
    void choose_import_file() override { pb_js_choose_file(); }
    void import_path(pb::ui::PipeboardApp&, const std::string&, pb::Timestamp) override {}

    std::string apply_import(pb::ui::PipeboardApp& app, pb::Workspace next,
                             const std::string& label, pb::Timestamp now) override;
    std::vector<pb::ui::KeptWorkspace> kept_workspaces() const override { return kept_; }
    void restore_kept(pb::ui::PipeboardApp&, const std::string& id, pb::Timestamp) override {
        pb_js_restore_kept(id.c_str());
    }

    void update_from_shell(const json& status);
    void add_notice(pb::ui::StorageNotice notice) {
        std::erase_if(own_notices_, [&](const auto& kept) { return kept.id == notice.id; });
        own_notices_.push_back(std::move(notice));
    }

private:
    pb::ui::StorageStatus status_;
    std::vector<pb::ui::StorageNotice> own_notices_;
    std::vector<pb::ui::StorageNotice> shell_notices_;
    std::vector<pb::ui::KeptWorkspace> kept_;
};

struct StorageGlue {
    pb::ui::PipeboardApp* app = nullptr;
    WebDataServices services;
    std::uint64_t change_seq = 0;
    bool store_whole_on_attach = false;
};

StorageGlue g_storage;

// One entry of the shell's queue: the records one command changed, after the change, plus
// the workspace entry (its settings count the changes since the last export).
void queue_records(const std::vector<std::string>& records) {
    const pb::Workspace& ws = g_storage.app->workspace();
    std::string text = "{\"seq\":" + std::to_string(++g_storage.change_seq) +
                       ",\"header\":" + pb::workspace_fields_json(ws) + ",\"records\":[";
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i > 0) text += ',';
        text += records[i];
    }
    text += "]}";
    pb_js_queue_changes(text.data(), static_cast<int>(text.size()));
}

template <typename Record>
void add_records(std::vector<std::string>& out,
                 const std::vector<pb::RecordChange<Record>>& changes) {
    for (const pb::RecordChange<Record>& change : changes) {
        out.push_back(pb::record_json_text(change.after));
    }
}

void queue_changes(const pb::ChangeSet& changes) {
    if (!g_storage.app) return;
    ++g_storage.app->workspace_outside_commands().settings.changes_since_export;
    std::vector<std::string> records;
    records.reserve(changes.size());
    add_records(records, changes.pipelines);
    add_records(records, changes.stages);
    add_records(records, changes.reps);
    add_records(records, changes.targets);
    add_records(records, changes.deals);
    add_records(records, changes.activities);
    add_records(records, changes.history);
    queue_records(records);
}

// Adds to `out` the records of `next` that are new or a winning revision of one in
// `current`; false when `next` drops a record or rolls one back.
template <typename Record>
bool collect_advanced(const std::vector<Record>& current, const std::vector<Record>& next,
                      std::vector<std::string>& out) {
    std::unordered_map<std::string_view, std::string_view> revisions;
    revisions.reserve(current.size());
    for (const Record& record : current) revisions.emplace(record.meta.id, record.meta.rev);
    std::size_t kept = 0;
    for (const Record& record : next) {
        const auto found = revisions.find(record.meta.id);
        if (found == revisions.end()) {
            out.push_back(pb::record_json_text(record));
            continue;
        }
        ++kept;
        if (found->second == record.meta.rev) continue;
        if (!incoming_wins(std::string(found->second), record.meta.rev)) return false;
        out.push_back(pb::record_json_text(record));
    }
    return kept == revisions.size();
}

// What to store when `next` only adds to or advances `current` (a merge): just those
// records, instead of the whole workspace. nullopt when only a whole save can say it.
std::optional<std::vector<std::string>> advanced_records(const pb::Workspace& current,
                                                         const pb::Workspace& next) {
    if (current.id != next.id) return std::nullopt;
    std::vector<std::string> out;
    if (collect_advanced(current.pipelines, next.pipelines, out) &&
        collect_advanced(current.stages, next.stages, out) &&
        collect_advanced(current.reps, next.reps, out) &&
        collect_advanced(current.targets, next.targets, out) &&
        collect_advanced(current.deals, next.deals, out) &&
        collect_advanced(current.activities, next.activities, out) &&
        collect_advanced(current.history, next.history, out)) {
        return out;
    }
    return std::nullopt;
}

void store_whole(const pb::Workspace& ws, bool first_save) {
    const std::string packed = pb::pack_records(ws);
    pb_js_save_whole(packed.data(), static_cast<int>(packed.size()),
                     pb::workspace_fields_json(ws).c_str(), static_cast<int>(ws.pipelines.size()),
                     first_save ? 1 : 0);
}

// Kept as the stored workspace is: its fields as a document of no records, and its records
// packed, the layers workspace_from_layers reads back.
void keep_workspace(const pb::Workspace& ws, const std::string& label) {
    const std::string fields = pb::workspace_fields_json(ws);
    const std::string packed = pb::pack_records(ws);
    pb_js_keep_workspace(label.c_str(), fields.c_str(), packed.data(),
                         static_cast<int>(packed.size()));
}

void refresh_status_from_shell() {
    const std::string text = take_js_string(pb_js_status_json());
    const json status = json::parse(text, nullptr, false);
    if (status.is_object()) g_storage.services.update_from_shell(status);
}

void storage_unusable(const std::string& reason) {
    pb_js_storage_unusable(reason.c_str());
    g_storage.services.add_notice(
        {"unreadable", "The pipeline stored in this browser could not be opened",
         reason + ". It is left untouched. This tab starts a new workspace in memory and saves "
                  "nothing; reload after updating Pipeboard, or import your last export.",
         true});
}

void report_load_problems(const std::vector<pb::LoadProblem>& problems) {
    json list = json::array();
    std::string shown;
    for (std::size_t i = 0; i < problems.size(); ++i) {
        list.push_back({{"path", problems[i].path}, {"message", problems[i].message}});
        if (i < kProblemsInNotice) shown += "\n" + problems[i].path + ": " + problems[i].message;
    }
    if (problems.size() > kProblemsInNotice) {
        shown += "\n… and " + std::to_string(problems.size() - kProblemsInNotice) + " more";
    }
    pb_js_report_load_problems(dump(list).c_str());
    g_storage.services.add_notice(
        {"damaged-records", "Some stored records could not be read completely",
         "They were loaded as far as possible and a copy of each, as it was stored, is kept "
         "aside in this browser:" +
             shown,
         false});
}

// [SECTION] Records another tab saved

// Bytes the shell put in the heap, empty when there are none.
std::string_view heap_view(const char* bytes, int length) {
    return std::string_view(bytes ? bytes : "",
                            bytes && length > 0 ? static_cast<std::size_t>(length) : 0);
}

pb::LoadResult load_layers(const char* top, int top_length, const char* base, int base_length) {
    return pb::workspace_from_layers(heap_view(top, top_length), heap_view(base, base_length));
}

enum class RemoteOutcome { Unchanged, Taken, OursWins };

// Takes another tab's revision of a record when it wins. When ours wins, the store holds the
// losing one (a tab leaving in a hurry writes without checking), so ours goes back to it.
template <typename Record>
RemoteOutcome take_remote(std::vector<Record>& records, std::optional<std::size_t> at,
                          Record&& incoming, std::vector<std::string>& ours_to_store) {
    if (!at) {
        records.push_back(std::move(incoming));
        return RemoteOutcome::Taken;
    }
    Record& local = records[*at];
    if (local.meta.rev == incoming.meta.rev) return RemoteOutcome::Unchanged;
    if (!incoming_wins(local.meta.rev, incoming.meta.rev)) {
        ours_to_store.push_back(pb::record_json_text(local));
        return RemoteOutcome::OursWins;
    }
    local = std::move(incoming);
    return RemoteOutcome::Taken;
}

template <typename Record>
RemoteOutcome take_remote(std::vector<Record>& records, std::optional<std::size_t> at,
                          const json& j, std::vector<pb::LoadProblem>& problems,
                          std::vector<std::string>& ours_to_store) {
    Record incoming;
    if (!pb::record_from_json(j, incoming, problems)) return RemoteOutcome::Unchanged;
    return take_remote(records, at, std::move(incoming), ours_to_store);
}

// Every record of `stored` through the same rule; returns how many changed here.
template <typename Record, typename Find>
int take_remote_all(std::vector<Record>& records, std::vector<Record>&& stored, Find find,
                    std::vector<std::string>& ours_to_store) {
    int changed = 0;
    for (Record& record : stored) {
        const std::optional<std::size_t> at = find(record.meta.id);
        if (take_remote(records, at, std::move(record), ours_to_store) == RemoteOutcome::Taken) {
            ++changed;
        }
    }
    return changed;
}

RemoteOutcome take_remote_record(pb::Workspace& ws, const pb::WorkspaceIndex& index, const json& j,
                                 std::vector<pb::LoadProblem>& problems,
                                 std::vector<std::string>& ours) {
    const std::string kind = text_at(j, "kind");
    const std::string id = text_at(j, "_id");
    if (kind == "deal") return take_remote(ws.deals, index.deal_index(id), j, problems, ours);
    if (kind == "activity") {
        return take_remote(ws.activities, index.activity_index(id), j, problems, ours);
    }
    if (kind == "history") {
        return take_remote(ws.history, index.history_index(id), j, problems, ours);
    }
    if (kind == "stage") return take_remote(ws.stages, index.stage_index(id), j, problems, ours);
    if (kind == "pipeline") {
        return take_remote(ws.pipelines, index.pipeline_index(id), j, problems, ours);
    }
    if (kind == "rep") return take_remote(ws.reps, index.rep_index(id), j, problems, ours);
    if (kind == "target") return take_remote(ws.targets, index.target_index(id), j, problems, ours);
    return RemoteOutcome::Unchanged;
}

// Takes the workspace fields of `head` (its records are left alone). Returns true when this
// tab's count of changes since the export is ahead of the stored one, which then has to be
// written back for the tabs to agree.
bool take_remote_fields(pb::Workspace& ws, pb::Workspace& head) {
    ws.name = std::move(head.name);
    ws.currency = head.currency;
    ws.lists = std::move(head.lists);
    pb::WorkspaceSettings ours = std::move(ws.settings);
    ws.settings = std::move(head.settings);
    const bool ours_ahead = pb::meet_export_counts(ours, ws.settings);
    ws.settings.last_export_at = ours.last_export_at;
    ws.settings.changes_since_export = ours.changes_since_export;
    ws.unknown_fields_json = std::move(head.unknown_fields_json);
    return ours_ahead;
}

bool take_remote_header(pb::Workspace& ws, const json& header) {
    pb::LoadResult loaded = pb::workspace_from_json(dump(header));
    return loaded.ok() && take_remote_fields(ws, *loaded.workspace);
}

void WebDataServices::update_from_shell(const json& status) {
    const std::string state = text_at(status, "state");
    status_.state = state == "saving"   ? pb::ui::SaveState::Saving
                    : state == "failed" ? pb::ui::SaveState::Failed
                    : state == "memory" ? pb::ui::SaveState::MemoryOnly
                                        : pb::ui::SaveState::Saved;
    status_.reason = text_at(status, "reason");
    status_.last_saved_at =
        static_cast<pb::Timestamp>(number_at(status, "lastSavedAt", 0) / 1000.0);
    const auto persistent = status.find("persistent");
    status_.persistent = persistent != status.end() && persistent->is_boolean()
                             ? std::optional<bool>(persistent->get<bool>())
                             : std::nullopt;
    status_.usage_bytes = static_cast<std::int64_t>(number_at(status, "usage", -1));
    status_.quota_bytes = static_cast<std::int64_t>(number_at(status, "quota", -1));
    status_.location = text_at(status, "location");

    shell_notices_.clear();
    if (const auto notices = status.find("notices");
        notices != status.end() && notices->is_array()) {
        for (const json& notice : *notices) {
            const auto offers = notice.find("offersImport");
            shell_notices_.push_back(
                {text_at(notice, "id"), text_at(notice, "title"), text_at(notice, "text"),
                 offers != notice.end() && offers->is_boolean() && offers->get<bool>()});
        }
    }
    kept_.clear();
    if (const auto kept = status.find("kept"); kept != status.end() && kept->is_array()) {
        for (const json& entry : *kept) {
            kept_.push_back({text_at(entry, "id"), text_at(entry, "label"),
                             static_cast<pb::Timestamp>(number_at(entry, "takenAt", 0) / 1000.0)});
        }
    }
}

std::string WebDataServices::export_json(pb::ui::PipeboardApp& app, pb::Timestamp now) {
    const std::string text = pb::export_workspace_json(app.workspace(), now);
    const std::string file = export_file_name(app.workspace(), now, "json");
    pb_js_download(file.c_str(), "application/json", text.data(), static_cast<int>(text.size()));
    pb::WorkspaceSettings& settings = app.workspace_outside_commands().settings;
    settings.last_export_at = now;
    settings.changes_since_export = 0;
    app.changed_outside_commands(false);
    queue_records({});
    pb_js_note_export(file.c_str());
    return "Exported '" + app.workspace().name + "' (" +
           pb::ui::describe_contents(app.workspace()) + ") to your downloads as " + file;
}

std::string WebDataServices::export_deals_csv(pb::ui::PipeboardApp& app, pb::Timestamp now) {
    const std::string text = pb::export_deals_csv(app.workspace());
    const std::string file = export_file_name(app.workspace(), now, "csv");
    pb_js_download(file.c_str(), "text/csv", text.data(), static_cast<int>(text.size()));
    return "Exported the deals to your downloads as " + file;
}

std::string WebDataServices::apply_import(pb::ui::PipeboardApp& app, pb::Workspace next,
                                          const std::string& label, pb::Timestamp) {
    keep_workspace(app.workspace(), label);
    const std::optional<std::vector<std::string>> advanced =
        advanced_records(app.workspace(), next);
    app.replace_workspace(std::move(next));
    if (advanced && advanced->size() <= kMostRecordsWrittenOneByOne) {
        queue_records(*advanced);
    } else {
        store_whole(app.workspace(), false);
    }
    // The notice about a cleared browser has done its job once an export is back.
    dismiss_notice("wiped");
    if (status_.state == pb::ui::SaveState::MemoryOnly) {
        return "Imported into this tab only: nothing is saved (" + status_.reason + ").";
    }
    return "Imported. The workspace from before is kept: Data > Restore puts it back.";
}

}  // namespace

namespace pb::platform::web {

Workspace load_initial_workspace(IdGenerator& ids, Timestamp now) {
    pb_js_install_helpers();
    const int source = pb_js_initial_source();
    if (source == kStored) {
        int base_length = 0;
        char* base = pb_js_initial_base(&base_length);
        char* text = pb_js_initial_state();
        if (!text || base_length < 0) {
            std::free(base);
            std::free(text);
            storage_unusable("There is not enough memory to load the stored pipeline");
        } else {
            LoadResult loaded =
                workspace_from_layers(std::string_view(text), heap_view(base, base_length));
            std::free(base);
            std::free(text);
            if (loaded.ok()) {
                if (!loaded.problems.empty()) report_load_problems(loaded.problems);
                return std::move(*loaded.workspace);
            }
            storage_unusable(loaded.error);
        }
    } else if (source == kNothingStored) {
        g_storage.store_whole_on_attach = true;
    }
    return make_workspace("My pipeline", ids, now);
}

void attach_storage(ui::PipeboardApp& app) {
    g_storage.app = &app;
    app.data_view().set_services(&g_storage.services);
    app.set_change_listener(queue_changes);
    app.set_replace_listener([](const Workspace& ws) { store_whole(ws, false); });
    // Settings travel in the workspace entry, which every queued change carries.
    app.set_settings_listener([] { queue_records({}); });
    refresh_status_from_shell();
    app.welcome().offer(app);
    if (g_storage.store_whole_on_attach) {
        g_storage.store_whole_on_attach = false;
        store_whole(app.workspace(), true);
    }
}

void store_replaced_workspace(ui::PipeboardApp& app) { store_whole(app.workspace(), false); }

void download(const std::string& file_name, const char* mime, std::string_view bytes) {
    pb_js_download(file_name.c_str(), mime, bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace pb::platform::web

// [SECTION] Exported to the shell (see shell/storage.js and shell/pipeboard-shell.js)
extern "C" {

// The shell's save state changed (saving, saved, failed, notices, kept workspaces).
EMSCRIPTEN_KEEPALIVE void pb_storage_changed(const char* status_json) {
    const json status = json::parse(status_json ? status_json : "", nullptr, false);
    if (status.is_object()) g_storage.services.update_from_shell(status);
}

// Records and the workspace entry another tab saved: {"header": {...} | null, "records": [...]}.
// Each record replaces ours only when its revision wins, as in a merge. Returns how many
// records changed here.
EMSCRIPTEN_KEEPALIVE int pb_apply_remote(const char* text) {
    if (!g_storage.app) return 0;
    const json batch = json::parse(text ? text : "", nullptr, false);
    if (!batch.is_object()) return 0;
    pb::ui::PipeboardApp& app = *g_storage.app;
    pb::Workspace& ws = app.workspace_outside_commands();
    bool header_to_store = false;
    if (const auto header = batch.find("header"); header != batch.end() && header->is_object()) {
        header_to_store = take_remote_header(ws, *header);
    }
    int changed = 0;
    std::vector<pb::LoadProblem> problems;
    std::vector<std::string> ours_to_store;
    if (const auto records = batch.find("records"); records != batch.end() && records->is_array()) {
        const pb::WorkspaceIndex& index = app.session().index();
        for (const json& record : *records) {
            if (take_remote_record(ws, index, record, problems, ours_to_store) ==
                RemoteOutcome::Taken) {
                ++changed;
            }
        }
    }
    app.changed_outside_commands(changed > 0);
    if (!ours_to_store.empty() || header_to_store) queue_records(ours_to_store);
    return changed;
}

// Another tab replaced the whole workspace (an import or a restore): take the stored one,
// given as its two layers (see workspace_from_layers).
EMSCRIPTEN_KEEPALIVE void pb_reload_from_storage(const char* top, int top_length, const char* base,
                                                 int base_length) {
    if (!g_storage.app) return;
    pb::LoadResult loaded = load_layers(top, top_length, base, base_length);
    if (loaded.ok()) g_storage.app->replace_workspace(std::move(*loaded.workspace));
}

// This tab missed changes the log no longer holds: every stored record goes through the
// revision rule of a single change, so edits made here and not stored yet stay.
EMSCRIPTEN_KEEPALIVE void pb_merge_from_storage(const char* top, int top_length, const char* base,
                                                int base_length) {
    if (!g_storage.app) return;
    pb::LoadResult loaded = load_layers(top, top_length, base, base_length);
    if (!loaded.ok()) return;
    pb::Workspace& stored = *loaded.workspace;
    pb::ui::PipeboardApp& app = *g_storage.app;
    pb::Workspace& ws = app.workspace_outside_commands();
    const bool header_to_store = take_remote_fields(ws, stored);
    const pb::WorkspaceIndex& index = app.session().index();
    std::vector<std::string> ours;
    const auto by = [&index](auto find) {
        return [&index, find](const std::string& id) { return (index.*find)(id); };
    };
    int changed = 0;
    changed += take_remote_all(ws.pipelines, std::move(stored.pipelines),
                               by(&pb::WorkspaceIndex::pipeline_index), ours);
    changed += take_remote_all(ws.stages, std::move(stored.stages),
                               by(&pb::WorkspaceIndex::stage_index), ours);
    changed +=
        take_remote_all(ws.reps, std::move(stored.reps), by(&pb::WorkspaceIndex::rep_index), ours);
    changed += take_remote_all(ws.targets, std::move(stored.targets),
                               by(&pb::WorkspaceIndex::target_index), ours);
    changed += take_remote_all(ws.deals, std::move(stored.deals),
                               by(&pb::WorkspaceIndex::deal_index), ours);
    changed += take_remote_all(ws.activities, std::move(stored.activities),
                               by(&pb::WorkspaceIndex::activity_index), ours);
    changed += take_remote_all(ws.history, std::move(stored.history),
                               by(&pb::WorkspaceIndex::history_index), ours);
    app.changed_outside_commands(changed > 0);
    if (!ours.empty() || header_to_store) queue_records(ours);
}

// The shell folds the records written since the base into a new base: every record of the
// workspace, packed.
EMSCRIPTEN_KEEPALIVE void pb_hand_over_document() {
    if (!g_storage.app) return;
    const pb::Workspace& ws = g_storage.app->workspace();
    const std::string packed = pb::pack_records(ws);
    pb_js_hand_over(packed.data(), static_cast<int>(packed.size()),
                    static_cast<int>(ws.pipelines.size()));
}

// A file chosen in the file picker or dropped on the page: show its preview.
EMSCRIPTEN_KEEPALIVE void pb_import_file(const char* name, const char* bytes, int length) {
    if (!g_storage.app) return;
    const std::string_view content = heap_view(bytes, length);
    pb::ui::PreparedImport prepared =
        pb::ui::prepare_import(g_storage.app->workspace(), name ? name : "file", content,
                               pb::platform::now(), pb::platform::entropy_seed());
    g_storage.app->data_view().offer_import(std::move(prepared));
}

// A kept workspace read back for a restore, as its two layers (one JSON document and no base
// when it was kept before schema version 4); the current one is kept in turn.
EMSCRIPTEN_KEEPALIVE void pb_kept_workspace_loaded(const char* label, const char* top,
                                                   int top_length, const char* base,
                                                   int base_length) {
    if (!g_storage.app) return;
    pb::ui::PipeboardApp& app = *g_storage.app;
    const pb::Timestamp now = pb::platform::now();
    pb::LoadResult loaded = load_layers(top, top_length, base, base_length);
    if (!loaded.ok()) {
        app.data_view().show_message("The kept workspace could not be read: " + loaded.error, now);
        return;
    }
    const std::string shown = label ? label : "the kept workspace";
    keep_workspace(app.workspace(), "Before restoring '" + shown + "'");
    app.replace_workspace(std::move(*loaded.workspace));
    store_whole(app.workspace(), false);
    app.data_view().show_message("Restored: " + shown, now);
}

// A message from the shell for the user (a file that could not be read, a failed download).
EMSCRIPTEN_KEEPALIVE void pb_show_message(const char* text) {
    if (g_storage.app && text) g_storage.app->data_view().show_message(text, pb::platform::now());
}

}  // extern "C"

// Files rather than a database: a desktop user can back up or sync the folder with the tools
// they already have. Each save writes a temporary file, flushes it to disk and renames it
// over the old one, so the file on disk is always one whole workspace.
#include "platform/desktop/desktop_storage.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/commands.hpp"
#include "core/csv.hpp"
#include "core/json_format.hpp"
#include "platform/platform.hpp"
#include "ui/app.hpp"
#include "ui/data_services.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr auto kSaveDelay = std::chrono::milliseconds(300);
constexpr auto kRetryDelay = std::chrono::seconds(5);
constexpr std::size_t kKeptWorkspaces = 3;
constexpr const char* kWorkspaceFile = "workspace.json";
constexpr const char* kKeptIndexFile = "kept.json";

using Clock = std::chrono::steady_clock;

fs::path data_dir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return fs::path(xdg) / "pipeboard";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : ".") / ".local" / "share" / "pipeboard";
}

fs::path export_dir() {
    const char* home = std::getenv("HOME");
    if (home && *home) {
        std::error_code error;
        const fs::path downloads = fs::path(home) / "Downloads";
        if (fs::is_directory(downloads, error)) return downloads;
    }
    return data_dir() / "exports";
}

// The file's bytes, or nullopt with `error` set.
std::optional<std::string> read_file(const fs::path& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open " + path.string() + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) {
        error = "cannot read " + path.string();
        return std::nullopt;
    }
    return std::move(out).str();
}

// Writes `text` to `path` through a temporary file that is flushed and renamed, so a crash
// leaves either the old file or the new one. Returns "" or what went wrong.
std::string write_file_atomically(const fs::path& path, std::string_view text) {
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error) return "cannot create " + path.parent_path().string() + ": " + error.message();
    const fs::path temporary = path.string() + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot write " + temporary.string() + ": " + std::strerror(errno);
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string reason = std::strerror(errno);
            ::close(fd);
            fs::remove(temporary, error);
            return "cannot write " + temporary.string() + ": " + reason;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        fs::remove(temporary, error);
        return "cannot flush " + temporary.string() + ": " + reason;
    }
    fs::rename(temporary, path, error);
    if (error) return "cannot replace " + path.string() + ": " + error.message();
    return "";
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

class DesktopDataServices final : public pb::ui::DataServices {
public:
    pb::ui::StorageStatus storage_status() const override {
        pb::ui::StorageStatus status;
        status.location = (data_dir() / kWorkspaceFile).string();
        status.last_saved_at = last_saved_at_;
        if (!memory_reason_.empty()) {
            status.state = pb::ui::SaveState::MemoryOnly;
            status.reason = memory_reason_;
        } else if (!failure_.empty()) {
            status.state = pb::ui::SaveState::Failed;
            status.reason = failure_;
        } else if (dirty_) {
            status.state = pb::ui::SaveState::Saving;
        }
        return status;
    }
    std::vector<pb::ui::StorageNotice> notices() const override { return notices_; }
    void dismiss_notice(const std::string& id) override {
        std::erase_if(notices_, [&](const auto& notice) { return notice.id == id; });
    }

    std::string export_json(pb::ui::PipeboardApp& app, pb::Timestamp now) override {
        const fs::path path = export_dir() / export_file_name(app.workspace(), now, "json");
        const std::string problem =
            write_file_atomically(path, pb::export_workspace_json(app.workspace(), now));
        if (!problem.empty()) return "The export failed: " + problem;
        pb::WorkspaceSettings& settings = app.workspace_outside_commands().settings;
        settings.last_export_at = now;
        settings.changes_since_export = 0;
        app.changed_outside_commands(false);
        mark_dirty();
        return "Exported '" + app.workspace().name + "' to " + path.string();
    }

    std::string export_deals_csv(pb::ui::PipeboardApp& app, pb::Timestamp now) override {
        const fs::path path = export_dir() / export_file_name(app.workspace(), now, "csv");
        const std::string problem =
            write_file_atomically(path, pb::export_deals_csv(app.workspace()));
        return problem.empty() ? "Exported the deals to " + path.string()
                               : "The export failed: " + problem;
    }

    bool has_file_chooser() const override { return false; }
    void choose_import_file() override {}
    void import_path(pb::ui::PipeboardApp& app, const std::string& path,
                     pb::Timestamp now) override {
        std::string error;
        const std::optional<std::string> bytes = read_file(path, error);
        if (!bytes) {
            pb::ui::PreparedImport failed;
            failed.file_name = path;
            failed.format = "file";
            failed.error = error;
            app.data_view().offer_import(std::move(failed));
            return;
        }
        app.data_view().offer_import(
            pb::ui::prepare_import(app.workspace(), fs::path(path).filename().string(), *bytes, now,
                                   pb::platform::entropy_seed()));
    }

    std::string apply_import(pb::ui::PipeboardApp& app, pb::Workspace next,
                             const std::string& label, pb::Timestamp now) override {
        const std::string kept = keep(app.workspace(), label, now);
        if (!memory_reason_.empty()) {
            // The unreadable file is moved aside, never overwritten, before saving again.
            std::error_code error;
            const fs::path path = data_dir() / kWorkspaceFile;
            fs::rename(path, path.string() + ".unreadable-" + std::to_string(now), error);
            if (error)
                return "Nothing was imported: " + path.string() + " could not be moved aside (" +
                       error.message() + ")";
            memory_reason_.clear();
            dismiss_notice("unreadable");
        }
        app.replace_workspace(std::move(next));
        mark_dirty();
        save();
        return kept.empty()
                   ? "Imported. The workspace from before is kept: Data > Restore puts it back."
                   : "Imported, but the workspace from before could not be kept: " + kept;
    }

    std::vector<pb::ui::KeptWorkspace> kept_workspaces() const override { return kept_index(); }

    void restore_kept(pb::ui::PipeboardApp& app, const std::string& id,
                      pb::Timestamp now) override {
        std::string error;
        const std::optional<std::string> text =
            read_file(data_dir() / "kept" / (id + ".json"), error);
        pb::LoadResult loaded = text ? pb::workspace_from_json(*text) : pb::LoadResult{};
        if (!loaded.ok()) {
            app.data_view().show_message(
                "The kept workspace could not be read: " + (text ? loaded.error : error), now);
            return;
        }
        std::string label = "the kept workspace";
        for (const pb::ui::KeptWorkspace& entry : kept_index()) {
            if (entry.id == id) label = entry.label;
        }
        keep(app.workspace(), "Before restoring '" + label + "'", now);
        app.replace_workspace(std::move(*loaded.workspace));
        mark_dirty();
        save();
        app.data_view().show_message("Restored: " + label, now);
    }

    void attach(pb::ui::PipeboardApp& app) { app_ = &app; }
    void mark_dirty() {
        if (!dirty_) due_ = Clock::now() + kSaveDelay;
        dirty_ = true;
    }
    void set_memory_only(std::string reason) { memory_reason_ = std::move(reason); }
    void add_notice(pb::ui::StorageNotice notice) { notices_.push_back(std::move(notice)); }

    void save_if_due() {
        if (dirty_ && Clock::now() >= due_) save();
    }

    double seconds_to_save() const {
        if (!dirty_) return std::numeric_limits<double>::infinity();
        return std::max(0.0, std::chrono::duration<double>(due_ - Clock::now()).count());
    }

    void save() {
        if (!dirty_ || !app_ || !memory_reason_.empty()) return;
        const std::string problem = write_file_atomically(data_dir() / kWorkspaceFile,
                                                          pb::workspace_to_json(app_->workspace()));
        if (problem.empty()) {
            dirty_ = false;
            failure_.clear();
            last_saved_at_ = pb::platform::now();
        } else {
            failure_ = problem;
            due_ = Clock::now() + kRetryDelay;
        }
    }

private:
    std::vector<pb::ui::KeptWorkspace> kept_index() const {
        std::string error;
        const std::optional<std::string> text = read_file(data_dir() / kKeptIndexFile, error);
        std::vector<pb::ui::KeptWorkspace> kept;
        const json index = text ? json::parse(*text, nullptr, false) : json();
        if (!index.is_array()) return kept;
        for (const json& entry : index) {
            if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) continue;
            pb::ui::KeptWorkspace item;
            item.id = entry["id"].get<std::string>();
            if (entry.contains("label") && entry["label"].is_string()) item.label = entry["label"];
            if (entry.contains("taken_at") && entry["taken_at"].is_number_integer()) {
                item.taken_at = entry["taken_at"].get<pb::Timestamp>();
            }
            kept.push_back(std::move(item));
        }
        return kept;
    }

    // Stores `ws` as a kept workspace, newest first, dropping the oldest beyond the limit.
    // Returns "" or what went wrong.
    std::string keep(const pb::Workspace& ws, const std::string& label, pb::Timestamp now) {
        std::vector<pb::ui::KeptWorkspace> kept = kept_index();
        const std::string id = "kept-" + std::to_string(now) + "-" + std::to_string(kept.size());
        const std::string problem =
            write_file_atomically(data_dir() / "kept" / (id + ".json"), pb::workspace_to_json(ws));
        if (!problem.empty()) return problem;
        kept.insert(kept.begin(), {id, label, now});
        std::error_code error;
        while (kept.size() > kKeptWorkspaces) {
            fs::remove(data_dir() / "kept" / (kept.back().id + ".json"), error);
            kept.pop_back();
        }
        json index = json::array();
        for (const pb::ui::KeptWorkspace& entry : kept) {
            index.push_back(
                {{"id", entry.id}, {"label", entry.label}, {"taken_at", entry.taken_at}});
        }
        return write_file_atomically(data_dir() / kKeptIndexFile,
                                     index.dump(2, ' ', false, json::error_handler_t::replace));
    }

    pb::ui::PipeboardApp* app_ = nullptr;
    bool dirty_ = false;
    Clock::time_point due_{};
    std::string failure_;
    std::string memory_reason_;
    pb::Timestamp last_saved_at_ = 0;
    std::vector<pb::ui::StorageNotice> notices_;
};

DesktopDataServices g_services;
pb::ui::PipeboardApp* g_app = nullptr;

}  // namespace

namespace pb::platform::desktop {

Workspace load_initial_workspace(IdGenerator& ids, Timestamp now) {
    const fs::path path = data_dir() / kWorkspaceFile;
    std::error_code error;
    if (!fs::exists(path, error)) {
        g_services.mark_dirty();
        return make_workspace("My pipeline", ids, now);
    }
    std::string problem;
    const std::optional<std::string> text = read_file(path, problem);
    LoadResult loaded = text ? workspace_from_json(*text) : LoadResult{};
    if (loaded.ok()) {
        if (!loaded.problems.empty()) {
            std::string shown;
            for (std::size_t i = 0; i < loaded.problems.size() && i < 5; ++i) {
                shown += "\n" + loaded.problems[i].path + ": " + loaded.problems[i].message;
            }
            g_services.add_notice({"damaged-records",
                                   "Some stored records could not be read completely",
                                   "They were loaded as far as possible; the file is rewritten "
                                   "on the next change, so keep a copy of " +
                                       path.string() + " if you need them:" + shown,
                                   false});
        }
        return std::move(*loaded.workspace);
    }
    const std::string reason = text ? loaded.error : problem;
    g_services.set_memory_only("the stored workspace could not be read");
    g_services.add_notice({"unreadable", "The stored workspace could not be opened",
                           reason + ". " + path.string() +
                               " is left untouched; this window works in memory and saves "
                               "nothing. Import an export to carry on.",
                           true});
    return make_workspace("My pipeline", ids, now);
}

void attach_storage(ui::PipeboardApp& app) {
    g_app = &app;
    g_services.attach(app);
    app.data_view().set_services(&g_services);
    app.set_change_listener([](const ChangeSet&) {
        if (!g_app) return;
        ++g_app->workspace_outside_commands().settings.changes_since_export;
        g_services.mark_dirty();
    });
    app.set_replace_listener([](const Workspace&) { g_services.mark_dirty(); });
    app.set_settings_listener([] { g_services.mark_dirty(); });
    app.welcome().offer(app);
}

void save_if_due() { g_services.save_if_due(); }

double seconds_to_save() { return g_services.seconds_to_save(); }

void save_now() { g_services.save(); }

void import_dropped_file(const char* path) {
    if (g_app && path) g_services.import_path(*g_app, path, platform::now());
}

std::string save_download(const std::string& file_name, std::string_view bytes) {
    const fs::path path = export_dir() / file_name;
    const std::string problem = write_file_atomically(path, bytes);
    return problem.empty() ? "Saved " + path.string() : "The download failed: " + problem;
}

}  // namespace pb::platform::desktop

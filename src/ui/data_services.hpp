// What the Data UI asks of the platform (storage status, exports, imports, restoring the
// workspace kept before an import), implemented per platform: IndexedDB through the JS shell
// on the web, files under the user's data folder on the desktop. Also the platform-free half
// of an import: reading the file and working out the preview before anything is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/merge.hpp"
#include "core/workspace.hpp"

namespace pb::ui {

class PipeboardApp;

enum class SaveState {
    Saved,       // every change made so far is stored
    Saving,      // changes are queued or being written
    Failed,      // the last write failed (reason); the changes stay in memory and are retried
    MemoryOnly,  // storage cannot be used (reason); nothing is written, nothing is overwritten
};

struct StorageStatus {
    SaveState state = SaveState::Saved;
    std::string reason;
    Timestamp last_saved_at = 0;
    // The answer to navigator.storage.persist(); nullopt while unknown or on the desktop.
    std::optional<bool> persistent;
    std::int64_t usage_bytes = -1;  // -1 when unknown
    std::int64_t quota_bytes = -1;
    std::string location;  // where the data lives, in words: "this browser (IndexedDB)"
};

// A message about the stored data that stays until the user dismisses it or acts on it.
struct StorageNotice {
    std::string id;  // "wiped", "damaged-records", "storage", ...
    std::string title;
    std::string text;
    bool offers_import = false;  // show an "Import a file" button
};

// A copy of the workspace kept before an import (or a restore), newest first.
struct KeptWorkspace {
    std::string id;
    std::string label;  // "Before importing 'northwind.json'"
    Timestamp taken_at = 0;
};

enum class ImportChoice { Merge, Replace };

// A file read and compared with the current workspace; nothing is written until the user
// applies one of the offered workspaces.
struct PreparedImport {
    std::string file_name;
    std::string format;  // "JSON" or "CSV"
    // Non-empty when the file cannot be imported at all; `problems` then says precisely where.
    std::string error;
    // Everything that could not be read ("/deals/3/value: ..." or "line 14: ..."): parts
    // left out or set to their defaults.
    std::vector<std::string> problems;
    // What the file holds: a JSON export's workspace, or for a CSV this workspace plus the
    // file's deals. Applying merges it into the workspace as it is then (merge_workspaces),
    // or, when `replaceable`, puts it in the workspace's place. Only this one copy is kept
    // while the preview is open, so a large file needs no more memory than it must.
    std::optional<Workspace> incoming;
    bool replaceable = false;     // a whole workspace (JSON), not rows to add
    MergeReport report;           // what merging changes
    bool same_workspace = false;  // the file is an export of this very workspace
    ImportChoice suggested = ImportChoice::Merge;
    bool ok() const { return error.empty(); }
};

// Reads a JSON document or a CSV of deals (told apart by the name, then the content) and
// prepares both ways of applying it. `now` and `id_seed` stamp the records a CSV creates.
PreparedImport prepare_import(const Workspace& current, std::string file_name,
                              std::string_view bytes, Timestamp now, std::uint64_t id_seed);

// "12,345": a count with its thousands grouped.
std::string with_thousands(std::int64_t value);
// "Added", "Updated", "Deleted" or "Conflict".
const char* action_name(MergeAction action);
// One line per action that occurs in `report`, counting its records by kind:
// "Added: 1,000 deals, 1,516 history events".
std::vector<std::string> summarize_report(const MergeReport& report);

// "12 deals, 30 activities, 7 stages" of the live records (deals always, the rest when
// there are any), for the replace preview and messages.
std::string describe_contents(const Workspace& workspace);

// "Export" when the last one is old or many changes were made since; "" otherwise.
std::string export_reminder(const Workspace& workspace, Timestamp now);

class DataServices {
public:
    virtual ~DataServices() = default;

    virtual StorageStatus storage_status() const = 0;
    virtual std::vector<StorageNotice> notices() const = 0;
    virtual void dismiss_notice(const std::string& id) = 0;

    // Each returns what to tell the user ("Exported to Downloads as ...", or why not).
    virtual std::string export_json(PipeboardApp& app, Timestamp now) = 0;
    virtual std::string export_deals_csv(PipeboardApp& app, Timestamp now) = 0;

    // The browser opens its file chooser; the file arrives later through the platform. Where
    // there is no chooser (the desktop) the UI asks for a path and calls import_path.
    virtual bool has_file_chooser() const = 0;
    virtual void choose_import_file() = 0;
    virtual void import_path(PipeboardApp& app, const std::string& path, Timestamp now) = 0;

    // Keeps the current workspace (see kept_workspaces), puts `next` in its place and stores
    // it whole. Returns what to tell the user.
    virtual std::string apply_import(PipeboardApp& app, Workspace next, const std::string& label,
                                     Timestamp now) = 0;
    virtual std::vector<KeptWorkspace> kept_workspaces() const = 0;
    // Puts a kept workspace back (the current one is kept in turn); may finish later.
    virtual void restore_kept(PipeboardApp& app, const std::string& id, Timestamp now) = 0;
};

}  // namespace pb::ui

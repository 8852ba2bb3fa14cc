// The platform-free half of importing: reading the file, merging it into a copy of the
// workspace for the preview, and the export reminder's rules.
#include "ui/data_services.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <map>

#include "core/csv.hpp"
#include "core/json_format.hpp"

namespace pb::ui {

namespace {

// A long list of problems is cut here; the count of the rest is still given.
constexpr std::size_t kMaxProblemsShown = 50;
constexpr std::int64_t kReminderDays = 7;
constexpr std::int64_t kReminderChanges = 100;

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    const std::string_view tail = text.substr(text.size() - suffix.size());
    return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

bool looks_like_json(std::string_view bytes) {
    std::size_t i = 0;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
    return i < bytes.size() && (bytes[i] == '{' || bytes[i] == '[');
}

template <typename Record>
std::int64_t live_count(const std::vector<Record>& records) {
    return std::count_if(records.begin(), records.end(),
                         [](const Record& r) { return !r.meta.deleted; });
}

// Stops at the first live record: the top bar asks every frame, and counting 100,000 deals
// took a third of a millisecond of each frame in the page.
template <typename Record>
bool any_live(const std::vector<Record>& records) {
    return std::any_of(records.begin(), records.end(),
                       [](const Record& r) { return !r.meta.deleted; });
}

void add_count(std::string& out, std::int64_t count, const char* one, const char* many) {
    if (!out.empty()) out += ", ";
    out += with_thousands(count) + " " + (count == 1 ? one : many);
}

const char* kind_plural(const std::string& kind) {
    static const std::map<std::string, const char*> kPlurals = {{"deal", "deals"},
                                                                {"activity", "activities"},
                                                                {"stage", "stages"},
                                                                {"pipeline", "pipelines"},
                                                                {"rep", "reps"},
                                                                {"target", "targets"},
                                                                {"history", "history events"},
                                                                {"workspace", "workspace fields"},
                                                                {"list", "lists"}};
    const auto found = kPlurals.find(kind);
    return found == kPlurals.end() ? kind.c_str() : found->second;
}

void keep_problem(PreparedImport& prepared, std::string text, std::size_t total) {
    if (prepared.problems.size() < kMaxProblemsShown) {
        prepared.problems.push_back(std::move(text));
    } else if (prepared.problems.size() == kMaxProblemsShown) {
        prepared.problems.push_back(
            "… and " + with_thousands(static_cast<std::int64_t>(total - kMaxProblemsShown)) +
            " more");
    }
}

void prepare_json(PreparedImport& prepared, const Workspace& current, std::string_view bytes) {
    prepared.format = "JSON";
    LoadResult loaded = workspace_from_json(bytes);
    for (const LoadProblem& problem : loaded.problems) {
        keep_problem(prepared,
                     (problem.path.empty() ? std::string() : problem.path + ": ") + problem.message,
                     loaded.problems.size());
    }
    if (!loaded.ok()) {
        prepared.error =
            loaded.error.empty() ? "The file is not a Pipeboard workspace" : loaded.error;
        return;
    }
    if (loaded.workspace->pipelines.empty()) {
        prepared.error = "The file holds no pipeline, so it is not a usable Pipeboard workspace";
        return;
    }
    prepared.same_workspace = !current.id.empty() && loaded.workspace->id == current.id;
    prepared.report = merge_report(current, *loaded.workspace);
    prepared.incoming = std::move(*loaded.workspace);
    prepared.replaceable = true;
    // Another workspace over one that holds no deals yet (a fresh start, a cleared browser)
    // is meant to take its place; anything else is merged unless the user says otherwise.
    prepared.suggested = !prepared.same_workspace && !any_live(current.deals)
                             ? ImportChoice::Replace
                             : ImportChoice::Merge;
}

void prepare_csv(PreparedImport& prepared, const Workspace& current, std::string_view bytes,
                 Timestamp now, std::uint64_t id_seed) {
    prepared.format = "CSV";
    Workspace imported = current;
    CsvImportOptions options;
    options.now = now;
    options.id_seed = id_seed;
    options.adopt_file_currency = !any_live(current.deals);
    const CsvImportReport report = import_deals_csv(imported, bytes, options);
    for (const CsvProblem& problem : report.problems) {
        keep_problem(prepared, describe(problem), report.problems.size());
    }
    if (!report.ok()) {
        prepared.error = report.error;
        return;
    }
    if (report.imported == 0) {
        prepared.error = "No deal in the file could be read";
        return;
    }
    prepared.report = merge_report(current, imported);
    prepared.incoming = std::move(imported);
    prepared.suggested = ImportChoice::Merge;
}

}  // namespace

PreparedImport prepare_import(const Workspace& current, std::string file_name,
                              std::string_view bytes, Timestamp now, std::uint64_t id_seed) {
    PreparedImport prepared;
    prepared.file_name = std::move(file_name);
    if (bytes.empty()) {
        prepared.format = ends_with_ignoring_case(prepared.file_name, ".csv") ? "CSV" : "JSON";
        prepared.error = "The file is empty";
        return prepared;
    }
    const bool csv =
        ends_with_ignoring_case(prepared.file_name, ".csv") ||
        (!ends_with_ignoring_case(prepared.file_name, ".json") && !looks_like_json(bytes));
    if (csv) {
        prepare_csv(prepared, current, bytes, now, id_seed);
    } else {
        prepare_json(prepared, current, bytes);
    }
    return prepared;
}

std::string with_thousands(std::int64_t value) {
    const std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    if (value < 0) out += '-';
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

const char* action_name(MergeAction action) {
    switch (action) {
        case MergeAction::Added:
            return "Added";
        case MergeAction::Updated:
            return "Updated";
        case MergeAction::Deleted:
            return "Deleted";
        case MergeAction::Conflict:
            return "Conflict";
    }
    return "";
}

std::vector<std::string> summarize_report(const MergeReport& report) {
    std::array<std::map<std::string, int>, 4> counts;
    for (const MergeCount& counted : report.counts)
        counts[static_cast<int>(counted.action)][counted.kind] += counted.count;
    std::vector<std::string> lines;
    for (int action = 0; action < 4; ++action) {
        if (counts[action].empty()) continue;
        std::string line = action_name(static_cast<MergeAction>(action));
        line += ": ";
        bool first = true;
        for (const auto& [kind, count] : counts[action]) {
            if (!first) line += ", ";
            first = false;
            line += with_thousands(count);
            line += ' ';
            line += count == 1 ? kind.c_str() : kind_plural(kind);
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

std::string describe_contents(const Workspace& workspace) {
    std::string out;
    add_count(out, live_count(workspace.deals), "deal", "deals");
    const std::int64_t activities = live_count(workspace.activities);
    const std::int64_t stages = live_count(workspace.stages);
    const std::int64_t reps = live_count(workspace.reps);
    if (activities > 0) add_count(out, activities, "activity", "activities");
    if (stages > 0) add_count(out, stages, "stage", "stages");
    if (reps > 0) add_count(out, reps, "rep", "reps");
    return out;
}

std::string export_reminder(const Workspace& workspace, Timestamp now) {
    const WorkspaceSettings& settings = workspace.settings;
    if (!any_live(workspace.deals)) return "";
    const bool exported = settings.last_export_at > 0;
    const Timestamp since = exported ? settings.last_export_at : workspace.created;
    const std::int64_t days = (now - since) / kSecondsPerDay;
    if (days >= kReminderDays) {
        return exported ? "Last export " + with_thousands(days) + " days ago" : "Not exported yet";
    }
    if (settings.changes_since_export >= kReminderChanges) {
        return with_thousands(settings.changes_since_export) +
               (exported ? " changes since the last export" : " changes not exported yet");
    }
    return "";
}

}  // namespace pb::ui

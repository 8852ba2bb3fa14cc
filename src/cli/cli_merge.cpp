// The merge subcommand: two exports of one workspace into one file, with the merge report.
#include <ostream>

#include "cli/cli_support.hpp"
#include "core/merge.hpp"

namespace pb::cli {
namespace {

constexpr std::string_view kMergeUsage =
    "usage: pipeboard-cli merge LOCAL.json INCOMING.json -o OUT.json\n"
    "\n"
    "Merges INCOMING (an export made on another device) into LOCAL record by record, writes\n"
    "the result to OUT and prints what changed: every conflict and deletion, the first 1,000\n"
    "updates and additions, then how many were added, updated, deleted or in conflict.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   the merged workspace file to write (required)\n";

constexpr FlagSpec kMergeFlags[] = {value_flag("--output", "-o")};

const char* action_word(MergeAction action) {
    switch (action) {
        case MergeAction::Added:
            return "added";
        case MergeAction::Updated:
            return "updated";
        case MergeAction::Deleted:
            return "deleted";
        case MergeAction::Conflict:
            return "conflict";
    }
    return "changed";
}

}  // namespace

int run_merge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
              const CliEnvironment&) {
    auto parsed = parse_args(args, 0, kMergeFlags);
    if (parsed.help) {
        out << kMergeUsage;
        return kCliOk;
    }
    if (!parsed.error.empty()) return usage_error(err, parsed.error, kMergeUsage);
    if (parsed.positional.size() != 2) {
        return usage_error(err, "merge takes two workspace files", kMergeUsage);
    }
    auto output = parsed.value("--output");
    if (!output) return usage_error(err, "merge needs -o OUT.json", kMergeUsage);

    auto local = load_workspace_file(parsed.positional[0], err);
    if (!local) return kCliBadData;
    auto incoming = load_workspace_file(parsed.positional[1], err);
    if (!incoming) return kCliBadData;

    MergeResult result = merge_workspaces(*local, *incoming);
    for (const auto& entry : result.report.entries) {
        out << action_word(entry.action) << " " << entry.kind;
        if (!entry.label.empty()) out << ": " << entry.label;
        if (!entry.detail.empty()) out << " (" << entry.detail << ")";
        out << "\n";
    }
    const MergeReport& report = result.report;
    const std::size_t unlisted = static_cast<std::size_t>(report.total()) - report.entries.size();
    if (unlisted > 0) out << "... and " << unlisted << " more additions and updates\n";
    out << report.added << " added, " << report.updated << " updated, " << report.deleted
        << " deleted, " << report.conflicts << " conflict(s)\n";
    if (auto error = write_file_atomically(*output, workspace_file_text(result.merged));
        !error.empty()) {
        err << error << "\n";
        return kCliBadData;
    }
    out << "wrote " << *output << "\n";
    return kCliOk;
}

}  // namespace pb::cli

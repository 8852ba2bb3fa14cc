// Merges an export of a workspace made on another device into the local copy, record by record
// using each record's id and revision, and says what changed in words a user can read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "workspace.hpp"

namespace pb {

enum class MergeAction { Added, Updated, Deleted, Conflict };

struct MergeEntry {
    MergeAction action = MergeAction::Updated;
    std::string kind;    // "deal", "activity", "stage", "pipeline", "rep", "target", "history",
                         // "workspace" or "list"
    Id id;               // the record's id; empty for workspace-level fields and lists
    std::string label;   // what the user knows it by: "Acme renewal", "Negotiation", "Lead sources"
    std::string detail;  // e.g. "Changed on both devices: kept 'Acme renewal (2 seats)' over ..."
};

// How many changes of one action and kind a merge makes.
struct MergeCount {
    MergeAction action = MergeAction::Updated;
    std::string kind;
    int count = 0;
};

struct MergeReport {
    // Conflicts first, then deletions, updates and additions. Every conflict and deletion is
    // listed, but only the first kListedChanges updates and additions: a file of 100,000 deals
    // adds far more records than anyone reads, and naming each of them took 0.6 s of the
    // import preview in the page.
    static constexpr std::size_t kListedChanges = 1000;
    std::vector<MergeEntry> entries;
    std::vector<MergeCount> counts;  // every change, listed or not
    int added = 0;
    int updated = 0;
    int deleted = 0;
    int conflicts = 0;

    // Whether a change of this action would still be listed; when not, count() it instead.
    bool lists(MergeAction action) const;
    void add(MergeEntry entry);
    void count(MergeAction action, std::string_view kind);
    int total() const { return added + updated + deleted + conflicts; }
    bool empty() const { return total() == 0; }

private:
    std::size_t listed_changes_ = 0;
};

struct MergeResult {
    Workspace merged;
    MergeReport report;
};

// Merges an export of the same workspace made elsewhere into `local`. Every record present on
// both sides ends as the revision that revision_wins picks, so merge(a, b) and merge(b, a) hold
// the same records; settings (theme, layout, export bookkeeping) stay local. See
// docs/data-format.md for the rules.
MergeResult merge_workspaces(const Workspace& local, const Workspace& incoming);
// What merge_workspaces would report, without building the merged workspace: a preview of a
// large file copies none of its records.
MergeReport merge_report(const Workspace& local, const Workspace& incoming);

}  // namespace pb

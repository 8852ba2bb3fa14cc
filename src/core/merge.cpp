// Record-by-record merge of two copies of a workspace; docs/data-format.md states the rules.
#include "merge.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "calendar.hpp"
#include "id_positions.hpp"
#include "ids.hpp"

namespace pb {

namespace {

// True when both devices should keep the incoming revision. revision_wins decides; two
// malformed revisions that neither wins are ordered by their text, so the choice never
// depends on which side runs the merge.
bool incoming_wins(const RecordMeta& local, const RecordMeta& incoming) {
    if (revision_wins(incoming.rev, local.rev)) return true;
    if (revision_wins(local.rev, incoming.rev)) return false;
    return incoming.rev > local.rev;
}

enum class Lineage { IncomingNewer, LocalNewer, Diverged };

// How two revisions of one record relate, as far as rev and parent_rev can tell.
Lineage lineage(const RecordMeta& local, const RecordMeta& incoming, Timestamp local_last_export) {
    if (!local.rev.empty() && incoming.parent_rev == local.rev) return Lineage::IncomingNewer;
    if (!incoming.rev.empty() && local.parent_rev == incoming.rev) return Lineage::LocalNewer;
    const int local_number = revision_number(local.rev);
    const int incoming_number = revision_number(incoming.rev);
    // Two or more edits apart, the parent link cannot prove descent. The copy with more edits
    // is taken to continue the other unless this device changed the record since it last
    // exported, which is the edit a user would lose without being told.
    if (incoming_number > local_number + 1 && local.updated <= local_last_export) {
        return Lineage::IncomingNewer;
    }
    if (local_number > incoming_number + 1) return Lineage::LocalNewer;
    return Lineage::Diverged;
}

// The order a report lists its entries in: what needs a look first.
int importance(MergeAction action) {
    switch (action) {
        case MergeAction::Conflict:
            return 3;
        case MergeAction::Deleted:
            return 2;
        case MergeAction::Updated:
            return 1;
        case MergeAction::Added:
            return 0;
    }
    return 0;
}

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

void add_entry(MergeReport& report, MergeAction action, std::string_view kind, const Id& id,
               std::string label, std::string detail) {
    report.add({action, std::string(kind), id, std::move(label), std::move(detail)});
}

// Lists an addition or update with the label and detail `describe` gives, or only counts it once
// the report lists no more: naming a record can take a lookup and a few strings.
template <class Describe>
void add_change(MergeReport& report, MergeAction action, std::string_view kind, const Id& id,
                const Describe& describe) {
    if (!report.lists(action)) return report.count(action, kind);
    auto [label, detail] = describe();
    add_entry(report, action, kind, id, std::move(label), std::move(detail));
}

// Describes a record both sides changed independently; `take_incoming` says which one stays.
template <class R, class Label>
void report_divergence(MergeReport& report, std::string_view kind, const R& local,
                       const R& incoming, bool take_incoming, const Label& label) {
    const std::string local_label = label(local);
    const std::string incoming_label = label(incoming);
    const std::string& shown = take_incoming ? incoming_label : local_label;
    const Id& id = local.meta.id;
    if (take_incoming && incoming.meta.deleted) {
        add_entry(report, MergeAction::Deleted, kind, id, local_label,
                  "Deleted on the other device while changed here; the deletion wins");
    } else if (!take_incoming && local.meta.deleted) {
        add_entry(report, MergeAction::Conflict, kind, id, incoming_label,
                  "Changed on the other device (" + in_quotes(incoming_label) +
                      ") but deleted here; the deletion wins");
    } else if (take_incoming && local.meta.deleted) {
        add_entry(report, MergeAction::Conflict, kind, id, shown,
                  "Deleted here but changed on the other device; that change wins, so it is back");
    } else if (!take_incoming && incoming.meta.deleted) {
        add_entry(report, MergeAction::Conflict, kind, id, shown,
                  "Deleted on the other device but changed here; the change here wins");
    } else if (take_incoming) {
        add_entry(report, MergeAction::Conflict, kind, id, shown,
                  "Changed on both devices: kept the other device's version (" +
                      in_quotes(incoming_label) + ") over this one (" + in_quotes(local_label) +
                      ")");
    } else {
        add_entry(report, MergeAction::Conflict, kind, id, shown,
                  "Changed on both devices: kept this device's version (" + in_quotes(local_label) +
                      ") over the other device's (" + in_quotes(incoming_label) + ")");
    }
}

// The records a merge keeps of one kind, as pointers into the local and incoming workspaces:
// what the merge decides, before anything is copied.
template <class R>
struct Chosen {
    std::vector<const R*> records;
    IdPositions positions;  // of `records`, by id

    const R* find(std::string_view id) const {
        const std::optional<std::size_t> at = positions.find(records, id);
        return at ? records[*at] : nullptr;
    }
};

// Decides one kind of record. Every local record is kept in its place unless the other
// side's revision wins; records only the other side has are appended in its order.
template <class R, class Label>
Chosen<R> merge_records(const std::vector<R>& local, const std::vector<R>& incoming,
                        std::string_view kind, Timestamp local_last_export, const Label& label,
                        MergeReport& report) {
    Chosen<R> chosen;
    std::vector<const R*>& kept_records = chosen.records;
    IdPositions& position = chosen.positions;
    kept_records.reserve(local.size() + incoming.size());
    position.reserve(local.size() + incoming.size());
    for (std::size_t i = 0; i < local.size(); ++i) {
        kept_records.push_back(&local[i]);
        position.insert(kept_records, i);
    }

    for (const R& theirs : incoming) {
        const std::optional<std::size_t> found = position.find(kept_records, theirs.meta.id);
        if (!found) {
            kept_records.push_back(&theirs);
            position.insert(kept_records, kept_records.size() - 1);
            // A tombstone of a record never seen here is kept so later merges know it is gone,
            // but there is nothing to tell the user.
            if (!theirs.meta.deleted) {
                add_change(report, MergeAction::Added, kind, theirs.meta.id,
                           [&] { return std::pair(label(theirs), std::string()); });
            }
            continue;
        }
        const R*& kept = kept_records[*found];
        const R& mine = *kept;
        if (mine.meta.rev == theirs.meta.rev) continue;
        const bool take = incoming_wins(mine.meta, theirs.meta);
        const Lineage relation = lineage(mine.meta, theirs.meta, local_last_export);
        if (mine.meta.deleted && theirs.meta.deleted) {
            if (take) kept = &theirs;
        } else if (relation == Lineage::IncomingNewer && take) {
            if (theirs.meta.deleted) {
                add_entry(report, MergeAction::Deleted, kind, theirs.meta.id, label(mine),
                          "Deleted on the other device");
            } else {
                add_change(report, MergeAction::Updated, kind, theirs.meta.id, [&] {
                    const std::string before = label(mine);
                    std::string after = label(theirs);
                    std::string detail;
                    if (mine.meta.deleted) {
                        detail = "Restored on the other device";
                    } else if (before != after) {
                        detail = "Was " + in_quotes(before);
                    }
                    return std::pair(std::move(after), std::move(detail));
                });
            }
            kept = &theirs;
        } else if (relation != Lineage::LocalNewer || take) {
            report_divergence(report, kind, mine, theirs, take, label);
            if (take) kept = &theirs;
        }
    }
    return chosen;
}

template <class R>
std::vector<R> copied(const Chosen<R>& chosen) {
    std::vector<R> records;
    records.reserve(chosen.records.size());
    for (const R* record : chosen.records) records.push_back(*record);
    return records;
}

const char* history_words(HistoryKind kind) {
    switch (kind) {
        case HistoryKind::Created:
            return "Creation";
        case HistoryKind::StageChanged:
            return "Stage change";
        case HistoryKind::StatusChanged:
            return "Status change";
    }
    return "Change";
}

// Appends the items of `incoming` missing from `local`, keeping both orders.
void merge_list(std::vector<std::string>& local, const std::vector<std::string>& incoming,
                std::string_view name, MergeReport& report) {
    std::unordered_set<std::string_view> present(local.begin(), local.end());
    std::vector<std::string> added;
    for (const std::string& item : incoming) {
        if (present.insert(item).second) added.push_back(item);
    }
    if (added.empty()) return;
    std::string detail = "Added ";
    for (std::size_t i = 0; i < added.size(); ++i) {
        if (i > 0) detail += ", ";
        detail += in_quotes(added[i]);
    }
    local.insert(local.end(), added.begin(), added.end());
    add_entry(report, MergeAction::Updated, "list", "", std::string(name), std::move(detail));
}

std::string describe_currency(const Currency& currency) {
    return currency.code + " (" + currency.symbol + ", " + std::to_string(currency.minor_digits) +
           " decimals)";
}

// Both sides' unknown top-level fields; the other device's value wins for the same name.
std::string merge_unknown_fields(const std::string& local, const std::string& incoming) {
    if (incoming.empty() || incoming == local) return local;
    if (local.empty()) return incoming;
    nlohmann::json merged = nlohmann::json::parse(local, nullptr, false);
    const nlohmann::json theirs = nlohmann::json::parse(incoming, nullptr, false);
    if (!merged.is_object()) return incoming;
    if (!theirs.is_object()) return local;
    merged.update(theirs, true);
    return merged.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Everything a merge decides: the merged workspace's own fields (its records left empty),
// the records it keeps of each kind, and the report.
struct Decisions {
    Workspace merged;
    Chosen<Pipeline> pipelines;
    Chosen<Stage> stages;
    Chosen<Rep> reps;
    Chosen<Target> targets;
    Chosen<Deal> deals;
    Chosen<Activity> activities;
    Chosen<HistoryEvent> history;
    MergeReport report;
};

Decisions decide(const Workspace& local, const Workspace& incoming) {
    Decisions decisions;
    decisions.merged = without_records(local);
    Workspace& merged = decisions.merged;
    MergeReport& report = decisions.report;
    const Timestamp last_export = local.settings.last_export_at;

    if (!local.id.empty() && !incoming.id.empty() && local.id != incoming.id) {
        add_entry(report, MergeAction::Conflict, "workspace", "", local.name,
                  "The file comes from another workspace (" + in_quotes(incoming.name) +
                      "); its records were added to this one");
    } else if (merged.id.empty()) {
        merged.id = incoming.id;
    }
    if (incoming.name != local.name) {
        merged.name = incoming.name;
        add_entry(report, MergeAction::Updated, "workspace", "", incoming.name,
                  "Renamed from " + in_quotes(local.name));
    }
    const Currency& theirs = incoming.currency;
    if (theirs.code != local.currency.code || theirs.symbol != local.currency.symbol ||
        theirs.minor_digits != local.currency.minor_digits) {
        merged.currency = theirs;
        add_entry(report, MergeAction::Updated, "workspace", "", "Currency",
                  describe_currency(local.currency) + " changed to " + describe_currency(theirs));
    }
    if (merged.created == 0) merged.created = incoming.created;
    merge_list(merged.lists.lead_sources, incoming.lists.lead_sources, "Lead sources", report);
    merge_list(merged.lists.industries, incoming.lists.industries, "Industries", report);
    merge_list(merged.lists.lost_reasons, incoming.lists.lost_reasons, "Lost reasons", report);
    merge_list(merged.lists.labels, incoming.lists.labels, "Labels", report);
    merged.unknown_fields_json =
        merge_unknown_fields(local.unknown_fields_json, incoming.unknown_fields_json);

    decisions.pipelines = merge_records(
        local.pipelines, incoming.pipelines, "pipeline", last_export,
        [](const Pipeline& p) { return p.name; }, report);
    decisions.stages = merge_records(
        local.stages, incoming.stages, "stage", last_export, [](const Stage& s) { return s.name; },
        report);
    decisions.reps = merge_records(
        local.reps, incoming.reps, "rep", last_export, [](const Rep& r) { return r.name; }, report);

    const auto target_label = [&](const Target& t) {
        std::string owner = "Team";
        if (!t.rep_id.empty()) {
            const Rep* rep = decisions.reps.find(t.rep_id);
            owner = rep ? rep->name : "Unknown rep";
        }
        std::string label =
            owner + (t.period == TargetPeriod::Quarter ? " quarterly target" : " monthly target");
        if (t.period_start) label += " from " + format_day(*t.period_start);
        return label;
    };
    decisions.targets =
        merge_records(local.targets, incoming.targets, "target", last_export, target_label, report);
    decisions.deals = merge_records(
        local.deals, incoming.deals, "deal", last_export, [](const Deal& d) { return d.title; },
        report);
    decisions.activities = merge_records(
        local.activities, incoming.activities, "activity", last_export,
        [](const Activity& a) { return a.subject.empty() ? to_string(a.type) : a.subject; },
        report);

    const auto history_label = [&](const HistoryEvent& e) {
        const Deal* deal = decisions.deals.find(e.deal_id);
        const std::string title = deal ? in_quotes(deal->title) : "an unknown deal";
        return std::string(history_words(e.kind)) + " of " + title;
    };
    decisions.history = merge_records(local.history, incoming.history, "history", last_export,
                                      history_label, report);
    std::stable_sort(report.entries.begin(), report.entries.end(),
                     [](const MergeEntry& a, const MergeEntry& b) {
                         return importance(a.action) > importance(b.action);
                     });
    return decisions;
}

}  // namespace

bool MergeReport::lists(MergeAction action) const {
    return action == MergeAction::Conflict || action == MergeAction::Deleted ||
           listed_changes_ < kListedChanges;
}

void MergeReport::add(MergeEntry entry) {
    count(entry.action, entry.kind);
    if (!lists(entry.action)) return;
    if (entry.action == MergeAction::Added || entry.action == MergeAction::Updated) {
        ++listed_changes_;
    }
    entries.push_back(std::move(entry));
}

void MergeReport::count(MergeAction action, std::string_view kind) {
    switch (action) {
        case MergeAction::Added:
            ++added;
            break;
        case MergeAction::Updated:
            ++updated;
            break;
        case MergeAction::Deleted:
            ++deleted;
            break;
        case MergeAction::Conflict:
            ++conflicts;
            break;
    }
    // Changes arrive kind by kind, so the one to count is nearly always the last.
    for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
        if (it->action == action && it->kind == kind) {
            ++it->count;
            return;
        }
    }
    counts.push_back({action, std::string(kind), 1});
}

MergeResult merge_workspaces(const Workspace& local, const Workspace& incoming) {
    Decisions decisions = decide(local, incoming);
    Workspace& merged = decisions.merged;
    merged.pipelines = copied(decisions.pipelines);
    merged.stages = copied(decisions.stages);
    merged.reps = copied(decisions.reps);
    merged.targets = copied(decisions.targets);
    merged.deals = copied(decisions.deals);
    merged.activities = copied(decisions.activities);
    merged.history = copied(decisions.history);
    return {std::move(merged), std::move(decisions.report)};
}

MergeReport merge_report(const Workspace& local, const Workspace& incoming) {
    return decide(local, incoming).report;
}

}  // namespace pb

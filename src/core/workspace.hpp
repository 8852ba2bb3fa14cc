// The pipeline domain model: a workspace of pipelines, stages, reps, deals, activities and
// the stage/status history, as plain structs. Every record carries RecordMeta so exports can
// be merged record by record (and later replicated with CouchDB) without a migration.
#pragma once

#include "calendar.hpp"
#include "money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pb {

using Id = std::string;

// Identity and revision of one record. `rev` is "N-hash" (CouchDB style): N counts edits,
// hash is derived from the record's content; `parent_rev` is the revision it replaced.
// Deletes are tombstones (`deleted = true`) so a merge can tell "deleted" from "never seen".
struct RecordMeta {
    Id id;
    std::string rev;
    std::string parent_rev;
    Timestamp created = 0;
    Timestamp updated = 0;
    bool deleted = false;
    // Fields of this record that this version does not know (a JSON object's text, empty when
    // none), written back on save so a newer app's data survives an older one.
    std::string unknown_json;
};

struct Pipeline {
    RecordMeta meta;
    std::string name;
    int position = 0;  // order among pipelines
};

struct Stage {
    RecordMeta meta;
    Id pipeline_id;
    std::string name;
    int position = 0;               // order inside its pipeline
    std::uint32_t color = 0x4F7CACFF;  // RGBA
    int probability = 10;           // default win probability, percent 0..100
    int rotting_days = 14;          // a deal idle longer than this in the stage is stagnant; 0 = never
    std::vector<std::string> exit_criteria;  // checklist to finish before moving on
};

// A standing revenue target; `rep_id` empty means the whole team.
enum class TargetPeriod { Month, Quarter };
struct Target {
    RecordMeta meta;
    Id rep_id;
    TargetPeriod period = TargetPeriod::Month;
    // First day of the period this target applies to; nullopt = every period of that kind
    // without a more specific target.
    std::optional<Day> period_start;
    Money amount = 0;
};

struct Rep {
    RecordMeta meta;
    std::string name;
    std::string email;
    bool active = true;
};

struct Contact {
    std::string name;
    std::string role;
    std::string email;
    std::string phone;
    bool decision_maker = false;
};

enum class DealStatus { Open, Won, Lost, Nurture };

struct Deal {
    RecordMeta meta;
    Id pipeline_id;
    Id stage_id;
    // Manual order inside the stage column; lower comes first. Reorders set a value
    // between the neighbours, so one move touches one record.
    double position = 0;
    std::string title;
    std::string organization;
    std::vector<Contact> contacts;
    Money value = 0;
    std::optional<int> probability;  // percent; nullopt = the stage's default
    std::optional<Day> expected_close;
    std::string lead_source;
    std::string industry;
    Id owner_id;
    std::vector<std::string> labels;
    std::string notes;

    DealStatus status = DealStatus::Open;
    std::string lost_reason;          // when Lost
    std::optional<Day> revisit_on;    // when Nurture
    std::optional<Timestamp> closed_at;  // when Won or Lost
    Timestamp stage_entered_at = 0;   // when the deal entered its current stage

    // Exit-criteria items of the current stage that are done (by text).
    std::vector<std::string> checklist_done;

    // Post-purchase.
    std::optional<Day> contract_end;
    std::string upsell_notes;
    Id referred_by_deal_id;  // set on leads created from a referral
};

enum class ActivityType { Call, Email, Meeting, Task, Deadline };

struct Activity {
    RecordMeta meta;
    Id deal_id;
    ActivityType type = ActivityType::Call;
    std::string subject;
    Timestamp due = 0;
    bool has_time = true;  // false: due any time on that day
    bool done = false;
    std::optional<Timestamp> done_at;
    std::string note;
};

// One immutable entry of a deal's history. Created on creation, every stage move and every
// status change; never edited, so merging two exports is a union by id.
enum class HistoryKind { Created, StageChanged, StatusChanged };
struct HistoryEvent {
    RecordMeta meta;
    Id deal_id;
    Timestamp at = 0;
    HistoryKind kind = HistoryKind::Created;
    Id from_stage_id;
    Id to_stage_id;
    DealStatus from_status = DealStatus::Open;
    DealStatus to_status = DealStatus::Open;
    Id by_rep_id;
    std::string detail;  // e.g. the lost reason
};

struct EditableLists {
    std::vector<std::string> lead_sources;
    std::vector<std::string> industries;
    std::vector<std::string> lost_reasons;
    std::vector<std::string> labels;
};

struct WorkspaceSettings {
    std::string theme = "system";   // "system", "light", "dark"
    std::string ui_layout;          // Dear ImGui's own .ini text, kept in our document
    Timestamp last_export_at = 0;
    std::int64_t changes_since_export = 0;
    // First-run welcome and inline tips the user closed ("welcome", "board-tips"), so they
    // are not shown again for this workspace.
    std::vector<std::string> dismissed_hints;
};

struct Workspace {
    Id id;
    std::string name = "My pipeline";
    Currency currency;
    Timestamp created = 0;
    std::vector<Pipeline> pipelines;
    std::vector<Stage> stages;
    std::vector<Rep> reps;
    std::vector<Target> targets;
    std::vector<Deal> deals;
    std::vector<Activity> activities;
    std::vector<HistoryEvent> history;
    EditableLists lists;
    WorkspaceSettings settings;
    // Top-level fields this version does not know, kept verbatim (JSON text) so a newer
    // app's data survives a round trip through an older one.
    std::string unknown_fields_json;
};

// The seven default stages of a new pipeline, in order: name, probability, rotting days.
struct StageTemplate {
    const char* name;
    int probability;
    int rotting_days;
    std::uint32_t color;
};
const std::vector<StageTemplate>& default_stage_templates();

// A copy of the workspace's own fields (name, currency, lists, settings, ...) without its
// records.
Workspace without_records(const Workspace& ws);

// Two tabs of one workspace count the changes since the last export each on their own. When
// they meet, the later export wins and, for the same export, the larger count. Returns true
// when `ours` was ahead, so the other side has yet to hear it.
bool meet_export_counts(WorkspaceSettings& ours, const WorkspaceSettings& theirs);

const char* to_string(DealStatus status);
const char* to_string(ActivityType type);
const char* to_string(HistoryKind kind);
std::optional<DealStatus> deal_status_from_string(std::string_view text);
std::optional<ActivityType> activity_type_from_string(std::string_view text);
std::optional<HistoryKind> history_kind_from_string(std::string_view text);

}  // namespace pb

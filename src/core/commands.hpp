// The one command layer every change to a workspace goes through: validated commands that
// report what they changed as before/after record copies, and a Session with undo and redo.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ids.hpp"
#include "workspace.hpp"
#include "workspace_index.hpp"

namespace pb {

// One record as it was before a change and as it is after. Records are never removed (a
// delete sets meta.deleted), so `after` always exists; `before` is empty for a new record.
template <typename Record>
struct RecordChange {
    std::optional<Record> before;
    Record after;
};

// The workspace-level fields a command can change (they carry no RecordMeta).
struct WorkspaceProperties {
    std::string name;
    Currency currency;
    EditableLists lists;
};

// Everything one command changed, in the order it changed it; exactly what the platform
// persists. A record changed twice by one command appears twice, in order.
struct ChangeSet {
    std::vector<RecordChange<Pipeline>> pipelines;
    std::vector<RecordChange<Stage>> stages;
    std::vector<RecordChange<Rep>> reps;
    std::vector<RecordChange<Target>> targets;
    std::vector<RecordChange<Deal>> deals;
    std::vector<RecordChange<Activity>> activities;
    std::vector<RecordChange<HistoryEvent>> history;
    // Both set when the workspace's name, currency or lists changed.
    std::optional<WorkspaceProperties> properties_before;
    std::optional<WorkspaceProperties> properties_after;

    bool empty() const;
    // Number of record changes (plus one for the workspace properties).
    std::size_t size() const;
};

struct CommandResult {
    bool ok = false;
    std::string error;    // why nothing changed, naming the field: "Value must be zero or more"
    std::string warning;  // done, but worth telling: skipped exit criteria
    std::string label;    // for the Undo/Redo menu: "Move 'Acme renewal' to Negotiation"
    Id created_id;        // the new deal, activity, stage, pipeline, rep or target
    ChangeSet changes;
};

// "Now" and the acting rep of one command; `acting_rep_id` may be empty when unknown.
struct CommandContext {
    Timestamp now = 0;
    Id acting_rep_id;
};

namespace cmd {

// Deals. A new deal needs a title, a value of zero or more and a probability within 0..100;
// an empty stage_id means the pipeline's first stage, an empty pipeline_id the stage's
// pipeline, an empty owner the acting rep. It starts open, at the end of its column.
struct CreateDeal {
    Deal deal;
};
// A whole edited copy of an existing deal. Stage and status changes have their own commands;
// id, revision, position and stage entry time are taken from the stored deal.
struct EditDeal {
    Deal deal;
};
// Moves a deal to a stage (of any pipeline), placed before `before_deal_id` in the target
// column or at its end when empty. Allowed with exit criteria of the source stage unchecked,
// with a warning.
struct MoveDeal {
    Id deal_id;
    Id stage_id;
    Id before_deal_id;
};
// Changes a deal's place in its column: before `before_deal_id`, or last when empty.
struct ReorderDeal {
    Id deal_id;
    Id before_deal_id;
};
// Optionally confirms the final value and the close date (today when empty).
struct WinDeal {
    Id deal_id;
    std::optional<Money> value;
    std::optional<Day> closed_on;
};
struct LoseDeal {
    Id deal_id;
    std::string reason;
    std::optional<Day> closed_on;
};
// Parks a deal to revisit later.
struct NurtureDeal {
    Id deal_id;
    std::optional<Day> revisit_on;
};
struct ReopenDeal {
    Id deal_id;
};
// Deletes the deal and its activities (as tombstones); its history is kept.
struct DeleteDeal {
    Id deal_id;
};
// A new lead from a referral: a deal in the first stage of the pipeline (the referring deal's
// pipeline when empty), lead source "Referral", owned by the referring deal's owner.
struct CreateReferralLead {
    Id referring_deal_id;
    std::string title;
    std::string organization;
    Contact contact;
    Money value = 0;
    Id pipeline_id;
};

// Activities.
struct CreateActivity {
    Activity activity;
};
struct EditActivity {
    Activity activity;
};
struct CompleteActivity {
    Id activity_id;
    bool done = true;
};
struct DeleteActivity {
    Id activity_id;
};

// Stages. `insert_at` is the new stage's place among the pipeline's stages (end when empty).
struct AddStage {
    Stage stage;
    std::optional<int> insert_at;
};
// A whole edited copy: name, colour, probability, rotting days, exit criteria.
struct EditStage {
    Stage stage;
};
struct RenameStage {
    Id stage_id;
    std::string name;
};
struct RecolourStage {
    Id stage_id;
    std::uint32_t color = 0;
};
struct ReorderStage {
    Id stage_id;
    int new_index = 0;
};
// A stage holding deals needs `target_stage_id`; its deals move there with history.
struct DeleteStage {
    Id stage_id;
    Id target_stage_id;
};

// Pipelines, reps, targets and workspace settings.
struct AddPipeline {
    std::string name;
    bool with_default_stages = true;
};
struct RenamePipeline {
    Id pipeline_id;
    std::string name;
};
struct AddRep {
    Rep rep;
};
struct EditRep {
    Rep rep;
};
// Sets the target for (rep, period, period start): updates the one with meta.id, else the
// live target with the same rep, period and start, else creates one. A period start is
// moved to the first day of its month or quarter.
struct SetTarget {
    Target target;
};
struct DeleteTarget {
    Id target_id;
};
// Replaces the lead source, industry, lost reason and label lists (entries trimmed, blanks
// and case-insensitive duplicates dropped).
struct EditLists {
    EditableLists lists;
};
struct EditWorkspace {
    std::string name;
    Currency currency;
};

}  // namespace cmd

using Command =
    std::variant<cmd::CreateDeal, cmd::EditDeal, cmd::MoveDeal, cmd::ReorderDeal, cmd::WinDeal,
                 cmd::LoseDeal, cmd::NurtureDeal, cmd::ReopenDeal, cmd::DeleteDeal,
                 cmd::CreateReferralLead, cmd::CreateActivity, cmd::EditActivity,
                 cmd::CompleteActivity, cmd::DeleteActivity, cmd::AddStage, cmd::EditStage,
                 cmd::RenameStage, cmd::RecolourStage, cmd::ReorderStage, cmd::DeleteStage,
                 cmd::AddPipeline, cmd::RenamePipeline, cmd::AddRep, cmd::EditRep, cmd::SetTarget,
                 cmd::DeleteTarget, cmd::EditLists, cmd::EditWorkspace>;

// A new workspace: one "Sales pipeline" with the seven default stages, the default lead
// sources, industries and lost reasons, in US dollars.
Workspace make_workspace(std::string name, IdGenerator& ids, Timestamp now);

// The first problem with a deal's fields ("Title is required"), or "" when it is valid;
// lets an edit form show the message before submitting.
std::string deal_problem(const WorkspaceIndex& index, const Deal& deal);

// Validates and applies one command. When invalid nothing is touched and `error` says why.
// `index` must have been built over `workspace`; it is updated with the changes.
CommandResult execute(Workspace& workspace, WorkspaceIndex& index, IdGenerator& ids,
                      const Command& command, const CommandContext& context);

// Owns the undo and redo stacks over one workspace, its index and the acting rep. Undo puts
// back the previous field values as new revisions (so a merge sees the undo as an edit) and
// tombstones records the command created, including its history events; redo does the same
// towards the command's result.
class Session {
public:
    using ChangeListener = std::function<void(const ChangeSet&)>;

    Session(Workspace& workspace, IdGenerator& ids);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const Workspace& workspace() const { return workspace_; }
    const WorkspaceIndex& index() const { return index_; }

    void set_acting_rep(Id rep_id) { acting_rep_id_ = std::move(rep_id); }
    const Id& acting_rep() const { return acting_rep_id_; }

    // Called after every successful apply, undo and redo with what changed, so the platform
    // can save exactly those records.
    void set_change_listener(ChangeListener listener) { listener_ = std::move(listener); }

    CommandResult apply(const Command& command, Timestamp now);
    CommandResult undo(Timestamp now);
    CommandResult redo(Timestamp now);

    bool can_undo() const { return !undo_.empty(); }
    bool can_redo() const { return !redo_.empty(); }
    // Labels of the command the next undo / redo would revert or repeat ("" when none).
    std::string undo_label() const;
    std::string redo_label() const;

    // How many commands undo can go back (oldest are forgotten first); at least 1.
    void set_undo_limit(std::size_t limit);
    // After the workspace was replaced or changed outside the commands (load, import, merge):
    // re-index it and forget undo and redo, which no longer describe it.
    void reset();

private:
    struct Entry {
        std::string label;
        ChangeSet changes;
    };

    void notify(const ChangeSet& changes) const;

    Workspace& workspace_;
    IdGenerator& ids_;
    WorkspaceIndex index_;
    Id acting_rep_id_;
    ChangeListener listener_;
    std::deque<Entry> undo_;
    std::deque<Entry> redo_;
    std::size_t undo_limit_ = 200;
};

}  // namespace pb

// The command layer: each command validates against the workspace first, then applies its
// changes through one recorder that revises the records and lists them in a ChangeSet.
#include "commands.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "revision.hpp"

namespace pb {

bool ChangeSet::empty() const { return size() == 0; }

std::size_t ChangeSet::size() const {
    return pipelines.size() + stages.size() + reps.size() + targets.size() + deals.size() +
           activities.size() + history.size() + (properties_after ? 1 : 0);
}

namespace {

// [SECTION] record plumbing shared by the commands and by undo/redo

template <typename Record>
std::vector<Record>& records_of(Workspace& ws) {
    if constexpr (std::is_same_v<Record, Pipeline>) return ws.pipelines;
    if constexpr (std::is_same_v<Record, Stage>) return ws.stages;
    if constexpr (std::is_same_v<Record, Rep>) return ws.reps;
    if constexpr (std::is_same_v<Record, Target>) return ws.targets;
    if constexpr (std::is_same_v<Record, Deal>) return ws.deals;
    if constexpr (std::is_same_v<Record, Activity>) return ws.activities;
    if constexpr (std::is_same_v<Record, HistoryEvent>) return ws.history;
}

// The list of changes to records of one type, const or not as `changes` is.
template <typename Record, typename Changes>
auto& changes_of(Changes& changes) {
    if constexpr (std::is_same_v<Record, Pipeline>) return changes.pipelines;
    if constexpr (std::is_same_v<Record, Stage>) return changes.stages;
    if constexpr (std::is_same_v<Record, Rep>) return changes.reps;
    if constexpr (std::is_same_v<Record, Target>) return changes.targets;
    if constexpr (std::is_same_v<Record, Deal>) return changes.deals;
    if constexpr (std::is_same_v<Record, Activity>) return changes.activities;
    if constexpr (std::is_same_v<Record, HistoryEvent>) return changes.history;
}

template <typename Record>
std::optional<std::size_t> index_of(const WorkspaceIndex& index, const Id& id) {
    if constexpr (std::is_same_v<Record, Pipeline>) return index.pipeline_index(id);
    if constexpr (std::is_same_v<Record, Stage>) return index.stage_index(id);
    if constexpr (std::is_same_v<Record, Rep>) return index.rep_index(id);
    if constexpr (std::is_same_v<Record, Target>) return index.target_index(id);
    if constexpr (std::is_same_v<Record, Deal>) return index.deal_index(id);
    if constexpr (std::is_same_v<Record, Activity>) return index.activity_index(id);
    if constexpr (std::is_same_v<Record, HistoryEvent>) return index.history_index(id);
}

WorkspaceProperties properties_of(const Workspace& ws) { return {ws.name, ws.currency, ws.lists}; }

// Applies one command's edits to the workspace and records them. Records created during the
// command are not in the index yet, so commands look up only records that existed before.
class Recorder {
public:
    Recorder(Workspace& ws, IdGenerator& ids, Timestamp now) : ws_(ws), ids_(ids), now_(now) {}

    template <typename Record>
    Id create(Record record) {
        record.meta = RecordMeta{};
        record.meta.id = ids_.next();
        touch(record, now_);
        changes_of<Record>(changes_).push_back({std::nullopt, record});
        auto& records = records_of<Record>(ws_);
        records.push_back(std::move(record));
        return records.back().meta.id;
    }

    // Replaces the record at `index` with `edited`, keeping its identity; the tombstone flag
    // comes from `edited`. Nothing is recorded when no field changed.
    template <typename Record>
    void update(std::size_t index, Record edited) {
        Record& current = records_of<Record>(ws_)[index];
        const bool deleted = edited.meta.deleted;
        edited.meta = current.meta;
        edited.meta.deleted = deleted;
        if (content_hash(edited) == content_hash(current)) return;
        touch(edited, now_);
        changes_of<Record>(changes_).push_back({current, edited});
        current = std::move(edited);
    }

    void set_properties(WorkspaceProperties properties) {
        if (!changes_.properties_before) changes_.properties_before = properties_of(ws_);
        ws_.name = properties.name;
        ws_.currency = properties.currency;
        ws_.lists = properties.lists;
        changes_.properties_after = std::move(properties);
    }

    ChangeSet take() { return std::move(changes_); }

private:
    Workspace& ws_;
    IdGenerator& ids_;
    Timestamp now_;
    ChangeSet changes_;
};

// [SECTION] small helpers

std::string trimmed(std::string_view text) {
    const auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && is_space(text[begin])) ++begin;
    while (end > begin && is_space(text[end - 1])) --end;
    return std::string(text.substr(begin, end - begin));
}

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool same_ignoring_case(std::string_view a, std::string_view b) { return lowered(a) == lowered(b); }

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

CommandResult failure(std::string error) {
    CommandResult result;
    result.error = std::move(error);
    return result;
}

// Normalises a list edited by hand: trimmed entries, no blanks, no repeats ignoring case.
std::vector<std::string> cleaned_list(const std::vector<std::string>& entries) {
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (const std::string& entry : entries) {
        std::string text = trimmed(entry);
        if (text.empty()) continue;
        const bool repeated = std::any_of(out.begin(), out.end(), [&](const std::string& kept) {
            return same_ignoring_case(kept, text);
        });
        if (!repeated) out.push_back(std::move(text));
    }
    return out;
}

bool plausible_email(std::string_view email) {
    const std::size_t at = email.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
           email.find('@', at + 1) == std::string_view::npos &&
           email.find(' ') == std::string_view::npos;
}

bool status_is_closed(DealStatus status) {
    return status == DealStatus::Won || status == DealStatus::Lost;
}

// Everything one command needs while it runs.
struct Run {
    Workspace& ws;
    WorkspaceIndex& index;
    Recorder recorder;
    const CommandContext& context;
    CommandResult result;

    Run(Workspace& workspace, WorkspaceIndex& workspace_index, IdGenerator& ids,
        const CommandContext& ctx)
        : ws(workspace), index(workspace_index), recorder(workspace, ids, ctx.now), context(ctx) {}

    std::optional<std::size_t> live_deal(const Id& id) const {
        const auto i = index.deal_index(id);
        if (!i || ws.deals[*i].meta.deleted) return std::nullopt;
        return i;
    }
    std::optional<std::size_t> live_activity(const Id& id) const {
        const auto i = index.activity_index(id);
        if (!i || ws.activities[*i].meta.deleted) return std::nullopt;
        return i;
    }
    std::optional<std::size_t> live_stage(const Id& id) const {
        const auto i = index.stage_index(id);
        if (!i || ws.stages[*i].meta.deleted) return std::nullopt;
        return i;
    }

    void record_history(const Deal& deal, HistoryKind kind, Timestamp at, const Id& from_stage,
                        DealStatus from_status, std::string detail = {}) {
        HistoryEvent event;
        event.deal_id = deal.meta.id;
        event.at = at;
        event.kind = kind;
        event.from_stage_id = from_stage;
        event.to_stage_id = deal.stage_id;
        event.from_status = from_status;
        event.to_status = deal.status;
        event.by_rep_id = context.acting_rep_id;
        event.detail = std::move(detail);
        recorder.create(std::move(event));
    }

    CommandResult finish(std::string label) {
        result.ok = true;
        result.label = std::move(label);
        result.changes = recorder.take();
        index.apply(result.changes);
        return std::move(result);
    }
};

// [SECTION] placing deals in a column

// The position for a deal entering `stage_id` before `before_index` (or last), and any
// neighbours that must be renumbered because no number fits between them.
struct Placement {
    double position = 1;
    std::vector<std::pair<std::size_t, double>> renumbered;
};

Placement place_in_column(const Run& run, const Id& stage_id, std::size_t moving,
                          std::optional<std::size_t> before_index) {
    std::vector<std::size_t> column;
    for (std::size_t i : run.index.deals_in_stage(stage_id).indexes()) {
        if (i != moving) column.push_back(i);
    }
    const auto& deals = run.ws.deals;
    Placement placement;
    std::size_t k = column.size();
    if (!before_index) {
        const double after_last = column.empty() ? 1.0 : deals[column.back()].position + 1.0;
        if (std::isfinite(after_last)) {
            placement.position = after_last;
            return placement;
        }
    } else {
        k = static_cast<std::size_t>(std::find(column.begin(), column.end(), *before_index) -
                                     column.begin());
        const double upper = deals[*before_index].position;
        const double lower = k > 0 ? deals[column[k - 1]].position : upper - 2.0;
        const double middle = lower + (upper - lower) / 2;
        if (lower < middle && middle < upper) {
            placement.position = middle;
            return placement;
        }
    }
    // Equal neighbours (typical after an import), exhausted precision or positions that are
    // not numbers: number the column afresh, 1, 2, 3..., with the moving deal in its place.
    column.insert(column.begin() + static_cast<std::ptrdiff_t>(k), moving);
    for (std::size_t slot = 0; slot < column.size(); ++slot) {
        const double position = static_cast<double>(slot + 1);
        if (column[slot] == moving) {
            placement.position = position;
        } else if (deals[column[slot]].position != position) {
            placement.renumbered.emplace_back(column[slot], position);
        }
    }
    return placement;
}

void apply_renumbering(Run& run, const Placement& placement) {
    for (const auto& [i, position] : placement.renumbered) {
        Deal deal = run.ws.deals[i];
        deal.position = position;
        run.recorder.update(i, std::move(deal));
    }
}

// Resolves `before_deal_id` to a live deal of `stage_id` other than the one moving.
std::optional<std::size_t> resolve_before(const Run& run, const Id& before_deal_id,
                                          const Id& stage_id, std::size_t moving,
                                          std::string& error) {
    if (before_deal_id.empty()) return std::nullopt;
    const auto before = run.live_deal(before_deal_id);
    if (!before || *before == moving || run.ws.deals[*before].stage_id != stage_id) {
        error = "The deal to place it before is not in that stage";
        return std::nullopt;
    }
    return before;
}

// [SECTION] deal commands

std::string deal_problem_in(const WorkspaceIndex& index, const Deal& deal) {
    if (trimmed(deal.title).empty()) return "Title is required";
    if (deal.value < 0) return "Value must be zero or more";
    if (deal.probability && (*deal.probability < 0 || *deal.probability > 100)) {
        return "Probability must be between 0 and 100";
    }
    const Stage* stage = index.find_stage(deal.stage_id);
    if (!stage) return "Stage does not exist";
    const Pipeline* pipeline = index.find_pipeline(deal.pipeline_id);
    if (!pipeline) return "Pipeline does not exist";
    if (stage->pipeline_id != deal.pipeline_id) {
        return "Stage " + quoted(stage->name) + " is not in pipeline " + quoted(pipeline->name);
    }
    if (!deal.owner_id.empty() && !index.find_rep(deal.owner_id)) return "Owner does not exist";
    if (!deal.referred_by_deal_id.empty() && !index.deal_index(deal.referred_by_deal_id)) {
        return "Referring deal does not exist";
    }
    if (deal.status == DealStatus::Lost && trimmed(deal.lost_reason).empty()) {
        return "Lost reason is required";
    }
    if (deal.status == DealStatus::Nurture && !deal.revisit_on) return "Revisit date is required";
    return {};
}

CommandResult create_deal(Run& run, Deal deal, std::string label_prefix) {
    if (deal.pipeline_id.empty() && !deal.stage_id.empty()) {
        if (const Stage* stage = run.index.find_stage(deal.stage_id)) {
            deal.pipeline_id = stage->pipeline_id;
        }
    }
    if (deal.stage_id.empty()) {
        if (!run.index.find_pipeline(deal.pipeline_id)) return failure("Pipeline does not exist");
        const Stage* first = run.index.first_stage_of(deal.pipeline_id);
        if (!first) return failure("The pipeline has no stages");
        deal.stage_id = first->meta.id;
    }
    if (deal.owner_id.empty()) deal.owner_id = run.context.acting_rep_id;
    deal.title = trimmed(deal.title);
    deal.status = DealStatus::Open;
    deal.lost_reason.clear();
    deal.revisit_on.reset();
    deal.closed_at.reset();
    deal.checklist_done.clear();
    if (std::string problem = deal_problem_in(run.index, deal); !problem.empty()) {
        return failure(std::move(problem));
    }
    deal.stage_entered_at = run.context.now;
    const Placement placement =
        place_in_column(run, deal.stage_id, run.ws.deals.size(), std::nullopt);
    apply_renumbering(run, placement);
    deal.position = placement.position;
    const Id id = run.recorder.create(std::move(deal));
    const Deal& created = run.ws.deals.back();
    run.record_history(created, HistoryKind::Created, run.context.now, {}, DealStatus::Open);
    run.result.created_id = id;
    return run.finish(label_prefix + " " + quoted(created.title));
}

CommandResult edit_deal(Run& run, const cmd::EditDeal& command) {
    const auto i = run.live_deal(command.deal.meta.id);
    if (!i) return failure("Deal does not exist");
    const Deal& current = run.ws.deals[*i];
    Deal edited = command.deal;
    if (edited.stage_id != current.stage_id || edited.pipeline_id != current.pipeline_id) {
        return failure("Stage changes go through moving the deal");
    }
    if (edited.status != current.status) {
        return failure("Status changes go through win, lose, nurture or reopen");
    }
    edited.title = trimmed(edited.title);
    edited.lost_reason = trimmed(edited.lost_reason);
    edited.position = current.position;
    edited.stage_entered_at = current.stage_entered_at;
    edited.meta = current.meta;
    if (!status_is_closed(edited.status)) edited.closed_at.reset();
    if (std::string problem = deal_problem_in(run.index, edited); !problem.empty()) {
        return failure(std::move(problem));
    }
    const std::string label = "Edit " + quoted(current.title);
    run.recorder.update(*i, std::move(edited));
    return run.finish(label);
}

CommandResult move_deal(Run& run, const cmd::MoveDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    const auto target = run.live_stage(command.stage_id);
    if (!target) return failure("Stage does not exist");
    const Stage& to = run.ws.stages[*target];
    if (!run.index.find_pipeline(to.pipeline_id)) return failure("Pipeline does not exist");
    std::string error;
    const auto before = resolve_before(run, command.before_deal_id, to.meta.id, *i, error);
    if (!error.empty()) return failure(std::move(error));

    const Deal& current = run.ws.deals[*i];
    if (current.stage_id == to.meta.id) {
        // Dropped back into its own column: only its place may change.
        const Placement placement = place_in_column(run, to.meta.id, *i, before);
        const std::string label = "Reorder " + quoted(current.title);
        apply_renumbering(run, placement);
        Deal moved = run.ws.deals[*i];
        moved.position = placement.position;
        run.recorder.update(*i, std::move(moved));
        return run.finish(label);
    }

    if (const Stage* from = run.index.find_stage(current.stage_id)) {
        std::size_t unchecked = 0;
        for (const std::string& criterion : from->exit_criteria) {
            const auto& done = current.checklist_done;
            if (std::find(done.begin(), done.end(), criterion) == done.end()) ++unchecked;
        }
        if (unchecked > 0) {
            run.result.warning = std::to_string(unchecked) + " of " +
                                 std::to_string(from->exit_criteria.size()) + " exit criteria of " +
                                 quoted(from->name) + " were not done";
        }
    }

    const Placement placement = place_in_column(run, to.meta.id, *i, before);
    const std::string label = "Move " + quoted(current.title) + " to " + to.name;
    apply_renumbering(run, placement);
    Deal moved = run.ws.deals[*i];
    const Id from_stage = moved.stage_id;
    moved.stage_id = to.meta.id;
    moved.pipeline_id = to.pipeline_id;
    moved.position = placement.position;
    moved.stage_entered_at = run.context.now;
    moved.checklist_done.clear();
    run.recorder.update(*i, moved);
    run.record_history(moved, HistoryKind::StageChanged, run.context.now, from_stage, moved.status);
    return run.finish(label);
}

CommandResult reorder_deal(Run& run, const cmd::ReorderDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    return move_deal(run, {command.deal_id, run.ws.deals[*i].stage_id, command.before_deal_id});
}

// When a deal closes: now for today (or no date), the start of an earlier day otherwise,
// but never before the deal began (its Created event, which an import may have backdated).
std::optional<Timestamp> closing_time(const Run& run, const Deal& deal,
                                      std::optional<Day> closed_on, std::string& error) {
    const Timestamp now = run.context.now;
    if (!closed_on || *closed_on == day_of(now)) return now;
    if (*closed_on > day_of(now)) {
        error = "Close date cannot be in the future";
        return std::nullopt;
    }
    Timestamp began = deal.meta.created;
    const auto events = run.index.history_of(deal.meta.id);
    if (!events.empty()) began = std::min(began, events.front().at);
    if (*closed_on < day_of(began)) {
        error = "Close date cannot be before the deal was created";
        return std::nullopt;
    }
    return std::max(start_of_day(*closed_on), began);
}

CommandResult change_status(Run& run, std::size_t i, Deal changed, Timestamp at, std::string detail,
                            std::string label) {
    const DealStatus from_status = run.ws.deals[i].status;
    run.recorder.update(i, changed);
    run.record_history(changed, HistoryKind::StatusChanged, at, changed.stage_id, from_status,
                       std::move(detail));
    return run.finish(std::move(label));
}

CommandResult win_deal(Run& run, const cmd::WinDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    Deal deal = run.ws.deals[*i];
    if (deal.status == DealStatus::Won) return failure(quoted(deal.title) + " is already won");
    if (command.value && *command.value < 0) return failure("Value must be zero or more");
    std::string error;
    const auto closed_at = closing_time(run, deal, command.closed_on, error);
    if (!closed_at) return failure(std::move(error));
    if (command.value) deal.value = *command.value;
    deal.status = DealStatus::Won;
    deal.closed_at = closed_at;
    deal.lost_reason.clear();
    deal.revisit_on.reset();
    const std::string label = "Mark " + quoted(deal.title) + " as won";
    return change_status(run, *i, std::move(deal), *closed_at, {}, label);
}

CommandResult lose_deal(Run& run, const cmd::LoseDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    Deal deal = run.ws.deals[*i];
    if (deal.status == DealStatus::Lost) return failure(quoted(deal.title) + " is already lost");
    std::string reason = trimmed(command.reason);
    if (reason.empty()) return failure("Lost reason is required");
    std::string error;
    const auto closed_at = closing_time(run, deal, command.closed_on, error);
    if (!closed_at) return failure(std::move(error));
    deal.status = DealStatus::Lost;
    deal.lost_reason = reason;
    deal.closed_at = closed_at;
    deal.revisit_on.reset();
    const std::string label = "Mark " + quoted(deal.title) + " as lost";
    return change_status(run, *i, std::move(deal), *closed_at, std::move(reason), label);
}

CommandResult nurture_deal(Run& run, const cmd::NurtureDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    Deal deal = run.ws.deals[*i];
    if (deal.status == DealStatus::Nurture) {
        return failure(quoted(deal.title) + " is already in nurture");
    }
    if (deal.status == DealStatus::Won) return failure("A won deal cannot go to nurture");
    if (!command.revisit_on) return failure("Revisit date is required");
    if (*command.revisit_on < day_of(run.context.now)) {
        return failure("Revisit date cannot be in the past");
    }
    deal.status = DealStatus::Nurture;
    deal.revisit_on = command.revisit_on;
    deal.closed_at.reset();
    deal.lost_reason.clear();
    const std::string label = "Move " + quoted(deal.title) + " to nurture";
    return change_status(run, *i, std::move(deal), run.context.now,
                         "Revisit on " + format_day(*command.revisit_on), label);
}

CommandResult reopen_deal(Run& run, const cmd::ReopenDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    Deal deal = run.ws.deals[*i];
    if (deal.status == DealStatus::Open) return failure(quoted(deal.title) + " is already open");
    deal.status = DealStatus::Open;
    deal.closed_at.reset();
    deal.lost_reason.clear();
    deal.revisit_on.reset();
    // Back in play from today: days spent closed must not count as idling in the stage.
    deal.stage_entered_at = run.context.now;
    const std::string label = "Reopen " + quoted(deal.title);
    return change_status(run, *i, std::move(deal), run.context.now, {}, label);
}

CommandResult delete_deal(Run& run, const cmd::DeleteDeal& command) {
    const auto i = run.live_deal(command.deal_id);
    if (!i) return failure("Deal does not exist");
    const std::string label = "Delete " + quoted(run.ws.deals[*i].title);
    const std::vector<std::size_t> activities = run.index.activities_of(command.deal_id).indexes();
    for (std::size_t a : activities) {
        Activity activity = run.ws.activities[a];
        activity.meta.deleted = true;
        run.recorder.update(a, std::move(activity));
    }
    Deal deal = run.ws.deals[*i];
    deal.meta.deleted = true;
    run.recorder.update(*i, std::move(deal));
    return run.finish(label);
}

CommandResult create_referral_lead(Run& run, const cmd::CreateReferralLead& command) {
    const auto referring = run.live_deal(command.referring_deal_id);
    if (!referring) return failure("Referring deal does not exist");
    const Deal& source = run.ws.deals[*referring];
    Deal lead;
    lead.pipeline_id = command.pipeline_id.empty() ? source.pipeline_id : command.pipeline_id;
    lead.title = command.title;
    lead.organization = command.organization;
    if (!trimmed(command.contact.name).empty()) lead.contacts.push_back(command.contact);
    lead.value = command.value;
    lead.lead_source = "Referral";
    lead.owner_id = source.owner_id;
    lead.referred_by_deal_id = source.meta.id;
    return create_deal(run, std::move(lead), "Add referral lead");
}

// [SECTION] activity commands

std::string activity_problem(const Run& run, const Activity& activity) {
    if (!run.live_deal(activity.deal_id)) return "Deal does not exist";
    if (trimmed(activity.subject).empty()) return "Subject is required";
    return {};
}

CommandResult create_activity(Run& run, const cmd::CreateActivity& command) {
    Activity activity = command.activity;
    activity.subject = trimmed(activity.subject);
    if (std::string problem = activity_problem(run, activity); !problem.empty()) {
        return failure(std::move(problem));
    }
    if (activity.done && !activity.done_at) activity.done_at = run.context.now;
    if (!activity.done) activity.done_at.reset();
    const std::string label = "Add activity " + quoted(activity.subject);
    run.result.created_id = run.recorder.create(std::move(activity));
    return run.finish(label);
}

CommandResult edit_activity(Run& run, const cmd::EditActivity& command) {
    const auto i = run.live_activity(command.activity.meta.id);
    if (!i) return failure("Activity does not exist");
    const Activity& current = run.ws.activities[*i];
    Activity edited = command.activity;
    if (edited.deal_id != current.deal_id) {
        return failure("An activity cannot move to another deal");
    }
    edited.meta = current.meta;
    edited.subject = trimmed(edited.subject);
    if (std::string problem = activity_problem(run, edited); !problem.empty()) {
        return failure(std::move(problem));
    }
    if (edited.done && !current.done && !edited.done_at) edited.done_at = run.context.now;
    if (!edited.done) edited.done_at.reset();
    const std::string label = "Edit activity " + quoted(current.subject);
    run.recorder.update(*i, std::move(edited));
    return run.finish(label);
}

CommandResult complete_activity(Run& run, const cmd::CompleteActivity& command) {
    const auto i = run.live_activity(command.activity_id);
    if (!i) return failure("Activity does not exist");
    Activity activity = run.ws.activities[*i];
    const std::string label =
        (command.done ? "Complete activity " : "Mark not done: ") + quoted(activity.subject);
    if (activity.done != command.done) {
        activity.done = command.done;
        activity.done_at = command.done ? std::optional<Timestamp>(run.context.now) : std::nullopt;
        run.recorder.update(*i, std::move(activity));
    }
    return run.finish(label);
}

CommandResult delete_activity(Run& run, const cmd::DeleteActivity& command) {
    const auto i = run.live_activity(command.activity_id);
    if (!i) return failure("Activity does not exist");
    Activity activity = run.ws.activities[*i];
    const std::string label = "Delete activity " + quoted(activity.subject);
    activity.meta.deleted = true;
    run.recorder.update(*i, std::move(activity));
    return run.finish(label);
}

// [SECTION] stage commands

std::string stage_problem(const Run& run, const Stage& stage) {
    if (trimmed(stage.name).empty()) return "Stage name is required";
    if (stage.probability < 0 || stage.probability > 100) {
        return "Probability must be between 0 and 100";
    }
    if (stage.rotting_days < 0) return "Rotting days must be zero or more";
    for (const Stage& other : run.index.stages_of(stage.pipeline_id)) {
        if (other.meta.id != stage.meta.id && same_ignoring_case(other.name, trimmed(stage.name))) {
            return "A stage named " + quoted(other.name) + " already exists in this pipeline";
        }
    }
    return {};
}

// Gives the pipeline's live stages the positions 0, 1, 2... in `order`.
void renumber_stages(Run& run, const std::vector<std::size_t>& order) {
    for (std::size_t slot = 0; slot < order.size(); ++slot) {
        Stage stage = run.ws.stages[order[slot]];
        stage.position = static_cast<int>(slot);
        run.recorder.update(order[slot], std::move(stage));
    }
}

CommandResult add_stage(Run& run, const cmd::AddStage& command) {
    Stage stage = command.stage;
    stage.meta.id.clear();
    if (!run.index.find_pipeline(stage.pipeline_id)) return failure("Pipeline does not exist");
    stage.name = trimmed(stage.name);
    stage.exit_criteria = cleaned_list(stage.exit_criteria);
    if (std::string problem = stage_problem(run, stage); !problem.empty()) {
        return failure(std::move(problem));
    }
    std::vector<std::size_t> order = run.index.stages_of(stage.pipeline_id).indexes();
    const int count = static_cast<int>(order.size());
    const int slot = std::clamp(command.insert_at.value_or(count), 0, count);
    stage.position = slot;
    const std::string label = "Add stage " + quoted(stage.name);
    run.result.created_id = run.recorder.create(std::move(stage));
    order.insert(order.begin() + slot, run.ws.stages.size() - 1);
    renumber_stages(run, order);
    return run.finish(label);
}

CommandResult edit_stage(Run& run, const cmd::EditStage& command) {
    const auto i = run.live_stage(command.stage.meta.id);
    if (!i) return failure("Stage does not exist");
    const Stage& current = run.ws.stages[*i];
    Stage edited = command.stage;
    if (edited.pipeline_id != current.pipeline_id) {
        return failure("A stage cannot move to another pipeline");
    }
    edited.meta = current.meta;
    edited.name = trimmed(edited.name);
    edited.exit_criteria = cleaned_list(edited.exit_criteria);
    edited.position = current.position;
    if (std::string problem = stage_problem(run, edited); !problem.empty()) {
        return failure(std::move(problem));
    }
    Stage renamed_only = current;
    renamed_only.name = edited.name;
    Stage recoloured_only = current;
    recoloured_only.color = edited.color;
    std::string label = "Edit stage " + quoted(current.name);
    if (content_hash(renamed_only) == content_hash(edited)) {
        label = "Rename stage " + quoted(current.name) + " to " + quoted(edited.name);
    } else if (content_hash(recoloured_only) == content_hash(edited)) {
        label = "Recolour stage " + quoted(current.name);
    }
    run.recorder.update(*i, std::move(edited));
    return run.finish(label);
}

CommandResult rename_stage(Run& run, const cmd::RenameStage& command) {
    const auto i = run.live_stage(command.stage_id);
    if (!i) return failure("Stage does not exist");
    Stage stage = run.ws.stages[*i];
    stage.name = command.name;
    return edit_stage(run, {std::move(stage)});
}

CommandResult recolour_stage(Run& run, const cmd::RecolourStage& command) {
    const auto i = run.live_stage(command.stage_id);
    if (!i) return failure("Stage does not exist");
    Stage stage = run.ws.stages[*i];
    stage.color = command.color;
    return edit_stage(run, {std::move(stage)});
}

CommandResult reorder_stage(Run& run, const cmd::ReorderStage& command) {
    const auto i = run.live_stage(command.stage_id);
    if (!i) return failure("Stage does not exist");
    const Stage& stage = run.ws.stages[*i];
    std::vector<std::size_t> order = run.index.stages_of(stage.pipeline_id).indexes();
    order.erase(std::find(order.begin(), order.end(), *i));
    const int slot = std::clamp(command.new_index, 0, static_cast<int>(order.size()));
    order.insert(order.begin() + slot, *i);
    const std::string label = "Reorder stage " + quoted(stage.name);
    renumber_stages(run, order);
    return run.finish(label);
}

CommandResult delete_stage(Run& run, const cmd::DeleteStage& command) {
    const auto i = run.live_stage(command.stage_id);
    if (!i) return failure("Stage does not exist");
    const Stage& stage = run.ws.stages[*i];
    if (run.index.stages_of(stage.pipeline_id).size() <= 1) {
        return failure("A pipeline needs at least one stage");
    }
    const std::vector<std::size_t> deals = run.index.deals_in_stage(stage.meta.id).indexes();
    std::optional<std::size_t> target;
    if (!deals.empty()) {
        if (command.target_stage_id.empty()) {
            return failure("Choose a stage for the " + std::to_string(deals.size()) +
                           (deals.size() == 1 ? " deal in " : " deals in ") + quoted(stage.name));
        }
        if (command.target_stage_id == stage.meta.id) {
            return failure("Deals cannot move to the stage being deleted");
        }
        target = run.live_stage(command.target_stage_id);
        if (!target) return failure("Target stage does not exist");
    }
    const std::string label = "Delete stage " + quoted(stage.name);

    if (target) {
        const Stage& to = run.ws.stages[*target];
        const auto destination = run.index.deals_in_stage(to.meta.id);
        double position = destination.empty() ? 1.0 : destination.back().position + 1.0;
        if (!std::isfinite(position)) position = static_cast<double>(destination.size() + 1);
        for (std::size_t d : deals) {
            Deal moved = run.ws.deals[d];
            const Id from_stage = moved.stage_id;
            moved.stage_id = to.meta.id;
            moved.pipeline_id = to.pipeline_id;
            moved.position = position;
            position += 1.0;
            moved.stage_entered_at = run.context.now;
            moved.checklist_done.clear();
            run.recorder.update(d, moved);
            run.record_history(moved, HistoryKind::StageChanged, run.context.now, from_stage,
                               moved.status);
        }
    }
    Stage deleted = run.ws.stages[*i];
    deleted.meta.deleted = true;
    run.recorder.update(*i, std::move(deleted));
    return run.finish(label);
}

// [SECTION] pipelines, reps, targets, lists, workspace

std::string pipeline_problem(const Run& run, const std::string& name, const Id& self) {
    if (name.empty()) return "Pipeline name is required";
    for (const Pipeline& other : run.index.pipelines()) {
        if (other.meta.id != self && same_ignoring_case(other.name, name)) {
            return "A pipeline named " + quoted(other.name) + " already exists";
        }
    }
    return {};
}

void add_default_stages(Recorder& recorder, const Id& pipeline_id) {
    int position = 0;
    for (const StageTemplate& stage_template : default_stage_templates()) {
        Stage stage;
        stage.pipeline_id = pipeline_id;
        stage.name = stage_template.name;
        stage.position = position++;
        stage.color = stage_template.color;
        stage.probability = stage_template.probability;
        stage.rotting_days = stage_template.rotting_days;
        recorder.create(std::move(stage));
    }
}

CommandResult add_pipeline(Run& run, const cmd::AddPipeline& command) {
    Pipeline pipeline;
    pipeline.name = trimmed(command.name);
    if (std::string problem = pipeline_problem(run, pipeline.name, {}); !problem.empty()) {
        return failure(std::move(problem));
    }
    const auto existing = run.index.pipelines();
    pipeline.position = existing.empty() ? 0 : existing.back().position + 1;
    const std::string label = "Add pipeline " + quoted(pipeline.name);
    const Id id = run.recorder.create(std::move(pipeline));
    if (command.with_default_stages) add_default_stages(run.recorder, id);
    run.result.created_id = id;
    return run.finish(label);
}

CommandResult rename_pipeline(Run& run, const cmd::RenamePipeline& command) {
    const auto i = run.index.pipeline_index(command.pipeline_id);
    if (!i || run.ws.pipelines[*i].meta.deleted) return failure("Pipeline does not exist");
    Pipeline pipeline = run.ws.pipelines[*i];
    const std::string name = trimmed(command.name);
    if (std::string problem = pipeline_problem(run, name, pipeline.meta.id); !problem.empty()) {
        return failure(std::move(problem));
    }
    const std::string label = "Rename pipeline " + quoted(pipeline.name) + " to " + quoted(name);
    pipeline.name = name;
    run.recorder.update(*i, std::move(pipeline));
    return run.finish(label);
}

std::string rep_problem(const Run& run, const Rep& rep) {
    if (rep.name.empty()) return "Rep name is required";
    if (!rep.email.empty() && !plausible_email(rep.email)) {
        return "Email " + quoted(rep.email) + " is not an email address";
    }
    for (const Rep& other : run.ws.reps) {
        if (!other.meta.deleted && other.meta.id != rep.meta.id &&
            same_ignoring_case(other.name, rep.name)) {
            return "A rep named " + quoted(other.name) + " already exists";
        }
    }
    return {};
}

CommandResult add_rep(Run& run, const cmd::AddRep& command) {
    Rep rep = command.rep;
    rep.meta = RecordMeta{};
    rep.name = trimmed(rep.name);
    rep.email = trimmed(rep.email);
    if (std::string problem = rep_problem(run, rep); !problem.empty()) {
        return failure(std::move(problem));
    }
    const std::string label = "Add rep " + quoted(rep.name);
    run.result.created_id = run.recorder.create(std::move(rep));
    return run.finish(label);
}

CommandResult edit_rep(Run& run, const cmd::EditRep& command) {
    const auto i = run.index.rep_index(command.rep.meta.id);
    if (!i || run.ws.reps[*i].meta.deleted) return failure("Rep does not exist");
    Rep rep = command.rep;
    rep.meta = run.ws.reps[*i].meta;
    rep.name = trimmed(rep.name);
    rep.email = trimmed(rep.email);
    if (std::string problem = rep_problem(run, rep); !problem.empty()) {
        return failure(std::move(problem));
    }
    const std::string label = "Edit rep " + quoted(run.ws.reps[*i].name);
    run.recorder.update(*i, std::move(rep));
    return run.finish(label);
}

CommandResult set_target(Run& run, const cmd::SetTarget& command) {
    Target target = command.target;
    if (target.amount < 0) return failure("Target must be zero or more");
    if (!target.rep_id.empty() && !run.index.find_rep(target.rep_id)) {
        return failure("Rep does not exist");
    }
    if (target.period_start) {
        target.period_start = target.period == TargetPeriod::Month
                                  ? start_of_month(*target.period_start)
                                  : start_of_quarter(*target.period_start);
    }
    std::optional<std::size_t> existing;
    if (!target.meta.id.empty()) {
        existing = run.index.target_index(target.meta.id);
        if (!existing || run.ws.targets[*existing].meta.deleted) {
            return failure("Target does not exist");
        }
    } else {
        for (std::size_t i = 0; i < run.ws.targets.size(); ++i) {
            const Target& other = run.ws.targets[i];
            if (!other.meta.deleted && other.rep_id == target.rep_id &&
                other.period == target.period && other.period_start == target.period_start) {
                existing = i;
                break;
            }
        }
    }
    if (existing) {
        target.meta = run.ws.targets[*existing].meta;
        run.recorder.update(*existing, std::move(target));
    } else {
        run.result.created_id = run.recorder.create(std::move(target));
    }
    return run.finish("Set target");
}

CommandResult delete_target(Run& run, const cmd::DeleteTarget& command) {
    const auto i = run.index.target_index(command.target_id);
    if (!i || run.ws.targets[*i].meta.deleted) return failure("Target does not exist");
    Target target = run.ws.targets[*i];
    target.meta.deleted = true;
    run.recorder.update(*i, std::move(target));
    return run.finish("Delete target");
}

CommandResult edit_lists(Run& run, const cmd::EditLists& command) {
    WorkspaceProperties properties = properties_of(run.ws);
    properties.lists.lead_sources = cleaned_list(command.lists.lead_sources);
    properties.lists.industries = cleaned_list(command.lists.industries);
    properties.lists.lost_reasons = cleaned_list(command.lists.lost_reasons);
    properties.lists.labels = cleaned_list(command.lists.labels);
    const EditableLists& current = run.ws.lists;
    const EditableLists& next = properties.lists;
    if (current.lead_sources != next.lead_sources || current.industries != next.industries ||
        current.lost_reasons != next.lost_reasons || current.labels != next.labels) {
        run.recorder.set_properties(std::move(properties));
    }
    return run.finish("Edit lists");
}

bool is_currency_code(std::string_view code) {
    return code.size() == 3 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

CommandResult edit_workspace(Run& run, const cmd::EditWorkspace& command) {
    WorkspaceProperties properties = properties_of(run.ws);
    properties.name = trimmed(command.name);
    properties.currency = command.currency;
    properties.currency.symbol = trimmed(properties.currency.symbol);
    if (properties.name.empty()) return failure("Workspace name is required");
    if (!is_currency_code(properties.currency.code)) {
        return failure("Currency code must be three capital letters, like USD");
    }
    if (properties.currency.minor_digits < 0 || properties.currency.minor_digits > 4) {
        return failure("Currency decimals must be between 0 and 4");
    }
    const Currency& current = run.ws.currency;
    if (properties.name != run.ws.name || properties.currency.code != current.code ||
        properties.currency.symbol != current.symbol ||
        properties.currency.minor_digits != current.minor_digits) {
        run.recorder.set_properties(std::move(properties));
    }
    return run.finish("Edit workspace settings");
}

// [SECTION] undo and redo

enum class Direction { Back, Forward };

// Checks that every record of `changes` is still in the workspace.
template <typename Record>
bool all_present(const WorkspaceIndex& index, const ChangeSet& changes) {
    for (const auto& change : changes_of<Record>(changes)) {
        if (!index_of<Record>(index, change.after.meta.id)) return false;
    }
    return true;
}

// Puts each record back to its state before (or after) the changes, as new revisions.
template <typename Record>
void replay(Workspace& ws, const WorkspaceIndex& index, const ChangeSet& changes,
            Direction direction, Recorder& recorder) {
    const auto& list = changes_of<Record>(changes);
    const auto restore = [&](const RecordChange<Record>& change) {
        const std::size_t i = *index_of<Record>(index, change.after.meta.id);
        Record content;
        if (direction == Direction::Forward) {
            content = change.after;
        } else if (change.before) {
            content = *change.before;
        } else {
            // Undoing a creation: the record stays as a tombstone so merges see it go.
            content = records_of<Record>(ws)[i];
            content.meta.deleted = true;
        }
        recorder.update(i, std::move(content));
    };
    if (direction == Direction::Back) {
        std::for_each(list.rbegin(), list.rend(), restore);
    } else {
        std::for_each(list.begin(), list.end(), restore);
    }
}

CommandResult replay_changes(Workspace& ws, WorkspaceIndex& index, IdGenerator& ids,
                             const ChangeSet& changes, Direction direction, Timestamp now) {
    const bool present = all_present<Pipeline>(index, changes) &&
                         all_present<Stage>(index, changes) && all_present<Rep>(index, changes) &&
                         all_present<Target>(index, changes) && all_present<Deal>(index, changes) &&
                         all_present<Activity>(index, changes) &&
                         all_present<HistoryEvent>(index, changes);
    if (!present) return failure("This change can no longer be undone or redone");
    CommandContext context{now, {}};
    Run run(ws, index, ids, context);
    replay<Pipeline>(ws, index, changes, direction, run.recorder);
    replay<Stage>(ws, index, changes, direction, run.recorder);
    replay<Rep>(ws, index, changes, direction, run.recorder);
    replay<Target>(ws, index, changes, direction, run.recorder);
    replay<Deal>(ws, index, changes, direction, run.recorder);
    replay<Activity>(ws, index, changes, direction, run.recorder);
    replay<HistoryEvent>(ws, index, changes, direction, run.recorder);
    const auto& properties =
        direction == Direction::Back ? changes.properties_before : changes.properties_after;
    if (properties) run.recorder.set_properties(*properties);
    return run.finish({});
}

}  // namespace

std::string deal_problem(const WorkspaceIndex& index, const Deal& deal) {
    return deal_problem_in(index, deal);
}

Workspace make_workspace(std::string name, IdGenerator& ids, Timestamp now) {
    Workspace ws;
    ws.id = ids.next();
    if (!trimmed(name).empty()) ws.name = trimmed(name);
    ws.created = now;
    ws.currency = Currency{"USD", "$", 2};
    ws.lists.lead_sources = {"Website", "Referral", "Ads", "Events", "Cold outreach", "Partner"};
    ws.lists.industries = {"Software", "Manufacturing", "Retail",   "Healthcare",
                           "Finance",  "Education",     "Logistics"};
    ws.lists.lost_reasons = {"Price",     "Timing",      "Competitor",
                             "No budget", "No decision", "Lost contact"};
    Recorder recorder(ws, ids, now);
    Pipeline pipeline;
    pipeline.name = "Sales pipeline";
    const Id pipeline_id = recorder.create(std::move(pipeline));
    add_default_stages(recorder, pipeline_id);
    return ws;
}

CommandResult execute(Workspace& workspace, WorkspaceIndex& index, IdGenerator& ids,
                      const Command& command, const CommandContext& context) {
    if (!index.has_workspace() || &index.workspace() != &workspace) index.rebuild(workspace);
    Run run(workspace, index, ids, context);
    return std::visit(
        [&](const auto& c) -> CommandResult {
            using C = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<C, cmd::CreateDeal>)
                return create_deal(run, c.deal, "Add deal");
            if constexpr (std::is_same_v<C, cmd::EditDeal>) return edit_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::MoveDeal>) return move_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::ReorderDeal>) return reorder_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::WinDeal>) return win_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::LoseDeal>) return lose_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::NurtureDeal>) return nurture_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::ReopenDeal>) return reopen_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::DeleteDeal>) return delete_deal(run, c);
            if constexpr (std::is_same_v<C, cmd::CreateReferralLead>) {
                return create_referral_lead(run, c);
            }
            if constexpr (std::is_same_v<C, cmd::CreateActivity>) return create_activity(run, c);
            if constexpr (std::is_same_v<C, cmd::EditActivity>) return edit_activity(run, c);
            if constexpr (std::is_same_v<C, cmd::CompleteActivity>) {
                return complete_activity(run, c);
            }
            if constexpr (std::is_same_v<C, cmd::DeleteActivity>) return delete_activity(run, c);
            if constexpr (std::is_same_v<C, cmd::AddStage>) return add_stage(run, c);
            if constexpr (std::is_same_v<C, cmd::EditStage>) return edit_stage(run, c);
            if constexpr (std::is_same_v<C, cmd::RenameStage>) return rename_stage(run, c);
            if constexpr (std::is_same_v<C, cmd::RecolourStage>) return recolour_stage(run, c);
            if constexpr (std::is_same_v<C, cmd::ReorderStage>) return reorder_stage(run, c);
            if constexpr (std::is_same_v<C, cmd::DeleteStage>) return delete_stage(run, c);
            if constexpr (std::is_same_v<C, cmd::AddPipeline>) return add_pipeline(run, c);
            if constexpr (std::is_same_v<C, cmd::RenamePipeline>) return rename_pipeline(run, c);
            if constexpr (std::is_same_v<C, cmd::AddRep>) return add_rep(run, c);
            if constexpr (std::is_same_v<C, cmd::EditRep>) return edit_rep(run, c);
            if constexpr (std::is_same_v<C, cmd::SetTarget>) return set_target(run, c);
            if constexpr (std::is_same_v<C, cmd::DeleteTarget>) return delete_target(run, c);
            if constexpr (std::is_same_v<C, cmd::EditLists>) return edit_lists(run, c);
            if constexpr (std::is_same_v<C, cmd::EditWorkspace>) return edit_workspace(run, c);
        },
        command);
}

// [SECTION] Session

Session::Session(Workspace& workspace, IdGenerator& ids) : workspace_(workspace), ids_(ids) {
    index_.rebuild(workspace_);
}

CommandResult Session::apply(const Command& command, Timestamp now) {
    CommandResult result =
        execute(workspace_, index_, ids_, command, CommandContext{now, acting_rep_id_});
    if (!result.ok || result.changes.empty()) return result;
    undo_.push_back({result.label, result.changes});
    while (undo_.size() > undo_limit_) undo_.pop_front();
    redo_.clear();
    notify(result.changes);
    return result;
}

CommandResult Session::undo(Timestamp now) {
    if (undo_.empty()) return failure("Nothing to undo");
    Entry entry = std::move(undo_.back());
    undo_.pop_back();
    CommandResult result =
        replay_changes(workspace_, index_, ids_, entry.changes, Direction::Back, now);
    result.label = entry.label;
    if (!result.ok) return result;
    redo_.push_back(std::move(entry));
    notify(result.changes);
    return result;
}

CommandResult Session::redo(Timestamp now) {
    if (redo_.empty()) return failure("Nothing to redo");
    Entry entry = std::move(redo_.back());
    redo_.pop_back();
    CommandResult result =
        replay_changes(workspace_, index_, ids_, entry.changes, Direction::Forward, now);
    result.label = entry.label;
    if (!result.ok) return result;
    undo_.push_back(std::move(entry));
    notify(result.changes);
    return result;
}

std::string Session::undo_label() const {
    return undo_.empty() ? std::string() : undo_.back().label;
}

std::string Session::redo_label() const {
    return redo_.empty() ? std::string() : redo_.back().label;
}

void Session::set_undo_limit(std::size_t limit) {
    undo_limit_ = limit > 0 ? limit : 1;
    while (undo_.size() > undo_limit_) undo_.pop_front();
}

void Session::reset() {
    index_.rebuild(workspace_);
    undo_.clear();
    redo_.clear();
}

void Session::notify(const ChangeSet& changes) const {
    if (listener_) listener_(changes);
}

}  // namespace pb

// The workspace index: built in one pass, then updated from each command's ChangeSet so a
// move or an edit costs time proportional to the columns and deals it touches.
#include "workspace_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "commands.hpp"

namespace pb {

const std::vector<std::size_t> WorkspaceIndex::kNone;

bool is_overdue(const Activity& activity, Timestamp now) {
    return !activity.meta.deleted && activity_figures_of(activity, -1).overdue(now);
}

namespace {

// Positions that are not numbers (from hand-edited files) sort last instead of breaking the
// sort's ordering.
double sortable(double position) {
    return std::isnan(position) ? std::numeric_limits<double>::infinity() : position;
}

template <typename Record>
const Record* live(const std::vector<Record>& records, const IdPositions& positions, const Id& id) {
    const std::optional<std::size_t> found = positions.find(records, id);
    if (!found) return nullptr;
    const Record& record = records[*found];
    return record.meta.deleted ? nullptr : &record;
}

template <typename Record>
void index_ids(const std::vector<Record>& records, std::size_t from, IdPositions& positions) {
    for (std::size_t i = from; i < records.size(); ++i) positions.insert(records, i);
}

void add_unique(std::vector<Id>& ids, const Id& id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

// Column order: manual position, then workspace order for equal positions.
bool comes_before(const std::vector<Deal>& deals, std::size_t a, std::size_t b) {
    const double pa = sortable(deals[a].position);
    const double pb = sortable(deals[b].position);
    if (pa != pb) return pa < pb;
    return a < b;
}

// Up to this many deals entering columns are inserted in place; more are appended and the
// columns sorted once, so neither a single move nor a bulk change costs more than needed.
constexpr std::size_t kInsertInPlaceLimit = 64;

}  // namespace

void WorkspaceIndex::rebuild(const Workspace& workspace) {
    workspace_ = &workspace;
    counts_ = {};
    deal_by_id_.clear();
    stage_by_id_.clear();
    pipeline_by_id_.clear();
    rep_by_id_.clear();
    target_by_id_.clear();
    activity_by_id_.clear();
    history_by_id_.clear();
    live_pipelines_.clear();
    stages_by_pipeline_.clear();
    deals_by_stage_.clear();
    activities_by_deal_.clear();
    history_by_deal_.clear();
    search_arena_.clear();
    search_spans_.clear();
    deal_figures_.clear();
    deal_metric_figures_.clear();
    terms_.clear();
    activity_figures_.clear();
    history_figures_.clear();
    search_summaries_.clear();
    search_stale_bytes_ = 0;
    visit_arena_.clear();
    visit_spans_.clear();
    stale_visits_ = 0;
    all_visits_changed_ = true;
    deals_with_changed_visits_.clear();

    // Room for a quarter more records: reserved exactly, the first edit after a load (which
    // adds a history event) rehashed every id and moved every per-record vector, a 100 ms
    // frame in the browser at 100,000 deals.
    const auto room = [](std::size_t records) { return records + records / 4 + 64; };
    deal_by_id_.reserve(room(workspace.deals.size()));
    activity_by_id_.reserve(room(workspace.activities.size()));
    history_by_id_.reserve(room(workspace.history.size()));
    for (auto* per_deal : {&activities_by_deal_, &history_by_deal_})
        per_deal->reserve(room(workspace.deals.size()));
    search_spans_.reserve(room(workspace.deals.size()));
    deal_figures_.reserve(room(workspace.deals.size()));
    deal_metric_figures_.reserve(room(workspace.deals.size()));
    search_summaries_.reserve(room(workspace.deals.size()));
    activity_figures_.reserve(room(workspace.activities.size()));
    history_figures_.reserve(room(workspace.history.size()));
    visit_spans_.reserve(room(workspace.deals.size()));
    index_appended_records();
    refresh_stage_visits();
}

void WorkspaceIndex::index_appended_records() {
    const Workspace& ws = *workspace_;
    std::vector<Id> dirty_pipelines;
    std::vector<Id> dirty_stages;

    const bool pipelines_added = ws.pipelines.size() > counts_.pipelines;
    index_ids(ws.pipelines, counts_.pipelines, pipeline_by_id_);

    for (std::size_t i = counts_.stages; i < ws.stages.size(); ++i) {
        stage_by_id_.insert(ws.stages, i);
        add_unique(dirty_pipelines, ws.stages[i].pipeline_id);
    }
    index_ids(ws.reps, counts_.reps, rep_by_id_);
    index_ids(ws.targets, counts_.targets, target_by_id_);

    activities_by_deal_.resize(ws.deals.size());
    history_by_deal_.resize(ws.deals.size());
    search_spans_.resize(ws.deals.size());
    deal_figures_.resize(ws.deals.size());
    deal_metric_figures_.resize(ws.deals.size());
    search_summaries_.resize(ws.deals.size());
    visit_spans_.resize(ws.deals.size());
    const bool insert_in_place = ws.deals.size() - counts_.deals <= kInsertInPlaceLimit;
    for (std::size_t i = counts_.deals; i < ws.deals.size(); ++i) {
        const Deal& deal = ws.deals[i];
        deal_by_id_.insert(ws.deals, i);
        index_deal_summary(i);
        if (deal.meta.deleted) continue;
        if (insert_in_place) {
            insert_into_column(i);
        } else {
            deals_by_stage_[deal.stage_id].push_back(i);
            add_unique(dirty_stages, deal.stage_id);
        }
    }
    activity_figures_.resize(ws.activities.size());
    for (std::size_t i = counts_.activities; i < ws.activities.size(); ++i) {
        activity_by_id_.insert(ws.activities, i);
        index_activity_figures(i);
        if (!ws.activities[i].meta.deleted) link_activity(i);
    }
    if (ws.stages.size() > counts_.stages) {
        resolve_unknown_stages();
        all_visits_changed_ = true;
    }
    history_figures_.resize(ws.history.size());
    for (std::size_t i = counts_.history; i < ws.history.size(); ++i) {
        history_by_id_.insert(ws.history, i);
        index_history_figures(i);
        if (!ws.history[i].meta.deleted) link_history(i);
    }

    counts_ = {ws.pipelines.size(), ws.stages.size(),     ws.reps.size(),   ws.targets.size(),
               ws.deals.size(),     ws.activities.size(), ws.history.size()};
    if (pipelines_added) sort_pipelines();
    sort_pipeline_stages(dirty_pipelines);
    sort_stage_columns(dirty_stages);
}

// Files the activity under the deal its figures found, reading only the compact figures.
void WorkspaceIndex::link_activity(std::size_t index) {
    const int deal = activity_figures_[index].deal;
    if (deal < 0) return;
    auto& list = activities_by_deal_[static_cast<std::size_t>(deal)];
    const auto earlier = [&](std::size_t a, std::size_t b) {
        const Timestamp due_a = activity_figures_[a].due;
        const Timestamp due_b = activity_figures_[b].due;
        if (due_a != due_b) return due_a < due_b;
        return a < b;
    };
    list.insert(std::upper_bound(list.begin(), list.end(), index, earlier), index);
}

void WorkspaceIndex::unlink_activity(std::size_t index, const Id& deal_id) {
    const auto deal = deal_index(deal_id);
    if (!deal) return;
    auto& list = activities_by_deal_[*deal];
    const auto found = std::find(list.begin(), list.end(), index);
    if (found != list.end()) list.erase(found);
}

// The same for a history event.
void WorkspaceIndex::link_history(std::size_t index) {
    const int deal = history_figures_[index].deal;
    if (deal < 0) return;
    auto& list = history_by_deal_[static_cast<std::size_t>(deal)];
    const auto earlier = [&](std::size_t a, std::size_t b) {
        const Timestamp at_a = history_figures_[a].at;
        const Timestamp at_b = history_figures_[b].at;
        if (at_a != at_b) return at_a < at_b;
        return a < b;
    };
    list.insert(std::upper_bound(list.begin(), list.end(), index, earlier), index);
    visits_changed(static_cast<std::size_t>(deal));
}

void WorkspaceIndex::unlink_history(std::size_t index, const Id& deal_id) {
    const auto deal = deal_index(deal_id);
    if (!deal) return;
    auto& list = history_by_deal_[*deal];
    const auto found = std::find(list.begin(), list.end(), index);
    if (found != list.end()) list.erase(found);
    visits_changed(*deal);
}

void WorkspaceIndex::insert_into_column(std::size_t deal) {
    const auto& deals = workspace_->deals;
    auto& column = deals_by_stage_[deals[deal].stage_id];
    const auto before = [&](std::size_t a, std::size_t b) { return comes_before(deals, a, b); };
    column.insert(std::upper_bound(column.begin(), column.end(), deal, before), deal);
}

void WorkspaceIndex::sort_stage_columns(const std::vector<Id>& stage_ids) {
    const auto& deals = workspace_->deals;
    const auto before = [&](std::size_t a, std::size_t b) { return comes_before(deals, a, b); };
    for (const Id& stage_id : stage_ids) {
        const auto column = deals_by_stage_.find(stage_id);
        if (column != deals_by_stage_.end()) {
            std::sort(column->second.begin(), column->second.end(), before);
        }
    }
}

void WorkspaceIndex::sort_pipeline_stages(const std::vector<Id>& pipeline_ids) {
    const auto& stages = workspace_->stages;
    for (const Id& pipeline_id : pipeline_ids) {
        auto& list = stages_by_pipeline_[pipeline_id];
        list.clear();
        for (std::size_t i = 0; i < stages.size(); ++i) {
            if (!stages[i].meta.deleted && stages[i].pipeline_id == pipeline_id) list.push_back(i);
        }
        std::sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
            if (stages[a].position != stages[b].position) {
                return stages[a].position < stages[b].position;
            }
            return a < b;
        });
    }
}

void WorkspaceIndex::sort_pipelines() {
    const auto& pipelines = workspace_->pipelines;
    live_pipelines_.clear();
    for (std::size_t i = 0; i < pipelines.size(); ++i) {
        if (!pipelines[i].meta.deleted) live_pipelines_.push_back(i);
    }
    std::sort(live_pipelines_.begin(), live_pipelines_.end(), [&](std::size_t a, std::size_t b) {
        if (pipelines[a].position != pipelines[b].position) {
            return pipelines[a].position < pipelines[b].position;
        }
        return a < b;
    });
}

bool WorkspaceIndex::matches_workspace(const ChangeSet& changes) const {
    const Workspace& ws = *workspace_;
    if (ws.pipelines.size() < counts_.pipelines || ws.stages.size() < counts_.stages ||
        ws.reps.size() < counts_.reps || ws.targets.size() < counts_.targets ||
        ws.deals.size() < counts_.deals || ws.activities.size() < counts_.activities ||
        ws.history.size() < counts_.history) {
        return false;
    }
    // Every changed record must be known (after indexing appended ones) at a matching slot.
    const auto known = [](const IdPositions& positions, const auto& records, const Id& id) {
        return positions.find(records, id).has_value();
    };
    for (const auto& c : changes.deals) {
        if (!known(deal_by_id_, ws.deals, c.after.meta.id)) return false;
    }
    for (const auto& c : changes.stages) {
        if (!known(stage_by_id_, ws.stages, c.after.meta.id)) return false;
    }
    for (const auto& c : changes.activities) {
        if (!known(activity_by_id_, ws.activities, c.after.meta.id)) return false;
    }
    for (const auto& c : changes.history) {
        if (!known(history_by_id_, ws.history, c.after.meta.id)) return false;
    }
    return true;
}

void WorkspaceIndex::apply(const ChangeSet& changes) {
    if (!workspace_) return;
    const Workspace& ws = *workspace_;
    const Counts previous = counts_;
    const bool shrunk =
        ws.deals.size() < previous.deals || ws.activities.size() < previous.activities ||
        ws.history.size() < previous.history || ws.stages.size() < previous.stages ||
        ws.pipelines.size() < previous.pipelines || ws.reps.size() < previous.reps ||
        ws.targets.size() < previous.targets;
    if (shrunk) {
        rebuild(ws);
        return;
    }
    index_appended_records();
    if (!matches_workspace(changes)) {
        rebuild(ws);
        return;
    }

    // Deals: collect the columns whose membership or order may have changed, drop the changed
    // deals from them in one pass per column, then put the live ones back and re-sort.
    std::vector<std::size_t> moved_deals;
    std::vector<Id> affected_stages;
    for (const auto& change : changes.deals) {
        const std::size_t i = *deal_by_id_.find(ws.deals, change.after.meta.id);
        if (i >= previous.deals || !change.before) continue;
        index_deal_summary(i);
        const Deal& before = *change.before;
        const Deal& after = ws.deals[i];
        if (before.stage_id == after.stage_id && before.position == after.position &&
            before.meta.deleted == after.meta.deleted) {
            continue;
        }
        moved_deals.push_back(i);
        add_unique(affected_stages, before.stage_id);
        add_unique(affected_stages, after.stage_id);
    }
    if (!moved_deals.empty()) {
        std::sort(moved_deals.begin(), moved_deals.end());
        moved_deals.erase(std::unique(moved_deals.begin(), moved_deals.end()), moved_deals.end());
        for (const Id& stage_id : affected_stages) {
            auto column = deals_by_stage_.find(stage_id);
            if (column == deals_by_stage_.end()) continue;
            std::erase_if(column->second, [&](std::size_t i) {
                return std::binary_search(moved_deals.begin(), moved_deals.end(), i);
            });
        }
        const bool insert_in_place = moved_deals.size() <= kInsertInPlaceLimit;
        for (const std::size_t i : moved_deals) {
            if (ws.deals[i].meta.deleted) continue;
            if (insert_in_place) {
                insert_into_column(i);
            } else {
                deals_by_stage_[ws.deals[i].stage_id].push_back(i);
            }
        }
        if (!insert_in_place) sort_stage_columns(affected_stages);
    }

    for (const auto& change : changes.activities) {
        const std::size_t i = *activity_by_id_.find(ws.activities, change.after.meta.id);
        if (i >= previous.activities || !change.before) continue;
        index_activity_figures(i);
        const Activity& before = *change.before;
        const Activity& after = ws.activities[i];
        if (before.deal_id == after.deal_id && before.due == after.due &&
            before.meta.deleted == after.meta.deleted) {
            continue;
        }
        if (!before.meta.deleted) unlink_activity(i, before.deal_id);
        if (!after.meta.deleted) link_activity(i);
    }

    for (const auto& change : changes.history) {
        const std::size_t i = *history_by_id_.find(ws.history, change.after.meta.id);
        if (i >= previous.history || !change.before) continue;
        index_history_figures(i);
        const HistoryEvent& before = *change.before;
        const HistoryEvent& after = ws.history[i];
        if (before.deal_id == after.deal_id && before.at == after.at &&
            before.meta.deleted == after.meta.deleted) {
            continue;
        }
        if (!before.meta.deleted) unlink_history(i, before.deal_id);
        if (!after.meta.deleted) link_history(i);
    }

    std::vector<Id> affected_pipelines;
    for (const auto& change : changes.stages) {
        if (change.before) add_unique(affected_pipelines, change.before->pipeline_id);
        add_unique(affected_pipelines, change.after.pipeline_id);
    }
    sort_pipeline_stages(affected_pipelines);
    if (!changes.pipelines.empty()) sort_pipelines();
    refresh_stage_visits();
}

std::optional<std::size_t> WorkspaceIndex::deal_index(const Id& id) const {
    return workspace_ ? deal_by_id_.find(workspace_->deals, id) : std::nullopt;
}
std::optional<std::size_t> WorkspaceIndex::stage_index(const Id& id) const {
    return workspace_ ? stage_by_id_.find(workspace_->stages, id) : std::nullopt;
}
std::optional<std::size_t> WorkspaceIndex::pipeline_index(const Id& id) const {
    return workspace_ ? pipeline_by_id_.find(workspace_->pipelines, id) : std::nullopt;
}
std::optional<std::size_t> WorkspaceIndex::rep_index(const Id& id) const {
    return workspace_ ? rep_by_id_.find(workspace_->reps, id) : std::nullopt;
}
std::optional<std::size_t> WorkspaceIndex::target_index(const Id& id) const {
    return workspace_ ? target_by_id_.find(workspace_->targets, id) : std::nullopt;
}
std::optional<std::size_t> WorkspaceIndex::activity_index(const Id& id) const {
    return workspace_ ? activity_by_id_.find(workspace_->activities, id) : std::nullopt;
}
std::optional<std::size_t> WorkspaceIndex::history_index(const Id& id) const {
    return workspace_ ? history_by_id_.find(workspace_->history, id) : std::nullopt;
}

const Deal* WorkspaceIndex::find_deal(const Id& id) const {
    return workspace_ ? live(workspace_->deals, deal_by_id_, id) : nullptr;
}
const Stage* WorkspaceIndex::find_stage(const Id& id) const {
    return workspace_ ? live(workspace_->stages, stage_by_id_, id) : nullptr;
}
const Pipeline* WorkspaceIndex::find_pipeline(const Id& id) const {
    return workspace_ ? live(workspace_->pipelines, pipeline_by_id_, id) : nullptr;
}
const Rep* WorkspaceIndex::find_rep(const Id& id) const {
    return workspace_ ? live(workspace_->reps, rep_by_id_, id) : nullptr;
}
const Target* WorkspaceIndex::find_target(const Id& id) const {
    return workspace_ ? live(workspace_->targets, target_by_id_, id) : nullptr;
}
const Activity* WorkspaceIndex::find_activity(const Id& id) const {
    return workspace_ ? live(workspace_->activities, activity_by_id_, id) : nullptr;
}

RecordView<Pipeline> WorkspaceIndex::pipelines() const {
    static const std::vector<Pipeline> kNoPipelines;
    if (!workspace_) return {kNoPipelines, kNone};
    return {workspace_->pipelines, live_pipelines_};
}

RecordView<Stage> WorkspaceIndex::stages_of(const Id& pipeline_id) const {
    static const std::vector<Stage> kNoStages;
    if (!workspace_) return {kNoStages, kNone};
    const auto found = stages_by_pipeline_.find(pipeline_id);
    return {workspace_->stages, found == stages_by_pipeline_.end() ? kNone : found->second};
}

const Stage* WorkspaceIndex::first_stage_of(const Id& pipeline_id) const {
    const RecordView<Stage> stages = stages_of(pipeline_id);
    return stages.empty() ? nullptr : &stages.front();
}

RecordView<Deal> WorkspaceIndex::deals_in_stage(const Id& stage_id) const {
    static const std::vector<Deal> kNoDeals;
    if (!workspace_) return {kNoDeals, kNone};
    const auto found = deals_by_stage_.find(stage_id);
    return {workspace_->deals, found == deals_by_stage_.end() ? kNone : found->second};
}

RecordView<Activity> WorkspaceIndex::activities_of(const Id& deal_id) const {
    static const std::vector<Activity> kNoActivities;
    if (!workspace_) return {kNoActivities, kNone};
    const auto deal = deal_index(deal_id);
    return {workspace_->activities, deal ? activities_by_deal_[*deal] : kNone};
}

RecordView<HistoryEvent> WorkspaceIndex::history_of(const Id& deal_id) const {
    static const std::vector<HistoryEvent> kNoHistory;
    if (!workspace_) return {kNoHistory, kNone};
    const auto deal = deal_index(deal_id);
    return {workspace_->history, deal ? history_by_deal_[*deal] : kNone};
}

int WorkspaceIndex::stage_probability(const Deal& deal) const {
    if (deal.probability) return std::clamp(*deal.probability, 0, 100);
    const Stage* stage = find_stage(deal.stage_id);
    return stage ? std::clamp(stage->probability, 0, 100) : 0;
}

const Activity* WorkspaceIndex::next_activity(const Id& deal_id) const {
    for (const Activity& activity : activities_of(deal_id)) {
        if (!activity.done) return &activity;
    }
    return nullptr;
}

bool WorkspaceIndex::has_overdue_activity(const Id& deal_id, Timestamp now) const {
    for (const Activity& activity : activities_of(deal_id)) {
        if (is_overdue(activity, now)) return true;
    }
    return false;
}

int WorkspaceIndex::days_in_stage(const Deal& deal, Timestamp now) const {
    return days_in_stage(deal.stage_entered_at, now);
}

int WorkspaceIndex::days_in_stage(Timestamp entered_at, Timestamp now) {
    const int days = day_of(now) - day_of(entered_at);
    return days > 0 ? days : 0;
}

namespace {

bool is_letter_or_digit(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int char_bit(unsigned char c) {
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '0' && c <= '9') return 26 + (c - '0');
    return 36 + c % 28;
}

int pair_bit(unsigned char first, unsigned char second) {
    const std::uint32_t pair = (static_cast<std::uint32_t>(first) << 8) | second;
    return static_cast<int>((pair * 2654435761u) >> 24);
}

}  // namespace

void TextSummary::add(std::string_view folded) {
    // The newline joins fields; a search never spans two.
    unsigned char previous = '\n';
    for (const char c : folded) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte != '\n') {
            chars |= std::uint64_t{1} << char_bit(byte);
            if (previous != '\n') {
                const int bit = pair_bit(previous, byte);
                pairs[static_cast<std::size_t>(bit >> 6)] |= std::uint64_t{1} << (bit & 63);
            }
        }
        previous = byte;
    }
}

bool TextSummary::holds(const TextSummary& needed) const {
    if ((chars & needed.chars) != needed.chars) return false;
    for (std::size_t i = 0; i < pairs.size(); ++i)
        if ((pairs[i] & needed.pairs[i]) != needed.pairs[i]) return false;
    return true;
}

TextQuery::TextQuery(std::string_view text) {
    folded.reserve(text.size());
    for (const char c : text) folded += fold_ascii(c);
    needs.add(folded);
    answered_by_summary =
        folded.size() == 1 && is_letter_or_digit(static_cast<unsigned char>(folded[0]));
}

bool WorkspaceIndex::search_matches(std::size_t deal, const TextQuery& query) const {
    if (query.folded.empty()) return true;
    if (deal >= search_summaries_.size() || !search_summaries_[deal].holds(query.needs))
        return false;
    return query.answered_by_summary ||
           search_text(deal).find(query.folded) != std::string_view::npos;
}

std::string_view WorkspaceIndex::search_text(std::size_t deal) const {
    if (deal >= search_spans_.size()) return {};
    const SearchSpan span = search_spans_[deal];
    return std::string_view(search_arena_).substr(span.offset, span.size);
}

// [SECTION] Terms and figures

int TermTable::intern(std::string_view text) {
    if (text.empty()) return -1;
    if (const int known = find(text); known >= 0) return known;
    const auto entry = by_text_.emplace(std::string(text), static_cast<int>(texts_.size())).first;
    texts_.push_back(&entry->first);
    return entry->second;
}

int TermTable::find(std::string_view text) const {
    if (text.empty()) return -1;
    const auto found = by_text_.find(text);
    return found == by_text_.end() ? -1 : found->second;
}

void TermTable::clear() {
    by_text_.clear();
    texts_.clear();
}

DealMetricFigures metric_figures_of(const Deal& deal, TermTable& terms) {
    DealMetricFigures figures;
    figures.created = deal.meta.created;
    figures.has_closed_at = deal.closed_at.has_value();
    figures.closed_at = deal.closed_at.value_or(0);
    figures.has_expected_close = deal.expected_close.has_value();
    figures.expected_close = deal.expected_close.value_or(0);
    figures.pipeline = terms.intern(deal.pipeline_id);
    figures.owner = terms.intern(deal.owner_id);
    figures.lead_source = terms.intern(deal.lead_source);
    figures.industry = terms.intern(deal.industry);
    figures.lost_reason = terms.intern(deal.lost_reason);
    figures.deleted = deal.meta.deleted;
    return figures;
}

DealFigures deal_figures_of(const Deal& deal, int stage) {
    return {deal.value, deal.stage_entered_at, deal.probability, deal.status, stage};
}

ActivityFigures activity_figures_of(const Activity& activity, int deal) {
    ActivityFigures figures;
    figures.due = activity.due;
    figures.done_at = activity.done_at.value_or(0);
    figures.deal = deal;
    figures.live = !activity.meta.deleted;
    figures.done = activity.done;
    figures.has_time = activity.has_time;
    figures.has_done_at = activity.done_at.has_value();
    return figures;
}

int WorkspaceIndex::stage_position(const Id& id) const {
    const std::optional<std::size_t> stage = stage_index(id);
    return stage ? static_cast<int>(*stage) : -1;
}

void WorkspaceIndex::index_deal_summary(std::size_t deal) {
    const Deal& d = workspace_->deals[deal];
    deal_figures_[deal] = deal_figures_of(d, stage_position(d.stage_id));
    deal_metric_figures_[deal] = metric_figures_of(d, terms_);
    index_search_text(deal);
    visits_changed(deal);
}

void WorkspaceIndex::index_history_figures(std::size_t event) {
    const HistoryEvent& e = workspace_->history[event];
    const std::optional<std::size_t> deal = deal_index(e.deal_id);
    HistoryFigures& figures = history_figures_[event];
    figures.at = e.at;
    figures.to_stage = stage_position(e.to_stage_id);
    figures.deal = deal ? static_cast<int>(*deal) : -1;
    figures.live = !e.meta.deleted;
    figures.kind = e.kind;
    figures.to_status = e.to_status;
    figures.names_stage = !e.to_stage_id.empty();
    if (deal) visits_changed(*deal);
}

void WorkspaceIndex::index_activity_figures(std::size_t activity) {
    const Activity& a = workspace_->activities[activity];
    const std::optional<std::size_t> deal = deal_index(a.deal_id);
    activity_figures_[activity] = activity_figures_of(a, deal ? static_cast<int>(*deal) : -1);
}

void WorkspaceIndex::resolve_unknown_stages() {
    for (std::size_t i = 0; i < counts_.deals; ++i) {
        if (deal_figures_[i].stage < 0)
            deal_figures_[i].stage = stage_position(workspace_->deals[i].stage_id);
    }
    for (std::size_t i = 0; i < counts_.history; ++i) {
        if (history_figures_[i].to_stage < 0 && history_figures_[i].names_stage)
            index_history_figures(i);
    }
}

void WorkspaceIndex::index_search_text(std::size_t deal) {
    const auto append_folded = [this](const std::string& text) {
        if (text.empty()) return;
        const std::size_t start = search_arena_.size();
        search_arena_ += text;
        for (std::size_t i = start; i < search_arena_.size(); ++i)
            search_arena_[i] = fold_ascii(search_arena_[i]);
        search_arena_ += '\n';
    };
    SearchSpan& span = search_spans_[deal];
    search_stale_bytes_ += span.size;
    const Deal& d = workspace_->deals[deal];
    span.offset = search_arena_.size();
    append_folded(d.title);
    append_folded(d.organization);
    for (const Contact& contact : d.contacts) {
        append_folded(contact.name);
        append_folded(contact.email);
    }
    span.size = search_arena_.size() - span.offset;
    search_summaries_[deal] = TextSummary{};
    search_summaries_[deal].add(std::string_view(search_arena_).substr(span.offset, span.size));

    if (search_stale_bytes_ > 4096 && search_stale_bytes_ > search_arena_.size() / 2) {
        std::string live;
        live.reserve(search_arena_.size() - search_stale_bytes_);
        for (SearchSpan& each : search_spans_) {
            const std::size_t offset = live.size();
            live.append(search_arena_, each.offset, each.size);
            each.offset = offset;
        }
        search_arena_ = std::move(live);
        search_stale_bytes_ = 0;
    }
}

bool WorkspaceIndex::is_rotting(const Deal& deal, Timestamp now) const {
    if (deal.meta.deleted || deal.status != DealStatus::Open) return false;
    const Stage* stage = find_stage(deal.stage_id);
    if (!stage || stage->rotting_days <= 0) return false;
    return days_in_stage(deal, now) > stage->rotting_days;
}

// [SECTION] Stage visits

void WorkspaceIndex::visits_changed(std::size_t deal) {
    if (!all_visits_changed_) deals_with_changed_visits_.push_back(deal);
}

void WorkspaceIndex::refresh_stage_visits() {
    if (all_visits_changed_) {
        visit_arena_.clear();
        stale_visits_ = 0;
        for (std::size_t deal = 0; deal < visit_spans_.size(); ++deal) replay_stage_visits(deal);
        all_visits_changed_ = false;
        deals_with_changed_visits_.clear();
        return;
    }
    std::vector<std::size_t>& deals = deals_with_changed_visits_;
    std::sort(deals.begin(), deals.end());
    deals.erase(std::unique(deals.begin(), deals.end()), deals.end());
    for (const std::size_t deal : deals) replay_stage_visits(deal);
    deals.clear();
    if (stale_visits_ > 1024 && stale_visits_ > visit_arena_.size() / 2) {
        std::vector<StageVisit> live;
        live.reserve(visit_arena_.size() - stale_visits_);
        for (VisitSpan& span : visit_spans_) {
            const std::size_t offset = live.size();
            live.insert(
                live.end(), visit_arena_.begin() + static_cast<std::ptrdiff_t>(span.offset),
                visit_arena_.begin() + static_cast<std::ptrdiff_t>(span.offset + span.count));
            span.offset = offset;
        }
        visit_arena_ = std::move(live);
        stale_visits_ = 0;
    }
}

void WorkspaceIndex::replay_stage_visits(std::size_t deal) {
    struct IndexedStages final : StageLookup {
        explicit IndexedStages(const WorkspaceIndex& index) : index(index) {}
        int stage(const Id& id) const override { return index.stage_position(id); }
        const WorkspaceIndex& index;
    };
    VisitSpan& span = visit_spans_[deal];
    stale_visits_ += span.count;
    span = {visit_arena_.size(), 0};
    if (workspace_->deals[deal].meta.deleted) return;

    replay_steps_.clear();
    for (const std::size_t event : history_by_deal_[deal]) {
        const HistoryFigures& e = history_figures_[event];
        HistoryStep step;
        step.at = e.at;
        step.event = static_cast<int>(event);
        step.kind = e.kind;
        step.to_status = e.to_status;
        if (e.kind != HistoryKind::StatusChanged) {
            step.to_stage = e.to_stage;
            step.to_stage_given = e.names_stage;
        }
        replay_steps_.push_back(step);
    }
    const DealFigures& figures = deal_figures_[deal];
    const DealMetricFigures& dates = deal_metric_figures_[deal];
    const VisitedDeal visited{figures.stage, figures.stage_entered_at, dates.created,
                              figures.status, dates.closed()};
    build_stage_visits(replay_steps_.data(), replay_steps_.data() + replay_steps_.size(), visited,
                       workspace_->history, IndexedStages(*this), replayed_visits_);
    visit_arena_.insert(visit_arena_.end(), replayed_visits_.begin(), replayed_visits_.end());
    span.count = replayed_visits_.size();
}

}  // namespace pb

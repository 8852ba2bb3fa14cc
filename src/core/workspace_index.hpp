// Fast lookups over a Workspace: records by id, stages of a pipeline, deals of a stage column,
// activities and history of a deal, and the per-deal facts the board shows (probability, next
// activity, days in stage, rotting). Kept current by the command layer after every change.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "id_positions.hpp"
#include "stage_visits.hpp"
#include "workspace.hpp"

namespace pb {

struct ChangeSet;

// A read-only sequence of records picked out of one of the workspace's vectors, in the
// index's order. Valid until the next change to the workspace.
template <typename Record>
class RecordView {
public:
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Record;
        using difference_type = std::ptrdiff_t;
        using pointer = const Record*;
        using reference = const Record&;

        iterator() = default;
        iterator(const std::vector<Record>* records, const std::size_t* at)
            : records_(records), at_(at) {}
        const Record& operator*() const { return (*records_)[*at_]; }
        const Record* operator->() const { return &(*records_)[*at_]; }
        iterator& operator++() {
            ++at_;
            return *this;
        }
        iterator operator++(int) {
            iterator previous = *this;
            ++at_;
            return previous;
        }
        bool operator==(const iterator& other) const { return at_ == other.at_; }

    private:
        const std::vector<Record>* records_ = nullptr;
        const std::size_t* at_ = nullptr;
    };

    RecordView(const std::vector<Record>& records, const std::vector<std::size_t>& indexes)
        : records_(&records), indexes_(&indexes) {}

    iterator begin() const { return {records_, indexes_->data()}; }
    iterator end() const { return {records_, indexes_->data() + indexes_->size()}; }
    std::size_t size() const { return indexes_->size(); }
    bool empty() const { return indexes_->empty(); }
    const Record& operator[](std::size_t i) const { return (*records_)[(*indexes_)[i]]; }
    const Record& front() const { return (*this)[0]; }
    const Record& back() const { return (*this)[size() - 1]; }
    // Position of each record in the workspace's vector, in view order.
    const std::vector<std::size_t>& indexes() const { return *indexes_; }

private:
    const std::vector<Record>* records_;
    const std::vector<std::size_t>* indexes_;
};

// Overdue means not done and past due: an activity with a time is late from that instant, an
// all-day one from the next day.
bool is_overdue(const Activity& activity, Timestamp now);

struct DealFigures {
    Money value = 0;
    Timestamp stage_entered_at = 0;
    std::optional<int> probability;
    DealStatus status = DealStatus::Open;
    int stage = -1;  // stage_index(stage_id), -1 when no stage has that id
};

// Short texts deals are grouped and filtered by (owner, pipeline, lead source, industry) as
// small numbers, so a metric compares two integers instead of two strings in two records.
// A text keeps its number for the index's life; the empty text is always -1.
class TermTable {
public:
    int intern(std::string_view text);
    int find(std::string_view text) const;  // -1 when empty or never seen
    const std::string& text(int term) const { return *texts_[static_cast<std::size_t>(term)]; }
    std::size_t size() const { return texts_.size(); }
    void clear();

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    std::unordered_map<std::string, int, Hash, std::equal_to<>> by_text_;
    std::vector<const std::string*> texts_;  // keys of by_text_, which never move
};

// The rest of what the metrics read of a deal, as compact as DealFigures and kept beside it.
struct DealMetricFigures {
    Timestamp created = 0;
    Timestamp closed_at = 0;
    Day expected_close = 0;
    int pipeline = -1;  // terms, -1 for an empty field
    int owner = -1;
    int lead_source = -1;
    int industry = -1;
    int lost_reason = -1;
    bool has_closed_at = false;
    bool has_expected_close = false;
    bool deleted = false;

    std::optional<Timestamp> closed() const {
        return has_closed_at ? std::optional<Timestamp>(closed_at) : std::nullopt;
    }
    std::optional<Day> expected() const {
        return has_expected_close ? std::optional<Day>(expected_close) : std::nullopt;
    }
};

// A deal's metric figures, its texts numbered in `terms`.
DealMetricFigures metric_figures_of(const Deal& deal, TermTable& terms);
// A deal's figures, `stage` being its stage's position as the caller finds it.
DealFigures deal_figures_of(const Deal& deal, int stage);

// What the metrics read of an activity, with its deal found once.
struct ActivityFigures {
    Timestamp due = 0;
    Timestamp done_at = 0;
    int deal = -1;  // deal_index(deal_id) when the activity was indexed, -1 when unknown
    bool live = false;
    bool done = false;
    bool has_time = true;
    bool has_done_at = false;

    // When it counts as done for a period: its completion, else its due time.
    Timestamp done_or_due() const { return has_done_at ? done_at : due; }
    // See is_overdue (a deleted activity is never overdue there).
    bool overdue(Timestamp now) const {
        if (done) return false;
        return has_time ? due < now : day_of(due) < day_of(now);
    }
};
// An activity's figures, `deal` being its deal's position (-1 when unknown).
ActivityFigures activity_figures_of(const Activity& activity, int deal);

// The part of a history event the metrics replay, with its stage found once.
struct HistoryFigures {
    Timestamp at = 0;
    int to_stage = -1;  // stage_index(to_stage_id), -1 when empty or unknown
    int deal = -1;      // deal_index(deal_id) when the event was indexed, -1 when unknown
    bool live = false;  // not deleted
    HistoryKind kind = HistoryKind::Created;
    DealStatus to_status = DealStatus::Open;
    bool names_stage = false;  // to_stage_id is set (the stage may still be unknown)
};

// The search's case folding: ASCII letters in lower case, every other byte as it is.
inline char fold_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Which characters and pairs of adjacent characters a text holds, as bits: letters and
// digits have a bit each, other bytes and the pairs share bits by hash.
struct TextSummary {
    std::uint64_t chars = 0;
    std::array<std::uint64_t, 4> pairs{};

    void add(std::string_view folded);
    bool holds(const TextSummary& needed) const;
};

// The board's text search prepared once for a scan of every deal: ASCII letters folded to
// lower case, as search_text holds them.
struct TextQuery {
    explicit TextQuery(std::string_view text);

    std::string folded;
    TextSummary needs;
    // A single letter or digit: a deal whose summary holds it matches, no text to read.
    bool answered_by_summary = false;
};

class WorkspaceIndex {
public:
    WorkspaceIndex() = default;
    explicit WorkspaceIndex(const Workspace& workspace) { rebuild(workspace); }

    // Indexes `workspace` from scratch in O(n log n); the index refers to that object from
    // then on, so rebuild after replacing or moving it.
    void rebuild(const Workspace& workspace);
    // Brings the index up to date after `changes` were applied to the indexed workspace.
    // Records appended to the workspace are picked up even when `changes` omits them.
    void apply(const ChangeSet& changes);

    bool has_workspace() const { return workspace_ != nullptr; }
    const Workspace& workspace() const { return *workspace_; }

    // Positions in the workspace's vectors by id, tombstones included.
    std::optional<std::size_t> deal_index(const Id& id) const;
    std::optional<std::size_t> stage_index(const Id& id) const;
    std::optional<std::size_t> pipeline_index(const Id& id) const;
    std::optional<std::size_t> rep_index(const Id& id) const;
    std::optional<std::size_t> target_index(const Id& id) const;
    std::optional<std::size_t> activity_index(const Id& id) const;
    std::optional<std::size_t> history_index(const Id& id) const;

    // Live records by id; nullptr when unknown or deleted.
    const Deal* find_deal(const Id& id) const;
    const Stage* find_stage(const Id& id) const;
    const Pipeline* find_pipeline(const Id& id) const;
    const Rep* find_rep(const Id& id) const;
    const Target* find_target(const Id& id) const;
    const Activity* find_activity(const Id& id) const;

    // Live pipelines ordered by position.
    RecordView<Pipeline> pipelines() const;
    // Live stages of a pipeline ordered by position.
    RecordView<Stage> stages_of(const Id& pipeline_id) const;
    const Stage* first_stage_of(const Id& pipeline_id) const;
    // Live deals of any status in a stage column, ordered by their manual position.
    RecordView<Deal> deals_in_stage(const Id& stage_id) const;
    // Live activities of a deal ordered by due time.
    RecordView<Activity> activities_of(const Id& deal_id) const;
    // Live history events of a deal in chronological order.
    RecordView<HistoryEvent> history_of(const Id& deal_id) const;
    // The same for the deal at `deal` in workspace.deals, as positions in workspace.history
    // (events at the same instant in workspace order).
    const std::vector<std::size_t>& history_positions(std::size_t deal) const {
        return deal < history_by_deal_.size() ? history_by_deal_[deal] : kNone;
    }
    // Live activities of the deal at `deal` in workspace.deals, as positions in
    // workspace.activities.
    const std::vector<std::size_t>& activity_positions(std::size_t deal) const {
        return deal < activities_by_deal_.size() ? activities_by_deal_[deal] : kNone;
    }
    // No two deals share an id (only a damaged file has them), so the records filed under a
    // deal by id are all of that deal's.
    bool deal_ids_unique() const { return deal_by_id_.size() == counts_.deals; }

    // The deal's own probability when set, else its stage's default (0 for an unknown stage).
    int stage_probability(const Deal& deal) const;
    // The earliest activity of the deal not yet done (an overdue one is still the next thing
    // to do); nullptr when there is none.
    const Activity* next_activity(const Id& deal_id) const;
    bool has_overdue_activity(const Id& deal_id, Timestamp now) const;
    // Calendar days since the deal entered its current stage (0 on the day it entered).
    int days_in_stage(const Deal& deal, Timestamp now) const;
    // The same for a deal that entered its stage at `entered_at`.
    static int days_in_stage(Timestamp entered_at, Timestamp now);
    // An open deal idle in its stage for more than the stage's rotting days (0 = never rots).
    bool is_rotting(const Deal& deal, Timestamp now) const;
    // What the board's text search looks through for the deal at `deal` in workspace.deals: its
    // title, organization and contacts' names and emails, ASCII letters in lower case, one per
    // line. Kept in one block of memory so a search over 100,000 deals reads it in order
    // instead of chasing each deal's strings.
    std::string_view search_text(std::size_t deal) const;
    // Whether search_text(deal) contains the query. Each deal also keeps which characters
    // and pairs of characters its text holds, so most deals are ruled out from 40 bytes
    // without reading their text, and a one-letter search is answered from them alone.
    bool search_matches(std::size_t deal, const TextQuery& query) const;
    // The fields the board adds up for the deal at `deal` in workspace.deals, from a compact
    // copy: reading them from 100,000 large Deal records costs a cache miss each.
    const DealFigures& deal_figures(std::size_t deal) const { return deal_figures_[deal]; }
    const DealMetricFigures& deal_metric_figures(std::size_t deal) const {
        return deal_metric_figures_[deal];
    }
    // The same for the activity at `activity` in workspace.activities.
    const ActivityFigures& activity_figures(std::size_t activity) const {
        return activity_figures_[activity];
    }
    // The numbers deal_metric_figures gives texts.
    const TermTable& terms() const { return terms_; }
    // The same for the event at `event` in workspace.history.
    const HistoryFigures& history_figures(std::size_t event) const {
        return history_figures_[event];
    }
    // The stage visits of the live deal at `deal` in workspace.deals, replayed from its live
    // history (see stage_visits.hpp) with stages as positions in workspace.stages; empty for a
    // deleted deal. Replayed again only for the deals a change touches.
    std::span<const StageVisit> stage_visits(std::size_t deal) const {
        const VisitSpan& span = visit_spans_[deal];
        return {visit_arena_.data() + span.offset, span.count};
    }

private:
    struct Counts {
        std::size_t pipelines = 0, stages = 0, reps = 0, targets = 0, deals = 0, activities = 0,
                    history = 0;
    };

    void index_appended_records();
    void link_activity(std::size_t index);
    void unlink_activity(std::size_t index, const Id& deal_id);
    void link_history(std::size_t index);
    void unlink_history(std::size_t index, const Id& deal_id);
    void insert_into_column(std::size_t deal);
    void sort_stage_columns(const std::vector<Id>& stage_ids);
    void sort_pipeline_stages(const std::vector<Id>& pipeline_ids);
    void sort_pipelines();
    bool matches_workspace(const ChangeSet& changes) const;

    const Workspace* workspace_ = nullptr;
    Counts counts_;

    IdPositions deal_by_id_;
    IdPositions stage_by_id_;
    IdPositions pipeline_by_id_;
    IdPositions rep_by_id_;
    IdPositions target_by_id_;
    IdPositions activity_by_id_;
    IdPositions history_by_id_;

    std::vector<std::size_t> live_pipelines_;
    std::unordered_map<Id, std::vector<std::size_t>> stages_by_pipeline_;
    std::unordered_map<Id, std::vector<std::size_t>> deals_by_stage_;
    // Indexed by the deal's position in workspace.deals.
    std::vector<std::vector<std::size_t>> activities_by_deal_;
    std::vector<std::vector<std::size_t>> history_by_deal_;
    // search_text of each deal as a span of search_arena_; an edited deal's new text is
    // appended, and the arena is compacted once stale text outweighs the live text.
    struct SearchSpan {
        std::size_t offset = 0, size = 0;
    };
    // stage_index(id) as the figures keep it: -1 when no stage has that id.
    int stage_position(const Id& id) const;
    void index_deal_summary(std::size_t deal);
    void index_search_text(std::size_t deal);
    std::vector<DealFigures> deal_figures_;
    std::vector<DealMetricFigures> deal_metric_figures_;
    TermTable terms_;
    void index_history_figures(std::size_t event);
    // Stages found later than the deals and events naming them (a merge, another tab).
    void resolve_unknown_stages();
    std::vector<HistoryFigures> history_figures_;
    void index_activity_figures(std::size_t activity);
    std::vector<ActivityFigures> activity_figures_;
    std::vector<TextSummary> search_summaries_;
    // stage_visits of each deal as a span of visit_arena_; a deal replayed again appends its
    // visits, and the arena is compacted once stale visits outnumber the live ones.
    struct VisitSpan {
        std::size_t offset = 0, count = 0;
    };
    void visits_changed(std::size_t deal);
    void refresh_stage_visits();
    void replay_stage_visits(std::size_t deal);
    std::vector<StageVisit> visit_arena_;
    std::vector<VisitSpan> visit_spans_;
    std::size_t stale_visits_ = 0;
    bool all_visits_changed_ = true;
    std::vector<std::size_t> deals_with_changed_visits_;
    std::vector<HistoryStep> replay_steps_;
    std::vector<StageVisit> replayed_visits_;
    std::string search_arena_;
    std::vector<SearchSpan> search_spans_;
    std::size_t search_stale_bytes_ = 0;

    static const std::vector<std::size_t> kNone;
};

}  // namespace pb

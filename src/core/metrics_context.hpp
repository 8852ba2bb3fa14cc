// Groundwork shared by the metrics (internal to metrics_*.cpp): the filter, id lookups, the
// pipeline's stage order, each deal's stage visits (from the index, else replayed from the
// history), and target maths.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metrics.hpp"
#include "stage_visits.hpp"
#include "workspace_index.hpp"

namespace pb::metrics_detail {

// Id -> index with open addressing over flat vectors, keys copied into one arena: the metrics
// look up 600,000 history events by deal id, and chasing pointers into node-based maps or into
// each record's own heap string costs more than all the other work.
class IdIndex {
public:
    void reserve(std::size_t count, std::size_t key_bytes = 0);
    // Keeps the first value of a repeated key; empty keys are never stored.
    void insert(std::string_view key, int value);
    int find(std::string_view key) const;  // -1 when absent

private:
    // Everything a probe needs in one place, so a lookup touches one slot and one key.
    struct Slot {
        std::uint32_t tag = 0;
        std::int32_t value = -1;  // -1: empty
        std::uint32_t key_offset = 0;
        std::uint32_t key_size = 0;
    };
    bool holds(const Slot& slot, std::string_view key) const {
        return slot.key_size == key.size() &&
               std::string_view(arena_.data() + slot.key_offset, slot.key_size) == key;
    }
    void grow();

    std::vector<Slot> slots_;
    std::string arena_;
    std::size_t count_ = 0;
    std::size_t mask_ = 0;
};

// The half-open instant range [begin, end) of an inclusive range of days.
struct Period {
    Timestamp begin = std::numeric_limits<Timestamp>::min();
    Timestamp end = std::numeric_limits<Timestamp>::max();
    bool unbounded = true;  // neither end set

    static Period of_days(std::optional<Day> from, std::optional<Day> to);
    bool contains(Timestamp t) const { return t >= begin && t < end; }
    bool contains_day(Day day) const;
    // Undated records belong only to an unbounded period.
    bool contains(std::optional<Timestamp> t) const { return t ? contains(*t) : unbounded; }
    bool contains(std::optional<Day> day) const { return day ? contains_day(*day) : unbounded; }
};

// A bounded inclusive range of days.
struct DayRange {
    Day first = 0;
    Day last = 0;
    int days() const { return last - first + 1; }
};

class Context {
public:
    // `index`, when given, indexes `ws` as it is now; see all_metrics.
    Context(const Workspace& ws, const MetricsFilter& filter, Timestamp now,
            const WorkspaceIndex* index = nullptr);

    const Workspace& ws;
    const MetricsFilter& filter;
    const Timestamp now;
    const Day today;
    const Period period;

    // A live deal matching the filter's owner, source, industry and (when set) pipeline.
    bool matches(std::size_t deal) const {
        const DealMetricFigures& d = metric_figures(deal);
        if (d.deleted) return false;
        if (!narrowed_) return true;
        return wanted(want_pipeline_, d.pipeline) && wanted(want_owner_, d.owner) &&
               wanted(want_lead_source_, d.lead_source) && wanted(want_industry_, d.industry);
    }
    // The deal's current stage (index in ws.stages), -1 when missing or deleted.
    int stage_of(std::size_t deal) const { return live_stage(figures(deal).stage); }
    // What the metrics read of a deal, from the index's compact copies when there is one (a
    // pass over 100,000 large Deal records costs a cache miss per deal and field).
    const DealFigures& figures(std::size_t deal) const {
        return index_ ? index_->deal_figures(deal) : own_figures_[deal];
    }
    const DealMetricFigures& metric_figures(std::size_t deal) const {
        return index_ ? index_->deal_metric_figures(deal) : own_metric_figures_[deal];
    }
    // The texts metric_figures numbers.
    const TermTable& terms() const { return index_ ? index_->terms() : own_terms_; }
    // A matching deal whose stage is in the resolved pipeline; its rank there, else -1.
    int pipeline_rank(std::size_t deal) const {
        return matches(deal) ? rank_of_stage(stage_of(deal)) : -1;
    }
    // Value x percent, the deal's override else its stage's default, clamped to 0..100.
    Money weighted_value(std::size_t deal) const;

    // Stages of the resolved pipeline (filter's, else the first) as ws.stages indices in order.
    const std::vector<int>& pipeline_stages() const { return pipeline_stages_; }
    int rank_of_stage(int stage) const { return stage < 0 ? -1 : stage_rank_[stage]; }
    int find_stage(std::string_view id) const { return stage_by_id_.find(id); }
    int find_rep(std::string_view id) const { return rep_by_id_.find(id); }

    // Calls visit(deal, visits) for every deal in the pipeline with its stage visits (a
    // std::span<const StageVisit>), in deal order.
    template <typename Visit>
    void for_each_pipeline_deal_visits(Visit&& visit) const {
        std::vector<StageVisit> visits;
        if (const WorkspaceIndex* index = unique_index()) {
            for (std::size_t deal = 0; deal < ws.deals.size(); ++deal) {
                if (pipeline_rank(deal) < 0) continue;
                const std::span<const StageVisit> kept = index->stage_visits(deal);
                if (live_stages_as_indexed_) {
                    visit(deal, kept);
                    continue;
                }
                visits.assign(kept.begin(), kept.end());
                for (StageVisit& v : visits) v.stage = live_stage(v.stage);
                visit(deal, std::span<const StageVisit>(visits));
            }
            return;
        }
        if (!history_grouped_) group_history();
        for (std::size_t d = 0; d < history_deals_.size(); ++d) {
            rebuild_visits(d, visits);
            visit(static_cast<std::size_t>(history_deals_[d]), std::span<const StageVisit>(visits));
        }
    }

    // The workspace's index when one was given and its deal ids are unique, so records filed
    // under a deal there are exactly those naming its id; else nullptr.
    const WorkspaceIndex* unique_index() const {
        return index_ && index_->deal_ids_unique() ? index_ : nullptr;
    }

    // The bounded period target metrics use (see metrics.hpp), its ends in order.
    DayRange target_period() const;
    // The filter's owner's target, else the team's, prorated over the range.
    Money target_over(DayRange range) const;

private:
    // Without an index to keep the visits, the history grouped by deal in time order.
    void group_history() const;
    void sort_steps_by_time() const;
    void rebuild_visits(std::size_t scoped_deal, std::vector<StageVisit>& out) const;

    // A stage as the figures hold it (with the index: the first record with its id) as this
    // context finds it (the live record with that id), -1 for none.
    int live_stage(int indexed) const { return indexed < 0 ? -1 : live_stage_[indexed]; }

    // A filter term: kAnyTerm when the filter leaves the field open, kNoTerm when no deal
    // holds the text asked for.
    static constexpr int kAnyTerm = -2;
    static constexpr int kNoTerm = -3;
    static bool wanted(int want, int term) { return want == kAnyTerm || want == term; }
    int filter_term(std::string_view text) const;

    const WorkspaceIndex* index_ = nullptr;
    bool narrowed_ = false;
    int want_pipeline_ = kAnyTerm;
    int want_owner_ = kAnyTerm;
    int want_lead_source_ = kAnyTerm;
    int want_industry_ = kAnyTerm;
    std::vector<DealFigures> own_figures_;
    std::vector<DealMetricFigures> own_metric_figures_;
    TermTable own_terms_;
    std::vector<int> live_stage_;
    // live_stage leaves every live stage as it is (stage ids do not repeat), and a deleted one
    // matches no live stage, so the index's visits can be read as they are kept.
    bool live_stages_as_indexed_ = true;
    IdIndex stage_by_id_;
    IdIndex rep_by_id_;
    std::vector<int> pipeline_stages_;
    std::vector<int> stage_rank_;

    // The deals in the pipeline (ws.deals indices) and their history steps, grouped by deal in
    // time order: steps of history_deals_[d] are history_steps_[offsets[d] .. offsets[d + 1]).
    mutable bool history_grouped_ = false;
    mutable std::vector<int> history_deals_;
    mutable std::vector<int> history_offsets_;
    mutable std::vector<HistoryStep> history_steps_;
};

// numerator / denominator rounded half away from zero; 0 when denominator is 0.
Money divide_rounded(Money numerator, Money denominator);
// Whole days elapsed from one instant to a later one (0 when not later).
int whole_days_between(Timestamp from, Timestamp to);
// "12.5" with the given decimals, without a trailing ".0" when trim_zero is set.
std::string format_decimal(double value, int decimals, bool trim_zero = false);

// See pb::target_for.
Money target_for(const Workspace& ws, const Id& rep_id, Day period_start, TargetPeriod period);
// Targets prorated by days over a range; rep_id empty = the team.
Money target_over(const Workspace& ws, const Id& rep_id, DayRange range);

// The month or quarter containing a day.
DayRange bucket_range(Day day, TargetPeriod bucket);

// Each metric over a prepared context, so all_metrics can share one.
std::vector<StageSummary> stage_summaries(const Context& ctx);
std::vector<StageConversion> funnel(const Context& ctx);
WinRate win_rate(const Context& ctx);
// The win rate of each of `periods`, which follow one another without overlapping, in one pass.
std::vector<WinRate> win_rates(const Context& ctx, const std::vector<Period>& periods);
DealSizeStats won_deal_size(const Context& ctx);
std::vector<std::pair<Money, int>> deal_size_histogram(const Context& ctx, int max_buckets);
CycleTime cycle_time(const Context& ctx);
ClosedDeals closed_deals(const Context& ctx);
std::vector<StageTime> time_in_stage(const Context& ctx);
std::vector<StagnantDeal> stagnant_deals(const Context& ctx);
std::vector<Breakdown> breakdown(const Context& ctx, BreakdownBy by);
std::vector<RepPerformance> rep_performance(const Context& ctx);
std::vector<ForecastBucket> forecast(const Context& ctx, TargetPeriod bucket);
PipelineCoverage coverage(const Context& ctx);
TargetPace target_pace(const Context& ctx);
ClosingThisWeek closing_this_week(const Context& ctx);
StageAttention stage_needing_attention(const Context& ctx, const std::vector<StageSummary>& stages,
                                       const std::vector<StageConversion>& conversions,
                                       const std::vector<StageTime>& times);

}  // namespace pb::metrics_detail

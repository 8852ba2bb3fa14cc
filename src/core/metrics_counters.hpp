// The metrics as counters fed one deal at a time (internal to metrics_*.cpp), so all_metrics
// reads each of 100,000 deals' figures once for every metric instead of once per metric: a
// pass over the figures costs more than what any one metric does with a deal.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "metrics_context.hpp"

namespace pb::metrics_detail {

// Calls add(deal) of every counter for each deal matching the context's filter, in deal order.
template <typename... Counters>
void count_matching_deals(const Context& ctx, Counters&... counters) {
    for (std::size_t deal = 0; deal < ctx.ws.deals.size(); ++deal) {
        if (ctx.matches(deal)) (counters.add(deal), ...);
    }
}

// Calls add(deal, visits) of every counter for each deal of the pipeline with its stage visits.
template <typename... Counters>
void count_pipeline_visits(const Context& ctx, Counters&... counters) {
    ctx.for_each_pipeline_deal_visits([&](std::size_t deal, std::span<const StageVisit> visits) {
        (counters.add(deal, visits), ...);
    });
}

// One metric on its own: its counter fed every matching deal, or every pipeline deal's visits.
template <typename Counter>
auto counted(const Context& ctx, Counter counter) {
    count_matching_deals(ctx, counter);
    return counter.result();
}
template <typename Counter>
auto counted_visits(const Context& ctx, Counter counter) {
    count_pipeline_visits(ctx, counter);
    return counter.result();
}

// One row per stage of the pipeline, in its order, carrying the stage's id and name.
template <typename Row>
std::vector<Row> stage_rows(const Context& ctx) {
    std::vector<Row> rows(ctx.pipeline_stages().size());
    for (std::size_t rank = 0; rank < rows.size(); ++rank) {
        const Stage& stage = ctx.ws.stages[ctx.pipeline_stages()[rank]];
        rows[rank].stage_id = stage.meta.id;
        rows[rank].name = stage.name;
    }
    return rows;
}

class StageSummaryCounter {
public:
    explicit StageSummaryCounter(const Context& ctx);
    void add(std::size_t deal);
    std::vector<StageSummary> result() { return std::move(rows_); }

private:
    const Context& ctx_;
    std::vector<StageSummary> rows_;
};

// The win rate of each of `periods`, which follow one another without overlapping.
class WinRateCounter {
public:
    WinRateCounter(const Context& ctx, std::vector<Period> periods);
    void add(std::size_t deal);
    std::vector<WinRate> result();

private:
    const Context& ctx_;
    std::vector<Period> periods_;
    std::vector<WinRate> rates_;
};

// The values of the deals won in the period.
class WonValueCounter {
public:
    explicit WonValueCounter(const Context& ctx) : ctx_(ctx) {}
    void add(std::size_t deal);
    std::vector<Money> result() { return std::move(values_); }

private:
    const Context& ctx_;
    std::vector<Money> values_;
};
DealSizeStats deal_size_of(std::vector<Money> won_values);
std::vector<std::pair<Money, int>> histogram_of(const std::vector<Money>& won_values,
                                                int max_buckets);

class CycleTimeCounter {
public:
    explicit CycleTimeCounter(const Context& ctx) : ctx_(ctx) {}
    void add(std::size_t deal);
    CycleTime result();

private:
    const Context& ctx_;
    std::vector<double> days_;
};

class StagnantCounter {
public:
    explicit StagnantCounter(const Context& ctx) : ctx_(ctx) {}
    void add(std::size_t deal);
    std::vector<StagnantDeal> result();

private:
    struct Found {
        int days;
        Timestamp entered;
        std::size_t deal;
        int stage;
    };
    const Context& ctx_;
    std::vector<Found> found_;
};

class BreakdownCounter {
public:
    BreakdownCounter(const Context& ctx, BreakdownBy by);
    void add(std::size_t deal);
    std::vector<Breakdown> result();

private:
    int new_row(std::string_view key);
    Breakdown& row_for_term(int term);

    const Context& ctx_;
    const BreakdownBy by_;
    std::vector<Breakdown> rows_;
    std::vector<std::string_view> row_keys_;
    // Rows keyed by term (slot 0: the empty text).
    std::vector<int> row_by_term_;
};

class RepPerformanceCounter {
public:
    explicit RepPerformanceCounter(const Context& ctx);
    void add(std::size_t deal);
    // Counts the activities too, in a pass of their own.
    std::vector<RepPerformance> result();

private:
    void add_row(const Id& rep_id, const std::string& name);

    const Context& ctx_;
    const DayRange target_days_;
    const Period target_period_;
    std::vector<RepPerformance> rows_;
    // Rows by the owner term of their rep id; a repeated id keeps its first row.
    std::vector<int> row_by_owner_;
    // Each matching deal's row: with the index by position, else by id.
    std::vector<int> row_of_deal_;
    IdIndex row_by_deal_;
};

class ForecastCounter {
public:
    ForecastCounter(const Context& ctx, TargetPeriod bucket) : ctx_(ctx), bucket_(bucket) {}
    void add(std::size_t deal);
    std::vector<ForecastBucket> result();

private:
    // The buckets are known only once the expected closes are.
    struct Amount {
        Day day;
        Money value;
        Money weighted;
        bool open;
    };
    const Context& ctx_;
    const TargetPeriod bucket_;
    std::vector<Amount> amounts_;
    std::optional<Day> earliest_close_, latest_close_;
};

class CoverageCounter {
public:
    explicit CoverageCounter(const Context& ctx);
    void add(std::size_t deal);
    PipelineCoverage result();

private:
    const Context& ctx_;
    const DayRange target_days_;
    const Period target_period_;
    Money won_ = 0;
    Money weighted_open_ = 0;
};

class TargetPaceCounter {
public:
    explicit TargetPaceCounter(const Context& ctx);
    void add(std::size_t deal);
    TargetPace result();

private:
    const Context& ctx_;
    const DayRange days_;
    const Period period_;
    Money won_ = 0;
    std::vector<std::pair<Day, Money>> won_by_day_;
};

class ClosingThisWeekCounter {
public:
    explicit ClosingThisWeekCounter(const Context& ctx);
    void add(std::size_t deal);
    ClosingThisWeek result();

private:
    const Context& ctx_;
    const DayRange week_;
    ClosingThisWeek closing_;
};

class FunnelCounter {
public:
    explicit FunnelCounter(const Context& ctx);
    void add(std::size_t deal, std::span<const StageVisit> visits);
    std::vector<StageConversion> result();

private:
    const Context& ctx_;
    std::vector<StageConversion> rows_;
    // The deal last counted per stage, so each deal enters each stage at most once.
    std::vector<std::size_t> counted_deal_;
};

class StageTimeCounter {
public:
    explicit StageTimeCounter(const Context& ctx);
    void add(std::size_t deal, std::span<const StageVisit> visits);
    std::vector<StageTime> result();

private:
    const Context& ctx_;
    std::vector<StageTime> rows_;
    std::vector<Timestamp> total_seconds_;
};

// A period's win rate, won deal size and cycle time, as closed_deals gives them.
class ClosedDealsCounter {
public:
    explicit ClosedDealsCounter(const Context& ctx)
        : win_rate_(ctx, {ctx.period}), won_values_(ctx), cycle_time_(ctx) {}
    void add(std::size_t deal) {
        win_rate_.add(deal);
        won_values_.add(deal);
        cycle_time_.add(deal);
    }
    ClosedDeals result() {
        return {win_rate_.result().front(), deal_size_of(won_values_.result()),
                cycle_time_.result()};
    }

private:
    WinRateCounter win_rate_;
    WonValueCounter won_values_;
    CycleTimeCounter cycle_time_;
};

// Every metric of a MetricsSnapshot, fed each matching deal and each pipeline deal's visits,
// so the dashboard can count its other periods' numbers in the same pass over the deals.
class SnapshotCounter {
public:
    explicit SnapshotCounter(const Context& ctx);
    void add(std::size_t deal);
    void add(std::size_t deal, std::span<const StageVisit> visits);
    MetricsSnapshot result();

private:
    const Context& ctx_;
    StageSummaryCounter stages_;
    WinRateCounter win_rate_;
    WonValueCounter won_values_;
    CycleTimeCounter cycle_time_;
    StagnantCounter stagnant_;
    BreakdownCounter by_lead_source_;
    BreakdownCounter by_industry_;
    BreakdownCounter by_lost_reason_;
    RepPerformanceCounter reps_;
    ForecastCounter forecast_;
    CoverageCounter coverage_;
    TargetPaceCounter target_pace_;
    ClosingThisWeekCounter closing_this_week_;
    FunnelCounter funnel_;
    StageTimeCounter time_in_stage_;
};

}  // namespace pb::metrics_detail

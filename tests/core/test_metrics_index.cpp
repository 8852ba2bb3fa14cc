// The deal metrics read from the index's compact copies of each deal (owner, source, industry,
// dates, value, status): after edits they must give what a fresh pass over the records gives.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/commands.hpp"
#include "core/ids.hpp"
#include "core/metrics_dashboard.hpp"
#include "core/sample_workspace.hpp"
#include "core/workspace_index.hpp"
#include "test_metrics_fixture.hpp"

using namespace pb;
using namespace pb::metrics_test;

namespace {

// A sample workspace of 500 deals as of `now`, and its index.
struct IndexedSample {
    static Workspace make(Timestamp now) {
        SampleOptions options;
        options.deal_count = 500;
        return make_sample_workspace(options, now);
    }
    const Timestamp now = at(2026, 11, 29, 12);
    const Workspace ws = make(now);
    const WorkspaceIndex index{ws};
};

void check_same_breakdown(const std::vector<Breakdown>& indexed,
                          const std::vector<Breakdown>& full) {
    REQUIRE(indexed.size() == full.size());
    for (std::size_t i = 0; i < full.size(); ++i) {
        CHECK(indexed[i].key == full[i].key);
        CHECK(indexed[i].deals == full[i].deals);
        CHECK(indexed[i].value == full[i].value);
        CHECK(indexed[i].won_value == full[i].won_value);
        CHECK(indexed[i].lost == full[i].lost);
    }
}

// Every deal-level number of all_metrics, read through `index` and by a full pass.
MetricsSnapshot check_same_metrics(const Workspace& ws, const WorkspaceIndex& index,
                                   const MetricsFilter& filter, Timestamp now) {
    const MetricsSnapshot full = all_metrics(ws, filter, now);
    const MetricsSnapshot indexed = all_metrics(ws, filter, now, &index);
    REQUIRE(indexed.stages.size() == full.stages.size());
    for (std::size_t i = 0; i < full.stages.size(); ++i) {
        CHECK(indexed.stages[i].open_count == full.stages[i].open_count);
        CHECK(indexed.stages[i].open_value == full.stages[i].open_value);
        CHECK(indexed.stages[i].weighted_value == full.stages[i].weighted_value);
        CHECK(indexed.stages[i].rotting_count == full.stages[i].rotting_count);
    }
    CHECK(indexed.win_rate.won == full.win_rate.won);
    CHECK(indexed.win_rate.lost_value == full.win_rate.lost_value);
    CHECK(indexed.won_deal_size.median == full.won_deal_size.median);
    CHECK(indexed.deal_size_histogram == full.deal_size_histogram);
    CHECK(indexed.cycle_time.average_days == full.cycle_time.average_days);
    REQUIRE(indexed.stagnant_deals.size() == full.stagnant_deals.size());
    for (std::size_t i = 0; i < full.stagnant_deals.size(); ++i)
        CHECK(indexed.stagnant_deals[i].deal == full.stagnant_deals[i].deal);
    check_same_breakdown(indexed.by_lead_source, full.by_lead_source);
    REQUIRE(indexed.reps.size() == full.reps.size());
    for (std::size_t i = 0; i < full.reps.size(); ++i) {
        CHECK(indexed.reps[i].rep_id == full.reps[i].rep_id);
        CHECK(indexed.reps[i].won_value == full.reps[i].won_value);
        CHECK(indexed.reps[i].open_pipeline == full.reps[i].open_pipeline);
        CHECK(indexed.reps[i].weighted_pipeline == full.reps[i].weighted_pipeline);
        CHECK(indexed.reps[i].activities_done == full.reps[i].activities_done);
    }
    REQUIRE(indexed.forecast.size() == full.forecast.size());
    for (std::size_t i = 0; i < full.forecast.size(); ++i) {
        CHECK(indexed.forecast[i].deals == full.forecast[i].deals);
        CHECK(indexed.forecast[i].weighted == full.forecast[i].weighted);
        CHECK(indexed.forecast[i].won == full.forecast[i].won);
    }
    CHECK(indexed.coverage.weighted_open == full.coverage.weighted_open);
    CHECK(indexed.target_pace.sentence == full.target_pace.sentence);
    CHECK(indexed.closing_this_week.sentence == full.closing_this_week.sentence);
    for (const BreakdownBy by :
         {BreakdownBy::Industry, BreakdownBy::Owner, BreakdownBy::LostReason}) {
        check_same_breakdown(breakdown(ws, filter, by, &index), breakdown(ws, filter, by));
    }
    return full;
}

const RepPerformance& rep_row(const MetricsSnapshot& metrics, const Id& rep_id) {
    const auto row = std::find_if(metrics.reps.begin(), metrics.reps.end(),
                                  [&](const RepPerformance& r) { return r.rep_id == rep_id; });
    REQUIRE(row != metrics.reps.end());
    return *row;
}

}  // namespace

TEST_CASE("deal metrics read from the index equal a full pass after owner, source and date edits") {
    SampleOptions options;
    options.deal_count = 400;
    const Timestamp now = at(2026, 11, 29, 12);
    Workspace ws = make_sample_workspace(options, now);
    IdGenerator ids(11);
    Session session(ws, ids);
    const MetricsFilter quarter = period(day(2026, 10, 1), day(2026, 12, 31));
    REQUIRE(ws.reps.size() >= 2);
    const Id first_rep = ws.reps[0].meta.id;
    const Id second_rep = ws.reps[1].meta.id;

    // An open deal of the first rep expected to close this quarter.
    const auto open_deal = std::find_if(ws.deals.begin(), ws.deals.end(), [&](const Deal& d) {
        return d.status == DealStatus::Open && d.owner_id == first_rep && d.expected_close &&
               *d.expected_close >= day(2026, 10, 1) && *d.expected_close <= day(2026, 12, 31);
    });
    REQUIRE(open_deal != ws.deals.end());
    Deal edited = *open_deal;
    const Money old_value = edited.value;
    const MetricsSnapshot before = check_same_metrics(ws, session.index(), quarter, now);

    // Handed to the second rep, with a source and an industry no deal had, and a new value.
    edited.owner_id = second_rep;
    edited.lead_source = "Trade fair in Lyon";
    edited.industry = "Shipbuilding";
    edited.value += dollars(1000);
    REQUIRE(session.apply(cmd::EditDeal{edited}, now).ok);
    const MetricsSnapshot after = check_same_metrics(ws, session.index(), quarter, now);
    CHECK(rep_row(after, first_rep).open_pipeline ==
          rep_row(before, first_rep).open_pipeline - old_value);
    CHECK(rep_row(after, second_rep).open_pipeline ==
          rep_row(before, second_rep).open_pipeline + edited.value);

    // Filters on the new texts find exactly that deal; a text no deal holds finds nothing.
    MetricsFilter by_source = quarter;
    by_source.lead_source = "Trade fair in Lyon";
    const MetricsSnapshot from_fair = check_same_metrics(ws, session.index(), by_source, now);
    int open_from_fair = 0;
    for (const StageSummary& stage : from_fair.stages) open_from_fair += stage.open_count;
    CHECK(open_from_fair == 1);
    MetricsFilter by_industry = quarter;
    by_industry.industry = "Shipbuilding";
    by_industry.owner_id = second_rep;
    check_same_metrics(ws, session.index(), by_industry, now);
    MetricsFilter nobody = quarter;
    nobody.owner_id = "no-such-rep";
    const MetricsSnapshot none = check_same_metrics(ws, session.index(), nobody, now);
    for (const StageSummary& stage : none.stages) CHECK(stage.open_count == 0);

    // Its close date moved out of the quarter, then won and deleted through the commands.
    edited = *std::find_if(ws.deals.begin(), ws.deals.end(),
                           [&](const Deal& d) { return d.meta.id == edited.meta.id; });
    edited.expected_close = day(2027, 3, 1);
    REQUIRE(session.apply(cmd::EditDeal{edited}, now).ok);
    const MetricsSnapshot moved_out = check_same_metrics(ws, session.index(), quarter, now);
    CHECK(rep_row(moved_out, second_rep).open_pipeline ==
          rep_row(after, second_rep).open_pipeline - edited.value);
    REQUIRE(session.apply(cmd::WinDeal{edited.meta.id, std::nullopt, std::nullopt}, now).ok);
    const MetricsSnapshot won = check_same_metrics(ws, session.index(), quarter, now);
    CHECK(won.win_rate.won == moved_out.win_rate.won + 1);
    REQUIRE(session.apply(cmd::DeleteDeal{edited.meta.id}, now).ok);
    const MetricsSnapshot deleted = check_same_metrics(ws, session.index(), quarter, now);
    CHECK(deleted.win_rate.won == moved_out.win_rate.won);
    REQUIRE(session.undo(now).ok);
    check_same_metrics(ws, session.index(), MetricsFilter{}, now);

    // The dashboard's own calls take the index too.
    const std::vector<WinRatePoint> trend_full =
        win_rate_trend(ws, quarter, TargetPeriod::Month, day(2026, 11, 29), 6);
    const std::vector<WinRatePoint> trend_indexed =
        win_rate_trend(ws, quarter, TargetPeriod::Month, day(2026, 11, 29), 6, &session.index());
    REQUIRE(trend_indexed.size() == trend_full.size());
    int won_in_trend = 0;
    for (std::size_t i = 0; i < trend_full.size(); ++i) {
        // One pass for all the months gives what each month's own win rate gives.
        const Day start = trend_full[i].period_start;
        const WinRate month = win_rate(ws, period(start, add_months(start, 1) - 1));
        CHECK(trend_full[i].rate.won == month.won);
        CHECK(trend_full[i].rate.lost_value == month.lost_value);
        CHECK(trend_indexed[i].rate.won == month.won);
        CHECK(trend_indexed[i].rate.by_count == month.by_count);
        won_in_trend += month.won;
    }
    CHECK(won_in_trend > 0);
    CHECK(lost_reason_deals(ws, quarter, "", &session.index()) ==
          lost_reason_deals(ws, quarter, ""));
}

TEST_CASE("all metrics counted in one pass give what each metric gives on its own") {
    const IndexedSample sample;
    const Timestamp now = sample.now;
    const Workspace& ws = sample.ws;
    const WorkspaceIndex& index = sample.index;
    for (const MetricsFilter& filter :
         {period(day(2026, 10, 1), day(2026, 12, 31)), MetricsFilter{}}) {
        const MetricsSnapshot all = all_metrics(ws, filter, now, &index);
        const std::vector<StageSummary> stages = stage_summaries(ws, filter, now);
        REQUIRE(all.stages.size() == stages.size());
        int open_deals = 0;
        for (std::size_t i = 0; i < stages.size(); ++i) {
            CHECK(all.stages[i].open_count == stages[i].open_count);
            CHECK(all.stages[i].weighted_value == stages[i].weighted_value);
            CHECK(all.stages[i].rotting_count == stages[i].rotting_count);
            open_deals += stages[i].open_count;
        }
        CHECK(open_deals > 0);
        const WinRate rate = win_rate(ws, filter, &index);
        CHECK(all.win_rate.won == rate.won);
        CHECK(all.win_rate.lost == rate.lost);
        CHECK(rate.won > 0);
        const DealSizeStats size = won_deal_size(ws, filter, &index);
        CHECK(all.won_deal_size.count == size.count);
        CHECK(all.won_deal_size.median == size.median);
        CHECK(all.cycle_time.median_days == cycle_time(ws, filter, &index).median_days);
        const std::vector<StagnantDeal> stagnant = stagnant_deals(ws, filter, now, &index);
        REQUIRE(all.stagnant_deals.size() == stagnant.size());
        for (std::size_t i = 0; i < stagnant.size(); ++i)
            CHECK(all.stagnant_deals[i].deal == stagnant[i].deal);
        check_same_breakdown(all.by_lead_source,
                             breakdown(ws, filter, BreakdownBy::LeadSource, &index));
        check_same_breakdown(all.by_industry, breakdown(ws, filter, BreakdownBy::Industry, &index));
        check_same_breakdown(all.by_lost_reason,
                             breakdown(ws, filter, BreakdownBy::LostReason, &index));
        CHECK(!all.by_lost_reason.empty());
        const ClosedDeals closed = closed_deals(ws, filter, &index);
        CHECK(closed.win_rate.won == rate.won);
        CHECK(closed.win_rate.lost_value == rate.lost_value);
        CHECK(closed.won_deal_size.average == size.average);
        CHECK(closed.cycle_time.average_days == cycle_time(ws, filter).average_days);
        const std::vector<RepPerformance> reps = rep_performance(ws, filter, now);
        REQUIRE(all.reps.size() == reps.size());
        for (std::size_t i = 0; i < reps.size(); ++i) {
            CHECK(all.reps[i].won_value == reps[i].won_value);
            CHECK(all.reps[i].activities_done == reps[i].activities_done);
        }
        const std::vector<ForecastBucket> ahead =
            forecast(ws, filter, TargetPeriod::Month, now, &index);
        REQUIRE(all.forecast.size() == ahead.size());
        for (std::size_t i = 0; i < ahead.size(); ++i)
            CHECK(all.forecast[i].weighted == ahead[i].weighted);
        const std::vector<StageConversion> conversions = funnel(ws, filter);
        REQUIRE(all.funnel.size() == conversions.size());
        for (std::size_t i = 0; i < conversions.size(); ++i)
            CHECK(all.funnel[i].entered == conversions[i].entered);
        const std::vector<StageTime> times = time_in_stage(ws, filter, now);
        REQUIRE(all.time_in_stage.size() == times.size());
        for (std::size_t i = 0; i < times.size(); ++i)
            CHECK(all.time_in_stage[i].average_days == times[i].average_days);
    }
}

TEST_CASE("the dashboard's numbers counted in one pass give what each function gives") {
    const IndexedSample sample;
    const Timestamp now = sample.now;
    const Workspace& ws = sample.ws;
    const WorkspaceIndex& index = sample.index;
    const DayPeriod quarter{day(2026, 10, 1), day(2026, 12, 31)};
    const DayPeriod previous{day(2026, 7, 1), day(2026, 9, 30)};
    MetricsFilter one_rep = period(quarter.from, quarter.to);
    one_rep.owner_id = ws.reps.front().meta.id;

    for (const MetricsFilter& filter : {period(quarter.from, quarter.to), one_rep}) {
        for (const WorkspaceIndex* with : {&index, static_cast<const WorkspaceIndex*>(nullptr)}) {
            CAPTURE(filter.owner_id);
            CAPTURE(with != nullptr);
            DashboardQuery query;
            query.filter = filter;
            query.previous = previous;
            query.forecast_span = {day(2026, 10, 1), day(2027, 5, 31)};
            query.trend_last_day = day(2026, 11, 29);
            query.trend_buckets = 12;
            const DashboardMetrics counted = dashboard_metrics(ws, query, now, with);

            const MetricsSnapshot all = all_metrics(ws, filter, now);
            CHECK(counted.current.win_rate.won == all.win_rate.won);
            CHECK(counted.current.won_deal_size.average == all.won_deal_size.average);
            REQUIRE(counted.current.funnel.size() == all.funnel.size());
            for (std::size_t i = 0; i < all.funnel.size(); ++i)
                CHECK(counted.current.funnel[i].advanced == all.funnel[i].advanced);

            MetricsFilter before = filter;
            before.from = previous.from;
            before.to = previous.to;
            const ClosedDeals closed = closed_deals(ws, before);
            REQUIRE(counted.previous.has_value());
            CHECK(counted.previous->win_rate.won == closed.win_rate.won);
            CHECK(counted.previous->win_rate.lost_value == closed.win_rate.lost_value);
            CHECK(counted.previous->won_deal_size.median == closed.won_deal_size.median);
            CHECK(counted.previous->cycle_time.average_days == closed.cycle_time.average_days);
            CHECK(closed.win_rate.won + closed.win_rate.lost > 0);

            MetricsFilter ahead = filter;
            ahead.from = query.forecast_span.from;
            ahead.to = query.forecast_span.to;
            const std::vector<ForecastBucket> buckets =
                forecast(ws, ahead, TargetPeriod::Month, now);
            REQUIRE(counted.forecast.size() == buckets.size());
            CHECK(buckets.size() >= 8);
            for (std::size_t i = 0; i < buckets.size(); ++i) {
                CHECK(counted.forecast[i].period_start == buckets[i].period_start);
                CHECK(counted.forecast[i].weighted == buckets[i].weighted);
                CHECK(counted.forecast[i].deals == buckets[i].deals);
            }

            const std::vector<WinRatePoint> trend =
                win_rate_trend(ws, filter, TargetPeriod::Month, query.trend_last_day, 12);
            REQUIRE(counted.win_trend.size() == trend.size());
            for (std::size_t i = 0; i < trend.size(); ++i) {
                CHECK(counted.win_trend[i].period_start == trend[i].period_start);
                CHECK(counted.win_trend[i].rate.won == trend[i].rate.won);
                CHECK(counted.win_trend[i].rate.lost == trend[i].rate.lost);
            }

            MetricsFilter any_time = filter;
            any_time.from.reset();
            any_time.to.reset();
            const std::vector<StagnantDeal> stagnant = stagnant_deals(ws, any_time, now);
            REQUIRE(counted.stagnant.size() == stagnant.size());
            CHECK(stagnant.size() > counted.current.stagnant_deals.size());
            for (std::size_t i = 0; i < stagnant.size(); ++i) {
                CHECK(counted.stagnant[i].deal == stagnant[i].deal);
                CHECK(counted.stagnant[i].days_in_stage == stagnant[i].days_in_stage);
            }
        }
    }

    DashboardQuery alone;
    alone.filter = period(quarter.from, quarter.to);
    alone.forecast_span = quarter;
    CHECK_FALSE(dashboard_metrics(ws, alone, now, &index).previous.has_value());
}

// The sample pipeline must look like a real small company's data: every stage used, every
// outcome present, histories that agree with each deal's state, and the same output for
// the same seed.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "core/json_format.hpp"
#include "core/metrics.hpp"
#include "core/metrics_dashboard.hpp"
#include "core/sample_workspace.hpp"
#include "core/workspace_index.hpp"

namespace {

constexpr pb::Timestamp kNow = 1796000000;  // 2026-11-29 in the afternoon

}  // namespace

TEST_CASE("the sample pipeline is the same for the same seed and differs for another") {
    const pb::Workspace a = pb::make_sample_workspace({}, kNow);
    const pb::Workspace b = pb::make_sample_workspace({}, kNow);
    pb::SampleOptions other;
    other.seed = 7;
    const pb::Workspace c = pb::make_sample_workspace(other, kNow);
    CHECK(pb::workspace_to_json(a) == pb::workspace_to_json(b));
    CHECK(pb::workspace_to_json(a) != pb::workspace_to_json(c));
}

TEST_CASE("the sample pipeline spreads deals over every stage and every outcome") {
    const pb::Workspace ws = pb::make_sample_workspace({}, kNow);
    REQUIRE(ws.deals.size() == 300);
    CHECK(ws.reps.size() == 5);
    CHECK(ws.targets.size() == 6);

    std::map<pb::DealStatus, int> by_status;
    std::map<pb::Id, int> open_by_stage;
    for (const pb::Deal& deal : ws.deals) {
        ++by_status[deal.status];
        if (deal.status == pb::DealStatus::Open) ++open_by_stage[deal.stage_id];
        CHECK(deal.value > 0);
        CHECK(!deal.title.empty());
        CHECK(!deal.owner_id.empty());
        CHECK(!deal.contacts.empty());
        CHECK(deal.contacts.front().decision_maker);
    }
    CHECK(by_status[pb::DealStatus::Won] >= 20);
    CHECK(by_status[pb::DealStatus::Lost] >= 20);
    CHECK(by_status[pb::DealStatus::Nurture] >= 3);
    CHECK(by_status[pb::DealStatus::Open] >= 60);
    // Every stage before Post-Purchase holds open deals.
    int stages_with_open = 0;
    for (const pb::Stage& stage : ws.stages)
        if (open_by_stage[stage.meta.id] > 0) ++stages_with_open;
    CHECK(stages_with_open >= 6);
}

TEST_CASE("sample histories agree with each deal's stage and status") {
    const pb::Workspace ws = pb::make_sample_workspace({}, kNow);
    std::map<pb::Id, const pb::HistoryEvent*> last_move;
    std::map<pb::Id, const pb::HistoryEvent*> last_status;
    std::map<pb::Id, int> created_events;
    for (const pb::HistoryEvent& event : ws.history) {
        CHECK(event.at <= kNow);
        CHECK(event.at >= kNow - 366 * pb::kSecondsPerDay);
        if (event.kind == pb::HistoryKind::Created) ++created_events[event.deal_id];
        // A deal's Created event counts as its first arrival in a stage.
        auto& slot = event.kind == pb::HistoryKind::StatusChanged ? last_status[event.deal_id]
                                                                  : last_move[event.deal_id];
        if (!slot || slot->at <= event.at) slot = &event;
    }
    for (const pb::Deal& deal : ws.deals) {
        CHECK(created_events[deal.meta.id] == 1);
        REQUIRE(last_move[deal.meta.id] != nullptr);
        CHECK(last_move[deal.meta.id]->to_stage_id == deal.stage_id);
        CHECK(deal.stage_entered_at == last_move[deal.meta.id]->at);
        if (deal.status != pb::DealStatus::Open) {
            REQUIRE(last_status[deal.meta.id] != nullptr);
            CHECK(last_status[deal.meta.id]->to_status == deal.status);
        }
        if (deal.status == pb::DealStatus::Lost) CHECK(!deal.lost_reason.empty());
        if (deal.status == pb::DealStatus::Nurture) CHECK(deal.revisit_on.has_value());
    }
}

TEST_CASE("the sample pipeline has work due today, overdue work, stagnant deals and renewals") {
    const pb::Workspace ws = pb::make_sample_workspace({}, kNow);
    const pb::Day today = pb::day_of(kNow);
    int due_today = 0, overdue = 0;
    for (const pb::Activity& activity : ws.activities) {
        if (activity.done) continue;
        if (pb::day_of(activity.due) == today) ++due_today;
        else if (activity.due < kNow) ++overdue;
    }
    CHECK(due_today >= 3);
    CHECK(overdue >= 3);

    const pb::WorkspaceIndex index(ws);
    int rotting = 0, renewals = 0;
    for (const pb::Deal& deal : ws.deals) {
        if (index.is_rotting(deal, kNow)) ++rotting;
        if (deal.status == pb::DealStatus::Won && deal.contract_end &&
            *deal.contract_end >= today && *deal.contract_end <= today + 60)
            ++renewals;
    }
    CHECK(rotting >= 3);
    CHECK(renewals >= 2);
}

TEST_CASE("a 100,000-deal sample keeps unique ids") {
    pb::SampleOptions big;
    big.deal_count = 100000;
    const pb::Workspace ws = pb::make_sample_workspace(big, kNow);
    CHECK(ws.deals.size() == 100000);
    std::set<pb::Id> ids;
    for (const pb::Deal& deal : ws.deals) ids.insert(deal.meta.id);
    CHECK(ids.size() == 100000);
}

// What the Insights dashboard draws for its default period (this quarter), computed the way
// the dashboard does, on the first day of a quarter as well as late in one: every chart must
// have something to show whatever day the sample is opened.
TEST_CASE("the sample pipeline gives every dashboard chart something to show") {
    const pb::Timestamp late = kNow;
    const pb::Timestamp quarter_start =
        pb::start_of_day(pb::day_from_civil({2026, 10, 1})) + 9 * 3600;
    const pb::Timestamp year_start = pb::start_of_day(pb::day_from_civil({2027, 1, 1})) + 9 * 3600;
    for (const pb::Timestamp now : {late, quarter_start, year_start}) {
        CAPTURE(now);
        const pb::Workspace ws = pb::make_sample_workspace({}, now);
        const pb::Day today = pb::day_of(now);
        const pb::DayPeriod period = pb::preset_period(pb::PeriodPreset::ThisQuarter, today);
        pb::MetricsFilter filter;
        filter.from = period.from;
        filter.to = period.to;
        const pb::MetricsSnapshot m = pb::all_metrics(ws, filter, now);

        int funnel_stages = 0;
        for (const pb::StageConversion& stage : m.funnel)
            if (stage.entered > 0) ++funnel_stages;
        // A quarter's first morning has only what happened since midnight.
        CHECK(funnel_stages >= (now == late ? 6 : 2));

        pb::MetricsFilter ahead = filter;
        ahead.to = pb::add_months(pb::start_of_quarter(today), 12) - 1;
        int won_buckets = 0, open_buckets = 0;
        for (const pb::ForecastBucket& bucket :
             pb::forecast(ws, ahead, pb::TargetPeriod::Month, now)) {
            if (bucket.won > 0) ++won_buckets;
            if (bucket.weighted > 0) ++open_buckets;
        }
        CHECK(won_buckets >= 1);
        CHECK(open_buckets >= 2);

        int months_with_closed = 0;
        for (const pb::WinRatePoint& point :
             pb::win_rate_trend(ws, filter, pb::TargetPeriod::Month, today, 12))
            if (point.rate.won + point.rate.lost > 0) ++months_with_closed;
        CHECK(months_with_closed >= 11);
        CHECK(!pb::breakdown(ws, filter, pb::BreakdownBy::LostReason).empty());

        int timed_stages = 0;
        for (const pb::StageTime& stage : m.time_in_stage)
            if (stage.visits > 0 && stage.average_days > 0) ++timed_stages;
        CHECK(timed_stages >= 3);
        CHECK(m.cycle_time.deals >= 3);
        CHECK(!m.deal_size_histogram.empty());

        CHECK(m.by_lead_source.size() >= 4);
        CHECK(pb::breakdown(ws, filter, pb::BreakdownBy::Industry).size() >= 4);
        int reps_with_work = 0;
        for (const pb::RepPerformance& rep : m.reps)
            if (rep.target > 0 && rep.weighted_pipeline > 0) ++reps_with_work;
        CHECK(reps_with_work == 5);
        CHECK(pb::stagnant_deals(ws, {}, now).size() >= 3);
    }
}

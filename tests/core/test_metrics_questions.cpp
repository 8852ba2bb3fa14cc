// The seed's questions (closing this week, the stage needing attention), the dashboard snapshot,
// the export tables, and a full-size workspace run through every metric.
#include "test_metrics_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace pb;
using namespace pb::metrics_test;

namespace {

// Wednesday 2026-03-18; its week runs Monday 03-16 to Sunday 03-22.
const Timestamp kWednesday = at(2026, 3, 18, 12);

Workspace closing_workspace() {
    Workspace ws = sales_workspace();
    add_deal(ws, "monday", "lead", dollars(1000)).expected_close = day(2026, 3, 16);  // 10%
    Deal& sunday = add_deal(ws, "sunday", "proposal", dollars(2000));
    sunday.expected_close = day(2026, 3, 22);
    sunday.probability = 25;  // $500 weighted instead of the stage's 60%
    add_deal(ws, "last-week", "qualified", dollars(500)).expected_close = day(2026, 3, 15);
    add_deal(ws, "next-week", "qualified", dollars(500)).expected_close = day(2026, 3, 23);
    Deal& won = add_deal(ws, "won", "proposal", dollars(700));
    won.expected_close = day(2026, 3, 18);
    close_deal(won, DealStatus::Won, at(2026, 3, 17));
    Deal& deleted = add_deal(ws, "deleted", "lead", dollars(300));
    deleted.expected_close = day(2026, 3, 19);
    deleted.meta.deleted = true;
    add_deal(ws, "renewal", "renewal", dollars(400)).expected_close = day(2026, 3, 20);  // 50%
    return ws;
}

}  // namespace

TEST_CASE("closing this week: open deals expected Monday to Sunday") {
    const Workspace ws = closing_workspace();
    // monday $1,000 ($100), sunday $2,000 ($500), renewal $400 ($200).
    const ClosingThisWeek week = closing_this_week(ws, {}, kWednesday);
    CHECK(week.deals == 3);
    CHECK(week.value == dollars(3400));
    CHECK(week.weighted == dollars(800));
    CHECK(week.sentence ==
          "3 deals worth $3,400 ($800 weighted) are expected to close this week (2026-03-16 to "
          "2026-03-22).");

    // Late on Sunday it is still the same week; the filter's period plays no part.
    const ClosingThisWeek sunday = closing_this_week(ws, march_2026(), at(2026, 3, 22, 23));
    CHECK(sunday.deals == 3);

    // On Monday a new week begins.
    const ClosingThisWeek next = closing_this_week(ws, {}, at(2026, 3, 23, 9));
    CHECK(next.deals == 1);
    CHECK(next.weighted == dollars(150));
    CHECK(contains(next.sentence, "1 deal worth $500 ($150 weighted) is expected"));

    MetricsFilter sales;
    sales.pipeline_id = "sales";
    CHECK(closing_this_week(ws, sales, kWednesday).deals == 2);

    const ClosingThisWeek none = closing_this_week(Workspace{}, {}, kWednesday);
    CHECK(none.deals == 0);
    CHECK(none.value == 0);
    CHECK(contains(none.sentence, "No deals are expected to close this week"));
}

namespace {

const Timestamp kNow = at(2026, 3, 20);

// Four deals cross lead in 2 days and reach qualified; there each spends 2 days, but only one
// moves on (to proposal, won 2 days later) and three are lost.
Workspace low_conversion_workspace() {
    Workspace ws = sales_workspace();
    for (int i = 1; i <= 4; ++i) {
        const std::string id = "a" + std::to_string(i);
        Deal& deal = add_deal(ws, id, i == 1 ? "proposal" : "qualified", dollars(100));
        close_deal(deal, i == 1 ? DealStatus::Won : DealStatus::Lost, at(2026, 3, i == 1 ? 7 : 5));
        created_in(ws, id, "lead", at(2026, 3, 1));
        moved(ws, id, "lead", "qualified", at(2026, 3, 3));
        if (i == 1) {
            moved(ws, id, "qualified", "proposal", at(2026, 3, 5));
            status_changed(ws, id, DealStatus::Won, at(2026, 3, 7));
        } else {
            status_changed(ws, id, DealStatus::Lost, at(2026, 3, 5));
        }
    }
    return ws;
}

}  // namespace

TEST_CASE("stage needing attention: the stage with the lowest conversion") {
    const Workspace ws = low_conversion_workspace();
    // Conversion: lead 4/4, qualified 1/4, proposal 1/1 -> average 0.75; qualified scores
    // 1 - 0.25 / 0.75 = 0.667. Every stage takes 2 days and nothing is open.
    const StageAttention attention = stage_needing_attention(ws, {}, kNow);
    CHECK(attention.stage_id == "qualified");
    CHECK(attention.name == "Qualified");
    CHECK(attention.reason == "low-conversion");
    CHECK(attention.score == doctest::Approx(2.0 / 3.0));
    CHECK(attention.sentence ==
          "Qualified needs attention: only 25% of the deals that entered it moved on (1 of 4), "
          "against 75% across stages.");
}

TEST_CASE("stage needing attention: the stage where deals wait longest") {
    Workspace ws = sales_workspace();
    for (const std::string id : {"b1", "b2"}) {
        close_deal(add_deal(ws, id, "proposal", dollars(100)), DealStatus::Won, at(2026, 3, 13));
        created_in(ws, id, "lead", at(2026, 3, 1));
        moved(ws, id, "lead", "qualified", at(2026, 3, 3));
        moved(ws, id, "qualified", "proposal", at(2026, 3, 5));
        status_changed(ws, id, DealStatus::Won, at(2026, 3, 13));
    }
    // Everything converts; lead 2 days, qualified 2, proposal 8 -> average 4, so proposal
    // scores 1 - 4 / 8 = 0.5.
    const StageAttention attention = stage_needing_attention(ws, {}, kNow);
    CHECK(attention.stage_id == "proposal");
    CHECK(attention.reason == "slow");
    CHECK(attention.score == doctest::Approx(0.5));
    CHECK(attention.sentence ==
          "Proposal needs attention: deals spend 8 days there on average, against 4 days across "
          "stages.");
}

TEST_CASE("stage needing attention: the stage with the most stagnant deals") {
    Workspace ws = sales_workspace();
    add_deal(ws, "l1", "lead", dollars(100)).stage_entered_at = at(2026, 3, 18);
    add_deal(ws, "q1", "qualified", dollars(100)).stage_entered_at = at(2026, 2, 28);
    add_deal(ws, "q2", "qualified", dollars(100)).stage_entered_at = at(2026, 2, 28);
    add_deal(ws, "q3", "qualified", dollars(100)).stage_entered_at = at(2026, 3, 18);
    // No history: nothing has converted yet, so conversion says nothing. Qualified holds deals
    // for 14 days on average against 8 across stages (slow: 1 - 8 / 14 = 0.43), but 2 of its 3
    // open deals are past 10 days (stagnant: 0.67), the stronger signal.
    const StageAttention attention = stage_needing_attention(ws, {}, kNow);
    CHECK(attention.stage_id == "qualified");
    CHECK(attention.reason == "stagnant");
    CHECK(attention.score == doctest::Approx(2.0 / 3.0));
    CHECK(attention.sentence ==
          "Qualified needs attention: 2 of its 3 open deals have been there longer than 10 days.");
}

TEST_CASE("stage needing attention: nothing stands out in an empty or even pipeline") {
    const StageAttention empty = stage_needing_attention(Workspace{}, {}, kNow);
    CHECK(empty.stage_id.empty());
    CHECK(empty.reason.empty());
    CHECK(empty.score == 0);
    CHECK(contains(empty.sentence, "No stage stands out"));

    CHECK(stage_needing_attention(sales_workspace(), {}, kNow).reason.empty());
}

TEST_CASE("the dashboard snapshot agrees with the metrics computed one by one") {
    Workspace ws = low_conversion_workspace();
    add_target(ws, "", TargetPeriod::Month, std::nullopt, dollars(1000));
    Deal& open = add_deal(ws, "open", "lead", dollars(300));
    open.expected_close = day(2026, 3, 19);
    open.stage_entered_at = at(2026, 3, 19);
    const MetricsSnapshot snapshot = all_metrics(ws, {}, kNow);

    CHECK(snapshot.funnel[1].entered == funnel(ws, {})[1].entered);
    CHECK(snapshot.funnel[1].advanced == 1);
    CHECK(snapshot.win_rate.won == 1);
    CHECK(snapshot.win_rate.lost == 3);
    CHECK(snapshot.stages[0].open_count == 1);
    CHECK(snapshot.won_deal_size.count == 1);
    CHECK(snapshot.deal_size_histogram.size() == deal_size_histogram(ws, {}).size());
    CHECK(snapshot.cycle_time.deals == 1);
    CHECK(snapshot.time_in_stage[1].visits == 4);
    CHECK(snapshot.by_lead_source.size() == 1);
    CHECK(snapshot.forecast.size() == forecast(ws, {}, TargetPeriod::Month, kNow).size());
    CHECK(snapshot.coverage.remaining_target == dollars(900));
    CHECK(snapshot.target_pace.sentence == target_pace(ws, {}, kNow).sentence);
    CHECK(snapshot.closing_this_week.deals == 1);
    CHECK(snapshot.stage_attention.stage_id == "qualified");
    CHECK(snapshot.stage_attention.sentence == stage_needing_attention(ws, {}, kNow).sentence);
}

TEST_CASE("metrics tables: plain numbers for export, an empty table for an unknown name") {
    Workspace ws = sales_workspace();
    close_deal(add_deal(ws, "w1", "proposal", dollars(1000)), DealStatus::Won, at(2026, 3, 3));
    close_deal(add_deal(ws, "w2", "proposal", 50050), DealStatus::Won, at(2026, 3, 4));
    close_deal(add_deal(ws, "l1", "lead", dollars(2000)), DealStatus::Lost, at(2026, 3, 5));

    const MetricsTable rate = metrics_table(ws, {}, "win-rate", kNow);
    REQUIRE(rate.rows.size() == 1);
    CHECK(rate.header.size() == rate.rows[0].size());
    // 2 of 3 by count; $1,500.50 of $3,500.50 by value.
    CHECK(rate.rows[0] == std::vector<std::string>{"2", "1", "1500.50", "2000.00", "66.7", "42.9"});

    const MetricsTable stages = metrics_table(ws, {}, "stages", kNow);
    REQUIRE(stages.rows.size() == 3);
    CHECK(stages.rows[0][0] == "Lead");
    CHECK(stages.rows[2][0] == "Proposal");

    ws.currency = Currency{"JPY", "¥", 0};
    CHECK(metrics_table(ws, {}, "win-rate", kNow).rows[0][2] == "150050");

    const MetricsTable unknown = metrics_table(ws, {}, "no-such-table", kNow);
    CHECK(unknown.header.empty());
    CHECK(unknown.rows.empty());
}

TEST_CASE("every named metrics table has rows as wide as its header") {
    Workspace ws = low_conversion_workspace();
    add_rep(ws, "alice", "Alice");
    ws.deals[0].owner_id = "alice";
    Deal& stale = add_deal(ws, "stale", "lead", dollars(10));
    stale.stage_entered_at = at(2026, 1, 1);
    const std::vector<std::string> names = metrics_table_names();
    for (const char* expected :
         {"stages", "funnel", "win-rate", "deal-size", "cycle-time", "time-in-stage", "stagnant",
          "breakdown-source", "breakdown-industry", "breakdown-owner", "breakdown-lost-reason",
          "reps", "forecast-month", "forecast-quarter", "coverage", "target-pace",
          "closing-this-week", "stage-attention"}) {
        CHECK(std::find(names.begin(), names.end(), expected) != names.end());
    }
    for (const std::string& name : names) {
        CAPTURE(name);
        const MetricsTable table = metrics_table(ws, {}, name, kNow);
        CHECK_FALSE(table.header.empty());
        CHECK_FALSE(table.rows.empty());
        for (const std::vector<std::string>& row : table.rows) {
            CHECK(row.size() == table.header.size());
        }
    }
}

TEST_CASE("a full-size workspace runs through every metric") {
    // 100,000 deals with six history events each; a third won, a third lost, a third open in
    // proposal after going back and forth between qualified and proposal.
    constexpr int kDeals = 100'000;
    Workspace ws = sales_workspace();
    for (int r = 0; r < 20; ++r)
        add_rep(ws, "rep-" + std::to_string(r), "Rep " + std::to_string(r));
    add_target(ws, "", TargetPeriod::Month, std::nullopt, dollars(1'000'000));
    ws.deals.resize(kDeals);
    ws.history.resize(kDeals * 6);
    ws.activities.resize(kDeals);
    const Timestamp start = at(2025, 1, 1);
    const char* const stage_path[] = {"lead", "qualified", "proposal", "qualified", "proposal"};
    for (int i = 0; i < kDeals; ++i) {
        const Timestamp created = start + static_cast<Timestamp>(i) * 600;
        const DealStatus outcome =
            i % 3 == 0 ? DealStatus::Won : (i % 3 == 1 ? DealStatus::Lost : DealStatus::Open);
        Deal& deal = ws.deals[i];
        deal.meta.id = "deal-" + std::to_string(i) + "-0123456789abcdef0123456789";
        deal.meta.created = created;
        deal.pipeline_id = "sales";
        deal.stage_id = "proposal";
        deal.value = dollars(100 + i % 5000);
        deal.owner_id = "rep-" + std::to_string(i % 20);
        deal.lead_source = i % 2 == 0 ? "Web" : "Referral";
        deal.expected_close = day_of(created) + 30;
        deal.stage_entered_at = created + 4 * 86400;
        deal.status = outcome;
        if (outcome != DealStatus::Open) deal.closed_at = created + 5 * 86400;
        for (int e = 0; e < 6; ++e) {
            HistoryEvent& event = ws.history[static_cast<std::size_t>(i) * 6 + e];
            event.deal_id = deal.meta.id;
            event.at = created + e * 86400;
            if (e == 0) {
                event.kind = HistoryKind::Created;
                event.to_stage_id = stage_path[0];
            } else if (e < 5) {
                event.kind = HistoryKind::StageChanged;
                event.from_stage_id = stage_path[e - 1];
                event.to_stage_id = stage_path[e];
            } else {
                event.kind = HistoryKind::StatusChanged;
                event.to_status = outcome;
            }
        }
        Activity& activity = ws.activities[i];
        activity.deal_id = deal.meta.id;
        activity.due = created + 86400;
        activity.done = i % 2 == 0;
    }
    const Timestamp now = start + static_cast<Timestamp>(kDeals) * 600 + 86400 * 10;

    const MetricsSnapshot snapshot = all_metrics(ws, {}, now);
    CHECK(snapshot.win_rate.won == 33'334);
    CHECK(snapshot.win_rate.lost == 33'333);
    CHECK(snapshot.stages[2].open_count == 33'333);
    CHECK(snapshot.funnel[0].entered == kDeals);
    CHECK(snapshot.funnel[0].advanced == kDeals);
    CHECK(snapshot.time_in_stage[1].visits == 2 * kDeals);
    CHECK(snapshot.time_in_stage[1].average_days == doctest::Approx(1.0));
    REQUIRE(snapshot.reps.size() == 20);
    int overdue = 0;
    for (const RepPerformance& rep : snapshot.reps) overdue += rep.activities_overdue;
    CHECK(overdue == kDeals / 2);
    // Proposal rots after 7 days: stagnant once 8 whole days have passed since entering it.
    const auto stagnant_expected =
        std::count_if(ws.deals.begin(), ws.deals.end(), [&](const Deal& d) {
            return d.status == DealStatus::Open && now - d.stage_entered_at >= 8 * 86400;
        });
    CHECK(stagnant_expected > 0);
    CHECK(snapshot.stagnant_deals.size() == static_cast<std::size_t>(stagnant_expected));

    // The filtered entry points (the history ones are in the snapshot already): half the deals
    // come from the web.
    MetricsFilter web;
    web.lead_source = "Web";
    web.from = day_of(start);
    web.to = day_of(now);
    CHECK(win_rate(ws, web).won + win_rate(ws, web).lost == 33'333);
    CHECK(funnel(ws, web)[0].entered == kDeals / 2);
    CHECK(won_deal_size(ws, web).count > 0);
    CHECK_FALSE(deal_size_histogram(ws, web).empty());
    CHECK(cycle_time(ws, web).average_days == doctest::Approx(5.0));
    CHECK(breakdown(ws, web, BreakdownBy::Owner).size() == 10);
    CHECK(rep_performance(ws, web, now).size() == 20);
    CHECK_FALSE(forecast(ws, web, TargetPeriod::Quarter, now).empty());
    CHECK(coverage(ws, web, now).ratio >= 0);
    CHECK_FALSE(target_pace(ws, web, now).sentence.empty());
    CHECK_FALSE(closing_this_week(ws, web, now).sentence.empty());
    CHECK(metrics_table(ws, web, "stages", now).rows.size() == 3);
}

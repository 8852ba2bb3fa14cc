// Metrics computed from the deals' own fields: stage summaries, win rate, deal sizes, cycle
// time, stagnant deals and breakdowns, each on a small hand-computed workspace.
#include "test_metrics_fixture.hpp"

#include <doctest/doctest.h>

using namespace pb;
using namespace pb::metrics_test;

namespace {

// now = Wednesday 2026-03-18 12:00.
const Timestamp kNow = at(2026, 3, 18, 12);

// Open deals spread over the Sales stages, plus deals that must not count.
Workspace stage_summary_workspace() {
    Workspace ws = sales_workspace();
    Deal& d1 = add_deal(ws, "d1", "lead", dollars(1000));  // 10% -> $100 weighted
    d1.stage_entered_at = at(2026, 3, 1, 12);              // 17 days > 14: rotting
    d1.expected_close = day(2026, 3, 31);
    Deal& d2 = add_deal(ws, "d2", "lead", dollars(500));
    d2.probability = 50;                        // override: $250 weighted
    d2.stage_entered_at = at(2026, 3, 10, 12);  // 8 days
    d2.expected_close = day(2026, 4, 15);
    Deal& d3 = add_deal(ws, "d3", "qualified", dollars(2000));  // 30% -> $600
    d3.stage_entered_at = at(2026, 3, 8, 12);                   // exactly 10 days: not yet rotting
    Deal& d4 = add_deal(ws, "d4", "qualified", dollars(300));
    close_deal(d4, DealStatus::Won, at(2026, 3, 2));
    Deal& d5 = add_deal(ws, "d5", "proposal", dollars(800));
    d5.meta.deleted = true;
    Deal& d6 = add_deal(ws, "d6", "renewal", dollars(700));  // the other pipeline
    d6.stage_entered_at = at(2026, 3, 1);
    Deal& d7 = add_deal(ws, "d7", "proposal", dollars(400));  // 60% -> $240
    d7.stage_entered_at = at(2026, 2, 1);                     // 45 days > 7: rotting
    d7.expected_close = day(2026, 3, 20);
    Deal& d8 = add_deal(ws, "d8", "lead", dollars(900));
    d8.status = DealStatus::Nurture;
    return ws;
}

}  // namespace

TEST_CASE("stage summaries count the open deals of the first pipeline by stage") {
    const Workspace ws = stage_summary_workspace();
    const std::vector<StageSummary> stages = stage_summaries(ws, {}, kNow);
    REQUIRE(stages.size() == 3);
    // Stage order comes from position, not storage order.
    CHECK(stages[0].stage_id == "lead");
    CHECK(stages[1].stage_id == "qualified");
    CHECK(stages[2].stage_id == "proposal");
    CHECK(stages[0].name == "Lead");

    // Lead: d1 + d2 (the nurture d8 is not open). Weighted: 1000 x 10% + 500 x 50% (override).
    CHECK(stages[0].open_count == 2);
    CHECK(stages[0].open_value == dollars(1500));
    CHECK(stages[0].weighted_value == dollars(350));
    CHECK(stages[0].rotting_count == 1);
    // Qualified: d3 only (d4 is won); 10 days in a 10-day stage is not rotting yet.
    CHECK(stages[1].open_count == 1);
    CHECK(stages[1].open_value == dollars(2000));
    CHECK(stages[1].weighted_value == dollars(600));
    CHECK(stages[1].rotting_count == 0);
    // Proposal: d7 (d5 is deleted).
    CHECK(stages[2].open_count == 1);
    CHECK(stages[2].weighted_value == dollars(240));
    CHECK(stages[2].rotting_count == 1);
}

TEST_CASE("stage summaries follow the pipeline, period and owner filters") {
    Workspace ws = stage_summary_workspace();

    MetricsFilter renewals;
    renewals.pipeline_id = "renewals";
    const std::vector<StageSummary> renewal_stages = stage_summaries(ws, renewals, kNow);
    REQUIRE(renewal_stages.size() == 1);
    CHECK(renewal_stages[0].open_count == 1);
    CHECK(renewal_stages[0].open_value == dollars(700));
    CHECK(renewal_stages[0].weighted_value == dollars(350));
    CHECK(renewal_stages[0].rotting_count == 1);  // 17 days > 5

    // March: d1 (closes 03-31, the last day) and d7 (03-20); d2 closes in April and d3 has no
    // expected close date, so neither belongs to a dated period.
    const std::vector<StageSummary> march = stage_summaries(ws, march_2026(), kNow);
    CHECK(march[0].open_count == 1);
    CHECK(march[0].open_value == dollars(1000));
    CHECK(march[1].open_count == 0);
    CHECK(march[2].open_count == 1);

    ws.deals[1].owner_id = "rep-a";  // d2
    MetricsFilter owner;
    owner.owner_id = "rep-a";
    const std::vector<StageSummary> owned = stage_summaries(ws, owner, kNow);
    CHECK(owned[0].open_count == 1);
    CHECK(owned[0].weighted_value == dollars(250));
    CHECK(owned[1].open_count == 0);

    // A deleted pipeline is never the default; deleted stages disappear.
    ws.pipelines[1].meta.deleted = true;  // sales
    ws.stages[0].meta.deleted = true;     // proposal
    const std::vector<StageSummary> fallback = stage_summaries(ws, {}, kNow);
    REQUIRE(fallback.size() == 1);
    CHECK(fallback[0].stage_id == "renewal");
}

TEST_CASE("stage summaries of an empty workspace and of one deal") {
    CHECK(stage_summaries(Workspace{}, {}, kNow).empty());

    Workspace ws = sales_workspace();
    const std::vector<StageSummary> empty = stage_summaries(ws, {}, kNow);
    REQUIRE(empty.size() == 3);
    CHECK(empty[0].open_count == 0);
    CHECK(empty[0].weighted_value == 0);

    Deal& only = add_deal(ws, "only", "proposal", dollars(99));
    only.probability = 0;  // an explicit 0% overrides the stage's 60%
    only.stage_entered_at = kNow;
    const std::vector<StageSummary> one = stage_summaries(ws, {}, kNow);
    CHECK(one[2].open_count == 1);
    CHECK(one[2].open_value == dollars(99));
    CHECK(one[2].weighted_value == 0);
    CHECK(one[2].rotting_count == 0);
}

namespace {

Workspace closed_deals_workspace() {
    Workspace ws = sales_workspace();
    add_rep(ws, "rep-a", "Alice");
    Deal& w1 = add_deal(ws, "w1", "proposal", dollars(1000));
    close_deal(w1, DealStatus::Won, at(2026, 3, 31, 23));  // last hour of the period
    w1.owner_id = "rep-a";
    Deal& w2 = add_deal(ws, "w2", "proposal", dollars(500));
    close_deal(w2, DealStatus::Won, at(2026, 3, 5));
    w2.lead_source = "Referral";
    w2.industry = "Retail";
    Deal& l1 = add_deal(ws, "l1", "qualified", dollars(2000));
    close_deal(l1, DealStatus::Lost, at(2026, 3, 10));
    l1.owner_id = "rep-a";
    l1.lead_source = "Referral";
    Deal& l2 = add_deal(ws, "l2", "lead", dollars(100));
    close_deal(l2, DealStatus::Lost, at(2026, 4, 1));  // first instant after March
    Deal& w3 = add_deal(ws, "w3", "proposal", dollars(700));
    close_deal(w3, DealStatus::Won, at(2026, 2, 28, 23));
    add_deal(ws, "open", "lead", dollars(5000));
    Deal& nurture = add_deal(ws, "nurture", "lead", dollars(5000));
    nurture.status = DealStatus::Nurture;
    Deal& deleted = add_deal(ws, "deleted", "proposal", dollars(9000));
    close_deal(deleted, DealStatus::Won, at(2026, 3, 15));
    deleted.meta.deleted = true;
    Deal& undated = add_deal(ws, "undated", "renewal", dollars(300));
    undated.status = DealStatus::Won;  // won without a close time: only in an unbounded view
    return ws;
}

}  // namespace

TEST_CASE("win rate counts deals closed in the period, the last day included") {
    const Workspace ws = closed_deals_workspace();
    // March: won w1 ($1000, 03-31 23:00) and w2 ($500); lost l1 ($2000). l2 closed 04-01,
    // w3 in February, the deleted deal and the undated one are out.
    const WinRate march = win_rate(ws, march_2026());
    CHECK(march.won == 2);
    CHECK(march.lost == 1);
    CHECK(march.won_value == dollars(1500));
    CHECK(march.lost_value == dollars(2000));
    CHECK(march.by_count == doctest::Approx(2.0 / 3.0));
    CHECK(march.by_value == doctest::Approx(1500.0 / 3500.0));

    // All time: won w1, w2, w3, undated (4); lost l1, l2 (2), in every pipeline.
    const WinRate all = win_rate(ws, {});
    CHECK(all.won == 4);
    CHECK(all.lost == 2);
    CHECK(all.won_value == dollars(2500));
    CHECK(all.by_count == doctest::Approx(4.0 / 6.0));

    MetricsFilter april = period(day(2026, 4, 1), day(2026, 4, 30));
    const WinRate april_rate = win_rate(ws, april);
    CHECK(april_rate.won == 0);
    CHECK(april_rate.lost == 1);
    CHECK(april_rate.by_count == 0);
}

TEST_CASE("win rate filters by owner, source, industry and pipeline") {
    const Workspace ws = closed_deals_workspace();
    MetricsFilter owner = march_2026();
    owner.owner_id = "rep-a";  // w1 won $1000, l1 lost $2000
    const WinRate alice = win_rate(ws, owner);
    CHECK(alice.won == 1);
    CHECK(alice.lost == 1);
    CHECK(alice.by_value == doctest::Approx(1000.0 / 3000.0));

    MetricsFilter source = march_2026();
    source.lead_source = "Referral";  // w2 won, l1 lost
    const WinRate referral = win_rate(ws, source);
    CHECK(referral.won_value == dollars(500));
    CHECK(referral.lost_value == dollars(2000));

    MetricsFilter industry;
    industry.industry = "Retail";  // w2 only
    CHECK(win_rate(ws, industry).won == 1);
    CHECK(win_rate(ws, industry).lost == 0);
    CHECK(win_rate(ws, industry).by_count == 1.0);

    MetricsFilter renewals;
    renewals.pipeline_id = "renewals";  // the undated won deal
    CHECK(win_rate(ws, renewals).won == 1);
    CHECK(win_rate(ws, renewals).won_value == dollars(300));
}

TEST_CASE("win rate of an empty workspace is zero, not a division by zero") {
    const WinRate rate = win_rate(Workspace{}, march_2026());
    CHECK(rate.won == 0);
    CHECK(rate.lost == 0);
    CHECK(rate.by_count == 0);
    CHECK(rate.by_value == 0);
}

namespace {

Workspace won_sizes_workspace() {
    Workspace ws = sales_workspace();
    const Money values[] = {dollars(400), dollars(100), dollars(1000), dollars(250)};
    int n = 0;
    for (const Money value : values) {
        Deal& deal = add_deal(ws, "won" + std::to_string(++n), "proposal", value);
        close_deal(deal, DealStatus::Won, at(2026, 3, 2 * n));
    }
    Deal& april = add_deal(ws, "april", "proposal", 99999);  // $999.99
    close_deal(april, DealStatus::Won, at(2026, 4, 2));
    Deal& lost = add_deal(ws, "lost", "proposal", dollars(5000));
    close_deal(lost, DealStatus::Lost, at(2026, 3, 3));
    return ws;
}

}  // namespace

TEST_CASE("won deal size: average, median, min and max of the deals won in the period") {
    const Workspace ws = won_sizes_workspace();
    // March: 100, 250, 400, 1000 -> average 1750 / 4 = 437.50, median (250 + 400) / 2 = 325.
    const DealSizeStats march = won_deal_size(ws, march_2026());
    CHECK(march.count == 4);
    CHECK(march.average == 43750);
    CHECK(march.median == dollars(325));
    CHECK(march.min == dollars(100));
    CHECK(march.max == dollars(1000));

    // All time adds 999.99: median of five is 400; average 2749.99 / 5 = 549.998 -> 550.00.
    const DealSizeStats all = won_deal_size(ws, {});
    CHECK(all.count == 5);
    CHECK(all.median == dollars(400));
    CHECK(all.average == dollars(550));

    CHECK(won_deal_size(Workspace{}, {}).count == 0);
    CHECK(won_deal_size(Workspace{}, {}).median == 0);
    const DealSizeStats april = won_deal_size(ws, period(day(2026, 4, 1), day(2026, 4, 30)));
    CHECK(april.count == 1);
    CHECK(april.average == 99999);
    CHECK(april.median == 99999);
    CHECK(april.min == 99999);
}

TEST_CASE("deal size histogram uses nice bucket widths") {
    const Workspace ws = won_sizes_workspace();
    // Largest $1000 in at most 10 buckets -> width $100: 100 | 250 | 400 | 1000.
    const auto ten = deal_size_histogram(ws, march_2026(), 10);
    REQUIRE(ten.size() == 10);
    CHECK(ten[0] == std::pair<Money, int>{dollars(100), 1});  // [0, 100] holds exactly 100
    CHECK(ten[1] == std::pair<Money, int>{dollars(200), 0});
    CHECK(ten[2] == std::pair<Money, int>{dollars(300), 1});
    CHECK(ten[3] == std::pair<Money, int>{dollars(400), 1});
    CHECK(ten[9] == std::pair<Money, int>{dollars(1000), 1});

    // At most 4 buckets -> width $250 (the 2.5 step): [0,250] has 100 and 250.
    const auto four = deal_size_histogram(ws, march_2026(), 4);
    REQUIRE(four.size() == 4);
    CHECK(four[0] == std::pair<Money, int>{dollars(250), 2});
    CHECK(four[1] == std::pair<Money, int>{dollars(500), 1});
    CHECK(four[2] == std::pair<Money, int>{dollars(750), 0});
    CHECK(four[3] == std::pair<Money, int>{dollars(1000), 1});

    // At most 3 buckets -> 1000 / 3 needs 333.34, so width $500.
    const auto three = deal_size_histogram(ws, march_2026(), 3);
    REQUIRE(three.size() == 2);
    CHECK(three[0] == std::pair<Money, int>{dollars(500), 3});
    CHECK(three[1] == std::pair<Money, int>{dollars(1000), 1});

    CHECK(deal_size_histogram(Workspace{}, {}, 10).empty());

    Workspace free_deals = sales_workspace();
    close_deal(add_deal(free_deals, "free", "lead", 0), DealStatus::Won, at(2026, 3, 1));
    const auto zero = deal_size_histogram(free_deals, {}, 10);
    REQUIRE(zero.size() == 1);
    CHECK(zero[0] == std::pair<Money, int>{0, 1});
}

TEST_CASE("cycle time runs from creation to the win, for deals won in the period") {
    Workspace ws = sales_workspace();
    Deal& c1 = add_deal(ws, "c1", "proposal", dollars(1));
    c1.meta.created = at(2026, 3, 1, 12);
    close_deal(c1, DealStatus::Won, at(2026, 3, 11, 12));  // 10 days
    Deal& c2 = add_deal(ws, "c2", "proposal", dollars(1));
    c2.meta.created = at(2026, 2, 1, 12);
    close_deal(c2, DealStatus::Won, at(2026, 3, 3, 12));  // 28 + 2 = 30 days
    Deal& c3 = add_deal(ws, "c3", "proposal", dollars(1));
    c3.meta.created = at(2026, 3, 10, 12);
    close_deal(c3, DealStatus::Won, at(2026, 3, 14, 0));  // 3.5 days
    Deal& c4 = add_deal(ws, "c4", "proposal", dollars(1));
    c4.meta.created = at(2026, 1, 1, 12);
    close_deal(c4, DealStatus::Won, at(2026, 4, 10, 12));  // 31 + 28 + 31 + 9 = 99 days
    Deal& lost = add_deal(ws, "lost", "proposal", dollars(1));
    lost.meta.created = at(2026, 3, 1);
    close_deal(lost, DealStatus::Lost, at(2026, 3, 20));

    // March: 10, 30, 3.5 -> average 43.5 / 3 = 14.5, median 10.
    const CycleTime march = cycle_time(ws, march_2026());
    CHECK(march.deals == 3);
    CHECK(march.average_days == doctest::Approx(14.5));
    CHECK(march.median_days == doctest::Approx(10.0));

    // All time: 3.5, 10, 30, 99 -> average 142.5 / 4 = 35.625, median (10 + 30) / 2 = 20.
    const CycleTime all = cycle_time(ws, {});
    CHECK(all.deals == 4);
    CHECK(all.average_days == doctest::Approx(35.625));
    CHECK(all.median_days == doctest::Approx(20.0));

    const CycleTime none = cycle_time(Workspace{}, {});
    CHECK(none.deals == 0);
    CHECK(none.average_days == 0);
}

TEST_CASE("stagnant deals: open deals past their stage's rotting days, longest first") {
    Workspace ws = sales_workspace();
    ws.stages[0].rotting_days = 0;  // proposal never rots
    Deal& s1 = add_deal(ws, "s1", "lead", dollars(1));
    s1.title = "Oldest";
    s1.stage_entered_at = at(2026, 2, 1, 12);  // 45 days > 14
    Deal& s2 = add_deal(ws, "s2", "lead", dollars(1));
    s2.title = "Beta";
    s2.stage_entered_at = at(2026, 3, 1, 12);  // 17 days > 14
    Deal& s3 = add_deal(ws, "s3", "qualified", dollars(1));
    s3.stage_entered_at = at(2026, 3, 8, 13);  // 9 whole days: fine
    Deal& s4 = add_deal(ws, "s4", "qualified", dollars(1));
    s4.title = "Eleven";
    s4.stage_entered_at = at(2026, 3, 7, 12);  // 11 days > 10
    s4.expected_close = day(2026, 3, 30);
    Deal& s5 = add_deal(ws, "s5", "proposal", dollars(1));
    s5.stage_entered_at = at(2025, 1, 1);  // never rots
    Deal& s6 = add_deal(ws, "s6", "lead", dollars(1));
    s6.stage_entered_at = at(2025, 1, 1);
    close_deal(s6, DealStatus::Won, at(2026, 1, 1));  // closed deals do not rot
    Deal& s7 = add_deal(ws, "s7", "renewal", dollars(1));
    s7.title = "Gamma";
    s7.stage_entered_at = at(2026, 3, 1, 12);  // 17 days > 5, other pipeline

    const auto deal_id = [&](const StagnantDeal& row) { return ws.deals[row.deal].meta.id; };
    const std::vector<StagnantDeal> all = stagnant_deals(ws, {}, kNow);
    REQUIRE(all.size() == 4);
    CHECK(deal_id(all[0]) == "s1");
    CHECK(all[0].days_in_stage == 45);
    CHECK(all[0].rotting_days == 14);
    CHECK(ws.stages[all[0].stage].meta.id == "lead");
    CHECK(deal_id(all[1]) == "s2");  // 17 days, "Beta" before "Gamma"
    CHECK(deal_id(all[2]) == "s7");
    CHECK(ws.deals[all[2].deal].title == "Gamma");
    CHECK(deal_id(all[3]) == "s4");
    CHECK(all[3].days_in_stage == 11);

    MetricsFilter sales;
    sales.pipeline_id = "sales";
    CHECK(stagnant_deals(ws, sales, kNow).size() == 3);
    // A dated period keeps only s4, the one expected to close in it.
    const std::vector<StagnantDeal> march = stagnant_deals(ws, march_2026(), kNow);
    REQUIRE(march.size() == 1);
    CHECK(deal_id(march[0]) == "s4");

    CHECK(stagnant_deals(Workspace{}, {}, kNow).empty());
}

namespace {

Workspace breakdown_workspace() {
    Workspace ws = sales_workspace();
    add_rep(ws, "rep-a", "Alice");
    add_rep(ws, "rep-b", "Bob");
    Deal& b1 = add_deal(ws, "b1", "lead", dollars(1000));
    b1.lead_source = "Web";
    b1.meta.created = at(2026, 3, 2);
    b1.owner_id = "rep-a";
    b1.industry = "Retail";
    Deal& b2 = add_deal(ws, "b2", "proposal", dollars(500));
    b2.lead_source = "Web";
    b2.meta.created = at(2026, 3, 5);
    b2.owner_id = "rep-a";
    close_deal(b2, DealStatus::Won, at(2026, 3, 20));
    Deal& b3 = add_deal(ws, "b3", "proposal", dollars(3000));
    b3.lead_source = "Referral";
    b3.meta.created = at(2026, 2, 10);
    close_deal(b3, DealStatus::Won, at(2026, 3, 12));
    Deal& b4 = add_deal(ws, "b4", "qualified", dollars(2000));
    b4.lead_source = "Referral";
    b4.meta.created = at(2026, 3, 3);
    b4.owner_id = "rep-b";
    close_deal(b4, DealStatus::Lost, at(2026, 3, 25));
    b4.lost_reason = "Price";
    Deal& b5 = add_deal(ws, "b5", "lead", dollars(100));
    b5.meta.created = at(2026, 3, 4);
    Deal& b6 = add_deal(ws, "b6", "lead", dollars(200));
    b6.lead_source = "Web";
    b6.meta.created = at(2026, 3, 6);
    close_deal(b6, DealStatus::Lost, at(2026, 4, 2));
    b6.lost_reason = "Price";
    Deal& b7 = add_deal(ws, "b7", "lead", dollars(10000));
    b7.lead_source = "Web";
    b7.meta.created = at(2026, 3, 6);
    b7.meta.deleted = true;
    Deal& b8 = add_deal(ws, "b8", "lead", dollars(50));
    b8.lead_source = "Web";
    b8.meta.created = at(2026, 1, 1);
    close_deal(b8, DealStatus::Lost, at(2026, 3, 15));
    return ws;
}

}  // namespace

TEST_CASE("breakdown by lead source: new deals by creation, wins and losses by close") {
    const Workspace ws = breakdown_workspace();
    const std::vector<Breakdown> rows = breakdown(ws, march_2026(), BreakdownBy::LeadSource);
    REQUIRE(rows.size() == 3);
    // Referral: created b4 ($2000); closed b3 won ($3000, created in Feb) and b4 lost.
    CHECK(rows[0].key == "Referral");
    CHECK(rows[0].deals == 1);
    CHECK(rows[0].value == dollars(2000));
    CHECK(rows[0].won == 1);
    CHECK(rows[0].lost == 1);
    CHECK(rows[0].won_value == dollars(3000));
    CHECK(rows[0].win_rate == doctest::Approx(0.5));
    // Web: created b1, b2, b6 ($1700; b7 is deleted); won b2, lost b8 (b6 lost in April).
    CHECK(rows[1].key == "Web");
    CHECK(rows[1].deals == 3);
    CHECK(rows[1].value == dollars(1700));
    CHECK(rows[1].won == 1);
    CHECK(rows[1].lost == 1);
    CHECK(rows[1].won_value == dollars(500));
    // No source: b5.
    CHECK(rows[2].key == "(none)");
    CHECK(rows[2].deals == 1);
    CHECK(rows[2].value == dollars(100));
    CHECK(rows[2].win_rate == 0);
}

TEST_CASE("breakdown by owner shows rep names; by lost reason only the losses") {
    const Workspace ws = breakdown_workspace();
    const std::vector<Breakdown> owners = breakdown(ws, march_2026(), BreakdownBy::Owner);
    REQUIRE(owners.size() == 3);
    CHECK(owners[0].key == "Bob");  // b4: $2000 created, lost
    CHECK(owners[0].value == dollars(2000));
    CHECK(owners[0].lost == 1);
    CHECK(owners[1].key == "Alice");  // b1 + b2 = $1500, b2 won
    CHECK(owners[1].deals == 2);
    CHECK(owners[1].won_value == dollars(500));
    CHECK(owners[1].win_rate == 1.0);
    CHECK(owners[2].key == "(none)");  // created b5, b6 ($300); b3 won, b8 lost
    CHECK(owners[2].value == dollars(300));
    CHECK(owners[2].won == 1);
    CHECK(owners[2].lost == 1);

    const std::vector<Breakdown> reasons = breakdown(ws, march_2026(), BreakdownBy::LostReason);
    REQUIRE(reasons.size() == 2);
    CHECK(reasons[0].key == "Price");  // b4 (b6 was lost in April)
    CHECK(reasons[0].deals == 1);
    CHECK(reasons[0].lost == 1);
    CHECK(reasons[0].value == dollars(2000));
    CHECK(reasons[1].key == "(none)");  // b8
    CHECK(reasons[1].value == dollars(50));

    MetricsFilter retail = march_2026();
    retail.industry = "Retail";
    const std::vector<Breakdown> industries = breakdown(ws, retail, BreakdownBy::Industry);
    REQUIRE(industries.size() == 1);
    CHECK(industries[0].key == "Retail");
    CHECK(industries[0].value == dollars(1000));

    CHECK(breakdown(Workspace{}, {}, BreakdownBy::Owner).empty());
}

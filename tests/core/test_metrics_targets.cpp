// Targets and what is measured against them: target lookup and proration, rep performance,
// the forecast, pipeline coverage and the pace towards the target.
#include "test_metrics_fixture.hpp"

#include <doctest/doctest.h>

using namespace pb;
using namespace pb::metrics_test;

namespace {

const Timestamp kNow = at(2026, 3, 18, 12);

// Alice: $10,000 for March 2026 specifically, $8,000 every other month. Bob: $5,000 every
// month. Carol: $9,000 every quarter. Dave is deleted, with a target that must not count.
Workspace targets_workspace() {
    Workspace ws = sales_workspace();
    add_rep(ws, "alice", "Alice");
    add_rep(ws, "bob", "Bob");
    add_rep(ws, "carol", "Carol");
    add_rep(ws, "dave", "Dave").meta.deleted = true;
    add_target(ws, "alice", TargetPeriod::Month, std::nullopt, dollars(8000));
    add_target(ws, "alice", TargetPeriod::Month, day(2026, 3, 1), dollars(10000));
    add_target(ws, "bob", TargetPeriod::Month, std::nullopt, dollars(5000));
    add_target(ws, "carol", TargetPeriod::Quarter, std::nullopt, dollars(9000));
    add_target(ws, "dave", TargetPeriod::Month, std::nullopt, dollars(1000));
    add_target(ws, "bob", TargetPeriod::Month, day(2026, 3, 1), dollars(99999)).meta.deleted = true;
    return ws;
}

}  // namespace

TEST_CASE("target_for: the period's own target, else the standing one, else zero") {
    Workspace ws = targets_workspace();
    CHECK(target_for(ws, "alice", day(2026, 3, 1), TargetPeriod::Month) == dollars(10000));
    CHECK(target_for(ws, "alice", day(2026, 4, 1), TargetPeriod::Month) == dollars(8000));
    CHECK(target_for(ws, "bob", day(2026, 3, 1), TargetPeriod::Month) == dollars(5000));
    CHECK(target_for(ws, "carol", day(2026, 3, 1), TargetPeriod::Month) == 0);
    CHECK(target_for(ws, "carol", day(2026, 1, 1), TargetPeriod::Quarter) == dollars(9000));
    CHECK(target_for(ws, "nobody", day(2026, 3, 1), TargetPeriod::Month) == 0);
    // A day inside the period finds the period's target too.
    CHECK(target_for(ws, "alice", day(2026, 3, 17), TargetPeriod::Month) == dollars(10000));

    // The team without its own target: the sum of the live reps' (Dave is deleted).
    CHECK(target_for(ws, "", day(2026, 3, 1), TargetPeriod::Month) == dollars(15000));
    CHECK(target_for(ws, "", day(2026, 4, 1), TargetPeriod::Month) == dollars(13000));
    // Once the team has a target, it is the team's.
    add_target(ws, "", TargetPeriod::Month, std::nullopt, dollars(20000));
    CHECK(target_for(ws, "", day(2026, 3, 1), TargetPeriod::Month) == dollars(20000));

    // Two targets for one period: the most recently updated wins.
    Target& newer = add_target(ws, "bob", TargetPeriod::Month, std::nullopt, dollars(6000));
    newer.meta.updated = at(2026, 2, 1);
    CHECK(target_for(ws, "bob", day(2026, 3, 1), TargetPeriod::Month) == dollars(6000));

    CHECK(target_for(Workspace{}, "", day(2026, 3, 1), TargetPeriod::Quarter) == 0);
}

namespace {

Workspace reps_workspace() {
    Workspace ws = targets_workspace();
    Deal& a1 = add_deal(ws, "a1", "proposal", dollars(6000));
    a1.owner_id = "alice";
    close_deal(a1, DealStatus::Won, at(2026, 3, 10));
    Deal& a2 = add_deal(ws, "a2", "proposal", dollars(1500));
    a2.owner_id = "alice";
    close_deal(a2, DealStatus::Won, at(2026, 2, 27));
    Deal& a3 = add_deal(ws, "a3", "lead", dollars(4000));  // 10% -> $400
    a3.owner_id = "alice";
    a3.expected_close = day(2026, 3, 28);
    Deal& a4 = add_deal(ws, "a4", "proposal", dollars(5000));
    a4.owner_id = "bob";
    close_deal(a4, DealStatus::Won, at(2026, 3, 31, 23));  // the period's last day
    Deal& a5 = add_deal(ws, "a5", "lead", dollars(2000));
    a5.owner_id = "bob";
    a5.probability = 50;
    a5.expected_close = day(2026, 4, 10);
    Deal& a6 = add_deal(ws, "a6", "proposal", dollars(700));
    a6.owner_id = "dave";
    close_deal(a6, DealStatus::Won, at(2026, 3, 3));

    auto activity = [&](const std::string& deal, Timestamp due, bool done) -> Activity& {
        Activity a;
        a.meta.id = "activity-" + std::to_string(ws.activities.size() + 1);
        a.deal_id = deal;
        a.due = due;
        a.done = done;
        ws.activities.push_back(a);
        return ws.activities.back();
    };
    activity("a3", at(2026, 3, 4), true).done_at = at(2026, 3, 5);  // done in March
    activity("a3", at(2026, 3, 17, 10), false);                     // overdue
    activity("a3", at(2026, 3, 18), false).has_time = false;        // due today: not overdue
    activity("a3", at(2026, 3, 1), false).meta.deleted = true;
    activity("a5", at(2026, 2, 20), true).done_at = at(2026, 2, 20);  // done before March
    activity("a5", at(2026, 3, 25), false);                           // not due yet
    activity("missing-deal", at(2026, 3, 1), false);
    return ws;
}

}  // namespace

TEST_CASE("rep performance against targets, with pipeline and activities") {
    const Workspace ws = reps_workspace();
    const std::vector<RepPerformance> rows = rep_performance(ws, march_2026(), kNow);
    REQUIRE(rows.size() == 3);  // Dave is deleted
    // Alice: won a1 $6,000 of $10,000; a3 open $4,000 ($400 weighted); one done, one overdue.
    CHECK(rows[0].rep_id == "alice");
    CHECK(rows[0].name == "Alice");
    CHECK(rows[0].target == dollars(10000));
    CHECK(rows[0].won_value == dollars(6000));
    CHECK(rows[0].attainment == doctest::Approx(0.6));
    CHECK(rows[0].open_pipeline == dollars(4000));
    CHECK(rows[0].weighted_pipeline == dollars(400));
    CHECK(rows[0].activities_done == 1);
    CHECK(rows[0].activities_overdue == 1);
    // Bob: won a4 on the period's last day, $5,000 of $5,000; a5 closes in April.
    CHECK(rows[1].rep_id == "bob");
    CHECK(rows[1].won_value == dollars(5000));
    CHECK(rows[1].attainment == doctest::Approx(1.0));
    CHECK(rows[1].open_pipeline == 0);
    CHECK(rows[1].activities_done == 0);
    CHECK(rows[1].activities_overdue == 0);
    // Carol: a quarter target of $9,000 spread over 90 days, March's 31 days: $3,100.
    CHECK(rows[2].rep_id == "carol");
    CHECK(rows[2].target == dollars(3100));
    CHECK(rows[2].attainment == 0);

    MetricsFilter bob = march_2026();
    bob.owner_id = "bob";
    const std::vector<RepPerformance> only_bob = rep_performance(ws, bob, kNow);
    REQUIRE(only_bob.size() == 1);
    CHECK(only_bob[0].name == "Bob");

    // Without a period, target and won use now's month (March); the open pipeline is all open
    // deals, so Bob's April deal counts ($2,000, $1,000 weighted at its own 50%).
    const std::vector<RepPerformance> unbounded = rep_performance(ws, {}, kNow);
    CHECK(unbounded[1].target == dollars(5000));
    CHECK(unbounded[1].won_value == dollars(5000));
    CHECK(unbounded[1].open_pipeline == dollars(2000));
    CHECK(unbounded[1].weighted_pipeline == dollars(1000));

    CHECK(rep_performance(Workspace{}, {}, kNow).empty());

    // A period typed backwards is still March for the targets.
    const std::vector<RepPerformance> backwards =
        rep_performance(ws, period(day(2026, 3, 31), day(2026, 3, 1)), kNow);
    CHECK(backwards[0].target == dollars(10000));
    CHECK(backwards[0].won_value == dollars(6000));
}

TEST_CASE("targets over other periods are prorated by days") {
    const Workspace ws = reps_workspace();
    // March 1-15: 15 of 31 days of Alice's $10,000 = $4,838.709... -> $4,838.71.
    const std::vector<RepPerformance> half =
        rep_performance(ws, period(day(2026, 3, 1), day(2026, 3, 15)), kNow);
    CHECK(half[0].target == 483871);
    // The whole first quarter: Alice $8,000 + $8,000 + $10,000, Carol exactly $9,000.
    const std::vector<RepPerformance> quarter =
        rep_performance(ws, period(day(2026, 1, 1), day(2026, 3, 31)), kNow);
    CHECK(quarter[0].rep_id == "alice");  // $7,500 won (a1 + a2)
    CHECK(quarter[0].target == dollars(26000));
    CHECK(quarter[0].won_value == dollars(7500));
    const RepPerformance& carol = quarter[1].rep_id == "carol" ? quarter[1] : quarter[2];
    CHECK(carol.target == dollars(9000));
}

namespace {

Workspace forecast_workspace() {
    Workspace ws = sales_workspace();
    add_target(ws, "", TargetPeriod::Month, std::nullopt, dollars(5000));
    add_deal(ws, "e1", "lead", dollars(1000)).expected_close = day(2026, 3, 25);  // 10%
    Deal& e2 = add_deal(ws, "e2", "lead", dollars(2000));
    e2.probability = 50;
    e2.expected_close = day(2026, 4, 2);
    add_deal(ws, "e3", "qualified", dollars(500)).expected_close = day(2026, 5, 31);  // 30%
    add_deal(ws, "e4", "qualified", dollars(800));  // no expected close
    close_deal(add_deal(ws, "e5", "proposal", dollars(3000)), DealStatus::Won, at(2026, 3, 2));
    close_deal(add_deal(ws, "e6", "proposal", dollars(700)), DealStatus::Won, at(2026, 1, 15));
    Deal& lost = add_deal(ws, "e7", "lead", dollars(900));
    lost.expected_close = day(2026, 3, 20);
    close_deal(lost, DealStatus::Lost, at(2026, 3, 1));
    return ws;
}

}  // namespace

TEST_CASE("forecast by month: open deals by expected close, won deals by close") {
    const Workspace ws = forecast_workspace();
    // Without a period: from now's month (March, also the earliest expected close) to May.
    const std::vector<ForecastBucket> months = forecast(ws, {}, TargetPeriod::Month, kNow);
    REQUIRE(months.size() == 3);
    CHECK(months[0].period_start == day(2026, 3, 1));
    CHECK(months[0].deals == 1);
    CHECK(months[0].best_case == dollars(1000));
    CHECK(months[0].weighted == dollars(100));
    CHECK(months[0].won == dollars(3000));
    CHECK(months[0].target == dollars(5000));
    CHECK(months[1].period_start == day(2026, 4, 1));
    CHECK(months[1].weighted == dollars(1000));
    CHECK(months[1].won == 0);
    CHECK(months[2].period_start == day(2026, 5, 1));
    CHECK(months[2].best_case == dollars(500));
    CHECK(months[2].weighted == dollars(150));

    // April and May only.
    const std::vector<ForecastBucket> spring =
        forecast(ws, period(day(2026, 4, 1), day(2026, 5, 31)), TargetPeriod::Month, kNow);
    REQUIRE(spring.size() == 2);
    CHECK(spring[0].deals == 1);
    CHECK(spring[1].deals == 1);
    CHECK(spring[0].won == 0);
}

TEST_CASE("forecast by quarter sums the months' targets") {
    const Workspace ws = forecast_workspace();
    const std::vector<ForecastBucket> quarters =
        forecast(ws, period(day(2026, 1, 1), day(2026, 6, 30)), TargetPeriod::Quarter, kNow);
    REQUIRE(quarters.size() == 2);
    // Q1: e1 open; won e5 ($3,000) and e6 ($700, January).
    CHECK(quarters[0].period_start == day(2026, 1, 1));
    CHECK(quarters[0].deals == 1);
    CHECK(quarters[0].won == dollars(3700));
    CHECK(quarters[0].target == dollars(15000));
    // Q2: e2 and e3: $2,500 best case, $1,000 + $150 weighted.
    CHECK(quarters[1].period_start == day(2026, 4, 1));
    CHECK(quarters[1].deals == 2);
    CHECK(quarters[1].best_case == dollars(2500));
    CHECK(quarters[1].weighted == dollars(1150));

    // An empty workspace still shows now's bucket, with nothing in it.
    const std::vector<ForecastBucket> empty =
        forecast(Workspace{}, {}, TargetPeriod::Quarter, kNow);
    REQUIRE(empty.size() == 1);
    CHECK(empty[0].period_start == day(2026, 1, 1));
    CHECK(empty[0].deals == 0);
    CHECK(empty[0].target == 0);
}

TEST_CASE("forecast without a period stays within two years of now") {
    Workspace ws = sales_workspace();
    add_deal(ws, "typo", "lead", dollars(1)).expected_close = day(2206, 3, 1);
    const std::vector<ForecastBucket> months = forecast(ws, {}, TargetPeriod::Month, kNow);
    REQUIRE(months.size() == 25);
    CHECK(months.back().period_start == day(2028, 3, 1));
    CHECK(months.back().deals == 0);
}

TEST_CASE("coverage compares the weighted open deals of the period with what is left") {
    Workspace ws = sales_workspace();
    add_target(ws, "", TargetPeriod::Month, std::nullopt, dollars(10000));
    close_deal(add_deal(ws, "won", "proposal", dollars(4000)), DealStatus::Won, at(2026, 3, 4));
    add_deal(ws, "q", "qualified", dollars(10000)).expected_close = day(2026, 3, 30);  // 30%
    add_deal(ws, "p", "proposal", dollars(10000)).expected_close = day(2026, 3, 5);    // 60%
    add_deal(ws, "april", "proposal", dollars(10000)).expected_close = day(2026, 4, 1);
    add_deal(ws, "undated", "proposal", dollars(10000));

    // March (now's month): $6,000 left of $10,000; weighted $3,000 + $6,000 = $9,000 -> 1.5.
    const PipelineCoverage march = coverage(ws, {}, kNow);
    CHECK(march.remaining_target == dollars(6000));
    CHECK(march.weighted_open == dollars(9000));
    CHECK(march.ratio == doctest::Approx(1.5));

    // Once the target is met nothing remains and the ratio is 0.
    close_deal(add_deal(ws, "big", "proposal", dollars(7000)), DealStatus::Won, at(2026, 3, 6));
    const PipelineCoverage met = coverage(ws, march_2026(), kNow);
    CHECK(met.remaining_target == 0);
    CHECK(met.ratio == 0);

    const PipelineCoverage empty = coverage(Workspace{}, {}, kNow);
    CHECK(empty.weighted_open == 0);
    CHECK(empty.ratio == 0);
}

namespace {

// March 2026 with a team target; now is Tuesday 03-10 at noon: 10 of 31 days elapsed.
Workspace pace_workspace(Money target) {
    Workspace ws = sales_workspace();
    if (target > 0) add_target(ws, "", TargetPeriod::Month, day(2026, 3, 1), target);
    return ws;
}
const Timestamp kTenthOfMarch = at(2026, 3, 10, 12);

void win(Workspace& ws, const std::string& id, Money value, Timestamp when) {
    close_deal(add_deal(ws, id, "proposal", value), DealStatus::Won, when);
}

}  // namespace

TEST_CASE("target pace: reached, with the day it was reached") {
    Workspace ws = pace_workspace(dollars(10000));
    win(ws, "w1", dollars(6000), at(2026, 3, 3));
    win(ws, "w2", dollars(5000), at(2026, 3, 8));
    const TargetPace pace = target_pace(ws, march_2026(), kTenthOfMarch);
    CHECK(pace.target == dollars(10000));
    CHECK(pace.won == dollars(11000));
    CHECK(pace.projected == dollars(34100));  // 11,000 x 31 / 10
    REQUIRE(pace.reach_day.has_value());
    CHECK(*pace.reach_day == day(2026, 3, 8));
    CHECK(pace.shortfall == 0);
    CHECK(contains(pace.sentence, "reached on 2026-03-08"));
    CHECK(contains(pace.sentence, "$10,000"));
}

TEST_CASE("target pace: on course, reaching the target before the period ends") {
    Workspace ws = pace_workspace(dollars(10000));
    win(ws, "w1", dollars(4000), at(2026, 3, 9));
    // $400 a day: $12,400 by 03-31, $10,000 after 25 days -> 03-25.
    const TargetPace pace = target_pace(ws, {}, kTenthOfMarch);
    CHECK(pace.projected == dollars(12400));
    REQUIRE(pace.reach_day.has_value());
    CHECK(*pace.reach_day == day(2026, 3, 25));
    CHECK(pace.shortfall == 0);
    CHECK(contains(pace.sentence, "2026-03-25"));
    CHECK(contains(pace.sentence, "$400 a day"));
}

TEST_CASE("target pace: missing the target, with the shortfall and the rate needed") {
    Workspace ws = pace_workspace(dollars(20000));
    win(ws, "w1", dollars(4000), at(2026, 3, 9));
    win(ws, "elsewhere", dollars(4000), at(2026, 2, 27));  // before the period
    // $12,400 projected: $7,600 short; the remaining $16,000 over 21 days is $761.90 a day.
    const TargetPace pace = target_pace(ws, march_2026(), kTenthOfMarch);
    CHECK(pace.won == dollars(4000));
    CHECK(pace.projected == dollars(12400));
    CHECK_FALSE(pace.reach_day.has_value());
    CHECK(pace.shortfall == dollars(7600));
    CHECK(contains(pace.sentence, "$7,600 short"));
    CHECK(contains(pace.sentence, "$762 a day"));
    CHECK(contains(pace.sentence, "21 days"));

    // Nothing won yet: the whole target is short.
    const TargetPace nothing =
        target_pace(pace_workspace(dollars(20000)), march_2026(), kTenthOfMarch);
    CHECK(nothing.won == 0);
    CHECK(nothing.shortfall == dollars(20000));
    CHECK(contains(nothing.sentence, "Nothing has been won yet"));

    // After the period: what was won is final.
    const TargetPace ended = target_pace(ws, march_2026(), at(2026, 4, 5));
    CHECK(ended.projected == dollars(4000));
    CHECK(ended.shortfall == dollars(16000));
    CHECK(contains(ended.sentence, "ended with $4,000 won"));
}

TEST_CASE("target pace without a target says so") {
    Workspace ws = pace_workspace(0);
    win(ws, "w1", dollars(4000), at(2026, 3, 9));
    const TargetPace pace = target_pace(ws, march_2026(), kTenthOfMarch);
    CHECK(pace.target == 0);
    CHECK(pace.won == dollars(4000));
    CHECK(pace.shortfall == 0);
    CHECK_FALSE(pace.reach_day.has_value());
    CHECK(contains(pace.sentence, "No target is set"));
    CHECK(contains(pace.sentence, "$4,000 won"));

    const TargetPace empty = target_pace(Workspace{}, {}, kTenthOfMarch);
    CHECK(empty.target == 0);
    CHECK(contains(empty.sentence, "No target is set for 2026-03-01 to 2026-03-31"));
}

TEST_CASE("target pace for one rep uses that rep's target and deals") {
    Workspace ws = pace_workspace(dollars(50000));
    add_rep(ws, "alice", "Alice");
    add_target(ws, "alice", TargetPeriod::Month, std::nullopt, dollars(3000));
    win(ws, "team", dollars(9000), at(2026, 3, 2));
    win(ws, "mine", dollars(3000), at(2026, 3, 6));
    ws.deals.back().owner_id = "alice";
    MetricsFilter alice = march_2026();
    alice.owner_id = "alice";
    const TargetPace pace = target_pace(ws, alice, kTenthOfMarch);
    CHECK(pace.target == dollars(3000));
    CHECK(pace.won == dollars(3000));
    REQUIRE(pace.reach_day.has_value());
    CHECK(*pace.reach_day == day(2026, 3, 6));
}

// The dashboard's period presets, comparison periods and win-rate trend, on hand-picked dates.
#include "core/metrics_dashboard.hpp"
#include "test_metrics_fixture.hpp"

#include <doctest/doctest.h>

using namespace pb;
using namespace pb::metrics_test;

namespace {

// Sunday 29 November 2026, the last day of an ISO week.
const Day kToday = day(2026, 11, 29);

void check_period(DayPeriod period, Day from, Day to) {
    CHECK(format_day(period.from) == format_day(from));
    CHECK(format_day(period.to) == format_day(to));
}

}  // namespace

TEST_CASE("period presets are the calendar week, month, quarter and year containing today") {
    check_period(preset_period(PeriodPreset::ThisWeek, kToday), day(2026, 11, 23), kToday);
    check_period(preset_period(PeriodPreset::ThisMonth, kToday), day(2026, 11, 1),
                 day(2026, 11, 30));
    check_period(preset_period(PeriodPreset::ThisQuarter, kToday), day(2026, 10, 1),
                 day(2026, 12, 31));
    check_period(preset_period(PeriodPreset::ThisYear, kToday), day(2026, 1, 1),
                 day(2026, 12, 31));
    // A Monday starts its own week.
    check_period(preset_period(PeriodPreset::ThisWeek, day(2026, 11, 23)), day(2026, 11, 23),
                 kToday);
}

TEST_CASE("a custom range is kept, and put the right way round when typed backwards") {
    check_period(preset_period(PeriodPreset::Custom, kToday, {day(2026, 2, 3), day(2026, 2, 9)}),
                 day(2026, 2, 3), day(2026, 2, 9));
    check_period(preset_period(PeriodPreset::Custom, kToday, {day(2026, 2, 9), day(2026, 2, 3)}),
                 day(2026, 2, 3), day(2026, 2, 9));
}

TEST_CASE("the comparison period is the previous whole calendar period") {
    const auto previous = [](PeriodPreset preset) {
        return previous_period(preset, preset_period(preset, kToday));
    };
    check_period(previous(PeriodPreset::ThisWeek), day(2026, 11, 16), day(2026, 11, 22));
    check_period(previous(PeriodPreset::ThisMonth), day(2026, 10, 1), day(2026, 10, 31));
    check_period(previous(PeriodPreset::ThisQuarter), day(2026, 7, 1), day(2026, 9, 30));
    check_period(previous(PeriodPreset::ThisYear), day(2025, 1, 1), day(2025, 12, 31));
    // March follows a 28-day February: the previous month is all of February, not 31 days back.
    check_period(previous_period(PeriodPreset::ThisMonth, {day(2026, 3, 1), day(2026, 3, 31)}),
                 day(2026, 2, 1), day(2026, 2, 28));
}

TEST_CASE("a custom range compares with as many days just before it, one day included") {
    check_period(previous_period(PeriodPreset::Custom, {day(2026, 11, 10), day(2026, 11, 19)}),
                 day(2026, 10, 31), day(2026, 11, 9));
    check_period(previous_period(PeriodPreset::Custom, {kToday, kToday}), kToday - 1, kToday - 1);
}

TEST_CASE("the win-rate trend gives each month its own closed deals, oldest month first") {
    Workspace ws = sales_workspace();
    close_deal(add_deal(ws, "sep-won", "lead", dollars(100)), DealStatus::Won, at(2026, 9, 30, 23));
    close_deal(add_deal(ws, "oct-won", "lead", dollars(300)), DealStatus::Won, at(2026, 10, 1));
    close_deal(add_deal(ws, "oct-lost1", "lead", dollars(100)), DealStatus::Lost, at(2026, 10, 15));
    close_deal(add_deal(ws, "oct-lost2", "lead", dollars(200)), DealStatus::Lost, at(2026, 10, 31));
    add_deal(ws, "open", "lead", dollars(1000));

    const auto trend = win_rate_trend(ws, MetricsFilter{}, TargetPeriod::Month, kToday, 3);
    REQUIRE(trend.size() == 3);
    CHECK(format_day(trend[0].period_start) == "2026-09-01");
    CHECK(trend[0].rate.won == 1);
    CHECK(trend[0].rate.by_count == doctest::Approx(1.0));
    CHECK(format_day(trend[1].period_start) == "2026-10-01");
    CHECK(trend[1].rate.won == 1);
    CHECK(trend[1].rate.lost == 2);
    CHECK(trend[1].rate.by_count == doctest::Approx(1.0 / 3));
    CHECK(trend[1].rate.by_value == doctest::Approx(0.5));
    CHECK(format_day(trend[2].period_start) == "2026-11-01");
    CHECK(trend[2].rate.won + trend[2].rate.lost == 0);
    CHECK(trend[2].rate.by_count == 0);
}

TEST_CASE("the win-rate trend by quarter keeps the filter's owner") {
    Workspace ws = sales_workspace();
    Deal& mine = add_deal(ws, "mine", "lead", dollars(10));
    mine.owner_id = "ana";
    close_deal(mine, DealStatus::Lost, at(2026, 8, 1));
    close_deal(add_deal(ws, "theirs", "lead", dollars(10)), DealStatus::Won, at(2026, 8, 2));
    MetricsFilter only_ana;
    only_ana.owner_id = "ana";
    // A period on the filter does not narrow the trend: each bucket brings its own.
    only_ana.from = day(2026, 11, 1);
    only_ana.to = day(2026, 11, 30);

    const auto trend = win_rate_trend(ws, only_ana, TargetPeriod::Quarter, kToday, 2);
    REQUIRE(trend.size() == 2);
    CHECK(format_day(trend[0].period_start) == "2026-07-01");
    CHECK(trend[0].rate.lost == 1);
    CHECK(trend[0].rate.won == 0);
    CHECK(trend[1].rate.lost + trend[1].rate.won == 0);
    CHECK(win_rate_trend(ws, only_ana, TargetPeriod::Month, kToday, 0).empty());
}

TEST_CASE("relative change is a share of the previous value, and undefined from zero") {
    CHECK(*relative_change(120, 100) == doctest::Approx(0.2));
    CHECK(*relative_change(50, 200) == doctest::Approx(-0.75));
    CHECK(*relative_change(7, 7) == doctest::Approx(0.0));
    CHECK_FALSE(relative_change(10, 0).has_value());
}

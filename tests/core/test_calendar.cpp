// Calendar arithmetic and date parsing, against hand-computed dates.
#include <doctest/doctest.h>

#include "core/calendar.hpp"

using namespace pb;

namespace {
Day d(int year, int month, int day) { return day_from_civil({year, month, day}); }
}  // namespace

TEST_SUITE("calendar") {
    TEST_CASE("day numbers count from 1970-01-01") {
        CHECK(d(1970, 1, 1) == 0);
        CHECK(d(1969, 12, 31) == -1);
        CHECK(d(2000, 3, 1) == 11017);
        CHECK(d(2000, 2, 29) == 11016);
        CHECK(d(2024, 2, 29) == 19782);
        CHECK(d(2026, 11, 29) == 20786);
        CHECK(d(1600, 2, 29) == -135081);
        CHECK(d(1, 1, 1) == -719162);
        CHECK(d(9999, 12, 31) == 2932896);
    }

    TEST_CASE("civil dates round-trip through day numbers") {
        const CivilDate leap = civil_from_day(11016);
        CHECK(leap.year == 2000);
        CHECK(leap.month == 2);
        CHECK(leap.day == 29);
        const CivilDate before_epoch = civil_from_day(-1);
        CHECK(before_epoch.year == 1969);
        CHECK(before_epoch.month == 12);
        CHECK(before_epoch.day == 31);
        for (Day day = d(1899, 12, 1); day <= d(2101, 3, 1); ++day) {
            const CivilDate date = civil_from_day(day);
            REQUIRE(is_valid_civil(date));
            REQUIRE(day_from_civil(date) == day);
        }
    }

    TEST_CASE("leap years and month lengths") {
        CHECK(days_in_month(2026, 2) == 28);
        CHECK(days_in_month(2024, 2) == 29);
        CHECK(days_in_month(1900, 2) == 28);
        CHECK(days_in_month(2000, 2) == 29);
        CHECK(days_in_month(2026, 4) == 30);
        CHECK(days_in_month(2026, 12) == 31);
        CHECK(days_in_month(2026, 13) == 0);
        CHECK(is_valid_civil({2024, 2, 29}));
        CHECK_FALSE(is_valid_civil({2026, 2, 29}));
        CHECK_FALSE(is_valid_civil({1900, 2, 29}));
        CHECK_FALSE(is_valid_civil({2026, 4, 31}));
        CHECK_FALSE(is_valid_civil({2026, 0, 1}));
        CHECK_FALSE(is_valid_civil({2026, 1, 0}));
    }

    TEST_CASE("instants map to their UTC day") {
        CHECK(day_of(0) == 0);
        CHECK(day_of(86399) == 0);
        CHECK(day_of(86400) == 1);
        CHECK(day_of(-1) == -1);
        CHECK(start_of_day(20786) == 1795910400);
        CHECK(day_of(1795957500) == 20786);
    }

    TEST_CASE("weeks start on Monday") {
        CHECK(weekday(0) == 3);                // 1970-01-01, a Thursday
        CHECK(weekday(d(2026, 11, 29)) == 6);  // a Sunday
        CHECK(weekday(d(1969, 12, 29)) == 0);  // a Monday before the epoch
        CHECK(start_of_week(d(2026, 11, 29)) == d(2026, 11, 23));
        CHECK(start_of_week(d(2026, 11, 23)) == d(2026, 11, 23));
        CHECK(start_of_week(d(2026, 1, 1)) == d(2025, 12, 29));
    }

    TEST_CASE("month, quarter and year starts") {
        CHECK(start_of_month(d(2026, 11, 29)) == d(2026, 11, 1));
        CHECK(start_of_month(d(2026, 11, 1)) == d(2026, 11, 1));
        CHECK(start_of_quarter(d(2026, 11, 29)) == d(2026, 10, 1));
        CHECK(start_of_quarter(d(2026, 3, 31)) == d(2026, 1, 1));
        CHECK(start_of_quarter(d(2026, 4, 1)) == d(2026, 4, 1));
        CHECK(start_of_quarter(d(2026, 9, 30)) == d(2026, 7, 1));
        CHECK(start_of_year(d(2026, 11, 29)) == d(2026, 1, 1));
        CHECK(start_of_year(d(1969, 6, 15)) == d(1969, 1, 1));
    }

    TEST_CASE("adding months keeps the day or clamps it to the month end") {
        CHECK(add_months(d(2026, 11, 15), 3) == d(2027, 2, 15));
        CHECK(add_months(d(2026, 1, 31), 1) == d(2026, 2, 28));
        CHECK(add_months(d(2024, 1, 31), 1) == d(2024, 2, 29));
        CHECK(add_months(d(2026, 3, 31), -1) == d(2026, 2, 28));
        CHECK(add_months(d(2026, 5, 31), 1) == d(2026, 6, 30));
        CHECK(add_months(d(2026, 1, 10), -12) == d(2025, 1, 10));
        CHECK(add_months(d(2026, 1, 10), -13) == d(2024, 12, 10));
        CHECK(add_months(d(2026, 1, 10), 0) == d(2026, 1, 10));
    }

    TEST_CASE("formatting days and instants") {
        CHECK(format_day(20786) == "2026-11-29");
        CHECK(format_day(0) == "1970-01-01");
        CHECK(format_day(-1) == "1969-12-31");
        CHECK(format_timestamp(1795957500) == "2026-11-29T13:05:00Z");
        CHECK(format_timestamp(-1) == "1969-12-31T23:59:59Z");
        // Years outside 0..9999 keep their digits and sign, as before the fast path.
        CHECK(format_day(day_from_civil({5, 3, 7})) == "0005-03-07");
        CHECK(format_day(day_from_civil({12026, 1, 2})) == "12026-01-02");
        CHECK(format_day(day_from_civil({-44, 3, 15})) == "-044-03-15");
        CHECK(format_timestamp(start_of_day(day_from_civil({12026, 1, 2})) + 3661) ==
              "12026-01-02T01:01:01Z");
        CHECK(format_timestamp(start_of_day(day_from_civil({9999, 12, 31})) + 86399) ==
              "9999-12-31T23:59:59Z");
    }

    TEST_CASE("parsing ISO dates and date-times") {
        CHECK(parse_day("2026-11-29") == 20786);
        CHECK(parse_day("  2026-11-29  ") == 20786);
        CHECK(parse_day("2026-11-29T10:00:00Z") == 20786);
        CHECK(parse_day("2026-11-29 10:00") == 20786);
        CHECK(parse_day("2026/11/29") == 20786);
        // The written date counts, whatever the zone.
        CHECK(parse_day("2026-11-29T23:30:00-05:00") == 20786);
        CHECK(parse_timestamp("2026-11-29T13:05:00Z") == 1795957500);
        CHECK(parse_timestamp("2026-11-29 13:05") == 1795957500);
        CHECK(parse_timestamp("2026-11-29T14:05:00+01:00") == 1795957500);
        CHECK(parse_timestamp("2026-11-29T08:05:00-0500") == 1795957500);
        CHECK(parse_timestamp("2026-11-29T13:05:00.250Z") == 1795957500);
        CHECK(parse_timestamp("2026-11-29 1:05 PM") == 1795957500);
        CHECK(parse_timestamp("2026-11-29 12:00 AM") == 1795910400);
        CHECK(parse_timestamp("2026-11-29 13:05 UTC") == 1795957500);
        CHECK(parse_timestamp("2026-11-29") == 1795910400);
    }

    TEST_CASE("parsing spreadsheet date forms") {
        CHECK(parse_day("29/11/2026") == 20786);
        CHECK(parse_day("11/29/2026") == 20786);  // 29 cannot be a month
        CHECK(parse_day("29.11.2026") == 20786);
        CHECK(parse_day("29-11-2026") == 20786);
        CHECK(parse_day("29 Nov 2026") == 20786);
        CHECK(parse_day("29 November 2026") == 20786);
        CHECK(parse_day("Nov 29, 2026") == 20786);
        CHECK(parse_day("november 29 2026") == 20786);
        CHECK(parse_day("Sept 3, 2026") == d(2026, 9, 3));
        CHECK(parse_day("11/29/2026 10:00") == 20786);
        CHECK(parse_timestamp("29/11/2026 13:05") == 1795957500);
    }

    TEST_CASE("ambiguous slashed dates are day-first unless month-first is asked for") {
        CHECK(parse_day("03/04/2026") == d(2026, 4, 3));
        CHECK(parse_day("03/04/2026", true) == d(2026, 3, 4));
        CHECK(parse_day("29/11/2026", true) == 20786);
        CHECK(parse_day("3/4/2026", true) == d(2026, 3, 4));
        // Dots are a day-first convention even with month-first set.
        CHECK(parse_day("03.04.2026", true) == d(2026, 4, 3));
    }

    TEST_CASE("parsing rejects impossible dates and other text") {
        CHECK_FALSE(parse_day("2026-02-30"));
        CHECK_FALSE(parse_day("2026-02-29"));
        CHECK(parse_day("2024-02-29") == 19782);
        CHECK_FALSE(parse_day("2026-13-01"));
        CHECK_FALSE(parse_day("2026-00-10"));
        CHECK_FALSE(parse_day("31/04/2026"));
        CHECK_FALSE(parse_day("30.02.2026"));
        CHECK_FALSE(parse_day("13/13/2026"));
        CHECK_FALSE(parse_day("29 Foo 2026"));
        CHECK_FALSE(parse_day(""));
        CHECK_FALSE(parse_day("   "));
        CHECK_FALSE(parse_day("tomorrow"));
        CHECK_FALSE(parse_day("2026-11-29 garbage"));
        CHECK_FALSE(parse_day("2026-11-29T"));
        CHECK_FALSE(parse_day("29/11/26"));
        CHECK_FALSE(parse_day("20261129"));
        CHECK_FALSE(parse_day("0000-01-01"));
        CHECK_FALSE(parse_timestamp("2026-11-29 24:00"));
        CHECK_FALSE(parse_timestamp("2026-11-29 10:60"));
        CHECK_FALSE(parse_timestamp("2026-11-29 13:00 PM"));
        CHECK_FALSE(parse_timestamp("2026-11-29T10:00:00+25:00"));
    }
}

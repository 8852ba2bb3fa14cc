// Calendar arithmetic for the domain: instants (Timestamp) and calendar days (Day),
// both UTC, with no dependency on the system clock ("now" is always passed in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pb {

// Seconds since 1970-01-01T00:00:00Z.
using Timestamp = std::int64_t;
// Days since 1970-01-01; a calendar date with no time of day.
using Day = std::int32_t;

constexpr std::int64_t kSecondsPerDay = 86400;

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
};

Day day_from_civil(CivilDate date);
CivilDate civil_from_day(Day day);
bool is_valid_civil(CivilDate date);
int days_in_month(int year, int month);

Day day_of(Timestamp t);
Timestamp start_of_day(Day day);

// 0 = Monday ... 6 = Sunday (ISO).
int weekday(Day day);
Day start_of_week(Day day);
Day start_of_month(Day day);
Day start_of_quarter(Day day);
Day start_of_year(Day day);
Day add_months(Day day, int months);

// "2026-11-29"
std::string format_day(Day day);
// "2026-11-29T13:05:00Z"
std::string format_timestamp(Timestamp t);
// Accepts ISO dates ("2026-11-29", "2026-11-29T10:00:00Z", "2026-11-29 10:00"),
// plus the spreadsheet forms "29/11/2026", "11/29/2026" (when unambiguous or
// `month_first` is set), "29.11.2026" and "29 Nov 2026" / "Nov 29, 2026".
std::optional<Day> parse_day(std::string_view text, bool month_first = false);
std::optional<Timestamp> parse_timestamp(std::string_view text, bool month_first = false);

}  // namespace pb

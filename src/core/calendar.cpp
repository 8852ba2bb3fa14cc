// Calendar arithmetic on proleptic Gregorian UTC days, plus the lenient date parser used by
// CSV import and the CLI (ISO forms and the common spreadsheet forms).
#include "calendar.hpp"

#include <array>
#include <cstdio>

namespace pb {

namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;
// Day number of 0000-03-01 relative to 1970-01-01: the computations below count from a
// March-based year so the leap day falls at the end of each year.
constexpr std::int64_t kEpochShift = 719468;
constexpr std::int64_t kDaysPer400Years = 146097;

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> kLengths = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && is_leap_year(year)) return 29;
    return kLengths[month - 1];
}

bool is_valid_civil(CivilDate date) {
    return date.year >= kMinYear && date.year <= kMaxYear && date.month >= 1 && date.month <= 12 &&
           date.day >= 1 && date.day <= days_in_month(date.year, date.month);
}

Day day_from_civil(CivilDate date) {
    // Shift January and February to the end of the previous year (March-based years).
    const std::int64_t year = static_cast<std::int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(year, 400);
    const std::int64_t year_of_era = year - era * 400;                            // 0..399
    const std::int64_t march_month = (date.month + 9) % 12;                       // March = 0
    const std::int64_t day_of_year = (153 * march_month + 2) / 5 + date.day - 1;  // 0..365
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return static_cast<Day>(era * kDaysPer400Years + day_of_era - kEpochShift);
}

CivilDate civil_from_day(Day day) {
    const std::int64_t shifted = static_cast<std::int64_t>(day) + kEpochShift;
    const std::int64_t era = floor_div(shifted, kDaysPer400Years);
    const std::int64_t day_of_era = shifted - era * kDaysPer400Years;  // 0..146096
    // Remove the leap days accumulated so far to find the year within the era.
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t march_month = (5 * day_of_year + 2) / 153;
    CivilDate result;
    result.day = static_cast<int>(day_of_year - (153 * march_month + 2) / 5 + 1);
    result.month = static_cast<int>(march_month < 10 ? march_month + 3 : march_month - 9);
    result.year = static_cast<int>(year_of_era + era * 400 + (result.month <= 2 ? 1 : 0));
    return result;
}

Day day_of(Timestamp t) { return static_cast<Day>(floor_div(t, kSecondsPerDay)); }

Timestamp start_of_day(Day day) { return static_cast<Timestamp>(day) * kSecondsPerDay; }

int weekday(Day day) {
    // 1970-01-01 was a Thursday (ISO 3).
    return static_cast<int>(((static_cast<std::int64_t>(day) + 3) % 7 + 7) % 7);
}

Day start_of_week(Day day) { return day - weekday(day); }

Day start_of_month(Day day) {
    CivilDate date = civil_from_day(day);
    date.day = 1;
    return day_from_civil(date);
}

Day start_of_quarter(Day day) {
    CivilDate date = civil_from_day(day);
    date.month = (date.month - 1) / 3 * 3 + 1;
    date.day = 1;
    return day_from_civil(date);
}

Day start_of_year(Day day) {
    CivilDate date = civil_from_day(day);
    date.month = 1;
    date.day = 1;
    return day_from_civil(date);
}

Day add_months(Day day, int months) {
    const CivilDate date = civil_from_day(day);
    const std::int64_t month_index =
        static_cast<std::int64_t>(date.year) * 12 + (date.month - 1) + months;
    CivilDate result;
    result.year = static_cast<int>(floor_div(month_index, 12));
    result.month = static_cast<int>(month_index - floor_div(month_index, 12) * 12) + 1;
    // Jan 31 + 1 month is the last day of February, as a person would expect.
    const int length = days_in_month(result.year, result.month);
    result.day = date.day < length ? date.day : length;
    return day_from_civil(result);
}

namespace {

// Writes `value` (0..10^digits - 1) as `digits` decimal digits with leading zeros.
char* put_digits(char* out, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out + digits;
}

// "YYYY-MM-DD" into out (10 characters) for years 0..9999, the ones an export holds; other
// years go through snprintf, which saves 100,000 records' worth of dates far slower.
bool put_date(char* out, const CivilDate& date) {
    if (date.year < 0 || date.year > 9999) return false;
    out = put_digits(out, date.year, 4);
    *out++ = '-';
    out = put_digits(out, date.month, 2);
    *out++ = '-';
    put_digits(out, date.day, 2);
    return true;
}

}  // namespace

std::string format_day(Day day) {
    const CivilDate date = civil_from_day(day);
    char buffer[32];
    if (put_date(buffer, date)) return std::string(buffer, 10);
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
    return buffer;
}

std::string format_timestamp(Timestamp t) {
    const Day day = day_of(t);
    const std::int64_t seconds = t - start_of_day(day);
    const CivilDate date = civil_from_day(day);
    const int hours = static_cast<int>(seconds / 3600);
    const int minutes = static_cast<int>(seconds / 60 % 60);
    const int secs = static_cast<int>(seconds % 60);
    char buffer[48];
    if (put_date(buffer, date)) {
        char* out = buffer + 10;
        *out++ = 'T';
        out = put_digits(out, hours, 2);
        *out++ = ':';
        out = put_digits(out, minutes, 2);
        *out++ = ':';
        out = put_digits(out, secs, 2);
        *out++ = 'Z';
        return std::string(buffer, static_cast<std::size_t>(out - buffer));
    }
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month,
                  date.day, hours, minutes, secs);
    return buffer;
}

namespace {

// A forward-only reader over the text being parsed.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    std::size_t pos() const { return pos_; }
    void reset(std::size_t pos) { pos_ = pos; }

    bool accept(char c) {
        if (peek() != c || at_end()) return false;
        ++pos_;
        return true;
    }

    int skip_spaces() {
        int count = 0;
        while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
            ++pos_;
            ++count;
        }
        return count;
    }

    // Reads a run of 1..max_digits decimal digits; `length` receives how many were read.
    std::optional<int> number(int max_digits, int* length = nullptr) {
        int value = 0;
        int digits = 0;
        while (!at_end() && is_digit(text_[pos_])) {
            if (digits == max_digits) return std::nullopt;
            value = value * 10 + (text_[pos_] - '0');
            ++digits;
            ++pos_;
        }
        if (digits == 0) return std::nullopt;
        if (length) *length = digits;
        return value;
    }

    std::string_view word() {
        const std::size_t start = pos_;
        while (!at_end() && is_letter(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    static bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::optional<int> month_from_name(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kNames = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    for (int i = 0; i < 12; ++i) {
        const std::string_view full = kNames[static_cast<std::size_t>(i)];
        if (equals_ignoring_case(name, full) || equals_ignoring_case(name, full.substr(0, 3))) {
            return i + 1;
        }
    }
    if (equals_ignoring_case(name, "sept")) return 9;
    return std::nullopt;
}

std::optional<CivilDate> checked(CivilDate date) {
    if (!is_valid_civil(date)) return std::nullopt;
    return date;
}

// "29 Nov 2026", "29 November, 2026"; the scanner stands after the day's digits and spaces.
std::optional<CivilDate> day_month_name_year(Scanner& in, int day) {
    const auto month = month_from_name(in.word());
    if (!month) return std::nullopt;
    in.accept('.');
    in.accept(',');
    if (in.skip_spaces() == 0) return std::nullopt;
    int year_digits = 0;
    const auto year = in.number(4, &year_digits);
    if (!year || year_digits != 4) return std::nullopt;
    return checked({*year, *month, day});
}

// "Nov 29, 2026", "November 29 2026".
std::optional<CivilDate> month_name_day_year(Scanner& in) {
    const auto month = month_from_name(in.word());
    if (!month) return std::nullopt;
    in.accept('.');
    if (in.skip_spaces() == 0) return std::nullopt;
    const auto day = in.number(2);
    if (!day) return std::nullopt;
    in.accept(',');
    if (in.skip_spaces() == 0) return std::nullopt;
    int year_digits = 0;
    const auto year = in.number(4, &year_digits);
    if (!year || year_digits != 4) return std::nullopt;
    return checked({*year, *month, *day});
}

// "29/11/2026", "11/29/2026", "29.11.2026", "29-11-2026": two small numbers, then the year.
std::optional<CivilDate> numeric_with_year_last(Scanner& in, int first, bool month_first) {
    const char separator = in.peek();
    in.accept(separator);
    const auto second = in.number(2);
    if (!second || !in.accept(separator)) return std::nullopt;
    int year_digits = 0;
    const auto year = in.number(4, &year_digits);
    if (!year || year_digits != 4) return std::nullopt;
    const CivilDate day_first_date{*year, *second, first};
    const CivilDate month_first_date{*year, first, *second};
    // Dotted dates are a European convention and always day-first.
    if (separator == '.') return checked(day_first_date);
    const CivilDate preferred = month_first ? month_first_date : day_first_date;
    const CivilDate fallback = month_first ? day_first_date : month_first_date;
    if (is_valid_civil(preferred)) return preferred;
    return checked(fallback);
}

std::optional<CivilDate> parse_date_part(Scanner& in, bool month_first) {
    in.skip_spaces();
    if (Scanner::is_letter(in.peek())) return month_name_day_year(in);
    int digits = 0;
    const auto first = in.number(4, &digits);
    if (!first) return std::nullopt;
    if (digits == 4) {
        // ISO "2026-11-29" (or "2026/11/29").
        const char separator = in.peek();
        if (separator != '-' && separator != '/') return std::nullopt;
        in.accept(separator);
        const auto month = in.number(2);
        if (!month || !in.accept(separator)) return std::nullopt;
        const auto day = in.number(2);
        if (!day) return std::nullopt;
        return checked({*first, *month, *day});
    }
    if (digits > 2) return std::nullopt;
    const char next = in.peek();
    if (next == '/' || next == '.' || next == '-') {
        return numeric_with_year_last(in, *first, month_first);
    }
    if (in.skip_spaces() > 0 && Scanner::is_letter(in.peek())) {
        return day_month_name_year(in, *first);
    }
    return std::nullopt;
}

// Seconds after midnight and the zone offset (seconds east of UTC) of an optional time suffix:
// "T10:00:00Z", " 10:00", " 10:00:00.123+02:00", " 3:30 PM", " 10:00 UTC".
struct TimeOfDay {
    std::int64_t seconds = 0;
    std::int64_t offset = 0;
};

std::optional<std::int64_t> parse_zone(Scanner& in) {
    if (in.accept('Z') || in.accept('z')) return 0;
    const char sign = in.peek();
    if (sign == '+' || sign == '-') {
        in.accept(sign);
        int digits = 0;
        const auto hours_or_hhmm = in.number(4, &digits);
        if (!hours_or_hhmm) return std::nullopt;
        int hours = 0;
        int minutes = 0;
        if (digits == 4) {
            hours = *hours_or_hhmm / 100;
            minutes = *hours_or_hhmm % 100;
        } else if (digits <= 2) {
            hours = *hours_or_hhmm;
            if (in.accept(':')) {
                int minute_digits = 0;
                const auto parsed_minutes = in.number(2, &minute_digits);
                if (!parsed_minutes || minute_digits != 2) return std::nullopt;
                minutes = *parsed_minutes;
            }
        } else {
            return std::nullopt;
        }
        if (hours > 18 || minutes > 59) return std::nullopt;
        const std::int64_t offset = hours * 3600 + minutes * 60;
        return sign == '-' ? -offset : offset;
    }
    const std::size_t start = in.pos();
    const std::string_view name = in.word();
    if (equals_ignoring_case(name, "UTC") || equals_ignoring_case(name, "GMT")) return 0;
    in.reset(start);
    return std::nullopt;
}

std::optional<TimeOfDay> parse_time_suffix(Scanner& in) {
    TimeOfDay time;
    const int spaces = in.skip_spaces();
    if (in.at_end()) return time;
    if (spaces == 0 && !in.accept('T') && !in.accept('t')) return std::nullopt;

    int hour_digits = 0;
    const auto hours = in.number(2, &hour_digits);
    if (!hours || !in.accept(':')) return std::nullopt;
    int minute_digits = 0;
    const auto minutes = in.number(2, &minute_digits);
    if (!minutes || minute_digits != 2 || *minutes > 59) return std::nullopt;
    int seconds = 0;
    if (in.accept(':')) {
        int second_digits = 0;
        const auto parsed = in.number(2, &second_digits);
        // 60 allows a leap second as written by some exporters; it rolls into the next minute.
        if (!parsed || second_digits != 2 || *parsed > 60) return std::nullopt;
        seconds = *parsed;
        if (in.accept('.') || in.accept(',')) {
            if (!Scanner::is_digit(in.peek())) return std::nullopt;
            while (Scanner::is_digit(in.peek())) in.accept(in.peek());
        }
    }

    int hour = *hours;
    const std::size_t before_meridiem = in.pos();
    in.skip_spaces();
    const std::string_view meridiem = in.word();
    if (equals_ignoring_case(meridiem, "AM") || equals_ignoring_case(meridiem, "PM")) {
        if (hour < 1 || hour > 12) return std::nullopt;
        hour = hour % 12 + (equals_ignoring_case(meridiem, "PM") ? 12 : 0);
    } else {
        in.reset(before_meridiem);
        if (hour > 23) return std::nullopt;
    }
    time.seconds = static_cast<std::int64_t>(hour) * 3600 + *minutes * 60 + seconds;

    in.skip_spaces();
    if (!in.at_end()) {
        const auto offset = parse_zone(in);
        if (!offset) return std::nullopt;
        time.offset = *offset;
    }
    in.skip_spaces();
    if (!in.at_end()) return std::nullopt;
    return time;
}

}  // namespace

std::optional<Day> parse_day(std::string_view text, bool month_first) {
    // The written calendar date is what the user means, so a zone offset in a time suffix
    // never moves it to a neighbouring day.
    Scanner in(text);
    const auto date = parse_date_part(in, month_first);
    if (!date || !parse_time_suffix(in)) return std::nullopt;
    return day_from_civil(*date);
}

std::optional<Timestamp> parse_timestamp(std::string_view text, bool month_first) {
    Scanner in(text);
    const auto date = parse_date_part(in, month_first);
    if (!date) return std::nullopt;
    const auto time = parse_time_suffix(in);
    if (!time) return std::nullopt;
    return start_of_day(day_from_civil(*date)) + time->seconds - time->offset;
}

}  // namespace pb

// Money is an integer count of the currency's minor units (cents for USD), never a float,
// so totals over 100,000 deals add up exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pb {

using Money = std::int64_t;

struct Currency {
    std::string code = "USD";   // ISO 4217
    std::string symbol = "$";
    int minor_digits = 2;       // 2 for USD/EUR, 0 for JPY
};

// "$1,234,567.89"; with `whole_units` the minor part is dropped ("$1,234,568").
std::string format_money(Money amount, const Currency& currency, bool whole_units = false);
// "$1.2M", "$350k" for chart ticks and narrow card faces.
std::string format_money_short(Money amount, const Currency& currency);
// Parses "1234.5", "1,234.50", "$1 234", "-12" into minor units; rejects anything else.
std::optional<Money> parse_money(std::string_view text, const Currency& currency);

// value * percent / 100, rounded half away from zero.
Money apply_percent(Money value, int percent);

}  // namespace pb

// Formatting and parsing of integer money amounts for card faces, reports and CSV import.
#include "money.hpp"

#include <array>
#include <limits>

namespace pb {

namespace {

std::uint64_t pow10(int digits) {
    std::uint64_t result = 1;
    for (int i = 0; i < digits; ++i) result *= 10;
    return result;
}

// Minor digits outside 0..6 would overflow the arithmetic below and never occur in ISO 4217.
int clamped_minor_digits(const Currency& currency) {
    if (currency.minor_digits < 0) return 0;
    if (currency.minor_digits > 6) return 6;
    return currency.minor_digits;
}

// The magnitude as unsigned, so the most negative amount does not overflow on negation.
std::uint64_t magnitude(Money amount) {
    return amount < 0 ? ~static_cast<std::uint64_t>(amount) + 1
                      : static_cast<std::uint64_t>(amount);
}

void append_grouped(std::string& out, std::uint64_t units) {
    const std::string digits = std::to_string(units);
    const std::size_t count = digits.size();
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0 && (count - i) % 3 == 0) out += ',';
        out += digits[i];
    }
}

// "$" before the number; a currency without a symbol shows its code ("CHF 12.00").
void append_prefix(std::string& out, bool negative, const Currency& currency) {
    if (negative) out += '-';
    if (!currency.symbol.empty()) {
        out += currency.symbol;
    } else if (!currency.code.empty()) {
        out += currency.code;
        out += ' ';
    }
}

// Divides rounding half away from zero, on magnitudes.
std::uint64_t divide_rounded(std::uint64_t value, std::uint64_t divisor) {
    const std::uint64_t quotient = value / divisor;
    const std::uint64_t remainder = value % divisor;
    return remainder >= divisor - remainder ? quotient + 1 : quotient;
}

}  // namespace

std::string format_money(Money amount, const Currency& currency, bool whole_units) {
    const int digits = clamped_minor_digits(currency);
    const std::uint64_t scale = pow10(digits);
    const std::uint64_t abs_amount = magnitude(amount);
    std::string out;
    out.reserve(32);
    if (whole_units || digits == 0) {
        const std::uint64_t units = digits == 0 ? abs_amount : divide_rounded(abs_amount, scale);
        append_prefix(out, amount < 0 && units != 0, currency);
        append_grouped(out, units);
        return out;
    }
    append_prefix(out, amount < 0, currency);
    append_grouped(out, abs_amount / scale);
    out += '.';
    const std::string minor = std::to_string(abs_amount % scale);
    out.append(static_cast<std::size_t>(digits) - minor.size(), '0');
    out += minor;
    return out;
}

std::string format_money_short(Money amount, const Currency& currency) {
    struct Magnitude {
        std::uint64_t size;
        char suffix;
    };
    static constexpr std::array<Magnitude, 4> kMagnitudes = {{{1'000'000'000'000ull, 'T'},
                                                              {1'000'000'000ull, 'B'},
                                                              {1'000'000ull, 'M'},
                                                              {1'000ull, 'k'}}};
    const std::uint64_t units =
        divide_rounded(magnitude(amount), pow10(clamped_minor_digits(currency)));
    std::string out;
    out.reserve(16);
    append_prefix(out, amount < 0 && units != 0, currency);

    // The largest magnitude the value reaches once rounded (999,600 shows as "$1M", not
    // "$1000k"); one decimal below ten of it ("$1.2M"), whole numbers above ("$350k").
    for (const Magnitude& m : kMagnitudes) {
        if (units < m.size - m.size / 2000) continue;
        const std::uint64_t tenths = divide_rounded(units, m.size / 10);
        if (tenths >= 100) {
            append_grouped(out, divide_rounded(units, m.size));
        } else {
            out += std::to_string(tenths / 10);
            if (tenths % 10 != 0) {
                out += '.';
                out += static_cast<char>('0' + tenths % 10);
            }
        }
        out += m.suffix;
        return out;
    }
    out += std::to_string(units);
    return out;
}

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (prefix.empty() || text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char a = text[i];
        char b = prefix[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
        if (a != b) return false;
    }
    return true;
}

// Length of a currency marker or space at the start of `text`, 0 when there is none.
std::size_t decoration_length(std::string_view text, const Currency& currency) {
    static constexpr std::array<std::string_view, 16> kMarkers = {
        " ",
        "\t",
        "\xC2\xA0",      // no-break space
        "\xE2\x80\xAF",  // narrow no-break space
        "$",
        "\xE2\x82\xAC",  // euro
        "\xC2\xA3",      // pound
        "\xC2\xA5",      // yen
        "\xE2\x82\xB9",  // rupee
        "\xE2\x82\xA9",  // won
        "\xE2\x82\xBD",  // ruble
        "\xE2\x82\xBA",  // lira
        "\xE2\x82\xAA",  // shekel
        "\xE2\x82\xAB",  // dong
        "\xE2\x82\xB4",  // hryvnia
        "\xE2\x82\xA6",  // naira
    };
    if (starts_with_ignoring_case(text, currency.code)) return currency.code.size();
    if (starts_with_ignoring_case(text, currency.symbol)) return currency.symbol.size();
    for (std::string_view marker : kMarkers) {
        if (text.substr(0, marker.size()) == marker) return marker.size();
    }
    return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Money> parse_money(std::string_view text, const Currency& currency) {
    // Gather the sign and the digit/separator core, dropping currency markers and spaces
    // (including the no-break spaces of French and Swiss formats) wherever they appear.
    bool negative = false;
    bool sign_seen = false;
    bool parenthesised = false;
    std::string core;
    core.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (is_digit(c) || c == '.' || c == ',' || c == '\'') {
            core += c;
            ++i;
            continue;
        }
        if ((c == '-' || c == '+') && core.empty() && !sign_seen && !parenthesised) {
            sign_seen = true;
            negative = c == '-';
            ++i;
            continue;
        }
        if (c == '(' && core.empty() && !sign_seen && !parenthesised) {
            parenthesised = true;
            ++i;
            continue;
        }
        if (c == ')' && parenthesised) {
            parenthesised = false;
            negative = true;
            sign_seen = true;
            ++i;
            continue;
        }
        const std::size_t skip = decoration_length(text.substr(i), currency);
        if (skip == 0) return std::nullopt;
        // A space inside the number is a thousands separator ("1 234"); elsewhere it is padding.
        i += skip;
    }
    if (parenthesised || core.empty()) return std::nullopt;

    // The decimal separator is the last '.' or ','; when only one kind appears it is decimal
    // unless it repeats, or a lone comma is followed by exactly three digits ("1,234").
    const std::size_t last_dot = core.rfind('.');
    const std::size_t last_comma = core.rfind(',');
    std::size_t decimal_at = std::string::npos;
    if (last_dot != std::string::npos && last_comma != std::string::npos) {
        decimal_at = last_dot > last_comma ? last_dot : last_comma;
    } else if (last_dot != std::string::npos) {
        if (core.find('.') == last_dot) decimal_at = last_dot;
    } else if (last_comma != std::string::npos) {
        if (core.find(',') == last_comma && core.size() - last_comma - 1 != 3) {
            decimal_at = last_comma;
        }
    }

    const int digits = clamped_minor_digits(currency);
    const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<Money>::max());
    std::uint64_t units = 0;
    bool any_digit = false;
    for (std::size_t k = 0; k < core.size() && k != decimal_at; ++k) {
        const char c = core[k];
        if (is_digit(c)) {
            if (units > (limit - static_cast<std::uint64_t>(c - '0')) / 10) return std::nullopt;
            units = units * 10 + static_cast<std::uint64_t>(c - '0');
            any_digit = true;
            continue;
        }
        // A grouping separator must sit between digits, and never be the decimal separator kind.
        const bool between_digits =
            k > 0 && is_digit(core[k - 1]) && k + 1 < core.size() && is_digit(core[k + 1]);
        if (!between_digits) return std::nullopt;
        if (decimal_at != std::string::npos && c == core[decimal_at]) return std::nullopt;
    }

    std::uint64_t minor = 0;
    bool round_up = false;
    if (decimal_at != std::string::npos) {
        int fraction_digits = 0;
        for (std::size_t k = decimal_at + 1; k < core.size(); ++k) {
            const char c = core[k];
            if (!is_digit(c)) return std::nullopt;
            any_digit = true;
            if (fraction_digits < digits) {
                minor = minor * 10 + static_cast<std::uint64_t>(c - '0');
            } else if (fraction_digits == digits) {
                // Extra precision (spreadsheet arithmetic) rounds half away from zero.
                round_up = c >= '5';
            }
            ++fraction_digits;
        }
        for (int k = fraction_digits; k < digits; ++k) minor *= 10;
    }
    if (!any_digit) return std::nullopt;

    const std::uint64_t scale = pow10(digits);
    if (units > (limit - minor) / scale) return std::nullopt;
    std::uint64_t total = units * scale + minor;
    if (round_up) {
        if (total == limit) return std::nullopt;
        ++total;
    }
    const Money value = static_cast<Money>(total);
    return negative ? -value : value;
}

Money apply_percent(Money value, int percent) {
    // Split the value so value * percent cannot overflow for any realistic percentage.
    const Money whole = value / 100;
    const Money rest = value % 100;  // same sign as value
    const Money scaled_rest = rest * percent;
    Money rounded_rest = scaled_rest / 100;
    const Money leftover = scaled_rest % 100;
    if (leftover >= 50) ++rounded_rest;
    if (leftover <= -50) --rounded_rest;
    return whole * percent + rounded_rest;
}

}  // namespace pb

// Money formatting and parsing, against hand-written amounts.
#include <doctest/doctest.h>

#include <limits>

#include "core/money.hpp"

using namespace pb;

namespace {
const Currency kUsd{"USD", "$", 2};
const Currency kJpy{"JPY", "\xC2\xA5", 0};
const Currency kEur{"EUR", "\xE2\x82\xAC", 2};
}  // namespace

TEST_SUITE("money") {
    TEST_CASE("formatting with thousands separators and the symbol") {
        CHECK(format_money(0, kUsd) == "$0.00");
        CHECK(format_money(5, kUsd) == "$0.05");
        CHECK(format_money(123456, kUsd) == "$1,234.56");
        CHECK(format_money(123456789, kUsd) == "$1,234,567.89");
        CHECK(format_money(100000, kUsd) == "$1,000.00");
        CHECK(format_money(99999, kUsd) == "$999.99");
        CHECK(format_money(-123400, kUsd) == "-$1,234.00");
        CHECK(format_money(-5, kUsd) == "-$0.05");
        CHECK(format_money(123456, kEur) ==
              "\xE2\x82\xAC"
              "1,234.56");
    }

    TEST_CASE("formatting in whole units rounds half away from zero") {
        CHECK(format_money(123456789, kUsd, true) == "$1,234,568");
        CHECK(format_money(123449, kUsd, true) == "$1,234");
        CHECK(format_money(150, kUsd, true) == "$2");
        CHECK(format_money(-150, kUsd, true) == "-$2");
        CHECK(format_money(-49, kUsd, true) == "$0");
    }

    TEST_CASE("yen has no minor unit") {
        CHECK(format_money(1234567, kJpy) ==
              "\xC2\xA5"
              "1,234,567");
        CHECK(format_money(0, kJpy) ==
              "\xC2\xA5"
              "0");
        CHECK(format_money(-1000, kJpy) ==
              "-\xC2\xA5"
              "1,000");
        CHECK(parse_money("\xC2\xA5"
                          "1,234",
                          kJpy) == 1234);
        CHECK(parse_money("1234.5", kJpy) == 1235);
    }

    TEST_CASE("a currency without a symbol shows its code") {
        const Currency chf{"CHF", "", 2};
        CHECK(format_money(120000, chf) == "CHF 1,200.00");
        CHECK(parse_money("CHF 1'200.00", chf) == 120000);
    }

    TEST_CASE("big values format exactly") {
        CHECK(format_money(std::numeric_limits<Money>::max(), kUsd) ==
              "$92,233,720,368,547,758.07");
        CHECK(format_money(std::numeric_limits<Money>::min(), kUsd) ==
              "-$92,233,720,368,547,758.08");
    }

    TEST_CASE("short form for chart ticks and card faces") {
        CHECK(format_money_short(0, kUsd) == "$0");
        CHECK(format_money_short(95000, kUsd) == "$950");
        CHECK(format_money_short(150000, kUsd) == "$1.5k");
        CHECK(format_money_short(100000, kUsd) == "$1k");
        CHECK(format_money_short(35000000, kUsd) == "$350k");
        CHECK(format_money_short(120000000, kUsd) == "$1.2M");
        CHECK(format_money_short(99960000, kUsd) == "$1M");  // $999,600 is a million, not 1000k
        CHECK(format_money_short(-250000000, kUsd) == "-$2.5M");
        CHECK(format_money_short(300000000000, kUsd) == "$3B");
        CHECK(format_money_short(5000000, kJpy) ==
              "\xC2\xA5"
              "5M");
    }

    TEST_CASE("parsing plain and decorated amounts") {
        CHECK(parse_money("1234.5", kUsd) == 123450);
        CHECK(parse_money("1,234.50", kUsd) == 123450);
        CHECK(parse_money("$1 234", kUsd) == 123400);
        CHECK(parse_money("-12", kUsd) == -1200);
        CHECK(parse_money("0", kUsd) == 0);
        CHECK(parse_money("  $ 1,000  ", kUsd) == 100000);
        CHECK(parse_money("USD 99.99", kUsd) == 9999);
        CHECK(parse_money("99.99 usd", kUsd) == 9999);
        CHECK(parse_money("-$1,234.00", kUsd) == -123400);
        CHECK(parse_money("$-5", kUsd) == -500);
        CHECK(parse_money("(1,200.00)", kUsd) == -120000);
        CHECK(parse_money("+7", kUsd) == 700);
        CHECK(parse_money(".5", kUsd) == 50);
    }

    TEST_CASE("parsing European and Swiss separators") {
        CHECK(parse_money("1.234,50 \xE2\x82\xAC", kEur) == 123450);
        CHECK(parse_money("12,5", kEur) == 1250);
        CHECK(parse_money("1\xC2\xA0"
                          "234,50",
                          kEur) == 123450);
        CHECK(parse_money("1.234.567", kEur) == 123456700);
        CHECK(parse_money("1,234", kUsd) == 123400);
        CHECK(parse_money("1'234.50", kUsd) == 123450);
    }

    TEST_CASE("extra precision rounds half away from zero") {
        CHECK(parse_money("10.005", kUsd) == 1001);
        CHECK(parse_money("10.004", kUsd) == 1000);
        CHECK(parse_money("-10.005", kUsd) == -1001);
    }

    TEST_CASE("parsing rejects what is not an amount") {
        CHECK_FALSE(parse_money("", kUsd));
        CHECK_FALSE(parse_money("$", kUsd));
        CHECK_FALSE(parse_money("abc", kUsd));
        CHECK_FALSE(parse_money("12abc", kUsd));
        CHECK_FALSE(parse_money("1e5", kUsd));
        CHECK_FALSE(parse_money("--5", kUsd));
        CHECK_FALSE(parse_money("5-", kUsd));
        CHECK_FALSE(parse_money("1,,234", kUsd));
        CHECK_FALSE(parse_money(",5,", kUsd));
        CHECK_FALSE(parse_money("1.234,567.89", kUsd));
        CHECK_FALSE(parse_money("(12", kUsd));
        CHECK_FALSE(parse_money("99999999999999999999", kUsd));
        CHECK_FALSE(parse_money("92233720368547758.08", kUsd));
        CHECK(parse_money("92233720368547758.07", kUsd) == std::numeric_limits<Money>::max());
    }

    TEST_CASE("percentages round half away from zero") {
        CHECK(apply_percent(10000, 50) == 5000);
        CHECK(apply_percent(101, 50) == 51);
        CHECK(apply_percent(-101, 50) == -51);
        CHECK(apply_percent(999, 10) == 100);
        CHECK(apply_percent(12345, 0) == 0);
        CHECK(apply_percent(12345, 100) == 12345);
        CHECK(apply_percent(0, 70) == 0);
        CHECK(apply_percent(std::numeric_limits<Money>::max() / 2, 100) ==
              std::numeric_limits<Money>::max() / 2);
    }
}

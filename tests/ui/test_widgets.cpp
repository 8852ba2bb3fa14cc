// Text layout helpers the views share, measured with the real UI font.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/commands.hpp"
#include "ui/widgets.hpp"
#include "ui_test_support.hpp"

namespace {

std::string joined(const std::vector<std::string_view>& lines) {
    std::string out;
    for (const std::string_view line : lines) {
        if (!out.empty()) out += ' ';
        out += line;
    }
    return out;
}

// The app's regular font, rasterized as the app uses it.
struct UiFont {
    pb::test::HeadlessUi ui{1280, 800};
    pb::IdGenerator ids{3};
    const ImFont* font =
        ui.open(pb::make_workspace("Widgets", ids, pb::test::kNow)).fonts().regular;
};

}  // namespace

TEST_CASE("wrapped sentences break between words, never inside an amount") {
    const UiFont ui;
    const ImFont* font = ui.font;
    const std::string sentence =
        "At the current pace, $93,533 will be won by 2026-12-31: $1,196,467 short of the "
        "$1,290,000 target. Reaching it needs $38,406 a day for the remaining 32 days.";
    const float width = pb::ui::text_width(font, "At the current pace, $93,533 will be won by");

    const std::vector<std::string_view> lines = pb::ui::break_at_spaces(font, sentence, width);

    CHECK(lines.size() >= 3);
    CHECK(joined(lines) == sentence);
    for (const std::string_view line : lines) {
        CHECK(pb::ui::text_width(font, line) <= width);
        CHECK(line.front() != ' ');
    }
    for (const std::string_view amount : {"$1,196,467", "$1,290,000", "$38,406"}) {
        bool whole = false;
        for (const std::string_view line : lines) whole |= line.find(amount) != std::string::npos;
        CHECK_MESSAGE(whole, amount << " stays on one line");
    }
}

TEST_CASE("a word wider than the line keeps a line of its own") {
    const UiFont ui;
    const ImFont* font = ui.font;
    const float width = pb::ui::text_width(font, "short");

    const std::vector<std::string_view> lines =
        pb::ui::break_at_spaces(font, "a https://example.org/very/long/path b", width);

    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "a");
    CHECK(lines[1] == "https://example.org/very/long/path");
    CHECK(lines[2] == "b");
}

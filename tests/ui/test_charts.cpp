// The charting module: tick choice, scaling, label formatting and hit testing as pure maths,
// then a bar chart drawn headless, hovered and clicked through the rectangles it reports.
#include "core/calendar.hpp"
#include "ui/charts.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/ui_rects.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <string>
#include <vector>

using namespace pb::ui::charts;

namespace {

constexpr float kPi = 3.14159265f;

void check_box(const Box& box, float x0, float y0, float x1, float y1) {
    CHECK(box.x0 == doctest::Approx(x0));
    CHECK(box.y0 == doctest::Approx(y0));
    CHECK(box.x1 == doctest::Approx(x1));
    CHECK(box.y1 == doctest::Approx(y1));
}

ValueFormatter formatter(ValueFormat format) {
    ValueFormatter f;
    f.format = format;
    return f;
}

}  // namespace

TEST_CASE("steps are 1, 2, 2.5 or 5 times a power of ten, never smaller than asked") {
    CHECK(nice_step(0.7) == doctest::Approx(1));
    CHECK(nice_step(3) == doctest::Approx(5));
    CHECK(nice_step(1.1) == doctest::Approx(2));
    CHECK(nice_step(2.1) == doctest::Approx(2.5));
    CHECK(nice_step(0.03) == doctest::Approx(0.05));
    CHECK(nice_step(1000) == doctest::Approx(1000));
    CHECK(nice_step(0) == doctest::Approx(1));
}

TEST_CASE("ticks cover the data with whole steps on both sides of zero") {
    const Ticks up = nice_ticks(0, 93, 5);
    CHECK(up.step == doctest::Approx(20));
    CHECK(up.values == std::vector<double>{0, 20, 40, 60, 80, 100});

    const Ticks both = nice_ticks(-35, 80, 4);
    CHECK(both.step == doctest::Approx(50));
    CHECK(both.values == std::vector<double>{-50, 0, 50, 100});

    const Ticks rates = nice_ticks(0, 0.62, 4);
    REQUIRE(rates.values.size() == 5);
    CHECK(rates.values[3] == doctest::Approx(0.6));
    CHECK(formatter(ValueFormat::Percent).tick(rates.values[3]) == "60%");
}

TEST_CASE("an empty range still gets an axis, and deal counts never get fractional ticks") {
    CHECK(nice_ticks(0, 0, 5).values == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
    CHECK(nice_ticks(0, 0, 5, true).values == std::vector<double>{0, 1});
    CHECK(nice_ticks(0, 3, 10, true).values == std::vector<double>{0, 1, 2, 3});
    // 12 deals over 5 intervals would step by 2.5 deals: counts step by 5 instead.
    CHECK(nice_ticks(0, 12, 5, true).values == std::vector<double>{0, 5, 10, 15});
    CHECK(nice_ticks(0, 120, 5, true).step == doctest::Approx(25));
    CHECK(nice_ticks(5, 5, 4).values == std::vector<double>{0, 2, 4, 6});
    CHECK(nice_ticks(-3, -3, 3).values == std::vector<double>{-3, -2, -1, 0});
}

TEST_CASE("a scale maps values onto pixels and back, upside down for a y axis") {
    const Scale y{0, 100, 300, 100};
    CHECK(y.to_pixel(0) == doctest::Approx(300));
    CHECK(y.to_pixel(25) == doctest::Approx(250));
    CHECK(y.to_pixel(100) == doctest::Approx(100));
    CHECK(y.to_value(200) == doctest::Approx(50));
    const Scale flat{5, 5, 10, 20};
    CHECK(flat.to_pixel(7) == doctest::Approx(10));
}

TEST_CASE("axis labels are short, tooltips exact") {
    const ValueFormatter money = formatter(ValueFormat::Money);
    CHECK(money.tick(25'000'000) == "$250k");
    CHECK(money.tick(120'000'000) == "$1.2M");
    CHECK(money.tick(0) == "$0");
    CHECK(money.exact(123'456'789) == "$1,234,567.89");
    CHECK(formatter(ValueFormat::Count).exact(1234) == "1,234");
    CHECK(formatter(ValueFormat::Count).tick(1500) == "1.5k");
    CHECK(formatter(ValueFormat::Count).tick(7) == "7");
    CHECK(formatter(ValueFormat::Days).exact(12.5) == "12.5 days");
    CHECK(formatter(ValueFormat::Days).tick(14) == "14 d");
    CHECK(formatter(ValueFormat::Percent).exact(0.41666) == "41.7%");
    pb::Currency euro{"EUR", "€", 2};
    ValueFormatter euros = money;
    euros.currency = euro;
    CHECK(euros.exact(500) == "€5.00");
}

TEST_CASE("periods are labelled as months or quarters") {
    CHECK(period_label(pb::day_from_civil({2026, 11, 1}), pb::TargetPeriod::Month) == "Nov 2026");
    CHECK(period_label(pb::day_from_civil({2027, 1, 1}), pb::TargetPeriod::Month) == "Jan 2027");
    CHECK(period_label(pb::day_from_civil({2026, 10, 1}), pb::TargetPeriod::Quarter) == "Q4 2026");
    CHECK(period_label(pb::day_from_civil({2026, 2, 1}), pb::TargetPeriod::Quarter) == "Q1 2026");
}

TEST_CASE("category labels are thinned out only when they would overlap") {
    CHECK(label_stride(12, 30, 50, 8) == 2);
    CHECK(label_stride(5, 100, 40) == 1);
    CHECK(label_stride(1, 5, 400) == 1);
    CHECK(label_stride(12, 0, 10) == 12);
}

TEST_CASE("a category label wider than its slot at the chart's end moves inside the chart") {
    // "Ava Thompson", 90 px, under the last bar of a chart ending at 400: drawn from 310, not
    // cut where the table beside the chart begins.
    CHECK(category_label_x(380, 90, 0, 400, 100, 8) == doctest::Approx(310));
    CHECK(category_label_x(10, 60, 0, 400, -1000, 8) == doctest::Approx(0));
    // A label that fits is centred.
    CHECK(category_label_x(200, 40, 0, 400, 100, 8) == doctest::Approx(180));
    // Moved inside, it would touch the label before it, so it stays centred past the end.
    CHECK(category_label_x(380, 90, 0, 400, 305, 8) == doctest::Approx(335));
}

TEST_CASE("the value range includes zero, sums stacked bars and covers lines") {
    const std::vector<std::vector<double>> bars{{3, -2}, {4, -1}};
    const auto stacked = value_range(bars, {}, BarMode::Stacked);
    CHECK(stacked.first == doctest::Approx(-3));
    CHECK(stacked.second == doctest::Approx(7));
    const auto grouped = value_range(bars, {{9}}, BarMode::Grouped);
    CHECK(grouped.first == doctest::Approx(-2));
    CHECK(grouped.second == doctest::Approx(9));
    const auto positive = value_range({{5, 6}}, {}, BarMode::Grouped);
    CHECK(positive.first == doctest::Approx(0));
    const auto nothing = value_range({}, {}, BarMode::Grouped);
    CHECK(nothing.first == 0);
    CHECK(nothing.second == 0);
}

TEST_CASE("grouped bars sit side by side in their category's slot") {
    const Box plot{0, 0, 200, 100};
    const Scale y{0, 20, 100, 0};
    const auto bars = layout_bars({{10, 20}, {5, 0}}, BarMode::Grouped, plot, y, 0.5f);
    REQUIRE(bars.size() == 4);
    CHECK(bars[0].series == 0);
    CHECK(bars[0].index == 0);
    check_box(bars[0].box, 25, 50, 50, 100);
    check_box(bars[1].box, 50, 75, 75, 100);
    check_box(bars[2].box, 125, 0, 150, 100);
    check_box(bars[3].box, 150, 100, 175, 100);
    CHECK(bar_at(bars, 30, 70) == 0);
    CHECK(bar_at(bars, 60, 80) == 1);
    CHECK(bar_at(bars, 60, 60) == -1);
    CHECK(bar_at(bars, 160, 99) == -1);  // a zero bar has no area
    CHECK(category_center(plot, 2, 1) == doctest::Approx(150));
}

TEST_CASE("stacked bars start where the previous series ended") {
    const Scale y{0, 25, 100, 0};
    const auto bars = layout_bars({{10, 20}, {5, 0}}, BarMode::Stacked, Box{0, 0, 200, 100}, y,
                                  0.5f);
    REQUIRE(bars.size() == 4);
    check_box(bars[0].box, 25, 60, 75, 100);
    check_box(bars[1].box, 25, 40, 75, 60);
    CHECK(bar_at(bars, 40, 50) == 1);
    CHECK(layout_bars({}, BarMode::Stacked, Box{0, 0, 10, 10}, y).empty());
}

TEST_CASE("the category under the pointer is its whole slot, and nothing outside the plot") {
    const Box plot{0, 0, 200, 100};
    CHECK(category_at(plot, 2, 150, 10) == 1);
    CHECK(category_at(plot, 2, 199.9f, 99) == 1);
    CHECK(category_at(plot, 2, 0, 0) == 0);
    CHECK(category_at(plot, 2, -1, 10) == -1);
    CHECK(category_at(plot, 2, 200, 10) == -1);
    CHECK(category_at(plot, 0, 10, 10) == -1);
}

TEST_CASE("funnel bands narrow with their value but keep a clickable minimum width") {
    const auto bands = layout_funnel({100, 50, 0}, Box{0, 0, 200, 92}, 4, 0.1f);
    REQUIRE(bands.size() == 3);
    check_box(bands[0], 0, 0, 200, 28);
    check_box(bands[1], 50, 32, 150, 60);
    check_box(bands[2], 90, 64, 110, 92);
    CHECK(box_at(bands, 100, 30) == -1);  // the gap between stages
    CHECK(box_at(bands, 100, 40) == 1);
    CHECK(box_at(bands, 20, 40) == -1);
    CHECK(layout_funnel({}, Box{0, 0, 10, 10}, 1).empty());
    // Nothing entered anywhere: every band at the minimum width.
    const auto empty = layout_funnel({0, 0}, Box{0, 0, 100, 10}, 0, 0.2f);
    check_box(empty[0], 40, 0, 60, 5);
}

TEST_CASE("donut slices go clockwise from twelve o'clock in proportion to their values") {
    const auto slices = layout_donut({1, 1, 2});
    REQUIRE(slices.size() == 3);
    CHECK(slices[0].first == doctest::Approx(-kPi / 2));
    CHECK(slices[0].second == doctest::Approx(0));
    CHECK(slices[1].second == doctest::Approx(kPi / 2));
    CHECK(slices[2].second == doctest::Approx(3 * kPi / 2));
    CHECK(slice_at(slices, 100, 100, 20, 50, 130, 100) == 1);  // three o'clock
    CHECK(slice_at(slices, 100, 100, 20, 50, 100, 70) == 0);   // twelve o'clock
    CHECK(slice_at(slices, 100, 100, 20, 50, 70, 100) == 2);   // nine o'clock
    CHECK(slice_at(slices, 100, 100, 20, 50, 80, 80) == 2);    // half past ten
    CHECK(slice_at(slices, 100, 100, 20, 50, 105, 100) == -1);  // the hole
    CHECK(slice_at(slices, 100, 100, 20, 50, 160, 100) == -1);  // outside
}

TEST_CASE("a donut of nothing, or of negative values, has no slice to point at") {
    const auto slices = layout_donut({0, -5});
    REQUIRE(slices.size() == 2);
    CHECK(slices[0].first == slices[0].second);
    CHECK(slice_at(slices, 0, 0, 1, 10, 5, 0) == -1);
    const auto one = layout_donut({-5, 3});
    CHECK(one[1].second - one[1].first == doctest::Approx(2 * kPi));
}

namespace {

struct ChartFrames {
    ChartFrames() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(800, 600);
        io.DeltaTime = 1.0f / 60.0f;
        pb::ui::load_ui_fonts(15.0f, 1.0f);
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
        pb::ui::apply_theme(pb::ui::ThemeMode::Dark, 1.0f);
    }
    ~ChartFrames() { ImGui::DestroyContext(); }

    // One frame of a window holding a revenue bar chart; returns what the pointer did.
    ChartHit frame() {
        rects.begin_frame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(800, 600));
        ImGui::Begin("charts", nullptr, ImGuiWindowFlags_NoDecoration);
        ChartOptions options;
        options.name = "revenue";
        options.values.format = ValueFormat::Money;
        options.categories = {"Sep 2026", "Oct 2026", "Nov 2026"};
        options.rects = &rects;
        begin_chart(options, ImVec2(600, 400));
        plot_bars("Won", {1'000'000, 2'500'000, 500'000}, series_color(0));
        plot_bars("Weighted", {0, 1'000'000, 3'000'000}, series_color(1));
        plot_target_line("Target", {2'000'000, 2'000'000, 2'000'000}, series_color(2));
        const ChartHit hit = end_chart();
        ImGui::End();
        ImGui::Render();
        rects.end_frame();
        return hit;
    }

    const pb::ui::NamedRect* rect_starting(const std::string& prefix) const {
        for (const pb::ui::NamedRect& rect : rects.rects())
            if (rect.name.rfind(prefix, 0) == 0) return &rect;
        return nullptr;
    }

    pb::ui::UiRects rects;
};

}  // namespace

TEST_CASE("hovering a drawn bar shows its exact value, and clicking it reports the category") {
    ChartFrames frames;
    frames.frame();
    REQUIRE(frames.rects.find("chart:revenue") != nullptr);
    const pb::ui::NamedRect* oct = frames.rects.find("bar:revenue:1");
    const pb::ui::NamedRect* sep = frames.rects.find("bar:revenue:0");
    REQUIRE(oct != nullptr);
    REQUIRE(sep != nullptr);
    CHECK(oct->h > sep->h * 2.4f);  // $25,000 against $10,000
    CHECK(oct->h < sep->h * 2.6f);
    CHECK(frames.rects.find("bar:revenue:2:1") != nullptr);
    CHECK(frames.rect_starting("tooltip") == nullptr);

    ImGui::GetIO().AddMousePosEvent(oct->x + oct->w / 2, oct->y + oct->h / 2);
    ChartHit hit = frames.frame();
    CHECK(hit.index == 1);
    CHECK(hit.series == 0);
    CHECK_FALSE(hit.clicked);
    CHECK(frames.rects.find("tooltip:revenue:1") != nullptr);
    CHECK(frames.rect_starting("tooltip-value:") != nullptr);
    CHECK(frames.rects.find("tooltip-value:$25,000.00") != nullptr);

    ImGui::GetIO().AddMouseButtonEvent(0, true);
    frames.frame();
    ImGui::GetIO().AddMouseButtonEvent(0, false);
    hit = frames.frame();
    CHECK(hit.index == 1);
    CHECK(hit.clicked);

    ImGui::GetIO().AddMousePosEvent(790, 590);
    hit = frames.frame();
    CHECK_FALSE(hit.hovered());
    CHECK(frames.rect_starting("tooltip") == nullptr);
}

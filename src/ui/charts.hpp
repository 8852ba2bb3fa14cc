// Pipeboard's small charting module, drawn with ImGui's draw lists in the spirit of ImPlot's
// Begin/Plot/End: bars (grouped or stacked) and lines with a target line on shared axes,
// funnels and donuts, with readable ticks, a legend, exact-value tooltips and click-through.
#pragma once

#include "core/calendar.hpp"
#include "core/money.hpp"
#include "core/workspace.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct ImVec2;

namespace pb::ui {
class UiRects;
}

namespace pb::ui::charts {

// [SECTION] Layout maths: pure, testable without drawing

struct Box {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    bool contains(float x, float y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
};

// The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `rough` (> 0).
double nice_step(double rough);

// Axis ticks covering [lo, hi] with at most max_intervals steps of a nice size, extended to
// whole steps on both ends; `whole_numbers` keeps steps at 1 or more (deal counts).
// An empty range is widened so the axis still has a scale.
struct Ticks {
    double min = 0, max = 1, step = 1;
    std::vector<double> values;
};
Ticks nice_ticks(double lo, double hi, int max_intervals, bool whole_numbers = false);

// A linear map from a value range onto a pixel range (reversed for a y axis: p0 at the bottom).
struct Scale {
    double v0 = 0, v1 = 1;
    float p0 = 0, p1 = 1;
    float to_pixel(double value) const;
    double to_value(float pixel) const;
};

// How a chart's values read: counts, money in minor units, ratios shown as percentages, days.
enum class ValueFormat { Count, Money, Percent, Days };
struct ValueFormatter {
    ValueFormat format = ValueFormat::Count;
    Currency currency;
    std::string tick(double value) const;   // short, for axes: "$1.2M", "40%", "12 d", "1.5k"
    std::string exact(double value) const;  // for tooltips: "$1,234,567", "41.7%", "12.5 days"
};

// "Nov 2026" for a month, "Q4 2026" for a quarter.
std::string period_label(Day period_start, TargetPeriod period);

// Show every n-th category label so that labels of `widest_label` pixels never overlap in
// slots `slot_width` wide (1 = all of them).
int label_stride(int categories, float slot_width, float widest_label, float min_gap = 8.0f);

// Where a category label `width` wide starts: centred on `centre`, or moved inside the chart
// [chart_x0, chart_x1] when wider than its slot at either end (whatever is drawn beside the
// chart would cover it), unless it would then come within `min_gap` of the previous label,
// which ends at `previous_end`; label_stride keeps centred labels apart.
float category_label_x(float centre, float width, float chart_x0, float chart_x1,
                       float previous_end, float min_gap);

enum class BarMode { Grouped, Stacked };

// The y range the bars and lines must show: stacked bars sum positive and negative parts per
// category; the range always includes 0 so bars have a base.
std::pair<double, double> value_range(const std::vector<std::vector<double>>& bars,
                                      const std::vector<std::vector<double>>& lines, BarMode);

// The horizontal centre of category `index` of `count` evenly spread over `plot`.
float category_center(const Box& plot, int count, int index);

// One bar of series[s][i] placed on the plot: categories share the width evenly; in a
// category, grouped bars sit side by side and stacked bars on top of each other.
struct BarPlacement {
    int series = 0;
    int index = 0;
    Box box;
    double value = 0;
};
std::vector<BarPlacement> layout_bars(const std::vector<std::vector<double>>& series, BarMode mode,
                                      const Box& plot, const Scale& y, float fill = 0.72f);
// The category under (x, y) in a bar chart: the whole slot counts, so thin or zero bars can
// still be pointed at; -1 outside the plot.
int category_at(const Box& plot, int count, float x, float y);
// The placement holding (x, y), -1 when none.
int bar_at(const std::vector<BarPlacement>& bars, float x, float y);

// Funnel bands top to bottom, centred, widths proportional to the values against the largest,
// never narrower than min_share of the area so every stage stays readable and clickable.
std::vector<Box> layout_funnel(const std::vector<double>& values, const Box& area, float gap,
                               float min_share = 0.08f);
int box_at(const std::vector<Box>& boxes, float x, float y);

// Donut slices as [start, end) angles in radians, clockwise from twelve o'clock (ImGui's y axis
// points down, so clockwise on screen is increasing angle). Negative values count as 0.
std::vector<std::pair<float, float>> layout_donut(const std::vector<double>& values);
// The slice under (x, y) of a donut centred at (cx, cy) between its inner and outer radius.
int slice_at(const std::vector<std::pair<float, float>>& slices, float cx, float cy, float inner,
             float outer, float x, float y);

// [SECTION] Drawing

// What a chart shows and where it reports: rectangles "chart:<name>", "bar:<name>:<index>"
// (series 0's bar; "bar:<name>:<index>:<series>" for the others), "funnel-stage:<label>",
// "slice:<name>:<index>", and while hovered "tooltip:<name>:<index>" plus
// "tooltip-value:<exact value of the first series>" so tests can read what a user reads.
struct ChartOptions {
    std::string name;
    ValueFormatter values;
    std::vector<std::string> categories;
    BarMode bar_mode = BarMode::Grouped;
    bool legend = true;
    UiRects* rects = nullptr;
};

// What the pointer did on a chart this frame: the category (bar chart), stage (funnel) or slice
// (donut) under it, and whether it was clicked.
struct ChartHit {
    int index = -1;
    int series = -1;  // the bar under the pointer in a bar chart, -1 for the category as a whole
    bool clicked = false;
    bool hovered() const { return index >= 0; }
};

// A colour per series that reads on both themes; stable by index.
std::uint32_t series_color(int index);

// Begin/Plot/End for bar and line charts sharing one axis; a width or height <= 0 takes the
// available space. Plot calls between begin and end are collected and drawn by end_chart.
void begin_chart(const ChartOptions& options, const ImVec2& size);
void plot_bars(const char* label, const std::vector<double>& values, std::uint32_t color);
void plot_line(const char* label, const std::vector<double>& values, std::uint32_t color);
// A dashed line for a goal (the target per month); drawn over the bars.
void plot_target_line(const char* label, const std::vector<double>& values, std::uint32_t color);
ChartHit end_chart();

struct FunnelStep {
    std::string label;
    int count = 0;          // deals entering the stage
    Money value = 0;        // their value
    int advanced = 0;       // of those, moved on or won
    int lost = 0;           // of those, lost while in the stage
    double conversion = 0;  // advanced / count
    std::uint32_t color = 0;  // ImGui colour; 0 = the series colour
};
ChartHit funnel_chart(const ChartOptions& options, const ImVec2& size,
                      const std::vector<FunnelStep>& steps);

// One slice per category of options.categories.
ChartHit donut_chart(const ChartOptions& options, const ImVec2& size,
                     const std::vector<double>& values);

}  // namespace pb::ui::charts

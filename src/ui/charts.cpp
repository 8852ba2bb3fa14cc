// The layout maths comes first and knows nothing of ImGui, so tick choice, scaling and hit
// testing are tested on their own; drawing sizes everything from the font size so charts keep
// their proportions on high-DPI screens and projectors.
#include "ui/charts.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "ui/theme.hpp"
#include "ui/ui_rects.hpp"

namespace pb::ui::charts {

namespace {

constexpr float kPi = 3.14159265358979f;

// Rounds away float noise from tick arithmetic (0.2 * 3 = 0.6000000000000001): a tick is a
// whole number of the step's decimal places, so dividing by a power of ten lands on the double
// nearest the decimal a reader expects.
double clean(double value, double step) {
    double scale = 1;
    for (int places = 0; places < 15; ++places, scale *= 10) {
        const double scaled = step * scale;
        if (std::abs(scaled - std::round(scaled)) < 1e-9 * scaled) break;
    }
    const double rounded = std::round(value * scale) / scale;
    return rounded == 0 ? 0.0 : rounded;
}

std::string grouped_integer(long long value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3 + 1);
    if (value < 0) out += '-';
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// "12" for whole numbers, "12.5" otherwise.
std::string one_decimal(double value) {
    char text[32];
    if (std::abs(value - std::round(value)) < 0.05)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

}  // namespace

// [SECTION] Layout maths

double nice_step(double rough) {
    if (!(rough > 0) || !std::isfinite(rough)) return 1;
    const double base = std::pow(10.0, std::floor(std::log10(rough)));
    for (double multiple : {1.0, 2.0, 2.5, 5.0}) {
        if (rough <= multiple * base * (1 + 1e-9)) return multiple * base;
    }
    return 10 * base;
}

Ticks nice_ticks(double lo, double hi, int max_intervals, bool whole_numbers) {
    if (lo > hi) std::swap(lo, hi);
    if (hi - lo <= std::abs(hi) * 1e-12) {
        if (hi > 0)
            lo = 0;
        else if (lo < 0)
            hi = 0;
        else
            hi = 1;
    }
    Ticks ticks;
    ticks.step = nice_step((hi - lo) / std::max(1, max_intervals));
    // Counts step by whole numbers: 2.5 becomes 5 (25, 250 are whole already).
    if (whole_numbers && ticks.step < 1) ticks.step = 1;
    if (whole_numbers && ticks.step != std::floor(ticks.step))
        ticks.step = nice_step(ticks.step * 1.01);
    ticks.min = clean(std::floor(lo / ticks.step + 1e-9) * ticks.step, ticks.step);
    ticks.max = clean(std::ceil(hi / ticks.step - 1e-9) * ticks.step, ticks.step);
    const long long intervals = std::llround((ticks.max - ticks.min) / ticks.step);
    ticks.values.reserve(static_cast<std::size_t>(intervals + 1));
    for (long long i = 0; i <= intervals; ++i)
        ticks.values.push_back(clean(ticks.min + static_cast<double>(i) * ticks.step, ticks.step));
    return ticks;
}

float Scale::to_pixel(double value) const {
    if (v1 == v0) return p0;
    return p0 + static_cast<float>((value - v0) / (v1 - v0)) * (p1 - p0);
}

double Scale::to_value(float pixel) const {
    if (p1 == p0) return v0;
    return v0 + static_cast<double>(pixel - p0) / static_cast<double>(p1 - p0) * (v1 - v0);
}

std::string ValueFormatter::tick(double value) const {
    switch (format) {
        case ValueFormat::Money:
            return format_money_short(std::llround(value), currency);
        case ValueFormat::Percent:
            return one_decimal(value * 100) + "%";
        case ValueFormat::Days:
            return one_decimal(value) + " d";
        case ValueFormat::Count:
            break;
    }
    const double size = std::abs(value);
    if (size >= 1e6) return one_decimal(value / 1e6) + "M";
    if (size >= 1e3) return one_decimal(value / 1e3) + "k";
    return one_decimal(value);
}

std::string ValueFormatter::exact(double value) const {
    switch (format) {
        case ValueFormat::Money:
            return format_money(std::llround(value), currency);
        case ValueFormat::Percent: {
            char text[32];
            std::snprintf(text, sizeof text, "%.1f%%", value * 100);
            return text;
        }
        case ValueFormat::Days: {
            char text[32];
            std::snprintf(text, sizeof text, "%.1f days", value);
            return text;
        }
        case ValueFormat::Count:
            break;
    }
    if (std::abs(value - std::round(value)) < 1e-9) return grouped_integer(std::llround(value));
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

std::string period_label(Day period_start, TargetPeriod period) {
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const CivilDate date = civil_from_day(period_start);
    // Built by appending: GCC 12 warns falsely (-Wrestrict) about "Q" + text.
    std::string label;
    if (period == TargetPeriod::Quarter) {
        label += 'Q';
        label += std::to_string((date.month - 1) / 3 + 1);
    } else {
        label += kMonths[static_cast<std::size_t>(date.month - 1)];
    }
    label += ' ';
    label += std::to_string(date.year);
    return label;
}

int label_stride(int categories, float slot_width, float widest_label, float min_gap) {
    if (categories <= 1) return 1;
    if (slot_width <= 0) return categories;
    const int stride = static_cast<int>(std::ceil((widest_label + min_gap) / slot_width));
    return std::clamp(stride, 1, categories);
}

float category_label_x(float centre, float width, float chart_x0, float chart_x1,
                       float previous_end, float min_gap) {
    const float centred = centre - width / 2;
    const float inside = std::clamp(centred, chart_x0, std::max(chart_x0, chart_x1 - width));
    return inside < previous_end + min_gap ? centred : inside;
}

std::pair<double, double> value_range(const std::vector<std::vector<double>>& bars,
                                      const std::vector<std::vector<double>>& lines, BarMode mode) {
    double lo = 0, hi = 0;
    if (mode == BarMode::Stacked) {
        std::size_t categories = 0;
        for (const auto& series : bars) categories = std::max(categories, series.size());
        for (std::size_t i = 0; i < categories; ++i) {
            double up = 0, down = 0;
            for (const auto& series : bars) {
                if (i >= series.size()) continue;
                (series[i] >= 0 ? up : down) += series[i];
            }
            hi = std::max(hi, up);
            lo = std::min(lo, down);
        }
    } else {
        for (const auto& series : bars)
            for (double value : series) {
                hi = std::max(hi, value);
                lo = std::min(lo, value);
            }
    }
    for (const auto& series : lines)
        for (double value : series) {
            hi = std::max(hi, value);
            lo = std::min(lo, value);
        }
    return {lo, hi};
}

float category_center(const Box& plot, int count, int index) {
    if (count <= 0) return plot.x0;
    const float slot = plot.width() / static_cast<float>(count);
    return plot.x0 + slot * (static_cast<float>(index) + 0.5f);
}

std::vector<BarPlacement> layout_bars(const std::vector<std::vector<double>>& series, BarMode mode,
                                      const Box& plot, const Scale& y, float fill) {
    std::vector<BarPlacement> bars;
    std::size_t categories = 0;
    std::size_t total = 0;
    for (const auto& values : series) {
        categories = std::max(categories, values.size());
        total += values.size();
    }
    if (categories == 0) return bars;
    bars.reserve(total);
    const float slot = plot.width() / static_cast<float>(categories);
    const float group = slot * std::clamp(fill, 0.05f, 1.0f);
    const int series_count = static_cast<int>(series.size());
    const float bar_width =
        mode == BarMode::Grouped ? group / static_cast<float>(series_count) : group;
    const float base = y.to_pixel(0);
    for (std::size_t i = 0; i < categories; ++i) {
        const float group_left = plot.x0 + slot * static_cast<float>(i) + (slot - group) / 2;
        double up = 0, down = 0;
        for (int s = 0; s < series_count; ++s) {
            const auto& values = series[static_cast<std::size_t>(s)];
            if (i >= values.size()) continue;
            const double value = values[i];
            BarPlacement bar{s, static_cast<int>(i), {}, value};
            float from = base, to = y.to_pixel(value);
            float left = group_left;
            if (mode == BarMode::Grouped) {
                left += bar_width * static_cast<float>(s);
            } else {
                double& running = value >= 0 ? up : down;
                from = y.to_pixel(running);
                running += value;
                to = y.to_pixel(running);
            }
            bar.box = Box{left, std::min(from, to), left + bar_width, std::max(from, to)};
            bars.push_back(bar);
        }
    }
    return bars;
}

int category_at(const Box& plot, int count, float x, float y) {
    if (count <= 0 || !plot.contains(x, y)) return -1;
    const float slot = plot.width() / static_cast<float>(count);
    return std::clamp(static_cast<int>((x - plot.x0) / slot), 0, count - 1);
}

int bar_at(const std::vector<BarPlacement>& bars, float x, float y) {
    for (std::size_t i = 0; i < bars.size(); ++i)
        if (bars[i].box.contains(x, y)) return static_cast<int>(i);
    return -1;
}

std::vector<Box> layout_funnel(const std::vector<double>& values, const Box& area, float gap,
                               float min_share) {
    std::vector<Box> bands;
    if (values.empty()) return bands;
    bands.reserve(values.size());
    const float count = static_cast<float>(values.size());
    const float height = std::max(0.0f, (area.height() - gap * (count - 1)) / count);
    double largest = 0;
    for (double value : values) largest = std::max(largest, value);
    const float centre = (area.x0 + area.x1) / 2;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const float share =
            largest > 0 ? static_cast<float>(std::max(0.0, values[i]) / largest) : 0;
        const float half = area.width() * std::clamp(share, min_share, 1.0f) / 2;
        const float top = area.y0 + static_cast<float>(i) * (height + gap);
        bands.push_back(Box{centre - half, top, centre + half, top + height});
    }
    return bands;
}

int box_at(const std::vector<Box>& boxes, float x, float y) {
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (boxes[i].contains(x, y)) return static_cast<int>(i);
    return -1;
}

std::vector<std::pair<float, float>> layout_donut(const std::vector<double>& values) {
    std::vector<std::pair<float, float>> slices;
    slices.reserve(values.size());
    double total = 0;
    for (double value : values) total += std::max(0.0, value);
    float angle = -kPi / 2;
    for (double value : values) {
        const float sweep =
            total > 0 ? static_cast<float>(std::max(0.0, value) / total) * 2 * kPi : 0.0f;
        slices.emplace_back(angle, angle + sweep);
        angle += sweep;
    }
    return slices;
}

int slice_at(const std::vector<std::pair<float, float>>& slices, float cx, float cy, float inner,
             float outer, float x, float y) {
    const float dx = x - cx, dy = y - cy;
    const float radius = std::sqrt(dx * dx + dy * dy);
    if (radius < inner || radius > outer) return -1;
    float angle = std::atan2(dy, dx);
    if (angle < -kPi / 2) angle += 2 * kPi;
    for (std::size_t i = 0; i < slices.size(); ++i)
        if (angle >= slices[i].first && angle < slices[i].second) return static_cast<int>(i);
    return -1;
}

// [SECTION] Drawing

std::uint32_t series_color(int index) {
    // Mid-tone hues that keep their contrast on white, on near-black and through a projector.
    static constexpr std::array<std::uint32_t, 8> kColours = {0x3B82F6FF, 0x14B8A6FF, 0xF59E0BFF,
                                                              0x8B5CF6FF, 0xEC4899FF, 0x22C55EFF,
                                                              0xEF4444FF, 0x64748BFF};
    return rgba_to_imgui(kColours[static_cast<std::size_t>(index) % kColours.size()]);
}

namespace {

enum class SeriesKind { Bars, Line, Target };

struct Series {
    std::string label;
    std::vector<double> values;
    std::uint32_t color = 0;
    SeriesKind kind = SeriesKind::Bars;
};

// The chart between begin_chart and end_chart; buffers are reused from frame to frame.
struct ChartInProgress {
    const ChartOptions* options = nullptr;
    ImVec2 origin, size;
    std::vector<Series> series;
    std::size_t used = 0;
    std::vector<std::vector<double>> bars, lines;
    std::vector<std::size_t> bar_series;  // index in `series` of each entry of `bars`
};
ChartInProgress g_chart;

std::uint32_t with_alpha(std::uint32_t colour, float alpha) {
    const auto a = static_cast<std::uint32_t>(static_cast<float>(colour >> 24) * alpha);
    return (colour & 0x00FFFFFFu) | (std::min<std::uint32_t>(a, 255) << 24);
}

// Black or white text, whichever reads better on an ImGui-packed colour.
std::uint32_t text_on(std::uint32_t colour) {
    const std::uint32_t rgba = ((colour & 0xFF) << 24) | (((colour >> 8) & 0xFF) << 16) |
                               (((colour >> 16) & 0xFF) << 8) | 0xFF;
    return readable_text_on(rgba);
}

ImVec2 resolve_size(const ImVec2& size) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    return ImVec2(size.x > 0 ? size.x : std::max(avail.x, 1.0f),
                  size.y > 0 ? size.y : std::max(avail.y, 1.0f));
}

// Registers a rectangle clipped to what is visible, so tests only point at reachable things.
void add_rect(UiRects* rects, std::string name, const Box& box) {
    if (!rects) return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 clip_min = draw->GetClipRectMin(), clip_max = draw->GetClipRectMax();
    const float x0 = std::max(box.x0, clip_min.x), y0 = std::max(box.y0, clip_min.y);
    const float x1 = std::min(box.x1, clip_max.x), y1 = std::min(box.y1, clip_max.y);
    rects->add(std::move(name), x0, y0, x1 - x0, y1 - y0);
}

void swatch(ImDrawList* draw, ImVec2 at, float size, std::uint32_t colour, SeriesKind kind) {
    if (kind == SeriesKind::Bars) {
        draw->AddRectFilled(at, ImVec2(at.x + size, at.y + size), colour, size * 0.2f);
    } else {
        const float mid = at.y + size / 2;
        draw->AddLine(ImVec2(at.x, mid), ImVec2(at.x + size, mid), colour, size * 0.25f);
    }
}

// Legend items left to right, wrapping onto more lines in a narrow chart (a series without its
// legend entry could not be told apart); returns the height used.
float draw_legend(ImDrawList* draw, const Box& box, const std::vector<Series>& series,
                  std::size_t count) {
    const float font = ImGui::GetFontSize();
    const float square = font * 0.7f;
    const float line = font * 1.3f;
    float x = box.x0;
    float y = box.y0;
    const std::uint32_t text = palette().text_muted;
    for (std::size_t i = 0; i < count; ++i) {
        const float label_width = ImGui::CalcTextSize(series[i].label.c_str()).x;
        if (x + square + 6 + label_width > box.x1 && x > box.x0) {
            x = box.x0;
            y += line;
        }
        swatch(draw, ImVec2(x, y + (font - square) / 2), square, series[i].color, series[i].kind);
        draw->AddText(ImVec2(x + square + 6, y), text, series[i].label.c_str());
        x += square + 6 + label_width + font;
    }
    return y - box.y0 + font + font * 0.5f;
}

void dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, std::uint32_t colour, float thickness,
                 float dash) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    if (length <= 0) return;
    for (float t = 0; t < length; t += dash * 2) {
        const float t1 = std::min(length, t + dash);
        draw->AddLine(ImVec2(a.x + dx * t / length, a.y + dy * t / length),
                      ImVec2(a.x + dx * t1 / length, a.y + dy * t1 / length), colour, thickness);
    }
}

void begin_tooltip_rects(const ChartOptions& options, int index, const std::string& value) {
    ImGui::BeginTooltip();
    if (options.rects) {
        const ImVec2 pos = ImGui::GetWindowPos();
        options.rects->add("tooltip:" + options.name + ":" + std::to_string(index), pos.x, pos.y,
                           std::max(1.0f, ImGui::GetWindowSize().x),
                           std::max(1.0f, ImGui::GetWindowSize().y));
        options.rects->add("tooltip-value:" + value, pos.x, pos.y, 1, 1);
    }
}

void tooltip_line(std::uint32_t colour, SeriesKind kind, const std::string& label,
                  const std::string& value) {
    const float font = ImGui::GetFontSize();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    swatch(ImGui::GetWindowDrawList(), ImVec2(at.x, at.y + font * 0.15f), font * 0.7f, colour,
           kind);
    ImGui::Dummy(ImVec2(font * 0.7f, font));
    ImGui::SameLine();
    ImGui::Text("%s: %s", label.c_str(), value.c_str());
}

// The invisible button that owns the pointer over a chart, and where the pointer is.
struct Pointer {
    bool hovered = false;
    bool clicked = false;
    ImVec2 at;
};
Pointer claim_pointer(const std::string& name, const ImVec2& origin, const ImVec2& size) {
    ImGui::SetCursorScreenPos(origin);
    Pointer pointer;
    pointer.clicked = ImGui::InvisibleButton(("##chart:" + name).c_str(), size);
    pointer.hovered = ImGui::IsItemHovered();
    pointer.at = ImGui::GetIO().MousePos;
    return pointer;
}

}  // namespace

void begin_chart(const ChartOptions& options, const ImVec2& size) {
    g_chart.options = &options;
    g_chart.origin = ImGui::GetCursorScreenPos();
    g_chart.size = resolve_size(size);
    g_chart.used = 0;
}

namespace {

void add_series(const char* label, const std::vector<double>& values, std::uint32_t color,
                SeriesKind kind) {
    if (g_chart.used == g_chart.series.size()) g_chart.series.emplace_back();
    Series& series = g_chart.series[g_chart.used++];
    series.label = label;
    series.values.assign(values.begin(), values.end());
    series.color = color;
    series.kind = kind;
}

}  // namespace

void plot_bars(const char* label, const std::vector<double>& values, std::uint32_t color) {
    add_series(label, values, color, SeriesKind::Bars);
}

void plot_line(const char* label, const std::vector<double>& values, std::uint32_t color) {
    add_series(label, values, color, SeriesKind::Line);
}

void plot_target_line(const char* label, const std::vector<double>& values, std::uint32_t color) {
    add_series(label, values, color, SeriesKind::Target);
}

ChartHit end_chart() {
    ChartHit hit;
    const ChartOptions& options = *g_chart.options;
    const ImVec2 origin = g_chart.origin, size = g_chart.size;
    const Box outer{origin.x, origin.y, origin.x + size.x, origin.y + size.y};
    if (!ImGui::IsRectVisible(size)) {
        ImGui::Dummy(size);
        return hit;
    }
    add_rect(options.rects, "chart:" + options.name, outer);

    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float font = ImGui::GetFontSize();
    const int categories = static_cast<int>(options.categories.size());

    g_chart.bars.clear();
    g_chart.lines.clear();
    g_chart.bar_series.clear();
    for (std::size_t i = 0; i < g_chart.used; ++i) {
        const Series& series = g_chart.series[i];
        if (series.kind == SeriesKind::Bars) {
            g_chart.bars.push_back(series.values);
            g_chart.bar_series.push_back(i);
        } else {
            g_chart.lines.push_back(series.values);
        }
    }

    Box area = outer;
    if (options.legend && g_chart.used > 0)
        area.y0 += draw_legend(draw, outer, g_chart.series, g_chart.used);
    area.y0 += font * 0.5f;
    area.y1 -= font + font * 0.5f;  // x labels

    const auto [lo, hi] = value_range(g_chart.bars, g_chart.lines, options.bar_mode);
    const int intervals = std::max(2, static_cast<int>(area.height() / (font * 2.4f)));
    const Ticks ticks = nice_ticks(lo, hi, intervals, options.values.format == ValueFormat::Count);
    float label_width = 0;
    for (double value : ticks.values)
        label_width =
            std::max(label_width, ImGui::CalcTextSize(options.values.tick(value).c_str()).x);
    const Box plot{area.x0 + label_width + font * 0.6f, area.y0, area.x1 - font * 0.3f, area.y1};
    const Scale y{ticks.min, ticks.max, plot.y1, plot.y0};

    for (double value : ticks.values) {
        const float py = std::round(y.to_pixel(value)) + 0.5f;
        draw->AddLine(ImVec2(plot.x0, py), ImVec2(plot.x1, py),
                      with_alpha(p.text_muted, value == 0 ? 0.6f : 0.22f), 1.0f);
        const std::string text = options.values.tick(value);
        const float w = ImGui::CalcTextSize(text.c_str()).x;
        draw->AddText(ImVec2(plot.x0 - font * 0.4f - w, py - font / 2), p.text_muted, text.c_str());
    }

    const Pointer pointer = claim_pointer(options.name, origin, size);
    const std::vector<BarPlacement> placements =
        layout_bars(g_chart.bars, options.bar_mode, plot, y);
    if (pointer.hovered) hit.index = category_at(plot, categories, pointer.at.x, pointer.at.y);
    if (hit.hovered()) {
        const float slot = plot.width() / static_cast<float>(categories);
        const float left = plot.x0 + slot * static_cast<float>(hit.index);
        draw->AddRectFilled(ImVec2(left, plot.y0), ImVec2(left + slot, plot.y1),
                            with_alpha(p.accent, 0.08f), 4.0f);
        const int bar = bar_at(placements, pointer.at.x, pointer.at.y);
        if (bar >= 0) hit.series = placements[static_cast<std::size_t>(bar)].series;
        hit.clicked = pointer.clicked;
    }

    const float rounding = std::min(font * 0.2f, 3.0f);
    for (const BarPlacement& bar : placements) {
        const Series& series =
            g_chart.series[g_chart.bar_series[static_cast<std::size_t>(bar.series)]];
        const bool highlighted = hit.index == bar.index;
        const std::uint32_t colour =
            highlighted || !hit.hovered() ? series.color : with_alpha(series.color, 0.75f);
        const ImDrawFlags corners =
            bar.value >= 0 ? ImDrawFlags_RoundCornersTop : ImDrawFlags_RoundCornersBottom;
        if (bar.box.height() > 0)
            draw->AddRectFilled(ImVec2(bar.box.x0, bar.box.y0), ImVec2(bar.box.x1, bar.box.y1),
                                colour, options.bar_mode == BarMode::Stacked ? 0 : rounding,
                                corners);
        std::string name = "bar:";
        name += options.name;
        name += ':';
        name += std::to_string(bar.index);
        if (bar.series > 0) {
            name += ':';
            name += std::to_string(bar.series);
        }
        add_rect(options.rects, std::move(name), bar.box);
    }

    for (std::size_t i = 0; i < g_chart.used; ++i) {
        const Series& series = g_chart.series[i];
        if (series.kind == SeriesKind::Bars || series.values.empty()) continue;
        const int count = static_cast<int>(series.values.size());
        const float thickness = std::max(2.0f, font * 0.14f);
        for (int k = 0; k + 1 < count; ++k) {
            const ImVec2 a(category_center(plot, categories, k),
                           y.to_pixel(series.values[static_cast<std::size_t>(k)]));
            const ImVec2 b(category_center(plot, categories, k + 1),
                           y.to_pixel(series.values[static_cast<std::size_t>(k + 1)]));
            if (series.kind == SeriesKind::Target)
                dashed_line(draw, a, b, series.color, thickness, font * 0.45f);
            else
                draw->AddLine(a, b, series.color, thickness);
        }
        if (series.kind == SeriesKind::Target && count == 1) {
            // A single target spans its whole slot, so it still reads as a goal line.
            const float py = y.to_pixel(series.values[0]);
            dashed_line(draw, ImVec2(plot.x0, py), ImVec2(plot.x1, py), series.color, thickness,
                        font * 0.45f);
        }
        if (series.kind == SeriesKind::Line)
            for (int k = 0; k < count; ++k)
                draw->AddCircleFilled(
                    ImVec2(category_center(plot, categories, k),
                           y.to_pixel(series.values[static_cast<std::size_t>(k)])),
                    thickness * (k == hit.index ? 2.2f : 1.4f), series.color);
    }

    if (categories > 0) {
        float widest = 0;
        for (const std::string& label : options.categories)
            widest = std::max(widest, ImGui::CalcTextSize(label.c_str()).x);
        const float slot = plot.width() / static_cast<float>(categories);
        const int stride = label_stride(categories, slot, widest);
        float drawn_until = -std::numeric_limits<float>::max();
        for (int i = 0; i < categories; i += stride) {
            const std::string& label = options.categories[static_cast<std::size_t>(i)];
            const float w = ImGui::CalcTextSize(label.c_str()).x;
            const float x = category_label_x(category_center(plot, categories, i), w, outer.x0,
                                             outer.x1, drawn_until, font * 0.5f);
            drawn_until = x + w;
            draw->AddText(ImVec2(x, plot.y1 + font * 0.35f), i == hit.index ? p.text : p.text_muted,
                          label.c_str());
        }
    }

    if (hit.hovered()) {
        const std::size_t index = static_cast<std::size_t>(hit.index);
        std::string first_value;
        if (g_chart.used > 0 && index < g_chart.series[0].values.size())
            first_value = options.values.exact(g_chart.series[0].values[index]);
        begin_tooltip_rects(options, hit.index, first_value);
        ImGui::TextUnformatted(options.categories[index].c_str());
        for (std::size_t i = 0; i < g_chart.used; ++i) {
            const Series& series = g_chart.series[i];
            if (index >= series.values.size()) continue;
            tooltip_line(series.color, series.kind, series.label,
                         options.values.exact(series.values[index]));
        }
        ImGui::EndTooltip();
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return hit;
}

ChartHit funnel_chart(const ChartOptions& options, const ImVec2& requested,
                      const std::vector<FunnelStep>& steps) {
    ChartHit hit;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size = resolve_size(requested);
    if (!ImGui::IsRectVisible(size) || steps.empty()) {
        ImGui::Dummy(size);
        return hit;
    }
    const Box outer{origin.x, origin.y, origin.x + size.x, origin.y + size.y};
    add_rect(options.rects, "chart:" + options.name, outer);
    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float font = ImGui::GetFontSize();

    float label_width = 0;
    for (const FunnelStep& step : steps)
        label_width = std::max(label_width, ImGui::CalcTextSize(step.label.c_str()).x);
    label_width = std::min(label_width + font, size.x * 0.3f);
    const float conversion_width = ImGui::CalcTextSize("100% moved on").x + font;
    const Box bands_area{outer.x0 + label_width, outer.y0, outer.x1 - conversion_width, outer.y1};
    std::vector<double> counts;
    counts.reserve(steps.size());
    for (const FunnelStep& step : steps) counts.push_back(step.count);
    const float gap = std::max(2.0f, font * 0.25f);
    const std::vector<Box> bands = layout_funnel(counts, bands_area, gap);

    const Pointer pointer = claim_pointer(options.name, origin, size);
    if (pointer.hovered)
        for (std::size_t i = 0; i < bands.size(); ++i)
            if (pointer.at.y >= bands[i].y0 && pointer.at.y < bands[i].y1 + gap)
                hit.index = static_cast<int>(i);
    hit.clicked = hit.hovered() && pointer.clicked;

    for (std::size_t i = 0; i < steps.size(); ++i) {
        const FunnelStep& step = steps[i];
        const Box& band = bands[i];
        const bool highlighted = hit.index == static_cast<int>(i);
        const std::uint32_t base = step.color ? step.color : series_color(0);
        const std::uint32_t colour = highlighted || !hit.hovered() ? base : with_alpha(base, 0.7f);
        draw->AddRectFilled(ImVec2(band.x0, band.y0), ImVec2(band.x1, band.y1), colour,
                            std::min(font * 0.25f, 4.0f));
        add_rect(options.rects, "funnel-stage:" + step.label, band);

        const float mid = (band.y0 + band.y1) / 2;
        draw->PushClipRect(ImVec2(outer.x0, band.y0), ImVec2(bands_area.x0 - font * 0.3f, band.y1),
                           true);
        draw->AddText(ImVec2(outer.x0, mid - font / 2), highlighted ? p.accent : p.text,
                      step.label.c_str());
        draw->PopClipRect();

        const std::string inside = std::to_string(step.count) + "  ·  " +
                                   options.values.tick(static_cast<double>(step.value));
        const ImVec2 inside_size = ImGui::CalcTextSize(inside.c_str());
        const ImVec2 inside_at((band.x0 + band.x1 - inside_size.x) / 2, mid - font / 2);
        if (inside_size.x + font < band.width()) {
            draw->AddText(inside_at, text_on(base), inside.c_str());
        } else {
            draw->AddText(ImVec2(band.x1 + font * 0.4f, mid - font / 2), p.text_muted,
                          inside.c_str());
        }
        if (i + 1 < steps.size()) {
            char text[48];
            std::snprintf(text, sizeof text, "%.0f%% moved on", step.conversion * 100);
            const float w = ImGui::CalcTextSize(text).x;
            draw->AddText(ImVec2(outer.x1 - w, band.y1 + gap / 2 - font / 2), p.text_muted, text);
        }
    }

    if (hit.hovered()) {
        const FunnelStep& step = steps[static_cast<std::size_t>(hit.index)];
        ValueFormatter count{ValueFormat::Count, options.values.currency};
        ValueFormatter rate{ValueFormat::Percent, options.values.currency};
        begin_tooltip_rects(options, hit.index, count.exact(step.count));
        ImGui::TextUnformatted(step.label.c_str());
        ImGui::Text("Entered: %s deals", count.exact(step.count).c_str());
        ImGui::Text("Value: %s", options.values.exact(static_cast<double>(step.value)).c_str());
        ImGui::Text("Moved on or won: %s (%s)", count.exact(step.advanced).c_str(),
                    rate.exact(step.conversion).c_str());
        ImGui::Text("Lost here: %s", count.exact(step.lost).c_str());
        ImGui::TextDisabled("Click to see these deals on the board");
        ImGui::EndTooltip();
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return hit;
}

ChartHit donut_chart(const ChartOptions& options, const ImVec2& requested,
                     const std::vector<double>& values) {
    ChartHit hit;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size = resolve_size(requested);
    if (!ImGui::IsRectVisible(size)) {
        ImGui::Dummy(size);
        return hit;
    }
    const Box outer{origin.x, origin.y, origin.x + size.x, origin.y + size.y};
    add_rect(options.rects, "chart:" + options.name, outer);
    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float font = ImGui::GetFontSize();

    const float radius = std::max(font, std::min(size.y, size.x * 0.45f) / 2 - font * 0.3f);
    const float inner = radius * 0.6f;
    const ImVec2 centre(outer.x0 + radius + font * 0.3f, outer.y0 + size.y / 2);
    const auto slices = layout_donut(values);
    double total = 0;
    for (double value : values) total += std::max(0.0, value);

    const Pointer pointer = claim_pointer(options.name, origin, size);
    if (pointer.hovered)
        hit.index = slice_at(slices, centre.x, centre.y, inner, radius, pointer.at.x, pointer.at.y);

    // Legend rows double as targets, since thin slices are hard to point at.
    const float legend_x = centre.x + radius + font;
    const float row = font * 1.35f;
    const float legend_top = centre.y - row * static_cast<float>(values.size()) / 2;
    if (pointer.hovered && hit.index < 0 && pointer.at.x >= legend_x) {
        const int row_index = static_cast<int>(std::floor((pointer.at.y - legend_top) / row));
        if (row_index >= 0 && row_index < static_cast<int>(values.size())) hit.index = row_index;
    }
    hit.clicked = hit.hovered() && pointer.clicked;

    if (total <= 0) {
        draw->AddCircle(centre, (radius + inner) / 2, with_alpha(p.text_muted, 0.3f), 0,
                        radius - inner);
    }
    for (std::size_t i = 0; i < slices.size(); ++i) {
        const auto [start, end] = slices[i];
        if (end <= start) continue;
        const bool highlighted = hit.index == static_cast<int>(i);
        const float grow = highlighted ? font * 0.25f : 0;
        draw->PathArcTo(centre, (radius + inner) / 2 + grow / 2, start, end,
                        std::max(8, static_cast<int>((end - start) * radius / 3)));
        draw->PathStroke(series_color(static_cast<int>(i)), ImDrawFlags_None,
                         radius - inner + grow);
        const float mid = (start + end) / 2;
        const float r = (radius + inner) / 2;
        const Box near_label{centre.x + std::cos(mid) * r - 2, centre.y + std::sin(mid) * r - 2,
                             centre.x + std::cos(mid) * r + 2, centre.y + std::sin(mid) * r + 2};
        add_rect(options.rects, "slice:" + options.name + ":" + std::to_string(i), near_label);
    }
    const std::string total_text = options.values.tick(total);
    const ImVec2 total_size = ImGui::CalcTextSize(total_text.c_str());
    draw->AddText(ImVec2(centre.x - total_size.x / 2, centre.y - total_size.y / 2), p.text,
                  total_text.c_str());

    for (std::size_t i = 0; i < values.size() && i < options.categories.size(); ++i) {
        const float top = legend_top + row * static_cast<float>(i);
        if (top < outer.y0 - row || top > outer.y1) continue;
        draw->AddRectFilled(ImVec2(legend_x, top + font * 0.2f),
                            ImVec2(legend_x + font * 0.7f, top + font * 0.9f),
                            series_color(static_cast<int>(i)), 2.0f);
        char share[16];
        std::snprintf(share, sizeof share, "%.0f%%", total > 0 ? values[i] / total * 100 : 0.0);
        const std::string text =
            options.categories[i] + "  " + options.values.tick(values[i]) + "  " + share;
        draw->PushClipRect(ImVec2(legend_x, outer.y0), ImVec2(outer.x1, outer.y1), true);
        draw->AddText(ImVec2(legend_x + font, top),
                      hit.index == static_cast<int>(i) ? p.text : p.text_muted, text.c_str());
        draw->PopClipRect();
    }

    if (hit.hovered() && static_cast<std::size_t>(hit.index) < options.categories.size()) {
        const std::size_t index = static_cast<std::size_t>(hit.index);
        begin_tooltip_rects(options, hit.index, options.values.exact(values[index]));
        ImGui::TextUnformatted(options.categories[index].c_str());
        ValueFormatter rate{ValueFormat::Percent, options.values.currency};
        ImGui::Text("%s (%s of the total)", options.values.exact(values[index]).c_str(),
                    rate.exact(total > 0 ? values[index] / total : 0).c_str());
        ImGui::EndTooltip();
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return hit;
}

}  // namespace pb::ui::charts

// The dashboard recomputes its numbers only when what they depend on changes (a cheap pass over
// record timestamps tells), so a 100,000-deal workspace costs one metrics pass per edit, not per
// frame. Panels flow in two columns that become one on narrow windows.
#include "ui/dashboard_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>

#include "core/csv.hpp"
#include "ui/charts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

using charts::ChartOptions;
using charts::ValueFormat;

constexpr std::array<const char*, 5> kPresetNames = {"This week", "This month", "This quarter",
                                                     "This year", "Custom range"};
constexpr std::size_t kTrendMonths = 12;

const char* preset_name(PeriodPreset preset) {
    return kPresetNames[static_cast<std::size_t>(preset)];
}

Day today_of(Timestamp now) { return day_of(now); }

DayPeriod chosen_period(const DashboardState& state, Timestamp now) {
    return preset_period(state.preset, today_of(now), state.custom);
}

// What the cached numbers depend on: the filter, the day, and the workspace's change counter or,
// without one, every record's last change (an edit, undo or merge always stamps `updated`, and
// a count catches additions and removals).
std::string cache_key(const Workspace& ws, std::uint64_t version, const DashboardState& state,
                      Timestamp now) {
    std::int64_t stamp = static_cast<std::int64_t>(version);
    if (version == 0) {
        for (const Deal& deal : ws.deals) stamp += deal.meta.updated;
        for (const Target& target : ws.targets) stamp += target.meta.updated;
        for (const Stage& stage : ws.stages) stamp += stage.meta.updated;
        for (const Rep& rep : ws.reps) stamp += rep.meta.updated;
        for (const Activity& activity : ws.activities) stamp += activity.meta.updated;
    }
    const DayPeriod period = chosen_period(state, now);
    const MetricsFilter& f = state.filter;
    std::string key;
    key.reserve(160);
    for (std::int64_t part :
         {static_cast<std::int64_t>(ws.deals.size()), static_cast<std::int64_t>(ws.history.size()),
          static_cast<std::int64_t>(ws.targets.size()),
          static_cast<std::int64_t>(ws.activities.size()), stamp,
          static_cast<std::int64_t>(period.from), static_cast<std::int64_t>(period.to),
          static_cast<std::int64_t>(state.compare), static_cast<std::int64_t>(state.forecast_by),
          now / 60}) {
        key += std::to_string(part);
        key += '|';
    }
    key += f.pipeline_id + '|' + f.owner_id + '|' + f.lead_source + '|' + f.industry;
    return key;
}

std::string rep_name(const Workspace& ws, const Id& rep_id) {
    for (const Rep& rep : ws.reps)
        if (rep.meta.id == rep_id) return rep.name;
    return rep_id.empty() ? "The team" : rep_id;
}

// The deal and stage a stagnant row names; null when the list was made from another workspace
// than the one on screen (an import or a switch clicked earlier in the frame).
struct StagnantRecords {
    const Deal* deal = nullptr;
    const Stage* stage = nullptr;
};
StagnantRecords stagnant_records(const Workspace& ws, const StagnantDeal& row) {
    if (row.deal >= ws.deals.size() || row.stage >= ws.stages.size()) return {};
    return {&ws.deals[row.deal], &ws.stages[row.stage]};
}

// "this quarter", "from 2026-10-01 to 2026-11-15": what the chosen period is, for sentences.
std::string period_words(const DashboardContext& context) {
    const DashboardState& state = context.state;
    if (state.preset == PeriodPreset::Custom) {
        const DayPeriod period = chosen_period(state, context.now);
        return "from " + format_day(period.from) + " to " + format_day(period.to);
    }
    std::string words = preset_name(state.preset);
    words[0] = 't';
    return words;
}

std::string percent_text(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", ratio * 100);
    return text;
}

std::string days_text(double days) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f days", days);
    return text;
}

// "+12% vs previous" in green or "-4% ..." in red; "no previous data" when there is no base.
void draw_change(double current, double previous) {
    const std::optional<double> change = relative_change(current, previous);
    if (!change) {
        ImGui::TextDisabled("no previous data");
        return;
    }
    const Palette& p = palette();
    const bool up = *change >= 0;
    char text[64];
    std::snprintf(text, sizeof text, "%s %.0f%% vs previous", up ? "+" : "-",
                  std::abs(*change) * 100);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(up ? p.success : p.danger), "%s", text);
}

bool begin_card(const char* id, ImVec2 size) {
    const Palette& p = palette();
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(p.card));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(p.card_border));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 8.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14, 12));
    return ImGui::BeginChild(id, size,
                             ImGuiChildFlags_Border | ImGuiChildFlags_AlwaysUseWindowPadding,
                             ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
}

void end_card() {
    ImGui::EndChild();
    ImGui::PopStyleVar(3);
    ImGui::PopStyleColor(2);
}

void heading(const UiFonts& fonts, const char* text) {
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
}

// Lays panels out in one or two columns of equal width.
struct Grid {
    float width = 0;
    int columns = 1;
    float gap = 12;
    int placed = 0;
    float column_width() const {
        return (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    }
    void next() {
        if (placed % columns != 0) ImGui::SameLine(0, gap);
        ++placed;
    }
};

// A table a panel offers as CSV: the button's label and the table's name.
struct PanelDownload {
    const char* label;
    const char* table;
};

// The panel's CSV buttons, right-aligned on its heading line. Drawn after the panel's content,
// whose own heading-line widgets (SameLine after the title) must not be pushed aside.
void draw_panel_downloads(DashboardContext& context, std::initializer_list<PanelDownload> downloads,
                          ImVec2 heading_line) {
    if (!context.download_csv || downloads.size() == 0) return;
    const ImGuiStyle& style = ImGui::GetStyle();
    float width = 0;
    for (const PanelDownload& download : downloads)
        width +=
            ImGui::CalcTextSize(download.label).x + style.FramePadding.x * 2 + style.ItemSpacing.x;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::SetCursorScreenPos(ImVec2(right - width + style.ItemSpacing.x, heading_line.y));
    for (const PanelDownload& download : downloads) {
        if (&download != downloads.begin()) ImGui::SameLine();
        if (ImGui::SmallButton(download.label)) {
            const MetricsTable table =
                dashboard_panel_table(context.workspace, *context.state.numbers, download.table);
            context.download_csv(
                dashboard_file_name(context.state, context.now, download.table, "csv"),
                export_metrics_csv(table));
        }
        context.rects.add_last_item(std::string("csv:") + download.table);
        hover_tooltip("Download this table as CSV, for a spreadsheet");
    }
}

template <typename Draw>
void panel(Grid& grid, DashboardContext& context, const char* id, const char* title, float height,
           std::initializer_list<PanelDownload> downloads, Draw&& draw) {
    grid.next();
    if (begin_card(id, ImVec2(grid.column_width(), height))) {
        const ImVec2 heading_line = ImGui::GetCursorScreenPos();
        heading(context.fonts, title);
        draw();
        draw_panel_downloads(context, downloads, heading_line);
    }
    end_card();
    context.rects.add_last_item(std::string("panel:") + id);
}

void drill(DashboardContext& context, DealDrillDown request) {
    if (context.show_deals) context.show_deals(request);
}

void draw_toolbar(DashboardContext& context) {
    DashboardState& state = context.state;
    const Workspace& ws = context.workspace;
    const float font = ImGui::GetFontSize();

    ImGui::SetNextItemWidth(font * 8.5f);
    if (ImGui::BeginCombo("##period", preset_name(state.preset))) {
        for (std::size_t i = 0; i < kPresetNames.size(); ++i) {
            const auto preset = static_cast<PeriodPreset>(i);
            if (ImGui::Selectable(kPresetNames[i], state.preset == preset)) {
                if (preset == PeriodPreset::Custom && state.custom.to < state.custom.from)
                    state.custom = chosen_period(state, context.now);
                state.preset = preset;
            }
        }
        ImGui::EndCombo();
    }
    context.rects.add_last_item("dashboard-period");
    if (state.preset == PeriodPreset::Custom) {
        for (Day* day : {&state.custom.from, &state.custom.to}) {
            ImGui::SameLine();
            std::string text = format_day(*day);
            ImGui::SetNextItemWidth(font * 6.5f);
            ImGui::PushID(day);
            if (ImGui::InputText(
                    "##day", &text,
                    ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll))
                if (const auto parsed = parse_day(text)) *day = *parsed;
            ImGui::PopID();
        }
    } else {
        ImGui::SameLine();
        const DayPeriod period = chosen_period(state, context.now);
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s to %s", format_day(period.from).c_str(),
                            format_day(period.to).c_str());
    }
    ImGui::SameLine();
    ImGui::Checkbox("Compare with previous", &state.compare);
    context.rects.add_last_item("dashboard-compare");

    const auto filter_combo = [&](const char* id, const char* all, std::string& value,
                                  const std::vector<std::pair<std::string, std::string>>& options) {
        ImGui::SameLine();
        std::string shown = all;
        for (const auto& [key, label] : options)
            if (key == value) shown = label;
        ImGui::SetNextItemWidth(font * 8);
        if (ImGui::BeginCombo(id, shown.c_str())) {
            if (ImGui::Selectable(all, value.empty())) value.clear();
            for (const auto& [key, label] : options)
                if (ImGui::Selectable(label.c_str(), value == key)) value = key;
            ImGui::EndCombo();
        }
        context.rects.add_last_item(std::string("dashboard-filter:") + (id + 2));
    };
    std::vector<std::pair<std::string, std::string>> options;
    for (const Pipeline& pipeline : ws.pipelines)
        if (!pipeline.meta.deleted) options.emplace_back(pipeline.meta.id, pipeline.name);
    if (options.size() > 1)
        filter_combo("##pipeline", "First pipeline", state.filter.pipeline_id, options);
    options.clear();
    for (const Rep& rep : ws.reps)
        if (!rep.meta.deleted) options.emplace_back(rep.meta.id, rep.name);
    filter_combo("##owner", "All reps", state.filter.owner_id, options);
    options.clear();
    for (const std::string& source : ws.lists.lead_sources) options.emplace_back(source, source);
    filter_combo("##source", "All sources", state.filter.lead_source, options);
    options.clear();
    for (const std::string& industry : ws.lists.industries)
        options.emplace_back(industry, industry);
    filter_combo("##industry", "All industries", state.filter.industry, options);

    if (context.download_png) {
        ImGui::SameLine();
        if (ImGui::Button("Download PNG"))
            context.download_png(dashboard_file_name(state, context.now, "insights", "png"));
        context.rects.add_last_item("dashboard-export-png");
        hover_tooltip("The dashboard as you see it, as an image for a report or a slide");
    }
}

void draw_answers(DashboardContext& context, const DashboardNumbers& numbers, float width) {
    const MetricsSnapshot& m = numbers.current;
    const Currency& currency = context.workspace.currency;
    const float font = ImGui::GetFontSize();
    const float gap = 12;
    const bool stacked = width < font * 44;
    const float card_width = stacked ? width : (width - 2 * gap) / 3;
    const float height = font * 8.2f;

    struct Answer {
        const char* id;
        const char* question;
        std::string headline;
        std::string sentence;
    };
    std::string target_headline = m.target_pace.target > 0
                                      ? format_money_short(m.target_pace.won, currency) + " of " +
                                            format_money_short(m.target_pace.target, currency)
                                      : format_money_short(m.target_pace.won, currency) + " won";
    const Answer answers[] = {
        {"answer:target", "How soon will we reach our target?", std::move(target_headline),
         m.target_pace.sentence},
        {"answer:week", "How many deals will close this week?",
         std::to_string(m.closing_this_week.deals) + " deals · " +
             format_money_short(m.closing_this_week.value, currency),
         m.closing_this_week.sentence},
        {"answer:attention", "Which stage needs our attention?",
         m.stage_attention.name.empty() ? "None" : m.stage_attention.name,
         m.stage_attention.sentence.empty() ? "Every stage converts and moves at a healthy pace."
                                            : m.stage_attention.sentence},
    };
    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0 && !stacked) ImGui::SameLine(0, gap);
        if (begin_card(answers[i].id, ImVec2(card_width, height))) {
            ImGui::TextDisabled("%s", answers[i].question);
            ImGui::PushFont(context.fonts.large);
            ImGui::TextUnformatted(answers[i].headline.c_str());
            ImGui::PopFont();
            text_wrapped(answers[i].sentence);
        }
        end_card();
        context.rects.add_last_item(answers[i].id);
    }
    if (!m.stage_attention.stage_id.empty() && ImGui::IsItemClicked()) {
        DealDrillDown request;
        request.description = "Open deals in " + m.stage_attention.name;
        request.filter = numbers.filter;
        request.stage_id = m.stage_attention.stage_id;
        request.status = DealStatus::Open;
        drill(context, request);
    }
}

void draw_key_numbers(DashboardContext& context, const DashboardNumbers& numbers, float width) {
    const MetricsSnapshot& m = numbers.current;
    const Currency& currency = context.workspace.currency;
    const float font = ImGui::GetFontSize();
    const float gap = 12;
    const int per_row = width < font * 40 ? 2 : 5;
    const float tile_width =
        (width - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
    const bool compare = numbers.previous.has_value();
    const float height = font * (compare ? 5.4f : 4.2f);

    struct Tile {
        const char* id;
        const char* label;
        std::string value;
        double current, previous;
    };
    const Tile tiles[] = {
        {"kpi:won", "Won", format_money(m.win_rate.won_value, currency, true),
         static_cast<double>(m.win_rate.won_value),
         static_cast<double>(numbers.previous_closed.win_rate.won_value)},
        {"kpi:win-rate", "Win rate",
         percent_text(m.win_rate.by_count) + " of " +
             std::to_string(m.win_rate.won + m.win_rate.lost) + " closed",
         m.win_rate.by_count, numbers.previous_closed.win_rate.by_count},
        {"kpi:deal-size", "Average won deal", format_money(m.won_deal_size.average, currency, true),
         static_cast<double>(m.won_deal_size.average),
         static_cast<double>(numbers.previous_closed.won_deal_size.average)},
        {"kpi:cycle", "Sales cycle", days_text(m.cycle_time.average_days),
         m.cycle_time.average_days, numbers.previous_closed.cycle_time.average_days},
        {"kpi:coverage", "Pipeline coverage",
         m.coverage.remaining_target > 0 ? percent_text(m.coverage.ratio) + " of the rest"
                                         : "Target met",
         m.coverage.ratio, 0},
    };
    int index = 0;
    for (const Tile& tile : tiles) {
        if (index % per_row != 0) ImGui::SameLine(0, gap);
        if (begin_card(tile.id, ImVec2(tile_width, height))) {
            ImGui::TextDisabled("%s", tile.label);
            ImGui::PushFont(context.fonts.large);
            ImGui::TextUnformatted(tile.value.c_str());
            ImGui::PopFont();
            if (compare && std::string_view(tile.id) != "kpi:coverage")
                draw_change(tile.current, tile.previous);
        }
        end_card();
        context.rects.add_last_item(tile.id);
        ++index;
    }
}

ChartOptions options_for(DashboardContext& context, std::string name, ValueFormat format) {
    ChartOptions options;
    options.name = std::move(name);
    options.values.format = format;
    options.values.currency = context.workspace.currency;
    options.rects = &context.rects;
    return options;
}

void draw_funnel(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    const ChartOptions options = options_for(context, "funnel", ValueFormat::Money);
    std::vector<charts::FunnelStep> steps;
    steps.reserve(numbers.current.funnel.size());
    for (const StageConversion& stage : numbers.current.funnel) {
        std::uint32_t colour = 0;
        for (const Stage& s : context.workspace.stages)
            if (s.meta.id == stage.stage_id) colour = rgba_to_imgui(s.color);
        steps.push_back({stage.name, stage.entered, stage.entered_value, stage.advanced,
                         stage.lost_here, stage.conversion_to_next, colour});
    }
    if (steps.empty()) {
        ImGui::TextDisabled("This pipeline has no stages yet.");
        return;
    }
    const charts::ChartHit hit = charts::funnel_chart(options, ImVec2(-1, height), steps);
    if (hit.clicked) {
        const StageConversion& stage = numbers.current.funnel[static_cast<std::size_t>(hit.index)];
        DealDrillDown request;
        request.description = "Deals that entered " + stage.name + " " + period_words(context);
        request.filter = numbers.filter;
        request.deals = std::make_shared<const std::vector<Id>>(
            funnel_stage_deals(context.workspace, numbers.filter, stage.stage_id, context.index));
        drill(context, request);
    }
}

void draw_forecast(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    DashboardState& state = context.state;
    ImGui::SameLine();
    if (ImGui::SmallButton(state.forecast_by == TargetPeriod::Month ? "By month" : "By quarter"))
        state.forecast_by =
            state.forecast_by == TargetPeriod::Month ? TargetPeriod::Quarter : TargetPeriod::Month;
    context.rects.add_last_item("forecast-bucket");

    ChartOptions options = options_for(context, "forecast", ValueFormat::Money);
    std::vector<double> won, weighted, best, target;
    for (const ForecastBucket& bucket : numbers.forecast) {
        options.categories.push_back(charts::period_label(bucket.period_start, state.forecast_by));
        won.push_back(static_cast<double>(bucket.won));
        weighted.push_back(static_cast<double>(bucket.weighted));
        best.push_back(static_cast<double>(bucket.best_case));
        target.push_back(static_cast<double>(bucket.target));
    }
    const Palette& p = palette();
    charts::begin_chart(options, ImVec2(-1, height));
    charts::plot_bars("Won", won, p.success);
    charts::plot_bars("Weighted", weighted, charts::series_color(0));
    charts::plot_bars("Best case", best, charts::series_color(3));
    charts::plot_target_line("Target", target, p.warning);
    const charts::ChartHit hit = charts::end_chart();
    if (hit.clicked) {
        const ForecastBucket& bucket = numbers.forecast[static_cast<std::size_t>(hit.index)];
        DealDrillDown request;
        request.description =
            "Deals closing in " + options.categories[static_cast<std::size_t>(hit.index)];
        request.filter = numbers.filter;
        request.filter.from = bucket.period_start;
        request.filter.to =
            add_months(bucket.period_start, state.forecast_by == TargetPeriod::Quarter ? 3 : 1) - 1;
        request.close_from = request.filter.from;
        request.close_to = request.filter.to;
        drill(context, request);
    }
}

void draw_win_loss(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    ChartOptions trend = options_for(context, "win-rate", ValueFormat::Percent);
    std::vector<double> by_count, by_value;
    for (const WinRatePoint& point : numbers.win_trend) {
        trend.categories.push_back(
            charts::period_label(point.period_start, TargetPeriod::Month).substr(0, 3));
        by_count.push_back(point.rate.by_count);
        by_value.push_back(point.rate.by_value);
    }
    const float half = (ImGui::GetContentRegionAvail().x - 12) / 2;
    ImGui::BeginGroup();
    ImGui::TextDisabled("Win rate, last 12 months");
    charts::begin_chart(trend, ImVec2(half, height - ImGui::GetFrameHeight()));
    charts::plot_line("By count", by_count, charts::series_color(0));
    charts::plot_line("By value", by_value, charts::series_color(1));
    charts::end_chart();
    ImGui::EndGroup();
    ImGui::SameLine(0, 12);

    ImGui::BeginGroup();
    ImGui::TextDisabled("Lost reasons, this period");
    ChartOptions reasons = options_for(context, "lost-reasons", ValueFormat::Count);
    reasons.legend = false;
    std::vector<double> lost;
    for (const Breakdown& reason : numbers.lost_reasons) {
        reasons.categories.push_back(reason.key);
        lost.push_back(reason.lost);
    }
    if (lost.empty()) {
        ImGui::TextDisabled("No deals were lost in this period.");
    } else {
        charts::begin_chart(reasons, ImVec2(half, height - ImGui::GetFrameHeight()));
        charts::plot_bars("Deals lost", lost, palette().danger);
        const charts::ChartHit hit = charts::end_chart();
        if (hit.clicked) {
            DealDrillDown request;
            request.description = "Deals lost to " +
                                  reasons.categories[static_cast<std::size_t>(hit.index)] + " " +
                                  period_words(context);
            request.filter = numbers.filter;
            request.status = DealStatus::Lost;
            // "(none)" is how the breakdown shows deals lost without a reason.
            const std::string& key = numbers.lost_reasons[static_cast<std::size_t>(hit.index)].key;
            request.lost_reason = key == "(none)" ? std::string() : key;
            request.deals = std::make_shared<const std::vector<Id>>(lost_reason_deals(
                context.workspace, numbers.filter, request.lost_reason, context.index));
            drill(context, request);
        }
    }
    ImGui::EndGroup();
}

void draw_velocity(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    const MetricsSnapshot& m = numbers.current;
    ImGui::SameLine();
    ImGui::TextDisabled("  Average cycle %s over %d won deals",
                        days_text(m.cycle_time.average_days).c_str(), m.cycle_time.deals);
    const float half = (ImGui::GetContentRegionAvail().x - 12) / 2;

    ImGui::BeginGroup();
    ImGui::TextDisabled("Average days in each stage");
    ChartOptions stages = options_for(context, "time-in-stage", ValueFormat::Days);
    stages.legend = false;
    std::vector<double> days;
    for (const StageTime& stage : m.time_in_stage) {
        stages.categories.push_back(stage.name);
        days.push_back(stage.average_days);
    }
    charts::begin_chart(stages, ImVec2(half, height - ImGui::GetFrameHeight()));
    charts::plot_bars("Average time", days, charts::series_color(2));
    const charts::ChartHit hit = charts::end_chart();
    if (hit.clicked) {
        const StageTime& stage = m.time_in_stage[static_cast<std::size_t>(hit.index)];
        DealDrillDown request;
        request.description = "Open deals in " + stage.name;
        request.filter = numbers.filter;
        request.stage_id = stage.stage_id;
        request.status = DealStatus::Open;
        drill(context, request);
    }
    ImGui::EndGroup();
    ImGui::SameLine(0, 12);

    ImGui::BeginGroup();
    ImGui::TextDisabled(
        "Won deal sizes (median %s)",
        format_money(m.won_deal_size.median, context.workspace.currency, true).c_str());
    ChartOptions sizes = options_for(context, "deal-sizes", ValueFormat::Count);
    sizes.legend = false;
    std::vector<double> counts;
    for (const auto& [upper, count] : m.deal_size_histogram) {
        sizes.categories.push_back(format_money_short(upper, context.workspace.currency));
        counts.push_back(count);
    }
    charts::begin_chart(sizes, ImVec2(half, height - ImGui::GetFrameHeight()));
    charts::plot_bars("Won deals", counts, charts::series_color(3));
    charts::end_chart();
    ImGui::EndGroup();
}

// Narrow columns that fit their numbers, the name taking what is left, so a half-width panel
// shows every column whole.
constexpr ImGuiTableFlags kCompactTable = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                          ImGuiTableFlags_SizingFixedFit |
                                          ImGuiTableFlags_BordersInnerH;

void breakdown_table(const char* id, const char* key_title, const std::vector<Breakdown>& rows,
                     const Currency& currency, float height,
                     const std::function<void(const Breakdown&)>& on_click) {
    if (!ImGui::BeginTable(id, 5, kCompactTable, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(key_title, ImGuiTableColumnFlags_WidthStretch);
    // New business (deals created in the period) beside what closed in it.
    ImGui::TableSetupColumn("Deals");
    ImGui::TableSetupColumn("Value");
    ImGui::TableSetupColumn("Won");
    ImGui::TableSetupColumn("Win %");
    ImGui::TableHeadersRow();
    for (const Breakdown& row : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (ImGui::Selectable(row.key.c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
            on_click(row);
        ImGui::TableNextColumn();
        ImGui::Text("%d", row.deals);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_money_short(row.value, currency).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_money_short(row.won_value, currency).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(percent_text(row.win_rate).c_str());
    }
    ImGui::EndTable();
}

void draw_sources(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    const MetricsSnapshot& m = numbers.current;
    const float donut_width = (ImGui::GetContentRegionAvail().x - 12) * 0.48f;
    ChartOptions donut = options_for(context, "sources", ValueFormat::Money);
    std::vector<double> values;
    for (const Breakdown& row : m.by_lead_source) {
        donut.categories.push_back(row.key);
        values.push_back(static_cast<double>(row.value));
    }
    ImGui::BeginGroup();
    ImGui::TextDisabled("New business by lead source");
    const charts::ChartHit hit =
        charts::donut_chart(donut, ImVec2(donut_width, height - ImGui::GetFrameHeight()), values);
    ImGui::EndGroup();
    const auto show = [&](const std::string& description, MetricsFilter filter) {
        DealDrillDown request;
        request.description = description;
        request.filter = std::move(filter);
        drill(context, request);
    };
    const auto key_or_empty = [](const std::string& key) {
        return key == "(none)" ? std::string() : key;
    };
    if (hit.clicked) {
        MetricsFilter filter = numbers.filter;
        filter.lead_source =
            key_or_empty(m.by_lead_source[static_cast<std::size_t>(hit.index)].key);
        show("Deals from " + donut.categories[static_cast<std::size_t>(hit.index)], filter);
    }
    ImGui::SameLine(0, 12);
    ImGui::BeginGroup();
    // One table at a time: two stacked in a short panel would show two rows each.
    bool& industries = context.state.industry_table;
    if (ImGui::RadioButton("By lead source", !industries)) industries = false;
    context.rects.add_last_item("sources-table:source");
    ImGui::SameLine();
    if (ImGui::RadioButton("By industry", industries)) industries = true;
    context.rects.add_last_item("sources-table:industry");
    const float table_height = height - ImGui::GetFrameHeightWithSpacing() - 2;
    if (industries) {
        breakdown_table("industries-table", "Industry", numbers.current.by_industry,
                        context.workspace.currency, table_height, [&](const Breakdown& row) {
                            MetricsFilter filter = numbers.filter;
                            filter.industry = key_or_empty(row.key);
                            show("Deals in " + row.key, filter);
                        });
    } else {
        breakdown_table("sources-table", "Lead source", m.by_lead_source,
                        context.workspace.currency, table_height, [&](const Breakdown& row) {
                            MetricsFilter filter = numbers.filter;
                            filter.lead_source = key_or_empty(row.key);
                            show("Deals from " + row.key, filter);
                        });
    }
    ImGui::EndGroup();
}

void draw_target_editor(DashboardContext& context, const DashboardNumbers& numbers) {
    DashboardState& state = context.state;
    const Workspace& ws = context.workspace;
    const float font = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Set a target:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(font * 8);
    if (ImGui::BeginCombo("##target-rep", rep_name(ws, state.target_rep_id).c_str())) {
        if (ImGui::Selectable("The team", state.target_rep_id.empty())) state.target_rep_id.clear();
        for (const Rep& rep : ws.reps)
            if (!rep.meta.deleted &&
                ImGui::Selectable(rep.name.c_str(), state.target_rep_id == rep.meta.id))
                state.target_rep_id = rep.meta.id;
        ImGui::EndCombo();
    }
    context.rects.add_last_item("target-rep");
    ImGui::SameLine();
    const bool month = state.target_period == TargetPeriod::Month;
    const Day start =
        month ? start_of_month(numbers.period.from) : start_of_quarter(numbers.period.from);
    const std::string period_text = charts::period_label(start, state.target_period);
    ImGui::SetNextItemWidth(font * 7);
    if (ImGui::BeginCombo("##target-period", period_text.c_str())) {
        if (ImGui::Selectable("Month", month)) state.target_period = TargetPeriod::Month;
        if (ImGui::Selectable("Quarter", !month)) state.target_period = TargetPeriod::Quarter;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(font * 7);
    const Money current = target_for(ws, state.target_rep_id, start, state.target_period);
    const std::string hint = format_money(current, ws.currency, true);
    ImGui::InputTextWithHint("##target-amount", hint.c_str(), &state.target_amount);
    context.rects.add_last_item("target-amount");
    ImGui::SameLine();
    ImGui::BeginDisabled(!context.apply);
    if (ImGui::Button("Save target")) {
        const std::optional<Money> amount = parse_money(state.target_amount, ws.currency);
        if (!amount || *amount < 0) {
            state.message = "Type the target as an amount, like 50,000.";
        } else {
            Target target;
            target.rep_id = state.target_rep_id;
            target.period = state.target_period;
            target.period_start = start;
            target.amount = *amount;
            const CommandResult result = context.apply(cmd::SetTarget{target}, context.now);
            state.message = result.ok ? "Target for " + rep_name(ws, state.target_rep_id) + " in " +
                                            period_text + " set to " +
                                            format_money(*amount, ws.currency, true) + "."
                                      : result.error;
            if (result.ok) state.target_amount.clear();
        }
    }
    ImGui::EndDisabled();
    context.rects.add_last_item("target-save");
    if (!state.message.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", state.message.c_str());
    }
}

void draw_team(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    const MetricsSnapshot& m = numbers.current;
    const Currency& currency = context.workspace.currency;
    draw_target_editor(context, numbers);
    const float inner = height - ImGui::GetFrameHeightWithSpacing();
    // The table gets the larger share: six columns of names and numbers.
    const float chart_width = (ImGui::GetContentRegionAvail().x - 12) * 0.36f;
    const float table_width = ImGui::GetContentRegionAvail().x - 12 - chart_width;

    ChartOptions options = options_for(context, "team", ValueFormat::Money);
    std::vector<double> won, target, pipeline;
    for (const RepPerformance& rep : m.reps) {
        options.categories.push_back(rep.name);
        won.push_back(static_cast<double>(rep.won_value));
        target.push_back(static_cast<double>(rep.target));
        pipeline.push_back(static_cast<double>(rep.weighted_pipeline));
    }
    const Palette& p = palette();
    charts::begin_chart(options, ImVec2(chart_width, inner));
    charts::plot_bars("Won", won, p.success);
    charts::plot_bars("Target", target, charts::series_color(7));
    charts::plot_bars("Weighted pipeline", pipeline, charts::series_color(0));
    const charts::ChartHit hit = charts::end_chart();
    if (hit.clicked) {
        const RepPerformance& rep = m.reps[static_cast<std::size_t>(hit.index)];
        DealDrillDown request;
        request.description = rep.name + "'s deals";
        request.filter = numbers.filter;
        request.filter.owner_id = rep.rep_id;
        drill(context, request);
    }
    ImGui::SameLine(0, 12);
    if (ImGui::BeginTable("team-table", 7, kCompactTable, ImVec2(table_width, inner))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Rep", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Won");
        ImGui::TableSetupColumn("%");
        ImGui::TableSetupColumn("Target");
        ImGui::TableSetupColumn("Pipeline");
        ImGui::TableSetupColumn("Done");
        ImGui::TableSetupColumn("Overdue");
        ImGui::TableHeadersRow();
        for (const RepPerformance& rep : m.reps) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(rep.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_money_short(rep.won_value, currency).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(percent_text(rep.attainment).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_money_short(rep.target, currency).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_money_short(rep.open_pipeline, currency).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", rep.activities_done);
            ImGui::TableNextColumn();
            if (rep.activities_overdue > 0)
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().danger), "%d",
                                   rep.activities_overdue);
            else
                ImGui::TextDisabled("0");
        }
        ImGui::EndTable();
    }
}

void draw_stagnant(DashboardContext& context, const DashboardNumbers& numbers, float height) {
    if (numbers.stagnant.empty()) {
        ImGui::TextDisabled("No deal has been idle past its stage's limit.");
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH;
    if (!ImGui::BeginTable("stagnant-table", 5, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Deal", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Stage", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn("Days in stage");
    ImGui::TableSetupColumn("Limit");
    ImGui::TableSetupColumn("");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(numbers.stagnant.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const StagnantDeal& row = numbers.stagnant[static_cast<std::size_t>(i)];
            const StagnantRecords records = stagnant_records(context.workspace, row);
            if (!records.deal) continue;
            ImGui::PushID(i);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(records.deal->title.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(records.stage->name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().warning), "%d",
                               row.days_in_stage);
            ImGui::TableNextColumn();
            ImGui::Text("%d", row.rotting_days);
            ImGui::TableNextColumn();
            if (ImGui::SmallButton("Open")) {
                DealDrillDown request;
                request.description = records.deal->title;
                request.deal_id = records.deal->meta.id;
                drill(context, request);
            }
            context.rects.add_last_item("stagnant-open:" + records.deal->meta.id);
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

}  // namespace

DashboardNumbers compute_dashboard_numbers(const Workspace& ws, const DashboardState& state,
                                           Timestamp now, const WorkspaceIndex* index) {
    DashboardNumbers numbers;
    const Day today = today_of(now);
    numbers.period = chosen_period(state, now);
    numbers.filter = state.filter;
    numbers.filter.from = numbers.period.from;
    numbers.filter.to = numbers.period.to;

    DashboardQuery query;
    query.filter = numbers.filter;
    if (state.compare) {
        numbers.previous = previous_period(state.preset, numbers.period);
        query.previous = numbers.previous;
    }
    // The forecast looks ahead from the period's start: six months, or four quarters.
    query.forecast_by = state.forecast_by;
    if (state.forecast_by == TargetPeriod::Month) {
        query.forecast_span = {
            start_of_month(numbers.period.from),
            std::max(numbers.period.to, add_months(start_of_month(today), 6) - 1)};
    } else {
        query.forecast_span = {
            start_of_quarter(numbers.period.from),
            std::max(numbers.period.to, add_months(start_of_quarter(today), 12) - 1)};
    }
    query.trend_by = TargetPeriod::Month;
    query.trend_last_day = today;
    query.trend_buckets = static_cast<int>(kTrendMonths);

    DashboardMetrics counted = dashboard_metrics(ws, query, now, index);
    numbers.current = std::move(counted.current);
    if (counted.previous) numbers.previous_closed = *counted.previous;
    numbers.forecast = std::move(counted.forecast);
    numbers.win_trend = std::move(counted.win_trend);
    numbers.lost_reasons = numbers.current.by_lost_reason;
    std::stable_sort(numbers.lost_reasons.begin(), numbers.lost_reasons.end(),
                     [](const Breakdown& a, const Breakdown& b) { return a.lost > b.lost; });
    numbers.stagnant = std::move(counted.stagnant);
    return numbers;
}

MetricsTable dashboard_panel_table(const Workspace& ws, const DashboardNumbers& numbers,
                                   std::string_view table) {
    const Currency& c = ws.currency;
    const MetricsSnapshot& m = numbers.current;
    const auto breakdown_rows = [&](const char* key, const std::vector<Breakdown>& rows) {
        MetricsTable out{{key, "new deals", "new value", "won value", "win rate %"}, {}};
        for (const Breakdown& row : rows)
            out.rows.push_back({row.key, std::to_string(row.deals), plain_money(row.value, c),
                                plain_money(row.won_value, c), plain_percent(row.win_rate)});
        return out;
    };
    if (table == "funnel") {
        MetricsTable out{
            {"stage", "entered", "entered value", "advanced", "lost here", "conversion to next %"},
            {}};
        for (const StageConversion& row : m.funnel)
            out.rows.push_back({row.name, std::to_string(row.entered),
                                plain_money(row.entered_value, c), std::to_string(row.advanced),
                                std::to_string(row.lost_here),
                                plain_percent(row.conversion_to_next)});
        return out;
    }
    if (table == "forecast") {
        MetricsTable out{{"period start", "won", "weighted", "best case", "target"}, {}};
        for (const ForecastBucket& row : numbers.forecast)
            out.rows.push_back({format_day(row.period_start), plain_money(row.won, c),
                                plain_money(row.weighted, c), plain_money(row.best_case, c),
                                plain_money(row.target, c)});
        return out;
    }
    if (table == "lost-reasons") {
        MetricsTable out{{"lost reason", "deals lost", "lost value"}, {}};
        for (const Breakdown& row : numbers.lost_reasons)
            out.rows.push_back({row.key, std::to_string(row.lost), plain_money(row.value, c)});
        return out;
    }
    if (table == "sources") return breakdown_rows("lead source", m.by_lead_source);
    if (table == "industries") return breakdown_rows("industry", numbers.current.by_industry);
    if (table == "team") {
        MetricsTable out{{"rep", "won", "attainment %", "target", "open pipeline",
                          "weighted pipeline", "activities done", "activities overdue"},
                         {}};
        for (const RepPerformance& row : m.reps)
            out.rows.push_back(
                {row.name, plain_money(row.won_value, c), plain_percent(row.attainment),
                 plain_money(row.target, c), plain_money(row.open_pipeline, c),
                 plain_money(row.weighted_pipeline, c), std::to_string(row.activities_done),
                 std::to_string(row.activities_overdue)});
        return out;
    }
    if (table == "stagnant") {
        MetricsTable out{{"deal", "stage", "days in stage", "limit"}, {}};
        for (const StagnantDeal& row : numbers.stagnant) {
            const StagnantRecords records = stagnant_records(ws, row);
            if (!records.deal) continue;
            out.rows.push_back({records.deal->title, records.stage->name,
                                std::to_string(row.days_in_stage),
                                std::to_string(row.rotting_days)});
        }
        return out;
    }
    return {};
}

std::string dashboard_file_name(const DashboardState& state, Timestamp now, std::string_view what,
                                std::string_view extension) {
    std::string period;
    if (state.preset == PeriodPreset::Custom) {
        const DayPeriod days = chosen_period(state, now);
        period = format_day(days.from) + "-to-" + format_day(days.to);
    } else {
        for (const char ch : std::string_view(preset_name(state.preset)))
            period +=
                ch == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return "pipeboard-" + std::string(what) + "-" + period + "-" + format_day(today_of(now)) + "." +
           std::string(extension);
}

void draw_dashboard(DashboardContext& context) {
    DashboardState& state = context.state;
    const std::string key =
        cache_key(context.workspace, context.workspace_version, state, context.now);
    if (!state.numbers || key != state.key) {
        state.numbers = std::make_shared<const DashboardNumbers>(
            compute_dashboard_numbers(context.workspace, state, context.now, context.index));
        state.key = key;
    }
    // Held by value of the pointer: a click below may replace the cache mid-frame.
    const std::shared_ptr<const DashboardNumbers> numbers = state.numbers;

    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::BeginChild("dashboard", avail, ImGuiChildFlags_None);
    context.rects.add_last_item("dashboard");
    draw_toolbar(context);
    ImGui::Spacing();

    const float width = ImGui::GetContentRegionAvail().x;
    const float font = ImGui::GetFontSize();
    draw_answers(context, *numbers, width);
    draw_key_numbers(context, *numbers, width);
    ImGui::Spacing();

    Grid grid;
    grid.width = width;
    grid.columns = width < font * 56 ? 1 : 2;
    const float chart_height = std::max(font * 15, ImGui::GetContentRegionAvail().y * 0.42f);
    const float body = chart_height - ImGui::GetFrameHeightWithSpacing() - 24;
    panel(grid, context, "funnel", "Funnel", chart_height, {{"CSV", "funnel"}},
          [&] { draw_funnel(context, *numbers, body); });
    panel(grid, context, "forecast", "Forecast", chart_height, {{"CSV", "forecast"}},
          [&] { draw_forecast(context, *numbers, body); });
    panel(grid, context, "win-loss", "Win / loss", chart_height,
          {{"Lost reasons CSV", "lost-reasons"}}, [&] { draw_win_loss(context, *numbers, body); });
    panel(grid, context, "velocity", "Velocity", chart_height, {},
          [&] { draw_velocity(context, *numbers, body); });
    panel(grid, context, "sources", "Sources and industries", chart_height,
          {{"Sources CSV", "sources"}, {"Industries CSV", "industries"}},
          [&] { draw_sources(context, *numbers, body); });
    panel(grid, context, "team", "Team", chart_height, {{"CSV", "team"}},
          [&] { draw_team(context, *numbers, body); });
    grid.columns = 1;
    grid.placed = 0;
    panel(grid, context, "stagnant", "Stagnant deals", chart_height * 0.8f, {{"CSV", "stagnant"}},
          [&] {
              draw_stagnant(context, *numbers, chart_height * 0.8f - ImGui::GetFrameHeight() - 24);
          });
    ImGui::EndChild();
}

}  // namespace pb::ui

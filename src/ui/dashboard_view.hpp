// Insights: the metrics dashboard beside the board, answering a sales manager's questions with
// the domain's metric functions (it computes nothing itself) drawn as charts and tables.
#pragma once

#include "core/commands.hpp"
#include "core/metrics.hpp"
#include "core/metrics_dashboard.hpp"
#include "core/workspace.hpp"
#include "core/workspace_index.hpp"
#include "ui/fonts.hpp"
#include "ui/ui_rects.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pb::ui {

// Every number the dashboard shows for one filter, from the metric functions, kept between
// frames until the workspace, the filter or the day changes.
struct DashboardNumbers {
    MetricsFilter filter;  // the period the manager chose plus the board filters
    DayPeriod period;
    std::optional<DayPeriod> previous;  // when comparing
    MetricsSnapshot current;
    ClosedDeals previous_closed;           // the previous period's, when comparing
    std::vector<ForecastBucket> forecast;  // by the chosen bucket, from the period on
    std::vector<WinRatePoint> win_trend;   // the last 12 months
    std::vector<Breakdown> lost_reasons;   // current.by_lost_reason, most lost first
    std::vector<StagnantDeal> stagnant;    // every stagnant open deal, whatever the period
};

struct DashboardState {
    PeriodPreset preset = PeriodPreset::ThisQuarter;
    DayPeriod custom{0, -1};  // set from the preset the first time Custom is chosen
    bool compare = false;
    // The board's filters: pipeline, owner, source, industry (its period is the preset's).
    MetricsFilter filter;
    TargetPeriod forecast_by = TargetPeriod::Month;
    bool industry_table = false;  // the sources panel's table: by industry, else by lead source

    // The target editor.
    Id target_rep_id;  // empty = the team
    TargetPeriod target_period = TargetPeriod::Month;
    std::string target_amount;
    std::string message;  // the last target or export result, shown under the editor

    // Cache of the numbers; `key` describes what they were computed from.
    std::shared_ptr<const DashboardNumbers> numbers;
    std::string key;
};

// What a click on a chart asks the board to show: the deals behind a bar, stage or row.
struct DealDrillDown {
    std::string description;  // "Deals that entered Negotiation this quarter"
    MetricsFilter filter;
    Id stage_id;                      // empty = any stage
    std::optional<DealStatus> status;  // nullopt = any
    std::string lost_reason;           // as stored; empty = any
    // Exactly these deals (sorted ids), when the other fields cannot say which (a cohort).
    std::shared_ptr<const std::vector<Id>> deals;
    // Expected close range, for requests about when deals will close (a forecast bar); the
    // filter's period is what the metric counted by, which the board may not filter on.
    std::optional<Day> close_from, close_to;
    Id deal_id;  // one deal to open
};

struct DashboardContext {
    const Workspace& workspace;
    DashboardState& state;
    UiRects& rects;
    const UiFonts& fonts;
    Timestamp now = 0;
    // Targets are set through the command layer (the app's apply, so undo and saving see
    // them); the editor is disabled without it.
    std::function<CommandResult(const Command&, Timestamp)> apply;
    std::function<void(const DealDrillDown&)> show_deals;
    // Downloads belong to the platform; the buttons show only when these are set.
    std::function<void(const std::string& file_name, const std::string& csv)> download_csv;
    std::function<void(const std::string& file_name)> download_png;
    // The host's change counter (PipeboardApp::workspace_version), bumped on every change: the
    // cached numbers are kept while it stays put. 0 when the host keeps none, and then every
    // record's last change is compared, which costs a pass over them each frame.
    std::uint64_t workspace_version = 0;
    // The host's index of `workspace`, which spares the metrics a pass over the whole history.
    const WorkspaceIndex* index = nullptr;
};

// The numbers for the state's period and filters (the cache is not used); `index`, when given,
// indexes `workspace` as it is.
DashboardNumbers compute_dashboard_numbers(const Workspace& workspace, const DashboardState& state,
                                           Timestamp now, const WorkspaceIndex* index = nullptr);

// The table behind a panel as it is shown, for the panel's CSV download: a header row, then one
// row per line shown, with the shown numbers unrounded (money as plain decimals, rates in
// percent). Tables: funnel, forecast, lost-reasons, sources, industries, team, stagnant; an
// unknown name gives an empty table.
MetricsTable dashboard_panel_table(const Workspace& workspace, const DashboardNumbers& numbers,
                                   std::string_view table);

// "pipeboard-<what>-<period>-<today>.<extension>", the period as "this-quarter" or as its days.
std::string dashboard_file_name(const DashboardState& state, Timestamp now, std::string_view what,
                                std::string_view extension);

// Draws the dashboard into the current window's remaining content region.
void draw_dashboard(DashboardContext& context);

}  // namespace pb::ui

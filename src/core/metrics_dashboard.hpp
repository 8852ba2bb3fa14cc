// What the Insights dashboard needs beyond metrics.hpp: the period presets a manager picks from,
// the period to compare with, and the win rate over time. Pure functions; "today" is a parameter.
#pragma once

#include "metrics.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace pb {

enum class PeriodPreset { ThisWeek, ThisMonth, ThisQuarter, ThisYear, Custom };

// An inclusive range of days.
struct DayPeriod {
    Day from = 0;
    Day to = 0;
    int days() const { return to - from + 1; }
};

// The calendar week (Monday..Sunday), month, quarter or year containing today. Custom returns
// `custom` with its ends swapped when given backwards.
DayPeriod preset_period(PeriodPreset preset, Day today, DayPeriod custom = {});

// The period to compare with: the previous calendar week, month, quarter or year for those
// presets (whole, even when the current one is not over yet), or for a custom range the same
// number of days immediately before it.
DayPeriod previous_period(PeriodPreset preset, DayPeriod current);

// Win rate of the deals closed in each month or quarter, `buckets` of them ending with the one
// containing last_day, oldest first. The filter's pipeline, owner, source and industry apply;
// its period is replaced by each bucket's.
struct WinRatePoint {
    Day period_start = 0;
    WinRate rate;
};
std::vector<WinRatePoint> win_rate_trend(const Workspace&, const MetricsFilter&,
                                         TargetPeriod bucket, Day last_day, int buckets,
                                         const WorkspaceIndex* index = nullptr);

// Everything the dashboard shows, counted in one pass over the deals (and one over the
// pipeline's stage visits) instead of one per period: the chosen period's metrics, the previous
// period's closed deals, the forecast ahead, the win rate trend and the stagnant deals of any
// time. Each equals what its own function gives (all_metrics, closed_deals, forecast,
// win_rate_trend, stagnant_deals).
struct DashboardQuery {
    MetricsFilter filter;               // with the chosen period
    std::optional<DayPeriod> previous;  // the period to compare with, if any
    DayPeriod forecast_span;
    TargetPeriod forecast_by = TargetPeriod::Month;
    TargetPeriod trend_by = TargetPeriod::Month;
    Day trend_last_day = 0;
    int trend_buckets = 0;
};
struct DashboardMetrics {
    MetricsSnapshot current;
    std::optional<ClosedDeals> previous;
    std::vector<ForecastBucket> forecast;
    std::vector<WinRatePoint> win_trend;
    std::vector<StagnantDeal> stagnant;  // the filter's, whatever the period
};
DashboardMetrics dashboard_metrics(const Workspace&, const DashboardQuery&, Timestamp now,
                                   const WorkspaceIndex* index = nullptr);

// The deals behind two of the dashboard's numbers, so that a click shows exactly them: those
// funnel() counts as entering the stage in the filter's period, and those breakdown() by lost
// reason counts as lost for `reason` (empty = no reason given) in the period. Sorted ids.
std::vector<Id> funnel_stage_deals(const Workspace&, const MetricsFilter&, const Id& stage_id,
                                   const WorkspaceIndex* index = nullptr);
std::vector<Id> lost_reason_deals(const Workspace&, const MetricsFilter&, std::string_view reason,
                                  const WorkspaceIndex* index = nullptr);

// (current - previous) / previous, for "+12% vs last month"; nullopt when previous is 0, since
// growth from nothing has no percentage.
std::optional<double> relative_change(double current, double previous);

}  // namespace pb

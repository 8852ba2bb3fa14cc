// Period presets follow the calendar (ISO weeks, calendar quarters) because targets and
// reports do; the win-rate trend reuses win_rate so it always agrees with the headline number.
#include "metrics_dashboard.hpp"

#include <algorithm>
#include <cmath>

#include "metrics_counters.hpp"

namespace pb {

namespace {

Day end_of_month(Day day) { return add_months(start_of_month(day), 1) - 1; }

}  // namespace

DayPeriod preset_period(PeriodPreset preset, Day today, DayPeriod custom) {
    switch (preset) {
        case PeriodPreset::ThisWeek:
            return {start_of_week(today), start_of_week(today) + 6};
        case PeriodPreset::ThisMonth:
            return {start_of_month(today), end_of_month(today)};
        case PeriodPreset::ThisQuarter:
            return {start_of_quarter(today), add_months(start_of_quarter(today), 3) - 1};
        case PeriodPreset::ThisYear:
            return {start_of_year(today), add_months(start_of_year(today), 12) - 1};
        case PeriodPreset::Custom:
            break;
    }
    if (custom.to < custom.from) std::swap(custom.from, custom.to);
    return custom;
}

DayPeriod previous_period(PeriodPreset preset, DayPeriod current) {
    switch (preset) {
        case PeriodPreset::ThisWeek:
            return {current.from - 7, current.from - 1};
        case PeriodPreset::ThisMonth:
            return {add_months(current.from, -1), current.from - 1};
        case PeriodPreset::ThisQuarter:
            return {add_months(current.from, -3), current.from - 1};
        case PeriodPreset::ThisYear:
            return {add_months(current.from, -12), current.from - 1};
        case PeriodPreset::Custom:
            break;
    }
    const DayPeriod ordered = preset_period(PeriodPreset::Custom, 0, current);
    return {ordered.from - ordered.days(), ordered.from - 1};
}

namespace {

// The trend's buckets, oldest first: their first days in `points`, their periods returned.
std::vector<metrics_detail::Period> trend_periods(TargetPeriod bucket, Day last_day, int buckets,
                                                  std::vector<WinRatePoint>& points) {
    std::vector<metrics_detail::Period> periods;
    if (buckets <= 0) return periods;
    const int months = bucket == TargetPeriod::Quarter ? 3 : 1;
    const Day last_start =
        bucket == TargetPeriod::Quarter ? start_of_quarter(last_day) : start_of_month(last_day);
    points.reserve(static_cast<std::size_t>(buckets));
    for (int i = buckets - 1; i >= 0; --i) {
        const Day start = add_months(last_start, -i * months);
        points.push_back({start, {}});
        periods.push_back(metrics_detail::Period::of_days(start, add_months(start, months) - 1));
    }
    return periods;
}

// The filter without its period: the trend's buckets replace it, and stagnant deals have none.
MetricsFilter any_time(MetricsFilter filter) {
    filter.from.reset();
    filter.to.reset();
    return filter;
}

MetricsFilter over(MetricsFilter filter, DayPeriod period) {
    filter.from = period.from;
    filter.to = period.to;
    return filter;
}

}  // namespace

std::vector<WinRatePoint> win_rate_trend(const Workspace& workspace, const MetricsFilter& filter,
                                         TargetPeriod bucket, Day last_day, int buckets,
                                         const WorkspaceIndex* index) {
    std::vector<WinRatePoint> points;
    const std::vector<metrics_detail::Period> periods =
        trend_periods(bucket, last_day, buckets, points);
    if (periods.empty()) return points;
    const std::vector<WinRate> rates = metrics_detail::win_rates(
        metrics_detail::Context(workspace, any_time(filter), 0, index), periods);
    for (std::size_t i = 0; i < points.size(); ++i) points[i].rate = rates[i];
    return points;
}

DashboardMetrics dashboard_metrics(const Workspace& workspace, const DashboardQuery& query,
                                   Timestamp now, const WorkspaceIndex* index) {
    using namespace metrics_detail;
    // The contexts differ only in their period, so a deal matches all of them or none, and
    // the current one's pass can feed them all.
    const Context current(workspace, query.filter, now, index);
    const MetricsFilter ahead_filter = over(query.filter, query.forecast_span);
    const Context ahead(workspace, ahead_filter, now, index);
    const MetricsFilter any_time_filter = any_time(query.filter);
    const Context any(workspace, any_time_filter, now, index);

    DashboardMetrics out;
    SnapshotCounter snapshot(current);
    ForecastCounter forecast(ahead, query.forecast_by);
    WinRateCounter trend(any, trend_periods(query.trend_by, query.trend_last_day,
                                            query.trend_buckets, out.win_trend));
    StagnantCounter stagnant(any);
    if (query.previous) {
        const MetricsFilter previous_filter = over(query.filter, *query.previous);
        const Context previous(workspace, previous_filter, now, index);
        ClosedDealsCounter closed(previous);
        count_matching_deals(current, snapshot, closed, forecast, trend, stagnant);
        out.previous = closed.result();
    } else {
        count_matching_deals(current, snapshot, forecast, trend, stagnant);
    }
    count_pipeline_visits(current, snapshot);

    out.current = snapshot.result();
    out.forecast = forecast.result();
    const std::vector<WinRate> rates = trend.result();
    for (std::size_t i = 0; i < out.win_trend.size(); ++i) out.win_trend[i].rate = rates[i];
    out.stagnant = stagnant.result();
    return out;
}

std::vector<Id> funnel_stage_deals(const Workspace& workspace, const MetricsFilter& filter,
                                   const Id& stage_id, const WorkspaceIndex* index) {
    const metrics_detail::Context ctx(workspace, filter, 0, index);
    const int stage = ctx.find_stage(stage_id);
    std::vector<Id> deals;
    if (ctx.rank_of_stage(stage) < 0) return deals;
    // The same visits funnel() counts: entered in the period, not by reopening.
    ctx.for_each_pipeline_deal_visits([&](std::size_t deal, std::span<const StageVisit> visits) {
        for (const StageVisit& visit : visits) {
            if (visit.stage == stage && visit.start != VisitStart::Reopened &&
                ctx.period.contains(visit.enter)) {
                deals.push_back(workspace.deals[deal].meta.id);
                return;
            }
        }
    });
    std::sort(deals.begin(), deals.end());
    return deals;
}

std::vector<Id> lost_reason_deals(const Workspace& workspace, const MetricsFilter& filter,
                                  std::string_view reason, const WorkspaceIndex* index) {
    const metrics_detail::Context ctx(workspace, filter, 0, index);
    std::vector<Id> deals;
    for (std::size_t i = 0; i < workspace.deals.size(); ++i) {
        const Deal& deal = workspace.deals[i];
        if (ctx.matches(i) && deal.status == DealStatus::Lost && deal.lost_reason == reason &&
            ctx.period.contains(deal.closed_at))
            deals.push_back(deal.meta.id);
    }
    std::sort(deals.begin(), deals.end());
    return deals;
}

std::optional<double> relative_change(double current, double previous) {
    if (previous == 0) return std::nullopt;
    return (current - previous) / std::abs(previous);
}

}  // namespace pb

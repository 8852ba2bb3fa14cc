// Every metric at once for the dashboard, and each metric as a text table for CSV export and
// the command line.
#include <algorithm>
#include <array>
#include <functional>

#include "metrics.hpp"
#include "metrics_counters.hpp"

namespace pb {

namespace {

using metrics_detail::Context;
using metrics_detail::format_decimal;

std::string days(double value) { return format_decimal(value, 1); }

struct TableMaker {
    const char* name;
    std::function<MetricsTable(const Context&)> make;
};

MetricsTable breakdown_table(const Context& ctx, BreakdownBy by, const char* key_name) {
    MetricsTable table{{key_name, "deals", "value", "won", "lost", "won value", "win rate %"}, {}};
    for (const Breakdown& row : metrics_detail::breakdown(ctx, by)) {
        table.rows.push_back({row.key, std::to_string(row.deals),
                              plain_money(row.value, ctx.ws.currency), std::to_string(row.won),
                              std::to_string(row.lost), plain_money(row.won_value, ctx.ws.currency),
                              plain_percent(row.win_rate)});
    }
    return table;
}

MetricsTable forecast_table(const Context& ctx, TargetPeriod bucket) {
    MetricsTable table{{"period start", "open deals", "weighted", "best case", "won", "target"},
                       {}};
    for (const ForecastBucket& row : metrics_detail::forecast(ctx, bucket)) {
        const Currency& c = ctx.ws.currency;
        table.rows.push_back({format_day(row.period_start), std::to_string(row.deals),
                              plain_money(row.weighted, c), plain_money(row.best_case, c),
                              plain_money(row.won, c), plain_money(row.target, c)});
    }
    return table;
}

const std::vector<TableMaker>& table_makers() {
    static const std::vector<TableMaker> kMakers = {
        {"stages",
         [](const Context& ctx) {
             MetricsTable table{
                 {"stage", "open deals", "open value", "weighted value", "stagnant deals"}, {}};
             for (const StageSummary& row : metrics_detail::stage_summaries(ctx)) {
                 table.rows.push_back({row.name, std::to_string(row.open_count),
                                       plain_money(row.open_value, ctx.ws.currency),
                                       plain_money(row.weighted_value, ctx.ws.currency),
                                       std::to_string(row.rotting_count)});
             }
             return table;
         }},
        {"funnel",
         [](const Context& ctx) {
             MetricsTable table{
                 {"stage", "entered", "advanced", "lost here", "entered value", "conversion %"},
                 {}};
             for (const StageConversion& row : metrics_detail::funnel(ctx)) {
                 table.rows.push_back({row.name, std::to_string(row.entered),
                                       std::to_string(row.advanced), std::to_string(row.lost_here),
                                       plain_money(row.entered_value, ctx.ws.currency),
                                       plain_percent(row.conversion_to_next)});
             }
             return table;
         }},
        {"win-rate",
         [](const Context& ctx) {
             const WinRate rate = metrics_detail::win_rate(ctx);
             return MetricsTable{{"won", "lost", "won value", "lost value", "win rate by count %",
                                  "win rate by value %"},
                                 {{std::to_string(rate.won), std::to_string(rate.lost),
                                   plain_money(rate.won_value, ctx.ws.currency),
                                   plain_money(rate.lost_value, ctx.ws.currency),
                                   plain_percent(rate.by_count), plain_percent(rate.by_value)}}};
         }},
        {"deal-size",
         [](const Context& ctx) {
             const DealSizeStats stats = metrics_detail::won_deal_size(ctx);
             const Currency& c = ctx.ws.currency;
             return MetricsTable{{"won deals", "average", "median", "min", "max"},
                                 {{std::to_string(stats.count), plain_money(stats.average, c),
                                   plain_money(stats.median, c), plain_money(stats.min, c),
                                   plain_money(stats.max, c)}}};
         }},
        {"deal-size-histogram",
         [](const Context& ctx) {
             MetricsTable table{{"value up to", "won deals"}, {}};
             for (const auto& [upper, count] : metrics_detail::deal_size_histogram(ctx, 10)) {
                 table.rows.push_back({plain_money(upper, ctx.ws.currency), std::to_string(count)});
             }
             return table;
         }},
        {"cycle-time",
         [](const Context& ctx) {
             const CycleTime cycle = metrics_detail::cycle_time(ctx);
             return MetricsTable{{"won deals", "average days", "median days"},
                                 {{std::to_string(cycle.deals), days(cycle.average_days),
                                   days(cycle.median_days)}}};
         }},
        {"time-in-stage",
         [](const Context& ctx) {
             MetricsTable table{{"stage", "visits", "average days"}, {}};
             for (const StageTime& row : metrics_detail::time_in_stage(ctx)) {
                 table.rows.push_back(
                     {row.name, std::to_string(row.visits), days(row.average_days)});
             }
             return table;
         }},
        {"stagnant",
         [](const Context& ctx) {
             MetricsTable table{{"deal id", "deal", "stage", "days in stage", "rotting after days"},
                                {}};
             for (const StagnantDeal& row : metrics_detail::stagnant_deals(ctx)) {
                 const Deal& deal = ctx.ws.deals[row.deal];
                 table.rows.push_back({deal.meta.id, deal.title, ctx.ws.stages[row.stage].name,
                                       std::to_string(row.days_in_stage),
                                       std::to_string(row.rotting_days)});
             }
             return table;
         }},
        {"breakdown-source",
         [](const Context& ctx) {
             return breakdown_table(ctx, BreakdownBy::LeadSource, "lead source");
         }},
        {"breakdown-industry",
         [](const Context& ctx) {
             return breakdown_table(ctx, BreakdownBy::Industry, "industry");
         }},
        {"breakdown-owner",
         [](const Context& ctx) { return breakdown_table(ctx, BreakdownBy::Owner, "owner"); }},
        {"breakdown-lost-reason",
         [](const Context& ctx) {
             return breakdown_table(ctx, BreakdownBy::LostReason, "lost reason");
         }},
        {"reps",
         [](const Context& ctx) {
             MetricsTable table{{"rep", "target", "won", "attainment %", "open pipeline",
                                 "weighted pipeline", "activities done", "activities overdue"},
                                {}};
             const Currency& c = ctx.ws.currency;
             for (const RepPerformance& row : metrics_detail::rep_performance(ctx)) {
                 table.rows.push_back(
                     {row.name, plain_money(row.target, c), plain_money(row.won_value, c),
                      plain_percent(row.attainment), plain_money(row.open_pipeline, c),
                      plain_money(row.weighted_pipeline, c), std::to_string(row.activities_done),
                      std::to_string(row.activities_overdue)});
             }
             return table;
         }},
        {"forecast-month",
         [](const Context& ctx) { return forecast_table(ctx, TargetPeriod::Month); }},
        {"forecast-quarter",
         [](const Context& ctx) { return forecast_table(ctx, TargetPeriod::Quarter); }},
        {"coverage",
         [](const Context& ctx) {
             const PipelineCoverage result = metrics_detail::coverage(ctx);
             return MetricsTable{{"weighted open", "remaining target", "coverage ratio"},
                                 {{plain_money(result.weighted_open, ctx.ws.currency),
                                   plain_money(result.remaining_target, ctx.ws.currency),
                                   format_decimal(result.ratio, 2)}}};
         }},
        {"target-pace",
         [](const Context& ctx) {
             const TargetPace pace = metrics_detail::target_pace(ctx);
             const Currency& c = ctx.ws.currency;
             return MetricsTable{
                 {"target", "won", "projected", "reach day", "shortfall", "summary"},
                 {{plain_money(pace.target, c), plain_money(pace.won, c),
                   plain_money(pace.projected, c),
                   pace.reach_day ? format_day(*pace.reach_day) : "",
                   plain_money(pace.shortfall, c), pace.sentence}}};
         }},
        {"closing-this-week",
         [](const Context& ctx) {
             const ClosingThisWeek closing = metrics_detail::closing_this_week(ctx);
             return MetricsTable{
                 {"deals", "value", "weighted", "summary"},
                 {{std::to_string(closing.deals), plain_money(closing.value, ctx.ws.currency),
                   plain_money(closing.weighted, ctx.ws.currency), closing.sentence}}};
         }},
        {"stage-attention",
         [](const Context& ctx) {
             const StageAttention attention = metrics_detail::stage_needing_attention(
                 ctx, metrics_detail::stage_summaries(ctx), metrics_detail::funnel(ctx),
                 metrics_detail::time_in_stage(ctx));
             return MetricsTable{{"stage", "reason", "score", "summary"},
                                 {{attention.name, attention.reason,
                                   format_decimal(attention.score, 2), attention.sentence}}};
         }},
    };
    return kMakers;
}

}  // namespace

// Plain decimals in major units ("-1234.50"): spreadsheets read them as numbers, which symbols
// and thousands separators would prevent.
std::string plain_money(Money amount, const Currency& currency) {
    const int digits = std::clamp(currency.minor_digits, 0, 9);
    std::uint64_t scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    const std::uint64_t magnitude =
        amount < 0 ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    std::string text = amount < 0 ? "-" : "";
    text += std::to_string(magnitude / scale);
    if (digits > 0) {
        const std::string minor = std::to_string(magnitude % scale);
        text += '.';
        text.append(static_cast<std::size_t>(digits) - minor.size(), '0');
        text += minor;
    }
    return text;
}

std::string plain_percent(double ratio) { return format_decimal(ratio * 100, 1); }

namespace metrics_detail {

SnapshotCounter::SnapshotCounter(const Context& ctx)
    : ctx_(ctx),
      stages_(ctx),
      win_rate_(ctx, {ctx.period}),
      won_values_(ctx),
      cycle_time_(ctx),
      stagnant_(ctx),
      by_lead_source_(ctx, BreakdownBy::LeadSource),
      by_industry_(ctx, BreakdownBy::Industry),
      by_lost_reason_(ctx, BreakdownBy::LostReason),
      reps_(ctx),
      forecast_(ctx, TargetPeriod::Month),
      coverage_(ctx),
      target_pace_(ctx),
      closing_this_week_(ctx),
      funnel_(ctx),
      time_in_stage_(ctx) {}

void SnapshotCounter::add(std::size_t deal) {
    stages_.add(deal);
    win_rate_.add(deal);
    won_values_.add(deal);
    cycle_time_.add(deal);
    stagnant_.add(deal);
    by_lead_source_.add(deal);
    by_industry_.add(deal);
    by_lost_reason_.add(deal);
    reps_.add(deal);
    forecast_.add(deal);
    coverage_.add(deal);
    target_pace_.add(deal);
    closing_this_week_.add(deal);
}

void SnapshotCounter::add(std::size_t deal, std::span<const StageVisit> visits) {
    funnel_.add(deal, visits);
    time_in_stage_.add(deal, visits);
}

MetricsSnapshot SnapshotCounter::result() {
    MetricsSnapshot snapshot;
    snapshot.stages = stages_.result();
    snapshot.funnel = funnel_.result();
    snapshot.win_rate = win_rate_.result().front();
    const std::vector<Money> won = won_values_.result();
    snapshot.won_deal_size = deal_size_of(won);
    snapshot.deal_size_histogram = histogram_of(won, 10);
    snapshot.cycle_time = cycle_time_.result();
    snapshot.time_in_stage = time_in_stage_.result();
    snapshot.stagnant_deals = stagnant_.result();
    snapshot.by_lead_source = by_lead_source_.result();
    snapshot.by_industry = by_industry_.result();
    snapshot.by_lost_reason = by_lost_reason_.result();
    snapshot.reps = reps_.result();
    snapshot.forecast = forecast_.result();
    snapshot.coverage = coverage_.result();
    snapshot.target_pace = target_pace_.result();
    snapshot.closing_this_week = closing_this_week_.result();
    snapshot.stage_attention =
        stage_needing_attention(ctx_, snapshot.stages, snapshot.funnel, snapshot.time_in_stage);
    return snapshot;
}

}  // namespace metrics_detail

MetricsSnapshot all_metrics(const Workspace& ws, const MetricsFilter& filter, Timestamp now,
                            const WorkspaceIndex* index) {
    using namespace metrics_detail;
    const Context ctx(ws, filter, now, index);
    SnapshotCounter snapshot(ctx);
    count_matching_deals(ctx, snapshot);
    count_pipeline_visits(ctx, snapshot);
    return snapshot.result();
}

MetricsTable metrics_table(const Workspace& ws, const MetricsFilter& filter, std::string_view name,
                           Timestamp now) {
    for (const TableMaker& maker : table_makers()) {
        if (name == maker.name) return maker.make(Context(ws, filter, now));
    }
    return {};
}

std::vector<std::string> metrics_table_names() {
    std::vector<std::string> names;
    for (const TableMaker& maker : table_makers()) names.emplace_back(maker.name);
    return names;
}

}  // namespace pb

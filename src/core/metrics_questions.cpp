// The seed's questions answered with numbers and a plain sentence: will we hit the target, what
// closes this week, and which stage needs attention.
#include <algorithm>
#include <cmath>

#include "metrics.hpp"
#include "metrics_counters.hpp"

namespace pb {

namespace metrics_detail {

namespace {

std::string money_text(const Context& ctx, Money amount) {
    return format_money(amount, ctx.ws.currency, true);
}

std::string range_text(DayRange range) {
    return format_day(range.first) + " to " + format_day(range.last);
}

std::string percent_text(double ratio) { return format_decimal(ratio * 100, 0) + "%"; }

std::string days_text(double days) {
    const std::string number = format_decimal(days, 1, true);
    return number + (number == "1" ? " day" : " days");
}

std::string deals_text(int count) {
    return std::to_string(count) + (count == 1 ? " deal" : " deals");
}

// Won amounts of the period by day, to find the day the running total reached the target.
Day day_target_reached(std::vector<std::pair<Day, Money>>& won_by_day, Money target) {
    std::sort(won_by_day.begin(), won_by_day.end());
    Money running = 0;
    for (const auto& [day, value] : won_by_day) {
        running += value;
        if (running >= target) return day;
    }
    return won_by_day.empty() ? 0 : won_by_day.back().first;
}

}  // namespace

TargetPaceCounter::TargetPaceCounter(const Context& ctx)
    : ctx_(ctx), days_(ctx.target_period()), period_(Period::of_days(days_.first, days_.last)) {}

void TargetPaceCounter::add(std::size_t i) {
    const DealMetricFigures& deal = ctx_.metric_figures(i);
    if (ctx_.figures(i).status != DealStatus::Won || !deal.has_closed_at ||
        !period_.contains(deal.closed_at)) {
        return;
    }
    const Money value = ctx_.figures(i).value;
    won_ += value;
    won_by_day_.emplace_back(day_of(deal.closed_at), value);
}

TargetPace TargetPaceCounter::result() {
    TargetPace pace;
    pace.target = ctx_.target_over(days_);
    pace.won = won_;

    const int total_days = days_.days();
    const int elapsed_days = std::clamp(ctx_.today - days_.first + 1, 0, total_days);
    const int remaining_days = total_days - elapsed_days;
    // The won amount grows at its average daily rate so far for the rest of the period.
    const long double daily_rate =
        elapsed_days > 0 ? static_cast<long double>(pace.won) / elapsed_days : 0;
    pace.projected = remaining_days == 0 || elapsed_days == 0
                         ? pace.won
                         : static_cast<Money>(std::llround(daily_rate * total_days));
    const std::string period_text = range_text(days_);

    if (pace.target <= 0) {
        pace.sentence = "No target is set for " + period_text + "; " + money_text(ctx_, pace.won) +
                        " won so far.";
        return pace;
    }
    if (pace.won >= pace.target) {
        pace.reach_day = day_target_reached(won_by_day_, pace.target);
        pace.sentence = "The " + money_text(ctx_, pace.target) + " target for " + period_text +
                        " was reached on " + format_day(*pace.reach_day) + ", with " +
                        money_text(ctx_, pace.won) + " won so far.";
        return pace;
    }
    if (daily_rate > 0 && remaining_days > 0) {
        const auto days_needed = static_cast<long long>(
            std::ceil(static_cast<long double>(pace.target) / daily_rate - 1e-9L));
        if (days_needed <= total_days)
            pace.reach_day = days_.first + static_cast<Day>(days_needed) - 1;
    }
    pace.shortfall = std::max<Money>(0, pace.target - pace.projected);
    const std::string target_text = "the " + money_text(ctx_, pace.target) + " target";

    if (elapsed_days == 0) {
        pace.sentence = period_text + " has not started; " + target_text + " is still ahead.";
    } else if (remaining_days == 0) {
        pace.sentence = period_text + " ended with " + money_text(ctx_, pace.won) + " won, " +
                        money_text(ctx_, pace.shortfall) + " short of " + target_text + ".";
    } else if (pace.reach_day) {
        pace.sentence = "At the current pace of " +
                        money_text(ctx_, static_cast<Money>(std::llround(daily_rate))) +
                        " a day, " + target_text + " will be reached on " +
                        format_day(*pace.reach_day) + ", with " + money_text(ctx_, pace.projected) +
                        " won by " + format_day(days_.last) + ".";
    } else {
        const Money needed_per_day =
            divide_rounded(pace.target - pace.won, static_cast<Money>(remaining_days));
        const std::string so_far = pace.won == 0 ? "Nothing has been won yet in " + period_text
                                                 : "At the current pace, " +
                                                       money_text(ctx_, pace.projected) +
                                                       " will be won by " + format_day(days_.last);
        pace.sentence = so_far + ": " + money_text(ctx_, pace.shortfall) + " short of " +
                        target_text + ". Reaching it needs " + money_text(ctx_, needed_per_day) +
                        " a day for the remaining " + days_text(remaining_days) + ".";
    }
    return pace;
}

TargetPace target_pace(const Context& ctx) { return counted(ctx, TargetPaceCounter(ctx)); }

ClosingThisWeekCounter::ClosingThisWeekCounter(const Context& ctx)
    : ctx_(ctx), week_{start_of_week(ctx.today), start_of_week(ctx.today) + 6} {}

void ClosingThisWeekCounter::add(std::size_t i) {
    const DealMetricFigures& deal = ctx_.metric_figures(i);
    if (ctx_.figures(i).status != DealStatus::Open || !deal.has_expected_close ||
        deal.expected_close < week_.first || deal.expected_close > week_.last) {
        return;
    }
    ++closing_.deals;
    closing_.value += ctx_.figures(i).value;
    closing_.weighted += ctx_.weighted_value(i);
}

ClosingThisWeek ClosingThisWeekCounter::result() {
    ClosingThisWeek closing = closing_;
    const std::string when = "this week (" + range_text(week_) + ")";
    if (closing.deals == 0) {
        closing.sentence = "No deals are expected to close " + when + ".";
    } else {
        closing.sentence = deals_text(closing.deals) + " worth " + money_text(ctx_, closing.value) +
                           " (" + money_text(ctx_, closing.weighted) + " weighted) " +
                           (closing.deals == 1 ? "is" : "are") + " expected to close " + when + ".";
    }
    return closing;
}

ClosingThisWeek closing_this_week(const Context& ctx) {
    return counted(ctx, ClosingThisWeekCounter(ctx));
}

StageAttention stage_needing_attention(const Context& ctx, const std::vector<StageSummary>& stages,
                                       const std::vector<StageConversion>& conversions,
                                       const std::vector<StageTime>& times) {
    double conversion_sum = 0;
    int converting_stages = 0;
    for (const StageConversion& row : conversions) {
        if (row.entered == 0) continue;
        conversion_sum += row.conversion_to_next;
        ++converting_stages;
    }
    const double average_conversion =
        converting_stages > 0 ? conversion_sum / converting_stages : 0;
    double days_sum = 0;
    int timed_stages = 0;
    for (const StageTime& row : times) {
        if (row.visits == 0) continue;
        days_sum += row.average_days;
        ++timed_stages;
    }
    const double average_days = timed_stages > 0 ? days_sum / timed_stages : 0;

    enum class Reason { None, LowConversion, Slow, Stagnant };
    Reason best_reason = Reason::None;
    std::size_t best = 0;
    double best_score = 0;
    for (std::size_t rank = 0; rank < stages.size(); ++rank) {
        auto consider = [&](Reason reason, double score) {
            if (score > best_score + 1e-12) {
                best_score = score;
                best_reason = reason;
                best = rank;
            }
        };
        const StageConversion& conversion = conversions[rank];
        if (conversion.entered > 0 && average_conversion > 0) {
            consider(Reason::LowConversion, 1 - conversion.conversion_to_next / average_conversion);
        }
        const StageTime& time = times[rank];
        if (time.visits > 0 && time.average_days > average_days) {
            consider(Reason::Slow, 1 - average_days / time.average_days);
        }
        const StageSummary& summary = stages[rank];
        if (summary.open_count > 0) {
            consider(Reason::Stagnant,
                     static_cast<double>(summary.rotting_count) / summary.open_count);
        }
    }

    StageAttention attention;
    if (best_reason == Reason::None) {
        attention.sentence =
            "No stage stands out: conversion, time in stage and stagnant deals are even across "
            "stages.";
        return attention;
    }
    attention.stage_id = stages[best].stage_id;
    attention.name = stages[best].name;
    attention.score = best_score;
    const std::string lead = attention.name + " needs attention: ";
    switch (best_reason) {
        case Reason::LowConversion: {
            const StageConversion& row = conversions[best];
            attention.reason = "low-conversion";
            attention.sentence = lead + "only " + percent_text(row.conversion_to_next) +
                                 " of the deals that entered it moved on (" +
                                 std::to_string(row.advanced) + " of " +
                                 std::to_string(row.entered) + "), against " +
                                 percent_text(average_conversion) + " across stages.";
            break;
        }
        case Reason::Slow:
            attention.reason = "slow";
            attention.sentence = lead + "deals spend " + days_text(times[best].average_days) +
                                 " there on average, against " + days_text(average_days) +
                                 " across stages.";
            break;
        case Reason::Stagnant: {
            const int stage = ctx.pipeline_stages()[best];
            attention.reason = "stagnant";
            const int open = stages[best].open_count;
            attention.sentence = lead + std::to_string(stages[best].rotting_count) + " of its " +
                                 std::to_string(open) + (open == 1 ? " open deal" : " open deals") +
                                 (stages[best].rotting_count == 1 ? " has" : " have") +
                                 " been there longer than " +
                                 days_text(ctx.ws.stages[stage].rotting_days) + ".";
            break;
        }
        case Reason::None:
            break;
    }
    return attention;
}

}  // namespace metrics_detail

using metrics_detail::Context;

TargetPace target_pace(const Workspace& ws, const MetricsFilter& filter, Timestamp now) {
    return metrics_detail::target_pace(Context(ws, filter, now));
}

ClosingThisWeek closing_this_week(const Workspace& ws, const MetricsFilter& filter, Timestamp now) {
    return metrics_detail::closing_this_week(Context(ws, filter, now));
}

StageAttention stage_needing_attention(const Workspace& ws, const MetricsFilter& filter,
                                       Timestamp now) {
    const Context ctx(ws, filter, now);
    return metrics_detail::stage_needing_attention(ctx, metrics_detail::stage_summaries(ctx),
                                                   metrics_detail::funnel(ctx),
                                                   metrics_detail::time_in_stage(ctx));
}

}  // namespace pb

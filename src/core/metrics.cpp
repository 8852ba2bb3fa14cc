// The metrics computed from the deals' own fields: open pipeline per stage, closed-deal
// statistics, stagnant deals, breakdowns, reps against targets, forecast and coverage.
#include "metrics.hpp"

#include "metrics_context.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pb {

namespace metrics_detail {

namespace {

bool is_rotting(const Context& ctx, std::size_t deal, int stage) {
    if (stage < 0) return false;
    const int rotting_days = ctx.ws.stages[stage].rotting_days;
    return rotting_days > 0 &&
           whole_days_between(ctx.figures(deal).stage_entered_at, ctx.now) > rotting_days;
}

bool is_open_in_period(const Context& ctx, std::size_t deal) {
    return ctx.figures(deal).status == DealStatus::Open &&
           ctx.period.contains(ctx.metric_figures(deal).expected());
}

bool is_won_in(const Context& ctx, std::size_t deal, const Period& period) {
    return ctx.figures(deal).status == DealStatus::Won &&
           period.contains(ctx.metric_figures(deal).closed());
}

std::vector<Money> won_values(const Context& ctx) {
    std::vector<Money> values;
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (ctx.matches(i) && is_won_in(ctx, i, ctx.period)) values.push_back(ctx.figures(i).value);
    }
    return values;
}

double ratio(double part, double whole) { return whole > 0 ? part / whole : 0; }

// Lower and upper middle of the values (the same element for an odd count), reordering them.
template <typename T>
std::pair<T, T> middle_values(std::vector<T>& values) {
    const std::size_t upper = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + upper, values.end());
    const T upper_value = values[upper];
    if (values.size() % 2 == 1) return {upper_value, upper_value};
    const T lower_value = *std::max_element(values.begin(), values.begin() + upper);
    return {lower_value, upper_value};
}

std::string display_key(const Context& ctx, BreakdownBy by, std::string_view key) {
    if (key.empty()) return "(none)";
    if (by == BreakdownBy::Owner) {
        const int rep = ctx.find_rep(key);
        if (rep >= 0 && !ctx.ws.reps[rep].name.empty()) return ctx.ws.reps[rep].name;
    }
    return std::string(key);
}

// The term the rows are keyed by (lost reasons are read from the few lost deals instead).
int breakdown_term(const DealMetricFigures& deal, BreakdownBy by) {
    switch (by) {
        case BreakdownBy::LeadSource:
            return deal.lead_source;
        case BreakdownBy::Industry:
            return deal.industry;
        case BreakdownBy::Owner:
            return deal.owner;
        case BreakdownBy::LostReason:
            break;
    }
    return -1;
}

int month_number(Day day) {
    const CivilDate date = civil_from_day(day);
    return date.year * 12 + date.month - 1;
}

}  // namespace

std::vector<StageSummary> stage_summaries(const Context& ctx) {
    std::vector<StageSummary> summaries;
    summaries.reserve(ctx.pipeline_stages().size());
    for (const int stage : ctx.pipeline_stages()) {
        StageSummary summary;
        summary.stage_id = ctx.ws.stages[stage].meta.id;
        summary.name = ctx.ws.stages[stage].name;
        summaries.push_back(std::move(summary));
    }
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (!is_open_in_period(ctx, i)) continue;
        const int stage = ctx.stage_of(i);
        const int rank = ctx.rank_of_stage(stage);
        if (rank < 0 || !ctx.matches(i)) continue;
        StageSummary& summary = summaries[rank];
        ++summary.open_count;
        summary.open_value += ctx.figures(i).value;
        summary.weighted_value += ctx.weighted_value(i);
        if (is_rotting(ctx, i, stage)) ++summary.rotting_count;
    }
    return summaries;
}

WinRate win_rate(const Context& ctx) { return win_rates(ctx, {ctx.period}).front(); }

std::vector<WinRate> win_rates(const Context& ctx, const std::vector<Period>& periods) {
    std::vector<WinRate> rates(periods.size());
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (!ctx.matches(i)) continue;
        const DealFigures& deal = ctx.figures(i);
        if (deal.status != DealStatus::Won && deal.status != DealStatus::Lost) continue;
        const std::optional<Timestamp> closed = ctx.metric_figures(i).closed();
        // The last period beginning at or before the close; an undated deal can only belong
        // to an unbounded period, which begins before everything.
        const auto after = std::upper_bound(
            periods.begin(), periods.end(), closed.value_or(std::numeric_limits<Timestamp>::min()),
            [](Timestamp at, const Period& period) { return at < period.begin; });
        if (after == periods.begin() || !(after - 1)->contains(closed)) continue;
        WinRate& rate = rates[static_cast<std::size_t>(after - 1 - periods.begin())];
        if (deal.status == DealStatus::Won) {
            ++rate.won;
            rate.won_value += deal.value;
        } else {
            ++rate.lost;
            rate.lost_value += deal.value;
        }
    }
    for (WinRate& rate : rates) {
        rate.by_count = ratio(rate.won, rate.won + rate.lost);
        rate.by_value =
            ratio(static_cast<double>(rate.won_value),
                  static_cast<double>(rate.won_value) + static_cast<double>(rate.lost_value));
    }
    return rates;
}

DealSizeStats won_deal_size(const Context& ctx) {
    std::vector<Money> values = won_values(ctx);
    DealSizeStats stats;
    if (values.empty()) return stats;
    stats.count = static_cast<int>(values.size());
    Money total = 0;
    for (const Money value : values) total += value;
    stats.average = divide_rounded(total, stats.count);
    const auto [min, max] = std::minmax_element(values.begin(), values.end());
    stats.min = *min;
    stats.max = *max;
    const auto [lower, upper] = middle_values(values);
    stats.median = divide_rounded(lower + upper, 2);
    return stats;
}

std::vector<std::pair<Money, int>> deal_size_histogram(const Context& ctx, int max_buckets) {
    const std::vector<Money> values = won_values(ctx);
    if (values.empty()) return {};
    const Money largest = *std::max_element(values.begin(), values.end());
    if (largest <= 0) return {{0, static_cast<int>(values.size())}};

    const Money bucket_limit = std::max(1, max_buckets);
    const Money needed = largest / bucket_limit + (largest % bucket_limit != 0 ? 1 : 0);
    Money width = needed;
    bool found = false;
    for (Money power = 1; !found && power <= std::numeric_limits<Money>::max() / 50; power *= 10) {
        for (const Money tenths : {10, 20, 25, 50}) {
            if (power * tenths % 10 != 0) continue;  // 2.5 is not a whole minor unit
            const Money candidate = power * tenths / 10;
            if (candidate >= needed) {
                width = candidate;
                found = true;
                break;
            }
        }
    }
    std::vector<std::pair<Money, int>> buckets(static_cast<std::size_t>((largest - 1) / width + 1));
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        buckets[i].first = static_cast<Money>(i + 1) * width;
    }
    for (const Money value : values) {
        ++buckets[value <= 0 ? 0 : static_cast<std::size_t>((value - 1) / width)].second;
    }
    return buckets;
}

CycleTime cycle_time(const Context& ctx) {
    std::vector<double> days;
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        const DealMetricFigures& deal = ctx.metric_figures(i);
        if (!ctx.matches(i) || !deal.has_closed_at || !is_won_in(ctx, i, ctx.period)) continue;
        const Timestamp seconds = std::max<Timestamp>(0, deal.closed_at - deal.created);
        days.push_back(static_cast<double>(seconds) / kSecondsPerDay);
    }
    CycleTime cycle;
    if (days.empty()) return cycle;
    cycle.deals = static_cast<int>(days.size());
    double total = 0;
    for (const double d : days) total += d;
    cycle.average_days = total / cycle.deals;
    const auto [lower, upper] = middle_values(days);
    cycle.median_days = (lower + upper) / 2;
    return cycle;
}

std::vector<StagnantDeal> stagnant_deals(const Context& ctx) {
    struct Found {
        int days;
        Timestamp entered;
        std::size_t deal;
        int stage;
    };
    std::vector<Found> found;
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (!is_open_in_period(ctx, i) || !ctx.matches(i)) continue;
        const int stage = ctx.stage_of(i);
        if (!is_rotting(ctx, i, stage)) continue;
        const Timestamp entered = ctx.figures(i).stage_entered_at;
        found.push_back({whole_days_between(entered, ctx.now), entered, i, stage});
    }
    // Sorted on numbers only: comparing 30,000 titles would cost more than finding the deals.
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        if (a.days != b.days) return a.days > b.days;
        if (a.entered != b.entered) return a.entered < b.entered;
        return a.deal < b.deal;
    });
    std::vector<StagnantDeal> stagnant;
    stagnant.reserve(found.size());
    for (const Found& f : found) {
        const Deal& deal = ctx.ws.deals[f.deal];
        const Stage& stage = ctx.ws.stages[f.stage];
        stagnant.push_back({deal.meta.id, deal.title, stage.meta.id, f.days, stage.rotting_days});
    }
    return stagnant;
}

std::vector<Breakdown> breakdown(const Context& ctx, BreakdownBy by) {
    std::vector<Breakdown> rows;
    std::vector<std::string_view> row_keys;
    // Rows keyed by term (slot 0: the empty text), and by reason for lost reasons.
    std::vector<int> row_by_term(ctx.terms().size() + 1, -1);
    IdIndex row_by_reason;
    int empty_reason_row = -1;
    const auto new_row = [&](std::string_view key) {
        rows.push_back({});
        row_keys.push_back(key);
        return static_cast<int>(rows.size()) - 1;
    };
    const auto row_for_reason = [&](std::string_view reason) -> Breakdown& {
        int row = reason.empty() ? empty_reason_row : row_by_reason.find(reason);
        if (row < 0) {
            row = new_row(reason);
            if (reason.empty()) {
                empty_reason_row = row;
            } else {
                row_by_reason.insert(reason, row);
            }
        }
        return rows[row];
    };
    const auto row_for_term = [&](int term) -> Breakdown& {
        int& row = row_by_term[static_cast<std::size_t>(term + 1)];
        if (row < 0) row = new_row(term < 0 ? std::string_view() : ctx.terms().text(term));
        return rows[row];
    };
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (!ctx.matches(i)) continue;
        const DealFigures& deal = ctx.figures(i);
        const DealMetricFigures& facts = ctx.metric_figures(i);
        const bool closed_in_period = ctx.period.contains(facts.closed());
        if (by == BreakdownBy::LostReason) {
            if (deal.status != DealStatus::Lost || !closed_in_period) continue;
            Breakdown& row = row_for_reason(ctx.ws.deals[i].lost_reason);
            ++row.deals;
            row.value += deal.value;
            ++row.lost;
            continue;
        }
        const bool created_in_period = ctx.period.contains(facts.created);
        const bool won = deal.status == DealStatus::Won && closed_in_period;
        const bool lost = deal.status == DealStatus::Lost && closed_in_period;
        if (!created_in_period && !won && !lost) continue;
        Breakdown& row = row_for_term(breakdown_term(facts, by));
        if (created_in_period) {
            ++row.deals;
            row.value += deal.value;
        }
        if (won) {
            ++row.won;
            row.won_value += deal.value;
        }
        if (lost) ++row.lost;
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        rows[r].key = display_key(ctx, by, row_keys[r]);
        rows[r].win_rate = ratio(rows[r].won, rows[r].won + rows[r].lost);
    }
    // Stable: rows equal in every respect (two reps of one name) keep their first-seen order.
    std::stable_sort(rows.begin(), rows.end(), [](const Breakdown& a, const Breakdown& b) {
        if (a.value != b.value) return a.value > b.value;
        if (a.deals != b.deals) return a.deals > b.deals;
        return a.key < b.key;
    });
    return rows;
}

std::vector<RepPerformance> rep_performance(const Context& ctx) {
    const DayRange target_days = ctx.target_period();
    const Period target_period = Period::of_days(target_days.first, target_days.last);

    std::vector<RepPerformance> rows;
    // Rows by the owner term of their rep id; a repeated id keeps its first row.
    std::vector<int> row_by_owner(ctx.terms().size(), -1);
    auto add_row = [&](const Id& rep_id, const std::string& name) {
        const int owner = ctx.terms().find(rep_id);
        if (owner >= 0 && row_by_owner[owner] < 0) {
            row_by_owner[owner] = static_cast<int>(rows.size());
        }
        RepPerformance row;
        row.rep_id = rep_id;
        row.name = name;
        rows.push_back(std::move(row));
    };
    if (!ctx.filter.owner_id.empty()) {
        const int rep = ctx.find_rep(ctx.filter.owner_id);
        add_row(ctx.filter.owner_id, rep >= 0 ? ctx.ws.reps[rep].name : ctx.filter.owner_id);
    } else {
        for (const Rep& rep : ctx.ws.reps) {
            if (!rep.meta.deleted) add_row(rep.meta.id, rep.name);
        }
    }
    if (rows.empty()) return rows;

    // With the index, each activity's deal is known; without it, activities are matched to
    // their deal by id.
    const WorkspaceIndex* index = ctx.unique_index();
    const auto count_activity = [&](const ActivityFigures& activity, int row) {
        if (activity.done && target_period.contains(activity.done_or_due())) {
            ++rows[row].activities_done;
        }
        if (activity.overdue(ctx.now)) ++rows[row].activities_overdue;
    };
    const bool count_activities = !ctx.ws.activities.empty();
    IdIndex row_by_deal;
    std::vector<int> row_of_deal;
    if (count_activities && index) row_of_deal.assign(ctx.ws.deals.size(), -1);
    if (count_activities && !index) row_by_deal.reserve(ctx.ws.deals.size());
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (!ctx.matches(i)) continue;
        const int owner = ctx.metric_figures(i).owner;
        const int row = owner < 0 ? -1 : row_by_owner[owner];
        if (row < 0) continue;
        if (count_activities && index) {
            row_of_deal[i] = row;
        } else if (count_activities) {
            row_by_deal.insert(ctx.ws.deals[i].meta.id, row);
        }
        const Money value = ctx.figures(i).value;
        if (is_won_in(ctx, i, target_period)) rows[row].won_value += value;
        if (is_open_in_period(ctx, i)) {
            rows[row].open_pipeline += value;
            rows[row].weighted_pipeline += ctx.weighted_value(i);
        }
    }
    if (count_activities && index) {
        for (std::size_t a = 0; a < ctx.ws.activities.size(); ++a) {
            const ActivityFigures& activity = index->activity_figures(a);
            const int row = activity.live && activity.deal >= 0 ? row_of_deal[activity.deal] : -1;
            if (row < 0) continue;
            count_activity(activity, row);
        }
    } else if (count_activities) {
        for (const Activity& activity : ctx.ws.activities) {
            if (activity.meta.deleted) continue;
            const int row = row_by_deal.find(activity.deal_id);
            if (row < 0) continue;
            count_activity(activity_figures_of(activity, -1), row);
        }
    }
    for (RepPerformance& row : rows) {
        row.target = target_over(ctx.ws, row.rep_id, target_days);
        row.attainment = ratio(static_cast<double>(row.won_value), static_cast<double>(row.target));
    }
    std::sort(rows.begin(), rows.end(), [](const RepPerformance& a, const RepPerformance& b) {
        if (a.won_value != b.won_value) return a.won_value > b.won_value;
        if (a.name != b.name) return a.name < b.name;
        return a.rep_id < b.rep_id;
    });
    return rows;
}

std::vector<ForecastBucket> forecast(const Context& ctx, TargetPeriod bucket) {
    constexpr int kUnboundedReach = 24;  // buckets either side of now without a period
    constexpr int kMostBuckets = 600;
    const int months_per_bucket = bucket == TargetPeriod::Month ? 1 : 3;

    // One pass over the deals; the buckets are known only once the expected closes are.
    struct Amount {
        Day day;
        Money value;
        Money weighted;
        bool open;
    };
    std::vector<Amount> amounts;
    std::optional<Day> earliest_close, latest_close;
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        const DealMetricFigures& deal = ctx.metric_figures(i);
        if (is_open_in_period(ctx, i) && deal.has_expected_close && ctx.matches(i)) {
            const Day close = deal.expected_close;
            amounts.push_back({close, ctx.figures(i).value, ctx.weighted_value(i), true});
            if (!earliest_close || close < *earliest_close) earliest_close = close;
            if (!latest_close || close > *latest_close) latest_close = close;
        } else if (deal.has_closed_at && is_won_in(ctx, i, ctx.period) && ctx.matches(i)) {
            amounts.push_back({day_of(deal.closed_at), ctx.figures(i).value, 0, false});
        }
    }
    const Day now_bucket = bucket_range(ctx.today, bucket).first;
    const int reach_months = kUnboundedReach * months_per_bucket;
    Day first = std::min(now_bucket,
                         earliest_close ? bucket_range(*earliest_close, bucket).first : now_bucket);
    Day last =
        std::max(now_bucket, latest_close ? bucket_range(*latest_close, bucket).first : now_bucket);
    first = std::max(first, add_months(now_bucket, -reach_months));
    last = std::min(last, add_months(now_bucket, reach_months));
    if (ctx.filter.from) {
        first = bucket_range(*ctx.filter.from, bucket).first;
        if (!ctx.filter.to) last = std::max(last, first);
    }
    if (ctx.filter.to) {
        last = bucket_range(*ctx.filter.to, bucket).first;
        if (!ctx.filter.from) first = std::min(first, last);
    }
    if (last < first) return {};

    const int first_month = month_number(first);
    const int count =
        std::min(kMostBuckets, (month_number(last) - first_month) / months_per_bucket + 1);
    std::vector<ForecastBucket> buckets(static_cast<std::size_t>(count));
    for (int b = 0; b < count; ++b) {
        buckets[b].period_start = add_months(first, b * months_per_bucket);
    }
    auto bucket_of = [&](Day day) -> ForecastBucket* {
        if (day < first) return nullptr;
        const int index = (month_number(day) - first_month) / months_per_bucket;
        return index < count ? &buckets[index] : nullptr;
    };
    for (const Amount& amount : amounts) {
        ForecastBucket* target = bucket_of(amount.day);
        if (!target) continue;
        if (amount.open) {
            ++target->deals;
            target->best_case += amount.value;
            target->weighted += amount.weighted;
        } else {
            target->won += amount.value;
        }
    }
    for (ForecastBucket& b : buckets) {
        b.target = ctx.target_over(bucket_range(b.period_start, bucket));
    }
    return buckets;
}

PipelineCoverage coverage(const Context& ctx) {
    const DayRange target_days = ctx.target_period();
    const Period target_period = Period::of_days(target_days.first, target_days.last);
    Money won = 0;
    PipelineCoverage result;
    for (std::size_t i = 0; i < ctx.ws.deals.size(); ++i) {
        if (!ctx.matches(i)) continue;
        if (is_won_in(ctx, i, target_period)) won += ctx.figures(i).value;
        const DealMetricFigures& deal = ctx.metric_figures(i);
        if (ctx.figures(i).status == DealStatus::Open && deal.has_expected_close &&
            target_period.contains_day(deal.expected_close)) {
            result.weighted_open += ctx.weighted_value(i);
        }
    }
    result.remaining_target = std::max<Money>(0, ctx.target_over(target_days) - won);
    result.ratio = ratio(static_cast<double>(result.weighted_open),
                         static_cast<double>(result.remaining_target));
    return result;
}

}  // namespace metrics_detail

using metrics_detail::Context;

std::vector<StageSummary> stage_summaries(const Workspace& ws, const MetricsFilter& filter,
                                          Timestamp now) {
    return metrics_detail::stage_summaries(Context(ws, filter, now));
}

WinRate win_rate(const Workspace& ws, const MetricsFilter& filter, const WorkspaceIndex* index) {
    return metrics_detail::win_rate(Context(ws, filter, 0, index));
}

DealSizeStats won_deal_size(const Workspace& ws, const MetricsFilter& filter,
                            const WorkspaceIndex* index) {
    return metrics_detail::won_deal_size(Context(ws, filter, 0, index));
}

std::vector<std::pair<Money, int>> deal_size_histogram(const Workspace& ws,
                                                       const MetricsFilter& filter,
                                                       int max_buckets) {
    return metrics_detail::deal_size_histogram(Context(ws, filter, 0), max_buckets);
}

CycleTime cycle_time(const Workspace& ws, const MetricsFilter& filter,
                     const WorkspaceIndex* index) {
    return metrics_detail::cycle_time(Context(ws, filter, 0, index));
}

std::vector<StagnantDeal> stagnant_deals(const Workspace& ws, const MetricsFilter& filter,
                                         Timestamp now, const WorkspaceIndex* index) {
    return metrics_detail::stagnant_deals(Context(ws, filter, now, index));
}

std::vector<Breakdown> breakdown(const Workspace& ws, const MetricsFilter& filter, BreakdownBy by,
                                 const WorkspaceIndex* index) {
    return metrics_detail::breakdown(Context(ws, filter, 0, index), by);
}

Money target_for(const Workspace& ws, const Id& rep_id, Day period_start, TargetPeriod period) {
    return metrics_detail::target_for(ws, rep_id, period_start, period);
}

std::vector<RepPerformance> rep_performance(const Workspace& ws, const MetricsFilter& filter,
                                            Timestamp now) {
    return metrics_detail::rep_performance(Context(ws, filter, now));
}

std::vector<ForecastBucket> forecast(const Workspace& ws, const MetricsFilter& filter,
                                     TargetPeriod bucket, Timestamp now,
                                     const WorkspaceIndex* index) {
    return metrics_detail::forecast(Context(ws, filter, now, index), bucket);
}

PipelineCoverage coverage(const Workspace& ws, const MetricsFilter& filter, Timestamp now) {
    return metrics_detail::coverage(Context(ws, filter, now));
}

}  // namespace pb

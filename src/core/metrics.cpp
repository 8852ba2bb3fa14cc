// The metrics computed from the deals' own fields: open pipeline per stage, closed-deal
// statistics, stagnant deals, breakdowns, reps against targets, forecast and coverage.
#include "metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "metrics_counters.hpp"

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

// The term the rows are keyed by.
int breakdown_term(const DealMetricFigures& deal, BreakdownBy by) {
    switch (by) {
        case BreakdownBy::LeadSource:
            return deal.lead_source;
        case BreakdownBy::Industry:
            return deal.industry;
        case BreakdownBy::Owner:
            return deal.owner;
        case BreakdownBy::LostReason:
            return deal.lost_reason;
    }
    return -1;
}

int month_number(Day day) {
    const CivilDate date = civil_from_day(day);
    return date.year * 12 + date.month - 1;
}

}  // namespace

StageSummaryCounter::StageSummaryCounter(const Context& ctx)
    : ctx_(ctx), rows_(stage_rows<StageSummary>(ctx)) {}

void StageSummaryCounter::add(std::size_t deal) {
    if (!is_open_in_period(ctx_, deal)) return;
    const int stage = ctx_.stage_of(deal);
    const int rank = ctx_.rank_of_stage(stage);
    if (rank < 0) return;
    StageSummary& summary = rows_[rank];
    ++summary.open_count;
    summary.open_value += ctx_.figures(deal).value;
    summary.weighted_value += ctx_.weighted_value(deal);
    if (is_rotting(ctx_, deal, stage)) ++summary.rotting_count;
}

std::vector<StageSummary> stage_summaries(const Context& ctx) {
    return counted(ctx, StageSummaryCounter(ctx));
}

WinRate win_rate(const Context& ctx) { return win_rates(ctx, {ctx.period}).front(); }

WinRateCounter::WinRateCounter(const Context& ctx, std::vector<Period> periods)
    : ctx_(ctx), periods_(std::move(periods)), rates_(periods_.size()) {}

void WinRateCounter::add(std::size_t i) {
    const DealFigures& deal = ctx_.figures(i);
    if (deal.status != DealStatus::Won && deal.status != DealStatus::Lost) return;
    const std::optional<Timestamp> closed = ctx_.metric_figures(i).closed();
    // The last period beginning at or before the close; an undated deal can only belong to an
    // unbounded period, which begins before everything.
    const auto after = std::upper_bound(
        periods_.begin(), periods_.end(), closed.value_or(std::numeric_limits<Timestamp>::min()),
        [](Timestamp at, const Period& period) { return at < period.begin; });
    if (after == periods_.begin() || !(after - 1)->contains(closed)) return;
    WinRate& rate = rates_[static_cast<std::size_t>(after - 1 - periods_.begin())];
    if (deal.status == DealStatus::Won) {
        ++rate.won;
        rate.won_value += deal.value;
    } else {
        ++rate.lost;
        rate.lost_value += deal.value;
    }
}

std::vector<WinRate> WinRateCounter::result() {
    std::vector<WinRate> rates = std::move(rates_);
    for (WinRate& rate : rates) {
        rate.by_count = ratio(rate.won, rate.won + rate.lost);
        rate.by_value =
            ratio(static_cast<double>(rate.won_value),
                  static_cast<double>(rate.won_value) + static_cast<double>(rate.lost_value));
    }
    return rates;
}

std::vector<WinRate> win_rates(const Context& ctx, const std::vector<Period>& periods) {
    return counted(ctx, WinRateCounter(ctx, periods));
}

void WonValueCounter::add(std::size_t deal) {
    if (is_won_in(ctx_, deal, ctx_.period)) values_.push_back(ctx_.figures(deal).value);
}

DealSizeStats deal_size_of(std::vector<Money> values) {
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

DealSizeStats won_deal_size(const Context& ctx) {
    return deal_size_of(counted(ctx, WonValueCounter(ctx)));
}

std::vector<std::pair<Money, int>> histogram_of(const std::vector<Money>& values, int max_buckets) {
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

std::vector<std::pair<Money, int>> deal_size_histogram(const Context& ctx, int max_buckets) {
    return histogram_of(counted(ctx, WonValueCounter(ctx)), max_buckets);
}

void CycleTimeCounter::add(std::size_t i) {
    const DealMetricFigures& deal = ctx_.metric_figures(i);
    if (!deal.has_closed_at || !is_won_in(ctx_, i, ctx_.period)) return;
    const Timestamp seconds = std::max<Timestamp>(0, deal.closed_at - deal.created);
    days_.push_back(static_cast<double>(seconds) / kSecondsPerDay);
}

CycleTime CycleTimeCounter::result() {
    CycleTime cycle;
    if (days_.empty()) return cycle;
    cycle.deals = static_cast<int>(days_.size());
    double total = 0;
    for (const double d : days_) total += d;
    cycle.average_days = total / cycle.deals;
    const auto [lower, upper] = middle_values(days_);
    cycle.median_days = (lower + upper) / 2;
    return cycle;
}

CycleTime cycle_time(const Context& ctx) { return counted(ctx, CycleTimeCounter(ctx)); }

void StagnantCounter::add(std::size_t deal) {
    if (!is_open_in_period(ctx_, deal)) return;
    const int stage = ctx_.stage_of(deal);
    if (!is_rotting(ctx_, deal, stage)) return;
    const Timestamp entered = ctx_.figures(deal).stage_entered_at;
    found_.push_back({whole_days_between(entered, ctx_.now), entered, deal, stage});
}

std::vector<StagnantDeal> StagnantCounter::result() {
    // Sorted on numbers only: comparing 30,000 titles would cost more than finding the deals.
    std::sort(found_.begin(), found_.end(), [](const Found& a, const Found& b) {
        if (a.days != b.days) return a.days > b.days;
        if (a.entered != b.entered) return a.entered < b.entered;
        return a.deal < b.deal;
    });
    std::vector<StagnantDeal> stagnant;
    stagnant.reserve(found_.size());
    for (const Found& f : found_) {
        stagnant.push_back({f.deal, static_cast<std::size_t>(f.stage), f.days,
                            ctx_.ws.stages[f.stage].rotting_days});
    }
    return stagnant;
}

std::vector<StagnantDeal> stagnant_deals(const Context& ctx) {
    return counted(ctx, StagnantCounter(ctx));
}

BreakdownCounter::BreakdownCounter(const Context& ctx, BreakdownBy by)
    : ctx_(ctx), by_(by), row_by_term_(ctx.terms().size() + 1, -1) {}

int BreakdownCounter::new_row(std::string_view key) {
    rows_.push_back({});
    row_keys_.push_back(key);
    return static_cast<int>(rows_.size()) - 1;
}

Breakdown& BreakdownCounter::row_for_term(int term) {
    int& row = row_by_term_[static_cast<std::size_t>(term + 1)];
    if (row < 0) row = new_row(term < 0 ? std::string_view() : ctx_.terms().text(term));
    return rows_[row];
}

void BreakdownCounter::add(std::size_t i) {
    const DealFigures& deal = ctx_.figures(i);
    const DealMetricFigures& facts = ctx_.metric_figures(i);
    const bool closed_in_period = ctx_.period.contains(facts.closed());
    if (by_ == BreakdownBy::LostReason) {
        if (deal.status != DealStatus::Lost || !closed_in_period) return;
        Breakdown& row = row_for_term(facts.lost_reason);
        ++row.deals;
        row.value += deal.value;
        ++row.lost;
        return;
    }
    const bool created_in_period = ctx_.period.contains(facts.created);
    const bool won = deal.status == DealStatus::Won && closed_in_period;
    const bool lost = deal.status == DealStatus::Lost && closed_in_period;
    if (!created_in_period && !won && !lost) return;
    Breakdown& row = row_for_term(breakdown_term(facts, by_));
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

std::vector<Breakdown> BreakdownCounter::result() {
    std::vector<Breakdown> rows = std::move(rows_);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        rows[r].key = display_key(ctx_, by_, row_keys_[r]);
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

std::vector<Breakdown> breakdown(const Context& ctx, BreakdownBy by) {
    return counted(ctx, BreakdownCounter(ctx, by));
}

RepPerformanceCounter::RepPerformanceCounter(const Context& ctx)
    : ctx_(ctx),
      target_days_(ctx.target_period()),
      target_period_(Period::of_days(target_days_.first, target_days_.last)),
      row_by_owner_(ctx.terms().size(), -1) {
    if (!ctx.filter.owner_id.empty()) {
        const int rep = ctx.find_rep(ctx.filter.owner_id);
        add_row(ctx.filter.owner_id, rep >= 0 ? ctx.ws.reps[rep].name : ctx.filter.owner_id);
    } else {
        for (const Rep& rep : ctx.ws.reps) {
            if (!rep.meta.deleted) add_row(rep.meta.id, rep.name);
        }
    }
    if (rows_.empty() || ctx.ws.activities.empty()) return;
    if (ctx.unique_index()) {
        row_of_deal_.assign(ctx.ws.deals.size(), -1);
    } else {
        row_by_deal_.reserve(ctx.ws.deals.size());
    }
}

void RepPerformanceCounter::add_row(const Id& rep_id, const std::string& name) {
    const int owner = ctx_.terms().find(rep_id);
    if (owner >= 0 && row_by_owner_[owner] < 0) {
        row_by_owner_[owner] = static_cast<int>(rows_.size());
    }
    RepPerformance row;
    row.rep_id = rep_id;
    row.name = name;
    rows_.push_back(std::move(row));
}

void RepPerformanceCounter::add(std::size_t i) {
    if (rows_.empty()) return;
    const int owner = ctx_.metric_figures(i).owner;
    const int row = owner < 0 ? -1 : row_by_owner_[owner];
    if (row < 0) return;
    if (!row_of_deal_.empty()) {
        row_of_deal_[i] = row;
    } else if (!ctx_.ws.activities.empty()) {
        row_by_deal_.insert(ctx_.ws.deals[i].meta.id, row);
    }
    const Money value = ctx_.figures(i).value;
    if (is_won_in(ctx_, i, target_period_)) rows_[row].won_value += value;
    if (is_open_in_period(ctx_, i)) {
        rows_[row].open_pipeline += value;
        rows_[row].weighted_pipeline += ctx_.weighted_value(i);
    }
}

std::vector<RepPerformance> RepPerformanceCounter::result() {
    std::vector<RepPerformance> rows = std::move(rows_);
    if (rows.empty()) return rows;
    // With the index, each activity's deal is known; without it, activities are matched to
    // their deal by id.
    const auto count_activity = [&](const ActivityFigures& activity, int row) {
        if (activity.done && target_period_.contains(activity.done_or_due())) {
            ++rows[row].activities_done;
        }
        if (activity.overdue(ctx_.now)) ++rows[row].activities_overdue;
    };
    if (!row_of_deal_.empty()) {
        const WorkspaceIndex& index = *ctx_.unique_index();
        for (std::size_t a = 0; a < ctx_.ws.activities.size(); ++a) {
            const ActivityFigures& activity = index.activity_figures(a);
            const int row = activity.live && activity.deal >= 0 ? row_of_deal_[activity.deal] : -1;
            if (row < 0) continue;
            count_activity(activity, row);
        }
    } else if (!ctx_.ws.activities.empty()) {
        for (const Activity& activity : ctx_.ws.activities) {
            if (activity.meta.deleted) continue;
            const int row = row_by_deal_.find(activity.deal_id);
            if (row < 0) continue;
            count_activity(activity_figures_of(activity, -1), row);
        }
    }
    for (RepPerformance& row : rows) {
        row.target = target_over(ctx_.ws, row.rep_id, target_days_);
        row.attainment = ratio(static_cast<double>(row.won_value), static_cast<double>(row.target));
    }
    std::sort(rows.begin(), rows.end(), [](const RepPerformance& a, const RepPerformance& b) {
        if (a.won_value != b.won_value) return a.won_value > b.won_value;
        if (a.name != b.name) return a.name < b.name;
        return a.rep_id < b.rep_id;
    });
    return rows;
}

std::vector<RepPerformance> rep_performance(const Context& ctx) {
    return counted(ctx, RepPerformanceCounter(ctx));
}

void ForecastCounter::add(std::size_t i) {
    const DealMetricFigures& deal = ctx_.metric_figures(i);
    if (is_open_in_period(ctx_, i) && deal.has_expected_close) {
        const Day close = deal.expected_close;
        amounts_.push_back({close, ctx_.figures(i).value, ctx_.weighted_value(i), true});
        if (!earliest_close_ || close < *earliest_close_) earliest_close_ = close;
        if (!latest_close_ || close > *latest_close_) latest_close_ = close;
    } else if (deal.has_closed_at && is_won_in(ctx_, i, ctx_.period)) {
        amounts_.push_back({day_of(deal.closed_at), ctx_.figures(i).value, 0, false});
    }
}

std::vector<ForecastBucket> ForecastCounter::result() {
    constexpr int kUnboundedReach = 24;  // buckets either side of now without a period
    constexpr int kMostBuckets = 600;
    const int months_per_bucket = bucket_ == TargetPeriod::Month ? 1 : 3;
    const Day now_bucket = bucket_range(ctx_.today, bucket_).first;
    const int reach_months = kUnboundedReach * months_per_bucket;
    Day first = std::min(
        now_bucket, earliest_close_ ? bucket_range(*earliest_close_, bucket_).first : now_bucket);
    Day last = std::max(now_bucket,
                        latest_close_ ? bucket_range(*latest_close_, bucket_).first : now_bucket);
    first = std::max(first, add_months(now_bucket, -reach_months));
    last = std::min(last, add_months(now_bucket, reach_months));
    if (ctx_.filter.from) {
        first = bucket_range(*ctx_.filter.from, bucket_).first;
        if (!ctx_.filter.to) last = std::max(last, first);
    }
    if (ctx_.filter.to) {
        last = bucket_range(*ctx_.filter.to, bucket_).first;
        if (!ctx_.filter.from) first = std::min(first, last);
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
    for (const Amount& amount : amounts_) {
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
        b.target = ctx_.target_over(bucket_range(b.period_start, bucket_));
    }
    return buckets;
}

std::vector<ForecastBucket> forecast(const Context& ctx, TargetPeriod bucket) {
    return counted(ctx, ForecastCounter(ctx, bucket));
}

CoverageCounter::CoverageCounter(const Context& ctx)
    : ctx_(ctx),
      target_days_(ctx.target_period()),
      target_period_(Period::of_days(target_days_.first, target_days_.last)) {}

void CoverageCounter::add(std::size_t i) {
    if (is_won_in(ctx_, i, target_period_)) won_ += ctx_.figures(i).value;
    const DealMetricFigures& deal = ctx_.metric_figures(i);
    if (ctx_.figures(i).status == DealStatus::Open && deal.has_expected_close &&
        target_period_.contains_day(deal.expected_close)) {
        weighted_open_ += ctx_.weighted_value(i);
    }
}

PipelineCoverage CoverageCounter::result() {
    PipelineCoverage result;
    result.weighted_open = weighted_open_;
    result.remaining_target = std::max<Money>(0, ctx_.target_over(target_days_) - won_);
    result.ratio = ratio(static_cast<double>(result.weighted_open),
                         static_cast<double>(result.remaining_target));
    return result;
}

PipelineCoverage coverage(const Context& ctx) { return counted(ctx, CoverageCounter(ctx)); }

ClosedDeals closed_deals(const Context& ctx) { return counted(ctx, ClosedDealsCounter(ctx)); }

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

ClosedDeals closed_deals(const Workspace& ws, const MetricsFilter& filter,
                         const WorkspaceIndex* index) {
    return metrics_detail::closed_deals(Context(ws, filter, 0, index));
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

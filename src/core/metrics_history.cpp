// The metrics read from the deals' history: the stage funnel and the time deals spend in each
// stage, both over each deal's stage visits.
#include "metrics.hpp"
#include "metrics_counters.hpp"

namespace pb {

namespace metrics_detail {

FunnelCounter::FunnelCounter(const Context& ctx)
    : ctx_(ctx),
      rows_(stage_rows<StageConversion>(ctx)),
      counted_deal_(ctx.pipeline_stages().size(), ctx.ws.deals.size()) {}

void FunnelCounter::add(std::size_t deal, std::span<const StageVisit> visits) {
    for (std::size_t v = 0; v < visits.size(); ++v) {
        const StageVisit& visit = visits[v];
        const int rank = ctx_.rank_of_stage(visit.stage);
        if (rank < 0 || visit.start == VisitStart::Reopened || !ctx_.period.contains(visit.enter) ||
            counted_deal_[rank] == deal) {
            continue;
        }
        counted_deal_[rank] = deal;
        StageConversion& row = rows_[rank];
        ++row.entered;
        row.entered_value += ctx_.figures(deal).value;
        bool advanced = false;
        bool lost_here = false;
        for (std::size_t later = v; later < visits.size(); ++later) {
            const StageVisit& next = visits[later];
            if (next.end == VisitEnd::Won) advanced = true;
            if (later > v && ctx_.rank_of_stage(next.stage) > rank) advanced = true;
            if (next.stage == visit.stage && next.end == VisitEnd::Lost) lost_here = true;
        }
        if (advanced) ++row.advanced;
        if (lost_here) ++row.lost_here;
    }
}

std::vector<StageConversion> FunnelCounter::result() {
    std::vector<StageConversion> rows = std::move(rows_);
    for (StageConversion& row : rows) {
        row.conversion_to_next =
            row.entered > 0 ? static_cast<double>(row.advanced) / row.entered : 0;
    }
    return rows;
}

std::vector<StageConversion> funnel(const Context& ctx) {
    return counted_visits(ctx, FunnelCounter(ctx));
}

StageTimeCounter::StageTimeCounter(const Context& ctx)
    : ctx_(ctx),
      rows_(stage_rows<StageTime>(ctx)),
      total_seconds_(ctx.pipeline_stages().size(), 0) {}

void StageTimeCounter::add(std::size_t, std::span<const StageVisit> visits) {
    for (const StageVisit& visit : visits) {
        const int rank = ctx_.rank_of_stage(visit.stage);
        if (rank < 0 || !ctx_.period.contains(visit.enter)) continue;
        ++rows_[rank].visits;
        total_seconds_[rank] += visit.leave_by(ctx_.now) - visit.enter;
    }
}

std::vector<StageTime> StageTimeCounter::result() {
    std::vector<StageTime> rows = std::move(rows_);
    for (std::size_t rank = 0; rank < rows.size(); ++rank) {
        if (rows[rank].visits > 0) {
            rows[rank].average_days = static_cast<double>(total_seconds_[rank]) /
                                      static_cast<double>(kSecondsPerDay) / rows[rank].visits;
        }
    }
    return rows;
}

std::vector<StageTime> time_in_stage(const Context& ctx) {
    return counted_visits(ctx, StageTimeCounter(ctx));
}

}  // namespace metrics_detail

std::vector<StageConversion> funnel(const Workspace& ws, const MetricsFilter& filter) {
    return metrics_detail::funnel(metrics_detail::Context(ws, filter, 0));
}

std::vector<StageTime> time_in_stage(const Workspace& ws, const MetricsFilter& filter,
                                     Timestamp now) {
    return metrics_detail::time_in_stage(metrics_detail::Context(ws, filter, now));
}

}  // namespace pb

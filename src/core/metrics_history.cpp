// The metrics read from the deals' history: the stage funnel and the time deals spend in each
// stage, both over the stage visits rebuilt per deal.
#include "metrics.hpp"

#include "metrics_context.hpp"

namespace pb {

namespace metrics_detail {

std::vector<StageConversion> funnel(const Context& ctx) {
    const std::vector<int>& stages = ctx.pipeline_stages();
    std::vector<StageConversion> rows(stages.size());
    for (std::size_t rank = 0; rank < stages.size(); ++rank) {
        rows[rank].stage_id = ctx.ws.stages[stages[rank]].meta.id;
        rows[rank].name = ctx.ws.stages[stages[rank]].name;
    }
    // The deal last counted per stage, so each deal enters each stage at most once.
    std::vector<std::size_t> counted_deal(stages.size(), ctx.ws.deals.size());
    ctx.for_each_pipeline_deal_visits([&](std::size_t deal, const std::vector<StageVisit>& visits) {
        for (std::size_t v = 0; v < visits.size(); ++v) {
            const StageVisit& visit = visits[v];
            const int rank = ctx.rank_of_stage(visit.stage);
            if (rank < 0 || visit.start == VisitStart::Reopened ||
                !ctx.period.contains(visit.enter) || counted_deal[rank] == deal) {
                continue;
            }
            counted_deal[rank] = deal;
            StageConversion& row = rows[rank];
            ++row.entered;
            row.entered_value += ctx.figures(deal).value;
            bool advanced = false;
            bool lost_here = false;
            for (std::size_t later = v; later < visits.size(); ++later) {
                const StageVisit& next = visits[later];
                if (next.end == VisitEnd::Won) advanced = true;
                if (later > v && ctx.rank_of_stage(next.stage) > rank) advanced = true;
                if (next.stage == visit.stage && next.end == VisitEnd::Lost) lost_here = true;
            }
            if (advanced) ++row.advanced;
            if (lost_here) ++row.lost_here;
        }
    });
    for (StageConversion& row : rows) {
        row.conversion_to_next =
            row.entered > 0 ? static_cast<double>(row.advanced) / row.entered : 0;
    }
    return rows;
}

std::vector<StageTime> time_in_stage(const Context& ctx) {
    const std::vector<int>& stages = ctx.pipeline_stages();
    std::vector<StageTime> rows(stages.size());
    std::vector<Timestamp> total_seconds(stages.size(), 0);
    for (std::size_t rank = 0; rank < stages.size(); ++rank) {
        rows[rank].stage_id = ctx.ws.stages[stages[rank]].meta.id;
        rows[rank].name = ctx.ws.stages[stages[rank]].name;
    }
    ctx.for_each_pipeline_deal_visits([&](std::size_t, const std::vector<StageVisit>& visits) {
        for (const StageVisit& visit : visits) {
            const int rank = ctx.rank_of_stage(visit.stage);
            if (rank < 0 || !ctx.period.contains(visit.enter)) continue;
            ++rows[rank].visits;
            total_seconds[rank] += visit.leave - visit.enter;
        }
    });
    for (std::size_t rank = 0; rank < rows.size(); ++rank) {
        if (rows[rank].visits > 0) {
            rows[rank].average_days = static_cast<double>(total_seconds[rank]) /
                                      static_cast<double>(kSecondsPerDay) / rows[rank].visits;
        }
    }
    return rows;
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

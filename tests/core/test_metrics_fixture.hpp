// Small hand-built workspaces for the metrics tests: a "Sales" pipeline of three stages, a
// one-stage "Renewals" pipeline, and helpers to add deals and history with chosen dates.
#pragma once

#include "core/metrics.hpp"

#include <string>

namespace pb::metrics_test {

inline Day day(int year, int month, int d) { return day_from_civil({year, month, d}); }
inline Timestamp at(int year, int month, int d, int hour = 0) {
    return start_of_day(day(year, month, d)) + hour * 3600;
}
constexpr Money dollars(std::int64_t amount) { return amount * 100; }

inline MetricsFilter period(Day from, Day to) {
    MetricsFilter filter;
    filter.from = from;
    filter.to = to;
    return filter;
}
inline MetricsFilter march_2026() { return period(day(2026, 3, 1), day(2026, 3, 31)); }

inline Stage make_stage(std::string id, std::string pipeline, std::string name, int position,
                        int probability, int rotting_days) {
    Stage stage;
    stage.meta.id = std::move(id);
    stage.pipeline_id = std::move(pipeline);
    stage.name = std::move(name);
    stage.position = position;
    stage.probability = probability;
    stage.rotting_days = rotting_days;
    return stage;
}

// Sales (first): lead 10% rotting after 14 days, qualified 30%/10, proposal 60%/7.
// Renewals (second): renewal 50%/5. Stages are stored out of order on purpose.
inline Workspace sales_workspace() {
    Workspace ws;
    Pipeline renewals;
    renewals.meta.id = "renewals";
    renewals.name = "Renewals";
    renewals.position = 1;
    Pipeline sales;
    sales.meta.id = "sales";
    sales.name = "Sales";
    sales.position = 0;
    ws.pipelines = {renewals, sales};
    ws.stages = {make_stage("proposal", "sales", "Proposal", 2, 60, 7),
                 make_stage("lead", "sales", "Lead", 0, 10, 14),
                 make_stage("renewal", "renewals", "Renewal", 0, 50, 5),
                 make_stage("qualified", "sales", "Qualified", 1, 30, 10)};
    return ws;
}

inline Deal& add_deal(Workspace& ws, const std::string& id, const std::string& stage_id,
                      Money value) {
    Deal deal;
    deal.meta.id = id;
    deal.meta.created = at(2026, 1, 1);
    deal.title = id;
    deal.stage_id = stage_id;
    for (const Stage& stage : ws.stages) {
        if (stage.meta.id == stage_id) deal.pipeline_id = stage.pipeline_id;
    }
    deal.value = value;
    deal.stage_entered_at = deal.meta.created;
    ws.deals.push_back(deal);
    return ws.deals.back();
}

inline void close_deal(Deal& deal, DealStatus status, Timestamp when) {
    deal.status = status;
    deal.closed_at = when;
}

inline Rep& add_rep(Workspace& ws, const std::string& id, const std::string& name) {
    Rep rep;
    rep.meta.id = id;
    rep.name = name;
    ws.reps.push_back(rep);
    return ws.reps.back();
}

inline Target& add_target(Workspace& ws, const std::string& rep_id, TargetPeriod period,
                          std::optional<Day> start, Money amount) {
    Target target;
    target.meta.id = "target-" + std::to_string(ws.targets.size() + 1);
    target.rep_id = rep_id;
    target.period = period;
    target.period_start = start;
    target.amount = amount;
    ws.targets.push_back(target);
    return ws.targets.back();
}

inline HistoryEvent& add_event(Workspace& ws, const std::string& deal_id, HistoryKind kind,
                               Timestamp when) {
    HistoryEvent event;
    event.meta.id = "event-" + std::to_string(ws.history.size() + 1);
    event.deal_id = deal_id;
    event.kind = kind;
    event.at = when;
    ws.history.push_back(event);
    return ws.history.back();
}
inline void created_in(Workspace& ws, const std::string& deal_id, const std::string& stage,
                       Timestamp when) {
    add_event(ws, deal_id, HistoryKind::Created, when).to_stage_id = stage;
}
inline HistoryEvent& moved(Workspace& ws, const std::string& deal_id, const std::string& from,
                           const std::string& to, Timestamp when) {
    HistoryEvent& event = add_event(ws, deal_id, HistoryKind::StageChanged, when);
    event.from_stage_id = from;
    event.to_stage_id = to;
    return event;
}
inline void status_changed(Workspace& ws, const std::string& deal_id, DealStatus to,
                           Timestamp when) {
    add_event(ws, deal_id, HistoryKind::StatusChanged, when).to_status = to;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace pb::metrics_test

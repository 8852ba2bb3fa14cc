// Replays a deal's history into stage visits.
#include "stage_visits.hpp"

namespace pb {

namespace {

VisitEnd visit_end_for(DealStatus status) {
    switch (status) {
        case DealStatus::Won:
            return VisitEnd::Won;
        case DealStatus::Lost:
            return VisitEnd::Lost;
        case DealStatus::Nurture:
            return VisitEnd::Nurture;
        case DealStatus::Open:
            break;
    }
    return VisitEnd::StillThere;
}

}  // namespace

void build_stage_visits(const HistoryStep* first, const HistoryStep* last, const VisitedDeal& deal,
                        const std::vector<HistoryEvent>& history, const StageLookup& stages,
                        std::vector<StageVisit>& out) {
    out.clear();
    int current = -1;
    bool active = false;
    auto open_visit = [&](int stage, Timestamp at, VisitStart start) {
        out.push_back({stage, at, at, start, VisitEnd::StillThere});
        current = stage;
        active = true;
    };
    auto close_visit = [&](Timestamp at, VisitEnd end) {
        if (!active) return;
        out.back().leave = std::max(at, out.back().enter);
        out.back().end = end;
        active = false;
    };
    // Where a deal started when its history does not say: the stage its first move left, else
    // the stage it is in now.
    auto initial_stage = [&](const HistoryStep* from) {
        for (const HistoryStep* it = from; it < last; ++it) {
            if (it->kind != HistoryKind::StageChanged) continue;
            const Id& left = history[static_cast<std::size_t>(it->event)].from_stage_id;
            if (!left.empty()) return stages.stage(left);
        }
        return deal.stage;
    };

    if (first == last) {
        // No history at all (e.g. imported): the deal's own fields are all there is.
        open_visit(deal.stage, deal.stage_entered_at != 0 ? deal.stage_entered_at : deal.created,
                   VisitStart::Assumed);
    } else if (first->kind != HistoryKind::Created) {
        open_visit(initial_stage(first), std::min(deal.created, first->at), VisitStart::Assumed);
    }
    for (const HistoryStep* it = first; it < last; ++it) {
        switch (it->kind) {
            case HistoryKind::Created:
                if (out.empty()) {
                    open_visit(it->to_stage_given ? it->to_stage : initial_stage(it + 1), it->at,
                               VisitStart::Created);
                }
                break;
            case HistoryKind::StageChanged:
                if (active) {
                    close_visit(it->at, VisitEnd::Moved);
                    open_visit(it->to_stage, it->at, VisitStart::Moved);
                } else {
                    current = it->to_stage;  // a closed deal moved: no visit until it reopens
                }
                break;
            case HistoryKind::StatusChanged:
                if (it->to_status == DealStatus::Open) {
                    if (!active) open_visit(current, it->at, VisitStart::Reopened);
                } else {
                    close_visit(it->at, visit_end_for(it->to_status));
                }
                break;
        }
    }
    // An open deal's last visit stays open (its leave is the reader's now); a deal closed
    // without a recorded status change left when it closed.
    if (active && deal.status != DealStatus::Open) {
        close_visit(deal.closed_at.value_or(out.back().enter), visit_end_for(deal.status));
    }
}

}  // namespace pb

// A deal's stage visits: the spans of time it spent in each stage, replayed from its history
// events. The funnel and the time-in-stage metrics count them; the workspace index keeps
// every deal's visits current so those metrics do not replay 600,000 events per question.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "workspace.hpp"

namespace pb {

// How a stage visit began and ended.
enum class VisitStart { Created, Moved, Reopened, Assumed };
enum class VisitEnd { StillThere, Moved, Won, Lost, Nurture };

struct StageVisit {
    int stage = -1;  // index in Workspace::stages, -1 when unknown
    Timestamp enter = 0;
    // For a visit still open (end == StillThere) the time is now, which the reader supplies:
    // see leave_by.
    Timestamp leave = 0;
    VisitStart start = VisitStart::Created;
    VisitEnd end = VisitEnd::StillThere;

    Timestamp leave_by(Timestamp now) const {
        return end == VisitEnd::StillThere ? std::max(now, enter) : leave;
    }
};

// The part of a history event the visits need.
struct HistoryStep {
    Timestamp at = 0;
    int event = 0;      // index in ws.history
    int to_stage = -1;  // index in ws.stages
    HistoryKind kind = HistoryKind::Created;
    DealStatus to_status = DealStatus::Open;
    bool to_stage_given = false;  // the event names a stage (it may still be unknown)
};

// What the visits need of the deal itself, for the parts its history leaves out.
struct VisitedDeal {
    int stage = -1;  // its current stage
    Timestamp stage_entered_at = 0;
    Timestamp created = 0;
    DealStatus status = DealStatus::Open;
    std::optional<Timestamp> closed_at;
};

// Finds a stage by id the way the caller numbers stages (-1 when unknown).
class StageLookup {
public:
    virtual ~StageLookup() = default;
    virtual int stage(const Id& id) const = 0;
};

// Replaces `out` with the visits of a deal whose live history events are `steps`, in time
// order (events at the same instant in workspace order). `stages` finds the stage a move's
// from_stage_id names, for a history that does not say where the deal started.
void build_stage_visits(const HistoryStep* first, const HistoryStep* last, const VisitedDeal& deal,
                        const std::vector<HistoryEvent>& history, const StageLookup& stages,
                        std::vector<StageVisit>& out);

}  // namespace pb

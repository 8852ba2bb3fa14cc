// The sample pipeline must look like a real small company's data: every stage used, every
// outcome present, histories that agree with each deal's state, and the same output for
// the same seed.
#include "core/json_format.hpp"
#include "core/sample_workspace.hpp"
#include "core/workspace_index.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

namespace {

constexpr pb::Timestamp kNow = 1796000000;  // 2026-11-29 in the afternoon

}  // namespace

TEST_CASE("the sample pipeline is the same for the same seed and differs for another") {
    const pb::Workspace a = pb::make_sample_workspace({}, kNow);
    const pb::Workspace b = pb::make_sample_workspace({}, kNow);
    pb::SampleOptions other;
    other.seed = 7;
    const pb::Workspace c = pb::make_sample_workspace(other, kNow);
    CHECK(pb::workspace_to_json(a) == pb::workspace_to_json(b));
    CHECK(pb::workspace_to_json(a) != pb::workspace_to_json(c));
}

TEST_CASE("the sample pipeline spreads deals over every stage and every outcome") {
    const pb::Workspace ws = pb::make_sample_workspace({}, kNow);
    REQUIRE(ws.deals.size() == 300);
    CHECK(ws.reps.size() == 5);
    CHECK(ws.targets.size() == 6);

    std::map<pb::DealStatus, int> by_status;
    std::map<pb::Id, int> open_by_stage;
    for (const pb::Deal& deal : ws.deals) {
        ++by_status[deal.status];
        if (deal.status == pb::DealStatus::Open) ++open_by_stage[deal.stage_id];
        CHECK(deal.value > 0);
        CHECK(!deal.title.empty());
        CHECK(!deal.owner_id.empty());
        CHECK(!deal.contacts.empty());
        CHECK(deal.contacts.front().decision_maker);
    }
    CHECK(by_status[pb::DealStatus::Won] >= 20);
    CHECK(by_status[pb::DealStatus::Lost] >= 20);
    CHECK(by_status[pb::DealStatus::Nurture] >= 3);
    CHECK(by_status[pb::DealStatus::Open] >= 60);
    // Every stage before Post-Purchase holds open deals.
    int stages_with_open = 0;
    for (const pb::Stage& stage : ws.stages)
        if (open_by_stage[stage.meta.id] > 0) ++stages_with_open;
    CHECK(stages_with_open >= 6);
}

TEST_CASE("sample histories agree with each deal's stage and status") {
    const pb::Workspace ws = pb::make_sample_workspace({}, kNow);
    std::map<pb::Id, const pb::HistoryEvent*> last_move;
    std::map<pb::Id, const pb::HistoryEvent*> last_status;
    std::map<pb::Id, int> created_events;
    for (const pb::HistoryEvent& event : ws.history) {
        CHECK(event.at <= kNow);
        CHECK(event.at >= kNow - 366 * pb::kSecondsPerDay);
        if (event.kind == pb::HistoryKind::Created) ++created_events[event.deal_id];
        // A deal's Created event counts as its first arrival in a stage.
        auto& slot = event.kind == pb::HistoryKind::StatusChanged ? last_status[event.deal_id]
                                                                  : last_move[event.deal_id];
        if (!slot || slot->at <= event.at) slot = &event;
    }
    for (const pb::Deal& deal : ws.deals) {
        CHECK(created_events[deal.meta.id] == 1);
        REQUIRE(last_move[deal.meta.id] != nullptr);
        CHECK(last_move[deal.meta.id]->to_stage_id == deal.stage_id);
        CHECK(deal.stage_entered_at == last_move[deal.meta.id]->at);
        if (deal.status != pb::DealStatus::Open) {
            REQUIRE(last_status[deal.meta.id] != nullptr);
            CHECK(last_status[deal.meta.id]->to_status == deal.status);
        }
        if (deal.status == pb::DealStatus::Lost) CHECK(!deal.lost_reason.empty());
        if (deal.status == pb::DealStatus::Nurture) CHECK(deal.revisit_on.has_value());
    }
}

TEST_CASE("the sample pipeline has work due today, overdue work, stagnant deals and renewals") {
    const pb::Workspace ws = pb::make_sample_workspace({}, kNow);
    const pb::Day today = pb::day_of(kNow);
    int due_today = 0, overdue = 0;
    for (const pb::Activity& activity : ws.activities) {
        if (activity.done) continue;
        if (pb::day_of(activity.due) == today) ++due_today;
        else if (activity.due < kNow) ++overdue;
    }
    CHECK(due_today >= 3);
    CHECK(overdue >= 3);

    const pb::WorkspaceIndex index(ws);
    int rotting = 0, renewals = 0;
    for (const pb::Deal& deal : ws.deals) {
        if (index.is_rotting(deal, kNow)) ++rotting;
        if (deal.status == pb::DealStatus::Won && deal.contract_end &&
            *deal.contract_end >= today && *deal.contract_end <= today + 60)
            ++renewals;
    }
    CHECK(rotting >= 3);
    CHECK(renewals >= 2);
}

TEST_CASE("a 100,000-deal sample keeps unique ids") {
    pb::SampleOptions big;
    big.deal_count = 100000;
    const pb::Workspace ws = pb::make_sample_workspace(big, kNow);
    CHECK(ws.deals.size() == 100000);
    std::set<pb::Id> ids;
    for (const pb::Deal& deal : ws.deals) ids.insert(deal.meta.id);
    CHECK(ids.size() == 100000);
}

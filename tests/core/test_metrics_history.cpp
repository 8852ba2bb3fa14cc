// Metrics read from the stage history: the funnel and the time deals spend in each stage.
#include "test_metrics_fixture.hpp"

#include "core/commands.hpp"
#include "core/ids.hpp"
#include "core/sample_workspace.hpp"
#include "core/workspace_index.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace pb;
using namespace pb::metrics_test;

namespace {

// Six deals moving through Sales (events at midnight, so durations are whole days):
//   f1 lead 03-02 -> qualified 03-05 -> proposal 03-10 -> won 03-15
//   f2 lead 03-03 -> qualified 03-06 -> lost 03-09
//   f3 lead 03-04, still there (a deleted event claims a move to proposal)
//   f4 lead 02-20 -> qualified 03-02, still there
//   f5 lead 03-05 -> lost 03-06
//   f6 lead 03-07 -> qualified 03-08 -> back to lead 03-09, still there
Workspace funnel_workspace() {
    Workspace ws = sales_workspace();
    close_deal(add_deal(ws, "f1", "proposal", dollars(100)), DealStatus::Won, at(2026, 3, 15));
    close_deal(add_deal(ws, "f2", "qualified", dollars(200)), DealStatus::Lost, at(2026, 3, 9));
    add_deal(ws, "f3", "lead", dollars(300));
    add_deal(ws, "f4", "qualified", dollars(400));
    close_deal(add_deal(ws, "f5", "lead", dollars(500)), DealStatus::Lost, at(2026, 3, 6));
    add_deal(ws, "f6", "lead", dollars(600));

    // Stored out of time order: the metrics must sort each deal's events.
    status_changed(ws, "f1", DealStatus::Won, at(2026, 3, 15));
    moved(ws, "f1", "qualified", "proposal", at(2026, 3, 10));
    created_in(ws, "f1", "lead", at(2026, 3, 2));
    moved(ws, "f1", "lead", "qualified", at(2026, 3, 5));
    created_in(ws, "f2", "lead", at(2026, 3, 3));
    moved(ws, "f2", "lead", "qualified", at(2026, 3, 6));
    status_changed(ws, "f2", DealStatus::Lost, at(2026, 3, 9));
    created_in(ws, "f3", "lead", at(2026, 3, 4));
    moved(ws, "f3", "lead", "proposal", at(2026, 3, 12)).meta.deleted = true;
    created_in(ws, "f4", "lead", at(2026, 2, 20));
    moved(ws, "f4", "lead", "qualified", at(2026, 3, 2));
    created_in(ws, "f5", "lead", at(2026, 3, 5));
    status_changed(ws, "f5", DealStatus::Lost, at(2026, 3, 6));
    created_in(ws, "f6", "lead", at(2026, 3, 7));
    moved(ws, "f6", "lead", "qualified", at(2026, 3, 8));
    moved(ws, "f6", "qualified", "lead", at(2026, 3, 9));
    return ws;
}

const Timestamp kNow = at(2026, 3, 20);

// The history metrics read through `index` equal a full pass; returns the full pass.
MetricsSnapshot check_same_history_metrics(const Workspace& ws, const WorkspaceIndex& index,
                                           const MetricsFilter& filter) {
    const MetricsSnapshot full = all_metrics(ws, filter, kNow);
    const MetricsSnapshot indexed = all_metrics(ws, filter, kNow, &index);
    REQUIRE(indexed.funnel.size() == full.funnel.size());
    for (std::size_t i = 0; i < full.funnel.size(); ++i) {
        CHECK(indexed.funnel[i].entered == full.funnel[i].entered);
        CHECK(indexed.funnel[i].advanced == full.funnel[i].advanced);
        CHECK(indexed.funnel[i].lost_here == full.funnel[i].lost_here);
        CHECK(indexed.funnel[i].entered_value == full.funnel[i].entered_value);
    }
    REQUIRE(indexed.time_in_stage.size() == full.time_in_stage.size());
    for (std::size_t i = 0; i < full.time_in_stage.size(); ++i) {
        CHECK(indexed.time_in_stage[i].visits == full.time_in_stage[i].visits);
        CHECK(indexed.time_in_stage[i].average_days == full.time_in_stage[i].average_days);
    }
    CHECK(indexed.cycle_time.deals == full.cycle_time.deals);
    CHECK(indexed.cycle_time.median_days == full.cycle_time.median_days);
    CHECK(indexed.stage_attention.stage_id == full.stage_attention.stage_id);
    CHECK(indexed.stage_attention.sentence == full.stage_attention.sentence);
    return full;
}

}  // namespace

TEST_CASE("funnel: deals entering each stage in the period, advancing or lost from it") {
    const Workspace ws = funnel_workspace();
    const std::vector<StageConversion> rows = funnel(ws, march_2026());
    REQUIRE(rows.size() == 3);
    // Lead: f1, f2, f3, f5, f6 entered in March (f4 in February; f6's return is not a second
    // entry). Advanced: f1, f2, f6 reached qualified. Lost here: f5.
    CHECK(rows[0].stage_id == "lead");
    CHECK(rows[0].entered == 5);
    CHECK(rows[0].advanced == 3);
    CHECK(rows[0].lost_here == 1);
    CHECK(rows[0].entered_value == dollars(100 + 200 + 300 + 500 + 600));
    CHECK(rows[0].conversion_to_next == doctest::Approx(0.6));
    // Qualified: f1, f2, f4, f6. Only f1 moved on (f6 went back); f2 was lost there.
    CHECK(rows[1].entered == 4);
    CHECK(rows[1].advanced == 1);
    CHECK(rows[1].lost_here == 1);
    CHECK(rows[1].entered_value == dollars(100 + 200 + 400 + 600));
    CHECK(rows[1].conversion_to_next == doctest::Approx(0.25));
    // Proposal: f1, which was won (the deleted move of f3 does not count).
    CHECK(rows[2].entered == 1);
    CHECK(rows[2].advanced == 1);
    CHECK(rows[2].conversion_to_next == doctest::Approx(1.0));
}

TEST_CASE("funnel follows a cohort past the period's end") {
    const Workspace ws = funnel_workspace();
    // Up to 03-09: f1 entered proposal on 03-10, so proposal has no entries, yet f1 still
    // counts as advancing from qualified (it entered qualified on 03-05).
    const std::vector<StageConversion> rows = funnel(ws, period(day(2026, 3, 1), day(2026, 3, 9)));
    CHECK(rows[1].entered == 4);
    CHECK(rows[1].advanced == 1);
    CHECK(rows[2].entered == 0);
    CHECK(rows[2].conversion_to_next == 0);

    // All time adds f4 to lead, and it advanced: 4 of 6.
    const std::vector<StageConversion> all = funnel(ws, {});
    CHECK(all[0].entered == 6);
    CHECK(all[0].advanced == 4);
    CHECK(all[0].conversion_to_next == doctest::Approx(4.0 / 6.0));
}

TEST_CASE("funnel filters deals and handles empty and history-less workspaces") {
    Workspace ws = funnel_workspace();
    ws.deals[0].owner_id = "rep-a";  // f1
    MetricsFilter owner = march_2026();
    owner.owner_id = "rep-a";
    const std::vector<StageConversion> mine = funnel(ws, owner);
    CHECK(mine[0].entered == 1);
    CHECK(mine[1].entered == 1);
    CHECK(mine[2].entered == 1);
    CHECK(mine[2].advanced == 1);

    ws.deals[1].meta.deleted = true;  // f2
    CHECK(funnel(ws, march_2026())[0].entered == 4);

    MetricsFilter renewals;
    renewals.pipeline_id = "renewals";
    const std::vector<StageConversion> other = funnel(ws, renewals);
    REQUIRE(other.size() == 1);
    CHECK(other[0].entered == 0);

    CHECK(funnel(Workspace{}, {}).empty());

    // A deal with no history (imported) entered its stage when stage_entered_at says.
    Workspace imported = sales_workspace();
    Deal& deal = add_deal(imported, "imported", "qualified", dollars(50));
    deal.stage_entered_at = at(2026, 3, 12);
    const std::vector<StageConversion> rows = funnel(imported, march_2026());
    CHECK(rows[0].entered == 0);
    CHECK(rows[1].entered == 1);
    CHECK(rows[1].entered_value == dollars(50));
    CHECK(rows[1].advanced == 0);
}

TEST_CASE("time in stage averages the visits that began in the period") {
    const Workspace ws = funnel_workspace();
    const std::vector<StageTime> rows = time_in_stage(ws, march_2026(), kNow);
    REQUIRE(rows.size() == 3);
    // Lead visits begun in March: f1 3, f2 3, f3 16 (open to now, 03-20), f5 1, f6 1 and
    // f6 again 11 (open) -> 35 days over 6 visits.
    CHECK(rows[0].stage_id == "lead");
    CHECK(rows[0].visits == 6);
    CHECK(rows[0].average_days == doctest::Approx(35.0 / 6.0));
    // Qualified: f1 5, f2 3 (until lost), f4 18 (open), f6 1 -> 27 over 4.
    CHECK(rows[1].visits == 4);
    CHECK(rows[1].average_days == doctest::Approx(6.75));
    // Proposal: f1 5 days until won.
    CHECK(rows[2].visits == 1);
    CHECK(rows[2].average_days == doctest::Approx(5.0));

    // f4's lead visit began in February: all time has 7 lead visits, 35 + 10 days.
    const std::vector<StageTime> all = time_in_stage(ws, {}, kNow);
    CHECK(all[0].visits == 7);
    CHECK(all[0].average_days == doctest::Approx(45.0 / 7.0));
}

TEST_CASE("time in stage: a reopened deal starts a new visit; a closed one stops the clock") {
    Workspace ws = sales_workspace();
    add_deal(ws, "r1", "lead", dollars(10));
    created_in(ws, "r1", "lead", at(2026, 3, 1));
    status_changed(ws, "r1", DealStatus::Lost, at(2026, 3, 3));
    status_changed(ws, "r1", DealStatus::Open, at(2026, 3, 10));
    // Lead: 2 days until lost, then 10 days since reopening (to 03-20).
    const std::vector<StageTime> rows = time_in_stage(ws, {}, kNow);
    CHECK(rows[0].visits == 2);
    CHECK(rows[0].average_days == doctest::Approx(6.0));
    // The funnel counts one entry into lead (reopening is not an entry) and its loss there.
    const std::vector<StageConversion> conversion = funnel(ws, {});
    CHECK(conversion[0].entered == 1);
    CHECK(conversion[0].lost_here == 1);
    // Reopened within 03-05..03-31, created before: no entry in that period, one visit.
    const MetricsFilter after_loss = period(day(2026, 3, 5), day(2026, 3, 31));
    CHECK(funnel(ws, after_loss)[0].entered == 0);
    CHECK(time_in_stage(ws, after_loss, kNow)[0].visits == 1);

    // A won deal whose history lacks the status change stops at closed_at.
    Workspace closed = sales_workspace();
    close_deal(add_deal(closed, "w", "proposal", dollars(10)), DealStatus::Won, at(2026, 3, 6));
    created_in(closed, "w", "proposal", at(2026, 3, 2));
    const std::vector<StageTime> closed_rows = time_in_stage(closed, {}, kNow);
    CHECK(closed_rows[2].visits == 1);
    CHECK(closed_rows[2].average_days == doctest::Approx(4.0));

    CHECK(time_in_stage(Workspace{}, {}, kNow).empty());
    const std::vector<StageTime> none = time_in_stage(sales_workspace(), {}, kNow);
    REQUIRE(none.size() == 3);
    CHECK(none[0].visits == 0);
    CHECK(none[0].average_days == 0);
}

TEST_CASE("history metrics read from the session's index equal a full pass, after edits too") {
    Workspace ws = funnel_workspace();
    IdGenerator ids(5);
    Session session(ws, ids);
    const auto same = [&](const MetricsFilter& filter) {
        return check_same_history_metrics(ws, session.index(), filter);
    };
    same(march_2026());
    same(MetricsFilter{});
    const int entered_proposal = same(march_2026()).funnel[2].entered;

    // A move, a win and a reopen through the commands: the index follows each one.
    const Timestamp later = at(2026, 3, 18);
    REQUIRE(session.apply(cmd::MoveDeal{"f3", "proposal", ""}, later).ok);
    REQUIRE(session.apply(cmd::WinDeal{"f4", std::nullopt, std::nullopt}, later).ok);
    REQUIRE(session.apply(cmd::ReopenDeal{"f5"}, later).ok);
    const MetricsSnapshot after = same(march_2026());
    CHECK(after.funnel[2].entered == entered_proposal + 1);
    same(MetricsFilter{});
    REQUIRE(session.undo(later).ok);
    same(march_2026());
}

TEST_CASE("the index replays only the deals whose history another tab changed") {
    Workspace ws = funnel_workspace();
    WorkspaceIndex index(ws);
    const auto same_history_metrics = [&] {
        return check_same_history_metrics(ws, index, march_2026());
    };
    const MetricsSnapshot before = same_history_metrics();
    const auto event_of = [&](const std::string& deal_id, HistoryKind kind) -> HistoryEvent& {
        const auto found = std::find_if(ws.history.begin(), ws.history.end(), [&](auto& e) {
            return e.deal_id == deal_id && e.kind == kind && !e.meta.deleted;
        });
        REQUIRE(found != ws.history.end());
        return *found;
    };

    // f2's move to qualified is withdrawn and f4's happens five days later, as records
    // arriving from another tab: only those two deals' visits change.
    ChangeSet arrived;
    HistoryEvent& withdrawn = event_of("f2", HistoryKind::StageChanged);
    const HistoryEvent withdrawn_before = withdrawn;
    withdrawn.meta.deleted = true;
    arrived.history.push_back({withdrawn_before, withdrawn});
    HistoryEvent& later = event_of("f4", HistoryKind::StageChanged);
    const HistoryEvent later_before = later;
    later.at += 5 * kSecondsPerDay;
    arrived.history.push_back({later_before, later});
    index.apply(arrived);
    const MetricsSnapshot after = same_history_metrics();
    CHECK(after.funnel[1].entered == before.funnel[1].entered - 1);
    CHECK(after.funnel[0].lost_here == before.funnel[0].lost_here + 1);
    // Qualified in March: f1 for 5 days, f4 from 03-07 until now (13), f6 for 1.
    CHECK(after.time_in_stage[1].visits == 3);
    CHECK(after.time_in_stage[1].average_days == doctest::Approx(19.0 / 3));

    // A move recorded for f3 appended without being named in a change set is picked up too.
    moved(ws, "f3", "lead", "qualified", at(2026, 3, 14));
    index.apply(ChangeSet{});
    CHECK(same_history_metrics().funnel[1].entered == after.funnel[1].entered + 1);
}

TEST_CASE("a stage stored after the deals and events naming it counts in the indexed metrics") {
    // Another tab's records can arrive in any order: here the proposal stage comes last.
    Workspace ws = funnel_workspace();
    const auto proposal = std::find_if(ws.stages.begin(), ws.stages.end(),
                                       [](const Stage& stage) { return stage.meta.id == "proposal"; });
    REQUIRE(proposal != ws.stages.end());
    const Stage late = *proposal;
    ws.stages.erase(proposal);
    WorkspaceIndex index(ws);
    ws.stages.push_back(late);
    ChangeSet arrived;
    arrived.stages.push_back({std::nullopt, late});
    index.apply(arrived);

    const MetricsSnapshot full = all_metrics(ws, march_2026(), kNow);
    const MetricsSnapshot indexed = all_metrics(ws, march_2026(), kNow, &index);
    REQUIRE(full.funnel.size() == 3);
    CHECK(full.funnel[2].entered > 0);
    REQUIRE(indexed.funnel.size() == full.funnel.size());
    for (std::size_t i = 0; i < full.funnel.size(); ++i) {
        CHECK(indexed.funnel[i].entered == full.funnel[i].entered);
        CHECK(indexed.funnel[i].advanced == full.funnel[i].advanced);
        CHECK(indexed.time_in_stage[i].visits == full.time_in_stage[i].visits);
        CHECK(indexed.time_in_stage[i].average_days == full.time_in_stage[i].average_days);
    }
    REQUIRE(indexed.stages.size() == full.stages.size());
    for (std::size_t i = 0; i < full.stages.size(); ++i) {
        CHECK(indexed.stages[i].open_count == full.stages[i].open_count);
        CHECK(indexed.stages[i].weighted_value == full.stages[i].weighted_value);
    }
}

TEST_CASE("the sample pipeline's metrics are the same read from its index as from a full pass") {
    SampleOptions options;
    options.deal_count = 300;
    const Timestamp now = at(2026, 11, 29, 12);
    Workspace ws = make_sample_workspace(options, now);
    IdGenerator ids(9);
    Session session(ws, ids);
    // Activities completed and a deal won through the commands, so the index has followed edits.
    for (std::size_t i = 0; i < ws.activities.size() && i < 20; ++i) {
        if (ws.activities[i].done) continue;
        REQUIRE(session.apply(cmd::CompleteActivity{ws.activities[i].meta.id}, now).ok);
    }
    for (const Deal& deal : ws.deals) {
        if (deal.status != DealStatus::Open) continue;
        REQUIRE(session.apply(cmd::WinDeal{deal.meta.id, std::nullopt, std::nullopt}, now).ok);
        break;
    }
    MetricsFilter quarter = period(day(2026, 10, 1), day(2026, 12, 31));
    const MetricsSnapshot full = all_metrics(ws, quarter, now);
    const MetricsSnapshot indexed = all_metrics(ws, quarter, now, &session.index());
    REQUIRE(indexed.reps.size() == full.reps.size());
    int activities_done = 0;
    for (std::size_t i = 0; i < full.reps.size(); ++i) {
        CHECK(indexed.reps[i].activities_done == full.reps[i].activities_done);
        CHECK(indexed.reps[i].activities_overdue == full.reps[i].activities_overdue);
        CHECK(indexed.reps[i].won_value == full.reps[i].won_value);
        activities_done += full.reps[i].activities_done;
    }
    CHECK(activities_done > 0);
    REQUIRE(indexed.funnel.size() == full.funnel.size());
    for (std::size_t i = 0; i < full.funnel.size(); ++i) {
        CHECK(indexed.funnel[i].entered == full.funnel[i].entered);
        CHECK(indexed.funnel[i].advanced == full.funnel[i].advanced);
    }
    REQUIRE(indexed.time_in_stage.size() == full.time_in_stage.size());
    for (std::size_t i = 0; i < full.time_in_stage.size(); ++i)
        CHECK(indexed.time_in_stage[i].average_days == full.time_in_stage[i].average_days);
    CHECK(indexed.cycle_time.average_days == full.cycle_time.average_days);
}

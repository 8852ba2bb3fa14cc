// Merging two copies of a workspace: additions, one-sided and two-sided edits, deletions,
// history union, workspace fields, determinism and the report a user reads.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "core/json_format.hpp"
#include "core/merge.hpp"

using namespace pb;

namespace {

constexpr Timestamp kDay = 86400;
constexpr Timestamp kStart = 20454 * kDay;  // 2026-01-01

// The copy both devices started from: one pipeline, one stage, deal "Acme renewal" at
// revision 1, one history event, exported on day 1.
Workspace base_workspace() {
    Workspace ws;
    ws.id = "ws";
    ws.name = "Sales";
    ws.lists.lead_sources = {"Website", "Referral"};
    ws.settings.last_export_at = kStart + kDay;

    Pipeline pipeline;
    pipeline.meta = {"p1", "1-0000000000000001", "", kStart, kStart, false, ""};
    pipeline.name = "New business";
    ws.pipelines.push_back(pipeline);

    Stage stage;
    stage.meta = {"s1", "1-0000000000000002", "", kStart, kStart, false, ""};
    stage.pipeline_id = "p1";
    stage.name = "Lead In";
    ws.stages.push_back(stage);

    Deal deal;
    deal.meta = {"d1", "1-00000000000000a0", "", kStart, kStart, false, ""};
    deal.pipeline_id = "p1";
    deal.stage_id = "s1";
    deal.title = "Acme renewal";
    deal.value = 500000;
    ws.deals.push_back(deal);

    HistoryEvent created;
    created.meta = {"h1", "1-00000000000000c1", "", kStart, kStart, false, ""};
    created.deal_id = "d1";
    created.at = kStart;
    created.to_stage_id = "s1";
    ws.history.push_back(created);
    return ws;
}

template <class W>
auto& deal(W& ws, const std::string& id) {
    return *std::find_if(ws.deals.begin(), ws.deals.end(),
                         [&](const Deal& d) { return d.meta.id == id; });
}

// One edit of a deal as the command layer records it: the revision moves on by one.
void edit(Deal& d, const std::string& new_rev, const std::string& title, Timestamp when) {
    d.meta.parent_rev = d.meta.rev;
    d.meta.rev = new_rev;
    d.meta.updated = when;
    d.title = title;
}

void remove(Deal& d, const std::string& new_rev, Timestamp when) {
    d.meta.parent_rev = d.meta.rev;
    d.meta.rev = new_rev;
    d.meta.updated = when;
    d.meta.deleted = true;
}

Deal new_deal(const std::string& id, const std::string& title) {
    Deal d;
    d.meta = {id, "1-00000000000000f0", "", kStart + 2 * kDay, kStart + 2 * kDay, false, ""};
    d.pipeline_id = "p1";
    d.stage_id = "s1";
    d.title = title;
    return d;
}

HistoryEvent history_event(const std::string& id, const std::string& rev, HistoryKind kind) {
    HistoryEvent event;
    event.meta = {id, rev, "", kStart + kDay, kStart + kDay, false, ""};
    event.deal_id = "d1";
    event.kind = kind;
    return event;
}

// Every record of a workspace as canonical JSON, by kind and id, to compare record sets
// without depending on vector order.
std::set<std::string> records_of(const Workspace& ws) {
    std::set<std::string> records;
    const auto add = [&](const auto& list) {
        for (const auto& record : list) records.insert(record_to_json(record).dump());
    };
    add(ws.pipelines);
    add(ws.stages);
    add(ws.reps);
    add(ws.targets);
    add(ws.deals);
    add(ws.activities);
    add(ws.history);
    return records;
}

std::size_t merged_deal_count(const Workspace& ws) {
    return static_cast<std::size_t>(std::count_if(ws.deals.begin(), ws.deals.end(),
                                                  [](const Deal& d) { return !d.meta.deleted; }));
}

const MergeEntry* entry_for(const MergeReport& report, const std::string& id) {
    const auto found = std::find_if(report.entries.begin(), report.entries.end(),
                                    [&](const MergeEntry& e) { return e.id == id; });
    return found == report.entries.end() ? nullptr : &*found;
}

}  // namespace

TEST_SUITE("merge") {
    TEST_CASE("merging a workspace with itself changes nothing and reports nothing") {
        const Workspace ws = base_workspace();
        const MergeResult result = merge_workspaces(ws, ws);
        CHECK(result.report.empty());
        CHECK(result.report.added + result.report.updated + result.report.deleted +
                  result.report.conflicts ==
              0);
        CHECK(workspace_to_json(result.merged) == workspace_to_json(ws));
    }

    TEST_CASE("merging empty workspaces is a no-op") {
        const MergeResult result = merge_workspaces(Workspace{}, Workspace{});
        CHECK(result.report.empty());
        CHECK(result.merged.deals.empty());
    }

    TEST_CASE("records added on each side end up in both merges") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        here.deals.push_back(new_deal("d-here", "Globex pilot"));
        there.deals.push_back(new_deal("d-there", "Initech upsell"));

        const MergeResult merged_here = merge_workspaces(here, there);
        REQUIRE(merged_here.merged.deals.size() == 3);
        CHECK(merged_here.merged.deals[2].title == "Initech upsell");
        CHECK(merged_here.report.added == 1);
        REQUIRE(merged_here.report.entries.size() == 1);
        const MergeEntry& added = merged_here.report.entries[0];
        CHECK(added.action == MergeAction::Added);
        CHECK(added.kind == "deal");
        CHECK(added.id == "d-there");
        CHECK(added.label == "Initech upsell");

        const MergeResult merged_there = merge_workspaces(there, here);
        CHECK(merged_there.report.added == 1);
        CHECK(records_of(merged_here.merged) == records_of(merged_there.merged));
    }

    TEST_CASE("an edit made on one side is taken as an update") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        edit(deal(there, "d1"), "2-00000000000000b1", "Acme renewal (3 years)", kStart + 3 * kDay);

        const MergeResult result = merge_workspaces(here, there);
        CHECK(deal((result.merged), "d1").title == "Acme renewal (3 years)");
        CHECK(result.report.updated == 1);
        CHECK(result.report.conflicts == 0);
        REQUIRE(result.report.entries.size() == 1);
        CHECK(result.report.entries[0].label == "Acme renewal (3 years)");
        CHECK(result.report.entries[0].detail == "Was 'Acme renewal'");

        // The side that made the edit already has it: nothing to do, nothing to say.
        const MergeResult reverse = merge_workspaces(there, here);
        CHECK(reverse.report.empty());
        CHECK(records_of(reverse.merged) == records_of(result.merged));
    }

    TEST_CASE("several edits behind, an untouched local record is updated without a conflict") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        Deal& remote = deal(there, "d1");
        edit(remote, "2-00000000000000b1", "Acme v2", kStart + 3 * kDay);
        edit(remote, "3-00000000000000b2", "Acme v3", kStart + 4 * kDay);

        const MergeResult result = merge_workspaces(here, there);
        CHECK(result.report.updated == 1);
        CHECK(result.report.conflicts == 0);

        SUBCASE("but a local edit since the last export makes it a conflict") {
            Deal& local = deal(here, "d1");
            local.meta.updated = here.settings.last_export_at + 10;
            local.title = "Acme local";
            const MergeResult conflicted = merge_workspaces(here, there);
            CHECK(conflicted.report.conflicts == 1);
            CHECK(deal((conflicted.merged), "d1").title == "Acme v3");
        }
    }

    TEST_CASE("edits on both sides are a conflict with the same winner on either device") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        edit(deal(here, "d1"), "2-00000000000000aa", "Acme (here)", kStart + 3 * kDay);
        edit(deal(there, "d1"), "2-00000000000000bb", "Acme (there)", kStart + 3 * kDay);

        const MergeResult merged_here = merge_workspaces(here, there);
        const MergeResult merged_there = merge_workspaces(there, here);
        // Same edit count, so the larger hash text "...bb" wins everywhere.
        CHECK(deal((merged_here.merged), "d1").title == "Acme (there)");
        CHECK(deal((merged_there.merged), "d1").title == "Acme (there)");
        CHECK(merged_here.report.conflicts == 1);
        CHECK(merged_there.report.conflicts == 1);

        const MergeEntry* entry = entry_for(merged_here.report, "d1");
        REQUIRE(entry != nullptr);
        CHECK(entry->action == MergeAction::Conflict);
        CHECK(entry->label == "Acme (there)");
        CHECK(entry->detail.find("'Acme (here)'") != std::string::npos);
        CHECK(entry->detail.find("'Acme (there)'") != std::string::npos);
        CHECK(records_of(merged_here.merged) == records_of(merged_there.merged));
    }

    TEST_CASE("a deletion made on the other side shows as deleted") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        remove(deal(there, "d1"), "2-00000000000000d0", kStart + 3 * kDay);

        const MergeResult result = merge_workspaces(here, there);
        CHECK(deal((result.merged), "d1").meta.deleted);
        CHECK(result.report.deleted == 1);
        REQUIRE(result.report.entries.size() == 1);
        CHECK(result.report.entries[0].action == MergeAction::Deleted);
        CHECK(result.report.entries[0].label == "Acme renewal");
    }

    TEST_CASE("a deletion against an edit: the winning revision decides") {
        Workspace deleted_side = base_workspace();
        Workspace edited_side = base_workspace();

        SUBCASE("the tombstone's revision wins") {
            remove(deal(deleted_side, "d1"), "2-00000000000000dd", kStart + 3 * kDay);
            edit(deal(edited_side, "d1"), "2-00000000000000cc", "Acme edited", kStart + 3 * kDay);

            const MergeResult on_deleted = merge_workspaces(deleted_side, edited_side);
            const MergeResult on_edited = merge_workspaces(edited_side, deleted_side);
            CHECK(deal((on_deleted.merged), "d1").meta.deleted);
            CHECK(deal((on_edited.merged), "d1").meta.deleted);
            CHECK(on_edited.report.deleted == 1);
            CHECK(on_deleted.report.conflicts == 1);
            CHECK(entry_for(on_deleted.report, "d1")->detail.find("'Acme edited'") !=
                  std::string::npos);
        }
        SUBCASE("the edit's revision wins and the deal comes back") {
            remove(deal(deleted_side, "d1"), "2-00000000000000dd", kStart + 3 * kDay);
            Deal& edited = deal(edited_side, "d1");
            edit(edited, "2-00000000000000cc", "Acme edited", kStart + 3 * kDay);
            edit(edited, "3-00000000000000ce", "Acme edited twice", kStart + 4 * kDay);

            const MergeResult on_deleted = merge_workspaces(deleted_side, edited_side);
            const MergeResult on_edited = merge_workspaces(edited_side, deleted_side);
            const Deal& restored = deal((on_deleted.merged), "d1");
            CHECK_FALSE(restored.meta.deleted);
            CHECK(restored.title == "Acme edited twice");
            CHECK(on_deleted.report.conflicts == 1);
            CHECK(on_edited.report.conflicts == 1);
            CHECK(on_edited.report.deleted == 0);
            CHECK(records_of(on_deleted.merged) == records_of(on_edited.merged));
        }
    }

    TEST_CASE("history events are a union by id") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        there.history.push_back(
            history_event("h-there", "1-00000000000000c2", HistoryKind::StageChanged));
        here.history.push_back(
            history_event("h-here", "1-00000000000000c3", HistoryKind::StatusChanged));

        const MergeResult result = merge_workspaces(here, there);
        REQUIRE(result.merged.history.size() == 3);
        CHECK(result.merged.history[0].meta.id == "h1");
        CHECK(result.merged.history[1].meta.id == "h-here");
        CHECK(result.merged.history[2].meta.id == "h-there");
        CHECK(result.report.added == 1);
        REQUIRE(result.report.entries.size() == 1);
        CHECK(result.report.entries[0].kind == "history");
        CHECK(result.report.entries[0].label == "Stage change of 'Acme renewal'");
        CHECK(records_of(result.merged) == records_of(merge_workspaces(there, here).merged));
    }

    TEST_CASE("a tombstone for a record never seen here is kept silently") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        Deal gone = new_deal("d-gone", "Short-lived");
        gone.meta.deleted = true;
        there.deals.push_back(gone);
        const MergeResult result = merge_workspaces(here, there);
        CHECK(result.report.empty());
        REQUIRE(result.merged.deals.size() == 2);
        CHECK(result.merged.deals[1].meta.deleted);
    }

    TEST_CASE("workspace fields take the other copy's value and lists are unioned in order") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        there.name = "Sales EMEA";
        there.currency = {"EUR", "\xE2\x82\xAC", 2};
        here.lists.lead_sources = {"Website", "Referral"};
        there.lists.lead_sources = {"Referral", "Events", "Website", "Ads"};
        there.settings.theme = "dark";

        const MergeResult result = merge_workspaces(here, there);
        CHECK(result.merged.name == "Sales EMEA");
        CHECK(result.merged.currency.code == "EUR");
        CHECK(result.merged.lists.lead_sources ==
              std::vector<std::string>{"Website", "Referral", "Events", "Ads"});
        CHECK(result.merged.settings.theme == "system");
        CHECK(result.report.updated == 3);
        const auto list_entry =
            std::find_if(result.report.entries.begin(), result.report.entries.end(),
                         [](const MergeEntry& e) { return e.kind == "list"; });
        REQUIRE(list_entry != result.report.entries.end());
        CHECK(list_entry->label == "Lead sources");
        CHECK(list_entry->detail == "Added 'Events', 'Ads'");
    }

    TEST_CASE("the report counts every kind of change once") {
        Workspace here = base_workspace();
        here.deals.push_back(new_deal("d2", "Globex"));
        here.deals.push_back(new_deal("d3", "Initech"));
        Workspace there = here;

        there.deals.push_back(new_deal("d4", "Umbrella"));  // added
        Rep rep;
        rep.meta = {"r1", "1-00000000000000e1", "", kStart, kStart, false, ""};
        rep.name = "Dana Cruz";
        there.reps.push_back(rep);                                                     // added
        edit(deal(there, "d2"), "2-00000000000000b2", "Globex 2", kStart + 3 * kDay);  // updated
        remove(deal(there, "d3"), "2-00000000000000b3", kStart + 3 * kDay);            // deleted
        edit(deal(here, "d1"), "2-0000000000000011", "Acme here", kStart + 3 * kDay);
        edit(deal(there, "d1"), "2-0000000000000022", "Acme there", kStart + 3 * kDay);  // conflict

        const MergeResult result = merge_workspaces(here, there);
        CHECK(result.report.added == 2);
        CHECK(result.report.updated == 1);
        CHECK(result.report.deleted == 1);
        CHECK(result.report.conflicts == 1);
        CHECK(result.report.entries.size() == 5);
        CHECK(entry_for(result.report, "r1")->kind == "rep");
        CHECK(entry_for(result.report, "d3")->action == MergeAction::Deleted);
        CHECK(entry_for(result.report, "d2")->action == MergeAction::Updated);
    }

    TEST_CASE(
        "a large file's report counts every change, lists conflicts first and names only "
        "the first thousand additions") {
        Workspace here = base_workspace();
        Workspace there = base_workspace();
        for (int i = 0; i < 1500; ++i) {
            there.deals.push_back(
                new_deal("d-new-" + std::to_string(i), "New " + std::to_string(i)));
        }
        edit(deal(here, "d1"), "2-0000000000000011", "Acme here", kStart + 3 * kDay);
        edit(deal(there, "d1"), "2-0000000000000022", "Acme there", kStart + 3 * kDay);
        there.history.push_back(
            history_event("h-late", "1-00000000000000c9", HistoryKind::StageChanged));

        const MergeReport report = merge_report(here, there);
        CHECK(report.added == 1501);
        CHECK(report.conflicts == 1);
        CHECK(report.total() == 1502);
        REQUIRE(report.entries.size() == MergeReport::kListedChanges + 1);
        CHECK(report.entries.front().action == MergeAction::Conflict);
        CHECK(report.entries.front().id == "d1");
        CHECK(report.entries[1].label == "New 0");
        CHECK(report.entries.back().label == "New 999");
        CHECK(entry_for(report, "h-late") == nullptr);

        int deals_added = 0, history_added = 0, deal_conflicts = 0;
        for (const MergeCount& counted : report.counts) {
            if (counted.action == MergeAction::Added && counted.kind == "deal")
                deals_added += counted.count;
            if (counted.action == MergeAction::Added && counted.kind == "history")
                history_added += counted.count;
            if (counted.action == MergeAction::Conflict && counted.kind == "deal")
                deal_conflicts += counted.count;
        }
        CHECK(deals_added == 1500);
        CHECK(history_added == 1);
        CHECK(deal_conflicts == 1);
        CHECK(merged_deal_count(merge_workspaces(here, there).merged) == 1501);
    }

    TEST_CASE("the import preview's report is the one the merge gives") {
        Workspace here = base_workspace();
        here.deals.push_back(new_deal("d2", "Globex"));
        here.deals.push_back(new_deal("d3", "Initech"));
        Workspace there = here;
        there.name = "Sales EMEA";
        edit(deal(there, "d2"), "2-00000000000000b2", "Globex 2", kStart + 3 * kDay);
        remove(deal(there, "d3"), "2-00000000000000b3", kStart + 3 * kDay);
        edit(deal(here, "d1"), "2-0000000000000011", "Acme here", kStart + 3 * kDay);
        edit(deal(there, "d1"), "2-0000000000000022", "Acme there", kStart + 3 * kDay);
        // The same new deal twice in the file: the second copy is weighed against the first.
        there.deals.push_back(new_deal("d4", "Umbrella"));
        Deal again = new_deal("d4", "Umbrella (again)");
        edit(again, "2-00000000000000f1", "Umbrella (again)", kStart + 4 * kDay);
        there.deals.push_back(again);
        // Named after the deal's winning title, which only the merge decides.
        there.history.push_back(
            history_event("h2", "1-00000000000000c2", HistoryKind::StageChanged));
        HistoryEvent orphan = history_event("h3", "1-00000000000000c3", HistoryKind::Created);
        orphan.deal_id = "d-missing";
        there.history.push_back(orphan);

        const MergeReport merged = merge_workspaces(here, there).report;
        const MergeReport preview = merge_report(here, there);
        const auto words = [](const MergeReport& report) {
            std::vector<std::string> lines;
            for (const MergeEntry& e : report.entries) {
                lines.push_back(std::to_string(static_cast<int>(e.action)) + "|" + e.kind + "|" +
                                e.id + "|" + e.label + "|" + e.detail);
            }
            return lines;
        };
        CHECK(words(preview) == words(merged));
        CHECK(preview.added == merged.added);
        CHECK(preview.updated == merged.updated);
        CHECK(preview.deleted == merged.deleted);
        CHECK(preview.conflicts == merged.conflicts);
        CHECK(preview.added == 3);
        CHECK(preview.updated == 3);
        CHECK(entry_for(preview, "h2")->label == "Stage change of 'Acme there'");
        CHECK(entry_for(preview, "h3")->label == "Creation of an unknown deal");
        // The second copy of d4 updates the first, and updates are listed before additions.
        REQUIRE(entry_for(preview, "d4") != nullptr);
        CHECK(entry_for(preview, "d4")->action == MergeAction::Updated);
        CHECK(entry_for(preview, "d4")->label == "Umbrella (again)");
        CHECK(entry_for(preview, "d4")->detail == "Was 'Umbrella'");
    }

    TEST_CASE("merge(a, b) and merge(b, a) hold the same records") {
        Workspace a = base_workspace();
        Workspace b = base_workspace();
        a.deals.push_back(new_deal("d2", "Globex"));
        b.deals.push_back(new_deal("d3", "Initech"));
        edit(deal(a, "d1"), "2-00000000000000a1", "Acme A", kStart + 3 * kDay);
        edit(deal(b, "d1"), "2-00000000000000a2", "Acme B", kStart + 3 * kDay);
        edit(deal(b, "d1"), "3-00000000000000a3", "Acme B again", kStart + 4 * kDay);
        Stage stage_b = b.stages[0];
        stage_b.meta.parent_rev = stage_b.meta.rev;
        stage_b.meta.rev = "2-0000000000000003";
        stage_b.name = "Inbox";
        b.stages[0] = stage_b;

        const MergeResult ab = merge_workspaces(a, b);
        const MergeResult ba = merge_workspaces(b, a);
        CHECK(records_of(ab.merged) == records_of(ba.merged));
        CHECK(deal((ab.merged), "d1").title == "Acme B again");
        CHECK(ab.merged.stages[0].name == "Inbox");

        // Merging the result again with either input changes nothing more.
        CHECK(records_of(merge_workspaces(ab.merged, a).merged) == records_of(ab.merged));
        CHECK(merge_workspaces(ab.merged, ba.merged).report.empty());
    }
}

// The defaults of a new workspace, the enums' text names, record revisions and the index.
#include <doctest/doctest.h>

#include <set>

#include "core/commands.hpp"
#include "core/revision.hpp"
#include "core/workspace.hpp"
#include "core/workspace_index.hpp"

using namespace pb;

TEST_SUITE("workspace") {
    TEST_CASE("the seven default stages with their probabilities and rotting days") {
        const auto& stages = default_stage_templates();
        REQUIRE(stages.size() == 7);
        const char* names[] = {"Lead In",     "Contacting", "Qualifying",   "Meeting/Demo",
                               "Negotiation", "Closing",    "Post-Purchase"};
        const int probabilities[] = {10, 20, 30, 50, 70, 90, 100};
        const int rotting[] = {14, 10, 14, 14, 21, 14, 0};
        std::set<std::uint32_t> colors;
        for (std::size_t i = 0; i < 7; ++i) {
            CHECK(std::string(stages[i].name) == names[i]);
            CHECK(stages[i].probability == probabilities[i]);
            CHECK(stages[i].rotting_days == rotting[i]);
            CHECK((stages[i].color & 0xFF) == 0xFF);  // opaque
            colors.insert(stages[i].color);
        }
        CHECK(colors.size() == 7);
    }

    TEST_CASE("enum names round-trip and parse case-insensitively") {
        for (auto status :
             {DealStatus::Open, DealStatus::Won, DealStatus::Lost, DealStatus::Nurture}) {
            CHECK(deal_status_from_string(to_string(status)) == status);
        }
        for (auto type : {ActivityType::Call, ActivityType::Email, ActivityType::Meeting,
                          ActivityType::Task, ActivityType::Deadline}) {
            CHECK(activity_type_from_string(to_string(type)) == type);
        }
        for (auto kind :
             {HistoryKind::Created, HistoryKind::StageChanged, HistoryKind::StatusChanged}) {
            CHECK(history_kind_from_string(to_string(kind)) == kind);
        }
        CHECK(std::string(to_string(DealStatus::Won)) == "won");
        CHECK(deal_status_from_string("LOST") == DealStatus::Lost);
        CHECK(activity_type_from_string("Meeting") == ActivityType::Meeting);
        CHECK_FALSE(deal_status_from_string(""));
        CHECK_FALSE(deal_status_from_string("closed"));
        CHECK_FALSE(activity_type_from_string("lunch"));
        CHECK_FALSE(history_kind_from_string("deleted"));
    }
}

// [SECTION] a new workspace, revisions and the index

namespace {

constexpr Timestamp kMonday = 1795910400 - 6 * kSecondsPerDay;  // 2026-11-23T00:00:00Z

Deal deal_in(const Stage& stage, std::string id, double position) {
    Deal deal;
    deal.meta.id = std::move(id);
    deal.pipeline_id = stage.pipeline_id;
    deal.stage_id = stage.meta.id;
    deal.position = position;
    deal.title = "Deal " + deal.meta.id;
    return deal;
}

}  // namespace

TEST_SUITE("workspace") {
    TEST_CASE("a new workspace has the sales pipeline, default stages and lists") {
        IdGenerator ids(3);
        const Workspace ws = make_workspace("Acme Sales", ids, kMonday);
        CHECK(ws.name == "Acme Sales");
        CHECK(ws.created == kMonday);
        CHECK(ws.id.size() == 32);
        CHECK(ws.currency.code == "USD");
        CHECK(ws.currency.symbol == "$");
        CHECK(ws.currency.minor_digits == 2);
        REQUIRE(ws.pipelines.size() == 1);
        CHECK(ws.pipelines[0].name == "Sales pipeline");
        CHECK(ws.pipelines[0].meta.rev.rfind("1-", 0) == 0);
        CHECK(ws.pipelines[0].meta.created == kMonday);
        REQUIRE(ws.stages.size() == 7);
        for (std::size_t i = 0; i < 7; ++i) {
            const Stage& stage = ws.stages[i];
            CHECK(stage.pipeline_id == ws.pipelines[0].meta.id);
            CHECK(stage.name == default_stage_templates()[i].name);
            CHECK(stage.probability == default_stage_templates()[i].probability);
            CHECK(stage.rotting_days == default_stage_templates()[i].rotting_days);
            CHECK(stage.position == static_cast<int>(i));
            CHECK(revision_number(stage.meta.rev) == 1);
        }
        CHECK(ws.lists.lead_sources == std::vector<std::string>{"Website", "Referral", "Ads",
                                                                "Events", "Cold outreach",
                                                                "Partner"});
        CHECK(ws.lists.industries == std::vector<std::string>{"Software", "Manufacturing", "Retail",
                                                              "Healthcare", "Finance", "Education",
                                                              "Logistics"});
        CHECK(ws.lists.lost_reasons == std::vector<std::string>{"Price", "Timing", "Competitor",
                                                                "No budget", "No decision",
                                                                "Lost contact"});
        CHECK(ws.deals.empty());
    }

    TEST_CASE("two tabs' counts of changes since the export settle on the same figure") {
        WorkspaceSettings first;
        first.last_export_at = 1000;
        first.changes_since_export = 23;
        WorkspaceSettings second = first;
        second.changes_since_export = 20;

        CHECK(meet_export_counts(first, second));
        CHECK(first.changes_since_export == 23);
        CHECK_FALSE(meet_export_counts(second, first));
        CHECK(second.changes_since_export == 23);
        CHECK_FALSE(meet_export_counts(second, first));

        SUBCASE("an export made since in the other tab starts the count again") {
            WorkspaceSettings exported;
            exported.last_export_at = 2000;
            exported.changes_since_export = 1;
            CHECK_FALSE(meet_export_counts(first, exported));
            CHECK(first.last_export_at == 2000);
            CHECK(first.changes_since_export == 1);
            CHECK(meet_export_counts(exported, second));
            CHECK(exported.changes_since_export == 1);
        }
    }

    TEST_CASE("an empty name keeps the default workspace name") {
        IdGenerator ids(3);
        CHECK(make_workspace("  ", ids, 0).name == "My pipeline");
    }

    TEST_CASE("touch numbers revisions and remembers the parent") {
        Deal deal;
        deal.meta.id = "d1";
        deal.title = "Acme renewal";
        touch(deal, 100);
        CHECK(revision_number(deal.meta.rev) == 1);
        CHECK(deal.meta.rev.size() == 2 + 16);
        CHECK(deal.meta.parent_rev.empty());
        CHECK(deal.meta.created == 100);
        CHECK(deal.meta.updated == 100);
        const std::string first = deal.meta.rev;

        deal.value = 500000;
        touch(deal, 200);
        CHECK(revision_number(deal.meta.rev) == 2);
        CHECK(deal.meta.parent_rev == first);
        CHECK(deal.meta.created == 100);
        CHECK(deal.meta.updated == 200);
    }

    TEST_CASE("content hashes follow the fields, not the revision bookkeeping") {
        Deal a;
        a.meta.id = "d1";
        a.title = "Acme renewal";
        Deal b = a;
        b.meta.rev = "7-abc";
        b.meta.updated = 999;
        CHECK(content_hash(a) == content_hash(b));
        b.title = "Acme renewal 2";
        CHECK(content_hash(a) != content_hash(b));
        Deal deleted = a;
        deleted.meta.deleted = true;
        CHECK(content_hash(a) != content_hash(deleted));
        Deal other_id = a;
        other_id.meta.id = "d2";
        CHECK(content_hash(a) != content_hash(other_id));
        Deal with_probability = a;
        with_probability.probability = 0;
        CHECK(content_hash(a) != content_hash(with_probability));

        // Field boundaries matter: ("ab", "c") is not ("a", "bc").
        Deal split1 = a;
        split1.title = "ab";
        split1.organization = "c";
        Deal split2 = a;
        split2.title = "a";
        split2.organization = "bc";
        CHECK(content_hash(split1) != content_hash(split2));

        Stage s1;
        s1.name = "Lead In";
        Stage s2 = s1;
        s2.exit_criteria = {"Budget"};
        CHECK(content_hash(s1) != content_hash(s2));
    }

    TEST_CASE("the index of an empty workspace finds nothing") {
        const Workspace ws;
        const WorkspaceIndex index(ws);
        CHECK(index.pipelines().empty());
        CHECK(index.stages_of("p").empty());
        CHECK(index.deals_in_stage("s").empty());
        CHECK(index.activities_of("d").empty());
        CHECK(index.history_of("d").empty());
        CHECK(index.find_deal("d") == nullptr);
        CHECK(index.first_stage_of("p") == nullptr);
        CHECK_FALSE(index.deal_index("d"));
        CHECK(index.next_activity("d") == nullptr);
    }

    TEST_CASE("stage columns are ordered by position and leave out deleted deals") {
        IdGenerator ids(5);
        Workspace ws = make_workspace("W", ids, kMonday);
        const Stage lead_in = ws.stages[0];
        const Stage contacting = ws.stages[1];
        ws.deals.push_back(deal_in(lead_in, "c", 3));
        ws.deals.push_back(deal_in(lead_in, "a", 1));
        ws.deals.push_back(deal_in(contacting, "x", 1));
        ws.deals.push_back(deal_in(lead_in, "b", 2));
        ws.deals.push_back(deal_in(lead_in, "gone", 0));
        ws.deals.back().meta.deleted = true;
        ws.deals.push_back(deal_in(lead_in, "b2", 2));  // ties keep workspace order

        const WorkspaceIndex index(ws);
        std::vector<std::string> order;
        for (const Deal& deal : index.deals_in_stage(lead_in.meta.id))
            order.push_back(deal.meta.id);
        CHECK(order == std::vector<std::string>{"a", "b", "b2", "c"});
        CHECK(index.deals_in_stage(contacting.meta.id).size() == 1);
        CHECK(index.find_deal("gone") == nullptr);
        CHECK(index.deal_index("gone") == 4);
        REQUIRE(index.pipelines().size() == 1);
        CHECK(index.stages_of(ws.pipelines[0].meta.id).size() == 7);
        CHECK(index.first_stage_of(ws.pipelines[0].meta.id)->name == "Lead In");
    }

    TEST_CASE("probability comes from the deal or else its stage") {
        IdGenerator ids(5);
        Workspace ws = make_workspace("W", ids, kMonday);
        ws.deals.push_back(deal_in(ws.stages[4], "negotiating", 1));  // Negotiation, 70%
        ws.deals.push_back(deal_in(ws.stages[4], "override", 2));
        ws.deals.back().probability = 35;
        ws.deals.push_back(deal_in(ws.stages[4], "orphan", 3));
        ws.deals.back().stage_id = "no-such-stage";
        const WorkspaceIndex index(ws);
        CHECK(index.stage_probability(ws.deals[0]) == 70);
        CHECK(index.stage_probability(ws.deals[1]) == 35);
        CHECK(index.stage_probability(ws.deals[2]) == 0);
    }

    TEST_CASE("next activity, overdue activities") {
        IdGenerator ids(5);
        Workspace ws = make_workspace("W", ids, kMonday);
        ws.deals.push_back(deal_in(ws.stages[0], "d", 1));
        const auto activity = [&](std::string id, Timestamp due, bool has_time, bool done) {
            Activity a;
            a.meta.id = std::move(id);
            a.deal_id = "d";
            a.subject = "Call " + a.meta.id;
            a.due = due;
            a.has_time = has_time;
            a.done = done;
            ws.activities.push_back(a);
        };
        const Timestamp noon = kMonday + 12 * 3600;
        activity("later", noon + 2 * kSecondsPerDay, true, false);
        activity("done-earliest", noon - kSecondsPerDay, true, true);
        activity("today-all-day", kMonday, false, false);
        activity("other-deal", noon, true, false);
        ws.activities.back().deal_id = "someone-else";

        const WorkspaceIndex index(ws);
        REQUIRE(index.activities_of("d").size() == 3);
        CHECK(index.activities_of("d").front().meta.id == "done-earliest");
        REQUIRE(index.next_activity("d") != nullptr);
        CHECK(index.next_activity("d")->meta.id == "today-all-day");

        // An all-day activity is due the whole day; one with a time is late right after it.
        CHECK_FALSE(is_overdue(ws.activities[2], noon));
        CHECK(is_overdue(ws.activities[2], kMonday + kSecondsPerDay));
        CHECK_FALSE(is_overdue(ws.activities[0], noon));
        CHECK(is_overdue(ws.activities[0], noon + 2 * kSecondsPerDay + 1));
        CHECK_FALSE(is_overdue(ws.activities[1], noon + 5 * kSecondsPerDay));
        CHECK_FALSE(index.has_overdue_activity("d", noon));
        CHECK(index.has_overdue_activity("d", kMonday + kSecondsPerDay + 1));
    }

    TEST_CASE("days in stage and rotting") {
        IdGenerator ids(5);
        Workspace ws = make_workspace("W", ids, kMonday);
        const Stage& contacting = ws.stages[1];  // rots after 10 days
        REQUIRE(contacting.rotting_days == 10);
        ws.deals.push_back(deal_in(contacting, "open", 1));
        ws.deals.back().stage_entered_at = kMonday + 23 * 3600;  // late on Monday
        ws.deals.push_back(deal_in(contacting, "won", 2));
        ws.deals.back().status = DealStatus::Won;
        ws.deals.push_back(deal_in(ws.stages[6], "post", 1));  // Post-Purchase never rots
        const WorkspaceIndex index(ws);
        const Deal& open = ws.deals[0];

        CHECK(index.days_in_stage(open, kMonday + 23 * 3600 + 60) == 0);
        CHECK(index.days_in_stage(open, kMonday + kSecondsPerDay + 60) == 1);  // next morning
        CHECK(index.days_in_stage(open, kMonday - kSecondsPerDay) == 0);
        CHECK(index.days_in_stage(open, kMonday + 10 * kSecondsPerDay) == 10);
        CHECK_FALSE(index.is_rotting(open, kMonday + 10 * kSecondsPerDay));
        CHECK(index.is_rotting(open, kMonday + 11 * kSecondsPerDay));
        CHECK_FALSE(index.is_rotting(ws.deals[1], kMonday + 100 * kSecondsPerDay));
        CHECK_FALSE(index.is_rotting(ws.deals[2], kMonday + 1000 * kSecondsPerDay));
    }

    TEST_CASE("indexing 100,000 deals with six history events each") {
        IdGenerator ids(11);
        Workspace ws = make_workspace("Big", ids, kMonday);
        const std::size_t deal_count = 100000;
        ws.deals.reserve(deal_count);
        ws.history.reserve(deal_count * 6);
        for (std::size_t i = 0; i < deal_count; ++i) {
            Deal deal = deal_in(ws.stages[i % 7], "deal-" + std::to_string(i),
                                static_cast<double>(deal_count - i));
            ws.deals.push_back(std::move(deal));
            for (int e = 0; e < 6; ++e) {
                HistoryEvent event;
                event.meta.id = "h-" + std::to_string(i) + "-" + std::to_string(e);
                event.deal_id = ws.deals.back().meta.id;
                event.at = kMonday - (6 - e) * kSecondsPerDay;
                ws.history.push_back(std::move(event));
            }
        }
        Session session(ws, ids);
        const WorkspaceIndex& index = session.index();
        std::size_t listed = 0;
        for (const Stage& stage : index.stages_of(ws.pipelines[0].meta.id)) {
            const auto column = index.deals_in_stage(stage.meta.id);
            for (std::size_t k = 1; k < column.size(); ++k) {
                REQUIRE(column[k - 1].position <= column[k].position);
            }
            listed += column.size();
        }
        CHECK(listed == deal_count);
        CHECK(index.history_of("deal-54321").size() == 6);
        CHECK(index.history_of("deal-54321").front().meta.id == "h-54321-0");

        // A move in the big workspace keeps both columns right.
        const CommandResult moved =
            session.apply(cmd::MoveDeal{"deal-0", ws.stages[1].meta.id, {}}, kMonday);
        REQUIRE(moved.ok);
        CHECK(index.deals_in_stage(ws.stages[0].meta.id).size() == deal_count / 7);
        CHECK(index.deals_in_stage(ws.stages[1].meta.id).back().meta.id == "deal-0");
        CHECK(index.history_of("deal-0").size() == 7);
    }
}

// The board's stage, lost-reason and dashboard-selection filters without drawing: which deals
// they let through, how the hidden count names them, and that the deals a dashboard click
// selects are exactly the ones its number counted.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "core/metrics_dashboard.hpp"
#include "core/sample_workspace.hpp"
#include "ui/board_model.hpp"
#include "ui_test_support.hpp"

namespace {

using pb::test::kNow;
using pb::test::make_deal;

struct Fixture {
    pb::IdGenerator ids{11};
    pb::Workspace ws = pb::make_workspace("Filters", ids, kNow - 60 * pb::kSecondsPerDay);

    const pb::Stage& stage(int i) const { return ws.stages[static_cast<std::size_t>(i)]; }
    pb::Deal& add(int stage_index, const std::string& id, pb::Money dollars) {
        const double position = static_cast<double>(ws.deals.size());
        ws.deals.push_back(make_deal(stage(stage_index), id, id, dollars, position));
        return ws.deals.back();
    }
    pb::Deal& add_lost(int stage_index, const std::string& id, const std::string& reason) {
        pb::Deal& deal = add(stage_index, id, 100);
        deal.status = pb::DealStatus::Lost;
        deal.lost_reason = reason;
        deal.closed_at = kNow - pb::kSecondsPerDay;
        return deal;
    }
    // The ids of every card on the board, in no particular order.
    std::set<std::string> shown(const pb::ui::BoardFilter& filter, int* hidden = nullptr) const {
        const pb::WorkspaceIndex index(ws);
        const pb::ui::BoardModel board =
            pb::ui::build_board(index, "", filter, pb::ui::ColumnSort::Manual, kNow);
        std::set<std::string> ids;
        for (const pb::ui::BoardColumn& column : board.columns)
            for (std::size_t d : column.deals) ids.insert(ws.deals[d].meta.id);
        if (hidden) *hidden = board.hidden_by_filters;
        return ids;
    }
};

}  // namespace

TEST_CASE("a stage filter shows the deals of the ticked stages only") {
    Fixture f;
    f.add(0, "lead", 10);
    f.add(3, "demo", 20);
    f.add(4, "nego-1", 30);
    f.add(4, "nego-2", 40);
    pb::ui::BoardFilter filter;
    filter.stage_ids = {f.stage(4).meta.id};
    int hidden = 0;
    CHECK(f.shown(filter, &hidden) == std::set<std::string>{"nego-1", "nego-2"});
    CHECK(hidden == 2);

    filter.stage_ids.push_back(f.stage(0).meta.id);
    CHECK(f.shown(filter) == std::set<std::string>{"lead", "nego-1", "nego-2"});
    CHECK(filter.narrowing_count() == 1);
    CHECK(pb::ui::narrowing_names(filter) == std::vector<std::string>{"stage"});
}

TEST_CASE("a lost-reason filter matches the reason exactly") {
    Fixture f;
    f.add_lost(1, "price", "Price too high");
    f.add_lost(2, "price-2", "Price too high");
    f.add_lost(2, "rival", "Went with a competitor");
    f.add(2, "open", 50);
    pb::ui::BoardFilter filter;
    filter.status = pb::ui::StatusFilter::Lost;
    filter.lost_reason = "Price too high";
    int hidden = 0;
    CHECK(f.shown(filter, &hidden) == std::set<std::string>{"price", "price-2"});
    CHECK(hidden == 1);  // the open deal is not lost, so the status hides it, not the reason

    filter.lost_reason = "Price";  // a prefix is another reason
    CHECK(f.shown(filter).empty());
}

TEST_CASE("a dashboard selection shows exactly its deals and is named in the hidden summary") {
    Fixture f;
    f.add(0, "a", 10);
    f.add(1, "b", 20);
    f.add(2, "c", 30);
    pb::ui::BoardFilter filter;
    filter.only_deals = std::make_shared<const std::vector<pb::Id>>(std::vector<pb::Id>{"a", "c"});
    filter.only_deals_label = "Deals that entered Lead In this quarter";
    int hidden = 0;
    CHECK(f.shown(filter, &hidden) == std::set<std::string>{"a", "c"});
    CHECK(hidden == 1);

    filter.stage_ids = {f.stage(2).meta.id};
    CHECK(f.shown(filter) == std::set<std::string>{"c"});
    filter.lost_reason = "Timing";
    CHECK(filter.narrowing_count() == 3);
    CHECK(pb::ui::narrowing_names(filter) ==
          std::vector<std::string>{"dashboard selection", "stage", "lost reason"});

    // An equal copy compares equal (the board's cache relies on it); another selection does not.
    pb::ui::BoardFilter copy = filter;
    CHECK(copy == filter);
    copy.only_deals = std::make_shared<const std::vector<pb::Id>>(std::vector<pb::Id>{"a", "c"});
    CHECK_FALSE(copy == filter);
}

TEST_CASE("the deals behind a funnel stage and a lost reason are the ones the metrics count") {
    pb::SampleOptions options;
    options.deal_count = 600;
    const pb::Workspace ws = pb::make_sample_workspace(options, kNow);
    pb::MetricsFilter filter;
    filter.from = pb::start_of_quarter(pb::day_of(kNow));
    filter.to = pb::add_months(*filter.from, 3) - 1;

    int checked_stages = 0;
    for (const pb::StageConversion& stage : pb::funnel(ws, filter)) {
        const std::vector<pb::Id> deals = pb::funnel_stage_deals(ws, filter, stage.stage_id);
        CHECK_MESSAGE(static_cast<int>(deals.size()) == stage.entered, stage.name);
        CHECK(std::is_sorted(deals.begin(), deals.end()));
        pb::Money value = 0;
        for (const pb::Deal& deal : ws.deals)
            if (std::binary_search(deals.begin(), deals.end(), deal.meta.id)) value += deal.value;
        CHECK_MESSAGE(value == stage.entered_value, stage.name);
        if (stage.entered > 0) ++checked_stages;
    }
    CHECK(checked_stages >= 3);

    const std::vector<pb::Breakdown> reasons =
        pb::breakdown(ws, filter, pb::BreakdownBy::LostReason);
    REQUIRE_FALSE(reasons.empty());
    for (const pb::Breakdown& reason : reasons) {
        const std::string stored = reason.key == "(none)" ? std::string() : reason.key;
        const std::vector<pb::Id> deals = pb::lost_reason_deals(ws, filter, stored);
        CHECK_MESSAGE(static_cast<int>(deals.size()) == reason.lost, reason.key);
        for (const pb::Id& id : deals) {
            const auto deal = std::find_if(ws.deals.begin(), ws.deals.end(),
                                           [&](const pb::Deal& d) { return d.meta.id == id; });
            REQUIRE(deal != ws.deals.end());
            CHECK(deal->status == pb::DealStatus::Lost);
            CHECK(deal->lost_reason == stored);
        }
    }
}

TEST_CASE("a funnel stage of another pipeline or an unknown stage selects no deal") {
    Fixture f;
    f.add(0, "a", 10);
    pb::MetricsFilter filter;
    CHECK(pb::funnel_stage_deals(f.ws, filter, "no-such-stage").empty());
    CHECK(pb::funnel_stage_deals(f.ws, filter, f.stage(0).meta.id) == std::vector<pb::Id>{"a"});
}

TEST_CASE("a search finds deals by their names after edits, as a board built from scratch does") {
    pb::SampleOptions options;
    options.deal_count = 200;
    pb::Workspace ws = pb::make_sample_workspace(options, kNow);
    pb::IdGenerator ids(21);
    pb::Session session(ws, ids);
    const std::string old_title = ws.deals[8].title;

    // Two rounds of renames, enough for the index to drop its stale text along the way.
    for (int round = 0; round < 2; ++round) {
        for (std::size_t i = 0; i < ws.deals.size(); i += 2) {
            pb::Deal edited = ws.deals[i];
            edited.title = "Zephyr Round " + std::to_string(round) + " deal " + std::to_string(i);
            REQUIRE(session.apply(pb::cmd::EditDeal{edited}, kNow).ok);
        }
    }
    pb::Deal contact_edit = ws.deals[9];
    contact_edit.contacts.push_back({"Ada Quist", "CTO", "ada@QUIST.example", "", true});
    REQUIRE(session.apply(pb::cmd::EditDeal{contact_edit}, kNow).ok);

    pb::ui::BoardFilter filter;
    filter.status = pb::ui::StatusFilter::All;
    const pb::WorkspaceIndex fresh(ws);
    const auto ids_shown = [&](const pb::WorkspaceIndex& index) {
        const pb::ui::BoardModel board =
            pb::ui::build_board(index, "", filter, pb::ui::ColumnSort::Manual, kNow);
        std::vector<std::string> shown;
        for (const pb::ui::BoardColumn& column : board.columns)
            for (std::size_t d : column.deals) shown.push_back(ws.deals[d].meta.id);
        return shown;
    };

    filter.text = "  zEPHYR round 1 ";
    const std::vector<std::string> renamed = ids_shown(session.index());
    CHECK(renamed.size() == 100);
    CHECK(renamed == ids_shown(fresh));
    CHECK(std::find(renamed.begin(), renamed.end(), ws.deals[7].meta.id) == renamed.end());
    CHECK(std::find(renamed.begin(), renamed.end(), ws.deals[8].meta.id) != renamed.end());

    filter.text = "round 0";
    CHECK(ids_shown(session.index()).empty());
    filter.text = old_title;
    const std::vector<std::string> by_old_title = ids_shown(session.index());
    CHECK(by_old_title == ids_shown(fresh));
    CHECK(std::find(by_old_title.begin(), by_old_title.end(), ws.deals[8].meta.id) ==
          by_old_title.end());
    filter.text = "quist.EXAMPLE";
    CHECK(ids_shown(session.index()) == std::vector<std::string>{ws.deals[9].meta.id});
}

TEST_CASE("every search, and the column figures, agree with a plain scan of the deals' text") {
    pb::SampleOptions options;
    options.deal_count = 300;
    pb::Workspace ws = pb::make_sample_workspace(options, kNow);
    pb::IdGenerator ids(5);
    pb::Session session(ws, ids);
    // Edits the index has to follow: values, odds, outcomes, stage moves and odd characters.
    for (std::size_t i = 0; i < ws.deals.size(); i += 7) {
        pb::Deal edited = ws.deals[i];
        edited.value += 12345;
        edited.probability = static_cast<int>(i % 100);
        edited.title += i % 2 ? " Ünïcode & Co. #7" : " 2027-Q1";
        const pb::Id id = edited.meta.id;
        const pb::CommandResult result = session.apply(pb::cmd::EditDeal{edited}, kNow);
        CAPTURE(result.error);
        REQUIRE(result.ok);
        if (i % 5 == 0) session.apply(pb::cmd::MoveDeal{id, ws.stages[i % 4].meta.id, {}}, kNow);
        if (i % 3 == 0) session.apply(pb::cmd::WinDeal{id, {}, {}}, kNow);
        if (i % 3 == 1) session.apply(pb::cmd::NurtureDeal{id, {}}, kNow);
    }
    const pb::WorkspaceIndex fresh(ws);

    for (const char* text : {"a", "Q", "7", "&", "#", "Ünï", "Ü", "co.", "2027-q1", "ïc", "in",
                             "ar", "harbor", "zzzz", "e", ".", "@"}) {
        const pb::TextQuery query(text);
        int matches = 0;
        for (std::size_t d = 0; d < ws.deals.size(); ++d) {
            const bool plain = session.index().search_text(d).find(query.folded) != std::string::npos;
            CAPTURE(std::string(text));
            CAPTURE(ws.deals[d].title);
            CHECK(session.index().search_matches(d, query) == plain);
            matches += plain;
        }
        const std::string typed = text;
        const bool expect_some = typed != "zzzz";
        CAPTURE(typed);
        CHECK((matches > 0) == expect_some);

        pb::ui::BoardFilter filter;
        filter.text = text;
        for (const pb::ui::StatusFilter status :
             {pb::ui::StatusFilter::Active, pb::ui::StatusFilter::All, pb::ui::StatusFilter::Won}) {
            filter.status = status;
            const pb::ui::BoardModel edited =
                pb::ui::build_board(session.index(), "", filter, pb::ui::ColumnSort::Value, kNow);
            const pb::ui::BoardModel rebuilt =
                pb::ui::build_board(fresh, "", filter, pb::ui::ColumnSort::Value, kNow);
            CHECK(edited.shown == rebuilt.shown);
            CHECK(edited.hidden_by_filters == rebuilt.hidden_by_filters);
            CHECK(edited.status_counts == rebuilt.status_counts);
            REQUIRE(edited.columns.size() == rebuilt.columns.size());
            for (std::size_t c = 0; c < edited.columns.size(); ++c) {
                CHECK(edited.columns[c].deals == rebuilt.columns[c].deals);
                CHECK(edited.columns[c].total_value == rebuilt.columns[c].total_value);
                CHECK(edited.columns[c].weighted_value == rebuilt.columns[c].weighted_value);
                CHECK(edited.columns[c].rotting == rebuilt.columns[c].rotting);
            }
        }
    }
}

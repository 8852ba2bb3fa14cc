// The board's data without drawing: which deals each column shows under a filter and a sort,
// the totals, what the filter hides, the due-today list, stage stays, and the text helpers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/commands.hpp"
#include "core/ids.hpp"
#include "core/sample_workspace.hpp"
#include "ui/activities_view.hpp"
#include "ui/board_model.hpp"
#include "ui/deal_editor.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "ui_test_support.hpp"

namespace {

using pb::test::kNow;
using pb::test::make_deal;

// Seven default stages; reps Ava and Ben.
struct Fixture {
    pb::IdGenerator ids{5};
    pb::Workspace ws = pb::make_workspace("Model", ids, kNow - 30 * pb::kSecondsPerDay);

    Fixture() {
        for (const char* name : {"Ava Thompson", "Ben Carter"}) {
            pb::Rep rep;
            rep.meta.id = std::string("rep-") + name[0];
            rep.name = name;
            ws.reps.push_back(rep);
        }
    }
    const pb::Stage& stage(int i) const { return ws.stages[static_cast<std::size_t>(i)]; }
    pb::Deal& add(int stage_index, const std::string& id, const std::string& title,
                  pb::Money dollars) {
        const double position = static_cast<double>(ws.deals.size());
        ws.deals.push_back(make_deal(stage(stage_index), id, title, dollars, position));
        return ws.deals.back();
    }
    pb::ui::BoardModel board(const pb::ui::BoardFilter& filter = {},
                             pb::ui::ColumnSort sort = pb::ui::ColumnSort::Manual) const {
        const pb::WorkspaceIndex index(ws);
        return pb::ui::build_board(index, "", filter, sort, kNow);
    }
};

std::vector<std::string> titles(const pb::Workspace& ws, const pb::ui::BoardColumn& column) {
    std::vector<std::string> out;
    for (std::size_t i : column.deals) out.push_back(ws.deals[i].title);
    return out;
}

double luminance(std::uint32_t imgui_color) {
    auto channel = [](std::uint32_t c) {
        const double v = static_cast<double>(c & 0xFF) / 255.0;
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(imgui_color) + 0.7152 * channel(imgui_color >> 8) +
           0.0722 * channel(imgui_color >> 16);
}

double contrast(std::uint32_t a, std::uint32_t b) {
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

}  // namespace

TEST_CASE("an empty pipeline has one empty column per stage and nothing shown") {
    Fixture f;
    const auto board = f.board();
    REQUIRE(board.columns.size() == 7);
    CHECK(board.columns[0].stage_id == f.stage(0).meta.id);
    CHECK(board.columns[6].stage_id == f.stage(6).meta.id);
    CHECK(board.shown == 0);
    CHECK(board.hidden_by_filters == 0);
    CHECK(board.pipeline_deals == 0);
    CHECK(board.columns[3].total_value == 0);
}

TEST_CASE("column totals add every shown deal and weigh each by its own or its stage's odds") {
    Fixture f;
    f.add(1, "a", "Alpha", 1000);                               // Contacting, 20%: 200
    f.add(1, "b", "Beta", 2500).probability = 60;               // own 60%: 1500
    f.add(1, "c", "Gamma", 400).status = pb::DealStatus::Lost;  // not on the board
    f.add(2, "d", "Delta", 300);                                // Qualifying, 30%: 90
    const auto board = f.board();
    CHECK(board.columns[1].deals.size() == 2);
    CHECK(board.columns[1].total_value == 3500 * 100);
    CHECK(board.columns[1].weighted_value == 1700 * 100);
    CHECK(board.columns[2].total_value == 300 * 100);
    CHECK(board.columns[2].weighted_value == 90 * 100);
    CHECK(board.shown == 3);
    CHECK(board.pipeline_deals == 4);
}

TEST_CASE("totals follow the filter: they count the matching deals, visible or not") {
    Fixture f;
    for (int i = 0; i < 300; ++i)
        f.add(0, "d" + std::to_string(i), i % 3 == 0 ? "Acme renewal" : "Other deal", 100);
    pb::ui::BoardFilter filter;
    filter.text = "acme";
    const auto board = f.board(filter);
    CHECK(board.columns[0].deals.size() == 100);
    CHECK(board.columns[0].total_value == 100 * 100 * 100);
    CHECK(board.hidden_by_filters == 200);
}

TEST_CASE("search matches title, organization and contacts, ignoring ASCII case") {
    Fixture f;
    f.add(0, "t", "Northwind upgrade", 10);
    f.add(0, "o", "Seats", 10).organization = "Blue Harbor Foods";
    pb::Contact contact;
    contact.name = "Priya Patel";
    contact.email = "priya@summit.example";
    f.add(0, "c", "Pilot", 10).contacts.push_back(contact);
    f.add(0, "x", "Unrelated", 10);

    auto shown = [&](const char* text) {
        pb::ui::BoardFilter filter;
        filter.text = text;
        return titles(f.ws, f.board(filter).columns[0]);
    };
    CHECK(shown("NORTHWIND") == std::vector<std::string>{"Northwind upgrade"});
    CHECK(shown("harbor") == std::vector<std::string>{"Seats"});
    CHECK(shown("patel") == std::vector<std::string>{"Pilot"});
    CHECK(shown("summit.example") == std::vector<std::string>{"Pilot"});
    CHECK(shown("  ").size() == 4);
    CHECK(shown("zzz").empty());
}

TEST_CASE("owner, lead source, industry and label filters each narrow the board") {
    Fixture f;
    pb::Deal& a = f.add(0, "a", "A", 10);
    a.owner_id = "rep-A";
    a.lead_source = "Referral";
    a.industry = "Retail";
    a.labels = {"Hot"};
    pb::Deal& b = f.add(0, "b", "B", 10);
    b.owner_id = "rep-B";
    b.lead_source = "Website";
    b.industry = "Retail";
    f.add(0, "c", "C", 10);

    pb::ui::BoardFilter filter;
    filter.owner_id = "rep-B";
    CHECK(titles(f.ws, f.board(filter).columns[0]) == std::vector<std::string>{"B"});
    filter = {};
    filter.lead_source = "Referral";
    CHECK(titles(f.ws, f.board(filter).columns[0]) == std::vector<std::string>{"A"});
    filter = {};
    filter.industry = "Retail";
    CHECK(titles(f.ws, f.board(filter).columns[0]) == std::vector<std::string>{"A", "B"});
    CHECK(filter.narrowing_count() == 1);
    filter.label = "Hot";
    CHECK(titles(f.ws, f.board(filter).columns[0]) == std::vector<std::string>{"A"});
    CHECK(filter.narrowing_count() == 2);
    CHECK(f.board(filter).hidden_by_filters == 2);
}

TEST_CASE("the default status shows open deals and won customers in the last stage only") {
    Fixture f;
    f.add(5, "open", "Open one", 10);
    f.add(5, "won-closing", "Won in Closing", 10).status = pb::DealStatus::Won;
    f.add(6, "customer", "Customer", 10).status = pb::DealStatus::Won;
    pb::Deal& lost = f.add(2, "lost", "Lost one", 10);
    lost.status = pb::DealStatus::Lost;
    lost.lost_reason = "Price";
    f.add(1, "nurture", "Parked", 10).status = pb::DealStatus::Nurture;

    const auto active = f.board();
    CHECK(titles(f.ws, active.columns[5]) == std::vector<std::string>{"Open one"});
    CHECK(titles(f.ws, active.columns[6]) == std::vector<std::string>{"Customer"});
    CHECK(active.shown == 2);
    // Status is a view, not a filter that "hides": nothing is counted as hidden.
    CHECK(active.hidden_by_filters == 0);
    using pb::ui::StatusFilter;
    CHECK(active.status_counts[static_cast<int>(StatusFilter::Active)] == 2);
    CHECK(active.status_counts[static_cast<int>(StatusFilter::Open)] == 1);
    CHECK(active.status_counts[static_cast<int>(StatusFilter::Won)] == 2);
    CHECK(active.status_counts[static_cast<int>(StatusFilter::Lost)] == 1);
    CHECK(active.status_counts[static_cast<int>(StatusFilter::Nurture)] == 1);
    CHECK(active.status_counts[static_cast<int>(StatusFilter::All)] == 5);

    pb::ui::BoardFilter filter;
    filter.status = StatusFilter::Lost;
    const auto lost_board = f.board(filter);
    CHECK(lost_board.shown == 1);
    CHECK(titles(f.ws, lost_board.columns[2]) == std::vector<std::string>{"Lost one"});
}

TEST_CASE("rotting only keeps open deals idle past their stage's limit") {
    Fixture f;
    // Lead In rots after 14 days: 15 days in is rotting, 14 is not.
    f.add(0, "old", "Old", 10).stage_entered_at = kNow - 15 * pb::kSecondsPerDay;
    f.add(0, "edge", "Edge", 10).stage_entered_at = kNow - 14 * pb::kSecondsPerDay;
    f.add(0, "fresh", "Fresh", 10);
    pb::ui::BoardFilter filter;
    filter.rotting_only = true;
    const auto board = f.board(filter);
    CHECK(titles(f.ws, board.columns[0]) == std::vector<std::string>{"Old"});
    CHECK(f.board().columns[0].rotting == 1);
}

TEST_CASE("an expected close range keeps dated deals inside it, bounds included") {
    Fixture f;
    const pb::Day today = pb::day_of(kNow);
    f.add(0, "before", "Before", 10).expected_close = today - 1;
    f.add(0, "first", "First day", 10).expected_close = today;
    f.add(0, "last", "Last day", 10).expected_close = today + 7;
    f.add(0, "after", "After", 10).expected_close = today + 8;
    f.add(0, "none", "Undated", 10);
    pb::ui::BoardFilter filter;
    filter.close_from = today;
    filter.close_to = today + 7;
    CHECK(titles(f.ws, f.board(filter).columns[0]) ==
          std::vector<std::string>{"First day", "Last day"});
    filter.close_from.reset();
    CHECK(titles(f.ws, f.board(filter).columns[0]) ==
          std::vector<std::string>{"Before", "First day", "Last day"});
}

TEST_CASE("columns sort by manual order, value, expected close or time in stage") {
    Fixture f;
    const pb::Day today = pb::day_of(kNow);
    pb::Deal& a = f.add(0, "a", "A", 300);
    a.expected_close = today + 9;
    a.stage_entered_at = kNow - 3 * pb::kSecondsPerDay;
    pb::Deal& b = f.add(0, "b", "B", 900);
    b.stage_entered_at = kNow - 9 * pb::kSecondsPerDay;
    pb::Deal& c = f.add(0, "c", "C", 500);
    c.expected_close = today + 2;
    c.stage_entered_at = kNow - 1 * pb::kSecondsPerDay;
    f.ws.deals[0].position = 2;  // manual: B, C, A
    f.ws.deals[1].position = 0;
    f.ws.deals[2].position = 1;

    using pb::ui::ColumnSort;
    CHECK(titles(f.ws, f.board({}, ColumnSort::Manual).columns[0]) ==
          std::vector<std::string>{"B", "C", "A"});
    CHECK(titles(f.ws, f.board({}, ColumnSort::Value).columns[0]) ==
          std::vector<std::string>{"B", "C", "A"});
    CHECK(titles(f.ws, f.board({}, ColumnSort::ExpectedClose).columns[0]) ==
          std::vector<std::string>{"C", "A", "B"});
    CHECK(titles(f.ws, f.board({}, ColumnSort::TimeInStage).columns[0]) ==
          std::vector<std::string>{"B", "A", "C"});
}

TEST_CASE("the board cache rebuilds only when the workspace, filter, sort or day changes") {
    Fixture f;
    f.add(0, "a", "A", 10);
    const pb::WorkspaceIndex index(f.ws);
    pb::ui::BoardCache cache;
    pb::ui::BoardFilter filter;
    cache.get(index, 1, "", filter, pb::ui::ColumnSort::Manual, kNow);
    cache.get(index, 1, "", filter, pb::ui::ColumnSort::Manual, kNow + 60);
    CHECK(cache.builds() == 1);
    cache.get(index, 2, "", filter, pb::ui::ColumnSort::Manual, kNow);
    CHECK(cache.builds() == 2);
    filter.text = "a";
    cache.get(index, 2, "", filter, pb::ui::ColumnSort::Manual, kNow);
    CHECK(cache.builds() == 3);
    cache.get(index, 2, "", filter, pb::ui::ColumnSort::Value, kNow);
    CHECK(cache.builds() == 4);
    cache.get(index, 2, "", filter, pb::ui::ColumnSort::Value, kNow + pb::kSecondsPerDay);
    CHECK(cache.builds() == 5);
}

TEST_CASE("the due list holds overdue and today's open activities, oldest first") {
    Fixture f;
    f.add(0, "d1", "Deal one", 10);
    pb::Deal& lost = f.add(0, "d2", "Lost deal", 10);
    lost.status = pb::DealStatus::Lost;
    const pb::Day today = pb::day_of(kNow);
    auto activity = [&](const std::string& id, const std::string& deal, pb::Timestamp due,
                        bool done = false) {
        pb::Activity a;
        a.meta.id = id;
        a.deal_id = deal;
        a.subject = id;
        a.due = due;
        a.done = done;
        f.ws.activities.push_back(a);
    };
    activity("today-late", "d1", pb::start_of_day(today) + 20 * 3600);
    activity("overdue", "d1", pb::start_of_day(today - 3) + 9 * 3600);
    activity("today-early", "d1", pb::start_of_day(today) + 8 * 3600);
    activity("tomorrow", "d1", pb::start_of_day(today + 1) + 9 * 3600);
    activity("done", "d1", pb::start_of_day(today) + 9 * 3600, true);
    activity("of-lost-deal", "d2", pb::start_of_day(today) + 9 * 3600);
    const pb::WorkspaceIndex index(f.ws);
    std::vector<std::string> due;
    for (std::size_t i : pb::ui::due_activities(index, today))
        due.push_back(f.ws.activities[i].subject);
    CHECK(due == std::vector<std::string>{"overdue", "today-early", "today-late"});
}

TEST_CASE("the due list follows completed activities and lost or deleted deals") {
    pb::SampleOptions options;
    options.deal_count = 200;
    pb::Workspace ws = pb::make_sample_workspace(options, kNow);
    pb::IdGenerator ids(4);
    pb::Session session(ws, ids);
    const pb::Day today = pb::day_of(kNow);
    const auto due_ids = [&](const pb::WorkspaceIndex& index) {
        std::vector<std::string> out;
        for (std::size_t i : pb::ui::due_activities(index, today))
            out.push_back(ws.activities[i].meta.id);
        return out;
    };
    const std::vector<std::string> before = due_ids(session.index());
    REQUIRE(before.size() >= 3);
    CHECK(before == due_ids(pb::WorkspaceIndex(ws)));

    // One completed, the deal of another lost, the deal of a third deleted.
    const auto deal_of = [&](const std::string& activity_id) {
        return session.index().find_activity(activity_id)->deal_id;
    };
    REQUIRE(session.apply(pb::cmd::CompleteActivity{before[0]}, kNow).ok);
    const pb::Id lost_deal = deal_of(before[1]);
    REQUIRE(session.apply(pb::cmd::LoseDeal{lost_deal, "Budget", std::nullopt}, kNow).ok);
    const pb::Id deleted_deal = deal_of(before[2]);
    REQUIRE(session.apply(pb::cmd::DeleteDeal{deleted_deal}, kNow).ok);

    const std::vector<std::string> after = due_ids(session.index());
    CHECK(after == due_ids(pb::WorkspaceIndex(ws)));
    CHECK(std::find(after.begin(), after.end(), before[0]) == after.end());
    for (const std::string& id : after) {
        CHECK(deal_of(id) != lost_deal);
        CHECK(deal_of(id) != deleted_deal);
    }
    CHECK(after.size() < before.size());
}

TEST_CASE("stage stays split the history into time spent in each stage") {
    Fixture f;
    pb::Deal& deal = f.add(2, "d", "Deal", 10);
    const pb::Timestamp start = kNow - 9 * pb::kSecondsPerDay;
    deal.stage_entered_at = start + 5 * pb::kSecondsPerDay;
    auto event = [&](pb::HistoryKind kind, int day, int from, int to) {
        pb::HistoryEvent e;
        e.meta.id = "h" + std::to_string(f.ws.history.size());
        e.deal_id = "d";
        e.kind = kind;
        e.at = start + day * pb::kSecondsPerDay;
        e.from_stage_id = from < 0 ? std::string() : f.stage(from).meta.id;
        e.to_stage_id = f.stage(to).meta.id;
        f.ws.history.push_back(e);
    };
    event(pb::HistoryKind::Created, 0, -1, 0);
    event(pb::HistoryKind::StageChanged, 3, 0, 1);
    event(pb::HistoryKind::StageChanged, 5, 1, 2);
    const pb::WorkspaceIndex index(f.ws);
    const auto stays = pb::ui::stage_stays(index, f.ws.deals.back(), kNow);
    REQUIRE(stays.size() == 3);
    CHECK(stays[0].stage_id == f.stage(0).meta.id);
    CHECK(stays[0].days == 3);
    CHECK(stays[1].days == 2);
    CHECK(stays[2].stage_id == f.stage(2).meta.id);
    CHECK(stays[2].days == 4);
    CHECK(stays[2].left == kNow);
}

TEST_CASE("a deal without history is one stay since it entered its stage") {
    Fixture f;
    pb::Deal& deal = f.add(1, "d", "Imported", 10);
    deal.stage_entered_at = kNow - 6 * pb::kSecondsPerDay;
    const pb::WorkspaceIndex index(f.ws);
    const auto stays = pb::ui::stage_stays(index, f.ws.deals.back(), kNow);
    REQUIRE(stays.size() == 1);
    CHECK(stays[0].days == 6);
}

TEST_CASE("due dates read the way a rep says them") {
    const pb::Day today = pb::day_of(kNow);
    pb::Activity a;
    a.has_time = true;
    a.due = pb::start_of_day(today) + 14 * 3600;
    CHECK(pb::ui::due_text(a, kNow) == "Today 14:00");
    a.due = pb::start_of_day(today + 1) + 9 * 3600 + 30 * 60;
    CHECK(pb::ui::due_text(a, kNow) == "Tomorrow 09:30");
    a.due = pb::start_of_day(today - 3) + 9 * 3600;
    CHECK(pb::ui::due_text(a, kNow) == "Overdue 3 days");
    CHECK(pb::ui::due_text(a, kNow, true) == "3d overdue");
    a.due = pb::start_of_day(today + 20) + 9 * 3600;
    CHECK(pb::ui::due_text(a, kNow) == "20 Dec 09:00");
    CHECK(pb::ui::due_text(a, kNow, true) == "20 Dec");
    a.due = pb::start_of_day(today + 40);
    CHECK(pb::ui::due_text(a, kNow, true) == "9 Jan 2027");
    a.has_time = false;
    a.due = pb::start_of_day(today - 1);
    CHECK(pb::ui::due_text(a, kNow) == "Yesterday");
}

TEST_CASE("times and dates typed into fields are read strictly") {
    CHECK(pb::ui::parse_clock("9:05") == 9 * 60 + 5);
    CHECK(pb::ui::parse_clock("23:59") == 23 * 60 + 59);
    CHECK_FALSE(pb::ui::parse_clock("24:00"));
    CHECK_FALSE(pb::ui::parse_clock("9.30"));
    CHECK_FALSE(pb::ui::parse_clock(""));
    CHECK(pb::ui::read_day_field("").day == std::nullopt);
    CHECK(pb::ui::read_day_field("").error.empty());
    CHECK(pb::ui::read_day_field("2026-12-31").day == pb::day_from_civil({2026, 12, 31}));
    CHECK_FALSE(pb::ui::read_day_field("31 Foo").error.empty());
    CHECK(pb::ui::initials("Ava Thompson") == "AT");
    CHECK(pb::ui::initials("") == "?");
}

TEST_CASE("both themes keep text readable on cards and the board") {
    for (pb::ui::ThemeMode mode : {pb::ui::ThemeMode::Light, pb::ui::ThemeMode::Dark}) {
        pb::test::HeadlessUi ui(800, 600);
        pb::ui::apply_theme(mode, 1.0f);
        const pb::ui::Palette& p = pb::ui::palette();
        CAPTURE(pb::ui::theme_name(mode));
        CHECK(contrast(p.text, p.card) >= 7.0);
        CHECK(contrast(p.text, p.column) >= 7.0);
        CHECK(contrast(p.text_muted, p.card) >= 4.5);
        CHECK(contrast(p.text_muted, p.column) >= 4.5);
        CHECK(contrast(p.danger, p.card) >= 4.5);
        CHECK(contrast(p.warning, p.card) >= 4.5);
        CHECK(contrast(p.success, p.card) >= 4.5);
        CHECK(contrast(p.accent, p.card) >= 4.5);
        CHECK(contrast(p.on_accent, p.accent) >= 4.5);
    }
}

TEST_CASE("a search typed and erased letter by letter shows what a fresh board shows") {
    pb::SampleOptions options;
    options.deal_count = 400;
    options.seed = 11;
    const pb::Workspace ws = pb::make_sample_workspace(options, kNow);
    const pb::WorkspaceIndex index(ws);
    pb::ui::BoardCache cache;
    pb::ui::BoardFilter filter;
    const auto same_as_fresh = [&](std::uint64_t version) {
        const pb::ui::BoardModel& cached =
            cache.get(index, version, "", filter, pb::ui::ColumnSort::Value, kNow);
        const pb::ui::BoardModel fresh =
            pb::ui::build_board(index, "", filter, pb::ui::ColumnSort::Value, kNow);
        CAPTURE(filter.text);
        REQUIRE(cached.columns.size() == fresh.columns.size());
        for (std::size_t c = 0; c < fresh.columns.size(); ++c) {
            CHECK(cached.columns[c].deals == fresh.columns[c].deals);
        }
        CHECK(cached.hidden_by_filters == fresh.hidden_by_filters);
        CHECK(cached.status_counts == fresh.status_counts);
        return fresh.shown;
    };
    const std::string word = ws.deals[7].title.substr(0, 5);
    std::vector<int> shown;
    for (std::size_t typed = 1; typed <= word.size(); ++typed) {
        filter.text = word.substr(0, typed);
        shown.push_back(same_as_fresh(1));
    }
    CHECK(shown.front() > shown.back());
    CHECK(shown.back() >= 1);
    // Erasing a letter at a time finds each board built on the way.
    const std::uint64_t typed_builds = cache.builds();
    for (std::size_t kept = word.size() - 1; kept >= 1; --kept) {
        filter.text = word.substr(0, kept);
        CHECK(same_as_fresh(1) == shown[kept - 1]);
    }
    CHECK(cache.builds() == typed_builds);
    // After an edit nothing built before is used.
    filter.text = word.substr(0, 3);
    same_as_fresh(2);
    CHECK(cache.builds() == typed_builds + 1);
    // Another filter changed with the text: the last result no longer bounds the new one.
    filter.text = word;
    filter.status = pb::ui::StatusFilter::All;
    same_as_fresh(2);
}

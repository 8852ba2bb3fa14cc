// Headless frame tests of the Insights dashboard: drawn with Dear ImGui and no backend over a
// small hand-made pipeline and a large sample one, checked through the rectangles it reports.
#include "core/commands.hpp"
#include "core/ids.hpp"
#include "core/sample_workspace.hpp"
#include "ui/app.hpp"
#include "ui/dashboard_view.hpp"
#include "ui/theme.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr pb::Timestamp kNow = 1795953600;  // Sunday 2026-11-29, noon UTC

pb::Timestamp at(int year, int month, int day) {
    return pb::start_of_day(pb::day_from_civil({year, month, day})) + 10 * 3600;
}

// A dashboard in a full-window ImGui window, as the app draws it, with no backend.
struct DashboardFrames {
    DashboardFrames(pb::Workspace ws, float width, float height)
        : workspace(std::move(ws)), ids(5), session(workspace, ids) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60.0f;
        fonts = pb::ui::load_ui_fonts(15.0f, 1.0f);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        pb::ui::apply_theme(pb::ui::ThemeMode::Light, 1.0f);
    }
    ~DashboardFrames() { ImGui::DestroyContext(); }

    void frame() {
        rects.begin_frame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("app", nullptr, ImGuiWindowFlags_NoDecoration);
        pb::ui::DashboardContext context{workspace, state, rects, fonts, kNow};
        context.apply = [this](const pb::Command& command, pb::Timestamp at) {
            return session.apply(command, at);
        };
        context.show_deals = [this](const pb::ui::DealDrillDown& request) {
            drill_downs.push_back(request);
        };
        context.download_csv = download_csv;
        pb::ui::draw_dashboard(context);
        ImGui::End();
        ImGui::Render();
        rects.end_frame();
    }

    const pb::ui::NamedRect& rect(const std::string& name) const {
        const pb::ui::NamedRect* found = rects.find(name);
        REQUIRE_MESSAGE(found != nullptr, name);
        return *found;
    }
    std::vector<std::string> names_starting(const std::string& prefix) const {
        std::vector<std::string> names;
        for (const pb::ui::NamedRect& r : rects.rects())
            if (r.name.rfind(prefix, 0) == 0) names.push_back(r.name);
        return names;
    }

    void move_to(const pb::ui::NamedRect& r) {
        ImGui::GetIO().AddMousePosEvent(r.x + r.w / 2, r.y + r.h / 2);
        frame();
    }
    void click(const std::string& name) {
        move_to(rect(name));
        ImGui::GetIO().AddMouseButtonEvent(0, true);
        frame();
        ImGui::GetIO().AddMouseButtonEvent(0, false);
        frame();
    }

    pb::Workspace workspace;
    pb::IdGenerator ids;
    pb::Session session;
    pb::ui::DashboardState state;
    pb::ui::UiRects rects;
    pb::ui::UiFonts fonts;
    std::vector<pb::ui::DealDrillDown> drill_downs;
    std::function<void(const std::string&, const std::string&)> download_csv;
};

// The default pipeline with two deals won this month ($1,000 and $500), one lost in October
// and one open deal in Negotiation expected to close this week.
pb::Workspace small_pipeline() {
    pb::IdGenerator ids(3);
    pb::Workspace ws = pb::make_workspace("Small", ids, at(2026, 1, 1));
    const pb::Stage& lead_in = ws.stages[0];
    const pb::Stage& negotiation = ws.stages[4];
    const auto add = [&](const char* id, const pb::Stage& stage, pb::Money value,
                         pb::DealStatus status, pb::Timestamp closed) {
        pb::Deal deal;
        deal.meta.id = id;
        deal.meta.created = at(2026, 9, 1);
        deal.meta.updated = deal.meta.created;
        deal.title = id;
        deal.pipeline_id = stage.pipeline_id;
        deal.stage_id = stage.meta.id;
        deal.value = value;
        deal.status = status;
        deal.stage_entered_at = at(2026, 9, 1);
        if (status == pb::DealStatus::Open)
            deal.expected_close = pb::day_from_civil({2026, 11, 27});
        else
            deal.closed_at = closed;
        ws.deals.push_back(deal);
        pb::HistoryEvent created;
        created.meta.id = std::string("h-") + id;
        created.deal_id = id;
        created.at = deal.meta.created;
        created.kind = pb::HistoryKind::Created;
        created.to_stage_id = stage.meta.id;
        ws.history.push_back(created);
    };
    add("won-a", negotiation, 100000, pb::DealStatus::Won, at(2026, 11, 10));
    add("won-b", negotiation, 50000, pb::DealStatus::Won, at(2026, 11, 20));
    add("lost-c", lead_in, 30000, pb::DealStatus::Lost, at(2026, 10, 5));
    add("open-d", negotiation, 80000, pb::DealStatus::Open, 0);
    return ws;
}

}  // namespace

TEST_CASE("the dashboard shows the three answers, the funnel's stages and every panel") {
    DashboardFrames frames(small_pipeline(), 1280, 800);
    frames.frame();
    frames.frame();
    for (const char* name : {"answer:target", "answer:week", "answer:attention", "kpi:won",
                             "kpi:win-rate", "panel:funnel", "panel:forecast"})
        CHECK_MESSAGE(frames.rects.find(name) != nullptr, name);
    const char* stages[] = {"Lead In", "Contacting", "Qualifying", "Meeting/Demo", "Negotiation",
                            "Closing", "Post-Purchase"};
    float previous_bottom = 0;
    for (const char* stage : stages) {
        const pb::ui::NamedRect& band = frames.rect(std::string("funnel-stage:") + stage);
        CHECK(band.y >= previous_bottom);
        previous_bottom = band.y + band.h;
    }
    // Two columns at 1280 px: the forecast sits right of the funnel.
    CHECK(frames.rect("panel:forecast").x > frames.rect("panel:funnel").x + 300);
    // This quarter from October: the forecast runs October..April, seven months, with bars
    // (won, weighted, best case) only where there is money: won in November, open in November.
    REQUIRE(frames.state.numbers != nullptr);
    CHECK(frames.state.numbers->forecast.size() == 7);
    CHECK(frames.rects.find("bar:forecast:1") != nullptr);
    CHECK(frames.rects.find("bar:forecast:0") == nullptr);
    // The week's answer counts the one open deal closing on Friday.
    CHECK(frames.state.numbers->current.closing_this_week.deals == 1);
}

TEST_CASE("hovering this month's forecast bar shows the exact won amount") {
    DashboardFrames frames(small_pipeline(), 1280, 800);
    frames.frame();
    frames.move_to(frames.rect("bar:forecast:1"));  // November, the second month
    CHECK(frames.rects.find("tooltip:forecast:1") != nullptr);
    CHECK(frames.rects.find("tooltip-value:$1,500.00") != nullptr);
}

TEST_CASE("clicking a funnel stage asks the board for the deals that entered it") {
    DashboardFrames frames(small_pipeline(), 1280, 800);
    frames.frame();
    frames.click("funnel-stage:Negotiation");
    REQUIRE(frames.drill_downs.size() == 1);
    const pb::ui::DealDrillDown& request = frames.drill_downs.front();
    CHECK(request.description == "Deals that entered Negotiation this quarter");
    CHECK(request.filter.from == pb::day_from_civil({2026, 10, 1}));
    CHECK(request.filter.to == pb::day_from_civil({2026, 12, 31}));
    // Every deal entered Negotiation in September, before this quarter.
    REQUIRE(request.deals != nullptr);
    CHECK(request.deals->empty());

    frames.state.preset = pb::PeriodPreset::ThisYear;
    frames.frame();
    frames.click("funnel-stage:Negotiation");
    REQUIRE(frames.drill_downs.size() == 2);
    const pb::ui::DealDrillDown& year = frames.drill_downs.back();
    CHECK(year.description == "Deals that entered Negotiation this year");
    REQUIRE(year.deals != nullptr);
    CHECK(*year.deals == std::vector<pb::Id>{"open-d", "won-a", "won-b"});
}

TEST_CASE("clicking a lost reason asks the board for the deals lost to it in the period") {
    pb::Workspace ws = small_pipeline();
    ws.deals[2].lost_reason = "Price";
    DashboardFrames frames(std::move(ws), 1280, 800);
    frames.frame();
    frames.frame();
    frames.click("bar:lost-reasons:0");
    REQUIRE(frames.drill_downs.size() == 1);
    const pb::ui::DealDrillDown& request = frames.drill_downs.front();
    CHECK(request.description == "Deals lost to Price this quarter");
    CHECK(request.status == pb::DealStatus::Lost);
    CHECK(request.lost_reason == "Price");
    REQUIRE(request.deals != nullptr);
    CHECK(*request.deals == std::vector<pb::Id>{"lost-c"});
}

TEST_CASE("each table panel downloads its rows as CSV with the numbers it shows") {
    pb::Workspace ws = small_pipeline();
    ws.deals[2].lost_reason = "Price";
    DashboardFrames frames(std::move(ws), 1280, 800);
    std::vector<std::pair<std::string, std::string>> downloads;
    frames.download_csv = [&](const std::string& name, const std::string& csv) {
        downloads.emplace_back(name, csv);
    };
    frames.frame();
    frames.frame();
    for (const char* table : {"funnel", "forecast", "lost-reasons", "sources", "industries"})
        CHECK_MESSAGE(frames.rects.find(std::string("csv:") + table) != nullptr, std::string(table));
    // The lower panels once scrolled to.
    frames.move_to(frames.rect("panel:funnel"));
    for (int i = 0; i < 10; ++i) {
        ImGui::GetIO().AddMouseWheelEvent(0, -5);
        frames.frame();
    }
    for (const char* table : {"team", "stagnant"})
        CHECK_MESSAGE(frames.rects.find(std::string("csv:") + table) != nullptr, std::string(table));
    frames.move_to(frames.rect("panel:stagnant"));
    for (int i = 0; i < 10; ++i) {
        ImGui::GetIO().AddMouseWheelEvent(0, 5);
        frames.frame();
    }

    frames.click("csv:lost-reasons");
    REQUIRE(downloads.size() == 1);
    CHECK(downloads[0].first == "pipeboard-lost-reasons-this-quarter-2026-11-29.csv");
    CHECK(downloads[0].second == "lost reason,deals lost,lost value\r\nPrice,1,300.00\r\n");

    frames.click("csv:forecast");
    REQUIRE(downloads.size() == 2);
    // October with nothing, November with $1,500 won and the open $800 deal; one row a month.
    const std::string& forecast = downloads[1].second;
    CHECK(forecast.rfind("period start,won,weighted,best case,target\r\n2026-10-01,0.00,", 0) == 0);
    CHECK(forecast.find("\r\n2026-11-01,1500.00,") != std::string::npos);
    CHECK(std::count(forecast.begin(), forecast.end(), '\n') == 8);  // header + seven months
}

TEST_CASE("without platform downloads the dashboard offers none") {
    DashboardFrames frames(small_pipeline(), 1280, 800);
    frames.frame();
    frames.frame();
    CHECK(frames.names_starting("csv:").empty());
    CHECK(frames.rects.find("dashboard-export-png") == nullptr);
}

TEST_CASE("a narrow window stacks the panels in one column") {
    DashboardFrames frames(small_pipeline(), 760, 1400);
    frames.frame();
    frames.frame();
    const pb::ui::NamedRect& funnel = frames.rect("panel:funnel");
    const pb::ui::NamedRect& forecast = frames.rect("panel:forecast");
    CHECK(forecast.x == doctest::Approx(funnel.x));
    CHECK(forecast.y > funnel.y + funnel.h - 1);
    CHECK(funnel.x + funnel.w <= 760);
}

TEST_CASE("a team target typed in the dashboard is saved through the commands and shown") {
    DashboardFrames frames(small_pipeline(), 1280, 3000);
    frames.frame();
    frames.frame();
    CHECK(frames.state.numbers->current.target_pace.target == 0);
    const auto before = frames.state.numbers;

    frames.click("target-amount");
    ImGui::GetIO().AddInputCharactersUTF8("12,000");
    frames.frame();
    frames.click("target-save");
    frames.frame();

    int live_targets = 0;
    for (const pb::Target& target : frames.workspace.targets) {
        if (target.meta.deleted || !target.rep_id.empty()) continue;
        ++live_targets;
        CHECK(target.amount == 1200000);
        CHECK(target.period == pb::TargetPeriod::Month);
        CHECK(target.period_start == pb::day_from_civil({2026, 10, 1}));
    }
    CHECK(live_targets == 1);
    CHECK(frames.session.can_undo());
    CHECK(frames.state.numbers != before);  // recomputed after the change
    CHECK(frames.state.message.find("$12,000") != std::string::npos);
}

TEST_CASE("a wrong target amount is refused with a message and changes nothing") {
    DashboardFrames frames(small_pipeline(), 1280, 3000);
    frames.frame();
    const std::size_t targets = frames.workspace.targets.size();
    frames.click("target-amount");
    ImGui::GetIO().AddInputCharactersUTF8("lots");
    frames.frame();
    frames.click("target-save");
    CHECK(frames.workspace.targets.size() == targets);
    CHECK(frames.state.message.find("amount") != std::string::npos);
}

TEST_CASE("a large sample pipeline is drawn from cached numbers until something changes") {
    const pb::Workspace ws = pb::make_sample_workspace({2026, 20000, 8, 365}, kNow);
    DashboardFrames frames(ws, 1920, 1080);
    frames.frame();
    const auto first = frames.state.numbers;
    REQUIRE(first != nullptr);
    frames.frame();
    CHECK(frames.state.numbers == first);
    CHECK(frames.names_starting("funnel-stage:").size() == 7);
    CHECK(!frames.names_starting("bar:forecast:").empty());
    CHECK(!first->stagnant.empty());
    // The period switch recomputes: this year has more won deals than this quarter.
    frames.state.preset = pb::PeriodPreset::ThisYear;
    frames.frame();
    REQUIRE(frames.state.numbers != first);
    CHECK(frames.state.numbers->current.win_rate.won > first->current.win_rate.won);
}

TEST_CASE("an empty workspace draws the dashboard with nothing to show and no crash") {
    pb::IdGenerator ids(9);
    DashboardFrames frames(pb::make_workspace("Empty", ids, kNow), 1280, 800);
    frames.frame();
    frames.frame();
    CHECK(frames.rects.find("answer:target") != nullptr);
    CHECK(frames.names_starting("funnel-stage:").size() == 7);
    frames.click("funnel-stage:Lead In");
    CHECK(frames.drill_downs.size() == 1);
}

namespace {

// The whole app, as the browser draws it.
struct AppFrames {
    explicit AppFrames(pb::Workspace ws) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60.0f;
        app = std::make_unique<pb::ui::PipeboardApp>(std::move(ws), 17);
        app->set_fonts(pb::ui::load_ui_fonts(15.0f, 1.0f));
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        pb::ui::apply_theme(pb::ui::ThemeMode::Light, 1.0f);
    }
    ~AppFrames() { ImGui::DestroyContext(); }
    void frame() {
        ImGui::NewFrame();
        app->draw_frame(kNow);
        ImGui::Render();
    }
    void click(const std::string& name) {
        const pb::ui::NamedRect* r = app->rects().find(name);
        REQUIRE_MESSAGE(r != nullptr, name);
        ImGui::GetIO().AddMousePosEvent(r->x + r->w / 2, r->y + r->h / 2);
        frame();
        ImGui::GetIO().AddMouseButtonEvent(0, true);
        frame();
        ImGui::GetIO().AddMouseButtonEvent(0, false);
        frame();
        frame();
    }
    std::unique_ptr<pb::ui::PipeboardApp> app;
};

}  // namespace

TEST_CASE("the top bar switches to Insights, and a funnel stage leads back to the board") {
    AppFrames frames(small_pipeline());
    frames.frame();
    frames.frame();
    CHECK(frames.app->rects().find("column:Negotiation") != nullptr);
    CHECK(frames.app->rects().find("chart:funnel") == nullptr);

    frames.click("tab:insights");
    CHECK(frames.app->showing_insights());
    CHECK(frames.app->rects().find("chart:funnel") != nullptr);
    CHECK(frames.app->rects().find("column:Negotiation") == nullptr);

    // This year three deals entered Negotiation, two of them since won: the board shows every
    // status, and only those three deals.
    frames.app->dashboard().preset = pb::PeriodPreset::ThisYear;
    frames.frame();
    frames.click("funnel-stage:Negotiation");
    CHECK_FALSE(frames.app->showing_insights());
    const pb::ui::BoardFilter& filter = frames.app->board_state().filter;
    CHECK(filter.status == pb::ui::StatusFilter::All);
    CHECK(frames.app->last_notice() == "Showing Deals that entered Negotiation this year");
    for (const char* shown : {"card:won-a", "card:won-b", "card:open-d"})
        CHECK_MESSAGE(frames.app->rects().find(shown) != nullptr, shown);
    CHECK(frames.app->rects().find("card:lost-c") == nullptr);
    // The summary names what hides the lost deal, and the panel can drop the selection.
    const pb::ui::NamedRect* hidden = frames.app->rects().find("text:hidden-count");
    REQUIRE(hidden != nullptr);
    frames.click("button:filters");
    CHECK(frames.app->rects().find("text:filter-only-deals") != nullptr);
    frames.click("button:filter-only-deals-remove");
    CHECK(frames.app->board_state().filter.only_deals == nullptr);
    CHECK(frames.app->rects().find("card:lost-c") != nullptr);
}

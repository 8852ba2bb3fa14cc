// Headless frame tests: the real board drawn with Dear ImGui and no backend (no window, no
// GPU), checking what was laid out through the same rectangles the browser tests use.
#include "core/ids.hpp"
#include "core/commands.hpp"
#include "ui/app.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <memory>
#include <string>

namespace {

constexpr pb::Timestamp kNow = 1796000000;  // 2026-11-29

// An ImGui context with a built font atlas and a fixed display size, as a window would have.
struct HeadlessImGui {
    explicit HeadlessImGui(float width, float height) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60.0f;
    }
    ~HeadlessImGui() { ImGui::DestroyContext(); }

    void frame(pb::ui::PipeboardApp& app) {
        ImGui::NewFrame();
        app.draw_frame(kNow);
        ImGui::Render();
    }
};

std::unique_ptr<pb::ui::PipeboardApp> make_app(pb::Workspace workspace) {
    auto app = std::make_unique<pb::ui::PipeboardApp>(std::move(workspace), 99);
    app->set_fonts(pb::ui::load_ui_fonts(15.0f, 1.0f));
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    pb::ui::apply_theme(pb::ui::ThemeMode::Light, 1.0f);
    return app;
}

int count_rects_starting_with(const pb::ui::UiRects& rects, const std::string& prefix) {
    int count = 0;
    for (const pb::ui::NamedRect& rect : rects.rects())
        if (rect.name.rfind(prefix, 0) == 0) ++count;
    return count;
}

}  // namespace

TEST_CASE("an empty workspace shows the seven default stages as columns, left to right") {
    HeadlessImGui imgui(1280, 800);
    pb::IdGenerator ids(7);
    auto app = make_app(pb::make_workspace("My pipeline", ids, kNow));
    imgui.frame(*app);
    imgui.frame(*app);

    const char* stages[] = {"Lead In",     "Contacting", "Qualifying",   "Meeting/Demo",
                            "Negotiation", "Closing",    "Post-Purchase"};
    float previous_right = 0;
    for (const char* stage : stages) {
        const pb::ui::NamedRect* header = app->rects().find(std::string("column-header:") + stage);
        REQUIRE_MESSAGE(header != nullptr, stage);
        CHECK(header->x >= previous_right);
        CHECK(header->x + header->w <= 1280.0f);
        previous_right = header->x + header->w;
    }
    CHECK(count_rects_starting_with(app->rects(), "card:") == 0);
}

TEST_CASE("a column with thousands of deals lays out only the cards that fit on screen") {
    HeadlessImGui imgui(1280, 800);
    pb::IdGenerator ids(11);
    pb::Workspace workspace = pb::make_workspace("Big", ids, kNow);
    const pb::Stage& lead_in = workspace.stages.front();
    for (int i = 0; i < 20000; ++i) {
        pb::Deal deal;
        deal.meta.id = "deal-" + std::to_string(i);
        deal.pipeline_id = lead_in.pipeline_id;
        deal.stage_id = lead_in.meta.id;
        deal.position = i;
        deal.title = "Deal " + std::to_string(i);
        deal.value = 1000 * 100;
        workspace.deals.push_back(deal);
    }
    auto app = make_app(std::move(workspace));
    imgui.frame(*app);
    imgui.frame(*app);

    const int cards = count_rects_starting_with(app->rects(), "card:");
    CHECK(cards > 3);
    CHECK(cards < 20);
    REQUIRE(app->rects().find("card:deal-0") != nullptr);
    CHECK(app->rects().find("card:deal-19999") == nullptr);
    const pb::ui::NamedRect* column = app->rects().find("column:Lead In");
    REQUIRE(column != nullptr);
    const pb::ui::NamedRect* first = app->rects().find("card:deal-0");
    CHECK(first->x >= column->x);
    CHECK(first->x + first->w <= column->x + column->w);
}

TEST_CASE("column totals count every open deal in the stage, not only the visible ones") {
    pb::IdGenerator ids(3);
    pb::Workspace workspace = pb::make_workspace("Totals", ids, kNow);
    const pb::Stage& stage = workspace.stages[1];  // Contacting, 20% by default
    for (int i = 0; i < 500; ++i) {
        pb::Deal deal;
        deal.meta.id = "d" + std::to_string(i);
        deal.pipeline_id = stage.pipeline_id;
        deal.stage_id = stage.meta.id;
        deal.value = 200 * 100;
        deal.status = i % 5 == 0 ? pb::DealStatus::Won : pb::DealStatus::Open;
        workspace.deals.push_back(deal);
    }
    const auto columns = pb::ui::summarize_columns(workspace, "");
    REQUIRE(columns.size() == 7);
    CHECK(columns[1].deals.size() == 400);
    CHECK(columns[1].total_value == 400 * 200 * 100);
    CHECK(columns[1].weighted_value == 400 * 200 * 100 / 5);
    CHECK(columns[0].deals.empty());
}

// What a read-only snapshot and presentation mode do to the app, drawn headless: the snapshot
// refuses every change and says so; presenting hides the notes and gives them back after.
#include <doctest/doctest.h>

#include "core/json_format.hpp"
#include "core/sample_workspace.hpp"
#include "ui_test_support.hpp"

using pb::test::HeadlessUi;
using pb::test::kNow;

TEST_CASE("a read-only snapshot refuses every change, undo included, and shows its banner") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(pb::make_sample_workspace({}, kNow));
    const std::string before = pb::workspace_to_json(app.workspace());
    app.set_read_only(true);
    ui.frames(2);
    CHECK(ui.rect("snapshot-banner") != nullptr);

    const pb::Deal& deal = app.workspace().deals.front();
    const pb::CommandResult moved = app.apply(pb::cmd::DeleteDeal{deal.meta.id}, kNow);
    CHECK_FALSE(moved.ok);
    CHECK(app.last_notice().find("read-only") != std::string::npos);
    CHECK_FALSE(app.undo(kNow));
    ui.key(ImGuiKey_N);
    ui.frames(2);
    CHECK(pb::workspace_to_json(app.workspace()) == before);
}

TEST_CASE("presenting hides a deal's notes and turning it off brings them back") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(pb::make_sample_workspace({}, kNow));
    const pb::Id id = app.workspace().deals.front().meta.id;
    app.open_deal(id);
    ui.frames(3);
    REQUIRE(ui.rect("field:deal-notes") != nullptr);
    const pb::ui::NamedRect* present = ui.rect("button:present");
    REQUIRE(present != nullptr);
    const float normal_padding = ImGui::GetStyle().FramePadding.y;

    ui.click("button:present");
    ui.frames(2);
    CHECK(app.presentation().on());
    CHECK(ui.rect("field:deal-notes") == nullptr);
    CHECK(ui.rect("hidden:deal-notes") != nullptr);
    CHECK(ImGui::GetStyle().FramePadding.y > normal_padding);
    REQUIRE(ui.rect("button:mask-amounts") != nullptr);
    ui.click("button:mask-amounts");
    CHECK(app.presentation().masking_amounts());
    CHECK(app.presentation().money(12345, app.workspace().currency, true).find("123") ==
          std::string::npos);

    ui.click("button:present");
    ui.frames(2);
    CHECK_FALSE(app.presentation().on());
    CHECK_FALSE(app.presentation().masking_amounts());
    CHECK(ui.rect("field:deal-notes") != nullptr);
    CHECK(ImGui::GetStyle().FramePadding.y == doctest::Approx(normal_padding));
}

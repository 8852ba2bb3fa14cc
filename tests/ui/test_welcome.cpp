// The first-run welcome and the empty board's tips, drawn headless: what a newcomer sees, what
// each choice does, and that a closed welcome or tip stays closed after a reload.
#include <doctest/doctest.h>

#include "core/json_format.hpp"
#include "core/sample_workspace.hpp"
#include "ui_test_support.hpp"

namespace {

using pb::test::HeadlessUi;
using pb::test::kNow;

pb::Workspace reloaded(const pb::Workspace& ws) {
    pb::LoadResult loaded = pb::workspace_from_json(pb::workspace_to_json(ws));
    REQUIRE(loaded.ok());
    return std::move(*loaded.workspace);
}

}  // namespace

TEST_CASE("a new workspace opens on the welcome, below the seven stage headers") {
    HeadlessUi ui(1280, 800);
    pb::IdGenerator ids(3);
    pb::ui::PipeboardApp& app = ui.open(pb::make_workspace("My pipeline", ids, kNow));
    int settings_saved = 0;
    app.set_settings_listener([&] { ++settings_saved; });
    app.welcome().offer(app);
    ui.frames(2);

    const pb::ui::NamedRect* card = ui.rect("welcome");
    REQUIRE(card != nullptr);
    const pb::ui::NamedRect* header = ui.rect("column-header:Lead In");
    REQUIRE(header != nullptr);
    CHECK(card->y >= header->y + header->h);
    CHECK(card->y + card->h <= 800.0f);
    CHECK(card->x + card->w / 2 == doctest::Approx(640).epsilon(0.02));
    for (const char* choice : {"welcome:empty", "welcome:import", "welcome:sample"})
        CHECK_MESSAGE(ui.rect(choice) != nullptr, choice);
    CHECK(ui.rect("welcome:storage-note") != nullptr);
    // The empty board's own card waits behind the welcome.
    CHECK(ui.rect("button:empty-add") == nullptr);

    ui.click("welcome:import");
    CHECK(app.take_csv_import_request());
    CHECK(ui.rect("welcome") != nullptr);

    ui.click("welcome:empty");
    ui.frames(2);
    CHECK(ui.rect("welcome") == nullptr);
    CHECK(ui.rect("button:empty-add") != nullptr);
    CHECK(app.hint_dismissed("welcome"));
    CHECK(settings_saved == 1);

    // A reload of the same workspace does not greet again.
    const pb::Workspace stored = reloaded(app.workspace());
    pb::ui::PipeboardApp& again = ui.open(stored);
    again.welcome().offer(again);
    ui.frames(2);
    CHECK(ui.rect("welcome") == nullptr);
}

TEST_CASE("the welcome's sample choice opens the sample pipeline on the board") {
    HeadlessUi ui(1280, 800);
    pb::IdGenerator ids(4);
    pb::ui::PipeboardApp& app = ui.open(pb::make_workspace("My pipeline", ids, kNow));
    app.welcome().offer(app);
    ui.frames(2);
    ui.click("welcome:sample");
    ui.frames(2);
    CHECK(app.workspace().deals.size() == 300);
    CHECK(ui.rect("welcome") == nullptr);
    CHECK(ui.count_rects("card:") > 10);
}

TEST_CASE("a workspace with deals is never greeted") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(pb::make_sample_workspace({}, kNow));
    app.welcome().offer(app);
    ui.frames(2);
    CHECK_FALSE(app.welcome().is_open());
    CHECK(ui.rect("welcome") == nullptr);
}

TEST_CASE("the empty board's tips hide for good once dismissed") {
    HeadlessUi ui(1280, 800);
    pb::IdGenerator ids(5);
    pb::ui::PipeboardApp& app = ui.open(pb::make_workspace("My pipeline", ids, kNow));
    int settings_saved = 0;
    app.set_settings_listener([&] { ++settings_saved; });
    REQUIRE(ui.rect("button:hide-tips") != nullptr);
    ui.click("button:hide-tips");
    ui.frames(2);
    CHECK(ui.rect("button:hide-tips") == nullptr);
    CHECK(ui.rect("button:empty-add") != nullptr);
    CHECK(settings_saved == 1);

    ui.open(reloaded(app.workspace()));
    CHECK(ui.rect("button:empty-add") != nullptr);
    CHECK(ui.rect("button:hide-tips") == nullptr);
}

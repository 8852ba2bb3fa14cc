// Headless frame tests: the real board drawn with Dear ImGui and no backend (no window, no
// GPU), driven with mouse and keyboard events, checking what was laid out through the same
// rectangles the browser tests use and what changed through the workspace.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/sample_workspace.hpp"
#include "ui_test_support.hpp"

namespace {

using pb::test::HeadlessUi;
using pb::test::kNow;
using pb::test::make_deal;

pb::Workspace workspace_with_deals(int per_stage, int stages = 7) {
    pb::IdGenerator ids(11);
    pb::Workspace workspace = pb::make_workspace("Board", ids, kNow - 40 * pb::kSecondsPerDay);
    for (int s = 0; s < stages; ++s) {
        const pb::Stage stage = workspace.stages[static_cast<std::size_t>(s)];
        for (int i = 0; i < per_stage; ++i) {
            const std::string id = "s" + std::to_string(s) + "-" + std::to_string(i);
            workspace.deals.push_back(
                make_deal(stage, id, "Deal " + id, 1000 + i, static_cast<double>(i)));
        }
    }
    return workspace;
}

std::vector<std::string> column_ids(pb::ui::PipeboardApp& app, int stage) {
    std::vector<std::string> out;
    const pb::Id& id = app.workspace().stages[static_cast<std::size_t>(stage)].meta.id;
    for (const pb::Deal& deal : app.index().deals_in_stage(id)) out.push_back(deal.meta.id);
    return out;
}

const pb::Deal& deal_of(pb::ui::PipeboardApp& app, const std::string& id) {
    return *app.index().find_deal(id);
}

bool inside(const pb::ui::NamedRect& inner, const pb::ui::NamedRect& outer) {
    return inner.x >= outer.x && inner.x + inner.w <= outer.x + outer.w + 0.5f &&
           inner.y >= outer.y && inner.y + inner.h <= outer.y + outer.h + 0.5f;
}

}  // namespace

TEST_CASE("an empty workspace shows the seven default stages and tells a new user what to do") {
    HeadlessUi ui(1280, 800);
    pb::IdGenerator ids(7);
    pb::ui::PipeboardApp& app = ui.open(pb::make_workspace("My pipeline", ids, kNow));

    const char* stages[] = {"Lead In",     "Contacting", "Qualifying",   "Meeting/Demo",
                            "Negotiation", "Closing",    "Post-Purchase"};
    float previous_right = 0;
    for (const char* stage : stages) {
        const pb::ui::NamedRect* header = ui.rect(std::string("column-header:") + stage);
        REQUIRE_MESSAGE(header != nullptr, stage);
        CHECK(header->x >= previous_right);
        CHECK(header->x + header->w <= 1280.0f);
        CHECK(header->w >= 160.0f);
        previous_right = header->x + header->w;
    }
    CHECK(ui.count_rects("card:") == 0);
    CHECK(ui.rect("button:empty-add") != nullptr);
    CHECK(ui.rect("button:empty-import") != nullptr);
    REQUIRE(ui.rect("button:empty-sample") != nullptr);

    ui.click("button:empty-import");
    CHECK(app.take_csv_import_request());
    CHECK_FALSE(app.take_csv_import_request());

    ui.click("button:empty-sample");
    ui.frames(2);
    CHECK(app.workspace().deals.size() == 300);
    CHECK(ui.count_rects("card:") > 10);
    CHECK(ui.rect("button:empty-sample") == nullptr);
}

TEST_CASE("a column with thousands of deals lays out only the cards that fit on screen") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(20000, 1));
    const int cards = ui.count_rects("card:");
    CHECK(cards > 3);
    CHECK(cards < 12);
    REQUIRE(ui.rect("card:s0-0") != nullptr);
    CHECK(ui.rect("card:s0-19999") == nullptr);
    const pb::ui::NamedRect* column = ui.rect("column:Lead In");
    REQUIRE(column != nullptr);
    CHECK(inside(*ui.rect("card:s0-0"), *column));
    (void)app;
}

TEST_CASE("a 100,000-deal board is built once and not again while nothing changes") {
    HeadlessUi ui(1920, 1080);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(100000 / 7 + 1));
    CHECK(app.workspace().deals.size() > 100000);
    const auto builds = app.board().model_builds();
    ui.frames(5);
    CHECK(app.board().model_builds() == builds);
    // Every column lays out only a screenful of cards.
    CHECK(ui.count_rects("card:") < 7 * 12);
    CHECK(ui.rect("card:s6-0") != nullptr);

    ui.key(ImGuiKey_DownArrow);
    ui.key(ImGuiKey_RightArrow, ImGuiMod_Shift);
    CHECK(deal_of(app, "s0-0").stage_id == app.workspace().stages[1].meta.id);
    CHECK(app.board().model_builds() == builds + 1);
}

TEST_CASE("dragging a card to another column moves the deal there, in the slot it was dropped") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(3, 3));
    const pb::ui::NamedRect source = *ui.rect("card:s0-1");
    const pb::ui::NamedRect second = *ui.rect("card:s2-1");
    // Onto the upper part of Qualifying's second card: lands before it.
    ui.drag(source, second.x + second.w / 2, second.y + 10);

    const pb::Deal& moved = deal_of(app, "s0-1");
    CHECK(moved.stage_id == app.workspace().stages[2].meta.id);
    CHECK(column_ids(app, 2) == std::vector<std::string>{"s2-0", "s0-1", "s2-1", "s2-2"});
    CHECK(column_ids(app, 0) == std::vector<std::string>{"s0-0", "s0-2"});
    const auto history = app.index().history_of("s0-1");
    REQUIRE(history.size() == 1);
    CHECK(history.front().kind == pb::HistoryKind::StageChanged);
    CHECK(history.front().from_stage_id == app.workspace().stages[0].meta.id);
    CHECK(history.front().to_stage_id == app.workspace().stages[2].meta.id);
    // The card is drawn where it landed on the very next frame: no snapping back.
    ui.frame();
    REQUIRE(ui.rect("card:s0-1") != nullptr);
    CHECK(inside(*ui.rect("card:s0-1"), *ui.rect("column:Qualifying")));
}

TEST_CASE("dragging a card within its column reorders it") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(4, 1));
    const pb::ui::NamedRect last = *ui.rect("card:s0-3");
    const pb::ui::NamedRect first = *ui.rect("card:s0-0");
    ui.drag(last, first.x + first.w / 2, first.y + 8);
    CHECK(column_ids(app, 0) == std::vector<std::string>{"s0-3", "s0-0", "s0-1", "s0-2"});

    // Dropped back where it already is: nothing changes and nothing is recorded.
    const pb::ui::NamedRect again = *ui.rect("card:s0-3");
    const std::string undo_before = app.session().undo_label();
    ui.drag(again, again.x + again.w / 2, again.y + again.h / 2 + 4);
    CHECK(column_ids(app, 0) == std::vector<std::string>{"s0-3", "s0-0", "s0-1", "s0-2"});
    CHECK(app.session().undo_label() == undo_before);
}

TEST_CASE("dropping a card on Lost asks for the reason, and undo brings the deal back") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(2, 2));
    const pb::ui::NamedRect card = *ui.rect("card:s1-0");
    const float x0 = card.x + card.w / 2, y0 = card.y + card.h / 2;
    ui.move_to(x0, y0);
    ui.press();
    ui.move_to(x0 + 20, y0 + 20);
    ui.move_to(x0 + 40, y0 + 60);
    // The drop zones appear only while a card is dragged.
    REQUIRE(ui.rect("dropzone:lost") != nullptr);
    CHECK(ui.rect("dropzone:won") != nullptr);
    CHECK(ui.rect("dropzone:nurture") != nullptr);
    const pb::ui::NamedRect zone = *ui.rect("dropzone:lost");
    ui.move_to(zone.x + zone.w / 2, zone.y + zone.h / 2 - 4);
    ui.move_to(zone);
    ui.release();
    ui.frames(2);
    CHECK(ui.rect("dropzone:lost") == nullptr);
    CHECK(deal_of(app, "s1-0").status == pb::DealStatus::Open);
    REQUIRE(ui.rect("button:lost-confirm") != nullptr);

    // Confirming without a reason is not possible; choosing one marks the deal lost.
    ui.click("button:lost-confirm");
    CHECK(deal_of(app, "s1-0").status == pb::DealStatus::Open);
    ui.click("option:lost-reason:Competitor");
    ui.click("button:lost-confirm");
    ui.frames(2);
    CHECK(deal_of(app, "s1-0").status == pb::DealStatus::Lost);
    CHECK(deal_of(app, "s1-0").lost_reason == "Competitor");
    CHECK(ui.rect("card:s1-0") == nullptr);

    ui.key(ImGuiKey_Z, ImGuiMod_Ctrl);
    ui.frame();
    CHECK(deal_of(app, "s1-0").status == pb::DealStatus::Open);
    CHECK(ui.rect("card:s1-0") != nullptr);
}

TEST_CASE("winning a deal confirms value and date, moves it to the customers, and undoes at once") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(2, 6));
    const pb::Id closing = app.workspace().stages[5].meta.id;
    const pb::Id customers = app.workspace().stages[6].meta.id;
    app.board_state().selected_deal_id = "s5-0";
    app.dialogs().ask_win("s5-0");
    ui.frames(2);
    REQUIRE(ui.rect("field:won-value") != nullptr);
    REQUIRE(ui.rect("checkbox:won-move") != nullptr);
    // The value field has the keyboard: replace its text with an amount that is not one.
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("lots");
    ui.click("button:won-confirm");
    CHECK(ui.rect("error:won-value") != nullptr);
    CHECK(deal_of(app, "s5-0").status == pb::DealStatus::Open);

    ui.click("field:won-value");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("4,200");
    ui.click("button:won-confirm");
    ui.frames(2);
    const pb::Deal& won = deal_of(app, "s5-0");
    CHECK(won.status == pb::DealStatus::Won);
    CHECK(won.value == 4200 * 100);
    CHECK(won.stage_id == customers);
    REQUIRE(ui.rect("card:s5-0") != nullptr);
    CHECK(inside(*ui.rect("card:s5-0"), *ui.rect("column:Post-Purchase")));

    CHECK(app.undo(ui.now));
    CHECK(deal_of(app, "s5-0").status == pb::DealStatus::Open);
    CHECK(deal_of(app, "s5-0").stage_id == closing);
    CHECK(deal_of(app, "s5-0").value == 1000 * 100);
    CHECK(app.redo(ui.now));
    CHECK(deal_of(app, "s5-0").status == pb::DealStatus::Won);
    CHECK(deal_of(app, "s5-0").stage_id == customers);
}

TEST_CASE("parking a deal asks for a revisit date and takes it off the board") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(1, 1));
    app.dialogs().ask_nurture("s0-0");
    ui.frames(2);
    ui.click("field:nurture-date");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("someday");
    ui.click("button:nurture-confirm");
    CHECK(ui.rect("error:nurture-date") != nullptr);
    CHECK(deal_of(app, "s0-0").status == pb::DealStatus::Open);

    ui.click("field:nurture-date");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("2027-03-01");
    ui.click("button:nurture-confirm");
    ui.frames(2);
    CHECK(deal_of(app, "s0-0").status == pb::DealStatus::Nurture);
    CHECK(deal_of(app, "s0-0").revisit_on == pb::day_from_civil({2027, 3, 1}));
    CHECK(ui.rect("card:s0-0") == nullptr);
}

TEST_CASE("arrows select cards, Enter opens the deal, Shift+arrow moves it, Ctrl+Z undoes") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(3, 3));
    ui.key(ImGuiKey_DownArrow);
    CHECK(app.board_state().selected_deal_id == "s0-0");
    ui.key(ImGuiKey_DownArrow);
    ui.key(ImGuiKey_DownArrow);
    ui.key(ImGuiKey_DownArrow);
    CHECK(app.board_state().selected_deal_id == "s0-2");
    ui.key(ImGuiKey_RightArrow);
    CHECK(app.board_state().selected_deal_id == "s1-2");
    ui.key(ImGuiKey_UpArrow);
    CHECK(app.board_state().selected_deal_id == "s1-1");

    ui.key(ImGuiKey_Enter);
    CHECK(app.editor().deal_id() == "s1-1");
    CHECK(ui.rect("panel:deal-editor") != nullptr);
    ui.key(ImGuiKey_Escape);
    CHECK_FALSE(app.editor().is_open());

    ui.key(ImGuiKey_RightArrow, ImGuiMod_Shift);
    CHECK(deal_of(app, "s1-1").stage_id == app.workspace().stages[2].meta.id);
    CHECK(app.board_state().selected_deal_id == "s1-1");
    ui.key(ImGuiKey_LeftArrow, ImGuiMod_Shift);
    ui.key(ImGuiKey_LeftArrow, ImGuiMod_Shift);
    CHECK(deal_of(app, "s1-1").stage_id == app.workspace().stages[0].meta.id);
    ui.key(ImGuiKey_Z, ImGuiMod_Ctrl);
    CHECK(deal_of(app, "s1-1").stage_id == app.workspace().stages[1].meta.id);
    ui.key(ImGuiKey_Z, ImGuiMod_Ctrl | ImGuiMod_Shift);
    CHECK(deal_of(app, "s1-1").stage_id == app.workspace().stages[0].meta.id);
    ui.key(ImGuiKey_Z, ImGuiMod_Ctrl);
    ui.key(ImGuiKey_Y, ImGuiMod_Ctrl);
    CHECK(deal_of(app, "s1-1").stage_id == app.workspace().stages[0].meta.id);
}

TEST_CASE("N opens quick add in the selected column and Enter saves the deal") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(1, 3));
    ui.key(ImGuiKey_DownArrow);
    ui.key(ImGuiKey_RightArrow);
    const std::size_t before = app.workspace().deals.size();
    ui.type("n");
    ui.frame();
    REQUIRE(ui.rect("field:quick-add-title") != nullptr);
    CHECK(inside(*ui.rect("field:quick-add-title"), *ui.rect("column:Contacting")));
    ui.type("Globex expansion");
    ui.key(ImGuiKey_Tab);
    ui.type("Globex");
    ui.key(ImGuiKey_Tab);
    ui.type("12,500");
    ui.key(ImGuiKey_Enter);
    ui.frames(2);
    REQUIRE(app.workspace().deals.size() == before + 1);
    const pb::Deal& created = app.workspace().deals.back();
    CHECK(created.title == "Globex expansion");
    CHECK(created.organization == "Globex");
    CHECK(created.value == 12500 * 100);
    CHECK(created.stage_id == app.workspace().stages[1].meta.id);
    CHECK(ui.rect("field:quick-add-title") == nullptr);
    CHECK(app.board_state().selected_deal_id == created.meta.id);
}

TEST_CASE("quick add refuses a value that is not an amount and keeps the form open") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(1, 1));
    ui.click("button:add-deal:Lead In");
    ui.type("Initech");
    ui.click("field:quick-add-value");
    ui.type("ten grand");
    ui.key(ImGuiKey_Enter);
    CHECK(app.workspace().deals.size() == 1);
    CHECK(ui.rect("error:quick-add") != nullptr);
    ui.key(ImGuiKey_Escape);
    ui.frame();
    CHECK(ui.rect("field:quick-add-title") == nullptr);
}

TEST_CASE("the editor saves a valid value and refuses an invalid one beside the field") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(1, 1));
    ui.click("card:s0-0");
    REQUIRE(app.editor().deal_id() == "s0-0");
    REQUIRE(ui.rect("field:deal-value") != nullptr);

    ui.click("field:deal-value");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("abc");
    ui.key(ImGuiKey_Enter);
    ui.frame();
    CHECK(deal_of(app, "s0-0").value == 1000 * 100);
    CHECK(ui.rect("error:deal-value") != nullptr);

    ui.click("field:deal-value");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("2,500.50");
    ui.key(ImGuiKey_Enter);
    ui.frame();
    CHECK(deal_of(app, "s0-0").value == 250050);
    CHECK(ui.rect("error:deal-value") == nullptr);

    ui.click("field:deal-expected-close");
    ui.type("soon");
    ui.key(ImGuiKey_Enter);
    ui.frame();
    CHECK_FALSE(deal_of(app, "s0-0").expected_close.has_value());
    CHECK(ui.rect("error:deal-expected-close") != nullptr);
}

TEST_CASE("marking an activity done offers to plan the next one") {
    HeadlessUi ui(1280, 800);
    pb::Workspace workspace = workspace_with_deals(1, 1);
    pb::Activity call;
    call.meta.id = "call-1";
    call.deal_id = "s0-0";
    call.subject = "Discovery call";
    call.due = kNow - 3600;
    workspace.activities.push_back(call);
    pb::ui::PipeboardApp& app = ui.open(std::move(workspace));
    CHECK(app.activities().due_count(app, ui.now) == 1);

    app.open_deal("s0-0");
    app.editor().show_tab(pb::ui::DealEditor::Tab::Activities);
    ui.frames(2);
    ui.click("checkbox:activity:call-1");
    CHECK(app.index().find_activity("call-1")->done);
    CHECK(app.activities().due_count(app, ui.now) == 0);
    REQUIRE(ui.rect("button:plan-next") != nullptr);

    ui.click("button:plan-next");
    ui.frame();
    ui.type("Send proposal");
    ui.click("button:activity-save");
    const pb::Activity* next = app.index().next_activity("s0-0");
    REQUIRE(next != nullptr);
    CHECK(next->subject == "Send proposal");
    CHECK(pb::day_of(next->due) == pb::day_of(kNow) + 1);
}

TEST_CASE("on a phone the board shows one stage at a time behind stage tabs") {
    HeadlessUi ui(390, 844);
    pb::SampleOptions options;
    options.deal_count = 120;
    pb::ui::PipeboardApp& app = ui.open(pb::make_sample_workspace(options, kNow));
    CHECK(app.narrow());
    CHECK(ui.count_rects("column:") == 1);
    REQUIRE(ui.rect("column:Lead In") != nullptr);
    CHECK(ui.rect("column:Lead In")->w >= 360.0f);
    REQUIRE(ui.rect("tab:Lead In") != nullptr);
    REQUIRE(ui.rect("tab:Contacting") != nullptr);

    ui.click("tab:Contacting");
    ui.frame();
    CHECK(ui.rect("column:Lead In") == nullptr);
    CHECK(ui.rect("column:Contacting") != nullptr);

    // A tap opens the deal full screen.
    const pb::ui::NamedRect* card = nullptr;
    for (const pb::ui::NamedRect& rect : app.rects().rects())
        if (rect.name.rfind("card:", 0) == 0) card = &rect;
    REQUIRE(card != nullptr);
    const std::string id = card->name.substr(5);
    ui.click(card->name);
    CHECK(app.editor().deal_id() == id);
    REQUIRE(ui.rect("panel:deal-editor") != nullptr);
    CHECK(ui.rect("panel:deal-editor")->w == doctest::Approx(390.0f));
}

TEST_CASE("a failing step takes back the whole action") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(1, 1));
    const std::vector<pb::Command> commands{pb::cmd::WinDeal{"s0-0", {}, {}},
                                            pb::cmd::MoveDeal{"s0-0", "no-such-stage", {}}};
    const pb::CommandResult result = app.apply_together(commands, ui.now);
    CHECK_FALSE(result.ok);
    CHECK(deal_of(app, "s0-0").status == pb::DealStatus::Open);
    CHECK_FALSE(app.can_undo());
}

TEST_CASE("the stage editor adds, reorders, renames, validates and deletes stages") {
    HeadlessUi ui(1280, 800);
    pb::ui::PipeboardApp& app = ui.open(workspace_with_deals(2, 1));
    const pb::Id pipeline = app.workspace().pipelines.front().meta.id;
    auto names = [&] {
        std::vector<std::string> out;
        for (const pb::Stage& stage : app.index().stages_of(pipeline)) out.push_back(stage.name);
        return out;
    };
    ui.click("button:stages");
    REQUIRE(ui.rect("panel:stages") != nullptr);

    ui.click("field:new-stage");
    ui.type("Proposal");
    ui.key(ImGuiKey_Enter);
    ui.frame();
    REQUIRE(names().size() == 8);
    CHECK(names().back() == "Proposal");

    ui.click("button:stage-up:Proposal");
    CHECK(names()[6] == "Proposal");
    CHECK(names()[7] == "Post-Purchase");

    ui.click("field:stage-name:Proposal");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("Proposal sent");
    ui.key(ImGuiKey_Enter);
    ui.frame();
    CHECK(names()[6] == "Proposal sent");

    ui.click("field:stage-probability:Closing");
    ui.key(ImGuiKey_A, ImGuiMod_Ctrl);
    ui.type("150");
    ui.key(ImGuiKey_Enter);
    ui.frame();
    CHECK(app.index().stages_of(pipeline)[5].probability == 90);

    // Lead In holds two deals: deleting it asks where they go.
    ui.click("button:stage-delete:Lead In");
    REQUIRE(ui.rect("button:stage-delete-confirm") != nullptr);
    CHECK(names().front() == "Lead In");
    ui.click("field:move-deals-to");
    ui.click("option:move-deals-to:Contacting");
    ui.click("button:stage-delete-confirm");
    ui.frame();
    CHECK(names().front() == "Contacting");
    CHECK(deal_of(app, "s0-0").stage_id == app.index().stages_of(pipeline).front().meta.id);
    CHECK(deal_of(app, "s0-1").stage_id == app.index().stages_of(pipeline).front().meta.id);

    ui.click("button:stages-close");
    ui.frame();
    CHECK(ui.rect("panel:stages") == nullptr);
    CHECK(ui.rect("column:Lead In") == nullptr);
    CHECK(ui.rect("column:Proposal sent") != nullptr);
}

TEST_CASE("a customer's referral becomes a new lead in the first stage, sourced Referral") {
    HeadlessUi ui(1280, 800);
    pb::Workspace workspace = workspace_with_deals(0);
    pb::Deal customer = make_deal(workspace.stages[6], "customer", "Acme renewal", 9000, 0);
    customer.status = pb::DealStatus::Won;
    customer.closed_at = kNow - 30 * pb::kSecondsPerDay;
    customer.contract_end = pb::day_of(kNow) + 20;
    workspace.deals.push_back(customer);
    pb::ui::PipeboardApp& app = ui.open(std::move(workspace));
    REQUIRE(ui.rect("card:customer") != nullptr);

    app.open_deal("customer");
    ui.frame();
    ui.frame();
    ui.click("tab:deal-customer");
    REQUIRE(ui.rect("field:deal-contract-end") != nullptr);
    ui.click("button:add-referral");
    ui.click("field:referral-title");
    ui.type("Globex via Acme");
    ui.click("button:referral-save");
    ui.frame();
    REQUIRE(app.workspace().deals.size() == 2);
    const pb::Deal& lead = app.workspace().deals.back();
    CHECK(lead.title == "Globex via Acme");
    CHECK(lead.lead_source == "Referral");
    CHECK(lead.referred_by_deal_id == "customer");
    CHECK(lead.stage_id == app.workspace().stages[0].meta.id);
    CHECK(lead.status == pb::DealStatus::Open);
}

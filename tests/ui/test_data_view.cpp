// The platform-free half of importing (reading the file, the merge preview, what a replace
// would bring) and the Data view drawn headless with a recording DataServices: the preview
// applies the workspace the user chose, and a broken file offers nothing to apply.
#include <doctest/doctest.h>
#include <imgui.h>

#include <memory>
#include <string>

#include "core/commands.hpp"
#include "core/csv.hpp"
#include "core/ids.hpp"
#include "core/json_format.hpp"
#include "ui/app.hpp"
#include "ui/data_services.hpp"

namespace {

constexpr pb::Timestamp kNow = 1796000000;  // 2026-11-29
constexpr pb::Timestamp kDay = pb::kSecondsPerDay;

pb::Workspace workspace_with_deals(std::uint64_t seed, const std::vector<std::string>& titles) {
    pb::IdGenerator ids(seed);
    pb::Workspace workspace = pb::make_workspace("Northwind", ids, kNow - 30 * kDay);
    pb::Session session(workspace, ids);
    for (const std::string& title : titles) {
        pb::Deal deal;
        deal.title = title;
        deal.value = 100000;
        deal.stage_id = workspace.stages.front().meta.id;
        const pb::CommandResult result = session.apply(pb::cmd::CreateDeal{deal}, kNow - 20 * kDay);
        REQUIRE_MESSAGE(result.ok, result.error);
    }
    return workspace;
}

int live_deals(const pb::Workspace& workspace) {
    int count = 0;
    for (const pb::Deal& deal : workspace.deals) count += deal.meta.deleted ? 0 : 1;
    return count;
}

class RecordingServices final : public pb::ui::DataServices {
public:
    pb::ui::StorageStatus storage_status() const override { return {}; }
    std::vector<pb::ui::StorageNotice> notices() const override { return {}; }
    void dismiss_notice(const std::string&) override {}
    std::string export_json(pb::ui::PipeboardApp&, pb::Timestamp) override { return ""; }
    std::string export_deals_csv(pb::ui::PipeboardApp&, pb::Timestamp) override { return ""; }
    bool has_file_chooser() const override { return true; }
    void choose_import_file() override {}
    void import_path(pb::ui::PipeboardApp&, const std::string&, pb::Timestamp) override {}
    std::string apply_import(pb::ui::PipeboardApp& app, pb::Workspace next,
                             const std::string& label, pb::Timestamp) override {
        applied_label = label;
        ++applied;
        app.replace_workspace(std::move(next));
        return "Imported";
    }
    std::vector<pb::ui::KeptWorkspace> kept_workspaces() const override { return {}; }
    void restore_kept(pb::ui::PipeboardApp&, const std::string&, pb::Timestamp) override {}

    int applied = 0;
    std::string applied_label;
};

struct HeadlessImGui {
    HeadlessImGui() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60.0f;
    }
    ~HeadlessImGui() { ImGui::DestroyContext(); }

    void frame(pb::ui::PipeboardApp& app) {
        ImGui::NewFrame();
        app.draw_frame(kNow);
        ImGui::Render();
    }

    // Presses and releases the mouse over a named rectangle, a frame each, as a user would.
    bool click(pb::ui::PipeboardApp& app, const std::string& name) {
        const pb::ui::NamedRect* rect = app.rects().find(name);
        if (!rect) return false;
        ImGuiIO& io = ImGui::GetIO();
        io.AddMousePosEvent(rect->x + rect->w / 2, rect->y + rect->h / 2);
        frame(app);
        io.AddMouseButtonEvent(0, true);
        frame(app);
        io.AddMouseButtonEvent(0, false);
        frame(app);
        frame(app);
        return true;
    }
};

std::unique_ptr<pb::ui::PipeboardApp> make_app(pb::Workspace workspace) {
    auto app = std::make_unique<pb::ui::PipeboardApp>(std::move(workspace), 99);
    app->set_fonts(pb::ui::load_ui_fonts(15.0f, 1.0f));
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    return app;
}

}  // namespace

TEST_CASE("an empty or broken file cannot be imported and says what is wrong") {
    const pb::Workspace current = workspace_with_deals(1, {"Acme renewal"});

    const pb::ui::PreparedImport empty = pb::ui::prepare_import(current, "blank.json", "", kNow, 5);
    CHECK_FALSE(empty.ok());
    CHECK(empty.error == "The file is empty");
    CHECK_FALSE(empty.incoming.has_value());

    const std::string text = pb::export_workspace_json(current, kNow);
    const pb::ui::PreparedImport truncated =
        pb::ui::prepare_import(current, "cut.json", text.substr(0, text.size() / 2), kNow, 5);
    CHECK_FALSE(truncated.ok());
    CHECK(truncated.format == "JSON");
    CHECK_FALSE(truncated.incoming.has_value());

    std::string tampered = text;
    const std::size_t at = tampered.find("\"value\":100000");
    REQUIRE(at != std::string::npos);
    tampered.replace(at, 14, "\"value\":100001");
    const pb::ui::PreparedImport changed =
        pb::ui::prepare_import(current, "x.json", tampered, kNow, 5);
    CHECK_FALSE(changed.ok());
    CHECK(changed.error.find("checksum") != std::string::npos);

    const pb::ui::PreparedImport no_rows =
        pb::ui::prepare_import(current, "deals.csv", "Title,Value\n,abc\n", kNow, 5);
    CHECK_FALSE(no_rows.ok());
    CHECK(no_rows.format == "CSV");
}

TEST_CASE("an export of the same workspace with one more deal merges as one deal added") {
    const pb::Workspace current = workspace_with_deals(2, {"Acme renewal"});
    pb::Workspace elsewhere = current;
    pb::IdGenerator other_ids(77);
    pb::Session session(elsewhere, other_ids);
    pb::Deal deal;
    deal.title = "Globex pilot";
    deal.stage_id = elsewhere.stages.front().meta.id;
    REQUIRE(session.apply(pb::cmd::CreateDeal{deal}, kNow).ok);

    const pb::ui::PreparedImport prepared = pb::ui::prepare_import(
        current, "northwind.json", pb::export_workspace_json(elsewhere, kNow), kNow, 5);
    REQUIRE(prepared.ok());
    CHECK(prepared.same_workspace);
    CHECK(prepared.suggested == pb::ui::ImportChoice::Merge);
    CHECK(prepared.problems.empty());
    int deals_added = 0, history_added = 0;
    for (const pb::MergeEntry& entry : prepared.report.entries) {
        CHECK(entry.action == pb::MergeAction::Added);
        deals_added += entry.kind == "deal";
        history_added += entry.kind == "history";
    }
    CHECK(deals_added == 1);
    CHECK(history_added == 1);
    REQUIRE(prepared.incoming.has_value());
    CHECK(live_deals(pb::merge_workspaces(current, *prepared.incoming).merged) == 2);
}

TEST_CASE("another workspace's export over a workspace without deals is offered as a replacement") {
    const pb::Workspace fresh = workspace_with_deals(3, {});
    const pb::Workspace other = workspace_with_deals(4, {"Initech seats", "Umbrella audit"});
    const pb::ui::PreparedImport prepared = pb::ui::prepare_import(
        fresh, "other.json", pb::export_workspace_json(other, kNow), kNow, 5);
    REQUIRE(prepared.ok());
    CHECK_FALSE(prepared.same_workspace);
    CHECK(prepared.suggested == pb::ui::ImportChoice::Replace);
    REQUIRE(prepared.incoming.has_value());
    CHECK(prepared.replaceable);
    CHECK(prepared.incoming->id == other.id);
    CHECK(live_deals(*prepared.incoming) == 2);

    const pb::Workspace busy = workspace_with_deals(5, {"Soylent trial"});
    const pb::ui::PreparedImport over_deals =
        pb::ui::prepare_import(busy, "other.json", pb::export_workspace_json(other, kNow), kNow, 5);
    CHECK(over_deals.suggested == pb::ui::ImportChoice::Merge);
}

TEST_CASE("a CSV adds its good rows and reports the bad ones by line") {
    const pb::Workspace current = workspace_with_deals(6, {});
    const pb::ui::PreparedImport prepared = pb::ui::prepare_import(
        current, "crm.csv", "Title,Value\nAcme renewal,1250\nGlobex pilot,lots\n", kNow, 5);
    REQUIRE(prepared.ok());
    CHECK(prepared.format == "CSV");
    CHECK_FALSE(prepared.replaceable);
    REQUIRE(prepared.problems.size() == 1);
    CHECK(prepared.problems[0].find("line 3") != std::string::npos);
    REQUIRE(prepared.incoming.has_value());
    const pb::Workspace merged = pb::merge_workspaces(current, *prepared.incoming).merged;
    REQUIRE(live_deals(merged) == 1);
    CHECK(merged.deals.back().title == "Acme renewal");
    CHECK(merged.deals.back().value == 125000);
}

TEST_CASE("the export reminder speaks up after a week or after many changes") {
    pb::Workspace workspace = workspace_with_deals(8, {});
    CHECK(pb::ui::export_reminder(workspace, kNow) == "");  // nothing to lose yet

    workspace = workspace_with_deals(8, {"Acme renewal"});  // created 30 days ago
    CHECK(pb::ui::export_reminder(workspace, kNow) == "Not exported yet");
    workspace.deals.front().meta.deleted = true;  // only a deleted deal: still nothing to lose
    CHECK(pb::ui::export_reminder(workspace, kNow) == "");
    workspace = workspace_with_deals(8, {"Acme renewal", "Globex pilot"});
    workspace.deals.front().meta.deleted = true;  // a live deal after a deleted one
    CHECK(pb::ui::export_reminder(workspace, kNow) == "Not exported yet");
    workspace.settings.last_export_at = kNow - 3 * kDay;
    workspace.settings.changes_since_export = 5;
    CHECK(pb::ui::export_reminder(workspace, kNow) == "");
    workspace.settings.changes_since_export = 150;
    CHECK(pb::ui::export_reminder(workspace, kNow) == "150 changes since the last export");
    workspace.settings.last_export_at = kNow - 10 * kDay;
    CHECK(pb::ui::export_reminder(workspace, kNow) == "Last export 10 days ago");
}

TEST_CASE("describing a workspace counts live deals always and other records when present") {
    pb::Workspace workspace = workspace_with_deals(9, {"One", "Two"});
    workspace.deals.front().meta.deleted = true;
    CHECK(pb::ui::describe_contents(workspace) == "1 deal, 7 stages");
}

TEST_CASE("the import preview counts what a file changes by action and kind, in thousands") {
    pb::MergeReport report;
    const auto add = [&](pb::MergeAction action, const char* kind, int count) {
        for (int i = 0; i < count; ++i) report.add({action, kind, "", "", ""});
    };
    add(pb::MergeAction::Added, "deal", 1000);
    add(pb::MergeAction::Added, "history", 1516);
    add(pb::MergeAction::Conflict, "deal", 1);
    add(pb::MergeAction::Updated, "list", 2);
    CHECK(pb::ui::summarize_report(report) ==
          std::vector<std::string>{"Added: 1,000 deals, 1,516 history events", "Updated: 2 lists",
                                   "Conflict: 1 deal"});
    CHECK(pb::ui::summarize_report(pb::MergeReport{}).empty());
    CHECK(pb::ui::with_thousands(0) == "0");
    CHECK(pb::ui::with_thousands(999) == "999");
    CHECK(pb::ui::with_thousands(1234567) == "1,234,567");
    CHECK(pb::ui::with_thousands(-1234) == "-1,234");
}

TEST_CASE("the import preview applies the workspace the user chose, and a broken file nothing") {
    HeadlessImGui imgui;
    RecordingServices services;
    auto app = make_app(workspace_with_deals(10, {}));
    app->data_view().set_services(&services);
    const pb::Workspace other = workspace_with_deals(11, {"Initech seats"});

    app->data_view().offer_import(pb::ui::prepare_import(app->workspace(), "broken.json",
                                                         "{\"format\":\"pipeboard\",", kNow, 5));
    imgui.frame(*app);
    imgui.frame(*app);
    CHECK(app->rects().find("import:error") != nullptr);
    CHECK(app->rects().find("import:apply") == nullptr);
    REQUIRE(imgui.click(*app, "import:close"));
    CHECK_FALSE(app->data_view().has_pending_import());
    CHECK(services.applied == 0);

    app->data_view().offer_import(pb::ui::prepare_import(
        app->workspace(), "other.json", pb::export_workspace_json(other, kNow), kNow, 5));
    imgui.frame(*app);
    imgui.frame(*app);
    REQUIRE(app->rects().find("import:choice-replace") != nullptr);
    REQUIRE(imgui.click(*app, "import:apply"));
    CHECK(services.applied == 1);
    CHECK(services.applied_label == "Before importing 'other.json'");
    CHECK(app->workspace().id == other.id);
    CHECK(live_deals(app->workspace()) == 1);
    CHECK_FALSE(app->data_view().has_pending_import());
}

// The menu is a popup under the workspace's name; renaming goes through the command layer (so
// it is undoable and saved like any edit), the rest through the platform's services, which
// store the new workspace before the page opens it.
#include "ui/workspace_menu.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "core/commands.hpp"
#include "core/json_format.hpp"
#include "core/sample_workspace.hpp"
#include "ui/app.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr const char* kMenu = "workspace-menu";
constexpr const char* kRenameTitle = "Rename workspace";
constexpr const char* kDeleteTitle = "Delete workspace";
constexpr const char* kShareTitle = "Share a read-only snapshot";
constexpr float kDialogWidth = 460.0f;

void muted_wrapped(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().text_muted));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void center_next_dialog() {
    ImGui::SetNextWindowSizeConstraints(ImVec2(kDialogWidth, 0), ImVec2(kDialogWidth, FLT_MAX));
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
}

}  // namespace

Workspace make_demo_workspace(Timestamp now) {
    Workspace demo = make_sample_workspace(SampleOptions{}, now);
    demo.name = "Demo";
    return demo;
}

bool WorkspaceMenu::current_is_demo() const {
    if (!services_) return false;
    for (const WorkspaceEntry& entry : services_->workspaces())
        if (entry.current) return entry.demo;
    return false;
}

void WorkspaceMenu::open_demo(PipeboardApp& app, Timestamp now) {
    if (!services_) return;
    for (const WorkspaceEntry& entry : services_->workspaces()) {
        if (!entry.demo) continue;
        if (entry.current) return;
        services_->switch_to(entry.key);
        app.notify("Opening the Demo workspace…");
        return;
    }
    services_->create(make_demo_workspace(now), true);
    app.notify("Opening the sample pipeline as the Demo workspace…");
}

void WorkspaceMenu::reset_demo(PipeboardApp& app, Timestamp now) {
    app.replace_workspace(make_demo_workspace(now));
    app.store_replaced_workspace();
    app.notify("The demo is back to its initial state");
}

void WorkspaceMenu::snapshot_ready(bool ok, std::string link, std::size_t chars,
                                   std::size_t limit) {
    share_waiting_ = false;
    share_ok_ = ok;
    share_link_ = std::move(link);
    share_chars_ = chars;
    share_limit_ = limit;
}

void WorkspaceMenu::draw_snapshot_banner(PipeboardApp& app) {
    const Palette& p = palette();
    ImGui::PushStyleColor(ImGuiCol_ChildBg,
                          ImGui::ColorConvertU32ToFloat4(with_alpha(p.warning, 0.16f)));
    ImGui::BeginChild("snapshot-banner", ImVec2(0, ImGui::GetFrameHeightWithSpacing() + 10),
                      ImGuiChildFlags_AlwaysUseWindowPadding,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(("Read-only snapshot of '" + app.workspace().name +
                            "', opened from a link. Nothing here can be changed, and nothing is "
                            "stored in this browser unless you save a copy.")
                               .c_str());
    app.frame_rects().add_last_item("snapshot-banner");
    if (services_) {
        ImGui::SameLine();
        if (primary_button("Save a copy")) {
            Workspace copy = app.workspace();
            copy.name += " (snapshot)";
            services_->save_snapshot_copy(copy);
            app.notify("Saving a copy in this browser…");
        }
        app.frame_rects().add_last_item("snapshot:save-copy");
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

void WorkspaceMenu::draw_button(PipeboardApp& app, Timestamp now) {
    const std::string& name = app.workspace().name;
    // A snapshot is not one of this browser's workspaces: the menu's actions would act on
    // the workspace the tab would otherwise show.
    if (!services_ || app.read_only()) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", name.c_str());
        app.frame_rects().add_last_item("workspace-name");
        return;
    }
    const std::vector<WorkspaceEntry> entries = services_->workspaces();
    bool demo = false;
    for (const WorkspaceEntry& entry : entries)
        if (entry.current) demo = entry.demo;
    const std::string label = name + (demo ? "  (demo)" : "") + "  \xE2\x86\x93##workspace";
    if (ImGui::Button(label.c_str())) ImGui::OpenPopup(kMenu);
    app.frame_rects().add_last_item("workspace-name");
    hover_tooltip("Switch, rename, duplicate or delete workspaces");

    ImGui::SetNextWindowSizeConstraints(ImVec2(300, 0), ImVec2(kDialogWidth, FLT_MAX));
    if (!ImGui::BeginPopup(kMenu)) return;
    UiRects& rects = app.frame_rects();
    ImGui::TextDisabled("Workspaces in this browser");
    for (const WorkspaceEntry& entry : entries) {
        const std::string item = entry.name + (entry.demo ? "  (demo)" : "") + "##" + entry.key;
        if (ImGui::Selectable(item.c_str(), entry.current) && !entry.current) {
            services_->switch_to(entry.key);
            app.notify("Opening '" + entry.name + "'…");
        }
        rects.add_last_item("workspace:" + entry.name);
    }
    ImGui::Separator();
    if (demo) {
        if (ImGui::Selectable("Reset the demo")) reset_demo(app, now);
        rects.add_last_item("workspace:reset-demo");
        hover_tooltip("Back to the sample pipeline as it was first generated");
    }
    if (ImGui::Selectable("Rename…")) {
        rename_requested_ = true;
        rename_text_ = name;
    }
    rects.add_last_item("workspace:rename");
    if (ImGui::Selectable("Duplicate")) {
        Workspace copy = app.workspace();
        copy.id = app.ids().next();
        copy.name = "Copy of " + name;
        services_->create(copy, false);
        app.notify("Opening '" + copy.name + "'…");
    }
    rects.add_last_item("workspace:duplicate");
    if (ImGui::Selectable("Share a read-only link…")) {
        share_requested_ = true;
        share_waiting_ = true;
        share_link_.clear();
        services_->make_snapshot_link(export_workspace_json(app.workspace(), now));
    }
    rects.add_last_item("workspace:share");
    if (ImGui::Selectable("New empty workspace")) {
        Workspace fresh = make_workspace("New pipeline", app.ids(), now);
        fresh.settings.dismissed_hints.push_back("welcome");
        services_->create(fresh, false);
        app.notify("Opening 'New pipeline'…");
    }
    rects.add_last_item("workspace:new");
    if (!demo) {
        if (ImGui::Selectable("Open the demo (sample pipeline)")) open_demo(app, now);
        rects.add_last_item("workspace:demo");
    }
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().danger));
    if (ImGui::Selectable("Delete this workspace…")) delete_requested_ = true;
    ImGui::PopStyleColor();
    rects.add_last_item("workspace:delete");
    ImGui::EndPopup();
}

void WorkspaceMenu::draw_dialogs(PipeboardApp& app, Timestamp now) {
    if (!services_) return;
    UiRects& rects = app.frame_rects();
    if (rename_requested_) {
        rename_requested_ = false;
        ImGui::OpenPopup(kRenameTitle);
    }
    center_next_dialog();
    if (ImGui::BeginPopupModal(kRenameTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-1);
        const bool entered = ImGui::InputText("##workspace-name", &rename_text_,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
        rects.add_last_item("field:workspace-name");
        if (primary_button("Rename") || entered) {
            const CommandResult result =
                app.apply(cmd::EditWorkspace{rename_text_, app.workspace().currency}, now, true);
            if (result.ok) ImGui::CloseCurrentPopup();
        }
        rects.add_last_item("rename-workspace:confirm");
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    draw_share_dialog(app, now);

    if (delete_requested_) {
        delete_requested_ = false;
        ImGui::OpenPopup(kDeleteTitle);
    }
    center_next_dialog();
    if (ImGui::BeginPopupModal(kDeleteTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        const std::string& name = app.workspace().name;
        ImGui::PushFont(app.fonts().bold);
        ImGui::TextUnformatted(("Delete '" + name + "'?").c_str());
        ImGui::PopFont();
        muted_wrapped("Everything in it (" + describe_contents(app.workspace()) +
                      ") is removed from this browser for good. Export a copy first if you may "
                      "need it again; the other workspaces are not touched.");
        ImGui::Dummy(ImVec2(0, 4));
        DataServices* data = app.data_view().services();
        if (data && primary_button("Export a copy first")) app.notify(data->export_json(app, now));
        rects.add_last_item("delete-workspace:export");
        ImGui::SameLine();
        if (danger_button("Delete")) {
            ImGui::CloseCurrentPopup();
            services_->delete_current();
        }
        rects.add_last_item("delete-workspace:confirm");
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
        rects.add_last_item("delete-workspace:cancel");
        ImGui::EndPopup();
    }
}

void WorkspaceMenu::draw_share_dialog(PipeboardApp& app, Timestamp now) {
    UiRects& rects = app.frame_rects();
    if (share_requested_) {
        share_requested_ = false;
        ImGui::OpenPopup(kShareTitle);
    }
    center_next_dialog();
    if (!ImGui::BeginPopupModal(kShareTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    if (share_waiting_) {
        ImGui::TextDisabled("Packing the workspace into a link…");
    } else if (share_ok_) {
        muted_wrapped("Anyone who opens this link sees '" + app.workspace().name +
                      "' as it is now, read-only, in their own browser. The data travels inside "
                      "the link (after the #), so it never reaches a server; later changes are "
                      "not in it.");
        ImGui::SetNextItemWidth(-1);
        ImGui::InputText("##snapshot-link", &share_link_, ImGuiInputTextFlags_ReadOnly);
        rects.add_last_item("share:link");
        if (primary_button("Copy link")) {
            ImGui::SetClipboardText(share_link_.c_str());
            app.notify("Link copied");
        }
        rects.add_last_item("share:copy");
        ImGui::SameLine();
    } else {
        const double megabytes = static_cast<double>(share_chars_) / (1024.0 * 1024.0);
        const double limit = static_cast<double>(share_limit_) / (1024.0 * 1024.0);
        char size[96];
        std::snprintf(size, sizeof size, "%.1f MB; links stop at about %.0f MB", megabytes, limit);
        muted_wrapped("This workspace is too large for a link (" + std::string(size) +
                      "). Send a JSON file instead: the other person opens Pipeboard and imports "
                      "it with Data > Import.");
        rects.add_last_item("share:too-large");
        DataServices* data = app.data_view().services();
        if (data && primary_button("Download a JSON file")) {
            app.notify(data->export_json(app, now));
            ImGui::CloseCurrentPopup();
        }
        rects.add_last_item("share:download-json");
        ImGui::SameLine();
    }
    if (ImGui::Button("Close")) ImGui::CloseCurrentPopup();
    rects.add_last_item("share:close");
    ImGui::EndPopup();
}

}  // namespace pb::ui

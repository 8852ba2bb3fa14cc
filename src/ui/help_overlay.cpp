// A modal so that the keys pressed while reading it do nothing to the board; "?" or Esc closes.
#include "ui/help_overlay.hpp"

#include <imgui.h>

#include <algorithm>

#include "ui/app.hpp"
#include "ui/keyboard.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

void HelpOverlay::draw(PipeboardApp& app) {
    constexpr const char* kPopupId = "Keyboard shortcuts###help";
    const bool popup_open = ImGui::IsPopupOpen(kPopupId);
    if (open_ && !popup_open) ImGui::OpenPopup(kPopupId);
    if (!open_) return;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2,
                                   viewport->WorkPos.y + viewport->WorkSize.y / 2),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(560.0f, viewport->WorkSize.x - 24), 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 16));
    const bool visible = ImGui::BeginPopupModal(
        kPopupId, nullptr,
        ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!visible) {
        open_ = false;
        return;
    }
    const ImVec2 pos = ImGui::GetWindowPos();
    app.frame_rects().add("panel:help", pos.x, pos.y, ImGui::GetWindowWidth(),
                          ImGui::GetWindowHeight());
    if (ImGui::BeginTable("shortcuts", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX)) {
        ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed, 200.0f);
        ImGui::TableSetupColumn("action", ImGuiTableColumnFlags_WidthStretch);
        for (const ShortcutHelp& help : shortcut_help()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushFont(app.fonts().bold);
            ImGui::TextUnformatted(help.keys);
            ImGui::PopFont();
            ImGui::TableNextColumn();
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextUnformatted(help.action);
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }
    ImGui::Dummy(ImVec2(0, 4));
    ImGui::TextDisabled("Drag a card to move it; drop it on Won, Lost or Not ready to close it.");
    ImGui::TextDisabled("On a phone, press and hold a card to pick it up.");
    const float close_w = ImGui::CalcTextSize("Close").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - close_w);
    bool close_now = primary_button("Close");
    app.frame_rects().add_last_item("button:help-close");
    const ImVector<ImWchar>& typed = ImGui::GetIO().InputQueueCharacters;
    // The "?" that opened it is still in this frame's typed characters.
    if (!ImGui::IsWindowAppearing() &&
        (ImGui::IsKeyPressed(ImGuiKey_Escape, false) ||
         std::find(typed.begin(), typed.end(), static_cast<ImWchar>('?')) != typed.end()))
        close_now = true;
    if (close_now) {
        open_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace pb::ui

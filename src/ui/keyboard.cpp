// Letters and punctuation are read from typed characters, not keys: "?" and "/" then work on
// every keyboard layout, and the character is used up before the field a shortcut opens (quick
// add, search) takes the keyboard, so it is not typed into it. Each fires once per frame.
#include "ui/keyboard.hpp"

#include <imgui.h>

#include <algorithm>

namespace pb::ui {

namespace {

bool typed(ImWchar character) {
    const ImVector<ImWchar>& queue = ImGui::GetIO().InputQueueCharacters;
    return std::find(queue.begin(), queue.end(), character) != queue.end();
}

void add_once(std::vector<Shortcut>& out, Shortcut shortcut) {
    if (std::find(out.begin(), out.end(), shortcut) == out.end()) out.push_back(shortcut);
}

}  // namespace

const std::vector<ShortcutHelp>& shortcut_help() {
    static const std::vector<ShortcutHelp> help = {
        {"\xE2\x86\x90 \xE2\x86\x91 \xE2\x86\x92 \xE2\x86\x93",
         "Select a deal in the column, or the next column"},
        {"Enter", "Open the selected deal"},
        {"Shift + \xE2\x86\x92", "Move the selected deal to the next stage"},
        {"Shift + \xE2\x86\x90", "Move the selected deal to the previous stage"},
        {"N", "Add a deal"},
        {"/", "Search deals"},
        {"Esc", "Close the open panel or dialog"},
        {"Ctrl + Z", "Undo"},
        {"Ctrl + Shift + Z  or  Ctrl + Y", "Redo"},
        {"?", "Show or hide these shortcuts"},
    };
    return help;
}

std::vector<Shortcut> read_shortcuts() {
    std::vector<Shortcut> out;
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return out;
    const bool command = io.KeyCtrl || io.KeySuper;
    if (command && !io.KeyAlt) {
        if (ImGui::IsKeyPressed(ImGuiKey_Z, false))
            add_once(out, io.KeyShift ? Shortcut::Redo : Shortcut::Undo);
        if (ImGui::IsKeyPressed(ImGuiKey_Y, false)) add_once(out, Shortcut::Redo);
        return out;
    }
    if (io.KeyAlt) return out;
    if (io.KeyShift) {
        if (ImGui::IsKeyPressed(ImGuiKey_RightArrow, false))
            add_once(out, Shortcut::MoveToNextStage);
        if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow, false))
            add_once(out, Shortcut::MoveToPreviousStage);
    } else {
        if (ImGui::IsKeyPressed(ImGuiKey_UpArrow)) add_once(out, Shortcut::SelectUp);
        if (ImGui::IsKeyPressed(ImGuiKey_DownArrow)) add_once(out, Shortcut::SelectDown);
        if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow)) add_once(out, Shortcut::SelectLeft);
        if (ImGui::IsKeyPressed(ImGuiKey_RightArrow)) add_once(out, Shortcut::SelectRight);
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Enter, false) ||
        ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false))
        add_once(out, Shortcut::OpenDeal);
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) add_once(out, Shortcut::ClosePanel);
    if (typed('?')) add_once(out, Shortcut::ToggleHelp);
    if (typed('/')) add_once(out, Shortcut::FocusSearch);
    if (typed('n') || typed('N')) add_once(out, Shortcut::AddDeal);
    return out;
}

}  // namespace pb::ui

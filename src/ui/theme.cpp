// Colours are chosen for contrast on a projector as much as on a laptop screen.
#include "ui/theme.hpp"

#include <imgui.h>

namespace pb::ui {

namespace {

constexpr std::uint32_t rgb(std::uint32_t hex, std::uint32_t alpha = 0xFF) {
    // ImGui packs colours as 0xAABBGGRR.
    return (alpha << 24) | ((hex & 0xFF) << 16) | (hex & 0xFF00) | ((hex >> 16) & 0xFF);
}

const Palette kLight{
    rgb(0xF4F5F7), rgb(0xEBEDF0), rgb(0xFFFFFF), rgb(0xD5D9E0),       rgb(0xF7F9FC),
    rgb(0x1F2430), rgb(0x5D6679), rgb(0x2F6FEB), rgb(0xD92D20),       rgb(0xB54708),
    rgb(0x067A48), rgb(0xFFFFFF), rgb(0xFEF3F2), rgb(0x101828, 0x66), rgb(0x101828, 0x1F),
};
const Palette kDark{
    rgb(0x15171C), rgb(0x1D2027), rgb(0x262A33), rgb(0x353B47),       rgb(0x2E333E),
    rgb(0xE7E9EE), rgb(0x9AA4B5), rgb(0x6E9BFF), rgb(0xF97066),       rgb(0xFDB022),
    rgb(0x47CD89), rgb(0x0B1020), rgb(0x3A2326), rgb(0x000000, 0x99), rgb(0x000000, 0x66),
};

ThemeMode g_mode = ThemeMode::Light;

ImVec4 col(std::uint32_t packed) { return ImGui::ColorConvertU32ToFloat4(packed); }

}  // namespace

const Palette& palette() { return g_mode == ThemeMode::Dark ? kDark : kLight; }
ThemeMode current_theme() { return g_mode; }

const char* theme_name(ThemeMode mode) { return mode == ThemeMode::Dark ? "dark" : "light"; }

std::uint32_t rgba_to_imgui(std::uint32_t rgba) { return rgb(rgba >> 8, rgba & 0xFF); }

std::uint32_t readable_text_on(std::uint32_t rgba) {
    const double r = (rgba >> 24) & 0xFF, g = (rgba >> 16) & 0xFF, b = (rgba >> 8) & 0xFF;
    const double luminance = 0.299 * r + 0.587 * g + 0.114 * b;
    return luminance > 150 ? rgb(0x1F2430) : rgb(0xFFFFFF);
}

void apply_theme(ThemeMode mode, float ui_scale) {
    g_mode = mode;
    ImGuiStyle style;
    if (mode == ThemeMode::Dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);

    const Palette& p = palette();
    style.WindowRounding = 6;
    style.ChildRounding = 6;
    style.FrameRounding = 5;
    style.PopupRounding = 6;
    style.GrabRounding = 4;
    style.TabRounding = 5;
    style.ScrollbarRounding = 6;
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 0;
    style.FrameBorderSize = 1.0f;
    style.PopupBorderSize = 1;
    style.WindowPadding = ImVec2(12, 10);
    style.FramePadding = ImVec2(9, 5);
    style.ItemSpacing = ImVec2(8, 7);
    style.ItemInnerSpacing = ImVec2(6, 5);
    style.ScrollbarSize = 12;

    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = col(p.background);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = col(p.card);
    c[ImGuiCol_Text] = col(p.text);
    c[ImGuiCol_TextDisabled] = col(p.text_muted);
    c[ImGuiCol_Border] = col(p.card_border);
    // Fields sit a shade off the panels they are on, so they read as fields in both themes.
    c[ImGuiCol_FrameBg] = col(mode == ThemeMode::Dark ? p.column : p.card);
    c[ImGuiCol_FrameBgHovered] = col(p.card_hover);
    c[ImGuiCol_FrameBgActive] = col(p.card_hover);
    c[ImGuiCol_ModalWindowDimBg] = col(p.scrim);
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_TitleBg] = col(p.card);
    c[ImGuiCol_TitleBgActive] = col(p.card);
    c[ImGuiCol_Separator] = col(p.card_border);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.03f);
    const ImVec4 accent = col(p.accent);
    c[ImGuiCol_Button] = ImVec4(accent.x, accent.y, accent.z, 0.12f);
    c[ImGuiCol_ButtonHovered] = ImVec4(accent.x, accent.y, accent.z, 0.22f);
    c[ImGuiCol_ButtonActive] = ImVec4(accent.x, accent.y, accent.z, 0.32f);
    c[ImGuiCol_Header] = ImVec4(accent.x, accent.y, accent.z, 0.14f);
    c[ImGuiCol_HeaderHovered] = ImVec4(accent.x, accent.y, accent.z, 0.22f);
    c[ImGuiCol_HeaderActive] = ImVec4(accent.x, accent.y, accent.z, 0.30f);
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_TextSelectedBg] = ImVec4(accent.x, accent.y, accent.z, 0.35f);
    c[ImGuiCol_NavHighlight] = accent;

    style.ScaleAllSizes(ui_scale);
    ImGui::GetStyle() = style;
}

}  // namespace pb::ui

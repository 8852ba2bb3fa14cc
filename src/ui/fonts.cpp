// Loads the embedded fonts into ImGui's atlas; ImGui must not free our static bytes.
#include "ui/fonts.hpp"

#include <imgui.h>

namespace pb::ui {

namespace {

ImFont* add_font(const unsigned char* bytes, unsigned int size, float pixels) {
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = 2;
    config.OversampleV = 1;
    // cmake/ui.cmake embeds only these characters of the font (PB_UI_FONT_UNICODES).
    static const ImWchar ranges[] = {
        0x0020, 0x00FF,  // Basic Latin + Latin-1
        0x0100, 0x024F,  // Latin Extended-A/B
        0x0370, 0x03FF,  // Greek
        0x0400, 0x04FF,  // Cyrillic
        0x2000, 0x206F,  // punctuation: dashes, quotes, ellipsis
        0x20A0, 0x20CF,  // currency symbols
        0x2190, 0x21FF,  // arrows
        0x2600, 0x26FF,  // misc symbols
        0,
    };
    return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(bytes),
                                                      static_cast<int>(size), pixels, &config,
                                                      ranges);
}

}  // namespace

UiFonts load_ui_fonts(float size_px, float pixel_ratio) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const float scale = pixel_ratio > 0 ? pixel_ratio : 1.0f;
    UiFonts fonts;
    fonts.regular = add_font(kUiFontRegular, kUiFontRegular_size, size_px * scale);
    fonts.bold = add_font(kUiFontBold, kUiFontBold_size, size_px * scale);
    fonts.large = add_font(kUiFontBold, kUiFontBold_size, size_px * 1.4f * scale);
    io.FontGlobalScale = 1.0f / scale;
    io.FontDefault = fonts.regular;
    return fonts;
}

}  // namespace pb::ui

// Pipeboard's look: a calm light and dark palette over Dear ImGui's style, plus the few
// colours the views draw themselves (cards, column headers, warnings).
#pragma once

#include <cstdint>

struct ImVec4;

namespace pb::ui {

enum class ThemeMode { Light, Dark };

struct Palette {
    std::uint32_t background;  // the board behind the columns
    std::uint32_t column;      // a column's body
    std::uint32_t card;
    std::uint32_t card_border;
    std::uint32_t card_hover;
    std::uint32_t text;
    std::uint32_t text_muted;
    std::uint32_t accent;
    std::uint32_t danger;
    std::uint32_t warning;
    std::uint32_t success;
    std::uint32_t on_accent;  // text on an accent-filled button
    std::uint32_t rotting;    // the tint of a card idle past its stage's limit
    std::uint32_t scrim;      // behind modal dialogs and the phone's full-screen panels
    std::uint32_t shadow;
};

// Applies the theme to ImGui's current style, scaled for `ui_scale` (1 = normal).
void apply_theme(ThemeMode mode, float ui_scale);
const char* theme_name(ThemeMode mode);
const Palette& palette();
ThemeMode current_theme();

// RGBA (as stored on stages) to ImGui's ABGR packing.
std::uint32_t rgba_to_imgui(std::uint32_t rgba);
// Black or white, whichever reads better on `rgba`.
std::uint32_t readable_text_on(std::uint32_t rgba);

}  // namespace pb::ui

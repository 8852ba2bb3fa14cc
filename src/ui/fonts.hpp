// The UI fonts compiled into the program (Inter from Debian's fonts-inter), and loading them
// into Dear ImGui's atlas at the screen's pixel density.
#pragma once

struct ImFont;

namespace pb::ui {

extern const unsigned char kUiFontRegular[];
extern const unsigned int kUiFontRegular_size;
extern const unsigned char kUiFontBold[];
extern const unsigned int kUiFontBold_size;

struct UiFonts {
    ImFont* regular = nullptr;
    ImFont* bold = nullptr;
    ImFont* large = nullptr;  // headings
};

// Rasterizes the fonts at `size_px * pixel_ratio` and scales them back by 1/pixel_ratio, so
// text stays sharp on high-DPI screens. Clears the atlas first; call before building it.
UiFonts load_ui_fonts(float size_px, float pixel_ratio);

}  // namespace pb::ui

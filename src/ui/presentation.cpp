// The mode only changes how things are drawn: the scale goes through the theme (and the host
// rebuilds the fonts at the new size), the private fields and amounts are left out by the
// views that show them, and the full-screen request belongs to the platform.
#include "ui/presentation.hpp"

#include <imgui.h>

#include "ui/app.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

// Shown instead of an amount: keeps the currency so the audience still reads "money".
std::string masked(const Currency& currency) {
    return currency.symbol + "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";
}

}  // namespace

void Presentation::toggle(PipeboardApp& app) {
    on_ = !on_;
    app.set_theme(app.theme());
    if (full_screen_) full_screen_(on_);
    app.notify(on_ ? "Presenting: notes hidden, larger text. Press Present again to stop."
                   : "Stopped presenting");
}

void Presentation::draw_controls(PipeboardApp& app) {
    if (on_)
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button("Present")) toggle(app);
    if (on_) ImGui::PopStyleColor();
    app.frame_rects().add_last_item("button:present");
    hover_tooltip(on_ ? "Stop presenting"
                      : "Presentation mode: larger text, notes hidden, full screen");
    if (!on_) return;
    ImGui::SameLine();
    ImGui::Checkbox("Hide amounts", &mask_amounts_);
    app.frame_rects().add_last_item("button:mask-amounts");
}

void Presentation::draw_pointer_highlight() const {
    if (!on_) return;
    const ImVec2 at = ImGui::GetIO().MousePos;
    if (!ImGui::IsMousePosValid(&at)) return;
    const std::uint32_t accent = palette().accent;
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    const float radius = ImGui::GetFontSize() * 1.4f;
    draw->AddCircleFilled(at, radius, with_alpha(accent, 0.18f), 32);
    draw->AddCircle(at, radius, with_alpha(accent, 0.6f), 32, 2.0f);
}

std::string Presentation::money(Money amount, const Currency& currency, bool whole_units) const {
    return masking_amounts() ? masked(currency) : format_money(amount, currency, whole_units);
}

std::string Presentation::money_short(Money amount, const Currency& currency) const {
    return masking_amounts() ? masked(currency) : format_money_short(amount, currency);
}

}  // namespace pb::ui

// Double-buffered so a reader between frames always sees one whole frame's rectangles.
#include "ui/ui_rects.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <nlohmann/json.hpp>

namespace pb::ui {

void UiRects::begin_frame() { building_.clear(); }

void UiRects::end_frame() { last_frame_.swap(building_); }

void UiRects::add(std::string name, float x, float y, float w, float h) {
    if (w <= 0 || h <= 0) return;
    building_.push_back(NamedRect{std::move(name), x, y, w, h});
}

void UiRects::add_last_item(std::string name) {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImRect item = g.LastItemData.Rect;
    if (g.CurrentWindow) item.ClipWithFull(g.CurrentWindow->ClipRect);
    add(std::move(name), item.Min.x, item.Min.y, item.GetWidth(), item.GetHeight());
}

const NamedRect* UiRects::find(const std::string& name) const {
    for (const NamedRect& rect : last_frame_)
        if (rect.name == name) return &rect;
    return nullptr;
}

std::string UiRects::to_json() const {
    nlohmann::json out = nlohmann::json::object();
    for (const NamedRect& rect : last_frame_) out[rect.name] = {rect.x, rect.y, rect.w, rect.h};
    return out.dump();
}

}  // namespace pb::ui

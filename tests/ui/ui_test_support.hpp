// Shared set-up of the headless UI tests: an ImGui context with a built font atlas and no
// backend, the real app drawn into it, and a small driver that feeds mouse and keyboard events
// the way a platform backend would, one frame at a time.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/commands.hpp"
#include "core/ids.hpp"
#include "ui/app.hpp"

namespace pb::test {

constexpr Timestamp kNow = 1796000000;  // 2026-11-30T00:53:20Z

class HeadlessUi {
public:
    HeadlessUi(float width, float height) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60.0f;
        io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    }
    ~HeadlessUi() {
        app_.reset();
        ImGui::DestroyContext();
    }
    HeadlessUi(const HeadlessUi&) = delete;
    HeadlessUi& operator=(const HeadlessUi&) = delete;

    ui::PipeboardApp& open(Workspace workspace) {
        app_ = std::make_unique<ui::PipeboardApp>(std::move(workspace), 99);
        app_->set_fonts(ui::load_ui_fonts(15.0f, 1.0f));
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
        app_->set_theme(ui::ThemeMode::Light);
        frames(2);
        return *app_;
    }
    ui::PipeboardApp& app() { return *app_; }

    void frame() {
        ImGui::NewFrame();
        app_->draw_frame(now);
        ImGui::Render();
    }
    void frames(int count) {
        for (int i = 0; i < count; ++i) frame();
    }

    const ui::NamedRect* rect(const std::string& name) const { return app_->rects().find(name); }
    int count_rects(std::string_view prefix) const {
        int count = 0;
        for (const ui::NamedRect& named : app_->rects().rects())
            if (named.name.rfind(prefix, 0) == 0) ++count;
        return count;
    }

    // [SECTION] Input, each followed by a frame so ImGui sees it as a backend would deliver it.
    void move_to(float x, float y) {
        ImGui::GetIO().AddMousePosEvent(x, y);
        frame();
    }
    void move_to(const ui::NamedRect& target) {
        move_to(target.x + target.w / 2, target.y + target.h / 2);
    }
    void press() {
        ImGui::GetIO().AddMouseButtonEvent(0, true);
        frame();
    }
    void release() {
        ImGui::GetIO().AddMouseButtonEvent(0, false);
        frame();
    }
    void click(const std::string& name) {
        const ui::NamedRect* target = rect(name);
        if (!target) return;
        const ui::NamedRect copy = *target;
        move_to(copy);
        press();
        release();
        frame();
    }
    // Drags from the middle of one rectangle to a point, in small steps as a real mouse moves.
    void drag(const ui::NamedRect& from, float to_x, float to_y, int steps = 8) {
        const float x0 = from.x + from.w / 2, y0 = from.y + from.h / 2;
        move_to(x0, y0);
        press();
        for (int i = 1; i <= steps; ++i) {
            const float t = static_cast<float>(i) / static_cast<float>(steps);
            move_to(x0 + (to_x - x0) * t, y0 + (to_y - y0) * t);
        }
        frame();
        release();
        frame();
    }
    void key(ImGuiKey key, ImGuiKeyChord mods = 0) {
        ImGuiIO& io = ImGui::GetIO();
        if (mods & ImGuiMod_Ctrl) io.AddKeyEvent(ImGuiMod_Ctrl, true);
        if (mods & ImGuiMod_Shift) io.AddKeyEvent(ImGuiMod_Shift, true);
        io.AddKeyEvent(key, true);
        frame();
        io.AddKeyEvent(key, false);
        if (mods & ImGuiMod_Ctrl) io.AddKeyEvent(ImGuiMod_Ctrl, false);
        if (mods & ImGuiMod_Shift) io.AddKeyEvent(ImGuiMod_Shift, false);
        frame();
    }
    void type(const char* text) {
        ImGui::GetIO().AddInputCharactersUTF8(text);
        frame();
    }

    Timestamp now = kNow;

private:
    std::unique_ptr<ui::PipeboardApp> app_;
};

// A deal for hand-built test workspaces: open, in `stage`, with a title and a value in dollars.
inline Deal make_deal(const Stage& stage, std::string id, std::string title, Money dollars,
                      double position) {
    Deal deal;
    deal.meta.id = std::move(id);
    deal.meta.rev = "1-0";
    deal.pipeline_id = stage.pipeline_id;
    deal.stage_id = stage.meta.id;
    deal.title = std::move(title);
    deal.value = dollars * 100;
    deal.position = position;
    deal.stage_entered_at = kNow - 2 * kSecondsPerDay;
    return deal;
}

}  // namespace pb::test

// The scripted sessions the benchmark times, driven through the same rectangles the browser
// tests click, so the frames measured are the ones a user's input would cause.
#include "bench_frames.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/workspace_index.hpp"
#include "ui/board_model.hpp"

namespace pb::bench {

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

namespace {

double percentile(std::vector<double> values, double fraction) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto at =
        static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(at, values.size() - 1)];
}

}  // namespace

double FrameTimes::median() const { return percentile(ms, 0.5); }
double FrameTimes::p99() const { return percentile(ms, 0.99); }

HeadlessApp::HeadlessApp(Workspace workspace, float width, float height, Timestamp now)
    : ui_(width, height) {
    ui_.now = now;
    ui_.open(std::move(workspace));
}

void HeadlessApp::frame(FrameTimes* times) {
    const double start = cpu_ms();
    ui_.frame();
    if (times) times->ms.push_back(cpu_ms() - start);
}

void HeadlessApp::frames(int count, FrameTimes* times) {
    for (int i = 0; i < count; ++i) frame(times);
}

void HeadlessApp::move_to(float x, float y, FrameTimes* times) {
    ImGui::GetIO().AddMousePosEvent(x, y);
    frame(times);
}

void HeadlessApp::button(bool down, FrameTimes* times) {
    ImGui::GetIO().AddMouseButtonEvent(0, down);
    frame(times);
}

void HeadlessApp::wheel(float lines, FrameTimes* times) {
    ImGui::GetIO().AddMouseWheelEvent(0, lines);
    frame(times);
}

void HeadlessApp::type(const char* text, FrameTimes* times) {
    ImGui::GetIO().AddInputCharactersUTF8(text);
    frame(times);
}

void HeadlessApp::key(int imgui_key, FrameTimes* times) {
    ImGui::GetIO().AddKeyEvent(static_cast<ImGuiKey>(imgui_key), true);
    frame(times);
    ImGui::GetIO().AddKeyEvent(static_cast<ImGuiKey>(imgui_key), false);
    frame(times);
}

bool HeadlessApp::centre(const std::string& name, float& x, float& y) const {
    const ui::NamedRect* rect = ui_.rect(name);
    if (!rect) return false;
    x = rect->x + rect->w / 2;
    y = rect->y + rect->h / 2;
    return true;
}

bool HeadlessApp::click(const std::string& name, FrameTimes* times) {
    float x = 0, y = 0;
    if (!centre(name, x, y)) {
        std::fprintf(stderr, "  warning: '%s' was not drawn, the script skipped it\n",
                     name.c_str());
        return false;
    }
    move_to(x, y, times);
    button(true, times);
    button(false, times);
    frame(times);
    return true;
}

FrameTimes board_session(HeadlessApp& ui) {
    FrameTimes times;
    ui::PipeboardApp& app = ui.app();
    const Workspace& ws = app.workspace();
    const ui::BoardModel& model = app.board().model(app, ui.now());
    std::vector<std::string> columns;
    for (const ui::BoardColumn& column : model.columns)
        if (const Stage* stage = app.index().find_stage(column.stage_id))
            columns.push_back("column:" + stage->name);

    // Idle redraws, then each of the first columns scrolled down a few screens and back.
    ui.frames(20, &times);
    for (std::size_t c = 0; c < std::min<std::size_t>(columns.size(), 4); ++c) {
        float x = 0, y = 0;
        if (!ui.centre(columns[c], x, y)) continue;
        ui.move_to(x, y, &times);
        for (int i = 0; i < 30; ++i) ui.wheel(-3, &times);
        for (int i = 0; i < 10; ++i) ui.wheel(9, &times);
    }

    // A search typed letter by letter, each letter followed by a redraw, then erased.
    ui.click("field:search", &times);
    for (const char* letter : {"h", "a", "r", "b", "o", "r"}) {
        ui.type(letter, &times);
        ui.frame(&times);
    }
    if (app.board_state().filter.text != "harbor")
        std::fprintf(stderr, "  warning: the search did not reach the board's filter\n");
    for (int i = 0; i < 6; ++i) ui.key(ImGuiKey_Backspace, &times);
    ui.key(ImGuiKey_Escape, &times);

    // The first card of the first column dragged, in small steps, onto the third column.
    const ui::BoardModel& now_model = app.board().model(app, ui.now());
    bool dragged = false;
    if (now_model.columns.size() >= 3 && !now_model.columns[0].deals.empty() &&
        columns.size() >= 3) {
        const Id deal_id = ws.deals[now_model.columns[0].deals[0]].meta.id;
        const Id target = now_model.columns[2].stage_id;
        float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        if (ui.centre("card:" + deal_id, x0, y0) && ui.centre(columns[2], x1, y1)) {
            ui.move_to(x0, y0, &times);
            ui.button(true, &times);
            const int steps = 24;
            for (int i = 1; i <= steps; ++i) {
                const float t = static_cast<float>(i) / steps;
                ui.move_to(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, &times);
            }
            ui.frame(&times);
            ui.button(false, &times);
            ui.frames(10, &times);
            const Deal* moved = app.index().find_deal(deal_id);
            dragged = moved && moved->stage_id == target;
        }
    }
    if (!dragged) std::fprintf(stderr, "  warning: the drag did not move the card\n");
    return times;
}

FrameTimes dashboard_session(HeadlessApp& ui) {
    FrameTimes times;
    ui::PipeboardApp& app = ui.app();
    ui.click("tab:insights", nullptr);
    ui.frames(2);  // the first computation is timed apart, as the metrics recompute
    if (!app.showing_insights() || !app.rects().find("chart:funnel"))
        std::fprintf(stderr, "  warning: no dashboard drawn\n");
    ui.frames(30, &times);

    // The pointer swept over the charts, as a manager reading tooltips does.
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    for (int i = 0; i < 40; ++i) {
        const float t = static_cast<float>(i) / 39.0f;
        ui.move_to(size.x * (0.1f + 0.8f * t), size.y * (0.3f + 0.6f * (i % 7) / 6.0f), &times);
    }
    for (int i = 0; i < 10; ++i) ui.wheel(-3, &times);
    for (int i = 0; i < 10; ++i) ui.wheel(3, &times);

    // Periods switched, each redrawn a few times as after a click in the period menu.
    for (const PeriodPreset preset : {PeriodPreset::ThisWeek, PeriodPreset::ThisMonth,
                                      PeriodPreset::ThisYear, PeriodPreset::ThisQuarter}) {
        app.dashboard().preset = preset;
        ui.frames(5, &times);
    }
    app.dashboard().compare = true;
    ui.frames(5, &times);
    app.dashboard().compare = false;
    ui.frames(5, &times);
    ui.click("tab:board", nullptr);
    return times;
}

}  // namespace pb::bench

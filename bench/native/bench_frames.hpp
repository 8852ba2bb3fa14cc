// Headless frames for the benchmark: the real app drawn into an ImGui context with a built font
// atlas and no backend, fed input the way a platform backend would, each frame's CPU time kept.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/workspace.hpp"
#include "ui/app.hpp"
#include "ui_test_support.hpp"

namespace pb::bench {

// CPU time of this thread in milliseconds: what a frame costs, whatever else the machine runs.
double cpu_ms();

struct FrameTimes {
    std::vector<double> ms;
    double median() const;
    double p99() const;
};

class HeadlessApp {
public:
    HeadlessApp(Workspace workspace, float width, float height, Timestamp now);

    ui::PipeboardApp& app() { return ui_.app(); }
    Timestamp now() const { return ui_.now; }
    // One frame, timed into `times` when given.
    void frame(FrameTimes* times = nullptr);
    void frames(int count, FrameTimes* times = nullptr);
    void move_to(float x, float y, FrameTimes* times);
    void button(bool down, FrameTimes* times);
    void wheel(float lines, FrameTimes* times);
    void type(const char* text, FrameTimes* times);
    void key(int imgui_key, FrameTimes* times);
    // Centre of a named rectangle of the last frame; false when it was not drawn.
    bool centre(const std::string& name, float& x, float& y) const;
    // Warns on stderr when the element is missing: the script no longer matches the UI and its
    // figures would measure something else.
    bool click(const std::string& name, FrameTimes* times);

private:
    // The UI tests' headless harness, so both draw the app the same way.
    test::HeadlessUi ui_;
};

// The scripted board session: columns scrolled, a filter typed letter by letter and cleared, a
// card dragged across columns. Every frame of it is timed.
FrameTimes board_session(HeadlessApp& ui);
// The dashboard: opened, redrawn idle, hovered, scrolled and switched between periods.
FrameTimes dashboard_session(HeadlessApp& ui);

}  // namespace pb::bench

// The first-run welcome: what a newcomer sees on a workspace with nothing in it yet. Three
// ways to start (an empty pipeline, an import, the sample pipeline) and where the data lives.
#pragma once

#include <imgui.h>

#include "core/calendar.hpp"

namespace pb::ui {

class PipeboardApp;

class WelcomeView {
public:
    // Opens for a workspace without deals whose welcome was never answered; the platform
    // calls it once the stored workspace is loaded.
    void offer(const PipeboardApp& app);
    bool is_open() const { return open_; }
    void close() { open_ = false; }
    // Drawn over the empty board between `min` and `max`.
    void draw(PipeboardApp& app, ImVec2 min, ImVec2 max, Timestamp now);

private:
    bool open_ = false;
};

}  // namespace pb::ui

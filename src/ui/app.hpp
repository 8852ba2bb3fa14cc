// The whole UI of one Pipeboard window: owns the workspace being shown and the view state,
// and draws one frame. Hosts (browser, desktop, headless tests) call it between ImGui's
// NewFrame and Render; it never talks to a platform itself.
#pragma once

#include "core/workspace.hpp"
#include "ui/board_view.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/ui_rects.hpp"

#include <string>

namespace pb::ui {

class PipeboardApp {
public:
    explicit PipeboardApp(Workspace workspace);

    void set_fonts(const UiFonts& fonts) { fonts_ = fonts; }
    void draw_frame(Timestamp now);

    const Workspace& workspace() const { return workspace_; }
    // Replaces the workspace (a load from storage or the automation API).
    void replace_workspace(Workspace workspace);
    const UiRects& rects() const { return rects_; }

private:
    void draw_top_bar();

    Workspace workspace_;
    BoardState board_;
    UiRects rects_;
    UiFonts fonts_;
};

}  // namespace pb::ui

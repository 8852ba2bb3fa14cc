// The whole UI of one Pipeboard window: owns the workspace being shown, the command session
// every change goes through, and the view state, and draws one frame. Hosts (browser,
// desktop, headless tests) call draw_frame between ImGui's NewFrame and Render; the app never
// talks to a platform itself: the platform listens to the session's changes and saves them.
#pragma once

#include "core/commands.hpp"
#include "core/ids.hpp"
#include "core/workspace.hpp"
#include "ui/board_view.hpp"
#include "ui/data_view.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/ui_rects.hpp"

#include <cstdint>
#include <memory>

namespace pb::ui {

class PipeboardApp {
public:
    PipeboardApp(Workspace workspace, std::uint64_t id_seed);
    PipeboardApp(const PipeboardApp&) = delete;
    PipeboardApp& operator=(const PipeboardApp&) = delete;

    void set_fonts(const UiFonts& fonts) { fonts_ = fonts; }
    void draw_frame(Timestamp now);

    const Workspace& workspace() const { return *workspace_; }
    Session& session() { return *session_; }
    IdGenerator& ids() { return ids_; }
    // Replaces the workspace (a load from storage, an import, the automation API); undo and
    // redo are forgotten since they describe the previous one.
    void replace_workspace(Workspace workspace);
    const UiRects& rects() const { return rects_; }
    DataView& data_view() { return data_view_; }

private:
    void draw_top_bar();

    // Heap-held so the session's reference stays valid when the app object moves.
    std::unique_ptr<Workspace> workspace_;
    IdGenerator ids_;
    std::unique_ptr<Session> session_;
    BoardState board_;
    UiRects rects_;
    UiFonts fonts_;
    DataView data_view_;
};

}  // namespace pb::ui

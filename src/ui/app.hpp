// The whole UI of one Pipeboard window: owns the workspace being shown, the command session
// every change goes through, and the view state, and draws one frame. Hosts (browser,
// desktop, headless tests) call draw_frame between ImGui's NewFrame and Render; the app never
// talks to a platform itself: the platform listens to the session's changes and saves them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands.hpp"
#include "core/ids.hpp"
#include "core/workspace.hpp"
#include "ui/activities_view.hpp"
#include "ui/board_filters.hpp"
#include "ui/board_view.hpp"
#include "ui/dashboard_view.hpp"
#include "ui/data_view.hpp"
#include "ui/deal_dialogs.hpp"
#include "ui/deal_editor.hpp"
#include "ui/fonts.hpp"
#include "ui/help_overlay.hpp"
#include "ui/presentation.hpp"
#include "ui/stage_editor.hpp"
#include "ui/theme.hpp"
#include "ui/ui_rects.hpp"
#include "ui/welcome_view.hpp"
#include "ui/workspace_menu.hpp"

namespace pb::ui {

enum class NoticeKind { Info, Warning, Error };

class PipeboardApp {
public:
    PipeboardApp(Workspace workspace, std::uint64_t id_seed);
    PipeboardApp(const PipeboardApp&) = delete;
    PipeboardApp& operator=(const PipeboardApp&) = delete;

    void set_fonts(const UiFonts& fonts) { fonts_ = fonts; }
    const UiFonts& fonts() const { return fonts_; }
    // Light or dark; the platform passes the browser's preference, the top bar switches it.
    void set_theme(ThemeMode mode);
    ThemeMode theme() const { return theme_; }
    void draw_frame(Timestamp now);
    // Seconds until the screen changes by itself (a notice or message goes away), infinity
    // when nothing is timed: the platform draws no frames until then unless input arrives.
    double seconds_to_timed_change(Timestamp now) const;

    const Workspace& workspace() const { return *workspace_; }
    Session& session() { return *session_; }
    const WorkspaceIndex& index() const { return session_->index(); }
    IdGenerator& ids() { return ids_; }
    // Replaces the workspace (a load from storage, an import, the automation API); undo and
    // redo are forgotten since they describe the previous one.
    void replace_workspace(Workspace workspace);
    const UiRects& rects() const { return rects_; }
    UiRects& frame_rects() { return rects_; }
    // For changes made outside the commands (records another tab saved, the export
    // bookkeeping in settings): edit the workspace in place, then call
    // changed_outside_commands, which re-indexes the session when records changed (undo and
    // redo are forgotten, as they may no longer apply) and lets the views refresh.
    Workspace& workspace_outside_commands() { return *workspace_; }
    void changed_outside_commands(bool records_changed) {
        if (records_changed) {
            session_->reset();
            undo_depth_ = 0;
            undo_groups_.clear();
            redo_groups_.clear();
        }
        workspace_changed();
    }
    DataView& data_view() { return data_view_; }

    // Receives every change the session makes (commands, undo, redo) after the app has seen
    // it; the platform saves through this instead of replacing the session's listener.
    void set_change_listener(Session::ChangeListener listener) {
        change_listener_ = std::move(listener);
    }
    // Told after the UI replaced the whole workspace itself (the empty board's sample pipeline).
    void set_replace_listener(std::function<void(const Workspace&)> listener) {
        replace_listener_ = std::move(listener);
    }
    // Told after the app changed the workspace's settings itself (a tip dismissed), so the
    // platform stores them.
    void set_settings_listener(std::function<void()> listener) {
        settings_listener_ = std::move(listener);
    }
    // Has the platform store the whole workspace, after a replace_workspace of the UI's own.
    void store_replaced_workspace() {
        if (replace_listener_) replace_listener_(*workspace_);
    }
    // Bumped by every change to the workspace, so views rebuild what they cache.
    std::uint64_t workspace_version() const { return workspace_version_; }

    // One user action through the session. A warning is shown as a notice; so is a success
    // with `announce` (with an Undo button) and a failure with `show_error` (forms that show
    // the error beside their field turn it off).
    CommandResult apply(const Command& command, Timestamp now, bool announce = false,
                        bool show_error = true);
    // Several commands as one user action, undone and redone together. Stops at the first
    // failure and takes back the ones already applied, so the action happens whole or not at all.
    CommandResult apply_together(const std::vector<Command>& commands, Timestamp now);
    bool undo(Timestamp now);
    bool redo(Timestamp now);
    bool can_undo() const { return session_->can_undo(); }
    bool can_redo() const { return session_->can_redo(); }

    void notify(std::string message, NoticeKind kind = NoticeKind::Info, bool undoable = false);
    // The undo button with the label of what it would undo as its tooltip.
    void undo_button(Timestamp now);
    const std::string& last_notice() const { return notice_.message; }

    // The views, for each other: the board opens the editor, the editor opens the dialogs.
    BoardView& board() { return board_view_; }
    FilterBar& filter_bar() { return filter_bar_; }
    BoardState& board_state() { return board_; }
    DealEditor& editor() { return editor_; }
    DealDialogs& dialogs() { return dialogs_; }
    ActivitiesView& activities() { return activities_; }
    StageEditor& stage_editor() { return stage_editor_; }
    HelpOverlay& help() { return help_; }

    // Selects a deal on the board and opens it in the editor.
    void open_deal(const Id& deal_id);
    // The main view: the board, or Insights (the dashboard).
    bool showing_insights() const { return insights_; }
    void show_insights(bool insights) { insights_ = insights; }
    DashboardState& dashboard() { return dashboard_; }
    // The platform's downloads for the dashboard (a table as CSV, the window as PNG); its
    // download buttons show once these are set.
    void set_dashboard_downloads(
        std::function<void(const std::string& file_name, const std::string& csv)> csv,
        std::function<void(const std::string& file_name)> png) {
        dashboard_csv_ = std::move(csv);
        dashboard_png_ = std::move(png);
    }
    // A dashboard click: back to the board, filtered to the deals behind what was clicked.
    void show_deals_on_board(const DealDrillDown& request);
    // A phone-sized window: one stage at a time, full-screen panels.
    bool narrow() const { return narrow_; }
    // Where the board's panels may go: below the top bars.
    float content_top() const { return content_top_; }

    // The empty board's "Import a CSV": the data view picks the request up and opens its import.
    void request_csv_import() { csv_import_requested_ = true; }
    bool take_csv_import_request();
    // The sample pipeline: its own Demo workspace where the platform keeps several, else in
    // place of this (empty) one.
    void open_sample_pipeline(Timestamp now);
    WorkspaceMenu& workspaces() { return workspace_menu_; }
    // A snapshot opened from a link: shown as it is; every change is refused.
    void set_read_only(bool read_only) { read_only_ = read_only; }
    bool read_only() const { return read_only_; }
    Presentation& presentation() { return presentation_; }
    const Presentation& presentation() const { return presentation_; }

    // The first-run welcome, over the empty board.
    WelcomeView& welcome() { return welcome_; }
    // The welcome and the inline tips, once closed, stay closed for this workspace (its
    // settings remember them, so a reload or another tab agrees).
    bool hint_dismissed(std::string_view id) const;
    void dismiss_hint(const std::string& id);

private:
    struct Notice {
        std::string message;
        NoticeKind kind = NoticeKind::Info;
        bool undoable = false;
        double shown_at = -1;
    };
    // Commands applied as one action: undone or redone together when the session's undo depth
    // is where the action left it.
    struct ActionGroup {
        std::size_t depth = 0;  // undo depth right after the action
        std::size_t count = 0;
    };
    // Undoes (or redoes, `forward`) `count` commands as one step; the label of the last one
    // done, or nullopt when none could be.
    std::optional<std::string> step_history(std::size_t count, bool forward, Timestamp now);

    void draw_top_bar(Timestamp now);
    void draw_notice(Timestamp now);
    void draw_insights_hidden();
    void handle_shortcuts(Timestamp now, bool board_focused);
    void workspace_changed();

    // Heap-held so the session's reference stays valid when the app object moves.
    std::unique_ptr<Workspace> workspace_;
    IdGenerator ids_;
    std::unique_ptr<Session> session_;
    Session::ChangeListener change_listener_;
    std::function<void(const Workspace&)> replace_listener_;
    std::function<void()> settings_listener_;
    std::uint64_t workspace_version_ = 1;
    // Set while the app itself calls the session, so the listener can tell changes made
    // behind its back (which it counts as applied commands).
    bool own_call_ = false;
    std::size_t undo_depth_ = 0;
    std::vector<ActionGroup> undo_groups_;
    std::vector<ActionGroup> redo_groups_;

    ThemeMode theme_ = ThemeMode::Light;
    BoardState board_;
    BoardView board_view_;
    FilterBar filter_bar_;
    DealEditor editor_;
    DealDialogs dialogs_;
    ActivitiesView activities_;
    StageEditor stage_editor_;
    HelpOverlay help_;
    UiRects rects_;
    UiFonts fonts_;
    DataView data_view_;
    WelcomeView welcome_;
    WorkspaceMenu workspace_menu_;
    Presentation presentation_;
    Notice notice_;
    bool narrow_ = false;
    float content_top_ = 0;
    bool csv_import_requested_ = false;
    bool insights_ = false;
    bool read_only_ = false;
    DashboardState dashboard_;
    std::function<void(const std::string&, const std::string&)> dashboard_csv_;
    std::function<void(const std::string&)> dashboard_png_;
};

}  // namespace pb::ui

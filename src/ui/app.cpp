// One full-viewport window: the top bar and the filter row above the board; the deal editor,
// the due-today list and notices are windows of their own on top of it.
#include "ui/app.hpp"

#include "core/sample_workspace.hpp"
#include "ui/keyboard.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace pb::ui {

namespace {

constexpr float kNarrowWidth = 720.0f;
// Room left at the right of the top bar for the data view's save indicator and Data menu.
constexpr float kDataViewReserve = 210.0f;
constexpr double kNoticeSeconds = 6.0;
constexpr const char* kReadOnly =
    "This is a read-only snapshot: nothing can be changed. Save a copy to work on it.";

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

// A square button with a drawn sun or moon, since the UI font has no moon glyph.
bool theme_button(ThemeMode mode, float size) {
    const bool pressed = ImGui::Button("##theme", ImVec2(size, size));
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 center(min.x + size / 2, min.y + size / 2);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const std::uint32_t color = palette().text;
    if (mode == ThemeMode::Dark) {
        // Showing the sun: switching to light.
        draw->AddCircleFilled(center, size * 0.16f, color, 16);
        for (int ray = 0; ray < 8; ++ray) {
            const float angle = static_cast<float>(ray) * 3.14159265f / 4.0f;
            const ImVec2 dir(std::cos(angle), std::sin(angle));
            draw->AddLine(ImVec2(center.x + dir.x * size * 0.24f, center.y + dir.y * size * 0.24f),
                          ImVec2(center.x + dir.x * size * 0.33f, center.y + dir.y * size * 0.33f),
                          color, 1.6f);
        }
    } else {
        draw->AddCircleFilled(center, size * 0.26f, color, 24);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_Button];
        const ImU32 cut = ImGui::GetColorU32(ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered
                                                                     : ImGuiCol_Button);
        // The button colour is translucent: paint the window background first, then it.
        const ImU32 window_bg = ImGui::GetColorU32(ImGuiCol_WindowBg);
        const ImVec2 bite(center.x + size * 0.12f, center.y - size * 0.1f);
        draw->AddCircleFilled(bite, size * 0.22f, window_bg, 24);
        if (bg.w > 0) draw->AddCircleFilled(bite, size * 0.22f, cut, 24);
    }
    return pressed;
}

}  // namespace

PipeboardApp::PipeboardApp(Workspace workspace, std::uint64_t id_seed)
    : workspace_(std::make_unique<Workspace>(std::move(workspace))),
      ids_(id_seed),
      session_(std::make_unique<Session>(*workspace_, ids_)) {
    session_->set_change_listener([this](const ChangeSet& changes) {
        ++workspace_version_;
        if (!own_call_) {
            // Applied by someone else (an import through the session): it sits on top of the
            // undo stack, and what could be redone no longer applies.
            ++undo_depth_;
            redo_groups_.clear();
        }
        if (change_listener_) change_listener_(changes);
    });
}

void PipeboardApp::set_theme(ThemeMode mode) {
    theme_ = mode;
    apply_theme(mode, presentation_.ui_scale());
}

void PipeboardApp::replace_workspace(Workspace workspace) {
    *workspace_ = std::move(workspace);
    session_->reset();
    workspace_changed();
    undo_depth_ = 0;
    undo_groups_.clear();
    redo_groups_.clear();
    board_ = BoardState{};
    board_view_.reset();
    editor_.close();
    dialogs_.close();
    stage_editor_.close();
    activities_.close();
    // Whatever replaced the workspace (the sample, an import, a load) answered the welcome.
    welcome_.close();
}

void PipeboardApp::workspace_changed() { ++workspace_version_; }

CommandResult PipeboardApp::apply(const Command& command, Timestamp now, bool announce,
                                  bool show_error) {
    if (read_only_) {
        CommandResult refused;
        refused.error = kReadOnly;
        if (show_error) notify(refused.error, NoticeKind::Error);
        return refused;
    }
    own_call_ = true;
    CommandResult result = session_->apply(command, now);
    own_call_ = false;
    if (!result.ok) {
        if (show_error) notify(result.error, NoticeKind::Error);
        return result;
    }
    if (result.changes.empty()) return result;
    workspace_changed();
    ++undo_depth_;
    redo_groups_.clear();
    if (!result.warning.empty())
        notify(result.label + ": " + result.warning, NoticeKind::Warning, true);
    else if (announce)
        notify(result.label, NoticeKind::Info, true);
    return result;
}

CommandResult PipeboardApp::apply_together(const std::vector<Command>& commands, Timestamp now) {
    if (read_only_) {
        CommandResult refused;
        refused.error = kReadOnly;
        notify(refused.error, NoticeKind::Error);
        return refused;
    }
    CommandResult last;
    std::size_t applied = 0;
    std::string warning;
    for (const Command& command : commands) {
        own_call_ = true;
        last = session_->apply(command, now);
        own_call_ = false;
        if (!last.ok) {
            for (; applied > 0; --applied) {
                own_call_ = true;
                session_->undo(now);
                own_call_ = false;
                --undo_depth_;
            }
            workspace_changed();
            return last;
        }
        if (last.changes.empty()) continue;
        ++applied;
        ++undo_depth_;
        if (!last.warning.empty()) warning = last.warning;
    }
    if (applied == 0) return last;
    workspace_changed();
    redo_groups_.clear();
    if (applied > 1) undo_groups_.push_back({undo_depth_, applied});
    notify(warning.empty() ? last.label : last.label + ": " + warning,
           warning.empty() ? NoticeKind::Info : NoticeKind::Warning, true);
    return last;
}

bool PipeboardApp::undo(Timestamp now) {
    if (read_only_) return false;
    std::size_t count = 1;
    if (!undo_groups_.empty() && undo_groups_.back().depth == undo_depth_) {
        count = undo_groups_.back().count;
        redo_groups_.push_back(undo_groups_.back());
        undo_groups_.pop_back();
    }
    const std::optional<std::string> label = step_history(count, false, now);
    if (label) notify("Undid: " + *label);
    return label.has_value();
}

bool PipeboardApp::redo(Timestamp now) {
    if (read_only_) return false;
    std::size_t count = 1;
    if (!redo_groups_.empty() &&
        redo_groups_.back().depth == undo_depth_ + redo_groups_.back().count) {
        count = redo_groups_.back().count;
        undo_groups_.push_back(redo_groups_.back());
        redo_groups_.pop_back();
    }
    const std::optional<std::string> label = step_history(count, true, now);
    if (label) notify("Redid: " + *label);
    return label.has_value();
}

std::optional<std::string> PipeboardApp::step_history(std::size_t count, bool forward,
                                                      Timestamp now) {
    std::optional<std::string> label;
    for (std::size_t i = 0; i < count; ++i) {
        own_call_ = true;
        const CommandResult result = forward ? session_->redo(now) : session_->undo(now);
        own_call_ = false;
        if (!result.ok) {
            if (!label) notify(result.error, NoticeKind::Info);
            break;
        }
        label = result.label;
        if (forward) {
            ++undo_depth_;
        } else if (undo_depth_ > 0) {
            --undo_depth_;
        }
    }
    if (label) workspace_changed();
    return label;
}

void PipeboardApp::notify(std::string message, NoticeKind kind, bool undoable) {
    notice_.message = std::move(message);
    notice_.kind = kind;
    notice_.undoable = undoable;
    notice_.shown_at = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
}

void PipeboardApp::open_deal(const Id& deal_id) {
    const Deal* deal = index().find_deal(deal_id);
    if (!deal) return;
    board_.selected_deal_id = deal_id;
    const Stage* stage = index().find_stage(deal->stage_id);
    if (stage && stage->pipeline_id != resolve_pipeline(index(), board_.pipeline_id))
        board_.pipeline_id = stage->pipeline_id;
    board_.scroll_to_selection = true;
    activities_.close();
    editor_.open(deal_id);
}

void PipeboardApp::show_deals_on_board(const DealDrillDown& request) {
    insights_ = false;
    if (!request.deal_id.empty()) {
        open_deal(request.deal_id);
        return;
    }
    BoardFilter filter;
    filter.owner_id = request.filter.owner_id;
    filter.lead_source = request.filter.lead_source;
    filter.industry = request.filter.industry;
    filter.close_from = request.close_from;
    filter.close_to = request.close_to;
    if (!request.stage_id.empty()) filter.stage_ids = {request.stage_id};
    filter.lost_reason = request.lost_reason;
    filter.only_deals = request.deals;
    if (request.deals) filter.only_deals_label = request.description;
    filter.status = StatusFilter::All;
    if (request.status == DealStatus::Open) filter.status = StatusFilter::Open;
    if (request.status == DealStatus::Won) filter.status = StatusFilter::Won;
    if (request.status == DealStatus::Lost) filter.status = StatusFilter::Lost;
    if (request.status == DealStatus::Nurture) filter.status = StatusFilter::Nurture;
    board_.filter = filter;
    // Stage metrics read an empty pipeline as the first one, and so does the board.
    if (!request.filter.pipeline_id.empty() || request.deals)
        board_.pipeline_id = request.filter.pipeline_id;
    if (const Stage* stage = index().find_stage(request.stage_id)) {
        board_.pipeline_id = stage->pipeline_id;
        board_.selected_column = 0;
        for (const Stage& other : workspace_->stages)
            if (!other.meta.deleted && other.pipeline_id == stage->pipeline_id &&
                other.position < stage->position)
                ++board_.selected_column;
    }
    notify("Showing " + request.description);
}

bool PipeboardApp::take_csv_import_request() {
    const bool requested = csv_import_requested_;
    csv_import_requested_ = false;
    return requested;
}

void PipeboardApp::open_sample_pipeline(Timestamp now) {
    if (workspace_menu_.has_services()) {
        workspace_menu_.open_demo(*this, now);
        return;
    }
    replace_workspace(make_sample_workspace(SampleOptions{}, now));
    if (replace_listener_) replace_listener_(*workspace_);
    notify("Opened the sample pipeline: 300 deals of a small B2B company");
}

bool PipeboardApp::hint_dismissed(std::string_view id) const {
    const std::vector<std::string>& dismissed = workspace_->settings.dismissed_hints;
    return std::find(dismissed.begin(), dismissed.end(), id) != dismissed.end();
}

void PipeboardApp::dismiss_hint(const std::string& id) {
    if (hint_dismissed(id)) return;
    workspace_->settings.dismissed_hints.push_back(id);
    workspace_changed();
    if (settings_listener_) settings_listener_();
}

void PipeboardApp::handle_shortcuts(Timestamp now, bool board_focused) {
    for (Shortcut shortcut : read_shortcuts()) {
        switch (shortcut) {
            case Shortcut::Undo: undo(now); break;
            case Shortcut::Redo: redo(now); break;
            case Shortcut::ToggleHelp: help_.toggle(); break;
            case Shortcut::FocusSearch: filter_bar_.focus_search(); break;
            case Shortcut::AddDeal: board_view_.start_quick_add(*this, {}); break;
            case Shortcut::ClosePanel:
                if (help_.is_open())
                    help_.close();
                else if (board_view_.quick_add_open())
                    board_view_.cancel_quick_add();
                else if (activities_.is_open())
                    activities_.close();
                else if (editor_.is_open())
                    editor_.close();
                else
                    board_.selected_deal_id.clear();
                break;
            case Shortcut::OpenDeal:
                if (board_focused && !board_.selected_deal_id.empty())
                    open_deal(board_.selected_deal_id);
                break;
            case Shortcut::SelectUp:
                if (board_focused) board_view_.move_selection(*this, 0, -1, now);
                break;
            case Shortcut::SelectDown:
                if (board_focused) board_view_.move_selection(*this, 0, 1, now);
                break;
            case Shortcut::SelectLeft:
                if (board_focused) board_view_.move_selection(*this, -1, 0, now);
                break;
            case Shortcut::SelectRight:
                if (board_focused) board_view_.move_selection(*this, 1, 0, now);
                break;
            case Shortcut::MoveToNextStage:
                if (board_focused) board_view_.move_selected_deal(*this, 1, now);
                break;
            case Shortcut::MoveToPreviousStage:
                if (board_focused) board_view_.move_selected_deal(*this, -1, now);
                break;
        }
    }
}

void PipeboardApp::draw_top_bar(Timestamp now) {
    const ImGuiStyle& style = ImGui::GetStyle();
    if (!narrow_) {
        ImGui::PushFont(fonts_.large);
        ImGui::TextUnformatted("Pipeboard");
        ImGui::PopFont();
        rects_.add_last_item("brand");
    }
    for (const bool insights : {false, true}) {
        if (insights || !narrow_) ImGui::SameLine(0, insights ? 2 : 16);
        const bool chosen = insights_ == insights;
        if (chosen)
            ImGui::PushStyleColor(ImGuiCol_Button,
                                  ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(insights ? "Insights" : "Board")) insights_ = insights;
        if (chosen) ImGui::PopStyleColor();
        rects_.add_last_item(insights ? "tab:insights" : "tab:board");
    }
    if (!narrow_) {
        ImGui::SameLine(0, 16);
        workspace_menu_.draw_button(*this, now);
        const auto pipelines = index().pipelines();
        const Id shown = resolve_pipeline(index(), board_.pipeline_id);
        if (pipelines.size() > 1) {
            ImGui::SameLine(0, 12);
            const Pipeline* current = index().find_pipeline(shown);
            ImGui::SetNextItemWidth(200);
            if (ImGui::BeginCombo("##pipeline", current ? current->name.c_str() : "")) {
                for (const Pipeline& pipeline : pipelines) {
                    if (ImGui::Selectable(pipeline.name.c_str(), pipeline.meta.id == shown)) {
                        board_.pipeline_id = pipeline.meta.id;
                        board_.selected_deal_id.clear();
                        board_.selected_column = 0;
                    }
                    rects_.add_last_item("option:pipeline:" + pipeline.name);
                }
                ImGui::EndCombo();
            }
            rects_.add_last_item("field:pipeline");
            hover_tooltip("Switch pipeline");
        }
        ImGui::SameLine(0, 8);
        if (ImGui::Button("Stages")) stage_editor_.open(shown);
        rects_.add_last_item("button:stages");
        hover_tooltip("Add, rename, reorder and recolour the stages of this pipeline");
    }

    // The working buttons, right-aligned before the data view's part of the bar. On a phone
    // the add button moves next to the search, and the theme switch into the Filters popup.
    const int due = activities_.due_count(*this, now);
    const std::string due_label =
        (narrow_ ? std::string("Due ") : std::string("Due today ")) + std::to_string(due) + "##due";
    const char* add_label = "+ Deal##add";
    const char* undo_label = "\xE2\x86\xA9##undo";
    const char* redo_label = "\xE2\x86\xAA##redo";
    const float theme_size = ImGui::GetFrameHeight();
    float width = button_width(due_label.c_str());
    if (!narrow_)
        width += button_width(add_label) + button_width(undo_label) + button_width(redo_label) +
                 theme_size + button_width("?") + button_width("Present") + style.ItemSpacing.x * 6;
    if (!narrow_ && presentation_.on())
        width += ImGui::GetFrameHeight() + ImGui::CalcTextSize("Hide amounts").x +
                 style.ItemInnerSpacing.x + style.ItemSpacing.x;
    // On a phone every pixel of the bar goes to the data view's part after these.
    const float last_right = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
    if (narrow_)
        ImGui::SameLine(0, 12);
    else
        ImGui::SameLine(std::max(ImGui::GetWindowContentRegionMax().x - kDataViewReserve - width,
                                 last_right + 12));

    if (!narrow_) {
        if (primary_button(add_label)) board_view_.start_quick_add(*this, {});
        rects_.add_last_item("button:add-deal");
        hover_tooltip("Add a deal (N)");
        ImGui::SameLine();
    }
    if (due > 0)
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().danger));
    if (ImGui::Button(due_label.c_str())) {
        activities_.toggle();
        if (activities_.is_open() && narrow_) editor_.close();
    }
    if (due > 0) ImGui::PopStyleColor();
    rects_.add_last_item("button:activities");
    hover_tooltip("Activities due today or overdue, across all deals");
    if (!narrow_) {
        ImGui::SameLine();
        undo_button(now);
        ImGui::SameLine();
        ImGui::BeginDisabled(!can_redo());
        if (ImGui::Button(redo_label)) redo(now);
        ImGui::EndDisabled();
        rects_.add_last_item("button:redo");
        const std::string redo_tip = can_redo()
                                         ? "Redo " + session_->redo_label() + "  (Ctrl+Shift+Z)"
                                         : std::string("Nothing to redo");
        hover_tooltip(redo_tip.c_str());
        ImGui::SameLine();
        if (theme_button(theme_, theme_size))
            set_theme(theme_ == ThemeMode::Dark ? ThemeMode::Light : ThemeMode::Dark);
        rects_.add_last_item("button:theme");
        hover_tooltip(theme_ == ThemeMode::Dark ? "Switch to the light theme"
                                                : "Switch to the dark theme");
        ImGui::SameLine();
        presentation_.draw_controls(*this);
        ImGui::SameLine();
        if (ImGui::Button("?")) help_.toggle();
        rects_.add_last_item("button:help");
        hover_tooltip("Keyboard shortcuts (?)");
    }
    data_view_.draw_top_bar(*this, now);
    // Whatever the data view drew, the filter row starts on a line of its own.
    ImGui::SetCursorPosX(style.WindowPadding.x);
    ImGui::Dummy(ImVec2(0, 2));
    if (!insights_) filter_bar_.draw(*this, now);
}

void PipeboardApp::undo_button(Timestamp now) {
    ImGui::BeginDisabled(!can_undo());
    if (ImGui::Button("\xE2\x86\xA9##undo")) undo(now);
    ImGui::EndDisabled();
    rects_.add_last_item("button:undo");
    const std::string tip = can_undo() ? "Undo " + session_->undo_label() + "  (Ctrl+Z)"
                                       : std::string("Nothing to undo");
    hover_tooltip(tip.c_str());
}

void PipeboardApp::draw_insights_hidden() {
    const char* heading = "Insights are hidden while amounts are masked";
    const char* detail = "Turn off \"Hide amounts\" in the top bar to show them.";
    ImGui::PushFont(fonts_.large);
    const float heading_width = ImGui::CalcTextSize(heading).x;
    ImGui::PopFont();
    const float detail_width = ImGui::CalcTextSize(detail).x;
    const ImVec2 region = ImGui::GetContentRegionAvail();
    const float top = ImGui::GetCursorPosY() + region.y * 0.3f;
    ImGui::SetCursorPos(ImVec2((region.x - heading_width) / 2, top));
    ImGui::PushFont(fonts_.large);
    ImGui::TextUnformatted(heading);
    ImGui::PopFont();
    rects_.add_last_item("insights-hidden");
    ImGui::SetCursorPosX((region.x - detail_width) / 2);
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
    ImGui::TextUnformatted(detail);
    ImGui::PopStyleColor();
}

double PipeboardApp::seconds_to_timed_change(Timestamp now) const {
    double change_in = data_view_.message_ends_in(now);
    if (!notice_.message.empty() && notice_.shown_at >= 0 && ImGui::GetCurrentContext())
        change_in = std::min(change_in, kNoticeSeconds - (ImGui::GetTime() - notice_.shown_at));
    return std::max(0.0, change_in);
}

void PipeboardApp::draw_notice(Timestamp now) {
    if (notice_.message.empty() || notice_.shown_at < 0) return;
    // Out of the way of the drop zones while a card is dragged.
    if (ImGui::GetDragDropPayload()) return;
    const double age = ImGui::GetTime() - notice_.shown_at;
    if (age > kNoticeSeconds) {
        notice_.message.clear();
        return;
    }
    const Palette& p = palette();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float max_width = std::min(560.0f, viewport->WorkSize.x - 24);
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2,
                                   viewport->WorkPos.y + viewport->WorkSize.y - 16),
                            ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(max_width, 200));
    const std::uint32_t border = notice_.kind == NoticeKind::Error     ? p.danger
                                 : notice_.kind == NoticeKind::Warning ? p.warning
                                                                       : p.card_border;
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(p.card));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(border));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.5f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 8.0f);
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
        ImGuiWindowFlags_NoNav;
    if (ImGui::Begin("##notice", nullptr, flags)) {
        ImGui::PushTextWrapPos(max_width - 110);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(notice_.message.c_str());
        ImGui::PopTextWrapPos();
        rects_.add_last_item("notice");
        if (notice_.undoable && can_undo()) {
            ImGui::SameLine(0, 16);
            if (ImGui::SmallButton("Undo")) {
                undo(now);
            }
            rects_.add_last_item("button:notice-undo");
        }
        ImGui::SameLine(0, 8);
        if (ImGui::SmallButton("\xC3\x97##dismiss")) notice_.message.clear();
        hover_tooltip("Dismiss");
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(2);
}

void PipeboardApp::draw_frame(Timestamp now) {
    rects_.begin_frame();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    narrow_ = viewport->WorkSize.x < kNarrowWidth;
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    // The board reads arrows and Enter itself, so ImGui's own keyboard navigation stays out of
    // this window (the editor, dialogs and forms keep theirs, and Tab between fields).
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoNavInputs;
    ImGui::Begin("Pipeboard", nullptr, flags);
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    const bool popup_open = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId |
                                                       ImGuiPopupFlags_AnyPopupLevel);
    const bool board_focused =
        g.NavWindow == nullptr || ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
    if (!popup_open && !dialogs_.is_open() && !stage_editor_.is_open())
        handle_shortcuts(now, board_focused);

    draw_top_bar(now);
    if (read_only_) workspace_menu_.draw_snapshot_banner(*this);
    content_top_ = ImGui::GetCursorScreenPos().y;
    if (insights_ && presentation_.masking_amounts()) {
        // The dashboard is made of amounts; while they are hidden it says so rather than show
        // charts whose scale would give them away.
        draw_insights_hidden();
    } else if (insights_) {
        DashboardContext dashboard{
            *workspace_, dashboard_, rects_, fonts_, now,
            [this](const Command& command, Timestamp at) { return apply(command, at); },
            [this](const DealDrillDown& request) { show_deals_on_board(request); },
            dashboard_csv_, dashboard_png_, workspace_version_, &session_->index()};
        draw_dashboard(dashboard);
    } else {
        board_view_.draw(*this, now);
    }
    dialogs_.draw(*this, now);
    stage_editor_.draw(*this, now);
    workspace_menu_.draw_dialogs(*this, now);
    help_.draw(*this);
    data_view_.draw_overlays(*this, now);
    ImGui::End();

    activities_.draw(*this, now);
    editor_.draw(*this, now);
    draw_notice(now);
    presentation_.draw_pointer_highlight();
    rects_.end_frame();
}

}  // namespace pb::ui

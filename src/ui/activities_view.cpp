// Lost deals' leftover activities are left out: nobody is going to make that call.
#include "ui/activities_view.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "core/commands.hpp"
#include "ui/app.hpp"
#include "ui/deal_editor.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

ImVec4 to_float(std::uint32_t color) { return ImGui::ColorConvertU32ToFloat4(color); }

}  // namespace

// Read from the index's compact copies: after every change this runs over all the
// activities, and looking each one's deal up by id cost 20 ms at 100,000 deals.
std::vector<std::size_t> due_activities(const WorkspaceIndex& index, Day today) {
    std::vector<std::size_t> due;
    const std::size_t count = index.workspace().activities.size();
    const Timestamp end_of_today = start_of_day(today + 1);
    for (std::size_t i = 0; i < count; ++i) {
        const ActivityFigures& activity = index.activity_figures(i);
        if (!activity.live || activity.done || activity.due >= end_of_today) continue;
        if (activity.deal < 0) continue;
        const auto deal = static_cast<std::size_t>(activity.deal);
        if (index.deal_metric_figures(deal).deleted ||
            index.deal_figures(deal).status == DealStatus::Lost) {
            continue;
        }
        due.push_back(i);
    }
    std::stable_sort(due.begin(), due.end(), [&](std::size_t a, std::size_t b) {
        return index.activity_figures(a).due < index.activity_figures(b).due;
    });
    return due;
}

void ActivitiesView::refresh(PipeboardApp& app, Timestamp now) {
    const Day today = day_of(now);
    if (version_ == app.workspace_version() && day_ == today) return;
    due_ = due_activities(app.index(), today);
    version_ = app.workspace_version();
    day_ = today;
}

int ActivitiesView::due_count(PipeboardApp& app, Timestamp now) {
    refresh(app, now);
    return static_cast<int>(due_.size());
}

void ActivitiesView::draw(PipeboardApp& app, Timestamp now) {
    if (!open_) return;
    refresh(app, now);
    const Palette& p = palette();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float width = app.narrow() ? viewport->WorkSize.x : 460.0f;
    const float top = app.narrow() ? viewport->WorkPos.y : app.content_top();
    const float max_height = viewport->WorkPos.y + viewport->WorkSize.y - top;
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - width - (app.narrow() ? 0 : 12), top));
    ImGui::SetNextWindowSize(ImVec2(width, app.narrow() ? max_height : 0));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 120), ImVec2(width, max_height));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, to_float(p.card));
    ImGui::PushStyleColor(ImGuiCol_Border, to_float(p.card_border));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(16, 12));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   (app.narrow() ? 0 : ImGuiWindowFlags_AlwaysAutoResize);
    if (ImGui::Begin("Due today###activities-panel", nullptr, flags)) {
        ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
        const ImVec2 pos = ImGui::GetWindowPos();
        app.frame_rects().add("panel:activities", pos.x, pos.y, ImGui::GetWindowWidth(),
                              ImGui::GetWindowHeight());
        ImGui::PushFont(app.fonts().large);
        ImGui::TextUnformatted("Due today");
        ImGui::PopFont();
        const float close_w = ImGui::GetFrameHeight();
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - close_w);
        if (ImGui::Button("\xC3\x97##close-activities", ImVec2(close_w, close_w))) open_ = false;
        app.frame_rects().add_last_item("button:activities-close");

        if (due_.empty()) {
            ImGui::TextColored(to_float(p.success), "Nothing overdue and nothing left for today.");
            ImGui::TextDisabled("Plan next steps from a deal's Activities tab.");
        }
        const std::vector<Activity>& activities = app.workspace().activities;
        const Timestamp start_of_today = start_of_day(day_of(now));
        bool overdue_heading = false, today_heading = false;
        std::optional<Id> complete;
        std::optional<Id> open_deal;
        bool complete_done = false;
        for (std::size_t i : due_) {
            const Activity& activity = activities[i];
            const bool overdue = is_overdue(activity, now);
            if (activity.due < start_of_today && !overdue_heading) {
                ImGui::SeparatorText("Overdue");
                overdue_heading = true;
            } else if (activity.due >= start_of_today && !today_heading) {
                ImGui::SeparatorText("Today");
                today_heading = true;
            }
            const Deal* deal = app.index().find_deal(activity.deal_id);
            if (!deal) continue;
            ImGui::PushID(activity.meta.id.c_str());
            bool done = activity.done;
            if (ImGui::Checkbox("##done", &done)) {
                complete = activity.meta.id;
                complete_done = done;
            }
            app.frame_rects().add_last_item("checkbox:due:" + activity.meta.id);
            hover_tooltip("Mark done");
            const float indent = ImGui::GetItemRectSize().x + ImGui::GetStyle().ItemSpacing.x;
            ImGui::SameLine();
            ImGui::TextColored(to_float(p.text_muted), "%s", activity_type_label(activity.type));
            ImGui::SameLine();
            ImGui::TextUnformatted(activity.subject.c_str());
            const std::string when = due_text(activity, now);
            same_line_right_aligned(ImGui::CalcTextSize(when.c_str()).x);
            ImGui::TextColored(to_float(overdue ? p.danger : p.text), "%s", when.c_str());
            ImGui::Indent(indent);
            ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.accent));
            const std::string link =
                fit_text(app.fonts().regular, deal->title + "  \xC2\xB7  " + deal->organization,
                         ImGui::GetContentRegionAvail().x - 8);
            if (ImGui::Selectable(link.c_str(), false)) open_deal = deal->meta.id;
            ImGui::PopStyleColor();
            app.frame_rects().add_last_item("due-deal:" + activity.meta.id);
            ImGui::Unindent(indent);
            ImGui::PopID();
        }
        if (complete) app.apply(cmd::CompleteActivity{*complete, complete_done}, now, true);
        if (open_deal) {
            app.open_deal(*open_deal);
            app.editor().show_tab(DealEditor::Tab::Activities);
        }
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(2);
}

}  // namespace pb::ui

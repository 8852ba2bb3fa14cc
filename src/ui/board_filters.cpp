// The filter lives in BoardState; the board's cache notices a changed filter and rebuilds, so
// this file only edits it. On a phone, status, sort and the pipeline move into the popup.
#include "ui/board_filters.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>

#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

ImVec4 to_float(std::uint32_t color) { return ImGui::ColorConvertU32ToFloat4(color); }

// A combo over names where the empty value means "any"; returns true when it changed.
bool pick_one(const char* id, const char* any_label, const std::vector<std::string>& options,
              std::string& value, UiRects& rects, const std::string& rect_prefix) {
    bool changed = false;
    if (ImGui::BeginCombo(id, value.empty() ? any_label : value.c_str())) {
        if (ImGui::Selectable(any_label, value.empty())) {
            changed = !value.empty();
            value.clear();
        }
        rects.add_last_item(rect_prefix + any_label);
        for (const std::string& option : options) {
            if (ImGui::Selectable(option.c_str(), option == value)) {
                changed = option != value;
                value = option;
            }
            rects.add_last_item(rect_prefix + option);
        }
        ImGui::EndCombo();
    }
    rects.add_last_item(std::string("field:") + (id + 2));
    return changed;
}

void status_combo(PipeboardApp& app, Timestamp now, float width) {
    BoardState& state = app.board_state();
    const BoardModel& model = app.board().model(app, now);
    UiRects& rects = app.frame_rects();
    auto label_of = [&](StatusFilter status) {
        return std::string(status_filter_label(status)) + "  (" +
               std::to_string(model.status_counts[static_cast<std::size_t>(status)]) + ")";
    };
    ImGui::SetNextItemWidth(width);
    if (ImGui::BeginCombo("##status", label_of(state.filter.status).c_str())) {
        for (int i = 0; i < kStatusFilterCount; ++i) {
            const auto status = static_cast<StatusFilter>(i);
            if (ImGui::Selectable(label_of(status).c_str(), status == state.filter.status))
                state.filter.status = status;
            rects.add_last_item(std::string("option:status:") + status_filter_label(status));
            if (status == StatusFilter::Active)
                hover_tooltip("Open deals, plus won customers in the pipeline's last stage");
        }
        ImGui::EndCombo();
    }
    rects.add_last_item("field:status");
    hover_tooltip("Which deals the board shows");
}

void sort_combo(PipeboardApp& app, float width) {
    BoardState& state = app.board_state();
    UiRects& rects = app.frame_rects();
    const std::string preview = std::string("Sort: ") + column_sort_label(state.sort);
    ImGui::SetNextItemWidth(width);
    if (ImGui::BeginCombo("##sort", preview.c_str())) {
        for (int i = 0; i < kColumnSortCount; ++i) {
            const auto sort = static_cast<ColumnSort>(i);
            if (ImGui::Selectable(column_sort_label(sort), sort == state.sort)) state.sort = sort;
            rects.add_last_item(std::string("option:sort:") + column_sort_label(sort));
        }
        ImGui::EndCombo();
    }
    rects.add_last_item("field:sort");
}

// Several stages of the shown pipeline; none ticked means every stage.
void stage_combo(PipeboardApp& app, BoardFilter& filter, float width) {
    const WorkspaceIndex& index = app.index();
    UiRects& rects = app.frame_rects();
    const Id pipeline = resolve_pipeline(index, app.board_state().pipeline_id);
    std::string preview = "Any stage";
    if (filter.stage_ids.size() == 1) {
        if (const Stage* stage = index.find_stage(filter.stage_ids.front())) preview = stage->name;
    } else if (filter.stage_ids.size() > 1) {
        preview = std::to_string(filter.stage_ids.size()) + " stages";
    }
    ImGui::SetNextItemWidth(width);
    if (ImGui::BeginCombo("##filter-stage", preview.c_str())) {
        if (ImGui::Selectable("Any stage", filter.stage_ids.empty())) filter.stage_ids.clear();
        rects.add_last_item("option:stage:Any stage");
        for (const Stage& stage : index.stages_of(pipeline)) {
            const auto found =
                std::find(filter.stage_ids.begin(), filter.stage_ids.end(), stage.meta.id);
            bool ticked = found != filter.stage_ids.end();
            // Checkboxes, unlike selectables, leave the list open for ticking several stages.
            if (ImGui::Checkbox(stage.name.c_str(), &ticked)) {
                if (ticked)
                    filter.stage_ids.push_back(stage.meta.id);
                else
                    filter.stage_ids.erase(found);
            }
            rects.add_last_item("option:stage:" + stage.name);
        }
        ImGui::EndCombo();
    }
    rects.add_last_item("field:filter-stage");
}

// Stage ids left from another pipeline would hide the whole board.
void keep_stages_of_shown_pipeline(PipeboardApp& app, BoardFilter& filter) {
    if (filter.stage_ids.empty()) return;
    const WorkspaceIndex& index = app.index();
    const Id pipeline = resolve_pipeline(index, app.board_state().pipeline_id);
    std::erase_if(filter.stage_ids, [&](const Id& id) {
        const Stage* stage = index.find_stage(id);
        return !stage || stage->pipeline_id != pipeline;
    });
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

void clear_narrowing(BoardFilter& filter) {
    const StatusFilter status = filter.status;
    filter = BoardFilter{};
    filter.status = status;
}

}  // namespace

void FilterBar::draw(PipeboardApp& app, Timestamp now) {
    BoardState& state = app.board_state();
    keep_stages_of_shown_pipeline(app, state.filter);
    UiRects& rects = app.frame_rects();
    const Palette& p = palette();
    const bool narrow = app.narrow();
    const int narrowing = state.filter.narrowing_count();
    const std::string filters_label =
        narrowing > 0 ? "Filters \xC2\xB7 " + std::to_string(narrowing) + "###filters"
                      : std::string("Filters###filters");
    const float filters_w = ImGui::CalcTextSize(filters_label.c_str(), nullptr, true).x +
                            ImGui::GetStyle().FramePadding.x * 2;

    if (focus_search_) {
        focus_next_widget();
        focus_search_ = false;
    }
    const float add_w = ImGui::CalcTextSize("+").x + ImGui::GetStyle().FramePadding.x * 4;
    const float undo_w =
        ImGui::CalcTextSize("\xE2\x86\xA9").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(narrow ? ImGui::GetContentRegionAvail().x - filters_w - add_w - undo_w -
                                         ImGui::GetStyle().ItemSpacing.x * 3
                                   : 250.0f);
    ImGui::InputTextWithHint("##search",
                             narrow ? "Search deals" : "Search deals, organizations, people",
                             &state.filter.text);
    rects.add_last_item("field:search");
    hover_tooltip("Search titles, organizations and contacts (/)");

    if (!narrow) {
        ImGui::SameLine();
        status_combo(app, now, 200);
    }
    ImGui::SameLine();
    if (narrowing > 0) ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.accent));
    if (ImGui::Button(filters_label.c_str())) ImGui::OpenPopup("filters-popup");
    if (narrowing > 0) ImGui::PopStyleColor();
    rects.add_last_item("button:filters");
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y + 4),
                            ImGuiCond_Appearing);
    if (ImGui::BeginPopup("filters-popup")) {
        draw_popup(app, now);
        ImGui::EndPopup();
    }
    if (narrow) {
        ImGui::SameLine();
        app.undo_button(now);
        ImGui::SameLine();
        if (primary_button("+##add", ImVec2(add_w, 0))) app.board().start_quick_add(app, {});
        rects.add_last_item("button:add-deal");
    } else {
        ImGui::SameLine();
        sort_combo(app, 190);
        draw_hidden_count(app, now);
    }
}

void FilterBar::draw_hidden_count(PipeboardApp& app, Timestamp now) {
    BoardState& state = app.board_state();
    const Palette& p = palette();
    UiRects& rects = app.frame_rects();
    const BoardModel& model = app.board().model(app, now);
    const float right = ImGui::GetWindowContentRegionMax().x;
    if (model.hidden_by_filters > 0) {
        ImGui::SameLine(0, 14);
        ImGui::AlignTextToFramePadding();
        const std::string names = joined(narrowing_names(state.filter));
        ImGui::TextColored(to_float(p.warning), "%d %s hidden by %s", model.hidden_by_filters,
                           model.hidden_by_filters == 1 ? "deal" : "deals", names.c_str());
        rects.add_last_item("text:hidden-count");
        if (state.filter.only_deals)
            hover_tooltip(("Showing only: " + state.filter.only_deals_label).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Clear")) clear_narrowing(state.filter);
        rects.add_last_item("button:clear-filters");
    }
    // The board's totals across all columns, when there is room.
    Money total = 0, weighted = 0;
    for (const BoardColumn& column : model.columns) {
        total += column.total_value;
        weighted += column.weighted_value;
    }
    const Currency& currency = app.workspace().currency;
    const std::string summary = std::to_string(model.shown) +
                                (model.shown == 1 ? " deal" : " deals") + "  \xC2\xB7  " +
                                app.presentation().money_short(total, currency) +
                                "  \xC2\xB7  " +
                                app.presentation().money_short(weighted, currency) + " weighted";
    const float width = ImGui::CalcTextSize(summary.c_str()).x;
    ImGui::SameLine();
    if (ImGui::GetCursorPosX() + width + 16 < right) {
        ImGui::SameLine(right - width);
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(to_float(p.text_muted), "%s", summary.c_str());
        rects.add_last_item("text:board-summary");
    } else {
        ImGui::NewLine();
    }
}

void FilterBar::draw_popup(PipeboardApp& app, Timestamp now) {
    BoardState& state = app.board_state();
    BoardFilter& filter = state.filter;
    const Workspace& workspace = app.workspace();
    const WorkspaceIndex& index = app.index();
    UiRects& rects = app.frame_rects();
    const float label = 120.0f;
    const float field = std::min(240.0f, ImGui::GetMainViewport()->WorkSize.x - label - 60);
    const Day today = day_of(now);
    const ImVec2 pos = ImGui::GetWindowPos();
    rects.add("panel:filters", pos.x, pos.y, ImGui::GetWindowWidth(), ImGui::GetWindowHeight());

    if (app.narrow()) {
        form_label("Show", label);
        status_combo(app, now, field);
        form_label("Sort", label);
        sort_combo(app, field);
        const auto pipelines = index.pipelines();
        const Id shown = resolve_pipeline(index, state.pipeline_id);
        if (pipelines.size() > 1) {
            form_label("Pipeline", label);
            const Pipeline* current = index.find_pipeline(shown);
            ImGui::SetNextItemWidth(field);
            if (ImGui::BeginCombo("##pipeline-phone", current ? current->name.c_str() : "")) {
                for (const Pipeline& pipeline : pipelines)
                    if (ImGui::Selectable(pipeline.name.c_str(), pipeline.meta.id == shown)) {
                        state.pipeline_id = pipeline.meta.id;
                        state.selected_column = 0;
                        state.selected_deal_id.clear();
                    }
                ImGui::EndCombo();
            }
        }
        if (ImGui::Button("Edit stages")) {
            app.stage_editor().open(shown);
            ImGui::CloseCurrentPopup();
        }
        rects.add_last_item("button:stages");
        ImGui::SameLine();
        bool dark = app.theme() == ThemeMode::Dark;
        if (ImGui::Checkbox("Dark theme", &dark))
            app.set_theme(dark ? ThemeMode::Dark : ThemeMode::Light);
        rects.add_last_item("checkbox:dark-theme");
        ImGui::Separator();
    }

    if (filter.only_deals) {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + label + field);
        // The label opens a sentence elsewhere ("Deals that entered ..."); here it ends one.
        std::string what = filter.only_deals_label;
        if (!what.empty())
            what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
        ImGui::TextColored(to_float(palette().accent), "Only the %d %s",
                           static_cast<int>(filter.only_deals->size()), what.c_str());
        ImGui::PopTextWrapPos();
        rects.add_last_item("text:filter-only-deals");
        if (ImGui::SmallButton("Show all of them again")) {
            filter.only_deals.reset();
            filter.only_deals_label.clear();
        }
        rects.add_last_item("button:filter-only-deals-remove");
        hover_tooltip("Drops the selection made on the dashboard; the other filters stay");
        ImGui::Separator();
    }

    form_label("Stage", label);
    stage_combo(app, filter, field);

    form_label("Owner", label);
    ImGui::SetNextItemWidth(field);
    const Rep* owner = filter.owner_id.empty() ? nullptr : index.find_rep(filter.owner_id);
    if (ImGui::BeginCombo("##filter-owner", owner ? owner->name.c_str() : "Anyone")) {
        if (ImGui::Selectable("Anyone", filter.owner_id.empty())) filter.owner_id.clear();
        rects.add_last_item("option:owner:Anyone");
        for (const Rep& rep : workspace.reps) {
            if (rep.meta.deleted) continue;
            if (ImGui::Selectable(rep.name.c_str(), rep.meta.id == filter.owner_id))
                filter.owner_id = rep.meta.id;
            rects.add_last_item("option:owner:" + rep.name);
        }
        ImGui::EndCombo();
    }
    rects.add_last_item("field:filter-owner");

    form_label("Lead source", label);
    ImGui::SetNextItemWidth(field);
    pick_one("##filter-source", "Any", workspace.lists.lead_sources, filter.lead_source, rects,
             "option:source:");
    form_label("Industry", label);
    ImGui::SetNextItemWidth(field);
    pick_one("##filter-industry", "Any", workspace.lists.industries, filter.industry, rects,
             "option:industry:");
    form_label("Label", label);
    ImGui::SetNextItemWidth(field);
    pick_one("##filter-label", "Any", workspace.lists.labels, filter.label, rects, "option:label:");
    form_label("Lost reason", label);
    ImGui::SetNextItemWidth(field);
    pick_one("##filter-lost-reason", "Any", workspace.lists.lost_reasons, filter.lost_reason, rects,
             "option:lost-reason:");

    ImGui::Checkbox("Rotting deals only", &filter.rotting_only);
    rects.add_last_item("checkbox:filter-rotting");
    hover_tooltip("Open deals idle in their stage longer than the stage allows");

    ImGui::SeparatorText("Expected close");
    if (!ImGui::IsAnyItemActive()) {
        // Show the filter's dates unless one of them is being typed or was refused.
        if (close_from_error_.empty()) close_from_ = date_field_text(filter.close_from);
        if (close_to_error_.empty()) close_to_ = date_field_text(filter.close_to);
    }
    auto date_field = [&](const char* id, std::string& text, std::string& error,
                          std::optional<Day>& bound) {
        ImGui::SetNextItemWidth(120);
        ImGui::InputTextWithHint(id, "YYYY-MM-DD", &text);
        rects.add_last_item(std::string("field:") + (id + 2));
        if (ImGui::IsItemDeactivatedAfterEdit()) {
            const DayField read = read_day_field(text);
            error = read.error;
            if (read.error.empty()) bound = read.day;
        }
    };
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("From");
    ImGui::SameLine();
    date_field("##close-from", close_from_, close_from_error_, filter.close_from);
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    date_field("##close-to", close_to_, close_to_error_, filter.close_to);
    field_error(close_from_error_);
    field_error(close_to_error_);
    if (ImGui::SmallButton("This month")) {
        filter.close_from = start_of_month(today);
        filter.close_to = add_months(start_of_month(today), 1) - 1;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Next 30 days")) {
        filter.close_from = today;
        filter.close_to = today + 30;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Past due")) {
        filter.close_from.reset();
        filter.close_to = today - 1;
    }
    hover_tooltip("Expected to close before today");
    ImGui::SameLine();
    if (ImGui::SmallButton("Any date")) {
        filter.close_from.reset();
        filter.close_to.reset();
        close_from_error_.clear();
        close_to_error_.clear();
    }

    ImGui::Separator();
    if (ImGui::Button("Clear filters")) {
        clear_narrowing(filter);
        close_from_error_.clear();
        close_to_error_.clear();
    }
    rects.add_last_item("button:clear-all-filters");
    ImGui::SameLine();
    const BoardModel& model = app.board().model(app, now);
    ImGui::AlignTextToFramePadding();
    if (model.hidden_by_filters > 0)
        ImGui::TextColored(to_float(palette().warning), "%d deals hidden", model.hidden_by_filters);
    else
        ImGui::TextDisabled("Nothing hidden");
}

}  // namespace pb::ui

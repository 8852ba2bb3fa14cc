// Columns lay out side by side at a comfortable minimum width and scroll horizontally when
// the window is narrower; cards are clipped so only visible ones are laid out.
#include "ui/board_view.hpp"

#include "ui/theme.hpp"

#include <imgui.h>

#include <algorithm>
#include <unordered_map>

namespace pb::ui {

namespace {

constexpr float kColumnMinWidth = 168.0f;
constexpr float kColumnGap = 10.0f;
constexpr float kHeaderHeight = 66.0f;
constexpr float kCardHeight = 78.0f;
constexpr float kCardGap = 8.0f;

int effective_probability(const Deal& deal, const Stage& stage) {
    return deal.probability ? *deal.probability : stage.probability;
}

const std::string* owner_name(const Workspace& workspace, const Id& owner_id) {
    for (const Rep& rep : workspace.reps)
        if (rep.meta.id == owner_id) return &rep.name;
    return nullptr;
}

void draw_column_header(const ColumnSummary& column, const Currency& currency,
                        const UiFonts& fonts, float width) {
    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 end(origin.x + width, origin.y + kHeaderHeight);
    draw->AddRectFilled(origin, end, p.card, 6.0f);
    draw->AddRectFilled(origin, ImVec2(end.x, origin.y + 4), rgba_to_imgui(column.stage->color), 6.0f,
                        ImDrawFlags_RoundCornersTop);

    const float pad = 10.0f;
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + 10));
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted(column.stage->name.c_str());
    ImGui::PopFont();

    const std::string count = std::to_string(column.deals.size());
    const ImVec2 count_size = ImGui::CalcTextSize(count.c_str());
    const ImVec2 badge_min(end.x - pad - count_size.x - 12, origin.y + 10);
    draw->AddRectFilled(badge_min, ImVec2(end.x - pad, badge_min.y + count_size.y + 2), p.column,
                        9.0f);
    draw->AddText(ImVec2(badge_min.x + 6, badge_min.y + 1), p.text_muted, count.c_str());

    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + 36));
    const std::string total = format_money(column.total_value, currency, true);
    const std::string weighted = format_money(column.weighted_value, currency, true);
    ImGui::TextUnformatted(total.c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(p.text_muted), "· %s weighted",
                       weighted.c_str());
    ImGui::SetCursorScreenPos(ImVec2(origin.x, end.y));
}

void draw_card(const Deal& deal, const Workspace& workspace, const UiFonts& fonts, float width,
               UiRects& rects) {
    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 end(origin.x + width, origin.y + kCardHeight);
    ImGui::PushID(deal.meta.id.c_str());
    ImGui::InvisibleButton("card", ImVec2(width, kCardHeight));
    const bool hovered = ImGui::IsItemHovered();
    rects.add_last_item("card:" + deal.meta.id);
    ImGui::PopID();

    draw->AddRectFilled(origin, end, hovered ? p.card_hover : p.card, 6.0f);
    draw->AddRect(origin, end, p.card_border, 6.0f);
    const float pad = 10.0f;
    const float line = ImGui::GetTextLineHeight();
    draw->PushClipRect(origin, ImVec2(end.x - pad, end.y), true);
    draw->AddText(fonts.bold, fonts.bold->FontSize * ImGui::GetIO().FontGlobalScale,
                  ImVec2(origin.x + pad, origin.y + 8), p.text, deal.title.c_str());
    draw->AddText(ImVec2(origin.x + pad, origin.y + 10 + line), p.text_muted,
                  deal.organization.c_str());
    const std::string value = format_money(deal.value, workspace.currency, true);
    draw->AddText(ImVec2(origin.x + pad, origin.y + 14 + 2 * line), p.text, value.c_str());
    if (const std::string* owner = owner_name(workspace, deal.owner_id)) {
        const float owner_width = ImGui::CalcTextSize(owner->c_str()).x;
        draw->AddText(ImVec2(end.x - pad - owner_width, origin.y + 14 + 2 * line), p.text_muted,
                      owner->c_str());
    }
    draw->PopClipRect();
    ImGui::Dummy(ImVec2(0, kCardGap - ImGui::GetStyle().ItemSpacing.y));
}

void draw_column(const ColumnSummary& column, const Workspace& workspace, const UiFonts& fonts,
                 float width, float height, UiRects& rects) {
    const Palette& p = palette();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height),
                                              p.column, 8.0f);
    rects.add("column:" + column.stage->name, origin.x, origin.y, width, height);

    ImGui::BeginGroup();
    draw_column_header(column, workspace.currency, fonts, width);
    rects.add("column-header:" + column.stage->name, origin.x, origin.y, width, kHeaderHeight);

    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + kHeaderHeight + 6));
    const ImVec2 body_size(width, height - kHeaderHeight - 6);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 4));
    ImGui::BeginChild(("cards:" + column.stage->meta.id).c_str(), body_size,
                      ImGuiChildFlags_AlwaysUseWindowPadding);
    const float card_width = ImGui::GetContentRegionAvail().x;
    if (column.deals.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.text_muted));
        ImGui::TextWrapped("No deals in this stage");
        ImGui::PopStyleColor();
    } else {
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(column.deals.size()),
                      kCardHeight + kCardGap);
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
                draw_card(*column.deals[static_cast<size_t>(i)], workspace, fonts, card_width,
                          rects);
    }
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::EndGroup();
}

}  // namespace

std::vector<ColumnSummary> summarize_columns(const Workspace& workspace, const Id& pipeline_id) {
    Id pipeline = pipeline_id;
    if (pipeline.empty()) {
        const Pipeline* first = nullptr;
        for (const Pipeline& candidate : workspace.pipelines)
            if (!candidate.meta.deleted && (!first || candidate.position < first->position))
                first = &candidate;
        if (first) pipeline = first->meta.id;
    }

    std::vector<ColumnSummary> columns;
    for (const Stage& stage : workspace.stages)
        if (!stage.meta.deleted && stage.pipeline_id == pipeline)
            columns.push_back(ColumnSummary{&stage, {}, 0, 0});
    std::sort(columns.begin(), columns.end(), [](const ColumnSummary& a, const ColumnSummary& b) {
        return a.stage->position < b.stage->position;
    });

    std::unordered_map<Id, size_t> column_of_stage;
    for (size_t i = 0; i < columns.size(); ++i) column_of_stage[columns[i].stage->meta.id] = i;
    for (const Deal& deal : workspace.deals) {
        if (deal.meta.deleted || deal.status != DealStatus::Open) continue;
        auto found = column_of_stage.find(deal.stage_id);
        if (found == column_of_stage.end()) continue;
        ColumnSummary& column = columns[found->second];
        column.deals.push_back(&deal);
        column.total_value += deal.value;
        column.weighted_value += apply_percent(deal.value, effective_probability(deal, *column.stage));
    }
    for (ColumnSummary& column : columns)
        std::stable_sort(column.deals.begin(), column.deals.end(),
                         [](const Deal* a, const Deal* b) { return a->position < b->position; });
    return columns;
}

void draw_board(BoardContext& context) {
    const std::vector<ColumnSummary> columns =
        summarize_columns(context.workspace, context.state.pipeline_id);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float count = static_cast<float>(std::max<size_t>(columns.size(), 1));
    const float width =
        std::max(kColumnMinWidth, (avail.x - kColumnGap * (count - 1)) / count);

    ImGui::BeginChild("board", avail, ImGuiChildFlags_None, ImGuiWindowFlags_HorizontalScrollbar);
    const float height = ImGui::GetContentRegionAvail().y;
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) ImGui::SameLine(0, kColumnGap);
        ImGui::PushID(static_cast<int>(i));
        draw_column(columns[i], context.workspace, context.fonts, width, height, context.rects);
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace pb::ui

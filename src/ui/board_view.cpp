// Columns lay out side by side at a comfortable minimum width and scroll horizontally when the
// window is narrower; cards have one fixed height so a ListClipper lays out only the visible
// ones and a drop position maps to a place in the column by arithmetic. Drops are applied after
// the whole board is drawn, so no card is drawn from a half-changed workspace.
#include "ui/board_view.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/commands.hpp"
#include "ui/app.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr char kDealPayload[] = "PB_DEAL";
constexpr float kColumnMinWidth = 168.0f;
constexpr float kColumnGap = 10.0f;
constexpr float kHeaderHeight = 60.0f;
constexpr float kAddButtonHeight = 28.0f;
constexpr float kCardHeight = 92.0f;
constexpr float kCardGap = 8.0f;
constexpr float kCardPitch = kCardHeight + kCardGap;
constexpr float kCardPad = 10.0f;
constexpr float kListPadX = 8.0f;
constexpr float kListPadY = 4.0f;
constexpr float kDropZoneHeight = 68.0f;
constexpr float kAutoScrollEdge = 40.0f;
constexpr float kLongPressSeconds = 0.4f;
constexpr float kTabsHeight = 40.0f;

ImVec4 to_float(std::uint32_t color) { return ImGui::ColorConvertU32ToFloat4(color); }

const Deal* dragged_deal(const WorkspaceIndex& index) {
    const ImGuiPayload* payload = ImGui::GetDragDropPayload();
    if (!payload || !payload->IsDataType(kDealPayload) || payload->DataSize <= 0) return nullptr;
    return index.find_deal(Id(static_cast<const char*>(payload->Data)));
}

std::optional<std::size_t> slot_of(const BoardColumn& column, std::size_t deal_index) {
    const auto found = std::find(column.deals.begin(), column.deals.end(), deal_index);
    if (found == column.deals.end()) return std::nullopt;
    return static_cast<std::size_t>(found - column.deals.begin());
}

// Where a dragged card would land among `count` cards for a pointer at `y`: before the first
// card whose middle is below the pointer.
int drop_slot(float first_card_y, float y, int count) {
    const float after = std::floor((y - first_card_y - kCardHeight / 2) / kCardPitch) + 1;
    return std::clamp(static_cast<int>(after), 0, count);
}

}  // namespace

const BoardModel& BoardView::model(PipeboardApp& app, Timestamp now) {
    const BoardState& state = app.board_state();
    return cache_.get(app.index(), app.workspace_version(), state.pipeline_id, state.filter,
                      state.sort, now);
}

void BoardView::reset() {
    quick_add_ = QuickAdd{};
    geometry_.clear();
    pending_drop_ = PendingDrop{};
    gesture_ = Gesture::None;
    cache_.invalidate();
}

void BoardView::keep_selection_valid(PipeboardApp& app, const BoardModel& model) {
    BoardState& state = app.board_state();
    const int last = static_cast<int>(model.columns.size()) - 1;
    state.selected_column = std::clamp(state.selected_column, 0, std::max(last, 0));
    if (state.selected_deal_id.empty()) return;
    const Deal* deal = app.index().find_deal(state.selected_deal_id);
    const int column = deal ? model.column_of(deal->stage_id) : -1;
    const auto at = app.index().deal_index(state.selected_deal_id);
    if (column < 0 || !at || !slot_of(model.columns[static_cast<std::size_t>(column)], *at)) {
        // Filtered out, deleted or in another pipeline: nothing on screen is selected.
        state.selected_deal_id.clear();
        return;
    }
    state.selected_column = column;
}

void BoardView::draw(PipeboardApp& app, Timestamp now) {
    const BoardModel& board = model(app, now);
    keep_selection_valid(app, board);
    pending_drop_ = PendingDrop{};
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 end(origin.x + avail.x, origin.y + avail.y);

    if (board.columns.empty()) {
        ImGui::Dummy(ImVec2(0, 40));
        ImGui::TextDisabled("This pipeline has no stages yet.");
        if (primary_button("Add stages")) app.stage_editor().open(board.pipeline_id);
        app.frame_rects().add_last_item("button:empty-stages");
        return;
    }

    // The drop zones take the bottom of the board while a card is dragged; columns under them
    // do not take the drop.
    const Deal* dragged = dragged_deal(app.index());
    float zone_right = end.x;
    if (app.editor().is_open() && !app.narrow())
        zone_right -= DealEditor::panel_width(ImGui::GetMainViewport()->WorkSize.x, false);
    zone_min_ = ImVec2(origin.x, end.y - kDropZoneHeight - 10);
    zone_max_ = ImVec2(std::max(origin.x + 200, zone_right), end.y - 6);
    zones_active_ = dragged != nullptr;

    if (app.narrow())
        draw_phone(app, board, now);
    else
        draw_columns(app, board, now);
    app.board_state().scroll_to_selection = false;

    if (dragged) draw_drop_zones(app, *dragged);
    if (board.pipeline_deals == 0 && !quick_add_open() && board.columns.size() > 0) {
        if (app.welcome().is_open())
            app.welcome().draw(app, origin, end, now);
        else
            draw_empty_board(app, origin, end, now);
    }
    apply_drop(app, board, now);
}

void BoardView::draw_columns(PipeboardApp& app, const BoardModel& board, Timestamp now) {
    BoardState& state = app.board_state();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float count = static_cast<float>(board.columns.size());
    const float width = std::max(kColumnMinWidth, (avail.x - kColumnGap * (count - 1)) / count);
    const float content_width = width * count + kColumnGap * (count - 1);
    const bool scrolls = content_width > avail.x + 0.5f;

    ImGui::BeginChild("board", avail, ImGuiChildFlags_None,
                      ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoNavInputs);
    const float height =
        ImGui::GetContentRegionAvail().y - (scrolls ? ImGui::GetStyle().ScrollbarSize + 4 : 0);
    geometry_.assign(board.columns.size(), ColumnGeometry{});
    for (std::size_t i = 0; i < board.columns.size(); ++i) {
        if (i > 0) ImGui::SameLine(0, kColumnGap);
        ImGui::PushID(static_cast<int>(i));
        draw_column(app, board, static_cast<int>(i), ImVec2(width, height), now);
        ImGui::PopID();
    }
    if (state.scroll_to_selection && scrolls) {
        const float left = static_cast<float>(state.selected_column) * (width + kColumnGap);
        const float scroll = ImGui::GetScrollX();
        if (left < scroll)
            ImGui::SetScrollX(left);
        else if (left + width > scroll + avail.x)
            ImGui::SetScrollX(left + width - avail.x);
    }
    if (zones_active_ && scrolls) {
        // Dragging towards a hidden column scrolls the board sideways.
        const float x = ImGui::GetIO().MousePos.x;
        const ImVec2 window_pos = ImGui::GetWindowPos();
        const float step = 14.0f;
        if (x < window_pos.x + kAutoScrollEdge)
            ImGui::SetScrollX(ImGui::GetScrollX() - step);
        else if (x > window_pos.x + avail.x - kAutoScrollEdge)
            ImGui::SetScrollX(ImGui::GetScrollX() + step);
    }
    draw_drop_targets(app, board);
    ImGui::EndChild();
}

void BoardView::draw_phone(PipeboardApp& app, const BoardModel& board, Timestamp now) {
    BoardState& state = app.board_state();
    const Palette& p = palette();
    const ImVec2 avail = ImGui::GetContentRegionAvail();

    ImGui::BeginChild("stage-tabs", ImVec2(avail.x, kTabsHeight), ImGuiChildFlags_None,
                      ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoScrollbar |
                          ImGuiWindowFlags_NoNavInputs);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (std::size_t c = 0; c < board.columns.size(); ++c) {
        const BoardColumn& column = board.columns[c];
        const Stage* stage = app.index().find_stage(column.stage_id);
        if (!stage) continue;
        if (c > 0) ImGui::SameLine(0, 4);
        const bool selected = static_cast<int>(c) == state.selected_column;
        const std::string count = std::to_string(column.deals.size());
        const float name_w =
            text_width(selected ? app.fonts().bold : app.fonts().regular, stage->name);
        const float count_w = text_width(app.fonts().regular, count);
        const ImVec2 size(name_w + count_w + 30, kTabsHeight - 6);
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        ImGui::PushID(static_cast<int>(c));
        if (ImGui::InvisibleButton("tab", size)) {
            state.selected_column = static_cast<int>(c);
            state.selected_deal_id.clear();
        }
        if (selected && state.scroll_to_selection) ImGui::SetScrollHereX(0.5f);
        app.frame_rects().add_last_item("tab:" + stage->name);
        if (ImGui::BeginDragDropTarget()) {
            if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(kDealPayload)) {
                pending_drop_ = {Id(static_cast<const char*>(payload->Data)), stage->meta.id, -1};
            }
            ImGui::EndDragDropTarget();
        }
        const bool hovered = ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
        if (hovered || selected)
            draw->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y),
                                selected ? p.card : with_alpha(p.card, 0.6f), 6.0f);
        const float text_y = pos.y + (size.y - ImGui::GetTextLineHeight()) / 2;
        draw->AddText(selected ? app.fonts().bold : app.fonts().regular,
                      font_px(app.fonts().regular), ImVec2(pos.x + 10, text_y),
                      selected ? p.text : p.text_muted, stage->name.c_str());
        draw->AddText(app.fonts().regular, font_px(app.fonts().regular),
                      ImVec2(pos.x + 18 + name_w, text_y), p.text_muted, count.c_str());
        if (selected)
            draw->AddRectFilled(ImVec2(pos.x + 6, pos.y + size.y - 3),
                                ImVec2(pos.x + size.x - 6, pos.y + size.y),
                                rgba_to_imgui(stage->color), 2.0f);
        ImGui::PopID();
    }
    ImGui::EndChild();

    const ImVec2 rest = ImGui::GetContentRegionAvail();
    geometry_.assign(board.columns.size(), ColumnGeometry{});
    ImGui::BeginChild("board", rest, ImGuiChildFlags_None,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoNavInputs);
    ImGui::PushID(state.selected_column);
    draw_column(app, board, state.selected_column, ImGui::GetContentRegionAvail(), now);
    ImGui::PopID();
    draw_drop_targets(app, board);
    ImGui::EndChild();
}

void BoardView::draw_column(PipeboardApp& app, const BoardModel& board, int index, ImVec2 size,
                            Timestamp now) {
    const BoardColumn& column = board.columns[static_cast<std::size_t>(index)];
    const Stage* stage = app.index().find_stage(column.stage_id);
    if (!stage) return;
    const Palette& p = palette();
    BoardState& state = app.board_state();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), p.column, 8.0f);
    app.frame_rects().add("column:" + stage->name, origin.x, origin.y, size.x, size.y);
    ColumnGeometry& geometry = geometry_[static_cast<std::size_t>(index)];
    geometry.min = origin;
    geometry.max = ImVec2(origin.x + size.x, origin.y + size.y);

    ImGui::BeginGroup();
    draw_column_header(app, column, *stage, size.x, now);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + kHeaderHeight + 4));
    if (quick_add_.stage_id == stage->meta.id) {
        draw_quick_add(app, *stage, size.x, now);
    } else {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + kListPadX, ImGui::GetCursorScreenPos().y));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.text_muted));
        ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
        if (ImGui::Button("+  Add deal", ImVec2(size.x - kListPadX * 2, kAddButtonHeight)))
            start_quick_add(app, stage->meta.id);
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(2);
        app.frame_rects().add_last_item("button:add-deal:" + stage->name);
    }

    const float body_top = ImGui::GetCursorScreenPos().y + 2;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, body_top));
    const ImVec2 body_size(size.x, std::max(10.0f, origin.y + size.y - body_top - 4));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(kListPadX, kListPadY));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, kCardGap));
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 8.0f);
    ImGui::BeginChild("cards", body_size, ImGuiChildFlags_AlwaysUseWindowPadding,
                      ImGuiWindowFlags_NoNavInputs);
    geometry.first_card_y = ImGui::GetCursorScreenPos().y;
    geometry.list_top = ImGui::GetWindowPos().y;
    geometry.list_bottom = geometry.list_top + ImGui::GetWindowHeight();
    geometry.cards_window = ImGui::GetCurrentWindow()->ID;
    const float card_width = ImGui::GetContentRegionAvail().x;
    const int count = static_cast<int>(column.deals.size());

    if (state.scroll_to_selection && index == state.selected_column &&
        !state.selected_deal_id.empty()) {
        if (const auto at = app.index().deal_index(state.selected_deal_id))
            if (const auto slot = slot_of(column, *at)) {
                const float top = static_cast<float>(*slot) * kCardPitch;
                const float visible = ImGui::GetWindowHeight() - kListPadY * 2;
                const float scroll = ImGui::GetScrollY();
                if (top < scroll)
                    ImGui::SetScrollY(top);
                else if (top + kCardHeight > scroll + visible)
                    ImGui::SetScrollY(top + kCardHeight - visible);
            }
    }
    if (zones_active_) {
        // Dragging near the top or bottom edge of a column scrolls it.
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        if (mouse.x >= geometry.min.x && mouse.x < geometry.max.x && mouse.y < zone_min_.y) {
            if (mouse.y < geometry.list_top + kAutoScrollEdge && mouse.y >= geometry.list_top - 20)
                ImGui::SetScrollY(ImGui::GetScrollY() - 12);
            else if (mouse.y > geometry.list_bottom - kAutoScrollEdge &&
                     mouse.y <= geometry.list_bottom + 20)
                ImGui::SetScrollY(ImGui::GetScrollY() + 12);
        }
    }

    if (count == 0 && board.pipeline_deals > 0) {
        ImGui::Dummy(ImVec2(0, 12));
        ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.text_muted));
        ImGui::PushTextWrapPos(card_width);
        if (board.hidden_by_filters > 0)
            ImGui::TextUnformatted("No deals here match the filters.");
        else
            ImGui::TextUnformatted("No deals in this stage yet. Drag one here or add one.");
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    } else if (count > 0) {
        const std::vector<Deal>& deals = app.workspace().deals;
        ImGuiListClipper clipper;
        clipper.Begin(count, kCardPitch);
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
                draw_card(app, deals[column.deals[static_cast<std::size_t>(i)]], *stage, index,
                          card_width, now);
    }
    ImGui::EndChild();
    ImGui::PopStyleVar(3);
    ImGui::EndGroup();
}

void BoardView::draw_column_header(PipeboardApp& app, const BoardColumn& column, const Stage& stage,
                                   float width, Timestamp now) {
    const Palette& p = palette();
    const UiFonts& fonts = app.fonts();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 end(origin.x + width, origin.y + kHeaderHeight);
    ImGui::InvisibleButton("header", ImVec2(width, kHeaderHeight));
    const bool hovered = ImGui::IsItemHovered();
    app.frame_rects().add_last_item("column-header:" + stage.name);

    draw->AddRectFilled(origin, end, p.card, 8.0f);
    draw->AddRectFilled(origin, ImVec2(end.x, origin.y + 4), rgba_to_imgui(stage.color), 8.0f,
                        ImDrawFlags_RoundCornersTop);
    const float pad = kCardPad + 2;
    const std::string count = std::to_string(column.deals.size());
    const float count_w = text_width(fonts.regular, count);
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 badge_min(end.x - pad - count_w - 14, origin.y + 11);
    const ImVec2 badge_max(end.x - pad, badge_min.y + line + 2);
    draw->AddRectFilled(badge_min, badge_max, p.column, 10.0f);
    draw->AddText(fonts.regular, font_px(fonts.regular), ImVec2(badge_min.x + 7, badge_min.y + 1),
                  p.text_muted, count.c_str());
    float name_right = badge_min.x - 6;
    if (column.rotting > 0) {
        const std::string rotting = "\xE2\x9A\xA0 " + std::to_string(column.rotting);
        const float w = text_width(fonts.regular, rotting);
        draw->AddText(fonts.regular, font_px(fonts.regular),
                      ImVec2(badge_min.x - 8 - w, badge_min.y + 1), p.danger, rotting.c_str());
        name_right -= w + 8;
    }
    draw_text(draw, fonts.bold, ImVec2(origin.x + pad, origin.y + 12), p.text, stage.name,
              name_right - origin.x - pad);

    // Total and weighted value: exact when they fit, else rounded ("$1.2M"); the tooltip
    // always has the exact figures.
    const Currency& currency = app.workspace().currency;
    const float row_y = origin.y + 12 + line + 6;
    const float room = width - pad * 2;
    std::string total = app.presentation().money(column.total_value, currency, true);
    std::string weighted =
        "\xC2\xB7 " + app.presentation().money(column.weighted_value, currency, true) + " weighted";
    const float gap = 6.0f;
    if (text_width(fonts.bold, total) + gap + text_width(fonts.regular, weighted) > room) {
        total = app.presentation().money_short(column.total_value, currency);
        weighted = "\xC2\xB7 " + app.presentation().money_short(column.weighted_value, currency) +
                   " weighted";
    }
    draw->AddText(fonts.bold, font_px(fonts.bold), ImVec2(origin.x + pad, row_y), p.text,
                  total.c_str());
    const float total_w = text_width(fonts.bold, total);
    draw_text(draw, fonts.regular, ImVec2(origin.x + pad + total_w + gap, row_y), p.text_muted,
              weighted, room - total_w - gap);
    if (hovered) {
        ImGui::BeginTooltip();
        ImGui::PushFont(fonts.bold);
        ImGui::TextUnformatted(stage.name.c_str());
        ImGui::PopFont();
        ImGui::Text("%s deals \xC2\xB7 %s total", count.c_str(),
                    app.presentation().money(column.total_value, currency, false).c_str());
        ImGui::Text("%s weighted (stage default %d%%)",
                    app.presentation().money(column.weighted_value, currency, false).c_str(),
                    stage.probability);
        if (stage.rotting_days > 0)
            ImGui::Text("Deals idle over %d days are marked rotting (%d now)", stage.rotting_days,
                        column.rotting);
        ImGui::EndTooltip();
    }
    (void)now;
}

void BoardView::start_quick_add(PipeboardApp& app, const Id& stage_id) {
    Id stage = stage_id;
    if (stage.empty()) {
        const Id pipeline = resolve_pipeline(app.index(), app.board_state().pipeline_id);
        const auto stages = app.index().stages_of(pipeline);
        if (stages.empty()) return;
        const int column =
            std::clamp(app.board_state().selected_column, 0, static_cast<int>(stages.size()) - 1);
        stage = stages[static_cast<std::size_t>(column)].meta.id;
    }
    quick_add_ = QuickAdd{};
    quick_add_.stage_id = stage;
    quick_add_.focus = true;
    if (app.narrow()) {
        app.editor().close();
        app.activities().close();
    }
    const Stage* found = app.index().find_stage(stage);
    if (found) {
        const auto stages = app.index().stages_of(found->pipeline_id);
        for (std::size_t i = 0; i < stages.size(); ++i)
            if (stages[i].meta.id == stage) app.board_state().selected_column = static_cast<int>(i);
    }
}

void BoardView::draw_quick_add(PipeboardApp& app, const Stage& stage, float width, Timestamp now) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float rows = quick_add_.error.empty() ? 4.0f : 5.2f;
    const float height = ImGui::GetFrameHeight() * rows + style.ItemSpacing.y * (rows - 1) + 20;
    ImGui::SetCursorScreenPos(
        ImVec2(ImGui::GetCursorScreenPos().x + kListPadX, ImGui::GetCursorScreenPos().y));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, to_float(palette().card));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 8));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 6.0f);
    ImGui::BeginChild("quick-add", ImVec2(width - kListPadX * 2, height),
                      ImGuiChildFlags_AlwaysUseWindowPadding);
    UiRects& rects = app.frame_rects();
    bool submit = false;
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    if (quick_add_.focus) {
        focus_next_widget();
        quick_add_.focus = false;
    }
    ImGui::SetNextItemWidth(-FLT_MIN);
    submit |= ImGui::InputTextWithHint("##title", "Deal title", &quick_add_.title, enter);
    rects.add_last_item("field:quick-add-title");
    ImGui::SetNextItemWidth(-FLT_MIN);
    submit |=
        ImGui::InputTextWithHint("##organization", "Organization", &quick_add_.organization, enter);
    rects.add_last_item("field:quick-add-organization");
    ImGui::SetNextItemWidth(-FLT_MIN);
    const std::string value_hint = "Value (" + app.workspace().currency.code + ")";
    submit |= ImGui::InputTextWithHint("##value", value_hint.c_str(), &quick_add_.value, enter);
    rects.add_last_item("field:quick-add-value");
    field_error(quick_add_.error);
    if (!quick_add_.error.empty()) rects.add_last_item("error:quick-add");
    if (primary_button("Add deal")) submit = true;
    rects.add_last_item("button:quick-add-save");
    ImGui::SameLine();
    bool cancel = ImGui::Button("Cancel");
    rects.add_last_item("button:quick-add-cancel");
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows) &&
        ImGui::IsKeyPressed(ImGuiKey_Escape, false))
        cancel = true;
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();

    if (cancel) {
        cancel_quick_add();
        return;
    }
    if (!submit) return;
    Deal deal;
    deal.title = quick_add_.title;
    deal.organization = quick_add_.organization;
    deal.stage_id = stage.meta.id;
    deal.pipeline_id = stage.pipeline_id;
    if (!quick_add_.value.empty()) {
        const auto value = parse_money(quick_add_.value, app.workspace().currency);
        if (!value) {
            quick_add_.error = "Value: not an amount (e.g. 12,500)";
            quick_add_.focus = false;
            return;
        }
        deal.value = *value;
    }
    const CommandResult result = app.apply(cmd::CreateDeal{deal}, now, true);
    if (!result.ok) {
        quick_add_.error = result.error;
        return;
    }
    cancel_quick_add();
    app.board_state().selected_deal_id = result.created_id;
    app.board_state().scroll_to_selection = true;
}

void BoardView::draw_card(PipeboardApp& app, const Deal& deal, const Stage& stage, int column,
                          float width, Timestamp now) {
    const Palette& p = palette();
    const UiFonts& fonts = app.fonts();
    const WorkspaceIndex& index = app.index();
    BoardState& state = app.board_state();
    const ImGuiIO& io = ImGui::GetIO();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 end(origin.x + width, origin.y + kCardHeight);

    ImGui::PushID(deal.meta.id.c_str());
    const bool clicked = ImGui::InvisibleButton("card", ImVec2(width, kCardHeight));
    const ImGuiID card_id = ImGui::GetItemID();
    const bool hovered = ImGui::IsItemHovered();
    app.frame_rects().add_last_item("card:" + deal.meta.id);

    // On a touch screen a finger drag scrolls the column; a long press picks the card up.
    if (ImGui::IsItemActivated()) {
        gesture_ = Gesture::None;
        gesture_card_ = card_id;
    }
    if (app.narrow() && ImGui::IsItemActive() && gesture_card_ == card_id) {
        const ImVec2 moved = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0.0f);
        const float distance = std::sqrt(moved.x * moved.x + moved.y * moved.y);
        if (gesture_ == Gesture::None) {
            if (distance > io.MouseDragThreshold)
                gesture_ = Gesture::Scroll;
            else if (io.MouseDownDuration[0] >= kLongPressSeconds)
                gesture_ = Gesture::LongPress;
        }
        if (gesture_ == Gesture::Scroll) ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    }
    const bool may_drag =
        !app.narrow() || (gesture_ == Gesture::LongPress && gesture_card_ == card_id);
    if (may_drag && ImGui::BeginDragDropSource(ImGuiDragDropFlags_None)) {
        ImGui::SetDragDropPayload(kDealPayload, deal.meta.id.c_str(), deal.meta.id.size() + 1);
        ImGui::PushFont(fonts.bold);
        ImGui::TextUnformatted(fit_text(fonts.bold, deal.title, 260).c_str());
        ImGui::PopFont();
        ImGui::TextDisabled(
            "%s", app.presentation().money(deal.value, app.workspace().currency, true).c_str());
        ImGui::EndDragDropSource();
    }
    const bool being_dragged =
        ImGui::GetDragDropPayload() && ImGui::GetDragDropPayload()->IsDataType(kDealPayload) &&
        deal.meta.id == static_cast<const char*>(ImGui::GetDragDropPayload()->Data);
    if (clicked && !(app.narrow() && gesture_ == Gesture::Scroll)) {
        state.selected_deal_id = deal.meta.id;
        state.selected_column = column;
        app.open_deal(deal.meta.id);
    }

    const bool selected = state.selected_deal_id == deal.meta.id;
    if (selected) app.frame_rects().add_last_item("selected:" + deal.meta.id);
    const bool rotting = index.is_rotting(deal, now);
    const bool armed = app.narrow() && gesture_ == Gesture::LongPress && gesture_card_ == card_id &&
                       ImGui::IsItemActive();
    std::uint32_t background = hovered ? p.card_hover : p.card;
    if (rotting) background = mix(background, p.rotting, 0.85f);
    if (being_dragged) {
        // The card stays as a dashed placeholder where it was until it lands.
        draw->AddRect(origin, end, p.card_border, 6.0f, 0, 1.5f);
        draw_text(draw, fonts.regular, ImVec2(origin.x + kCardPad, origin.y + 8), p.text_muted,
                  deal.title, width - kCardPad * 2);
        ImGui::PopID();
        return;
    }
    draw->AddRectFilled(ImVec2(origin.x, origin.y + 1), ImVec2(end.x, end.y + 1), p.shadow, 6.0f);
    draw->AddRectFilled(origin, end, background, 6.0f);
    if (selected || armed)
        draw->AddRect(origin, end, p.accent, 6.0f, 0, 2.0f);
    else
        draw->AddRect(origin, end, p.card_border, 6.0f);
    if (rotting)
        draw->AddRectFilled(origin, ImVec2(origin.x + 4, end.y), p.danger, 6.0f,
                            ImDrawFlags_RoundCornersLeft);

    const float line = ImGui::GetTextLineHeight();
    const float x = origin.x + kCardPad + (rotting ? 2 : 0);
    const float inner = end.x - kCardPad - x;
    float y = origin.y + 8;

    // Title, with the status when the deal is not open.
    float title_room = inner;
    if (deal.status != DealStatus::Open) {
        const char* status = deal.status == DealStatus::Won    ? "Won"
                             : deal.status == DealStatus::Lost ? "Lost"
                                                               : "Nurture";
        const std::uint32_t color = deal.status == DealStatus::Won    ? p.success
                                    : deal.status == DealStatus::Lost ? p.danger
                                                                      : p.warning;
        const float chip_w = text_width(fonts.regular, status) * 0.85f + 12;
        draw_chip(draw, fonts.regular, ImVec2(end.x - kCardPad - chip_w, y), status,
                  with_alpha(color, 0.16f), color);
        title_room -= chip_w + 6;
    }
    draw_text(draw, fonts.bold, ImVec2(x, y), p.text, deal.title, title_room);
    y += line + 2;
    draw_text(draw, fonts.regular, ImVec2(x, y), p.text_muted,
              deal.organization.empty() ? std::string("No organization") : deal.organization,
              inner);
    y += line + 2;

    // Value and first label on the left; days in the stage and the owner's initials on the
    // right, so the line below has the full width for what happens next.
    const std::string value = app.presentation().money(deal.value, app.workspace().currency, true);
    draw->AddText(fonts.bold, font_px(fonts.bold), ImVec2(x, y), p.text, value.c_str());
    const Rep* owner = deal.owner_id.empty() ? nullptr : index.find_rep(deal.owner_id);
    const float avatar_r = line * 0.56f;
    float right = end.x - kCardPad;
    if (owner) {
        draw_avatar(draw, fonts.bold, ImVec2(right - avatar_r, y + line / 2), avatar_r,
                    owner->name);
        right -= avatar_r * 2 + 6;
    }
    const int days = index.days_in_stage(deal, now);
    std::string age = std::to_string(days) + "d";
    if (rotting) age = "\xE2\x9A\xA0 " + age;
    const float age_w = text_width(fonts.regular, age);
    draw->AddText(fonts.regular, font_px(fonts.regular), ImVec2(right - age_w, y),
                  rotting ? p.danger : p.text_muted, age.c_str());
    right -= age_w + 8;
    if (!deal.labels.empty()) {
        const float label_x = x + text_width(fonts.bold, value) + 8;
        const float room = right - label_x;
        const std::string label = fit_text(fonts.regular, deal.labels.front(), room / 0.85f - 16);
        if (!label.empty() && room > 34)
            draw_chip(draw, fonts.regular, ImVec2(label_x, y + 1), label,
                      with_alpha(p.accent, 0.13f), p.accent);
    }
    y += line + 3;

    // What happens next.
    std::string next_text;
    std::uint32_t next_color = p.text_muted;
    const Day today = day_of(now);
    if (deal.status == DealStatus::Won) {
        if (deal.contract_end) {
            next_text = "Renews " + short_date(*deal.contract_end, today);
            if (*deal.contract_end - today <= 60) next_color = p.warning;
        } else {
            next_text = "Customer";
            next_color = p.success;
        }
    } else if (deal.status == DealStatus::Lost) {
        next_text = "Lost: " + deal.lost_reason;
    } else if (deal.status == DealStatus::Nurture) {
        next_text = deal.revisit_on ? "Revisit " + short_date(*deal.revisit_on, today)
                                    : std::string("Nurture");
    } else if (const Activity* next = index.next_activity(deal.meta.id)) {
        next_text = std::string(activity_type_label(next->type)) + " \xC2\xB7 " +
                    due_text(*next, now, true);
        if (is_overdue(*next, now))
            next_color = p.danger;
        else if (day_of(next->due) == today)
            next_color = p.text;
    } else {
        next_text = "\xE2\x9A\xA0 No activity planned";
        next_color = p.warning;
    }
    draw_text(draw, fonts.regular, ImVec2(x, y), next_color, next_text, inner);

    if (hovered && !ImGui::GetDragDropPayload() &&
        ImGui::IsItemHovered(ImGuiHoveredFlags_DelayNormal | ImGuiHoveredFlags_NoSharedDelay)) {
        ImGui::BeginTooltip();
        ImGui::PushFont(fonts.bold);
        ImGui::TextUnformatted(deal.title.c_str());
        ImGui::PopFont();
        if (!deal.organization.empty()) ImGui::TextDisabled("%s", deal.organization.c_str());
        ImGui::Text("%s \xC2\xB7 %d%%",
                    app.presentation().money(deal.value, app.workspace().currency, false).c_str(),
                    index.stage_probability(deal));
        if (owner) ImGui::Text("Owner: %s", owner->name.c_str());
        if (deal.expected_close)
            ImGui::Text("Expected close: %s", short_date(*deal.expected_close, today).c_str());
        ImGui::Text("%s in %s%s", day_count_text(days).c_str(), stage.name.c_str(),
                    rotting ? " (rotting)" : "");
        ImGui::EndTooltip();
    }
    ImGui::PopID();
}

void BoardView::draw_drop_targets(PipeboardApp& app, const BoardModel& board) {
    const Deal* dragged = dragged_deal(app.index());
    if (!dragged) return;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (mouse.x >= zone_min_.x && mouse.x < zone_max_.x && mouse.y >= zone_min_.y &&
        mouse.y < zone_max_.y)
        return;
    const Palette& p = palette();
    const BoardState& state = app.board_state();
    for (std::size_t c = 0; c < board.columns.size(); ++c) {
        const ColumnGeometry& geometry = geometry_[c];
        if (geometry.max.x <= geometry.min.x) continue;
        const ImRect rect(geometry.min, geometry.max);
        const ImGuiID id = ImGui::GetCurrentWindow()->GetID(static_cast<int>(c) + 1000);
        if (!ImGui::BeginDragDropTargetCustom(rect, id)) continue;
        const ImGuiDragDropFlags flags =
            ImGuiDragDropFlags_AcceptBeforeDelivery | ImGuiDragDropFlags_AcceptNoDrawDefaultRect;
        if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(kDealPayload, flags)) {
            const BoardColumn& column = board.columns[c];
            const int count = static_cast<int>(column.deals.size());
            const int slot = drop_slot(geometry.first_card_y, mouse.y, count);
            const bool same_column = dragged->stage_id == column.stage_id;
            ImDrawList* overlay = ImGui::GetForegroundDrawList();
            overlay->AddRect(ImVec2(rect.Min.x - 1, rect.Min.y - 1),
                             ImVec2(rect.Max.x + 1, rect.Max.y + 1), p.accent, 9.0f, 0, 2.5f);
            if (state.sort == ColumnSort::Manual || !same_column) {
                const float line_y =
                    state.sort == ColumnSort::Manual
                        ? std::clamp(geometry.first_card_y + static_cast<float>(slot) * kCardPitch -
                                         kCardGap / 2,
                                     geometry.list_top + 2, geometry.list_bottom - 2)
                        : geometry.list_top + 2;
                overlay->AddLine(ImVec2(rect.Min.x + 6, line_y), ImVec2(rect.Max.x - 6, line_y),
                                 p.accent, 3.0f);
                overlay->AddCircleFilled(ImVec2(rect.Min.x + 6, line_y), 4.0f, p.accent);
            }
            if (payload->IsDelivery())
                pending_drop_ = {dragged->meta.id, column.stage_id,
                                 state.sort == ColumnSort::Manual ? slot : -1};
        }
        ImGui::EndDragDropTarget();
    }
}

void BoardView::draw_drop_zones(PipeboardApp& app, const Deal& dragged) {
    const Palette& p = palette();
    struct Zone {
        const char* name;
        const char* title;
        const char* hint;
        std::uint32_t color;
    };
    const Zone zones[] = {
        {"won", "Won", "confirm value and close date", p.success},
        {"lost", "Lost", "asks for the reason", p.danger},
        {"nurture", "Not ready", "park it with a revisit date", p.warning},
    };
    const float gap = 10.0f;
    const float width = (zone_max_.x - zone_min_.x - gap * 2 - 16) / 3;
    ImRect rects[3];
    int hovered = -1;
    for (int i = 0; i < 3; ++i) {
        const float left = zone_min_.x + 8 + static_cast<float>(i) * (width + gap);
        rects[i] = ImRect(ImVec2(left, zone_min_.y), ImVec2(left + width, zone_max_.y));
        app.frame_rects().add(std::string("dropzone:") + zones[i].name, rects[i].Min.x,
                              rects[i].Min.y, rects[i].GetWidth(), rects[i].GetHeight());
        const bool allowed = !(i == 0 && dragged.status == DealStatus::Won) &&
                             !(i == 1 && dragged.status == DealStatus::Lost) &&
                             !(i == 2 && dragged.status != DealStatus::Open);
        if (!allowed) continue;
        if (!ImGui::BeginDragDropTargetCustom(rects[i], ImGui::GetID(zones[i].name))) continue;
        const ImGuiDragDropFlags flags =
            ImGuiDragDropFlags_AcceptBeforeDelivery | ImGuiDragDropFlags_AcceptNoDrawDefaultRect;
        if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(kDealPayload, flags)) {
            hovered = i;
            if (payload->IsDelivery()) {
                if (i == 0) app.dialogs().ask_win(dragged.meta.id);
                if (i == 1) app.dialogs().ask_lose(dragged.meta.id);
                if (i == 2) app.dialogs().ask_nurture(dragged.meta.id);
            }
        }
        ImGui::EndDragDropTarget();
    }

    // Drawn in a window of their own so they sit above the columns' card lists.
    ImGui::SetNextWindowPos(zone_min_);
    ImGui::SetNextWindowSize(ImVec2(zone_max_.x - zone_min_.x, zone_max_.y - zone_min_.y));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav |
                                   ImGuiWindowFlags_NoFocusOnAppearing |
                                   ImGuiWindowFlags_NoBackground;
    ImGui::Begin("##dropzones", nullptr, flags);
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const UiFonts& fonts = app.fonts();
    for (int i = 0; i < 3; ++i) {
        const Zone& zone = zones[i];
        const bool allowed = !(i == 0 && dragged.status == DealStatus::Won) &&
                             !(i == 1 && dragged.status == DealStatus::Lost) &&
                             !(i == 2 && dragged.status != DealStatus::Open);
        const float fill = !allowed ? 0.05f : hovered == i ? 0.9f : 0.16f;
        draw->AddRectFilled(rects[i].Min, rects[i].Max,
                            hovered == i ? zone.color : mix(p.card, zone.color, fill), 10.0f);
        draw->AddRect(rects[i].Min, rects[i].Max, with_alpha(zone.color, allowed ? 1.0f : 0.3f),
                      10.0f, 0, 2.0f);
        const std::uint32_t text =
            hovered == i ? p.on_accent : (allowed ? zone.color : p.text_muted);
        const float title_w = text_width(fonts.large, zone.title);
        const float center_x = (rects[i].Min.x + rects[i].Max.x) / 2;
        const float line = font_px(fonts.large);
        const bool room_for_hint = rects[i].GetWidth() > 150;
        const float top =
            rects[i].Min.y + (rects[i].GetHeight() - line - (room_for_hint ? 18 : 0)) / 2;
        draw->AddText(fonts.large, font_px(fonts.large), ImVec2(center_x - title_w / 2, top), text,
                      zone.title);
        if (room_for_hint) {
            const std::string hint = fit_text(fonts.regular, zone.hint, rects[i].GetWidth() - 16);
            const float hint_w = text_width(fonts.regular, hint);
            draw->AddText(fonts.regular, font_px(fonts.regular) * 0.9f,
                          ImVec2(center_x - hint_w * 0.45f, top + line + 2),
                          with_alpha(text, 0.85f), hint.c_str());
        }
    }
    ImGui::End();
}

void BoardView::draw_empty_board(PipeboardApp& app, ImVec2 min, ImVec2 max, Timestamp now) {
    const Palette& p = palette();
    const float width = std::min(500.0f, max.x - min.x - 24);
    const ImVec2 pos((min.x + max.x - width) / 2, min.y + std::max(110.0f, (max.y - min.y) * 0.3f));
    ImGui::SetCursorScreenPos(pos);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, to_float(p.card));
    ImGui::PushStyleColor(ImGuiCol_Border, to_float(p.card_border));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 10.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(22, 20));
    ImGui::BeginChild("welcome", ImVec2(width, 0),
                      ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted("No deals yet");
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(to_float(p.text_muted),
                       "Add your first deal to a stage, import the deals you already have from a "
                       "CSV file, or explore a sample pipeline of 300 deals to see how the board "
                       "works.");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, 6));
    if (primary_button("Add a deal")) start_quick_add(app, {});
    app.frame_rects().add_last_item("button:empty-add");
    ImGui::SameLine();
    if (ImGui::Button("Import a CSV")) app.request_csv_import();
    app.frame_rects().add_last_item("button:empty-import");
    if (width > 420) ImGui::SameLine();
    if (ImGui::Button("Open the sample pipeline")) app.open_sample_pipeline(now);
    app.frame_rects().add_last_item("button:empty-sample");
    if (!app.hint_dismissed("board-tips")) {
        ImGui::Dummy(ImVec2(0, 4));
        ImGui::Separator();
        ImGui::PushTextWrapPos(0.0f);
        for (const char* tip :
             {"Each column is a stage: drag a card to another column to move the deal.",
              "Press N to add a deal, and ? to see every keyboard shortcut.",
              "Stages (top bar) renames, reorders and recolours the columns."}) {
            ImGui::Bullet();
            ImGui::TextUnformatted(tip);
        }
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton("Hide these tips")) app.dismiss_hint("board-tips");
        app.frame_rects().add_last_item("button:hide-tips");
    }
    ImGui::EndChild();
    ImGui::PopStyleVar(3);
    ImGui::PopStyleColor(2);
}

void BoardView::apply_drop(PipeboardApp& app, const BoardModel& board, Timestamp now) {
    const PendingDrop drop = pending_drop_;
    pending_drop_ = PendingDrop{};
    if (drop.deal_id.empty()) return;
    const WorkspaceIndex& index = app.index();
    const Deal* deal = index.find_deal(drop.deal_id);
    const int c = board.column_of(drop.stage_id);
    if (!deal || c < 0) return;
    BoardState& state = app.board_state();
    const BoardColumn& column = board.columns[static_cast<std::size_t>(c)];
    const auto at = index.deal_index(drop.deal_id);
    const bool same_column = deal->stage_id == drop.stage_id;
    state.selected_deal_id = drop.deal_id;
    state.selected_column = c;

    Id before;
    if (drop.slot >= 0 && drop.slot < static_cast<int>(column.deals.size()))
        before = index.workspace().deals[column.deals[static_cast<std::size_t>(drop.slot)]].meta.id;
    if (same_column) {
        if (state.sort != ColumnSort::Manual) {
            app.notify(std::string("The column is sorted by ") + column_sort_label(state.sort) +
                       ": choose Manual order to arrange cards by hand");
            return;
        }
        const auto from = at ? slot_of(column, *at) : std::nullopt;
        if (!from) return;
        const int slot = drop.slot < 0 ? static_cast<int>(column.deals.size()) : drop.slot;
        // Dropped where it already was.
        if (slot == static_cast<int>(*from) || slot == static_cast<int>(*from) + 1) return;
        app.apply(cmd::ReorderDeal{drop.deal_id, before}, now);
        return;
    }
    app.apply(cmd::MoveDeal{drop.deal_id, drop.stage_id, before}, now, true);
    state.scroll_to_selection = true;
}

void BoardView::move_selection(PipeboardApp& app, int columns, int rows, Timestamp now) {
    const BoardModel& board = model(app, now);
    BoardState& state = app.board_state();
    if (board.columns.empty()) return;
    const int column_count = static_cast<int>(board.columns.size());
    const std::vector<Deal>& deals = app.workspace().deals;
    int column = std::clamp(state.selected_column, 0, column_count - 1);
    int row = 0;
    std::optional<std::size_t> slot;
    if (const auto at = app.index().deal_index(state.selected_deal_id))
        slot = slot_of(board.columns[static_cast<std::size_t>(column)], *at);

    if (!slot) {
        // Nothing selected yet: start at the top of the current column, or the first that has
        // deals.
        for (int step = 0; step < column_count; ++step) {
            const int c = (column + step) % column_count;
            if (!board.columns[static_cast<std::size_t>(c)].deals.empty()) {
                column = c;
                break;
            }
        }
    } else if (columns != 0) {
        row = static_cast<int>(*slot);
        int c = column + columns;
        while (c >= 0 && c < column_count &&
               board.columns[static_cast<std::size_t>(c)].deals.empty())
            c += columns;
        if (c < 0 || c >= column_count) return;
        column = c;
    } else {
        row = static_cast<int>(*slot) + rows;
    }
    const BoardColumn& target = board.columns[static_cast<std::size_t>(column)];
    state.selected_column = column;
    if (target.deals.empty()) return;
    row = std::clamp(row, 0, static_cast<int>(target.deals.size()) - 1);
    state.selected_deal_id = deals[target.deals[static_cast<std::size_t>(row)]].meta.id;
    state.scroll_to_selection = true;
    if (app.editor().is_open()) app.editor().open(state.selected_deal_id);
}

void BoardView::move_selected_deal(PipeboardApp& app, int direction, Timestamp now) {
    BoardState& state = app.board_state();
    const Deal* deal = app.index().find_deal(state.selected_deal_id);
    if (!deal) return;
    const BoardModel& board = model(app, now);
    const int column = board.column_of(deal->stage_id);
    const int target = column + direction;
    if (column < 0 || target < 0 || target >= static_cast<int>(board.columns.size())) return;
    const Id stage = board.columns[static_cast<std::size_t>(target)].stage_id;
    const CommandResult result =
        app.apply(cmd::MoveDeal{state.selected_deal_id, stage, {}}, now, true);
    if (!result.ok) return;
    state.selected_column = target;
    state.scroll_to_selection = true;
}

}  // namespace pb::ui

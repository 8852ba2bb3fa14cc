// The pipeline board: one column per stage of the current pipeline with its totals and deal
// cards, drag and drop between and within columns, the Won / Lost / Not ready drop zones,
// quick add, keyboard selection, and on a phone one stage at a time behind stage tabs.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "core/workspace.hpp"
#include "ui/board_model.hpp"

namespace pb::ui {

class PipeboardApp;

// What the user chose to look at; kept across frames and workspace changes.
struct BoardState {
    Id pipeline_id;  // empty: the first pipeline
    BoardFilter filter;
    ColumnSort sort = ColumnSort::Manual;
    Id selected_deal_id;
    int selected_column = 0;  // the keyboard's column, and the stage a phone shows
    bool scroll_to_selection = false;
};

class BoardView {
public:
    // Draws the board into the rest of the current window.
    void draw(PipeboardApp& app, Timestamp now);
    // The board as last built (rebuilt only when an input changed).
    const BoardModel& model(PipeboardApp& app, Timestamp now);
    std::uint64_t model_builds() const { return cache_.builds(); }

    // Opens the quick-add form at the top of a stage's column (the selected one when empty).
    void start_quick_add(PipeboardApp& app, const Id& stage_id);
    void cancel_quick_add() { quick_add_.stage_id.clear(); }
    bool quick_add_open() const { return !quick_add_.stage_id.empty(); }

    // Keyboard: moves the selection by whole cards or columns.
    void move_selection(PipeboardApp& app, int columns, int rows, Timestamp now);
    // Moves the selected deal to the neighbouring stage (+1 next, -1 previous).
    void move_selected_deal(PipeboardApp& app, int direction, Timestamp now);
    // Forgets selection and forms that belong to another workspace.
    void reset();

private:
    struct QuickAdd {
        Id stage_id;
        std::string title;
        std::string organization;
        std::string value;
        std::string error;
        bool focus = false;
    };
    // Where a column was drawn this frame, to turn a drop position into a place in its list.
    struct ColumnGeometry {
        ImVec2 min, max;         // the whole column
        float first_card_y = 0;  // screen y of the first card's top (scrolled)
        float list_top = 0;      // visible part of the card list
        float list_bottom = 0;
        ImGuiID cards_window = 0;
    };
    struct PendingDrop {
        Id deal_id;
        Id stage_id;
        int slot = -1;  // place among the column's shown cards; -1 = end
    };
    enum class Gesture { None, Scroll, LongPress };

    void draw_columns(PipeboardApp& app, const BoardModel& model, Timestamp now);
    void draw_phone(PipeboardApp& app, const BoardModel& model, Timestamp now);
    void draw_column(PipeboardApp& app, const BoardModel& model, int column, ImVec2 size,
                     Timestamp now);
    void draw_column_header(PipeboardApp& app, const BoardColumn& column, const Stage& stage,
                            float width, Timestamp now);
    void draw_quick_add(PipeboardApp& app, const Stage& stage, float width, Timestamp now);
    void draw_card(PipeboardApp& app, const Deal& deal, const Stage& stage, int column, float width,
                   Timestamp now);
    void draw_drop_targets(PipeboardApp& app, const BoardModel& model);
    void draw_drop_zones(PipeboardApp& app, const Deal& dragged);
    void draw_empty_board(PipeboardApp& app, ImVec2 min, ImVec2 max, Timestamp now);
    void apply_drop(PipeboardApp& app, const BoardModel& model, Timestamp now);
    void keep_selection_valid(PipeboardApp& app, const BoardModel& model);

    BoardCache cache_;
    QuickAdd quick_add_;
    std::vector<ColumnGeometry> geometry_;
    PendingDrop pending_drop_;
    Gesture gesture_ = Gesture::None;
    ImGuiID gesture_card_ = 0;
    // The Won / Lost / Not ready bar at the bottom of the board, shown while a card is dragged.
    bool zones_active_ = false;
    ImVec2 zone_min_, zone_max_;
};

}  // namespace pb::ui

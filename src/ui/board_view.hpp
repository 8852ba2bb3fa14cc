// The pipeline board: one column per stage of the current pipeline, each with its totals
// and its deal cards. Draws the workspace; changes go through the domain, never from here.
#pragma once

#include "core/workspace.hpp"
#include "ui/fonts.hpp"
#include "ui/ui_rects.hpp"

#include <string>
#include <vector>

namespace pb::ui {

struct BoardState {
    Id pipeline_id;  // empty: the first pipeline
};

struct BoardContext {
    const Workspace& workspace;
    BoardState& state;
    UiRects& rects;
    const UiFonts& fonts;
    Timestamp now = 0;
};

// What one column shows in its header; totals cover every open deal in the stage.
struct ColumnSummary {
    const Stage* stage = nullptr;
    std::vector<const Deal*> deals;  // open deals in board order
    Money total_value = 0;
    Money weighted_value = 0;
};

// The stages of the board's pipeline, in order, with their open deals.
std::vector<ColumnSummary> summarize_columns(const Workspace& workspace, const Id& pipeline_id);

// Draws the board into the current ImGui window's remaining content region.
void draw_board(BoardContext& context);

}  // namespace pb::ui

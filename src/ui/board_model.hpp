// What the board shows: the columns of one pipeline holding the deals that pass the filter, in
// the chosen order, with their totals. Plain data over the workspace index (no ImGui), cached
// so that a frame costs nothing until the workspace, the filter or the day changes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workspace.hpp"
#include "core/workspace_index.hpp"

namespace pb::ui {

// Which deals the board shows by status. Active (the default) is the working pipeline: open
// deals in every column plus won customers in the pipeline's last stage (Post-Purchase), where
// won deals are kept for renewals, upsells and referrals. Won deals elsewhere, lost deals and
// parked (nurture) deals leave the board, as in Pipedrive, until the status filter asks for them.
enum class StatusFilter { Active, Open, Won, Lost, Nurture, All };
constexpr int kStatusFilterCount = 6;
const char* status_filter_label(StatusFilter status);

enum class ColumnSort { Manual, Value, ExpectedClose, TimeInStage };
constexpr int kColumnSortCount = 4;
const char* column_sort_label(ColumnSort sort);

struct BoardFilter {
    std::string text;  // matches title, organization and contact names or emails
    Id owner_id;
    std::string lead_source;
    std::string industry;
    std::string label;
    StatusFilter status = StatusFilter::Active;
    bool rotting_only = false;
    std::optional<Day> close_from;  // expected close range, inclusive
    std::optional<Day> close_to;
    std::vector<Id> stage_ids;  // stages of the shown pipeline; empty = every stage
    std::string lost_reason;    // exact match; empty = any
    // The deals behind something clicked on the dashboard (a funnel stage, a lost reason), which
    // no combination of the other fields can describe exactly (who entered a stage when);
    // null = any deal. Shared and const so comparing filters each frame compares one pointer.
    std::shared_ptr<const std::vector<Id>> only_deals;  // sorted
    std::string only_deals_label;                       // "Deals that entered Negotiation ..."

    // How many filters other than status are set.
    int narrowing_count() const;
    bool operator==(const BoardFilter&) const = default;
};

// The filters other than status that are set, named for the "hidden by" summary: "stage",
// "lost reason", ... in the order the filter panel shows them.
std::vector<std::string> narrowing_names(const BoardFilter& filter);

// Case-insensitive for ASCII letters; other characters must match exactly.
bool contains_folded(std::string_view haystack, std::string_view needle);
bool status_admits(StatusFilter status, DealStatus deal, bool in_last_stage);
// Every part of the filter except the status.
bool narrowing_admits(const BoardFilter& filter, const WorkspaceIndex& index, const Deal& deal,
                      Timestamp now);

struct BoardColumn {
    Id stage_id;
    std::vector<std::size_t> deals;  // positions in workspace.deals, in display order
    Money total_value = 0;
    Money weighted_value = 0;  // value x (deal probability, else the stage's), per deal
    int rotting = 0;           // shown deals idle past the stage's rotting limit
};

struct BoardModel {
    Id pipeline_id;  // the pipeline shown (the first one when none was chosen)
    std::vector<BoardColumn> columns;
    int shown = 0;
    // Deals the status filter admits but the other filters hide.
    int hidden_by_filters = 0;
    // Per status choice, the deals it would show with the other filters as they are.
    std::array<int, kStatusFilterCount> status_counts{};
    int pipeline_deals = 0;  // live deals of the pipeline, any status

    // The column of a stage, -1 when the stage is not on this board.
    int column_of(const Id& stage_id) const;
};

// The pipeline a board of `chosen` shows: that one when it is live, else the first.
Id resolve_pipeline(const WorkspaceIndex& index, const Id& chosen);

BoardModel build_board(const WorkspaceIndex& index, const Id& pipeline_id,
                       const BoardFilter& filter, ColumnSort sort, Timestamp now);

// Keeps the boards built since the workspace last changed and rebuilds one only when its
// inputs are new: the workspace version (bumped on every change), the pipeline, the filter,
// the sort or the calendar day (rotting and the status counts depend on it). A search typed
// letter by letter tests only the deals the shorter search admitted, and erasing it again
// finds each earlier board kept.
class BoardCache {
public:
    const BoardModel& get(const WorkspaceIndex& index, std::uint64_t workspace_version,
                          const Id& pipeline_id, const BoardFilter& filter, ColumnSort sort,
                          Timestamp now);
    void invalidate() { used_ = 0; }
    // How many times the board was built, so tests can tell a cached frame from a rebuild.
    std::uint64_t builds() const { return builds_; }

private:
    struct Built {
        Id pipeline_id;
        BoardFilter filter;
        ColumnSort sort = ColumnSort::Manual;
        std::vector<char> admitted;  // by deal position: what `filter` admits, any status
        BoardModel model;
    };
    // Enough for a search typed and erased a letter at a time.
    static constexpr std::size_t kKeptBoards = 12;

    std::uint64_t version_ = 0;
    Day day_ = 0;
    // The first used_ are of version_ and day_, the last used last. Slots are reused, never
    // destroyed, so a model handed out earlier in a frame stays a live object.
    std::array<Built, kKeptBoards> kept_;
    std::size_t used_ = 0;
    std::uint64_t builds_ = 0;
};

}  // namespace pb::ui

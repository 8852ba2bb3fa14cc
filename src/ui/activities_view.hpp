// "Due today": every activity across all deals that is overdue or due today, in one list a rep
// works through in the morning: tick it done, or open its deal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/workspace.hpp"
#include "core/workspace_index.hpp"

namespace pb::ui {

class PipeboardApp;

// Activities not done, of live deals, due before the end of `today`, soonest first (overdue
// ones lead). Positions in workspace.activities.
std::vector<std::size_t> due_activities(const WorkspaceIndex& index, Day today);

class ActivitiesView {
public:
    void toggle() { open_ = !open_; }
    void close() { open_ = false; }
    bool is_open() const { return open_; }
    // How many are due today or overdue (cached until the workspace or the day changes).
    int due_count(PipeboardApp& app, Timestamp now);
    // A panel on the right under the top bar.
    void draw(PipeboardApp& app, Timestamp now);

private:
    void refresh(PipeboardApp& app, Timestamp now);

    bool open_ = false;
    std::vector<std::size_t> due_;
    std::uint64_t version_ = 0;
    Day day_ = 0;
};

}  // namespace pb::ui

// The row under the top bar: search, status, sort and the Filters popup (a dashboard selection,
// stage, owner, lead source, industry, label, lost reason, rotting only, expected close range),
// with how many deals the filters hide and which filters hide them.
#pragma once

#include <string>

#include "core/calendar.hpp"

namespace pb::ui {

class PipeboardApp;

class FilterBar {
public:
    // Puts the keyboard in the search field on the next frame.
    void focus_search() { focus_search_ = true; }
    void draw(PipeboardApp& app, Timestamp now);

private:
    void draw_popup(PipeboardApp& app, Timestamp now);
    void draw_hidden_count(PipeboardApp& app, Timestamp now);

    bool focus_search_ = false;
    std::string close_from_, close_to_;
    std::string close_from_error_, close_to_error_;
};

}  // namespace pb::ui

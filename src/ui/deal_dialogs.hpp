// The questions a deal's status change asks: Won confirms the value and close date, Lost asks
// for the reason, Not ready asks when to revisit, and deleting asks to confirm.
#pragma once

#include <string>

#include "core/workspace.hpp"

namespace pb::ui {

class PipeboardApp;

class DealDialogs {
public:
    void ask_win(const Id& deal_id);
    void ask_lose(const Id& deal_id);
    void ask_nurture(const Id& deal_id);
    void ask_delete(const Id& deal_id);
    bool is_open() const { return kind_ != Kind::None; }
    void close();
    // Draws the open dialog (a modal); call once per frame inside the main window.
    void draw(PipeboardApp& app, Timestamp now);

private:
    enum class Kind { None, Win, Lose, Nurture, Delete };

    void open(Kind kind, const Id& deal_id);
    void draw_win(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_lose(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_nurture(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_delete(PipeboardApp& app, const Deal& deal, Timestamp now);
    // Cancel and the confirm button, right-aligned; Esc cancels. True when confirmed.
    bool buttons(PipeboardApp& app, const char* confirm_label, const char* confirm_rect,
                 bool can_confirm);

    Kind kind_ = Kind::None;
    bool opening_ = false;
    bool prepared_ = false;
    Id deal_id_;
    std::string value_;
    std::string date_;
    std::string reason_;
    bool move_to_customers_ = true;
    std::string value_error_;
    std::string date_error_;
    std::string error_;
};

}  // namespace pb::ui

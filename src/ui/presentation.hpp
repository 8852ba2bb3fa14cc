// Presentation mode: one toggle for showing the app to someone (a prospect, a projector): a
// larger UI, notes and other private fields hidden, amounts optionally masked, the page in
// full screen and a highlight around the pointer. Nothing in the workspace changes, so turning
// it off brings everything back as it was.
#pragma once

#include <functional>
#include <string>

#include "core/money.hpp"

namespace pb::ui {

class PipeboardApp;

class Presentation {
public:
    static constexpr float kScale = 1.3f;

    bool on() const { return on_; }
    float ui_scale() const { return on_ ? kScale : 1.0f; }
    bool masking_amounts() const { return on_ && mask_amounts_; }
    void toggle(PipeboardApp& app);
    // The platform's full-screen request, told when the mode turns on or off.
    void set_full_screen_listener(std::function<void(bool)> listener) {
        full_screen_ = std::move(listener);
    }
    // The top bar's toggle and, while presenting, the amount masking switch.
    void draw_controls(PipeboardApp& app);
    // A soft ring around the pointer, over everything, so the audience can follow it.
    void draw_pointer_highlight() const;
    // An amount as the board shows it: masked while presenting with masking on.
    std::string money(Money amount, const Currency& currency, bool whole_units) const;
    std::string money_short(Money amount, const Currency& currency) const;

private:
    bool on_ = false;
    bool mask_amounts_ = false;
    std::function<void(bool)> full_screen_;
};

}  // namespace pb::ui

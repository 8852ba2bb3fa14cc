// When the app has to draw. Redrawing a screen that has not changed costs a whole frame of
// CPU (and, in a browser without a GPU, of software rasterization), and a page that does it
// sixty times a second keeps the laptop's fan on and delays everything else on the page,
// such as committing a save. So the app draws only after input, until the UI has settled
// (hover delays, layouts that need a second frame), while a button is held (a drag scrolls
// the board), when a timer it set runs out (a notice to take down, a blinking text cursor,
// the clock that makes deals overdue), and when asked.
#pragma once

#include <limits>

namespace pb::ui {

// What the frame just drawn still needs.
struct FrameNeeds {
    bool pointer_held = false;  // a mouse button or a finger is down
    bool text_cursor = false;   // a text field is active and its cursor blinks
    double change_in = std::numeric_limits<double>::infinity();  // seconds to a timed change
};

class FramePacer {
public:
    // Longer than ImGui's normal hover delay (0.4 s), so a tooltip appears under a mouse
    // that stopped moving.
    static constexpr double kSettleSeconds = 0.6;
    // ImGui's cursor is on for 0.8 s and off for 0.4 s; drawing every 0.4 s shows that.
    static constexpr double kCursorBlinkSeconds = 0.4;
    // The board's overdue and stale marks follow the clock; once a minute keeps them true.
    static constexpr double kClockSeconds = 60.0;

    // Input arrived or something outside the UI changed what it shows (another tab, a file,
    // storage): draw now, and again until the UI settles.
    void wake() { woken_ = true; }
    // Draw at least `frames` more frames, whatever else says.
    void request_frames(int frames) {
        if (frames > requested_) requested_ = frames;
    }
    void frame_drawn(double now, const FrameNeeds& needs);
    // Seconds from `now` until the next frame is due: 0 to draw now, infinity to wait for
    // input.
    double next_frame_in(double now) const;

private:
    bool woken_ = true;  // the first frame
    int requested_ = 0;
    double settle_until_ = 0;
    double due_at_ = std::numeric_limits<double>::infinity();
};

}  // namespace pb::ui

#include "ui/frame_pacer.hpp"

#include <algorithm>

namespace pb::ui {

void FramePacer::frame_drawn(double now, const FrameNeeds& needs) {
    if (woken_ || needs.pointer_held) settle_until_ = std::max(settle_until_, now + kSettleSeconds);
    woken_ = false;
    if (requested_ > 0) --requested_;
    double wait = std::min(needs.change_in, kClockSeconds);
    if (needs.text_cursor) wait = std::min(wait, kCursorBlinkSeconds);
    due_at_ = now + std::max(0.0, wait);
}

double FramePacer::next_frame_in(double now) const {
    if (woken_ || requested_ > 0 || now < settle_until_) return 0;
    return std::max(0.0, due_at_ - now);
}

}  // namespace pb::ui

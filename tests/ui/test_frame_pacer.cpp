// When the app draws: after input until the UI settles, while a button is held, when a timer
// runs out, and never while nothing changes.
#include <doctest/doctest.h>

#include <cmath>

#include "ui/frame_pacer.hpp"

using pb::ui::FrameNeeds;
using pb::ui::FramePacer;

namespace {

// Draws frames at 60 per second from `start` while the pacer asks for them, up to `limit`
// seconds; returns how many.
int frames_until_idle(FramePacer& pacer, double start, const FrameNeeds& needs = {},
                      double limit = 10) {
    int frames = 0;
    for (double now = start; now < start + limit; now += 1.0 / 60) {
        if (pacer.next_frame_in(now) > 0) break;
        pacer.frame_drawn(now, needs);
        ++frames;
    }
    return frames;
}

}  // namespace

TEST_CASE("after input the app draws until the UI settles, then waits for the next input") {
    FramePacer pacer;
    const int first = frames_until_idle(pacer, 0);
    CHECK(first >= 30);  // the settle time at 60 frames a second
    CHECK(first <= 40);
    const double idle_at = 1.0;
    CHECK(std::isinf(pacer.next_frame_in(idle_at)) == false);
    CHECK(pacer.next_frame_in(idle_at) == doctest::Approx(FramePacer::kClockSeconds).epsilon(0.05));

    pacer.wake();
    CHECK(pacer.next_frame_in(idle_at) == 0);
    CHECK(frames_until_idle(pacer, idle_at) >= 30);
}

TEST_CASE("a held button keeps frames coming, so a drag can scroll the board") {
    FramePacer pacer;
    FrameNeeds held;
    held.pointer_held = true;
    CHECK(frames_until_idle(pacer, 0, held, 5) >= 299);
    CHECK(pacer.next_frame_in(5) == 0);
    // Released: it settles as after any input.
    CHECK(frames_until_idle(pacer, 5) <= 40);
}

TEST_CASE("a timer the app set wakes it when it runs out") {
    FramePacer pacer;
    FrameNeeds notice;
    notice.change_in = 6.0;  // a notice goes away in six seconds
    frames_until_idle(pacer, 0, notice);
    const double settled = 1.0;
    const double wait = pacer.next_frame_in(settled);
    CHECK(wait > 4.5);
    CHECK(wait < 6.0);
    CHECK(pacer.next_frame_in(7.0) == 0);
}

TEST_CASE("an active text field is redrawn a few times a second for its cursor") {
    FramePacer pacer;
    FrameNeeds typing;
    typing.text_cursor = true;
    frames_until_idle(pacer, 0, typing);
    const double settled = FramePacer::kSettleSeconds + 0.05;
    CHECK(pacer.next_frame_in(settled) <= FramePacer::kCursorBlinkSeconds);
    CHECK(pacer.next_frame_in(settled) > 0);
    CHECK(pacer.next_frame_in(settled + FramePacer::kCursorBlinkSeconds) == 0);
}

TEST_CASE("requested frames are drawn even when nothing else asks for them") {
    FramePacer pacer;
    frames_until_idle(pacer, 0);
    pacer.request_frames(3);
    int drawn = 0;
    for (double now = 2.0; pacer.next_frame_in(now) == 0 && drawn < 100; now += 0.001) {
        pacer.frame_drawn(now, {});
        ++drawn;
    }
    CHECK(drawn == 3);
}

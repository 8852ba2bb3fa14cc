// The "?" overlay: every keyboard shortcut of the board, from the table in keyboard.hpp.
#pragma once

namespace pb::ui {

class PipeboardApp;

class HelpOverlay {
public:
    void toggle() { open_ = !open_; }
    void close() { open_ = false; }
    bool is_open() const { return open_; }
    void draw(PipeboardApp& app);

private:
    bool open_ = false;
};

}  // namespace pb::ui

// Screen rectangles of named UI elements drawn in the last frame (columns, cards, buttons),
// in CSS pixels, so browser tests and power users can click and drag the real canvas.
#pragma once

#include <string>
#include <vector>

namespace pb::ui {

struct NamedRect {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
};

class UiRects {
public:
    void begin_frame();
    void end_frame();
    void add(std::string name, float x, float y, float w, float h);
    // Adds the last ImGui item's rectangle, clipped to the visible area; hidden items are skipped.
    void add_last_item(std::string name);
    const NamedRect* find(const std::string& name) const;
    const std::vector<NamedRect>& rects() const { return last_frame_; }
    // {"column:Lead In":[x,y,w,h], ...}
    std::string to_json() const;

private:
    std::vector<NamedRect> building_;
    std::vector<NamedRect> last_frame_;
};

}  // namespace pb::ui

// Without storage services (headless tests, before the platform attaches) there is nothing
// to show.
#include "ui/data_view.hpp"

namespace pb::ui {

void DataView::draw_top_bar(PipeboardApp&, Timestamp) {}

void DataView::draw_overlays(PipeboardApp&, Timestamp) {}

}  // namespace pb::ui

// Everything about keeping the workspace's data: the save indicator, export and import with
// a preview, restoring the workspace before an import, and storage warnings. The platform
// provides the actual storage and files through DataServices.
#pragma once

#include "core/calendar.hpp"

namespace pb::ui {

class PipeboardApp;
class DataServices;

class DataView {
public:
    void set_services(DataServices* services) { services_ = services; }
    // Right-aligned in the top bar: the save indicator and the Data menu.
    void draw_top_bar(PipeboardApp& app, Timestamp now);
    // Dialogs and banners, drawn once per frame after the main view.
    void draw_overlays(PipeboardApp& app, Timestamp now);

private:
    DataServices* services_ = nullptr;
};

}  // namespace pb::ui

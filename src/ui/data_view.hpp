// Everything about keeping the workspace's data: the save indicator, export and import with
// a preview, restoring the workspace before an import, and storage warnings. The platform
// provides the actual storage and files through DataServices.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "ui/data_services.hpp"

namespace pb::ui {

class PipeboardApp;

class DataView {
public:
    void set_services(DataServices* services) { services_ = services; }
    DataServices* services() const { return services_; }

    // A file was chosen or dropped: shows its preview, or what is wrong with it.
    void offer_import(PreparedImport prepared);
    bool has_pending_import() const { return import_.has_value(); }
    // A short message in the corner for a few seconds ("Exported ...").
    void show_message(std::string text, Timestamp now);

    // Right-aligned in the top bar: the save indicator and the Data menu.
    void draw_top_bar(PipeboardApp& app, Timestamp now);
    // Dialogs and banners, drawn once per frame after the main view.
    void draw_overlays(PipeboardApp& app, Timestamp now);
    // Seconds until the message shown now goes away (infinity when none is shown).
    double message_ends_in(Timestamp now) const;

private:
    void draw_data_menu(PipeboardApp& app, Timestamp now);
    void draw_notices(PipeboardApp& app);
    void draw_import_dialog(PipeboardApp& app, Timestamp now);
    void draw_path_dialog(PipeboardApp& app, Timestamp now);
    void draw_message(PipeboardApp& app, Timestamp now);
    void start_import();

    DataServices* services_ = nullptr;
    std::optional<PreparedImport> import_;
    // The counts by action and kind of the offered import's report, which can list hundreds
    // of thousands of records: counted once, not in every frame.
    std::vector<std::string> import_summary_;
    ImportChoice choice_ = ImportChoice::Merge;
    bool ask_path_ = false;
    std::string path_;
    std::string message_;
    Timestamp message_until_ = 0;
};

}  // namespace pb::ui

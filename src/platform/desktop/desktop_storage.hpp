// The desktop app's storage: the workspace as one JSON file under $XDG_DATA_HOME/pipeboard
// (or ~/.local/share/pipeboard), replaced atomically shortly after each change, plus the
// workspaces kept before imports and the exports.
#pragma once

#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/workspace.hpp"

namespace pb::ui {
class PipeboardApp;
}

namespace pb::platform::desktop {

// The stored workspace, or a new one (stored once attached). A file that cannot be read is
// left untouched and the app runs in memory.
Workspace load_initial_workspace(IdGenerator& ids, Timestamp now);
void attach_storage(ui::PipeboardApp& app);
// Writes pending changes once their short delay has passed; called after every frame.
void save_if_due();
// Seconds until unsaved changes are due to be written (infinity when there are none).
double seconds_to_save();
// Writes pending changes now (the window is closing).
void save_now();
void import_dropped_file(const char* path);
// Writes a download (a dashboard table or image) next to the exports; returns what to tell the
// user: where it went, or why it could not be written.
std::string save_download(const std::string& file_name, std::string_view bytes);

}  // namespace pb::platform::desktop

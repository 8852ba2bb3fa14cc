// The wasm half of keeping the workspace in the browser: the JS shell (shell/storage.js) owns
// IndexedDB; this side hands it the records each command changed, loads what it read at
// start, merges records other tabs saved, and implements the Data UI's services.
#pragma once

#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/workspace.hpp"

namespace pb::ui {
class PipeboardApp;
}

namespace pb::platform::web {

// The workspace the shell read from IndexedDB before main(), or a new one for a first-time
// user (stored whole on attach). When the stored data cannot be used, a new workspace is
// kept in memory only and the stored data is left untouched.
Workspace load_initial_workspace(IdGenerator& ids, Timestamp now);

// Listens to the app's session and gives the Data UI its services.
void attach_storage(ui::PipeboardApp& app);

// The workspace was replaced outside the commands (the automation API): store it whole.
void store_replaced_workspace(ui::PipeboardApp& app);

// Hands `bytes` to the browser as a download named `file_name`.
void download(const std::string& file_name, const char* mime, std::string_view bytes);

}  // namespace pb::platform::web

// The wasm half of several workspaces in one browser: the shell (shell/workspaces.js) keeps
// the registry and a database per workspace; this side gives the workspace menu its services.
#pragma once

namespace pb::ui {
class PipeboardApp;
}

namespace pb::platform::web {

void attach_workspaces(ui::PipeboardApp& app);

}  // namespace pb::platform::web

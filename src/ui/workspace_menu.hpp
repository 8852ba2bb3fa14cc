// Several workspaces in one place ("My pipeline", "Demo"), each stored on its own: the top
// bar's workspace button lists them and switches, renames, duplicates and deletes (after a
// confirmation that offers an export first). The sample pipeline opens as its own "Demo"
// workspace, never into real data, and "Reset demo" brings it back to its initial state.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/workspace.hpp"

namespace pb::ui {

class PipeboardApp;

struct WorkspaceEntry {
    std::string key;
    std::string name;
    bool demo = false;
    bool current = false;
};

// What the platform does with workspaces; a platform without it has one workspace and the
// menu shows just its name.
class WorkspaceServices {
public:
    virtual ~WorkspaceServices() = default;
    virtual std::vector<WorkspaceEntry> workspaces() const = 0;
    // Opens another workspace (the page reloads on it once this one's changes are stored).
    virtual void switch_to(const std::string& key) = 0;
    // Stores `initial` as a new workspace and opens it.
    virtual void create(const Workspace& initial, bool demo) = 0;
    // Removes the open workspace from storage and opens another one.
    virtual void delete_current() = 0;
    // Packs the document into a read-only snapshot link; the answer comes back through
    // WorkspaceMenu::snapshot_ready.
    virtual void make_snapshot_link(const std::string& document) = 0;
    // Stores the snapshot being viewed as a new workspace of this browser and opens it.
    virtual void save_snapshot_copy(const Workspace& copy) = 0;
};

class WorkspaceMenu {
public:
    void set_services(WorkspaceServices* services) { services_ = services; }
    bool has_services() const { return services_ != nullptr; }
    bool current_is_demo() const;
    // The answer to make_snapshot_link: the link, or how long it would have been.
    void snapshot_ready(bool ok, std::string link, std::size_t chars, std::size_t limit);
    // The workspace's name in the top bar; with services, a button that opens the menu.
    void draw_button(PipeboardApp& app, Timestamp now);
    // The banner of a read-only snapshot, with "Save a copy".
    void draw_snapshot_banner(PipeboardApp& app);
    // The rename, delete and share dialogs.
    void draw_dialogs(PipeboardApp& app, Timestamp now);
    // Opens the Demo workspace, creating it with the sample pipeline the first time.
    void open_demo(PipeboardApp& app, Timestamp now);
    // The Demo workspace back to a freshly generated sample.
    void reset_demo(PipeboardApp& app, Timestamp now);

private:
    void draw_share_dialog(PipeboardApp& app, Timestamp now);

    WorkspaceServices* services_ = nullptr;
    bool rename_requested_ = false;
    bool delete_requested_ = false;
    std::string rename_text_;
    // The share dialog: waiting for the link, then the link or the refusal.
    bool share_requested_ = false;
    bool share_waiting_ = false;
    bool share_ok_ = false;
    std::string share_link_;
    std::size_t share_chars_ = 0;
    std::size_t share_limit_ = 0;
};

// The sample pipeline as the Demo workspace holds it.
Workspace make_demo_workspace(Timestamp now);

}  // namespace pb::ui

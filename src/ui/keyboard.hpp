// The board's keyboard shortcuts: which keys do what (one table, also shown by the help
// overlay) and reading this frame's keys into shortcuts.
#pragma once

#include <vector>

namespace pb::ui {

enum class Shortcut {
    SelectUp,
    SelectDown,
    SelectLeft,
    SelectRight,
    OpenDeal,
    AddDeal,
    FocusSearch,
    ClosePanel,
    ToggleHelp,
    Undo,
    Redo,
    MoveToNextStage,
    MoveToPreviousStage,
};

struct ShortcutHelp {
    const char* keys;
    const char* action;
};
// Every shortcut with the keys that trigger it, in the order the help overlay lists them.
const std::vector<ShortcutHelp>& shortcut_help();

// What this frame's key presses and typed characters ask for. Nothing while a text field
// takes the keys: there Ctrl+Z, arrows and letters belong to the field.
std::vector<Shortcut> read_shortcuts();

}  // namespace pb::ui

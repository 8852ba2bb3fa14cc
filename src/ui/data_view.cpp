// The Data corner of the top bar (save indicator, export reminder, Data menu) and the
// dialogs about stored data: notices, the import preview and the short confirmation
// messages. Without services (headless tests) nothing is drawn.
#include "ui/data_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <limits>

#include "ui/app.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr Timestamp kMessageSeconds = 6;
constexpr std::size_t kMaxEntriesShown = 300;
constexpr float kDialogWidth = 560;

std::string format_bytes(std::int64_t bytes) {
    char text[32];
    if (bytes >= (std::int64_t{1} << 30)) {
        std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / (1 << 30));
    } else if (bytes >= (1 << 20)) {
        std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
    } else {
        std::snprintf(text, sizeof text, "%lld KB", static_cast<long long>(bytes / 1024));
    }
    return text;
}

std::string status_text(const StorageStatus& status) {
    switch (status.state) {
        case SaveState::Saved:
            return "Saved";
        case SaveState::Saving:
            return "Saving…";
        case SaveState::Failed:
        case SaveState::MemoryOnly:
            break;
    }
    return "Not saved: " + (status.reason.empty() ? std::string("unknown reason") : status.reason);
}

std::uint32_t status_colour(SaveState state) {
    const Palette& p = palette();
    switch (state) {
        case SaveState::Saved:
            return p.success;
        case SaveState::Saving:
            return p.text_muted;
        case SaveState::Failed:
            return p.danger;
        case SaveState::MemoryOnly:
            return p.warning;
    }
    return p.text_muted;
}

// The longest start of `text` that fits `width` pixels, with an ellipsis when cut; "" when
// not even the ellipsis fits.
std::string fitted(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const float ellipsis = ImGui::CalcTextSize("…").x;
    std::size_t cut = text.size();
    while (cut > 0) {
        --cut;
        // Cut at a character boundary so the text stays valid UTF-8.
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        if (ImGui::CalcTextSize(text.c_str(), text.c_str() + cut).x + ellipsis <= width) {
            return text.substr(0, cut) + "…";
        }
    }
    return "";
}

bool button_named(UiRects& rects, const char* label, const std::string& name) {
    const bool pressed = ImGui::Button(label);
    rects.add_last_item(name);
    return pressed;
}

void wrapped(const std::string& text) { text_wrapped(text); }

void coloured_wrapped(std::uint32_t colour, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    wrapped(text);
    ImGui::PopStyleColor();
}

}  // namespace

void DataView::offer_import(PreparedImport prepared) {
    choice_ = prepared.suggested;
    ask_path_ = false;
    import_summary_ = summarize_report(prepared.report);
    import_ = std::move(prepared);
}

void DataView::show_message(std::string text, Timestamp now) {
    message_ = std::move(text);
    message_until_ = now + kMessageSeconds;
}

void DataView::start_import() {
    if (!services_) return;
    if (services_->has_file_chooser()) {
        services_->choose_import_file();
    } else {
        ask_path_ = true;
    }
}

void DataView::draw_top_bar(PipeboardApp& app, Timestamp now) {
    if (!services_) return;
    const StorageStatus status = services_->storage_status();
    const std::string full_status = status_text(status);
    const std::string reminder = export_reminder(app.workspace(), now);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float dot = ImGui::GetTextLineHeight() * 0.5f;
    const float button = ImGui::CalcTextSize("Data").x + style.FramePadding.x * 2;

    // The top bar leaves this corner a fixed width: the status text gets what the dot and
    // the button do not use, cut short with the whole text in a tooltip.
    ImGui::SameLine(0, style.ItemSpacing.x * 2);
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float text_room = right - ImGui::GetCursorPosX() - dot - button - style.ItemSpacing.x * 3;
    const std::string shown_status = fitted(full_status, text_room);
    const float width = dot + style.ItemSpacing.x + ImGui::CalcTextSize(shown_status.c_str()).x +
                        style.ItemSpacing.x * 2 + button;
    if (ImGui::GetCursorPosX() < right - width) ImGui::SetCursorPosX(right - width);

    ImGui::AlignTextToFramePadding();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetFrameHeight();
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(at.x + dot * 0.5f, at.y + line * 0.5f),
                                                dot * 0.5f, status_colour(status.state));
    ImGui::Dummy(ImVec2(dot, line));
    const bool dot_hovered = ImGui::IsItemHovered();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, status.state == SaveState::Saved
                                             ? palette().text_muted
                                             : status_colour(status.state));
    ImGui::TextUnformatted(shown_status.c_str());
    ImGui::PopStyleColor();
    app.frame_rects().add_last_item("save-status");
    if ((shown_status != full_status && ImGui::IsItemHovered()) || dot_hovered) {
        ImGui::SetTooltip("%s", full_status.c_str());
    }

    ImGui::SameLine(0, style.ItemSpacing.x * 2);
    if (!reminder.empty()) ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
    if (ImGui::Button("Data")) ImGui::OpenPopup("data-menu");
    if (!reminder.empty()) ImGui::PopStyleColor();
    app.frame_rects().add_last_item("data-menu");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", reminder.empty() ? "Export, import and storage"
                                                 : (reminder + ": export to keep a copy").c_str());
    }
    draw_data_menu(app, now);
}

void DataView::draw_data_menu(PipeboardApp& app, Timestamp now) {
    ImGui::SetNextWindowSizeConstraints(ImVec2(360, 0), ImVec2(kDialogWidth, FLT_MAX));
    if (!ImGui::BeginPopup("data-menu")) return;
    UiRects& rects = app.frame_rects();
    const std::string reminder = export_reminder(app.workspace(), now);
    if (!reminder.empty()) {
        coloured_wrapped(palette().warning, reminder + ": export to keep a copy of your pipeline.");
        rects.add_last_item("data:reminder");
    }
    if (ImGui::Selectable("Export the workspace (JSON)")) {
        show_message(services_->export_json(app, now), now);
    }
    rects.add_last_item("data:export-json");
    if (ImGui::Selectable("Export deals (CSV)")) {
        show_message(services_->export_deals_csv(app, now), now);
    }
    rects.add_last_item("data:export-csv");
    ImGui::Separator();
    if (ImGui::Selectable("Import a file (JSON or CSV)…")) start_import();
    rects.add_last_item("data:import");
    const std::vector<KeptWorkspace> kept = services_->kept_workspaces();
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const std::string label = "Restore: " + kept[i].label + "##kept" + std::to_string(i);
        if (ImGui::Selectable(label.c_str())) services_->restore_kept(app, kept[i].id, now);
        rects.add_last_item("data:restore:" + std::to_string(i));
    }

    ImGui::Separator();
    const StorageStatus status = services_->storage_status();
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
    if (!status.location.empty()) wrapped("Kept in " + status.location + ".");
    if (status.usage_bytes >= 0 && status.quota_bytes > 0) {
        wrapped("Using " + format_bytes(status.usage_bytes) + " of the " +
                format_bytes(status.quota_bytes) + " this site may use.");
    }
    ImGui::PopStyleColor();
    if (status.persistent.has_value()) {
        if (*status.persistent) {
            coloured_wrapped(palette().success,
                             "The browser keeps this data until you delete it yourself.");
        } else {
            coloured_wrapped(palette().warning,
                             "The browser may clear this data when it runs short of space. "
                             "Install Pipeboard as an app (the install button in the address "
                             "bar) so it is kept, and export regularly.");
        }
        rects.add_last_item("data:persistence");
    }
    ImGui::EndPopup();
}

void DataView::draw_overlays(PipeboardApp& app, Timestamp now) {
    if (!services_) return;
    if (app.take_csv_import_request()) start_import();
    draw_notices(app);
    draw_import_dialog(app, now);
    draw_path_dialog(app, now);
    draw_message(app, now);
}

void DataView::draw_notices(PipeboardApp& app) {
    const std::vector<StorageNotice> notices = services_->notices();
    if (notices.empty()) return;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                   viewport->WorkPos.y + ImGui::GetFrameHeight() * 2.2f),
                            ImGuiCond_Always, ImVec2(0.5f, 0));
    ImGui::SetNextWindowSizeConstraints(ImVec2(kDialogWidth, 0), ImVec2(kDialogWidth, FLT_MAX));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoFocusOnAppearing;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
    ImGui::PushStyleColor(ImGuiCol_Border, palette().warning);
    if (ImGui::Begin("##storage-notices", nullptr, flags)) {
        for (const StorageNotice& notice : notices) {
            ImGui::PushID(notice.id.c_str());
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            wrapped(notice.title);
            ImGui::PopStyleColor();
            app.frame_rects().add_last_item("notice:" + notice.id);
            wrapped(notice.text);
            if (notice.offers_import) {
                if (button_named(app.frame_rects(), "Import a file…",
                                 "notice:" + notice.id + ":import")) {
                    start_import();
                }
                ImGui::SameLine();
            }
            if (button_named(app.frame_rects(), "Dismiss", "notice:" + notice.id + ":dismiss")) {
                services_->dismiss_notice(notice.id);
            }
            ImGui::Spacing();
            ImGui::PopID();
        }
    }
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
}

void DataView::draw_import_dialog(PipeboardApp& app, Timestamp now) {
    constexpr const char* kTitle = "Import a file";
    if (import_ && !ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
    ImGui::SetNextWindowSizeConstraints(ImVec2(kDialogWidth, 0), ImVec2(kDialogWidth, FLT_MAX));
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    if (!import_) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    UiRects& rects = app.frame_rects();
    const PreparedImport& prepared = *import_;
    const float list_height = ImGui::GetTextLineHeightWithSpacing() * 8;
    bool close = ImGui::IsKeyPressed(ImGuiKey_Escape);

    if (!prepared.ok()) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().danger);
        wrapped("'" + prepared.file_name + "' cannot be imported: " + prepared.error);
        ImGui::PopStyleColor();
        rects.add_last_item("import:error");
        if (!prepared.problems.empty()) {
            ImGui::BeginChild("problems", ImVec2(0, list_height), ImGuiChildFlags_Border);
            for (const std::string& problem : prepared.problems) wrapped(problem);
            ImGui::EndChild();
        }
        wrapped("Nothing was changed.");
        if (button_named(rects, "Close", "import:close")) close = true;
    } else {
        wrapped("'" + prepared.file_name + "' (" + prepared.format + ")");
        if (prepared.replaceable) {
            if (ImGui::RadioButton("Merge it into this workspace",
                                   choice_ == ImportChoice::Merge)) {
                choice_ = ImportChoice::Merge;
            }
            rects.add_last_item("import:choice-merge");
            if (ImGui::RadioButton("Replace this workspace with it",
                                   choice_ == ImportChoice::Replace)) {
                choice_ = ImportChoice::Replace;
            }
            rects.add_last_item("import:choice-replace");
        }
        ImGui::Separator();
        bool nothing_changes = false;
        if (choice_ == ImportChoice::Replace && prepared.replaceable) {
            wrapped("This workspace ('" + app.workspace().name +
                    "': " + describe_contents(app.workspace()) + ") is replaced by '" +
                    prepared.incoming->name + "' from the file (" +
                    describe_contents(*prepared.incoming) + ").");
        } else if (prepared.report.empty()) {
            nothing_changes = true;
            wrapped("Nothing would change: this workspace already holds everything in the file.");
        } else {
            for (const std::string& line : import_summary_) wrapped(line);
            rects.add_last_item("import:summary");
            ImGui::BeginChild("changes", ImVec2(0, list_height), ImGuiChildFlags_Border);
            const std::size_t shown = std::min(prepared.report.entries.size(), kMaxEntriesShown);
            for (std::size_t i = 0; i < shown; ++i) {
                const MergeEntry& entry = prepared.report.entries[i];
                const bool conflict = entry.action == MergeAction::Conflict;
                if (conflict) ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                wrapped(std::string(action_name(entry.action)) + " " + entry.kind + " '" +
                        entry.label + "'" + (entry.detail.empty() ? "" : ": " + entry.detail));
                if (conflict) ImGui::PopStyleColor();
            }
            const std::int64_t not_shown =
                prepared.report.total() - static_cast<std::int64_t>(shown);
            if (not_shown > 0) wrapped("… and " + with_thousands(not_shown) + " more");
            ImGui::EndChild();
        }
        if (!prepared.problems.empty()) {
            coloured_wrapped(palette().warning,
                             "Some parts of the file could not be read; they are left out or "
                             "take their defaults:");
            rects.add_last_item("import:problems");
            ImGui::BeginChild("problems", ImVec2(0, list_height * 0.6f), ImGuiChildFlags_Border);
            for (const std::string& problem : prepared.problems) wrapped(problem);
            ImGui::EndChild();
        }
        ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
        wrapped("The workspace as it is now is kept: Data > Restore puts it back.");
        ImGui::PopStyleColor();
        ImGui::BeginDisabled(nothing_changes && choice_ == ImportChoice::Merge);
        if (button_named(rects, "Apply", "import:apply")) {
            // Merged into the workspace as it is now, which other tabs may have changed
            // since the preview.
            const bool replace = choice_ == ImportChoice::Replace && prepared.replaceable;
            Workspace next = replace ? std::move(*import_->incoming)
                                     : merge_workspaces(app.workspace(), *prepared.incoming).merged;
            const std::string label = "Before importing '" + prepared.file_name + "'";
            show_message(services_->apply_import(app, std::move(next), label, now), now);
            close = true;
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (button_named(rects, "Cancel", "import:cancel")) close = true;
    }
    if (close) {
        import_.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void DataView::draw_path_dialog(PipeboardApp& app, Timestamp now) {
    constexpr const char* kTitle = "Import a file from a path";
    if (ask_path_ && !ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
    ImGui::SetNextWindowSizeConstraints(ImVec2(kDialogWidth, 0), ImVec2(kDialogWidth, FLT_MAX));
    if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    wrapped(
        "Type the path of a Pipeboard export (.json) or a CSV of deals, or drop the file on "
        "the window.");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered = ImGui::InputText("##path", &path_, ImGuiInputTextFlags_EnterReturnsTrue);
    app.frame_rects().add_last_item("import:path");
    bool close = ImGui::IsKeyPressed(ImGuiKey_Escape);
    if (button_named(app.frame_rects(), "Import", "import:path-open") || entered) {
        services_->import_path(app, path_, now);
        close = true;
    }
    ImGui::SameLine();
    if (button_named(app.frame_rects(), "Cancel", "import:path-cancel")) close = true;
    if (close || !ask_path_) {
        ask_path_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

double DataView::message_ends_in(Timestamp now) const {
    if (message_.empty() || now > message_until_) return std::numeric_limits<double>::infinity();
    return static_cast<double>(message_until_ + 1 - now);
}

void DataView::draw_message(PipeboardApp& app, Timestamp now) {
    if (message_.empty() || now > message_until_) return;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float margin = 16;
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - margin,
                                   viewport->WorkPos.y + viewport->WorkSize.y - margin),
                            ImGuiCond_Always, ImVec2(1, 1));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(kDialogWidth, FLT_MAX));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
    if (ImGui::Begin("##data-message", nullptr, flags)) {
        ImGui::PushTextWrapPos(kDialogWidth - margin);
        ImGui::TextUnformatted(message_.c_str());
        ImGui::PopTextWrapPos();
        app.frame_rects().add_last_item("data-message");
    }
    ImGui::End();
}

}  // namespace pb::ui

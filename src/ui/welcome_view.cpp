// A card centred on the empty board (the column headers stay visible above it, so the seven
// stages are the first thing explained). Each choice is a button with one line saying what it
// does; the storage note says where the data lives in the platform's own words.
#include "ui/welcome_view.hpp"

#include <algorithm>
#include <string>

#include "ui/app.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr const char* kWelcomeHint = "welcome";

bool has_live_deal(const Workspace& ws) {
    return std::any_of(ws.deals.begin(), ws.deals.end(),
                       [](const Deal& deal) { return !deal.meta.deleted; });
}

// One way to start: a button of the common width, its explanation beside it (below it when
// the card is too narrow).
bool choice(PipeboardApp& app, const char* label, const char* rect_name, const char* text,
            float button_width, bool primary) {
    const bool pressed = primary ? primary_button(label, ImVec2(button_width, 0))
                                 : ImGui::Button(label, ImVec2(button_width, 0));
    app.frame_rects().add_last_item(rect_name);
    const bool beside = ImGui::GetContentRegionAvail().x - button_width > 240;
    if (beside) ImGui::SameLine(0, 14);
    ImGui::PushTextWrapPos(0.0f);
    if (beside) ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().text_muted), "%s", text);
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, 2));
    return pressed;
}

std::string storage_note(PipeboardApp& app) {
    const DataServices* services = app.data_view().services();
    const std::string location = services ? services->storage_status().location : std::string();
    if (!location.empty() && location.rfind("this browser", 0) != 0) {
        return "Your pipeline is kept on this computer, in " + location +
               ". Export a copy now and then (Data > Export) to keep it safe.";
    }
    return "Your pipeline is kept in this browser on this device: not on a server, and no one "
           "else sees it. Clearing this site's data in the browser deletes it, so export a copy "
           "now and then (Data > Export), and install Pipeboard as an app (the browser's "
           "install button in the address bar), which asks the browser to keep its storage.";
}

}  // namespace

void WelcomeView::offer(const PipeboardApp& app) {
    open_ =
        !app.read_only() && !has_live_deal(app.workspace()) && !app.hint_dismissed(kWelcomeHint);
}

void WelcomeView::draw(PipeboardApp& app, ImVec2 min, ImVec2 max, Timestamp now) {
    // An import or another tab may have filled the workspace meanwhile: then the welcome has
    // done its job.
    if (has_live_deal(app.workspace())) {
        open_ = false;
        return;
    }
    const Palette& p = palette();
    const float font = ImGui::GetFontSize();
    const float width = std::min(font * 42, max.x - min.x - 24);
    // Below the column headers, centred in what is left; a short window scrolls the board.
    const float top = min.y + std::max(font * 4.5f, (max.y - min.y - font * 27) / 2);
    ImGui::SetCursorScreenPos(ImVec2((min.x + max.x - width) / 2, top));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(p.card));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(p.card_border));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 12.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(28, 24));
    ImGui::BeginChild("welcome-card", ImVec2(width, 0),
                      ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted("Welcome to Pipeboard");
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(p.text_muted),
                       "A sales pipeline board: one column per stage, one card per deal. No "
                       "account, no sign-up, nothing to install. How would you like to start?");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, font * 0.5f));

    const float button_width = std::min(font * 14, width - 56);
    if (choice(app, "Start an empty pipeline", "welcome:empty",
               "Seven stages from Lead In to Post-Purchase; rename or change them any time.",
               button_width, true)) {
        app.dismiss_hint(kWelcomeHint);
        open_ = false;
    }
    if (choice(app, "Import a CSV or JSON file", "welcome:import",
               "Deals from a spreadsheet or another CRM, or a Pipeboard export. You see what "
               "changes before anything is written.",
               button_width, false)) {
        app.request_csv_import();
    }
    const char* sample_text =
        app.workspaces().has_services()
            ? "300 deals of a made-up B2B company, in a separate Demo workspace: this one stays "
              "yours, and the top bar switches between them."
            : "300 deals of a made-up B2B company, to see every view with data in it.";
    if (choice(app, "Open the sample pipeline", "welcome:sample", sample_text, button_width,
               false)) {
        app.dismiss_hint(kWelcomeHint);
        app.open_sample_pipeline(now);
    }

    ImGui::Dummy(ImVec2(0, font * 0.3f));
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, font * 0.3f));
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Where your data lives");
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(p.text_muted), "%s",
                       storage_note(app).c_str());
    ImGui::PopTextWrapPos();
    app.frame_rects().add_last_item("welcome:storage-note");
    ImGui::EndChild();
    app.frame_rects().add_last_item("welcome");
    ImGui::PopStyleVar(3);
    ImGui::PopStyleColor(2);
}

}  // namespace pb::ui

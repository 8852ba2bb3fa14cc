// Fields edit text buffers; leaving a field (or Enter) saves it as one EditDeal, so each field
// change is its own undo step. A refused value keeps its text and error until corrected, while
// the stored deal keeps the previous value. Buffers reload whenever the workspace changes, so
// undo and edits elsewhere show up at once.
#include "ui/deal_editor.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdlib>

#include "core/commands.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr float kLabelWidth = 118.0f;

ImVec4 to_float(std::uint32_t color) { return ImGui::ColorConvertU32ToFloat4(color); }

// A field was left with a changed text, or Enter was pressed in it.
bool committed(bool enter_pressed) { return enter_pressed || ImGui::IsItemDeactivatedAfterEdit(); }

UiRects& rects_of(PipeboardApp& app) { return app.frame_rects(); }

std::string trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return std::string(text);
}

std::optional<int> parse_percent(std::string_view text) {
    std::string clean = trimmed(text);
    if (!clean.empty() && clean.back() == '%') clean.pop_back();
    if (clean.empty() || clean.size() > 3) return std::nullopt;
    int value = 0;
    for (char c : clean) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > 100) return std::nullopt;
    return value;
}

bool plausible_email(std::string_view email) {
    const std::size_t at = email.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
           email.find(' ') == std::string_view::npos;
}

const char* status_word(DealStatus status) {
    switch (status) {
        case DealStatus::Open:
            return "Open";
        case DealStatus::Won:
            return "Won";
        case DealStatus::Lost:
            return "Lost";
        case DealStatus::Nurture:
            return "Nurture";
    }
    return "";
}

std::uint32_t status_color(DealStatus status) {
    const Palette& p = palette();
    switch (status) {
        case DealStatus::Open:
            return p.accent;
        case DealStatus::Won:
            return p.success;
        case DealStatus::Lost:
            return p.danger;
        case DealStatus::Nurture:
            return p.warning;
    }
    return p.accent;
}

// A combo over a list of names with an empty choice; returns true when the choice changed.
bool choose_from(const char* id, const char* none_label, const std::vector<std::string>& options,
                 std::string& value, UiRects& rects, const std::string& rect_prefix) {
    bool changed = false;
    const char* preview = value.empty() ? none_label : value.c_str();
    if (ImGui::BeginCombo(id, preview)) {
        if (ImGui::Selectable(none_label, value.empty())) {
            changed = !value.empty();
            value.clear();
        }
        bool listed = false;
        for (const std::string& option : options) {
            listed |= option == value;
            if (ImGui::Selectable(option.c_str(), option == value)) {
                changed = option != value;
                value = option;
            }
            rects.add_last_item(rect_prefix + option);
        }
        // A value from an import that is not in the workspace's list stays choosable.
        if (!listed && !value.empty()) ImGui::Selectable(value.c_str(), true);
        ImGui::EndCombo();
    }
    return changed;
}

}  // namespace

// Free text that may be private: hidden while presenting, saved when the field is left.
void DealEditor::notes_field(PipeboardApp& app, const Deal& deal, Field& field,
                             std::string Deal::*member, float height, const std::string& name,
                             Timestamp now) {
    UiRects& rects = rects_of(app);
    if (app.presentation().on()) {
        ImGui::TextDisabled("Hidden while presenting");
        rects.add_last_item("hidden:" + name);
        return;
    }
    ImGui::InputTextMultiline(("##" + name).c_str(), &field.text, ImVec2(-FLT_MIN, height));
    if (ImGui::IsItemDeactivatedAfterEdit() && field.text != deal.*member) {
        Deal edited = deal;
        edited.*member = field.text;
        save(app, edited, field, now);
    }
    rects.add_last_item("field:" + name);
    show_error(rects, field, name.c_str());
}

void DealEditor::show_error(UiRects& rects, const Field& field, const char* name) {
    field_error(field.error);
    if (!field.error.empty()) rects.add_last_item(std::string("error:") + name);
}

std::vector<StageStay> stage_stays(const WorkspaceIndex& index, const Deal& deal, Timestamp now) {
    std::vector<StageStay> stays;
    for (const HistoryEvent& event : index.history_of(deal.meta.id)) {
        if (event.kind == HistoryKind::StatusChanged || event.to_stage_id.empty()) continue;
        if (!stays.empty() && stays.back().stage_id == event.to_stage_id) continue;
        if (!stays.empty()) stays.back().left = event.at;
        stays.push_back(StageStay{event.to_stage_id, event.at, 0, 0});
    }
    if (stays.empty() || stays.back().stage_id != deal.stage_id) {
        // No history (an imported deal) or history that lost its last move: the deal's own
        // record of when it entered its stage is the truth.
        if (!stays.empty()) stays.back().left = deal.stage_entered_at;
        stays.push_back(StageStay{deal.stage_id, deal.stage_entered_at, 0, 0});
    }
    const bool closed = deal.status == DealStatus::Won || deal.status == DealStatus::Lost;
    stays.back().left =
        closed && deal.closed_at ? std::max(*deal.closed_at, stays.back().entered) : now;
    for (StageStay& stay : stays) stay.days = std::max(0, day_of(stay.left) - day_of(stay.entered));
    return stays;
}

float DealEditor::panel_width(float viewport_width, bool narrow) {
    if (narrow) return viewport_width;
    return std::clamp(viewport_width * 0.34f, 420.0f, 540.0f);
}

void DealEditor::open(const Id& deal_id) {
    if (deal_id == deal_id_) return;
    // A fresh open starts on Details; following the keyboard selection keeps the tab.
    if (deal_id_.empty()) show_tab(Tab::Details);
    deal_id_ = deal_id;
    loaded_version_ = 0;
    planning_ = false;
    offer_next_ = false;
    adding_referral_ = false;
    referral_error_.clear();
    plan_error_.clear();
}

void DealEditor::close() {
    deal_id_.clear();
    planning_ = false;
    offer_next_ = false;
    adding_referral_ = false;
}

void DealEditor::load(PipeboardApp& app, const Deal& deal, bool keep_errors) {
    const Currency& currency = app.workspace().currency;
    auto set = [keep_errors](Field& field, std::string text) {
        if (keep_errors && !field.error.empty()) return;
        field.text = std::move(text);
        field.error.clear();
    };
    set(title_, deal.title);
    set(organization_, deal.organization);
    set(value_, format_money(deal.value, currency));
    set(probability_, deal.probability ? std::to_string(*deal.probability) : std::string());
    set(expected_close_, date_field_text(deal.expected_close));
    set(notes_, deal.notes);
    set(contract_end_, date_field_text(deal.contract_end));
    set(upsell_notes_, deal.upsell_notes);
    contacts_.resize(deal.contacts.size());
    for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
        const Contact& contact = deal.contacts[i];
        set(contacts_[i].name, contact.name);
        set(contacts_[i].role, contact.role);
        set(contacts_[i].email, contact.email);
        set(contacts_[i].phone, contact.phone);
    }
}

bool DealEditor::save(PipeboardApp& app, const Deal& edited, Field& field, Timestamp now) {
    const CommandResult result = app.apply(cmd::EditDeal{edited}, now, false, false);
    if (!result.ok) {
        field.error = result.error;
        return false;
    }
    field.error.clear();
    return true;
}

void DealEditor::draw(PipeboardApp& app, Timestamp now) {
    if (!is_open()) return;
    const Deal* found = app.index().find_deal(deal_id_);
    if (!found) {
        close();
        return;
    }
    if (loaded_version_ != app.workspace_version()) {
        load(app, *found, loaded_version_ != 0);
        loaded_version_ = app.workspace_version();
    }
    // Commands may grow the deals vector; work on a copy so the reference cannot dangle.
    const Deal deal = *found;
    const Palette& p = palette();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float width = panel_width(viewport->WorkSize.x, app.narrow());
    const float top = app.narrow() ? viewport->WorkPos.y : app.content_top();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - width, top));
    ImGui::SetNextWindowSize(ImVec2(width, viewport->WorkPos.y + viewport->WorkSize.y - top));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, to_float(p.card));
    ImGui::PushStyleColor(ImGuiCol_Border, to_float(p.card_border));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(18, 14));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings;
    if (ImGui::Begin("Deal###deal-editor", nullptr, flags)) {
        const ImVec2 pos = ImGui::GetWindowPos();
        app.frame_rects().add("panel:deal-editor", pos.x, pos.y, ImGui::GetWindowWidth(),
                              ImGui::GetWindowHeight());
        // Which deal is open, for tests and scripts.
        app.frame_rects().add("editing:" + deal.meta.id, pos.x, pos.y, 1, 1);
        if (!app.narrow()) {
            // A soft shadow on the board side.
            ImDrawList* background = ImGui::GetBackgroundDrawList();
            for (int i = 1; i <= 6; ++i)
                background->AddRectFilled(ImVec2(pos.x - static_cast<float>(i) * 2, pos.y),
                                          ImVec2(pos.x, pos.y + ImGui::GetWindowHeight()),
                                          with_alpha(p.shadow, 0.05f));
        }
        draw_header(app, deal, now);
        if (is_open() && ImGui::BeginTabBar("deal-tabs")) {
            auto tab = [&](const char* label, Tab which, const char* rect) {
                ImGuiTabItemFlags tab_flags = 0;
                if (has_requested_tab_ && requested_tab_ == which)
                    tab_flags |= ImGuiTabItemFlags_SetSelected;
                const bool open = ImGui::BeginTabItem(label, nullptr, tab_flags);
                app.frame_rects().add_last_item(rect);
                return open;
            };
            const std::size_t activity_count = app.index().activities_of(deal.meta.id).size();
            const std::string activities_label =
                "Activities " + std::to_string(activity_count) + "###activities";
            const std::string contacts_label =
                "Contacts " + std::to_string(deal.contacts.size()) + "###contacts";
            const auto stages = app.index().stages_of(deal.pipeline_id);
            const bool customer = deal.status == DealStatus::Won ||
                                  (!stages.empty() && stages.back().meta.id == deal.stage_id);
            if (tab("Details###details", Tab::Details, "tab:deal-details")) {
                ImGui::BeginChild("details-body");
                draw_details(app, deal, now);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
            if (tab(contacts_label.c_str(), Tab::Contacts, "tab:deal-contacts")) {
                ImGui::BeginChild("contacts-body");
                draw_contacts(app, deal, now);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
            if (tab(activities_label.c_str(), Tab::Activities, "tab:deal-activities")) {
                ImGui::BeginChild("activities-body");
                draw_activities(app, deal, now);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
            if (tab("History###history", Tab::History, "tab:deal-history")) {
                ImGui::BeginChild("history-body");
                draw_history(app, deal, now);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
            if (customer && tab("Customer###customer", Tab::Customer, "tab:deal-customer")) {
                ImGui::BeginChild("customer-body");
                draw_customer(app, deal, now);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
            has_requested_tab_ = false;
            ImGui::EndTabBar();
        }
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(2);
}

void DealEditor::draw_header(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    const UiFonts& fonts = app.fonts();
    const WorkspaceIndex& index = app.index();
    const Stage* stage = index.find_stage(deal.stage_id);
    const Pipeline* pipeline = index.find_pipeline(deal.pipeline_id);

    // Where the deal is, and the close button.
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(to_float(p.text_muted), "%s  \xE2\x80\xBA  %s",
                       pipeline ? pipeline->name.c_str() : "", stage ? stage->name.c_str() : "");
    const float close_w = ImGui::GetFrameHeight();
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - close_w);
    if (ImGui::Button("\xC3\x97##close", ImVec2(close_w, close_w))) {
        close();
        return;
    }
    app.frame_rects().add_last_item("button:editor-close");
    hover_tooltip("Close (Esc)");

    // The title, in the heading font, edited in place.
    ImGui::PushFont(fonts.large);
    ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0, 0, 0, 0));
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool enter =
        ImGui::InputText("##title", &title_.text, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    app.frame_rects().add_last_item("field:deal-title");
    if (committed(enter) && title_.text != deal.title) {
        Deal edited = deal;
        edited.title = title_.text;
        save(app, edited, title_, now);
    }
    show_error(rects_of(app), title_, "deal-title");

    // Value, status and owner at a glance.
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted(
        app.presentation().money(deal.value, app.workspace().currency, true).c_str());
    ImGui::PopFont();
    ImGui::SameLine(0, 12);
    const std::uint32_t color = status_color(deal.status);
    ImGui::TextColored(to_float(color), "%s", status_word(deal.status));
    if (deal.status == DealStatus::Lost && !deal.lost_reason.empty()) {
        ImGui::SameLine(0, 6);
        ImGui::TextColored(to_float(p.text_muted), "(%s)", deal.lost_reason.c_str());
    } else if (deal.status == DealStatus::Nurture && deal.revisit_on) {
        ImGui::SameLine(0, 6);
        ImGui::TextColored(to_float(p.text_muted), "revisit %s",
                           short_date(*deal.revisit_on, day_of(now)).c_str());
    }
    ImGui::SameLine(0, 12);
    ImGui::TextColored(to_float(p.text_muted), "%d%% \xC2\xB7 %s in stage",
                       index.stage_probability(deal),
                       day_count_text(index.days_in_stage(deal, now)).c_str());

    // The stages as steps: the current one filled; a click moves the deal there.
    const auto stages = index.stages_of(deal.pipeline_id);
    if (!stages.empty()) {
        const float gap = 3.0f;
        const float full = ImGui::GetContentRegionAvail().x;
        const float step_w = (full - gap * static_cast<float>(stages.size() - 1)) /
                             static_cast<float>(stages.size());
        int current = -1;
        for (std::size_t i = 0; i < stages.size(); ++i)
            if (stages[i].meta.id == deal.stage_id) current = static_cast<int>(i);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        for (std::size_t i = 0; i < stages.size(); ++i) {
            if (i > 0) ImGui::SameLine(0, gap);
            ImGui::PushID(static_cast<int>(i));
            const ImVec2 min = ImGui::GetCursorScreenPos();
            if (ImGui::InvisibleButton("step", ImVec2(step_w, 10)) &&
                static_cast<int>(i) != current)
                app.apply(cmd::MoveDeal{deal.meta.id, stages[i].meta.id, {}}, now, true);
            app.frame_rects().add_last_item("stage-step:" + stages[i].name);
            const bool hovered = ImGui::IsItemHovered();
            if (hovered) ImGui::SetTooltip("Move to %s", stages[i].name.c_str());
            const bool reached = static_cast<int>(i) <= current;
            const std::uint32_t fill =
                reached ? rgba_to_imgui(stages[i].color) : (hovered ? p.card_border : p.column);
            draw->AddRectFilled(ImVec2(min.x, min.y + 2), ImVec2(min.x + step_w, min.y + 8), fill,
                                3.0f);
            ImGui::PopID();
        }
    }

    // Status actions.
    ImGui::Dummy(ImVec2(0, 2));
    if (deal.status == DealStatus::Open) {
        ImGui::PushStyleColor(ImGuiCol_Button, to_float(with_alpha(p.success, 0.16f)));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, to_float(with_alpha(p.success, 0.28f)));
        ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.success));
        if (ImGui::Button("Won")) app.dialogs().ask_win(deal.meta.id);
        ImGui::PopStyleColor(3);
        app.frame_rects().add_last_item("button:deal-won");
        ImGui::SameLine();
        if (danger_button("Lost")) app.dialogs().ask_lose(deal.meta.id);
        app.frame_rects().add_last_item("button:deal-lost");
        ImGui::SameLine();
        if (ImGui::Button("Not ready")) app.dialogs().ask_nurture(deal.meta.id);
        app.frame_rects().add_last_item("button:deal-nurture");
        hover_tooltip("Park it for nurturing with a date to revisit");
    } else {
        if (ImGui::Button("Reopen")) app.apply(cmd::ReopenDeal{deal.meta.id}, now, true);
        app.frame_rects().add_last_item("button:deal-reopen");
        if (deal.status == DealStatus::Nurture) {
            ImGui::SameLine();
            if (ImGui::Button("Won")) app.dialogs().ask_win(deal.meta.id);
            ImGui::SameLine();
            if (danger_button("Lost")) app.dialogs().ask_lose(deal.meta.id);
        }
    }
    const float delete_w = ImGui::CalcTextSize("Delete").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - delete_w);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.text_muted));
    if (ImGui::Button("Delete")) app.dialogs().ask_delete(deal.meta.id);
    ImGui::PopStyleColor(2);
    app.frame_rects().add_last_item("button:deal-delete");
    ImGui::Dummy(ImVec2(0, 2));
}

void DealEditor::draw_details(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    const Workspace& workspace = app.workspace();
    const WorkspaceIndex& index = app.index();
    UiRects& rects = app.frame_rects();
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    ImGui::Dummy(ImVec2(0, 2));

    form_label("Organization", kLabelWidth);
    if (committed(ImGui::InputText("##organization", &organization_.text, enter)) &&
        organization_.text != deal.organization) {
        Deal edited = deal;
        edited.organization = organization_.text;
        save(app, edited, organization_, now);
    }
    rects.add_last_item("field:deal-organization");
    show_error(rects_of(app), organization_, "deal-organization");

    form_label("Value", kLabelWidth);
    if (app.presentation().masking_amounts()) {
        // The field would show the figure the audience is not meant to see.
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(
            app.presentation().money(deal.value, workspace.currency, false).c_str());
    } else if (committed(ImGui::InputText("##value", &value_.text, enter))) {
        const auto value = parse_money(value_.text, workspace.currency);
        if (!value) {
            value_.error = "Not an amount: use a form like 12,500.00. The value stays " +
                           format_money(deal.value, workspace.currency) + ".";
        } else if (*value != deal.value) {
            Deal edited = deal;
            edited.value = *value;
            save(app, edited, value_, now);
        } else {
            value_.error.clear();
            value_.text = format_money(deal.value, workspace.currency);
        }
    }
    rects.add_last_item("field:deal-value");
    show_error(rects_of(app), value_, "deal-value");

    form_label("Probability %", kLabelWidth);
    const Stage* stage = index.find_stage(deal.stage_id);
    const std::string hint =
        std::to_string(stage ? stage->probability : 0) + " (the stage's default)";
    if (committed(
            ImGui::InputTextWithHint("##probability", hint.c_str(), &probability_.text, enter))) {
        std::optional<int> probability;
        if (!trimmed(probability_.text).empty()) probability = parse_percent(probability_.text);
        if (!trimmed(probability_.text).empty() && !probability) {
            probability_.error = "A whole number from 0 to 100, or empty for the stage's default";
        } else if (probability != deal.probability) {
            Deal edited = deal;
            edited.probability = probability;
            save(app, edited, probability_, now);
        } else {
            probability_.error.clear();
        }
    }
    rects.add_last_item("field:deal-probability");
    show_error(rects_of(app), probability_, "deal-probability");

    form_label("Expected close", kLabelWidth);
    if (committed(ImGui::InputTextWithHint("##expected-close", "YYYY-MM-DD", &expected_close_.text,
                                           enter))) {
        const DayField read = read_day_field(expected_close_.text);
        if (!read.error.empty()) {
            expected_close_.error = read.error;
        } else if (read.day != deal.expected_close) {
            Deal edited = deal;
            edited.expected_close = read.day;
            save(app, edited, expected_close_, now);
        } else {
            expected_close_.error.clear();
        }
    }
    rects.add_last_item("field:deal-expected-close");
    show_error(rects_of(app), expected_close_, "deal-expected-close");

    form_label("Owner", kLabelWidth);
    const Rep* owner = deal.owner_id.empty() ? nullptr : index.find_rep(deal.owner_id);
    if (ImGui::BeginCombo("##owner", owner ? owner->name.c_str() : "Nobody")) {
        if (ImGui::Selectable("Nobody", owner == nullptr) && owner) {
            Deal edited = deal;
            edited.owner_id.clear();
            Field ignored;
            save(app, edited, ignored, now);
        }
        for (const Rep& rep : workspace.reps) {
            if (rep.meta.deleted || (!rep.active && rep.meta.id != deal.owner_id)) continue;
            if (ImGui::Selectable(rep.name.c_str(), rep.meta.id == deal.owner_id) &&
                rep.meta.id != deal.owner_id) {
                Deal edited = deal;
                edited.owner_id = rep.meta.id;
                Field ignored;
                save(app, edited, ignored, now);
            }
            rects.add_last_item("option:deal-owner:" + rep.name);
        }
        ImGui::EndCombo();
    }
    rects.add_last_item("field:deal-owner");

    // A field picked from one of the workspace's lists, saved as soon as it changes.
    const auto list_field = [&](const char* label, const char* id,
                                const std::vector<std::string>& choices, std::string Deal::*member,
                                const char* option_prefix, const char* rect_name) {
        form_label(label, kLabelWidth);
        std::string value = deal.*member;
        if (choose_from(id, "None", choices, value, rects, option_prefix)) {
            Deal edited = deal;
            edited.*member = value;
            Field ignored;
            save(app, edited, ignored, now);
        }
        rects.add_last_item(rect_name);
    };
    list_field("Lead source", "##lead-source", workspace.lists.lead_sources, &Deal::lead_source,
               "option:deal-source:", "field:deal-lead-source");
    list_field("Industry", "##industry", workspace.lists.industries, &Deal::industry,
               "option:deal-industry:", "field:deal-industry");

    // Labels as toggles: the workspace's list plus any the deal carries from an import.
    form_label("Labels", kLabelWidth);
    std::vector<std::string> labels = workspace.lists.labels;
    for (const std::string& label : deal.labels)
        if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    if (labels.empty()) ImGui::TextDisabled("No labels defined");
    float x = ImGui::GetCursorPosX();
    const float right = ImGui::GetWindowContentRegionMax().x;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string& label = labels[i];
        const bool on =
            std::find(deal.labels.begin(), deal.labels.end(), label) != deal.labels.end();
        const float w = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
        if (i > 0) {
            if (x + w + 6 < right) {
                ImGui::SameLine(0, 6);
            } else {
                ImGui::SetCursorPosX(kLabelWidth);
                x = kLabelWidth;
            }
        }
        x = (i > 0 ? x : ImGui::GetCursorPosX()) + w + 6;
        ImGui::PushID(static_cast<int>(i));
        ImGui::PushStyleColor(ImGuiCol_Button, to_float(on ? with_alpha(p.accent, 0.85f)
                                                           : with_alpha(p.accent, 0.08f)));
        ImGui::PushStyleColor(ImGuiCol_Text, to_float(on ? p.on_accent : p.text_muted));
        ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 12.0f);
        if (ImGui::Button(label.c_str())) {
            Deal edited = deal;
            if (on)
                edited.labels.erase(std::find(edited.labels.begin(), edited.labels.end(), label));
            else
                edited.labels.push_back(label);
            Field ignored;
            save(app, edited, ignored, now);
        }
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(2);
        rects.add_last_item("label:" + label);
        ImGui::PopID();
    }

    ImGui::Dummy(ImVec2(0, 2));
    ImGui::TextColored(to_float(p.text_muted), "Notes");
    notes_field(app, deal, notes_, &Deal::notes, 96, "deal-notes", now);

    // The exit criteria of the current stage: what to finish before moving on.
    if (stage && !stage->exit_criteria.empty()) {
        ImGui::Dummy(ImVec2(0, 4));
        const std::string heading = "Before leaving " + stage->name;
        ImGui::SeparatorText(heading.c_str());
        for (std::size_t i = 0; i < stage->exit_criteria.size(); ++i) {
            const std::string& criterion = stage->exit_criteria[i];
            const auto done =
                std::find(deal.checklist_done.begin(), deal.checklist_done.end(), criterion);
            bool checked = done != deal.checklist_done.end();
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Checkbox(criterion.c_str(), &checked)) {
                Deal edited = deal;
                if (checked)
                    edited.checklist_done.push_back(criterion);
                else
                    edited.checklist_done.erase(std::find(edited.checklist_done.begin(),
                                                          edited.checklist_done.end(), criterion));
                Field ignored;
                save(app, edited, ignored, now);
            }
            rects.add_last_item("checklist:" + criterion);
            ImGui::PopID();
        }
    }
}

void DealEditor::draw_contacts(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    UiRects& rects = app.frame_rects();
    ImGui::Dummy(ImVec2(0, 2));
    if (deal.contacts.empty()) ImGui::TextDisabled("No contacts yet.");
    contacts_.resize(deal.contacts.size());
    std::optional<std::size_t> remove;
    for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
        const Contact& contact = deal.contacts[i];
        ContactFields& fields = contacts_[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::PushStyleColor(ImGuiCol_ChildBg, to_float(with_alpha(p.column, 0.6f)));
        ImGui::BeginChild("contact", ImVec2(-FLT_MIN, 0),
                          ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding);
        auto text_field = [&](const char* label, const char* id, Field& field,
                              std::string Contact::*member, bool is_email) {
            form_label(label, 80);
            if (committed(
                    ImGui::InputText(id, &field.text, ImGuiInputTextFlags_EnterReturnsTrue)) &&
                field.text != contact.*member) {
                if (is_email && !trimmed(field.text).empty() &&
                    !plausible_email(trimmed(field.text))) {
                    field.error = "Not an email address";
                } else {
                    Deal edited = deal;
                    edited.contacts[i].*member = trimmed(field.text);
                    save(app, edited, field, now);
                }
            }
            rects.add_last_item(std::string("field:contact-") + (id + 2) + ":" + std::to_string(i));
            field_error(field.error);
        };
        text_field("Name", "##name", fields.name, &Contact::name, false);
        text_field("Role", "##role", fields.role, &Contact::role, false);
        text_field("Email", "##email", fields.email, &Contact::email, true);
        text_field("Phone", "##phone", fields.phone, &Contact::phone, false);
        bool decision_maker = contact.decision_maker;
        if (ImGui::Checkbox("Decision-maker", &decision_maker)) {
            Deal edited = deal;
            edited.contacts[i].decision_maker = decision_maker;
            Field ignored;
            save(app, edited, ignored, now);
        }
        rects.add_last_item("checkbox:decision-maker:" + std::to_string(i));
        const float remove_w =
            ImGui::CalcTextSize("Remove").x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - remove_w);
        if (ImGui::Button("Remove")) remove = i;
        ImGui::EndChild();
        ImGui::PopStyleColor();
        ImGui::PopID();
    }
    if (remove) {
        Deal edited = deal;
        edited.contacts.erase(edited.contacts.begin() + static_cast<std::ptrdiff_t>(*remove));
        contacts_.erase(contacts_.begin() + static_cast<std::ptrdiff_t>(*remove));
        Field ignored;
        save(app, edited, ignored, now);
    }
    if (ImGui::Button("+ Add contact")) {
        Deal edited = deal;
        Contact contact;
        contact.name = "New contact";
        edited.contacts.push_back(contact);
        Field ignored;
        if (save(app, edited, ignored, now)) {
            contacts_.emplace_back();
            contacts_.back().name.text = contact.name;
        }
    }
    rects.add_last_item("button:add-contact");
}

void DealEditor::draw_plan_form(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    UiRects& rects = app.frame_rects();
    ImGui::PushStyleColor(ImGuiCol_ChildBg, to_float(with_alpha(p.accent, 0.06f)));
    ImGui::BeginChild("plan", ImVec2(-FLT_MIN, 0),
                      ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding);
    constexpr ActivityType kTypes[] = {ActivityType::Call, ActivityType::Email,
                                       ActivityType::Meeting, ActivityType::Task,
                                       ActivityType::Deadline};
    for (std::size_t i = 0; i < std::size(kTypes); ++i) {
        if (i > 0) ImGui::SameLine(0, 4);
        const bool chosen = plan_type_ == kTypes[i];
        ImGui::PushStyleColor(ImGuiCol_Button, to_float(chosen ? with_alpha(p.accent, 0.85f)
                                                               : with_alpha(p.accent, 0.10f)));
        ImGui::PushStyleColor(ImGuiCol_Text, to_float(chosen ? p.on_accent : p.text));
        if (ImGui::Button(activity_type_label(kTypes[i]))) plan_type_ = kTypes[i];
        ImGui::PopStyleColor(2);
        rects.add_last_item(std::string("option:activity-type:") + activity_type_label(kTypes[i]));
    }
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    form_label("Subject", 80);
    if (plan_focus_) {
        focus_next_widget();
        plan_focus_ = false;
    }
    bool submit =
        ImGui::InputTextWithHint("##subject", "e.g. Discovery call", &plan_subject_, enter);
    rects.add_last_item("field:activity-subject");
    form_label("Date", 80);
    ImGui::SetNextItemWidth(140);
    submit |= ImGui::InputTextWithHint("##date", "YYYY-MM-DD", &plan_date_, enter);
    rects.add_last_item("field:activity-date");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    submit |= ImGui::InputTextWithHint("##time", "HH:MM", &plan_time_, enter);
    rects.add_last_item("field:activity-time");
    ImGui::SameLine();
    ImGui::TextDisabled("UTC, empty = all day");
    field_error(plan_error_);
    if (primary_button("Save activity")) submit = true;
    rects.add_last_item("button:activity-save");
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) planning_ = false;
    ImGui::EndChild();
    ImGui::PopStyleColor();
    if (!submit) return;

    const DayField day = read_day_field(plan_date_);
    if (!day.error.empty() || !day.day) {
        plan_error_ = day.error.empty() ? "Date is required" : day.error;
        return;
    }
    Activity activity;
    activity.deal_id = deal.meta.id;
    activity.type = plan_type_;
    activity.subject = trimmed(plan_subject_);
    if (activity.subject.empty()) activity.subject = activity_type_label(plan_type_);
    activity.has_time = !trimmed(plan_time_).empty();
    activity.due = start_of_day(*day.day);
    if (activity.has_time) {
        const auto minutes = parse_clock(plan_time_);
        if (!minutes) {
            plan_error_ = "Not a time: use a form like 14:30";
            return;
        }
        activity.due += static_cast<Timestamp>(*minutes) * 60;
    }
    const CommandResult result = app.apply(cmd::CreateActivity{activity}, now, true, false);
    if (!result.ok) {
        plan_error_ = result.error;
        return;
    }
    planning_ = false;
    plan_error_.clear();
}

void DealEditor::draw_activities(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    UiRects& rects = app.frame_rects();
    ImGui::Dummy(ImVec2(0, 2));
    auto start_planning = [&] {
        planning_ = true;
        plan_focus_ = true;
        offer_next_ = false;
        plan_type_ = ActivityType::Call;
        plan_subject_.clear();
        plan_date_ = format_day(day_of(now) + 1);
        plan_time_ = "10:00";
        plan_error_.clear();
    };
    if (offer_next_) {
        ImGui::TextColored(to_float(p.success), "Done. Plan the next step?");
        ImGui::SameLine();
        if (primary_button("Plan next activity")) start_planning();
        rects.add_last_item("button:plan-next");
        ImGui::SameLine();
        if (ImGui::Button("Not now")) offer_next_ = false;
    }
    if (planning_)
        draw_plan_form(app, deal, now);
    else if (!offer_next_ && ImGui::Button("+ Plan activity"))
        start_planning();
    if (!planning_ && !offer_next_) rects.add_last_item("button:plan-activity");
    ImGui::Dummy(ImVec2(0, 4));

    const auto activities = app.index().activities_of(deal.meta.id);
    if (activities.empty()) {
        ImGui::TextColored(to_float(p.warning),
                           "\xE2\x9A\xA0 Nothing planned. Deals without a next step go stale.");
        return;
    }
    // Copies, since completing one changes the index under the loop.
    std::vector<Activity> open, done;
    for (const Activity& activity : activities) (activity.done ? done : open).push_back(activity);
    std::sort(done.begin(), done.end(), [](const Activity& a, const Activity& b) {
        return a.done_at.value_or(a.due) > b.done_at.value_or(b.due);
    });
    auto row = [&](const Activity& activity) {
        ImGui::PushID(activity.meta.id.c_str());
        bool checked = activity.done;
        if (ImGui::Checkbox("##done", &checked)) {
            const CommandResult result =
                app.apply(cmd::CompleteActivity{activity.meta.id, checked}, now);
            if (result.ok && checked) offer_next_ = true;
        }
        rects.add_last_item("checkbox:activity:" + activity.meta.id);
        ImGui::SameLine();
        const bool overdue = is_overdue(activity, now);
        const std::uint32_t color = activity.done ? p.text_muted : p.text;
        ImGui::TextColored(to_float(p.text_muted), "%s", activity_type_label(activity.type));
        ImGui::SameLine();
        ImGui::TextColored(to_float(color), "%s", activity.subject.c_str());
        const std::string when = due_text(activity, now);
        const float when_w = ImGui::CalcTextSize(when.c_str()).x;
        const float delete_w = ImGui::GetFrameHeight();
        same_line_right_aligned(when_w + delete_w + 10);
        ImGui::TextColored(to_float(overdue ? p.danger : p.text_muted), "%s", when.c_str());
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - delete_w);
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        if (ImGui::Button("\xC3\x97", ImVec2(delete_w, 0)))
            app.apply(cmd::DeleteActivity{activity.meta.id}, now, true);
        ImGui::PopStyleColor();
        hover_tooltip("Delete this activity");
        ImGui::PopID();
    };
    if (!open.empty()) ImGui::SeparatorText("Planned");
    for (const Activity& activity : open) row(activity);
    if (open.empty()) ImGui::TextColored(to_float(p.warning), "\xE2\x9A\xA0 No next step planned.");
    if (!done.empty()) ImGui::SeparatorText("Done");
    for (const Activity& activity : done) row(activity);
}

void DealEditor::draw_history(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    const WorkspaceIndex& index = app.index();
    const Day today = day_of(now);
    ImGui::Dummy(ImVec2(0, 2));
    const std::vector<StageStay> stays = stage_stays(index, deal, now);

    // Time in each stage, as bars against the longest stay.
    ImGui::SeparatorText("Time in each stage");
    int longest = 1;
    for (const StageStay& stay : stays) longest = std::max(longest, stay.days);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float bar_room = ImGui::GetContentRegionAvail().x - kLabelWidth - 120;
    for (std::size_t i = 0; i < stays.size(); ++i) {
        const StageStay& stay = stays[i];
        const Stage* stage = index.find_stage(stay.stage_id);
        const bool current = i + 1 == stays.size() && deal.status == DealStatus::Open;
        ImGui::TextUnformatted(stage ? stage->name.c_str() : "(deleted stage)");
        ImGui::SameLine(kLabelWidth);
        const ImVec2 min = ImGui::GetCursorScreenPos();
        const float w =
            std::max(3.0f, bar_room * static_cast<float>(stay.days) / static_cast<float>(longest));
        const float line = ImGui::GetTextLineHeight();
        draw->AddRectFilled(ImVec2(min.x, min.y + 3), ImVec2(min.x + w, min.y + line - 3),
                            stage ? rgba_to_imgui(stage->color) : p.card_border, 3.0f);
        ImGui::Dummy(ImVec2(w, line));
        ImGui::SameLine(0, 8);
        ImGui::TextColored(to_float(current ? p.text : p.text_muted), "%s%s",
                           day_count_text(stay.days).c_str(), current ? " (now)" : "");
    }

    // Every event, newest first, on a timeline.
    ImGui::Dummy(ImVec2(0, 4));
    ImGui::SeparatorText("Timeline");
    const auto events = index.history_of(deal.meta.id);
    if (events.empty()) ImGui::TextDisabled("No recorded history (imported deal).");
    std::vector<const HistoryEvent*> ordered;
    for (const HistoryEvent& event : events) ordered.push_back(&event);
    std::reverse(ordered.begin(), ordered.end());
    const float line = ImGui::GetTextLineHeight();
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        const HistoryEvent& event = *ordered[i];
        const Stage* to = index.find_stage(event.to_stage_id);
        const Stage* from = index.find_stage(event.from_stage_id);
        std::string what;
        switch (event.kind) {
            case HistoryKind::Created:
                what = "Created in " + (to ? to->name : std::string("a stage"));
                break;
            case HistoryKind::StageChanged:
                what = "Moved " + (from ? "from " + from->name + " " : std::string()) + "to " +
                       (to ? to->name : std::string("a deleted stage"));
                break;
            case HistoryKind::StatusChanged:
                what = std::string("Marked ") + status_word(event.to_status);
                if (event.to_status == DealStatus::Open) what = "Reopened";
                if (!event.detail.empty()) what += ": " + event.detail;
                break;
        }
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const std::uint32_t dot = event.kind == HistoryKind::StatusChanged
                                      ? status_color(event.to_status)
                                      : (to ? rgba_to_imgui(to->color) : p.card_border);
        if (i + 1 < ordered.size())
            draw->AddLine(ImVec2(pos.x + 5, pos.y + line / 2),
                          ImVec2(pos.x + 5, pos.y + line * 2.6f), p.card_border, 2.0f);
        draw->AddCircleFilled(ImVec2(pos.x + 5, pos.y + line / 2), 5.0f, dot);
        ImGui::SetCursorScreenPos(ImVec2(pos.x + 18, pos.y));
        ImGui::TextUnformatted(what.c_str());
        ImGui::SetCursorScreenPos(ImVec2(pos.x + 18, ImGui::GetCursorScreenPos().y - 4));
        const Rep* by = event.by_rep_id.empty() ? nullptr : index.find_rep(event.by_rep_id);
        ImGui::TextColored(
            to_float(p.text_muted), "%s %s%s%s", short_date(day_of(event.at), today).c_str(),
            clock_time(event.at).c_str(), by ? " \xC2\xB7 " : "", by ? by->name.c_str() : "");
        ImGui::Dummy(ImVec2(0, 2));
    }
}

void DealEditor::refresh_referrals(PipeboardApp& app) {
    if (referrals_version_ == app.workspace_version() && referrals_deal_ == deal_id_) return;
    referrals_.clear();
    const std::vector<Deal>& deals = app.workspace().deals;
    for (std::size_t i = 0; i < deals.size(); ++i)
        if (!deals[i].meta.deleted && deals[i].referred_by_deal_id == deal_id_)
            referrals_.push_back(i);
    referrals_version_ = app.workspace_version();
    referrals_deal_ = deal_id_;
}

void DealEditor::draw_customer(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Palette& p = palette();
    const Workspace& workspace = app.workspace();
    UiRects& rects = app.frame_rects();
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    const Day today = day_of(now);
    ImGui::Dummy(ImVec2(0, 2));

    form_label("Contract ends", kLabelWidth);
    if (committed(
            ImGui::InputTextWithHint("##contract-end", "YYYY-MM-DD", &contract_end_.text, enter))) {
        const DayField read = read_day_field(contract_end_.text);
        if (!read.error.empty()) {
            contract_end_.error = read.error;
        } else if (read.day != deal.contract_end) {
            Deal edited = deal;
            edited.contract_end = read.day;
            save(app, edited, contract_end_, now);
        } else {
            contract_end_.error.clear();
        }
    }
    rects.add_last_item("field:deal-contract-end");
    show_error(rects_of(app), contract_end_, "deal-contract-end");
    if (deal.contract_end) {
        const int days = *deal.contract_end - today;
        if (days < 0)
            ImGui::TextColored(to_float(p.danger), "The contract ended %s ago.",
                               day_count_text(-days).c_str());
        else if (days <= 60)
            ImGui::TextColored(to_float(p.warning), "Up for renewal in %s.",
                               day_count_text(days).c_str());
    }

    ImGui::TextColored(to_float(p.text_muted), "Upsell and cross-sell notes");
    notes_field(app, deal, upsell_notes_, &Deal::upsell_notes, 80, "deal-upsell", now);

    ImGui::Dummy(ImVec2(0, 4));
    ImGui::SeparatorText("Referrals");
    refresh_referrals(app);
    if (referrals_.empty()) ImGui::TextDisabled("No referrals from this customer yet.");
    for (std::size_t i : referrals_) {
        const Deal& lead = workspace.deals[i];
        ImGui::PushID(lead.meta.id.c_str());
        const std::string label =
            lead.title + "  \xC2\xB7  " + format_money(lead.value, workspace.currency, true);
        if (ImGui::Selectable(label.c_str())) {
            const Id id = lead.meta.id;
            ImGui::PopID();
            app.open_deal(id);
            return;
        }
        ImGui::PopID();
    }
    if (!adding_referral_) {
        if (ImGui::Button("+ Add a referral")) {
            adding_referral_ = true;
            referral_title_.clear();
            referral_organization_.clear();
            referral_contact_.clear();
            referral_value_.clear();
            referral_error_.clear();
        }
        rects.add_last_item("button:add-referral");
        return;
    }
    form_label("Deal title", kLabelWidth);
    bool submit = ImGui::InputText("##referral-title", &referral_title_, enter);
    rects.add_last_item("field:referral-title");
    form_label("Organization", kLabelWidth);
    submit |= ImGui::InputText("##referral-organization", &referral_organization_, enter);
    form_label("Contact", kLabelWidth);
    submit |= ImGui::InputText("##referral-contact", &referral_contact_, enter);
    form_label("Value", kLabelWidth);
    submit |= ImGui::InputText("##referral-value", &referral_value_, enter);
    field_error(referral_error_);
    if (primary_button("Create lead")) submit = true;
    rects.add_last_item("button:referral-save");
    ImGui::SameLine();
    if (ImGui::Button("Cancel##referral")) adding_referral_ = false;
    if (!submit) return;
    cmd::CreateReferralLead lead;
    lead.referring_deal_id = deal.meta.id;
    lead.title = referral_title_;
    lead.organization = referral_organization_;
    lead.contact.name = trimmed(referral_contact_);
    if (!trimmed(referral_value_).empty()) {
        const auto value = parse_money(referral_value_, workspace.currency);
        if (!value) {
            referral_error_ = "Value: not an amount (e.g. 12,500)";
            return;
        }
        lead.value = *value;
    }
    const CommandResult result = app.apply(lead, now, true, false);
    if (!result.ok) {
        referral_error_ = result.error;
        return;
    }
    adding_referral_ = false;
}

}  // namespace pb::ui

// Each dialog is one modal; the answer is validated before the command runs, and a command's
// own refusal (a close date in the future) is shown beside the field it is about.
#include "ui/deal_dialogs.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "core/commands.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr float kLabelWidth = 110.0f;
constexpr const char* kPopupId = "###deal-dialog";

bool blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string quoted(const std::string& title) { return "\xE2\x80\x9C" + title + "\xE2\x80\x9D"; }

const Stage* last_stage_of(const WorkspaceIndex& index, const Id& pipeline_id) {
    const auto stages = index.stages_of(pipeline_id);
    return stages.empty() ? nullptr : &stages.back();
}

}  // namespace

void DealDialogs::open(Kind kind, const Id& deal_id) {
    kind_ = kind;
    deal_id_ = deal_id;
    opening_ = true;
    prepared_ = false;
    value_.clear();
    date_.clear();
    reason_.clear();
    move_to_customers_ = true;
    value_error_.clear();
    date_error_.clear();
    error_.clear();
}

void DealDialogs::ask_win(const Id& deal_id) { open(Kind::Win, deal_id); }
void DealDialogs::ask_lose(const Id& deal_id) { open(Kind::Lose, deal_id); }
void DealDialogs::ask_nurture(const Id& deal_id) { open(Kind::Nurture, deal_id); }
void DealDialogs::ask_delete(const Id& deal_id) { open(Kind::Delete, deal_id); }

void DealDialogs::close() {
    kind_ = Kind::None;
    deal_id_.clear();
}

bool DealDialogs::buttons(PipeboardApp& app, const char* confirm_label, const char* confirm_rect,
                          bool can_confirm) {
    ImGui::Dummy(ImVec2(0, 4));
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, 2));
    const ImGuiStyle& style = ImGui::GetStyle();
    const float cancel_w = ImGui::CalcTextSize("Cancel").x + style.FramePadding.x * 2;
    const float confirm_w =
        ImGui::CalcTextSize(confirm_label, nullptr, true).x + style.FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - cancel_w - confirm_w -
                         style.ItemSpacing.x);
    bool cancel = ImGui::Button("Cancel");
    app.frame_rects().add_last_item("button:dialog-cancel");
    ImGui::SameLine();
    ImGui::BeginDisabled(!can_confirm);
    const bool confirm = primary_button(confirm_label);
    ImGui::EndDisabled();
    app.frame_rects().add_last_item(confirm_rect);
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) cancel = true;
    if (cancel) {
        close();
        return false;
    }
    return confirm && can_confirm;
}

void DealDialogs::draw(PipeboardApp& app, Timestamp now) {
    if (kind_ == Kind::None) return;
    const Deal* deal = app.index().find_deal(deal_id_);
    if (!deal) {
        close();
        return;
    }
    if (opening_) {
        ImGui::OpenPopup(kPopupId);
        opening_ = false;
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2,
                                   viewport->WorkPos.y + viewport->WorkSize.y * 0.4f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(460.0f, viewport->WorkSize.x - 24), 0));
    const char* title = kind_ == Kind::Win       ? "Mark as won###deal-dialog"
                        : kind_ == Kind::Lose    ? "Mark as lost###deal-dialog"
                        : kind_ == Kind::Nurture ? "Not ready yet###deal-dialog"
                                                 : "Delete deal###deal-dialog";
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(18, 14));
    const bool visible = ImGui::BeginPopupModal(
        title, nullptr,
        ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!visible) {
        close();
        return;
    }
    switch (kind_) {
        case Kind::Win:
            draw_win(app, *deal, now);
            break;
        case Kind::Lose:
            draw_lose(app, *deal, now);
            break;
        case Kind::Nurture:
            draw_nurture(app, *deal, now);
            break;
        case Kind::Delete:
            draw_delete(app, *deal, now);
            break;
        case Kind::None:
            break;
    }
    if (kind_ == Kind::None) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void DealDialogs::draw_win(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Currency& currency = app.workspace().currency;
    const bool first_frame = !prepared_;
    if (first_frame) {
        value_ = format_money(deal.value, currency);
        date_ = format_day(day_of(now));
        prepared_ = true;
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("Confirm the final value and the close date of %s.", quoted(deal.title).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, 4));
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    form_label("Final value", kLabelWidth);
    if (first_frame) focus_next_widget();
    bool submit = ImGui::InputText("##won-value", &value_, enter);
    app.frame_rects().add_last_item("field:won-value");
    field_error(value_error_);
    if (!value_error_.empty()) app.frame_rects().add_last_item("error:won-value");
    form_label("Closed on", kLabelWidth);
    submit |= ImGui::InputTextWithHint("##won-date", "YYYY-MM-DD", &date_, enter);
    app.frame_rects().add_last_item("field:won-date");
    field_error(date_error_);
    if (!date_error_.empty()) app.frame_rects().add_last_item("error:won-date");
    const Stage* customers = last_stage_of(app.index(), deal.pipeline_id);
    const bool can_move = customers && customers->meta.id != deal.stage_id;
    if (can_move) {
        const std::string label = "Move it to " + customers->name + " as a customer";
        ImGui::Checkbox(label.c_str(), &move_to_customers_);
        app.frame_rects().add_last_item("checkbox:won-move");
    }
    field_error(error_);
    submit |= buttons(app, "Mark as won", "button:won-confirm", true);
    if (!submit || kind_ == Kind::None) return;

    value_error_.clear();
    date_error_.clear();
    error_.clear();
    const auto value = parse_money(value_, currency);
    if (!value) value_error_ = "Not an amount: use a form like 12,500.00";
    const DayField closed = read_day_field(date_);
    if (!closed.error.empty()) date_error_ = closed.error;
    if (!value_error_.empty() || !date_error_.empty()) return;

    std::vector<Command> commands{cmd::WinDeal{deal.meta.id, *value, closed.day}};
    if (can_move && move_to_customers_)
        commands.push_back(cmd::MoveDeal{deal.meta.id, customers->meta.id, {}});
    const CommandResult result = app.apply_together(commands, now);
    if (result.ok) {
        close();
        return;
    }
    if (result.error.find("Close date") != std::string::npos)
        date_error_ = result.error;
    else if (result.error.find("Value") != std::string::npos)
        value_error_ = result.error;
    else
        error_ = result.error;
}

void DealDialogs::draw_lose(PipeboardApp& app, const Deal& deal, Timestamp now) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("Why was %s lost? The reason feeds the lost-deal reports.",
                quoted(deal.title).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, 4));
    const auto& reasons = app.workspace().lists.lost_reasons;
    const float available = ImGui::GetContentRegionAvail().x;
    float used = 0;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        const std::string& reason = reasons[i];
        const float w =
            ImGui::CalcTextSize(reason.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
        if (i > 0 && used + w + ImGui::GetStyle().ItemSpacing.x < available)
            ImGui::SameLine();
        else if (i > 0)
            used = 0;
        used += w + ImGui::GetStyle().ItemSpacing.x;
        const bool chosen = reason_ == reason;
        ImGui::PushID(static_cast<int>(i));
        if (chosen)
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyle().Colors[ImGuiCol_ButtonActive]);
        if (ImGui::Button(reason.c_str())) reason_ = reason;
        if (chosen) ImGui::PopStyleColor();
        app.frame_rects().add_last_item("option:lost-reason:" + reason);
        ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0, 2));
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool submit_field = ImGui::InputTextWithHint(
        "##lost-reason", "Or type the reason", &reason_, ImGuiInputTextFlags_EnterReturnsTrue);
    app.frame_rects().add_last_item("field:lost-reason");
    field_error(error_);
    const bool can_confirm = !blank(reason_);
    const bool submit = buttons(app, "Mark as lost", "button:lost-confirm", can_confirm) ||
                        (submit_field && can_confirm);
    if (!submit || kind_ == Kind::None) return;
    const CommandResult result =
        app.apply(cmd::LoseDeal{deal.meta.id, reason_, {}}, now, true, false);
    if (result.ok)
        close();
    else
        error_ = result.error;
}

void DealDialogs::draw_nurture(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const Day today = day_of(now);
    if (!prepared_) {
        date_ = format_day(add_months(today, 1));
        prepared_ = true;
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("Park %s for nurturing. It leaves the board until you revisit it.",
                quoted(deal.title).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, 4));
    struct Preset {
        const char* label;
        Day day;
    };
    const Preset presets[] = {{"In 2 weeks", today + 14},
                              {"In 1 month", add_months(today, 1)},
                              {"In 3 months", add_months(today, 3)},
                              {"In 6 months", add_months(today, 6)}};
    for (std::size_t i = 0; i < std::size(presets); ++i) {
        if (i > 0) ImGui::SameLine();
        if (ImGui::Button(presets[i].label)) date_ = format_day(presets[i].day);
    }
    form_label("Revisit on", kLabelWidth);
    bool submit = ImGui::InputTextWithHint("##nurture-date", "YYYY-MM-DD", &date_,
                                           ImGuiInputTextFlags_EnterReturnsTrue);
    app.frame_rects().add_last_item("field:nurture-date");
    field_error(date_error_);
    if (!date_error_.empty()) app.frame_rects().add_last_item("error:nurture-date");
    field_error(error_);
    submit |= buttons(app, "Park it", "button:nurture-confirm", true);
    if (!submit || kind_ == Kind::None) return;
    date_error_.clear();
    error_.clear();
    const DayField revisit = read_day_field(date_);
    if (!revisit.error.empty() || !revisit.day) {
        date_error_ = revisit.error.empty() ? "Revisit date is required" : revisit.error;
        return;
    }
    const CommandResult result =
        app.apply(cmd::NurtureDeal{deal.meta.id, revisit.day}, now, true, false);
    if (result.ok)
        close();
    else
        date_error_ = result.error;
}

void DealDialogs::draw_delete(PipeboardApp& app, const Deal& deal, Timestamp now) {
    const std::size_t activities = app.index().activities_of(deal.meta.id).size();
    ImGui::PushTextWrapPos(0.0f);
    if (activities > 0)
        ImGui::Text("Delete %s and its %zu activities? Undo brings them back.",
                    quoted(deal.title).c_str(), activities);
    else
        ImGui::Text("Delete %s? Undo brings it back.", quoted(deal.title).c_str());
    ImGui::PopTextWrapPos();
    if (!buttons(app, "Delete deal", "button:delete-confirm", true) || kind_ == Kind::None) return;
    const CommandResult result = app.apply(cmd::DeleteDeal{deal.meta.id}, now, true, false);
    if (!result.ok) {
        error_ = result.error;
        return;
    }
    if (app.editor().deal_id() == deal.meta.id) app.editor().close();
    close();
}

}  // namespace pb::ui

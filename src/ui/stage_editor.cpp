// Every change is its own command (and undo step); colours come from a small palette of
// swatches so that choosing one is a single change rather than a stream of them.
#include "ui/stage_editor.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "core/commands.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace pb::ui {

namespace {

constexpr const char* kPopupId = "Pipeline stages###stages";
constexpr std::uint32_t kSwatches[] = {0x4F7CACFF, 0x3D7FC7FF, 0x2E9C7AFF, 0x4B8F3AFF,
                                       0x8AA832FF, 0xD4A72CFF, 0xC2683BFF, 0xD0493FFF,
                                       0xB84E8AFF, 0x7A5CC7FF, 0x5A6B7DFF, 0x2F3A4AFF};

ImVec4 to_float(std::uint32_t color) { return ImGui::ColorConvertU32ToFloat4(color); }

std::optional<int> parse_count(std::string_view text, int max) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '%')) text.remove_suffix(1);
    if (text.empty() || text.size() > 5) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > max) return std::nullopt;
    return value;
}

bool committed(bool enter_pressed) { return enter_pressed || ImGui::IsItemDeactivatedAfterEdit(); }

}  // namespace

void StageEditor::open(const Id& pipeline_id) {
    open_ = true;
    opening_ = true;
    pipeline_id_ = pipeline_id;
    loaded_version_ = 0;
    fields_.clear();
    new_stage_.clear();
    new_pipeline_.clear();
    error_.clear();
    deleting_stage_id_.clear();
    move_deals_to_.clear();
}

void StageEditor::load(PipeboardApp& app) {
    const WorkspaceIndex& index = app.index();
    if (const Pipeline* pipeline = index.find_pipeline(pipeline_id_))
        pipeline_name_ = pipeline->name;
    for (const Stage& stage : index.stages_of(pipeline_id_)) {
        StageFields& fields = fields_[stage.meta.id];
        if (!fields.error.empty()) continue;
        fields.name = stage.name;
        fields.probability = std::to_string(stage.probability);
        fields.rotting_days = std::to_string(stage.rotting_days);
    }
    loaded_version_ = app.workspace_version();
}

void StageEditor::draw(PipeboardApp& app, Timestamp now) {
    if (!open_) return;
    if (opening_) {
        ImGui::OpenPopup(kPopupId);
        opening_ = false;
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const ImVec2 size(std::min(860.0f, viewport->WorkSize.x - 24),
                      std::min(660.0f, viewport->WorkSize.y - 32));
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2,
                                   viewport->WorkPos.y + viewport->WorkSize.y / 2),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(18, 14));
    const bool visible = ImGui::BeginPopupModal(
        kPopupId, nullptr,
        ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!visible) {
        open_ = false;
        return;
    }
    const WorkspaceIndex& index = app.index();
    if (!index.find_pipeline(pipeline_id_)) pipeline_id_ = resolve_pipeline(index, pipeline_id_);
    if (loaded_version_ != app.workspace_version()) load(app);
    UiRects& rects = app.frame_rects();
    const ImVec2 pos = ImGui::GetWindowPos();
    rects.add("panel:stages", pos.x, pos.y, ImGui::GetWindowWidth(), ImGui::GetWindowHeight());

    form_label("Pipeline name", 120);
    if (committed(ImGui::InputText("##pipeline-name", &pipeline_name_,
                                   ImGuiInputTextFlags_EnterReturnsTrue))) {
        const Pipeline* pipeline = index.find_pipeline(pipeline_id_);
        if (pipeline && pipeline_name_ != pipeline->name) {
            const CommandResult result =
                app.apply(cmd::RenamePipeline{pipeline_id_, pipeline_name_}, now, false, false);
            error_ = result.ok ? std::string() : result.error;
        }
    }
    rects.add_last_item("field:pipeline-name");
    ImGui::Dummy(ImVec2(0, 4));

    const float footer = ImGui::GetFrameHeightWithSpacing() * 3 + 12 +
                         (deleting_stage_id_.empty() ? 0 : ImGui::GetFrameHeightWithSpacing() * 2);
    ImGui::BeginChild("stage-list", ImVec2(0, -footer), ImGuiChildFlags_Border);
    const auto stages = index.stages_of(pipeline_id_);
    // Copies: a command below may reorder the index's view while the loop runs.
    std::vector<Stage> rows(stages.begin(), stages.end());
    if (ImGui::BeginTable(
            "stage-table", 6,
            ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_PadOuterX)) {
        ImGui::TableSetupColumn("Colour", ImGuiTableColumnFlags_WidthFixed, 52);
        ImGui::TableSetupColumn("Stage", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Win %", ImGuiTableColumnFlags_WidthFixed, 64);
        ImGui::TableSetupColumn("Rots after (days)", ImGuiTableColumnFlags_WidthFixed, 120);
        ImGui::TableSetupColumn("Deals", ImGuiTableColumnFlags_WidthFixed, 48);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 230);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < rows.size(); ++i)
            draw_stage_row(app, rows[i], static_cast<int>(i), static_cast<int>(rows.size()), now);
        ImGui::EndTable();
    }
    ImGui::EndChild();

    draw_delete_prompt(app, now);
    field_error(error_);
    ImGui::SetNextItemWidth(260);
    bool add_stage = ImGui::InputTextWithHint("##new-stage", "New stage name", &new_stage_,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
    rects.add_last_item("field:new-stage");
    ImGui::SameLine();
    add_stage |= ImGui::Button("Add stage");
    rects.add_last_item("button:add-stage");
    if (add_stage) {
        Stage stage;
        stage.pipeline_id = pipeline_id_;
        stage.name = new_stage_;
        const CommandResult result =
            app.apply(cmd::AddStage{stage, std::nullopt}, now, true, false);
        error_ = result.ok ? std::string() : result.error;
        if (result.ok) new_stage_.clear();
    }
    ImGui::SetNextItemWidth(260);
    bool add_pipeline =
        ImGui::InputTextWithHint("##new-pipeline", "New pipeline name", &new_pipeline_,
                                 ImGuiInputTextFlags_EnterReturnsTrue);
    rects.add_last_item("field:new-pipeline");
    ImGui::SameLine();
    add_pipeline |= ImGui::Button("Add pipeline");
    rects.add_last_item("button:add-pipeline");
    hover_tooltip("A new pipeline with the seven default stages");
    if (add_pipeline) {
        const CommandResult result =
            app.apply(cmd::AddPipeline{new_pipeline_, true}, now, true, false);
        error_ = result.ok ? std::string() : result.error;
        if (result.ok) {
            new_pipeline_.clear();
            app.board_state().pipeline_id = result.created_id;
            app.board_state().selected_deal_id.clear();
            pipeline_id_ = result.created_id;
            fields_.clear();
            loaded_version_ = 0;
        }
    }

    const float close_w = ImGui::CalcTextSize("Done").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - close_w);
    bool close_now = primary_button("Done");
    rects.add_last_item("button:stages-close");
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && !ImGui::GetIO().WantTextInput)
        close_now = true;
    if (close_now) {
        open_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void StageEditor::draw_stage_row(PipeboardApp& app, const Stage& stage, int row, int stage_count,
                                 Timestamp now) {
    const Palette& p = palette();
    UiRects& rects = app.frame_rects();
    StageFields& fields = fields_[stage.meta.id];
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    ImGui::PushID(stage.meta.id.c_str());
    ImGui::TableNextRow();

    ImGui::TableNextColumn();
    if (ImGui::ColorButton("##colour", rgba_to_float(stage.color), ImGuiColorEditFlags_NoTooltip,
                           ImVec2(ImGui::GetFrameHeight() * 1.4f, ImGui::GetFrameHeight())))
        ImGui::OpenPopup("swatches");
    rects.add_last_item("button:stage-colour:" + stage.name);
    hover_tooltip("Change the colour");
    if (ImGui::BeginPopup("swatches")) {
        for (std::size_t i = 0; i < std::size(kSwatches); ++i) {
            if (i % 6 != 0) ImGui::SameLine();
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::ColorButton("##swatch", rgba_to_float(kSwatches[i]), 0, ImVec2(28, 28))) {
                app.apply(cmd::RecolourStage{stage.meta.id, kSwatches[i]}, now);
                ImGui::CloseCurrentPopup();
            }
            ImGui::PopID();
        }
        ImGui::EndPopup();
    }

    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (committed(ImGui::InputText("##name", &fields.name, enter)) && fields.name != stage.name) {
        const CommandResult result =
            app.apply(cmd::RenameStage{stage.meta.id, fields.name}, now, false, false);
        fields.error = result.ok ? std::string() : result.error;
    }
    rects.add_last_item("field:stage-name:" + stage.name);

    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (committed(ImGui::InputText("##probability", &fields.probability, enter))) {
        const auto probability = parse_count(fields.probability, 100);
        if (!probability) {
            fields.error = "Win probability is a whole number from 0 to 100";
        } else if (*probability != stage.probability) {
            Stage edited = stage;
            edited.probability = *probability;
            const CommandResult result = app.apply(cmd::EditStage{edited}, now, false, false);
            fields.error = result.ok ? std::string() : result.error;
        } else {
            fields.error.clear();
        }
    }
    rects.add_last_item("field:stage-probability:" + stage.name);

    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (committed(ImGui::InputText("##rotting", &fields.rotting_days, enter))) {
        const auto days = parse_count(fields.rotting_days, 3650);
        if (!days) {
            fields.error = "Rotting days is a whole number of days (0 = never)";
        } else if (*days != stage.rotting_days) {
            Stage edited = stage;
            edited.rotting_days = *days;
            const CommandResult result = app.apply(cmd::EditStage{edited}, now, false, false);
            fields.error = result.ok ? std::string() : result.error;
        } else {
            fields.error.clear();
        }
    }
    rects.add_last_item("field:stage-rotting:" + stage.name);

    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%zu", app.index().deals_in_stage(stage.meta.id).size());

    ImGui::TableNextColumn();
    ImGui::BeginDisabled(row == 0);
    if (ImGui::ArrowButton("##up", ImGuiDir_Up))
        app.apply(cmd::ReorderStage{stage.meta.id, row - 1}, now);
    ImGui::EndDisabled();
    rects.add_last_item("button:stage-up:" + stage.name);
    ImGui::SameLine(0, 4);
    ImGui::BeginDisabled(row + 1 >= stage_count);
    if (ImGui::ArrowButton("##down", ImGuiDir_Down))
        app.apply(cmd::ReorderStage{stage.meta.id, row + 1}, now);
    ImGui::EndDisabled();
    rects.add_last_item("button:stage-down:" + stage.name);
    ImGui::SameLine();
    const std::string criteria =
        "Exit criteria (" + std::to_string(stage.exit_criteria.size()) + ")";
    if (ImGui::Button(criteria.c_str())) fields.expanded = !fields.expanded;
    rects.add_last_item("button:stage-criteria:" + stage.name);
    ImGui::SameLine();
    if (danger_button("Delete")) {
        if (app.index().deals_in_stage(stage.meta.id).empty()) {
            const CommandResult result =
                app.apply(cmd::DeleteStage{stage.meta.id, {}}, now, true, false);
            error_ = result.ok ? std::string() : result.error;
        } else {
            deleting_stage_id_ = stage.meta.id;
            move_deals_to_.clear();
        }
    }
    rects.add_last_item("button:stage-delete:" + stage.name);

    if (!fields.error.empty()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(1);
        field_error(fields.error);
    }
    if (fields.expanded) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(1);
        ImGui::PushStyleColor(ImGuiCol_Text, to_float(p.text_muted));
        ImGui::TextWrapped("What must be done before a deal leaves %s:", stage.name.c_str());
        ImGui::PopStyleColor();
        std::optional<std::size_t> remove;
        for (std::size_t i = 0; i < stage.exit_criteria.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            ImGui::Bullet();
            ImGui::TextUnformatted(stage.exit_criteria[i].c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("Remove")) remove = i;
            ImGui::PopID();
        }
        ImGui::SetNextItemWidth(-90);
        bool add = ImGui::InputTextWithHint("##criterion", "e.g. Budget confirmed",
                                            &fields.new_criterion, enter);
        rects.add_last_item("field:stage-criterion:" + stage.name);
        ImGui::SameLine();
        add |= ImGui::Button("Add");
        Stage edited = stage;
        bool changed = false;
        if (remove) {
            edited.exit_criteria.erase(edited.exit_criteria.begin() +
                                       static_cast<std::ptrdiff_t>(*remove));
            changed = true;
        }
        std::string criterion = fields.new_criterion;
        while (!criterion.empty() && criterion.back() == ' ') criterion.pop_back();
        if (add && !criterion.empty()) {
            edited.exit_criteria.push_back(criterion);
            fields.new_criterion.clear();
            changed = true;
        }
        if (changed) {
            const CommandResult result = app.apply(cmd::EditStage{edited}, now, false, false);
            fields.error = result.ok ? std::string() : result.error;
        }
    }
    ImGui::PopID();
}

void StageEditor::draw_delete_prompt(PipeboardApp& app, Timestamp now) {
    if (deleting_stage_id_.empty()) return;
    const WorkspaceIndex& index = app.index();
    const Stage* stage = index.find_stage(deleting_stage_id_);
    if (!stage) {
        deleting_stage_id_.clear();
        return;
    }
    const std::size_t deals = index.deals_in_stage(stage->meta.id).size();
    ImGui::TextColored(to_float(palette().warning),
                       "%s holds %zu deals. Move them to:", stage->name.c_str(), deals);
    ImGui::SameLine();
    const Stage* target = index.find_stage(move_deals_to_);
    ImGui::SetNextItemWidth(200);
    if (ImGui::BeginCombo("##move-to", target ? target->name.c_str() : "Choose a stage")) {
        for (const Stage& other : index.stages_of(stage->pipeline_id)) {
            if (other.meta.id == stage->meta.id) continue;
            if (ImGui::Selectable(other.name.c_str(), other.meta.id == move_deals_to_))
                move_deals_to_ = other.meta.id;
            app.frame_rects().add_last_item("option:move-deals-to:" + other.name);
        }
        ImGui::EndCombo();
    }
    app.frame_rects().add_last_item("field:move-deals-to");
    ImGui::SameLine();
    ImGui::BeginDisabled(target == nullptr);
    const bool confirm = danger_button("Delete stage");
    ImGui::EndDisabled();
    app.frame_rects().add_last_item("button:stage-delete-confirm");
    ImGui::SameLine();
    if (ImGui::Button("Keep it")) deleting_stage_id_.clear();
    if (confirm && target) {
        const CommandResult result =
            app.apply(cmd::DeleteStage{deleting_stage_id_, move_deals_to_}, now, true, false);
        error_ = result.ok ? std::string() : result.error;
        if (result.ok) deleting_stage_id_.clear();
    }
}

}  // namespace pb::ui

// One full-viewport window: a top bar above the current view.
#include "ui/app.hpp"

#include <imgui.h>

namespace pb::ui {

PipeboardApp::PipeboardApp(Workspace workspace, std::uint64_t id_seed)
    : workspace_(std::make_unique<Workspace>(std::move(workspace))),
      ids_(id_seed),
      session_(std::make_unique<Session>(*workspace_, ids_)) {}

void PipeboardApp::replace_workspace(Workspace workspace) {
    *workspace_ = std::move(workspace);
    session_->reset();
    board_ = BoardState{};
}

void PipeboardApp::draw_top_bar() {
    ImGui::PushFont(fonts_.large);
    ImGui::TextUnformatted("Pipeboard");
    ImGui::PopFont();
    ImGui::SameLine(0, 16);
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", workspace_->name.c_str());
    rects_.add_last_item("workspace-name");
}

void PipeboardApp::draw_frame(Timestamp now) {
    rects_.begin_frame();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("Pipeboard", nullptr, flags);
    draw_top_bar();
    data_view_.draw_top_bar(*this, now);
    BoardContext board{*workspace_, board_, rects_, fonts_, now};
    draw_board(board);
    data_view_.draw_overlays(*this, now);
    ImGui::End();
    rects_.end_frame();
}

}  // namespace pb::ui

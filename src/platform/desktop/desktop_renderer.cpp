// On the desktop ImGui's own OpenGL 3 renderer draws the frames.
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include "platform/platform.hpp"

namespace pb::platform {

void renderer_start(const GlSetup& gl) {
    ImGui_ImplOpenGL3_Init(gl.glsl_version);
    ImGui_ImplOpenGL3_CreateDeviceObjects();
}

void renderer_fonts_changed() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void renderer_draw(const ImDrawData& frame) {
    ImGui_ImplOpenGL3_RenderDrawData(const_cast<ImDrawData*>(&frame));
}

void renderer_stop() { ImGui_ImplOpenGL3_Shutdown(); }

}  // namespace pb::platform

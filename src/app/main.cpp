// Pipeboard's entry point for the browser and the desktop: an SDL2 window with an OpenGL
// (WebGL2 on the web) context, Dear ImGui on top, and the app drawing each frame.
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_sdl2.h>

#include <cstdio>

#include "core/ids.hpp"
#include "platform/platform.hpp"
#include "ui/app.hpp"
#include "ui/fonts.hpp"
#include "ui/frame_pacer.hpp"
#include "ui/theme.hpp"

namespace {

constexpr float kUiFontSize = 15.0f;

struct AppHost {
    SDL_Window* window = nullptr;
    SDL_GLContext gl_context = nullptr;
    pb::ui::PipeboardApp* app = nullptr;
    pb::ui::FramePacer pacer;
    float pixel_ratio = 0;
    float ui_scale = 0;
};

float window_pixel_ratio(SDL_Window* window) {
    int window_w = 0, window_h = 0, drawable_w = 0, drawable_h = 0;
    SDL_GetWindowSize(window, &window_w, &window_h);
    SDL_GL_GetDrawableSize(window, &drawable_w, &drawable_h);
    return window_w > 0 ? static_cast<float>(drawable_w) / static_cast<float>(window_w) : 1.0f;
}

// Rebuilds the font atlas when the pixel ratio changes (a window moved to another screen,
// a browser zoom) or the UI scale does (presentation mode), so text is always rasterized at
// the size and resolution it is shown at.
void refresh_fonts(AppHost& host) {
    const float ratio = window_pixel_ratio(host.window);
    const float scale = host.app->presentation().ui_scale();
    if (ratio == host.pixel_ratio && scale == host.ui_scale) return;
    host.pixel_ratio = ratio;
    host.ui_scale = scale;
    host.app->set_fonts(pb::ui::load_ui_fonts(kUiFontSize * scale, ratio));
    pb::platform::renderer_fonts_changed();
}

bool run_frame(AppHost& host) {
    bool keep_running = true;
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
        host.pacer.wake();
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) keep_running = false;
        if (event.type == SDL_DROPFILE && event.drop.file) {
            pb::platform::file_dropped(event.drop.file);
            SDL_free(event.drop.file);
        }
    }
    const Uint64 started = SDL_GetPerformanceCounter();
    refresh_fonts(host);
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    const pb::Timestamp now = pb::platform::now();
    host.app->draw_frame(now);
    ImGui::Render();

    const ImGuiIO& io = ImGui::GetIO();
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    const ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    pb::platform::renderer_draw(*ImGui::GetDrawData());
    const double cpu_ms = static_cast<double>(SDL_GetPerformanceCounter() - started) * 1000.0 /
                          static_cast<double>(SDL_GetPerformanceFrequency());
    pb::platform::frame_drawn(cpu_ms);
    host.pacer.frame_drawn(pb::platform::pacer_seconds(),
                           pb::ui::FrameNeeds{ImGui::IsAnyMouseDown(), io.WantTextInput,
                                              host.app->seconds_to_timed_change(now)});
    SDL_GL_SwapWindow(host.window);
    pb::platform::frame_presented();
    return keep_running;
}

}  // namespace

int main(int argc, char** argv) {
    if (const int exit_code = pb::platform::run_command_line(argc, argv); exit_code >= 0)
        return exit_code;

    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "Pipeboard could not start SDL: %s\n", SDL_GetError());
        return 1;
    }
    const pb::platform::GlSetup gl = pb::platform::gl_setup();
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, gl.profile);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, gl.major);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, gl.minor);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_SetHint(SDL_HINT_IME_SHOW_UI, "1");

    // Heap-allocated: on the web main() returns into the browser's event loop while the
    // frames keep running.
    auto* host = new AppHost();
    host->window =
        SDL_CreateWindow("Pipeboard", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                         SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!host->window) {
        std::fprintf(stderr, "Pipeboard could not open a window: %s\n", SDL_GetError());
        return 1;
    }
    host->gl_context = SDL_GL_CreateContext(host->window);
    if (!host->gl_context) {
        std::fprintf(stderr, "Pipeboard could not create an OpenGL context: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(host->window, host->gl_context);
    SDL_GL_SetSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout settings belong in the workspace document
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    pb::ui::apply_theme(pb::ui::ThemeMode::Light, 1.0f);
    ImGui_ImplSDL2_InitForOpenGL(host->window, host->gl_context);
    pb::platform::renderer_start(gl);
    pb::platform::install_clipboard();

    pb::IdGenerator workspace_ids(pb::platform::entropy_seed());
    host->app = new pb::ui::PipeboardApp(
        pb::platform::initial_workspace(workspace_ids, pb::platform::now()),
        pb::platform::entropy_seed());
    pb::platform::attach(*host->app);
    refresh_fonts(*host);

    pb::platform::run_main_loop(host->pacer, [host] { return run_frame(*host); });
    pb::platform::shutdown();

    pb::platform::renderer_stop();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(host->gl_context);
    SDL_DestroyWindow(host->window);
    SDL_Quit();
    delete host->app;
    delete host;
    return 0;
}

// Draws ImGui's frames with WebGL 2. Nothing else on the page draws with this context, so
// the state is set for every frame and never read back: ImGui's own OpenGL renderer saves and
// restores some twenty pieces of state around each frame, and in the browser each of those
// reads waits for the GPU process. That waiting was half the CPU time of a board frame.
#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstdint>
#include <cstdio>

#include "platform/platform.hpp"

namespace pb::platform {

namespace {

constexpr const char* kVertexShader = R"(#version 300 es
precision highp float;
layout (location = 0) in vec2 position;
layout (location = 1) in vec2 uv;
layout (location = 2) in vec4 color;
uniform mat4 projection;
out vec2 frag_uv;
out vec4 frag_color;
void main() {
    frag_uv = uv;
    frag_color = color;
    gl_Position = projection * vec4(position, 0.0, 1.0);
}
)";

constexpr const char* kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D glyphs;
in vec2 frag_uv;
in vec4 frag_color;
layout (location = 0) out vec4 out_color;
void main() {
    out_color = frag_color * texture(glyphs, frag_uv);
}
)";

struct Renderer {
    GLuint program = 0;
    GLint projection = -1;
    GLuint vertex_array = 0;
    GLuint vertices = 0;
    GLuint indices = 0;
    GLuint font_texture = 0;
};

Renderer g_renderer;

GLuint compiled_shader(GLenum kind, const char* source) {
    const GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok != GL_TRUE) {
        char log[1024] = {};
        glGetShaderInfoLog(shader, sizeof log, nullptr, log);
        std::fprintf(stderr, "Pipeboard's %s shader did not compile: %s\n",
                     kind == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
    }
    return shader;
}

}  // namespace

void renderer_start(const GlSetup&) {
    Renderer& r = g_renderer;
    const GLuint vertex = compiled_shader(GL_VERTEX_SHADER, kVertexShader);
    const GLuint fragment = compiled_shader(GL_FRAGMENT_SHADER, kFragmentShader);
    r.program = glCreateProgram();
    glAttachShader(r.program, vertex);
    glAttachShader(r.program, fragment);
    glLinkProgram(r.program);
    GLint linked = GL_FALSE;
    glGetProgramiv(r.program, GL_LINK_STATUS, &linked);
    if (linked != GL_TRUE) {
        char log[1024] = {};
        glGetProgramInfoLog(r.program, sizeof log, nullptr, log);
        std::fprintf(stderr, "Pipeboard's shaders did not link: %s\n", log);
    }
    glDetachShader(r.program, vertex);
    glDetachShader(r.program, fragment);
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    r.projection = glGetUniformLocation(r.program, "projection");
    glUseProgram(r.program);
    glUniform1i(glGetUniformLocation(r.program, "glyphs"), 0);

    // The vertex array keeps the layout of ImGui's vertices and the index buffer binding.
    glGenVertexArrays(1, &r.vertex_array);
    glGenBuffers(1, &r.vertices);
    glGenBuffers(1, &r.indices);
    glBindVertexArray(r.vertex_array);
    glBindBuffer(GL_ARRAY_BUFFER, r.vertices);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, r.indices);
    const auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride,
                          reinterpret_cast<void*>(offsetof(ImDrawVert, pos)));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride,
                          reinterpret_cast<void*>(offsetof(ImDrawVert, uv)));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                          reinterpret_cast<void*>(offsetof(ImDrawVert, col)));

    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "pipeboard_webgl2";
}

void renderer_fonts_changed() {
    Renderer& r = g_renderer;
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    if (r.font_texture == 0) glGenTextures(1, &r.font_texture);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r.font_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(r.font_texture)));
}

void renderer_draw(const ImDrawData& frame) {
    const Renderer& r = g_renderer;
    const float width = frame.DisplaySize.x * frame.FramebufferScale.x;
    const float height = frame.DisplaySize.y * frame.FramebufferScale.y;
    if (width <= 0 || height <= 0 || frame.CmdListsCount == 0) return;

    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glEnable(GL_SCISSOR_TEST);
    glViewport(0, 0, static_cast<GLsizei>(width), static_cast<GLsizei>(height));

    // ImGui's coordinates (origin top left, y down) to clip space.
    const float left = frame.DisplayPos.x;
    const float right = frame.DisplayPos.x + frame.DisplaySize.x;
    const float top = frame.DisplayPos.y;
    const float bottom = frame.DisplayPos.y + frame.DisplaySize.y;
    // clang-format off
    const float projection[16] = {
        2.0f / (right - left),           0.0f,                            0.0f,  0.0f,
        0.0f,                            2.0f / (top - bottom),           0.0f,  0.0f,
        0.0f,                            0.0f,                            -1.0f, 0.0f,
        (right + left) / (left - right), (top + bottom) / (bottom - top), 0.0f,  1.0f,
    };
    // clang-format on
    glUseProgram(r.program);
    glUniformMatrix4fv(r.projection, 1, GL_FALSE, projection);
    glBindVertexArray(r.vertex_array);
    glBindBuffer(GL_ARRAY_BUFFER, r.vertices);
    glActiveTexture(GL_TEXTURE0);

    const ImVec2 origin = frame.DisplayPos;
    const ImVec2 scale = frame.FramebufferScale;
    constexpr GLenum kIndexType = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
    GLuint bound_texture = 0;
    for (int n = 0; n < frame.CmdListsCount; ++n) {
        const ImDrawList& list = *frame.CmdLists[n];
        glBufferData(GL_ARRAY_BUFFER,
                     static_cast<GLsizeiptr>(list.VtxBuffer.Size) *
                         static_cast<GLsizeiptr>(sizeof(ImDrawVert)),
                     list.VtxBuffer.Data, GL_STREAM_DRAW);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                     static_cast<GLsizeiptr>(list.IdxBuffer.Size) *
                         static_cast<GLsizeiptr>(sizeof(ImDrawIdx)),
                     list.IdxBuffer.Data, GL_STREAM_DRAW);
        for (const ImDrawCmd& command : list.CmdBuffer) {
            if (command.UserCallback != nullptr) {
                // ImGui's reset request needs nothing: no callback of the app changes GL state.
                if (command.UserCallback != ImDrawCallback_ResetRenderState) {
                    command.UserCallback(&list, &command);
                }
                continue;
            }
            const float clip_left = (command.ClipRect.x - origin.x) * scale.x;
            const float clip_top = (command.ClipRect.y - origin.y) * scale.y;
            const float clip_right = (command.ClipRect.z - origin.x) * scale.x;
            const float clip_bottom = (command.ClipRect.w - origin.y) * scale.y;
            if (clip_right <= clip_left || clip_bottom <= clip_top) continue;
            glScissor(static_cast<GLint>(clip_left), static_cast<GLint>(height - clip_bottom),
                      static_cast<GLsizei>(clip_right - clip_left),
                      static_cast<GLsizei>(clip_bottom - clip_top));
            const auto texture =
                static_cast<GLuint>(reinterpret_cast<std::intptr_t>(command.GetTexID()));
            if (texture != bound_texture) {
                glBindTexture(GL_TEXTURE_2D, texture);
                bound_texture = texture;
            }
            glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(command.ElemCount), kIndexType,
                           reinterpret_cast<void*>(
                               static_cast<std::intptr_t>(command.IdxOffset * sizeof(ImDrawIdx))));
        }
    }
}

void renderer_stop() {
    Renderer& r = g_renderer;
    glDeleteTextures(1, &r.font_texture);
    glDeleteBuffers(1, &r.vertices);
    glDeleteBuffers(1, &r.indices);
    glDeleteVertexArrays(1, &r.vertex_array);
    glDeleteProgram(r.program);
    ImGui::GetIO().Fonts->SetTexID(nullptr);
    r = Renderer{};
}

}  // namespace pb::platform

# Dear ImGui, the UI library that draws the domain, and the two apps that host it: the
# browser app (Emscripten, SDL2 + WebGL2) and the desktop app (Debian's SDL2 + OpenGL 3).

# [SECTION] Dear ImGui from Debian's source package
add_library(imgui STATIC
  "${PB_IMGUI_DIR}/imgui.cpp"
  "${PB_IMGUI_DIR}/imgui_draw.cpp"
  "${PB_IMGUI_DIR}/imgui_tables.cpp"
  "${PB_IMGUI_DIR}/imgui_widgets.cpp"
  "${PB_IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp")
target_include_directories(imgui SYSTEM PUBLIC "${PB_IMGUI_DIR}" "${PB_IMGUI_DIR}/misc/cpp")
target_compile_definitions(imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS IMGUI_DISABLE_DEMO_WINDOWS)

# [SECTION] The UI font, compiled into the program so the first frame already has it. Only
# the characters src/ui/fonts.cpp asks the atlas for are kept (fonttools' pyftsubset): the
# whole of Inter would be half the app's download.
find_program(PB_PYFTSUBSET pyftsubset REQUIRED)
set(PB_UI_FONT_UNICODES
  "U+0020-024F,U+0370-03FF,U+0400-04FF,U+2000-206F,U+20A0-20CF,U+2190-21FF,U+2600-26FF")
set(PB_FONT_SOURCE "${CMAKE_BINARY_DIR}/generated/ui_fonts.cpp")
file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/generated")
set(PB_FONT_SUBSETS "")
foreach(font_path IN ITEMS "${PB_UI_FONT}" "${PB_UI_FONT_BOLD}")
  get_filename_component(font_name "${font_path}" NAME_WE)
  set(subset "${CMAKE_BINARY_DIR}/generated/${font_name}-ui.otf")
  add_custom_command(
    OUTPUT "${subset}"
    COMMAND "${PB_PYFTSUBSET}" "${font_path}" "--unicodes=${PB_UI_FONT_UNICODES}"
            "--layout-features=" --no-hinting --desubroutinize "--name-IDs="
            "--output-file=${subset}"
    DEPENDS "${font_path}"
    COMMENT "Keeping the UI's characters of ${font_name}")
  list(APPEND PB_FONT_SUBSETS "${subset}")
endforeach()
list(GET PB_FONT_SUBSETS 0 PB_FONT_REGULAR_SUBSET)
list(GET PB_FONT_SUBSETS 1 PB_FONT_BOLD_SUBSET)
add_custom_command(
  OUTPUT "${PB_FONT_SOURCE}"
  COMMAND "${CMAKE_COMMAND}" -DOUTPUT="${PB_FONT_SOURCE}"
          -DREGULAR="${PB_FONT_REGULAR_SUBSET}" -DBOLD="${PB_FONT_BOLD_SUBSET}"
          -P "${CMAKE_SOURCE_DIR}/cmake/embed_fonts.cmake"
  DEPENDS ${PB_FONT_SUBSETS} "${CMAKE_SOURCE_DIR}/cmake/embed_fonts.cmake"
  COMMENT "Embedding the UI fonts")

# [SECTION] UI: views over the domain, no platform calls
file(GLOB PB_UI_SOURCES CONFIGURE_DEPENDS src/ui/*.cpp)
add_library(pipeboard_ui STATIC ${PB_UI_SOURCES} "${PB_FONT_SOURCE}")
target_link_libraries(pipeboard_ui PUBLIC pipeboard_core imgui)
target_compile_options(pipeboard_ui PRIVATE ${PB_WARNINGS})

# [SECTION] Apps
set(PB_APP_SOURCES
  src/app/main.cpp
  "${PB_IMGUI_DIR}/backends/imgui_impl_sdl2.cpp")

if(EMSCRIPTEN)
  if(NOT PB_SDL2_WEB_PREFIX)
    message(FATAL_ERROR "PB_SDL2_WEB_PREFIX must point at SDL2 built for the web (scripts/setup.sh)")
  endif()
  file(GLOB PB_PLATFORM_SOURCES CONFIGURE_DEPENDS src/platform/web/*.cpp)
  add_executable(pipeboard_web ${PB_APP_SOURCES} ${PB_PLATFORM_SOURCES})
  set_target_properties(pipeboard_web PROPERTIES OUTPUT_NAME pipeboard
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/dist")
  # Emscripten ships SDL 1 headers on its default include path: ours must come first.
  target_include_directories(pipeboard_web BEFORE PRIVATE "${PB_SDL2_WEB_PREFIX}/include/SDL2" "${PB_SDL2_WEB_PREFIX}/include")
  target_include_directories(pipeboard_web PRIVATE src "${PB_IMGUI_DIR}/backends")
  target_link_libraries(pipeboard_web PRIVATE pipeboard_ui "${PB_SDL2_WEB_PREFIX}/lib/libSDL2.a")
  target_compile_options(pipeboard_web PRIVATE ${PB_WARNINGS})
  set(PB_WEB_EXPORTS _main,_malloc,_free,_pb_state_json,_pb_load_state_json,_pb_ui_rects_json,_pb_clipboard_pasted,_pb_frame_count,_pb_apply_command_json,_pb_sample_state_json,_pb_storage_changed,_pb_apply_remote,_pb_reload_from_storage,_pb_import_file,_pb_kept_workspace_loaded,_pb_show_message,_pb_snapshot_link,_pb_wake,_pb_request_frames,_pb_frame_times_json)
  # Emscripten would enable every WebGL extension the browser offers when the context is made,
  # 50 to 90 ms of start-up with software WebGL; the app's WebGL 2 renderer uses none of them.
  # The module is optimised for speed (-O3), not size (-Oz): it is 7 kB larger gzipped, and
  # start-up at 10,000 deals took 716 to 874 ms instead of 931 to 950 ms in two runs each.
  target_link_options(pipeboard_web PRIVATE
    -sUSE_SDL=0 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
    -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=33554432 -sMAXIMUM_MEMORY=4GB
    -sMODULARIZE=1 -sEXPORT_NAME=createPipeboardModule -sENVIRONMENT=web
    -sDYNAMIC_EXECUTION=0 -sFILESYSTEM=0 -sGL_SUPPORT_AUTOMATIC_ENABLE_EXTENSIONS=0
    -sEXPORTED_FUNCTIONS=${PB_WEB_EXPORTS}
    -sEXPORTED_RUNTIME_METHODS=ccall,cwrap,UTF8ToString,stringToUTF8,lengthBytesUTF8
    $<$<CONFIG:Release>:-O3>)

  # The thin JS shell (page, glue, service worker) next to the module.
  file(GLOB PB_SHELL_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/shell/*")
  add_custom_target(pipeboard_shell ALL
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/dist"
    COMMAND "${CMAKE_COMMAND}" -E copy_if_different ${PB_SHELL_FILES} "${CMAKE_BINARY_DIR}/dist/"
    DEPENDS ${PB_SHELL_FILES}
    COMMENT "Copying the shell page")
  add_dependencies(pipeboard_web pipeboard_shell)
else()
  find_package(SDL2 REQUIRED)
  find_package(OpenGL REQUIRED)
  # zlib compresses the dashboard's PNG download (the browser has its own encoder).
  find_package(ZLIB REQUIRED)
  file(GLOB PB_PLATFORM_SOURCES CONFIGURE_DEPENDS src/platform/desktop/*.cpp)
  add_executable(pipeboard ${PB_APP_SOURCES} ${PB_PLATFORM_SOURCES}
    "${PB_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp")
  target_include_directories(pipeboard PRIVATE src "${PB_IMGUI_DIR}/backends")
  target_link_libraries(pipeboard PRIVATE pipeboard_ui SDL2::SDL2 OpenGL::GL ZLIB::ZLIB ${CMAKE_DL_LIBS})
  if(TARGET pipeboard_cli)
    target_link_libraries(pipeboard PRIVATE pipeboard_cli)
  endif()
  target_compile_options(pipeboard PRIVATE ${PB_WARNINGS})

  # Headless frame tests: the real views drawn with no backend.
  file(GLOB PB_UI_TEST_SOURCES CONFIGURE_DEPENDS tests/ui/*.cpp)
  add_executable(pipeboard_ui_tests ${PB_UI_TEST_SOURCES})
  target_link_libraries(pipeboard_ui_tests PRIVATE pipeboard_doctest_main pipeboard_ui)
  find_package(doctest REQUIRED)
  include(doctest)
  doctest_discover_tests(pipeboard_ui_tests TEST_PREFIX "ui: ")
endif()

# libFuzzer targets (clang only): each fuzz/*.cpp becomes one fuzzer over the core,
# built with AddressSanitizer. Configure with CMAKE_CXX_COMPILER=clang++.
set(PB_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
file(GLOB PB_CORE_SOURCES_FUZZ CONFIGURE_DEPENDS src/core/*.cpp)
add_library(pipeboard_core_fuzz STATIC ${PB_CORE_SOURCES_FUZZ})
target_include_directories(pipeboard_core_fuzz PUBLIC src)
target_include_directories(pipeboard_core_fuzz SYSTEM PUBLIC "${PB_DEPS_INCLUDE}")
target_compile_options(pipeboard_core_fuzz PRIVATE ${PB_FUZZ_FLAGS})
target_link_options(pipeboard_core_fuzz PUBLIC -fsanitize=address,undefined)

file(GLOB PB_FUZZ_TARGETS CONFIGURE_DEPENDS fuzz/*.cpp)
foreach(source ${PB_FUZZ_TARGETS})
  get_filename_component(name "${source}" NAME_WE)
  add_executable(${name} "${source}")
  target_link_libraries(${name} PRIVATE pipeboard_core_fuzz)
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
endforeach()

# doctest suites wired to CTest. Natively each test case is discovered as its own CTest
# test; under Emscripten the core suite runs as one wasm program under Node.
add_library(pipeboard_doctest_main STATIC tests/doctest_main.cpp)
target_include_directories(pipeboard_doctest_main SYSTEM PUBLIC "${PB_DEPS_INCLUDE}")

file(GLOB PB_CORE_TEST_SOURCES CONFIGURE_DEPENDS tests/core/*.cpp tests/cli/*.cpp)
add_executable(pipeboard_core_tests ${PB_CORE_TEST_SOURCES})
target_link_libraries(pipeboard_core_tests PRIVATE pipeboard_doctest_main pipeboard_core)
if(TARGET pipeboard_cli)
  target_link_libraries(pipeboard_core_tests PRIVATE pipeboard_cli)
endif()
target_compile_definitions(pipeboard_core_tests PRIVATE PB_TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data")

if(EMSCRIPTEN)
  # Node 20 has a global fetch, which Emscripten 3.1.6's loader would use for the .wasm
  # file; a single-file build sidesteps that. NODERAWFS lets tests read tests/data.
  target_link_options(pipeboard_core_tests PRIVATE -sSINGLE_FILE=1 -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
  add_test(NAME core_tests_wasm COMMAND node --no-experimental-fetch $<TARGET_FILE:pipeboard_core_tests>)
else()
  find_package(doctest REQUIRED)
  include(doctest)
  doctest_discover_tests(pipeboard_core_tests TEST_PREFIX "core: ")
endif()

if(TARGET pipeboard-cli AND EXISTS "${CMAKE_SOURCE_DIR}/tests/cli/crm_dataset_check.sh")
  add_test(NAME "cli: CRM export dataset matches an independent computation"
    COMMAND bash "${CMAKE_SOURCE_DIR}/tests/cli/crm_dataset_check.sh" $<TARGET_FILE:pipeboard-cli>
            "${CMAKE_SOURCE_DIR}/tests/data" "${CMAKE_BINARY_DIR}/crm-check")
endif()

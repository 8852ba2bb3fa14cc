# pipeboard_bench: the native benchmark (bench/native). Built with the app, never run by CTest:
# its figures are for people to read, not pass/fail.
file(GLOB PB_BENCH_SOURCES CONFIGURE_DEPENDS bench/native/*.cpp)
add_executable(pipeboard_bench ${PB_BENCH_SOURCES})
target_link_libraries(pipeboard_bench PRIVATE pipeboard_ui)
target_include_directories(pipeboard_bench PRIVATE tests/ui)
target_compile_options(pipeboard_bench PRIVATE ${PB_WARNINGS})

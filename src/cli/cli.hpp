// Pipeboard's command-line subcommands (validate, import-csv, merge, metrics, export-csv), for
// scripts and machines without a display. Exit codes: 0 done, 1 bad or unreadable data,
// 2 wrong usage.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"

namespace pb {

constexpr int kCliOk = 0;
constexpr int kCliBadData = 1;
constexpr int kCliUsage = 2;

// What the subcommands take from the machine: the clock (metrics' "now", import time) and
// the seed of new record ids. Passed in so tests run at a fixed time with fixed ids.
struct CliEnvironment {
    Timestamp now = 0;
    std::uint64_t id_seed = 0x9E3779B97F4A7C15ull;
};

// The real clock and a random seed (std::random_device).
CliEnvironment system_cli_environment();

// `args` excludes the program name. Output goes to `out`, messages about failures to `err`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const CliEnvironment& environment);
// The same with system_cli_environment(), for the desktop app's command line.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Whether a first argument names a subcommand (or asks for the tool's help), so the desktop
// app knows to run the CLI instead of opening a window.
bool is_cli_subcommand(std::string_view first_arg);

}  // namespace pb

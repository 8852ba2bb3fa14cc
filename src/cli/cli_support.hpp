// Shared plumbing of the subcommands (internal to src/cli): flag parsing, bounded file reads,
// atomic writes and workspace loading with one way of reporting failures.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/cli.hpp"
#include "core/workspace.hpp"

namespace pb::cli {

struct FlagSpec {
    std::string_view name;  // "--map"
    bool takes_value = false;
    bool repeatable = false;
    std::string_view short_name;  // "-o", or empty
};
constexpr FlagSpec switch_flag(std::string_view name) { return {name, false, false, {}}; }
constexpr FlagSpec value_flag(std::string_view name, std::string_view short_name = {}) {
    return {name, true, false, short_name};
}
constexpr FlagSpec repeated_flag(std::string_view name) { return {name, true, true, {}}; }

struct ParsedArgs {
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> values;  // flag -> value, in order
    std::vector<std::string> switches;
    bool help = false;
    std::string error;  // a usage problem; empty when the arguments are well formed

    std::optional<std::string> value(std::string_view flag) const;
    std::vector<std::string> all(std::string_view flag) const;
    bool has(std::string_view flag) const;
};

// Reads `args` from `first` on: "--flag value", "--flag=value", short names, "--help"/"-h",
// and "--" to end the flags. Unknown flags and missing values are usage errors.
ParsedArgs parse_args(const std::vector<std::string>& args, std::size_t first,
                      std::span<const FlagSpec> specs);

struct FileRead {
    std::string bytes;
    std::string error;  // "cannot read x.csv: no such file"
    bool ok() const { return error.empty(); }
};
FileRead read_file(const std::string& path, std::uintmax_t max_bytes);

// Writes FILE.tmp, then renames it over FILE, so a crash or a full disk never leaves a half
// file, and refuses empty content. Returns the error, empty on success.
std::string write_file_atomically(const std::string& path, std::string_view content);

// Loads a workspace file, reporting failures on `err` as "FILE: reason". Load warnings are
// summarised on `err`; the workspace is still used.
std::optional<Workspace> load_workspace_file(const std::string& path, std::ostream& err);

// The instant subcommands treat as now: --now DATE when given, else the environment's clock.
std::optional<Timestamp> resolve_now(const ParsedArgs& args, const CliEnvironment& environment,
                                     std::ostream& err);

std::string lowercase(std::string_view text);

// A live record of `records` by name, ignoring case; on no match reports the known names on
// `err` and returns nullopt.
template <typename Record>
std::optional<Id> find_by_name(const std::vector<Record>& records, const std::string& name,
                               std::string_view what, std::ostream& err) {
    std::string wanted = lowercase(name);
    std::string known;
    for (const auto& record : records) {
        if (record.meta.deleted) continue;
        if (lowercase(record.name) == wanted) return record.meta.id;
        known += (known.empty() ? "" : ", ") + record.name;
    }
    err << "the workspace has no " << what << " named '" << name << "'"
        << (known.empty() ? std::string() : " (it has: " + known + ")") << "\n";
    return std::nullopt;
}

int usage_error(std::ostream& err, std::string_view message, std::string_view usage);

// A workspace as the subcommands write it: the app's JSON document, pretty-printed.
std::string workspace_file_text(const Workspace& workspace);

int run_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                 const CliEnvironment& environment);
int run_import_csv(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const CliEnvironment& environment);
int run_export_csv(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const CliEnvironment& environment);
int run_merge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
              const CliEnvironment& environment);
int run_metrics(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                const CliEnvironment& environment);

}  // namespace pb::cli

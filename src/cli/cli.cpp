// The subcommand dispatcher and the file subcommands: validate, import-csv and export-csv.
#include "cli/cli.hpp"

#include <array>
#include <filesystem>
#include <ostream>

#include "cli/cli_support.hpp"
#include "core/commands.hpp"
#include "core/csv.hpp"
#include "core/ids.hpp"
#include "core/json_format.hpp"

namespace pb {
namespace {

constexpr std::string_view kToolUsage =
    "usage: pipeboard-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  validate FILE.json           check a workspace file and list its problems\n"
    "  import-csv FILE.csv -o OUT   import deals from a CRM's CSV export\n"
    "  merge A.json B.json -o OUT   merge two exports of a workspace\n"
    "  metrics FILE.json            win rate, deal size, cycle time and metric tables\n"
    "  export-csv FILE.json         write the deals as CSV\n"
    "\n"
    "`pipeboard-cli <command> --help` describes a command's options.\n"
    "exit status: 0 done, 1 bad or unreadable data, 2 wrong usage\n";

struct Subcommand {
    std::string_view name;
    int (*run)(const std::vector<std::string>&, std::ostream&, std::ostream&,
               const CliEnvironment&);
};

constexpr std::array<Subcommand, 5> kSubcommands = {{
    {"validate", cli::run_validate},
    {"import-csv", cli::run_import_csv},
    {"merge", cli::run_merge},
    {"metrics", cli::run_metrics},
    {"export-csv", cli::run_export_csv},
}};

}  // namespace

namespace cli {
namespace {

constexpr std::string_view kValidateUsage =
    "usage: pipeboard-cli validate FILE.json\n"
    "\n"
    "Loads a workspace file and prints every problem with its JSON path. Exits 1 when the\n"
    "file cannot be used, 0 when it can (even with warnings).\n";

constexpr std::string_view kImportUsage =
    "usage: pipeboard-cli import-csv FILE.csv -o WORKSPACE.json [options]\n"
    "\n"
    "Imports the deals of a CSV export (Pipedrive, HubSpot, Odoo, Salesforce or a spreadsheet)\n"
    "and prints which rows were skipped and why.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       the workspace file to write (required)\n"
    "  --into FILE             add the deals to this workspace instead of a new one\n"
    "  --map FIELD=HEADER      read FIELD from the column HEADER (repeatable), e.g.\n"
    "                          --map value=Amount; fields: title, organization, value,\n"
    "                          currency, pipeline, stage, status, owner, probability,\n"
    "                          expected_close, created, won_time, lost_time, closed_time,\n"
    "                          lost_reason, source, industry, contact, email, phone, labels,\n"
    "                          notes\n"
    "  --month-first           read 03/04/2026 as March 4 (default: 3 April)\n"
    "  --create-stages         create stages (and pipelines) the workspace lacks\n"
    "  --pipeline NAME         the pipeline for rows that name none (default: the first)\n"
    "  --now DATE              the import time (default: the clock)\n";

constexpr std::string_view kExportUsage =
    "usage: pipeboard-cli export-csv WORKSPACE.json [-o DEALS.csv] [--delimiter ';']\n"
    "\n"
    "Writes every deal as one CSV row (to standard output without -o).\n";

constexpr FlagSpec kNoFlags[] = {switch_flag("--help")};

constexpr FlagSpec kImportFlags[] = {
    value_flag("--output", "-o"), value_flag("--into"),           repeated_flag("--map"),
    switch_flag("--month-first"), switch_flag("--create-stages"), value_flag("--pipeline"),
    value_flag("--now"),
};

constexpr FlagSpec kExportFlags[] = {value_flag("--output", "-o"), value_flag("--delimiter")};

}  // namespace

int run_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                 const CliEnvironment&) {
    auto parsed = parse_args(args, 0, kNoFlags);
    if (parsed.help) {
        out << kValidateUsage;
        return kCliOk;
    }
    if (!parsed.error.empty()) return usage_error(err, parsed.error, kValidateUsage);
    if (parsed.positional.size() != 1) {
        return usage_error(err, "validate takes one workspace file", kValidateUsage);
    }
    const std::string& path = parsed.positional[0];
    auto file = read_file(path, kMaxDocumentBytes);
    if (!file.ok()) {
        err << file.error << "\n";
        return kCliBadData;
    }
    auto loaded = workspace_from_json(file.bytes);
    for (const auto& problem : loaded.problems) {
        out << (problem.path.empty() ? "(document)" : problem.path) << ": " << problem.message
            << "\n";
    }
    if (!loaded.ok()) {
        err << path << " cannot be used: "
            << (loaded.error.empty() ? "not a Pipeboard workspace" : loaded.error) << "\n";
        return kCliBadData;
    }
    const Workspace& ws = *loaded.workspace;
    auto live = [](const auto& records) {
        std::size_t count = 0;
        for (const auto& record : records) count += record.meta.deleted ? 0 : 1;
        return count;
    };
    out << path << ": usable, " << live(ws.pipelines) << " pipeline(s), " << live(ws.stages)
        << " stage(s), " << live(ws.reps) << " rep(s), " << live(ws.deals) << " deal(s), "
        << loaded.problems.size() << " warning(s)\n";
    return kCliOk;
}

int run_import_csv(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const CliEnvironment& environment) {
    auto parsed = parse_args(args, 0, kImportFlags);
    if (parsed.help) {
        out << kImportUsage;
        return kCliOk;
    }
    if (!parsed.error.empty()) return usage_error(err, parsed.error, kImportUsage);
    if (parsed.positional.size() != 1) {
        return usage_error(err, "import-csv takes one CSV file", kImportUsage);
    }
    auto output = parsed.value("--output");
    if (!output) return usage_error(err, "import-csv needs -o WORKSPACE.json", kImportUsage);

    CsvImportOptions options;
    for (const auto& text : parsed.all("--map")) {
        auto column_override = parse_csv_column_override(text);
        if (!column_override.column_override) {
            return usage_error(err, "--map " + column_override.error, kImportUsage);
        }
        options.overrides.push_back(*column_override.column_override);
    }
    auto now = resolve_now(parsed, environment, err);
    if (!now) return kCliUsage;
    options.now = *now;
    options.id_seed = environment.id_seed;
    options.month_first = parsed.has("--month-first");
    options.create_missing_stages = parsed.has("--create-stages");

    const std::string& csv_path = parsed.positional[0];
    auto csv = read_file(csv_path, options.limits.max_input_bytes);
    if (!csv.ok()) {
        err << csv.error << "\n";
        return kCliBadData;
    }
    // Ids of the workspace and its default records come from a stream of their own, so they
    // never repeat the import's ids drawn from the same seed.
    IdGenerator ids(environment.id_seed ^ 0xA5A5A5A5A5A5A5A5ull);
    Workspace workspace;
    if (auto into = parsed.value("--into")) {
        auto loaded = load_workspace_file(*into, err);
        if (!loaded) return kCliBadData;
        workspace = std::move(*loaded);
    } else {
        workspace = make_workspace(std::filesystem::path(csv_path).stem().string(), ids, *now);
        options.adopt_file_currency = true;
    }
    if (auto pipeline_name = parsed.value("--pipeline")) {
        auto id = find_by_name(workspace.pipelines, *pipeline_name, "pipeline", err);
        if (!id) return kCliBadData;
        options.pipeline_id = *id;
    }

    auto report = import_deals_csv(workspace, csv.bytes, options);
    if (!report.ok()) {
        err << csv_path << ": " << report.error << "\n";
        return kCliBadData;
    }
    for (const auto& problem : report.problems) out << describe(problem) << "\n";
    out << "imported " << report.imported << " deal(s), skipped " << report.skipped << " row(s)";
    if (report.reps_created > 0) out << ", added " << report.reps_created << " rep(s)";
    if (report.stages_created > 0) out << ", added " << report.stages_created << " stage(s)";
    out << "\n";
    if (report.imported == 0) {
        err << "no deal was imported; " << *output << " was not written\n";
        return kCliBadData;
    }
    if (auto error = write_file_atomically(*output, workspace_file_text(workspace));
        !error.empty()) {
        err << error << "\n";
        return kCliBadData;
    }
    out << "wrote " << *output << "\n";
    return kCliOk;
}

int run_export_csv(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                   const CliEnvironment&) {
    auto parsed = parse_args(args, 0, kExportFlags);
    if (parsed.help) {
        out << kExportUsage;
        return kCliOk;
    }
    if (!parsed.error.empty()) return usage_error(err, parsed.error, kExportUsage);
    if (parsed.positional.size() != 1) {
        return usage_error(err, "export-csv takes one workspace file", kExportUsage);
    }
    char delimiter = ',';
    if (auto text = parsed.value("--delimiter")) {
        std::string_view choice = *text;
        if (choice == "\\t" || choice == "tab") choice = "\t";
        if (choice != "," && choice != ";" && choice != "\t") {
            return usage_error(err, "--delimiter must be ',', ';' or tab", kExportUsage);
        }
        delimiter = choice[0];
    }
    auto workspace = load_workspace_file(parsed.positional[0], err);
    if (!workspace) return kCliBadData;
    std::string csv = export_deals_csv(*workspace, delimiter);
    auto output = parsed.value("--output");
    if (!output) {
        out << csv;
        return kCliOk;
    }
    if (auto error = write_file_atomically(*output, csv); !error.empty()) {
        err << error << "\n";
        return kCliBadData;
    }
    return kCliOk;
}

}  // namespace cli

bool is_cli_subcommand(std::string_view first_arg) {
    if (first_arg == "--help" || first_arg == "-h" || first_arg == "help") return true;
    for (const auto& subcommand : kSubcommands) {
        if (subcommand.name == first_arg) return true;
    }
    return false;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const CliEnvironment& environment) {
    if (args.empty()) {
        err << kToolUsage;
        return kCliUsage;
    }
    const std::string& command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        out << kToolUsage;
        return kCliOk;
    }
    for (const auto& subcommand : kSubcommands) {
        if (subcommand.name == command) {
            std::vector<std::string> rest(args.begin() + 1, args.end());
            return subcommand.run(rest, out, err, environment);
        }
    }
    err << "error: unknown command '" << command << "'\n\n" << kToolUsage;
    return kCliUsage;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    return run_cli(args, out, err, system_cli_environment());
}

}  // namespace pb

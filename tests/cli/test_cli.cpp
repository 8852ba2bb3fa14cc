// The command-line subcommands driven through run_cli over files in a temporary folder: each
// one's happy path, its usage and bad-data exits, and --help.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "core/json_format.hpp"

using namespace pb;
namespace fs = std::filesystem;

namespace {

// 2025-07-01T00:00:00Z, and a fixed id seed, so runs are repeatable.
const CliEnvironment kEnvironment{1751328000, 42};

// A fresh folder under the system's temp directory, removed afterwards.
class TempFolder {
public:
    TempFolder() {
        // Random so parallel test processes (CTest runs cases separately) never share one.
        std::random_device entropy;
        path_ = fs::temp_directory_path() /
                ("pipeboard_cli_test_" + std::to_string(entropy()) + std::to_string(entropy()));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempFolder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(file(name), std::ios::binary) << content;
        return file(name);
    }

private:
    fs::path path_;
};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

Run run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    Run result;
    result.exit_code = run_cli(args, out, err, kEnvironment);
    result.out = out.str();
    result.err = err.str();
    return result;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Workspace load(const std::string& path) {
    auto loaded = workspace_from_json(read_text(path));
    REQUIRE(loaded.ok());
    return *loaded.workspace;
}

// Two won deals (10 and 30 days), one lost, one open; two owners.
const std::string kDealsCsv =
    "Title,Value,Status,Owner,Created,Won time,Lost time,Source\n"
    "Alpha,1000,won,Ana,2025-01-01,2025-01-11,,Web\n"
    "Beta,250.50,won,Ben,2025-02-01,2025-03-03,,Referral\n"
    "Gamma,400,lost,Ana,2025-02-10,,2025-02-20,Web\n"
    "Delta,75,open,Ben,2025-03-01,,,Web\n";

std::string imported_workspace(const TempFolder& folder) {
    std::string csv = folder.write("deals.csv", kDealsCsv);
    std::string json = folder.file("ws.json");
    REQUIRE(run({"import-csv", csv, "-o", json}).exit_code == kCliOk);
    return json;
}

}  // namespace

TEST_SUITE("cli") {
    TEST_CASE("help for the tool and for every subcommand") {
        auto tool = run({"--help"});
        CHECK(tool.exit_code == kCliOk);
        CHECK(contains(tool.out, "usage: pipeboard-cli"));
        for (const char* command : {"validate", "import-csv", "merge", "metrics", "export-csv"}) {
            CAPTURE(command);
            CHECK(contains(tool.out, command));
            auto help = run({command, "--help"});
            CHECK(help.exit_code == kCliOk);
            CHECK(contains(help.out, std::string("usage: pipeboard-cli ") + command));
            CHECK(help.err.empty());
        }
        CHECK(contains(run({"metrics", "--help"}).out, "win-rate"));
    }

    TEST_CASE("no command, an unknown command or an unknown option is a usage error") {
        auto none = run({});
        CHECK(none.exit_code == kCliUsage);
        CHECK(contains(none.err, "usage:"));
        auto unknown = run({"frobnicate"});
        CHECK(unknown.exit_code == kCliUsage);
        CHECK(contains(unknown.err, "unknown command 'frobnicate'"));
        auto flag = run({"validate", "x.json", "--bogus"});
        CHECK(flag.exit_code == kCliUsage);
        CHECK(contains(flag.err, "unknown option --bogus"));
        CHECK(run({"import-csv", "a.csv", "-o"}).exit_code == kCliUsage);
    }

    TEST_CASE("is_cli_subcommand recognises the commands only") {
        CHECK(is_cli_subcommand("metrics"));
        CHECK(is_cli_subcommand("--help"));
        CHECK_FALSE(is_cli_subcommand("--fullscreen"));
        CHECK_FALSE(is_cli_subcommand(""));
    }

    TEST_CASE("import-csv writes a workspace and reports the skipped rows") {
        TempFolder folder;
        std::string csv = folder.write(
            "deals.csv", "Title,Value,Owner\nFirst,100,Ana\nSecond,abc,Ana\nThird,7.5,Ben\n");
        std::string json = folder.file("ws.json");
        auto result = run({"import-csv", csv, "-o", json});
        CHECK(result.exit_code == kCliOk);
        CHECK(contains(result.out, "line 3: value 'abc' is not an amount"));
        CHECK(contains(result.out, "imported 2 deal(s), skipped 1 row(s), added 2 rep(s)"));
        Workspace ws = load(json);
        REQUIRE(ws.deals.size() == 2);
        CHECK(ws.deals[0].title == "First");
        CHECK(ws.deals[0].value == 10000);
        CHECK(ws.deals[1].value == 750);
        CHECK(ws.name == "deals");
        CHECK_FALSE(fs::exists(json + ".tmp"));
    }

    TEST_CASE("import-csv --map and --month-first shape how rows are read") {
        TempFolder folder;
        std::string csv = folder.write("deals.csv", "Title,Budget,Created\nA,250,03/04/2025\n");
        std::string json = folder.file("ws.json");
        auto result =
            run({"import-csv", csv, "--map", "value=Budget", "--month-first", "-o", json});
        REQUIRE(result.exit_code == kCliOk);
        Workspace ws = load(json);
        REQUIRE(ws.deals.size() == 1);
        CHECK(ws.deals[0].value == 25000);
        CHECK(format_day(day_of(ws.deals[0].meta.created)) == "2025-03-04");
    }

    TEST_CASE("import-csv --into adds to an existing workspace, reusing its reps") {
        TempFolder folder;
        std::string json = imported_workspace(folder);
        std::string more = folder.write("more.csv", "Title,Owner\nEpsilon,ana\n");
        std::string out = folder.file("ws2.json");
        auto result = run({"import-csv", more, "--into", json, "-o", out});
        CHECK(result.exit_code == kCliOk);
        CHECK(contains(result.out, "imported 1 deal(s), skipped 0 row(s)\n"));
        Workspace ws = load(out);
        CHECK(ws.deals.size() == 5);
        CHECK(ws.reps.size() == load(json).reps.size());
    }

    TEST_CASE("import-csv refuses bad input and never overwrites a good file") {
        TempFolder folder;
        std::string json = folder.write("ws.json", "previous good content");
        auto missing = run({"import-csv", folder.file("nope.csv"), "-o", json});
        CHECK(missing.exit_code == kCliBadData);
        CHECK(contains(missing.err, "no such file"));

        std::string binary = folder.write("photo.csv", std::string("\x89PNG\0\0\0\x0d", 8));
        auto not_csv = run({"import-csv", binary, "-o", json});
        CHECK(not_csv.exit_code == kCliBadData);
        CHECK(contains(not_csv.err, "not CSV text"));

        std::string all_bad = folder.write("bad.csv", "Title,Value\nA,abc\n");
        auto nothing = run({"import-csv", all_bad, "-o", json});
        CHECK(nothing.exit_code == kCliBadData);
        CHECK(contains(nothing.out, "line 2: value 'abc' is not an amount"));
        CHECK(contains(nothing.err, "was not written"));

        CHECK(read_text(json) == "previous good content");
        CHECK(run({"import-csv", all_bad}).exit_code == kCliUsage);
        CHECK(run({"import-csv", all_bad, "--map", "colour=Paint", "-o", json}).exit_code ==
              kCliUsage);
        CHECK(run({"import-csv", all_bad, "--now", "someday", "-o", json}).exit_code == kCliUsage);
    }

    TEST_CASE("validate accepts a workspace, lists warnings by path, rejects junk") {
        TempFolder folder;
        std::string json = imported_workspace(folder);
        auto good = run({"validate", json});
        CHECK(good.exit_code == kCliOk);
        CHECK(contains(good.out, "usable"));
        CHECK(contains(good.out, "4 deal(s)"));

        auto document = nlohmann::json::parse(read_text(json));
        document["deals"][1]["value"] = "a lot";
        std::string warned = folder.write("warned.json", document.dump());
        auto warnings = run({"validate", warned});
        CHECK(warnings.exit_code == kCliOk);
        CHECK(contains(warnings.out, "/deals/1/value: "));

        std::string junk = folder.write("junk.json", "{ not json");
        auto bad = run({"validate", junk});
        CHECK(bad.exit_code == kCliBadData);
        CHECK(contains(bad.err, "cannot be used"));
        CHECK(run({"validate", folder.file("missing.json")}).exit_code == kCliBadData);
        CHECK(run({"validate"}).exit_code == kCliUsage);
    }

    TEST_CASE("metrics as JSON gives win rate, won value and cycle time") {
        TempFolder folder;
        std::string json = imported_workspace(folder);
        auto result = run({"metrics", json, "--format", "json"});
        REQUIRE(result.exit_code == kCliOk);
        auto metrics = nlohmann::json::parse(result.out);
        CHECK(metrics["win_rate"]["won"] == 2);
        CHECK(metrics["win_rate"]["lost"] == 1);
        CHECK(metrics["win_rate"]["by_count"].get<double>() == doctest::Approx(2.0 / 3.0));
        CHECK(metrics["win_rate"]["won_value"] == "1250.50");
        CHECK(metrics["cycle_time"]["deals"] == 2);
        CHECK(metrics["cycle_time"]["average_days"].get<double>() == doctest::Approx(20.0));

        auto ana =
            nlohmann::json::parse(run({"metrics", json, "--format", "json", "--owner", "ANA"}).out);
        CHECK(ana["win_rate"]["won"] == 1);
        CHECK(ana["win_rate"]["lost"] == 1);
        CHECK(ana["win_rate"]["won_value"] == "1000.00");

        auto february = nlohmann::json::parse(
            run({"metrics", json, "--format", "json", "--from", "2025-02-01", "--to", "2025-02-28"})
                .out);
        CHECK(february["win_rate"]["won"] == 0);
        CHECK(february["win_rate"]["lost"] == 1);

        auto referral = nlohmann::json::parse(
            run({"metrics", json, "--format", "json", "--source", "Referral"}).out);
        CHECK(referral["win_rate"]["won_value"] == "250.50");
    }

    TEST_CASE("metrics as a text table and as a named metric table") {
        TempFolder folder;
        std::string json = imported_workspace(folder);
        auto summary = run({"metrics", json});
        REQUIRE(summary.exit_code == kCliOk);
        CHECK(contains(summary.out, "win rate by count  66.7% (2 won, 1 lost)"));
        CHECK(contains(summary.out, "won value          $1,250.50"));

        auto table = run({"metrics", json, "--table", "win-rate"});
        REQUIRE(table.exit_code == kCliOk);
        std::istringstream lines(table.out);
        std::string header, rule, row;
        std::getline(lines, header);
        std::getline(lines, rule);
        std::getline(lines, row);
        CHECK(header.rfind("won", 0) == 0);
        CHECK(rule.find_first_not_of('-') == std::string::npos);
        CHECK(rule.size() >= header.size());
        CHECK(row.find("1250.50") == header.find("won value") + std::string("won value").size() -
                                         std::string("1250.50").size());

        auto json_table = nlohmann::json::parse(
            run({"metrics", json, "--table", "win-rate", "--format", "json"}).out);
        CHECK(json_table["table"] == "win-rate");
        CHECK(json_table["rows"][0]["won value"] == "1250.50");

        auto csv = run({"metrics", json, "--table", "win-rate", "--format", "csv"});
        CHECK(csv.out.rfind("won,lost,won value", 0) == 0);
    }

    TEST_CASE("metrics rejects unknown names, bad dates and formats") {
        TempFolder folder;
        std::string json = imported_workspace(folder);
        auto owner = run({"metrics", json, "--owner", "Zed"});
        CHECK(owner.exit_code == kCliBadData);
        CHECK(contains(owner.err, "no rep named 'Zed'"));
        CHECK(run({"metrics", json, "--pipeline", "Nope"}).exit_code == kCliBadData);
        CHECK(run({"metrics", json, "--table", "nope"}).exit_code == kCliUsage);
        CHECK(run({"metrics", json, "--format", "xml"}).exit_code == kCliUsage);
        CHECK(run({"metrics", json, "--from", "soon"}).exit_code == kCliUsage);
        CHECK(run({"metrics", json, "--from", "2025-03-01", "--to", "2025-01-01"}).exit_code ==
              kCliUsage);
        CHECK(run({"metrics", folder.file("missing.json")}).exit_code == kCliBadData);
    }

    TEST_CASE("export-csv prints or writes the deals, and reads back through import-csv") {
        TempFolder folder;
        std::string json = imported_workspace(folder);
        auto printed = run({"export-csv", json});
        REQUIRE(printed.exit_code == kCliOk);
        CHECK(printed.out.rfind("Title,Organization,Value", 0) == 0);
        CHECK(contains(printed.out, "Beta,,250.50,USD"));

        std::string csv = folder.file("out.csv");
        REQUIRE(run({"export-csv", json, "-o", csv}).exit_code == kCliOk);
        CHECK(read_text(csv) == printed.out);
        std::string again = folder.file("again.json");
        REQUIRE(run({"import-csv", csv, "-o", again}).exit_code == kCliOk);
        auto before = nlohmann::json::parse(run({"metrics", json, "--format", "json"}).out);
        auto after = nlohmann::json::parse(run({"metrics", again, "--format", "json"}).out);
        CHECK(after["win_rate"] == before["win_rate"]);
        CHECK(after["cycle_time"] == before["cycle_time"]);

        auto semicolons = run({"export-csv", json, "--delimiter", ";"});
        CHECK(semicolons.out.rfind("Title;Organization;Value", 0) == 0);
        CHECK(run({"export-csv", json, "--delimiter", "|"}).exit_code == kCliUsage);
        CHECK(run({"export-csv", folder.file("missing.json")}).exit_code == kCliBadData);
    }

    TEST_CASE("merge joins two exports and reports what it added") {
        TempFolder folder;
        std::string base = imported_workspace(folder);
        std::string extra = folder.write("extra.csv", "Title,Value\nZeta,5\n");
        std::string grown = folder.file("grown.json");
        REQUIRE(run({"import-csv", extra, "--into", base, "-o", grown}).exit_code == kCliOk);

        std::string merged = folder.file("merged.json");
        auto result = run({"merge", base, grown, "-o", merged});
        CHECK(result.exit_code == kCliOk);
        CHECK(contains(result.out, "added deal: Zeta\n"));
        Workspace ws = load(merged);
        CHECK(ws.deals.size() == 5);

        std::string many_rows = "Title,Value\n";
        for (int i = 0; i < 1200; ++i) many_rows += "Bulk " + std::to_string(i) + ",5\n";
        std::string bulk = folder.file("bulk.json");
        REQUIRE(run({"import-csv", folder.write("bulk.csv", many_rows), "--into", base, "-o", bulk})
                    .exit_code == kCliOk);
        auto bulk_merge = run({"merge", base, bulk, "-o", merged});
        CHECK(bulk_merge.exit_code == kCliOk);
        CHECK(contains(bulk_merge.out, "added deal: Bulk 0\n"));
        CHECK_FALSE(contains(bulk_merge.out, "added deal: Bulk 1199\n"));
        // A thousand changes are listed one per line, the rest only counted.
        std::istringstream lines(bulk_merge.out);
        int listed = 0, unlisted = 0, added = 0;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("added ", 0) == 0) ++listed;
            std::sscanf(line.c_str(), "... and %d more additions and updates", &unlisted);
            std::sscanf(line.c_str(), "%d added,", &added);
        }
        CHECK(listed == 1000);
        CHECK(unlisted > 1000);
        CHECK(listed + unlisted == added);

        CHECK(run({"merge", base, "-o", merged}).exit_code == kCliUsage);
        CHECK(run({"merge", base, grown}).exit_code == kCliUsage);
        std::string junk = folder.write("junk.json", "[]");
        auto bad = run({"merge", base, junk, "-o", folder.file("never.json")});
        CHECK(bad.exit_code == kCliBadData);
        CHECK_FALSE(fs::exists(folder.file("never.json")));
    }
}

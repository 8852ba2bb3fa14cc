// pipeboard_bench: how fast the board, the dashboard, the metrics and the data formats are over
// generated workspaces of growing size. Prints a table and optionally writes the same figures
// as JSON; it never fails on a timing (that is what the tests are not for).
//   pipeboard_bench [--sizes 1000,10000,100000] [--json FILE]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "bench_frames.hpp"
#include "core/commands.hpp"
#include "core/csv.hpp"
#include "core/ids.hpp"
#include "core/json_format.hpp"
#include "core/metrics.hpp"
#include "core/metrics_dashboard.hpp"
#include "core/sample_workspace.hpp"
#include "core/workspace_index.hpp"
#include "ui/board_model.hpp"
#include "ui/dashboard_view.hpp"

namespace {

using pb::bench::cpu_ms;

constexpr pb::Timestamp kNow = 1796000000;  // 2026-11-30T00:53:20Z

struct Figure {
    std::string key;    // JSON name
    std::string label;  // table row
    double value = 0;
    bool bytes = false;
};

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

// Median CPU milliseconds of `runs` calls; cheap work is repeated more for a steadier figure.
double time_ms(int runs, const std::function<void()>& work) {
    std::vector<double> samples;
    for (int i = 0; i < runs; ++i) {
        const double start = cpu_ms();
        work();
        samples.push_back(cpu_ms() - start);
    }
    return median(samples);
}

std::vector<Figure> measure(int deals) {
    std::vector<Figure> out;
    const int runs = deals >= 100000 ? 3 : 5;
    auto add = [&](std::string key, std::string label, double value, bool bytes = false) {
        out.push_back({std::move(key), std::move(label), value, bytes});
        std::fprintf(stderr, "  %-34s %12.2f\n", out.back().label.c_str(), value);
    };
    std::fprintf(stderr, "%d deals\n", deals);

    pb::SampleOptions options;
    options.deal_count = deals;
    double start = cpu_ms();
    const pb::Workspace sample = pb::make_sample_workspace(options, kNow);
    add("generate_ms", "generate sample (ms)", cpu_ms() - start);

    {
        start = cpu_ms();
        pb::bench::HeadlessApp ui(sample, 1280, 800, kNow);
        add("open_app_ms", "open app + first frames (ms)", cpu_ms() - start);
        const pb::bench::FrameTimes board = pb::bench::board_session(ui);
        add("board_frame_median_ms", "board frame median (ms)", board.median());
        add("board_frame_p99_ms", "board frame p99 (ms)", board.p99());
        add("board_frames", "board frames timed", static_cast<double>(board.ms.size()));
        const pb::bench::FrameTimes dashboard = pb::bench::dashboard_session(ui);
        add("dashboard_frame_median_ms", "dashboard frame median (ms)", dashboard.median());
        add("dashboard_frame_p99_ms", "dashboard frame p99 (ms)", dashboard.p99());
        add("dashboard_frames", "dashboard frames timed", static_cast<double>(dashboard.ms.size()));
    }

    pb::WorkspaceIndex index;
    index.rebuild(sample);
    const pb::Id pipeline = pb::ui::resolve_pipeline(index, {});
    pb::ui::BoardFilter filter;
    filter.text = "harbor";
    add("filter_ms", "text filter, whole board (ms)", time_ms(runs, [&] {
            pb::ui::build_board(index, pipeline, filter, pb::ui::ColumnSort::Manual, kNow);
        }));

    pb::ui::DashboardState dashboard;
    pb::MetricsFilter quarter;
    const pb::DayPeriod period = pb::preset_period(pb::PeriodPreset::ThisQuarter, pb::day_of(kNow));
    quarter.from = period.from;
    quarter.to = period.to;
    add("all_metrics_ms", "all_metrics, one period (ms)",
        time_ms(runs, [&] { pb::all_metrics(sample, quarter, kNow); }));
    add("all_metrics_indexed_ms", "all_metrics, with the index (ms)",
        time_ms(runs, [&] { pb::all_metrics(sample, quarter, kNow, &index); }));
    add("dashboard_numbers_ms", "every dashboard number (ms)",
        time_ms(runs, [&] { pb::ui::compute_dashboard_numbers(sample, dashboard, kNow, &index); }));

    {
        // One edit through the command layer, then the dashboard's numbers again.
        pb::Workspace ws = sample;
        pb::IdGenerator ids(3);
        pb::Session session(ws, ids);
        std::vector<double> samples;
        for (int i = 0; i < runs; ++i) {
            const pb::Deal* deal = nullptr;
            for (const pb::Deal& candidate : ws.deals)
                if (!candidate.meta.deleted && candidate.status == pb::DealStatus::Open) {
                    deal = &candidate;
                    break;
                }
            if (!deal) break;
            pb::Deal edited = *deal;
            edited.value += 100;
            start = cpu_ms();
            session.apply(pb::cmd::EditDeal{edited}, kNow);
            const double applied = cpu_ms();
            pb::ui::compute_dashboard_numbers(ws, dashboard, kNow, &session.index());
            samples.push_back(cpu_ms() - start);
            if (i == 0) add("edit_apply_ms", "one edit: apply command (ms)", applied - start);
        }
        add("edit_then_numbers_ms", "one edit + dashboard numbers (ms)", median(samples));
    }

    std::string json;
    add("json_save_ms", "JSON save (ms)",
        time_ms(runs, [&] { json = pb::workspace_to_json(sample); }));
    add("json_bytes", "JSON bytes", static_cast<double>(json.size()), true);
    std::string exported;
    add("json_export_ms", "JSON export, with its checksum (ms)",
        time_ms(runs, [&] { exported = pb::export_workspace_json(sample, kNow); }));
    if (!pb::workspace_from_json(exported).ok())
        std::fprintf(stderr, "  warning: the export did not load\n");
    std::size_t json_parsed = 0;
    add("json_parse_ms", "JSON parse only, nlohmann (ms)",
        time_ms(runs, [&] { json_parsed = nlohmann::json::parse(json).size(); }));
    bool loaded = false;
    add("json_load_ms", "JSON load (parse + build) (ms)",
        time_ms(runs, [&] { loaded = pb::workspace_from_json(json).ok(); }));
    if (!loaded) std::fprintf(stderr, "  warning: the saved document did not load\n");

    std::string csv;
    add("csv_export_ms", "CSV export (ms)",
        time_ms(runs, [&] { csv = pb::export_deals_csv(sample); }));
    add("csv_bytes", "CSV bytes", static_cast<double>(csv.size()), true);
    int imported = 0;
    add("csv_import_ms", "CSV import (ms)", time_ms(runs, [&] {
            pb::IdGenerator ids(4);
            pb::Workspace target = pb::make_workspace("Import", ids, kNow);
            pb::CsvImportOptions import_options;
            import_options.now = kNow;
            import_options.create_missing_stages = true;
            imported = pb::import_deals_csv(target, csv, import_options).imported;
        }));
    if (imported == 0) std::fprintf(stderr, "  warning: the CSV import took no deal\n");
    return out;
}

std::vector<int> parse_sizes(const std::string& text) {
    std::vector<int> sizes;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        const int size = std::atoi(text.substr(at, comma - at).c_str());
        if (size > 0) sizes.push_back(size);
        at = comma + 1;
    }
    return sizes;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int> sizes = {1000, 10000, 100000};
    std::string json_path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--sizes" && i + 1 < argc) {
            sizes = parse_sizes(argv[++i]);
        } else if (arg == "--json" && i + 1 < argc) {
            json_path = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: pipeboard_bench [--sizes 1000,10000,100000] [--json FILE]\n");
            return 2;
        }
    }
    if (sizes.empty()) {
        std::fprintf(stderr, "pipeboard_bench: --sizes needs positive deal counts\n");
        return 2;
    }

    std::vector<std::vector<Figure>> results;
    for (const int size : sizes) results.push_back(measure(size));

    std::printf("%-34s", "CPU time, native");
    for (const int size : sizes) std::printf(" %12d", size);
    std::printf("\n");
    for (std::size_t row = 0; row < results.front().size(); ++row) {
        std::printf("%-34s", results.front()[row].label.c_str());
        for (const auto& figures : results) {
            const Figure& figure = figures[row];
            if (figure.bytes || figure.key.ends_with("frames"))
                std::printf(" %12.0f", figure.value);
            else
                std::printf(" %12.2f", figure.value);
        }
        std::printf("\n");
    }

    if (!json_path.empty()) {
        nlohmann::json doc = {
            {"build", "native"}, {"clock", "thread CPU time"}, {"sizes", nlohmann::json::array()}};
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            nlohmann::json entry = {{"deals", sizes[i]}};
            for (const Figure& figure : results[i]) entry[figure.key] = figure.value;
            doc["sizes"].push_back(entry);
        }
        std::ofstream file(json_path);
        file << doc.dump(2) << '\n';
        if (!file) {
            std::fprintf(stderr, "pipeboard_bench: cannot write %s\n", json_path.c_str());
            return 1;
        }
    }
    return 0;
}

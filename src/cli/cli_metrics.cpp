// The metrics subcommand: win rate, won deal size and cycle time (or any named metric table)
// for a filtered view of a workspace, as aligned text, JSON or CSV.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli_support.hpp"
#include "core/csv.hpp"
#include "core/metrics.hpp"

namespace pb::cli {
namespace {

constexpr std::string_view kMetricsUsage =
    "usage: pipeboard-cli metrics WORKSPACE.json [options]\n"
    "\n"
    "Prints win rate, won deal size and cycle time, or one metric table.\n"
    "\n"
    "options:\n"
    "  --from DATE, --to DATE  the period (inclusive); default: all time\n"
    "  --owner NAME            only this rep's deals\n"
    "  --pipeline NAME         only this pipeline's deals\n"
    "  --source SOURCE         only deals from this lead source\n"
    "  --industry INDUSTRY     only deals in this industry\n"
    "  --table NAME            print this metric table instead (see the list below)\n"
    "  --format FORMAT         table (default), json or csv\n"
    "  --now DATE              the day metrics treat as today (default: the clock)\n";

constexpr FlagSpec kMetricsFlags[] = {
    value_flag("--from"),     value_flag("--to"),     value_flag("--owner"),
    value_flag("--pipeline"), value_flag("--source"), value_flag("--industry"),
    value_flag("--table"),    value_flag("--format"), value_flag("--now"),
};

std::string usage_with_tables() {
    std::string usage(kMetricsUsage);
    usage += "\ntables:";
    for (const auto& name : metrics_table_names()) usage += " " + name;
    usage += "\n";
    return usage;
}

// Display width of UTF-8 text: one column per code point.
std::size_t text_width(std::string_view text) {
    std::size_t width = 0;
    for (char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return width;
}

bool looks_numeric(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '%')) return false;
    }
    return true;
}

// Columns padded to their widest cell, a rule under the header; a column of numbers is
// right-aligned so the digits line up.
void print_aligned(std::ostream& out, const MetricsTable& table) {
    std::vector<std::size_t> widths(table.header.size(), 0);
    std::vector<bool> numeric(table.header.size(), true);
    for (std::size_t i = 0; i < table.header.size(); ++i) widths[i] = text_width(table.header[i]);
    for (const auto& row : table.rows) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], text_width(row[i]));
            if (!row[i].empty() && !looks_numeric(row[i])) numeric[i] = false;
        }
    }
    auto print_row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < cells.size() ? cells[i] : std::string();
            std::string padding(widths[i] - std::min(widths[i], text_width(cell)), ' ');
            if (i > 0) line += "  ";
            line += numeric[i] ? padding + cell : cell + padding;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
    };
    print_row(table.header);
    std::size_t rule = 0;
    for (std::size_t i = 0; i < widths.size(); ++i) rule += widths[i] + (i > 0 ? 2 : 0);
    out << std::string(rule, '-') << "\n";
    for (const auto& row : table.rows) print_row(row);
}

std::string one_decimal(double number) {
    char text[64];
    std::snprintf(text, sizeof text, "%.1f", number);
    return text;
}

nlohmann::ordered_json summary_json(const Workspace& ws, const MetricsFilter& filter) {
    const int digits = ws.currency.minor_digits;
    auto money = [&](Money amount) { return decimal_amount(amount, digits); };
    const auto [rate, size, cycle] = closed_deals(ws, filter);
    nlohmann::ordered_json json;
    json["currency"] = ws.currency.code;
    json["from"] = filter.from ? nlohmann::ordered_json(format_day(*filter.from)) : nullptr;
    json["to"] = filter.to ? nlohmann::ordered_json(format_day(*filter.to)) : nullptr;
    json["win_rate"] = {{"won", rate.won},
                        {"lost", rate.lost},
                        {"by_count", rate.by_count},
                        {"by_value", rate.by_value},
                        {"won_value", money(rate.won_value)},
                        {"lost_value", money(rate.lost_value)}};
    json["won_deal_size"] = {{"count", size.count},
                             {"average", money(size.average)},
                             {"median", money(size.median)},
                             {"min", money(size.min)},
                             {"max", money(size.max)}};
    json["cycle_time"] = {{"deals", cycle.deals},
                          {"average_days", cycle.average_days},
                          {"median_days", cycle.median_days}};
    return json;
}

MetricsTable summary_table(const Workspace& ws, const MetricsFilter& filter) {
    const auto [rate, size, cycle] = closed_deals(ws, filter);
    auto money = [&](Money amount) { return format_money(amount, ws.currency); };
    MetricsTable table{{"metric", "value"}, {}};
    table.rows.push_back({"win rate by count", one_decimal(rate.by_count * 100) + "% (" +
                                                   std::to_string(rate.won) + " won, " +
                                                   std::to_string(rate.lost) + " lost)"});
    table.rows.push_back({"win rate by value", one_decimal(rate.by_value * 100) + "%"});
    table.rows.push_back({"won value", money(rate.won_value)});
    table.rows.push_back({"lost value", money(rate.lost_value)});
    table.rows.push_back({"won deal size", "average " + money(size.average) + ", median " +
                                               money(size.median) + ", min " + money(size.min) +
                                               ", max " + money(size.max)});
    table.rows.push_back({"cycle time", one_decimal(cycle.average_days) + " days average, " +
                                            one_decimal(cycle.median_days) + " median, over " +
                                            std::to_string(cycle.deals) + " won deal(s)"});
    return table;
}

nlohmann::ordered_json table_json(std::string_view name, const MetricsTable& table) {
    nlohmann::ordered_json json;
    json["table"] = name;
    json["rows"] = nlohmann::ordered_json::array();
    for (const auto& row : table.rows) {
        nlohmann::ordered_json object = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < table.header.size() && i < row.size(); ++i) {
            object[table.header[i]] = row[i];
        }
        json["rows"].push_back(std::move(object));
    }
    return json;
}

}  // namespace

int run_metrics(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                const CliEnvironment& environment) {
    auto parsed = parse_args(args, 0, kMetricsFlags);
    if (parsed.help) {
        out << usage_with_tables();
        return kCliOk;
    }
    if (!parsed.error.empty()) return usage_error(err, parsed.error, usage_with_tables());
    if (parsed.positional.size() != 1) {
        return usage_error(err, "metrics takes one workspace file", usage_with_tables());
    }
    std::string format = parsed.value("--format").value_or("table");
    if (format != "table" && format != "json" && format != "csv") {
        return usage_error(err, "--format must be table, json or csv", usage_with_tables());
    }
    auto table_name = parsed.value("--table");
    if (table_name) {
        auto names = metrics_table_names();
        if (std::find(names.begin(), names.end(), *table_name) == names.end()) {
            return usage_error(err, "there is no metric table '" + *table_name + "'",
                               usage_with_tables());
        }
    }
    MetricsFilter filter;
    for (auto [flag, day] : {std::pair{"--from", &filter.from}, std::pair{"--to", &filter.to}}) {
        if (auto text = parsed.value(flag)) {
            *day = parse_day(*text);
            if (!*day) {
                return usage_error(err, std::string(flag) + " '" + *text + "' is not a date",
                                   usage_with_tables());
            }
        }
    }
    if (filter.from && filter.to && *filter.from > *filter.to) {
        return usage_error(err, "--from is after --to", usage_with_tables());
    }
    auto now = resolve_now(parsed, environment, err);
    if (!now) return kCliUsage;

    auto workspace = load_workspace_file(parsed.positional[0], err);
    if (!workspace) return kCliBadData;
    if (auto owner = parsed.value("--owner")) {
        auto id = find_by_name(workspace->reps, *owner, "rep", err);
        if (!id) return kCliBadData;
        filter.owner_id = *id;
    }
    if (auto pipeline = parsed.value("--pipeline")) {
        auto id = find_by_name(workspace->pipelines, *pipeline, "pipeline", err);
        if (!id) return kCliBadData;
        filter.pipeline_id = *id;
    }
    filter.lead_source = parsed.value("--source").value_or("");
    filter.industry = parsed.value("--industry").value_or("");

    if (table_name) {
        MetricsTable table = metrics_table(*workspace, filter, *table_name, *now);
        if (format == "json") {
            out << table_json(*table_name, table).dump(2) << "\n";
        } else if (format == "csv") {
            out << export_metrics_csv(table);
        } else {
            print_aligned(out, table);
        }
        return kCliOk;
    }
    if (format == "json") {
        out << summary_json(*workspace, filter).dump(2) << "\n";
    } else if (format == "csv") {
        out << export_metrics_csv(summary_table(*workspace, filter));
    } else {
        print_aligned(out, summary_table(*workspace, filter));
    }
    return kCliOk;
}

}  // namespace pb::cli

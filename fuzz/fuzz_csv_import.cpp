// libFuzzer target: any bytes through the CSV reader and the deal import into a fresh
// workspace, then the export read back in. Must never crash, hang or break the counts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The first byte picks the import options, so every option path gets fuzzed.
    std::uint8_t choices = size > 0 ? data[0] : 0;
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (size > 0) bytes.remove_prefix(1);

    pb::CsvImportOptions options;
    options.now = 1767225600;
    options.month_first = (choices & 1) != 0;
    options.create_missing_stages = (choices & 2) != 0;
    options.adopt_file_currency = (choices & 4) != 0;
    if (choices & 8) options.decimal_comma = (choices & 16) != 0;
    options.limits.max_field_bytes = 4096;
    options.limits.max_fields_per_row = 64;

    pb::Workspace workspace;
    auto report = pb::import_deals_csv(workspace, bytes, options);
    if (!report.ok()) {
        if (!workspace.deals.empty() || report.imported != 0) __builtin_trap();
        return 0;
    }
    if (static_cast<std::size_t>(report.imported) != workspace.deals.size()) __builtin_trap();
    if (static_cast<std::size_t>(report.skipped) != report.problems.size()) __builtin_trap();

    // What was imported exports and imports again without losing a deal.
    pb::Workspace copy;
    options.create_missing_stages = true;
    options.adopt_file_currency = true;
    options.decimal_comma = false;
    options.limits = pb::CsvLimits{};
    std::string exported = pb::export_deals_csv(workspace);
    auto again = pb::import_deals_csv(copy, exported, options);
    if (!workspace.deals.empty() && (!again.ok() || again.imported != report.imported)) {
        __builtin_trap();
    }
    return 0;
}

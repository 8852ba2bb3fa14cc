// CSV in and out of a workspace: an RFC 4180 reader tolerant of spreadsheet quirks, deal import
// from the exports of common CRMs (with a row-by-row report), and deal / metrics export.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics.hpp"
#include "workspace.hpp"

namespace pb {

// [SECTION] Reading CSV text

// Bounds that keep a hostile or mistaken file from exhausting memory; exceeding one is a
// clear error, never a crash.
struct CsvLimits {
    std::size_t max_input_bytes = 512u * 1024 * 1024;
    std::size_t max_field_bytes = 1024 * 1024;
    std::size_t max_fields_per_row = 1000;
    std::size_t max_rows = 2'000'000;
};

struct CsvRecord {
    int line = 0;  // physical line (1-based) where the record starts
    std::vector<std::string> fields;
};

// A record the reader could not take (an over-long field, an unclosed quote).
struct CsvProblem {
    int line = 0;
    std::string message;
};

struct CsvTable {
    char delimiter = ',';
    int header_line = 1;
    std::vector<std::string> header;
    std::vector<CsvRecord> rows;  // blank rows left out
    std::vector<CsvProblem> problems;
};

struct CsvParseResult {
    std::optional<CsvTable> table;
    std::string error;  // why the whole input is unusable; empty when `table` is set
    bool ok() const { return table.has_value(); }
};

// Accepts UTF-8 with or without BOM (UTF-16 with BOM and Windows-1252 text are converted),
// CRLF / LF / CR line ends, an Excel "sep=;" first line, and guesses `,` `;` or tab from the
// header line. Empty, binary or header-less input is an error.
CsvParseResult parse_csv(std::string_view bytes, const CsvLimits& limits = {});

// The delimiter a header line most likely uses: `,` `;` or tab (`,` when none appears).
char guess_csv_delimiter(std::string_view header_line);

// [SECTION] Writing CSV text

// A cell as a spreadsheet should read it: quoted when it holds the delimiter, a quote or a line
// break; prefixed with ' when it would otherwise run as a formula (= + - @ tab CR), except a
// plain number such as "-12.50".
std::string csv_cell(std::string_view text, char delimiter = ',');
// One CSV document with CRLF line ends (as RFC 4180 and spreadsheets expect).
std::string csv_document(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows, char delimiter = ',');

// [SECTION] Column mapping

// What a CSV column can hold for a deal.
enum class CsvField {
    Title,
    Organization,
    Value,
    Currency,
    Pipeline,
    Stage,
    Status,
    Owner,
    Probability,
    ExpectedClose,
    Created,
    WonTime,
    LostTime,
    ClosedTime,
    LostReason,
    Source,
    Industry,
    Contact,
    Email,
    Phone,
    Labels,
    Notes,
};
constexpr int kCsvFieldCount = static_cast<int>(CsvField::Notes) + 1;

// "title", "expected_close", "won_time", ... as used by `--map field=Header`.
const char* csv_field_name(CsvField field);
std::optional<CsvField> csv_field_from_name(std::string_view name);

// "value=Amount" -> {Value, "Amount"}.
struct CsvColumnOverride {
    CsvField field = CsvField::Title;
    std::string header;
};
struct CsvOverrideParse {
    std::optional<CsvColumnOverride> column_override;
    std::string error;
};
CsvOverrideParse parse_csv_column_override(std::string_view text);

// Column index per field, -1 when the file has no such column.
struct CsvColumnMap {
    int column[kCsvFieldCount];
    CsvColumnMap();
    int operator[](CsvField field) const { return column[static_cast<int>(field)]; }
    bool has(CsvField field) const { return (*this)[field] >= 0; }
};

struct CsvMappingResult {
    CsvColumnMap map;
    std::string error;  // an override naming a header the file does not have
};

// Guesses each field's column from the header names (ignoring case, spaces and punctuation,
// knowing the names Pipedrive, HubSpot, Odoo and Salesforce use), then applies `overrides`.
CsvMappingResult map_csv_columns(const std::vector<std::string>& header,
                                 const std::vector<CsvColumnOverride>& overrides = {});

// [SECTION] Deal import

struct CsvImportOptions {
    Id pipeline_id;  // empty: the workspace's first pipeline
    std::vector<CsvColumnOverride> overrides;
    bool month_first = false;           // read 03/04/2026 as March 4
    std::optional<bool> decimal_comma;  // "1.234,50"; unset: on for `;`-separated files
    bool create_missing_stages = false;
    // Adopt the file's currency when the workspace holds no deals yet (a fresh import).
    bool adopt_file_currency = false;
    Timestamp now = 0;  // import time: records' meta and deals without a created date
    std::uint64_t id_seed = 0x5EEDC5F00D5EEDull;
    CsvLimits limits;
};

struct CsvImportReport {
    std::string error;  // the file as a whole is unusable; nothing was imported
    int imported = 0;
    int skipped = 0;
    std::vector<CsvProblem> problems;  // one per skipped row, in file order
    int reps_created = 0;
    int stages_created = 0;
    char delimiter = ',';
    std::vector<std::pair<CsvField, std::string>> columns_used;  // field -> header
    bool ok() const { return error.empty(); }
};

// "line 14: value 'abc' is not an amount"
std::string describe(const CsvProblem& problem);

// Adds every good row of `bytes` as a deal of `workspace` (with ids, revisions and history so
// metrics see it); bad rows are reported by line and skipped. On an unusable file the
// workspace is left untouched.
CsvImportReport import_deals_csv(Workspace& workspace, std::string_view bytes,
                                 const CsvImportOptions& options);

// [SECTION] Export

// Minor units as a plain decimal for machines: 123456 cents -> "1234.56" (no grouping, no
// symbol), "-0.05", "1234" for a currency without a minor unit.
std::string decimal_amount(Money amount, int minor_digits);

// Every live deal, one row each, with stage / owner / pipeline names and decimal amounts;
// import_deals_csv reads it back into the same deals.
std::string export_deals_csv(const Workspace& workspace, char delimiter = ',');
// A metric's table as CSV, cells guarded like any other export; "" for an empty table.
std::string export_metrics_csv(const MetricsTable& table, char delimiter = ',');

}  // namespace pb

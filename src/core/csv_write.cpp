// Writing CSV: cells safe to open in a spreadsheet, and the deal export that import reads back.
#include <unordered_map>

#include "csv.hpp"

namespace pb {
namespace {

// "-12.50" is a number to a spreadsheet, not a formula, and stays as it is.
bool is_plain_number(std::string_view text) {
    std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
    bool digits = false;
    bool point = false;
    for (; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9') {
            digits = true;
        } else if (text[i] == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    return digits;
}

void append_row(std::string& out, const std::vector<std::string>& cells, char delimiter) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out.push_back(delimiter);
        out += csv_cell(cells[i], delimiter);
    }
    out += "\r\n";
}

}  // namespace

std::string decimal_amount(Money amount, int minor_digits) {
    bool negative = amount < 0;
    auto magnitude =
        negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    std::string digits = std::to_string(magnitude);
    // Built by appending: GCC 12 warns falsely (-Wrestrict) about inserting the point.
    std::string text = negative ? "-" : "";
    if (minor_digits > 0) {
        auto width = static_cast<std::size_t>(minor_digits);
        if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
        const std::size_t whole = digits.size() - width;
        text.append(digits, 0, whole);
        text += '.';
        text.append(digits, whole, width);
    } else {
        text += digits;
    }
    return text;
}

std::string csv_cell(std::string_view text, char delimiter) {
    bool guard = !text.empty() &&
                 (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                  text[0] == '\t' || text[0] == '\r') &&
                 !is_plain_number(text);
    bool quote =
        text.find_first_of(std::string{'"', '\n', '\r', delimiter}) != std::string_view::npos ||
        (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    std::string out;
    out.reserve(text.size() + 4);
    if (quote) out.push_back('"');
    if (guard) out.push_back('\'');
    for (char c : text) {
        // The reader drops other control characters; writing them could make a file look binary.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    if (quote) out.push_back('"');
    return out;
}

std::string csv_document(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows, char delimiter) {
    std::string out;
    append_row(out, header, delimiter);
    for (const auto& row : rows) append_row(out, row, delimiter);
    return out;
}

std::string export_deals_csv(const Workspace& workspace, char delimiter) {
    std::unordered_map<Id, const std::string*> names;
    for (const auto& pipeline : workspace.pipelines)
        names.emplace(pipeline.meta.id, &pipeline.name);
    for (const auto& stage : workspace.stages) names.emplace(stage.meta.id, &stage.name);
    for (const auto& rep : workspace.reps) names.emplace(rep.meta.id, &rep.name);
    auto name_of = [&](const Id& id) -> std::string {
        auto found = names.find(id);
        return found == names.end() ? std::string() : *found->second;
    };

    const std::vector<std::string> header = {
        "Title",    "Organization",   "Value",     "Currency",    "Pipeline",
        "Stage",    "Status",         "Owner",     "Probability", "Expected close date",
        "Created",  "Won time",       "Lost time", "Lost reason", "Source",
        "Industry", "Contact person", "Email",     "Phone",       "Labels",
        "Notes"};
    std::string out;
    out.reserve(workspace.deals.size() * 200 + 256);
    append_row(out, header, delimiter);
    std::vector<std::string> cells(header.size());
    for (const auto& deal : workspace.deals) {
        if (deal.meta.deleted) continue;
        std::string closed = deal.closed_at ? format_timestamp(*deal.closed_at) : std::string();
        std::string labels;
        for (const auto& label : deal.labels) labels += (labels.empty() ? "" : ", ") + label;
        const Contact* contact = deal.contacts.empty() ? nullptr : &deal.contacts.front();
        cells[0] = deal.title;
        cells[1] = deal.organization;
        cells[2] = decimal_amount(deal.value, workspace.currency.minor_digits);
        cells[3] = workspace.currency.code;
        cells[4] = name_of(deal.pipeline_id);
        cells[5] = name_of(deal.stage_id);
        cells[6] = to_string(deal.status);
        cells[7] = name_of(deal.owner_id);
        cells[8] = deal.probability ? std::to_string(*deal.probability) : std::string();
        cells[9] = deal.expected_close ? format_day(*deal.expected_close) : std::string();
        cells[10] = format_timestamp(deal.meta.created);
        cells[11] = deal.status == DealStatus::Won ? closed : std::string();
        cells[12] = deal.status == DealStatus::Lost ? closed : std::string();
        cells[13] = deal.lost_reason;
        cells[14] = deal.lead_source;
        cells[15] = deal.industry;
        cells[16] = contact ? contact->name : std::string();
        cells[17] = contact ? contact->email : std::string();
        cells[18] = contact ? contact->phone : std::string();
        cells[19] = std::move(labels);
        cells[20] = deal.notes;
        append_row(out, cells, delimiter);
    }
    return out;
}

std::string export_metrics_csv(const MetricsTable& table, char delimiter) {
    if (table.header.empty()) return {};
    return csv_document(table.header, table.rows, delimiter);
}

}  // namespace pb

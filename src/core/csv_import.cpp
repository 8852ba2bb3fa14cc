// Deals from a CRM's CSV export: each row checked on its own, good rows become deals with ids,
// revisions and history (so win rate and cycle time see them), bad rows reported by line.
#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "csv.hpp"
#include "ids.hpp"
#include "revision.hpp"

namespace pb {
namespace {

std::string_view trimmed(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Lowercase letters and digits only, for matching words like "Closed Won" / "closed-won".
std::string letters_and_digits(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
    }
    return out;
}

bool is_formula_trigger(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Undoes the guard export puts in front of formula-like cells ("'=SUM" -> "=SUM").
std::string_view without_formula_guard(std::string_view cell) {
    if (cell.size() >= 2 && cell[0] == '\'' && is_formula_trigger(cell[1])) cell.remove_prefix(1);
    return cell;
}

struct StatusWord {
    const char* word;
    DealStatus status;
};
constexpr StatusWord kStatusWords[] = {
    {"open", DealStatus::Open},       {"active", DealStatus::Open},
    {"inprogress", DealStatus::Open}, {"pending", DealStatus::Open},
    {"new", DealStatus::Open},        {"won", DealStatus::Won},
    {"closedwon", DealStatus::Won},   {"win", DealStatus::Won},
    {"lost", DealStatus::Lost},       {"closedlost", DealStatus::Lost},
    {"nurture", DealStatus::Nurture}, {"onhold", DealStatus::Nurture},
    {"paused", DealStatus::Nurture},
};

std::optional<DealStatus> status_from_word(std::string_view text) {
    std::string word = letters_and_digits(text);
    for (const auto& entry : kStatusWords) {
        if (word == entry.word) return entry.status;
    }
    return std::nullopt;
}

struct KnownCurrency {
    const char* code;
    const char* symbol;
    int minor_digits;
};
constexpr KnownCurrency kKnownCurrencies[] = {
    {"USD", "$", 2},          {"EUR", "\xE2\x82\xAC", 2},
    {"GBP", "\xC2\xA3", 2},   {"JPY", "\xC2\xA5", 0},
    {"CHF", "", 2},           {"CAD", "CA$", 2},
    {"AUD", "A$", 2},         {"NZD", "NZ$", 2},
    {"SEK", "kr", 2},         {"NOK", "kr", 2},
    {"DKK", "kr", 2},         {"PLN", "z\xC5\x82", 2},
    {"CZK", "K\xC4\x8D", 2},  {"INR", "\xE2\x82\xB9", 2},
    {"CNY", "CN\xC2\xA5", 2}, {"BRL", "R$", 2},
    {"MXN", "MX$", 2},        {"KRW", "\xE2\x82\xA9", 0},
    {"ZAR", "R", 2},          {"SGD", "S$", 2},
    {"HKD", "HK$", 2},
};

Currency currency_for_code(std::string_view code) {
    std::string upper(code);
    for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    for (const auto& known : kKnownCurrencies) {
        if (upper == known.code) return Currency{known.code, known.symbol, known.minor_digits};
    }
    return Currency{upper, upper, 2};
}

bool names_currency(std::string_view cell, const Currency& currency) {
    return lowercase(cell) == lowercase(currency.code) || cell == currency.symbol;
}

// "1.234,50" -> "1234.50". A dot alone counts as grouping only in the "1.234.567" shape, so a
// file mixing "1234.50" into a semicolon export still reads right.
std::string with_decimal_point(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool has_comma = text.find(',') != std::string_view::npos;
    bool dots_group_thousands = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '.') continue;
        std::size_t digits = 0;
        while (i + 1 + digits < text.size() && text[i + 1 + digits] >= '0' &&
               text[i + 1 + digits] <= '9') {
            ++digits;
        }
        if (digits != 3) dots_group_thousands = false;
    }
    for (char c : text) {
        if (c == '.' && (has_comma || dots_group_thousands)) continue;
        out.push_back(c == ',' ? '.' : c);
    }
    return out;
}

std::optional<int> parse_percent(std::string_view text) {
    if (!text.empty() && text.back() == '%') text = trimmed(text.substr(0, text.size() - 1));
    if (text.empty() || text.size() > 12) return std::nullopt;
    double number = 0;
    double fraction_scale = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            if (fraction_scale > 0) {
                number += (c - '0') * fraction_scale;
                fraction_scale /= 10;
            } else {
                number = number * 10 + (c - '0');
            }
        } else if ((c == '.' || c == ',') && fraction_scale == 0) {
            fraction_scale = 0.1;
        } else {
            return std::nullopt;
        }
    }
    if (number > 100) return std::nullopt;
    return static_cast<int>(std::lround(number));
}

std::vector<std::string> split_labels(std::string_view text) {
    std::vector<std::string> labels;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(",;", start);
        if (end == std::string_view::npos) end = text.size();
        auto label = trimmed(text.substr(start, end - start));
        if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end()) {
            labels.emplace_back(label);
        }
        start = end + 1;
    }
    return labels;
}

// A new record's identity: a fresh id and its first revision. `created` is when the record
// came to be in the source CRM, which for deals and history predates the import.
template <typename Record>
void stamp_new(Record& record, IdGenerator& ids, Timestamp created, Timestamp now) {
    record.meta.id = ids.next();
    touch(record, now);
    record.meta.created = created;
}

// Case-insensitive set of a workspace list, so imports add each name once.
class ListAdder {
public:
    explicit ListAdder(std::vector<std::string>& list) : list_(list) {
        for (const auto& item : list_) seen_.insert(lowercase(item));
    }
    void add(std::string_view item) {
        if (item.empty()) return;
        if (seen_.insert(lowercase(item)).second) list_.emplace_back(item);
    }

private:
    std::vector<std::string>& list_;
    std::unordered_set<std::string> seen_;
};

struct PipelineStages {
    Id pipeline_id;
    std::string name;
    std::unordered_map<std::string, Id> stage_by_name;  // lowercase
    Id first_stage;
    Id last_stage;
    int first_position = 0;
    int last_position = 0;
};

// The import's working state over one workspace: name lookups built once, so a row costs
// a few hash look-ups whatever the workspace size.
class DealImporter {
public:
    DealImporter(Workspace& workspace, const CsvTable& table, const CsvColumnMap& columns,
                 const CsvImportOptions& options, CsvImportReport& report)
        : workspace_(workspace),
          table_(table),
          columns_(columns),
          options_(options),
          report_(report),
          ids_(options.id_seed),
          sources_(workspace.lists.lead_sources),
          industries_(workspace.lists.industries),
          lost_reasons_(workspace.lists.lost_reasons),
          labels_(workspace.lists.labels) {
        decimal_comma_ = options.decimal_comma.value_or(table.delimiter == ';');
    }

    std::string prepare() {
        index_pipelines();
        if (!options_.pipeline_id.empty()) {
            auto found = std::find_if(
                pipelines_.begin(), pipelines_.end(),
                [&](const auto& pipeline) { return pipeline.pipeline_id == options_.pipeline_id; });
            if (found == pipelines_.end()) return "the pipeline to import into does not exist";
            default_pipeline_ = static_cast<std::size_t>(found - pipelines_.begin());
        }
        if (options_.adopt_file_currency) adopt_file_currency();
        if (pipelines_.empty()) add_default_pipeline();
        for (const auto& rep : workspace_.reps) {
            if (!rep.meta.deleted) rep_by_name_.emplace(lowercase(trimmed(rep.name)), rep.meta.id);
        }
        for (const auto& deal : workspace_.deals) {
            auto& top = last_position_in_stage_[deal.stage_id];
            top = std::max(top, deal.position);
        }
        return {};
    }

    void import_row(const CsvRecord& row) {
        std::string problem = import_or_explain(row);
        if (problem.empty()) {
            ++report_.imported;
        } else {
            report_.problems.push_back({row.line, std::move(problem)});
        }
    }

private:
    std::string_view cell(const CsvRecord& row, CsvField field) const {
        int column = columns_[field];
        if (column < 0 || static_cast<std::size_t>(column) >= row.fields.size()) return {};
        return trimmed(without_formula_guard(trimmed(row.fields[column])));
    }

    void adopt_file_currency() {
        bool has_deals = std::any_of(workspace_.deals.begin(), workspace_.deals.end(),
                                     [](const Deal& deal) { return !deal.meta.deleted; });
        if (has_deals || !columns_.has(CsvField::Currency)) return;
        for (const auto& row : table_.rows) {
            auto code = cell(row, CsvField::Currency);
            if (code.empty()) continue;
            // Only an ISO 4217 shape: adopting free text would make its characters a symbol
            // the amount reader skips.
            bool iso_code = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
                                return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                            });
            if (iso_code && !names_currency(code, workspace_.currency)) {
                workspace_.currency = currency_for_code(code);
            }
            return;
        }
    }

    void index_pipelines() {
        int first_position = 0;
        for (const auto& pipeline : workspace_.pipelines) {
            if (pipeline.meta.deleted) continue;
            // Rows naming no pipeline go to the first one, as the board shows them.
            if (pipelines_.empty() || pipeline.position < first_position) {
                default_pipeline_ = pipelines_.size();
                first_position = pipeline.position;
            }
            pipeline_index_.emplace(lowercase(trimmed(pipeline.name)), pipelines_.size());
            pipelines_.push_back({pipeline.meta.id, pipeline.name, {}, {}, {}, 0, 0});
        }
        std::vector<const Stage*> live_stages;
        for (const auto& stage : workspace_.stages) {
            if (!stage.meta.deleted) live_stages.push_back(&stage);
        }
        std::stable_sort(live_stages.begin(), live_stages.end(),
                         [](const Stage* a, const Stage* b) { return a->position < b->position; });
        std::unordered_map<Id, std::size_t> by_id;
        for (std::size_t i = 0; i < pipelines_.size(); ++i) {
            by_id.emplace(pipelines_[i].pipeline_id, i);
        }
        for (const Stage* stage : live_stages) {
            auto found = by_id.find(stage->pipeline_id);
            if (found == by_id.end()) continue;
            note_stage(pipelines_[found->second], *stage);
        }
    }

    static void note_stage(PipelineStages& pipeline, const Stage& stage) {
        pipeline.stage_by_name.emplace(lowercase(trimmed(stage.name)), stage.meta.id);
        if (pipeline.first_stage.empty() || stage.position < pipeline.first_position) {
            pipeline.first_stage = stage.meta.id;
            pipeline.first_position = stage.position;
        }
        if (pipeline.last_stage.empty() || stage.position >= pipeline.last_position) {
            pipeline.last_stage = stage.meta.id;
            pipeline.last_position = stage.position;
        }
    }

    std::size_t add_pipeline(std::string_view name) {
        Pipeline pipeline;
        pipeline.name = std::string(name);
        pipeline.position = static_cast<int>(workspace_.pipelines.size());
        stamp_new(pipeline, ids_, options_.now, options_.now);
        workspace_.pipelines.push_back(pipeline);
        pipeline_index_.emplace(lowercase(name), pipelines_.size());
        pipelines_.push_back({pipeline.meta.id, pipeline.name, {}, {}, {}, 0, 0});
        return pipelines_.size() - 1;
    }

    void add_stage(std::size_t pipeline_index, std::string_view name, int probability,
                   int rotting_days, std::uint32_t color) {
        auto& pipeline = pipelines_[pipeline_index];
        Stage stage;
        stage.pipeline_id = pipeline.pipeline_id;
        stage.name = std::string(name);
        stage.position = pipeline.last_stage.empty() ? 0 : pipeline.last_position + 1;
        stage.probability = probability;
        stage.rotting_days = rotting_days;
        stage.color = color;
        stamp_new(stage, ids_, options_.now, options_.now);
        workspace_.stages.push_back(stage);
        note_stage(pipeline, stage);
    }

    void add_default_pipeline() {
        std::size_t index = add_pipeline("Sales pipeline");
        for (const auto& stage : default_stage_templates()) {
            add_stage(index, stage.name, stage.probability, stage.rotting_days, stage.color);
        }
    }

    // Reads, checks and adds one row; returns why it was skipped, or "" when imported.
    std::string import_or_explain(const CsvRecord& row) {
        if (row.fields.size() > table_.header.size()) {
            for (std::size_t i = table_.header.size(); i < row.fields.size(); ++i) {
                if (!trimmed(row.fields[i]).empty()) {
                    return "the row has " + std::to_string(row.fields.size()) +
                           " fields but the header has " + std::to_string(table_.header.size()) +
                           " (is a value with the delimiter in it not quoted?)";
                }
            }
        }
        Deal deal;
        deal.title = std::string(cell(row, CsvField::Title));
        deal.organization = std::string(cell(row, CsvField::Organization));
        if (deal.title.empty()) deal.title = deal.organization;
        if (deal.title.empty()) return "the deal has no title";

        auto currency = cell(row, CsvField::Currency);
        if (!currency.empty() && !names_currency(currency, workspace_.currency)) {
            return "value is in " + std::string(currency) + " but the workspace uses " +
                   workspace_.currency.code;
        }
        auto value_text = cell(row, CsvField::Value);
        if (!value_text.empty()) {
            auto value = parse_money(
                decimal_comma_ ? with_decimal_point(value_text) : std::string(value_text),
                workspace_.currency);
            if (!value) return "value '" + std::string(value_text) + "' is not an amount";
            deal.value = *value;
        }
        auto probability_text = cell(row, CsvField::Probability);
        if (!probability_text.empty()) {
            deal.probability = parse_percent(probability_text);
            if (!deal.probability) {
                return "probability '" + std::string(probability_text) +
                       "' is not a percent from 0 to 100";
            }
        }

        std::optional<Timestamp> created;
        std::optional<Timestamp> won_time;
        std::optional<Timestamp> lost_time;
        std::optional<Timestamp> closed_time;
        struct TimeCell {
            CsvField field;
            const char* what;
            std::optional<Timestamp>* into;
        };
        for (const TimeCell& time : {TimeCell{CsvField::Created, "created date", &created},
                                     TimeCell{CsvField::WonTime, "won time", &won_time},
                                     TimeCell{CsvField::LostTime, "lost time", &lost_time},
                                     TimeCell{CsvField::ClosedTime, "closed date", &closed_time}}) {
            auto text = cell(row, time.field);
            if (text.empty()) continue;
            *time.into = parse_timestamp(text, options_.month_first);
            if (!*time.into)
                return std::string(time.what) + " '" + std::string(text) + "' is not a date";
        }
        auto expected_text = cell(row, CsvField::ExpectedClose);
        if (!expected_text.empty()) {
            deal.expected_close = parse_day(expected_text, options_.month_first);
            if (!deal.expected_close) {
                return "expected close date '" + std::string(expected_text) + "' is not a date";
            }
        }

        std::size_t pipeline_index = default_pipeline_;
        bool create_pipeline = false;
        auto pipeline_text = cell(row, CsvField::Pipeline);
        if (!pipeline_text.empty()) {
            auto found = pipeline_index_.find(lowercase(pipeline_text));
            if (found != pipeline_index_.end()) {
                pipeline_index = found->second;
            } else if (options_.create_missing_stages) {
                create_pipeline = true;
            } else {
                return "pipeline '" + std::string(pipeline_text) + "' does not exist";
            }
        }

        auto status_text = cell(row, CsvField::Status);
        std::optional<DealStatus> status;
        if (!status_text.empty()) {
            if (letters_and_digits(status_text) == "deleted") return "the deal is marked deleted";
            status = status_from_word(status_text);
            if (!status) {
                return "status '" + std::string(status_text) +
                       "' is not open, won, lost or nurture";
            }
        }

        auto stage_text = cell(row, CsvField::Stage);
        Id stage_id;
        bool create_stage = false;
        const PipelineStages* pipeline = create_pipeline ? nullptr : &pipelines_[pipeline_index];
        if (pipeline && !stage_text.empty()) {
            auto found = pipeline->stage_by_name.find(lowercase(stage_text));
            if (found != pipeline->stage_by_name.end()) stage_id = found->second;
        }
        if (stage_id.empty() && !stage_text.empty()) {
            // HubSpot and Salesforce say won/lost through the stage ("Closed Won").
            auto stage_status = status_from_word(stage_text);
            bool says_outcome = stage_status && (*stage_status == DealStatus::Won ||
                                                 *stage_status == DealStatus::Lost);
            if (says_outcome && !status) status = stage_status;
            if (says_outcome && pipeline && !pipeline->last_stage.empty()) {
                stage_id = pipeline->last_stage;
            } else if (options_.create_missing_stages) {
                create_stage = true;
            } else {
                return "stage '" + std::string(stage_text) + "' is not a stage of pipeline '" +
                       pipeline->name + "'";
            }
        }
        if (stage_id.empty() && !create_stage) {
            if (!pipeline || pipeline->first_stage.empty()) {
                return "pipeline '" + (pipeline ? pipeline->name : std::string(pipeline_text)) +
                       "' has no stages to put the deal in";
            }
            stage_id = pipeline->first_stage;
        }
        if (!status) {
            if (won_time) {
                status = DealStatus::Won;
            } else if (lost_time) {
                status = DealStatus::Lost;
            } else {
                status = DealStatus::Open;
            }
        }

        // Every check passed: from here on the row becomes a deal.
        if (create_pipeline) pipeline_index = add_pipeline(pipeline_text);
        if (create_stage) {
            const auto& templates = default_stage_templates();
            const auto& look =
                templates[pipelines_[pipeline_index].stage_by_name.size() % templates.size()];
            add_stage(pipeline_index, stage_text, look.probability, look.rotting_days, look.color);
            ++report_.stages_created;
            stage_id = pipelines_[pipeline_index].stage_by_name.at(lowercase(stage_text));
        }

        deal.pipeline_id = pipelines_[pipeline_index].pipeline_id;
        deal.stage_id = stage_id;
        deal.status = *status;
        deal.owner_id = owner_id(cell(row, CsvField::Owner));
        deal.lead_source = std::string(cell(row, CsvField::Source));
        deal.industry = std::string(cell(row, CsvField::Industry));
        deal.notes = std::string(cell(row, CsvField::Notes));
        deal.labels = split_labels(cell(row, CsvField::Labels));
        Contact contact;
        contact.name = std::string(cell(row, CsvField::Contact));
        contact.email = std::string(cell(row, CsvField::Email));
        contact.phone = std::string(cell(row, CsvField::Phone));
        if (!contact.name.empty() || !contact.email.empty() || !contact.phone.empty()) {
            deal.contacts.push_back(std::move(contact));
        }
        Timestamp created_at = created.value_or(options_.now);
        if (deal.status == DealStatus::Won || deal.status == DealStatus::Lost) {
            bool won = deal.status == DealStatus::Won;
            auto closed = won ? won_time : lost_time;
            if (!closed) closed = closed_time;
            if (!closed && deal.expected_close) closed = start_of_day(*deal.expected_close);
            deal.closed_at = closed.value_or(options_.now);
            if (!won) deal.lost_reason = std::string(cell(row, CsvField::LostReason));
        }
        deal.stage_entered_at = created_at;
        auto& top = last_position_in_stage_[deal.stage_id];
        top += 1;
        deal.position = top;

        sources_.add(deal.lead_source);
        industries_.add(deal.industry);
        lost_reasons_.add(deal.lost_reason);
        for (const auto& label : deal.labels) labels_.add(label);

        stamp_new(deal, ids_, created_at, options_.now);
        add_history(deal, created_at);
        workspace_.deals.push_back(std::move(deal));
        return {};
    }

    Id owner_id(std::string_view name) {
        if (name.empty()) return {};
        auto key = lowercase(name);
        auto found = rep_by_name_.find(key);
        if (found != rep_by_name_.end()) return found->second;
        Rep rep;
        rep.name = std::string(name);
        stamp_new(rep, ids_, options_.now, options_.now);
        rep_by_name_.emplace(std::move(key), rep.meta.id);
        workspace_.reps.push_back(std::move(rep));
        ++report_.reps_created;
        return workspace_.reps.back().meta.id;
    }

    void add_history(const Deal& deal, Timestamp created_at) {
        HistoryEvent created;
        created.deal_id = deal.meta.id;
        created.at = created_at;
        created.kind = HistoryKind::Created;
        created.to_stage_id = deal.stage_id;
        created.by_rep_id = deal.owner_id;
        stamp_new(created, ids_, created_at, options_.now);
        workspace_.history.push_back(std::move(created));
        if (!deal.closed_at) return;
        HistoryEvent closed;
        closed.deal_id = deal.meta.id;
        closed.at = *deal.closed_at;
        closed.kind = HistoryKind::StatusChanged;
        closed.from_stage_id = deal.stage_id;
        closed.to_stage_id = deal.stage_id;
        closed.from_status = DealStatus::Open;
        closed.to_status = deal.status;
        closed.by_rep_id = deal.owner_id;
        closed.detail = deal.lost_reason;
        stamp_new(closed, ids_, *deal.closed_at, options_.now);
        workspace_.history.push_back(std::move(closed));
    }

    Workspace& workspace_;
    const CsvTable& table_;
    const CsvColumnMap& columns_;
    const CsvImportOptions& options_;
    CsvImportReport& report_;
    IdGenerator ids_;
    bool decimal_comma_ = false;
    std::vector<PipelineStages> pipelines_;
    std::unordered_map<std::string, std::size_t> pipeline_index_;
    std::size_t default_pipeline_ = 0;
    std::unordered_map<std::string, Id> rep_by_name_;
    std::unordered_map<Id, double> last_position_in_stage_;
    ListAdder sources_;
    ListAdder industries_;
    ListAdder lost_reasons_;
    ListAdder labels_;
};

std::string header_list(const std::vector<std::string>& header) {
    std::string list;
    for (const auto& name : header) list += (list.empty() ? "'" : ", '") + name + "'";
    return list;
}

}  // namespace

std::string describe(const CsvProblem& problem) {
    return "line " + std::to_string(problem.line) + ": " + problem.message;
}

CsvImportReport import_deals_csv(Workspace& workspace, std::string_view bytes,
                                 const CsvImportOptions& options) {
    CsvImportReport report;
    auto parsed = parse_csv(bytes, options.limits);
    if (!parsed.ok()) {
        report.error = parsed.error;
        return report;
    }
    const CsvTable& table = *parsed.table;
    report.delimiter = table.delimiter;
    auto mapping = map_csv_columns(table.header, options.overrides);
    if (!mapping.error.empty()) {
        report.error = mapping.error;
        return report;
    }
    const CsvColumnMap& columns = mapping.map;
    bool any_column = false;
    for (int field = 0; field < kCsvFieldCount; ++field) {
        if (columns.column[field] < 0) continue;
        any_column = true;
        report.columns_used.emplace_back(static_cast<CsvField>(field),
                                         table.header[columns.column[field]]);
    }
    if (!any_column) {
        report.error = "line " + std::to_string(table.header_line) +
                       " is not a header of deal columns (it reads " + header_list(table.header) +
                       ")";
        return report;
    }
    if (!columns.has(CsvField::Title) && !columns.has(CsvField::Organization)) {
        report.error = "no column holds the deal title (the columns are " +
                       header_list(table.header) + "); name one with a title=Header mapping";
        return report;
    }

    DealImporter importer(workspace, table, columns, options, report);
    if (auto problem = importer.prepare(); !problem.empty()) {
        report.error = problem;
        return report;
    }
    std::size_t deals_before = workspace.deals.size();
    // Each row makes a deal and its creation, and a closed one also its closing.
    workspace.deals.reserve(deals_before + table.rows.size());
    workspace.history.reserve(workspace.history.size() + 2 * table.rows.size());
    for (const auto& row : table.rows) importer.import_row(row);
    report.problems.insert(report.problems.end(), table.problems.begin(), table.problems.end());
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
    report.skipped = static_cast<int>(report.problems.size());
    workspace.settings.changes_since_export +=
        static_cast<std::int64_t>(workspace.deals.size() - deals_before);
    return report;
}

}  // namespace pb

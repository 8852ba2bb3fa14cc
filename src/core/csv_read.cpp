// Reading CSV text into rows: encoding clean-up (BOM, UTF-16, Windows-1252), delimiter guess
// and an RFC 4180 record reader that bounds every field and row.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "csv.hpp"
#include "utf8.hpp"

namespace pb {
namespace {

bool is_blank_record(const std::vector<std::string>& fields) {
    for (const auto& field : fields) {
        if (field.find_first_not_of(" \t") != std::string::npos) return false;
    }
    return true;
}

// Excel's "Unicode text" export is UTF-16 with a BOM; unpaired surrogates become U+FFFD.
std::string utf8_from_utf16(std::string_view bytes, bool little_endian) {
    std::string out;
    out.reserve(bytes.size());
    auto unit_at = [&](std::size_t i) -> char32_t {
        auto first = static_cast<unsigned char>(bytes[i]);
        auto second = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? (second << 8 | first) : (first << 8 | second);
    };
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
        char32_t unit = unit_at(i);
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size()) {
            char32_t low = unit_at(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                i += 2;
                continue;
            }
        }
        append_utf8(out, (unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit);
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        // Runs of ASCII, most of a CRM export, are passed eight bytes at a time.
        std::uint64_t eight = 0;
        if (i + sizeof eight <= text.size()) {
            std::memcpy(&eight, text.data() + i, sizeof eight);
            if ((eight & 0x8080808080808080ULL) == 0) {
                i += sizeof eight;
                continue;
            }
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

// Older European spreadsheets save in Windows-1252; its 0x80..0x9F block differs from Latin-1.
std::string utf8_from_windows_1252(std::string_view bytes) {
    static constexpr std::array<char32_t, 32> kHighControls = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            out.push_back(c);
        } else if (byte < 0xA0) {
            append_utf8(out, kHighControls[byte - 0x80]);
        } else {
            append_utf8(out, byte);
        }
    }
    return out;
}

// Text files hold no NUL bytes and almost no control characters.
bool looks_binary(std::string_view text) {
    std::size_t controls = 0;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte == 0) return true;
        if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
    }
    return controls > 8 && controls * 100 > text.size();
}

// Reads one record at a time; linear in the input, whatever the input.
class RecordReader {
public:
    RecordReader(std::string_view text, char delimiter, const CsvLimits& limits)
        : text_(text), delimiter_(delimiter), limits_(limits) {}

    bool at_end() const { return pos_ >= text_.size(); }
    int line() const { return line_; }

    // Fills `record`; `problem` is empty unless the record broke a limit or never closed a
    // quote. After an unclosed quote the reader is at the end of the input.
    void next(CsvRecord& record, std::string& problem) {
        record.fields.clear();
        record.line = line_;
        problem.clear();
        std::string field;
        while (true) {
            field.clear();
            bool field_ended_record = read_field(field, problem);
            if (record.fields.size() < limits_.max_fields_per_row) {
                record.fields.push_back(std::move(field));
            } else if (problem.empty()) {
                problem = "the row has more than " + std::to_string(limits_.max_fields_per_row) +
                          " fields";
            }
            if (field_ended_record) return;
        }
    }

private:
    // Appends a run of characters that need no care, up to the field's limit.
    void append_run(std::string& field, std::size_t length, std::string& problem) {
        const std::size_t room =
            limits_.max_field_bytes - std::min(field.size(), limits_.max_field_bytes);
        field.append(text_.data() + pos_, std::min(length, room));
        if (length > room && problem.empty()) {
            problem =
                "a field is longer than " + std::to_string(limits_.max_field_bytes) + " bytes";
        }
        pos_ += length;
    }

    // The length of the run at pos_ of characters kept as they are: not a line break or other
    // control character but a tab, and not `stop`.
    std::size_t plain_run(char stop) const {
        std::size_t end = pos_;
        while (end < text_.size()) {
            const char c = text_[end];
            if (c == stop || (static_cast<unsigned char>(c) < 0x20 && c != '\t')) break;
            ++end;
        }
        return end - pos_;
    }

    void append(std::string& field, char c, std::string& problem) {
        // Control characters other than tab and line break are invisible debris (from a
        // damaged file or a copy out of a terminal) that no deal field should carry.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') return;
        if (field.size() < limits_.max_field_bytes) {
            field.push_back(c);
        } else if (problem.empty()) {
            problem =
                "a field is longer than " + std::to_string(limits_.max_field_bytes) + " bytes";
        }
    }

    // Consumes a line break at pos_ if there is one.
    bool take_line_break() {
        if (text_[pos_] == '\r') {
            ++pos_;
            if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
            ++line_;
            return true;
        }
        if (text_[pos_] == '\n') {
            ++pos_;
            ++line_;
            return true;
        }
        return false;
    }

    // Returns true when the field was the last of its record.
    bool read_field(std::string& field, std::string& problem) {
        if (pos_ < text_.size() && text_[pos_] == '"') {
            ++pos_;
            if (!read_quoted(field, problem)) return true;
        }
        // Unquoted text, or what follows a closing quote ("ab"c reads as abc, like Excel).
        while (pos_ < text_.size()) {
            if (const std::size_t run = plain_run(delimiter_); run > 0) {
                append_run(field, run, problem);
                continue;
            }
            char c = text_[pos_];
            if (c == delimiter_) {
                ++pos_;
                return false;
            }
            if (take_line_break()) return true;
            append(field, c, problem);
            ++pos_;
        }
        return true;
    }

    // Reads up to and past the closing quote; false when the input ends first.
    bool read_quoted(std::string& field, std::string& problem) {
        while (pos_ < text_.size()) {
            if (const std::size_t run = plain_run('"'); run > 0) {
                append_run(field, run, problem);
                continue;
            }
            char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    append(field, '"', problem);
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return true;
            }
            if (c == '\r' || c == '\n') {
                take_line_break();
                append(field, '\n', problem);
                continue;
            }
            append(field, c, problem);
            ++pos_;
        }
        problem = "a quoted field is never closed, so the file was not read past this line";
        return false;
    }

    std::string_view text_;
    char delimiter_;
    const CsvLimits& limits_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

// The first line of the text, not counting line breaks inside quotes.
std::string_view first_record_text(std::string_view text) {
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') quoted = !quoted;
        if (!quoted && (text[i] == '\n' || text[i] == '\r')) return text.substr(0, i);
    }
    return text;
}

}  // namespace

char guess_csv_delimiter(std::string_view header_line) {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : header_line) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == ',') ++commas;
        if (c == ';') ++semicolons;
        if (c == '\t') ++tabs;
    }
    if (tabs > commas && tabs > semicolons) return '\t';
    if (semicolons > commas) return ';';
    return ',';
}

CsvParseResult parse_csv(std::string_view bytes, const CsvLimits& limits) {
    CsvParseResult result;
    if (bytes.size() > limits.max_input_bytes) {
        result.error = "the file is larger than " +
                       std::to_string(limits.max_input_bytes / (1024 * 1024)) + " MB";
        return result;
    }
    std::string decoded;
    std::string_view text = bytes;
    if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0xFF &&
        static_cast<unsigned char>(text[1]) == 0xFE) {
        decoded = utf8_from_utf16(text.substr(2), true);
        text = decoded;
    } else if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0xFE &&
               static_cast<unsigned char>(text[1]) == 0xFF) {
        decoded = utf8_from_utf16(text.substr(2), false);
        text = decoded;
    } else if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        result.error = "the file is empty";
        return result;
    }
    if (looks_binary(text)) {
        result.error = "the file is not CSV text (it holds binary data)";
        return result;
    }
    if (decoded.empty() && !is_valid_utf8(text)) {
        decoded = utf8_from_windows_1252(text);
        text = decoded;
    }

    CsvTable table;
    int skipped_lines = 0;
    // Excel writes "sep=;" as a first line to name the delimiter.
    std::string_view first_line = first_record_text(text);
    if (first_line.size() == 5 && first_line.substr(0, 4) == "sep=") {
        table.delimiter = first_line[4];
        text.remove_prefix(first_line.size());
        if (!text.empty() && text[0] == '\r') text.remove_prefix(1);
        if (!text.empty() && text[0] == '\n') text.remove_prefix(1);
        skipped_lines = 1;
    } else {
        std::size_t start = text.find_first_not_of("\r\n");
        table.delimiter = guess_csv_delimiter(first_record_text(text.substr(start)));
    }

    RecordReader reader(text, table.delimiter, limits);
    CsvRecord record;
    std::string problem;
    bool have_header = false;
    while (!reader.at_end()) {
        reader.next(record, problem);
        record.line += skipped_lines;
        if (!have_header) {
            if (is_blank_record(record.fields) && problem.empty()) continue;
            if (!problem.empty()) {
                result.error = "line " + std::to_string(record.line) + ": " + problem;
                return result;
            }
            table.header_line = record.line;
            table.header = std::move(record.fields);
            for (auto& name : table.header) {
                auto first = name.find_first_not_of(" \t");
                auto last = name.find_last_not_of(" \t");
                name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
            }
            have_header = true;
            continue;
        }
        if (!problem.empty()) {
            table.problems.push_back({record.line, problem});
            continue;
        }
        if (is_blank_record(record.fields)) continue;
        if (table.rows.size() >= limits.max_rows) {
            table.problems.push_back({record.line, "the file has more than " +
                                                       std::to_string(limits.max_rows) +
                                                       " rows; the rest was not read"});
            break;
        }
        table.rows.push_back(std::move(record));
        record = CsvRecord{};
        record.fields.reserve(table.header.size());
    }
    if (!have_header) {
        result.error = "the file is empty";
        return result;
    }
    result.table = std::move(table);
    return result;
}

}  // namespace pb

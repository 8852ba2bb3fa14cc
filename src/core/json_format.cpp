// Reads and writes Pipeboard's JSON document; docs/data-format.md describes the format itself.
// Loading streams the big record arrays one record at a time, so a 100,000-deal file never
// exists in memory as one JSON tree.
#include "json_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>
#include <limits>
#include <map>
#include <new>
#include <span>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "calendar.hpp"
#include "id_positions.hpp"
#include "ids.hpp"
#include "json_events.hpp"
#include "packed_records.hpp"
#include "utf8.hpp"

namespace pb {

using nlohmann::json;

namespace {

constexpr std::string_view kFormatName = "pipeboard";
constexpr std::string_view kChecksumPrefix = "fnv1a64:";
// The prefix and 16 hex digits.
constexpr std::size_t kChecksumSize = kChecksumPrefix.size() + 16;
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kUpperHexDigits[] = "0123456789ABCDEF";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

std::string hex16(std::uint64_t value) {
    std::string text(16, '0');
    for (int i = 15; i >= 0; --i) {
        text[static_cast<std::size_t>(i)] = kHexDigits[value & 0xF];
        value >>= 4;
    }
    return text;
}

// [SECTION] UTF-8 and string escaping

bool is_plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// Appends `before`, `text` quoted as a JSON string, then `after` (each '\0' for none); each
// byte of an ill-formed sequence becomes U+FFFD. Text that needs no escaping, nearly all of it,
// goes in with one append: in the wasm, each append is a call into the library, and an export
// of 100,000 deals made 60 million of them. Short text is put together on the stack, as growing
// `out` first with resize() would fill the room with zeros only to overwrite them.
void append_quoted(std::string& out, std::string_view text, char before = '\0', char after = '\0') {
    std::size_t plain = 0;
    while (text.size() - plain >= 8 && json_plain_eight(text.data() + plain)) plain += 8;
    while (plain < text.size() && is_plain_ascii(static_cast<unsigned char>(text[plain]))) ++plain;
    if (plain == text.size()) {
        const std::size_t size = text.size() + 2 + (before ? 1 : 0) + (after ? 1 : 0);
        char short_text[96];
        const std::size_t at = out.size();
        if (size > sizeof short_text) out.resize(at + size);
        char* const start = size > sizeof short_text ? out.data() + at : short_text;
        char* to = start;
        if (before) *to++ = before;
        *to++ = '"';
        std::memcpy(to, text.data(), text.size());
        to += text.size();
        *to++ = '"';
        if (after) *to = after;
        if (start == short_text) out.append(short_text, size);
        return;
    }
    if (before) out += before;
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t run = i == 0 ? plain : i;
        while (text.size() - run >= 8 && json_plain_eight(text.data() + run)) run += 8;
        while (run < text.size() && is_plain_ascii(static_cast<unsigned char>(text[run]))) ++run;
        out.append(text.data() + i, run - i);
        i = run;
        if (i == text.size()) break;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t length = utf8_sequence_length(text, i);
            if (length == 0) {
                out += kReplacementCharacter;
                ++i;
            } else {
                out.append(text.data() + i, length);
                i += length;
            }
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                out += "\\u00";
                out += kHexDigits[c >> 4];
                out += kHexDigits[c & 0xF];
        }
        ++i;
    }
    out += '"';
    if (after) out += after;
}

// The same replacement as append_quoted, for values placed in a JSON tree.
std::string well_formed(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) break;
        i += length;
    }
    if (i == text.size()) return std::string(text);
    std::string fixed(text.substr(0, i));
    while (i < text.size()) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            fixed += kReplacementCharacter;
            ++i;
        } else {
            fixed.append(text.data() + i, length);
            i += length;
        }
    }
    return fixed;
}

std::string dump_compact(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// [SECTION] Sinks: the record writers below produce either text or a JSON tree through the
// same calls, so the saved document and record_to_json cannot drift apart.

class TextSink {
public:
    TextSink(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}

    void key(std::string_view name) {
        next_item();
        append_quoted(out_, name);
        out_ += pretty_ ? ": " : ":";
        after_key_ = true;
    }
    void string(std::string_view value) {
        before_value();
        append_quoted(out_, value);
    }
    void integer(std::int64_t value) {
        before_value();
        out_ += std::to_string(value);
    }
    void number(double value) {
        before_value();
        // nlohmann prints the shortest text that reads back as the same double.
        out_ += json(std::isfinite(value) ? value : 0.0).dump();
    }
    void boolean(bool value) {
        before_value();
        out_ += value ? "true" : "false";
    }
    void null() {
        before_value();
        out_ += "null";
    }
    void value(const json& value) {
        before_value();
        out_ += dump_compact(value);
    }
    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

private:
    void next_item() {
        if (!item_counts_.empty()) {
            if (item_counts_.back()++ > 0) out_ += ',';
            if (pretty_) new_line(item_counts_.size());
        }
    }
    void before_value() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        next_item();
    }
    void new_line(std::size_t depth) {
        out_ += '\n';
        out_.append(depth * 2, ' ');
    }
    void open(char bracket) {
        before_value();
        out_ += bracket;
        item_counts_.push_back(0);
    }
    void close(char bracket) {
        const int items = item_counts_.back();
        item_counts_.pop_back();
        if (pretty_ && items > 0) new_line(item_counts_.size());
        out_ += bracket;
    }

    std::string& out_;
    bool pretty_;
    bool after_key_ = false;
    std::vector<int> item_counts_;  // one per open container
};

class TreeSink {
public:
    void key(std::string_view name) { key_ = name; }
    void string(std::string_view value) { place(well_formed(value)); }
    void integer(std::int64_t value) { place(value); }
    void number(double value) { place(std::isfinite(value) ? value : 0.0); }
    void boolean(bool value) { place(value); }
    void null() { place(nullptr); }
    void value(const json& value) { place(value); }
    void begin_object() { open_.push_back(&place(json::object())); }
    void end_object() { open_.pop_back(); }
    void begin_array() { open_.push_back(&place(json::array())); }
    void end_array() { open_.pop_back(); }
    json take() { return std::move(root_); }

private:
    json& place(json value) {
        if (open_.empty()) {
            root_ = std::move(value);
            return root_;
        }
        json& container = *open_.back();
        if (container.is_array()) {
            container.push_back(std::move(value));
            return container.back();
        }
        json& slot = container[well_formed(key_)];
        slot = std::move(value);
        return slot;
    }

    json root_;
    std::vector<json*> open_;
    std::string key_;
};

// [SECTION] Field writers

template <class Sink>
void put_text(Sink& s, std::string_view key, std::string_view value) {
    s.key(key);
    s.string(value);
}
template <class Sink>
void put_int(Sink& s, std::string_view key, std::int64_t value) {
    s.key(key);
    s.integer(value);
}
template <class Sink>
void put_bool(Sink& s, std::string_view key, bool value) {
    s.key(key);
    s.boolean(value);
}
template <class Sink>
void put_instant(Sink& s, std::string_view key, Timestamp value) {
    put_text(s, key, format_timestamp(value));
}
template <class Sink>
void put_optional_instant(Sink& s, std::string_view key, const std::optional<Timestamp>& value) {
    s.key(key);
    if (value) {
        s.string(format_timestamp(*value));
    } else {
        s.null();
    }
}
template <class Sink>
void put_optional_day(Sink& s, std::string_view key, const std::optional<Day>& value) {
    s.key(key);
    if (value) {
        s.string(format_day(*value));
    } else {
        s.null();
    }
}
template <class Sink>
void put_text_list(Sink& s, std::string_view key, const std::vector<std::string>& values) {
    s.key(key);
    s.begin_array();
    for (const std::string& value : values) s.string(value);
    s.end_array();
}

std::string format_color(std::uint32_t rgba) {
    std::string text = "#";
    for (int shift = 28; shift >= 0; shift -= 4) {
        text += kUpperHexDigits[(rgba >> shift) & 0xF];
    }
    return text;
}

const char* to_string(TargetPeriod period) {
    return period == TargetPeriod::Quarter ? "quarter" : "month";
}

// Parses a JSON object's text; null for empty or anything that is not an object.
json parse_object(std::string_view text) {
    if (text.empty()) return nullptr;
    json parsed = json::parse(text, nullptr, false);
    return parsed.is_object() ? parsed : json(nullptr);
}

// Writes the members of `unknown` (an object or null) whose names are not `is_known`.
template <class Sink, class IsKnown>
void put_unknown_members(Sink& s, const json& unknown, IsKnown is_known) {
    if (!unknown.is_object()) return;
    for (const auto& [name, value] : unknown.items()) {
        if (is_known(name)) continue;
        s.key(name);
        s.value(value);
    }
}

// [SECTION] Problems and field readers

std::string_view describe(const json& value) {
    switch (value.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "true/false";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return "a number";
        case json::value_t::string:
            return "text";
        case json::value_t::array:
            return "a list";
        case json::value_t::object:
            return "an object";
        default:
            return "an unsupported value";
    }
}

// Collects load problems, listing at most kMaxListedProblems so that a file with millions of
// bad values cannot turn into millions of messages; the rest are counted in one last entry.
class ProblemLog {
public:
    explicit ProblemLog(std::vector<LoadProblem>& list) : list_(list), start_(list.size()) {}
    bool listing() const { return list_.size() - start_ < kMaxListedProblems; }
    void add(std::string path, std::string message) {
        if (listing()) {
            list_.push_back({std::move(path), std::move(message)});
        } else {
            ++unlisted_;
        }
    }
    void count_unlisted() { ++unlisted_; }
    void close() {
        if (unlisted_ == 0) return;
        list_.push_back({"", std::to_string(unlisted_) + " more problems were not listed"});
        unlisted_ = 0;
    }

private:
    std::vector<LoadProblem>& list_;
    std::size_t start_;
    std::size_t unlisted_ = 0;
};

// Where problems of the record being read go: pointer = base [/index] /field.
class Where {
public:
    Where(ProblemLog& problems, std::string_view base) : problems_(problems), base_(base) {}
    void at(std::size_t index) {
        index_ = index;
        indexed_ = true;
    }
    void report(std::string_view field, std::string message) {
        if (!problems_.listing()) {
            problems_.count_unlisted();
            return;
        }
        std::string path(base_);
        if (indexed_) {
            path += '/';
            path += std::to_string(index_);
        }
        if (!field.empty()) {
            path += '/';
            path += field;
        }
        problems_.add(std::move(path), std::move(message));
    }

    bool unusable = false;  // set when the record must be skipped (e.g. another kind)

private:
    ProblemLog& problems_;
    std::string_view base_;
    std::size_t index_ = 0;
    bool indexed_ = false;
};

// One member being read: its value and where to report a problem with it. `prefix` places
// members of nested objects ("contacts/2").
struct FieldRef {
    json& value;
    Where& where;
    std::string_view key;
    std::string_view prefix = {};

    void problem(std::string message) const {
        if (prefix.empty()) {
            where.report(key, std::move(message));
        } else {
            where.report(std::string(prefix) + "/" + std::string(key), std::move(message));
        }
    }
    // A problem with item `index` of this member's list.
    void item_problem(std::size_t index, std::string message) const {
        std::string path = prefix.empty() ? std::string() : std::string(prefix) + "/";
        path += key;
        path += '/';
        path += std::to_string(index);
        where.report(path, std::move(message));
    }
    void wrong_type(std::string_view expected) const {
        problem("expected " + std::string(expected) + ", found " + std::string(describe(value)));
    }
};

bool read_text(const FieldRef& f, std::string& out) {
    if (!f.value.is_string()) {
        f.wrong_type("text");
        return false;
    }
    out = std::move(f.value.get_ref<std::string&>());
    return true;
}

bool read_bool(const FieldRef& f, bool& out) {
    if (!f.value.is_boolean()) {
        f.wrong_type("true or false");
        return false;
    }
    out = f.value.get<bool>();
    return true;
}

// A JSON number that is a whole number representable as int64 (1200.0 counts; 12.5 does not).
std::optional<std::int64_t> whole_number(const json& value) {
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return {};
        return static_cast<std::int64_t>(u);
    }
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_number_float()) {
        const double d = value.get<double>();
        // Beyond 2^53 a double no longer names one whole number.
        if (std::trunc(d) != d || std::fabs(d) > 9007199254740992.0) return {};
        return static_cast<std::int64_t>(d);
    }
    return {};
}

bool read_int(const FieldRef& f, int& out, int low, int high) {
    if (!f.value.is_number()) {
        f.wrong_type("a whole number");
        return false;
    }
    const auto n = whole_number(f.value);
    if (!n || *n < low || *n > high) {
        f.problem("must be a whole number from " + std::to_string(low) + " to " +
                  std::to_string(high));
        return false;
    }
    out = static_cast<int>(*n);
    return true;
}

bool read_count(const FieldRef& f, std::int64_t& out) {
    if (!f.value.is_number()) {
        f.wrong_type("a whole number");
        return false;
    }
    const auto n = whole_number(f.value);
    if (!n || *n < 0) {
        f.problem("must be a whole number, zero or more");
        return false;
    }
    out = *n;
    return true;
}

bool read_money(const FieldRef& f, Money& out) {
    if (!f.value.is_number()) {
        f.wrong_type("an amount in minor units (a whole number)");
        return false;
    }
    const auto n = whole_number(f.value);
    if (!n) {
        f.problem("must be a whole number of minor units (cents), e.g. 125000 for 1,250.00");
        return false;
    }
    if (*n < 0) {
        f.problem("must be zero or more");
        return false;
    }
    out = *n;
    return true;
}

bool read_position(const FieldRef& f, double& out) {
    if (!f.value.is_number()) {
        f.wrong_type("a number");
        return false;
    }
    const double d = f.value.get<double>();
    if (!std::isfinite(d)) {
        f.problem("must be a finite number");
        return false;
    }
    out = d;
    return true;
}

bool read_percent(const FieldRef& f, int& out) { return read_int(f, out, 0, 100); }

bool read_optional_percent(const FieldRef& f, std::optional<int>& out) {
    if (f.value.is_null()) {
        out.reset();
        return true;
    }
    int percent = 0;
    if (!read_percent(f, percent)) return false;
    out = percent;
    return true;
}

// Years 1 to 9999: the range "YYYY-MM-DD" can write and read back.
Day first_supported_day() { return day_from_civil({1, 1, 1}); }
Day last_supported_day() { return day_from_civil({9999, 12, 31}); }

bool read_instant(const FieldRef& f, Timestamp& out) {
    static const Timestamp kFirst = start_of_day(first_supported_day());
    static const Timestamp kLast = start_of_day(last_supported_day()) + kSecondsPerDay - 1;
    if (!f.value.is_string()) {
        f.wrong_type("a date and time as text");
        return false;
    }
    const auto parsed = parse_timestamp(f.value.get_ref<const std::string&>());
    if (!parsed || *parsed < kFirst || *parsed > kLast) {
        f.problem("expected a date and time such as \"2026-11-29T13:05:00Z\"");
        return false;
    }
    out = *parsed;
    return true;
}

bool read_optional_instant(const FieldRef& f, std::optional<Timestamp>& out) {
    if (f.value.is_null()) {
        out.reset();
        return true;
    }
    Timestamp t = 0;
    if (!read_instant(f, t)) return false;
    out = t;
    return true;
}

bool read_optional_day(const FieldRef& f, std::optional<Day>& out) {
    if (f.value.is_null()) {
        out.reset();
        return true;
    }
    if (!f.value.is_string()) {
        f.wrong_type("a date as text or null");
        return false;
    }
    const auto parsed = parse_day(f.value.get_ref<const std::string&>());
    if (!parsed || *parsed < first_supported_day() || *parsed > last_supported_day()) {
        f.problem("expected a date such as \"2026-11-29\"");
        return false;
    }
    out = *parsed;
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool read_color(const FieldRef& f, std::uint32_t& out) {
    if (!f.value.is_string()) {
        f.wrong_type("a colour as text");
        return false;
    }
    const std::string& text = f.value.get_ref<const std::string&>();
    // "#RRGGBB" is accepted as opaque, since people type it that way.
    const bool valid =
        (text.size() == 9 || text.size() == 7) && text[0] == '#' &&
        std::all_of(text.begin() + 1, text.end(), [](char c) { return hex_value(c) >= 0; });
    if (!valid) {
        f.problem("expected a colour such as \"#4F7CACFF\"");
        return false;
    }
    std::uint32_t rgba = 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        rgba = (rgba << 4) | static_cast<std::uint32_t>(hex_value(text[i]));
    }
    out = text.size() == 7 ? (rgba << 8) | 0xFF : rgba;
    return true;
}

void read_text_list(const FieldRef& f, std::vector<std::string>& out) {
    if (!f.value.is_array()) {
        f.wrong_type("a list of text");
        return;
    }
    out.clear();
    auto& items = f.value.get_ref<json::array_t&>();
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].is_string()) {
            out.push_back(std::move(items[i].get_ref<std::string&>()));
        } else {
            f.item_problem(
                i, "expected text, found " + std::string(describe(items[i])) + "; it was left out");
        }
    }
}

template <class Enum>
bool read_enum(const FieldRef& f, Enum& out, std::optional<Enum> (*from_string)(std::string_view),
               std::string_view choices) {
    if (f.value.is_string()) {
        if (const auto parsed = from_string(f.value.get_ref<const std::string&>())) {
            out = *parsed;
            return true;
        }
    }
    f.problem("expected one of " + std::string(choices));
    return false;
}

std::optional<TargetPeriod> target_period_from_string(std::string_view text) {
    if (text == "month") return TargetPeriod::Month;
    if (text == "quarter") return TargetPeriod::Quarter;
    return {};
}

constexpr std::string_view kStatusChoices = "\"open\", \"won\", \"lost\", \"nurture\"";

void read_contacts(const FieldRef& f, std::vector<Contact>& out) {
    if (!f.value.is_array()) {
        f.wrong_type("a list of contacts");
        return;
    }
    out.clear();
    auto& items = f.value.get_ref<json::array_t&>();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_object()) {
            f.item_problem(i, "expected a contact (an object), found " +
                                  std::string(describe(items[i])) + "; it was left out");
            continue;
        }
        const std::string prefix = std::string(f.key) + "/" + std::to_string(i);
        Contact contact;
        for (auto& [key, value] : items[i].get_ref<json::object_t&>()) {
            const FieldRef member{value, f.where, key, prefix};
            if (key == "name") {
                read_text(member, contact.name);
            } else if (key == "role") {
                read_text(member, contact.role);
            } else if (key == "email") {
                read_text(member, contact.email);
            } else if (key == "phone") {
                read_text(member, contact.phone);
            } else if (key == "decision_maker") {
                read_bool(member, contact.decision_maker);
            } else {
                member.problem("unknown contact field; it is not kept");
            }
        }
        out.push_back(std::move(contact));
    }
}

// [SECTION] Records: their kind names, readers and writers

template <class R>
constexpr std::string_view kind_of() {
    // clang-format off
    if constexpr (std::is_same_v<R, Pipeline>) return "pipeline";
    else if constexpr (std::is_same_v<R, Stage>) return "stage";
    else if constexpr (std::is_same_v<R, Rep>) return "rep";
    else if constexpr (std::is_same_v<R, Target>) return "target";
    else if constexpr (std::is_same_v<R, Deal>) return "deal";
    else if constexpr (std::is_same_v<R, Activity>) return "activity";
    else { static_assert(std::is_same_v<R, HistoryEvent>); return "history"; }
    // clang-format on
}

template <class R>
using FieldReader = void (*)(R&, const FieldRef&);
template <class R>
using FieldTable = std::unordered_map<std::string_view, FieldReader<R>>;

template <class R>
FieldTable<R> with_meta_fields(FieldTable<R> table) {
    table.emplace("kind", [](R&, const FieldRef& f) {
        if (!f.value.is_string() || f.value.get_ref<const std::string&>() != kind_of<R>()) {
            f.problem("expected \"" + std::string(kind_of<R>()) + "\"; the record was skipped");
            f.where.unusable = true;
        }
    });
    // A missing or unusable _id is reported once the whole record has been read.
    table.emplace("_id", [](R& r, const FieldRef& f) {
        if (f.value.is_string()) r.meta.id = std::move(f.value.get_ref<std::string&>());
    });
    table.emplace("_rev", [](R& r, const FieldRef& f) { read_text(f, r.meta.rev); });
    table.emplace("_parent_rev", [](R& r, const FieldRef& f) { read_text(f, r.meta.parent_rev); });
    table.emplace("_deleted", [](R& r, const FieldRef& f) { read_bool(f, r.meta.deleted); });
    table.emplace("created", [](R& r, const FieldRef& f) { read_instant(f, r.meta.created); });
    table.emplace("updated", [](R& r, const FieldRef& f) { read_instant(f, r.meta.updated); });
    return table;
}

template <class R>
const FieldTable<R>& field_table();

template <>
const FieldTable<Pipeline>& field_table<Pipeline>() {
    using R = Pipeline;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"name", [](R& r, const FieldRef& f) { read_text(f, r.name); }},
        {"position",
         [](R& r, const FieldRef& f) { read_int(f, r.position, -1000000000, 1000000000); }},
    });
    return table;
}

template <>
const FieldTable<Stage>& field_table<Stage>() {
    using R = Stage;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"pipeline_id", [](R& r, const FieldRef& f) { read_text(f, r.pipeline_id); }},
        {"name", [](R& r, const FieldRef& f) { read_text(f, r.name); }},
        {"position",
         [](R& r, const FieldRef& f) { read_int(f, r.position, -1000000000, 1000000000); }},
        {"color", [](R& r, const FieldRef& f) { read_color(f, r.color); }},
        {"probability", [](R& r, const FieldRef& f) { read_percent(f, r.probability); }},
        {"rotting_days", [](R& r, const FieldRef& f) { read_int(f, r.rotting_days, 0, 36500); }},
        {"exit_criteria", [](R& r, const FieldRef& f) { read_text_list(f, r.exit_criteria); }},
    });
    return table;
}

template <>
const FieldTable<Rep>& field_table<Rep>() {
    using R = Rep;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"name", [](R& r, const FieldRef& f) { read_text(f, r.name); }},
        {"email", [](R& r, const FieldRef& f) { read_text(f, r.email); }},
        {"active", [](R& r, const FieldRef& f) { read_bool(f, r.active); }},
    });
    return table;
}

template <>
const FieldTable<Target>& field_table<Target>() {
    using R = Target;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"rep_id", [](R& r, const FieldRef& f) { read_text(f, r.rep_id); }},
        {"period",
         [](R& r, const FieldRef& f) {
             read_enum(f, r.period, &target_period_from_string, "\"month\", \"quarter\"");
         }},
        {"period_start", [](R& r, const FieldRef& f) { read_optional_day(f, r.period_start); }},
        {"amount", [](R& r, const FieldRef& f) { read_money(f, r.amount); }},
    });
    return table;
}

template <>
const FieldTable<Deal>& field_table<Deal>() {
    using R = Deal;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"pipeline_id", [](R& r, const FieldRef& f) { read_text(f, r.pipeline_id); }},
        {"stage_id", [](R& r, const FieldRef& f) { read_text(f, r.stage_id); }},
        {"position", [](R& r, const FieldRef& f) { read_position(f, r.position); }},
        {"title", [](R& r, const FieldRef& f) { read_text(f, r.title); }},
        {"organization", [](R& r, const FieldRef& f) { read_text(f, r.organization); }},
        {"contacts", [](R& r, const FieldRef& f) { read_contacts(f, r.contacts); }},
        {"value", [](R& r, const FieldRef& f) { read_money(f, r.value); }},
        {"probability", [](R& r, const FieldRef& f) { read_optional_percent(f, r.probability); }},
        {"expected_close", [](R& r, const FieldRef& f) { read_optional_day(f, r.expected_close); }},
        {"lead_source", [](R& r, const FieldRef& f) { read_text(f, r.lead_source); }},
        {"industry", [](R& r, const FieldRef& f) { read_text(f, r.industry); }},
        {"owner_id", [](R& r, const FieldRef& f) { read_text(f, r.owner_id); }},
        {"labels", [](R& r, const FieldRef& f) { read_text_list(f, r.labels); }},
        {"notes", [](R& r, const FieldRef& f) { read_text(f, r.notes); }},
        {"status",
         [](R& r, const FieldRef& f) {
             read_enum(f, r.status, &deal_status_from_string, kStatusChoices);
         }},
        {"lost_reason", [](R& r, const FieldRef& f) { read_text(f, r.lost_reason); }},
        {"revisit_on", [](R& r, const FieldRef& f) { read_optional_day(f, r.revisit_on); }},
        {"closed_at", [](R& r, const FieldRef& f) { read_optional_instant(f, r.closed_at); }},
        {"stage_entered_at", [](R& r, const FieldRef& f) { read_instant(f, r.stage_entered_at); }},
        {"checklist_done", [](R& r, const FieldRef& f) { read_text_list(f, r.checklist_done); }},
        {"contract_end", [](R& r, const FieldRef& f) { read_optional_day(f, r.contract_end); }},
        {"upsell_notes", [](R& r, const FieldRef& f) { read_text(f, r.upsell_notes); }},
        {"referred_by_deal_id",
         [](R& r, const FieldRef& f) { read_text(f, r.referred_by_deal_id); }},
    });
    return table;
}

template <>
const FieldTable<Activity>& field_table<Activity>() {
    using R = Activity;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"deal_id", [](R& r, const FieldRef& f) { read_text(f, r.deal_id); }},
        {"type",
         [](R& r, const FieldRef& f) {
             read_enum(f, r.type, &activity_type_from_string,
                       "\"call\", \"email\", \"meeting\", \"task\", \"deadline\"");
         }},
        {"subject", [](R& r, const FieldRef& f) { read_text(f, r.subject); }},
        {"due", [](R& r, const FieldRef& f) { read_instant(f, r.due); }},
        {"has_time", [](R& r, const FieldRef& f) { read_bool(f, r.has_time); }},
        {"done", [](R& r, const FieldRef& f) { read_bool(f, r.done); }},
        {"done_at", [](R& r, const FieldRef& f) { read_optional_instant(f, r.done_at); }},
        {"note", [](R& r, const FieldRef& f) { read_text(f, r.note); }},
    });
    return table;
}

template <>
const FieldTable<HistoryEvent>& field_table<HistoryEvent>() {
    using R = HistoryEvent;
    static const FieldTable<R> table = with_meta_fields<R>({
        {"deal_id", [](R& r, const FieldRef& f) { read_text(f, r.deal_id); }},
        {"at", [](R& r, const FieldRef& f) { read_instant(f, r.at); }},
        {"event",
         [](R& r, const FieldRef& f) {
             read_enum(f, r.kind, &history_kind_from_string,
                       "\"created\", \"stage_changed\", \"status_changed\"");
         }},
        {"from_stage_id", [](R& r, const FieldRef& f) { read_text(f, r.from_stage_id); }},
        {"to_stage_id", [](R& r, const FieldRef& f) { read_text(f, r.to_stage_id); }},
        {"from_status",
         [](R& r, const FieldRef& f) {
             read_enum(f, r.from_status, &deal_status_from_string, kStatusChoices);
         }},
        {"to_status",
         [](R& r, const FieldRef& f) {
             read_enum(f, r.to_status, &deal_status_from_string, kStatusChoices);
         }},
        {"by_rep_id", [](R& r, const FieldRef& f) { read_text(f, r.by_rep_id); }},
        {"detail", [](R& r, const FieldRef& f) { read_text(f, r.detail); }},
    });
    return table;
}

// Reads one record's members as they come, moving their strings out; members no field reads
// are kept as they are.
template <class R>
class RecordReading {
public:
    using Field = typename FieldTable<R>::value_type;
    // The fields the records of a kind named, in the order they named them (nullptr for a
    // name no field reads). One writer names them in the same order in every record, so with
    // the order of the last record a member is found by one comparison instead of a lookup.
    using FieldOrder = std::vector<const Field*>;

    RecordReading(R& record, Where& where, FieldOrder* order = nullptr)
        : record_(record), where_(where), order_(order) {}

    void member(std::string_view key, json& value) {
        if (key == "_id") has_id_member_ = true;
        const Field* field = find(key);
        if (field == nullptr) {
            if (!unknown_.is_object()) unknown_ = json::object();
            unknown_[std::string(key)] = std::move(value);
        } else {
            field->second(record_, FieldRef{value, where_, key});
        }
    }

    // False when the record has to be skipped.
    bool finish() {
        if (where_.unusable) return false;
        if (record_.meta.id.empty()) {
            where_.report("_id",
                          has_id_member_
                              ? "the record id must be non-empty text; the record was skipped"
                              : "the record has no id; it was skipped");
            return false;
        }
        if (unknown_.is_object()) record_.meta.unknown_json = dump_compact(unknown_);
        return true;
    }

private:
    const Field* find(std::string_view key) {
        const std::size_t position = position_++;
        if (order_ && position < order_->size()) {
            const Field* expected = (*order_)[position];
            if (expected && expected->first == key) return expected;
        }
        const auto found = table_.find(key);
        const Field* field = found == table_.end() ? nullptr : &*found;
        if (order_) {
            if (position < order_->size()) {
                (*order_)[position] = field;
            } else {
                order_->push_back(field);
            }
        }
        return field;
    }

    const FieldTable<R>& table_ = field_table<R>();
    R& record_;
    Where& where_;
    FieldOrder* order_;
    std::size_t position_ = 0;
    json unknown_;
    bool has_id_member_ = false;
};

// Reads one record, moving its strings out of `j`. False when it has to be skipped.
template <class R>
bool read_record(json& j, R& record, Where& where) {
    if (!j.is_object()) {
        where.report("", "expected a " + std::string(kind_of<R>()) + " record (an object), found " +
                             std::string(describe(j)) + "; it was skipped");
        return false;
    }
    RecordReading<R> reading(record, where);
    for (auto& [key, value] : j.get_ref<json::object_t&>()) reading.member(key, value);
    return reading.finish();
}

template <class Sink, class R>
void put_meta(Sink& s, const R& record) {
    const RecordMeta& meta = record.meta;
    put_text(s, "_id", meta.id);
    put_text(s, "_rev", meta.rev);
    if (!meta.parent_rev.empty()) put_text(s, "_parent_rev", meta.parent_rev);
    if (meta.deleted) put_bool(s, "_deleted", true);
    put_instant(s, "created", meta.created);
    put_instant(s, "updated", meta.updated);
}

template <class Sink>
void put_fields(Sink& s, const Pipeline& r) {
    put_text(s, "name", r.name);
    put_int(s, "position", r.position);
}

template <class Sink>
void put_fields(Sink& s, const Stage& r) {
    put_text(s, "pipeline_id", r.pipeline_id);
    put_text(s, "name", r.name);
    put_int(s, "position", r.position);
    put_text(s, "color", format_color(r.color));
    put_int(s, "probability", r.probability);
    put_int(s, "rotting_days", r.rotting_days);
    put_text_list(s, "exit_criteria", r.exit_criteria);
}

template <class Sink>
void put_fields(Sink& s, const Rep& r) {
    put_text(s, "name", r.name);
    put_text(s, "email", r.email);
    put_bool(s, "active", r.active);
}

template <class Sink>
void put_fields(Sink& s, const Target& r) {
    put_text(s, "rep_id", r.rep_id);
    put_text(s, "period", to_string(r.period));
    put_optional_day(s, "period_start", r.period_start);
    put_int(s, "amount", r.amount);
}

template <class Sink>
void put_fields(Sink& s, const Deal& r) {
    put_text(s, "pipeline_id", r.pipeline_id);
    put_text(s, "stage_id", r.stage_id);
    s.key("position");
    s.number(r.position);
    put_text(s, "title", r.title);
    put_text(s, "organization", r.organization);
    s.key("contacts");
    s.begin_array();
    for (const Contact& contact : r.contacts) {
        s.begin_object();
        put_text(s, "name", contact.name);
        put_text(s, "role", contact.role);
        put_text(s, "email", contact.email);
        put_text(s, "phone", contact.phone);
        put_bool(s, "decision_maker", contact.decision_maker);
        s.end_object();
    }
    s.end_array();
    put_int(s, "value", r.value);
    s.key("probability");
    if (r.probability) {
        s.integer(*r.probability);
    } else {
        s.null();
    }
    put_optional_day(s, "expected_close", r.expected_close);
    put_text(s, "lead_source", r.lead_source);
    put_text(s, "industry", r.industry);
    put_text(s, "owner_id", r.owner_id);
    put_text_list(s, "labels", r.labels);
    put_text(s, "notes", r.notes);
    put_text(s, "status", to_string(r.status));
    put_text(s, "lost_reason", r.lost_reason);
    put_optional_day(s, "revisit_on", r.revisit_on);
    put_optional_instant(s, "closed_at", r.closed_at);
    put_instant(s, "stage_entered_at", r.stage_entered_at);
    put_text_list(s, "checklist_done", r.checklist_done);
    put_optional_day(s, "contract_end", r.contract_end);
    put_text(s, "upsell_notes", r.upsell_notes);
    put_text(s, "referred_by_deal_id", r.referred_by_deal_id);
}

template <class Sink>
void put_fields(Sink& s, const Activity& r) {
    put_text(s, "deal_id", r.deal_id);
    put_text(s, "type", to_string(r.type));
    put_text(s, "subject", r.subject);
    put_instant(s, "due", r.due);
    put_bool(s, "has_time", r.has_time);
    put_bool(s, "done", r.done);
    put_optional_instant(s, "done_at", r.done_at);
    put_text(s, "note", r.note);
}

template <class Sink>
void put_fields(Sink& s, const HistoryEvent& r) {
    put_text(s, "deal_id", r.deal_id);
    put_instant(s, "at", r.at);
    put_text(s, "event", to_string(r.kind));
    put_text(s, "from_stage_id", r.from_stage_id);
    put_text(s, "to_stage_id", r.to_stage_id);
    put_text(s, "from_status", to_string(r.from_status));
    put_text(s, "to_status", to_string(r.to_status));
    put_text(s, "by_rep_id", r.by_rep_id);
    put_text(s, "detail", r.detail);
}

template <class Sink, class R>
void put_record(Sink& s, const R& record, bool with_kind) {
    s.begin_object();
    if (with_kind) put_text(s, "kind", kind_of<R>());
    put_meta(s, record);
    put_fields(s, record);
    if (!record.meta.unknown_json.empty()) {
        const FieldTable<R>& known = field_table<R>();
        put_unknown_members(s, parse_object(record.meta.unknown_json),
                            [&](const std::string& name) { return known.count(name) != 0; });
    }
    s.end_object();
}

template <class Sink, class R>
void put_record_array(Sink& s, std::string_view key, const std::vector<R>& records) {
    s.key(key);
    s.begin_array();
    for (const R& record : records) put_record(s, record, false);
    s.end_array();
}

// [SECTION] The document's top level

enum class Kind { Pipeline, Stage, Rep, Target, Deal, Activity, History };
constexpr std::size_t kKindCount = 7;
constexpr std::array<std::string_view, kKindCount> kArrayKeys = {
    "pipelines", "stages", "reps", "targets", "deals", "activities", "history"};
constexpr std::array<std::string_view, kKindCount> kArrayPointers = {
    "/pipelines", "/stages", "/reps", "/targets", "/deals", "/activities", "/history"};

std::optional<Kind> kind_of_array(std::string_view key) {
    for (std::size_t i = 0; i < kKindCount; ++i) {
        if (kArrayKeys[i] == key) return static_cast<Kind>(i);
    }
    return {};
}

constexpr std::array<std::string_view, 3> kCurrencyKeys = {"code", "symbol", "minor_digits"};
constexpr std::array<std::string_view, 5> kSettingsKeys = {
    "theme", "ui_layout", "last_export_at", "changes_since_export", "dismissed_hints"};
constexpr std::array<std::string_view, 4> kListKeys = {"lead_sources", "industries", "lost_reasons",
                                                       "labels"};
constexpr std::array<std::string_view, 9> kTopLevelKeys = {
    "format", "version", "checksum", "id", "name", "currency", "created", "settings", "lists"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool is_known_top_level_key(std::string_view key) {
    return contains(kTopLevelKeys, key) || kind_of_array(key).has_value();
}

template <class Sink>
void put_document(Sink& s, const Workspace& ws, const WorkspaceSettings& settings,
                  bool with_records = true) {
    const json unknown = parse_object(ws.unknown_fields_json);
    const auto unknown_inside = [&](std::string_view key) -> const json& {
        static const json kNone;
        if (!unknown.is_object()) return kNone;
        const auto found = unknown.find(key);
        return found == unknown.end() ? kNone : *found;
    };
    s.begin_object();
    put_text(s, "format", kFormatName);
    put_int(s, "version", kFormatVersion);
    put_text(s, "id", ws.id);
    put_text(s, "name", ws.name);
    s.key("currency");
    s.begin_object();
    put_text(s, "code", ws.currency.code);
    put_text(s, "symbol", ws.currency.symbol);
    put_int(s, "minor_digits", ws.currency.minor_digits);
    put_unknown_members(s, unknown_inside("currency"),
                        [](const std::string& k) { return contains(kCurrencyKeys, k); });
    s.end_object();
    put_instant(s, "created", ws.created);
    s.key("settings");
    s.begin_object();
    put_text(s, "theme", settings.theme);
    put_text(s, "ui_layout", settings.ui_layout);
    put_instant(s, "last_export_at", settings.last_export_at);
    put_int(s, "changes_since_export", settings.changes_since_export);
    if (!settings.dismissed_hints.empty())
        put_text_list(s, "dismissed_hints", settings.dismissed_hints);
    put_unknown_members(s, unknown_inside("settings"),
                        [](const std::string& k) { return contains(kSettingsKeys, k); });
    s.end_object();
    s.key("lists");
    s.begin_object();
    put_text_list(s, "lead_sources", ws.lists.lead_sources);
    put_text_list(s, "industries", ws.lists.industries);
    put_text_list(s, "lost_reasons", ws.lists.lost_reasons);
    put_text_list(s, "labels", ws.lists.labels);
    put_unknown_members(s, unknown_inside("lists"),
                        [](const std::string& k) { return contains(kListKeys, k); });
    s.end_object();
    if (with_records) {
        put_record_array(s, "pipelines", ws.pipelines);
        put_record_array(s, "stages", ws.stages);
        put_record_array(s, "reps", ws.reps);
        put_record_array(s, "targets", ws.targets);
        put_record_array(s, "deals", ws.deals);
        put_record_array(s, "activities", ws.activities);
        put_record_array(s, "history", ws.history);
    }
    put_unknown_members(s, unknown, [](const std::string& k) { return is_known_top_level_key(k); });
    s.end_object();
}

// Typical serialized sizes with a tenth to spare, so a large workspace is not copied by
// repeated growth: the sample of 100,000 deals came out 0.3% over the bare figures, and the
// one growth at the end doubled the buffer to 540 MB.
void reserve_for_document(std::string& text, const Workspace& ws) {
    text.reserve(4096 + ws.deals.size() * 1000 + ws.history.size() * 460 +
                 ws.activities.size() * 440 + ws.stages.size() * 440);
}

std::string write_document(const Workspace& ws, const WorkspaceSettings& settings, bool pretty) {
    std::string out;
    reserve_for_document(out, ws);
    TextSink sink(out, pretty);
    put_document(sink, ws, settings);
    return out;
}

// [SECTION] Streaming the top level

// Receives a document's top-level members one at a time; arrays it chooses to stream arrive
// element by element instead of as one tree. An object element can come a member at a time
// (record_begin, record_member..., record_end), which spares building and freeing a tree for
// every record, when the consumer asks for that at the element's start.
class TopLevelConsumer {
public:
    virtual ~TopLevelConsumer() = default;
    virtual bool stream_array(const std::string& key) = 0;
    virtual void member(const std::string& key, json&& value) = 0;
    virtual void element(json&& value) = 0;
    virtual void array_end() = 0;
    virtual bool record_begin() { return false; }
    virtual void record_member(const std::string&, json&&) {}
    virtual void record_end() {}
};

// Decides only which arrays stream, as `shaping` does, and drops everything it receives.
class ShapeOnly final : public TopLevelConsumer {
public:
    explicit ShapeOnly(TopLevelConsumer& shaping) : shaping_(shaping) {}
    bool stream_array(const std::string& key) override { return shaping_.stream_array(key); }
    void member(const std::string&, json&&) override {}
    void element(json&&) override {}
    void array_end() override {}

private:
    TopLevelConsumer& shaping_;
};

enum class ParseFailure { None, NotAnObject, TooDeep, TooLarge, Syntax };

// Rough heap cost of one JSON value or object member in a tree, besides its text.
constexpr std::size_t kTreeValueBytes = 64;

// An nlohmann SAX handler: assembles each top-level member (or each element of a streamed
// array) as a small tree and hands it to the consumer.
class TopLevelSax {
public:
    explicit TopLevelSax(TopLevelConsumer& consumer) : consumer_(consumer) {}

    bool null() { return scalar(nullptr, 0); }
    bool boolean(bool value) { return scalar(value, 0); }
    bool number_integer(std::int64_t value) { return scalar(value, 0); }
    bool number_unsigned(std::uint64_t value) { return scalar(value, 0); }
    bool number_float(double value, const std::string&) { return scalar(value, 0); }
    bool string(std::string& value) {
        const std::size_t length = value.size();
        return scalar(std::move(value), length);
    }
    bool binary(json::binary_t& value) {
        const std::size_t length = value.size();
        return scalar(json::binary(std::move(value)), length);
    }

    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool key(std::string& name) {
        if (building_.empty() && in_record_) {
            member_key_ = std::move(name);
            return charge(kTreeValueBytes + member_key_.size());
        }
        if (building_.empty()) {
            top_key_ = std::move(name);
            return true;
        }
        key_ = std::move(name);
        return charge(kTreeValueBytes + key_.size());
    }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool parse_error(std::size_t position, const std::string&, const json::exception& error) {
        failure_ = ParseFailure::Syntax;
        error_position_ = position;
        error_message_ = error.what();
        return false;
    }

    ParseFailure failure() const { return failure_; }
    std::size_t error_position() const { return error_position_; }
    const std::string& error_message() const { return error_message_; }

private:
    // Counts the estimated memory of trees held at once; false (stop) past the limit.
    bool charge(std::size_t bytes) {
        tree_bytes_ += bytes;
        if (tree_bytes_ <= kMaxTreeBytes) return true;
        failure_ = ParseFailure::TooLarge;
        return false;
    }

    bool scalar(json value, std::size_t text_bytes) {
        if (depth_ == 0) {
            failure_ = ParseFailure::NotAnObject;
            return false;
        }
        if (building_.empty() && in_record_) {
            if (!charge(kTreeValueBytes + text_bytes)) return false;
            consumer_.record_member(member_key_, std::move(value));
            return true;
        }
        if (building_.empty() && streaming_) {
            consumer_.element(std::move(value));
            return true;
        }
        if (!charge(kTreeValueBytes + text_bytes)) return false;
        if (building_.empty()) {
            consumer_.member(top_key_, std::move(value));
        } else {
            insert(std::move(value));
        }
        return true;
    }

    bool open(json container) {
        if (depth_ == 0) {
            if (!container.is_object()) {
                failure_ = ParseFailure::NotAnObject;
                return false;
            }
            depth_ = 1;
            return true;
        }
        if (++depth_ > kMaxNestingDepth) {
            failure_ = ParseFailure::TooDeep;
            return false;
        }
        if (building_.empty() && !streaming_ && depth_ == 2 && container.is_array() &&
            consumer_.stream_array(top_key_)) {
            streaming_ = true;
            return true;
        }
        // A streamed element's tree is released once read, so it stops counting then.
        const bool element_start = building_.empty() && streaming_ && !in_record_;
        if (element_start) element_start_bytes_ = tree_bytes_;
        if (!charge(kTreeValueBytes)) return false;
        if (element_start && container.is_object() && consumer_.record_begin()) {
            in_record_ = true;
            return true;
        }
        if (building_.empty()) {
            value_ = std::move(container);
            building_.push_back(&value_);
        } else {
            building_.push_back(&insert(std::move(container)));
        }
        return true;
    }

    bool close() {
        if (depth_-- == 1) return true;
        if (building_.empty() && in_record_) {
            in_record_ = false;
            consumer_.record_end();
            tree_bytes_ = element_start_bytes_;
            return true;
        }
        if (building_.empty()) {
            // The end of a streamed array.
            streaming_ = false;
            consumer_.array_end();
            return true;
        }
        building_.pop_back();
        if (building_.empty()) {
            if (in_record_) {
                consumer_.record_member(member_key_, std::move(value_));
            } else if (streaming_) {
                consumer_.element(std::move(value_));
                tree_bytes_ = element_start_bytes_;
            } else {
                consumer_.member(top_key_, std::move(value_));
            }
            value_ = nullptr;
        }
        return true;
    }

    json& insert(json value) {
        json& container = *building_.back();
        if (container.is_array()) {
            container.push_back(std::move(value));
            return container.back();
        }
        json& slot = container[key_];
        slot = std::move(value);
        return slot;
    }

    TopLevelConsumer& consumer_;
    int depth_ = 0;
    bool streaming_ = false;
    bool in_record_ = false;  // in an element read a member at a time
    std::string top_key_;
    std::string member_key_;  // the key of the element's member being read
    std::string key_;
    json value_;
    std::vector<json*> building_;  // open containers of the value being assembled
    std::size_t tree_bytes_ = 0;
    std::size_t element_start_bytes_ = 0;
    ParseFailure failure_ = ParseFailure::None;
    std::size_t error_position_ = 0;
    std::string error_message_;
};

bool only_whitespace(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// "line 3, column 14: unexpected end of input; ..." from the parser's byte position.
std::string describe_syntax_error(std::string_view text, const TopLevelSax& sax) {
    const std::size_t position = std::min(sax.error_position(), text.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < position; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    // nlohmann's text reads "[json.exception.parse_error.101] parse error at line 1, column 2:
    // syntax error ..."; only the part after the position is worth showing.
    std::string_view message = sax.error_message();
    if (const auto bracket = message.find("] "); bracket != std::string_view::npos) {
        message.remove_prefix(bracket + 2);
    }
    if (message.substr(0, 11) == "parse error") {
        if (const auto colon = message.find(": "); colon != std::string_view::npos) {
            message.remove_prefix(colon + 2);
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(position - line_start) +
           ": " + std::string(message);
}

// Parses `text`, feeding `consumer`; on failure returns the problem that makes it unusable.
std::optional<LoadProblem> stream_document(std::string_view text, TopLevelConsumer& consumer) {
    if (only_whitespace(text)) return LoadProblem{"", "The file is empty"};
    if (text.size() > kMaxDocumentBytes) {
        return LoadProblem{"", "The file is too large (" + std::to_string(text.size() >> 20) +
                                   " MB; the limit is " + std::to_string(kMaxDocumentBytes >> 20) +
                                   " MB)"};
    }
    TopLevelSax sax(consumer);
    if (read_json_events(text, sax)) return std::nullopt;
    // The fast reader stops at a mistake without saying what it is: nlohmann reads the text
    // again to say what is wrong where. The consumer already holds part of the document, which
    // the caller drops with the problem, so that read only decides what the problem is.
    ShapeOnly shape(consumer);
    TopLevelSax again(shape);
    const TopLevelSax* stopped = &sax;
    if (sax.failure() == ParseFailure::None) {
        json::sax_parse(text.begin(), text.end(), &again);
        stopped = &again;
    }
    switch (stopped->failure()) {
        case ParseFailure::None:
            // Only if the two readers disagreed, which the tests compare them against.
            return LoadProblem{"", "The file could not be read as JSON"};
        case ParseFailure::NotAnObject:
            return LoadProblem{"",
                               "This is not a Pipeboard workspace: the file holds JSON, but "
                               "not an object"};
        case ParseFailure::TooDeep:
            return LoadProblem{"", "The file nests lists or objects more than " +
                                       std::to_string(kMaxNestingDepth) +
                                       " levels deep, which no Pipeboard file does"};
        case ParseFailure::TooLarge:
            return LoadProblem{"", "The file holds more data than Pipeboard can read at once"};
        case ParseFailure::Syntax:
            return LoadProblem{"",
                               "This is not valid JSON: " + describe_syntax_error(text, *stopped)};
    }
    return std::nullopt;
}

// [SECTION] Checksum

// The hashes behind a checksum: one per top-level member, of the member's canonical text
// (nlohmann's compact dump: sorted keys, no spaces). Arrays may arrive element by element.
// The first occurrence of a name counts, as when loading.
class MemberHashes {
public:
    bool has(const std::string& key) const { return key == "checksum" || hashes_.count(key); }
    void add_member(const std::string& key, const json& value) {
        if (!has(key)) hashes_.emplace(key, fnv1a64(dump_compact(value)));
    }
    void add_member_hash(const std::string& key, std::uint64_t hash) {
        if (!has(key)) hashes_.emplace(key, hash);
    }
    void begin_array(const std::string& key) {
        ignoring_ = has(key);
        key_ = key;
        hash_ = fnv1a64("[");
        first_ = true;
    }
    void add_element(const json& value) {
        if (!ignoring_) add_element_text(dump_compact(value));
    }
    void add_element_text(std::string_view canonical) {
        if (ignoring_) return;
        if (!first_) hash_ = fnv1a64(",", hash_);
        first_ = false;
        hash_ = fnv1a64(canonical, hash_);
    }
    void end_array() {
        if (!ignoring_) hashes_.emplace(key_, fnv1a64("]", hash_));
        ignoring_ = false;
    }

    std::string checksum() const {
        std::string summary;
        for (const auto& [key, hash] : hashes_) {
            summary += dump_compact(json(key));
            summary += ':';
            summary += hex16(hash);
            summary += '\n';
        }
        return std::string(kChecksumPrefix) + hex16(fnv1a64(summary));
    }

private:
    std::map<std::string, std::uint64_t> hashes_;  // sorted, so member order does not matter
    std::string key_;
    std::uint64_t hash_ = 0;
    bool first_ = true;
    bool ignoring_ = false;
};

// Hashes a document's text as it is parsed.
class ChecksumConsumer final : public TopLevelConsumer {
public:
    bool stream_array(const std::string& key) override {
        hashes_.begin_array(key);
        return true;
    }
    void member(const std::string& key, json&& value) override { hashes_.add_member(key, value); }
    void element(json&& value) override { hashes_.add_element(value); }
    void array_end() override { hashes_.end_array(); }
    std::string checksum() const { return hashes_.checksum(); }

private:
    MemberHashes hashes_;
};

// Builds a value's canonical text (what nlohmann's dump() prints for the same JSON: object
// members sorted by name in byte order, no spaces) straight from sink calls, without the cost
// of a JSON tree.
class CanonicalText {
public:
    void key(std::string_view name) { key_.assign(name); }
    void string(std::string_view value) {
        const Slot slot = begin_value();
        append_quoted(out_, value);
        end_value(slot);
    }
    void integer(std::int64_t value) { append_number(value); }
    void number(double value) {
        const Slot slot = begin_value();
        out_ += json(std::isfinite(value) ? value : 0.0).dump();
        end_value(slot);
    }
    void boolean(bool value) {
        const Slot slot = begin_value();
        out_ += value ? "true" : "false";
        end_value(slot);
    }
    void null() {
        const Slot slot = begin_value();
        out_ += "null";
        end_value(slot);
    }
    void value(const json& value) {
        switch (value.type()) {
            case json::value_t::string:
                return string(value.get_ref<const std::string&>());
            case json::value_t::number_integer:
                return append_number(value.get<std::int64_t>());
            case json::value_t::number_unsigned:
                return append_number(value.get<std::uint64_t>());
            case json::value_t::boolean:
                return boolean(value.get<bool>());
            case json::value_t::null:
                return null();
            default: {
                const Slot slot = begin_value();
                out_ += dump_compact(value);
                end_value(slot);
            }
        }
    }
    void begin_object() {
        frames_.push_back({false, begin_value(), members_.size(), 0});
        out_ += '{';
    }
    void begin_array() {
        frames_.push_back({true, begin_value(), members_.size(), 0});
        out_ += '[';
    }
    void end_object() {
        const Frame frame = frames_.back();
        frames_.pop_back();
        const std::span<const Member> members(members_.data() + frame.members_start,
                                              members_.size() - frame.members_start);
        const std::vector<std::uint32_t>& order = member_order(members);
        if (!order.empty()) {
            // The outermost object is left in scratch_, where text() finds it, not copied back.
            const bool outermost = frames_.empty();
            scratch_.clear();
            if (outermost) scratch_ += '{';
            for (std::size_t i = 0; i < order.size(); ++i) {
                if (i > 0) scratch_ += ',';
                const Member& m = members[order[i]];
                scratch_.append(out_, m.text_at, m.text_size);
            }
            if (outermost) {
                scratch_ += '}';
                in_scratch_ = true;
            } else {
                out_.resize(frame.slot.value_at + 1);
                out_ += scratch_;
            }
        }
        if (!in_scratch_) out_ += '}';
        members_.resize(frame.members_start);
        keys_.resize(frame.slot.key_at + frame.slot.key_size);
        end_value(frame.slot);
    }
    void end_array() {
        const Frame frame = frames_.back();
        frames_.pop_back();
        out_ += ']';
        end_value(frame.slot);
    }
    // The text of the value just completed; clear() before the next one.
    std::string_view text() const { return in_scratch_ ? scratch_ : out_; }
    void clear() {
        out_.clear();
        keys_.clear();
        members_.clear();
        in_scratch_ = false;
    }

private:
    // Where a value's text starts, and the name it has in its object, whose member (name and
    // value) starts at member_at.
    struct Slot {
        std::size_t value_at;
        std::size_t key_at;
        std::size_t key_size;
        std::size_t member_at;
    };
    struct Frame {
        bool array;
        Slot slot;
        std::size_t members_start;
        std::size_t items;
    };
    struct Member {
        std::size_t key_at;
        std::size_t key_size;
        std::size_t text_at;  // of "name":value
        std::size_t text_size;
    };

    // Every text is written once into out_, in order, a member with its name; an object's
    // members are put in name order when it ends, so nested texts are not copied at each level.
    Slot begin_value() {
        Slot slot{out_.size(), keys_.size(), 0, out_.size()};
        if (frames_.empty()) return slot;
        Frame& frame = frames_.back();
        const bool comma = frame.items++ > 0;
        if (frame.array) {
            if (comma) out_ += ',';
            slot.member_at = out_.size();
        } else {
            slot.member_at = out_.size() + (comma ? 1 : 0);
            keys_ += key_;
            slot.key_size = key_.size();
            append_quoted(out_, key_, comma ? ',' : '\0', ':');
        }
        slot.value_at = out_.size();
        return slot;
    }
    void end_value(const Slot& slot) {
        if (frames_.empty() || frames_.back().array) return;
        members_.push_back(
            {slot.key_at, slot.key_size, slot.member_at, out_.size() - slot.member_at});
    }
    // The members of an object, as indices in the order they are written: by name, a name
    // given twice keeping its last value, as in nlohmann's tree of the same text. Empty when
    // they are already in strict name order. Records of one kind come with the same names in
    // the same order, so the order found for the last object at the same depth is kept and
    // reused while the names match.
    const std::vector<std::uint32_t>& member_order(std::span<const Member> members) {
        if (shapes_.size() <= frames_.size()) shapes_.resize(frames_.size() + 1);
        Shape& shape = shapes_[frames_.size()];
        const auto name = [this](const Member& m) {
            return std::string_view(keys_).substr(m.key_at, m.key_size);
        };
        bool same = shape.name_sizes.size() == members.size();
        for (std::size_t i = 0; same && i < members.size(); ++i) {
            same = shape.name_sizes[i] == members[i].key_size;
        }
        const std::string_view names =
            members.empty()
                ? std::string_view()
                : std::string_view(keys_).substr(
                      members.front().key_at,
                      members.back().key_at + members.back().key_size - members.front().key_at);
        if (same && shape.names == names) return shape.order;

        shape.names.assign(names);
        shape.name_sizes.clear();
        for (const Member& m : members) shape.name_sizes.push_back(m.key_size);
        std::vector<std::uint32_t>& order = shape.order;
        order.clear();
        const auto before = [&](std::uint32_t a, std::uint32_t b) {
            return name(members[a]) < name(members[b]);
        };
        bool sorted = true;
        for (std::size_t i = 1; sorted && i < members.size(); ++i) {
            sorted = name(members[i - 1]) < name(members[i]);
        }
        if (sorted) return order;
        for (std::uint32_t i = 0; i < members.size(); ++i) order.push_back(i);
        // Stable either way; few members, as in a record, are sorted without the allocation of
        // std::stable_sort.
        if (order.size() > 32) {
            std::stable_sort(order.begin(), order.end(), before);
        } else {
            for (std::size_t i = 1; i < order.size(); ++i) {
                const std::uint32_t m = order[i];
                std::size_t j = i;
                for (; j > 0 && before(m, order[j - 1]); --j) order[j] = order[j - 1];
                order[j] = m;
            }
        }
        const auto last_of_each = std::unique(
            order.rbegin(), order.rend(),
            [&](std::uint32_t a, std::uint32_t b) { return name(members[a]) == name(members[b]); });
        order.erase(order.begin(), last_of_each.base());
        return order;
    }
    template <class Integer>
    void append_number(Integer value) {
        const Slot slot = begin_value();
        char digits[24];
        const auto written = std::to_chars(digits, digits + sizeof digits, value);
        out_.append(digits, written.ptr);
        end_value(slot);
    }

    // The member names of the last object completed at one depth, and their order.
    struct Shape {
        std::string names;  // back to back
        std::vector<std::size_t> name_sizes;
        std::vector<std::uint32_t> order;
    };

    std::vector<Frame> frames_;
    std::vector<Shape> shapes_;    // by depth
    std::vector<Member> members_;  // of the open objects, innermost last
    std::string keys_;             // their names
    std::string key_;
    std::string out_;
    std::string scratch_;
    bool in_scratch_ = false;  // the outermost object, reordered
};

// A sink for put_document that writes an export: compact, with each top-level member's value
// and each record of the top-level arrays in canonical form. Those are the texts a load hashes:
// a member's value, or an array as "[" its records joined by "," "]", exactly as written here.
// So the text is made once, and finish() hashes it where it lies, the large arrays side by side.
// The checksum member follows "version" with room for its value, which finish() fills in.
class ExportSink {
public:
    explicit ExportSink(std::string& out) : out_(out) {}

    void key(std::string_view name) {
        if (depth_ == 1) {
            top_key_ = name;
            if (top_members_++ > 0) out_ += ',';
            append_quoted(out_, name);
            out_ += ':';
            value_at_ = out_.size();
        } else {
            tree_.key(name);
        }
    }
    void string(std::string_view value) {
        scalar([&] { tree_.string(value); });
    }
    void integer(std::int64_t value) {
        scalar([&] { tree_.integer(value); });
    }
    void number(double value) {
        scalar([&] { tree_.number(value); });
    }
    void boolean(bool value) {
        scalar([&] { tree_.boolean(value); });
    }
    void null() {
        scalar([&] { tree_.null(); });
    }
    void value(const json& value) {
        scalar([&] { tree_.value(value); });
    }
    void begin_object() { open(false); }
    void begin_array() { open(true); }
    void end_object() { close(false); }
    void end_array() { close(true); }

    void finish() {
        std::vector<std::string_view> texts;
        texts.reserve(members_.size());
        for (const Member& m : members_) {
            texts.push_back(std::string_view(out_).substr(m.value_at, m.value_end - m.value_at));
        }
        const std::vector<std::uint64_t> hashes = fnv1a64_each(texts);
        MemberHashes member_hashes;
        for (std::size_t i = 0; i < members_.size(); ++i) {
            member_hashes.add_member_hash(members_[i].key, hashes[i]);
        }
        const std::string checksum = member_hashes.checksum();
        out_.replace(checksum_at_, checksum.size(), checksum);
    }

private:
    // Where a top-level member's value lies in the text.
    struct Member {
        std::string key;
        std::size_t value_at;
        std::size_t value_end;
    };

    template <class Place>
    void scalar(const Place& place) {
        place();
        if (depth_ == 1 || (depth_ == 2 && in_array_)) value_done();
    }
    void open(bool array) {
        ++depth_;
        if (depth_ == 1) {
            out_ += '{';
            return;
        }
        if (depth_ == 2 && array) {
            in_array_ = true;
            elements_ = 0;
            out_ += '[';
            return;
        }
        if (array) {
            tree_.begin_array();
        } else {
            tree_.begin_object();
        }
    }
    void close(bool array) {
        --depth_;
        if (depth_ == 0) {
            out_ += '}';
            return;
        }
        if (depth_ == 1 && in_array_) {
            in_array_ = false;
            out_ += ']';
            members_.push_back({top_key_, value_at_, out_.size()});
            return;
        }
        if (array) {
            tree_.end_array();
        } else {
            tree_.end_object();
        }
        if (depth_ == 1 || (depth_ == 2 && in_array_)) value_done();
    }
    // A top-level member's value or an element of a top-level array is complete.
    void value_done() {
        if (depth_ == 2 && elements_++ > 0) out_ += ',';
        out_ += tree_.text();
        tree_.clear();
        if (depth_ == 2) return;
        members_.push_back({top_key_, value_at_, out_.size()});
        if (top_key_ == "version") {
            out_ += ",\"checksum\":\"";
            checksum_at_ = out_.size();
            out_.append(kChecksumSize, '0');
            out_ += '"';
            ++top_members_;
        }
    }

    std::string& out_;
    CanonicalText tree_;
    std::vector<Member> members_;
    std::string top_key_;
    int depth_ = 0;
    bool in_array_ = false;
    std::size_t value_at_ = 0;
    std::size_t top_members_ = 0;
    std::size_t elements_ = 0;
    std::size_t checksum_at_ = 0;
};

// Whether a document's top-level members so far name this app's format and version.
bool is_current_format(const json& top) {
    const auto format = top.find("format");
    const auto version = top.find("version");
    return format != top.end() && version != top.end() && format->is_string() &&
           format->get_ref<const std::string&>() == kFormatName &&
           whole_number(*version) == kFormatVersion;
}

bool is_checksum_text(std::string_view text) {
    return text.size() == kChecksumSize &&
           text.substr(0, kChecksumPrefix.size()) == kChecksumPrefix &&
           std::all_of(text.begin() + kChecksumPrefix.size(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// [SECTION] Loading

template <class R>
std::vector<R>& records_of(Workspace& ws);
template <>
std::vector<Pipeline>& records_of<Pipeline>(Workspace& ws) {
    return ws.pipelines;
}
template <>
std::vector<Stage>& records_of<Stage>(Workspace& ws) {
    return ws.stages;
}
template <>
std::vector<Rep>& records_of<Rep>(Workspace& ws) {
    return ws.reps;
}
template <>
std::vector<Target>& records_of<Target>(Workspace& ws) {
    return ws.targets;
}
template <>
std::vector<Deal>& records_of<Deal>(Workspace& ws) {
    return ws.deals;
}
template <>
std::vector<Activity>& records_of<Activity>(Workspace& ws) {
    return ws.activities;
}
template <>
std::vector<HistoryEvent>& records_of<HistoryEvent>(Workspace& ws) {
    return ws.history;
}

// f(std::type_identity<R>{}) for the record type R of `kind`.
template <class F>
void for_kind(Kind kind, F&& f) {
    switch (kind) {
        case Kind::Pipeline:
            return f(std::type_identity<Pipeline>{});
        case Kind::Stage:
            return f(std::type_identity<Stage>{});
        case Kind::Rep:
            return f(std::type_identity<Rep>{});
        case Kind::Target:
            return f(std::type_identity<Target>{});
        case Kind::Deal:
            return f(std::type_identity<Deal>{});
        case Kind::Activity:
            return f(std::type_identity<Activity>{});
        case Kind::History:
            return f(std::type_identity<HistoryEvent>{});
    }
}

// f(kind, std::type_identity<R>{}) for every kind, in the order of Kind.
template <class F>
void for_each_kind(F&& f) {
    for (std::size_t k = 0; k < kKindCount; ++k) {
        const auto kind = static_cast<Kind>(k);
        for_kind(kind, [&](auto tag) { f(kind, tag); });
    }
}

// A record being read a member at a time, with where its problems are reported.
template <class R>
struct PartialRecord {
    PartialRecord(ProblemLog& problems, std::string_view array_pointer, std::size_t index,
                  typename RecordReading<R>::FieldOrder& order)
        : where(problems, array_pointer), reading(record, where, &order) {
        where.at(index);
    }
    PartialRecord(const PartialRecord&) = delete;
    PartialRecord& operator=(const PartialRecord&) = delete;

    R record;
    Where where;
    RecordReading<R> reading;
};

using AnyPartialRecord =
    std::variant<std::monostate, PartialRecord<Pipeline>, PartialRecord<Stage>, PartialRecord<Rep>,
                 PartialRecord<Target>, PartialRecord<Deal>, PartialRecord<Activity>,
                 PartialRecord<HistoryEvent>>;

class DocumentLoader final : public TopLevelConsumer {
public:
    explicit DocumentLoader(ProblemLog& problems) : problems_(problems) {}

    // Records stream straight into the workspace only when the document is known to be of this
    // version; otherwise they wait in the tree for the migrations.
    bool stream_array(const std::string& key) override {
        const auto kind = kind_of_array(key);
        if (base_) return kind && stream_base_array(key, *kind);
        if (!kind || !is_current_version()) return false;
        ignoring_ = !seen_.insert(key).second;
        if (ignoring_) duplicate(key);
        streaming_ = *kind;
        next_index_ = 0;
        // An export's checksum comes before its records, so they can be hashed on the way.
        hashing_array_ = !ignoring_ && top_.contains("checksum");
        if (hashing_array_) {
            hashes_.begin_array(key);
        } else {
            streamed_unhashed_ = true;
        }
        return true;
    }
    void member(const std::string& key, json&& value) override {
        if (base_) {
            base_top_.emplace(key, std::move(value));
            return;
        }
        if (!seen_.insert(key).second) {
            duplicate(key);
            return;
        }
        top_.emplace(key, std::move(value));
    }
    void element(json&& value) override {
        if (hashing_array_) hashes_.add_element(value);
        if (!ignoring_) read_element(streaming_, value, first_index_ + next_index_);
        ++next_index_;
    }
    // Records are read as they stream; in a hashed array their canonical text is built too.
    bool record_begin() override {
        if (ignoring_) return false;
        for_kind(streaming_, [this](auto tag) {
            using R = typename decltype(tag)::type;
            partial_.emplace<PartialRecord<R>>(
                problems_, kArrayPointers[static_cast<std::size_t>(streaming_)],
                first_index_ + next_index_,
                std::get<typename RecordReading<R>::FieldOrder>(orders_));
        });
        if (hashing_array_) canonical_.begin_object();
        return true;
    }
    void record_member(const std::string& key, json&& value) override {
        if (hashing_array_) {
            canonical_.key(key);
            canonical_.value(value);
        }
        with_partial([&](auto& partial) { partial.reading.member(key, value); });
    }
    void record_end() override {
        with_partial([&](auto& partial) {
            if (partial.reading.finish()) {
                keep(streaming_, std::move(partial.record), first_index_ + next_index_);
            }
        });
        partial_.emplace<std::monostate>();
        if (hashing_array_) {
            canonical_.end_object();
            hashes_.add_element_text(canonical_.text());
            canonical_.clear();
        }
        ++next_index_;
    }
    void array_end() override {
        if (hashing_array_) hashes_.end_array();
        if (!base_ && !ignoring_) top_lengths_[static_cast<std::size_t>(streaming_)] = next_index_;
        hashing_array_ = false;
        ignoring_ = false;
    }

    // What follows is the base document the browser keeps under the records written since
    // (the top layer, read first). A base record is read only when the top layer holds no
    // record of its id, and it is numbered after the top layer's records of its kind, so a
    // problem's pointer into the top layer still names the stored record. The base's own
    // workspace fields are older than the top layer's and are not read.
    void begin_base() {
        base_ = true;
        for_each_kind(
            [this](Kind kind, auto tag) { collect_top_ids<typename decltype(tag)::type>(kind); });
    }

    // Why the base document cannot be combined with the top layer, if it cannot.
    std::optional<LoadProblem> base_problem() const {
        if (base_is_current()) return std::nullopt;
        return LoadProblem{"", "The stored base document is not a Pipeboard workspace of format " +
                                   std::to_string(kFormatVersion)};
    }

    // A packed base (packed_records.hpp) is read straight into the workspace's lists after
    // the top layer's records, so the largest lists are never copied again; then each base
    // record is numbered, and those whose id the top layer holds are dropped. Called instead
    // of begin_base() and streaming a base document; returns why the base cannot be read.
    std::optional<std::string> read_packed_base(std::string_view base) {
        if (auto problem = unpack_records(base, ws_)) return problem;
        for_each_kind([this](Kind kind, auto tag) {
            number_base_records<typename decltype(tag)::type>(kind);
        });
        return std::nullopt;
    }

    // The document's checksum from what was hashed while streaming plus the members held in
    // the tree; nullopt when some records streamed by unhashed. Call before reading the tree.
    std::optional<std::string> checksum() {
        if (streamed_unhashed_) return std::nullopt;
        for (const auto& [key, value] : top_.items()) hashes_.add_member(key, value);
        return hashes_.checksum();
    }

    json& top() { return top_; }
    Workspace& workspace() { return ws_; }

    void read_array(Kind kind, json& array) {
        if (!array.is_array()) {
            problems_.add(std::string(kArrayPointers[static_cast<std::size_t>(kind)]),
                          "expected a list, found " + std::string(describe(array)));
            return;
        }
        auto& items = array.get_ref<json::array_t&>();
        for (std::size_t i = 0; i < items.size(); ++i) read_element(kind, items[i], i);
        top_lengths_[static_cast<std::size_t>(kind)] = items.size();
    }

    // Drops repeated ids and repairs references between records once everything is read.
    void finish() {
        for_each_kind(
            [this](Kind kind, auto tag) { drop_duplicates<typename decltype(tag)::type>(kind); });
        repair_stage_references();
    }

private:
    bool is_current_version() const { return is_current_format(top_); }
    // The writer puts format and version first, so they are known before any record list.
    bool base_is_current() const { return is_current_format(base_top_); }

    bool stream_base_array(const std::string& key, Kind kind) {
        if (!base_is_current()) return false;
        ignoring_ = !base_seen_.insert(key).second;
        streaming_ = kind;
        next_index_ = 0;
        first_index_ = top_lengths_[static_cast<std::size_t>(kind)];
        hashing_array_ = false;
        return true;
    }

    template <class R>
    void collect_top_ids(Kind kind) {
        auto& ids = top_ids_[static_cast<std::size_t>(kind)];
        for (const R& record : records_of<R>(ws_)) ids.insert(record.meta.id);
    }

    template <class R>
    void number_base_records(Kind kind) {
        const auto k = static_cast<std::size_t>(kind);
        std::vector<R>& records = records_of<R>(ws_);
        std::vector<std::size_t>& sources = sources_[k];
        // The top layer's records come first, one source each; they stay where they are.
        const std::size_t from = sources.size();
        IdPositions top;
        top.reserve(from);
        for (std::size_t i = 0; i < from; ++i) top.insert(records, i);
        sources.reserve(records.size());
        std::size_t kept = from;
        for (std::size_t i = from; i < records.size(); ++i) {
            if (from != 0 && top.find(records, records[i].meta.id)) continue;
            if (kept != i) records[kept] = std::move(records[i]);
            sources.push_back(top_lengths_[k] + (i - from));
            ++kept;
        }
        records.erase(records.begin() + static_cast<std::ptrdiff_t>(kept), records.end());
    }

    void duplicate(const std::string& key) {
        problems_.add("/" + key, "appears more than once; only the first is read");
    }

    void read_element(Kind kind, json& value, std::size_t index) {
        for_kind(kind, [&](auto tag) {
            Where where(problems_, kArrayPointers[static_cast<std::size_t>(kind)]);
            where.at(index);
            typename decltype(tag)::type record;
            if (read_record(value, record, where)) keep(kind, std::move(record), index);
        });
    }

    // f(partial) for the record being read a member at a time, if there is one.
    template <class F>
    void with_partial(F&& f) {
        std::visit(
            [&](auto& partial) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(partial)>, std::monostate>) {
                    f(partial);
                }
            },
            partial_);
    }

    // A record read whole; a base record whose id the top layer holds is older and dropped.
    template <class R>
    void keep(Kind kind, R&& record, std::size_t index) {
        const auto k = static_cast<std::size_t>(kind);
        if (base_ && top_ids_[k].contains(record.meta.id)) return;
        records_of<R>(ws_).push_back(std::move(record));
        sources_[k].push_back(index);
    }

    std::string pointer(Kind kind, std::size_t position, std::string_view field) const {
        const auto k = static_cast<std::size_t>(kind);
        return std::string(kArrayPointers[k]) + "/" + std::to_string(sources_[k][position]) + "/" +
               std::string(field);
    }

    template <class R>
    void drop_duplicates(Kind kind) {
        std::vector<R>& records = records_of<R>(ws_);
        std::vector<std::size_t>& sources = sources_[static_cast<std::size_t>(kind)];
        IdPositions ids;
        ids.reserve(records.size());
        std::vector<bool> keep(records.size(), true);
        bool any_dropped = false;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (ids.insert(records, i)) continue;
            keep[i] = false;
            any_dropped = true;
            problems_.add(pointer(kind, i, "_id"),
                          "repeats the id of an earlier record; this one was skipped");
        }
        if (!any_dropped) return;
        std::size_t kept = 0;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (!keep[i]) continue;
            if (kept != i) {
                records[kept] = std::move(records[i]);
                sources[kept] = sources[i];
            }
            ++kept;
        }
        records.resize(kept);
        sources.resize(kept);
    }

    // A live stage must belong to a live pipeline and a live deal to a live stage of its own
    // pipeline; anything else is moved to the first place that exists, so it stays visible.
    void repair_stage_references() {
        std::unordered_map<std::string_view, std::size_t> pipelines;
        std::vector<std::size_t> pipeline_order;
        for (std::size_t i = 0; i < ws_.pipelines.size(); ++i) {
            if (ws_.pipelines[i].meta.deleted) continue;
            pipelines.emplace(ws_.pipelines[i].meta.id, i);
            pipeline_order.push_back(i);
        }
        std::stable_sort(pipeline_order.begin(), pipeline_order.end(),
                         [&](std::size_t a, std::size_t b) {
                             return ws_.pipelines[a].position < ws_.pipelines[b].position;
                         });

        for (std::size_t i = 0; i < ws_.stages.size(); ++i) {
            Stage& stage = ws_.stages[i];
            if (stage.meta.deleted || pipelines.count(stage.pipeline_id) != 0) continue;
            std::string message = "names no existing pipeline";
            if (!pipeline_order.empty()) {
                const Pipeline& home = ws_.pipelines[pipeline_order.front()];
                stage.pipeline_id = home.meta.id;
                message += "; the stage was moved to pipeline '" + home.name + "'";
            }
            problems_.add(pointer(Kind::Stage, i, "pipeline_id"), std::move(message));
        }

        std::unordered_map<std::string_view, std::size_t> stages;
        std::unordered_map<std::string_view, std::size_t> first_stage_of_pipeline;
        for (std::size_t i = 0; i < ws_.stages.size(); ++i) {
            const Stage& stage = ws_.stages[i];
            if (stage.meta.deleted || pipelines.count(stage.pipeline_id) == 0) continue;
            stages.emplace(stage.meta.id, i);
            const auto [first, inserted] = first_stage_of_pipeline.emplace(stage.pipeline_id, i);
            if (!inserted && stage.position < ws_.stages[first->second].position) first->second = i;
        }
        std::optional<std::size_t> first_stage_anywhere;
        for (std::size_t p : pipeline_order) {
            const auto found = first_stage_of_pipeline.find(ws_.pipelines[p].meta.id);
            if (found != first_stage_of_pipeline.end()) {
                first_stage_anywhere = found->second;
                break;
            }
        }

        for (std::size_t i = 0; i < ws_.deals.size(); ++i) {
            Deal& deal = ws_.deals[i];
            if (deal.meta.deleted) continue;
            if (const auto found = stages.find(deal.stage_id); found != stages.end()) {
                const Stage& stage = ws_.stages[found->second];
                if (deal.pipeline_id != stage.pipeline_id) {
                    deal.pipeline_id = stage.pipeline_id;
                    problems_.add(pointer(Kind::Deal, i, "pipeline_id"),
                                  "did not match the pipeline of the deal's stage; "
                                  "set to that pipeline");
                }
                continue;
            }
            std::optional<std::size_t> target;
            if (const auto own = first_stage_of_pipeline.find(deal.pipeline_id);
                own != first_stage_of_pipeline.end()) {
                target = own->second;
            } else {
                target = first_stage_anywhere;
            }
            std::string message = "names no existing stage";
            if (target) {
                const Stage& stage = ws_.stages[*target];
                deal.stage_id = stage.meta.id;
                deal.pipeline_id = stage.pipeline_id;
                message += "; the deal was moved to stage '" + stage.name + "'";
            } else {
                message += " and the workspace has no stage to move it to";
            }
            problems_.add(pointer(Kind::Deal, i, "stage_id"), std::move(message));
        }
    }

    ProblemLog& problems_;
    Workspace ws_;
    AnyPartialRecord partial_;
    std::tuple<RecordReading<Pipeline>::FieldOrder, RecordReading<Stage>::FieldOrder,
               RecordReading<Rep>::FieldOrder, RecordReading<Target>::FieldOrder,
               RecordReading<Deal>::FieldOrder, RecordReading<Activity>::FieldOrder,
               RecordReading<HistoryEvent>::FieldOrder>
        orders_;
    json top_ = json::object();
    std::unordered_set<std::string> seen_;
    Kind streaming_ = Kind::Deal;
    bool ignoring_ = false;
    std::size_t next_index_ = 0;
    std::size_t first_index_ = 0;
    std::array<std::vector<std::size_t>, kKindCount> sources_;
    MemberHashes hashes_;
    CanonicalText canonical_;  // of the record being read, when its array is hashed
    bool hashing_array_ = false;
    bool streamed_unhashed_ = false;
    bool base_ = false;
    json base_top_ = json::object();
    std::unordered_set<std::string> base_seen_;
    std::array<std::size_t, kKindCount> top_lengths_{};
    std::array<std::unordered_set<std::string>, kKindCount> top_ids_;
};

void read_currency(json& value, Currency& currency, json& unknown, ProblemLog& problems) {
    Where where(problems, "/currency");
    if (!value.is_object()) {
        where.report("", "expected an object, found " + std::string(describe(value)));
        return;
    }
    json extra = json::object();
    for (auto& [key, member] : value.get_ref<json::object_t&>()) {
        const FieldRef f{member, where, key};
        if (key == "code") {
            std::string code;
            if (!read_text(f, code)) continue;
            const bool iso = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
                                 return c >= 'A' && c <= 'Z';
                             });
            if (iso) {
                currency.code = std::move(code);
            } else {
                f.problem("expected a three-letter ISO 4217 code such as \"USD\"");
            }
        } else if (key == "symbol") {
            read_text(f, currency.symbol);
        } else if (key == "minor_digits") {
            read_int(f, currency.minor_digits, 0, 4);
        } else {
            extra.emplace(key, std::move(member));
        }
    }
    if (!extra.empty()) unknown["currency"] = std::move(extra);
}

void read_settings(json& value, WorkspaceSettings& settings, json& unknown, ProblemLog& problems) {
    Where where(problems, "/settings");
    if (!value.is_object()) {
        where.report("", "expected an object, found " + std::string(describe(value)));
        return;
    }
    json extra = json::object();
    for (auto& [key, member] : value.get_ref<json::object_t&>()) {
        const FieldRef f{member, where, key};
        if (key == "theme") {
            std::string theme;
            if (!read_text(f, theme)) continue;
            if (theme == "system" || theme == "light" || theme == "dark") {
                settings.theme = std::move(theme);
            } else {
                f.problem("expected one of \"system\", \"light\", \"dark\"");
            }
        } else if (key == "ui_layout") {
            read_text(f, settings.ui_layout);
        } else if (key == "last_export_at") {
            read_instant(f, settings.last_export_at);
        } else if (key == "changes_since_export") {
            read_count(f, settings.changes_since_export);
        } else if (key == "dismissed_hints") {
            read_text_list(f, settings.dismissed_hints);
        } else {
            extra.emplace(key, std::move(member));
        }
    }
    if (!extra.empty()) unknown["settings"] = std::move(extra);
}

void read_lists(json& value, EditableLists& lists, json& unknown, ProblemLog& problems) {
    Where where(problems, "/lists");
    if (!value.is_object()) {
        where.report("", "expected an object, found " + std::string(describe(value)));
        return;
    }
    json extra = json::object();
    for (auto& [key, member] : value.get_ref<json::object_t&>()) {
        const FieldRef f{member, where, key};
        if (key == "lead_sources") {
            read_text_list(f, lists.lead_sources);
        } else if (key == "industries") {
            read_text_list(f, lists.industries);
        } else if (key == "lost_reasons") {
            read_text_list(f, lists.lost_reasons);
        } else if (key == "labels") {
            read_text_list(f, lists.labels);
        } else {
            extra.emplace(key, std::move(member));
        }
    }
    if (!extra.empty()) unknown["lists"] = std::move(extra);
}

LoadResult fail(LoadResult result, LoadProblem problem) {
    result.workspace.reset();
    result.error = problem.message;
    result.problems.push_back(std::move(problem));
    return result;
}

// Checks "format" and "version"; returns the version, or the problem that stops the load.
std::variant<int, LoadProblem> check_format_and_version(const json& top, ProblemLog& problems) {
    const auto format = top.find("format");
    if (format == top.end() || !format->is_string()) {
        return LoadProblem{
            "/format", "This is not a Pipeboard workspace: it has no \"format\": \"pipeboard\""};
    }
    if (format->get_ref<const std::string&>() != kFormatName) {
        return LoadProblem{"/format", "This is not a Pipeboard workspace (its format is \"" +
                                          format->get<std::string>() + "\")"};
    }
    const auto version_member = top.find("version");
    if (version_member == top.end()) {
        problems.add("/version", "missing; read as version 1");
        return 1;
    }
    const auto version = whole_number(*version_member);
    if (!version || *version < 1) {
        return LoadProblem{"/version", "The file's version must be a whole number, 1 or more"};
    }
    if (*version > kFormatVersion) {
        return LoadProblem{"/version",
                           "This file was made by a newer version of Pipeboard (format " +
                               std::to_string(*version) + "); this app reads up to format " +
                               std::to_string(kFormatVersion)};
    }
    return static_cast<int>(*version);
}

// Reads the document, and `base` under it when given, into `out`; returns the problem that
// makes them unusable, if any.
std::optional<LoadProblem> read_document(std::string_view text, std::string_view base,
                                         ProblemLog& problems, Workspace& out) {
    DocumentLoader loader(problems);
    if (auto problem = stream_document(text, loader)) return problem;

    json& top = loader.top();
    auto checked = check_format_and_version(top, problems);
    if (auto* problem = std::get_if<LoadProblem>(&checked)) return std::move(*problem);
    const int version = std::get<int>(checked);

    if (const auto checksum = top.find("checksum"); checksum != top.end()) {
        if (!checksum->is_string() || !is_checksum_text(checksum->get_ref<const std::string&>())) {
            return LoadProblem{"/checksum",
                               "This export's checksum is damaged (expected \"fnv1a64:\" and 16 "
                               "hex digits); it was not loaded"};
        }
        std::optional<std::string> actual = loader.checksum();
        if (!actual) actual = document_checksum(text);
        if (actual != checksum->get<std::string>()) {
            return LoadProblem{"/checksum",
                               "This export was changed or damaged after it was made (its "
                               "checksum does not match); it was not loaded"};
        }
    }

    if (version < kFormatVersion) {
        try {
            run_migrations(top, version, format_migrations());
        } catch (const json::exception& error) {
            return LoadProblem{"", "This version " + std::to_string(version) +
                                       " file could not be upgraded: " + error.what()};
        }
    }

    Workspace& ws = loader.workspace();
    json unknown = json::object();
    std::array<json*, kKindCount> buffered_arrays{};
    for (auto& [key, value] : top.get_ref<json::object_t&>()) {
        Where where(problems, "");
        const FieldRef f{value, where, key};
        if (key == "format" || key == "version" || key == "checksum") {
            continue;
        } else if (key == "id") {
            read_text(f, ws.id);
        } else if (key == "name") {
            read_text(f, ws.name);
        } else if (key == "created") {
            read_instant(f, ws.created);
        } else if (key == "currency") {
            read_currency(value, ws.currency, unknown, problems);
        } else if (key == "settings") {
            read_settings(value, ws.settings, unknown, problems);
        } else if (key == "lists") {
            read_lists(value, ws.lists, unknown, problems);
        } else if (const auto kind = kind_of_array(key)) {
            buffered_arrays[static_cast<std::size_t>(*kind)] = &value;
        } else {
            unknown.emplace(key, std::move(value));
        }
    }
    // Kinds in the order Pipeboard writes them, so problems are listed in a familiar order.
    for (std::size_t k = 0; k < kKindCount; ++k) {
        if (buffered_arrays[k]) loader.read_array(static_cast<Kind>(k), *buffered_arrays[k]);
    }
    if (!unknown.empty()) ws.unknown_fields_json = dump_compact(unknown);
    if (is_packed_records(base)) {
        if (auto problem = loader.read_packed_base(base)) {
            return LoadProblem{"", "The stored base document is damaged: " + *problem};
        }
    } else if (!base.empty()) {
        loader.begin_base();
        if (auto problem = stream_document(base, loader)) {
            return LoadProblem{"", "The stored base document is damaged: " + problem->message};
        }
        if (auto problem = loader.base_problem()) return problem;
    }
    loader.finish();
    out = std::move(ws);
    return std::nullopt;
}

LoadResult load_document(std::string_view text, std::string_view base) {
    LoadResult result;
    ProblemLog problems(result.problems);
    Workspace ws;
    std::optional<LoadProblem> fatal = read_document(text, base, problems, ws);
    problems.close();
    if (fatal) return fail(std::move(result), std::move(*fatal));
    result.workspace = std::move(ws);
    return result;
}

template <class R>
bool record_from_json_impl(const json& j, R& out, std::vector<LoadProblem>& problems) {
    try {
        json copy = j;
        ProblemLog log(problems);
        Where where(log, "");
        out = R{};
        const bool usable = read_record(copy, out, where);
        log.close();
        return usable;
    } catch (const std::exception& error) {
        problems.push_back({"", std::string("could not read the record: ") + error.what()});
        return false;
    }
}

template <class R>
json record_to_json_impl(const R& record) {
    TreeSink sink;
    put_record(sink, record, true);
    return sink.take();
}

}  // namespace

// [SECTION] Public API

std::span<const FormatMigration> format_migrations() {
    // Entry i upgrades version i + 1 to i + 2; add migrate_v1_to_v2 here with kFormatVersion 2.
    static const std::array<FormatMigration, kFormatVersion - 1> kSteps{};
    return kSteps;
}

int run_migrations(json& document, int from_version, std::span<const FormatMigration> steps) {
    int version = std::max(from_version, 1);
    while (static_cast<std::size_t>(version - 1) < steps.size()) {
        steps[static_cast<std::size_t>(version - 1)](document);
        ++version;
    }
    if (document.is_object()) document["version"] = version;
    return version;
}

std::string workspace_to_json(const Workspace& ws, bool pretty) {
    return write_document(ws, ws.settings, pretty);
}

std::string workspace_fields_json(const Workspace& ws) {
    std::string text;
    TextSink sink(text, false);
    put_document(sink, ws, ws.settings, false);
    return text;
}

LoadResult workspace_from_json(std::string_view text) { return workspace_from_layers(text, {}); }

LoadResult workspace_from_layers(std::string_view top, std::string_view base) {
    try {
        return load_document(top, base);
    } catch (const std::bad_alloc&) {
        return fail(LoadResult{}, {"", "Not enough memory to load this file"});
    } catch (const std::exception& error) {
        return fail(LoadResult{}, {"", std::string("The file could not be read: ") + error.what()});
    }
}

std::optional<std::string> document_checksum(std::string_view text) {
    try {
        ChecksumConsumer consumer;
        if (stream_document(text, consumer)) return std::nullopt;
        return consumer.checksum();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string export_workspace_json(const Workspace& ws, Timestamp exported_at) {
    WorkspaceSettings settings = ws.settings;
    settings.last_export_at = exported_at;
    settings.changes_since_export = 0;
    std::string text;
    reserve_for_document(text, ws);
    ExportSink sink(text);
    put_document(sink, ws, settings);
    sink.finish();
    return text;
}

template <class R>
std::string record_json_text(const R& record) {
    std::string text;
    TextSink sink(text, false);
    put_record(sink, record, true);
    return text;
}
template std::string record_json_text(const Pipeline&);
template std::string record_json_text(const Stage&);
template std::string record_json_text(const Rep&);
template std::string record_json_text(const Target&);
template std::string record_json_text(const Deal&);
template std::string record_json_text(const Activity&);
template std::string record_json_text(const HistoryEvent&);

json record_to_json(const Pipeline& pipeline) { return record_to_json_impl(pipeline); }
json record_to_json(const Stage& stage) { return record_to_json_impl(stage); }
json record_to_json(const Rep& rep) { return record_to_json_impl(rep); }
json record_to_json(const Target& target) { return record_to_json_impl(target); }
json record_to_json(const Deal& deal) { return record_to_json_impl(deal); }
json record_to_json(const Activity& activity) { return record_to_json_impl(activity); }
json record_to_json(const HistoryEvent& event) { return record_to_json_impl(event); }

bool record_from_json(const json& j, Pipeline& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}
bool record_from_json(const json& j, Stage& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}
bool record_from_json(const json& j, Rep& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}
bool record_from_json(const json& j, Target& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}
bool record_from_json(const json& j, Deal& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}
bool record_from_json(const json& j, Activity& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}
bool record_from_json(const json& j, HistoryEvent& out, std::vector<LoadProblem>& problems) {
    return record_from_json_impl(j, out, problems);
}

}  // namespace pb

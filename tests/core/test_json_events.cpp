// The fast JSON reader must accept exactly what nlohmann accepts and report the same events
// with the same values: a workspace loaded through it must not differ in any byte.
#include <doctest/doctest.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/json_events.hpp"
#include "core/json_format.hpp"
#include "core/sample_workspace.hpp"

using namespace pb;
using nlohmann::json;

namespace {

// Every event as text, numbers with their type and exact bits.
class Recorder {
public:
    explicit Recorder(std::size_t stop_after = SIZE_MAX) : stop_after_(stop_after) {}

    bool null() { return add("null"); }
    bool boolean(bool value) { return add(value ? "true" : "false"); }
    bool number_integer(std::int64_t value) { return add("int " + std::to_string(value)); }
    bool number_unsigned(std::uint64_t value) { return add("unsigned " + std::to_string(value)); }
    bool number_float(double value, const std::string&) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        return add("double " + std::to_string(bits));
    }
    bool string(std::string& value) { return add("string " + value); }
    bool binary(json::binary_t&) { return add("binary"); }
    bool start_object(std::size_t) { return add("{"); }
    bool end_object() { return add("}"); }
    bool start_array(std::size_t) { return add("["); }
    bool end_array() { return add("]"); }
    bool key(std::string& name) { return add("key " + name); }
    bool parse_error(std::size_t, const std::string&, const json::exception&) {
        failed = true;
        return false;
    }

    std::vector<std::string> events;
    bool failed = false;

private:
    bool add(std::string event) {
        events.push_back(std::move(event));
        return events.size() < stop_after_;
    }
    std::size_t stop_after_;
};

// Both readers on `text`: whether nlohmann accepted it, after checking that ours agrees and,
// when it does accept it, sends the same events.
bool same_as_nlohmann(const std::string& text) {
    Recorder theirs;
    json::sax_parse(text, &theirs);
    const bool accepted = !theirs.failed;
    CAPTURE(text);
    Recorder ours;
    REQUIRE(read_json_events(text, ours) == accepted);
    if (accepted) CHECK(ours.events == theirs.events);
    return accepted;
}

}  // namespace

TEST_CASE("the fast JSON reader reads a whole workspace exactly as nlohmann does") {
    SampleOptions options;
    options.deal_count = 60;
    Workspace ws = make_sample_workspace(options, 1796000000);
    ws.deals[0].title = "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80 \"quoted\" back\\slash\ttab";
    ws.deals[0].notes = std::string("nul \0 inside", 12) + "\x01\x1f";
    const std::string text = workspace_to_json(ws);
    CHECK(same_as_nlohmann(text));

    // Loaded through it, the workspace saves to the same bytes.
    const LoadResult loaded = workspace_from_json(text);
    REQUIRE(loaded.ok());
    CHECK(workspace_to_json(*loaded.workspace) == text);
}

TEST_CASE("the fast JSON reader agrees with nlohmann on every kind of token and mistake") {
    const std::vector<std::string> cases = {
        // Numbers at and past the integer limits, exponents, zeros, and broken forms.
        "[0, -0, 1, -1, 18446744073709551615, 18446744073709551616, -9223372036854775808]",
        "[-9223372036854775809, 1.5, -0.0, 1e3, 1E+3, 1e-3, 2.5e-400, 123456789012345678901234]",
        "[1e400]", "[-1e400]", "[01]", "[1.]", "[.5]", "[-]", "[+1]", "[1e]", "[1e+]", "[0x10]",
        "[1.5e3.2]", "[- 1]", "[Infinity]", "[NaN]",
        // Strings: escapes, surrogates, raw UTF-8 in and out of range, control characters.
        R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC\ud83d\ude80", "\u0000"])", R"(["\ud83d"])",
        R"(["\ude80"])", R"(["\ud83d\u0041"])", R"(["\ud83dx"])", R"(["\x"])", R"(["\u12"])",
        R"(["\u12g4"])", "[\"tab\there\"]", "[\"\x7f\"]", "[\"\xc3\xa9\"]", "[\"\xc3\"]",
        "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xf0\x9f\x9a\x80\"]",
        "[\"\xe0\x80\xaf\"]", "[\"\xff\"]", "[\"unterminated]",
        // Structure, literals, whitespace and what may follow the value.
        "{}", "[]", " \t\r\n{ \"a\" : [ ] , \"b\" : { } } \n", "{\"a\":1,}", "[1,]", "[,1]",
        "{\"a\" 1}", "{1:2}", "{\"a\":1 \"b\":2}", "[true, false, null]", "[tru]", "[nul]",
        "[True]", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1} {}", "", " ", "\"just a string\"", "42",
        "[[[[[[[[[[]]]]]]]]]]", "[[]", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
        "\xef\xbb\xbf{\"bom\":true}", "\xef\xbb{}", "/* comment */ {}", "{\"a\":1}\0",
        std::string("[\"\0\"]", 5)};
    int accepted = 0;
    for (const std::string& text : cases) accepted += same_as_nlohmann(text) ? 1 : 0;
    CHECK(accepted > 10);
    CHECK(accepted < static_cast<int>(cases.size()) - 30);
}

TEST_CASE("the fast JSON reader agrees with nlohmann on thousands of damaged documents") {
    const std::string original =
        R"({"deals":[{"_id":"d1","title":"Caf\u00e9 \"A\"","value":-12,"p":0.25,"ok":true},)"
        "{\"_id\":\"d2\",\"tags\":[\"\xc3\xa9\",null,1e5,18446744073709551615],\"x\":{}}],"
        R"("n":[0,-0.5,3E-2],"s":"\ud83d\ude80\n"})";
    const std::string alphabet = "{}[]\":,\\ u0123456789-+.eEtfnlr\xc3\xa9\xed\xa0\xf0\x80\x01";
    std::mt19937 random(2026);
    int accepted = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string text = original;
        const int edits = 1 + static_cast<int>(random() % 3);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const std::size_t at = random() % text.size();
            const char c = alphabet[random() % alphabet.size()];
            switch (random() % 3) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
                    break;
                default:
                    text.erase(at, 1);
                    break;
            }
        }
        accepted += same_as_nlohmann(text) ? 1 : 0;
    }
    // Enough of each outcome that both paths were compared.
    CHECK(accepted > 200);
    CHECK(accepted < 3800);
}

TEST_CASE("the fast JSON reader stops when the handler says so") {
    Recorder stops_early(3);
    CHECK_FALSE(read_json_events(R"({"a":[1,2,3,4],"b":true})", stops_early));
    CHECK(stops_early.events == std::vector<std::string>{"{", "key a", "["});
}

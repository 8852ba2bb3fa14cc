// A JSON reader for large documents that feeds an nlohmann SAX handler the same events, with
// the same values, as nlohmann::json::sax_parse. nlohmann's lexer copies the text one character
// at a time and keeps a second copy for its error messages, which is half of loading a 27 MB
// workspace; this one scans runs of plain characters and copies them at once.
//
// It accepts exactly what nlohmann accepts (RFC 8259 with a leading UTF-8 byte order mark
// skipped, no comments, nothing after the value) and has no error messages: it stops at the
// first mistake, and nlohmann, reading the same text again, says where and why.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "utf8.hpp"

namespace pb {

// Whether none of the eight bytes at `eight` is a quote, a backslash, a control character or
// a byte of a non-ASCII character: what a JSON string holds and writes as it is.
inline bool json_plain_eight(const char* eight) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    std::uint64_t word = 0;
    std::memcpy(&word, eight, sizeof word);
    // Within the high bits, (x - ones) & ~x is nonzero exactly when some byte of x is zero,
    // and (x - n * ones) & ~x when some byte is below n (for n up to 128).
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t backslash = word ^ (kOnes * '\\');
    const std::uint64_t special = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                  ((word - kOnes * 0x20) & ~word) | word;
    return (special & kHighs) == 0;
}

namespace json_events_detail {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Sends the handler's events up to the end, the first mistake, or the handler's stop.
template <typename Sax>
class Reader {
public:
    Reader(std::string_view text, Sax* sax)
        : text_all_(text), at_(text.data()), end_(text.data() + text.size()), sax_(sax) {}

    // Whether the text was read to its end without the handler stopping it.
    bool document() {
        if (end_ - at_ >= 3 && static_cast<unsigned char>(at_[0]) == 0xEF &&
            static_cast<unsigned char>(at_[1]) == 0xBB &&
            static_cast<unsigned char>(at_[2]) == 0xBF) {
            at_ += 3;
        }
        std::vector<bool> in_object;  // the open containers, innermost last
        enum class Next { Value, Key, AfterValue } next = Next::Value;
        while (true) {
            skip_space();
            switch (next) {
                case Next::Value: {
                    if (at_ == end_) return false;
                    const char c = *at_;
                    if (c == '{' || c == '[') {
                        ++at_;
                        const bool object = c == '{';
                        if (!(object ? sax_->start_object(kUnknownSize)
                                     : sax_->start_array(kUnknownSize))) {
                            return false;
                        }
                        skip_space();
                        if (at_ < end_ && *at_ == (object ? '}' : ']')) {
                            ++at_;
                            if (!(object ? sax_->end_object() : sax_->end_array())) return false;
                            next = Next::AfterValue;
                        } else {
                            in_object.push_back(object);
                            next = object ? Next::Key : Next::Value;
                        }
                        break;
                    }
                    if (!scalar()) return false;
                    next = Next::AfterValue;
                    break;
                }
                case Next::Key:
                    if (at_ == end_ || *at_ != '"' || !string(true)) return false;
                    skip_space();
                    if (at_ == end_ || *at_ != ':') return false;
                    ++at_;
                    next = Next::Value;
                    break;
                case Next::AfterValue: {
                    if (in_object.empty()) return at_ == end_;
                    if (at_ == end_) return false;
                    const bool object = in_object.back();
                    if (*at_ == ',') {
                        ++at_;
                        next = object ? Next::Key : Next::Value;
                    } else if (*at_ == (object ? '}' : ']')) {
                        ++at_;
                        in_object.pop_back();
                        if (!(object ? sax_->end_object() : sax_->end_array())) return false;
                    } else {
                        return false;
                    }
                    break;
                }
            }
        }
    }

private:
    // What nlohmann passes as a container's size when it does not know it.
    static constexpr std::size_t kUnknownSize = static_cast<std::size_t>(-1);

    void skip_space() {
        while (at_ < end_ && is_space(*at_)) ++at_;
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - at_) < word.size() ||
            std::string_view(at_, word.size()) != word) {
            return false;
        }
        at_ += word.size();
        return true;
    }

    bool scalar() {
        switch (*at_) {
            case '"':
                return string(false);
            case 't':
                return literal("true") && sax_->boolean(true);
            case 'f':
                return literal("false") && sax_->boolean(false);
            case 'n':
                return literal("null") && sax_->null();
            default:
                return number();
        }
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    void digits() {
        while (at_ < end_ && is_digit(*at_)) ++at_;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as nlohmann reads it: an integer as
    // unsigned, or signed when negative, while it fits; anything else as a double.
    bool number() {
        const char* start = at_;
        if (*at_ == '-') ++at_;
        if (at_ == end_ || !is_digit(*at_)) return false;
        if (*at_ == '0') {
            ++at_;
        } else {
            digits();
        }
        bool integer = true;
        if (at_ < end_ && *at_ == '.') {
            ++at_;
            if (at_ == end_ || !is_digit(*at_)) return false;
            digits();
            integer = false;
        }
        if (at_ < end_ && (*at_ == 'e' || *at_ == 'E')) {
            ++at_;
            if (at_ < end_ && (*at_ == '+' || *at_ == '-')) ++at_;
            if (at_ == end_ || !is_digit(*at_)) return false;
            digits();
            integer = false;
        }
        if (integer) {
            if (*start == '-') {
                std::int64_t value = 0;
                if (std::from_chars(start, at_, value).ec == std::errc()) {
                    return sax_->number_integer(value);
                }
            } else {
                std::uint64_t value = 0;
                if (std::from_chars(start, at_, value).ec == std::errc()) {
                    return sax_->number_unsigned(value);
                }
            }
        }
        // strtod, as nlohmann uses, on a copy that ends where the number does; like nlohmann,
        // a number too large for a double is an error.
        std::string token(start, at_);
        const double value = std::strtod(token.c_str(), nullptr);
        if (!std::isfinite(value)) return false;
        return sax_->number_float(value, token);
    }

    // A string from its opening quote; with `key`, handed over as an object key.
    bool string(bool key) {
        ++at_;
        text_.clear();
        const char* run = at_;
        while (true) {
            // Plain printable ASCII, the bulk of any document, in one sweep: eight bytes at a
            // time while none of them is a quote, a backslash, a control or a non-ASCII byte.
            while (end_ - at_ >= 8 && json_plain_eight(at_)) at_ += 8;
            while (at_ < end_) {
                const auto c = static_cast<unsigned char>(*at_);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
                ++at_;
            }
            if (at_ == end_) return false;
            const auto c = static_cast<unsigned char>(*at_);
            if (c == '"') break;
            if (c < 0x20) return false;
            if (c >= 0x80) {
                const std::size_t length = utf8_sequence_length(
                    text_all_, static_cast<std::size_t>(at_ - text_all_.data()));
                if (length == 0) return false;
                at_ += length;
                continue;
            }
            text_.append(run, at_);
            if (!escape()) return false;
            run = at_;
        }
        text_.append(run, at_);
        ++at_;
        return key ? sax_->key(text_) : sax_->string(text_);
    }

    // Four hex digits after "\u", or -1.
    int code_unit() {
        if (end_ - at_ < 4) return -1;
        int value = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hex_value(at_[i]);
            if (digit < 0) return -1;
            value = value * 16 + digit;
        }
        at_ += 4;
        return value;
    }

    // An escape from its backslash.
    bool escape() {
        ++at_;
        if (at_ == end_) return false;
        const char c = *at_++;
        char plain = 0;
        switch (c) {
            case '"':
            case '\\':
            case '/':
                plain = c;
                break;
            case 'b':
                plain = '\b';
                break;
            case 'f':
                plain = '\f';
                break;
            case 'n':
                plain = '\n';
                break;
            case 'r':
                plain = '\r';
                break;
            case 't':
                plain = '\t';
                break;
            case 'u': {
                const int unit = code_unit();
                if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
                char32_t code = static_cast<char32_t>(unit);
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    // A high surrogate must be followed by the escaped low one.
                    if (end_ - at_ < 2 || at_[0] != '\\' || at_[1] != 'u') return false;
                    at_ += 2;
                    const int low = code_unit();
                    if (low < 0xDC00 || low > 0xDFFF) return false;
                    code = 0x10000 + ((code - 0xD800) << 10) + static_cast<char32_t>(low - 0xDC00);
                }
                append_utf8(text_, code);
                return true;
            }
            default:
                return false;
        }
        text_ += plain;
        return true;
    }

    std::string_view text_all_;
    const char* at_;
    const char* end_;
    Sax* sax_;
    std::string text_;
};

}  // namespace json_events_detail

// Sends `text`'s events to `sax` (an nlohmann SAX handler). True when the whole text was read:
// false when a callback returned false or at the first mistake, after the events before it.
template <typename Sax>
bool read_json_events(std::string_view text, Sax& sax) {
    return json_events_detail::Reader<Sax>(text, &sax).document();
}

}  // namespace pb

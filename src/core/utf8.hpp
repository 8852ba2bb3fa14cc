// The UTF-8 rules the JSON and CSV code share: which byte sequences are well formed, and
// how a code point is written.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pb {

// Length of the well-formed UTF-8 sequence at text[i] (Unicode table 3-7: no overlong forms,
// no surrogates, nothing past U+10FFFF), 0 when the bytes there are not one.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte_at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const std::size_t left = text.size() - i;
    const auto continues = [&](std::size_t k, unsigned char low = 0x80, unsigned char high = 0xBF) {
        return k < left && byte_at(k) >= low && byte_at(k) <= high;
    };
    const unsigned char lead = byte_at(0);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continues(1) ? 2 : 0;
    if (lead == 0xE0) return continues(1, 0xA0) && continues(2) ? 3 : 0;
    if (lead == 0xED) return continues(1, 0x80, 0x9F) && continues(2) ? 3 : 0;
    if (lead >= 0xE1 && lead <= 0xEF) return continues(1) && continues(2) ? 3 : 0;
    if (lead == 0xF0) return continues(1, 0x90) && continues(2) && continues(3) ? 4 : 0;
    if (lead >= 0xF1 && lead <= 0xF3) return continues(1) && continues(2) && continues(3) ? 4 : 0;
    if (lead == 0xF4) return continues(1, 0x80, 0x8F) && continues(2) && continues(3) ? 4 : 0;
    return 0;
}

inline void append_utf8(std::string& out, char32_t code_point) {
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
}

}  // namespace pb

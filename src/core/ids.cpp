// Record identity: a seeded xoroshiro128+ id generator and CouchDB-style revision strings.
#include "ids.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace pb {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::uint64_t kFnvPrime = 0x100000001B3ull;
constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;

// FNV-1a over bytes [from, until) of Lanes texts, one byte of each in turn.
template <std::size_t Lanes>
void fnv1a64_side_by_side(const unsigned char* const* bytes, std::uint64_t* hashes,
                          std::size_t from, std::size_t until) {
    std::uint64_t h[Lanes];
    for (std::size_t k = 0; k < Lanes; ++k) h[k] = hashes[k];
    for (std::size_t i = from; i < until; ++i) {
        for (std::size_t k = 0; k < Lanes; ++k) h[k] = (h[k] ^ bytes[k][i]) * kFnvPrime;
    }
    for (std::size_t k = 0; k < Lanes; ++k) hashes[k] = h[k];
}

// SplitMix64 spreads one seed over the generator's two state words so that nearby seeds
// (1, 2, 3 in tests) still give unrelated sequences.
std::uint64_t splitmix64(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t rotate_left(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void append_hex(std::string& out, std::uint64_t value) {
    char digits[16];
    for (int i = 15; i >= 0; --i, value >>= 4) digits[i] = kHexDigits[value & 0xF];
    out.append(digits, sizeof digits);
}

}  // namespace

IdGenerator::IdGenerator(std::uint64_t seed) { reseed(seed); }

void IdGenerator::reseed(std::uint64_t seed) {
    std::uint64_t mixer = seed;
    state_[0] = splitmix64(mixer);
    state_[1] = splitmix64(mixer);
    // An all-zero state would make xoroshiro emit zeros forever.
    if (state_[0] == 0 && state_[1] == 0) state_[1] = 1;
}

std::uint64_t IdGenerator::next_u64() {
    const std::uint64_t s0 = state_[0];
    std::uint64_t s1 = state_[1];
    const std::uint64_t result = s0 + s1;
    s1 ^= s0;
    state_[0] = rotate_left(s0, 24) ^ s1 ^ (s1 << 16);
    state_[1] = rotate_left(s1, 37);
    return result;
}

std::string IdGenerator::next() {
    std::string id;
    id.reserve(32);
    append_hex(id, next_u64());
    append_hex(id, next_u64());
    return id;
}

std::uint64_t hash_id(std::string_view text) {
    std::uint64_t hash = 0x9E3779B97F4A7C15ull ^ (text.size() * 0xFF51AFD7ED558CCDull);
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + i, 8);
        hash = (hash ^ word) * 0xBF58476D1CE4E5B9ull;
        hash ^= hash >> 31;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, text.data() + i, text.size() - i);
    hash = (hash ^ tail) * 0x94D049BB133111EBull;
    hash ^= hash >> 29;
    hash *= 0xBF58476D1CE4E5B9ull;
    hash ^= hash >> 32;
    return hash;
}

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed) {
    std::uint64_t hash = seed;
    for (unsigned char byte : bytes) {
        hash ^= byte;
        hash *= kFnvPrime;
    }
    return hash;
}

std::vector<std::uint64_t> fnv1a64_each(std::span<const std::string_view> texts) {
    std::vector<std::uint64_t> hashes(texts.size(), kFnvOffsetBasis);
    // Longest first, four at a time: a group runs side by side until its shortest text ends,
    // then goes on with one lane fewer.
    std::vector<std::size_t> order(texts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return texts[a].size() > texts[b].size();
    });
    constexpr std::size_t kLanes = 4;
    for (std::size_t group = 0; group < order.size(); group += kLanes) {
        const std::size_t lanes = std::min(kLanes, order.size() - group);
        const unsigned char* bytes[kLanes];
        std::uint64_t lane_hashes[kLanes];
        for (std::size_t k = 0; k < lanes; ++k) {
            bytes[k] = reinterpret_cast<const unsigned char*>(texts[order[group + k]].data());
            lane_hashes[k] = kFnvOffsetBasis;
        }
        std::size_t done = 0;
        for (std::size_t active = lanes; active > 0; --active) {
            const std::size_t until = texts[order[group + active - 1]].size();
            switch (active) {
                case 4:
                    fnv1a64_side_by_side<4>(bytes, lane_hashes, done, until);
                    break;
                case 3:
                    fnv1a64_side_by_side<3>(bytes, lane_hashes, done, until);
                    break;
                case 2:
                    fnv1a64_side_by_side<2>(bytes, lane_hashes, done, until);
                    break;
                default:
                    fnv1a64_side_by_side<1>(bytes, lane_hashes, done, until);
            }
            done = until;
        }
        for (std::size_t k = 0; k < lanes; ++k) hashes[order[group + k]] = lane_hashes[k];
    }
    return hashes;
}

int revision_number(std::string_view rev) {
    const std::size_t dash = rev.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash + 1 == rev.size()) return 0;
    int number = 0;
    for (std::size_t i = 0; i < dash; ++i) {
        const char c = rev[i];
        if (c < '0' || c > '9') return 0;
        if (number > (2147483647 - (c - '0')) / 10) return 0;
        number = number * 10 + (c - '0');
    }
    return number;
}

std::string next_revision(std::string_view previous, std::uint64_t content_hash) {
    const int number = revision_number(previous);
    std::string rev = std::to_string(number < 2147483647 ? number + 1 : number);
    rev.reserve(rev.size() + 17);
    rev += '-';
    append_hex(rev, content_hash);
    return rev;
}

bool revision_wins(std::string_view a, std::string_view b) {
    const int number_a = revision_number(a);
    const int number_b = revision_number(b);
    if (number_a != number_b) return number_a > number_b;
    const std::size_t dash_a = a.find('-');
    const std::size_t dash_b = b.find('-');
    const std::string_view hash_a = dash_a == std::string_view::npos ? a : a.substr(dash_a + 1);
    const std::string_view hash_b = dash_b == std::string_view::npos ? b : b.substr(dash_b + 1);
    return hash_a > hash_b;
}

}  // namespace pb

// Record identity: unique ids and CouchDB-style "N-hash" revisions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pb {

// Makes 128-bit random-looking ids as 32 lowercase hex characters. The core never reads
// entropy itself: the platform seeds it (from the browser's crypto or std::random_device),
// and tests seed it with a fixed number for repeatable output.
class IdGenerator {
public:
    explicit IdGenerator(std::uint64_t seed = 0x9E3779B97F4A7C15ull);
    std::string next();
    void reseed(std::uint64_t seed);

private:
    std::uint64_t next_u64();
    std::uint64_t state_[2];
};

// A fast hash of an id for in-memory tables, mixing eight bytes at a time (ids are mostly 32 hex
// characters, and tables of 100,000 deals hash them by the hundred thousand). Not stable
// across versions: never store it.
std::uint64_t hash_id(std::string_view text);

// 64-bit FNV-1a, stable across platforms and builds (used for revisions and checksums).
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ull);
// fnv1a64 of each text. Each hash is a chain of dependent multiplications, one per byte; hashing
// several texts side by side lets the processor overlap the chains.
std::vector<std::uint64_t> fnv1a64_each(std::span<const std::string_view> texts);

// "3-a1b2c3..." -> 3; 0 for an empty or malformed revision.
int revision_number(std::string_view rev);
// The revision following `previous` for a record whose content hashes to `content_hash`.
std::string next_revision(std::string_view previous, std::uint64_t content_hash);
// Deterministic order of two revisions of the same record: higher N wins, then the larger
// hash text, so every replica picks the same winner of a conflict.
bool revision_wins(std::string_view a, std::string_view b);

}  // namespace pb

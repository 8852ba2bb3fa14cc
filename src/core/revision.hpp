// Record revisions: a content hash per record type (over the fields, independent of any file
// format) and `touch`, which moves a record to its next "N-hash" revision.
#pragma once

#include <cstdint>

#include "workspace.hpp"

namespace pb {

// Hashes of every field except the revision bookkeeping (rev, parent_rev, created, updated),
// so two replicas making the same edit arrive at the same revision. The tombstone flag counts.
std::uint64_t content_hash(const Pipeline& pipeline);
std::uint64_t content_hash(const Stage& stage);
std::uint64_t content_hash(const Target& target);
std::uint64_t content_hash(const Rep& rep);
std::uint64_t content_hash(const Deal& deal);
std::uint64_t content_hash(const Activity& activity);
std::uint64_t content_hash(const HistoryEvent& event);

// Bumps `meta.rev` from N to N+1 with the given hash, remembers the old revision as
// `parent_rev`, and stamps `updated` (and `created` on a record's first revision).
void touch(RecordMeta& meta, std::uint64_t content_hash, Timestamp now);

// The record's next revision for its current content.
template <typename Record>
void touch(Record& record, Timestamp now) {
    touch(record.meta, content_hash(record), now);
}

}  // namespace pb

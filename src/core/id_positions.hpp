// Positions of records in one of the workspace's vectors (or a vector of pointers to records),
// found by id. The first record of a repeated id keeps it. The ids are not copied: a slot holds
// a position and the id's hash, and a probe compares the id held by the record at that
// position. A table of string keys cost half the time of indexing 100,000 deals, an allocation
// and a copy per id.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ids.hpp"

namespace pb {

template <typename Record>
std::string_view id_of(const Record& record) {
    return record.meta.id;
}
template <typename Record>
std::string_view id_of(const Record* record) {
    return record->meta.id;
}

class IdPositions {
public:
    void clear() {
        slots_.clear();
        count_ = 0;
        mask_ = 0;
    }
    // Room for `count` ids without growing.
    void reserve(std::size_t count) {
        std::size_t wanted = 16;
        while (wanted < count * 2) wanted <<= 1;
        if (wanted > slots_.size()) regrow(wanted);
    }
    std::size_t size() const { return count_; }

    // Files records[position] under its id; false, filing nothing, when that id is already
    // filed.
    template <typename Record>
    bool insert(const std::vector<Record>& records, std::size_t position) {
        const std::string_view id = id_of(records[position]);
        if ((count_ + 1) * 2 > slots_.size()) regrow(std::max<std::size_t>(16, slots_.size() * 2));
        const auto hash = static_cast<std::uint32_t>(hash_id(id));
        std::size_t at = hash & mask_;
        for (; slots_[at].filed != 0; at = (at + 1) & mask_) {
            const Slot& slot = slots_[at];
            if (slot.hash == hash && id_of(records[slot.filed - 1]) == id) return false;
        }
        slots_[at] = {static_cast<std::uint32_t>(position + 1), hash};
        ++count_;
        return true;
    }

    template <typename Record>
    std::optional<std::size_t> find(const std::vector<Record>& records, std::string_view id) const {
        if (slots_.empty()) return std::nullopt;
        const auto hash = static_cast<std::uint32_t>(hash_id(id));
        for (std::size_t at = hash & mask_; slots_[at].filed != 0; at = (at + 1) & mask_) {
            const Slot& slot = slots_[at];
            const std::size_t position = slot.filed - 1;
            // A record past the end or holding another id: the table outlived a change of the
            // vector, which the index's owner rebuilds it for.
            if (slot.hash == hash && position < records.size() && id_of(records[position]) == id)
                return position;
        }
        return std::nullopt;
    }

private:
    struct Slot {
        std::uint32_t filed = 0;  // position + 1; 0 for an empty slot
        std::uint32_t hash = 0;
    };

    void regrow(std::size_t slot_count) {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(slot_count, Slot{});
        mask_ = slot_count - 1;
        for (const Slot& slot : old) {
            if (slot.filed == 0) continue;
            std::size_t at = slot.hash & mask_;
            while (slots_[at].filed != 0) at = (at + 1) & mask_;
            slots_[at] = slot;
        }
    }

    std::vector<Slot> slots_;
    std::size_t count_ = 0;
    std::size_t mask_ = 0;
};

}  // namespace pb

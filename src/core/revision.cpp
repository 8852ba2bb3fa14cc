// Field-by-field content hashes of the records and the revision bump shared by every change.
#include "revision.hpp"

#include <cstring>
#include <type_traits>

#include "ids.hpp"

namespace pb {

namespace {

// Feeds fields into FNV-1a with a length or presence prefix, so ("ab", "c") and ("a", "bc")
// hash differently.
class FieldHasher {
public:
    FieldHasher& add(std::string_view text) {
        add(static_cast<std::uint64_t>(text.size()));
        hash_ = fnv1a64(text, hash_);
        return *this;
    }
    FieldHasher& add(const std::string& text) { return add(std::string_view(text)); }
    FieldHasher& add(const char* text) { return add(std::string_view(text)); }

    FieldHasher& add(std::uint64_t value) {
        char bytes[8];
        for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
        hash_ = fnv1a64(std::string_view(bytes, 8), hash_);
        return *this;
    }
    FieldHasher& add(std::int64_t value) { return add(static_cast<std::uint64_t>(value)); }
    FieldHasher& add(std::int32_t value) { return add(static_cast<std::int64_t>(value)); }
    FieldHasher& add(std::uint32_t value) { return add(static_cast<std::uint64_t>(value)); }
    FieldHasher& add(bool value) { return add(static_cast<std::uint64_t>(value ? 1 : 0)); }
    FieldHasher& add(double value) {
        // Normalise -0.0 so equal positions hash equally.
        if (value == 0) value = 0;
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        return add(bits);
    }

    template <typename T>
    FieldHasher& add(const std::optional<T>& value) {
        add(value.has_value());
        if (value) add(*value);
        return *this;
    }
    FieldHasher& add(const std::vector<std::string>& values) {
        add(static_cast<std::uint64_t>(values.size()));
        for (const std::string& value : values) add(value);
        return *this;
    }
    template <typename Enum>
    requires std::is_enum_v<Enum> FieldHasher& add(Enum value) {
        return add(static_cast<std::int64_t>(value));
    }

    FieldHasher& add_meta(const RecordMeta& meta) { return add(meta.id).add(meta.deleted); }

    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

}  // namespace

std::uint64_t content_hash(const Pipeline& pipeline) {
    FieldHasher h;
    h.add("pipeline").add_meta(pipeline.meta).add(pipeline.name).add(pipeline.position);
    return h.value();
}

std::uint64_t content_hash(const Stage& stage) {
    FieldHasher h;
    h.add("stage").add_meta(stage.meta).add(stage.pipeline_id).add(stage.name);
    h.add(stage.position).add(stage.color).add(stage.probability).add(stage.rotting_days);
    h.add(stage.exit_criteria);
    return h.value();
}

std::uint64_t content_hash(const Target& target) {
    FieldHasher h;
    h.add("target").add_meta(target.meta).add(target.rep_id).add(target.period);
    h.add(target.period_start).add(target.amount);
    return h.value();
}

std::uint64_t content_hash(const Rep& rep) {
    FieldHasher h;
    h.add("rep").add_meta(rep.meta).add(rep.name).add(rep.email).add(rep.active);
    return h.value();
}

std::uint64_t content_hash(const Deal& deal) {
    FieldHasher h;
    h.add("deal").add_meta(deal.meta).add(deal.pipeline_id).add(deal.stage_id);
    h.add(deal.position).add(deal.title).add(deal.organization);
    h.add(static_cast<std::uint64_t>(deal.contacts.size()));
    for (const Contact& contact : deal.contacts) {
        h.add(contact.name).add(contact.role).add(contact.email).add(contact.phone);
        h.add(contact.decision_maker);
    }
    h.add(deal.value).add(deal.probability).add(deal.expected_close).add(deal.lead_source);
    h.add(deal.industry).add(deal.owner_id).add(deal.labels).add(deal.notes);
    h.add(deal.status).add(deal.lost_reason).add(deal.revisit_on).add(deal.closed_at);
    h.add(deal.stage_entered_at).add(deal.checklist_done).add(deal.contract_end);
    h.add(deal.upsell_notes).add(deal.referred_by_deal_id);
    return h.value();
}

std::uint64_t content_hash(const Activity& activity) {
    FieldHasher h;
    h.add("activity").add_meta(activity.meta).add(activity.deal_id).add(activity.type);
    h.add(activity.subject).add(activity.due).add(activity.has_time).add(activity.done);
    h.add(activity.done_at).add(activity.note);
    return h.value();
}

std::uint64_t content_hash(const HistoryEvent& event) {
    FieldHasher h;
    h.add("history").add_meta(event.meta).add(event.deal_id).add(event.at).add(event.kind);
    h.add(event.from_stage_id).add(event.to_stage_id).add(event.from_status);
    h.add(event.to_status).add(event.by_rep_id).add(event.detail);
    return h.value();
}

void touch(RecordMeta& meta, std::uint64_t content_hash, Timestamp now) {
    if (meta.rev.empty()) meta.created = now;
    meta.parent_rev = meta.rev;
    meta.rev = next_revision(meta.rev, content_hash);
    meta.updated = now;
}

}  // namespace pb

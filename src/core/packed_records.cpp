#include "packed_records.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace pb {
namespace {

// "\x89PBRECS" and the form's version. A change to any record's fields needs a new version
// here, and a reader for the old one, as the JSON format has its migrations.
constexpr std::string_view kMagic{"\x89PBRECS\x01", 8};

// Each record's fields, in the one order both directions use; `R` is const when writing.
template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, std::string>
void fields(IO& io, R& text) { io(text); }

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, RecordMeta>
void fields(IO& io, R& m) {
    io(m.id);
    io(m.rev);
    io(m.parent_rev);
    io(m.created);
    io(m.updated);
    io(m.deleted);
    io(m.unknown_json);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Pipeline>
void fields(IO& io, R& p) {
    fields(io, p.meta);
    io(p.name);
    io(p.position);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Stage>
void fields(IO& io, R& s) {
    fields(io, s.meta);
    io(s.pipeline_id);
    io(s.name);
    io(s.position);
    io(s.color);
    io(s.probability);
    io(s.rotting_days);
    io(s.exit_criteria);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Rep>
void fields(IO& io, R& r) {
    fields(io, r.meta);
    io(r.name);
    io(r.email);
    io(r.active);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Target>
void fields(IO& io, R& t) {
    fields(io, t.meta);
    io(t.rep_id);
    io(t.period);
    io(t.period_start);
    io(t.amount);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Contact>
void fields(IO& io, R& c) {
    io(c.name);
    io(c.role);
    io(c.email);
    io(c.phone);
    io(c.decision_maker);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Deal>
void fields(IO& io, R& d) {
    fields(io, d.meta);
    io(d.pipeline_id);
    io(d.stage_id);
    io(d.position);
    io(d.title);
    io(d.organization);
    io(d.contacts);
    io(d.value);
    io(d.probability);
    io(d.expected_close);
    io(d.lead_source);
    io(d.industry);
    io(d.owner_id);
    io(d.labels);
    io(d.notes);
    io(d.status);
    io(d.lost_reason);
    io(d.revisit_on);
    io(d.closed_at);
    io(d.stage_entered_at);
    io(d.checklist_done);
    io(d.contract_end);
    io(d.upsell_notes);
    io(d.referred_by_deal_id);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, Activity>
void fields(IO& io, R& a) {
    fields(io, a.meta);
    io(a.deal_id);
    io(a.type);
    io(a.subject);
    io(a.due);
    io(a.has_time);
    io(a.done);
    io(a.done_at);
    io(a.note);
}

template <class IO, class R>
requires std::is_same_v<std::remove_const_t<R>, HistoryEvent>
void fields(IO& io, R& h) {
    fields(io, h.meta);
    io(h.deal_id);
    io(h.at);
    io(h.kind);
    io(h.from_stage_id);
    io(h.to_stage_id);
    io(h.from_status);
    io(h.to_status);
    io(h.by_rep_id);
    io(h.detail);
}

// Ids are 32 lowercase hex digits, and they are most of a workspace's text: a string of an
// even number of lowercase hex digits is kept as the bytes they spell, half its size.
bool spells_bytes(const std::string& text) {
    if (text.empty() || text.size() % 2 != 0) return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

int digit_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// The two hex digits of each byte value.
constexpr auto kDigitPairs = [] {
    constexpr char kDigits[] = "0123456789abcdef";
    std::array<std::array<char, 2>, 256> pairs{};
    for (std::size_t byte = 0; byte < pairs.size(); ++byte)
        pairs[byte] = {kDigits[byte >> 4], kDigits[byte & 0xF]};
    return pairs;
}();

// Integers are LEB128 varints (signed ones zigzagged), lists a varint count before their
// items, doubles their 8 bytes little-endian, optionals a 0/1 byte first. A string is a
// varint of its length in bytes, shifted left by one, whose low bit says whether the bytes
// are hex digits' (spells_bytes) or the text itself.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}

    void operator()(std::uint64_t value) {
        char bytes[10];
        int n = 0;
        while (value >= 0x80) {
            bytes[n++] = static_cast<char>((value & 0x7F) | 0x80);
            value >>= 7;
        }
        bytes[n++] = static_cast<char>(value);
        out_.append(bytes, static_cast<std::size_t>(n));
    }
    void operator()(std::int64_t value) {
        (*this)((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
    }
    void operator()(std::int32_t value) { (*this)(std::int64_t{value}); }
    void operator()(std::uint32_t value) { (*this)(std::uint64_t{value}); }
    void operator()(bool value) { out_.push_back(value ? '\1' : '\0'); }
    void operator()(double value) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        char bytes[8];
        for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(bits >> (8 * i));
        out_.append(bytes, 8);
    }
    void operator()(const std::string& text) {
        if (!spells_bytes(text)) {
            (*this)(std::uint64_t{text.size()} << 1);
            out_.append(text);
            return;
        }
        (*this)((std::uint64_t{text.size() / 2} << 1) | 1);
        for (std::size_t i = 0; i < text.size(); i += 2)
            out_.push_back(static_cast<char>(digit_value(text[i]) << 4 | digit_value(text[i + 1])));
    }
    template <class E>
    requires std::is_enum_v<E>
    void operator()(E value) { (*this)(static_cast<std::uint64_t>(value)); }
    template <class T>
    void operator()(const std::optional<T>& value) {
        (*this)(value.has_value());
        if (value) (*this)(*value);
    }
    template <class T>
    void operator()(const std::vector<T>& items) {
        (*this)(std::uint64_t{items.size()});
        for (const T& item : items) fields(*this, item);
    }

private:
    std::string& out_;
};

// Reads what Writer wrote. After the first inconsistency it reads nothing more and every
// value is its type's zero, so the record readers need no checks of their own.
class Reader {
public:
    explicit Reader(std::string_view bytes)
        : at_(bytes.data()), end_(bytes.data() + bytes.size()) {}

    bool failed() const { return failed_; }
    bool at_end() const { return at_ == end_; }
    void fail() {
        failed_ = true;
        at_ = end_;
    }

    void operator()(std::uint64_t& value) {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at_ == end_) return fail();
            const auto byte = static_cast<unsigned char>(*at_++);
            value |= std::uint64_t{byte & 0x7Fu} << shift;
            if (byte < 0x80) return;
        }
        fail();
    }
    void operator()(std::int64_t& value) {
        std::uint64_t raw = 0;
        (*this)(raw);
        value = static_cast<std::int64_t>(raw >> 1) ^ -static_cast<std::int64_t>(raw & 1);
    }
    void operator()(std::int32_t& value) {
        std::int64_t wide = 0;
        (*this)(wide);
        if (wide < INT32_MIN || wide > INT32_MAX) fail();
        value = failed_ ? 0 : static_cast<std::int32_t>(wide);
    }
    void operator()(std::uint32_t& value) {
        std::uint64_t wide = 0;
        (*this)(wide);
        if (wide > UINT32_MAX) fail();
        value = failed_ ? 0 : static_cast<std::uint32_t>(wide);
    }
    void operator()(bool& value) {
        const unsigned char byte = at_ == end_ ? 2 : static_cast<unsigned char>(*at_++);
        if (byte > 1) fail();
        value = byte == 1;
    }
    void operator()(double& value) {
        value = 0;
        if (end_ - at_ < 8) return fail();
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= std::uint64_t{static_cast<unsigned char>(at_[i])} << (8 * i);
        at_ += 8;
        std::memcpy(&value, &bits, sizeof value);
    }
    void operator()(std::string& text) {
        std::uint64_t head = 0;
        (*this)(head);
        const std::size_t size = within_bytes_left(head >> 1);
        if ((head & 1) == 0) {
            text.assign(at_, size);
        } else {
            text.resize(size * 2);
            for (std::size_t i = 0; i < size; ++i)
                std::memcpy(&text[2 * i], kDigitPairs[static_cast<unsigned char>(at_[i])].data(),
                            2);
        }
        at_ += size;
    }
    template <class E>
    requires std::is_enum_v<E>
    void operator()(E& value) {
        std::uint64_t raw = 0;
        (*this)(raw);
        if (raw > static_cast<std::uint64_t>(last_of(E{}))) fail();
        value = failed_ ? E{} : static_cast<E>(raw);
    }
    template <class T>
    void operator()(std::optional<T>& value) {
        bool present = false;
        (*this)(present);
        if (!present) return value.reset();
        (*this)(value.emplace());
    }
    // Every item takes at least one byte, so a damaged count cannot reserve more than the
    // bytes that are left.
    template <class T>
    void operator()(std::vector<T>& items) {
        const std::size_t first = items.size();
        items.resize(first + count());
        for (std::size_t i = first; i < items.size(); ++i) fields(*this, items[i]);
    }

    // A count of items, no more than the bytes that are left.
    std::size_t count() {
        std::uint64_t n = 0;
        (*this)(n);
        return within_bytes_left(n);
    }
    std::size_t within_bytes_left(std::uint64_t n) {
        if (n > static_cast<std::uint64_t>(end_ - at_)) fail();
        return failed_ ? 0 : static_cast<std::size_t>(n);
    }

private:
    static constexpr DealStatus last_of(DealStatus) { return DealStatus::Nurture; }
    static constexpr ActivityType last_of(ActivityType) { return ActivityType::Deadline; }
    static constexpr HistoryKind last_of(HistoryKind) { return HistoryKind::StatusChanged; }
    static constexpr TargetPeriod last_of(TargetPeriod) { return TargetPeriod::Quarter; }

    const char* at_;
    const char* end_;
    bool failed_ = false;
};

template <class IO, class W>
void record_lists(IO& io, W& ws) {
    io(ws.pipelines);
    io(ws.stages);
    io(ws.reps);
    io(ws.targets);
    io(ws.deals);
    io(ws.activities);
    io(ws.history);
}

}  // namespace

bool is_packed_records(std::string_view bytes) { return bytes.starts_with(kMagic); }

std::string pack_records(const Workspace& ws) {
    std::string out(kMagic);
    Writer writer(out);
    record_lists(writer, ws);
    return out;
}

std::optional<std::string> unpack_records(std::string_view bytes, Workspace& out) {
    if (!is_packed_records(bytes)) return "these are not packed records of this version";
    Reader reader(bytes.substr(kMagic.size()));
    record_lists(reader, out);
    if (reader.failed()) return "the packed records end early or hold a value out of range";
    if (!reader.at_end()) return "bytes follow the last packed record";
    return std::nullopt;
}

}  // namespace pb

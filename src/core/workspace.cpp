// The defaults of a new pipeline and the stable text names of the model's enums (used by the
// JSON format, CSV and the UI).
#include "workspace.hpp"

#include <array>

namespace pb {

const std::vector<StageTemplate>& default_stage_templates() {
    // Mid-tone colours: distinct side by side on the board and readable with dark or white text.
    static const std::vector<StageTemplate> kTemplates = {
        {"Lead In", 10, 14, 0x5B8DEFFF},        // cornflower blue
        {"Contacting", 20, 10, 0x3FB6C6FF},     // teal
        {"Qualifying", 30, 14, 0x8E7CE8FF},     // lavender
        {"Meeting/Demo", 50, 14, 0xE7A33EFF},   // amber
        {"Negotiation", 70, 21, 0xE5735AFF},    // coral
        {"Closing", 90, 14, 0x4CAF7AFF},        // green
        {"Post-Purchase", 100, 0, 0x9AA5B1FF},  // slate
    };
    return kTemplates;
}

namespace {

constexpr std::array<const char*, 4> kDealStatusNames = {"open", "won", "lost", "nurture"};
constexpr std::array<const char*, 5> kActivityTypeNames = {"call", "email", "meeting", "task",
                                                           "deadline"};
constexpr std::array<const char*, 3> kHistoryKindNames = {"created", "stage_changed",
                                                          "status_changed"};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<const char*, N>& names, std::string_view text) {
    for (std::size_t i = 0; i < N; ++i) {
        if (equals_ignoring_case(text, names[i])) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

template <std::size_t N>
const char* name_at(const std::array<const char*, N>& names, int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= N) return "unknown";
    return names[static_cast<std::size_t>(index)];
}

}  // namespace

Workspace without_records(const Workspace& ws) {
    Workspace out;
    out.id = ws.id;
    out.name = ws.name;
    out.currency = ws.currency;
    out.created = ws.created;
    out.lists = ws.lists;
    out.settings = ws.settings;
    out.unknown_fields_json = ws.unknown_fields_json;
    return out;
}

bool meet_export_counts(WorkspaceSettings& ours, const WorkspaceSettings& theirs) {
    const bool ours_ahead =
        ours.last_export_at > theirs.last_export_at ||
        (ours.last_export_at == theirs.last_export_at &&
         ours.changes_since_export > theirs.changes_since_export);
    if (!ours_ahead) {
        ours.last_export_at = theirs.last_export_at;
        ours.changes_since_export = theirs.changes_since_export;
    }
    return ours_ahead;
}

const char* to_string(DealStatus status) {
    return name_at(kDealStatusNames, static_cast<int>(status));
}

const char* to_string(ActivityType type) {
    return name_at(kActivityTypeNames, static_cast<int>(type));
}

const char* to_string(HistoryKind kind) {
    return name_at(kHistoryKindNames, static_cast<int>(kind));
}

std::optional<DealStatus> deal_status_from_string(std::string_view text) {
    return find_name<DealStatus>(kDealStatusNames, text);
}

std::optional<ActivityType> activity_type_from_string(std::string_view text) {
    return find_name<ActivityType>(kActivityTypeNames, text);
}

std::optional<HistoryKind> history_kind_from_string(std::string_view text) {
    return find_name<HistoryKind>(kHistoryKindNames, text);
}

}  // namespace pb

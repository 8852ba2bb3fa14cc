// Dates read the way people say them ("Tomorrow 09:00"), because a board is scanned, not read.
#include "ui/widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>

#include "core/ids.hpp"
#include "ui/theme.hpp"

namespace pb::ui {

namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string short_date(Day day, Day today) {
    const CivilDate date = civil_from_day(day);
    char out[32];
    if (date.year == civil_from_day(today).year)
        std::snprintf(out, sizeof out, "%d %s", date.day, kMonths[date.month - 1]);
    else
        std::snprintf(out, sizeof out, "%d %s %d", date.day, kMonths[date.month - 1], date.year);
    return out;
}

std::string clock_time(Timestamp t) {
    const Timestamp seconds = t - start_of_day(day_of(t));
    char out[8];
    std::snprintf(out, sizeof out, "%02d:%02d", static_cast<int>(seconds / 3600),
                  static_cast<int>(seconds % 3600 / 60));
    return out;
}

std::string day_count_text(int days) {
    if (days <= 0) return "today";
    return std::to_string(days) + (days == 1 ? " day" : " days");
}

std::string due_text(const Activity& activity, Timestamp now, bool compact) {
    const Day today = day_of(now);
    const Day due = day_of(activity.due);
    // Built by appending: GCC 12 warns falsely (-Wrestrict) about " " + text.
    std::string time;
    if (activity.has_time) {
        time += ' ';
        time += clock_time(activity.due);
    }
    if (!activity.done && due < today) {
        const int late = today - due;
        if (compact) return std::to_string(late) + "d overdue";
        return late == 1 ? "Yesterday" + time : "Overdue " + day_count_text(late);
    }
    if (due == today) return "Today" + time;
    if (due == today + 1) return "Tomorrow" + time;
    if (due > today && due < today + 7) return kWeekdays[weekday(due)] + time;
    return short_date(due, today) + (compact ? std::string() : time);
}

const char* activity_type_label(ActivityType type) {
    switch (type) {
        case ActivityType::Call:
            return "Call";
        case ActivityType::Email:
            return "Email";
        case ActivityType::Meeting:
            return "Meeting";
        case ActivityType::Task:
            return "Task";
        case ActivityType::Deadline:
            return "Deadline";
    }
    return "";
}

std::string initials(std::string_view name) {
    std::string out;
    bool at_word_start = true;
    for (char c : name) {
        if (c == ' ' || c == '-' || c == '.') {
            at_word_start = true;
            continue;
        }
        if (at_word_start && out.size() < 2 && static_cast<unsigned char>(c) < 0x80)
            out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
        at_word_start = false;
    }
    return out.empty() ? "?" : out;
}

std::string date_field_text(const std::optional<Day>& day) {
    return day ? format_day(*day) : std::string();
}

DayField read_day_field(std::string_view text) {
    DayField field;
    text = trimmed(text);
    if (text.empty()) return field;
    field.day = parse_day(text);
    if (!field.day) field.error = "Not a date: use a form like 2026-12-31";
    return field;
}

std::optional<int> parse_clock(std::string_view text) {
    text = trimmed(text);
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() - colon != 3)
        return std::nullopt;
    int hours = 0, minutes = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == colon) continue;
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        int& part = i < colon ? hours : minutes;
        part = part * 10 + (text[i] - '0');
    }
    if (hours > 23 || minutes > 59) return std::nullopt;
    return hours * 60 + minutes;
}

float font_px(const ImFont* font) { return font->FontSize * ImGui::GetIO().FontGlobalScale; }

float text_width(const ImFont* font, std::string_view text) {
    return font->CalcTextSizeA(font_px(font), FLT_MAX, 0.0f, text.data(), text.data() + text.size())
        .x;
}

std::string fit_text(const ImFont* font, std::string_view text, float max_width) {
    if (text_width(font, text) <= max_width) return std::string(text);
    const std::string_view ellipsis = "\xE2\x80\xA6";  // U+2026
    const float room = max_width - text_width(font, ellipsis);
    if (room <= 0) return {};
    // The longest prefix that fits, cut on a character boundary.
    std::size_t low = 0, high = text.size();
    while (low < high) {
        const std::size_t middle = (low + high + 1) / 2;
        if (text_width(font, text.substr(0, middle)) <= room)
            low = middle;
        else
            high = middle - 1;
    }
    while (low > 0 && low < text.size() && is_utf8_continuation(text[low])) --low;
    std::string out(trimmed(text.substr(0, low)));
    out += ellipsis;
    return out;
}

std::vector<std::string_view> break_at_spaces(const ImFont* font, std::string_view text,
                                              float max_width) {
    std::vector<std::string_view> lines;
    std::size_t line_start = 0;
    std::size_t last_fit = std::string_view::npos;  // end of the longest line that fits so far
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t word_end = std::min(text.find(' ', at), text.size());
        const std::string_view candidate = text.substr(line_start, word_end - line_start);
        if (text_width(font, candidate) <= max_width || last_fit == std::string_view::npos) {
            last_fit = word_end;
        } else {
            lines.push_back(text.substr(line_start, last_fit - line_start));
            line_start = last_fit + 1;
            last_fit = std::string_view::npos;
            continue;
        }
        at = word_end + 1;
    }
    lines.push_back(text.substr(line_start));
    return lines;
}

void text_wrapped(std::string_view text) {
    const float width = ImGui::GetContentRegionAvail().x;
    for (const std::string_view line : break_at_spaces(ImGui::GetFont(), text, width)) {
        ImGui::TextUnformatted(line.data(), line.data() + line.size());
    }
}

void draw_text(ImDrawList* draw, const ImFont* font, ImVec2 pos, std::uint32_t color,
               std::string_view text, float max_width) {
    const std::string fitted = fit_text(font, text, max_width);
    draw->AddText(font, font_px(font), pos, color, fitted.c_str());
}

std::uint32_t with_alpha(std::uint32_t color, float alpha) {
    const auto a = static_cast<std::uint32_t>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
    return (color & 0x00FFFFFFu) | (a << 24);
}

std::uint32_t mix(std::uint32_t a, std::uint32_t b, float t) {
    std::uint32_t out = 0;
    for (int shift = 0; shift < 32; shift += 8) {
        const float x = static_cast<float>((a >> shift) & 0xFF);
        const float y = static_cast<float>((b >> shift) & 0xFF);
        out |= static_cast<std::uint32_t>(x + (y - x) * t + 0.5f) << shift;
    }
    return out;
}

void draw_avatar(ImDrawList* draw, const ImFont* font, ImVec2 center, float radius,
                 std::string_view name) {
    static constexpr std::uint32_t kColors[] = {0x4F7CACFF, 0x7A5CC7FF, 0x2E9C7AFF, 0xC2683BFF,
                                                0xB84E8AFF, 0x4B8F3AFF, 0x3D7FC7FF, 0x9C6B2EFF};
    const std::uint32_t rgba = kColors[fnv1a64(name) % std::size(kColors)];
    draw->AddCircleFilled(center, radius, rgba_to_imgui(rgba), 20);
    const std::string letters = initials(name);
    // Two wide letters ("MW") must still sit inside the circle.
    float size = font_px(font) * 0.72f;
    ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, letters.c_str());
    const float room = radius * 1.6f;
    if (extent.x > room) {
        size *= room / extent.x;
        extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, letters.c_str());
    }
    draw->AddText(font, size, ImVec2(center.x - extent.x / 2, center.y - extent.y / 2),
                  rgba_to_imgui(0xFFFFFFFF), letters.c_str());
}

float draw_chip(ImDrawList* draw, const ImFont* font, ImVec2 pos, std::string_view text,
                std::uint32_t background, std::uint32_t foreground) {
    const float size = font_px(font) * 0.85f;
    const ImVec2 extent =
        font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.data(), text.data() + text.size());
    const float width = extent.x + 12;
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + extent.y + 4), background, 8.0f);
    draw->AddText(font, size, ImVec2(pos.x + 6, pos.y + 2), foreground, text.data(),
                  text.data() + text.size());
    return width;
}

void field_error(const std::string& error) {
    if (error.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette().danger));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(error.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void form_label(const char* label, float label_width) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette().text_muted), "%s", label);
    ImGui::SameLine(label_width);
    ImGui::SetNextItemWidth(-FLT_MIN);
}

bool primary_button(const char* label, ImVec2 size) {
    const Palette& p = palette();
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(p.accent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                          ImGui::ColorConvertU32ToFloat4(mix(p.accent, p.text, 0.15f)));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                          ImGui::ColorConvertU32ToFloat4(mix(p.accent, p.text, 0.3f)));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.on_accent));
    const bool pressed = ImGui::Button(label, size);
    ImGui::PopStyleColor(4);
    return pressed;
}

bool danger_button(const char* label, ImVec2 size) {
    const Palette& p = palette();
    ImGui::PushStyleColor(ImGuiCol_Button,
                          ImGui::ColorConvertU32ToFloat4(with_alpha(p.danger, 0.12f)));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                          ImGui::ColorConvertU32ToFloat4(with_alpha(p.danger, 0.22f)));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                          ImGui::ColorConvertU32ToFloat4(with_alpha(p.danger, 0.32f)));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.danger));
    const bool pressed = ImGui::Button(label, size);
    ImGui::PopStyleColor(4);
    return pressed;
}

void focus_next_widget() {
    ImGui::FocusWindow(ImGui::GetCurrentWindow());
    ImGui::SetKeyboardFocusHere();
}

void same_line_right_aligned(float width) {
    const float last_right =
        ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetScrollX();
    const float start = ImGui::GetWindowContentRegionMax().x - width;
    ImGui::SameLine(std::max(start, last_right + ImGui::GetStyle().ItemSpacing.x));
}

void hover_tooltip(const char* text) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayShort | ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", text);
}

ImVec4 rgba_to_float(std::uint32_t rgba) {
    return ImVec4(static_cast<float>((rgba >> 24) & 0xFF) / 255.0f,
                  static_cast<float>((rgba >> 16) & 0xFF) / 255.0f,
                  static_cast<float>((rgba >> 8) & 0xFF) / 255.0f,
                  static_cast<float>(rgba & 0xFF) / 255.0f);
}

std::uint32_t float_to_rgba(const float color[4]) {
    std::uint32_t out = 0;
    for (int i = 0; i < 4; ++i) {
        const auto channel =
            static_cast<std::uint32_t>(std::clamp(color[i], 0.0f, 1.0f) * 255.0f + 0.5f);
        out = (out << 8) | channel;
    }
    return out;
}

}  // namespace pb::ui

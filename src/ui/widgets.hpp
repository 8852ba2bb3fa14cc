// Small pieces every view shares: how dates, times, money and people are written on screen,
// text that ends in an ellipsis instead of spilling over, field errors, chips and icon buttons.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/money.hpp"
#include "core/workspace.hpp"
#include "ui/fonts.hpp"
#include "ui/ui_rects.hpp"

namespace pb::ui {

// [SECTION] Text on screen

// "7 Dec", or "7 Dec 2027" when not in the year of `today`.
std::string short_date(Day day, Day today);
// "14:05" (UTC, as every time in the workspace).
std::string clock_time(Timestamp t);
// When an activity is due, as a rep reads it: "Today 14:00", "Tomorrow", "Overdue 3 days",
// "Fri 12 Dec". `compact` is for card faces: "3d overdue", and no time beyond this week.
std::string due_text(const Activity& activity, Timestamp now, bool compact = false);
// "3 days", "1 day", "today"; for time spent or time since.
std::string day_count_text(int days);
const char* activity_type_label(ActivityType type);
// "AT" for "Ava Thompson", "?" for an empty name.
std::string initials(std::string_view name);
// What a date field holds: "" for none, else YYYY-MM-DD.
std::string date_field_text(const std::optional<Day>& day);

// [SECTION] Reading fields
struct DayField {
    std::optional<Day> day;  // empty text reads as no date
    std::string error;       // set when the text is not a date
};
DayField read_day_field(std::string_view text);
// Minutes after midnight from "14:05" / "9:30"; nullopt when not a time.
std::optional<int> parse_clock(std::string_view text);

// [SECTION] Drawing
float font_px(const ImFont* font);
// `text` cut to `max_width` pixels with a trailing ellipsis when it does not fit.
std::string fit_text(const ImFont* font, std::string_view text, float max_width);
float text_width(const ImFont* font, std::string_view text);
// `text` broken into lines no wider than `max_width`, only at spaces: ImGui's own wrapping
// also breaks after commas and full stops, which splits "$1,196,467" across lines. A word
// wider than the line keeps a line to itself.
std::vector<std::string_view> break_at_spaces(const ImFont* font, std::string_view text,
                                              float max_width);
// Wrapped text in the current window, broken as break_at_spaces does.
void text_wrapped(std::string_view text);
void draw_text(ImDrawList* draw, const ImFont* font, ImVec2 pos, std::uint32_t color,
               std::string_view text, float max_width);
std::uint32_t with_alpha(std::uint32_t color, float alpha);
// Mixes two ImGui colours; t = 0 gives `a`.
std::uint32_t mix(std::uint32_t a, std::uint32_t b, float t);
// A filled circle with the person's initials, its colour derived from the name.
void draw_avatar(ImDrawList* draw, const ImFont* font, ImVec2 center, float radius,
                 std::string_view name);
// A rounded label chip drawn at `pos`; returns its width.
float draw_chip(ImDrawList* draw, const ImFont* font, ImVec2 pos, std::string_view text,
                std::uint32_t background, std::uint32_t foreground);

// [SECTION] Widgets
// The error under a field, in the danger colour; nothing when `error` is empty.
void field_error(const std::string& error);
// A left-hand label for a form row; the widget that follows takes the rest of the row.
void form_label(const char* label, float label_width);
// A button in the accent colour, for the one main action of a form.
bool primary_button(const char* label, ImVec2 size = ImVec2(0, 0));
// A quiet button showing the danger colour, for destructive actions.
bool danger_button(const char* label, ImVec2 size = ImVec2(0, 0));
// Puts the keyboard in the next widget. Focuses its window first: Dear ImGui 1.90.1 only lands
// SetKeyboardFocusHere in the focus scope that already has the keyboard.
void focus_next_widget();
// Continues the line so that an item `width` wide ends at the right edge of the window, or just
// after the last item when there is no room.
void same_line_right_aligned(float width);
// Shows `text` in a tooltip when the last item is hovered.
void hover_tooltip(const char* text);

// RGBA (as stored on stages) to ImGui's float colour and back.
ImVec4 rgba_to_float(std::uint32_t rgba);
std::uint32_t float_to_rgba(const float color[4]);

}  // namespace pb::ui

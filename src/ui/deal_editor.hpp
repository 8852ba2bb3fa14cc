// The deal editor, a side panel (full screen on a phone): every field of the deal, contacts,
// labels, notes, the stage's exit checklist, activities, the stage history as a timeline, and
// for customers the contract, upsell notes and referrals. Each field is saved when it is left;
// a value that does not validate shows its error beside the field and is not saved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/workspace.hpp"
#include "core/workspace_index.hpp"

namespace pb::ui {

class PipeboardApp;
class UiRects;

// One row of the stage timeline: a stretch of time the deal spent in one stage.
struct StageStay {
    Id stage_id;
    Timestamp entered = 0;
    Timestamp left = 0;  // `now` for the current stage
    int days = 0;        // whole calendar days spent
};
// The stays of a deal from its history, oldest first; consecutive events in the same stage
// make one stay.
std::vector<StageStay> stage_stays(const WorkspaceIndex& index, const Deal& deal, Timestamp now);

class DealEditor {
public:
    enum class Tab { Details, Contacts, Activities, History, Customer };

    void open(const Id& deal_id);
    void close();
    bool is_open() const { return !deal_id_.empty(); }
    const Id& deal_id() const { return deal_id_; }
    void show_tab(Tab tab) {
        requested_tab_ = tab;
        has_requested_tab_ = true;
    }
    // The panel's width for a window of `viewport_width` pixels.
    static float panel_width(float viewport_width, bool narrow);
    void draw(PipeboardApp& app, Timestamp now);

private:
    struct Field {
        std::string text;
        std::string error;
    };
    struct ContactFields {
        Field name, role, email, phone;
    };

    // The field's error under it, named "error:<name>" among the screen rectangles.
    static void show_error(UiRects& rects, const Field& field, const char* name);
    void load(PipeboardApp& app, const Deal& deal, bool keep_errors);
    void draw_header(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_details(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_contacts(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_activities(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_plan_form(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_history(PipeboardApp& app, const Deal& deal, Timestamp now);
    void draw_customer(PipeboardApp& app, const Deal& deal, Timestamp now);
    bool save(PipeboardApp& app, const Deal& edited, Field& field, Timestamp now);
    void notes_field(PipeboardApp& app, const Deal& deal, Field& field, std::string Deal::*member,
                     float height, const std::string& name, Timestamp now);
    void refresh_referrals(PipeboardApp& app);

    Id deal_id_;
    std::uint64_t loaded_version_ = 0;
    bool has_requested_tab_ = false;
    Tab requested_tab_ = Tab::Details;

    Field title_, organization_, value_, probability_, expected_close_, notes_;
    Field contract_end_, upsell_notes_;
    std::vector<ContactFields> contacts_;

    // Planning an activity.
    bool planning_ = false;
    bool plan_focus_ = false;
    ActivityType plan_type_ = ActivityType::Call;
    std::string plan_subject_, plan_date_, plan_time_;
    std::string plan_error_;
    // After an activity is marked done the editor offers to plan the next one.
    bool offer_next_ = false;

    // Referrals this customer gave, found by a scan cached until the workspace changes.
    std::vector<std::size_t> referrals_;
    std::uint64_t referrals_version_ = 0;
    Id referrals_deal_;
    bool adding_referral_ = false;
    std::string referral_title_, referral_organization_, referral_contact_, referral_value_;
    std::string referral_error_;
};

}  // namespace pb::ui

// The command layer: validation, the records and history each command writes, and undo/redo.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <string_view>

#include "core/commands.hpp"
#include "core/revision.hpp"

using namespace pb;

namespace {

constexpr Timestamp kStart = 1795910400 - 6 * kSecondsPerDay + 9 * 3600;  // Mon 2026-11-23 09:00
constexpr Day kToday = 20780;                                             // 2026-11-23
constexpr Timestamp kHour = 3600;

// A workspace with the default pipeline and one rep, Alice, acting.
struct Board {
    IdGenerator ids{21};
    Workspace ws;
    Session session;
    Id alice;

    Board() : ws(make_workspace("Acme Sales", ids, kStart)), session(ws, ids) {
        Rep rep;
        rep.name = "Alice";
        rep.email = "alice@example.com";
        const CommandResult added = session.apply(cmd::AddRep{rep}, kStart);
        REQUIRE(added.ok);
        alice = added.created_id;
        session.set_acting_rep(alice);
    }

    const Stage& stage(std::string_view name) const {
        for (const Stage& stage : ws.stages) {
            if (stage.name == name && !stage.meta.deleted) return stage;
        }
        FAIL("no stage " << name);
        return ws.stages.front();
    }
    Id stage_id(std::string_view name) const { return stage(name).meta.id; }

    Id add_deal(std::string title, std::string_view stage_name = "Lead In", Money value = 0,
                Timestamp at = kStart) {
        Deal deal;
        deal.title = std::move(title);
        deal.stage_id = stage_id(stage_name);
        deal.value = value;
        const CommandResult result = session.apply(cmd::CreateDeal{deal}, at);
        REQUIRE_MESSAGE(result.ok, result.error);
        return result.created_id;
    }

    Id add_activity(const Id& deal_id, std::string subject, Timestamp due) {
        Activity activity;
        activity.deal_id = deal_id;
        activity.subject = std::move(subject);
        activity.due = due;
        const CommandResult result = session.apply(cmd::CreateActivity{activity}, kStart);
        REQUIRE_MESSAGE(result.ok, result.error);
        return result.created_id;
    }

    const Deal& deal(const Id& id) const { return ws.deals[*session.index().deal_index(id)]; }
    const Stage& stage_by_id(const Id& id) const {
        return ws.stages[*session.index().stage_index(id)];
    }
    const Activity& activity(const Id& id) const {
        return ws.activities[*session.index().activity_index(id)];
    }

    std::vector<std::string> column(std::string_view stage_name) const {
        std::vector<std::string> titles;
        for (const Deal& deal : session.index().deals_in_stage(stage_id(stage_name))) {
            titles.push_back(deal.title);
        }
        return titles;
    }

    std::vector<std::string> stage_names() const {
        std::vector<std::string> names;
        for (const Stage& stage : session.index().stages_of(ws.pipelines[0].meta.id)) {
            names.push_back(stage.name);
        }
        return names;
    }
};

// Every record's identity, revision and content, to show a failed command touched nothing.
std::string snapshot(const Workspace& ws) {
    std::string text = ws.name + "|" + ws.currency.code + "|";
    const auto add = [&](const auto& records) {
        for (const auto& record : records) {
            text += record.meta.id + ":" + record.meta.rev + ":" +
                    std::to_string(content_hash(record)) + ";";
        }
        text += "|";
    };
    add(ws.pipelines);
    add(ws.stages);
    add(ws.reps);
    add(ws.targets);
    add(ws.deals);
    add(ws.activities);
    add(ws.history);
    for (const auto* list :
         {&ws.lists.lead_sources, &ws.lists.industries, &ws.lists.lost_reasons, &ws.lists.labels}) {
        for (const std::string& entry : *list) text += entry + ",";
        text += "|";
    }
    return text;
}

// The content of the live records (ignoring revisions), to compare states across undo/redo.
std::vector<std::uint64_t> live_content(const Workspace& ws) {
    std::vector<std::uint64_t> hashes;
    const auto add = [&](const auto& records) {
        for (const auto& record : records) {
            if (!record.meta.deleted) hashes.push_back(content_hash(record));
        }
    };
    add(ws.pipelines);
    add(ws.stages);
    add(ws.reps);
    add(ws.targets);
    add(ws.deals);
    add(ws.activities);
    add(ws.history);
    std::sort(hashes.begin(), hashes.end());
    std::string properties = ws.name + "|" + ws.currency.code + "|" + ws.currency.symbol + "|" +
                             std::to_string(ws.currency.minor_digits);
    for (const auto* list :
         {&ws.lists.lead_sources, &ws.lists.industries, &ws.lists.lost_reasons, &ws.lists.labels}) {
        for (const std::string& entry : *list) properties += entry + ",";
        properties += "|";
    }
    hashes.push_back(fnv1a64(properties));
    return hashes;
}

std::vector<const HistoryEvent*> history(const Board& board, const Id& deal_id) {
    std::vector<const HistoryEvent*> events;
    for (const HistoryEvent& event : board.session.index().history_of(deal_id)) {
        events.push_back(&event);
    }
    return events;
}

// Applies a command expected to fail and checks nothing changed.
void check_rejected(Board& board, const Command& command, std::string_view error) {
    const std::string before = snapshot(board.ws);
    const std::string undo_label = board.session.undo_label();
    const CommandResult result = board.session.apply(command, kStart + kHour);
    CHECK_FALSE(result.ok);
    CHECK(result.error == error);
    CHECK(result.changes.empty());
    CHECK(snapshot(board.ws) == before);
    CHECK(board.session.undo_label() == undo_label);
}

}  // namespace

TEST_SUITE("commands: deals") {
    TEST_CASE("a new deal goes to the end of the first stage with a Created event") {
        Board board;
        const Id first = board.add_deal("Acme renewal", "Lead In", 1200000);
        Deal deal;
        deal.title = "  Globex expansion  ";
        deal.pipeline_id = board.ws.pipelines[0].meta.id;
        const CommandResult result = board.session.apply(cmd::CreateDeal{deal}, kStart + kHour);
        REQUIRE(result.ok);
        CHECK(result.label == "Add deal 'Globex expansion'");
        CHECK(result.error.empty());
        REQUIRE(result.changes.deals.size() == 1);
        CHECK_FALSE(result.changes.deals[0].before);
        REQUIRE(result.changes.history.size() == 1);

        const Deal& created = board.deal(result.created_id);
        CHECK(created.title == "Globex expansion");
        CHECK(created.stage_id == board.stage_id("Lead In"));
        CHECK(created.status == DealStatus::Open);
        CHECK(created.owner_id == board.alice);
        CHECK(created.stage_entered_at == kStart + kHour);
        CHECK(created.meta.created == kStart + kHour);
        CHECK(revision_number(created.meta.rev) == 1);
        CHECK(created.position > board.deal(first).position);
        CHECK(board.column("Lead In") ==
              std::vector<std::string>{"Acme renewal", "Globex expansion"});

        const auto events = history(board, result.created_id);
        REQUIRE(events.size() == 1);
        CHECK(events[0]->kind == HistoryKind::Created);
        CHECK(events[0]->to_stage_id == board.stage_id("Lead In"));
        CHECK(events[0]->from_stage_id.empty());
        CHECK(events[0]->at == kStart + kHour);
        CHECK(events[0]->by_rep_id == board.alice);
    }

    TEST_CASE("a deal can be created in a named stage, taking that stage's pipeline") {
        Board board;
        const Id id = board.add_deal("Initech", "Negotiation", 500);
        CHECK(board.deal(id).stage_id == board.stage_id("Negotiation"));
        CHECK(board.deal(id).pipeline_id == board.ws.pipelines[0].meta.id);
        CHECK(board.deal(id).value == 500);
    }

    TEST_CASE("invalid new deals are rejected with the field named and nothing changed") {
        Board board;
        board.add_deal("Existing");
        REQUIRE(board.session.apply(cmd::AddPipeline{"Partners", true}, kStart).ok);
        Deal good;
        good.title = "Acme";
        good.stage_id = board.stage_id("Lead In");

        Deal blank = good;
        blank.title = "   ";
        check_rejected(board, cmd::CreateDeal{blank}, "Title is required");
        Deal negative = good;
        negative.value = -1;
        check_rejected(board, cmd::CreateDeal{negative}, "Value must be zero or more");
        Deal too_likely = good;
        too_likely.probability = 101;
        check_rejected(board, cmd::CreateDeal{too_likely}, "Probability must be between 0 and 100");
        Deal unlikely = good;
        unlikely.probability = -1;
        check_rejected(board, cmd::CreateDeal{unlikely}, "Probability must be between 0 and 100");
        Deal nowhere = good;
        nowhere.stage_id = "no-such-stage";
        check_rejected(board, cmd::CreateDeal{nowhere}, "Stage does not exist");
        Deal no_pipeline;
        no_pipeline.title = "Acme";
        no_pipeline.pipeline_id = "no-such-pipeline";
        check_rejected(board, cmd::CreateDeal{no_pipeline}, "Pipeline does not exist");
        Deal owner = good;
        owner.owner_id = "nobody";
        check_rejected(board, cmd::CreateDeal{owner}, "Owner does not exist");

        // The second pipeline's "Lead In" does not belong to the sales pipeline.
        Deal crossed = good;
        crossed.pipeline_id = board.ws.pipelines[0].meta.id;
        crossed.stage_id = board.ws.stages.back().meta.id;
        REQUIRE(board.ws.stages.back().pipeline_id == board.ws.pipelines[1].meta.id);
        check_rejected(board, cmd::CreateDeal{crossed},
                       "Stage 'Post-Purchase' is not in pipeline 'Sales pipeline'");
    }

    TEST_CASE("editing a deal revises it; stage and status changes are refused") {
        Board board;
        const Id id = board.add_deal("Acme renewal", "Qualifying", 100000);
        const std::string first_rev = board.deal(id).meta.rev;

        Deal edited = board.deal(id);
        edited.value = 250000;
        edited.organization = "Acme Corp";
        edited.probability = 40;
        const CommandResult result = board.session.apply(cmd::EditDeal{edited}, kStart + kHour);
        REQUIRE(result.ok);
        CHECK(result.label == "Edit 'Acme renewal'");
        const Deal& stored = board.deal(id);
        CHECK(stored.value == 250000);
        CHECK(stored.organization == "Acme Corp");
        CHECK(board.session.index().stage_probability(stored) == 40);
        CHECK(revision_number(stored.meta.rev) == 2);
        CHECK(stored.meta.parent_rev == first_rev);
        CHECK(stored.meta.updated == kStart + kHour);
        CHECK(stored.meta.created == kStart);
        CHECK(history(board, id).size() == 1);  // an edit is not a history event

        Deal moved = board.deal(id);
        moved.stage_id = board.stage_id("Closing");
        check_rejected(board, cmd::EditDeal{moved}, "Stage changes go through moving the deal");
        Deal won = board.deal(id);
        won.status = DealStatus::Won;
        check_rejected(board, cmd::EditDeal{won},
                       "Status changes go through win, lose, nurture or reopen");
        Deal negative = board.deal(id);
        negative.value = -5;
        check_rejected(board, cmd::EditDeal{negative}, "Value must be zero or more");
        Deal missing = board.deal(id);
        missing.meta.id = "nope";
        check_rejected(board, cmd::EditDeal{missing}, "Deal does not exist");
        Deal sneaky_delete = board.deal(id);
        sneaky_delete.meta.deleted = true;
        sneaky_delete.notes = "n";
        REQUIRE(board.session.apply(cmd::EditDeal{sneaky_delete}, kStart).ok);
        CHECK(board.session.index().find_deal(id) != nullptr);
    }

    TEST_CASE("an edit that changes nothing succeeds without an undo step") {
        Board board;
        const Id id = board.add_deal("Acme renewal");
        const std::string label = board.session.undo_label();
        const CommandResult result = board.session.apply(cmd::EditDeal{board.deal(id)}, kStart);
        CHECK(result.ok);
        CHECK(result.changes.empty());
        CHECK(board.session.undo_label() == label);
        CHECK(revision_number(board.deal(id).meta.rev) == 1);
    }

    TEST_CASE("moving a deal records the stage change and resets its stage clock") {
        Board board;
        Stage lead_in = board.stage("Lead In");
        lead_in.exit_criteria = {"Budget confirmed", "Decision maker known"};
        REQUIRE(board.session.apply(cmd::EditStage{lead_in}, kStart).ok);
        const Id id = board.add_deal("Acme renewal");
        Deal ticked = board.deal(id);
        ticked.checklist_done = {"Budget confirmed"};
        REQUIRE(board.session.apply(cmd::EditDeal{ticked}, kStart).ok);

        const Timestamp later = kStart + 3 * kSecondsPerDay;
        const CommandResult result =
            board.session.apply(cmd::MoveDeal{id, board.stage_id("Negotiation"), {}}, later);
        REQUIRE(result.ok);
        CHECK(result.label == "Move 'Acme renewal' to Negotiation");
        CHECK(result.warning == "1 of 2 exit criteria of 'Lead In' were not done");
        const Deal& moved = board.deal(id);
        CHECK(moved.stage_id == board.stage_id("Negotiation"));
        CHECK(moved.stage_entered_at == later);
        CHECK(moved.checklist_done.empty());
        CHECK(board.session.index().days_in_stage(moved, later) == 0);
        CHECK(board.column("Lead In").empty());
        CHECK(board.column("Negotiation") == std::vector<std::string>{"Acme renewal"});

        const auto events = history(board, id);
        REQUIRE(events.size() == 2);
        CHECK(events[1]->kind == HistoryKind::StageChanged);
        CHECK(events[1]->from_stage_id == board.stage_id("Lead In"));
        CHECK(events[1]->to_stage_id == board.stage_id("Negotiation"));
        CHECK(events[1]->at == later);
        CHECK(events[1]->by_rep_id == board.alice);
        CHECK(events[1]->from_status == DealStatus::Open);
        CHECK(events[1]->to_status == DealStatus::Open);
    }

    TEST_CASE("a move with every exit criterion done, or none defined, has no warning") {
        Board board;
        Stage lead_in = board.stage("Lead In");
        lead_in.exit_criteria = {"Budget confirmed"};
        REQUIRE(board.session.apply(cmd::EditStage{lead_in}, kStart).ok);
        const Id id = board.add_deal("Acme renewal");
        Deal ticked = board.deal(id);
        ticked.checklist_done = {"Budget confirmed"};
        REQUIRE(board.session.apply(cmd::EditDeal{ticked}, kStart).ok);
        const CommandResult first =
            board.session.apply(cmd::MoveDeal{id, board.stage_id("Contacting"), {}}, kStart);
        REQUIRE(first.ok);
        CHECK(first.warning.empty());
        const CommandResult second =
            board.session.apply(cmd::MoveDeal{id, board.stage_id("Closing"), {}}, kStart);
        REQUIRE(second.ok);
        CHECK(second.warning.empty());
    }

    TEST_CASE("moving into a column before a given deal") {
        Board board;
        board.add_deal("First", "Contacting");
        const Id last = board.add_deal("Last", "Contacting");
        const Id mover = board.add_deal("Mover");
        REQUIRE(
            board.session.apply(cmd::MoveDeal{mover, board.stage_id("Contacting"), last}, kStart)
                .ok);
        CHECK(board.column("Contacting") == std::vector<std::string>{"First", "Mover", "Last"});

        const Id outsider = board.add_deal("Outsider", "Closing");
        check_rejected(board, cmd::MoveDeal{mover, board.stage_id("Qualifying"), outsider},
                       "The deal to place it before is not in that stage");
        check_rejected(board, cmd::MoveDeal{mover, "no-such-stage", {}}, "Stage does not exist");
        check_rejected(board, cmd::MoveDeal{"nope", board.stage_id("Closing"), {}},
                       "Deal does not exist");
    }

    TEST_CASE("reordering sets a position between the neighbours") {
        Board board;
        const Id a = board.add_deal("A");
        const Id b = board.add_deal("B");
        const Id c = board.add_deal("C");
        const CommandResult result = board.session.apply(cmd::ReorderDeal{c, b}, kStart);
        REQUIRE(result.ok);
        CHECK(result.label == "Reorder 'C'");
        CHECK(result.changes.deals.size() == 1);  // one move touches one record
        CHECK(result.changes.history.empty());
        CHECK(board.column("Lead In") == std::vector<std::string>{"A", "C", "B"});
        CHECK(board.deal(c).position > board.deal(a).position);
        CHECK(board.deal(c).position < board.deal(b).position);

        REQUIRE(board.session.apply(cmd::ReorderDeal{a, {}}, kStart).ok);
        CHECK(board.column("Lead In") == std::vector<std::string>{"C", "B", "A"});
        REQUIRE(board.session.apply(cmd::ReorderDeal{a, c}, kStart).ok);
        CHECK(board.column("Lead In") == std::vector<std::string>{"A", "C", "B"});
        check_rejected(board, cmd::ReorderDeal{a, a},
                       "The deal to place it before is not in that stage");
    }

    TEST_CASE("reordering among equal positions numbers the column afresh") {
        Board board;
        const Id a = board.add_deal("A");
        const Id b = board.add_deal("B");
        const Id c = board.add_deal("C");
        // As after an import: every deal at position 0.
        for (Deal& deal : board.ws.deals) deal.position = 0;
        board.session.reset();
        const CommandResult result = board.session.apply(cmd::ReorderDeal{c, b}, kStart);
        REQUIRE(result.ok);
        CHECK(board.column("Lead In") == std::vector<std::string>{"A", "C", "B"});
        CHECK(board.deal(a).position == 1);
        CHECK(board.deal(c).position == 2);
        CHECK(board.deal(b).position == 3);
        CHECK(result.changes.deals.size() == 3);
    }

    TEST_CASE("a column with a position that is not a number is renumbered, not poisoned") {
        Board board;
        const Id a = board.add_deal("A");
        const Id b = board.add_deal("B");
        board.ws.deals[*board.session.index().deal_index(b)].position =
            std::numeric_limits<double>::quiet_NaN();
        board.session.reset();
        const Id c = board.add_deal("C");
        CHECK(board.column("Lead In") == std::vector<std::string>{"A", "B", "C"});
        CHECK(board.deal(a).position == 1);
        CHECK(board.deal(b).position == 2);
        CHECK(board.deal(c).position == 3);
    }

    TEST_CASE("winning a deal, optionally confirming value and close date") {
        Board board;
        const Id id =
            board.add_deal("Acme renewal", "Closing", 100000, kStart - 5 * kSecondsPerDay);
        const Timestamp now = kStart + 2 * kHour;
        const CommandResult result = board.session.apply(cmd::WinDeal{id, 120000, kToday - 2}, now);
        REQUIRE(result.ok);
        CHECK(result.label == "Mark 'Acme renewal' as won");
        const Deal& won = board.deal(id);
        CHECK(won.status == DealStatus::Won);
        CHECK(won.value == 120000);
        CHECK(won.closed_at == start_of_day(kToday - 2));
        CHECK_FALSE(board.session.index().is_rotting(won, now + 100 * kSecondsPerDay));
        const auto events = history(board, id);
        REQUIRE(events.size() == 2);
        CHECK(events[1]->kind == HistoryKind::StatusChanged);
        CHECK(events[1]->from_status == DealStatus::Open);
        CHECK(events[1]->to_status == DealStatus::Won);
        CHECK(events[1]->at == start_of_day(kToday - 2));
        CHECK(events[1]->from_stage_id == board.stage_id("Closing"));
        CHECK(events[1]->to_stage_id == board.stage_id("Closing"));
        CHECK(events[1]->by_rep_id == board.alice);

        check_rejected(board, cmd::WinDeal{id, {}, {}}, "'Acme renewal' is already won");
        const Id other = board.add_deal("Globex");
        check_rejected(board, cmd::WinDeal{other, {}, kToday + 1},
                       "Close date cannot be in the future");
        check_rejected(board, cmd::WinDeal{other, -1, {}}, "Value must be zero or more");
        check_rejected(board, cmd::WinDeal{other, {}, kToday - 1},
                       "Close date cannot be before the deal was created");
        check_rejected(board, cmd::WinDeal{"nope", {}, {}}, "Deal does not exist");

        REQUIRE(board.session.apply(cmd::WinDeal{other, {}, kToday}, now).ok);
        CHECK(board.deal(other).closed_at == now);
        CHECK(board.deal(other).value == 0);
    }

    TEST_CASE("losing a deal needs a reason, which the history keeps") {
        Board board;
        const Id id = board.add_deal("Acme renewal", "Negotiation");
        check_rejected(board, cmd::LoseDeal{id, "   ", {}}, "Lost reason is required");
        const CommandResult result =
            board.session.apply(cmd::LoseDeal{id, " Price ", {}}, kStart + kHour);
        REQUIRE(result.ok);
        CHECK(result.label == "Mark 'Acme renewal' as lost");
        const Deal& lost = board.deal(id);
        CHECK(lost.status == DealStatus::Lost);
        CHECK(lost.lost_reason == "Price");
        CHECK(lost.closed_at == kStart + kHour);
        const auto events = history(board, id);
        REQUIRE(events.size() == 2);
        CHECK(events[1]->to_status == DealStatus::Lost);
        CHECK(events[1]->detail == "Price");
        check_rejected(board, cmd::LoseDeal{id, "Timing", {}}, "'Acme renewal' is already lost");
    }

    TEST_CASE("nurture needs a revisit date that is not in the past") {
        Board board;
        const Id id = board.add_deal("Acme renewal");
        check_rejected(board, cmd::NurtureDeal{id, {}}, "Revisit date is required");
        check_rejected(board, cmd::NurtureDeal{id, kToday - 1},
                       "Revisit date cannot be in the past");
        const CommandResult result = board.session.apply(cmd::NurtureDeal{id, kToday + 60}, kStart);
        REQUIRE(result.ok);
        CHECK(result.label == "Move 'Acme renewal' to nurture");
        CHECK(board.deal(id).status == DealStatus::Nurture);
        CHECK(board.deal(id).revisit_on == kToday + 60);
        CHECK(history(board, id).back()->to_status == DealStatus::Nurture);
        check_rejected(board, cmd::NurtureDeal{id, kToday + 70},
                       "'Acme renewal' is already in nurture");
    }

    TEST_CASE("reopening a lost deal clears the close and restarts its stage clock") {
        Board board;
        const Id id = board.add_deal("Acme renewal", "Qualifying");
        check_rejected(board, cmd::ReopenDeal{id}, "'Acme renewal' is already open");
        REQUIRE(board.session.apply(cmd::LoseDeal{id, "Timing", {}}, kStart).ok);
        const Timestamp later = kStart + 40 * kSecondsPerDay;
        const CommandResult result = board.session.apply(cmd::ReopenDeal{id}, later);
        REQUIRE(result.ok);
        CHECK(result.label == "Reopen 'Acme renewal'");
        const Deal& reopened = board.deal(id);
        CHECK(reopened.status == DealStatus::Open);
        CHECK(reopened.lost_reason.empty());
        CHECK_FALSE(reopened.closed_at);
        CHECK(reopened.stage_entered_at == later);
        CHECK_FALSE(board.session.index().is_rotting(reopened, later + kSecondsPerDay));
        const auto events = history(board, id);
        REQUIRE(events.size() == 3);
        CHECK(events[2]->from_status == DealStatus::Lost);
        CHECK(events[2]->to_status == DealStatus::Open);
    }

    TEST_CASE("deleting a deal tombstones it and its activities, keeping its history") {
        Board board;
        const Id id = board.add_deal("Acme renewal", "Contacting");
        const Id keep = board.add_deal("Globex", "Contacting");
        const Id call = board.add_activity(id, "Call Wile", kStart + kHour);
        const Id mail = board.add_activity(id, "Send proposal", kStart + 2 * kHour);
        const Id other = board.add_activity(keep, "Demo", kStart + kHour);
        const CommandResult result = board.session.apply(cmd::DeleteDeal{id}, kStart);
        REQUIRE(result.ok);
        CHECK(result.label == "Delete 'Acme renewal'");
        CHECK(board.deal(id).meta.deleted);
        CHECK(revision_number(board.deal(id).meta.rev) == 2);
        CHECK(board.activity(call).meta.deleted);
        CHECK(board.activity(mail).meta.deleted);
        CHECK_FALSE(board.activity(other).meta.deleted);
        CHECK(board.session.index().find_deal(id) == nullptr);
        CHECK(board.session.index().activities_of(id).empty());
        CHECK(board.column("Contacting") == std::vector<std::string>{"Globex"});
        CHECK(history(board, id).size() == 1);
        check_rejected(board, cmd::DeleteDeal{id}, "Deal does not exist");
    }

    TEST_CASE("a referral becomes a new lead in the first stage") {
        Board board;
        const Id source = board.add_deal("Acme renewal", "Post-Purchase", 900000);
        Contact contact;
        contact.name = "Wile E.";
        contact.email = "wile@initech.example";
        const CommandResult result = board.session.apply(
            cmd::CreateReferralLead{source, "Initech intro", "Initech", contact, 50000, {}},
            kStart);
        REQUIRE(result.ok);
        CHECK(result.label == "Add referral lead 'Initech intro'");
        const Deal& lead = board.deal(result.created_id);
        CHECK(lead.stage_id == board.stage_id("Lead In"));
        CHECK(lead.lead_source == "Referral");
        CHECK(lead.referred_by_deal_id == source);
        CHECK(lead.owner_id == board.deal(source).owner_id);
        CHECK(lead.organization == "Initech");
        CHECK(lead.value == 50000);
        REQUIRE(lead.contacts.size() == 1);
        CHECK(lead.contacts[0].email == "wile@initech.example");
        CHECK(history(board, result.created_id).front()->kind == HistoryKind::Created);
        check_rejected(board, cmd::CreateReferralLead{"nope", "X", "", {}, 0, {}},
                       "Referring deal does not exist");
        check_rejected(board, cmd::CreateReferralLead{source, " ", "", {}, 0, {}},
                       "Title is required");
    }
}

TEST_SUITE("commands: activities") {
    TEST_CASE("creating, completing, editing and deleting activities") {
        Board board;
        const Id deal = board.add_deal("Acme renewal");
        Activity call;
        call.deal_id = deal;
        call.subject = " ";
        call.due = kStart + kHour;
        check_rejected(board, cmd::CreateActivity{call}, "Subject is required");
        call.subject = "Call";
        call.deal_id = "nope";
        check_rejected(board, cmd::CreateActivity{call}, "Deal does not exist");

        const Id first = board.add_activity(deal, "Call Wile", kStart + kHour);
        const Id second = board.add_activity(deal, "Send proposal", kStart + 5 * kHour);
        CHECK(board.session.index().next_activity(deal)->meta.id == first);

        const Timestamp done_time = kStart + 2 * kHour;
        const CommandResult done =
            board.session.apply(cmd::CompleteActivity{first, true}, done_time);
        REQUIRE(done.ok);
        CHECK(done.label == "Complete activity 'Call Wile'");
        CHECK(board.activity(first).done);
        CHECK(board.activity(first).done_at == done_time);
        CHECK(board.session.index().next_activity(deal)->meta.id == second);

        REQUIRE(board.session.apply(cmd::CompleteActivity{first, false}, done_time).ok);
        CHECK_FALSE(board.activity(first).done_at);

        Activity edited = board.activity(second);
        edited.due = kStart;  // now the earliest
        edited.type = ActivityType::Meeting;
        const CommandResult edit = board.session.apply(cmd::EditActivity{edited}, kStart);
        REQUIRE(edit.ok);
        CHECK(edit.label == "Edit activity 'Send proposal'");
        CHECK(board.session.index().next_activity(deal)->meta.id == second);
        CHECK(board.session.index().activities_of(deal).front().meta.id == second);

        const Id other_deal = board.add_deal("Globex");
        Activity moved = board.activity(second);
        moved.deal_id = other_deal;
        check_rejected(board, cmd::EditActivity{moved}, "An activity cannot move to another deal");

        const CommandResult removed = board.session.apply(cmd::DeleteActivity{second}, kStart);
        REQUIRE(removed.ok);
        CHECK(removed.label == "Delete activity 'Send proposal'");
        CHECK(board.session.index().activities_of(deal).size() == 1);
        check_rejected(board, cmd::DeleteActivity{second}, "Activity does not exist");
    }
}

TEST_SUITE("commands: stages and pipelines") {
    TEST_CASE("adding a stage in the middle renumbers the pipeline") {
        Board board;
        Stage discovery;
        discovery.pipeline_id = board.ws.pipelines[0].meta.id;
        discovery.name = "Discovery";
        discovery.probability = 25;
        const CommandResult result = board.session.apply(cmd::AddStage{discovery, 2}, kStart);
        REQUIRE(result.ok);
        CHECK(result.label == "Add stage 'Discovery'");
        CHECK(board.stage_names() ==
              std::vector<std::string>{"Lead In", "Contacting", "Discovery", "Qualifying",
                                       "Meeting/Demo", "Negotiation", "Closing", "Post-Purchase"});
        int expected = 0;
        for (const Stage& stage : board.session.index().stages_of(discovery.pipeline_id)) {
            CHECK(stage.position == expected++);
        }

        Stage duplicate = discovery;
        duplicate.name = "lead in";
        check_rejected(board, cmd::AddStage{duplicate, {}},
                       "A stage named 'Lead In' already exists in this pipeline");
        Stage unlikely = discovery;
        unlikely.name = "Maybe";
        unlikely.probability = 150;
        check_rejected(board, cmd::AddStage{unlikely, {}}, "Probability must be between 0 and 100");
        Stage unnamed = discovery;
        unnamed.name = "";
        check_rejected(board, cmd::AddStage{unnamed, {}}, "Stage name is required");
        Stage rotting = discovery;
        rotting.name = "Rotting";
        rotting.rotting_days = -1;
        check_rejected(board, cmd::AddStage{rotting, {}}, "Rotting days must be zero or more");
    }

    TEST_CASE("renaming, recolouring and reordering stages") {
        Board board;
        const Id qualifying = board.stage_id("Qualifying");
        const CommandResult renamed =
            board.session.apply(cmd::RenameStage{qualifying, "Discovery call"}, kStart);
        REQUIRE(renamed.ok);
        CHECK(renamed.label == "Rename stage 'Qualifying' to 'Discovery call'");
        CHECK(board.stage_by_id(qualifying).name == "Discovery call");
        check_rejected(board, cmd::RenameStage{qualifying, "Closing"},
                       "A stage named 'Closing' already exists in this pipeline");

        const CommandResult recoloured =
            board.session.apply(cmd::RecolourStage{qualifying, 0x112233FF}, kStart);
        REQUIRE(recoloured.ok);
        CHECK(recoloured.label == "Recolour stage 'Discovery call'");
        CHECK(board.stage_by_id(qualifying).color == 0x112233FF);

        const CommandResult reordered =
            board.session.apply(cmd::ReorderStage{board.stage_id("Closing"), 0}, kStart);
        REQUIRE(reordered.ok);
        CHECK(reordered.label == "Reorder stage 'Closing'");
        CHECK(board.stage_names() == std::vector<std::string>{"Closing", "Lead In", "Contacting",
                                                              "Discovery call", "Meeting/Demo",
                                                              "Negotiation", "Post-Purchase"});
        CHECK(board.session.index().first_stage_of(board.ws.pipelines[0].meta.id)->name ==
              "Closing");
    }

    TEST_CASE("deleting a stage with deals needs a target stage and moves them there") {
        Board board;
        const Id a = board.add_deal("Acme", "Contacting");
        const Id b = board.add_deal("Globex", "Contacting");
        board.add_deal("Initech", "Qualifying");
        const Id contacting = board.stage_id("Contacting");
        check_rejected(board, cmd::DeleteStage{contacting, {}},
                       "Choose a stage for the 2 deals in 'Contacting'");
        check_rejected(board, cmd::DeleteStage{contacting, contacting},
                       "Deals cannot move to the stage being deleted");
        check_rejected(board, cmd::DeleteStage{contacting, "nope"}, "Target stage does not exist");

        const Timestamp later = kStart + kSecondsPerDay;
        const CommandResult result =
            board.session.apply(cmd::DeleteStage{contacting, board.stage_id("Qualifying")}, later);
        REQUIRE(result.ok);
        CHECK(result.label == "Delete stage 'Contacting'");
        CHECK(board.stage_by_id(contacting).meta.deleted);
        CHECK(board.column("Qualifying") == std::vector<std::string>{"Initech", "Acme", "Globex"});
        for (const Id& id : {a, b}) {
            CHECK(board.deal(id).stage_id == board.stage_id("Qualifying"));
            CHECK(board.deal(id).stage_entered_at == later);
            const auto events = history(board, id);
            REQUIRE(events.size() == 2);
            CHECK(events[1]->kind == HistoryKind::StageChanged);
            CHECK(events[1]->from_stage_id == contacting);
            CHECK(events[1]->to_stage_id == board.stage_id("Qualifying"));
        }
        CHECK(board.stage_names().size() == 6);

        // An empty stage goes without a target.
        REQUIRE(board.session.apply(cmd::DeleteStage{board.stage_id("Closing"), {}}, later).ok);
        CHECK(board.stage_names().size() == 5);
    }

    TEST_CASE("deleting a stage holding many deals keeps every column in order") {
        Board board;
        std::vector<std::string> expected = {"Q1", "Q2", "Q3"};
        for (const std::string& title : expected) board.add_deal(title, "Qualifying");
        for (int i = 0; i < 70; ++i) {
            const std::string title = "C" + std::to_string(i);
            board.add_deal(title, "Contacting");
            expected.push_back(title);
        }
        const auto contacting_before = board.column("Contacting");
        REQUIRE(
            board.session
                .apply(cmd::DeleteStage{board.stage_id("Contacting"), board.stage_id("Qualifying")},
                       kStart)
                .ok);
        CHECK(board.column("Qualifying") == expected);
        const WorkspaceIndex fresh(board.ws);
        CHECK(fresh.deals_in_stage(board.stage_id("Qualifying")).indexes() ==
              board.session.index().deals_in_stage(board.stage_id("Qualifying")).indexes());

        REQUIRE(board.session.undo(kStart).ok);
        CHECK(board.column("Contacting") == contacting_before);
        CHECK(board.column("Qualifying") == std::vector<std::string>{"Q1", "Q2", "Q3"});
    }

    TEST_CASE("a pipeline keeps at least one stage") {
        Board board;
        const CommandResult added =
            board.session.apply(cmd::AddPipeline{"Partners", false}, kStart);
        REQUIRE(added.ok);
        CHECK(board.session.index().stages_of(added.created_id).empty());
        Stage only;
        only.pipeline_id = added.created_id;
        only.name = "Intro";
        const CommandResult stage = board.session.apply(cmd::AddStage{only, {}}, kStart);
        REQUIRE(stage.ok);
        check_rejected(board, cmd::DeleteStage{stage.created_id, {}},
                       "A pipeline needs at least one stage");
    }

    TEST_CASE("adding and renaming pipelines") {
        Board board;
        const CommandResult added = board.session.apply(cmd::AddPipeline{"Partners", true}, kStart);
        REQUIRE(added.ok);
        CHECK(added.label == "Add pipeline 'Partners'");
        const auto pipelines = board.session.index().pipelines();
        REQUIRE(pipelines.size() == 2);
        CHECK(pipelines[1].name == "Partners");
        CHECK(pipelines[1].position == 1);
        CHECK(board.session.index().stages_of(added.created_id).size() == 7);
        check_rejected(board, cmd::AddPipeline{"partners", true},
                       "A pipeline named 'Partners' already exists");
        check_rejected(board, cmd::AddPipeline{"  ", true}, "Pipeline name is required");

        const CommandResult renamed =
            board.session.apply(cmd::RenamePipeline{added.created_id, "Channel"}, kStart);
        REQUIRE(renamed.ok);
        CHECK(renamed.label == "Rename pipeline 'Partners' to 'Channel'");
        CHECK(board.session.index().find_pipeline(added.created_id)->name == "Channel");
        check_rejected(board, cmd::RenamePipeline{added.created_id, "Sales pipeline"},
                       "A pipeline named 'Sales pipeline' already exists");
    }
}

TEST_SUITE("commands: reps, targets, lists, workspace") {
    TEST_CASE("reps need a unique name and a plausible email") {
        Board board;
        Rep bob;
        bob.name = "Bob";
        bob.email = "bob-at-example";
        check_rejected(board, cmd::AddRep{bob}, "Email 'bob-at-example' is not an email address");
        bob.email = "bob@example.com";
        const CommandResult added = board.session.apply(cmd::AddRep{bob}, kStart);
        REQUIRE(added.ok);
        CHECK(added.label == "Add rep 'Bob'");
        Rep twin;
        twin.name = "alice";
        check_rejected(board, cmd::AddRep{twin}, "A rep named 'Alice' already exists");

        Rep edited = *board.session.index().find_rep(added.created_id);
        edited.active = false;
        const CommandResult result = board.session.apply(cmd::EditRep{edited}, kStart);
        REQUIRE(result.ok);
        CHECK(result.label == "Edit rep 'Bob'");
        CHECK_FALSE(board.session.index().find_rep(added.created_id)->active);
        edited.name = "";
        check_rejected(board, cmd::EditRep{edited}, "Rep name is required");
    }

    TEST_CASE("setting a target creates it once, then updates it") {
        Board board;
        Target target;
        target.rep_id = board.alice;
        target.period = TargetPeriod::Month;
        target.period_start = kToday;  // moved to the first of November
        target.amount = 5000000;
        const CommandResult first = board.session.apply(cmd::SetTarget{target}, kStart);
        REQUIRE(first.ok);
        REQUIRE(board.ws.targets.size() == 1);
        CHECK(board.ws.targets[0].period_start == day_from_civil({2026, 11, 1}));

        target.amount = 6000000;
        target.period_start = day_from_civil({2026, 11, 1});
        const CommandResult second = board.session.apply(cmd::SetTarget{target}, kStart);
        REQUIRE(second.ok);
        REQUIRE(board.ws.targets.size() == 1);
        CHECK(board.ws.targets[0].amount == 6000000);
        CHECK(revision_number(board.ws.targets[0].meta.rev) == 2);

        Target quarter = target;
        quarter.period = TargetPeriod::Quarter;
        const CommandResult third = board.session.apply(cmd::SetTarget{quarter}, kStart);
        REQUIRE(third.ok);
        CHECK(board.ws.targets.size() == 2);
        CHECK(board.ws.targets[1].period_start == day_from_civil({2026, 10, 1}));

        Target negative = target;
        negative.amount = -1;
        check_rejected(board, cmd::SetTarget{negative}, "Target must be zero or more");
        Target stranger = target;
        stranger.rep_id = "nobody";
        check_rejected(board, cmd::SetTarget{stranger}, "Rep does not exist");

        REQUIRE(board.session.apply(cmd::DeleteTarget{first.created_id}, kStart).ok);
        CHECK(board.session.index().find_target(first.created_id) == nullptr);
        check_rejected(board, cmd::DeleteTarget{first.created_id}, "Target does not exist");
    }

    TEST_CASE("edited lists are trimmed and free of blanks and repeats") {
        Board board;
        EditableLists lists = board.ws.lists;
        lists.lead_sources = {" Website ", "website", "", "Trade show"};
        lists.labels = {"Hot", "  "};
        const CommandResult result = board.session.apply(cmd::EditLists{lists}, kStart);
        REQUIRE(result.ok);
        CHECK(board.ws.lists.lead_sources == std::vector<std::string>{"Website", "Trade show"});
        CHECK(board.ws.lists.labels == std::vector<std::string>{"Hot"});
        REQUIRE(result.changes.properties_after);
        CHECK(result.changes.properties_after->lists.labels == board.ws.lists.labels);
        REQUIRE(result.changes.properties_before);
        CHECK(result.changes.properties_before->lists.labels.empty());
    }

    TEST_CASE("workspace name and currency") {
        Board board;
        check_rejected(board, cmd::EditWorkspace{"Acme", {"usd", "$", 2}},
                       "Currency code must be three capital letters, like USD");
        check_rejected(board, cmd::EditWorkspace{"Acme", {"JPY", "\xC2\xA5", 7}},
                       "Currency decimals must be between 0 and 4");
        check_rejected(board, cmd::EditWorkspace{" ", {"EUR", "\xE2\x82\xAC", 2}},
                       "Workspace name is required");
        const CommandResult result = board.session.apply(
            cmd::EditWorkspace{"Acme Europe", {"EUR", "\xE2\x82\xAC", 2}}, kStart);
        REQUIRE(result.ok);
        CHECK(board.ws.name == "Acme Europe");
        CHECK(board.ws.currency.code == "EUR");
        REQUIRE(result.changes.properties_after);
        CHECK(result.changes.properties_after->currency.code == "EUR");
    }
}

TEST_SUITE("commands: undo and redo") {
    TEST_CASE("undoing a move restores the deal as a new revision and retires its event") {
        Board board;
        const Id id = board.add_deal("Acme renewal", "Qualifying");
        const Timestamp moved_at = kStart + kSecondsPerDay;
        REQUIRE(
            board.session.apply(cmd::MoveDeal{id, board.stage_id("Negotiation"), {}}, moved_at).ok);
        CHECK(board.session.can_undo());
        CHECK(board.session.undo_label() == "Move 'Acme renewal' to Negotiation");
        const std::string moved_rev = board.deal(id).meta.rev;
        const Id event_id = history(board, id).back()->meta.id;

        const Timestamp undone_at = moved_at + kHour;
        const CommandResult undone = board.session.undo(undone_at);
        REQUIRE(undone.ok);
        CHECK(undone.label == "Move 'Acme renewal' to Negotiation");
        const Deal& back = board.deal(id);
        CHECK(back.stage_id == board.stage_id("Qualifying"));
        CHECK(back.stage_entered_at == kStart);
        CHECK(revision_number(back.meta.rev) == 3);
        CHECK(back.meta.parent_rev == moved_rev);
        CHECK(back.meta.updated == undone_at);
        const HistoryEvent& event =
            board.ws.history[*board.session.index().history_index(event_id)];
        CHECK(event.meta.deleted);
        CHECK(history(board, id).size() == 1);
        CHECK(board.column("Qualifying") == std::vector<std::string>{"Acme renewal"});
        CHECK(board.column("Negotiation").empty());
        CHECK(board.session.can_redo());
        CHECK(board.session.redo_label() == "Move 'Acme renewal' to Negotiation");

        const CommandResult redone = board.session.redo(undone_at + kHour);
        REQUIRE(redone.ok);
        CHECK(board.deal(id).stage_id == board.stage_id("Negotiation"));
        CHECK(board.deal(id).stage_entered_at == moved_at);
        CHECK(revision_number(board.deal(id).meta.rev) == 4);
        CHECK_FALSE(board.ws.history[*board.session.index().history_index(event_id)].meta.deleted);
        CHECK(history(board, id).size() == 2);
        CHECK(board.column("Negotiation") == std::vector<std::string>{"Acme renewal"});
        CHECK_FALSE(board.session.can_redo());
    }

    TEST_CASE("undoing a stage delete brings the stage and its deals back") {
        Board board;
        const Id a = board.add_deal("Acme", "Contacting");
        const Id b = board.add_deal("Globex", "Contacting");
        const Id contacting = board.stage_id("Contacting");
        const Id closing = board.stage_id("Closing");
        const auto before = live_content(board.ws);
        REQUIRE(board.session.apply(cmd::DeleteStage{contacting, closing}, kStart + kHour).ok);
        const auto after = live_content(board.ws);

        REQUIRE(board.session.undo(kStart + 2 * kHour).ok);
        CHECK(live_content(board.ws) == before);
        CHECK_FALSE(board.stage_by_id(contacting).meta.deleted);
        CHECK(board.column("Contacting") == std::vector<std::string>{"Acme", "Globex"});
        CHECK(board.column("Closing").empty());
        CHECK(history(board, a).size() == 1);
        CHECK(history(board, b).size() == 1);
        CHECK(board.stage_names().size() == 7);

        REQUIRE(board.session.redo(kStart + 3 * kHour).ok);
        CHECK(live_content(board.ws) == after);
        CHECK(board.column("Closing") == std::vector<std::string>{"Acme", "Globex"});
        CHECK(board.stage_names().size() == 6);
    }

    TEST_CASE("undoing a creation leaves tombstones; redo revives the same records") {
        Board board;
        const Id id = board.add_deal("Acme renewal");
        const Id created_event = history(board, id).front()->meta.id;
        REQUIRE(board.session.undo(kStart + kHour).ok);
        CHECK(board.session.index().find_deal(id) == nullptr);
        CHECK(board.deal(id).meta.deleted);
        CHECK(board.ws.history[*board.session.index().history_index(created_event)].meta.deleted);
        CHECK(board.column("Lead In").empty());
        REQUIRE(board.session.redo(kStart + 2 * kHour).ok);
        CHECK(board.session.index().find_deal(id) != nullptr);
        CHECK(board.column("Lead In") == std::vector<std::string>{"Acme renewal"});
        CHECK(history(board, id).size() == 1);
        CHECK(board.ws.deals.size() == 1);
    }

    TEST_CASE("a new command clears the redo stack") {
        Board board;
        board.add_deal("Acme");
        board.add_deal("Globex");
        REQUIRE(board.session.undo(kStart).ok);
        CHECK(board.session.redo_label() == "Add deal 'Globex'");
        CHECK(board.session.undo_label() == "Add deal 'Acme'");
        board.add_deal("Initech");
        CHECK_FALSE(board.session.can_redo());
        CHECK(board.session.redo_label().empty());
        const CommandResult redo = board.session.redo(kStart);
        CHECK_FALSE(redo.ok);
        CHECK(redo.error == "Nothing to redo");
        CHECK(board.column("Lead In") == std::vector<std::string>{"Acme", "Initech"});
    }

    TEST_CASE("undo with nothing to undo, and the undo limit") {
        IdGenerator ids(1);
        Workspace ws = make_workspace("W", ids, kStart);
        Session session(ws, ids);
        CHECK_FALSE(session.can_undo());
        CHECK(session.undo_label().empty());
        const CommandResult nothing = session.undo(kStart);
        CHECK_FALSE(nothing.ok);
        CHECK(nothing.error == "Nothing to undo");

        session.set_undo_limit(2);
        for (const char* name : {"One", "Two", "Three"}) {
            REQUIRE(session.apply(cmd::AddPipeline{name, false}, kStart).ok);
        }
        REQUIRE(session.undo(kStart).ok);
        REQUIRE(session.undo(kStart).ok);
        CHECK_FALSE(session.can_undo());
        CHECK(session.index().pipelines().size() == 2);  // "One" stays
    }

    TEST_CASE("the listener hears every applied, undone and redone change") {
        Board board;
        std::vector<std::size_t> heard;
        board.session.set_change_listener(
            [&](const ChangeSet& changes) { heard.push_back(changes.deals.size()); });
        const Id id = board.add_deal("Acme");
        REQUIRE(board.session.apply(cmd::MoveDeal{id, board.stage_id("Closing"), {}}, kStart).ok);
        check_rejected(board, cmd::DeleteDeal{"nope"}, "Deal does not exist");
        REQUIRE(board.session.undo(kStart).ok);
        REQUIRE(board.session.redo(kStart).ok);
        CHECK(heard == std::vector<std::size_t>{1, 1, 1, 1});
    }

    TEST_CASE("a session reset forgets undo after an outside change") {
        Board board;
        board.add_deal("Acme");
        board.session.reset();
        CHECK_FALSE(board.session.can_undo());
        CHECK(board.column("Lead In") == std::vector<std::string>{"Acme"});
    }

    TEST_CASE("every kind of command undoes to the state before and redoes to the state after") {
        // Each case starts from a board with two deals (one with an activity), a target and a
        // second pipeline, and runs one command.
        struct Case {
            const char* name;
            std::function<Command(Board&, const Id& acme, const Id& globex, const Id& call)> make;
        };
        const std::vector<Case> cases = {
            {"create deal",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 Deal deal;
                 deal.title = "New";
                 deal.stage_id = b.stage_id("Closing");
                 return cmd::CreateDeal{deal};
             }},
            {"edit deal",
             [](Board& b, const Id& acme, const Id&, const Id&) -> Command {
                 Deal deal = b.deal(acme);
                 deal.value = 7;
                 deal.labels = {"Hot"};
                 return cmd::EditDeal{deal};
             }},
            {"move deal",
             [](Board& b, const Id& acme, const Id&, const Id&) -> Command {
                 return cmd::MoveDeal{acme, b.stage_id("Closing"), {}};
             }},
            {"reorder deal",
             [](Board&, const Id& acme, const Id& globex, const Id&) -> Command {
                 return cmd::ReorderDeal{globex, acme};
             }},
            {"win",
             [](Board&, const Id& acme, const Id&, const Id&) -> Command {
                 return cmd::WinDeal{acme, 99, kToday};
             }},
            {"lose",
             [](Board&, const Id& acme, const Id&, const Id&) -> Command {
                 return cmd::LoseDeal{acme, "Price", {}};
             }},
            {"nurture",
             [](Board&, const Id& acme, const Id&, const Id&) -> Command {
                 return cmd::NurtureDeal{acme, kToday + 30};
             }},
            {"delete deal",
             [](Board&, const Id& acme, const Id&, const Id&) -> Command {
                 return cmd::DeleteDeal{acme};
             }},
            {"referral",
             [](Board&, const Id& acme, const Id&, const Id&) -> Command {
                 return cmd::CreateReferralLead{acme, "Ref", "", {}, 0, {}};
             }},
            {"create activity",
             [](Board&, const Id& acme, const Id&, const Id&) -> Command {
                 Activity activity;
                 activity.deal_id = acme;
                 activity.subject = "Lunch";
                 return cmd::CreateActivity{activity};
             }},
            {"edit activity",
             [](Board& b, const Id&, const Id&, const Id& call) -> Command {
                 Activity activity = b.activity(call);
                 activity.note = "Bring slides";
                 return cmd::EditActivity{activity};
             }},
            {"complete activity",
             [](Board&, const Id&, const Id&, const Id& call) -> Command {
                 return cmd::CompleteActivity{call, true};
             }},
            {"delete activity",
             [](Board&, const Id&, const Id&, const Id& call) -> Command {
                 return cmd::DeleteActivity{call};
             }},
            {"add stage",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 Stage stage;
                 stage.pipeline_id = b.ws.pipelines[0].meta.id;
                 stage.name = "Discovery";
                 return cmd::AddStage{stage, 1};
             }},
            {"edit stage",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 Stage stage = b.stage("Closing");
                 stage.probability = 95;
                 stage.exit_criteria = {"Contract signed"};
                 return cmd::EditStage{stage};
             }},
            {"rename stage",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 return cmd::RenameStage{b.stage_id("Closing"), "Signing"};
             }},
            {"recolour stage",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 return cmd::RecolourStage{b.stage_id("Closing"), 0x000000FF};
             }},
            {"reorder stage",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 return cmd::ReorderStage{b.stage_id("Closing"), 0};
             }},
            {"delete stage",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 return cmd::DeleteStage{b.stage_id("Lead In"), b.stage_id("Closing")};
             }},
            {"add pipeline",
             [](Board&, const Id&, const Id&, const Id&) -> Command {
                 return cmd::AddPipeline{"Channel", true};
             }},
            {"rename pipeline",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 return cmd::RenamePipeline{b.ws.pipelines[0].meta.id, "Direct"};
             }},
            {"add rep",
             [](Board&, const Id&, const Id&, const Id&) -> Command {
                 Rep rep;
                 rep.name = "Bob";
                 return cmd::AddRep{rep};
             }},
            {"edit rep",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 Rep rep = *b.session.index().find_rep(b.alice);
                 rep.email = "alice@acme.example";
                 return cmd::EditRep{rep};
             }},
            {"set target",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 Target target = b.ws.targets[0];
                 target.amount = 1;
                 return cmd::SetTarget{target};
             }},
            {"delete target",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 return cmd::DeleteTarget{b.ws.targets[0].meta.id};
             }},
            {"edit lists",
             [](Board& b, const Id&, const Id&, const Id&) -> Command {
                 EditableLists lists = b.ws.lists;
                 lists.lost_reasons.push_back("Went dark");
                 return cmd::EditLists{lists};
             }},
            {"edit workspace",
             [](Board&, const Id&, const Id&, const Id&) -> Command {
                 return cmd::EditWorkspace{"Renamed", {"JPY", "\xC2\xA5", 0}};
             }},
        };
        REQUIRE(cases.size() == std::variant_size_v<Command> - 1);  // + ReopenDeal below

        for (const Case& c : cases) {
            CAPTURE(c.name);
            Board board;
            const Id acme = board.add_deal("Acme", "Lead In", 1000);
            const Id globex = board.add_deal("Globex", "Lead In", 2000);
            const Id call = board.add_activity(acme, "Call", kStart + kHour);
            Target target;
            target.amount = 100;
            REQUIRE(board.session.apply(cmd::SetTarget{target}, kStart).ok);

            const auto before = live_content(board.ws);
            const CommandResult applied =
                board.session.apply(c.make(board, acme, globex, call), kStart + kHour);
            REQUIRE_MESSAGE(applied.ok, applied.error);
            REQUIRE_FALSE(applied.changes.empty());
            const auto after = live_content(board.ws);
            CHECK(after != before);
            const std::string applied_label = applied.label;

            const CommandResult undone = board.session.undo(kStart + 2 * kHour);
            REQUIRE(undone.ok);
            CHECK(undone.label == applied_label);
            CHECK(live_content(board.ws) == before);
            const CommandResult redone = board.session.redo(kStart + 3 * kHour);
            REQUIRE(redone.ok);
            CHECK(live_content(board.ws) == after);
            // The index agrees with a fresh one after all that.
            const WorkspaceIndex fresh(board.ws);
            for (const Stage& stage : fresh.stages_of(board.ws.pipelines[0].meta.id)) {
                CHECK(fresh.deals_in_stage(stage.meta.id).indexes() ==
                      board.session.index().deals_in_stage(stage.meta.id).indexes());
            }
            CHECK(fresh.activities_of(acme).indexes() ==
                  board.session.index().activities_of(acme).indexes());
            CHECK(fresh.history_of(acme).indexes() ==
                  board.session.index().history_of(acme).indexes());
        }

        // Reopen needs a closed deal first.
        Board board;
        const Id acme = board.add_deal("Acme");
        REQUIRE(board.session.apply(cmd::LoseDeal{acme, "Price", {}}, kStart).ok);
        const auto before = live_content(board.ws);
        REQUIRE(board.session.apply(cmd::ReopenDeal{acme}, kStart + kHour).ok);
        const auto after = live_content(board.ws);
        REQUIRE(board.session.undo(kStart + kHour).ok);
        CHECK(live_content(board.ws) == before);
        CHECK(board.deal(acme).status == DealStatus::Lost);
        REQUIRE(board.session.redo(kStart + kHour).ok);
        CHECK(live_content(board.ws) == after);
    }
}

// The JSON document: round trips, stable output, lenient loading with exact pointers, fatal
// cases, checksummed exports, per-record JSON and the fixture of every format version.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json_format.hpp"
#include "core/packed_records.hpp"
#include "core/sample_workspace.hpp"

using namespace pb;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }
Day day(int y, int m, int d) { return day_from_civil({y, m, d}); }

RecordMeta meta(const char* id, const char* rev, const char* parent, const char* created,
                const char* updated, bool deleted = false) {
    RecordMeta m;
    m.id = id;
    m.rev = rev;
    m.parent_rev = parent;
    m.created = at(created);
    m.updated = at(updated);
    m.deleted = deleted;
    return m;
}

// A workspace where every field holds something other than its default.
Workspace full_workspace() {
    Workspace ws;
    ws.id = "ws-1";
    ws.name = "Q\"uote\\ and \ttab, ünïcödé €";
    ws.currency = {"JPY", "¥", 0};
    ws.created = at("2025-12-31T23:59:59Z");
    ws.settings.theme = "light";
    ws.settings.ui_layout = "[Window][Board]\nPos=10,20\nSize=800,600\n";
    ws.settings.last_export_at = at("2026-03-01T12:00:00Z");
    ws.settings.changes_since_export = 17;
    ws.lists = {{"Website", "Partner"}, {"Retail"}, {"No budget"}, {"vip", "q2"}};
    ws.unknown_fields_json = R"({"extra":[1,2,{"x":null}],"settings":{"sidebar":true}})";

    Pipeline pipeline;
    pipeline.meta = meta("p1", "2-aaaaaaaaaaaaaaaa", "1-bbbbbbbbbbbbbbbb", "2026-01-01T00:00:00Z",
                         "2026-01-02T00:00:00Z");
    pipeline.meta.unknown_json = R"({"icon":"rocket"})";
    pipeline.name = "Enterprise";
    pipeline.position = 3;
    ws.pipelines.push_back(pipeline);

    Stage stage;
    stage.meta =
        meta("s1", "1-cccccccccccccccc", "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    stage.pipeline_id = "p1";
    stage.name = "Proposal";
    stage.position = 4;
    stage.color = 0x12AB34CDu;
    stage.probability = 45;
    stage.rotting_days = 9;
    stage.exit_criteria = {"Pricing sent", "Legal reviewed"};
    ws.stages.push_back(stage);

    Rep rep;
    rep.meta = meta("r1", "1-dddddddddddddddd", "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    rep.name = "Mia Wong";
    rep.email = "mia@example.com";
    rep.active = false;
    ws.reps.push_back(rep);

    Target target;
    target.meta =
        meta("t1", "1-eeeeeeeeeeeeeeee", "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    target.rep_id = "r1";
    target.period = TargetPeriod::Quarter;
    target.period_start = day(2026, 7, 1);
    target.amount = 9000000;
    ws.targets.push_back(target);

    Deal deal;
    deal.meta = meta("d1", "5-ffffffffffffffff", "4-1111111111111111", "2026-01-03T08:00:00Z",
                     "2026-02-04T09:10:11Z");
    deal.meta.unknown_json = R"({"custom":{"seats":12}})";
    deal.pipeline_id = "p1";
    deal.stage_id = "s1";
    deal.position = 0.1;
    deal.title = "Contoso expansion";
    deal.organization = "Contoso Ltd";
    deal.contacts = {{"Ann Lee", "CFO", "ann@contoso.example", "+1 555 0100", true},
                     {"Bo Chan", "", "", "", false}};
    deal.value = 123456789012;
    deal.probability = 35;
    deal.expected_close = day(2026, 6, 30);
    deal.lead_source = "Partner";
    deal.industry = "Retail";
    deal.owner_id = "r1";
    deal.labels = {"vip", "q2"};
    deal.notes = "Line one\nLine two";
    deal.status = DealStatus::Nurture;
    deal.lost_reason = "Timing";
    deal.revisit_on = day(2026, 10, 1);
    deal.closed_at = at("2026-02-01T10:00:00Z");
    deal.stage_entered_at = at("2026-01-20T07:00:00Z");
    deal.checklist_done = {"Pricing sent"};
    deal.contract_end = day(2028, 2, 29);
    // Longer than the writers' short-text buffer.
    deal.upsell_notes =
        "Premium support for a second year, with a named account manager and quarterly reviews "
        "on site";
    deal.referred_by_deal_id = "d0";
    ws.deals.push_back(deal);

    Deal tombstone;
    tombstone.meta = meta("d2", "2-2222222222222222", "1-3333333333333333", "2026-01-03T08:00:00Z",
                          "2026-01-04T08:00:00Z", true);
    tombstone.stage_id = "gone";
    tombstone.title = "Removed";
    ws.deals.push_back(tombstone);

    Activity activity;
    activity.meta =
        meta("a1", "1-4444444444444444", "", "2026-01-05T08:00:00Z", "2026-01-05T08:00:00Z");
    activity.deal_id = "d1";
    activity.type = ActivityType::Deadline;
    activity.subject = "Submit bid";
    activity.due = at("2026-03-31T00:00:00Z");
    activity.has_time = false;
    activity.done = true;
    activity.done_at = at("2026-03-30T18:45:00Z");
    activity.note = "Portal upload";
    ws.activities.push_back(activity);

    HistoryEvent event;
    event.meta =
        meta("h1", "1-5555555555555555", "", "2026-02-01T10:00:00Z", "2026-02-01T10:00:00Z");
    event.deal_id = "d1";
    event.at = at("2026-02-01T10:00:00Z");
    event.kind = HistoryKind::StatusChanged;
    event.from_stage_id = "s0";
    event.to_stage_id = "s1";
    event.from_status = DealStatus::Won;
    event.to_status = DealStatus::Nurture;
    event.by_rep_id = "r1";
    event.detail = "Back to nurture";
    ws.history.push_back(event);
    return ws;
}

void check_meta(const RecordMeta& a, const RecordMeta& b) {
    CHECK(a.id == b.id);
    CHECK(a.rev == b.rev);
    CHECK(a.parent_rev == b.parent_rev);
    CHECK(a.created == b.created);
    CHECK(a.updated == b.updated);
    CHECK(a.deleted == b.deleted);
}

// Unknown fields come back as JSON text; compare their meaning, not their spelling.
void check_same_json(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) {
        CHECK(a == b);
        return;
    }
    CHECK(nlohmann::json::parse(a) == nlohmann::json::parse(b));
}

void check_same_workspace(const Workspace& a, const Workspace& b) {
    CHECK(a.id == b.id);
    CHECK(a.name == b.name);
    CHECK(a.currency.code == b.currency.code);
    CHECK(a.currency.symbol == b.currency.symbol);
    CHECK(a.currency.minor_digits == b.currency.minor_digits);
    CHECK(a.created == b.created);
    CHECK(a.settings.theme == b.settings.theme);
    CHECK(a.settings.ui_layout == b.settings.ui_layout);
    CHECK(a.settings.last_export_at == b.settings.last_export_at);
    CHECK(a.settings.changes_since_export == b.settings.changes_since_export);
    CHECK(a.lists.lead_sources == b.lists.lead_sources);
    CHECK(a.lists.industries == b.lists.industries);
    CHECK(a.lists.lost_reasons == b.lists.lost_reasons);
    CHECK(a.lists.labels == b.lists.labels);
    check_same_json(a.unknown_fields_json, b.unknown_fields_json);

    REQUIRE(a.pipelines.size() == b.pipelines.size());
    for (std::size_t i = 0; i < a.pipelines.size(); ++i) {
        check_meta(a.pipelines[i].meta, b.pipelines[i].meta);
        check_same_json(a.pipelines[i].meta.unknown_json, b.pipelines[i].meta.unknown_json);
        CHECK(a.pipelines[i].name == b.pipelines[i].name);
        CHECK(a.pipelines[i].position == b.pipelines[i].position);
    }
    REQUIRE(a.stages.size() == b.stages.size());
    for (std::size_t i = 0; i < a.stages.size(); ++i) {
        const Stage& x = a.stages[i];
        const Stage& y = b.stages[i];
        check_meta(x.meta, y.meta);
        CHECK(x.pipeline_id == y.pipeline_id);
        CHECK(x.name == y.name);
        CHECK(x.position == y.position);
        CHECK(x.color == y.color);
        CHECK(x.probability == y.probability);
        CHECK(x.rotting_days == y.rotting_days);
        CHECK(x.exit_criteria == y.exit_criteria);
    }
    REQUIRE(a.reps.size() == b.reps.size());
    for (std::size_t i = 0; i < a.reps.size(); ++i) {
        check_meta(a.reps[i].meta, b.reps[i].meta);
        CHECK(a.reps[i].name == b.reps[i].name);
        CHECK(a.reps[i].email == b.reps[i].email);
        CHECK(a.reps[i].active == b.reps[i].active);
    }
    REQUIRE(a.targets.size() == b.targets.size());
    for (std::size_t i = 0; i < a.targets.size(); ++i) {
        check_meta(a.targets[i].meta, b.targets[i].meta);
        CHECK(a.targets[i].rep_id == b.targets[i].rep_id);
        CHECK(a.targets[i].period == b.targets[i].period);
        CHECK(a.targets[i].period_start == b.targets[i].period_start);
        CHECK(a.targets[i].amount == b.targets[i].amount);
    }
    REQUIRE(a.deals.size() == b.deals.size());
    for (std::size_t i = 0; i < a.deals.size(); ++i) {
        const Deal& x = a.deals[i];
        const Deal& y = b.deals[i];
        check_meta(x.meta, y.meta);
        check_same_json(x.meta.unknown_json, y.meta.unknown_json);
        CHECK(x.pipeline_id == y.pipeline_id);
        CHECK(x.stage_id == y.stage_id);
        CHECK(x.position == y.position);
        CHECK(x.title == y.title);
        CHECK(x.organization == y.organization);
        REQUIRE(x.contacts.size() == y.contacts.size());
        for (std::size_t c = 0; c < x.contacts.size(); ++c) {
            CHECK(x.contacts[c].name == y.contacts[c].name);
            CHECK(x.contacts[c].role == y.contacts[c].role);
            CHECK(x.contacts[c].email == y.contacts[c].email);
            CHECK(x.contacts[c].phone == y.contacts[c].phone);
            CHECK(x.contacts[c].decision_maker == y.contacts[c].decision_maker);
        }
        CHECK(x.value == y.value);
        CHECK(x.probability == y.probability);
        CHECK(x.expected_close == y.expected_close);
        CHECK(x.lead_source == y.lead_source);
        CHECK(x.industry == y.industry);
        CHECK(x.owner_id == y.owner_id);
        CHECK(x.labels == y.labels);
        CHECK(x.notes == y.notes);
        CHECK(x.status == y.status);
        CHECK(x.lost_reason == y.lost_reason);
        CHECK(x.revisit_on == y.revisit_on);
        CHECK(x.closed_at == y.closed_at);
        CHECK(x.stage_entered_at == y.stage_entered_at);
        CHECK(x.checklist_done == y.checklist_done);
        CHECK(x.contract_end == y.contract_end);
        CHECK(x.upsell_notes == y.upsell_notes);
        CHECK(x.referred_by_deal_id == y.referred_by_deal_id);
    }
    REQUIRE(a.activities.size() == b.activities.size());
    for (std::size_t i = 0; i < a.activities.size(); ++i) {
        const Activity& x = a.activities[i];
        const Activity& y = b.activities[i];
        check_meta(x.meta, y.meta);
        CHECK(x.deal_id == y.deal_id);
        CHECK(x.type == y.type);
        CHECK(x.subject == y.subject);
        CHECK(x.due == y.due);
        CHECK(x.has_time == y.has_time);
        CHECK(x.done == y.done);
        CHECK(x.done_at == y.done_at);
        CHECK(x.note == y.note);
    }
    REQUIRE(a.history.size() == b.history.size());
    for (std::size_t i = 0; i < a.history.size(); ++i) {
        const HistoryEvent& x = a.history[i];
        const HistoryEvent& y = b.history[i];
        check_meta(x.meta, y.meta);
        CHECK(x.deal_id == y.deal_id);
        CHECK(x.at == y.at);
        CHECK(x.kind == y.kind);
        CHECK(x.from_stage_id == y.from_stage_id);
        CHECK(x.to_stage_id == y.to_stage_id);
        CHECK(x.from_status == y.from_status);
        CHECK(x.to_status == y.to_status);
        CHECK(x.by_rep_id == y.by_rep_id);
        CHECK(x.detail == y.detail);
    }
}

std::vector<std::string> paths_of(const LoadResult& result) {
    std::vector<std::string> paths;
    for (const LoadProblem& problem : result.problems) paths.push_back(problem.path);
    return paths;
}

bool has_problem_at(const LoadResult& result, const std::string& path) {
    const auto paths = paths_of(result);
    return std::find(paths.begin(), paths.end(), path) != paths.end();
}

// A version 1 document around the given record arrays ("pipelines": [...] etc.).
std::string document(const std::string& members) {
    return R"({"format":"pipeboard","version":1)" + (members.empty() ? "" : "," + members) + "}";
}

// One pipeline with one stage, for deals to live in.
const std::string kBoard =
    R"("pipelines":[{"_id":"p1","name":"Sales"}],)"
    R"("stages":[{"_id":"s1","pipeline_id":"p1","name":"Lead In","position":0},)"
    R"({"_id":"s2","pipeline_id":"p1","name":"Won","position":1}])";

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_SUITE("json format") {
    TEST_CASE("a workspace using every field survives save and load unchanged") {
        const Workspace original = full_workspace();
        for (bool pretty : {false, true}) {
            CAPTURE(pretty);
            const LoadResult loaded = workspace_from_json(workspace_to_json(original, pretty));
            REQUIRE(loaded.ok());
            CHECK(loaded.problems.empty());
            check_same_workspace(*loaded.workspace, original);
        }
    }

    TEST_CASE("an empty workspace round trips with its defaults") {
        const Workspace empty;
        const LoadResult loaded = workspace_from_json(workspace_to_json(empty));
        REQUIRE(loaded.ok());
        CHECK(loaded.problems.empty());
        check_same_workspace(*loaded.workspace, empty);
        CHECK(loaded.workspace->name == "My pipeline");
        CHECK(loaded.workspace->currency.code == "USD");
    }

    TEST_CASE("output is byte-stable") {
        const std::string first = workspace_to_json(full_workspace());
        CHECK(workspace_to_json(full_workspace()) == first);
        const LoadResult loaded = workspace_from_json(first);
        REQUIRE(loaded.ok());
        CHECK(workspace_to_json(*loaded.workspace) == first);
        CHECK(workspace_to_json(*loaded.workspace, true) ==
              workspace_to_json(full_workspace(), true));
    }

    TEST_CASE("the document starts with format and version and spells values as documented") {
        Workspace ws;
        ws.id = "w";
        const std::string expected =
            R"({"format":"pipeboard","version":1,"id":"w","name":"My pipeline",)"
            R"("currency":{"code":"USD","symbol":"$","minor_digits":2},)"
            R"("created":"1970-01-01T00:00:00Z",)"
            R"("settings":{"theme":"system","ui_layout":"",)"
            R"("last_export_at":"1970-01-01T00:00:00Z",)"
            R"("changes_since_export":0},)"
            R"("lists":{"lead_sources":[],"industries":[],"lost_reasons":[],"labels":[]},)"
            R"("pipelines":[],"stages":[],"reps":[],"targets":[],"deals":[],"activities":[],)"
            R"("history":[]})";
        CHECK(workspace_to_json(ws) == expected);

        const nlohmann::json deal = record_to_json(full_workspace().deals[0]);
        CHECK(deal["value"] == 123456789012);
        CHECK(deal["expected_close"] == "2026-06-30");
        CHECK(deal["closed_at"] == "2026-02-01T10:00:00Z");
        CHECK(deal["status"] == "nurture");
        CHECK(deal["_parent_rev"] == "4-1111111111111111");
        CHECK_FALSE(deal.contains("_deleted"));
        CHECK(record_to_json(full_workspace().stages[0])["color"] == "#12AB34CD");
        CHECK(record_to_json(full_workspace().deals[1])["_deleted"] == true);
        CHECK_FALSE(record_to_json(full_workspace().stages[0]).contains("_parent_rev"));
    }

    TEST_CASE("text that is not valid UTF-8 is saved as replacement characters") {
        Workspace ws;
        ws.name = "Caf\xE9 \x01";
        const LoadResult loaded = workspace_from_json(workspace_to_json(ws));
        REQUIRE(loaded.ok());
        CHECK(loaded.workspace->name == "Caf\xEF\xBF\xBD \x01");
    }

    TEST_CASE("missing fields take the defaults without complaint") {
        const LoadResult loaded = workspace_from_json(
            document(kBoard + R"(,"deals":[{"_id":"d1","pipeline_id":"p1","stage_id":"s1"}])"));
        REQUIRE(loaded.ok());
        CHECK(loaded.problems.empty());
        REQUIRE(loaded.workspace->deals.size() == 1);
        const Deal& deal = loaded.workspace->deals[0];
        CHECK(deal.title.empty());
        CHECK(deal.value == 0);
        CHECK(deal.status == DealStatus::Open);
        CHECK_FALSE(deal.probability.has_value());
        CHECK(deal.meta.rev.empty());
        CHECK(loaded.workspace->stages[0].probability == 10);
        CHECK(loaded.workspace->stages[0].color == 0x4F7CACFFu);
        CHECK(loaded.workspace->name == "My pipeline");
    }

    TEST_CASE("a wrong type in one field is reported at its pointer and keeps the default") {
        const LoadResult loaded = workspace_from_json(document(
            kBoard +
            R"(,"deals":[{"_id":"d0","pipeline_id":"p1","stage_id":"s1","title":"Fine"},)"
            R"({"_id":"d1","pipeline_id":"p1","stage_id":"s1","title":42,"value":"1200",)"
            R"("labels":["hot",7,"cold"],"probability":150,"status":"pending","position":"top",)"
            R"("contacts":[{"name":"Al","decision_maker":"yes"},"Bo"],"notes":"kept"}],)"
            R"("name":["not","text"])"));
        REQUIRE(loaded.ok());
        const auto paths = paths_of(loaded);
        const std::vector<std::string> expected = {
            "/name",
            "/deals/1/contacts/0/decision_maker",
            "/deals/1/contacts/1",
            "/deals/1/labels/1",
            "/deals/1/position",
            "/deals/1/probability",
            "/deals/1/status",
            "/deals/1/title",
            "/deals/1/value",
        };
        for (const std::string& path : expected) {
            CAPTURE(path);
            CHECK(has_problem_at(loaded, path));
        }
        CHECK(paths.size() == expected.size());
        const Deal& deal = loaded.workspace->deals[1];
        CHECK(deal.title.empty());
        CHECK(deal.value == 0);
        CHECK(deal.labels == std::vector<std::string>{"hot", "cold"});
        CHECK_FALSE(deal.probability.has_value());
        CHECK(deal.status == DealStatus::Open);
        CHECK(deal.position == 0);
        REQUIRE(deal.contacts.size() == 1);
        CHECK(deal.contacts[0].name == "Al");
        CHECK_FALSE(deal.contacts[0].decision_maker);
        CHECK(deal.notes == "kept");
        CHECK(loaded.workspace->name == "My pipeline");
    }

    TEST_CASE("a negative amount is refused with its pointer") {
        const LoadResult loaded = workspace_from_json(document(
            kBoard + R"(,"deals":[{"_id":"d1","pipeline_id":"p1","stage_id":"s1","value":-500}],)"
                     R"("targets":[{"_id":"t1","amount":-1}])"));
        REQUIRE(loaded.ok());
        CHECK(paths_of(loaded) == std::vector<std::string>{"/deals/0/value", "/targets/0/amount"});
        CHECK(loaded.problems[0].message == "must be zero or more");
        CHECK(loaded.workspace->deals[0].value == 0);
        CHECK(loaded.workspace->targets[0].amount == 0);
    }

    TEST_CASE("bad dates are reported and leave the field empty or at its default") {
        const LoadResult loaded = workspace_from_json(document(
            kBoard +
            R"(,"deals":[{"_id":"d1","pipeline_id":"p1","stage_id":"s1",)"
            R"("expected_close":"2026-02-30","created":"yesterday","contract_end":"2027-01-31",)"
            R"("closed_at":20260101,"stage_entered_at":"2026-02-03T04:05:06Z"}])"));
        REQUIRE(loaded.ok());
        // In the order the fields stand in the file.
        CHECK(paths_of(loaded) == std::vector<std::string>{"/deals/0/expected_close",
                                                           "/deals/0/created",
                                                           "/deals/0/closed_at"});
        const Deal& deal = loaded.workspace->deals[0];
        CHECK_FALSE(deal.expected_close.has_value());
        CHECK_FALSE(deal.closed_at.has_value());
        CHECK(deal.meta.created == 0);
        CHECK(deal.contract_end == day(2027, 1, 31));
        // 2026-02-03 is day 20487 after the epoch: 56 years with 14 leap days, plus 33 days.
        CHECK(deal.stage_entered_at == 20487LL * 86400 + 4 * 3600 + 5 * 60 + 6);
    }

    TEST_CASE("records of one kind read right whatever order each names its fields in") {
        const LoadResult loaded = workspace_from_json(document(
            kBoard +
            R"(,"deals":[{"_id":"d1","pipeline_id":"p1","stage_id":"s1","title":"One",)"
            R"("score":1,"value":100},)"
            R"({"value":200,"score":2,"title":"Two","stage_id":"s2","_id":"d2","pipeline_id":"p1"},)"
            R"({"_id":"d3","title":"Three","pipeline_id":"p1","stage_id":"s1","value":"lots"}])"));
        REQUIRE(loaded.ok());
        const std::vector<Deal>& deals = loaded.workspace->deals;
        REQUIRE(deals.size() == 3);
        CHECK(deals[0].title == "One");
        CHECK(deals[0].value == 100);
        CHECK(deals[1].title == "Two");
        CHECK(deals[1].value == 200);
        CHECK(deals[1].stage_id == "s2");
        CHECK(deals[2].title == "Three");
        CHECK(deals[2].value == 0);
        CHECK(nlohmann::json::parse(deals[1].meta.unknown_json) ==
              nlohmann::json::parse(R"({"score":2})"));
        CHECK(deals[2].meta.unknown_json.empty());
        CHECK(paths_of(loaded) == std::vector<std::string>{"/deals/2/value"});
    }

    TEST_CASE("unknown fields are kept and written back") {
        const std::string text = document(
            kBoard + R"(,"deals":[{"_id":"d1","pipeline_id":"p1","stage_id":"s1","score":87,)"
                     R"("custom":{"seats":[1,2]}}],"forecast":{"horizon":90},)"
                     R"("settings":{"theme":"dark","sidebar":320},)"
                     R"("currency":{"code":"EUR","rounding":"up"},)"
                     R"("lists":{"regions":["EMEA"]})");
        const LoadResult loaded = workspace_from_json(text);
        REQUIRE(loaded.ok());
        CHECK(loaded.problems.empty());
        CHECK(nlohmann::json::parse(loaded.workspace->deals[0].meta.unknown_json) ==
              nlohmann::json::parse(R"({"score":87,"custom":{"seats":[1,2]}})"));
        CHECK(
            nlohmann::json::parse(loaded.workspace->unknown_fields_json) ==
            nlohmann::json::parse(R"({"forecast":{"horizon":90},"settings":{"sidebar":320},)"
                                  R"("currency":{"rounding":"up"},"lists":{"regions":["EMEA"]}})"));

        const nlohmann::json saved = nlohmann::json::parse(workspace_to_json(*loaded.workspace));
        CHECK(saved["deals"][0]["score"] == 87);
        CHECK(saved["deals"][0]["custom"]["seats"][1] == 2);
        CHECK(saved["forecast"]["horizon"] == 90);
        CHECK(saved["settings"]["sidebar"] == 320);
        CHECK(saved["settings"]["theme"] == "dark");
        CHECK(saved["currency"]["rounding"] == "up");
        CHECK(saved["currency"]["code"] == "EUR");
        CHECK(saved["lists"]["regions"][0] == "EMEA");
    }

    TEST_CASE("a file with thousands of bad values lists the first ones and counts the rest") {
        std::string deals;
        const std::size_t count = kMaxListedProblems + 500;
        for (std::size_t i = 0; i < count; ++i) {
            deals += (i ? "," : "") + std::string(R"({"_id":"d)") + std::to_string(i) +
                     R"(","pipeline_id":"p1","stage_id":"s1","value":"lots"})";
        }
        const LoadResult loaded =
            workspace_from_json(document(kBoard + R"(,"deals":[)" + deals + "]"));
        REQUIRE(loaded.ok());
        CHECK(loaded.workspace->deals.size() == count);
        REQUIRE(loaded.problems.size() == kMaxListedProblems + 1);
        CHECK(loaded.problems[0].path == "/deals/0/value");
        CHECK(loaded.problems.back().path.empty());
        CHECK(loaded.problems.back().message == "500 more problems were not listed");
    }

    TEST_CASE("records without an id or with a repeated id are skipped and reported") {
        const LoadResult loaded = workspace_from_json(document(
            R"("reps":[{"name":"No id"},{"_id":"","name":"Empty id"},{"_id":"r1","name":"First"},)"
            R"("not a rep",{"_id":"r1","name":"Second"}])"));
        REQUIRE(loaded.ok());
        CHECK(paths_of(loaded) ==
              std::vector<std::string>{"/reps/0/_id", "/reps/1/_id", "/reps/3", "/reps/4/_id"});
        REQUIRE(loaded.workspace->reps.size() == 1);
        CHECK(loaded.workspace->reps[0].name == "First");
    }

    TEST_CASE("a deal in an unknown stage moves to the first stage of its pipeline") {
        const LoadResult loaded = workspace_from_json(document(
            kBoard +
            R"(,"deals":[{"_id":"d1","title":"Lost","pipeline_id":"p1","stage_id":"nowhere"},)"
            R"({"_id":"d2","title":"Mismatch","pipeline_id":"p9","stage_id":"s2"},)"
            R"({"_id":"d3","title":"Gone","pipeline_id":"p1","stage_id":"nowhere",)"
            R"("_deleted":true}])"));
        REQUIRE(loaded.ok());
        CHECK(paths_of(loaded) ==
              std::vector<std::string>{"/deals/0/stage_id", "/deals/1/pipeline_id"});
        const auto& deals = loaded.workspace->deals;
        CHECK(deals[0].stage_id == "s1");
        CHECK(deals[1].stage_id == "s2");
        CHECK(deals[1].pipeline_id == "p1");
        CHECK(deals[2].stage_id == "nowhere");
        CHECK(loaded.problems[0].message.find("Lead In") != std::string::npos);
    }

    TEST_CASE("fatal documents give no workspace and a precise error") {
        SUBCASE("empty text") {
            const LoadResult loaded = workspace_from_json("");
            CHECK_FALSE(loaded.ok());
            CHECK(loaded.error == "The file is empty");
            CHECK(loaded.problems.size() == 1);
        }
        SUBCASE("an array") {
            const LoadResult loaded = workspace_from_json("[]");
            CHECK_FALSE(loaded.ok());
            CHECK(loaded.error.find("not an object") != std::string::npos);
        }
        SUBCASE("a truncated file names the line and column") {
            const LoadResult loaded = workspace_from_json(
                "{\"format\": \"pipeboard\",\n\"version\": 1,\n\"deals\": [{\"_id\"");
            CHECK_FALSE(loaded.ok());
            // The reader stops after the 7 characters of line 3: `"deals"` is followed by
            // `: [{"_id"`, 16 characters in all.
            CHECK(loaded.error.find("line 3, column 16: ") != std::string::npos);
        }
        SUBCASE("not JSON at all") {
            const LoadResult loaded = workspace_from_json("Title,Value\nAcme,100\n");
            CHECK_FALSE(loaded.ok());
            CHECK(loaded.error.find("line 1, column 1: ") != std::string::npos);
        }
        SUBCASE("another format") {
            const LoadResult loaded = workspace_from_json(R"({"format":"trello","version":1})");
            CHECK_FALSE(loaded.ok());
            CHECK(loaded.problems.back().path == "/format");
        }
        SUBCASE("no format member") { CHECK_FALSE(workspace_from_json(R"({"deals":[]})").ok()); }
        SUBCASE("a newer version") {
            const LoadResult loaded = workspace_from_json(R"({"format":"pipeboard","version":3})");
            CHECK_FALSE(loaded.ok());
            CHECK(loaded.error ==
                  "This file was made by a newer version of Pipeboard (format 3); this app reads "
                  "up to format 1");
            CHECK(loaded.problems.back().path == "/version");
        }
        SUBCASE("a version that is not a number") {
            CHECK_FALSE(workspace_from_json(R"({"format":"pipeboard","version":"one"})").ok());
            CHECK_FALSE(workspace_from_json(R"({"format":"pipeboard","version":0})").ok());
        }
        SUBCASE("nesting deeper than any Pipeboard file") {
            const std::string deep =
                document(R"("x":)" + std::string(200, '[') + std::string(200, ']'));
            const LoadResult loaded = workspace_from_json(deep);
            CHECK_FALSE(loaded.ok());
            CHECK(loaded.error.find("levels deep") != std::string::npos);
        }
    }

    TEST_CASE("a missing version reads as version 1 with a note") {
        const LoadResult loaded = workspace_from_json(R"({"format":"pipeboard","name":"Old"})");
        REQUIRE(loaded.ok());
        CHECK(loaded.workspace->name == "Old");
        CHECK(paths_of(loaded) == std::vector<std::string>{"/version"});
    }

    TEST_CASE("exports carry a checksum that detects changes") {
        const Workspace ws = full_workspace();
        const std::string exported = export_workspace_json(ws, at("2026-04-01T08:00:00Z"));
        CHECK(exported.rfind(R"({"format":"pipeboard","version":1,"checksum":"fnv1a64:)", 0) == 0);

        const LoadResult loaded = workspace_from_json(exported);
        REQUIRE(loaded.ok());
        CHECK(loaded.problems.empty());
        CHECK(loaded.workspace->settings.last_export_at == at("2026-04-01T08:00:00Z"));
        CHECK(loaded.workspace->settings.changes_since_export == 0);
        CHECK(loaded.workspace->deals[0].title == "Contoso expansion");
        Workspace expected = ws;
        expected.settings.last_export_at = at("2026-04-01T08:00:00Z");
        expected.settings.changes_since_export = 0;
        check_same_workspace(*loaded.workspace, expected);

        SUBCASE("reformatting keeps it valid") {
            const std::string pretty = nlohmann::json::parse(exported).dump(4);
            CHECK(workspace_from_json(pretty).ok());
        }
        SUBCASE("a checksum placed after the records is still checked") {
            const auto start = exported.find(",\"checksum\":");
            // ,"checksum":"fnv1a64:<16 hex>" is 1 + 10 + 1 + 1 + 8 + 16 + 1 characters.
            const std::string member = exported.substr(start, 38);
            std::string moved = exported;
            moved.erase(start, member.size());
            moved.insert(moved.size() - 1, member);
            CHECK(workspace_from_json(moved).ok());
            moved.replace(moved.find("Contoso expansion"), 17, "Contoso");
            CHECK_FALSE(workspace_from_json(moved).ok());
        }
        SUBCASE("an edited value is refused") {
            std::string edited = exported;
            edited.replace(edited.find("123456789012"), 12, "123456789013");
            const LoadResult refused = workspace_from_json(edited);
            CHECK_FALSE(refused.ok());
            CHECK(refused.error.find("checksum does not match") != std::string::npos);
            CHECK(refused.problems.back().path == "/checksum");
        }
        SUBCASE("a field named twice in a record counts with its last value, as JSON readers do") {
            std::string doubled = exported;
            const auto title = doubled.find("\"title\":\"Contoso expansion\"");
            REQUIRE(title != std::string::npos);
            doubled.insert(title, "\"title\":\"Someone else's deal\",");
            const LoadResult read = workspace_from_json(doubled);
            REQUIRE(read.ok());
            CHECK(read.workspace->deals[0].title == "Contoso expansion");
            CHECK(document_checksum(doubled) == document_checksum(exported));
        }
        SUBCASE("a malformed checksum is refused") {
            std::string edited = exported;
            edited.replace(edited.find("fnv1a64:"), 8, "md5sum::");
            CHECK_FALSE(workspace_from_json(edited).ok());
        }
        SUBCASE("the checksum is the one document_checksum computes") {
            const auto start = exported.find("fnv1a64:");
            CHECK(document_checksum(exported) == exported.substr(start, 24));
        }
    }

    TEST_CASE("a record hashes alike however its members are ordered, escaped or repeated") {
        // Members a newer version might add: more than a record has, in reverse order, and
        // names that sort by their bytes, not by their escaped text (a"b before a#, A before a).
        std::string added;
        for (int i = 40; i > 0; --i)
            added += ",\"m" + std::to_string(i) + "\":" + std::to_string(i);
        const std::string body =
            R"("deals":[{"title":"First","_id":"d1","title":"Kept","b":1,"a\"b":2,"a#":3,)"
            R"("\u00e9":4,"A":{"y":[{"q":1,"p":2}],"x":null},"a":5)" +
            added + "}]";
        const std::optional<std::string> checksum =
            document_checksum(R"({"format":"pipeboard","version":1,)" + body + "}");
        REQUIRE(checksum);
        const LoadResult loaded = workspace_from_json(
            R"({"format":"pipeboard","version":1,"checksum":")" + *checksum + "\"," + body + "}");
        REQUIRE(loaded.ok());
        CHECK(loaded.workspace->deals[0].title == "Kept");

        const std::string exported =
            export_workspace_json(*loaded.workspace, at("2026-11-30T09:00:00Z"));
        const LoadResult again = workspace_from_json(exported);
        REQUIRE(again.ok());
        CHECK(nlohmann::json::parse(again.workspace->deals[0].meta.unknown_json) ==
              nlohmann::json::parse(loaded.workspace->deals[0].meta.unknown_json));
        CHECK(document_checksum(exported) == exported.substr(exported.find("fnv1a64:"), 24));
    }

    TEST_CASE("records whose member names run together alike each hash in their own order") {
        // "x","yb" and "xy","b" spell the same letters but sort differently: a writer that
        // reused one record's member order for the next by their letters alone would put the
        // second record's members in the wrong order.
        const std::string body =
            R"("deals":[{"_id":"d1","x":1,"yb":2,"a":0},{"_id":"d2","xy":1,"b":2,"a":0},)"
            R"({"_id":"d3","x":1,"yb":2,"a":0},{"_id":"d4","yb":2,"x":1,"a":0,"yb":3}])";
        const std::optional<std::string> checksum =
            document_checksum(R"({"format":"pipeboard","version":1,)" + body + "}");
        REQUIRE(checksum);
        const std::string signed_text =
            R"({"format":"pipeboard","version":1,"checksum":")" + *checksum + "\"," + body + "}";
        const LoadResult loaded = workspace_from_json(signed_text);
        REQUIRE(loaded.ok());
        REQUIRE(loaded.workspace->deals.size() == 4);
        CHECK(nlohmann::json::parse(loaded.workspace->deals[3].meta.unknown_json) ==
              nlohmann::json::parse(R"({"a":0,"x":1,"yb":3})"));
        // A load that hashed the records in the wrong order would refuse the file, so would
        // one that did not notice a changed value.
        std::string changed = signed_text;
        changed.replace(changed.find("\"yb\":3"), 6, "\"yb\":4");
        CHECK_FALSE(workspace_from_json(changed).ok());

        const std::string exported =
            export_workspace_json(*loaded.workspace, at("2026-11-30T09:00:00Z"));
        CHECK(document_checksum(exported) == exported.substr(exported.find("fnv1a64:"), 24));
        CHECK(workspace_from_json(exported).ok());
    }

    TEST_CASE("a record's JSON text is the object record_to_json builds") {
        const Workspace ws = full_workspace();
        const auto same = [](const auto& records) {
            REQUIRE_FALSE(records.empty());
            for (const auto& record : records) {
                CHECK(nlohmann::json::parse(record_json_text(record)) == record_to_json(record));
            }
        };
        same(ws.pipelines);
        same(ws.stages);
        same(ws.reps);
        same(ws.targets);
        same(ws.deals);
        same(ws.activities);
        same(ws.history);
    }

    TEST_CASE("the workspace fields are the document without its record arrays") {
        const Workspace ws = full_workspace();
        nlohmann::json whole = nlohmann::json::parse(workspace_to_json(without_records(ws)));
        for (const char* key :
             {"pipelines", "stages", "reps", "targets", "deals", "activities", "history"}) {
            whole.erase(key);
        }
        const std::string fields = workspace_fields_json(ws);
        CHECK(nlohmann::json::parse(fields) == whole);
        const LoadResult loaded = workspace_from_json(fields);
        REQUIRE(loaded.ok());
        check_same_workspace(*loaded.workspace, without_records(ws));
    }

    TEST_CASE("each record converts to its own JSON and back") {
        const Workspace ws = full_workspace();
        const nlohmann::json deal_json = record_to_json(ws.deals[0]);
        CHECK(deal_json["kind"] == "deal");
        CHECK(deal_json["custom"]["seats"] == 12);

        std::vector<LoadProblem> problems;
        Deal deal;
        REQUIRE(record_from_json(deal_json, deal, problems));
        CHECK(problems.empty());
        Workspace copy = ws;
        copy.deals = {deal};
        Workspace expected = ws;
        expected.deals.resize(1);
        check_same_workspace(copy, expected);

        HistoryEvent event;
        REQUIRE(record_from_json(record_to_json(ws.history[0]), event, problems));
        CHECK(event.kind == HistoryKind::StatusChanged);
        CHECK(event.detail == "Back to nurture");

        Stage stage;
        REQUIRE(record_from_json(record_to_json(ws.stages[0]), stage, problems));
        CHECK(stage.color == 0x12AB34CDu);

        Activity wrong_kind;
        CHECK_FALSE(record_from_json(deal_json, wrong_kind, problems));
        CHECK(problems.back().path == "/kind");

        Rep rep;
        problems.clear();
        CHECK_FALSE(record_from_json(nlohmann::json::array(), rep, problems));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].path.empty());
        problems.clear();
        CHECK(record_from_json(nlohmann::json::parse(R"({"_id":"r","active":1})"), rep, problems));
        CHECK(problems.size() == 1);
        CHECK(problems[0].path == "/active");
        CHECK(rep.active);
    }

    TEST_CASE("migrations run in order from the file's version") {
        CHECK(format_migrations().size() == static_cast<std::size_t>(kFormatVersion - 1));
        static const FormatMigration steps[] = {
            [](nlohmann::json& doc) { doc["trail"].push_back("1->2"); },
            [](nlohmann::json& doc) { doc["trail"].push_back("2->3"); },
            [](nlohmann::json& doc) { doc["trail"].push_back("3->4"); },
        };
        nlohmann::json from_one = {{"version", 1}};
        CHECK(run_migrations(from_one, 1, steps) == 4);
        CHECK(from_one["trail"] == nlohmann::json({"1->2", "2->3", "3->4"}));
        CHECK(from_one["version"] == 4);

        nlohmann::json from_three = {{"version", 3}};
        CHECK(run_migrations(from_three, 3, steps) == 4);
        CHECK(from_three["trail"] == nlohmann::json({"3->4"}));

        nlohmann::json current = {{"version", 4}};
        CHECK(run_migrations(current, 4, steps) == 4);
        CHECK_FALSE(current.contains("trail"));
    }

    TEST_CASE("every format version's fixture loads with the known values") {
        const std::filesystem::path folder = std::filesystem::path(PB_TEST_DATA_DIR) / "format";
        for (int version = 1; version <= kFormatVersion; ++version) {
            const auto path = folder / ("v" + std::to_string(version) + ".json");
            CAPTURE(path.string());
            REQUIRE(std::filesystem::exists(path));
            const LoadResult loaded = workspace_from_json(read_text_file(path));
            REQUIRE(loaded.ok());
            CHECK(loaded.problems.empty());
            const Workspace& ws = *loaded.workspace;

            CHECK(ws.id == "ws-northwind");
            CHECK(ws.name == "Northwind sales");
            CHECK(ws.currency.code == "EUR");
            CHECK(ws.currency.symbol == "\xE2\x82\xAC");
            CHECK(ws.currency.minor_digits == 2);
            CHECK(ws.created == at("2026-01-05T09:00:00Z"));
            CHECK(ws.settings.theme == "dark");
            CHECK(ws.settings.ui_layout == "[Window][Board]\nPos=0,0\n");
            CHECK(ws.settings.last_export_at == at("2026-03-01T12:00:00Z"));
            CHECK(ws.settings.changes_since_export == 4);
            CHECK(ws.lists.lead_sources == std::vector<std::string>{"Website", "Referral"});
            CHECK(ws.lists.industries == std::vector<std::string>{"Software"});
            CHECK(ws.lists.lost_reasons == std::vector<std::string>{"Price", "Timing"});
            CHECK(ws.lists.labels == std::vector<std::string>{"hot", "renewal"});
            CHECK(nlohmann::json::parse(ws.unknown_fields_json) ==
                  nlohmann::json::parse(
                      R"({"forecast_model":{"method":"weighted","horizon_days":90},)"
                      R"("currency":{"rounding":"half-even"},)"
                      R"("settings":{"sidebar_width":280},)"
                      R"("lists":{"regions":["EMEA"]}})"));

            REQUIRE(ws.pipelines.size() == 2);
            CHECK(ws.pipelines[1].name == "Renewals");
            CHECK(ws.pipelines[1].position == 1);
            CHECK(ws.pipelines[1].meta.rev == "2-00000000000000a3");
            CHECK(ws.pipelines[1].meta.parent_rev == "1-00000000000000a2");
            CHECK(ws.pipelines[1].meta.updated == at("2026-01-07T11:00:00Z"));

            REQUIRE(ws.stages.size() == 4);
            CHECK(ws.stages[0].exit_criteria ==
                  std::vector<std::string>{"Budget known", "Decision maker named"});
            CHECK(ws.stages[1].probability == 70);
            CHECK(ws.stages[1].rotting_days == 21);
            CHECK(ws.stages[2].color == 0x4CAF7A80u);
            CHECK(ws.stages[2].rotting_days == 0);
            CHECK(ws.stages[3].meta.deleted);

            REQUIRE(ws.reps.size() == 2);
            CHECK(ws.reps[0].email == "dana@northwind.example");
            CHECK_FALSE(ws.reps[1].active);

            REQUIRE(ws.targets.size() == 2);
            CHECK(ws.targets[0].rep_id.empty());
            CHECK(ws.targets[0].period == TargetPeriod::Month);
            CHECK_FALSE(ws.targets[0].period_start.has_value());
            CHECK(ws.targets[0].amount == 5000000);
            CHECK(ws.targets[1].period == TargetPeriod::Quarter);
            CHECK(ws.targets[1].period_start == day(2026, 4, 1));

            REQUIRE(ws.deals.size() == 4);
            const Deal& acme = ws.deals[0];
            CHECK(acme.meta.id == "d-acme");
            CHECK(acme.meta.rev == "3-00000000000000e3");
            CHECK(acme.pipeline_id == "p-new");
            CHECK(acme.stage_id == "s-nego");
            CHECK(acme.position == 2.5);
            CHECK(acme.title == "Acme renewal");
            CHECK(acme.organization == "Acme GmbH");
            REQUIRE(acme.contacts.size() == 2);
            CHECK(acme.contacts[0].name == "Anna Schmidt");
            CHECK(acme.contacts[0].role == "CFO");
            CHECK(acme.contacts[0].email == "anna@acme.example");
            CHECK(acme.contacts[0].phone == "+49 30 1234");
            CHECK(acme.contacts[0].decision_maker);
            CHECK_FALSE(acme.contacts[1].decision_maker);
            CHECK(acme.value == 1250000);
            CHECK(acme.probability == 60);
            CHECK(acme.expected_close == day(2026, 4, 30));
            CHECK(acme.lead_source == "Referral");
            CHECK(acme.industry == "Software");
            CHECK(acme.owner_id == "r-dana");
            CHECK(acme.labels == std::vector<std::string>{"hot", "renewal"});
            CHECK(acme.notes == "Wants a 3-year term\nCall after Easter");
            CHECK(acme.status == DealStatus::Open);
            CHECK(acme.stage_entered_at == at("2026-02-10T08:30:00Z"));
            CHECK(acme.checklist_done == std::vector<std::string>{"Budget known"});
            CHECK(acme.contract_end == day(2027, 4, 30));
            CHECK(acme.upsell_notes == "Add the analytics module");
            CHECK(nlohmann::json::parse(acme.meta.unknown_json) == nlohmann::json{{"score", 87}});

            const Deal& globex = ws.deals[1];
            CHECK(globex.status == DealStatus::Lost);
            CHECK(globex.lost_reason == "Price");
            CHECK(globex.closed_at == at("2026-02-20T16:00:00Z"));
            CHECK(globex.position == -1);
            CHECK_FALSE(globex.probability.has_value());
            CHECK(globex.referred_by_deal_id == "d-acme");

            CHECK(ws.deals[2].status == DealStatus::Nurture);
            CHECK(ws.deals[2].revisit_on == day(2026, 9, 1));
            CHECK(ws.deals[2].probability == 0);
            CHECK(ws.deals[3].meta.deleted);
            CHECK(ws.deals[3].stage_id == "s-old");

            REQUIRE(ws.activities.size() == 2);
            CHECK(ws.activities[0].type == ActivityType::Meeting);
            CHECK(ws.activities[0].due == at("2026-03-10T14:00:00Z"));
            CHECK(ws.activities[0].has_time);
            CHECK_FALSE(ws.activities[0].done_at.has_value());
            CHECK(ws.activities[1].type == ActivityType::Email);
            CHECK_FALSE(ws.activities[1].has_time);
            CHECK(ws.activities[1].done);
            CHECK(ws.activities[1].done_at == at("2026-02-01T10:15:00Z"));

            REQUIRE(ws.history.size() == 3);
            CHECK(ws.history[0].kind == HistoryKind::Created);
            CHECK(ws.history[1].kind == HistoryKind::StageChanged);
            CHECK(ws.history[1].from_stage_id == "s-lead");
            CHECK(ws.history[1].to_stage_id == "s-nego");
            CHECK(ws.history[2].kind == HistoryKind::StatusChanged);
            CHECK(ws.history[2].to_status == DealStatus::Lost);
            CHECK(ws.history[2].by_rep_id == "r-lee");
            CHECK(ws.history[2].detail == "Price");
        }
    }
}

TEST_SUITE("json format: a base document under the records written since") {
    TEST_CASE("top records replace the base's, new ones join, and the top's fields count") {
        const std::string base = R"({"format":"pipeboard","version":1,"name":"Old name",)" +
                                 kBoard +
                                 R"(,"deals":[{"_id":"d1","title":"Acme","stage_id":"s1",)"
                                 R"("pipeline_id":"p1"},{"_id":"d2","title":"Globex",)"
                                 R"("stage_id":"s1","pipeline_id":"p1"}]})";
        // The top layer's deal moves to a stage only the base holds: it must not be repaired.
        const std::string top =
            document(R"("name":"New name","deals":[{"_id":"d2","title":"Globex renewal",)"
                     R"("stage_id":"s2","pipeline_id":"p1"},{"_id":"d3","title":"Initech",)"
                     R"("stage_id":"s1","pipeline_id":"p1"}])");
        const LoadResult loaded = workspace_from_layers(top, base);
        REQUIRE(loaded.ok());
        CHECK(loaded.problems.empty());
        const Workspace& ws = *loaded.workspace;
        CHECK(ws.name == "New name");
        CHECK(ws.stages.size() == 2);
        std::vector<std::string> deals;
        for (const Deal& deal : ws.deals)
            deals.push_back(deal.meta.id + " " + deal.title + " " + deal.stage_id);
        std::sort(deals.begin(), deals.end());
        CHECK(deals ==
              std::vector<std::string>{"d1 Acme s1", "d2 Globex renewal s2", "d3 Initech s1"});
    }

    TEST_CASE("a problem in the top layer points at its stored record, one in the base after it") {
        const std::string in_s1 = R"("pipeline_id":"p1","stage_id":"s1")";
        const std::string base = R"({"format":"pipeboard","version":1,)" + kBoard +
                                 R"(,"deals":[{"_id":"d1","title":7,)" + in_s1 + "}]}";
        const std::string top = document(R"("deals":[{"_id":"d2","title":"Fine",)" + in_s1 +
                                         R"(},{"_id":"d3","value":"lots",)" + in_s1 + "}]");
        const LoadResult loaded = workspace_from_layers(top, base);
        REQUIRE(loaded.ok());
        CHECK(paths_of(loaded) == std::vector<std::string>{"/deals/1/value", "/deals/2/title"});
        CHECK(loaded.workspace->deals.size() == 3);
    }

    TEST_CASE("a damaged or foreign base makes the whole unusable, with the reason") {
        const std::string top = document(kBoard);
        const LoadResult broken = workspace_from_layers(top, R"({"format":"pipeboard","deals":[)");
        CHECK_FALSE(broken.ok());
        CHECK(broken.error.find("stored base document is damaged") != std::string::npos);
        const LoadResult newer = workspace_from_layers(
            top, R"({"format":"pipeboard","version":7,"deals":[{"_id":"d1"}]})");
        CHECK_FALSE(newer.ok());
        CHECK(newer.error.find("format 1") != std::string::npos);
    }

    TEST_CASE("a newer top layer is refused before the base is read") {
        const LoadResult loaded =
            workspace_from_layers(R"({"format":"pipeboard","version":99})", document(kBoard));
        CHECK_FALSE(loaded.ok());
        CHECK(loaded.error.find("newer version") != std::string::npos);
    }
}

TEST_SUITE("json format: a packed base") {
    // The top layer as the browser keeps it right after a fold: the workspace fields alone.
    std::string header_of(const Workspace& ws) { return workspace_fields_json(ws); }

    TEST_CASE("every field of every record comes back from a packed base") {
        const Workspace ws = full_workspace();
        const LoadResult loaded = workspace_from_layers(header_of(ws), pack_records(ws));
        REQUIRE(loaded.ok());
        CHECK(loaded.problems.empty());
        CHECK(workspace_to_json(*loaded.workspace) ==
              workspace_to_json(*workspace_from_json(workspace_to_json(ws)).workspace));
        CHECK(loaded.workspace->deals[0].position == 0.1);
        CHECK(loaded.workspace->deals[0].meta.unknown_json == R"({"custom":{"seats":12}})");
    }

    TEST_CASE("a packed base and a JSON base of the same records load the same workspace") {
        Workspace ws =
            make_sample_workspace({.seed = 7, .deal_count = 120}, at("2026-11-30T09:00:00Z"));
        REQUIRE(ws.deals.size() == 120);
        // On top: one base deal edited, one deal the base does not have, one history event.
        Workspace top = without_records(ws);
        top.name = "Renamed since the base";
        top.deals.push_back(ws.deals[5]);
        top.deals.back().title = "Edited since the base";
        top.deals.push_back(ws.deals[6]);
        top.deals.back().meta.id = "deal-new-on-top";
        top.history.push_back(ws.history[0]);
        const std::string top_text = workspace_to_json(top);

        const LoadResult from_json = workspace_from_layers(top_text, workspace_to_json(ws));
        const LoadResult from_packed = workspace_from_layers(top_text, pack_records(ws));
        REQUIRE(from_json.ok());
        REQUIRE(from_packed.ok());
        CHECK(workspace_to_json(*from_packed.workspace) == workspace_to_json(*from_json.workspace));
        const Workspace& loaded = *from_packed.workspace;
        CHECK(loaded.name == "Renamed since the base");
        CHECK(loaded.deals.size() == 121);
        CHECK(loaded.history.size() == ws.history.size());
        const auto edited =
            std::find_if(loaded.deals.begin(), loaded.deals.end(),
                         [&](const Deal& d) { return d.meta.id == ws.deals[5].meta.id; });
        REQUIRE(edited != loaded.deals.end());
        CHECK(edited->title == "Edited since the base");
    }

    TEST_CASE("text of hex digits packs as its bytes and comes back exactly as it was") {
        Workspace ws;
        Deal deal;
        deal.meta.id = "0123456789abcdef0123456789abcdef";
        deal.title = "cafe";
        deal.organization = "CAFE";
        deal.notes = "abc";
        deal.lead_source = "0";
        deal.labels = {"", "0a", "ff00", "g0"};
        ws.deals.push_back(deal);
        Workspace out;
        REQUIRE_FALSE(unpack_records(pack_records(ws), out).has_value());
        REQUIRE(out.deals.size() == 1);
        CHECK(record_to_json(out.deals[0]) == record_to_json(deal));

        // The id takes 16 bytes where the same length of other text takes 32.
        Workspace other = ws;
        other.deals[0].meta.id = "0123456789abcdef0123456789abcdeg";
        CHECK(pack_records(other).size() - pack_records(ws).size() == 16);
    }

    TEST_CASE("an empty workspace packs and loads") {
        Workspace ws;
        CHECK(is_packed_records(pack_records(ws)));
        CHECK_FALSE(is_packed_records(workspace_to_json(ws)));
        Workspace out;
        CHECK_FALSE(unpack_records(pack_records(ws), out).has_value());
        CHECK(out.deals.empty());
    }

    TEST_CASE("a packed base cut short anywhere, or with bytes after it, is refused as damaged") {
        const Workspace ws = full_workspace();
        const std::string packed = pack_records(ws);
        const std::string top = header_of(ws);
        for (std::size_t length = 8; length < packed.size(); ++length) {
            const LoadResult cut = workspace_from_layers(top, packed.substr(0, length));
            CHECK_FALSE(cut.ok());
            CHECK(cut.error.find("stored base document is damaged") != std::string::npos);
        }
        const LoadResult longer = workspace_from_layers(top, packed + '\0');
        CHECK_FALSE(longer.ok());
        CHECK(longer.error.find("bytes follow") != std::string::npos);
    }

    TEST_CASE("a packed value out of its range is refused, not read as something else") {
        Workspace ws;
        HistoryEvent event;
        event.meta.id = "h1";
        event.to_status = DealStatus::Nurture;
        ws.history.push_back(event);
        std::string packed = pack_records(ws);
        // The event is the last record and its last three fields are to_status, by_rep_id and
        // detail: a status byte, then two empty strings.
        REQUIRE(packed.substr(packed.size() - 3) == std::string("\x03\x00\x00", 3));
        packed[packed.size() - 3] = '\x04';
        Workspace out;
        const auto problem = unpack_records(packed, out);
        REQUIRE(problem.has_value());
        CHECK(problem->find("out of range") != std::string::npos);
    }
}

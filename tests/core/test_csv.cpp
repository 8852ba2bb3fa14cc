// CSV reading, column guessing, deal import with its row report, and export, on small
// hand-written files.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/csv.hpp"
#include "core/ids.hpp"

using namespace pb;

namespace {

constexpr Timestamp kImportTime = 1767225600;  // 2026-01-01T00:00:00Z

Timestamp at(int year, int month, int day, int hour = 0, int minute = 0) {
    return start_of_day(day_from_civil({year, month, day})) + hour * 3600 + minute * 60;
}

Day on(int year, int month, int day) { return day_from_civil({year, month, day}); }

// One pipeline "Sales" with four stages, one rep, in USD.
Workspace sales_workspace() {
    Workspace ws;
    ws.pipelines.push_back({{"p-sales"}, "Sales", 0});
    const char* names[] = {"Lead In", "Qualified", "Proposal", "Negotiation"};
    for (int i = 0; i < 4; ++i) {
        Stage stage;
        stage.meta.id = "s-" + std::to_string(i);
        stage.pipeline_id = "p-sales";
        stage.name = names[i];
        stage.position = i;
        ws.stages.push_back(stage);
    }
    Rep ana;
    ana.meta.id = "r-ana";
    ana.name = "Ana Silva";
    ws.reps.push_back(ana);
    return ws;
}

CsvImportOptions options_at_import_time() {
    CsvImportOptions options;
    options.now = kImportTime;
    return options;
}

const Deal* deal_titled(const Workspace& ws, std::string_view title) {
    for (const auto& deal : ws.deals) {
        if (deal.title == title) return &deal;
    }
    return nullptr;
}

std::string stage_name(const Workspace& ws, const Id& id) {
    for (const auto& stage : ws.stages) {
        if (stage.meta.id == id) return stage.name;
    }
    return "(missing)";
}

std::string rep_name(const Workspace& ws, const Id& id) {
    for (const auto& rep : ws.reps) {
        if (rep.meta.id == id) return rep.name;
    }
    return "(missing)";
}

std::vector<const HistoryEvent*> history_of(const Workspace& ws, const Id& deal_id) {
    std::vector<const HistoryEvent*> events;
    for (const auto& event : ws.history) {
        if (event.deal_id == deal_id) events.push_back(&event);
    }
    return events;
}

}  // namespace

TEST_SUITE("csv reading") {
    TEST_CASE("quoted fields keep commas, doubled quotes and line breaks") {
        auto parsed = parse_csv(
            "Title,Notes\r\n"
            "\"Acme, Inc. renewal\",\"said \"\"yes\"\" twice\"\r\n"
            "Globex,\"line one\r\nline two\"\r\n");
        REQUIRE(parsed.ok());
        const auto& table = *parsed.table;
        CHECK(table.header == std::vector<std::string>{"Title", "Notes"});
        REQUIRE(table.rows.size() == 2);
        CHECK(table.rows[0].fields ==
              std::vector<std::string>{"Acme, Inc. renewal", "said \"yes\" twice"});
        CHECK(table.rows[1].fields == std::vector<std::string>{"Globex", "line one\nline two"});
        CHECK(table.rows[0].line == 2);
        CHECK(table.rows[1].line == 3);
    }

    TEST_CASE("a record's line is where it starts, after multi-line fields and blank lines") {
        auto parsed = parse_csv("Title,Notes\n\"A\",\"one\ntwo\nthree\"\n\nB,x\n");
        REQUIRE(parsed.ok());
        REQUIRE(parsed.table->rows.size() == 2);
        CHECK(parsed.table->rows[0].line == 2);
        CHECK(parsed.table->rows[1].line == 6);
    }

    TEST_CASE("LF, CRLF and a missing final line break read the same") {
        for (std::string text : {"Title,Value\nA,1\nB,2\n", "Title,Value\r\nA,1\r\nB,2\r\n",
                                 "Title,Value\nA,1\nB,2"}) {
            auto parsed = parse_csv(text);
            REQUIRE(parsed.ok());
            REQUIRE(parsed.table->rows.size() == 2);
            CHECK(parsed.table->rows[1].fields == std::vector<std::string>{"B", "2"});
        }
    }

    TEST_CASE("a UTF-8 byte order mark is not part of the first header") {
        auto parsed = parse_csv("\xEF\xBB\xBFTitle,Value\nA,1\n");
        REQUIRE(parsed.ok());
        CHECK(parsed.table->header[0] == "Title");
    }

    TEST_CASE("the delimiter is guessed from the header line") {
        CHECK(guess_csv_delimiter("Title;Value;Stage") == ';');
        CHECK(guess_csv_delimiter("Title\tValue\tStage") == '\t');
        CHECK(guess_csv_delimiter("Title,Value,Stage") == ',');
        CHECK(guess_csv_delimiter("\"Name; full\",Value") == ',');
        CHECK(guess_csv_delimiter("Title") == ',');
        auto parsed = parse_csv("Titel;Wert\n\"M\xC3\xBCller; GmbH\";1.234,50\n");
        REQUIRE(parsed.ok());
        CHECK(parsed.table->delimiter == ';');
        CHECK(parsed.table->rows[0].fields ==
              std::vector<std::string>{"M\xC3\xBCller; GmbH", "1.234,50"});
    }

    TEST_CASE("an Excel sep= line names the delimiter and still counts as a line") {
        auto parsed = parse_csv("sep=;\nTitle;Value\nA,B;1\n");
        REQUIRE(parsed.ok());
        CHECK(parsed.table->delimiter == ';');
        CHECK(parsed.table->header_line == 2);
        REQUIRE(parsed.table->rows.size() == 1);
        CHECK(parsed.table->rows[0].fields == std::vector<std::string>{"A,B", "1"});
        CHECK(parsed.table->rows[0].line == 3);
    }

    TEST_CASE("UTF-16 and Windows-1252 files arrive as UTF-8") {
        std::string utf16 = "\xFF\xFE";
        for (char c : std::string("Title\nCaf")) utf16 += std::string{c, '\0'};
        utf16 += std::string("\xE9\x00", 2);
        auto parsed = parse_csv(utf16);
        REQUIRE(parsed.ok());
        REQUIRE(parsed.table->rows.size() == 1);
        CHECK(parsed.table->rows[0].fields[0] == "Caf\xC3\xA9");

        auto latin = parse_csv("Title\nCaf\xE9 \x80\n");
        REQUIRE(latin.ok());
        CHECK(latin.table->rows[0].fields[0] == "Caf\xC3\xA9 \xE2\x82\xAC");
    }

    TEST_CASE("stray control characters are dropped from fields") {
        auto parsed = parse_csv(
            "Title,Notes\nAc\x01me,\"a\x0B"
            "b\tc\"\n");
        REQUIRE(parsed.ok());
        REQUIRE(parsed.table->rows.size() == 1);
        CHECK(parsed.table->rows[0].fields == std::vector<std::string>{"Acme", "ab\tc"});
        CHECK(csv_cell("Ac\x01me") == "Acme");
    }

    TEST_CASE("empty, blank and binary input are errors") {
        CHECK(parse_csv("").error == "the file is empty");
        CHECK(parse_csv(" \r\n\n").error == "the file is empty");
        CHECK(parse_csv("\xEF\xBB\xBF").error == "the file is empty");
        std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
        auto binary = parse_csv(png);
        CHECK_FALSE(binary.ok());
        CHECK(binary.error == "the file is not CSV text (it holds binary data)");
    }

    TEST_CASE("an unclosed quote stops the read at the record that opened it") {
        auto parsed = parse_csv("Title,Value\nA,1\n\"B,2\nC,3\n");
        REQUIRE(parsed.ok());
        REQUIRE(parsed.table->rows.size() == 1);
        REQUIRE(parsed.table->problems.size() == 1);
        CHECK(parsed.table->problems[0].line == 3);
        CHECK(parsed.table->problems[0].message.find("never closed") != std::string::npos);
    }

    TEST_CASE("fields and rows over the limits are problems, not crashes") {
        CsvLimits limits;
        limits.max_field_bytes = 8;
        limits.max_fields_per_row = 3;
        auto parsed = parse_csv("a,b\nshort,ok\n123456789,x\n1,2,3,4\nlast,row\n", limits);
        REQUIRE(parsed.ok());
        REQUIRE(parsed.table->rows.size() == 2);
        CHECK(parsed.table->rows[1].fields[0] == "last");
        REQUIRE(parsed.table->problems.size() == 2);
        CHECK(parsed.table->problems[0].line == 3);
        CHECK(parsed.table->problems[0].message == "a field is longer than 8 bytes");
        CHECK(parsed.table->problems[1].line == 4);
        CHECK(parsed.table->problems[1].message == "the row has more than 3 fields");

        limits = CsvLimits{};
        limits.max_input_bytes = 10;
        CHECK_FALSE(parse_csv("Title,Value\nA,1\n", limits).ok());
    }
}

TEST_SUITE("csv columns") {
    TEST_CASE("Pipedrive, HubSpot, Salesforce and Odoo headers map to deal fields") {
        auto pipedrive = map_csv_columns({"Deal - Title", "Deal - Value", "Organization - Name",
                                          "Deal - Owner", "Person - Name", "Deal - Won time"});
        CHECK(pipedrive.map[CsvField::Title] == 0);
        CHECK(pipedrive.map[CsvField::Value] == 1);
        CHECK(pipedrive.map[CsvField::Organization] == 2);
        CHECK(pipedrive.map[CsvField::Owner] == 3);
        CHECK(pipedrive.map[CsvField::Contact] == 4);
        CHECK(pipedrive.map[CsvField::WonTime] == 5);

        auto hubspot = map_csv_columns(
            {"Deal Name", "Amount", "Deal Stage", "Close Date", "Create Date", "Deal owner"});
        CHECK(hubspot.map[CsvField::Title] == 0);
        CHECK(hubspot.map[CsvField::Value] == 1);
        CHECK(hubspot.map[CsvField::Stage] == 2);
        CHECK(hubspot.map[CsvField::ExpectedClose] == 3);
        CHECK(hubspot.map[CsvField::Created] == 4);
        CHECK(hubspot.map[CsvField::Owner] == 5);

        auto salesforce = map_csv_columns({"Opportunity Name", "Account Name", "Opportunity Owner",
                                           "Lead Source", "Probability (%)", "Closed Date"});
        CHECK(salesforce.map[CsvField::Title] == 0);
        CHECK(salesforce.map[CsvField::Organization] == 1);
        CHECK(salesforce.map[CsvField::Owner] == 2);
        CHECK(salesforce.map[CsvField::Source] == 3);
        CHECK(salesforce.map[CsvField::Probability] == 4);
        CHECK(salesforce.map[CsvField::ClosedTime] == 5);

        auto odoo = map_csv_columns({"Opportunity", "Customer", "Expected Revenue", "Salesperson",
                                     "Expected Closing", "Lost Reason", "Tags"});
        CHECK(odoo.map[CsvField::Title] == 0);
        CHECK(odoo.map[CsvField::Organization] == 1);
        CHECK(odoo.map[CsvField::Value] == 2);
        CHECK(odoo.map[CsvField::Owner] == 3);
        CHECK(odoo.map[CsvField::ExpectedClose] == 4);
        CHECK(odoo.map[CsvField::LostReason] == 5);
        CHECK(odoo.map[CsvField::Labels] == 6);
    }

    TEST_CASE("case, spaces and punctuation do not matter; unknown headers map to nothing") {
        auto map =
            map_csv_columns({"  EXPECTED_close-DATE ", "lead source", "Favourite colour"}).map;
        CHECK(map[CsvField::ExpectedClose] == 0);
        CHECK(map[CsvField::Source] == 1);
        for (int field = 0; field < kCsvFieldCount; ++field) CHECK(map.column[field] != 2);
    }

    TEST_CASE("the first of two columns meaning the same field wins") {
        auto map = map_csv_columns({"Deal - Organization", "Organization - Name"}).map;
        CHECK(map[CsvField::Organization] == 0);
    }

    TEST_CASE("overrides pick a column by header, replacing the guess") {
        auto parsed = parse_csv_column_override("value = Budget (EUR)");
        REQUIRE(parsed.column_override);
        CHECK(parsed.column_override->field == CsvField::Value);
        CHECK(parsed.column_override->header == "Budget (EUR)");
        auto result = map_csv_columns({"Amount", "Budget (EUR)"}, {*parsed.column_override});
        CHECK(result.error.empty());
        CHECK(result.map[CsvField::Value] == 1);

        auto loose = map_csv_columns({"Amount", "budget eur"}, {*parsed.column_override});
        CHECK(loose.map[CsvField::Value] == 1);
    }

    TEST_CASE("bad overrides say what is wrong") {
        CHECK(parse_csv_column_override("value").error == "'value' is not field=Column header");
        CHECK(
            parse_csv_column_override("colour=Paint").error.find("'colour' is not a deal field") ==
            0);
        CHECK(parse_csv_column_override("title=").error == "'title=' names no column header");
        auto missing = map_csv_columns({"Title", "Amount"}, {{CsvField::Value, "Budget"}});
        CHECK(missing.error ==
              "the file has no column 'Budget' (its columns are 'Title', 'Amount')");
    }

    TEST_CASE("field names round-trip through their text") {
        for (int field = 0; field < kCsvFieldCount; ++field) {
            auto name = csv_field_name(static_cast<CsvField>(field));
            CHECK(csv_field_from_name(name) == static_cast<CsvField>(field));
        }
        CHECK(csv_field_from_name("Expected close") == CsvField::ExpectedClose);
        CHECK_FALSE(csv_field_from_name("colour"));
    }
}

TEST_SUITE("csv import") {
    TEST_CASE("a good file becomes deals with names, values, dates and owners") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(
            ws,
            "Title,Organization,Value,Stage,Status,Owner,Created,Expected close date,Source,"
            "Industry,Contact person,Email,Labels,Probability\n"
            "Website redesign,Acme,\"12,500.00\",proposal,open,ana silva,2025-03-04,"
            "2025-06-30,Referral,Retail,Jo Lee,jo@acme.test,\"hot, q2\",60\n"
            "Support plan,Globex,900,Lead In,,Ben Ode,2025-03-05 14:30,,Web,,,,,\n",
            options_at_import_time());
        REQUIRE(report.ok());
        CHECK(report.imported == 2);
        CHECK(report.skipped == 0);
        CHECK(report.reps_created == 1);
        REQUIRE(ws.deals.size() == 2);

        const Deal* redesign = deal_titled(ws, "Website redesign");
        REQUIRE(redesign);
        CHECK(redesign->organization == "Acme");
        CHECK(redesign->value == 1250000);
        CHECK(stage_name(ws, redesign->stage_id) == "Proposal");
        CHECK(redesign->pipeline_id == "p-sales");
        CHECK(redesign->owner_id == "r-ana");
        CHECK(redesign->status == DealStatus::Open);
        CHECK(redesign->meta.created == at(2025, 3, 4));
        CHECK(redesign->expected_close == on(2025, 6, 30));
        CHECK(redesign->lead_source == "Referral");
        CHECK(redesign->industry == "Retail");
        CHECK(redesign->probability == 60);
        CHECK(redesign->labels == std::vector<std::string>{"hot", "q2"});
        REQUIRE(redesign->contacts.size() == 1);
        CHECK(redesign->contacts[0].name == "Jo Lee");
        CHECK(redesign->contacts[0].email == "jo@acme.test");
        CHECK_FALSE(redesign->meta.id.empty());
        CHECK_FALSE(redesign->meta.rev.empty());

        const Deal* support = deal_titled(ws, "Support plan");
        REQUIRE(support);
        CHECK(support->value == 90000);
        CHECK(stage_name(ws, support->stage_id) == "Lead In");
        CHECK(rep_name(ws, support->owner_id) == "Ben Ode");
        CHECK(support->meta.created == at(2025, 3, 5, 14, 30));
        CHECK_FALSE(support->probability);
        CHECK(support->contacts.empty());
        CHECK(support->meta.id != redesign->meta.id);

        CHECK(ws.lists.lead_sources == std::vector<std::string>{"Referral", "Web"});
        CHECK(ws.lists.industries == std::vector<std::string>{"Retail"});
        CHECK(ws.lists.labels == std::vector<std::string>{"hot", "q2"});
    }

    TEST_CASE("won and lost deals get a close and the history metrics read") {
        Workspace ws = sales_workspace();
        auto report =
            import_deals_csv(ws,
                             "Title,Stage,Status,Created,Won time,Lost time,Lost reason\n"
                             "Won one,Negotiation,won,2025-01-10 09:00,2025-02-09 21:00,,\n"
                             "Lost one,Proposal,lost,2025-01-11,,2025-01-20,Price\n"
                             "Still open,Qualified,open,2025-01-12,,,\n",
                             options_at_import_time());
        REQUIRE(report.imported == 3);

        const Deal* won = deal_titled(ws, "Won one");
        REQUIRE(won);
        CHECK(won->status == DealStatus::Won);
        CHECK(won->closed_at == at(2025, 2, 9, 21));
        auto won_history = history_of(ws, won->meta.id);
        REQUIRE(won_history.size() == 2);
        CHECK(won_history[0]->kind == HistoryKind::Created);
        CHECK(won_history[0]->at == at(2025, 1, 10, 9));
        CHECK(won_history[0]->to_stage_id == won->stage_id);
        CHECK(won_history[1]->kind == HistoryKind::StatusChanged);
        CHECK(won_history[1]->at == at(2025, 2, 9, 21));
        CHECK(won_history[1]->from_status == DealStatus::Open);
        CHECK(won_history[1]->to_status == DealStatus::Won);

        const Deal* lost = deal_titled(ws, "Lost one");
        REQUIRE(lost);
        CHECK(lost->status == DealStatus::Lost);
        CHECK(lost->lost_reason == "Price");
        CHECK(lost->closed_at == at(2025, 1, 20));
        auto lost_history = history_of(ws, lost->meta.id);
        REQUIRE(lost_history.size() == 2);
        CHECK(lost_history[1]->to_status == DealStatus::Lost);
        CHECK(lost_history[1]->detail == "Price");
        CHECK(ws.lists.lost_reasons == std::vector<std::string>{"Price"});

        const Deal* open = deal_titled(ws, "Still open");
        REQUIRE(open);
        CHECK_FALSE(open->closed_at);
        CHECK(history_of(ws, open->meta.id).size() == 1);
    }

    TEST_CASE("status synonyms, and an outcome told only by a date or the stage") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws,
                                       "Deal Name,Deal Stage,Status,Won time,Lost time,Close date\n"
                                       "A,Qualified,Closed Won,2025-02-01,,\n"
                                       "B,Qualified,in progress,,,\n"
                                       "C,Qualified,,,2025-02-03,\n"
                                       "D,Closed Lost,,,,2025-02-04\n"
                                       "E,closed won,,,,2025-02-05\n"
                                       "F,Qualified,On hold,,,\n",
                                       options_at_import_time());
        REQUIRE(report.imported == 6);
        CHECK(deal_titled(ws, "A")->status == DealStatus::Won);
        CHECK(deal_titled(ws, "B")->status == DealStatus::Open);
        CHECK(deal_titled(ws, "C")->status == DealStatus::Lost);
        const Deal* d = deal_titled(ws, "D");
        CHECK(d->status == DealStatus::Lost);
        CHECK(stage_name(ws, d->stage_id) == "Negotiation");
        CHECK(d->closed_at == at(2025, 2, 4));
        CHECK(deal_titled(ws, "E")->status == DealStatus::Won);
        CHECK(deal_titled(ws, "F")->status == DealStatus::Nurture);
        CHECK(report.stages_created == 0);
    }

    TEST_CASE("bad rows are reported by the line they start on, good rows still import") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws,
                                       "Title,Value,Stage,Notes,Created\n"
                                       "Good one,100,Lead In,,2025-01-01\n"
                                       "Multi,200,Lead In,\"first\nsecond\nthird\",2025-01-02\n"
                                       "Bad value,abc,Lead In,,2025-01-03\n"
                                       "Bad stage,300,Signed,,2025-01-04\n"
                                       ",400,Lead In,,2025-01-05\n"
                                       "Bad date,500,Lead In,,yesterday\n"
                                       "Shifted,1,234,Lead In,note,2025-01-06\n"
                                       "Good two,600,lead in,,2025-01-07\n",
                                       options_at_import_time());
        REQUIRE(report.ok());
        CHECK(report.imported == 3);
        CHECK(report.skipped == 5);
        REQUIRE(report.problems.size() == 5);
        CHECK(describe(report.problems[0]) == "line 6: value 'abc' is not an amount");
        CHECK(describe(report.problems[1]) ==
              "line 7: stage 'Signed' is not a stage of pipeline 'Sales'");
        CHECK(describe(report.problems[2]) == "line 8: the deal has no title");
        CHECK(describe(report.problems[3]) == "line 9: created date 'yesterday' is not a date");
        CHECK(report.problems[4].line == 10);
        CHECK(report.problems[4].message.find("the row has 6 fields but the header has 5") == 0);
        CHECK(deal_titled(ws, "Multi")->notes == "first\nsecond\nthird");
        CHECK(deal_titled(ws, "Good two") != nullptr);
        CHECK(deal_titled(ws, "Bad value") == nullptr);
    }

    TEST_CASE("missing stages are created on request, in one place each") {
        Workspace ws = sales_workspace();
        auto options = options_at_import_time();
        options.create_missing_stages = true;
        auto report = import_deals_csv(
            ws, "Title,Stage\nA,Contract sent\nB,contract SENT\nC,Proposal\n", options);
        CHECK(report.imported == 3);
        CHECK(report.stages_created == 1);
        REQUIRE(ws.stages.size() == 5);
        CHECK(ws.stages.back().name == "Contract sent");
        CHECK(ws.stages.back().pipeline_id == "p-sales");
        CHECK(ws.stages.back().position == 4);
        CHECK(deal_titled(ws, "A")->stage_id == ws.stages.back().meta.id);
        CHECK(deal_titled(ws, "B")->stage_id == ws.stages.back().meta.id);
    }

    TEST_CASE("a pipeline column picks the pipeline by name") {
        Workspace ws = sales_workspace();
        ws.pipelines.push_back({{"p-renewals"}, "Renewals", 1});
        Stage due;
        due.meta.id = "s-due";
        due.pipeline_id = "p-renewals";
        due.name = "Due";
        ws.stages.push_back(due);
        auto report = import_deals_csv(
            ws, "Title,Pipeline,Stage\nA,renewals,Due\nB,Sales,Proposal\nC,Partners,Due\n",
            options_at_import_time());
        CHECK(report.imported == 2);
        CHECK(deal_titled(ws, "A")->pipeline_id == "p-renewals");
        CHECK(deal_titled(ws, "A")->stage_id == "s-due");
        CHECK(deal_titled(ws, "B")->pipeline_id == "p-sales");
        REQUIRE(report.problems.size() == 1);
        CHECK(describe(report.problems[0]) == "line 4: pipeline 'Partners' does not exist");
    }

    TEST_CASE("every supported date form reads as the same day") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws,
                                       "Title,Created,Expected close date\n"
                                       "iso,2025-03-04,2025-11-29\n"
                                       "iso time,2025-03-04T10:00:00Z,2025-11-29\n"
                                       "day first,04/03/2025,29/11/2025\n"
                                       "dotted,04.03.2025,29.11.2025\n"
                                       "words,4 Mar 2025,29 Nov 2025\n"
                                       "us words,\"Mar 4, 2025\",\"Nov 29, 2025\"\n",
                                       options_at_import_time());
        REQUIRE(report.imported == 6);
        for (const auto& deal : ws.deals) {
            CAPTURE(deal.title);
            CHECK(day_of(deal.meta.created) == on(2025, 3, 4));
            CHECK(deal.expected_close == on(2025, 11, 29));
        }
        CHECK(deal_titled(ws, "iso time")->meta.created == at(2025, 3, 4, 10));
    }

    TEST_CASE("month-first reads ambiguous slashed dates the American way") {
        std::string file = "Title,Created\nA,03/04/2025\n";
        Workspace day_first = sales_workspace();
        import_deals_csv(day_first, file, options_at_import_time());
        REQUIRE(day_first.deals.size() == 1);
        CHECK(day_of(day_first.deals[0].meta.created) == on(2025, 4, 3));

        Workspace month_first = sales_workspace();
        auto options = options_at_import_time();
        options.month_first = true;
        import_deals_csv(month_first, file, options);
        REQUIRE(month_first.deals.size() == 1);
        CHECK(day_of(month_first.deals[0].meta.created) == on(2025, 3, 4));
    }

    TEST_CASE("a deal with no created date is created at import time") {
        Workspace ws = sales_workspace();
        import_deals_csv(ws, "Title\nUndated\n", options_at_import_time());
        REQUIRE(ws.deals.size() == 1);
        CHECK(ws.deals[0].meta.created == kImportTime);
        REQUIRE(ws.history.size() == 1);
        CHECK(ws.history[0].at == kImportTime);
    }

    TEST_CASE("a semicolon file reads European amounts") {
        Workspace ws = sales_workspace();
        ws.currency = {"EUR", "\xE2\x82\xAC", 2};
        auto report = import_deals_csv(ws,
                                       "Titel;Wert;Stage\n"
                                       "A;1.234,50;Lead In\n"
                                       "B;99,9;Lead In\n"
                                       "C;2.500;Lead In\n"
                                       "D;1234.50;Lead In\n",
                                       options_at_import_time());
        CHECK(report.delimiter == ';');
        REQUIRE(report.imported == 4);
        CHECK(ws.deals[0].value == 123450);
        CHECK(ws.deals[1].value == 9990);
        CHECK(ws.deals[2].value == 250000);
        CHECK(ws.deals[3].value == 123450);
    }

    TEST_CASE("a tab-separated file imports like a comma-separated one") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws, "Title\tValue\nA\t1,000\n", options_at_import_time());
        CHECK(report.delimiter == '\t');
        REQUIRE(report.imported == 1);
        CHECK(ws.deals[0].value == 100000);
    }

    TEST_CASE("amounts in another currency are refused unless the import adopts it") {
        std::string file = "Title,Value,Currency\nA,100,EUR\nB,50,usd\n";
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws, file, options_at_import_time());
        CHECK(report.imported == 1);
        REQUIRE(report.problems.size() == 1);
        CHECK(describe(report.problems[0]) == "line 2: value is in EUR but the workspace uses USD");

        Workspace fresh = sales_workspace();
        auto options = options_at_import_time();
        options.adopt_file_currency = true;
        auto adopted = import_deals_csv(fresh, file, options);
        CHECK(fresh.currency.code == "EUR");
        CHECK(fresh.currency.symbol == "\xE2\x82\xAC");
        CHECK(adopted.imported == 1);
        CHECK(describe(adopted.problems[0]) ==
              "line 3: value is in usd but the workspace uses EUR");
    }

    TEST_CASE("overrides read a column the guesses would miss") {
        Workspace ws = sales_workspace();
        auto options = options_at_import_time();
        options.overrides = {{CsvField::Value, "Budget"}, {CsvField::Owner, "Account manager"}};
        auto report =
            import_deals_csv(ws, "Title,Budget,Account manager\nA,75,Ana Silva\n", options);
        REQUIRE(report.imported == 1);
        CHECK(ws.deals[0].value == 7500);
        CHECK(ws.deals[0].owner_id == "r-ana");
    }

    TEST_CASE("owners are matched by name, each new one created once") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws, "Title,Owner\nA,Ben Ode\nB,BEN ODE\nC,Ana Silva\nD,\n",
                                       options_at_import_time());
        CHECK(report.imported == 4);
        CHECK(report.reps_created == 1);
        REQUIRE(ws.reps.size() == 2);
        CHECK(ws.reps[1].name == "Ben Ode");
        CHECK_FALSE(ws.reps[1].meta.id.empty());
        CHECK(deal_titled(ws, "A")->owner_id == ws.reps[1].meta.id);
        CHECK(deal_titled(ws, "B")->owner_id == ws.reps[1].meta.id);
        CHECK(deal_titled(ws, "D")->owner_id.empty());
    }

    TEST_CASE("imported deals go below the deals already in their stage") {
        Workspace ws = sales_workspace();
        Deal existing;
        existing.meta.id = "d-old";
        existing.stage_id = "s-0";
        existing.position = 7;
        ws.deals.push_back(existing);
        import_deals_csv(ws, "Title\nA\nB\n", options_at_import_time());
        REQUIRE(ws.deals.size() == 3);
        CHECK(ws.deals[1].position > 7);
        CHECK(ws.deals[2].position > ws.deals[1].position);
    }

    TEST_CASE("a workspace without a pipeline gets the default one") {
        Workspace ws;
        auto report = import_deals_csv(ws, "Title\nA\n", options_at_import_time());
        REQUIRE(report.imported == 1);
        REQUIRE(ws.pipelines.size() == 1);
        CHECK(ws.stages.size() == default_stage_templates().size());
        CHECK(stage_name(ws, ws.deals[0].stage_id) == default_stage_templates()[0].name);
    }

    TEST_CASE("unusable files import nothing and say why") {
        Workspace ws = sales_workspace();
        auto options = options_at_import_time();
        CHECK(import_deals_csv(ws, "", options).error == "the file is empty");
        CHECK(import_deals_csv(ws, std::string("\0\1\2\3PK", 6), options).error ==
              "the file is not CSV text (it holds binary data)");
        auto numbers = import_deals_csv(ws, "12,500,2025-01-01\n13,600,2025-01-02\n", options);
        CHECK(numbers.error ==
              "line 1 is not a header of deal columns (it reads '12', '500', '2025-01-01')");
        auto no_title = import_deals_csv(ws, "Value,Stage\n100,Lead In\n", options);
        CHECK(no_title.error.find("no column holds the deal title") == 0);
        options.overrides = {{CsvField::Value, "Budget"}};
        CHECK_FALSE(import_deals_csv(ws, "Title\nA\n", options).ok());
        CHECK(ws.deals.empty());
        CHECK(ws.reps.size() == 1);
        CHECK(ws.history.empty());
    }

    TEST_CASE("a header with no rows imports nothing, without an error") {
        Workspace ws = sales_workspace();
        auto report = import_deals_csv(ws, "Title,Value\n", options_at_import_time());
        CHECK(report.ok());
        CHECK(report.imported == 0);
        CHECK(report.skipped == 0);
    }

    TEST_CASE("the same seed gives the same ids; records carry revisions") {
        Workspace first = sales_workspace();
        Workspace second = sales_workspace();
        import_deals_csv(first, "Title,Owner\nA,Ben\n", options_at_import_time());
        import_deals_csv(second, "Title,Owner\nA,Ben\n", options_at_import_time());
        CHECK(first.deals[0].meta.id == second.deals[0].meta.id);
        CHECK(revision_number(first.deals[0].meta.rev) == 1);
        CHECK(revision_number(first.reps[1].meta.rev) == 1);
        CHECK(revision_number(first.history[0].meta.rev) == 1);
    }
}

TEST_SUITE("csv export") {
    TEST_CASE("cells a spreadsheet would run as formulas are guarded") {
        CHECK(csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
        CHECK(csv_cell("+1 call") == "'+1 call");
        CHECK(csv_cell("-cmd") == "'-cmd");
        CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
        CHECK(csv_cell("\tx") == "'\tx");
        CHECK(csv_cell("\rx") == "\"'\rx\"");
        CHECK(csv_cell("-12.50") == "-12.50");
        CHECK(csv_cell("a=b") == "a=b");
        CHECK(csv_cell("") == "");
        CHECK(csv_cell("a,b") == "\"a,b\"");
        CHECK(csv_cell("a;b", ';') == "\"a;b\"");
        CHECK(csv_cell("a;b") == "a;b");
        CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    }

    TEST_CASE("a document ends every row with CRLF") {
        CHECK(csv_document({"A", "B"}, {{"1", "x,y"}, {"2", ""}}) == "A,B\r\n1,\"x,y\"\r\n2,\r\n");
        CHECK(csv_document({"A"}, {}) == "A\r\n");
    }

    TEST_CASE("deals export with names and decimal amounts, deleted deals left out") {
        Workspace ws = sales_workspace();
        Deal deal;
        deal.meta.id = "d1";
        deal.meta.created = at(2025, 1, 2, 3, 4);
        deal.pipeline_id = "p-sales";
        deal.stage_id = "s-2";
        deal.owner_id = "r-ana";
        deal.title = "=cmd|' /C calc'!A0";
        deal.value = -5;
        deal.status = DealStatus::Won;
        deal.closed_at = at(2025, 2, 1);
        ws.deals.push_back(deal);
        Deal gone = deal;
        gone.meta.id = "d2";
        gone.title = "Gone";
        gone.meta.deleted = true;
        ws.deals.push_back(gone);

        std::string csv = export_deals_csv(ws);
        auto parsed = parse_csv(csv);
        REQUIRE(parsed.ok());
        REQUIRE(parsed.table->rows.size() == 1);
        const auto& header = parsed.table->header;
        const auto& row = parsed.table->rows[0].fields;
        auto cell = [&](std::string_view name) {
            auto it = std::find(header.begin(), header.end(), name);
            REQUIRE(it != header.end());
            return row[static_cast<std::size_t>(it - header.begin())];
        };
        CHECK(cell("Title") == "'=cmd|' /C calc'!A0");
        CHECK(cell("Value") == "-0.05");
        CHECK(cell("Currency") == "USD");
        CHECK(cell("Stage") == "Proposal");
        CHECK(cell("Pipeline") == "Sales");
        CHECK(cell("Owner") == "Ana Silva");
        CHECK(cell("Status") == "won");
        CHECK(cell("Created") == "2025-01-02T03:04:00Z");
        CHECK(cell("Won time") == "2025-02-01T00:00:00Z");
        CHECK(cell("Lost time") == "");
    }

    TEST_CASE("export then import gives back the same deals") {
        Workspace source = sales_workspace();
        auto options = options_at_import_time();
        auto first = import_deals_csv(
            source,
            "Title,Organization,Value,Stage,Status,Owner,Created,Expected close date,Won time,"
            "Lost time,Lost reason,Source,Industry,Contact person,Email,Phone,Labels,Notes,"
            "Probability\n"
            "\"=Risky, title\",\"Acme, Inc.\",1234.56,Proposal,won,Ana Silva,2025-01-02 10:00,"
            "2025-03-01,2025-02-15 16:30,,,Referral,Retail,Jo,jo@x.test,+1 555,\"a, b\","
            "\"two\nlines\",40\n"
            "Plain,,0.07,Lead In,lost,Ben Ode,2025-01-03,,,2025-01-09,Timing,,,,,,,,\n"
            "Open one,Initech,-20,Negotiation,open,,2025-01-04,,,,,,,,,,,,\n",
            options);
        REQUIRE(first.imported == 3);

        Workspace copy = sales_workspace();
        options.id_seed = 77;
        auto second = import_deals_csv(copy, export_deals_csv(source), options);
        REQUIRE(second.ok());
        CHECK(second.skipped == 0);
        REQUIRE(copy.deals.size() == source.deals.size());
        for (std::size_t i = 0; i < source.deals.size(); ++i) {
            const Deal& a = source.deals[i];
            const Deal& b = copy.deals[i];
            CAPTURE(a.title);
            CHECK(b.title == a.title);
            CHECK(b.organization == a.organization);
            CHECK(b.value == a.value);
            CHECK(stage_name(copy, b.stage_id) == stage_name(source, a.stage_id));
            CHECK(rep_name(copy, b.owner_id) == rep_name(source, a.owner_id));
            CHECK(b.owner_id.empty() == a.owner_id.empty());
            CHECK(b.status == a.status);
            CHECK(b.meta.created == a.meta.created);
            CHECK(b.closed_at == a.closed_at);
            CHECK(b.expected_close == a.expected_close);
            CHECK(b.lost_reason == a.lost_reason);
            CHECK(b.lead_source == a.lead_source);
            CHECK(b.industry == a.industry);
            CHECK(b.labels == a.labels);
            CHECK(b.notes == a.notes);
            CHECK(b.probability == a.probability);
            REQUIRE(b.contacts.size() == a.contacts.size());
            if (!a.contacts.empty()) {
                CHECK(b.contacts[0].name == a.contacts[0].name);
                CHECK(b.contacts[0].email == a.contacts[0].email);
                CHECK(b.contacts[0].phone == a.contacts[0].phone);
            }
        }
        CHECK(source.deals[0].title == "=Risky, title");
    }

    TEST_CASE("a metrics table exports as CSV") {
        MetricsTable table{{"Source", "Won value"}, {{"Referral", "1200.00"}, {"=x", "0.00"}}};
        CHECK(export_metrics_csv(table) == "Source,Won value\r\nReferral,1200.00\r\n'=x,0.00\r\n");
        CHECK(export_metrics_csv(MetricsTable{}).empty());
    }
}

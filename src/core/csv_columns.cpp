// Which CSV column holds which deal field: header names of common CRM exports, and the
// user's `field=Header` overrides.
#include <array>
#include <cstring>

#include "csv.hpp"

namespace pb {
namespace {

constexpr std::array<const char*, kCsvFieldCount> kFieldNames = {
    "title",     "organization", "value",       "currency",       "pipeline", "stage",
    "status",    "owner",        "probability", "expected_close", "created",  "won_time",
    "lost_time", "closed_time",  "lost_reason", "source",         "industry", "contact",
    "email",     "phone",        "labels",      "notes"};

struct HeaderSynonym {
    const char* normalized;
    CsvField field;
};

// Header names as normalize_header leaves them. "Deal - " and "Opportunity " prefixes are
// tried off as well, so "Deal - Value" and "Deal stage" need no entry of their own.
constexpr HeaderSynonym kSynonyms[] = {
    {"title", CsvField::Title},
    {"name", CsvField::Title},
    {"dealname", CsvField::Title},
    {"opportunity", CsvField::Title},
    {"opportunityname", CsvField::Title},
    {"deal", CsvField::Title},
    {"subject", CsvField::Title},
    // The commonest German and French headers, for spreadsheets made by hand.
    {"titel", CsvField::Title},
    {"titre", CsvField::Title},
    {"firma", CsvField::Organization},
    {"unternehmen", CsvField::Organization},
    {"entreprise", CsvField::Organization},
    {"wert", CsvField::Value},
    {"betrag", CsvField::Value},
    {"montant", CsvField::Value},
    {"valeur", CsvField::Value},
    {"phase", CsvField::Stage},
    {"organization", CsvField::Organization},
    {"organisation", CsvField::Organization},
    {"organizationname", CsvField::Organization},
    {"organisationname", CsvField::Organization},
    {"company", CsvField::Organization},
    {"companyname", CsvField::Organization},
    {"associatedcompany", CsvField::Organization},
    {"account", CsvField::Organization},
    {"accountname", CsvField::Organization},
    {"customer", CsvField::Organization},
    {"client", CsvField::Organization},
    {"value", CsvField::Value},
    {"amount", CsvField::Value},
    {"expectedrevenue", CsvField::Value},
    {"revenue", CsvField::Value},
    {"dealvalue", CsvField::Value},
    {"price", CsvField::Value},
    {"currency", CsvField::Currency},
    {"currencycode", CsvField::Currency},
    {"amountcurrency", CsvField::Currency},
    {"valuecurrency", CsvField::Currency},
    {"pipeline", CsvField::Pipeline},
    {"pipelinename", CsvField::Pipeline},
    {"stage", CsvField::Stage},
    {"stagename", CsvField::Stage},
    {"pipelinestage", CsvField::Stage},
    {"salesstage", CsvField::Stage},
    {"status", CsvField::Status},
    {"state", CsvField::Status},
    {"outcome", CsvField::Status},
    {"wonlost", CsvField::Status},
    {"owner", CsvField::Owner},
    {"ownername", CsvField::Owner},
    {"salesperson", CsvField::Owner},
    {"salesrep", CsvField::Owner},
    {"rep", CsvField::Owner},
    {"assignedto", CsvField::Owner},
    {"user", CsvField::Owner},
    {"responsible", CsvField::Owner},
    {"probability", CsvField::Probability},
    {"probabilitypercent", CsvField::Probability},
    {"winprobability", CsvField::Probability},
    {"expectedclosedate", CsvField::ExpectedClose},
    {"expectedclose", CsvField::ExpectedClose},
    {"expectedclosing", CsvField::ExpectedClose},
    {"expectedclosingdate", CsvField::ExpectedClose},
    {"closedate", CsvField::ExpectedClose},
    {"created", CsvField::Created},
    {"createdate", CsvField::Created},
    {"createddate", CsvField::Created},
    {"createdon", CsvField::Created},
    {"createdat", CsvField::Created},
    {"creationdate", CsvField::Created},
    {"dealcreated", CsvField::Created},
    {"addtime", CsvField::Created},
    {"wontime", CsvField::WonTime},
    {"wondate", CsvField::WonTime},
    {"datewon", CsvField::WonTime},
    {"wonon", CsvField::WonTime},
    {"wonat", CsvField::WonTime},
    {"losttime", CsvField::LostTime},
    {"lostdate", CsvField::LostTime},
    {"datelost", CsvField::LostTime},
    {"loston", CsvField::LostTime},
    {"lostat", CsvField::LostTime},
    {"closeddate", CsvField::ClosedTime},
    {"closedon", CsvField::ClosedTime},
    {"closedat", CsvField::ClosedTime},
    {"closetime", CsvField::ClosedTime},
    {"closedtime", CsvField::ClosedTime},
    {"dateclosed", CsvField::ClosedTime},
    {"actualclosedate", CsvField::ClosedTime},
    {"lostreason", CsvField::LostReason},
    {"reasonlost", CsvField::LostReason},
    {"lossreason", CsvField::LostReason},
    {"closedlostreason", CsvField::LostReason},
    {"source", CsvField::Source},
    {"leadsource", CsvField::Source},
    {"origin", CsvField::Source},
    {"channel", CsvField::Source},
    {"originalsource", CsvField::Source},
    {"industry", CsvField::Industry},
    {"sector", CsvField::Industry},
    {"vertical", CsvField::Industry},
    {"organizationindustry", CsvField::Industry},
    {"companyindustry", CsvField::Industry},
    {"contact", CsvField::Contact},
    {"contactperson", CsvField::Contact},
    {"contactname", CsvField::Contact},
    {"person", CsvField::Contact},
    {"personname", CsvField::Contact},
    {"primarycontact", CsvField::Contact},
    {"associatedcontact", CsvField::Contact},
    {"email", CsvField::Email},
    {"emailaddress", CsvField::Email},
    {"contactemail", CsvField::Email},
    {"personemail", CsvField::Email},
    {"phone", CsvField::Phone},
    {"phonenumber", CsvField::Phone},
    {"telephone", CsvField::Phone},
    {"mobile", CsvField::Phone},
    {"contactphone", CsvField::Phone},
    {"personphone", CsvField::Phone},
    {"labels", CsvField::Labels},
    {"label", CsvField::Labels},
    {"tags", CsvField::Labels},
    {"tag", CsvField::Labels},
    {"notes", CsvField::Notes},
    {"note", CsvField::Notes},
    {"description", CsvField::Notes},
    {"comments", CsvField::Notes},
    {"comment", CsvField::Notes},
};

// Lowercase ASCII letters and digits only; other UTF-8 bytes are kept so accented headers
// still compare equal to themselves.
std::string normalize_header(std::string_view header) {
    std::string out;
    out.reserve(header.size());
    for (char c : header) {
        if (c >= 'A' && c <= 'Z') {
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   static_cast<unsigned char>(c) >= 0x80) {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<CsvField> field_for_normalized(std::string_view normalized) {
    for (const auto& synonym : kSynonyms) {
        if (normalized == synonym.normalized) return synonym.field;
    }
    return std::nullopt;
}

std::optional<CsvField> guess_field(std::string_view header) {
    std::string normalized = normalize_header(header);
    if (normalized.empty()) return std::nullopt;
    if (auto field = field_for_normalized(normalized)) return field;
    for (std::string_view prefix : {"deal", "opportunity"}) {
        std::string_view view = normalized;
        if (view.size() > prefix.size() && view.substr(0, prefix.size()) == prefix) {
            if (auto field = field_for_normalized(view.substr(prefix.size()))) return field;
        }
    }
    return std::nullopt;
}

std::string_view trimmed(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

}  // namespace

const char* csv_field_name(CsvField field) {
    auto index = static_cast<std::size_t>(field);
    return index < kFieldNames.size() ? kFieldNames[index] : "unknown";
}

std::optional<CsvField> csv_field_from_name(std::string_view name) {
    std::string normalized = normalize_header(name);
    for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
        if (normalized == normalize_header(kFieldNames[i])) return static_cast<CsvField>(i);
    }
    return std::nullopt;
}

namespace {

// Built by appending: GCC 12 warns (-Wrestrict, wrongly) about "'" + std::string(text).
std::string quoted(std::string_view text) {
    std::string out = "'";
    out.append(text);
    out += '\'';
    return out;
}

}  // namespace

CsvOverrideParse parse_csv_column_override(std::string_view text) {
    CsvOverrideParse result;
    auto equals = text.find('=');
    if (equals == std::string_view::npos) {
        result.error = quoted(text) + " is not field=Column header";
        return result;
    }
    auto field = csv_field_from_name(trimmed(text.substr(0, equals)));
    if (!field) {
        std::string known;
        for (const char* name : kFieldNames)
            known += (known.empty() ? "" : ", ") + std::string(name);
        result.error = quoted(trimmed(text.substr(0, equals))) +
                       " is not a deal field (fields: " + known + ")";
        return result;
    }
    auto header = trimmed(text.substr(equals + 1));
    if (header.empty()) {
        result.error = quoted(text) + " names no column header";
        return result;
    }
    result.column_override = CsvColumnOverride{*field, std::string(header)};
    return result;
}

CsvColumnMap::CsvColumnMap() {
    for (int& index : column) index = -1;
}

CsvMappingResult map_csv_columns(const std::vector<std::string>& header,
                                 const std::vector<CsvColumnOverride>& overrides) {
    CsvMappingResult result;
    for (std::size_t i = 0; i < header.size(); ++i) {
        auto field = guess_field(header[i]);
        // The first column of a kind wins: Pipedrive puts "Deal - Organization" before
        // "Organization - Name", and both mean the same.
        if (field && !result.map.has(*field)) {
            result.map.column[static_cast<int>(*field)] = static_cast<int>(i);
        }
    }
    for (const auto& column_override : overrides) {
        int found = -1;
        for (std::size_t i = 0; i < header.size() && found < 0; ++i) {
            if (trimmed(header[i]) == trimmed(column_override.header)) found = static_cast<int>(i);
        }
        std::string wanted = normalize_header(column_override.header);
        for (std::size_t i = 0; i < header.size() && found < 0; ++i) {
            if (!wanted.empty() && normalize_header(header[i]) == wanted) {
                found = static_cast<int>(i);
            }
        }
        if (found < 0) {
            std::string columns;
            for (const auto& name : header) columns += (columns.empty() ? "'" : ", '") + name + "'";
            result.error = "the file has no column '" + column_override.header +
                           "' (its columns are " + columns + ")";
            return result;
        }
        result.map.column[static_cast<int>(column_override.field)] = found;
    }
    return result;
}

}  // namespace pb

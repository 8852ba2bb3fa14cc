// Pipeboard's JSON document: a lenient loader that reports every problem with its JSON pointer,
// a deterministic saver, checksummed exports, per-record JSON, and the version migrations.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "workspace.hpp"

namespace pb {

constexpr int kFormatVersion = 1;
// Limits that keep a crafted file from exhausting memory or the stack. Tree bytes estimate the
// memory of what is held as JSON trees at once: everything except the streamed record lists.
constexpr std::size_t kMaxDocumentBytes = std::size_t{512} << 20;
constexpr std::size_t kMaxTreeBytes = std::size_t{1} << 30;
constexpr int kMaxNestingDepth = 64;
constexpr std::size_t kMaxListedProblems = 1000;

struct LoadProblem {
    std::string path;  // JSON pointer, e.g. "/deals/12/value"; "" for the whole document
    std::string message;
};

struct LoadResult {
    std::optional<Workspace> workspace;  // nullopt when the document cannot be used at all
    std::vector<LoadProblem> problems;   // every problem found, fatal or not
    std::string error;                   // one-line summary when workspace is nullopt
    bool ok() const { return workspace.has_value(); }
};

std::string workspace_to_json(const Workspace& ws, bool pretty = false);
LoadResult workspace_from_json(std::string_view text);
// The document's workspace-level members (id, name, currency, settings, lists and members
// this version does not know) without the record arrays, compact: what a store that keeps
// its records apart keeps beside them.
std::string workspace_fields_json(const Workspace& ws);
// The browser keeps a workspace as a base document written whole and, on top, a document of
// the workspace fields and the records written since. Loads the two as one: a top record
// replaces the base record of its id, and problems in the top layer keep their pointers
// (base records are numbered after the top layer's). An empty `base` loads `top` alone.
LoadResult workspace_from_layers(std::string_view top, std::string_view base);

// The saved document's content plus {"checksum": "fnv1a64:<16 hex>"}, compact and with every
// record's members in name order (the canonical form the checksum hashes), settings.
// last_export_at set to `exported_at` and changes_since_export to 0. Loading refuses it when
// the content changed.
std::string export_workspace_json(const Workspace& ws, Timestamp exported_at);

// The checksum of a document as export_workspace_json writes it ("fnv1a64:..."), ignoring any
// checksum member already present; nullopt when the text is not a JSON object.
std::optional<std::string> document_checksum(std::string_view text);

// One record as its own JSON object: the document's record fields plus "kind" ("deal",
// "activity", "stage", "pipeline", "rep", "target", "history"), for stores that keep one
// entry per record.
nlohmann::json record_to_json(const Pipeline& pipeline);
nlohmann::json record_to_json(const Stage& stage);
nlohmann::json record_to_json(const Rep& rep);
nlohmann::json record_to_json(const Target& target);
nlohmann::json record_to_json(const Deal& deal);
nlohmann::json record_to_json(const Activity& activity);
nlohmann::json record_to_json(const HistoryEvent& event);
// The same object as compact JSON text, written without building the tree first (saving an
// edit in the browser does this for every changed record).
template <class R>
std::string record_json_text(const R& record);

// The inverse, as lenient as the document loader: bad fields keep their defaults and are
// reported with pointers relative to the record ("/value"). Returns false, leaving `out`
// unspecified, when the record is unusable (not an object, no `_id`, another kind).
bool record_from_json(const nlohmann::json& j, Pipeline& out, std::vector<LoadProblem>& problems);
bool record_from_json(const nlohmann::json& j, Stage& out, std::vector<LoadProblem>& problems);
bool record_from_json(const nlohmann::json& j, Rep& out, std::vector<LoadProblem>& problems);
bool record_from_json(const nlohmann::json& j, Target& out, std::vector<LoadProblem>& problems);
bool record_from_json(const nlohmann::json& j, Deal& out, std::vector<LoadProblem>& problems);
bool record_from_json(const nlohmann::json& j, Activity& out, std::vector<LoadProblem>& problems);
bool record_from_json(const nlohmann::json& j, HistoryEvent& out,
                      std::vector<LoadProblem>& problems);

// One step of the upgrade path: rewrites a version N document into version N + 1 in place.
using FormatMigration = void (*)(nlohmann::json& document);
// The steps of this build; entry i upgrades version i + 1. Empty while kFormatVersion is 1.
std::span<const FormatMigration> format_migrations();
// Applies steps[from_version - 1] onwards, in order, and sets "version" to the version reached.
int run_migrations(nlohmann::json& document, int from_version,
                   std::span<const FormatMigration> steps);

}  // namespace pb

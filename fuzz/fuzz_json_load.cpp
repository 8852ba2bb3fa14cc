// libFuzzer target for the JSON loader: no input may crash it or make it misbehave, and
// whatever it accepts must save, reload and save again to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json_format.hpp"

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

// After the first load repaired what it could, a reload may only repeat the references that
// had nowhere to go (a stage without a pipeline, a deal without any stage).
bool is_unrepairable_reference(const pb::LoadProblem& problem) {
    const auto ends_with = [&](std::string_view suffix) {
        return problem.path.size() >= suffix.size() &&
               problem.path.compare(problem.path.size() - suffix.size(), suffix.size(), suffix) ==
                   0;
    };
    return ends_with("/stage_id") || ends_with("/pipeline_id");
}

template <class Record>
void require_record_round_trip(const std::vector<Record>& records) {
    for (const Record& record : records) {
        const nlohmann::json first = pb::record_to_json(record);
        Record copy;
        std::vector<pb::LoadProblem> problems;
        require(pb::record_from_json(first, copy, problems));
        require(problems.empty());
        require(pb::record_to_json(copy) == first);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const pb::LoadResult first = pb::workspace_from_json(text);
    if (!first.ok()) {
        require(!first.error.empty() && !first.problems.empty());
        return 0;
    }
    const pb::Workspace& ws = *first.workspace;

    const std::string saved = pb::workspace_to_json(ws);
    const pb::LoadResult second = pb::workspace_from_json(saved);
    require(second.ok());
    for (const pb::LoadProblem& problem : second.problems) {
        require(is_unrepairable_reference(problem));
    }
    require(pb::workspace_to_json(*second.workspace) == saved);

    const pb::LoadResult pretty = pb::workspace_from_json(pb::workspace_to_json(ws, true));
    require(pretty.ok() && pb::workspace_to_json(*pretty.workspace) == saved);

    const pb::LoadResult exported = pb::workspace_from_json(pb::export_workspace_json(ws, 86400));
    require(exported.ok() && exported.problems.size() == second.problems.size());

    require_record_round_trip(ws.pipelines);
    require_record_round_trip(ws.stages);
    require_record_round_trip(ws.reps);
    require_record_round_trip(ws.targets);
    require_record_round_trip(ws.deals);
    require_record_round_trip(ws.activities);
    require_record_round_trip(ws.history);
    return 0;
}

// The sample pipeline: a realistic, deterministic workspace of a small B2B company, made
// from a seed, for demos, screenshots and benchmarks. The same seed, size and "now" always
// give the same workspace, byte for byte.
#pragma once

#include "workspace.hpp"

#include <cstdint>

namespace pb {

struct SampleOptions {
    std::uint64_t seed = 2026;
    int deal_count = 300;
    int rep_count = 5;
    int history_days = 365;  // how far back the oldest deal was created
};

// Reps with monthly targets and a team quarterly target; deals spread over the seven stages
// and won, lost (with reasons) and nurture; decision-makers; activities done, due today,
// overdue and planned; stage histories going back `history_days`; a few stagnant deals and
// contracts up for renewal soon.
Workspace make_sample_workspace(const SampleOptions& options, Timestamp now);

}  // namespace pb

// Sales metrics over a workspace: pure functions of the deals, their history, the reps and the
// targets, for the dashboard, the CLI and CSV export. "now" is always a parameter.
//
// Cost: each call is one pass over the deals; the history metrics (funnel, time in stage, stage
// attention) add one pass over the history, grouped by deal, unless the workspace's index is
// given (it keeps every deal's stage visits). all_metrics counts every metric in one pass.
#pragma once

#include "workspace.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pb {

class WorkspaceIndex;

// Which deals a metric looks at. Records with meta.deleted are always ignored.
//
// "In the period" depends on what a metric measures, and every metric below says which date it
// uses. The shared rules:
// - closed deals count when closed_at falls in the period (without one, only when the period is
//   unbounded);
// - open deals count when expected_close falls in the period; an open deal with no expected
//   close counts only when the period is unbounded on both sides (a dated view should not
//   silently include undated deals, an all-time view should not lose them);
// - stage history counts when the stage was entered in the period (a cohort: what happened to
//   those deals afterwards is followed up to the last recorded event or now).
struct MetricsFilter {
    std::optional<Day> from, to;  // inclusive period; nullopt = unbounded; from > to: empty
    // Empty = all pipelines. Stage metrics (stage summaries, funnel, time in stage, stage
    // attention) need one pipeline: empty means the first one (lowest position).
    Id pipeline_id;
    Id owner_id;              // empty = any
    std::string lead_source;  // empty = any; exact match
    std::string industry;     // empty = any; exact match
};

// [SECTION] Stages

// Open deals currently in each stage of the pipeline, in stage order (period: expected close).
// A deal is rotting when it has been in its stage more whole days than the stage's rotting_days.
struct StageSummary {
    Id stage_id;
    std::string name;
    int open_count = 0;
    Money open_value = 0;
    Money weighted_value = 0;  // value x (deal probability, else the stage default), per deal
    int rotting_count = 0;
};
std::vector<StageSummary> stage_summaries(const Workspace&, const MetricsFilter&, Timestamp now);

// A cohort funnel from the history: per stage, the deals that entered it in the period (creation
// in a stage or a move into it; each deal counted once per stage), and of those how many later
// moved to a later stage or were won ("advanced"), and how many were marked lost while in it.
// Only deals currently in the pipeline are counted; one without any history counts as entering
// its current stage at stage_entered_at (imports often carry no history).
struct StageConversion {
    Id stage_id;
    std::string name;
    int entered = 0;
    int advanced = 0;
    int lost_here = 0;
    Money entered_value = 0;        // current value of the entered deals
    double conversion_to_next = 0;  // advanced / entered, 0 when none entered
};
std::vector<StageConversion> funnel(const Workspace&, const MetricsFilter&);

// [SECTION] Closed deals

// Deals won or lost with closed_at in the period, by their current status.
struct WinRate {
    int won = 0, lost = 0;
    Money won_value = 0, lost_value = 0;
    double by_count = 0, by_value = 0;  // won / (won + lost), 0 when nothing closed
};
WinRate win_rate(const Workspace&, const MetricsFilter&, const WorkspaceIndex* index = nullptr);

// Values of the deals won in the period (closed_at). Average and even-count median are rounded
// to the nearest minor unit.
struct DealSizeStats {
    int count = 0;
    Money average = 0, median = 0, min = 0, max = 0;
};
DealSizeStats won_deal_size(const Workspace&, const MetricsFilter&,
                            const WorkspaceIndex* index = nullptr);

// The same deals as won_deal_size in buckets of one "nice" width (1, 2, 2.5 or 5 times a power
// of ten minor units, the smallest giving at most max_buckets buckets). Each entry is a
// bucket's inclusive upper bound and its count: the first bucket is [0, w], then (w, 2w], ...
// up to the largest deal. Empty when no deal was won; one bucket {0, n} when all were free.
std::vector<std::pair<Money, int>> deal_size_histogram(const Workspace&, const MetricsFilter&,
                                                       int max_buckets = 10);

// Days from a deal's creation (meta.created) to its close, for deals won in the period (a won
// deal without closed_at has no cycle to measure and is left out).
struct CycleTime {
    int deals = 0;
    double average_days = 0;
    double median_days = 0;
};
CycleTime cycle_time(const Workspace&, const MetricsFilter&, const WorkspaceIndex* index = nullptr);

// The three figures above for one period, counted in one pass over the deals (a period set
// beside the one before it reads each deal once, not three times).
struct ClosedDeals {
    WinRate win_rate;
    DealSizeStats won_deal_size;
    CycleTime cycle_time;
};
ClosedDeals closed_deals(const Workspace&, const MetricsFilter&,
                         const WorkspaceIndex* index = nullptr);

// Per stage of the pipeline, the visits (from the history) that began in the period and how long
// they lasted: until the deal moved on or was won, lost or put in nurture; still-open visits
// count up to now. A reopened deal starts a new visit.
struct StageTime {
    Id stage_id;
    std::string name;
    int visits = 0;
    double average_days = 0;
};
std::vector<StageTime> time_in_stage(const Workspace&, const MetricsFilter&, Timestamp now);

// Open deals in their stage longer than its rotting_days (whole days), longest first (then
// earliest entered, then workspace order), in every pipeline unless the filter names one (a list
// of deals needs no stage order). Period: expected close, as for every open deal.
// A row names its deal and stage by position in the workspace the list was made from: the list
// can hold thousands of deals, and copying each one's id and title from 100,000 scattered records
// cost more than finding them; a reader looks up the few it shows.
struct StagnantDeal {
    std::size_t deal = 0;   // in Workspace::deals
    std::size_t stage = 0;  // in Workspace::stages
    int days_in_stage = 0;
    int rotting_days = 0;
};
std::vector<StagnantDeal> stagnant_deals(const Workspace&, const MetricsFilter&, Timestamp now,
                                         const WorkspaceIndex* index = nullptr);

// [SECTION] Breakdowns

// Per lead source, industry or owner: `deals`/`value` are the deals created in the period (new
// business it brought), won/lost/won_value/win_rate the deals closed in the period. By lost
// reason: only deals lost in the period, so deals == lost. Empty keys show as "(none)"; owners
// show as the rep's name. Sorted by value, largest first, then by deal count, then by key.
struct Breakdown {
    std::string key;
    int deals = 0;
    Money value = 0;
    int won = 0, lost = 0;
    Money won_value = 0;
    double win_rate = 0;  // won / (won + lost)
};
enum class BreakdownBy { LeadSource, Industry, Owner, LostReason };
std::vector<Breakdown> breakdown(const Workspace&, const MetricsFilter&, BreakdownBy,
                                 const WorkspaceIndex* index = nullptr);

// [SECTION] Targets and reps

// Targets are set per month or quarter, so target metrics need a bounded period: when the
// filter leaves either end open, they use the calendar month containing now, for the target and
// for the won amount alike (attainment compares like with like). Ends given backwards are
// swapped. They measure the filter's owner against that rep's target, else the whole team
// against the team's.
//
// A target over any period is prorated by days: each month of the period contributes its month
// target (else its quarter's target, spread evenly over the quarter's days) times the share of
// the month's days inside the period. A whole month or quarter therefore gets exactly its target.

// The target of one rep (or the team, rep_id empty) for the month or quarter starting on
// period_start: the target set for that period, else the standing one (no period_start), else 0.
// The team's is its own target if any, else the sum of the reps' targets. When several targets
// match, the most recently updated wins.
Money target_for(const Workspace&, const Id& rep_id, Day period_start, TargetPeriod);

// One row per rep (all non-deleted reps, or the filter's owner), by won value, then name.
// target, won_value, attainment and activities_done use the target period above; open and
// weighted pipeline follow the filter's own period (expected close); activities_overdue is the
// rep's overdue work as of now, whatever the period (it needs doing either way).
struct RepPerformance {
    Id rep_id;
    std::string name;
    Money target = 0;
    Money won_value = 0;
    double attainment = 0;  // won_value / target, 0 without a target
    Money open_pipeline = 0;
    Money weighted_pipeline = 0;
    int activities_done = 0, activities_overdue = 0;
};
std::vector<RepPerformance> rep_performance(const Workspace&, const MetricsFilter&, Timestamp now);

// Months or quarters from the period's first to its last bucket (without a period: from the
// earliest to the latest expected close of the open deals, always including now's bucket, and at
// most 24 buckets either side of now, so a mistyped year cannot make thousands of columns).
// Open deals go to the bucket of their expected close, won deals to that of their closed_at;
// both must also fall in the period. target is the whole bucket's (owner's or team's) target.
struct ForecastBucket {
    Day period_start = 0;
    Money weighted = 0;
    Money best_case = 0;  // full value of the open deals
    Money won = 0;
    Money target = 0;
    int deals = 0;  // open deals
};
std::vector<ForecastBucket> forecast(const Workspace&, const MetricsFilter&, TargetPeriod bucket,
                                     Timestamp now, const WorkspaceIndex* index = nullptr);

// Whether the weighted value of the open deals expected to close in the target period covers
// what is left of its target. ratio = weighted_open / remaining_target, 0 when nothing remains.
struct PipelineCoverage {
    Money weighted_open = 0;
    Money remaining_target = 0;
    double ratio = 0;
};
PipelineCoverage coverage(const Workspace&, const MetricsFilter&, Timestamp now);

// [SECTION] The seed's questions, answered with numbers and a sentence each

// "Will we hit the target?": the won amount so far in the target period, extrapolated at the
// daily rate since the period began to the whole period. reach_day is the day the target was
// reached, or will be at that rate; nullopt when it will not be reached within the period.
struct TargetPace {
    Money target = 0, won = 0;
    Money projected = 0;
    std::optional<Day> reach_day;
    Money shortfall = 0;  // target - projected when short, else 0
    std::string sentence;
};
TargetPace target_pace(const Workspace&, const MetricsFilter&, Timestamp now);

// Open deals expected to close Monday..Sunday of now's week (the filter's period is not used).
struct ClosingThisWeek {
    int deals = 0;
    Money value = 0;
    Money weighted = 0;
    std::string sentence;
};
ClosingThisWeek closing_this_week(const Workspace&, const MetricsFilter&, Timestamp now);

// The stage of the pipeline that most needs attention, scoring each stage on three signals
// (each 0..1, higher is worse) and taking its worst:
// - low conversion: 1 - its conversion / the average conversion of the stages deals entered;
// - slow: 1 - the average time in stage of all stages / its average time, when above average;
// - stagnant: its rotting open deals / its open deals.
// The stage with the highest score wins (ties: the earlier stage). Relative measures because
// every pipeline converts and moves at its own pace; stagnant deals are a problem in any
// pipeline. reason is "low-conversion", "slow" or "stagnant"; empty (with no stage) when no
// stage scores above 0.
struct StageAttention {
    Id stage_id;
    std::string name;
    std::string reason;
    std::string sentence;
    double score = 0;
};
StageAttention stage_needing_attention(const Workspace&, const MetricsFilter&, Timestamp now);

// [SECTION] Everything at once, and tables

// Every metric for the dashboard, counted in one pass over the deals and one over the stage
// visits. Forecast by month; breakdowns by lead source, industry and lost reason.
struct MetricsSnapshot {
    std::vector<StageSummary> stages;
    std::vector<StageConversion> funnel;
    WinRate win_rate;
    DealSizeStats won_deal_size;
    std::vector<std::pair<Money, int>> deal_size_histogram;
    CycleTime cycle_time;
    std::vector<StageTime> time_in_stage;
    std::vector<StagnantDeal> stagnant_deals;
    std::vector<Breakdown> by_lead_source;
    std::vector<Breakdown> by_industry;
    std::vector<Breakdown> by_lost_reason;
    std::vector<RepPerformance> reps;
    std::vector<ForecastBucket> forecast;
    PipelineCoverage coverage;
    TargetPace target_pace;
    ClosingThisWeek closing_this_week;
    StageAttention stage_attention;
};
// With the workspace's index (up to date with it), the metrics read its compact copies of each
// deal and the stage visits it keeps instead of replaying the whole history: same numbers, a
// fraction of the work.
MetricsSnapshot all_metrics(const Workspace&, const MetricsFilter&, Timestamp now,
                            const WorkspaceIndex* index = nullptr);

// A metric as text rows for CSV export and the CLI: money as plain decimals in major units
// ("1234.50"), rates as percentages with one decimal, days with one decimal, dates as ISO days.
// An unknown name gives an empty table (no header); metrics_table_names() lists the known ones.
struct MetricsTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
MetricsTable metrics_table(const Workspace&, const MetricsFilter&, std::string_view name,
                           Timestamp now);
std::vector<std::string> metrics_table_names();
// The cells of those tables, for other tables of metrics (the dashboard's downloads).
std::string plain_money(Money amount, const Currency& currency);
std::string plain_percent(double ratio);

}  // namespace pb

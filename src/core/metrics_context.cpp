// The groundwork of the metrics: filtering, id lookups, the pipeline's stage order, each deal's
// stage visits replayed from the history when no index keeps them, and targets prorated over
// any range of days.
#include "metrics_context.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "ids.hpp"

namespace pb::metrics_detail {

namespace {

// The target record for exactly this rep (empty = the team record) and period: the one set
// for the period, else the standing one; the most recently updated when several match.
std::optional<Money> target_record(const Workspace& ws, std::string_view rep_id, Day period_start,
                                   TargetPeriod kind) {
    const Target* specific = nullptr;
    const Target* standing = nullptr;
    for (const Target& target : ws.targets) {
        if (target.meta.deleted || target.period != kind || target.rep_id != rep_id) continue;
        if (target.period_start) {
            if (bucket_range(*target.period_start, kind).first != period_start) continue;
            if (!specific || target.meta.updated >= specific->meta.updated) specific = &target;
        } else if (!standing || target.meta.updated >= standing->meta.updated) {
            standing = &target;
        }
    }
    if (specific) return specific->amount;
    if (standing) return standing->amount;
    return std::nullopt;
}

bool has_team_target(const Workspace& ws) {
    return std::any_of(ws.targets.begin(), ws.targets.end(), [](const Target& target) {
        return !target.meta.deleted && target.rep_id.empty();
    });
}

// One rep's (or the team's own) targets prorated over the range, month by month.
Money prorated_target(const Workspace& ws, std::string_view rep_id, DayRange range) {
    // Without any target the answer is 0 however long the range (a centuries-wide filter must
    // not walk every month of it for nothing).
    const bool has_target = std::any_of(ws.targets.begin(), ws.targets.end(), [&](const Target& t) {
        return !t.meta.deleted && t.rep_id == rep_id;
    });
    if (!has_target) return 0;
    long double total = 0;
    for (Day month = start_of_month(range.first); month <= range.last;
         month = add_months(month, 1)) {
        const DayRange whole_month = bucket_range(month, TargetPeriod::Month);
        const int overlap =
            std::min(range.last, whole_month.last) - std::max(range.first, month) + 1;
        if (const auto month_target = target_record(ws, rep_id, month, TargetPeriod::Month)) {
            total += static_cast<long double>(*month_target) * overlap / whole_month.days();
            continue;
        }
        const DayRange quarter = bucket_range(month, TargetPeriod::Quarter);
        if (const auto quarter_target =
                target_record(ws, rep_id, quarter.first, TargetPeriod::Quarter)) {
            total += static_cast<long double>(*quarter_target) * overlap / quarter.days();
        }
    }
    return static_cast<Money>(std::llround(total));
}

// The step `event` (at `position` in ws.history) is, but for its stage's index.
HistoryStep step_of(const HistoryEvent& event, std::size_t position) {
    HistoryStep step;
    step.at = event.at;
    step.event = static_cast<int>(position);
    step.kind = event.kind;
    step.to_status = event.to_status;
    step.to_stage_given = event.kind != HistoryKind::StatusChanged && !event.to_stage_id.empty();
    return step;
}

}  // namespace

// [SECTION] IdIndex

void IdIndex::reserve(std::size_t count, std::size_t key_bytes) {
    arena_.reserve(key_bytes);
    std::size_t wanted = 16;
    while (wanted < count * 2) wanted <<= 1;
    while (slots_.size() < wanted) grow();
}

void IdIndex::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.value < 0) continue;
        const std::uint64_t hash =
            hash_id(std::string_view(arena_.data() + slot.key_offset, slot.key_size));
        std::size_t pos = hash & mask_;
        while (slots_[pos].value >= 0) pos = (pos + 1) & mask_;
        slots_[pos] = slot;
    }
}

void IdIndex::insert(std::string_view key, int value) {
    if (key.empty() || value < 0) return;
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t hash = hash_id(key);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    std::size_t pos = hash & mask_;
    while (slots_[pos].value >= 0) {
        if (slots_[pos].tag == tag && holds(slots_[pos], key)) return;
        pos = (pos + 1) & mask_;
    }
    slots_[pos] = {tag, value, static_cast<std::uint32_t>(arena_.size()),
                   static_cast<std::uint32_t>(key.size())};
    arena_.append(key);
    ++count_;
}

int IdIndex::find(std::string_view key) const {
    if (key.empty() || slots_.empty()) return -1;
    const std::uint64_t hash = hash_id(key);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t pos = hash & mask_;; pos = (pos + 1) & mask_) {
        const Slot& slot = slots_[pos];
        if (slot.value < 0) return -1;
        if (slot.tag == tag && holds(slot, key)) return slot.value;
    }
}

// [SECTION] Numbers

Money divide_rounded(Money numerator, Money denominator) {
    if (denominator == 0) return 0;
    if (denominator < 0) {
        numerator = -numerator;
        denominator = -denominator;
    }
    const Money quotient = numerator / denominator;
    const Money remainder = numerator % denominator;
    if (remainder * 2 >= denominator) return quotient + 1;
    if (remainder * 2 <= -denominator) return quotient - 1;
    return quotient;
}

int whole_days_between(Timestamp from, Timestamp to) {
    if (to <= from) return 0;
    return static_cast<int>(std::min<Timestamp>((to - from) / kSecondsPerDay, 1'000'000'000));
}

std::string format_decimal(double value, int decimals, bool trim_zero) {
    if (!std::isfinite(value)) value = 0;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    // A negative value that rounds to zero prints as "-0.0"; nobody wants to read that.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    if (trim_zero && decimals > 0) {
        const std::size_t dot = text.find('.');
        if (dot != std::string::npos && text.find_first_not_of('0', dot + 1) == std::string::npos) {
            text.erase(dot);
        }
    }
    return text;
}

// [SECTION] Periods and targets

Period Period::of_days(std::optional<Day> from, std::optional<Day> to) {
    Period period;
    if (from) period.begin = start_of_day(*from);
    if (to) period.end = start_of_day(*to) + kSecondsPerDay;
    period.unbounded = !from && !to;
    return period;
}

bool Period::contains_day(Day day) const { return contains(start_of_day(day)); }

DayRange bucket_range(Day day, TargetPeriod bucket) {
    const bool month = bucket == TargetPeriod::Month;
    const Day first = month ? start_of_month(day) : start_of_quarter(day);
    return {first, add_months(first, month ? 1 : 3) - 1};
}

Money target_for(const Workspace& ws, const Id& rep_id, Day period_start, TargetPeriod period) {
    const Day start = bucket_range(period_start, period).first;
    if (const auto own = target_record(ws, rep_id, start, period)) return *own;
    if (!rep_id.empty()) return 0;
    Money total = 0;
    for (const Rep& rep : ws.reps) {
        if (rep.meta.deleted) continue;
        total += target_record(ws, rep.meta.id, start, period).value_or(0);
    }
    return total;
}

Money target_over(const Workspace& ws, const Id& rep_id, DayRange range) {
    if (range.last < range.first) return 0;
    if (!rep_id.empty() || has_team_target(ws)) return prorated_target(ws, rep_id, range);
    Money total = 0;
    for (const Rep& rep : ws.reps) {
        if (!rep.meta.deleted) total += prorated_target(ws, rep.meta.id, range);
    }
    return total;
}

// [SECTION] Context

Context::Context(const Workspace& workspace, const MetricsFilter& metrics_filter, Timestamp at,
                 const WorkspaceIndex* index)
    : ws(workspace),
      filter(metrics_filter),
      now(at),
      today(day_of(at)),
      period(Period::of_days(metrics_filter.from, metrics_filter.to)),
      index_(index && index->has_workspace() && &index->workspace() == &workspace ? index
                                                                                  : nullptr) {
    stage_by_id_.reserve(ws.stages.size());
    for (std::size_t i = 0; i < ws.stages.size(); ++i) {
        if (!ws.stages[i].meta.deleted)
            stage_by_id_.insert(ws.stages[i].meta.id, static_cast<int>(i));
    }
    live_stage_.resize(ws.stages.size());
    for (std::size_t i = 0; i < ws.stages.size(); ++i) {
        live_stage_[i] = index_ ? stage_by_id_.find(ws.stages[i].meta.id) : static_cast<int>(i);
        const bool kept_as_is = live_stage_[i] == static_cast<int>(i) ||
                                (ws.stages[i].meta.deleted && live_stage_[i] < 0);
        if (!kept_as_is) live_stages_as_indexed_ = false;
    }
    if (!index_) {
        own_figures_.reserve(ws.deals.size());
        own_metric_figures_.reserve(ws.deals.size());
        for (const Deal& d : ws.deals) {
            own_figures_.push_back(deal_figures_of(d, stage_by_id_.find(d.stage_id)));
            own_metric_figures_.push_back(metric_figures_of(d, own_terms_));
        }
    }
    rep_by_id_.reserve(ws.reps.size());
    for (std::size_t i = 0; i < ws.reps.size(); ++i) {
        if (!ws.reps[i].meta.deleted) rep_by_id_.insert(ws.reps[i].meta.id, static_cast<int>(i));
    }

    std::string_view pipeline_id = filter.pipeline_id;
    if (pipeline_id.empty()) {
        const Pipeline* first = nullptr;
        for (const Pipeline& pipeline : ws.pipelines) {
            if (!pipeline.meta.deleted && (!first || pipeline.position < first->position)) {
                first = &pipeline;
            }
        }
        if (first) pipeline_id = first->meta.id;
    }
    stage_rank_.assign(ws.stages.size(), -1);
    if (!pipeline_id.empty()) {
        for (std::size_t i = 0; i < ws.stages.size(); ++i) {
            const Stage& stage = ws.stages[i];
            if (!stage.meta.deleted && stage.pipeline_id == pipeline_id) {
                pipeline_stages_.push_back(static_cast<int>(i));
            }
        }
        std::stable_sort(pipeline_stages_.begin(), pipeline_stages_.end(), [&](int a, int b) {
            return ws.stages[a].position < ws.stages[b].position;
        });
        for (std::size_t rank = 0; rank < pipeline_stages_.size(); ++rank) {
            stage_rank_[pipeline_stages_[rank]] = static_cast<int>(rank);
        }
    }

    narrowed_ = !filter.pipeline_id.empty() || !filter.owner_id.empty() ||
                !filter.lead_source.empty() || !filter.industry.empty();
    want_pipeline_ = filter_term(filter.pipeline_id);
    want_owner_ = filter_term(filter.owner_id);
    want_lead_source_ = filter_term(filter.lead_source);
    want_industry_ = filter_term(filter.industry);
}

int Context::filter_term(std::string_view text) const {
    if (text.empty()) return kAnyTerm;
    const int term = terms().find(text);
    return term < 0 ? kNoTerm : term;
}

Money Context::weighted_value(std::size_t deal) const {
    const DealFigures& d = figures(deal);
    int percent = 0;
    if (d.probability) {
        percent = *d.probability;
    } else if (const int stage = stage_of(deal); stage >= 0) {
        percent = ws.stages[stage].probability;
    }
    return apply_percent(d.value, std::clamp(percent, 0, 100));
}

DayRange Context::target_period() const {
    if (filter.from && filter.to) {
        return {std::min(*filter.from, *filter.to), std::max(*filter.from, *filter.to)};
    }
    return bucket_range(today, TargetPeriod::Month);
}

Money Context::target_over(DayRange range) const {
    return metrics_detail::target_over(ws, filter.owner_id, range);
}

// One sequential pass over the history copies what the visits need into small steps, then a
// counting sort groups them by deal.
void Context::group_history() const {
    history_grouped_ = true;
    for (std::size_t i = 0; i < ws.deals.size(); ++i) {
        if (pipeline_rank(i) >= 0) history_deals_.push_back(static_cast<int>(i));
    }
    std::size_t key_bytes = 0;
    for (const int deal : history_deals_) key_bytes += ws.deals[deal].meta.id.size();
    IdIndex deal_by_id;
    deal_by_id.reserve(history_deals_.size(), key_bytes);
    for (std::size_t d = 0; d < history_deals_.size(); ++d) {
        deal_by_id.insert(ws.deals[history_deals_[d]].meta.id, static_cast<int>(d));
    }

    struct Found {
        int deal;
        HistoryStep step;
    };
    std::vector<Found> found;
    found.reserve(history_deals_.empty() ? 0 : ws.history.size());
    history_offsets_.assign(history_deals_.size() + 1, 0);
    if (!history_deals_.empty()) {
        // A deal's events mostly sit together (an import, a generated or merged history), so
        // the previous event's deal is tried before hashing the id.
        const std::string* last_id = nullptr;
        int last_deal = -1;
        for (std::size_t e = 0; e < ws.history.size(); ++e) {
            const HistoryEvent& event = ws.history[e];
            if (event.meta.deleted) continue;
            if (!last_id || event.deal_id != *last_id) {
                last_id = &event.deal_id;
                last_deal = deal_by_id.find(event.deal_id);
            }
            const int deal = last_deal;
            if (deal < 0) continue;
            HistoryStep step = step_of(event, e);
            if (event.kind != HistoryKind::StatusChanged) {
                step.to_stage = find_stage(event.to_stage_id);
            }
            found.push_back({deal, step});
            ++history_offsets_[deal + 1];
        }
    }
    for (std::size_t d = 0; d < history_deals_.size(); ++d) {
        history_offsets_[d + 1] += history_offsets_[d];
    }
    history_steps_.resize(found.size());
    std::vector<int> cursor(history_offsets_.begin(), history_offsets_.end() - 1);
    for (const Found& f : found) history_steps_[cursor[f.deal]++] = f.step;
    sort_steps_by_time();
}

// A deal's events are usually appended in time order, so the insertion sort is nearly free;
// it is stable, so events at the same instant keep their workspace order.
void Context::sort_steps_by_time() const {
    for (std::size_t d = 0; d < history_deals_.size(); ++d) {
        HistoryStep* first = history_steps_.data() + history_offsets_[d];
        HistoryStep* last = history_steps_.data() + history_offsets_[d + 1];
        for (HistoryStep* it = first + 1; it < last; ++it) {
            const HistoryStep step = *it;
            HistoryStep* hole = it;
            while (hole > first && (hole - 1)->at > step.at) {
                *hole = *(hole - 1);
                --hole;
            }
            *hole = step;
        }
    }
}

void Context::rebuild_visits(std::size_t scoped_deal, std::vector<StageVisit>& out) const {
    struct LiveStages final : StageLookup {
        explicit LiveStages(const Context& ctx) : ctx(ctx) {}
        int stage(const Id& id) const override { return ctx.find_stage(id); }
        const Context& ctx;
    };
    const std::size_t deal = static_cast<std::size_t>(history_deals_[scoped_deal]);
    const DealFigures& d = figures(deal);
    const DealMetricFigures& dates = metric_figures(deal);
    const VisitedDeal visited{stage_of(deal), d.stage_entered_at, dates.created, d.status,
                              dates.closed()};
    build_stage_visits(history_steps_.data() + history_offsets_[scoped_deal],
                       history_steps_.data() + history_offsets_[scoped_deal + 1], visited,
                       ws.history, LiveStages(*this), out);
}

}  // namespace pb::metrics_detail

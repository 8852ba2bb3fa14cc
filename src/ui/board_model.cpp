// One pass over each column of the index (already in manual order), so a rebuild is linear in
// the pipeline's deals; only the non-manual sorts add a sort per column.
#include "ui/board_model.hpp"

#include <algorithm>

#include "core/money.hpp"

namespace pb::ui {

namespace {

bool deal_has_label(const Deal& deal, const std::string& label) {
    return std::find(deal.labels.begin(), deal.labels.end(), label) != deal.labels.end();
}

bool text_matches(const Deal& deal, std::string_view text) {
    if (contains_folded(deal.title, text) || contains_folded(deal.organization, text)) return true;
    for (const Contact& contact : deal.contacts)
        if (contains_folded(contact.name, text) || contains_folded(contact.email, text))
            return true;
    return false;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

void sort_column(std::vector<std::size_t>& column, const std::vector<Deal>& deals,
                 ColumnSort sort) {
    // Stable, so equal keys keep the manual order the index gave them.
    switch (sort) {
        case ColumnSort::Manual:
            return;
        case ColumnSort::Value:
            std::stable_sort(column.begin(), column.end(), [&](std::size_t a, std::size_t b) {
                return deals[a].value > deals[b].value;
            });
            return;
        case ColumnSort::ExpectedClose:
            // Deals without a date come last: nothing to chase yet.
            std::stable_sort(column.begin(), column.end(), [&](std::size_t a, std::size_t b) {
                const auto& x = deals[a].expected_close;
                const auto& y = deals[b].expected_close;
                if (x.has_value() != y.has_value()) return x.has_value();
                return x.has_value() && *x < *y;
            });
            return;
        case ColumnSort::TimeInStage:
            std::stable_sort(column.begin(), column.end(), [&](std::size_t a, std::size_t b) {
                return deals[a].stage_entered_at < deals[b].stage_entered_at;
            });
            return;
    }
}

}  // namespace

const char* status_filter_label(StatusFilter status) {
    switch (status) {
        case StatusFilter::Active:
            return "Open & customers";
        case StatusFilter::Open:
            return "Open";
        case StatusFilter::Won:
            return "Won";
        case StatusFilter::Lost:
            return "Lost";
        case StatusFilter::Nurture:
            return "Nurture";
        case StatusFilter::All:
            return "All statuses";
    }
    return "";
}

const char* column_sort_label(ColumnSort sort) {
    switch (sort) {
        case ColumnSort::Manual:
            return "Manual order";
        case ColumnSort::Value:
            return "Value";
        case ColumnSort::ExpectedClose:
            return "Expected close";
        case ColumnSort::TimeInStage:
            return "Time in stage";
    }
    return "";
}

int BoardFilter::narrowing_count() const {
    int count = 0;
    if (!trimmed(text).empty()) ++count;
    if (!owner_id.empty()) ++count;
    if (!lead_source.empty()) ++count;
    if (!industry.empty()) ++count;
    if (!label.empty()) ++count;
    if (rotting_only) ++count;
    if (close_from || close_to) ++count;
    if (!stage_ids.empty()) ++count;
    if (!lost_reason.empty()) ++count;
    if (only_deals) ++count;
    return count;
}

std::vector<std::string> narrowing_names(const BoardFilter& filter) {
    std::vector<std::string> names;
    if (filter.only_deals) names.emplace_back("dashboard selection");
    if (!trimmed(filter.text).empty()) names.emplace_back("search");
    if (!filter.stage_ids.empty()) names.emplace_back("stage");
    if (!filter.owner_id.empty()) names.emplace_back("owner");
    if (!filter.lead_source.empty()) names.emplace_back("lead source");
    if (!filter.industry.empty()) names.emplace_back("industry");
    if (!filter.label.empty()) names.emplace_back("label");
    if (!filter.lost_reason.empty()) names.emplace_back("lost reason");
    if (filter.rotting_only) names.emplace_back("rotting");
    if (filter.close_from || filter.close_to) names.emplace_back("expected close");
    return names;
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    if (needle.size() > haystack.size()) return false;
    const std::size_t last = haystack.size() - needle.size();
    for (std::size_t start = 0; start <= last; ++start) {
        std::size_t k = 0;
        while (k < needle.size() && fold_ascii(haystack[start + k]) == fold_ascii(needle[k])) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

bool status_admits(StatusFilter status, DealStatus deal, bool in_last_stage) {
    switch (status) {
        case StatusFilter::Active:
            return deal == DealStatus::Open || (deal == DealStatus::Won && in_last_stage);
        case StatusFilter::Open:
            return deal == DealStatus::Open;
        case StatusFilter::Won:
            return deal == DealStatus::Won;
        case StatusFilter::Lost:
            return deal == DealStatus::Lost;
        case StatusFilter::Nurture:
            return deal == DealStatus::Nurture;
        case StatusFilter::All:
            return true;
    }
    return false;
}

namespace {

// The search as build_board applies it to every deal: trimmed and prepared once.
struct TextSearch {
    std::string_view text;  // trimmed, as typed
    TextQuery query;
    // A newline could match across the fields the index joins with newlines.
    bool use_index = false;

    explicit TextSearch(const BoardFilter& filter)
        : text(trimmed(filter.text)),
          query(text),
          use_index(query.folded.find('\n') == std::string::npos) {}
    bool matches(const WorkspaceIndex& index, std::size_t position, const Deal& deal) const {
        if (text.empty()) return true;
        if (use_index) return index.search_matches(position, query);
        return text_matches(deal, text);
    }
};

// narrowing_admits with the search prepared; the text last, as the dearest test.
bool admits(const BoardFilter& filter, const TextSearch& search, const WorkspaceIndex& index,
            std::size_t position, const Deal& deal, Timestamp now) {
    if (!filter.owner_id.empty() && deal.owner_id != filter.owner_id) return false;
    if (!filter.lead_source.empty() && deal.lead_source != filter.lead_source) return false;
    if (!filter.industry.empty() && deal.industry != filter.industry) return false;
    if (!filter.label.empty() && !deal_has_label(deal, filter.label)) return false;
    if (filter.close_from || filter.close_to) {
        if (!deal.expected_close) return false;
        if (filter.close_from && *deal.expected_close < *filter.close_from) return false;
        if (filter.close_to && *deal.expected_close > *filter.close_to) return false;
    }
    if (!filter.stage_ids.empty() && std::find(filter.stage_ids.begin(), filter.stage_ids.end(),
                                               deal.stage_id) == filter.stage_ids.end())
        return false;
    if (!filter.lost_reason.empty() && deal.lost_reason != filter.lost_reason) return false;
    if (filter.only_deals &&
        !std::binary_search(filter.only_deals->begin(), filter.only_deals->end(), deal.meta.id))
        return false;
    if (filter.rotting_only && !index.is_rotting(deal, now)) return false;
    return search.matches(index, position, deal);
}

}  // namespace

bool narrowing_admits(const BoardFilter& filter, const WorkspaceIndex& index, const Deal& deal,
                      Timestamp now) {
    // The deal may be a copy that is not in the index: search its own fields.
    TextSearch search(filter);
    search.use_index = false;
    return admits(filter, search, index, 0, deal, now);
}

int BoardModel::column_of(const Id& stage_id) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].stage_id == stage_id) return static_cast<int>(i);
    return -1;
}

Id resolve_pipeline(const WorkspaceIndex& index, const Id& chosen) {
    if (!chosen.empty() && index.find_pipeline(chosen)) return chosen;
    const auto pipelines = index.pipelines();
    return pipelines.empty() ? Id{} : pipelines.front().meta.id;
}

namespace {

// The filters over every deal in storage order: that reads the index's compact copies front to
// back, where the columns' order would jump around them for each deal. With `within`, only
// the deals it admits are tested, the others stay out.
std::vector<char> admitted_deals(const WorkspaceIndex& index, const BoardFilter& filter,
                                 Timestamp now, const std::vector<char>* within) {
    const std::vector<Deal>& deals = index.workspace().deals;
    const TextSearch search(filter);
    std::vector<char> admitted(deals.size(), 0);
    for (std::size_t d = 0; d < deals.size(); ++d) {
        if (within && !(*within)[d]) continue;
        admitted[d] = admits(filter, search, index, d, deals[d], now) ? 1 : 0;
    }
    return admitted;
}

// True when every deal `next` admits is admitted by `previous`: the same filter with a search
// text that holds the previous one, as when a letter is typed.
bool narrows(const BoardFilter& next, const BoardFilter& previous) {
    BoardFilter same_text = previous;
    same_text.text = next.text;
    if (!(same_text == next)) return false;
    const TextSearch wider(previous);
    const TextSearch narrower(next);
    return wider.use_index && narrower.use_index &&
           narrower.query.folded.find(wider.query.folded) != std::string::npos;
}

BoardModel board_of(const WorkspaceIndex& index, const Id& pipeline_id, const BoardFilter& filter,
                    ColumnSort sort, Timestamp now, const std::vector<char>& admitted) {
    BoardModel model;
    model.pipeline_id = resolve_pipeline(index, pipeline_id);
    if (model.pipeline_id.empty()) return model;
    const std::vector<Deal>& deals = index.workspace().deals;
    const auto stages = index.stages_of(model.pipeline_id);
    model.columns.reserve(stages.size());
    for (std::size_t s = 0; s < stages.size(); ++s) {
        const Stage& stage = stages[s];
        const bool last_stage = s + 1 == stages.size();
        BoardColumn column;
        column.stage_id = stage.meta.id;
        for (std::size_t d : index.deals_in_stage(stage.meta.id).indexes()) {
            const DealStatus status = index.deal_figures(d).status;
            ++model.pipeline_deals;
            if (!admitted[d]) {
                if (status_admits(filter.status, status, last_stage)) ++model.hidden_by_filters;
                continue;
            }
            for (int k = 0; k < kStatusFilterCount; ++k)
                if (status_admits(static_cast<StatusFilter>(k), status, last_stage))
                    ++model.status_counts[static_cast<std::size_t>(k)];
            if (!status_admits(filter.status, status, last_stage)) continue;
            const DealFigures& figures = index.deal_figures(d);
            column.deals.push_back(d);
            column.total_value += figures.value;
            // The column's stage is the deal's: index.stage_probability and index.is_rotting
            // without looking the stage up again for each of 100,000 deals.
            const int probability =
                std::clamp(figures.probability.value_or(stage.probability), 0, 100);
            column.weighted_value += apply_percent(figures.value, probability);
            if (status == DealStatus::Open && stage.rotting_days > 0 &&
                WorkspaceIndex::days_in_stage(figures.stage_entered_at, now) > stage.rotting_days)
                ++column.rotting;
        }
        sort_column(column.deals, deals, sort);
        model.shown += static_cast<int>(column.deals.size());
        model.columns.push_back(std::move(column));
    }
    return model;
}

}  // namespace

BoardModel build_board(const WorkspaceIndex& index, const Id& pipeline_id,
                       const BoardFilter& filter, ColumnSort sort, Timestamp now) {
    return board_of(index, pipeline_id, filter, sort, now,
                    admitted_deals(index, filter, now, nullptr));
}

const BoardModel& BoardCache::get(const WorkspaceIndex& index, std::uint64_t workspace_version,
                                  const Id& pipeline_id, const BoardFilter& filter, ColumnSort sort,
                                  Timestamp now) {
    const Day day = day_of(now);
    if (version_ != workspace_version || day_ != day) {
        used_ = 0;
        version_ = workspace_version;
        day_ = day;
    }
    const auto first = kept_.begin();
    const auto last = first + static_cast<std::ptrdiff_t>(used_);
    const auto found = std::find_if(first, last, [&](const Built& built) {
        return built.pipeline_id == pipeline_id && built.filter == filter && built.sort == sort;
    });
    if (found != last) {
        std::rotate(found, found + 1, last);
        return kept_[used_ - 1].model;
    }
    const std::vector<char>* within = nullptr;
    for (auto it = last; it != first && !within;) {
        --it;
        if (narrows(filter, it->filter)) within = &it->admitted;
    }
    Built built{pipeline_id, filter, sort, admitted_deals(index, filter, now, within), {}};
    built.model = board_of(index, pipeline_id, filter, sort, now, built.admitted);
    ++builds_;
    if (used_ == kKeptBoards) {
        std::rotate(first, first + 1, last);
    } else {
        ++used_;
    }
    kept_[used_ - 1] = std::move(built);
    return kept_[used_ - 1].model;
}

}  // namespace pb::ui

// Each deal is simulated through the stages from its creation day: it waits a while in each
// stage, then advances or drops out, until it is won, lost, parked or "now" is reached. The
// history therefore agrees with the deals' final state, as real data would.
#include "sample_workspace.hpp"

#include "commands.hpp"
#include "ids.hpp"
#include "revision.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

namespace pb {

namespace {

// splitmix64: small, fast and identical on every platform, unlike std::*_distribution.
class SampleRandom {
public:
    explicit SampleRandom(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    int between(int low, int high) {  // inclusive
        return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
    }
    bool chance(double probability) { return unit() < probability; }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& items) {
        return items[next() % N];
    }

private:
    std::uint64_t state_;
};

constexpr std::array<const char*, 24> kOrgFirst = {
    "Northwind", "Blue Harbor", "Summit",   "Crescent", "Ironwood",  "Bright Path",
    "Redline",   "Silver Oak",  "Keystone", "Meridian", "Evergreen", "Granite",
    "Lakeside",  "Polar",       "Horizon",  "Cobalt",   "Riverbend", "Atlas",
    "Sunfield",  "Quarry",      "Beacon",   "Harbor",   "Pinecrest", "Vantage"};
constexpr std::array<const char*, 12> kOrgSecond = {
    "Traders", "Logistics", "Health",  "Foods",   "Systems", "Analytics",
    "Capital", "Labs",      "Outdoor", "Academy", "Metals",  "Partners"};
constexpr std::array<const char*, 5> kOrgSuffix = {"Inc.", "Ltd", "GmbH", "Co.", "LLC"};
constexpr std::array<const char*, 10> kProducts = {
    "Analytics suite", "50 seats",          "Annual licence",   "Pilot project",
    "Onboarding pack", "Enterprise plan",   "Data migration",   "Support contract",
    "Team expansion",  "Integration work"};
constexpr std::array<const char*, 20> kFirstNames = {
    "Olivia", "Liam",  "Sofia", "Noah",   "Mia",    "Lucas",  "Emma",  "Mateo",  "Aisha", "Kenji",
    "Elena",  "Jonas", "Priya", "Tomás",  "Hannah", "Oskar",  "Leila", "Marcus", "Yuki",  "Chloe"};
constexpr std::array<const char*, 20> kLastNames = {
    "Berg",    "Okafor", "Novak",  "Schmidt", "Rossi",  "Dubois", "Tanaka", "Silva",   "Jensen", "Kowalski",
    "Haddad",  "Moreau", "Fischer", "Garcia", "Nilsen", "Patel",  "Murphy", "Lindqvist", "Costa", "Walsh"};
constexpr std::array<const char*, 7> kRoles = {"CEO", "CFO", "Head of Operations", "IT Manager",
                                               "Procurement Lead", "VP Sales", "Office Manager"};
constexpr std::array<const char*, 4> kLabels = {"Hot", "Enterprise", "Upsell", "Partner"};
constexpr std::array<const char*, 6> kRepNames = {"Ava Thompson", "Ben Carter",  "Chen Wei",
                                                   "Dana Kruger",  "Eli Morales", "Farah Nasser"};
constexpr std::array<const char*, 9> kActivitySubjects = {
    "Discovery call",     "Send proposal",       "Product demo",
    "Follow-up email",    "Pricing review",      "Contract draft",
    "Stakeholder meeting", "Check in on trial",  "Security questionnaire"};

// Typical days a deal waits in each stage before it moves on, and the chance it drops out
// there (Post-Purchase holds won customers and is never left).
constexpr std::array<int, 7> kDwellDays = {5, 8, 12, 14, 16, 10, 0};
constexpr std::array<double, 7> kDropChance = {0.18, 0.20, 0.22, 0.18, 0.20, 0.15, 0.0};

struct SampleBuilder {
    Workspace& workspace;
    IdGenerator& ids;
    SampleRandom& random;

    void record_event(const Deal& deal, Timestamp at, HistoryKind kind, const Id& from_stage,
                      const Id& to_stage, DealStatus from_status, DealStatus to_status,
                      const std::string& detail = {}) {
        HistoryEvent event;
        event.meta.id = ids.next();
        event.deal_id = deal.meta.id;
        event.at = at;
        event.kind = kind;
        event.from_stage_id = from_stage;
        event.to_stage_id = to_stage;
        event.from_status = from_status;
        event.to_status = to_status;
        event.by_rep_id = deal.owner_id;
        event.detail = detail;
        touch(event, at);
        workspace.history.push_back(std::move(event));
    }

    void add_activity(const Deal& deal, Timestamp due, bool done, Timestamp created) {
        Activity activity;
        activity.meta.id = ids.next();
        activity.deal_id = deal.meta.id;
        activity.type = static_cast<ActivityType>(random.between(0, 4));
        activity.subject = random.pick(kActivitySubjects);
        activity.due = due;
        activity.has_time = activity.type != ActivityType::Deadline;
        activity.done = done;
        if (done) activity.done_at = due;
        touch(activity, std::min(created, due));
        workspace.activities.push_back(std::move(activity));
    }
};

Money sample_value(SampleRandom& random) {
    // Log-normal-like: most deals $3k-$40k, a few large ones, rounded to $100.
    const double dollars = std::exp(8.3 + 1.0 * (random.unit() + random.unit() + random.unit() - 1.5));
    return static_cast<Money>(std::llround(dollars / 100.0)) * 100 * 100;
}

}  // namespace

Workspace make_sample_workspace(const SampleOptions& options, Timestamp now) {
    SampleRandom random(options.seed);
    IdGenerator ids(options.seed ^ 0x5A4D504C45ull);
    const Timestamp start = now - static_cast<Timestamp>(options.history_days) * kSecondsPerDay;
    Workspace workspace = make_workspace("Sample pipeline", ids, start);
    workspace.lists.labels.assign(kLabels.begin(), kLabels.end());
    SampleBuilder builder{workspace, ids, random};

    std::vector<const Stage*> stages;
    for (const Stage& stage : workspace.stages) stages.push_back(&stage);
    std::sort(stages.begin(), stages.end(),
              [](const Stage* a, const Stage* b) { return a->position < b->position; });
    const Id pipeline_id = stages.front()->pipeline_id;
    std::vector<Id> stage_ids;
    for (const Stage* stage : stages) stage_ids.push_back(stage->meta.id);
    const int last_stage = static_cast<int>(stage_ids.size()) - 1;
    const int closing_stage = last_stage - 1;

    const int rep_count = std::clamp(options.rep_count, 1, static_cast<int>(kRepNames.size()));
    Money team_monthly = 0;
    for (int i = 0; i < rep_count; ++i) {
        Rep rep;
        rep.meta.id = ids.next();
        rep.name = kRepNames[static_cast<std::size_t>(i)];
        rep.email = rep.name.substr(0, rep.name.find(' '));
        std::transform(rep.email.begin(), rep.email.end(), rep.email.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        rep.email += "@example.com";
        touch(rep, start);
        Target target;
        target.meta.id = ids.next();
        target.rep_id = rep.meta.id;
        target.period = TargetPeriod::Month;
        target.amount = static_cast<Money>(random.between(6, 12)) * 10000 * 100;
        team_monthly += target.amount;
        touch(target, start);
        workspace.reps.push_back(std::move(rep));
        workspace.targets.push_back(std::move(target));
    }
    Target team;
    team.meta.id = ids.next();
    team.period = TargetPeriod::Quarter;
    team.amount = team_monthly * 3;
    touch(team, start);
    workspace.targets.push_back(std::move(team));

    const auto& lost_reasons = workspace.lists.lost_reasons;
    const auto& sources = workspace.lists.lead_sources;
    const auto& industries = workspace.lists.industries;
    const Day today = day_of(now);
    std::vector<double> column_positions(stage_ids.size(), 0.0);

    workspace.deals.reserve(static_cast<std::size_t>(options.deal_count));
    for (int n = 0; n < options.deal_count; ++n) {
        Deal deal;
        deal.meta.id = ids.next();
        deal.pipeline_id = pipeline_id;
        const std::string organization = std::string(random.pick(kOrgFirst)) + " " +
                                         random.pick(kOrgSecond) + " " + random.pick(kOrgSuffix);
        deal.organization = organization;
        deal.title = organization.substr(0, organization.rfind(' ')) + " – " + random.pick(kProducts);
        deal.value = sample_value(random);
        deal.owner_id = workspace.reps[static_cast<std::size_t>(random.between(0, rep_count - 1))].meta.id;
        if (!sources.empty()) deal.lead_source = sources[random.next() % sources.size()];
        if (!industries.empty()) deal.industry = industries[random.next() % industries.size()];
        if (random.chance(0.3)) deal.labels.push_back(random.pick(kLabels));
        const int contact_count = random.between(1, 3);
        for (int c = 0; c < contact_count; ++c) {
            Contact contact;
            contact.name = std::string(random.pick(kFirstNames)) + " " + random.pick(kLastNames);
            contact.role = random.pick(kRoles);
            contact.decision_maker = c == 0;
            contact.email = contact.name.substr(0, contact.name.find(' ')) + "@" +
                            organization.substr(0, organization.find(' ')) + ".example";
            std::transform(contact.email.begin(), contact.email.end(), contact.email.begin(),
                           [](unsigned char ch) { return ch == ' ' ? '-' : static_cast<char>(std::tolower(ch)); });
            deal.contacts.push_back(std::move(contact));
        }

        // Newer deals are more common than old ones, as in a growing pipeline.
        const double age_fraction = std::pow(random.unit(), 2.2);
        Timestamp at = now - static_cast<Timestamp>(age_fraction * options.history_days * kSecondsPerDay) -
                       random.between(0, 8 * 3600);
        Timestamp created = at;
        const std::size_t first_event = workspace.history.size();
        int stage = 0;
        deal.stage_id = stage_ids[0];
        deal.stage_entered_at = at;
        builder.record_event(deal, at, HistoryKind::Created, {}, stage_ids[0], DealStatus::Open,
                             DealStatus::Open);

        while (deal.status == DealStatus::Open && stage < last_stage) {
            double wait_days = kDwellDays[static_cast<std::size_t>(stage)] * (0.4 + 1.6 * random.unit());
            // Some deals stall: nobody follows up and they sit far past the stage's norm.
            if (random.chance(0.12)) wait_days *= 2.5 + 2.0 * random.unit();
            const Timestamp next = at + static_cast<Timestamp>(wait_days * kSecondsPerDay);
            if (next > now) break;
            at = next;
            if (random.chance(kDropChance[static_cast<std::size_t>(stage)])) {
                if (stage <= 2 && random.chance(0.3)) {
                    deal.status = DealStatus::Nurture;
                    deal.revisit_on = day_of(at) + random.between(30, 120);
                    builder.record_event(deal, at, HistoryKind::StatusChanged, deal.stage_id,
                                         deal.stage_id, DealStatus::Open, DealStatus::Nurture);
                } else {
                    deal.status = DealStatus::Lost;
                    deal.lost_reason = lost_reasons.empty() ? "Other" : lost_reasons[random.next() % lost_reasons.size()];
                    deal.closed_at = at;
                    builder.record_event(deal, at, HistoryKind::StatusChanged, deal.stage_id,
                                         deal.stage_id, DealStatus::Open, DealStatus::Lost,
                                         deal.lost_reason);
                }
                break;
            }
            const Id from = deal.stage_id;
            if (stage == closing_stage) {
                deal.status = DealStatus::Won;
                deal.closed_at = at;
                builder.record_event(deal, at, HistoryKind::StatusChanged, from, from,
                                     DealStatus::Open, DealStatus::Won);
                deal.contract_end = add_months(day_of(at), 12);
                if (random.chance(0.25)) deal.upsell_notes = "Interested in more seats next quarter";
            }
            ++stage;
            deal.stage_id = stage_ids[static_cast<std::size_t>(stage)];
            deal.stage_entered_at = at;
            builder.record_event(deal, at, HistoryKind::StageChanged, from, deal.stage_id,
                                 deal.status, deal.status);
        }

        // A few deals closed this very morning, their whole story moved forward to end there,
        // so a period that has only just begun (the first day of a quarter) still has wins
        // and losses to show on the dashboard.
        const Timestamp morning = start_of_day(today);
        const bool closed = deal.status == DealStatus::Won || deal.status == DealStatus::Lost;
        if (closed && random.chance(0.08) && now - morning > 3600) {
            const Timestamp target =
                morning + random.between(0, static_cast<int>(now - morning) - 3600);
            const Timestamp shift = target - at;
            if (shift > 0) {
                created += shift;
                at += shift;
                deal.stage_entered_at += shift;
                deal.closed_at = at;
                if (deal.status == DealStatus::Won) deal.contract_end = add_months(day_of(at), 12);
                for (std::size_t e = first_event; e < workspace.history.size(); ++e) {
                    HistoryEvent& event = workspace.history[e];
                    event.at += shift;
                    const Id id = event.meta.id;
                    event.meta = RecordMeta{};
                    event.meta.id = id;
                    touch(event, event.at);
                }
            }
        }

        if (deal.status == DealStatus::Open) {
            deal.expected_close = std::max<Day>(today + random.between(-5, 10),
                                                day_of(created) + random.between(20, 120));
            // Past activities, then what is next: due today, overdue, planned, or nothing.
            const int done_count = random.between(0, 2);
            for (int a = 0; a < done_count; ++a)
                builder.add_activity(deal, deal.stage_entered_at + random.between(1, 72) * 3600,
                                     deal.stage_entered_at + 72 * 3600 < now, created);
            const double next_kind = random.unit();
            if (next_kind < 0.15)
                builder.add_activity(deal, start_of_day(today) + random.between(9, 17) * 3600, false, created);
            else if (next_kind < 0.30)
                builder.add_activity(deal, now - random.between(1, 10) * kSecondsPerDay, false, created);
            else if (next_kind < 0.85)
                builder.add_activity(deal, now + random.between(1, 21) * kSecondsPerDay, false, created);
        } else {
            deal.expected_close = day_of(deal.closed_at.value_or(at));
        }
        if (deal.status == DealStatus::Won && deal.contract_end && random.chance(0.12)) {
            // Renewals coming up: contracts ending within the next two months.
            deal.contract_end = today + random.between(5, 60);
        }
        deal.position = column_positions[static_cast<std::size_t>(stage)]++;
        touch(deal, at);
        deal.meta.created = created;
        workspace.deals.push_back(std::move(deal));
    }
    workspace.created = start;
    return workspace;
}

}  // namespace pb

// The index's table of record positions by id, which keeps no copy of the ids.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/id_positions.hpp"
#include "core/workspace.hpp"

using namespace pb;

namespace {

Deal deal_with_id(std::string id) {
    Deal deal;
    deal.meta.id = std::move(id);
    return deal;
}

}  // namespace

TEST_CASE("record positions by id: the first of a repeated id, all of many, none for a stranger") {
    std::vector<Deal> deals{deal_with_id("a"), deal_with_id("b"), deal_with_id("a")};
    IdPositions positions;
    CHECK(positions.insert(deals, 0));
    CHECK(positions.insert(deals, 1));
    CHECK_FALSE(positions.insert(deals, 2));
    CHECK(positions.size() == 2);
    CHECK(positions.find(deals, "a") == 0u);
    CHECK(positions.find(deals, "b") == 1u);
    CHECK_FALSE(positions.find(deals, "c").has_value());

    // Far more ids than reserved: the table grows and finds every one.
    for (int i = 0; i < 5000; ++i) {
        deals.push_back(deal_with_id("deal-" + std::to_string(i)));
        positions.insert(deals, deals.size() - 1);
    }
    CHECK(positions.size() == 5002);
    for (int i = 0; i < 5000; i += 499) {
        CHECK(positions.find(deals, "deal-" + std::to_string(i)) ==
              static_cast<std::size_t>(i + 3));
    }

    // A vector that changed under the table (shorter, or another id at a filed position) is not
    // read past its end, and the old id is not found at a record that no longer holds it.
    deals[1].meta.id = "renamed";
    CHECK_FALSE(positions.find(deals, "b").has_value());
    deals.resize(2);
    CHECK_FALSE(positions.find(deals, "deal-7").has_value());
}

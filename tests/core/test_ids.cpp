// Ids and revision strings.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

using namespace pb;

TEST_SUITE("ids") {
    TEST_CASE("ids are 32 lowercase hex characters, repeatable from a seed") {
        IdGenerator a(42);
        IdGenerator b(42);
        const std::string first = a.next();
        CHECK(first.size() == 32);
        CHECK(first.find_first_not_of("0123456789abcdef") == std::string::npos);
        CHECK(b.next() == first);
        CHECK(a.next() != first);
    }

    TEST_CASE("nearby seeds give unrelated ids and reseeding restarts the sequence") {
        IdGenerator one(1);
        IdGenerator two(2);
        const std::string from_one = one.next();
        CHECK(from_one != two.next());
        one.reseed(1);
        CHECK(one.next() == from_one);
        IdGenerator zero(0);
        CHECK(zero.next() != zero.next());
    }

    TEST_CASE("ids do not repeat over many draws") {
        IdGenerator generator(7);
        std::set<std::string> seen;
        for (int i = 0; i < 20000; ++i) seen.insert(generator.next());
        CHECK(seen.size() == 20000);
    }

    TEST_CASE("FNV-1a 64 matches the published test vectors") {
        CHECK(fnv1a64("") == 0xcbf29ce484222325ull);
        CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cull);
        CHECK(fnv1a64("foobar") == 0x85944171f73967e8ull);
    }

    TEST_CASE("FNV-1a 64 of several texts at once is each text's own hash") {
        CHECK(fnv1a64_each({}).empty());
        // Texts of every length from none to longer than the rest together, in mixed order, so
        // every group size and every point where a text ends alongside others is covered.
        std::vector<std::string> texts;
        for (int length : {7, 0, 1000, 3, 64, 64, 1, 250, 9, 2, 1001, 5000}) {
            std::string text;
            for (int i = 0; i < length; ++i) text += static_cast<char>((i * 31 + length) % 256);
            texts.push_back(text);
        }
        texts.push_back("foobar");
        for (std::size_t count = 0; count <= texts.size(); ++count) {
            CAPTURE(count);
            const std::vector<std::string_view> views(texts.begin(), texts.begin() + count);
            const std::vector<std::uint64_t> hashes = fnv1a64_each(views);
            REQUIRE(hashes.size() == count);
            for (std::size_t i = 0; i < count; ++i) CHECK(hashes[i] == fnv1a64(views[i]));
        }
        CHECK(fnv1a64_each(std::vector<std::string_view>{"a", "foobar"}) ==
              std::vector<std::uint64_t>{0xaf63dc4c8601ec8cull, 0x85944171f73967e8ull});
    }

    TEST_CASE("revision numbers") {
        CHECK(revision_number("3-a1b2") == 3);
        CHECK(revision_number("12-ff") == 12);
        CHECK(revision_number("") == 0);
        CHECK(revision_number("abc") == 0);
        CHECK(revision_number("-abc") == 0);
        CHECK(revision_number("3-") == 0);
        CHECK(revision_number("3x-ab") == 0);
        CHECK(revision_number("99999999999-ab") == 0);
    }

    TEST_CASE("the next revision counts up and carries the content hash") {
        CHECK(next_revision("", 0xabcull) == "1-0000000000000abc");
        CHECK(next_revision("1-0000000000000abc", 0xffull) == "2-00000000000000ff");
        CHECK(next_revision("garbage", 1) == "1-0000000000000001");
    }

    TEST_CASE("the higher revision wins, ties go to the larger hash") {
        CHECK(revision_wins("3-aa", "2-ff"));
        CHECK_FALSE(revision_wins("2-ff", "3-aa"));
        CHECK(revision_wins("10-00", "9-ff"));
        CHECK(revision_wins("2-bb", "2-aa"));
        CHECK_FALSE(revision_wins("2-aa", "2-bb"));
        CHECK_FALSE(revision_wins("2-aa", "2-aa"));
        CHECK(revision_wins("1-00", ""));
    }
}

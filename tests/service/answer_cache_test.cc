// The answer cache (service/cache/answer_cache.h) and the keyed hash behind its keys.
#include "service/cache/answer_cache.h"

#include <gtest/gtest.h>

#include "service/privacy/keyed_hash.h"
#include "tests/service/bundled_index.h"

namespace patientqa::service {
namespace {

AskResult Answered(const std::string& version, const std::string& answer) {
  AskResult r;
  r.answered = true;
  r.index_version = version;
  r.answer = answer;
  return r;
}

TEST(KeyedHashTest, EqualPartsHashAlikeAndBoundariesCount) {
  EXPECT_EQ(KeyedHash({"ab", "c"}), KeyedHash({"ab", "c"}));
  EXPECT_FALSE(KeyedHash({"ab", "c"}) == KeyedHash({"a", "bc"}));
  EXPECT_FALSE(KeyedHash({"what is folfox?"}) == KeyedHash({"what is folfiri?"}));
  EXPECT_EQ(KeyedHash({"x"}).Hex().size(), 32u);
}

TEST(AnswerCacheTest, KeepsAtMostCapacityAnswersLeastRecentlyUsedOut) {
  AnswerCache cache(2);
  const KeyedDigest a = KeyedHash({"a"}), b = KeyedHash({"b"}), c = KeyedHash({"c"});
  cache.Put(a, Answered("v1", "A"));
  cache.Put(b, Answered("v1", "B"));
  ASSERT_TRUE(cache.Get(a).has_value());  // a is now the most recent
  cache.Put(c, Answered("v1", "C"));      // evicts b
  EXPECT_FALSE(cache.Get(b).has_value());
  EXPECT_EQ(cache.Get(a)->answer, "A");
  EXPECT_EQ(cache.Get(c)->answer, "C");
  EXPECT_EQ(cache.stats().entries, 2u);
  EXPECT_EQ(cache.stats().hits, 3u);
  EXPECT_EQ(cache.stats().misses, 1u);
}

TEST(AnswerCacheTest, ANewIndexVersionEmptiesIt) {
  AnswerCache cache(10);
  cache.Put(KeyedHash({"a"}), Answered("v1", "A"));
  cache.Put(KeyedHash({"b"}), Answered("v2", "B"));
  EXPECT_FALSE(cache.Get(KeyedHash({"a"})).has_value());
  EXPECT_TRUE(cache.Get(KeyedHash({"b"})).has_value());
}

TEST(AnswerCacheTest, StoresOnlyAnswersThatCarryNoWordsOfTheQuestion) {
  AnswerCache cache(10);
  AskResult refused = Answered("v1", "This library is about bowel cancer, not about X.");
  refused.answered = false;
  refused.quotes_question = true;
  cache.Put(KeyedHash({"r"}), refused);
  AskResult suggested = Answered("v1", "A");
  suggested.did_you_mean = "what is folfox";
  cache.Put(KeyedHash({"s"}), suggested);
  EXPECT_EQ(cache.stats().entries, 0u);
  // A plain refusal names nothing the question said, and is kept.
  AskResult plain = Answered("v1", "The library has no article that answers this question.");
  plain.answered = false;
  cache.Put(KeyedHash({"p"}), plain);
  EXPECT_EQ(cache.stats().entries, 1u);
  AnswerCache off(0);
  off.Put(KeyedHash({"a"}), Answered("v1", "A"));
  EXPECT_FALSE(off.Get(KeyedHash({"a"})).has_value());
  EXPECT_EQ(off.stats().entries, 0u);
}

TEST(AnswerCacheTest, ARepeatedQuestionIsServedFromTheCacheWithItsOwnTriage) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  AnswerCache cache(100);
  const AskHandler handler(lib->holder.get(), RankingParams{}, &cache);
  const AskQuery q{.question = "I'm on FOLFOX and my temperature is 38.5. What is FOLFOX?"};
  auto first = handler.Ask(q);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->answered);
  EXPECT_FALSE(first->cache_hit);
  auto second = handler.Ask(q);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->cache_hit);
  EXPECT_EQ(second->answer, first->answer);
  ASSERT_EQ(second->passages.size(), first->passages.size());
  EXPECT_EQ(second->passages[0].passage_id, first->passages[0].passage_id);
  // Safety is decided on every request, never taken from the cache.
  EXPECT_EQ(second->safety.level, SafetyLevel::kUrgent);
  EXPECT_EQ(second->safety.category, first->safety.category);
  // Another history or another passage count is another question.
  AskQuery with_history = q;
  with_history.history = {"my liver"};
  EXPECT_FALSE(handler.Ask(with_history)->cache_hit);
  AskQuery fewer = q;
  fewer.max_passages = 2;
  EXPECT_FALSE(handler.Ask(fewer)->cache_hit);
  // The features used are part of the key.
  EXPECT_FALSE(handler.Ask(q, AskFeatures::Plain())->cache_hit);
}

TEST(AnswerCacheTest, ARefusalIsCachedOnlyWhenItNamesNothingTheQuestionSaid) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  AnswerCache cache(100);
  const AskHandler handler(lib->holder.get(), RankingParams{}, &cache);
  const AskQuery recipe{.question = "What is a good recipe for banana bread?"};
  auto first = handler.Ask(recipe);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->answered);
  EXPECT_FALSE(first->quotes_question);
  auto second = handler.Ask(recipe);
  EXPECT_TRUE(second->cache_hit);
  EXPECT_FALSE(second->answered);
  EXPECT_EQ(second->answer, first->answer);
  EXPECT_TRUE(second->passages.empty());
  const AskQuery named{.question = "my dad has stage 4 NSCLC, what tests should he have"};
  auto refusal = handler.Ask(named);
  ASSERT_TRUE(refusal.ok());
  ASSERT_FALSE(refusal->answered);
  EXPECT_TRUE(refusal->quotes_question);
  EXPECT_NE(refusal->answer.find("nsclc"), std::string::npos) << refusal->answer;
  EXPECT_FALSE(handler.Ask(named)->cache_hit);
}

// What a front end reads to answer a repeated question at once instead of queueing it.
TEST(AnswerCacheTest, HasCachedAnswerSaysWhetherAskWouldSearch) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  AnswerCache cache(100);
  const AskHandler handler(lib->holder.get(), RankingParams{}, &cache);
  const AskQuery q{.question = "What is FOLFOX?"};
  EXPECT_FALSE(handler.HasCachedAnswer(q));
  ASSERT_TRUE(handler.Ask(q).ok());
  EXPECT_TRUE(handler.HasCachedAnswer(q));
  // Read as Ask() reads it: curly quotes and the like are their plain forms.
  AskQuery curly = q;
  curly.question = "What is FOLFOX\xEF\xBC\x9F";  // a full-width question mark
  EXPECT_EQ(handler.HasCachedAnswer(curly), handler.Ask(curly)->cache_hit);
  AskQuery other = q;
  other.max_passages = 2;
  EXPECT_FALSE(handler.HasCachedAnswer(other));
  EXPECT_FALSE(handler.HasCachedAnswer(q, AskFeatures::Plain()));
  AskQuery invalid = q;
  invalid.max_passages = -1;
  EXPECT_FALSE(handler.HasCachedAnswer(invalid));
  // Asking does not count as a hit or a miss.
  const AnswerCache::Stats before = cache.stats();
  handler.HasCachedAnswer(q);
  EXPECT_EQ(cache.stats().hits, before.hits);
  EXPECT_EQ(cache.stats().misses, before.misses);
  // Without a cache there is nothing to answer at once.
  const AskHandler uncached(lib->holder.get(), RankingParams{});
  ASSERT_TRUE(uncached.Ask(q).ok());
  EXPECT_FALSE(uncached.HasCachedAnswer(q));
}

}  // namespace
}  // namespace patientqa::service

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "service/admin/admin_service.h"
#include "service/limits/api_keys.h"
#include "service/limits/rate_limiter.h"

namespace patientqa::service {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST(RateLimiterTest, AllowsTheBurstThenTheRateAndSaysWhenToRetry) {
  RateLimiter limiter({.rate = 2, .burst = 3});
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("10.0.0.1", t0).allowed);
  const RateLimiter::Decision refused = limiter.Take("10.0.0.1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(500));  // one token at 2 per second
  EXPECT_TRUE(limiter.Take("10.0.0.2", t0).allowed);  // another client has its own bucket
  EXPECT_TRUE(limiter.Take("10.0.0.1", t0 + milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.Take("10.0.0.1", t0 + milliseconds(500)).allowed);
}

TEST(RateLimiterTest, RetryAfterIsWholeSecondsRoundedUp) {
  EXPECT_EQ((RateLimiter::Decision{false, milliseconds(0)}).RetryAfterSeconds(), 1);
  EXPECT_EQ((RateLimiter::Decision{false, milliseconds(1)}).RetryAfterSeconds(), 1);
  EXPECT_EQ((RateLimiter::Decision{false, milliseconds(1000)}).RetryAfterSeconds(), 1);
  EXPECT_EQ((RateLimiter::Decision{false, milliseconds(1001)}).RetryAfterSeconds(), 2);
  EXPECT_EQ((RateLimiter::Decision{false, milliseconds(59500)}).RetryAfterSeconds(), 60);
}

TEST(RateLimiterTest, ZeroRateIsOffAndTheClientTableIsBounded) {
  RateLimiter off({.rate = 0});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Take("a").allowed);
  RateLimiter small({.rate = 1, .burst = 1, .max_clients = 2});
  const Clock::time_point t0{};
  EXPECT_TRUE(small.Take("a", t0).allowed);
  EXPECT_FALSE(small.Take("a", t0).allowed);
  EXPECT_TRUE(small.Take("b", t0).allowed);
  EXPECT_TRUE(small.Take("c", t0).allowed);  // forgets "a", the least recently seen
  EXPECT_TRUE(small.Take("a", t0).allowed);
}

TEST(RateLimiterTest, ClientAddressDropsThePort) {
  EXPECT_EQ(ClientAddress("ipv4:10.0.0.7:51234"), "10.0.0.7");
  EXPECT_EQ(ClientAddress("ipv6:[::1]:5000"), "::1");
  EXPECT_EQ(ClientAddress("unix:/tmp/sock"), "unix:/tmp/sock");
}

TEST(ApiKeysTest, ParsesKeysAndNamesTheLineOfABadOne) {
  auto keys = ApiKeys::Parse("keys.txt", "# apps\n\nward-app 0123456789abcdef\nfedcba9876543210\n");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->size(), 2u);
  EXPECT_TRUE(keys->Check("0123456789abcdef").ok());
  EXPECT_EQ(keys->Check("").code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(keys->Check("0123456789abcdeX").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(ApiKeys::KeyId("0123456789abcdef"), ApiKeys::KeyId("fedcba9876543210"));
  EXPECT_EQ(ApiKeys::KeyId("0123456789abcdef").find("0123"), std::string::npos);
  auto bad = ApiKeys::Parse("keys.txt", "good 0123456789abcdef\nshort\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("keys.txt:2"), std::string::npos) << bad.status();
  EXPECT_FALSE(ApiKeys::Parse("keys.txt", "a b c\n").ok());
}

TEST(BearerTokenTest, MissingWrongAndRightTokens) {
  const std::string token = "correct-horse-battery-staple";
  EXPECT_EQ(CheckBearerToken("", token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckBearerToken("Bearer ", token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckBearerToken("Basic " + token, token).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckBearerToken("Bearer " + token + "x", token).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CheckBearerToken("Bearer correct", token).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(CheckBearerToken("Bearer " + token, token).ok());
}

}  // namespace
}  // namespace patientqa::service

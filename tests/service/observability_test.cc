#include <gtest/gtest.h>

#include <string>

#include "service/observability/access_log.h"
#include "service/observability/content_gaps.h"
#include "service/observability/metrics.h"
#include "service/observability/observer.h"

namespace patientqa::service::observability {
namespace {

TEST(MetricsTest, WritesTheTextExpositionFormatWithEscapedLabels) {
  Registry registry;
  Registry::Counter* calls = registry.AddCounter("x_calls_total", "Calls.\nTwo lines", {"code"});
  Registry::Gauge* size = registry.AddGauge("x_size", "Size.");
  calls->Add({"OK"});
  calls->Add({"OK"}, 2);
  calls->Add({"a\"b\\c\nd"});
  calls->Add({"OK"}, -5);  // counters never go down
  size->Set({}, 0.25);
  EXPECT_EQ(registry.Render(),
            "# HELP x_calls_total Calls.\\nTwo lines\n"
            "# TYPE x_calls_total counter\n"
            "x_calls_total{code=\"OK\"} 3\n"
            "x_calls_total{code=\"a\\\"b\\\\c\\nd\"} 1\n"
            "# HELP x_size Size.\n"
            "# TYPE x_size gauge\n"
            "x_size 0.25\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  Registry::Histogram* h = registry.AddHistogram("x_seconds", "Time.", {"m"}, {0.1, 1});
  h->Observe({"Ask"}, 0.05);
  h->Observe({"Ask"}, 0.5);
  h->Observe({"Ask"}, 3);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("x_seconds_bucket{m=\"Ask\",le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{m=\"Ask\",le=\"1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{m=\"Ask\",le=\"+Inf\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_sum{m=\"Ask\"} 3.55\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_count{m=\"Ask\"} 3\n"), std::string::npos) << text;
}

TEST(ContentGapsTest, ShowsOnlyGroupsOfAtLeastK) {
  ContentGaps gaps(3);
  for (int i = 0; i < 3; ++i) gaps.Add("refused", "treatment", "other-condition");
  gaps.Add("refused", "outlook", "");
  gaps.Add("weak", "treatment", "other-condition");
  const auto report = gaps.Report();
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].outcome, "refused");
  EXPECT_EQ(report[0].count, 3);
  gaps.Add("refused", "outlook", "");
  gaps.Add("refused", "outlook", "");
  const auto both = gaps.Report();
  ASSERT_EQ(both.size(), 2u);
  EXPECT_TRUE(both[0].focus == "-" || both[1].focus == "-");  // no focus is shown as "-"
}

TEST(AccessLogTest, ALineHasMetadataAndNoPlaceForText) {
  AccessLogEntry e;
  e.time = "2026-11-30T12:00:00.000Z";
  e.request_id = 7;
  e.surface = "grpc";
  e.method = "Ask";
  e.code = "OK";
  e.latency_ms = 2.5;
  e.passages = 5;
  e.answered = true;
  e.safety_level = "urgent";
  e.safety_category = "neutropenic-sepsis";
  e.question_hash = Observer::QuestionHash("my liver hurts");
  const std::string line = AccessLog::Format(e);
  EXPECT_EQ(line,
            "{\"time\":\"2026-11-30T12:00:00.000Z\",\"request_id\":7,\"surface\":\"grpc\","
            "\"method\":\"Ask\",\"status\":\"OK\",\"latency_ms\":2.5,\"passages\":5,"
            "\"answered\":true,\"safety_level\":\"urgent\",\"safety_category\":"
            "\"neutropenic-sepsis\",\"cache_hit\":false,\"question_hash\":\"" +
                e.question_hash + "\"}\n");
  EXPECT_EQ(e.question_hash.size(), 32u);
  EXPECT_EQ(Observer::QuestionHash("my liver hurts"), e.question_hash);
  EXPECT_NE(Observer::QuestionHash("my liver hurts!"), e.question_hash);
}

TEST(AccessLogTest, OffMeansNoLogAndAnUnwritablePathIsNamed) {
  auto off = AccessLog::Open("off");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, nullptr);
  auto bad = AccessLog::Open("/nonexistent-dir/access.log");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("/nonexistent-dir/access.log"), std::string::npos);
}

}  // namespace
}  // namespace patientqa::service::observability

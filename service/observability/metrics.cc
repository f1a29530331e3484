#include "service/observability/metrics.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace patientqa::service::observability {

namespace {

// A sample value as Prometheus reads it: integers without a fraction, +Inf/NaN spelled out.
std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.9g", v);
}

// Label values escape backslash, double quote and line feed; HELP text backslash and line feed.
std::string Escape(std::string_view s, bool quotes) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string Registry::Family::LabelText(const LabelValues& values, std::string_view extra_name,
                                        std::string_view extra_value) const {
  std::string out;
  for (size_t i = 0; i < labels_.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "{" : ",", labels_[i], "=\"", Escape(values[i], true),
                    "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "{" : ",",
                    absl::string_view(extra_name.data(), extra_name.size()), "=\"",
                    absl::string_view(extra_value.data(), extra_value.size()), "\"");
  }
  if (!out.empty()) out += "}";
  return out;
}

void Registry::Family::WriteHeader(std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", Escape(help_, false), "\n# TYPE ", name_, " ", type_,
                  "\n");
}

void Registry::Counter::Add(const LabelValues& values, double by) {
  if (!(by >= 0)) return;  // counters only go up
  std::lock_guard<std::mutex> lock(mu_);
  samples_[values] += by;
}

double Registry::Counter::Value(const LabelValues& values) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = samples_.find(values);
  return it == samples_.end() ? 0 : it->second;
}

void Registry::Counter::Write(std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [values, v] : samples_) {
    absl::StrAppend(out, name_, LabelText(values), " ", Number(v), "\n");
  }
}

void Registry::Gauge::Set(const LabelValues& values, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  samples_[values] = value;
}

void Registry::Gauge::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  samples_.clear();
}

void Registry::Gauge::Write(std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [values, v] : samples_) {
    absl::StrAppend(out, name_, LabelText(values), " ", Number(v), "\n");
  }
}

void Registry::Histogram::Observe(const LabelValues& values, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  Sample& s = samples_[values];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += value;
}

void Registry::Histogram::Write(std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [values, s] : samples_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += s.buckets[i];
      absl::StrAppend(out, name_, "_bucket", LabelText(values, "le", Number(bounds_[i])), " ",
                      cumulative, "\n");
    }
    absl::StrAppend(out, name_, "_bucket", LabelText(values, "le", "+Inf"), " ", s.count, "\n");
    absl::StrAppend(out, name_, "_sum", LabelText(values), " ", Number(s.sum), "\n");
    absl::StrAppend(out, name_, "_count", LabelText(values), " ", s.count, "\n");
  }
}

Registry::Counter* Registry::AddCounter(std::string name, std::string help,
                                        std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::unique_ptr<Family>(
      new Counter(std::move(name), std::move(help), "counter", std::move(labels))));
  return static_cast<Counter*>(families_.back().get());
}

Registry::Gauge* Registry::AddGauge(std::string name, std::string help,
                                    std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::unique_ptr<Family>(
      new Gauge(std::move(name), std::move(help), "gauge", std::move(labels))));
  return static_cast<Gauge*>(families_.back().get());
}

Registry::Histogram* Registry::AddHistogram(std::string name, std::string help,
                                            std::vector<std::string> labels,
                                            std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::unique_ptr<Family>(
      new Histogram(std::move(name), std::move(help), std::move(labels), std::move(bounds))));
  return static_cast<Histogram*>(families_.back().get());
}

void Registry::AddCollector(std::function<void()> collect) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& collect : collectors_) collect();
  std::string out;
  for (const auto& family : families_) {
    family->WriteHeader(&out);
    family->Write(&out);
  }
  return out;
}

}  // namespace patientqa::service::observability

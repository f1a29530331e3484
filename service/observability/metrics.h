#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patientqa::service::observability {

// Label values in the order of the family's label names.
using LabelValues = std::vector<std::string>;

// A small Prometheus registry that writes the text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/). Debian 12 has no
// prometheus-cpp; this is the part of it the server needs. Families are declared once at start;
// updates are thread-safe (one mutex per family, held for a map lookup and an add).
//
// Memory: one entry per distinct label set. Callers bound that by using labels with a fixed set
// of values (RPC names, status codes, vocabulary concept ids), never request text.
class Registry {
 public:
  class Counter;
  class Histogram;
  class Gauge;

  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Declares a family. `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*; counters end in "_total".
  // The pointer lives as long as the registry.
  Counter* AddCounter(std::string name, std::string help, std::vector<std::string> labels = {});
  Gauge* AddGauge(std::string name, std::string help, std::vector<std::string> labels = {});
  // `bounds`: upper bounds of the buckets in ascending order (the +Inf bucket is added).
  Histogram* AddHistogram(std::string name, std::string help, std::vector<std::string> labels,
                          std::vector<double> bounds);
  // Called at each Render() before the families are written: sets gauges that are read rather
  // than counted (index size, in-flight calls, memory).
  void AddCollector(std::function<void()> collect);

  // The whole exposition: "# HELP", "# TYPE" and one line per sample, families in the order
  // they were declared, samples in label order.
  std::string Render() const;

  class Family {
   public:
    virtual ~Family() = default;
    const std::string& name() const { return name_; }

   protected:
    Family(std::string name, std::string help, std::string type, std::vector<std::string> labels)
        : name_(std::move(name)),
          help_(std::move(help)),
          type_(std::move(type)),
          labels_(std::move(labels)) {}
    // `{a="x",b="y"}` for these values (empty when there are no labels); values are escaped.
    std::string LabelText(const LabelValues& values, std::string_view extra_name = {},
                          std::string_view extra_value = {}) const;
    void WriteHeader(std::string* out) const;
    virtual void Write(std::string* out) const = 0;
    friend class Registry;

    const std::string name_;
    const std::string help_;
    const std::string type_;
    const std::vector<std::string> labels_;
    mutable std::mutex mu_;
  };

  class Counter final : public Family {
   public:
    // Adds `by` (>= 0) to the sample with these label values.
    void Add(const LabelValues& values, double by = 1);
    double Value(const LabelValues& values) const;

   private:
    using Family::Family;
    friend class Registry;
    void Write(std::string* out) const override;
    std::map<LabelValues, double> samples_;
  };

  class Gauge final : public Family {
   public:
    void Set(const LabelValues& values, double value);
    // Removes every sample (a gauge whose label sets change, such as the index version).
    void Clear();

   private:
    using Family::Family;
    friend class Registry;
    void Write(std::string* out) const override;
    std::map<LabelValues, double> samples_;
  };

  class Histogram final : public Family {
   public:
    void Observe(const LabelValues& values, double value);

   private:
    Histogram(std::string name, std::string help, std::vector<std::string> labels,
              std::vector<double> bounds)
        : Family(std::move(name), std::move(help), "histogram", std::move(labels)),
          bounds_(std::move(bounds)) {}
    friend class Registry;
    void Write(std::string* out) const override;
    struct Sample {
      std::vector<uint64_t> buckets;  // per bound, not cumulative; +Inf is `count`
      uint64_t count = 0;
      double sum = 0;
    };
    const std::vector<double> bounds_;
    std::map<LabelValues, Sample> samples_;
  };

 private:
  mutable std::mutex mu_;  // guards the lists, not the samples
  std::vector<std::unique_ptr<Family>> families_;
  std::vector<std::function<void()>> collectors_;
};

// Latency buckets in seconds, from 0.5 ms to 10 s: an Ask takes a few milliseconds.
std::vector<double> LatencyBuckets();

}  // namespace patientqa::service::observability

// patientqa-bench: how fast patientqa answers, and how much memory it takes. Builds an index (or
// opens one), then asks the gold set's questions (and MedQuAD's, with --medquad) from several
// threads, in this process or over gRPC against a running server, and prints the figures.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "corpus/sources.h"
#include "patientqa/v1/patientqa.grpc.pb.h"
#include "service/ask_handler.h"
#include "service/eval/evaluation.h"
#include "service/eval/gold_set.h"
#include "service/eval/load_test.h"

ABSL_FLAG(std::string, index, "", "Index to use (built from --corpus and --medquad when empty)");
ABSL_FLAG(std::string, corpus, "corpus", "Corpus to index when --index is empty");
ABSL_FLAG(std::string, medquad, "",
          "MedQuAD CancerGov JSONL: index its answers with the corpus and ask its questions too");
ABSL_FLAG(std::string, gold, "tests/eval/gold.jsonl", "Questions to ask (a gold set)");
ABSL_FLAG(std::string, server, "",
          "Ask a running server over gRPC at HOST:PORT (plain text) instead of in this process");
ABSL_FLAG(int, server_pid, 0, "With --server: the server's process id, to report its memory");
ABSL_FLAG(int, threads, 2, "Concurrent askers");
ABSL_FLAG(bool, understanding, true,
          "In process: use question understanding (concept terms, question type and focus, "
          "question entailment); false measures the ranking without them, for comparison");
ABSL_FLAG(double, seconds, 10, "How long to ask (after one second of warm-up)");
ABSL_FLAG(double, max_p99_ms, 0, "Fail (exit 1) when the 99th-percentile latency is above this");
ABSL_FLAG(double, min_qps, 0, "Fail when fewer questions per second are answered");
ABSL_FLAG(double, max_memory_mib, 0, "Fail when peak resident memory is above this");

namespace {

namespace eval = patientqa::service::eval;
namespace fs = std::filesystem;
namespace v1 = patientqa::v1;

int Fail(const std::string& message) {
  std::fprintf(stderr, "patientqa-bench: %s\n", message.c_str());
  return 1;
}

double MiBOnDisk(const fs::path& dir) {
  std::error_code ec;
  uintmax_t bytes = 0;
  for (auto it = fs::recursive_directory_iterator(fs::canonical(dir, ec), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) bytes += it->file_size(ec);
  }
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures patientqa's speed and memory.\n"
      "  patientqa-bench [--index DIR | --corpus DIR [--medquad FILE]] [--gold FILE]\n"
      "                  [--server HOST:PORT [--server_pid PID]] [--threads N] [--seconds S]\n"
      "                  [--max_p99_ms X] [--min_qps X] [--max_memory_mib X]");
  absl::ParseCommandLine(argc, argv);

  // The questions.
  std::vector<patientqa::corpus::Diagnostic> errors;
  std::vector<eval::LoadQuestion> questions;
  int gold_count = 0, medquad_count = 0;
  if (const std::string gold = absl::GetFlag(FLAGS_gold); !gold.empty()) {
    for (const eval::GoldQuestion& q : eval::LoadGoldSet(gold, &errors)) {
      questions.push_back({q.question, q.history});
    }
    gold_count = static_cast<int>(questions.size());
  }
  // The articles, when an index is to be built here; MedQuAD's questions, when asked for.
  const bool build_index =
      absl::GetFlag(FLAGS_server).empty() && absl::GetFlag(FLAGS_index).empty();
  patientqa::corpus::CorpusSources sources;
  if (build_index) sources.corpus_dir = absl::GetFlag(FLAGS_corpus);
  sources.medquad = absl::GetFlag(FLAGS_medquad);
  patientqa::corpus::LoadedCorpus loaded;
  if (build_index || !sources.medquad.empty()) {
    loaded = patientqa::corpus::LoadSources(sources);
    errors.insert(errors.end(), loaded.errors.begin(), loaded.errors.end());
    for (const auto& pair : loaded.medquad_pairs) questions.push_back({pair.question, {}});
    medquad_count = static_cast<int>(loaded.medquad_pairs.size());
  }
  if (!errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return Fail("cannot load the questions or the corpus");
  }
  if (questions.empty()) return Fail("no questions to ask (--gold or --medquad)");

  eval::LoadOptions load;
  load.threads = absl::GetFlag(FLAGS_threads);
  load.duration = std::chrono::milliseconds(static_cast<long>(absl::GetFlag(FLAGS_seconds) * 1000));
  if (load.threads < 1 || load.threads > 256) return Fail("--threads must be 1..256");
  if (load.duration.count() <= 0) return Fail("--seconds must be above 0");

  std::string report;
  eval::LoadReport result;
  double memory_mib = 0;
  std::string mode;
  std::string triage_line;  // in process only
  char tmp_template[] = "/tmp/patientqa-bench-XXXXXX";
  const fs::path tmp = mkdtemp(tmp_template);

  if (const std::string server = absl::GetFlag(FLAGS_server); !server.empty()) {
    mode = absl::StrCat("over gRPC to ", server);
    auto channel = grpc::CreateChannel(server, grpc::InsecureChannelCredentials());
    auto stub = v1::PatientQA::NewStub(channel);
    result = eval::RunLoad(
        questions,
        [&](const eval::LoadQuestion& q) {
          grpc::ClientContext context;
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
          v1::AskRequest request;
          request.set_question(q.question);
          for (const std::string& turn : q.history) request.add_history(turn);
          v1::AskResponse response;
          const grpc::Status s = stub->Ask(&context, request, &response);
          return s.ok() ? absl::OkStatus()
                        : absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                                       s.error_message());
        },
        load);
    memory_mib = eval::PeakResidentMiB(absl::GetFlag(FLAGS_server_pid));
    if (absl::GetFlag(FLAGS_server_pid) == 0) memory_mib = 0;  // this client's is not of interest
  } else {
    mode = "in this process";
    fs::path index_path = absl::GetFlag(FLAGS_index);
    if (index_path.empty()) {
      index_path = tmp / "index";
      patientqa::index::BuildStats stats;
      auto built =
          eval::BuildAndOpen(loaded.articles, loaded.synonyms, loaded.clinical, index_path, &stats);
      if (!built.ok()) return Fail(std::string(built.status().message()));
      report += absl::StrFormat(
          "Index: %d articles, %d passages, %d words; built in %.2f s (%.0f words/s); %.1f MiB on "
          "disk.\n",
          stats.articles, stats.passages, stats.words, stats.seconds,
          stats.seconds > 0 ? static_cast<double>(stats.words) / stats.seconds : 0,
          MiBOnDisk(index_path));
    }
    auto holder = patientqa::service::IndexHolder::Open(index_path);
    if (!holder.ok()) return Fail(std::string(holder.status().message()));
    patientqa::service::AskFeatures features;
    patientqa::service::RankingParams params;
    if (!absl::GetFlag(FLAGS_understanding)) {
      features.concepts = features.types = features.feedback = false;
      params.entailment_weight = 0;
    }
    const patientqa::service::AskHandler handler(holder->get(), params);
    result = eval::RunLoad(
        questions,
        [&](const eval::LoadQuestion& q) {
          return handler.Ask({.question = q.question, .history = q.history}, features).status();
        },
        load);
    memory_mib = eval::PeakResidentMiB();
    // Triage's share of a question: the same questions, one thread, triage alone and Ask whole.
    const auto serving = (*holder)->Current();
    auto time_per_question = [&](const std::function<void(const eval::LoadQuestion&)>& f) {
      const auto start = std::chrono::steady_clock::now();
      int n = 0;
      for (int round = 0; round < 3; ++round) {
        for (const eval::LoadQuestion& q : questions) {
          f(q);
          ++n;
        }
      }
      return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                 .count() /
             std::max(n, 1);
    };
    const double triage_us = time_per_question([&](const eval::LoadQuestion& q) {
      std::vector<patientqa::service::triage::AnalyzedText> history;
      for (const std::string& turn : q.history) history.push_back(serving->triager->Analyze(turn));
      serving->triager->Assess(serving->triager->Analyze(q.question), history);
    });
    const double ask_us = time_per_question([&](const eval::LoadQuestion& q) {
      (void)handler.Ask({.question = q.question, .history = q.history}, features);
    });
    triage_line = absl::StrFormat(
        "Triage (normalise, concepts, context, rules), one thread: %.1f us per question, %.1f%% "
        "of a whole Ask (%.1f us).\n",
        triage_us, 100 * triage_us / ask_us, ask_us);
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);

  report += absl::StrFormat(
      "Load: %d questions (%d from the gold set, %d from MedQuAD) asked %s by %d threads for "
      "%.1f s after a 1 s warm-up.\n\n"
      "| requests | errors | per second | mean ms | p50 ms | p90 ms | p99 ms | max ms | peak "
      "memory MiB |\n|---|---|---|---|---|---|---|---|---|\n"
      "| %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n",
      questions.size(), gold_count, medquad_count, mode, result.threads, result.seconds,
      result.requests, result.errors, result.PerSecond(), result.mean_ms, result.p50_ms,
      result.p90_ms, result.p99_ms, result.max_ms,
      memory_mib > 0 ? absl::StrFormat("%.1f", memory_mib) : std::string("-"));
  report += triage_line;
  bool ok = true;
  auto check = [&](bool pass, const std::string& what) {
    if (!pass) {
      report += "FAILED: " + what + "\n";
      ok = false;
    }
  };
  check(result.requests > 0, "no question was answered in the time given");
  if (result.errors > 0)
    check(false, absl::StrCat(result.errors, " errors, first: ", result.first_error));
  if (double limit = absl::GetFlag(FLAGS_max_p99_ms); limit > 0) {
    check(result.p99_ms <= limit,
          absl::StrFormat("p99 %.2f ms is above %.2f ms", result.p99_ms, limit));
  }
  if (double limit = absl::GetFlag(FLAGS_min_qps); limit > 0) {
    check(result.PerSecond() >= limit,
          absl::StrFormat("%.1f questions/s is below %.1f", result.PerSecond(), limit));
  }
  if (double limit = absl::GetFlag(FLAGS_max_memory_mib); limit > 0) {
    check(
        memory_mib > 0 && memory_mib <= limit,
        absl::StrFormat("peak memory %.1f MiB is above %.1f MiB (or unknown)", memory_mib, limit));
  }
  std::fputs(report.c_str(), stdout);
  return ok ? 0 : 1;
}

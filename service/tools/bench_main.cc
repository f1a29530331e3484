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
#include "health/health_check.h"
#include "index/raw_query.h"
#include "patientqa/v1/patientqa.grpc.pb.h"
#include "service/ask_handler.h"
#include "service/cache/answer_cache.h"
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
ABSL_FLAG(int, answer_cache_entries, 0,
          "In process: answers kept for repeated questions (0: none, so every question is "
          "answered afresh)");
ABSL_FLAG(double, repeat_share, 0,
          "Share of requests drawn from --repeat_pool questions (0.8: 80% of traffic from a few "
          "questions), the rest from all the others");
ABSL_FLAG(int, repeat_pool, 20, "How many questions the repeated share is drawn from");
ABSL_FLAG(bool, floor, true,
          "In process: also run the raw Xapian floor (QueryParser, BM25, top 10 with data) on the "
          "same index, questions and threads, and print Ask's share of it");
ABSL_FLAG(std::string, keep_index, "",
          "Build the index here and keep it; when it already exists, use it as --index (for "
          "runs of one corpus with different loads)");
ABSL_FLAG(int, medquad_copies, 1,
          "Index MedQuAD's articles this many times (copies get new ids): a synthetic corpus to "
          "show how speed changes with corpus size");
ABSL_FLAG(std::string, rpc, "ask",
          "With --server: the call to make, 'ask' or 'check' (the standard health Check: the "
          "floor of a gRPC call on the same server)");
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
    const int copies = absl::GetFlag(FLAGS_medquad_copies);
    if (copies < 1 || copies > 1000) return Fail("--medquad_copies must be 1..1000");
    std::vector<patientqa::corpus::Article> extra;
    for (int k = 1; k < copies; ++k) {
      for (const auto& pair : loaded.medquad_pairs) {
        for (const patientqa::corpus::Article& a : loaded.articles) {
          if (a.id != pair.article_id) continue;
          extra.push_back(a);
          extra.back().id = absl::StrCat(a.id, "-copy", k);
        }
      }
    }
    loaded.articles.insert(loaded.articles.end(), extra.begin(), extra.end());
  }
  if (!errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return Fail("cannot load the questions or the corpus");
  }
  if (questions.empty()) return Fail("no questions to ask (--gold or --medquad)");
  // A repeated-question mix: `share` of the requests from the first `pool` questions.
  if (const double share = absl::GetFlag(FLAGS_repeat_share); share > 0) {
    const int pool = absl::GetFlag(FLAGS_repeat_pool);
    if (share > 1 || pool < 1 || pool >= static_cast<int>(questions.size())) {
      return Fail("--repeat_share must be 0..1 and --repeat_pool 1..(questions - 1)");
    }
    std::vector<eval::LoadQuestion> mixed;
    const size_t n = std::max<size_t>(1000, questions.size() * 2);
    const size_t rest = questions.size() - pool;
    for (size_t p = 0; p < n; ++p) {
      const bool repeated = static_cast<double>((p * 2654435761u) % 1000) / 1000.0 < share;
      mixed.push_back(repeated ? questions[p % pool] : questions[pool + p % rest]);
    }
    questions = std::move(mixed);
  }

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
    const std::string rpc = absl::GetFlag(FLAGS_rpc);
    if (rpc != "ask" && rpc != "check") return Fail("--rpc must be 'ask' or 'check'");
    if (rpc == "check") mode = absl::StrCat("as health Checks over gRPC to ", server);
    result = eval::RunLoad(
        questions,
        [&](const eval::LoadQuestion& q) {
          if (rpc == "check") {
            return patientqa::clients::CheckHealth(channel, "", std::chrono::seconds(10)) ==
                           patientqa::clients::HealthStatus::kServing
                       ? absl::OkStatus()
                       : absl::UnavailableError("health Check did not answer SERVING");
          }
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
    const fs::path keep = absl::GetFlag(FLAGS_keep_index);
    if (index_path.empty() && !keep.empty() && fs::exists(keep)) index_path = keep;
    if (index_path.empty()) {
      index_path = keep.empty() ? tmp / "index" : keep;
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
    patientqa::service::AnswerCache cache(absl::GetFlag(FLAGS_answer_cache_entries));
    const patientqa::service::AskHandler handler(holder->get(), params, &cache);
    result = eval::RunLoad(
        questions,
        [&](const eval::LoadQuestion& q) {
          return handler.Ask({.question = q.question, .history = q.history}, features).status();
        },
        load);
    memory_mib = eval::PeakResidentMiB();
    if (cache.capacity() > 0) {
      const auto stats = cache.stats();
      triage_line += absl::StrFormat(
          "Answer cache: %d entries, %.1f%% of requests answered from it.\n", stats.entries,
          100.0 * stats.hits / std::max<uint64_t>(1, stats.hits + stats.misses));
    }
    if (absl::GetFlag(FLAGS_floor)) {
      const patientqa::index::RawQuery raw(index_path);
      const eval::LoadReport floor = eval::RunLoad(
          questions, [&](const eval::LoadQuestion& q) { return raw.Run(q.question); }, load);
      triage_line += absl::StrFormat(
          "Raw Xapian floor (QueryParser, BM25, top 10 with data), %d threads: %.1f/s, p50 %.3f "
          "ms, "
          "p99 %.3f ms. Ask: %.1f%% of the floor's questions per second.\n",
          floor.threads, floor.PerSecond(), floor.p50_ms, floor.p99_ms,
          floor.PerSecond() > 0 ? 100 * result.PerSecond() / floor.PerSecond() : 0);
    }
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
    triage_line += absl::StrFormat(
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

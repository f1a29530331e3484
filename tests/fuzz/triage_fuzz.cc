// Fuzzes triage of a patient's message with the bundled rules (corpus/clinical). The whole input
// is one message; when it holds a 0x01 byte, it is also assessed as the message before the byte
// with the text after it as one earlier turn.
//
// Inputs of any length (scripts/fuzz allows 64 KiB) are triaged: ConText's scopes are prepared
// once per text (ContextAnnotator::PrepareScopes), so 64 KiB of "fever " takes about 1.6 s under
// the sanitizers (it took 12 s when scopes were recomputed per mention).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/language/clinical_rules.h"
#include "service/triage/triager.h"

namespace {

using patientqa::service::triage::Triager;

// Built once: the rules are the bundled ones, so a failure is a broken checkout, not a finding.
const Triager& BundledTriager() {
  static const Triager* const triager = [] {
    auto files = patientqa::corpus::ReadClinicalDir(PATIENTQA_SOURCE_DIR "/corpus/clinical");
    if (!files.ok()) {
      std::fprintf(stderr, "triage_fuzz: %s\n", std::string(files.status().message()).c_str());
      std::exit(1);
    }
    std::vector<patientqa::corpus::Diagnostic> errors;
    auto rules = patientqa::corpus::ParseClinicalRules(*files, &errors);
    for (const auto& e : errors) std::fprintf(stderr, "triage_fuzz: %s\n", e.ToString().c_str());
    auto created = Triager::Create(std::move(rules));
    if (!created.ok()) {
      std::fprintf(stderr, "triage_fuzz: %s\n", std::string(created.status().message()).c_str());
      std::exit(1);
    }
    return created->release();
  }();
  return *triager;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  BundledTriager();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Triager& triager = BundledTriager();
  triager.Assess(input, {});
  if (const size_t split = input.find('\x01'); split != std::string_view::npos) {
    triager.Assess(input.substr(0, split), {std::string(input.substr(split + 1))});
  }
  return 0;
}

// Fuzzes the clinical rule parser. The input is the four rule files separated by 0x00 bytes
// (vocabulary.txt, context.txt, triage.txt, languages.txt); missing parts are empty files, and
// 0x00 bytes after the third belong to languages.txt.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/language/clinical_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  patientqa::corpus::ClinicalFiles files;
  files.dir = "fuzz";
  constexpr size_t kFiles = std::size(patientqa::corpus::kClinicalFileNames);
  for (size_t i = 0; i < kFiles; ++i) {
    const size_t end = i + 1 < kFiles ? input.find('\0') : std::string_view::npos;
    files.texts[std::string(patientqa::corpus::kClinicalFileNames[i])] =
        std::string(input.substr(0, end));
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  }
  std::vector<patientqa::corpus::Diagnostic> errors;
  const auto rules = patientqa::corpus::ParseClinicalRules(files, &errors);
  // nullptr exactly when there were errors.
  if ((rules == nullptr) != !errors.empty()) __builtin_trap();
  return 0;
}

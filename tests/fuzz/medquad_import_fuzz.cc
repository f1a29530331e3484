// Fuzzes the MedQuAD JSONL importer with arbitrary file contents.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "corpus/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const patientqa::corpus::MedquadImport result =
      patientqa::corpus::ParseMedquad("f.jsonl", content);
  if (result.articles.size() != result.pairs.size()) __builtin_trap();
  for (const auto& e : result.errors) {
    if (e.file != "f.jsonl" || e.line < 1) __builtin_trap();
  }
  return 0;
}

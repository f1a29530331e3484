// Fuzzes the JSON Lines article importer with arbitrary file contents.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "corpus/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const patientqa::corpus::LoadResult result =
      patientqa::corpus::ParseJsonlArticles("f.jsonl", content);
  for (const auto& e : result.errors) {
    // Errors name the file and a line of it (1-based).
    if (e.file != "f.jsonl" || e.line < 1) __builtin_trap();
  }
  return 0;
}

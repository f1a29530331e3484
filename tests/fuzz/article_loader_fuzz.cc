// Fuzzes the article parser (front matter + Markdown body) with arbitrary file contents.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "corpus/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  std::vector<patientqa::corpus::Diagnostic> errors;
  const auto article = patientqa::corpus::ParseArticle("f.md", content, &errors);
  // A parser that returns nothing must say why.
  if (!article && errors.empty()) __builtin_trap();
  return 0;
}

// Fuzzes text normalisation and tokenisation with arbitrary bytes (not necessarily UTF-8).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/language/normalizer.h"
#include "corpus/language/tokenizer.h"
#include "corpus/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string normalized = patientqa::corpus::NormalizeText(input);
  // NormalizeText promises valid UTF-8.
  if (patientqa::corpus::FindInvalidUtf8(normalized)) __builtin_trap();
  const std::vector<patientqa::corpus::Token> tokens = patientqa::corpus::Tokenize(normalized);
  for (const auto& t : tokens) {
    // Offsets point into the tokenised text.
    if (t.begin > t.end || t.end > normalized.size()) __builtin_trap();
  }
  return 0;
}

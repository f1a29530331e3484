#include "corpus/language/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace patientqa::corpus {
namespace {

// What one code point becomes before NFKC_Casefold: itself, a space, an ASCII mark, or nothing.
UChar32 MapLookAlike(UChar32 c) {
  switch (c) {
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x180E:
      return ' ';
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
    case 0x0060:
    case 0x00B4:
    case 0xFF07:
      return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0x00AB:
    case 0x00BB:
    case 0xFF02:
      return '"';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
      return '-';
    case 0x00AD:
      return -1;  // soft hyphen: dropped
    default:
      break;
  }
  if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 ||
      u_isUWhiteSpace(c) || u_charType(c) == U_SPACE_SEPARATOR ||
      u_charType(c) == U_LINE_SEPARATOR || u_charType(c) == U_PARAGRAPH_SEPARATOR) {
    return ' ';
  }
  return c;
}

std::string Normalize(std::string_view text, bool fold_case) {
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString mapped;
  for (int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
    const UChar32 c = MapLookAlike(in.char32At(i));
    if (c >= 0) mapped.append(c);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = fold_case ? icu::Normalizer2::getNFKCCasefoldInstance(status)
                                           : icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString folded;
  if (U_SUCCESS(status)) folded = nfkc->normalize(mapped, status);
  if (U_FAILURE(status)) {  // ICU data missing: the look-alike mapping (and case folding) only
    folded = fold_case ? mapped.foldCase() : mapped;
  }
  std::string utf8;
  folded.toUTF8String(utf8);
  // NFKC can turn compatibility spaces into U+0020 again: collapse and trim last.
  std::string out;
  out.reserve(utf8.size());
  for (char c : utf8) {
    if (c == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string NormalizeText(std::string_view text) { return Normalize(text, true); }

std::string NormalizeTypography(std::string_view text) { return Normalize(text, false); }

}  // namespace patientqa::corpus

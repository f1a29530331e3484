#include "service/triage/language.h"

#include <cld2/public/compact_lang_det.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>

#include "corpus/language/english_words.h"

namespace patientqa::service::triage {
namespace {

const corpus::LanguageProfile* FindProfile(const std::vector<corpus::LanguageProfile>& profiles,
                                           std::string_view code) {
  for (const corpus::LanguageProfile& p : profiles) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

LanguageGuess Other(const std::vector<corpus::LanguageProfile>& profiles, std::string code,
                    std::string name) {
  LanguageGuess g;
  g.other = true;
  if (const corpus::LanguageProfile* p = FindProfile(profiles, code)) {
    g.name = p->name;
    g.note = p->note;
  } else {
    g.name = std::move(name);
  }
  g.code = std::move(code);
  return g;
}

// Whether at least three quarters of the message's words are English words or part of a
// clinical vocabulary mention.
bool MostlyKnownWords(const std::vector<corpus::Token>& tokens,
                      const std::vector<ContextualMention>& mentions) {
  std::vector<bool> clinical(tokens.size(), false);
  for (const ContextualMention& m : mentions) {
    for (size_t k = m.mention.begin; k < m.mention.end && k < tokens.size(); ++k)
      clinical[k] = true;
  }
  size_t words = 0;
  size_t known = 0;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].kind != corpus::TokenKind::kWord) continue;
    ++words;
    known += clinical[k] || corpus::EnglishWords().Contains(tokens[k].text);
  }
  return words > 0 && known * 4 >= words * 3;
}

}  // namespace

LanguageGuess GuessLanguage(std::string_view text, const std::vector<corpus::Token>& tokens,
                            const std::vector<ContextualMention>& mentions,
                            const std::vector<corpus::LanguageProfile>& profiles) {
  // (a) CLD2 on the whole text.
  CLD2::Language language3[3];
  int percent3[3] = {0, 0, 0};
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language detected = CLD2::ExtDetectLanguageSummary(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, language3, percent3,
      &text_bytes, &reliable);
  if (reliable && detected != CLD2::ENGLISH && detected != CLD2::UNKNOWN_LANGUAGE &&
      percent3[0] >= 50 && !MostlyKnownWords(tokens, mentions)) {
    return Other(profiles, CLD2::LanguageCode(detected), CLD2::LanguageName(detected));
  }
  // (b) Letters by script.
  std::map<UScriptCode, int> scripts;
  int letters = 0;
  for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
    UChar32 c;
    U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
    if (c < 0 || !u_isalpha(c)) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
    ++letters;
    ++scripts[script];
  }
  const int latin = scripts.count(USCRIPT_LATIN) ? scripts[USCRIPT_LATIN] : 0;
  if (letters - latin >= 2 && (letters - latin) * 10 >= letters * 3) {
    UScriptCode top = USCRIPT_LATIN;
    int most = 0;
    for (const auto& [script, n] : scripts) {
      if (script != USCRIPT_LATIN && n > most) {
        top = script;
        most = n;
      }
    }
    return Other(profiles, uscript_getShortName(top), uscript_getName(top));
  }
  // (c) Hint words, when CLD2 could not tell.
  if (reliable && detected == CLD2::ENGLISH) return {};
  std::map<std::string, int> hits;
  for (const corpus::Token& t : tokens) {
    if (t.kind != corpus::TokenKind::kWord) continue;
    for (const corpus::LanguageProfile& p : profiles) {
      if (std::find(p.words.begin(), p.words.end(), t.text) != p.words.end()) ++hits[p.code];
    }
  }
  const int english = hits.count("en") ? hits["en"] : 0;
  const corpus::LanguageProfile* best = nullptr;
  for (const corpus::LanguageProfile& p : profiles) {
    if (p.code == "en" || !hits.count(p.code)) continue;
    if (!best || hits[p.code] > hits[best->code]) best = &p;
  }
  if (best && hits[best->code] > english) return Other(profiles, best->code, best->name);
  return {};
}

}  // namespace patientqa::service::triage

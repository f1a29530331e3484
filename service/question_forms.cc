#include "service/question_forms.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "corpus/text.h"
#include "re2/re2.h"

namespace patientqa::service {

MessageParts SplitMessage(const std::string& message, int long_message_words) {
  const std::vector<std::string> sentences = corpus::SplitSentences(message);
  if (static_cast<int>(corpus::CountWords(message)) < long_message_words || sentences.size() < 2) {
    return {message, ""};
  }
  MessageParts parts;
  for (size_t k = 0; k < sentences.size(); ++k) {
    const bool question =
        sentences[k].find('?') != std::string::npos ||
        (k + 1 < sentences.size() && sentences[k + 1].find('?') != std::string::npos);
    std::string& part = question ? parts.focus : parts.background;
    part += (part.empty() ? "" : " ") + sentences[k];
  }
  if (parts.focus.empty()) {
    parts.focus = sentences.back();
    parts.background.resize(parts.background.size() -
                            std::min(parts.background.size(), parts.focus.size()));
  }
  return parts;
}

bool LeansOnConversation(std::string_view question, size_t content_words) {
  if (content_words == 0) return true;
  if (content_words > 2) return false;
  static const auto* const kReferring =
      new std::set<std::string>{"it",    "its", "they", "them", "their", "that", "this", "those",
                                "these", "he",  "him",  "his",  "she",   "her",  "hers"};
  const std::vector<std::string> words = corpus::LowerCaseWords(question);
  if (words.empty()) return true;
  if (words[0] == "and" || words[0] == "also" ||
      (words.size() > 1 && (words[0] == "what" || words[0] == "how") && words[1] == "about")) {
    return true;
  }
  return std::any_of(words.begin(), words.end(),
                     [](const std::string& w) { return kReferring->count(w) > 0; });
}

std::string DefinitionSubject(std::string_view question) {
  // Lower case, with everything but letters, digits, hyphens and apostrophes as single spaces.
  std::string text;
  for (char c : question) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80 || c == '-' || c == '\'') {
      text += static_cast<char>(std::tolower(u));
    } else if (c == '?' || c == ',' || c == '.' || c == '!' || c == ':' || c == ';') {
      text += " | ";  // where a part of the message ends
    } else if (!text.empty() && text.back() != ' ') {
      text += ' ';
    }
  }
  static const RE2 dash(R"(\s-\s)");  // "they keep saying mets - what are mets"
  RE2::GlobalReplace(&text, dash, " | ");
  // RE2 (linear time, compiled once): no std::regex on the request path. The question may follow
  // a lead-in part: "My oncologist keeps saying mets | what are mets".
  static const RE2 form(
      R"(^(?:[^|]*\|)*?\s*(?:(?:so|and|ok|please|sorry|hi)\s+)*(?:what\s+is|what's|whats|what\s+are|what\s+does|what\s+do|what\s+exactly\s+is)\s+(?:a\s+|an\s+|the\s+)?(.+?)\s*(?:\|.*)?$)");
  // The thing first: "peritoneal mets, what does that mean?", "SIRT - what is it?".
  static const RE2 thing_first(
      R"(^\s*(.+?)\s*(?:\|\s*)?(?:-\s*)?what\s+(?:does|do|is|are)\s+(?:it|that|this|they|those)(?:\s+mean)?\s*(?:\|.*)?$)");
  // "What are the side effects?" asks for a list, not for what side effects are.
  static const RE2 list_form(R"(^\s*(?:\w+\s+)*?what\s+are\s+the\s)");
  if (RE2::PartialMatch(text, list_form)) return "";
  // Cut at what follows the thing itself: "... and how is it given", "... for bowel cancer",
  // "... mean".
  static const RE2 tail(
      R"(\s+(?:and|or|for|in|with|from|after|when|mean|means|stand|stands|used|actually|exactly)\b.*$)");
  static const auto* const kNotAThing = new std::set<std::string>{
      "of",   "to",     "best",    "difference", "the", "it",     "that",   "this",
      "they", "my",     "your",    "his",        "her", "their",  "i",      "you",
      "we",   "happen", "happens", "going",      "if",  "chance", "chances"};
  // The thing-first form is tried when the usual one names no thing ("sirt | what is it").
  for (const RE2* pattern : {&form, &thing_first}) {
    std::string subject;
    if (!RE2::FullMatch(text, *pattern, &subject)) continue;
    // "What is life actually like with a stoma?" asks what it is like, not what it is.
    static const RE2 like(R"((?:^|\s)like(?:\s|$))");
    if (RE2::PartialMatch(subject, like)) continue;
    RE2::Replace(&subject, tail, "");
    const std::vector<std::string> words = corpus::LowerCaseWords(subject);
    if (words.empty() || words.size() > 3 ||
        std::any_of(words.begin(), words.end(),
                    [](const std::string& w) { return kNotAThing->count(w) > 0; })) {
      continue;
    }
    return subject;
  }
  return "";
}

}  // namespace patientqa::service

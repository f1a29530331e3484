#include "corpus/pinned_answers.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "corpus/language/search_concepts.h"
#include "corpus/loader.h"
#include "corpus/splitter.h"
#include "corpus/text.h"
#include "re2/re2.h"

namespace patientqa::corpus {
namespace {

constexpr size_t kMaxQuestionChars = 300;  // as a section's question variants

bool IsPinId(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "<article id>#<n> | <opening words>" -> the passage, or an error message.
std::optional<PinnedPassage> ParsePassage(std::string_view value, int line, std::string* error) {
  static const RE2 kPassage(R"(([a-z0-9][a-z0-9._-]*)#(\d{1,6})\s*\|\s*(.*\S)\s*)");
  std::string article, number, opening;
  if (!RE2::FullMatch(value, kPassage, &article, &number, &opening)) {
    *error = absl::StrCat(
        "expected 'passage: <article id>#<n> | <the passage's opening words>' (the API's "
        "passage_id, then the words the passage starts with), got '",
        std::string(value), "'");
    return std::nullopt;
  }
  PinnedPassage p;
  p.article_id = article;
  p.ordinal = std::atoi(number.c_str());
  p.passage_id = absl::StrCat(article, "#", p.ordinal);
  p.opening = opening;
  p.line = line;
  return p;
}

}  // namespace

std::vector<PinnedAnswer> ParsePinnedAnswers(std::string_view path, std::string_view content,
                                             const Vocabulary& vocabulary,
                                             std::vector<Diagnostic>* errors) {
  std::vector<PinnedAnswer> pins;
  std::vector<bool> bad;  // per pin: a problem was reported, leave it out
  std::set<std::string> ids;
  auto fail = [&](int line, std::string message) {
    errors->push_back({std::string(path), line, std::move(message)});
    if (!bad.empty()) bad.back() = true;
  };
  if (auto invalid = FindInvalidUtf8(content)) {
    const int line =
        1 + static_cast<int>(std::count(content.begin(), content.begin() + *invalid, '\n'));
    errors->push_back({std::string(path), line, absl::StrCat("invalid UTF-8 at byte ", *invalid)});
    return {};
  }
  auto finish = [&](const PinnedAnswer& p) {
    if (p.questions.empty() && p.concepts.empty()) {
      fail(p.line, absl::StrCat("pin '", p.id,
                                "' has an empty intent: give at least one 'ask:' example question "
                                "or a 'concepts:' line"));
    }
    if (p.passages.empty()) {
      fail(p.line, absl::StrCat("pin '", p.id, "' has no 'passage:' line"));
    }
    for (auto [key, value] : {std::pair{"reviewer", &p.reviewer},
                              std::pair{"reviewed", &p.reviewed}, std::pair{"source", &p.source}}) {
      if (value->empty()) fail(p.line, absl::StrCat("pin '", p.id, "' has no '", key, ":' line"));
    }
  };
  int line_no = 0;
  for (std::string_view raw : SplitLines(content)) {
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (raw.front() != ' ' && raw.front() != '\t') {
      if (line.substr(0, 4) != "pin ") {
        fail(line_no, absl::StrCat("expected 'pin <id>', got '", std::string(line), "'"));
        continue;
      }
      if (!pins.empty()) finish(pins.back());
      PinnedAnswer p;
      p.id = std::string(Trim(line.substr(4)));
      p.file = std::string(path);
      p.line = line_no;
      pins.push_back(std::move(p));
      bad.push_back(false);
      if (!IsPinId(pins.back().id)) {
        fail(line_no, absl::StrCat("pin id must be lower-case letters, digits and '-', got '",
                                   pins.back().id, "'"));
      } else if (!ids.insert(pins.back().id).second) {
        fail(line_no, absl::StrCat("duplicate pin '", pins.back().id, "'"));
      }
      continue;
    }
    if (pins.empty()) {
      errors->push_back(
          {std::string(path), line_no, "an attribute line before the first 'pin <id>' line"});
      continue;
    }
    PinnedAnswer& p = pins.back();
    const absl::StatusOr<Attribute> attribute = SplitAttribute(line);
    if (!attribute.ok()) {
      fail(line_no, std::string(attribute.status().message()));
      continue;
    }
    const std::string key(attribute->key);
    const std::string value(attribute->value);
    if (key == "ask") {
      if (CountCodePoints(value) > kMaxQuestionChars) {
        fail(line_no, absl::StrCat("an example question may have at most ", kMaxQuestionChars,
                                   " characters"));
      } else if (std::find(p.questions.begin(), p.questions.end(), value) != p.questions.end()) {
        fail(line_no, "example question listed twice in this pin");
      } else {
        p.questions.push_back(value);
      }
    } else if (key == "concepts") {
      for (const std::string& id : CommaList(value)) {
        const int c = vocabulary.Find(id);
        if (c < 0) {
          fail(line_no, absl::StrCat("unknown concept '", id, "' (see vocabulary.txt)"));
        } else if (!IsSearchConceptType(vocabulary.concepts()[c].type)) {
          fail(line_no,
               absl::StrCat("concept '", id, "' is of type '", vocabulary.concepts()[c].type,
                            "', which does not say what a question is about: use a finding, "
                            "treatment, test, body part, disease or subject"));
        } else if (std::find(p.concepts.begin(), p.concepts.end(), id) == p.concepts.end()) {
          p.concepts.push_back(id);
        }
      }
    } else if (key == "similarity") {
      double s = 0;
      if (!absl::SimpleAtod(value, &s) || !(s > 0 && s <= 1)) {
        fail(line_no,
             absl::StrCat("similarity must be a number above 0 and at most 1, got '", value, "'"));
      } else {
        p.min_similarity = s;
      }
    } else if (key == "passage") {
      std::string error;
      if (auto passage = ParsePassage(value, line_no, &error); !passage) {
        fail(line_no, error);
      } else if (std::any_of(p.passages.begin(), p.passages.end(), [&](const PinnedPassage& q) {
                   return q.passage_id == passage->passage_id;
                 })) {
        fail(line_no, absl::StrCat("passage ", passage->passage_id, " listed twice in this pin"));
      } else if (static_cast<int>(p.passages.size()) >= kMaxPinnedPassages) {
        fail(line_no, absl::StrCat("a pin may show at most ", kMaxPinnedPassages, " passages"));
      } else {
        p.passages.push_back(*std::move(passage));
      }
    } else if (key == "reviewer") {
      p.reviewer = value;
    } else if (key == "reviewed") {
      if (!IsValidDate(value)) {
        fail(line_no, absl::StrCat("reviewed must be a date YYYY-MM-DD, got '", value, "'"));
      } else {
        p.reviewed = value;
      }
    } else if (key == "source") {
      p.source = p.source.empty() ? value : absl::StrCat(p.source, "; ", value);
    } else {
      fail(line_no, absl::StrCat("unknown key '", key,
                                 "' (known: ask, concepts, similarity, passage, reviewer, "
                                 "reviewed, source)"));
    }
  }
  if (!pins.empty()) finish(pins.back());
  std::vector<PinnedAnswer> out;
  for (size_t i = 0; i < pins.size(); ++i) {
    if (!bad[i]) out.push_back(std::move(pins[i]));
  }
  return out;
}

void CheckPinnedPassages(const PinnedAnswer& pin, const std::vector<Article>& articles,
                         std::vector<Diagnostic>* errors, bool* missing_article) {
  if (missing_article != nullptr) *missing_article = false;
  for (const PinnedPassage& ref : pin.passages) {
    auto article = std::find_if(articles.begin(), articles.end(),
                                [&](const Article& a) { return a.id == ref.article_id; });
    if (article == articles.end()) {
      errors->push_back({pin.file, ref.line,
                         absl::StrCat("pinned passage ", ref.passage_id,
                                      ": no article has the id '", ref.article_id, "'")});
      if (missing_article != nullptr) *missing_article = true;
      continue;
    }
    const std::vector<Passage> passages = SplitIntoPassages(*article);
    if (ref.ordinal >= static_cast<int>(passages.size())) {
      errors->push_back({pin.file, ref.line,
                         absl::StrCat("pinned passage ", ref.passage_id, " does not exist: ",
                                      article->id, " has passages #0 to #", passages.size() - 1)});
      continue;
    }
    const std::string& text = passages[ref.ordinal].text;
    const std::vector<std::string> want = LowerCaseWords(ref.opening);
    const std::vector<std::string> have = LowerCaseWords(text);
    if (want.empty() || want.size() > have.size() ||
        !std::equal(want.begin(), want.end(), have.begin())) {
      const std::vector<std::string> sentences = SplitSentences(text);
      errors->push_back(
          {pin.file, ref.line,
           absl::StrCat("pinned passage ", ref.passage_id, " does not start with '", ref.opening,
                        "': it starts '", sentences.empty() ? text : sentences.front(),
                        "' (was the article edited? check which passage to pin)")});
    }
  }
}

}  // namespace patientqa::corpus

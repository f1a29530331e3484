#include "corpus/language/clinical_rules.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "corpus/files.h"
#include "corpus/language/normalizer.h"
#include "corpus/text.h"

namespace patientqa::corpus {

std::string_view ContextCategoryName(ContextCategory c) {
  switch (c) {
    case ContextCategory::kNegated:
      return "NEGATED_EXISTENCE";
    case ContextCategory::kHistorical:
      return "HISTORICAL";
    case ContextCategory::kHypothetical:
      return "HYPOTHETICAL";
    case ContextCategory::kOtherExperiencer:
      return "OTHER_EXPERIENCER";
    case ContextCategory::kNone:
      break;
  }
  return "-";
}

std::string_view TriageLevelName(TriageLevel level) {
  switch (level) {
    case TriageLevel::kUrgent:
      return "urgent";
    case TriageLevel::kContactTeam:
      return "contact_team";
    case TriageLevel::kNone:
      break;
  }
  return "none";
}

absl::StatusOr<ClinicalFiles> ReadClinicalDir(const std::filesystem::path& dir) {
  ClinicalFiles files;
  files.dir = dir.string();
  for (std::string_view name : kClinicalFileNames) {
    const std::filesystem::path path = dir / name;
    absl::StatusOr<std::string> content = ReadCorpusFile(path);
    if (!content.ok()) {
      return absl::Status(
          content.status().code(),
          absl::StrCat(
              "cannot read clinical rule file: ", content.status().message(),
              " (vocabulary.txt, context.txt, triage.txt and languages.txt are required)"));
    }
    files.texts[std::string(name)] = *std::move(content);
  }
  // Pinned answers are optional; a pins file that is there but unreadable is an error.
  absl::StatusOr<std::string> pins = ReadCorpusFile(dir / kPinnedAnswersFile);
  if (pins.ok()) {
    files.texts[std::string(kPinnedAnswersFile)] = *std::move(pins);
  } else if (pins.status().code() != absl::StatusCode::kNotFound) {
    return absl::Status(pins.status().code(),
                        absl::StrCat("cannot read pinned answers: ", pins.status().message()));
  }
  return files;
}

namespace {

struct Reporter {
  std::string file;
  std::vector<Diagnostic>* errors;
  void operator()(int line, std::string message) const {
    errors->push_back({file, line, std::move(message)});
  }
};

std::vector<std::string> Columns(std::string_view line) {
  std::vector<std::string> out;
  for (absl::string_view piece : absl::StrSplit(absl::string_view(line.data(), line.size()), '|')) {
    out.emplace_back(Trim(std::string_view(piece.data(), piece.size())));
  }
  return out;
}

// Tokens of a trigger or example literal; a word ending in '*' is a prefix.
void LiteralTokens(std::string_view literal, std::vector<std::string>* tokens,
                   std::vector<bool>* prefix) {
  const std::string normalized = NormalizeText(literal);
  for (absl::string_view word : absl::StrSplit(normalized, ' ', absl::SkipEmpty())) {
    const bool is_prefix = !word.empty() && word.back() == '*';
    if (is_prefix) word.remove_suffix(1);
    std::vector<std::string> parts = TermTokens(std::string_view(word.data(), word.size()));
    for (size_t k = 0; k < parts.size(); ++k) {
      prefix->push_back(is_prefix && k + 1 == parts.size());
      tokens->push_back(std::move(parts[k]));
    }
  }
}

std::vector<ContextTrigger> ParseContext(std::string_view content, const Reporter& fail) {
  std::vector<ContextTrigger> out;
  int line_no = 0;
  std::set<std::string> seen;
  for (std::string_view raw : SplitLines(content)) {
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> cols = Columns(line);
    if (cols.size() < 4 || cols.size() > 5) {
      fail(line_no, "expected 'literal | category | direction | max_scope [| targets]'");
      continue;
    }
    ContextTrigger t;
    t.line = line_no;
    t.literal = NormalizeText(cols[0]);
    LiteralTokens(cols[0], &t.tokens, &t.prefix);
    if (t.tokens.empty()) {
      fail(line_no, "empty trigger literal");
      continue;
    }
    static const std::map<std::string, ContextDirection> kDirections = {
        {"FORWARD", ContextDirection::kForward},
        {"BACKWARD", ContextDirection::kBackward},
        {"BIDIRECTIONAL", ContextDirection::kBidirectional},
        {"TERMINATE", ContextDirection::kTerminate},
        {"PSEUDO", ContextDirection::kPseudo}};
    static const std::map<std::string, ContextCategory> kCategories = {
        {"NEGATED_EXISTENCE", ContextCategory::kNegated},
        {"HISTORICAL", ContextCategory::kHistorical},
        {"HYPOTHETICAL", ContextCategory::kHypothetical},
        {"OTHER_EXPERIENCER", ContextCategory::kOtherExperiencer},
        {"-", ContextCategory::kNone}};
    const std::string& dir = cols[2];
    const std::string& cat = cols[1];
    if (!kDirections.count(dir)) {
      fail(line_no, absl::StrCat("unknown direction '", dir,
                                 "' (FORWARD, BACKWARD, BIDIRECTIONAL, TERMINATE, PSEUDO)"));
      continue;
    }
    if (!kCategories.count(cat)) {
      fail(line_no, absl::StrCat("unknown category '", cat,
                                 "' (NEGATED_EXISTENCE, HISTORICAL, HYPOTHETICAL, "
                                 "OTHER_EXPERIENCER, or - for TERMINATE and PSEUDO)"));
      continue;
    }
    t.direction = kDirections.at(dir);
    t.category = kCategories.at(cat);
    const bool modifier =
        t.direction != ContextDirection::kTerminate && t.direction != ContextDirection::kPseudo;
    if (modifier == (t.category == ContextCategory::kNone)) {
      fail(line_no, modifier ? "a FORWARD, BACKWARD or BIDIRECTIONAL trigger needs a category"
                             : "TERMINATE and PSEUDO triggers take the category '-'");
      continue;
    }
    char* end = nullptr;
    const long scope = std::strtol(cols[3].c_str(), &end, 10);
    if (cols[3] == "-") {
      t.max_scope = 0;
    } else if (cols[3] == "all") {
      t.max_scope = -1;
    } else if (end == cols[3].c_str() || *end != '\0' || scope < 1 || scope > 40) {
      fail(line_no, absl::StrCat("max_scope must be 1..40 tokens, '-' (the sentence) or 'all' "
                                 "(the whole text), got '",
                                 cols[3], "'"));
      continue;
    } else {
      t.max_scope = static_cast<int>(scope);
    }
    if (cols.size() == 5 && !cols[4].empty()) {
      for (absl::string_view type : absl::StrSplit(cols[4], ',', absl::SkipEmpty())) {
        std::string ty(Trim(std::string_view(type.data(), type.size())));
        const auto& known = KnownConceptTypes();
        if (std::find(known.begin(), known.end(), ty) == known.end()) {
          fail(line_no, absl::StrCat("unknown target type '", ty, "'"));
        }
        t.targets.push_back(std::move(ty));
      }
    } else {
      t.targets = {"finding"};
    }
    const std::string key = absl::StrCat(absl::StrJoin(t.tokens, " "), "|", cat, "|", dir);
    if (!seen.insert(key).second) {
      fail(line_no, absl::StrCat("duplicate trigger '", t.literal, "'"));
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool ParseAtom(std::string_view text, const Vocabulary& vocabulary, TriageAtom* atom,
               std::string* error) {
  text = Trim(text);
  if (text.substr(0, 5) == "ever:") {
    atom->ever = true;
    text = Trim(text.substr(5));
  }
  size_t op_at = text.find_first_of("<>=");
  std::string_view id = Trim(text.substr(0, op_at));
  atom->concept_id = std::string(id);
  atom->concept_index = vocabulary.Find(id);
  if (atom->concept_index < 0) {
    *error = absl::StrCat("unknown concept '", std::string(id), "'");
    return false;
  }
  if (op_at == std::string_view::npos) return true;
  std::string_view rest = text.substr(op_at);
  for (std::string_view op : {">=", "<=", ">", "<"}) {
    if (rest.substr(0, op.size()) == op) {
      atom->op = std::string(op);
      std::string number(Trim(rest.substr(op.size())));
      if (number.size() > 3 && number.substr(number.size() - 3) == "min") {
        atom->minutes = true;
        number.resize(number.size() - 3);
      }
      char* end = nullptr;
      atom->threshold = std::strtod(number.c_str(), &end);
      if (number.empty() || *end != '\0') {
        *error = absl::StrCat("threshold must be a number, got '", number, "'");
        return false;
      }
      return true;
    }
  }
  *error = absl::StrCat("unknown comparison in '", std::string(text), "' (use >=, >, <=, <)");
  return false;
}

bool ParseCondition(std::string_view text, const Vocabulary& vocabulary, TriageCondition* out,
                    std::string* error) {
  for (absl::string_view term : absl::StrSplit(absl::string_view(text.data(), text.size()), '+')) {
    std::vector<std::vector<TriageAtom>> groups;
    for (absl::string_view group : absl::StrSplit(term, '~')) {
      std::vector<TriageAtom> atoms;
      for (absl::string_view atom_text : absl::StrSplit(group, '|')) {
        TriageAtom atom;
        if (!ParseAtom(std::string_view(atom_text.data(), atom_text.size()), vocabulary, &atom,
                       error)) {
          return false;
        }
        atoms.push_back(std::move(atom));
      }
      groups.push_back(std::move(atoms));
    }
    out->terms.push_back(std::move(groups));
  }
  return true;
}

bool IsCategoryId(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::vector<TriageRule> ParseTriage(std::string_view content, const Vocabulary& vocabulary,
                                    const Reporter& fail) {
  std::vector<TriageRule> rules;
  std::set<std::string> ids;
  int line_no = 0;
  auto finish = [&](const TriageRule& r) {
    if (r.level == TriageLevel::kNone) fail(r.line, absl::StrCat("rule '", r.id, "' has no level"));
    if (r.category.empty()) fail(r.line, absl::StrCat("rule '", r.id, "' has no category"));
    if (r.when.empty()) fail(r.line, absl::StrCat("rule '", r.id, "' has no 'when:' condition"));
    if (r.message.empty()) fail(r.line, absl::StrCat("rule '", r.id, "' has no message"));
    if (r.source.empty()) fail(r.line, absl::StrCat("rule '", r.id, "' cites no source"));
    if (r.fires.empty()) fail(r.line, absl::StrCat("rule '", r.id, "' has no 'fires:' example"));
  };
  for (std::string_view raw : SplitLines(content)) {
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (raw.front() != ' ' && raw.front() != '\t') {
      if (line.substr(0, 5) != "rule ") {
        fail(line_no, absl::StrCat("expected 'rule <id>', got '", std::string(line), "'"));
        continue;
      }
      if (!rules.empty()) finish(rules.back());
      TriageRule r;
      r.id = std::string(Trim(line.substr(5)));
      r.line = line_no;
      if (!IsCategoryId(r.id)) {
        fail(line_no,
             absl::StrCat("rule id must be lower-case letters, digits and '-', got '", r.id, "'"));
      } else if (!ids.insert(r.id).second) {
        fail(line_no, absl::StrCat("duplicate rule '", r.id, "'"));
      }
      rules.push_back(std::move(r));
      continue;
    }
    if (rules.empty()) {
      fail(line_no, "an attribute line before the first 'rule <id>' line");
      continue;
    }
    TriageRule& r = rules.back();
    const absl::StatusOr<Attribute> attribute = SplitAttribute(line);
    if (!attribute.ok()) {
      fail(line_no, std::string(attribute.status().message()));
      continue;
    }
    const std::string key(attribute->key);
    const std::string value(attribute->value);
    std::string error;
    if (key == "level") {
      if (value == "urgent") {
        r.level = TriageLevel::kUrgent;
      } else if (value == "contact_team") {
        r.level = TriageLevel::kContactTeam;
      } else {
        fail(line_no, absl::StrCat("level must be 'urgent' or 'contact_team', got '", value, "'"));
      }
    } else if (key == "category") {
      if (!IsCategoryId(value)) {
        fail(line_no, absl::StrCat("category must be lower-case letters, digits and '-', got '",
                                   value, "'"));
      }
      r.category = value;
    } else if (key == "when") {
      TriageCondition c;
      if (!ParseCondition(value, vocabulary, &c, &error)) {
        fail(line_no, error);
      } else {
        r.when.push_back(std::move(c));
      }
    } else if (key == "unless") {
      for (absl::string_view atom_text : absl::StrSplit(value, '|')) {
        TriageAtom atom;
        if (!ParseAtom(std::string_view(atom_text.data(), atom_text.size()), vocabulary, &atom,
                       &error)) {
          fail(line_no, error);
        } else {
          r.unless.push_back(std::move(atom));
        }
      }
    } else if (key == "message") {
      r.message = r.message.empty() ? value : absl::StrCat(r.message, " ", value);
    } else if (key == "source") {
      r.source = r.source.empty() ? value : absl::StrCat(r.source, "; ", value);
    } else if (key == "fires") {
      r.fires.push_back(value);
    } else if (key == "quiet") {
      r.quiet.push_back(value);
    } else {
      fail(line_no, absl::StrCat("unknown key '", key,
                                 "' (known: level, category, when, unless, message, source, "
                                 "fires, quiet)"));
    }
  }
  if (!rules.empty()) finish(rules.back());
  return rules;
}

std::vector<LanguageProfile> ParseLanguages(std::string_view content, const Reporter& fail) {
  std::vector<LanguageProfile> out;
  int line_no = 0;
  for (std::string_view raw : SplitLines(content)) {
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> cols = Columns(line);
    if (cols.size() != 4 || cols[0].empty() || cols[1].empty()) {
      fail(line_no, "expected 'code | name | hint words (or -) | note (or -)'");
      continue;
    }
    LanguageProfile p;
    p.code = cols[0];
    p.name = cols[1];
    p.line = line_no;
    if (cols[3] != "-") p.note = cols[3];
    if (cols[2] != "-") {
      for (absl::string_view w : absl::StrSplit(cols[2], ',', absl::SkipEmpty())) {
        // Hint words are matched against single tokens, as the tokenizer cuts them.
        for (std::string& token : TermTokens(std::string_view(w.data(), w.size()))) {
          p.words.push_back(std::move(token));
        }
      }
    }
    if (std::any_of(out.begin(), out.end(),
                    [&](const LanguageProfile& o) { return o.code == p.code; })) {
      fail(line_no, absl::StrCat("language '", p.code, "' is listed twice"));
      continue;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::unique_ptr<ClinicalRules> ParseClinicalRules(const ClinicalFiles& files,
                                                  std::vector<Diagnostic>* errors) {
  const size_t before = errors->size();
  auto text = [&](std::string_view name) -> std::string_view {
    auto it = files.texts.find(std::string(name));
    if (it == files.texts.end()) {
      errors->push_back(
          {absl::StrCat(files.dir, "/", std::string(name)), 0, "missing clinical rule file"});
      return {};
    }
    if (auto bad = FindInvalidUtf8(it->second)) {
      errors->push_back(
          {absl::StrCat(files.dir, "/", std::string(name)),
           1 + static_cast<int>(std::count(it->second.begin(), it->second.begin() + *bad, '\n')),
           absl::StrCat("invalid UTF-8 at byte ", *bad)});
      return {};
    }
    return it->second;
  };
  auto rules = std::make_unique<ClinicalRules>();
  const std::string prefix = files.dir.empty() ? "" : absl::StrCat(files.dir, "/");
  rules->vocabulary =
      Vocabulary::Parse(absl::StrCat(prefix, "vocabulary.txt"), text("vocabulary.txt"), errors);
  const Vocabulary& vocabulary = rules->vocabulary;
  rules->context =
      ParseContext(text("context.txt"), Reporter{absl::StrCat(prefix, "context.txt"), errors});
  rules->triage = ParseTriage(text("triage.txt"), vocabulary,
                              Reporter{absl::StrCat(prefix, "triage.txt"), errors});
  rules->languages = ParseLanguages(text("languages.txt"),
                                    Reporter{absl::StrCat(prefix, "languages.txt"), errors});
  if (files.texts.count(std::string(kPinnedAnswersFile))) {
    rules->pinned = ParsePinnedAnswers(absl::StrCat(prefix, kPinnedAnswersFile),
                                       text(kPinnedAnswersFile), vocabulary, errors);
  }
  const bool english =
      std::any_of(rules->languages.begin(), rules->languages.end(),
                  [](const LanguageProfile& p) { return p.code == "en" && !p.note.empty(); });
  if (!english) {
    errors->push_back({absl::StrCat(prefix, "languages.txt"), 0,
                       "an 'en' row with the English note is required"});
  }
  // The matcher needs exactly one concept that holds temperature readings.
  int temperature = 0;
  for (const Concept& c : vocabulary.concepts()) temperature += c.measure == "temperature";
  if (temperature != 1) {
    errors->push_back(
        {absl::StrCat(prefix, "vocabulary.txt"), 0,
         absl::StrCat("exactly one concept must have 'measure: temperature' (it holds "
                      "temperature readings), found ",
                      temperature)});
  }
  if (errors->size() != before) return nullptr;
  return rules;
}

}  // namespace patientqa::corpus

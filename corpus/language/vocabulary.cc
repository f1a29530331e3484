#include "corpus/language/vocabulary.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "corpus/language/normalizer.h"
#include "corpus/language/tokenizer.h"
#include "corpus/text.h"

namespace patientqa::corpus {

const std::vector<std::string_view>& KnownConceptTypes() {
  static const std::vector<std::string_view> kTypes = {
      "finding",     // a symptom or sign the person has ("fever", "black stoma")
      "descriptor",  // a word that makes a finding with a body part ("swollen", "watery"); context
                     // applies to it as to a finding, counts do not attach to it
      "treatment",   // anticancer treatment, drugs, regimens, devices ("FOLFOX", "a PICC line")
      "test",        // tests and results ("CT scan", "CEA")
      "body",        // body parts ("liver", "stoma")
      "person",      // who has the finding ("my husband")
      "disease",     // this library's subject ("bowel cancer", "metastases")
      "other-disease",    // another cancer ("prostate cancer", "NSCLC"): its focus is not this
                          // library
      "other-condition",  // another illness ("diabetes", "shingles"): off-topic without subject
                          // words
      "animal-patient",   // an animal is the one who is ill ("my dog has bowel cancer"): never
                          // this library, whatever else the message names
      "outside-subject",  // bowel cancer subjects this library does not cover ("screening",
                          // "polyps", "first symptoms"): told so unless the message is about
                          // spread
      "subject",          // other words of this library's subject ("MDT", "second opinion")
      "measure",          // words that make a nearby number a measurement ("temperature")
      "word",             // everyday words grouped for search ("permanent", "for good")
      "modifier",         // words that qualify a finding in the same sentence ("severe", "sudden")
      "self-harm",        // thoughts of suicide or self-harm: only triggers that name it modify it
      "function",         // what the body does ("pooing", "passing urine", "walking"): its negation
                          // ("haven't pooed") is a finding, through `combines: no:...`
  };
  return kTypes;
}

std::vector<std::string> TermTokens(std::string_view text) {
  std::vector<std::string> out;
  for (Token& t : Tokenize(NormalizeText(text))) {
    if (t.kind != TokenKind::kPunct) out.push_back(std::move(t.text));
  }
  return out;
}

namespace {

bool IsValidConceptId(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

Vocabulary Vocabulary::Parse(std::string_view path, std::string_view content,
                             std::vector<Diagnostic>* errors) {
  Vocabulary v;
  const std::string file(path);
  auto fail = [&](int line, std::string message) {
    errors->push_back({file, line, std::move(message)});
  };
  if (auto bad = FindInvalidUtf8(content)) {
    fail(1 + static_cast<int>(std::count(content.begin(), content.begin() + *bad, '\n')),
         absl::StrCat("invalid UTF-8 at byte ", *bad));
    return v;
  }
  std::map<std::string, int> ids;
  std::map<std::string, std::string> seen_terms;
  struct PendingCombine {
    size_t concept_index;
    std::string text;
    int line;
  };
  std::vector<PendingCombine> pending_combines;
  std::vector<std::pair<int, std::vector<std::string>>>
      pending_search;  // line, members  // "concept\tterm" -> duplicate check
  int line_no = 0;
  for (std::string_view raw : SplitLines(content)) {
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (!indented) {
      if (line.substr(0, 8) != "concept ") {
        fail(line_no, absl::StrCat("expected 'concept <id>', got '", std::string(line), "'"));
        continue;
      }
      const std::string id(Trim(line.substr(8)));
      if (!IsValidConceptId(id)) {
        fail(line_no,
             absl::StrCat("concept id must be lower-case letters, digits and '-', got '", id, "'"));
      } else if (ids.count(id)) {
        fail(line_no, absl::StrCat("duplicate concept '", id, "' (first on line ",
                                   v.concepts_[ids[id]].line, ")"));
      }
      ids.emplace(id, static_cast<int>(v.concepts_.size()));
      Concept c;
      c.id = id;
      c.line = line_no;
      v.concepts_.push_back(std::move(c));
      continue;
    }
    if (v.concepts_.empty()) {
      fail(line_no, "an attribute line before the first 'concept <id>' line");
      continue;
    }
    Concept& c = v.concepts_.back();
    const absl::StatusOr<Attribute> attribute = SplitAttribute(line);
    if (!attribute.ok()) {
      fail(line_no, std::string(attribute.status().message()));
      continue;
    }
    const std::string key(attribute->key);
    const std::string_view value = attribute->value;
    if (key == "type") {
      const auto& types = KnownConceptTypes();
      if (std::find(types.begin(), types.end(), value) == types.end()) {
        std::vector<std::string> names(types.begin(), types.end());
        fail(line_no, absl::StrCat("unknown type '", std::string(value),
                                   "' (known: ", absl::StrJoin(names, ", "), ")"));
      }
      c.type = std::string(value);
    } else if (key == "is") {
      for (std::string& p : CommaList(value)) c.parents.push_back(std::move(p));
    } else if (key == "terms") {
      for (const std::string& text : CommaList(value)) {
        Term term;
        term.line = line_no;
        term.text = NormalizeText(text);
        for (absl::string_view word : absl::StrSplit(term.text, ' ', absl::SkipEmpty())) {
          const bool prefix = !word.empty() && word.back() == '*';
          if (prefix) word.remove_suffix(1);
          std::vector<std::string> tokens = TermTokens(std::string_view(word.data(), word.size()));
          for (size_t k = 0; k < tokens.size(); ++k) {
            term.prefix.push_back(prefix && k + 1 == tokens.size());
            term.tokens.push_back(std::move(tokens[k]));
          }
        }
        if (term.tokens.empty()) {
          fail(line_no, absl::StrCat("term '", text, "' has no words"));
          continue;
        }
        // Variants that read alike after normalisation ("can't", "cant") are merged; the same
        // text twice is a mistake.
        std::string key_text = absl::StrCat(c.id, "\t", absl::StrJoin(term.tokens, " "));
        for (bool p : term.prefix) key_text += p ? '*' : '.';
        auto [it, inserted] = seen_terms.emplace(key_text, text);
        if (!inserted) {
          if (it->second == text) {
            fail(line_no,
                 absl::StrCat("term '", text, "' is listed twice for concept '", c.id, "'"));
          }
          continue;
        }
        c.terms.push_back(std::move(term));
      }
    } else if (key == "scope") {
      if (value != "strong" && value != "weak") {
        fail(line_no,
             absl::StrCat("scope must be 'strong' or 'weak', got '", std::string(value), "'"));
      }
      c.scope = std::string(value);
    } else if (key == "topic") {
      for (std::string& t : CommaList(value)) {
        if (!IsKnownTopic(t)) fail(line_no, absl::StrCat("unknown topic '", t, "'"));
        c.topics.push_back(std::move(t));
      }
    } else if (key == "search") {
      if (value == "yes" || value == "no") {
        c.search = value == "yes";
      } else {
        std::vector<std::string> group;
        for (const std::string& member : CommaList(value)) group.push_back(NormalizeText(member));
        if (group.size() < 2) {
          fail(line_no, "search: takes 'yes', 'no' or a list of at least two words");
        } else {
          pending_search.push_back({line_no, group});
          c.search_groups.push_back(std::move(group));
        }
      }
    } else if (key == "qualifier") {
      if (value != "yes" && value != "no") {
        fail(line_no,
             absl::StrCat("qualifier must be 'yes' or 'no', got '", std::string(value), "'"));
      }
      c.qualifier = value == "yes";
    } else if (key == "measure") {
      if (value != "temperature" && value != "temperature-cue" && value != "count") {
        fail(line_no,
             absl::StrCat("measure must be 'temperature', 'temperature-cue' or 'count', got '",
                          std::string(value), "'"));
      }
      c.measure = std::string(value);
    } else if (key == "combines") {
      pending_combines.push_back({v.concepts_.size() - 1, std::string(value), line_no});
    } else if (key == "source") {
      c.source = std::string(value);
    } else if (key == "note") {
      // For reviewers only.
    } else {
      fail(line_no, absl::StrCat("unknown key '", key,
                                 "' (known: type, is, terms, scope, topic, search, qualifier, "
                                 "measure, combines, source, note)"));
    }
  }
  // Search lists name words of the vocabulary (a typo would silently search for nothing).
  {
    std::set<std::string> all_terms;
    for (const Concept& c : v.concepts_) {
      for (const Term& t : c.terms) all_terms.insert(absl::StrJoin(t.tokens, " "));
    }
    for (const auto& [line, group] : pending_search) {
      for (const std::string& member : group) {
        if (!all_terms.count(absl::StrJoin(TermTokens(member), " "))) {
          fail(line, absl::StrCat("search: '", member, "' is not a term of any concept"));
        }
      }
    }
  }
  // Compositions, now that every id is known.
  for (const PendingCombine& pc : pending_combines) {
    std::vector<Concept::Part> parts;
    bool ok = true;
    for (absl::string_view part_text : absl::StrSplit(pc.text, '~')) {
      Concept::Part part;
      std::string_view p = Trim(std::string_view(part_text.data(), part_text.size()));
      if (p.substr(0, 3) == "no:") {
        part.negated = true;
        p = Trim(p.substr(3));
      }
      for (absl::string_view alt : absl::StrSplit(absl::string_view(p.data(), p.size()), '|')) {
        const std::string id(Trim(std::string_view(alt.data(), alt.size())));
        auto it = ids.find(id);
        if (it == ids.end()) {
          fail(pc.line, absl::StrCat("combines: unknown concept '", id, "'"));
          ok = false;
          continue;
        }
        if (it->second == static_cast<int>(pc.concept_index)) {
          fail(pc.line, absl::StrCat("combines: concept '", id, "' cannot be made of itself"));
          ok = false;
          continue;
        }
        part.alternatives.push_back(it->second);
      }
      parts.push_back(std::move(part));
    }
    if (ok && !parts.empty()) v.concepts_[pc.concept_index].combines.push_back(std::move(parts));
  }
  // Links and their closure.
  const size_t n = v.concepts_.size();
  std::vector<std::vector<int>> parents(n);
  for (size_t i = 0; i < n; ++i) {
    const Concept& c = v.concepts_[i];
    if (c.type.empty()) fail(c.line, absl::StrCat("concept '", c.id, "' has no type"));
    for (const std::string& p : c.parents) {
      auto it = ids.find(p);
      if (it == ids.end()) {
        fail(c.line, absl::StrCat("concept '", c.id, "' is under unknown concept '", p, "'"));
      } else {
        parents[i].push_back(it->second);
      }
    }
  }
  const size_t words = (n + 63) / 64;
  v.ancestors_.assign(n, std::vector<uint64_t>(words, 0));
  v.scope_.assign(n, "");
  for (size_t i = 0; i < n; ++i) {
    // Breadth first from i; a path back to i is a cycle.
    std::deque<int> queue = {static_cast<int>(i)};
    std::vector<bool> seen(n, false);
    seen[i] = true;
    v.ancestors_[i][i / 64] |= uint64_t{1} << (i % 64);
    while (!queue.empty()) {
      const int c = queue.front();
      queue.pop_front();
      if (v.scope_[i].empty()) v.scope_[i] = v.concepts_[c].scope;
      for (int p : parents[c]) {
        if (p == static_cast<int>(i)) {
          fail(v.concepts_[i].line, absl::StrCat("concept '", v.concepts_[i].id,
                                                 "' is (through its parents) under itself"));
          continue;
        }
        if (seen[p]) continue;
        seen[p] = true;
        v.ancestors_[i][p / 64] |= uint64_t{1} << (p % 64);
        queue.push_back(p);
      }
    }
  }
  return v;
}

int Vocabulary::Find(std::string_view id) const {
  for (size_t i = 0; i < concepts_.size(); ++i) {
    if (concepts_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

bool Vocabulary::IsA(int c, int ancestor) const {
  if (c < 0 || ancestor < 0 || c >= static_cast<int>(ancestors_.size())) return false;
  return (ancestors_[c][ancestor / 64] >> (ancestor % 64)) & 1;
}

const std::string& Vocabulary::Scope(int c) const { return scope_[c]; }

std::vector<std::string> Vocabulary::Topics(int c) const {
  std::vector<std::string> out;
  for (size_t a = 0; a < concepts_.size(); ++a) {
    if (!IsA(c, static_cast<int>(a))) continue;
    for (const std::string& t : concepts_[a].topics) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
  }
  return out;
}

std::vector<SynonymGroup> Vocabulary::SearchGroups() const {
  std::vector<SynonymGroup> groups;
  for (size_t g = 0; g < concepts_.size(); ++g) {
    for (const std::vector<std::string>& listed : concepts_[g].search_groups) {
      groups.push_back({listed, concepts_[g].line});
    }
    if (!concepts_[g].search) continue;
    std::vector<std::string> members;
    {
      const size_t c = g;
      for (const Term& term : concepts_[c].terms) {
        if (std::find(term.prefix.begin(), term.prefix.end(), true) != term.prefix.end()) continue;
        if (std::find(members.begin(), members.end(), term.text) == members.end()) {
          members.push_back(term.text);
        }
      }
    }
    if (members.size() >= 2) groups.push_back({std::move(members), concepts_[g].line});
  }
  return groups;
}

}  // namespace patientqa::corpus

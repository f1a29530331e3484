#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::corpus {

// Questions one section of an article answers, in the words patients use (corpus/questions.h).
struct SectionQuestions {
  std::string section;                 // the section heading, as SplitIntoPassages names it
  std::vector<std::string> questions;  // each a question a patient or relative might ask
};

// One patient-education article, validated and cleaned for presentation (see loader.h).
struct Article {
  std::string id;
  std::string title;
  std::string publisher;
  std::string url;
  std::string updated;  // YYYY-MM-DD
  std::string language;
  std::vector<std::string> topics;      // each one of KnownTopics()
  std::vector<std::string> references;  // public sources the facts come from
  std::vector<int> reference_lines;     // 1-based source line of each reference
  // A source quoted word for word (front matter `verbatim: true`): its wording cannot be edited,
  // so lint reports its readability without failing it.
  bool verbatim = false;
  // Governance (front matter `reviewed`, `review_due`, `reviewer`): when the article was last
  // reviewed, when the next review is due (YYYY-MM-DD), and by whom (a role, or "pending clinical
  // review" until a clinician signs). Empty when the source does not say.
  std::string reviewed;
  std::string review_due;
  std::string reviewer;
  // Question variants per section (corpus/questions/<id>.md): indexed with the section's
  // passages so that other wordings find them; never shown. Empty when there is no such file.
  std::vector<SectionQuestions> section_questions;
  std::string body;               // cleaned body text, '\n' line ends
  std::string source_path;        // file it came from, for messages
  int body_line = 1;              // 1-based line of `body`'s first line in the source file
  int front_matter_end_line = 1;  // 1-based line of the closing `---`
  int id_line = 1;                // 1-based line of the `id:` field
  int publisher_line = 1;         // 1-based line of the `publisher:` field
};

// A paragraph-sized piece of an article: the unit that is indexed, ranked and quoted.
struct Passage {
  std::string article_id;
  int ordinal = 0;           // 0-based position within the article
  std::string section;       // heading the passage sits under; empty if none
  std::string text;          // verbatim (cleaned) text
  int source_line = 0;       // 1-based line in the article's source file
  int section_position = 0;  // 0 for the first passage under its heading, then 1, 2, ...
};

// A problem found in an input file, reported as `file:line: message`.
struct Diagnostic {
  std::string file;
  int line = 0;
  std::string message;

  std::string ToString() const;
};

struct TopicInfo {
  std::string_view id;
  std::string_view label;
};

// The fixed set of topics an article may declare.
const std::vector<TopicInfo>& KnownTopics();
bool IsKnownTopic(std::string_view id);

}  // namespace patientqa::corpus

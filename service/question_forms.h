#pragma once

// How a patient's message is read before it is searched: which part of it is the question, whether
// it leans on the conversation, and whether it asks what something is.

#include <cstddef>
#include <string>
#include <string_view>

namespace patientqa::service {

// A message split into the part to search by and its back-story.
struct MessageParts {
  std::string focus;
  std::string background;
};

// A long, rambling message (at least `long_message_words` words and two sentences) is searched by
// its question sentences, each with the sentence just before it, which it often leans on ("The
// surgeon mentioned SIRT. What is that?"); the other sentences are the back-story. Without a
// question mark the last sentence is the question. A shorter message is all focus.
MessageParts SplitMessage(const std::string& message, int long_message_words);

// Whether a short question needs the conversation to be understood: it refers back ("can they
// operate?", "will it be forever?"), continues one ("and an MRI?", "what about the lungs?"), or
// has no content word of its own. "What is FOLFOX?" after talk of the liver does not: it is a new
// question, and the earlier turns must not outweigh it. `content_words` counts the question's
// words other than stop words.
bool LeansOnConversation(std::string_view question, size_t content_words);

// The thing a question asks to have explained, lower-cased: "FOLFOX" in "What is FOLFOX?",
// "What's FOLFOX and how is it given?" or "what does FOLFOX mean?"; "conversion therapy" in "What
// is conversion therapy for bowel cancer?". Empty when the question is not of that form or the
// thing is more than three words ("What are the signs of a bowel obstruction?").
std::string DefinitionSubject(std::string_view question);

}  // namespace patientqa::service

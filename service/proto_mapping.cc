#include "service/proto_mapping.h"

namespace patientqa::service {

AskQuery FromProto(const v1::AskRequest& request) {
  AskQuery query;
  query.question = request.question();
  query.history.assign(request.history().begin(), request.history().end());
  query.max_passages = request.max_passages();
  query.topic = request.topic();
  return query;
}

void ToProto(const AskResult& result, v1::AskResponse* response) {
  response->set_answered(result.answered);
  response->set_answer(result.answer);
  for (const index::Hit& hit : result.passages) {
    v1::Passage* p = response->add_passages();
    p->set_text(hit.text);
    p->set_snippet(hit.snippet);
    p->set_score(hit.score);
    p->set_passage_id(hit.passage_id);
    p->set_pinned(hit.pinned);
    v1::Citation* c = p->mutable_citation();
    c->set_article_id(hit.article_id);
    c->set_title(hit.title);
    c->set_publisher(hit.publisher);
    c->set_url(hit.url);
    c->set_updated(hit.updated);
    c->set_section(hit.section);
    c->set_reviewed(hit.reviewed);
  }
  v1::SafetyNotice* safety = response->mutable_safety();
  switch (result.safety.level) {
    case SafetyLevel::kUrgent:
      safety->set_level(v1::SafetyNotice::LEVEL_URGENT);
      break;
    case SafetyLevel::kContactTeam:
      safety->set_level(v1::SafetyNotice::LEVEL_CONTACT_TEAM);
      break;
    case SafetyLevel::kInfo:
      safety->set_level(v1::SafetyNotice::LEVEL_INFO);
      break;
  }
  safety->set_message(result.safety.message);
  safety->set_category(result.safety.category);
  response->set_did_you_mean(result.did_you_mean);
  for (const TopicRef& topic : result.topics) {
    v1::Topic* t = response->add_topics();
    t->set_id(topic.id);
    t->set_label(topic.label);
  }
  response->set_index_version(result.index_version);
}

void ToProto(const index::ArticleRecord& a, v1::Article* out) {
  out->set_article_id(a.id);
  out->set_title(a.title);
  out->set_publisher(a.publisher);
  out->set_url(a.url);
  out->set_updated(a.updated);
  out->set_language(a.language);
  for (const auto& t : a.topics) out->add_topics(t);
  for (const auto& r : a.references) out->add_references(r);
  out->set_body(a.body);
  out->set_reviewed(a.reviewed);
  out->set_review_due(a.review_due);
  out->set_reviewer(a.reviewer);
}

void ToProto(const std::vector<index::ArticleRecord>& articles, v1::ListArticlesResponse* out) {
  for (const auto& a : articles) {
    v1::ArticleSummary* s = out->add_articles();
    s->set_article_id(a.id);
    s->set_title(a.title);
    s->set_publisher(a.publisher);
    s->set_url(a.url);
    s->set_updated(a.updated);
    for (const auto& t : a.topics) s->add_topics(t);
    s->set_reviewed(a.reviewed);
  }
}

void ToProto(const std::vector<LibraryHandler::Suggestion>& suggestions, v1::SuggestResponse* out) {
  for (const auto& s : suggestions) {
    v1::Suggestion* p = out->add_suggestions();
    p->set_text(s.text);
    p->set_article_id(s.article_id);
  }
}

}  // namespace patientqa::service

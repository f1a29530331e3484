#pragma once

#include <string_view>
#include <vector>

#include "corpus/article.h"

namespace patientqa::service {

// The corpus topics a question is about, from its words ("scan" -> diagnosis, "chemo" ->
// treatment, ...), in the corpus's topic order. Empty when no topic word appears.
std::vector<corpus::TopicInfo> DetectTopics(std::string_view question);

}  // namespace patientqa::service

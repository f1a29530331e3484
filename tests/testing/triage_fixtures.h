#pragma once

#include <memory>
#include <vector>

#include "corpus/language/clinical_rules.h"
#include "service/triage/triager.h"
#include "tests/testing/fixtures.h"

namespace patientqa::testing {

// The triage compiled from the bundled clinical rule files (corpus/clinical), built once.
inline const service::triage::Triager& BundledTriager() {
  static const service::triage::Triager* const triager = [] {
    std::vector<corpus::Diagnostic> errors;
    auto rules = corpus::ParseClinicalRules(BundledClinicalFiles(), &errors);
    auto created = service::triage::Triager::Create(std::move(rules));
    return created.ok() ? created->release() : nullptr;
  }();
  return *triager;
}

}  // namespace patientqa::testing

#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "corpus/language/clinical_rules.h"
#include "index/index_builder.h"
#include "tests/testing/test_util.h"

namespace patientqa::testing {

// The bundled clinical rule files (corpus/clinical), which every index stores.
inline corpus::ClinicalFiles BundledClinicalFiles() {
  auto files = corpus::ReadClinicalDir(SourceDir() / "corpus" / "clinical");
  return files.ok() ? *std::move(files) : corpus::ClinicalFiles{};
}

// Options to build a test index at `out` with the bundled clinical rule files.
inline index::BuildOptions BundledIndexOptions(std::filesystem::path out) {
  index::BuildOptions options;
  options.out = std::move(out);
  options.clinical = BundledClinicalFiles();
  return options;
}

// An article by "Test Library" at https://example.org/<id>, dated 2024-01-31.
inline corpus::Article MakeArticle(std::string id, std::string title,
                                   std::vector<std::string> topics, std::string body) {
  corpus::Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.publisher = "Test Library";
  a.url = "https://example.org/" + a.id;
  a.updated = "2024-01-31";
  a.language = "en";
  a.topics = std::move(topics);
  a.references = {"Test reference"};
  a.body = std::move(body);
  a.source_path = a.id + ".md";
  return a;
}

// A small corpus of three articles for index and service tests.
inline std::vector<corpus::Article> SmallCorpus() {
  const auto make = MakeArticle;
  return {
      make("liver", "Cancer that has spread to the liver", {"spread", "treatment"},
           "## Why does bowel cancer spread to the liver?\n\n"
           "Blood from the bowel flows to the liver first, so the liver is the most common place "
           "for bowel cancer to spread.\n\n"
           "## Can liver metastases be removed?\n\n"
           "Surgeons can sometimes remove liver metastases in an operation called a liver "
           "resection. Enough healthy liver must be left behind.\n"),
      make("mdt", "The multidisciplinary team", {"mdt"},
           "## What is an MDT?\n\n"
           "A multidisciplinary team is a group of specialists who meet to plan treatment "
           "together. It includes surgeons, oncologists, radiologists and nurses.\n"),
      make("chemo", "Chemotherapy", {"treatment", "side-effects"},
           "## What is FOLFOX?\n\n"
           "FOLFOX is a combination of chemotherapy drugs given through a drip every two "
           "weeks.\n\n"
           "## Side effects\n\n"
           "Oxaliplatin can cause tingling in the hands and feet that gets worse in the cold.\n"),
  };
}

}  // namespace patientqa::testing

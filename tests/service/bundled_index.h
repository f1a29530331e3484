#pragma once

// The bundled corpus (corpus/), indexed once per test process, for service tests that ask real
// questions of the real library.

#include <gtest/gtest.h>

#include <memory>

#include "corpus/sources.h"
#include "index/index_builder.h"
#include "service/ask_handler.h"
#include "service/index_holder.h"
#include "tests/testing/test_util.h"

namespace patientqa::service::testing {

struct BundledLibrary {
  corpus::LoadedCorpus loaded;
  std::unique_ptr<patientqa::testing::TempDir> dir;
  std::unique_ptr<IndexHolder> holder;
  std::unique_ptr<AskHandler> handler;
};

// Builds on first use; later calls return the same library. Fails the calling test (and returns
// null) when the corpus does not load or build.
inline const BundledLibrary* Bundled() {
  static BundledLibrary* library = []() -> BundledLibrary* {
    auto lib = std::make_unique<BundledLibrary>();
    corpus::CorpusSources sources;
    sources.corpus_dir = (patientqa::testing::SourceDir() / "corpus").string();
    lib->loaded = corpus::LoadSources(sources);
    if (!lib->loaded.errors.empty()) {
      ADD_FAILURE() << lib->loaded.errors[0].ToString();
      return nullptr;
    }
    lib->dir = std::make_unique<patientqa::testing::TempDir>();
    index::BuildOptions options;
    options.out = lib->dir->path() / "index";
    options.synonyms = lib->loaded.synonyms;
    options.clinical = lib->loaded.clinical;
    if (auto built = index::BuildIndex(lib->loaded.articles, options); !built.ok()) {
      ADD_FAILURE() << built.status();
      return nullptr;
    }
    auto holder = IndexHolder::Open(options.out);
    if (!holder.ok()) {
      ADD_FAILURE() << holder.status();
      return nullptr;
    }
    lib->holder = std::move(*holder);
    lib->handler = std::make_unique<AskHandler>(lib->holder.get());
    return lib.release();
  }();
  return library;
}

}  // namespace patientqa::service::testing

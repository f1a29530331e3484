#include "index/raw_query.h"

#include <xapian.h>

#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "index/schema.h"

namespace patientqa::index {

struct RawQuery::Impl {
  std::string path;
  // One database per thread, opened on first use (Xapian objects are not thread-safe).
  mutable std::mutex mu;
  mutable std::map<std::thread::id, std::unique_ptr<Xapian::Database>> databases;

  Xapian::Database& ForThisThread() const {
    std::lock_guard<std::mutex> lock(mu);
    auto& db = databases[std::this_thread::get_id()];
    if (!db) db = std::make_unique<Xapian::Database>(path);
    return *db;
  }
};

RawQuery::RawQuery(std::filesystem::path index) : impl_(std::make_unique<Impl>()) {
  impl_->path = index.string();
}
RawQuery::~RawQuery() = default;

absl::Status RawQuery::Run(std::string_view question) const {
  try {
    Xapian::Database& db = impl_->ForThisThread();
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(Xapian::Stem(std::string(schema::kStemLanguage)));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_OR);
    Xapian::Enquire enquire(db);
    enquire.set_query(parser.parse_query(std::string(question), 0));  // plain words
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    size_t bytes = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it)
      bytes += it.get_document().get_data().size();
    if (bytes == 0 && !mset.empty()) return absl::InternalError("passages without data");
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("raw query: ", e.get_description()));
  }
}

}  // namespace patientqa::index

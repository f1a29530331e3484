#include "index/scriptindex_export.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "corpus/splitter.h"
#include "corpus/text.h"

namespace patientqa::index {
namespace {

// `name=value`, with each further line of `value` as `=line` (a continuation), and no blank line
// inside a record: an empty line of the value becomes a bare '='.
void AppendField(std::string_view name, std::string_view value, std::string* out) {
  bool first = true;
  for (std::string_view line : corpus::SplitLines(value)) {
    absl::StrAppend(out, first ? std::string(name) : std::string(), "=", std::string(line), "\n");
    first = false;
  }
  if (first) absl::StrAppend(out, std::string(name), "=\n");
}

}  // namespace

std::string ScriptindexDefinition() {
  return "id : boolean=Q unique=Q field=id\n"
         "article : boolean=XA field=article\n"
         "title : spell index=S index field=title\n"
         "publisher : field=publisher\n"
         "url : field=url\n"
         "updated : field=updated\n"
         "heading : spell index=XH index field=heading\n"
         "text : spell index field=text\n";
}

std::string ScriptindexRecords(const std::vector<corpus::Article>& articles) {
  std::string out;
  for (const corpus::Article& article : articles) {
    for (const corpus::Passage& p : corpus::SplitIntoPassages(article)) {
      AppendField("id", absl::StrCat(article.id, "#", p.ordinal), &out);
      AppendField("article", article.id, &out);
      AppendField("title", article.title, &out);
      AppendField("publisher", article.publisher, &out);
      AppendField("url", article.url, &out);
      AppendField("updated", article.updated, &out);
      AppendField("heading", p.section, &out);
      AppendField("text", p.text, &out);
      out += "\n";
    }
  }
  return out;
}

}  // namespace patientqa::index

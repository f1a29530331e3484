#pragma once

// The passages of a corpus as input for Xapian's own indexer, `scriptindex` (Debian
// xapian-omega), so that indexing speed can be compared on the same passages
// (scripts/bench-indexing; issue 13). Not used by the server.

#include <string>
#include <vector>

#include "corpus/article.h"

namespace patientqa::index {

// The index script `scriptindex` reads with ScriptindexRecords' output: each passage indexed
// with positions under its title (prefix S), heading (XH) and text, with an id term (Q), the
// article as a boolean term (XA), spelling data from those words (`spell`), and the text and
// citation fields kept as document data, as patientqa-index does.
std::string ScriptindexDefinition();

// One record per passage, in passage order within each article: `field=value` lines, a value's
// further lines each starting with '=', and a blank line after each record (the "dump" format of
// the scriptindex documentation). Passage text is split into passages with
// corpus::SplitIntoPassages, as patientqa-index does.
std::string ScriptindexRecords(const std::vector<corpus::Article>& articles);

}  // namespace patientqa::index

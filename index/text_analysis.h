#pragma once

// Stemming and stop words shared by indexing, query parsing and answer assembly. Private to index/.

#include <xapian.h>

namespace patientqa::index {

// The stemmer for the calling thread (Xapian::Stem must not be shared across threads).
const Xapian::Stem& Stemmer();
// English stop words plus question phrasing ("tell", "wondering", ...) that carries no content.
const Xapian::Stopper& Stopper();

}  // namespace patientqa::index

#pragma once

// Index generations on disk, and who may delete them.
//
// `patientqa-index --out DIR` writes each build into `.DIR.partial-<version>` beside DIR, renames
// it to `.DIR.gen-<version>` once it is complete and verified, and then points the link DIR at it.
// So only complete generations ever carry the `.gen-` name, and a build killed half-way leaves a
// `.partial-` folder that the next build removes.
//
// A server pins the generation it serves: it holds a shared flock(2) on the generation's
// `serving.lock` for as long as any request may read it. The builder removes an old generation
// only after taking an exclusive, non-blocking lock on that file, so a generation in use is never
// deleted, however often the index is rebuilt and whatever the server's reload interval.
// One build runs at a time per DIR (an exclusive lock on `.DIR.build.lock`).

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace patientqa::index {

inline constexpr char kPinFileName[] = "serving.lock";

// A shared lock on one generation; the generation cannot be pruned while this lives.
class GenerationPin {
 public:
  // Pins `generation_dir`. A generation written before pins existed (no `serving.lock`) is
  // opened unpinned (returns a pin that holds nothing). UNAVAILABLE when the generation is being
  // removed or has gone.
  static absl::StatusOr<std::unique_ptr<GenerationPin>> Acquire(
      const std::filesystem::path& generation_dir);
  ~GenerationPin();
  GenerationPin(const GenerationPin&) = delete;
  GenerationPin& operator=(const GenerationPin&) = delete;

 private:
  explicit GenerationPin(int fd) : fd_(fd) {}
  int fd_;  // -1: nothing held
};

// The lock that lets one build at a time write beside `out`; released when destroyed.
class BuildLock {
 public:
  // UNAVAILABLE, naming the lock file, when another build holds it or it cannot be created.
  static absl::StatusOr<std::unique_ptr<BuildLock>> Acquire(const std::filesystem::path& out);
  ~BuildLock();
  BuildLock(const BuildLock&) = delete;
  BuildLock& operator=(const BuildLock&) = delete;

 private:
  explicit BuildLock(int fd) : fd_(fd) {}
  int fd_;
};

// `.NAME.partial-<version>` and `.NAME.gen-<version>` beside `out` (NAME = out's file name).
std::filesystem::path PartialGenerationPath(const std::filesystem::path& out,
                                            const std::string& version);
std::filesystem::path GenerationPath(const std::filesystem::path& out, const std::string& version);

// Called with the BuildLock held, after `current` has been published: removes every partial
// generation (left by a build that died), and every complete generation other than `current` and
// the newest `keep` others, unless a server has it pinned. Returns how many were removed.
int PruneGenerations(const std::filesystem::path& out, const std::filesystem::path& current,
                     int keep);

}  // namespace patientqa::index

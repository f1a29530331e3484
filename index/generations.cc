#include "index/generations.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace patientqa::index {

namespace fs = std::filesystem;

namespace {

std::string Prefix(const fs::path& out, const char* kind) {
  return absl::StrCat(".", out.filename().string(), ".", kind, "-");
}

// Removes `dir` if nobody has its pin file locked. A generation without a pin file (from before
// pins) is removed as before.
bool RemoveUnlessPinned(const fs::path& dir) {
  std::error_code ec;
  const fs::path pin = dir / kPinFileName;
  const int fd = ::open(pin.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return false;  // a server reads it
  }
  fs::remove_all(dir, ec);
  if (fd >= 0) ::close(fd);
  return !ec;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GenerationPin>> GenerationPin::Acquire(const fs::path& dir) {
  const fs::path pin = dir / kPinFileName;
  const int fd = ::open(pin.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT && fs::is_directory(dir)) {
      return std::unique_ptr<GenerationPin>(new GenerationPin(-1));  // built before pins
    }
    return absl::UnavailableError(
        absl::StrCat("index generation ", dir.string(), ": ", std::strerror(errno)));
  }
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    ::close(fd);
    return absl::UnavailableError(
        absl::StrCat("index generation ", dir.string(), " is being removed"));
  }
  // The lock is ours; the builder may have removed the folder just before we took it.
  if (!fs::exists(pin)) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("index generation ", dir.string(), " was removed"));
  }
  return std::unique_ptr<GenerationPin>(new GenerationPin(fd));
}

GenerationPin::~GenerationPin() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::unique_ptr<BuildLock>> BuildLock::Acquire(const fs::path& out) {
  const fs::path path =
      out.parent_path() / absl::StrCat(".", out.filename().string(), ".build.lock");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create build lock ", path.string(), ": ", std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("another build of ", out.string(),
                                               " is running (it holds ", path.string(), ")"));
  }
  return std::unique_ptr<BuildLock>(new BuildLock(fd));
}

BuildLock::~BuildLock() { ::close(fd_); }

fs::path PartialGenerationPath(const fs::path& out, const std::string& version) {
  return out.parent_path() / absl::StrCat(Prefix(out, "partial"), version);
}

fs::path GenerationPath(const fs::path& out, const std::string& version) {
  return out.parent_path() / absl::StrCat(Prefix(out, "gen"), version);
}

int PruneGenerations(const fs::path& out, const fs::path& current, int keep) {
  const std::string gen = Prefix(out, "gen");
  const std::string partial = Prefix(out, "partial");
  std::vector<fs::path> complete;
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(out.parent_path(), ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (name.rfind(partial, 0) == 0) {
      std::error_code rm;
      fs::remove_all(path, rm);  // only a dead build leaves one: ours holds the build lock
      removed += rm ? 0 : 1;
    } else if (name.rfind(gen, 0) == 0 && path != current) {
      complete.push_back(path);
    }
  }
  std::sort(complete.begin(), complete.end());  // names sort by build time
  const size_t keep_count = static_cast<size_t>(std::max(keep, 0));
  if (complete.size() <= keep_count) return removed;
  complete.resize(complete.size() - keep_count);  // the oldest, beyond the newest `keep`
  for (const fs::path& dir : complete) removed += RemoveUnlessPinned(dir) ? 1 : 0;
  return removed;
}

}  // namespace patientqa::index

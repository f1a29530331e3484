#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace patientqa::testing {

// A fresh directory under ::testing::TempDir(), removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

// The full path of the executable `name` on $PATH (/usr/bin:/bin when PATH is unset), or "".
std::string FindProgram(const std::string& name);

// The project's source tree, and ../shared beside it (which may be absent).
std::filesystem::path SourceDir();
std::filesystem::path SharedDir();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (no shell), waits for it, and captures stdout and stderr.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// A child process whose stdout and stderr go to `log_file`.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
               const std::vector<std::string>& extra_env = {});
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool Running();
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits up to `timeout` for exit; returns the exit code, or -1.
  int Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  bool exited_ = false;
};

// Resident memory of a running process, from /proc/<pid>/status, in KiB: now (VmRSS) and the
// peak since it started (VmHWM). Zeros when the process cannot be read.
struct ProcessMemory {
  long rss_kib = 0;
  long peak_kib = 0;
};
ProcessMemory ReadProcessMemory(pid_t pid);

}  // namespace patientqa::testing

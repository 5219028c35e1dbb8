// Child processes for the testing library's servers (DevServer, TimeSkippingEnvironment): finding
// the binary, a free port, starting it with its output in a log file, stopping it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace temporal::testing::detail {

/// A free TCP port on 127.0.0.1 (bound and released; another process may take it first).
int free_port();

/// `configured` if set, else the value of `env_var` if set, else `name` (looked up on PATH when
/// started). Never a path compiled into the library.
std::string find_executable(const std::string& configured, const char* env_var, const char* name);

/// A temp file name for a server log (/tmp/<prefix>-XXXXXX).
std::string make_log_file(const char* prefix);

/// The last `max_bytes` of a file (for error messages).
std::string tail(const std::string& path, size_t max_bytes = 4000);

/// fork + exec of args[0] (PATH lookup) in its own process group, stdout and stderr appended to
/// `log_file`, killed (SIGKILL) when the calling thread's process dies. Returns the pid; an exec
/// failure shows as the child exiting with status 127.
pid_t spawn(const std::vector<std::string>& args, const std::string& log_file);

/// True (and reaps it) if the child has exited; `status` gets its wait status.
bool exited(pid_t pid, int* status);

/// SIGTERM, then SIGKILL after `grace`; waits for the process.
void terminate(pid_t pid, std::chrono::milliseconds grace = std::chrono::milliseconds(10000));

/// SIGKILL and wait.
void kill_now(pid_t pid);

/// "exited with status N" / "killed by signal N" for a wait status.
std::string describe_wait_status(int status);

}  // namespace temporal::testing::detail

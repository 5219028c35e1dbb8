// DevServer from the temporal::testing library: found through its option, $TEMPORAL_CLI or PATH
// (nothing compiled in), a clear error when the CLI is missing, and stopped by its destructor.
#include <gtest/gtest.h>

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>

#include "temporal/client/connection.h"
#include "temporal/common/errors.h"
#include "temporal/testing/dev_server.h"

namespace temporal::testing {
namespace {

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string start_error(DevServerOptions options) {
  try {
    DevServer::start(std::move(options));
  } catch (const TemporalError& e) {
    return e.what();
  }
  return "";
}

TEST(DevServer, MissingCliIsNamedWithWhatToDo) {
  auto msg = start_error({.executable = "/nonexistent/temporal"});
  EXPECT_NE(msg.find("/nonexistent/temporal"), std::string::npos) << msg;
  EXPECT_NE(msg.find("TEMPORAL_CLI"), std::string::npos) << msg;
}

TEST(DevServer, TemporalCliVariableChoosesTheCli) {
  ScopedEnv env("TEMPORAL_CLI", "/nonexistent/cli-from-env");
  auto msg = start_error({});
  EXPECT_NE(msg.find("/nonexistent/cli-from-env"), std::string::npos) << msg;
}

TEST(DevServer, FoundOnPathAndStoppedByItsDestructor) {
  ScopedEnv env("TEMPORAL_CLI", "");  // empty means unset: `temporal` on PATH
  pid_t pid = -1;
  {
    auto server = DevServer::start({.register_test_search_attributes = false});
    pid = server->pid();
    ASSERT_GT(pid, 0);
    auto conn = client::Connection::connect({.address = server->address()});
    EXPECT_FALSE(conn.system_info().get().server_version.empty());
  }
  EXPECT_EQ(::kill(pid, 0), -1) << "the server process outlived its DevServer";
  EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace temporal::testing

#include "support/ts_client.h"

#include <array>
#include <cstdio>
#include <stdexcept>

#include "support/ts_worker.h"
#include "temporal/testing/dev_server.h"

#ifndef TEMPORAL_CPP_SOURCE_DIR
#error "TEMPORAL_CPP_SOURCE_DIR must be defined"
#endif

namespace temporal::test_support {

namespace {
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

nlohmann::json ts_client(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  // Whoever started the shared TypeScript worker built lib/ (tests/interop/ts/run.sh).
  (void)ts_task_queue();
  std::string cmd = "env TEMPORAL_ADDRESS=" + shell_quote(testing::shared_test_server_address()) +
                    " TEMPORAL_ENCRYPTION_KEY= timeout --kill-after=5 " + std::to_string(timeout.count()) + " node " +
                    shell_quote(std::string(TEMPORAL_CPP_SOURCE_DIR) + "/tests/interop/ts/lib/client.js");
  for (const auto& a : args) cmd += " " + shell_quote(a);
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = std::fread(buf.data(), 1, buf.size(), f)) out.append(buf.data(), n);
  const int status = ::pclose(f);
  if (status != 0) throw std::runtime_error("`" + cmd + "` exited with " + std::to_string(status) + ": " + out);
  try {
    return nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("`" + cmd + "` printed no JSON (" + e.what() + "): " + out);
  }
}

}  // namespace temporal::test_support

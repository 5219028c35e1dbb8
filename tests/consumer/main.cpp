// Uses the installed headers and libraries: encodes a payload, loads environment configuration,
// runs an activity in the testing library's ActivityEnvironment and, if a server is given
// (TEMPORAL_ADDRESS, read through envconfig), connects to it.
#include <cstdlib>
#include <iostream>

#include <temporal/activity/activity.h>
#include <temporal/client.h>
#include <temporal/testing/activity_environment.h>
#include <temporal/version.h>

int main() {
  auto p = temporal::converter::to_payload(std::string("installed"));
  if (p.encoding() != "json/plain" || temporal::converter::from_payload<std::string>(p) != "installed") return 1;

  temporal::testing::ActivityEnvironment env;
  auto id = env.run([] {
    temporal::activity::heartbeat(1);
    return temporal::activity::info().activity_id;
  });
  if (id != "test" || env.heartbeat_count() != 1) return 2;

  // No file (disable_file): the environment alone, as a deployed service might run.
  auto options = temporal::envconfig::load_client_connect_config({.disable_file = true});
  if (std::getenv("TEMPORAL_ADDRESS")) {
    auto conn = temporal::client::Connection::connect(options);
    std::cout << "server " << conn.system_info().get().server_version << std::endl;
  }
  std::cout << "temporal-cpp " << temporal::kVersion << " consumer ok" << std::endl;
  return 0;
}

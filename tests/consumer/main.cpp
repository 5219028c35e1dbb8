// Uses the installed headers and library: encodes a payload and, if a server is given, connects.
#include <cstdlib>
#include <iostream>

#include <temporal/client.h>
#include <temporal/version.h>

int main() {
  auto p = temporal::converter::to_payload(std::string("installed"));
  if (p.encoding() != "json/plain" || temporal::converter::from_payload<std::string>(p) != "installed") return 1;
  if (const char* address = std::getenv("TEMPORAL_ADDRESS")) {
    auto conn = temporal::client::Connection::connect({.address = address});
    std::cout << "server " << conn.system_info().get().server_version << std::endl;
  }
  std::cout << "temporal-cpp " << temporal::kVersion << " consumer ok" << std::endl;
  return 0;
}

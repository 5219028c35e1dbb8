// The TypeScript SDK's client as a subprocess (tests/interop/ts/src/client.ts), for tests in which
// TypeScript acts on workflows and reads what C++ wrote.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "temporal/converter/data_converter.h"

namespace temporal::test_support {

/// Runs `node client.js <args>` against the shared test server (no payload codec) and returns the
/// JSON object it prints. Builds the TypeScript package first if needed (see ts_task_queue()).
/// Throws std::runtime_error when the client exits non-zero, prints no JSON or runs longer than
/// `timeout` (it is killed then). Thread-safe.
nlohmann::json ts_client(const std::vector<std::string>& args,
                         std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace temporal::test_support

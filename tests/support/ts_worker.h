// The TypeScript SDK worker (tests/interop/ts) that hosts the interop test workflows.
#pragma once

#include <string>

namespace temporal::test_support {

/// Task queue polled by a TypeScript worker connected to the shared test server:
/// TEMPORAL_TS_TASK_QUEUE if set (scripts/test.sh starts one), else a worker this process starts
/// once and stops at exit.
std::string ts_task_queue();

}  // namespace temporal::test_support

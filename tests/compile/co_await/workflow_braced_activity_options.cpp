// expect: gcc12-rejects
#include "temporal/workflow/workflow.h"
namespace wf = temporal::workflow;
using namespace std::chrono_literals;
wf::Workflow<void> f() {
  co_await wf::execute_activity("act", {.start_to_close_timeout = 10s, .summary = "a summary"});
}

// expect: compile
#include "temporal/workflow/workflow.h"
namespace wf = temporal::workflow;
using namespace std::chrono_literals;
wf::Workflow<void> f(std::shared_ptr<int> count) {
  auto enough = [count] { return *count > 2; };
  co_await wf::wait_condition(enough);
  auto ready = wf::wait_condition([count] { return *count > 3; });
  co_await ready;
  co_await wf::wait_condition([] { return true; });  // captures nothing: fine
  wf::ActivityOptions options{.start_to_close_timeout = 10s, .summary = "a summary"};
  co_await wf::execute_activity("act", options);
}

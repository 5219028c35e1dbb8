// expect: gcc12-rejects
#include "temporal/workflow/workflow.h"
namespace wf = temporal::workflow;
wf::Workflow<void> f(std::shared_ptr<int> count) {
  co_await wf::wait_condition([count] { return *count > 2; });
}

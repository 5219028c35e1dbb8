// update/async_accepted: an update started with wait-for-ACCEPTED returns once accepted, while
// its handler still runs (a 2 s timer); another handle to the same update id waits for and gets
// the outcome (123), as does the first handle; a failing update's handle gives its
// ApplicationFailure; waiting on an unfinished update can be abandoned at a deadline.
#include <future>

#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

constexpr int kResult = 123;
constexpr int kSucceed = 0;
constexpr int kFail = 1;

wf::Workflow<int> the_update(int64_t sleep_ms, int disposition) {
  if (disposition == kFail) throw ApplicationFailure("I was told I should fail", ApplicationFailure::Info{});
  auto pause = wf::sleep(std::chrono::milliseconds(sleep_ms));
  co_await pause;
  co_return kResult;
}

wf::Workflow<void> workflow() {
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler("theUpdate", the_update);
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
}

client::WorkflowUpdateHandle start_accepted(const client::WorkflowHandle& h, const std::string& id, int disposition) {
  client::UpdateOptions o;
  o.update_id = id;
  o.wait_for_stage = client::WorkflowUpdateStage::kAccepted;
  return h.start_update("theUpdate", o, int64_t{2000}, disposition).get();
}
}  // namespace

Scenario update_async_accepted() {
  Scenario s;
  s.dir = "update/async_accepted";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto original = start_accepted(handle, "update:1", kSucceed);
    // Accepted, not completed: the handler's 2 s timer still runs.
    auto history = history_of(handle);
    check_eq(count_events(history, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED), 1, "accepted updates");
    check_eq(count_events(history, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED), 0,
             "completed updates when start_update(ACCEPTED) returned");
    auto another = handle.get_update_handle(original.update_id());
    check_eq(another.result<int>().get(), kResult, "result through another handle");
    check_eq(original.result<int>().get(), kResult, "result through the first handle");

    auto failing = start_accepted(handle, "update:3", kFail);
    auto error = check_throws<WorkflowUpdateFailedError>([&] { (void)failing.result<int>().get(); }, "failing update");
    check(dynamic_cast<const ApplicationFailure*>(error.cause()) != nullptr,
          std::string("the update failure's cause is not an ApplicationFailure: ") + error.what());

    // Waiting can be given up (the update keeps running): a wait bounded at 200 ms ends unanswered.
    auto last = start_accepted(handle, "update:4", kSucceed);
    auto waiting = std::async(std::launch::async, [last] { return last.result<int>().get(); });
    check(waiting.wait_for(200ms) == std::future_status::timeout, "the 2 s update completed within 200 ms");
    check_eq(waiting.get(), kResult, "result of the update after the abandoned wait");

    handle.signal("shutdown_signal").get();
    handle.result<void>().get();
    check_no_update_rejected_events(ctx);
  };
  return s;
}

}  // namespace temporal::features::scenarios

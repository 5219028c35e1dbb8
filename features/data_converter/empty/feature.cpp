// data_converter/empty: null travels as a `binary/null` payload with no data: a workflow passes
// null to an activity (which checks that it got null) and returns nothing; the client gets null,
// and the activity's input payload in history is exactly {metadata: {encoding: "binary/null"}}.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

void activity(std::optional<std::string> input) {
  if (input) {
    throw ApplicationFailure("Activity input should be null", ApplicationFailure::Info{.type = "BadResult", .non_retryable = true});
  }
}

wf::Workflow<void> workflow() {
  wf::ActivityOptions options;
  options.start_to_close_timeout = std::chrono::minutes(1);
  auto a = wf::execute_activity<void>("activity", options, nullptr);
  co_await a;
}
}  // namespace

Scenario data_converter_empty() {
  Scenario s;
  s.dir = "data_converter/empty";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("activity", activity); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check(handle.result<nlohmann::json>().get().is_null(), "the workflow result is not null");
    auto history = history_of(handle);
    const auto* scheduled = find_event(history, [](const auto& e) { return e.has_activity_task_scheduled_event_attributes(); });
    check(scheduled != nullptr, "the history has no ActivityTaskScheduled event");
    const auto& input = scheduled->activity_task_scheduled_event_attributes().input();
    check_eq(input.payloads_size(), 1, "activity input payloads");
    apicommon::Payload expected;
    (*expected.mutable_metadata())["encoding"] = "binary/null";
    check(proto_equal(input.payloads(0), expected), "activity input payload:\n" + proto_text(input.payloads(0)));
  };
  return s;
}

}  // namespace temporal::features::scenarios

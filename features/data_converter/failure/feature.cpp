// data_converter/failure: with encoded common attributes, a failure's message and stack trace
// move into an encoded json/plain payload: the workflow fails with "main error" caused by
// "cause error", and in the WorkflowExecutionFailed event both failures read "Encoded failure"
// with an empty stack trace, while their encoded attributes hold the real message and stack
// trace. The client decodes them back.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto cause = std::make_shared<ApplicationFailure>("cause error", ApplicationFailure::Info{}, "cause stack trace");
  throw ApplicationFailure("main error", ApplicationFailure::Info{.type = "customType", .non_retryable = true},
                           "main stack trace", cause);
  co_return;
}

void check_encoded(const api::failure::v1::Failure& f, const std::string& message, const std::string& stack) {
  check_eq(f.message(), std::string("Encoded failure"), "failure message in history");
  check_eq(f.stack_trace(), std::string(), "failure stack trace in history");
  check(f.has_encoded_attributes(), "the failure '" + message + "' has no encoded attributes");
  check_eq(metadata(f.encoded_attributes(), "encoding"), std::string("json/plain"), "encoded attributes encoding");
  auto j = nlohmann::json::parse(f.encoded_attributes().data());
  check_eq(j.value("message", ""), message, "encoded message");
  check_eq(j.value("stack_trace", ""), stack, "encoded stack trace");
}
}  // namespace

Scenario data_converter_failure() {
  Scenario s;
  s.dir = "data_converter/failure";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.data_converter.failure.encode_common_attributes = true;
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto error = check_throws<WorkflowFailedError>([&] { handle.result<void>().get(); }, "workflow result");
    check(error.cause() != nullptr && error.cause()->message() == "main error",
          std::string("the client did not decode the failure: ") + error.what());
    check(error.cause()->cause() != nullptr && error.cause()->cause()->message() == "cause error",
          "the client did not decode the failure's cause");
    auto history = history_of(handle);
    const auto* failed = find_event(history, [](const auto& e) { return e.has_workflow_execution_failed_event_attributes(); });
    check(failed != nullptr, "the history has no WorkflowExecutionFailed event");
    const auto& f = failed->workflow_execution_failed_event_attributes().failure();
    check_encoded(f, "main error", "main stack trace");
    check(f.has_cause(), "the failure in history has no cause");
    check_encoded(f.cause(), "cause error", "cause stack trace");
  };
  return s;
}

}  // namespace temporal::features::scenarios

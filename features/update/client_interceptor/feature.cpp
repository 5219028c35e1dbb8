// update/client_interceptor: a client interceptor changes an update's argument (adds 5 to it)
// on its way out; the handler sees the changed value, and the update and workflow results show it.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

constexpr int kUpdateArg = 5;
constexpr int kAdded = 5;

class AddFive : public client::ClientInterceptor {
 public:
  Task<void> intercept(client::ClientCall& call, Next next) override {
    if (call.operation == "StartWorkflowUpdate" && call.name == "add" && !call.args.empty()) {
      call.args[0] = converter::to_payload(converter::from_payload<int>(call.args[0]) + kAdded);
    }
    co_await next(call);
  }
};

wf::Workflow<int> workflow() {
  auto counter = std::make_shared<int>(0);
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler("add", [counter](int i) {
    *counter += i;
    return *counter;
  });
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
  co_return *counter;
}
}  // namespace

Scenario update_client_interceptor() {
  Scenario s;
  s.dir = "update/client_interceptor";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.interceptors.push_back(std::make_shared<AddFive>());
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.execute_update<int>("add", kUpdateArg).get(), kUpdateArg + kAdded, "update result");
    handle.signal("shutdown_signal").get();
    check_eq(handle.result<int>().get(), kUpdateArg + kAdded, "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios

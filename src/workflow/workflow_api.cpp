// The functions of temporal/workflow/workflow.h: thin calls into the current Instance.
#include <cstdio>

#include "workflow/instance.h"

namespace temporal::workflow {

using detail::Instance;
using detail::require_current;

const Info& info() { return require_current("info").info(); }
std::chrono::system_clock::time_point now() { return require_current("now").now(); }
uint64_t random() { return require_current("random").next_random(); }
bool is_replaying() { return require_current("is_replaying").replaying(); }
bool cancel_requested() { return require_current("cancel_requested").cancel_requested(); }

std::string uuid4() {
  auto& inst = require_current("uuid4");
  uint64_t hi = inst.next_random(), lo = inst.next_random();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

void log(const std::string& message) {
  auto& inst = require_current("log");
  if (inst.replaying()) return;
  inst.log(LogLevel::kInfo, message);
}

namespace {
// Parks `h` on `op`, or queues it at once when the op resolved while it was created (cancelled in
// a cancelled scope).
void park(Instance& inst, const std::shared_ptr<detail::PendingOp>& op, std::coroutine_handle<> h) {
  op->waiter = h;
  if (op->done) inst.schedule(h, op->detached);
}
}  // namespace

bool SleepAwaitable::await_ready() { return duration.count() <= 0; }
void SleepAwaitable::await_suspend(std::coroutine_handle<> h) {
  auto& inst = require_current("sleep");
  op = inst.start_timer(duration);
  park(inst, op, h);
}
void SleepAwaitable::await_resume() {
  if (op && op->error) std::rethrow_exception(op->error);
}

bool ActivityAwaitable::await_ready() { return false; }
void ActivityAwaitable::await_suspend(std::coroutine_handle<> h) {
  auto& inst = require_current("execute_activity");
  op = inst.start_activity(activity_type, options, std::move(args));
  park(inst, op, h);
}
converter::Payload ActivityAwaitable::await_resume() {
  if (op->error) std::rethrow_exception(op->error);
  return op->result ? std::move(*op->result) : converter::to_payload(nullptr);
}

ActivityAwaitable execute_activity_payloads(std::string activity_type, ActivityOptions options, converter::Payloads args) {
  return ActivityAwaitable{std::move(activity_type), std::move(options), std::move(args), nullptr};
}

bool ConditionAwaitable::await_ready() {
  require_current("wait_condition");
  return predicate && predicate();
}
void ConditionAwaitable::await_suspend(std::coroutine_handle<> h) {
  auto& inst = require_current("wait_condition");
  op = inst.add_condition(std::move(predicate), timeout);
  park(inst, op, h);
}
bool ConditionAwaitable::await_resume() {
  if (!op) return true;  // was already true
  if (op->error) std::rethrow_exception(op->error);
  return op->result ? converter::from_payload<bool>(*op->result) : true;
}

void set_signal_handler_payloads(std::string name, std::function<void(const converter::Payloads&)> handler) {
  require_current("set_signal_handler").set_signal_handler(std::move(name), std::move(handler));
}
void set_query_handler_payloads(std::string name, std::function<converter::Payload(const converter::Payloads&)> handler) {
  require_current("set_query_handler").set_query_handler(std::move(name), std::move(handler));
}
void set_update_handler_payloads(std::string name, UpdateHandler handler, UpdateValidator validator) {
  require_current("set_update_handler").set_update_handler(std::move(name), std::move(handler), std::move(validator));
}

namespace {
// Re-queues the awaiting coroutine so that it continues in (or out of) a detached scope.
struct Rescope {
  bool detached;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const { require_current("run_detached").schedule(h, detached); }
  void await_resume() const noexcept {}
};

struct ExternalAwaitable {
  bool cancel;
  std::string workflow_id;
  std::string run_id;
  std::string signal_name;
  converter::Payloads args;
  std::shared_ptr<detail::PendingOp> op;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    auto& inst = require_current(cancel ? "ExternalWorkflowHandle::cancel" : "ExternalWorkflowHandle::signal");
    op = cancel ? inst.cancel_external(workflow_id, run_id)
                : inst.signal_external(workflow_id, run_id, signal_name, std::move(args));
    park(inst, op, h);
  }
  void await_resume() {
    if (op->error) std::rethrow_exception(op->error);
  }
};
}  // namespace

Workflow<void> run_detached_function(std::function<Workflow<void>()> body) {
  const bool outer = require_current("run_detached").detached_depth > 0;
  Rescope enter{true};
  co_await enter;
  std::exception_ptr error;
  try {
    Workflow<void> inner = body();
    co_await inner;
  } catch (...) {
    error = std::current_exception();
  }
  Rescope leave{outer};
  co_await leave;
  if (error) std::rethrow_exception(error);
}

Workflow<void> ExternalWorkflowHandle::signal_payloads(std::string signal_name, converter::Payloads args) const {
  ExternalAwaitable a{false, workflow_id_, run_id_, std::move(signal_name), std::move(args), nullptr};
  co_await a;
}

Workflow<void> ExternalWorkflowHandle::cancel() const {
  ExternalAwaitable a{true, workflow_id_, run_id_, {}, {}, nullptr};
  co_await a;
}

}  // namespace temporal::workflow

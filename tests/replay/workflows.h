// The workflows whose histories are recorded under tests/replay/histories/ and replayed by
// tests/unit/replay_test.cpp, plus changed versions of them that replay must reject.
//
// The recorder (tests/integration/replay_record_test.cpp) runs the originals on a C++ worker
// against the dev server and, with TEMPORAL_RECORD_HISTORIES=<dir>, writes each history as
// <dir>/<scenario>.json (the JSON `temporal workflow show --output json` writes).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "temporal/workflow/workflow.h"

namespace temporal::replay_workflows {

namespace wf = ::temporal::workflow;
using namespace std::chrono_literals;

inline wf::ActivityOptions activity_options() {
  wf::ActivityOptions o;
  o.start_to_close_timeout = 10s;
  return o;
}

// An activity, a timer, another activity.
inline wf::Workflow<std::string> greet(std::string name) {
  auto opts = activity_options();
  auto first = co_await wf::execute_activity<std::string>("compose", opts, name);
  co_await wf::sleep(50ms);
  auto second = co_await wf::execute_activity<std::string>("compose", opts, first);
  co_return second;
}

// Changed: the first activity has another type.
inline wf::Workflow<std::string> greet_renamed_activity(std::string name) {
  auto opts = activity_options();
  auto first = co_await wf::execute_activity<std::string>("composeV2", opts, name);
  co_await wf::sleep(50ms);
  auto second = co_await wf::execute_activity<std::string>("compose", opts, first);
  co_return second;
}

// Changed: a timer inserted before the first activity.
inline wf::Workflow<std::string> greet_extra_timer(std::string name) {
  co_await wf::sleep(1s);
  auto opts = activity_options();
  auto first = co_await wf::execute_activity<std::string>("compose", opts, name);
  co_await wf::sleep(50ms);
  auto second = co_await wf::execute_activity<std::string>("compose", opts, first);
  co_return second;
}

// Changed: the timer removed.
inline wf::Workflow<std::string> greet_without_timer(std::string name) {
  auto opts = activity_options();
  auto first = co_await wf::execute_activity<std::string>("compose", opts, name);
  auto second = co_await wf::execute_activity<std::string>("compose", opts, first);
  co_return second;
}

// Changed: returns after the first activity.
inline wf::Workflow<std::string> greet_returns_early(std::string name) {
  auto opts = activity_options();
  auto first = co_await wf::execute_activity<std::string>("compose", opts, name);
  co_return first;
}

// Changed in a way replay must accept: the activity's input and the result differ (commands are
// matched by type and id; payloads may change between versions).
inline wf::Workflow<std::string> greet_other_input(std::string name) {
  auto opts = activity_options();
  auto first = co_await wf::execute_activity<std::string>("compose", opts, name + "!");
  co_await wf::sleep(50ms);
  auto second = co_await wf::execute_activity<std::string>("compose", opts, first);
  co_return second + " (v2)";
}

// Signals, a query, an update with a validator, and a condition.
inline wf::Workflow<std::vector<std::string>> chat() {
  std::vector<std::string> messages;
  bool done = false;
  wf::set_signal_handler("add", [&](std::string m) { messages.push_back(m); });
  wf::set_signal_handler("finish", [&]() { done = true; });
  wf::set_query_handler("messages", [&]() { return messages; });
  wf::set_update_handler(
      "addAndCount",
      [&](std::string m) -> int64_t {
        messages.push_back(m);
        return static_cast<int64_t>(messages.size());
      },
      [&](const std::string& m) {
        if (m.empty()) throw ApplicationFailure("empty message rejected", {.type = "Rejected"});
      });
  co_await wf::wait_condition([&] { return done; });
  co_return messages;
}

// Changed: an activity after the condition.
inline wf::Workflow<std::vector<std::string>> chat_with_activity() {
  std::vector<std::string> messages;
  bool done = false;
  wf::set_signal_handler("add", [&](std::string m) { messages.push_back(m); });
  wf::set_signal_handler("finish", [&]() { done = true; });
  wf::set_query_handler("messages", [&]() { return messages; });
  wf::set_update_handler("addAndCount", [&](std::string m) -> int64_t {
    messages.push_back(m);
    return static_cast<int64_t>(messages.size());
  });
  co_await wf::wait_condition([&] { return done; });
  auto opts = activity_options();
  co_await wf::execute_activity<std::string>("compose", opts, std::string("log"));
  co_return messages;
}

// Cancellation: the timer is cancelled, then cleanup runs in a detached scope.
inline wf::Workflow<std::string> cancellable() {
  std::exception_ptr canceled;
  try {
    co_await wf::sleep(1h);
  } catch (const CanceledFailure&) {
    canceled = std::current_exception();
  }
  if (canceled) {
    co_await wf::run_detached([]() -> wf::Workflow<void> {
      auto opts = activity_options();
      co_await wf::execute_activity<std::string>("compose", opts, std::string("cleanup"));
    });
    std::rethrow_exception(canceled);
  }
  co_return "not canceled";
}

// Changed: no cleanup activity after the cancellation.
inline wf::Workflow<std::string> cancellable_without_cleanup() {
  co_await wf::sleep(1h);
  co_return "not canceled";
}

// Randomness and uuids in commands; external signal and cancel of a workflow that does not exist
// (both fail, as recorded); a condition that times out.
inline wf::Workflow<std::string> deterministic() {
  const std::string id = wf::uuid4();
  const uint64_t r = wf::random();
  bool never = false;
  const bool met = co_await wf::wait_condition([&] { return never; }, 20ms);
  std::string outcome = met ? "met" : "timed out";
  auto target = wf::get_external_workflow_handle("replay-no-such-workflow-" + id);
  try {
    co_await target.signal("poke", r);
  } catch (const ApplicationFailure&) {
    outcome += ", signal failed";
  }
  try {
    co_await target.cancel();
  } catch (const ApplicationFailure&) {
    outcome += ", cancel failed";
  }
  auto opts = activity_options();
  opts.activity_id = id;
  co_await wf::execute_activity<std::string>("compose", opts, id);
  co_return outcome;
}

// Continue-as-new twice, then return.
inline wf::Workflow<std::string> counter(int64_t n) {
  co_await wf::sleep(10ms);
  if (n > 0) wf::continue_as_new({}, n - 1);
  co_return "done";
}

// Changed: continues as new once more than it did.
inline wf::Workflow<std::string> counter_completes_instead(int64_t n) {
  co_await wf::sleep(10ms);
  (void)n;
  co_return "done";
}

// Left running (a long timer), then terminated: the history ends after the task that started the
// timer.
inline wf::Workflow<std::string> long_sleep() {
  co_await wf::sleep(24h);
  co_return "woke";
}

inline wf::Workflow<void> nap(std::chrono::milliseconds d) { co_await wf::sleep(d); }
inline wf::Workflow<void> compose_and_drop(std::string name) {
  auto opts = activity_options();
  co_await wf::execute_activity<std::string>("compose", opts, name);
}

// Changed: starts an activity alongside the timer in the same task.
inline wf::Workflow<std::string> long_sleep_with_activity() {
  std::vector<wf::Workflow<void>> both;
  both.push_back(nap(24h));
  both.push_back(compose_and_drop("x"));
  co_await wf::when_all(std::move(both));
  co_return "woke";
}

// Two activities at once, then a third with both results.
inline wf::Workflow<std::string> fan_out(std::string name) {
  auto opts = activity_options();
  std::vector<wf::Workflow<std::string>> branches;
  branches.push_back(wf::execute_activity<std::string>("compose", opts, name + " A"));
  branches.push_back(wf::execute_activity<std::string>("compose", opts, name + " B"));
  std::vector<std::string> results = co_await wf::when_all(std::move(branches));
  auto joined = co_await wf::execute_activity<std::string>("compose", opts, results[0] + " + " + results[1]);
  co_return joined;
}

// Changed: the same activities one after the other instead of at once.
inline wf::Workflow<std::string> fan_out_sequential(std::string name) {
  auto opts = activity_options();
  auto a = co_await wf::execute_activity<std::string>("compose", opts, name + " A");
  auto b = co_await wf::execute_activity<std::string>("compose", opts, name + " B");
  auto joined = co_await wf::execute_activity<std::string>("compose", opts, a + " + " + b);
  co_return joined;
}

/// Registers the original workflows under the names their histories record (on a Worker or a
/// Replayer).
template <class Registry>
Registry& register_originals(Registry& r) {
  r.register_workflow("greet", greet)
      .register_workflow("chat", chat)
      .register_workflow("cancellable", cancellable)
      .register_workflow("deterministic", deterministic)
      .register_workflow("counter", counter)
      .register_workflow("longSleep", long_sleep)
      .register_workflow("fanOut", fan_out);
  return r;
}

}  // namespace temporal::replay_workflows

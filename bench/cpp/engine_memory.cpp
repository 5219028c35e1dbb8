// Memory the worker engine keeps per cached workflow run (bench, not a test).
//
// Builds the history of a workflow that has already run K activities and K timers and now waits
// for a signal, replays it into N engine instances that stay alive (as cached runs do), and
// reports the heap bytes each one holds (glibc mallinfo2, after the history itself is freed).
// Finished activities and timers should cost nothing once resolved: the figure should not grow
// with K.
//
//   engine_memory [--runs N] [--steps K]...
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "support/history_builder.h"
#include "temporal/workflow/definition.h"
#include "worker/workflow_run.h"

namespace wf = temporal::workflow;
using temporal::converter::Payload;
using temporal::converter::Payloads;

namespace {

wf::Workflow<int> steps(int k) {
  wf::ActivityOptions options;
  options.start_to_close_timeout = std::chrono::seconds(10);
  bool done = false;
  wf::set_signal_handler("finish", [&done]() { done = true; });
  for (int i = 0; i < k; ++i) {
    auto r = co_await wf::execute_activity<std::string>("step", options, i);
    co_await wf::sleep(std::chrono::seconds(1));
  }
  co_await wf::wait_condition([&done] { return done; });
  co_return k;
}

temporal::test::HistoryBuilder history_of(int k) {
  temporal::test::HistoryBuilder h("steps", {temporal::converter::to_payload(k)});
  h.add_workflow_task();
  const std::string result(256, 'x');
  int seq = 0;
  for (int i = 0; i < k; ++i) {
    auto scheduled = h.add_activity_scheduled(std::to_string(++seq), "step");
    h.add_activity_started(scheduled);
    h.add_activity_completed(scheduled, temporal::converter::to_payload(result));
    h.add_workflow_task();
    const std::string timer = std::to_string(++seq);
    auto started = h.add_timer_started(timer);
    h.add_timer_fired(started, timer);
    h.add_workflow_task();
  }
  return h;
}

size_t heap_in_use() { return mallinfo2().uordblks; }

// Replays `history` into a run that stays alive, as a cached run.
std::unique_ptr<temporal::worker::detail::WorkflowRun> replay(const wf::WorkflowDefinition& definition,
                                                              const temporal::api::history::v1::History& history) {
  static const temporal::converter::DataConverter dc;
  auto run = std::make_unique<temporal::worker::detail::WorkflowRun>(&definition, &dc, "default", "unit-tests", "wf",
                                                                     "run", temporal::Logger{});
  std::vector<const temporal::api::history::v1::HistoryEvent*> events;
  for (const auto& e : history.events()) events.push_back(&e);
  (void)run->apply(events, history.events_size() + 1, {});
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 200;
  std::vector<int> ks;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--steps") == 0 && i + 1 < argc) ks.push_back(std::atoi(argv[++i]));
  }
  if (ks.empty()) ks = {0, 10, 100, 1000};
  const wf::WorkflowDefinition definition = wf::define_workflow("steps", steps);
  std::printf("%-8s %-8s %-16s %-16s\n", "steps", "runs", "bytes/run", "history bytes");
  for (int k : ks) {
    auto builder = history_of(k);
    const size_t history_bytes = builder.history().ByteSizeLong();
    std::vector<std::unique_ptr<temporal::worker::detail::WorkflowRun>> kept;
    kept.reserve(runs);
    const size_t before = heap_in_use();
    for (int r = 0; r < runs; ++r) {
      auto copy = std::make_unique<temporal::api::history::v1::History>(builder.history());
      kept.push_back(replay(definition, *copy));
    }
    const size_t after = heap_in_use();
    std::printf("%-8d %-8d %-16zu %-16zu\n", k, runs, (after - before) / runs, history_bytes);
  }
}

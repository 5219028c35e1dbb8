#include "harness/harness.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <thread>

#include "common/uuid.h"
#include "harness/history.h"

namespace temporal::features {

namespace {
const Environment* g_environment = nullptr;
}  // namespace

const Environment& environment() {
  if (g_environment == nullptr) throw std::logic_error("features: no environment set (the runner sets it)");
  return *g_environment;
}
void set_environment(const Environment* env) { g_environment = env; }

std::string new_uuid() { return temporal::detail::uuid4(); }

void eventually(std::chrono::milliseconds timeout, std::chrono::milliseconds interval, const std::function<bool()>& fn,
                const std::string& what) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (fn()) return;
    if (std::chrono::steady_clock::now() >= end) {
      throw CheckFailed(what + " (not within " + std::to_string(timeout.count()) + " ms)");
    }
    std::this_thread::sleep_for(interval);
  }
}

// ------------------------------------------------------------------------------------------------

namespace {
client::Client make_client(const Scenario& s, const Environment& env) {
  client::ClientOptions o;
  o.data_converter = s.data_converter;
  o.interceptors = s.interceptors;
  return client::Client(env.connection, o);
}
}  // namespace

Context::Context(const Scenario& scenario, const Environment& env, std::string task_queue)
    : scenario_(scenario),
      env_(env),
      task_queue_(std::move(task_queue)),
      client_(make_client(scenario, env)),
      deadline_(std::chrono::steady_clock::now() + scenario.timeout) {}

Context::~Context() {
  try {
    stop_worker();
  } catch (...) {
  }
}

void Context::start_worker() {
  if (worker_) return;
  worker::WorkerOptions o = scenario_.worker_options;
  o.task_queue = task_queue_;
  auto w = std::make_unique<worker::Worker>(client_, o);
  Registrar r(*w);
  if (scenario_.registration) scenario_.registration(r);
  w->start();
  worker_ = std::move(w);
}

void Context::stop_worker() {
  if (!worker_) return;
  worker_->shutdown();
  if (auto e = worker_->fatal_error()) worker_error_ = e;
  worker_.reset();
}

std::exception_ptr Context::worker_error() const {
  if (worker_) {
    if (auto e = worker_->fatal_error()) return e;
  }
  return worker_error_;
}

client::WorkflowOptions Context::workflow_options() const {
  client::WorkflowOptions o;
  o.task_queue = task_queue_;
  o.workflow_id = scenario_.dir + "-" + new_uuid();
  o.workflow_execution_timeout = std::chrono::minutes(1);
  return o;
}

std::chrono::milliseconds Context::remaining() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
}

// ------------------------------------------------------------------------------------------------
// History helpers

apihistory::History history_of(const client::WorkflowHandle& handle) {
  client::WorkflowHistory h = handle.fetch_history().get();
  apihistory::History out;
  if (!out.ParseFromString(h.serialized)) throw CheckFailed("the history of " + handle.workflow_id() + " does not parse");
  return out;
}

const apihistory::HistoryEvent* find_event(const apihistory::History& history,
                                           const std::function<bool(const apihistory::HistoryEvent&)>& pred) {
  for (const auto& e : history.events()) {
    if (pred(e)) return &e;
  }
  return nullptr;
}

int count_events(const apihistory::History& history, apienums::EventType type) {
  int n = 0;
  for (const auto& e : history.events()) n += e.event_type() == type ? 1 : 0;
  return n;
}

apicommon::Payload result_payload(const apihistory::History& history) {
  const auto* e = find_event(history, [](const auto& ev) { return ev.has_workflow_execution_completed_event_attributes(); });
  check(e != nullptr, "the history has no WorkflowExecutionCompleted event");
  const auto& r = e->workflow_execution_completed_event_attributes().result();
  check(r.payloads_size() > 0, "the WorkflowExecutionCompleted event has no result payload");
  return r.payloads(0);
}

apicommon::Payload argument_payload(const apihistory::History& history) {
  const auto* e = find_event(history, [](const auto& ev) { return ev.has_workflow_execution_started_event_attributes(); });
  check(e != nullptr, "the history has no WorkflowExecutionStarted event");
  const auto& in = e->workflow_execution_started_event_attributes().input();
  check(in.payloads_size() > 0, "the WorkflowExecutionStarted event has no input payload");
  return in.payloads(0);
}

bool proto_equal(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

std::string proto_text(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::TextFormat::PrintToString(m, &out);
  return out;
}

std::string metadata(const apicommon::Payload& p, const std::string& key) {
  auto it = p.metadata().find(key);
  return it == p.metadata().end() ? std::string() : it->second;
}

apihistory::HistoryEvent wait_for_event(const client::WorkflowHandle& handle,
                                        const std::function<bool(const apihistory::HistoryEvent&)>& pred,
                                        std::chrono::milliseconds timeout, const std::string& what) {
  apihistory::HistoryEvent found;
  eventually(timeout, 100ms, [&] {
    auto h = history_of(handle);
    if (const auto* e = find_event(h, pred)) {
      found = *e;
      return true;
    }
    return false;
  }, "waiting for " + what);
  return found;
}

void check_no_update_rejected_events(const Context& ctx) {
  for (const auto& info : ctx.client().workflow().list("TaskQueue = '" + ctx.task_queue() + "'")) {
    auto h = history_of(ctx.client().workflow().get_handle(info.workflow_id, info.run_id));
    check(count_events(h, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED) == 0,
          "run " + info.run_id + " of " + info.workflow_id + " has a WorkflowExecutionUpdateRejected event");
  }
}

}  // namespace temporal::features

// The client under faults, with real processes on loopback: the server SIGKILLed and restarted
// under load, and a TCP proxy that cuts connections mid-call or blackholes them. What must hold:
// every call the client reported as done took effect exactly once (starts: one execution with the
// reported run id; signals: one WorkflowExecutionSignaled event per payload), every failed call
// failed with a typed, worded error within its deadline, and result() waiters survive.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "support/drop_proxy.h"
#include "temporal/api/history/v1/message.pb.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using test_support::DropProxy;

namespace apihistory = ::temporal::api::history::v1;
namespace apienums = ::temporal::api::enums::v1;

constexpr const char* kWorkflowType = "nobodyPolls";
constexpr const char* kSignalName = "fault";

std::string temp_db() {
  char dir[] = "/tmp/temporal-cpp-fault-XXXXXX";
  if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  return std::string(dir) + "/server.db";
}

std::string unique_suffix() {
  return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

milliseconds since(Clock::time_point t) { return std::chrono::duration_cast<milliseconds>(Clock::now() - t); }

// The longest a unary call may take with these options: every attempt runs to its deadline and
// every pause is the longest the backoff allows.
milliseconds worst_case_call(const ConnectionOptions& o, milliseconds attempt_timeout) {
  double pauses = 0, interval = static_cast<double>(o.retry.initial_interval.count());
  for (int i = 1; i < o.retry.max_attempts; ++i) {
    pauses += std::min(interval, static_cast<double>(o.retry.max_interval.count())) * (1 + o.retry.jitter);
    interval *= o.retry.backoff_coefficient;
  }
  return attempt_timeout * o.retry.max_attempts + milliseconds(static_cast<int64_t>(pauses)) + 1000ms;
}

// One client call of the load and what the client said about it.
struct Call {
  enum class Kind { kStart, kSignal } kind = Kind::kStart;
  std::string workflow_id;
  std::string payload;  // signals: the unique value sent
  bool ok = false;
  std::string run_id;      // starts that succeeded
  std::string error_type;  // empty when ok
  int code = 0;            // RpcError code
  std::string message;
  milliseconds took{0};
};

// Threads issuing starts (unique ids, a task queue nobody polls) and signals (unique payloads) to
// a set of running workflows, recording every outcome.
class Load {
 public:
  Load(Client client, std::string prefix, std::string task_queue, std::vector<std::string> targets, int threads)
      : client_(std::move(client)),
        prefix_(std::move(prefix)),
        task_queue_(std::move(task_queue)),
        targets_(std::move(targets)),
        threads_(threads) {}
  ~Load() { stop(); }

  void start() {
    for (int t = 0; t < threads_; ++t) workers_.emplace_back([this, t] { loop(t); });
  }
  void stop() {
    stop_.store(true);
    for (auto& w : workers_) w.join();
    workers_.clear();
  }
  std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  void loop(int t) {
    for (int i = 0; !stop_.load(); ++i) {
      Call c;
      const auto began = Clock::now();
      try {
        if (i % 2 == 0) {
          c.kind = Call::Kind::kStart;
          c.workflow_id = prefix_ + "-t" + std::to_string(t) + "-" + std::to_string(i);
          WorkflowOptions o;
          o.task_queue = task_queue_;
          o.workflow_id = c.workflow_id;
          auto h = client_.workflow().start(kWorkflowType, o).get();
          c.run_id = h.first_execution_run_id();
        } else {
          c.kind = Call::Kind::kSignal;
          const int n = next_signal_.fetch_add(1);
          c.payload = prefix_ + "-sig-" + std::to_string(n);
          c.workflow_id = targets_[static_cast<size_t>(n) % targets_.size()];
          client_.workflow().get_handle(c.workflow_id).signal(kSignalName, c.payload).get();
        }
        c.ok = true;
      } catch (const WorkflowAlreadyStartedError& e) {
        c.error_type = "WorkflowAlreadyStartedError";
        c.message = e.what();
      } catch (const NamespaceNotFoundError& e) {
        c.error_type = "NamespaceNotFoundError";
        c.code = e.code();
        c.message = e.what();
      } catch (const RpcError& e) {
        c.error_type = "RpcError";
        c.code = e.code();
        c.message = e.what();
      } catch (const WorkflowNotFoundError& e) {
        c.error_type = "WorkflowNotFoundError";
        c.message = e.what();
      } catch (const std::exception& e) {
        c.error_type = std::string("other: ") + typeid(e).name();
        c.message = e.what();
      }
      c.took = since(began);
      {
        std::lock_guard lock(mu_);
        calls_.push_back(std::move(c));
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  Client client_;
  std::string prefix_;
  std::string task_queue_;
  std::vector<std::string> targets_;
  int threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int> next_signal_{0};
  std::vector<std::thread> workers_;
  mutable std::mutex mu_;
  std::vector<Call> calls_;
};

std::vector<std::string> start_targets(const Client& client, const std::string& prefix, const std::string& queue,
                                       int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    WorkflowOptions o;
    o.task_queue = queue;
    o.workflow_id = prefix + "-target-" + std::to_string(i);
    client.workflow().start(kWorkflowType, o).get();
    ids.push_back(o.workflow_id);
  }
  return ids;
}

// payload value -> how many WorkflowExecutionSignaled events carry it.
std::map<std::string, int> signals_in_history(const Client& client, const std::string& workflow_id) {
  auto history = client.workflow().get_handle(workflow_id).fetch_history().get();
  apihistory::History h;
  EXPECT_TRUE(h.ParseFromString(history.serialized)) << workflow_id;
  std::map<std::string, int> counts;
  for (const auto& e : h.events()) {
    if (e.event_type() != apienums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) continue;
    const auto& a = e.workflow_execution_signaled_event_attributes();
    EXPECT_EQ(a.signal_name(), kSignalName);
    EXPECT_EQ(a.input().payloads_size(), 1);
    if (a.input().payloads_size() != 1) continue;
    counts[nlohmann::json::parse(a.input().payloads(0).data()).get<std::string>()]++;
  }
  return counts;
}

struct Summary {
  int starts_ok = 0, starts_failed = 0, signals_ok = 0, signals_failed = 0;
  int failed_but_applied = 0;  // failed calls whose effect is there anyway (response lost)
  milliseconds max_took{0};
  int slow_calls = 0;  // > 1 s: they waited through an outage
  std::map<std::string, int> errors;  // error kind -> count
  std::map<std::string, std::string> examples;  // error kind -> one message
  std::string to_string() const {
    std::ostringstream o;
    o << "starts ok=" << starts_ok << " failed=" << starts_failed << "; signals ok=" << signals_ok
      << " failed=" << signals_failed << "; failed but applied=" << failed_but_applied
      << "; max call=" << max_took.count() << " ms; calls over 1 s=" << slow_calls;
    for (const auto& [k, n] : errors) o << "\n    " << n << " x " << k << ", e.g. " << examples.at(k);
    return o.str();
  }
};

// Checks the exactly-once effects of every call of a load and the shape of its failures.
Summary verify(const Client& client, const std::vector<Call>& calls, const std::vector<std::string>& targets,
               const std::string& task_queue, milliseconds call_bound) {
  Summary s;
  std::set<std::string> accepted_ids;
  for (const auto& c : calls) {
    s.max_took = std::max(s.max_took, c.took);
    if (c.took > 1s) ++s.slow_calls;
    EXPECT_LE(c.took, call_bound) << "a call ran past every deadline it had: " << c.workflow_id << " " << c.message;
    if (c.kind == Call::Kind::kStart) (c.ok ? s.starts_ok : s.starts_failed)++;
    if (c.kind == Call::Kind::kSignal) (c.ok ? s.signals_ok : s.signals_failed)++;
    if (c.ok) {
      if (c.kind == Call::Kind::kStart) accepted_ids.insert(c.workflow_id);
      continue;
    }
    // Failures: transport trouble only, typed and worded.
    std::string kind = c.error_type + " code " + std::to_string(c.code);
    if (contains(c.message, "cannot reach the Temporal server")) kind += " (cannot reach)";
    if (contains(c.message, "ran past its deadline")) kind += " (deadline)";
    s.errors[kind]++;
    s.examples[kind] = c.message + " [after " + std::to_string(c.took.count()) + " ms]";
    EXPECT_EQ(c.error_type, "RpcError") << c.workflow_id << ": " << c.message;
    EXPECT_TRUE(c.code == 14 || c.code == 4) << c.code << ": " << c.message;
    EXPECT_TRUE(contains(c.message, "cannot reach the Temporal server") || contains(c.message, "ran past its deadline") ||
                contains(c.message, "UNAVAILABLE"))
        << c.message;
  }

  // Starts: the reported run exists, once.
  for (const auto& c : calls) {
    if (c.kind != Call::Kind::kStart) continue;
    if (c.ok) {
      auto d = client.workflow().get_handle(c.workflow_id).describe().get();
      EXPECT_EQ(d.run_id, c.run_id) << c.workflow_id << ": the client reported a run that is not the workflow's";
      EXPECT_EQ(d.status, WorkflowExecutionStatus::kRunning) << c.workflow_id;
    } else {
      try {
        client.workflow().get_handle(c.workflow_id).describe().get();
        ++s.failed_but_applied;
      } catch (const WorkflowNotFoundError&) {
      }
    }
  }
  // Visibility: one execution per accepted id. It lags; wait until it has caught up.
  const std::string all = "TaskQueue = '" + task_queue + "'";
  const auto expected_at_least = static_cast<int64_t>(accepted_ids.size() + targets.size());
  const auto wait_until = Clock::now() + 30s;
  while (client.workflow().count(all).get().count < expected_at_least && Clock::now() < wait_until) {
    std::this_thread::sleep_for(200ms);
  }
  std::map<std::string, int> listed;
  for (const auto& info : client.workflow().list(all, 1000)) listed[info.workflow_id]++;
  for (const auto& [id, n] : listed) EXPECT_EQ(n, 1) << id << " has " << n << " executions";
  for (const auto& id : accepted_ids) {
    EXPECT_EQ(listed.count(id), 1u) << id << " was reported started but is not listed";
    int64_t n = 0;
    for (auto until = Clock::now() + 10s;;) {
      n = client.workflow().count("WorkflowId = '" + id + "'").get().count;
      if (n == 1 || Clock::now() > until) break;
      std::this_thread::sleep_for(200ms);
    }
    EXPECT_EQ(n, 1) << id;
  }

  // Signals: every reported signal is in history exactly once; no payload twice.
  std::map<std::string, std::map<std::string, int>> histories;
  for (const auto& t : targets) histories[t] = signals_in_history(client, t);
  for (const auto& c : calls) {
    if (c.kind != Call::Kind::kSignal) continue;
    const auto& h = histories[c.workflow_id];
    auto it = h.find(c.payload);
    const int n = it == h.end() ? 0 : it->second;
    if (c.ok) {
      EXPECT_EQ(n, 1) << c.payload << " to " << c.workflow_id << " was reported sent; it is in history " << n << " times";
    } else {
      EXPECT_LE(n, 1) << c.payload << " duplicated";
      if (n == 1) ++s.failed_but_applied;
    }
  }
  for (const auto& [t, h] : histories) {
    for (const auto& [payload, n] : h) EXPECT_EQ(n, 1) << payload << " signaled " << n << " times to " << t;
  }
  return s;
}

void expect_terminated(std::future<std::string>& waiter, const std::string& reason, milliseconds within) {
  ASSERT_EQ(waiter.wait_for(within), std::future_status::ready) << "result() did not return after the workflow ended";
  try {
    waiter.get();
    FAIL() << "result() returned a value for a terminated workflow";
  } catch (const WorkflowFailedError& e) {
    ASSERT_NE(dynamic_cast<const TerminatedFailure*>(e.cause()), nullptr) << e.what();
    EXPECT_EQ(e.cause()->message(), reason);
  }
}

// ---------------------------------------------------------------------------------------------

TEST(Fault, ServerKilledUnderLoadLosesAndDuplicatesNothing) {
  auto server = testing::DevServer::start({.db_filename = temp_db()});
  // Two loads: one whose retries outlast the outage, one whose retry window is shorter than it, so
  // that some of its calls fail (and must fail cleanly).
  const ConnectionOptions patient{.address = server->address(), .rpc_timeout = 5s};
  const ConnectionOptions impatient{.address = server->address(),
                                    .rpc_timeout = 5s,
                                    .retry = {.initial_interval = 50ms, .max_interval = 200ms, .max_attempts = 4}};
  Client client(Connection::connect({.address = server->address()}));
  const std::string queue = "fault-kill-q";
  const auto targets = start_targets(client, "fault-kill", queue, 8);

  // Waiters on workflows that are terminated after the restart.
  std::vector<WorkflowHandle> waited;
  std::vector<std::future<std::string>> waiters;
  for (int i = 0; i < 3; ++i) {
    WorkflowOptions o;
    o.task_queue = queue;
    o.workflow_id = "fault-kill-waiter-" + std::to_string(i);
    waited.push_back(client.workflow().start(kWorkflowType, o).get());
    waiters.push_back(std::async(std::launch::async, [h = waited.back()] { return h.result<std::string>().get(); }));
  }

  Load patient_load(Client(Connection::connect(patient)), "fault-kill-p", queue, targets, 6);
  Load impatient_load(Client(Connection::connect(impatient)), "fault-kill-i", queue, targets, 2);
  patient_load.start();
  impatient_load.start();
  std::this_thread::sleep_for(3s);
  server->kill();
  const auto killed = Clock::now();
  std::this_thread::sleep_for(1s);
  server->restart();
  const auto outage = since(killed);
  std::this_thread::sleep_for(3s);
  patient_load.stop();
  impatient_load.stop();

  for (auto& h : waited) h.terminate("terminated after restart").get();
  for (auto& w : waiters) expect_terminated(w, "terminated after restart", 30s);

  const auto p_calls = patient_load.calls();
  const auto i_calls = impatient_load.calls();
  auto p = verify(client, p_calls, targets, queue, worst_case_call(patient, patient.rpc_timeout));
  auto i = verify(client, i_calls, targets, queue, worst_case_call(impatient, impatient.rpc_timeout));
  std::cout << "[fault] kill under load: outage " << outage.count() << " ms (kill to answering again)\n"
            << "  patient client (default retries): " << p.to_string() << "\n"
            << "  impatient client (4 attempts, ~0.5 s): " << i.to_string() << std::endl;
  EXPECT_GT(p.starts_ok, 50);
  EXPECT_GT(p.signals_ok, 50);
  // Calls in flight during the outage waited for the server and then went through.
  EXPECT_GT(p.slow_calls, 0);
  EXPECT_EQ(p.starts_failed + p.signals_failed, 0) << "the outage was shorter than the default retry window";
  EXPECT_GT(i.starts_failed + i.signals_failed, 0) << "the impatient client should have given up during the outage";
}

// The server acts on a call but its answer never arrives: the client retries with the same request
// id and must get the original outcome (the same run, not WorkflowAlreadyStartedError; one signal,
// not two), also when the server restarted in between and knows the request id only from its
// database.
TEST(Fault, ALostResponseIsRetriedWithTheSameRequestId) {
  auto server = testing::DevServer::start({.db_filename = temp_db()});
  auto proxy = DropProxy::start({.upstream = server->address()});
  Client proxied(Connection::connect(
      {.address = proxy->address(), .retry = {.max_interval = 2000ms, .max_attempts = 30}}));
  Client direct(Connection::connect({.address = server->address()}));
  const std::string queue = "fault-lost-q";
  const std::string target = start_targets(direct, "fault-lost", queue, 1)[0];

  for (bool restart : {false, true}) {
    const std::string tag = restart ? "across-restart" : "plain";
    SCOPED_TRACE(tag);
    proxy->hold_responses(true);
    WorkflowOptions o;
    o.task_queue = queue;
    o.workflow_id = "fault-lost-" + tag;
    const std::string payload = "lost-" + tag;
    auto start = std::async(std::launch::async, [&proxied, o] { return proxied.workflow().start(kWorkflowType, o).get(); });
    auto signal = std::async(std::launch::async, [&proxied, &target, payload] {
      proxied.workflow().get_handle(target).signal(kSignalName, payload).get();
    });
    // Wait until the server has done both.
    std::string applied_run;
    bool signaled = false;
    for (auto until = Clock::now() + 20s; (applied_run.empty() || !signaled) && Clock::now() < until;) {
      if (applied_run.empty()) {
        try {
          applied_run = direct.workflow().get_handle(o.workflow_id).describe().get().run_id;
        } catch (const WorkflowNotFoundError&) {
        }
      }
      if (!signaled) signaled = signals_in_history(direct, target)[payload] == 1;
      std::this_thread::sleep_for(50ms);
    }
    ASSERT_FALSE(applied_run.empty()) << "the start never reached the server";
    ASSERT_TRUE(signaled) << "the signal never reached the server";
    ASSERT_EQ(start.wait_for(0s), std::future_status::timeout) << "the answer got through the proxy";
    if (restart) {
      server->kill();
      server->restart();
    }
    proxy->reset_all();  // the answers are lost; the client retries
    proxy->hold_responses(false);

    const auto began = Clock::now();
    ASSERT_EQ(start.wait_for(60s), std::future_status::ready);
    WorkflowHandle h = start.get();  // a WorkflowAlreadyStartedError here would be the bug
    signal.get();
    std::cout << "[fault] lost response (" << tag << "): retried start and signal returned " << since(began).count()
              << " ms after the connection was cut; run " << h.first_execution_run_id() << std::endl;
    EXPECT_EQ(h.first_execution_run_id(), applied_run);
    EXPECT_EQ(direct.workflow().count("WorkflowId = '" + o.workflow_id + "'").get().count, 1);
    EXPECT_EQ(signals_in_history(direct, target)[payload], 1);
  }
}

TEST(Fault, ConnectionsCutMidCallLoseAndDuplicateNothing) {
  const std::string addr = testing::shared_test_server_address();
  auto proxy = DropProxy::start({.upstream = addr});
  const ConnectionOptions load_options{.address = proxy->address(), .rpc_timeout = 5s};
  Client load_client(Connection::connect(load_options));
  Client client(Connection::connect({.address = addr}));
  const std::string prefix = "fault-drop-" + unique_suffix();
  const std::string queue = prefix + "-q";
  const auto targets = start_targets(client, prefix, queue, 8);

  Load load(load_client, prefix, queue, targets, 8);
  proxy->drop_randomly(3000, 30000);
  load.start();
  std::this_thread::sleep_for(6s);
  proxy->reset_all();
  std::this_thread::sleep_for(4s);
  load.stop();
  proxy->forward();
  const auto stats = proxy->stats();

  auto summary = verify(client, load.calls(), targets, queue, worst_case_call(load_options, load_options.rpc_timeout));
  std::cout << "[fault] drops: proxy accepted " << stats.accepted << " connections, cut " << stats.cut << ", forwarded "
            << stats.bytes << " bytes; " << summary.to_string() << std::endl;
  EXPECT_GT(stats.cut, 10u);
  EXPECT_GT(summary.starts_ok, 50);
  EXPECT_GT(summary.signals_ok, 50);
}

TEST(Fault, BlackholedCallFailsAtItsDeadlineAndWorksAfterwards) {
  const std::string addr = testing::shared_test_server_address();
  auto proxy = DropProxy::start({.upstream = addr});
  const auto timeout = 2s;
  CallOptions call_options;
  call_options.timeout = timeout;
  Client client = Client(Connection::connect({.address = proxy->address()})).with_call_options(call_options);
  Client direct(Connection::connect({.address = addr}));
  const std::string prefix = "fault-bh-" + unique_suffix();
  WorkflowOptions o;
  o.task_queue = prefix + "-q";
  o.workflow_id = prefix + "-warm";
  client.workflow().start(kWorkflowType, o).get();  // the proxied connection works

  auto expect_deadline = [&](const char* what, const std::function<void()>& call) {
    const auto began = Clock::now();
    try {
      call();
      ADD_FAILURE() << what << " succeeded through a blackhole";
    } catch (const RpcError& e) {
      const auto took = since(began);
      EXPECT_EQ(e.code(), 4) << what << ": " << e.what();
      EXPECT_TRUE(contains(e.what(), "ran past its deadline")) << e.what();
      EXPECT_GE(took, timeout - 100ms) << what;
      EXPECT_LE(took, timeout + 1500ms) << what;  // DEADLINE_EXCEEDED is not retried
      std::cout << "[fault] blackhole: " << what << " failed after " << took.count() << " ms: " << e.what() << std::endl;
    }
  };

  // An open connection stops forwarding.
  proxy->blackhole(true);
  expect_deadline("start on a stalled connection", [&] {
    WorkflowOptions s = o;
    s.workflow_id = prefix + "-during-1";
    client.workflow().start(kWorkflowType, s).get();
  });
  expect_deadline("signal on a stalled connection",
                  [&] { client.workflow().get_handle(prefix + "-warm").signal(kSignalName, std::string("bh")).get(); });
  // A new connection is accepted but goes nowhere.
  proxy->reset_all();
  expect_deadline("start on a new, dead connection", [&] {
    WorkflowOptions s = o;
    s.workflow_id = prefix + "-during-2";
    client.workflow().start(kWorkflowType, s).get();
  });

  proxy->blackhole(false);
  const auto began = Clock::now();
  WorkflowOptions after = o;
  after.workflow_id = prefix + "-after";
  auto h = client.workflow().start(kWorkflowType, after).get();
  EXPECT_EQ(direct.workflow().get_handle(after.workflow_id).describe().get().run_id, h.first_execution_run_id());
  std::cout << "[fault] blackhole: start after the blackhole took " << since(began).count() << " ms" << std::endl;
  // Whatever the blackhole held and then delivered did not start anything twice.
  for (const char* id : {"-during-1", "-during-2"}) {
    try {
      direct.workflow().get_handle(prefix + id).describe().get();
      EXPECT_EQ(direct.workflow().count("WorkflowId = '" + prefix + id + "'").get().count, 1);
      std::cout << "[fault] blackhole: " << id << " was applied after all (held bytes delivered)" << std::endl;
    } catch (const WorkflowNotFoundError&) {
    }
  }
}

// A link with 250 ms one-way latency: a connection (TCP, then HTTP/2 settings both ways) needs
// about 500 ms. gRPC gives each connection attempt at least GRPC_ARG_MIN_RECONNECT_BACKOFF_MS; the
// first attempt must be allowed to finish instead of being abandoned and retried.
TEST(Fault, ASlowLinkConnectsOnTheFirstAttempt) {
  const std::string addr = testing::shared_test_server_address();
  auto proxy = DropProxy::start({.upstream = addr});
  proxy->delay(250ms);
  const auto began = Clock::now();
  Client client(Connection::connect({.address = proxy->address()}));
  WorkflowOptions o;
  o.task_queue = "fault-slow-q";
  o.workflow_id = "fault-slow-" + unique_suffix();
  auto h = client.workflow().start(kWorkflowType, o).get();
  const auto took = since(began);
  const auto stats = proxy->stats();
  std::cout << "[fault] slow link: connect + start took " << took.count() << " ms over " << stats.accepted
            << " connection(s)" << std::endl;
  EXPECT_EQ(stats.accepted, 1u) << "connection attempts were abandoned before the handshake could finish";
  EXPECT_LT(took, 5s);
  h.terminate().get();
}

TEST(Fault, ResultSurvivesDroppedConnections) {
  const std::string addr = testing::shared_test_server_address();
  auto proxy = DropProxy::start({.upstream = addr});
  Client proxied(Connection::connect({.address = proxy->address()}));
  Client direct(Connection::connect({.address = addr}));
  WorkflowOptions o;
  o.task_queue = "fault-result-q";
  o.workflow_id = "fault-result-" + unique_suffix();
  direct.workflow().start(kWorkflowType, o).get();

  auto handle = proxied.workflow().get_handle(o.workflow_id);
  auto waiter = std::async(std::launch::async, [handle] { return handle.result<std::string>().get(); });
  std::this_thread::sleep_for(1s);
  for (int i = 0; i < 3; ++i) {
    proxy->reset_all();
    std::this_thread::sleep_for(1s);
  }
  EXPECT_EQ(waiter.wait_for(0s), std::future_status::timeout) << "result() returned while the workflow runs";
  const auto cut = proxy->stats().cut;
  EXPECT_GE(cut, 3u);
  const auto ended = Clock::now();
  direct.workflow().get_handle(o.workflow_id).terminate("ended while polled through a bad proxy").get();
  expect_terminated(waiter, "ended while polled through a bad proxy", 20s);
  std::cout << "[fault] result: " << cut << " connections cut under the long poll; result() returned "
            << since(ended).count() << " ms after the workflow ended" << std::endl;
}

}  // namespace
}  // namespace temporal::client

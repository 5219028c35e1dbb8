// Issue 16: the SDK against a multi-service Temporal cluster (scripts/cluster.sh) while its
// processes die. One C++ worker and one busy client, both connected to the two frontends through
// an address list (round robin), run workflows that take activities, a timer, signals and updates.
// In each scenario a service is killed with SIGKILL and restarted (or every service is restarted in
// turn) while starts, signals, updates and result() waits are in flight. Afterwards it counts what
// a user would check: every start happened exactly once (visibility list and describe by id), every
// signal and update reached its workflow exactly once (the workflow counts them and returns the
// counts), every workflow completed, no result() wait was left hanging (each is bounded), and the
// same worker kept polling without a restart.
//
//   scripts/cluster.sh up && scripts/cluster.sh faults [--full]
//
// Environment (set by `scripts/cluster.sh faults`): TEMPORAL_CLUSTER_ADDRESSES (the frontends,
// comma-separated), TEMPORAL_CLUSTER_DIR (pids/<service>.pid), TEMPORAL_CLUSTER_SCRIPT (restarts).
// Prints one table line per scenario and "cluster-faults: N passed, N failed"; exit status 1 if a
// scenario lost, duplicated or left anything hanging.
#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "temporal/client.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace {

namespace wf = temporal::workflow;
using namespace temporal::client;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ---- The workflow: activities, a timer, then it waits for "finish"; counts every signal and
// update it receives (all deliveries and the distinct sequence numbers) and returns the counts.
class Counted {
 public:
  wf::Workflow<json> run(int activities) {
    wf::ActivityOptions options{.start_to_close_timeout = std::chrono::seconds(10)};
    for (int i = 0; i < activities; ++i) {
      auto call = wf::execute_activity<int>("cluster_echo", options, i);
      if (co_await call == i) ++activities_;
    }
    co_await wf::sleep(std::chrono::milliseconds(500));
    auto finished = [this] { return finished_; };
    auto ready = wf::wait_condition(finished);
    co_await ready;
    co_return json{{"signals", signals_},
                   {"distinct_signals", seen_signals_.size()},
                   {"updates", updates_},
                   {"distinct_updates", seen_updates_.size()},
                   {"activities", activities_}};
  }
  void bump(int seq) {
    ++signals_;
    seen_signals_.insert(seq);
  }
  int add(int seq) {
    ++updates_;
    seen_updates_.insert(seq);
    return updates_;
  }
  void finish() { finished_ = true; }

 private:
  int signals_ = 0, updates_ = 0, activities_ = 0;
  std::set<int> seen_signals_, seen_updates_;
  bool finished_ = false;
};

int cluster_echo(int x) { return x; }

// ---- Settings

struct Settings {
  std::string addresses;
  std::string cluster_dir;
  std::string script;
  int workflows = 12;      // per scenario
  int signals = 3;         // per workflow
  int updates = 2;         // per workflow
  int activities = 2;      // per workflow
  int threads = 4;         // client threads per scenario
  std::chrono::milliseconds spread{16000};  // starts are spread over this long
  int passes = 1;
};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string now_utc() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof(buf), "%H:%M:%S", std::gmtime(&t));
  return buf;
}

void say(const char* fmt, const std::string& a = {}, const std::string& b = {}) {
  std::printf("[cluster-faults %s] ", now_utc().c_str());
  std::printf(fmt, a.c_str(), b.c_str());
  std::printf("\n");
  std::fflush(stdout);
}

// ---- Faults: through the PIDs the harness writes, restarts through the harness.

bool kill_service(const Settings& s, const std::string& service) {
  std::ifstream in(s.cluster_dir + "/pids/" + service + ".pid");
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0) {
    say("no PID for %s", service);
    return false;
  }
  say("SIGKILL %s (pid %s)", service, std::to_string(pid));
  return ::kill(pid, SIGKILL) == 0;
}

bool restart_service(const Settings& s, const std::string& service) {
  say("restart %s", service);
  const std::string cmd = "'" + s.script + "' restart " + service + " >>'" + s.cluster_dir + "/logs/restarts.log' 2>&1";
  const int rc = std::system(cmd.c_str());
  if (rc != 0) say("restart of %s failed (see %s)", service, s.cluster_dir + "/logs/restarts.log");
  return rc == 0;
}

struct Scenario {
  std::string name;
  std::function<bool(const Settings&)> fault;  // runs while the load is in flight
};

bool kill_and_restart(const Settings& s, const std::string& service, std::chrono::milliseconds down) {
  if (!kill_service(s, service)) return false;
  std::this_thread::sleep_for(down);
  return restart_service(s, service);
}

// ---- The load and its counts

struct Counts {
  std::atomic<int> started{0}, start_errors{0}, signals_sent{0}, updates_sent{0}, results{0}, hung{0}, failed{0};
  std::atomic<int> client_retries{0};
  std::atomic<int> signals_delivered{0}, signal_duplicates{0}, signals_lost{0};
  std::atomic<int> updates_applied{0}, update_duplicates{0}, updates_lost{0}, activities_short{0};
  std::mutex mu;
  std::vector<std::string> problems;
  void problem(const std::string& p) {
    std::lock_guard lock(mu);
    problems.push_back(p);
  }
};

// Calls `f` until it succeeds or `deadline`: a client call that failed (the SDK already retried
// it with the same request id) is tried again, as an application would.
template <class F>
bool retry_until(Clock::time_point deadline, Counts& counts, const std::string& what, F f) {
  for (int attempt = 0;; ++attempt) {
    try {
      f(attempt);
      return true;
    } catch (const std::exception& e) {
      if (Clock::now() >= deadline) {
        counts.problem(what + " never succeeded: " + e.what());
        return false;
      }
      ++counts.client_retries;
      std::this_thread::sleep_for(500ms);
    }
  }
}

void run_workflow(Client& client, const Settings& s, const std::string& task_queue, const std::string& id,
                  Clock::time_point deadline, Counts& counts) {
  // Every call ends within 30 s; result() within 60 s a wait.
  Client bounded = client.with_call_options({.timeout = 30s});
  bool started = retry_until(deadline, counts, id + " start", [&](int attempt) {
    try {
      WorkflowOptions o;
      o.task_queue = task_queue;
      o.workflow_id = id;
      o.workflow_execution_timeout = 10min;
      (void)bounded.workflow().start("Counted", o, s.activities).get();
    } catch (const temporal::WorkflowAlreadyStartedError&) {
      // An earlier attempt reached the server, and only its answer was lost: started once.
      if (attempt == 0) throw;
    }
  });
  if (!started) {
    ++counts.start_errors;
    return;
  }
  ++counts.started;
  auto handle = bounded.workflow().get_handle(id);
  for (int i = 0; i < s.signals; ++i) {
    if (retry_until(deadline, counts, id + " signal " + std::to_string(i), [&](int) { handle.signal("bump", i).get(); })) {
      ++counts.signals_sent;
    }
    std::this_thread::sleep_for(100ms);
  }
  for (int i = 0; i < s.updates; ++i) {
    if (retry_until(deadline, counts, id + " update " + std::to_string(i), [&](int) {
          UpdateOptions uo;
          uo.update_id = id + "-update-" + std::to_string(i);  // the same id on every try: applied once
          uo.wait_for_stage = WorkflowUpdateStage::kCompleted;
          (void)handle.start_update("add", uo, i).get().result<int>().get();
        })) {
      ++counts.updates_sent;
    }
  }
  (void)retry_until(deadline, counts, id + " finish", [&](int) { handle.signal("finish").get(); });
  json result;
  bool got = false;
  while (!got) {
    try {
      result = handle.result<json>({.timeout = 60s}).get();
      got = true;
    } catch (const temporal::DeadlineExceededError& e) {
      if (Clock::now() >= deadline) {
        ++counts.hung;
        counts.problem(id + " result() still waiting at the scenario's deadline: " + e.what());
        return;
      }
      ++counts.client_retries;
    } catch (const temporal::WorkflowFailedError& e) {
      ++counts.failed;
      counts.problem(id + " failed: " + e.what());
      return;
    } catch (const std::exception& e) {
      if (Clock::now() >= deadline) {
        ++counts.hung;
        counts.problem(id + " result() never answered: " + e.what());
        return;
      }
      ++counts.client_retries;
      std::this_thread::sleep_for(500ms);
    }
  }
  ++counts.results;
  const int sig = result.value("signals", 0), dsig = result.value("distinct_signals", 0);
  const int upd = result.value("updates", 0), dupd = result.value("distinct_updates", 0);
  counts.signals_delivered += dsig;
  counts.signal_duplicates += sig - dsig;
  counts.signals_lost += s.signals - dsig;
  counts.updates_applied += dupd;
  counts.update_duplicates += upd - dupd;
  counts.updates_lost += s.updates - dupd;
  if (result.value("activities", 0) != s.activities) ++counts.activities_short;
  if (sig != s.signals || upd != s.updates) counts.problem(id + " returned " + result.dump());
}

// Visibility is eventually consistent: list until every id shows closed, or 60 s.
struct Listed {
  int ids = 0, runs = 0, completed = 0;
  std::vector<std::string> missing, duplicated;
};

Listed list_runs(Client& client, const std::string& prefix, const std::vector<std::string>& ids) {
  Listed out;
  const auto until = Clock::now() + 60s;
  for (;;) {
    std::map<std::string, int> runs;
    int completed = 0;
    try {
      for (const auto& info : client.workflow().list("WorkflowId STARTS_WITH '" + prefix + "'")) {
        ++runs[info.workflow_id];
        if (info.status == WorkflowExecutionStatus::kCompleted) ++completed;
      }
    } catch (const std::exception& e) {
      say("list failed (retrying): %s", e.what());
    }
    out = Listed{};
    out.completed = completed;
    for (const auto& id : ids) {
      auto it = runs.find(id);
      if (it == runs.end()) {
        out.missing.push_back(id);
      } else {
        ++out.ids;
        out.runs += it->second;
        if (it->second > 1) out.duplicated.push_back(id);
      }
    }
    if ((out.missing.empty() && out.completed >= out.ids) || Clock::now() >= until) return out;
    std::this_thread::sleep_for(1s);
  }
}

bool run_scenario(Client& client, temporal::worker::Worker& worker, const Settings& s, const std::string& task_queue,
                  const std::string& run_tag, const Scenario& scenario) {
  say("scenario %s: %s workflows", scenario.name, std::to_string(s.workflows));
  const std::string prefix = run_tag + "-" + scenario.name + "-";
  std::vector<std::string> ids;
  for (int i = 0; i < s.workflows; ++i) ids.push_back(prefix + std::to_string(i));
  Counts counts;
  const auto began = Clock::now();
  const auto deadline = began + s.spread + 150s;
  std::atomic<bool> fault_ok{true};
  std::thread fault([&] {
    std::this_thread::sleep_for(s.spread / 4);
    fault_ok = scenario.fault(s);
  });
  std::vector<std::thread> threads;
  const auto gap = s.spread / std::max(1, s.workflows);
  for (int t = 0; t < s.threads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < s.workflows; i += s.threads) {
        std::this_thread::sleep_until(began + gap * i);
        run_workflow(client, s, task_queue, ids[i], deadline, counts);
      }
    });
  }
  for (auto& th : threads) th.join();
  fault.join();
  const Listed listed = list_runs(client, prefix, ids);
  // describe() reads the execution itself (strongly consistent): completed, once.
  int described_completed = 0;
  for (const auto& id : ids) {
    try {
      auto d = client.with_call_options({.timeout = 30s}).workflow().get_handle(id).describe().get();
      if (d.status == WorkflowExecutionStatus::kCompleted) ++described_completed;
    } catch (const std::exception& e) {
      counts.problem(id + " describe: " + e.what());
    }
  }
  const bool worker_alive = worker.fatal_error() == nullptr;
  const int lost = static_cast<int>(listed.missing.size());
  const int dup = listed.runs - listed.ids;
  const double secs = std::chrono::duration<double>(Clock::now() - began).count();
  std::printf(
      "cluster-faults | %-18s | starts %d/%d lost %d dup %d | signals sent %d delivered %d dup %d lost %d | "
      "updates sent %d applied %d dup %d lost %d | completed %d/%d (listed %d) | result() hung %d | "
      "client retries %d | worker %s | fault %s | %.0f s\n",
      scenario.name.c_str(), counts.started.load(), s.workflows, lost, dup, counts.signals_sent.load(),
      counts.signals_delivered.load(), counts.signal_duplicates.load(), counts.signals_lost.load(),
      counts.updates_sent.load(), counts.updates_applied.load(), counts.update_duplicates.load(),
      counts.updates_lost.load(), described_completed, s.workflows, listed.completed, counts.hung.load(),
      counts.client_retries.load(), worker_alive ? "polling" : "STOPPED", fault_ok ? "done" : "FAILED", secs);
  for (const auto& id : listed.missing) std::printf("cluster-faults |   missing from visibility: %s\n", id.c_str());
  for (const auto& id : listed.duplicated) std::printf("cluster-faults |   more than one run: %s\n", id.c_str());
  for (const auto& p : counts.problems) std::printf("cluster-faults |   %s\n", p.c_str());
  std::fflush(stdout);
  return fault_ok && worker_alive && counts.started == s.workflows && counts.start_errors == 0 && lost == 0 &&
         dup == 0 && counts.signals_lost == 0 && counts.signal_duplicates == 0 && counts.updates_lost == 0 &&
         counts.update_duplicates == 0 && counts.results == s.workflows && counts.hung == 0 && counts.failed == 0 &&
         counts.activities_short == 0 && described_completed == s.workflows;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  s.addresses = env_or("TEMPORAL_CLUSTER_ADDRESSES", "127.0.0.1:17233,127.0.0.1:17234");
  s.cluster_dir = env_or("TEMPORAL_CLUSTER_DIR", "build/cluster");
  s.script = env_or("TEMPORAL_CLUSTER_SCRIPT", "scripts/cluster.sh");
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--short") {
      // the defaults
    } else if (a == "--full") {
      s.workflows = 60;
      s.signals = 5;
      s.updates = 3;
      s.activities = 3;
      s.threads = 8;
      s.spread = 40s;
      s.passes = 2;
    } else if (a == "--only" && i + 1 < argc) {
      only.push_back(argv[++i]);
    } else if (a == "--workflows" && i + 1 < argc) {
      s.workflows = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--short|--full] [--only SCENARIO]... [--workflows N]\n", argv[0]);
      return 2;
    }
  }

  const std::vector<Scenario> scenarios = {
      {"kill-frontend1", [](const Settings& st) { return kill_and_restart(st, "frontend1", 6s); }},
      {"kill-history", [](const Settings& st) { return kill_and_restart(st, "history", 3s); }},
      {"kill-matching", [](const Settings& st) { return kill_and_restart(st, "matching", 3s); }},
      {"rolling-restart",
       [](const Settings& st) {
         bool ok = true;
         for (const char* svc : {"frontend1", "frontend2", "history", "matching", "worker"}) {
           ok = restart_service(st, svc) && ok;
         }
         return ok;
       }},
  };

  // The SDK's own retries (same request id each time) ride out a restart of a service; the
  // application's retries in run_workflow come on top only if a call still fails after them.
  ConnectionOptions co{.address = s.addresses};
  co.retry.max_attempts = 30;
  std::optional<Connection> worker_connection, client_connection;
  try {
    worker_connection = Connection::connect(co);
    client_connection = Connection::connect(co);
  } catch (const std::exception& e) {
    std::printf("cluster-faults: no cluster at %s (start it with scripts/cluster.sh up): %s\n", s.addresses.c_str(),
                e.what());
    return 77;  // ctest: skipped
  }
  Client worker_client(*worker_connection);
  Client client(*client_connection);
  say("connected to %s (server %s)", s.addresses, client_connection->system_info().get().server_version);

  const std::string run_tag =
      "cf" + std::to_string(std::chrono::system_clock::now().time_since_epoch() / std::chrono::milliseconds(1));
  const std::string task_queue = run_tag + "-queue";
  temporal::worker::Worker worker(worker_client, {.task_queue = task_queue});
  worker.register_workflow(wf::WorkflowClass<Counted>("Counted")
                               .run(&Counted::run)
                               .signal("bump", &Counted::bump)
                               .signal("finish", &Counted::finish)
                               .update("add", &Counted::add));
  worker.register_activity("cluster_echo", cluster_echo);
  worker.start();  // one worker for every scenario: it is never restarted

  int passed = 0, failed = 0;
  for (int pass = 1; pass <= s.passes; ++pass) {
    for (const auto& sc : scenarios) {
      if (!only.empty() && std::find(only.begin(), only.end(), sc.name) == only.end()) continue;
      Scenario named = sc;
      if (s.passes > 1) named.name += "-" + std::to_string(pass);
      if (run_scenario(client, worker, s, task_queue, run_tag, named)) {
        ++passed;
      } else {
        ++failed;
      }
    }
  }
  const bool worker_ok = worker.fatal_error() == nullptr;
  worker.shutdown();
  if (!worker_ok) ++failed;
  std::printf("cluster-faults: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

// C++ peer of the client benchmark (CLI contract: bench/README.md).
//
//   bench_client --address HOST:PORT --namespace default --task-queue TQ
//                --workload start|signal|query|execute|describe --n N --concurrency K [--workflow-type T]
//
// K operations in flight as K coroutine "lanes" that each take the next operation index from a
// shared atomic counter; they run on the client's gRPC callback threads, main only waits.
// Prints exactly one JSON line on stdout at the end; everything else goes to stderr.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <temporal/client.h>
#include <temporal/common/process.h>

using namespace temporal::client;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void fatal(const std::string& msg) {
  std::cerr << "bench_client: " << msg << std::endl;
  std::exit(1);
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(sorted.size())));
  if (rank < 1) rank = 1;
  return sorted[rank - 1];
}

struct Bench {
  WorkflowClient wf;
  std::string workload;
  std::string task_queue;
  std::string workflow_type;
  std::string prefix;
  std::vector<WorkflowHandle> long_running;
  int n = 0;
  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  std::once_flag first_error;
  std::vector<double> latency_ms;
  std::vector<char> ok;

  WorkflowOptions options(const std::string& id) const {
    WorkflowOptions o;
    o.task_queue = task_queue;
    o.workflow_id = id;
    o.id_reuse_policy = WorkflowIdReusePolicy::kAllowDuplicate;
    return o;
  }
};

// One measured operation. Options and arguments live in named variables (GCC 12 coroutine bug).
temporal::Task<void> op(Bench& b, int i) {
  if (b.workload == "start") {
    WorkflowOptions o = b.options(b.prefix + "-" + std::to_string(i));
    std::string arg = "x";
    co_await b.wf.start(b.workflow_type, o, arg);
  } else if (b.workload == "execute") {
    WorkflowOptions o = b.options(b.prefix + "-" + std::to_string(i));
    std::string arg = "x";
    std::string out = co_await b.wf.execute<std::string>("echo", o, arg);
    if (out != "x") throw std::runtime_error("echo returned \"" + out + "\"");
  } else if (b.workload == "signal") {
    const WorkflowHandle& h = b.long_running[static_cast<size_t>(i) % b.long_running.size()];
    std::string arg = "m";
    co_await h.signal("add", arg);
  } else if (b.workload == "query") {
    auto msgs = co_await b.long_running[0].query<std::vector<std::string>>("getMessages");
    (void)msgs;
  } else {  // describe
    auto d = co_await b.long_running[0].describe();
    (void)d;
  }
}

// A lane: takes operation indexes from the shared counter until N are taken.
temporal::Task<int> lane(Bench& b) {
  for (;;) {
    const int i = b.next.fetch_add(1);
    if (i >= b.n) co_return 0;
    const auto t0 = Clock::now();
    std::string error;
    try {
      co_await op(b, i);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error";
    } catch (...) {
      error = "unknown exception";
    }
    b.latency_ms[static_cast<size_t>(i)] = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!error.empty()) {
      b.errors.fetch_add(1);
      std::call_once(b.first_error, [&] { std::cerr << "bench_client: op " << i << " failed: " << error << std::endl; });
      continue;
    }
    b.ok[static_cast<size_t>(i)] = 1;
  }
}

void terminate_all(const Bench& b) {
  for (const auto& h : b.long_running) {
    try {
      h.terminate("benchmark done").get();
    } catch (const std::exception& e) {
      std::cerr << "bench_client: terminate " << h.workflow_id() << ": " << e.what() << std::endl;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The peers run release builds of their runtimes; so does this (see the README's Notes).
  temporal::disable_abseil_deadlock_detection();
  std::map<std::string, std::string> args = {
      {"address", "127.0.0.1:7233"}, {"namespace", "default"}, {"task-queue", "bench"}, {"workload", "start"},
      {"n", "100"},                  {"concurrency", "1"},     {"workflow-type", "echo"},
  };
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag.rfind("--", 0) != 0 || !args.count(flag.substr(2))) fatal("unknown argument " + flag);
    if (i + 1 >= argc) fatal(flag + " needs a value");
    args[flag.substr(2)] = argv[i + 1];
  }
  int n = 0, k = 0;
  try {
    n = std::stoi(args["n"]);
    k = std::stoi(args["concurrency"]);
  } catch (const std::exception&) {
    fatal("--n and --concurrency must be integers");
  }
  if (n < 1 || k < 1) fatal("--n and --concurrency must be >= 1");
  const std::string workload = args["workload"];
  if (workload != "start" && workload != "signal" && workload != "query" && workload != "execute" &&
      workload != "describe")
    fatal("unknown --workload " + workload);

  std::optional<Client> client;
  try {
    ConnectionOptions co;
    co.address = args["address"];
    co.namespace_name = args["namespace"];
    ClientOptions clo;
    clo.namespace_name = args["namespace"];
    client.emplace(Connection::connect(co), clo);
  } catch (const std::exception& e) {
    fatal("connect " + args["address"] + ": " + e.what());
  }

  Bench b{.wf = client->workflow()};
  b.workload = workload;
  b.task_queue = args["task-queue"];
  b.workflow_type = args["workflow-type"];
  b.prefix = "bench-cpp-" + workload + "-" + std::to_string(getpid()) + "-" +
             std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  b.n = n;
  b.latency_ms.assign(static_cast<size_t>(n), 0.0);
  b.ok.assign(static_cast<size_t>(n), 0);

  // Setup (not measured): long-running workflows, terminated at the end whatever happens.
  const int long_count = workload == "signal" ? k : (workload == "query" || workload == "describe") ? 1 : 0;
  for (int i = 0; i < long_count; ++i) {
    try {
      WorkflowOptions o = b.options(b.prefix + "-sq-" + std::to_string(i));
      b.long_running.push_back(b.wf.start("signalsAndQueries", o).get());
    } catch (const std::exception& e) {
      terminate_all(b);
      fatal(std::string("setup: start signalsAndQueries: ") + e.what());
    }
  }
  if (workload == "query") {
    // Warm-up query: waits for the worker to run the first workflow task.
    try {
      (void)b.long_running[0].query<std::vector<std::string>>("getMessages").get();
    } catch (const std::exception& e) {
      terminate_all(b);
      fatal(std::string("setup: warm-up query: ") + e.what());
    }
  }

  const auto begin = Clock::now();
  {
    std::vector<temporal::Task<int>> lanes;
    lanes.reserve(static_cast<size_t>(k));
    for (int w = 0; w < k; ++w) lanes.push_back(lane(b));
    temporal::when_all(std::move(lanes)).get();
  }
  const double secs = std::chrono::duration<double>(Clock::now() - begin).count();
  terminate_all(b);

  std::vector<double> lat;
  lat.reserve(static_cast<size_t>(n));
  for (size_t i = 0; i < b.latency_ms.size(); ++i)
    if (b.ok[i]) lat.push_back(b.latency_ms[i]);
  std::sort(lat.begin(), lat.end());
  const int errors = b.errors.load();
  nlohmann::ordered_json res;
  res["client"] = "cpp";
  res["workload"] = workload;
  res["n"] = n;
  res["concurrency"] = k;
  res["seconds"] = secs;
  res["ops_per_sec"] = static_cast<double>(lat.size()) / secs;
  res["p50_ms"] = percentile(lat, 50);
  res["p99_ms"] = percentile(lat, 99);
  res["errors"] = errors;
  std::cout << res.dump() << std::endl;
  return errors == n ? 1 : 0;
}

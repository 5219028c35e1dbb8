// The C++ side of the Temporal features suite (github.com/temporalio/features): the scenario type,
// the catalog of every scenario of the official suite, and the context a scenario runs in.
//
// Each implemented scenario lives in features/<area>/<name>/feature.cpp and returns a Scenario:
// the workflows and activities its worker registers, and the starter with the checks the
// official Go and TypeScript versions make. The runner (features/runner/main.cpp) gives each
// scenario its own task queue and worker, applies its timeout, then replays the histories of
// the runs it closed (and records them with --record-histories); tests/unit/features_replay_test.cpp
// replays the recorded ones against the same code without a server.
//
// Not a public API of the SDK: test code, built only with the tests.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "temporal/client.h"
#include "temporal/worker/replayer.h"
#include "temporal/worker/worker.h"

namespace temporal::features {

using namespace std::chrono_literals;

/// A check of a scenario did not hold; the message says which and what was seen.
class CheckFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Thrown by Context::skip(): the scenario cannot run here (for example the server lacks a setting).
class Skipped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Registers a scenario's workflows and activities with a Worker, or its workflows with a
/// Replayer (activities are not needed to replay).
class Registrar {
 public:
  explicit Registrar(worker::Worker& w) : worker_(&w) {}
  explicit Registrar(worker::Replayer& r) : replayer_(&r) {}

  template <class F>
  Registrar& workflow(std::string name, F fn) {
    if (worker_) {
      worker_->register_workflow(std::move(name), fn);
    } else {
      replayer_->register_workflow(std::move(name), fn);
    }
    return *this;
  }
  template <class F>
  Registrar& activity(std::string name, F fn) {
    if (worker_) worker_->register_activity(std::move(name), fn);
    return *this;
  }

 private:
  worker::Worker* worker_ = nullptr;
  worker::Replayer* replayer_ = nullptr;
};

class Context;

/// One scenario of the suite, as implemented in C++.
struct Scenario {
  /// "<area>/<name>", the scenario's folder in the official suite and here.
  std::string dir;
  /// The workflows and activities of the scenario's worker (and of the replay of its histories).
  std::function<void(Registrar&)> registration;
  /// The starter and the checks; throws CheckFailed (or any error) to fail, Skipped to skip.
  std::function<void(Context&)> run;
  /// Worker options besides the task queue, which the runner sets.
  worker::WorkerOptions worker_options;
  /// Converter and interceptors of the scenario's client (and of its worker and replay).
  converter::DataConverter data_converter;
  std::vector<std::shared_ptr<client::ClientInterceptor>> interceptors;
  /// The whole scenario (start, checks, history replay) must end within this.
  std::chrono::seconds timeout{60};
  /// After a pass, replay the histories of the runs it closed (and record them on request).
  /// Off where the runs are not the code's alone to decide (cron: how many runs).
  bool check_history = true;
  /// Whether the scenario's worker is started before run() (off when run() starts it itself).
  bool start_worker = true;
  /// Set while the scenario fails because of a known bug of the SDK (what is wrong, precisely):
  /// the runner still runs it, and reports a failure as skipped with this note (so that the
  /// suite stays green in CI) and a pass as a stale note.
  std::string known_bug;
};

/// Where a scenario of the official suite stands in this SDK.
enum class Status {
  kImplemented,   ///< runs here; must pass
  kNotBuilt,      ///< needs an SDK feature that is not built yet (the reason names it)
  kNotApplicable, ///< does not apply to this SDK (the reason says why)
};

struct CatalogEntry {
  std::string dir;
  Status status = Status::kImplemented;
  std::string reason;
  std::function<Scenario()> make;  ///< set for kImplemented
};

/// Every scenario folder of the official suite (and of its bugs/ folder), in its order.
const std::vector<CatalogEntry>& catalog();

/// An HTTP CONNECT proxy the runner started for the client/http_proxy* scenarios.
struct ProxyInfo {
  std::string address;  ///< host:port
  std::string user;     ///< empty: no authentication
  std::string password;
  /// How many CONNECT tunnels the proxy opened so far (read from its log).
  std::function<int()> tunnels_opened;
};

/// What the runner knows about the server, shared by every scenario.
struct Environment {
  client::ConnectionOptions connection_options;
  client::Connection connection = client::Connection::lazy({});
  std::optional<ProxyInfo> proxy;
  std::optional<ProxyInfo> auth_proxy;
};

/// The runner's environment, for activity code that needs a client of its own (update/self);
/// set by the runner before any scenario starts.
const Environment& environment();
void set_environment(const Environment* env);

/// What a scenario's run() works with: a client, its own task queue and worker, and helpers.
/// Used by one thread (the scenario's).
class Context {
 public:
  Context(const Scenario& scenario, const Environment& env, std::string task_queue);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Scenario& scenario() const { return scenario_; }
  const Environment& environment() const { return env_; }
  const client::Client& client() const { return client_; }
  const std::string& task_queue() const { return task_queue_; }
  const std::string& namespace_name() const { return client_.namespace_name(); }

  /// The scenario's worker (started, unless the scenario said otherwise).
  void start_worker();
  /// Shuts the worker down (running activities get graceful_shutdown_timeout) and waits.
  void stop_worker();
  bool worker_running() const { return worker_ != nullptr; }
  /// A fatal error of the worker, if any (checked after run()).
  std::exception_ptr worker_error() const;

  /// The official harness's defaults: this task queue, id "<dir>-<uuid>", one minute execution timeout.
  client::WorkflowOptions workflow_options() const;
  /// Starts `workflow_type` with the default options.
  template <class... Args>
  client::WorkflowHandle start(std::string workflow_type, const Args&... args) const {
    return client_.workflow().start(std::move(workflow_type), workflow_options(), args...).get();
  }

  [[noreturn]] void skip(const std::string& reason) const { throw Skipped(reason); }

  /// Time left before the scenario's timeout.
  std::chrono::milliseconds remaining() const;

 private:
  const Scenario& scenario_;
  const Environment& env_;
  std::string task_queue_;
  client::Client client_;
  std::unique_ptr<worker::Worker> worker_;
  std::exception_ptr worker_error_;
  std::chrono::steady_clock::time_point deadline_;
};

// ------------------------------------------------------------------------------------------------
// Checks

namespace detail {
template <class T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return '"' + v + '"';
  } else if constexpr (std::is_constructible_v<nlohmann::json, const T&>) {
    return nlohmann::json(v).dump();
  } else {
    std::ostringstream s;
    s << v;
    return s.str();
  }
}
}  // namespace detail

/// Fails the scenario with `what` unless `condition` holds.
inline void check(bool condition, const std::string& what) {
  if (!condition) throw CheckFailed(what);
}

/// Fails the scenario unless `actual == expected`, showing both.
template <class A, class E>
void check_eq(const A& actual, const E& expected, const std::string& what) {
  if (!(actual == expected)) {
    throw CheckFailed(what + ": expected " + detail::show(expected) + ", got " + detail::show(actual));
  }
}

/// Runs `fn` and returns the E it throws; fails the scenario if it returns or throws something else.
template <class E, class F>
E check_throws(F&& fn, const std::string& what) {
  try {
    fn();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    throw CheckFailed(what + ": expected " + typeid(E).name() + ", got another error: " + e.what());
  }
  throw CheckFailed(what + ": expected an error, the call succeeded");
}

/// True if `text` contains `part`.
inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Calls `fn` every `interval` until it returns true; fails with `what` after `timeout`.
void eventually(std::chrono::milliseconds timeout, std::chrono::milliseconds interval, const std::function<bool()>& fn,
                const std::string& what);

/// A random UUID (for ids the scenario chooses).
std::string new_uuid();

}  // namespace temporal::features

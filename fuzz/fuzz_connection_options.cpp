// libFuzzer target: bytes -> ConnectionOptions, ClientOptions and CallOptions (addresses, namespaces,
// API keys, identities, headers from every path, TLS material, durations, sizes, enums) -> a lazy
// Connection, a Client and one call of each kind that puts strings into gRPC metadata.
//
// What must hold: the process never aborts (gRPC asserts on an illegal header and kills the
// process; that was issue 12), and every error is a TemporalError (a std:: or nlohmann exception
// escaping is a bug). Calls go to a closed local port, so none takes long and no server is needed:
// the fuzzed address is only checked (Connection::lazy resolves nothing), never dialled.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <typeinfo>

#include "temporal/client.h"

namespace {

using namespace temporal;
using namespace temporal::client;
using std::chrono::milliseconds;

constexpr const char* kClosedPort = "127.0.0.1:1";

std::string str(FuzzedDataProvider& in, size_t max = 64) { return in.ConsumeRandomLengthString(max); }

milliseconds duration(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return milliseconds::max();
    case 1: return milliseconds(in.ConsumeIntegral<int64_t>());
    case 2: return milliseconds(in.ConsumeIntegralInRange<int64_t>(-10, 0));
    default: return milliseconds(in.ConsumeIntegralInRange<int64_t>(1, 2000));
  }
}

std::map<std::string, std::string> headers(FuzzedDataProvider& in) {
  std::map<std::string, std::string> out;
  const int n = in.ConsumeIntegralInRange<int>(0, 3);
  for (int i = 0; i < n; ++i) {
    std::string key = str(in, 24);
    if (in.ConsumeBool()) key += "-bin";
    out[key] = str(in);
  }
  return out;
}

class HeaderInterceptor : public ClientInterceptor {
 public:
  explicit HeaderInterceptor(std::map<std::string, std::string> headers) : headers_(std::move(headers)) {}
  Task<void> intercept(ClientCall& call, Next next) override {
    for (const auto& [k, v] : headers_) call.grpc_metadata[k] = v;
    co_await next(call);
  }

 private:
  std::map<std::string, std::string> headers_;
};

// Runs one call; only TemporalErrors may come out of it.
template <class F>
void call(F f) {
  try {
    f();
  } catch (const TemporalError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  try {
    ConnectionOptions o;
    o.address = str(in);
    o.namespace_name = in.ConsumeBool() ? std::string("default") : str(in, 32);
    if (in.ConsumeBool()) {
      TlsOptions tls;
      tls.server_root_ca_cert = in.ConsumeBool() ? std::string() : "-----BEGIN CERTIFICATE-----\n" + str(in, 128);
      tls.server_name_override = str(in, 24);
      if (in.ConsumeBool()) {
        tls.client_cert = str(in, 64);
        tls.client_private_key = str(in, 64);
      }
      o.tls = tls;
    }
    o.tls_disabled = in.ConsumeBool();
    o.api_key = in.ConsumeBool() ? std::string() : str(in, 32);
    std::string provided_key = str(in, 32);
    if (in.ConsumeBool()) o.api_key_provider = [provided_key] { return provided_key; };
    o.metadata = headers(in);
    o.rpc_timeout = duration(in);
    o.retry.initial_interval = duration(in);
    o.retry.max_interval = duration(in);
    o.retry.backoff_coefficient = in.ConsumeFloatingPoint<double>();
    o.retry.jitter = in.ConsumeFloatingPoint<double>();
    o.retry.max_attempts = in.ConsumeIntegral<int>();
    o.keepalive.interval = duration(in);
    o.keepalive.timeout = duration(in);
    o.max_message_bytes = in.ConsumeIntegral<int>();
    o.connect_timeout = duration(in);
    o.identity = str(in, 32);

    // The fuzzed address is only validated; calls go to a closed port (fails fast, once).
    try {
      (void)Connection::lazy(o);
    } catch (const InvalidArgumentError&) {
    }
    o.address = kClosedPort;
    o.retry.max_attempts = 1;
    Connection conn = [&] {
      try {
        return Connection::lazy(o);
      } catch (const InvalidArgumentError&) {
        return Connection::lazy({.address = kClosedPort, .retry = {.max_attempts = 1}});
      }
    }();

    ClientOptions co;
    co.namespace_name = str(in, 32);
    co.identity = str(in, 32);
    co.interceptors.push_back(std::make_shared<HeaderInterceptor>(headers(in)));
    std::unique_ptr<Client> client;
    try {
      client = std::make_unique<Client>(conn, co);
    } catch (const InvalidArgumentError&) {
      client = std::make_unique<Client>(conn);
    }
    CallOptions call_options;
    call_options.metadata = headers(in);
    if (in.ConsumeBool()) call_options.timeout = duration(in);
    if (in.ConsumeBool()) {
      CancellationToken token;
      if (in.ConsumeBool()) token.cancel();
      call_options.cancellation = token;
    }
    Client c = *client;
    try {
      c = client->with_call_options(call_options);
    } catch (const InvalidArgumentError&) {
    }
    if (in.ConsumeBool()) call([&] { conn.set_api_key(str(in, 32)); });

    auto handle = c.workflow().get_handle(str(in, 32));
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
      case 0: call([&] { (void)c.workflow().count().get(); }); break;
      case 1: {
        ResultOptions ro;
        ro.timeout = milliseconds(in.ConsumeIntegralInRange<int64_t>(1, 30));
        call([&] { (void)handle.result<nlohmann::json>(ro).get(); });
        break;
      }
      case 2: {
        WorkflowOptions wo;
        wo.task_queue = str(in, 16);
        wo.id_reuse_policy = static_cast<WorkflowIdReusePolicy>(in.ConsumeIntegral<int8_t>());
        wo.id_conflict_policy = static_cast<WorkflowIdConflictPolicy>(in.ConsumeIntegral<int8_t>());
        wo.static_summary = str(in, 16);
        call([&] { (void)c.workflow().start(str(in, 16), wo, str(in, 16), in.ConsumeFloatingPoint<double>()).get(); });
        break;
      }
      case 3:
        call([&] {
          (void)handle.query_with_reject<nlohmann::json>(static_cast<QueryRejectCondition>(in.ConsumeIntegral<int8_t>()),
                                                         str(in, 16), str(in, 16))
              .get();
        });
        break;
      default: call([&] { handle.signal(str(in, 16), str(in, 16)).get(); }); break;
    }
    if (in.ConsumeBool()) {
      conn.close();
      call([&] { (void)c.workflow().count().get(); });
    }
  } catch (const TemporalError&) {
  } catch (const std::exception& e) {
    // Anything else escaping a public call is a bug.
    std::fprintf(stderr, "non-TemporalError escaped: %s: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
  return 0;
}

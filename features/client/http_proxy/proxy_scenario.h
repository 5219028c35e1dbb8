// client/http_proxy and client/http_proxy_auth: a client whose calls tunnel through an HTTP
// CONNECT proxy (ConnectionOptions::http_connect_proxy) runs a workflow to its result; the proxy
// (started by the runner) saw exactly one tunnel. With authentication, the proxy also refuses
// the same client without credentials.
#pragma once

#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {

inline workflow::Workflow<std::string> proxy_done() { co_return "done"; }

inline Scenario proxy_scenario(std::string dir, bool use_auth) {
  Scenario s;
  s.dir = std::move(dir);
  s.registration = [](Registrar& r) { r.workflow("Workflow", proxy_done); };
  s.run = [use_auth](Context& ctx) {
    const auto& proxy = use_auth ? ctx.environment().auth_proxy : ctx.environment().proxy;
    if (!proxy) ctx.skip("no HTTP CONNECT proxy: the runner needs tinyproxy (scripts/setup.sh installs it)");
    auto options = ctx.environment().connection_options;
    options.http_connect_proxy = client::HttpConnectProxyOptions{proxy->address, proxy->user, proxy->password};
    if (use_auth) {
      auto anonymous = options;
      anonymous.http_connect_proxy->basic_auth_user.clear();
      anonymous.http_connect_proxy->basic_auth_password.clear();
      anonymous.connect_timeout = 3s;
      check_throws<RpcError>([&] { (void)client::Connection::connect(anonymous); },
                             "connecting through the authenticating proxy without credentials");
    }
    const int before = proxy->tunnels_opened();
    client::ClientOptions co;
    co.namespace_name = ctx.namespace_name();
    client::Client through_proxy(client::Connection::connect(options), co);
    auto result = through_proxy.workflow().execute<std::string>("Workflow", ctx.workflow_options()).get();
    check_eq(result, std::string("done"), "workflow result through the proxy");
    through_proxy.connection().close();
    check_eq(proxy->tunnels_opened() - before, 1, "tunnels the proxy opened");
  };
  return s;
}

}  // namespace temporal::features::scenarios

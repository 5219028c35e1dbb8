// client/http_proxy_auth: see client/http_proxy/proxy_scenario.h.
#include "client/http_proxy/proxy_scenario.h"

namespace temporal::features::scenarios {
Scenario client_http_proxy_auth() { return proxy_scenario("client/http_proxy_auth", true); }
}  // namespace temporal::features::scenarios

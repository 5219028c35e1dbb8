// client/http_proxy: see proxy_scenario.h.
#include "client/http_proxy/proxy_scenario.h"

namespace temporal::features::scenarios {
Scenario client_http_proxy() { return proxy_scenario("client/http_proxy", false); }
}  // namespace temporal::features::scenarios

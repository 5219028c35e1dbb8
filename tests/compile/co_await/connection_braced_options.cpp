// expect: gcc12-rejects
#include "temporal/client.h"
temporal::Task<void> f() {
  co_await temporal::client::Connection::connect_async({.address = "localhost:7233"});
}

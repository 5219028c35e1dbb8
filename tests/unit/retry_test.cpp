#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "client/connection_options.h"
#include "rpc/channel.h"

namespace temporal::rpc {
namespace {

TEST(Retry, TransientCodesAreRetried) {
  EXPECT_TRUE(is_retryable(grpc::Status(grpc::StatusCode::UNAVAILABLE, ""), false));
  EXPECT_TRUE(is_retryable(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "rate limit"), false));
  EXPECT_TRUE(is_retryable(grpc::Status(grpc::StatusCode::ABORTED, ""), false));
  EXPECT_TRUE(is_retryable(grpc::Status(grpc::StatusCode::UNKNOWN, ""), false));
}

TEST(Retry, InternalIsRetriedOnlyWithoutErrorDifferentiation) {
  EXPECT_TRUE(is_retryable(grpc::Status(grpc::StatusCode::INTERNAL, ""), false));
  EXPECT_FALSE(is_retryable(grpc::Status(grpc::StatusCode::INTERNAL, ""), true));
}

TEST(Retry, PermanentCodesAreNotRetried) {
  for (auto c : {grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::CANCELLED, grpc::StatusCode::INVALID_ARGUMENT,
                 grpc::StatusCode::NOT_FOUND, grpc::StatusCode::ALREADY_EXISTS, grpc::StatusCode::FAILED_PRECONDITION,
                 grpc::StatusCode::PERMISSION_DENIED, grpc::StatusCode::UNAUTHENTICATED}) {
    EXPECT_FALSE(is_retryable(grpc::Status(c, ""), false)) << c;
  }
}

TEST(Retry, MessageTooLargeIsNotRetried) {
  EXPECT_FALSE(is_retryable(
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "grpc: received message larger than max (5 vs. 4)"), false));
}

// The channel a Connection with these options would use (the client maps its options onto it).
std::shared_ptr<Channel> channel_for(client::ConnectionOptions options) {
  return Channel::create(client::detail::channel_options(options));
}

TEST(Retry, BackoffGrowsWithJitterAndStopsAtMaxAttempts) {
  auto ch = channel_for({.address = "127.0.0.1:1",
                         .retry = {.initial_interval = std::chrono::milliseconds(100),
                                   .backoff_coefficient = 2.0,
                                   .max_interval = std::chrono::milliseconds(1000),
                                   .jitter = 0.2,
                                   .max_attempts = 5}});
  grpc::Status unavailable(grpc::StatusCode::UNAVAILABLE, "down");
  auto d1 = ch->retry_delay(unavailable, 1);
  auto d3 = ch->retry_delay(unavailable, 3);
  auto d4 = ch->retry_delay(unavailable, 4);
  ASSERT_TRUE(d1 && d3 && d4);
  EXPECT_GE(d1->count(), 80);
  EXPECT_LE(d1->count(), 120);
  EXPECT_GE(d3->count(), 320);
  EXPECT_LE(d3->count(), 480);
  EXPECT_LE(d4->count(), 960);
  EXPECT_FALSE(ch->retry_delay(unavailable, 5).has_value());
  EXPECT_FALSE(ch->retry_delay(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, ""), 1).has_value());
}

TEST(Retry, ResourceExhaustedStartsFromItsOwnInterval) {
  auto ch = channel_for({.address = "127.0.0.1:1"});
  auto d = ch->retry_delay(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy"), 1);
  ASSERT_TRUE(d);
  EXPECT_GE(d->count(), 800);
}

}  // namespace
}  // namespace temporal::rpc

namespace temporal::rpc {
namespace {
TEST(Retry, TlsFailuresThatRepeatOnEveryAttemptAreNotRetried) {
  EXPECT_FALSE(is_retryable(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                         "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: "
                                         "Ssl handshake failed: SSL_ERROR_SSL: error:0A000086:SSL routines::certificate "
                                         "verify failed"),
                            false));
  EXPECT_FALSE(is_retryable(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "Peer name wrong.example is not in peer certificate"), false));
  EXPECT_TRUE(is_retryable(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                        "failed to connect to all addresses; last error: Connection refused"),
                           false));
}
}  // namespace
}  // namespace temporal::rpc

namespace temporal::client {
namespace {
TEST(Retry, EachRetryIsLoggedToTheConnectionsLogger) {
  auto lines = std::make_shared<std::vector<std::pair<LogLevel, std::string>>>();
  auto mu = std::make_shared<std::mutex>();
  ConnectionOptions options;
  options.address = "127.0.0.1:1";  // nothing listens: every attempt is refused (UNAVAILABLE)
  options.retry.initial_interval = std::chrono::milliseconds(10);
  options.retry.max_attempts = 3;
  options.logger = [lines, mu](LogLevel level, const std::string& line) {
    std::lock_guard lock(*mu);
    lines->emplace_back(level, line);
  };
  auto conn = Connection::lazy(options);
  EXPECT_THROW(conn.check_health().get(), RpcError);
  std::lock_guard lock(*mu);
  ASSERT_EQ(lines->size(), 2u) << "3 attempts, so 2 retries";
  for (const auto& [level, line] : *lines) {
    EXPECT_EQ(level, LogLevel::kDebug);
    EXPECT_NE(line.find("Check attempt"), std::string::npos) << line;
    EXPECT_NE(line.find("retrying in"), std::string::npos) << line;
  }
}
}  // namespace
}  // namespace temporal::client

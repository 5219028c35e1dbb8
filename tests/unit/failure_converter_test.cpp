#include <gtest/gtest.h>

#include "converter/proto.h"

namespace temporal::converter {
namespace {

TEST(FailureConverter, ApplicationFailureRoundTripsWithCauseChainAndDetails) {
  DataConverter dc;
  auto inner = std::make_shared<ApplicationFailure>("inner cause", ApplicationFailure::Info{.type = "InnerError"});
  ApplicationFailure outer("outer", {.type = "MyError", .non_retryable = true, .details = to_payloads(std::string("d1"), 42)},
                           "stack", inner);
  apifailure::Failure proto;
  failure_to_proto(dc, outer, &proto);
  EXPECT_EQ(proto.message(), "outer");
  EXPECT_EQ(proto.application_failure_info().type(), "MyError");
  EXPECT_TRUE(proto.application_failure_info().non_retryable());
  EXPECT_EQ(proto.cause().application_failure_info().type(), "InnerError");

  auto back = failure_from_proto(dc, proto);
  const auto* app = dynamic_cast<const ApplicationFailure*>(back.get());
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->message(), "outer");
  EXPECT_EQ(app->stack_trace(), "stack");
  EXPECT_TRUE(app->non_retryable());
  ASSERT_EQ(app->details().size(), 2u);
  EXPECT_EQ(from_payload<std::string>(app->details()[0]), "d1");
  EXPECT_EQ(from_payload<int>(app->details()[1]), 42);
  ASSERT_NE(app->cause(), nullptr);
  EXPECT_EQ(app->cause()->message(), "inner cause");
  EXPECT_EQ(dynamic_cast<const ApplicationFailure*>(app->cause())->type(), "InnerError");
}

TEST(FailureConverter, EachInfoKindBecomesItsOwnType) {
  DataConverter dc;
  apifailure::Failure f;
  f.set_message("timed out");
  f.mutable_timeout_failure_info()->set_timeout_type(::temporal::api::enums::v1::TIMEOUT_TYPE_START_TO_CLOSE);
  auto t = failure_from_proto(dc, f);
  ASSERT_NE(dynamic_cast<const TimeoutFailure*>(t.get()), nullptr);
  EXPECT_EQ(dynamic_cast<const TimeoutFailure*>(t.get())->timeout_type(), TimeoutType::kStartToClose);

  apifailure::Failure a;
  a.set_message("activity failed");
  a.mutable_activity_failure_info()->mutable_activity_type()->set_name("charge");
  a.mutable_activity_failure_info()->set_retry_state(::temporal::api::enums::v1::RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
  a.mutable_cause()->set_message("card declined");
  a.mutable_cause()->mutable_application_failure_info()->set_type("Declined");
  auto act = failure_from_proto(dc, a);
  const auto* af = dynamic_cast<const ActivityFailure*>(act.get());
  ASSERT_NE(af, nullptr);
  EXPECT_EQ(af->info().activity_type, "charge");
  EXPECT_EQ(af->info().retry_state, RetryState::kMaximumAttemptsReached);
  EXPECT_EQ(af->cause()->message(), "card declined");

  apifailure::Failure c;
  c.set_message("canceled");
  c.mutable_canceled_failure_info();
  EXPECT_NE(dynamic_cast<const CanceledFailure*>(failure_from_proto(dc, c).get()), nullptr);
  apifailure::Failure term;
  term.mutable_terminated_failure_info();
  EXPECT_NE(dynamic_cast<const TerminatedFailure*>(failure_from_proto(dc, term).get()), nullptr);
}

TEST(FailureConverter, EncodedAttributesHideMessageAndComeBack) {
  DataConverter dc;
  dc.failure.encode_common_attributes = true;
  ApplicationFailure e("secret message", {.type = "T"}, "secret stack");
  apifailure::Failure proto;
  failure_to_proto(dc, e, &proto);
  EXPECT_EQ(proto.message(), "Encoded failure");
  EXPECT_EQ(proto.stack_trace(), "");
  EXPECT_TRUE(proto.has_encoded_attributes());
  auto back = failure_from_proto(dc, proto);
  EXPECT_EQ(back->message(), "secret message");
  EXPECT_EQ(back->stack_trace(), "secret stack");
}

TEST(FailureConverter, PlainExceptionsBecomeApplicationFailuresNamedByType) {
  DataConverter dc;
  apifailure::Failure proto;
  failure_to_proto(dc, std::make_exception_ptr(std::out_of_range("index 7")), &proto);
  EXPECT_EQ(proto.message(), "index 7");
  EXPECT_EQ(proto.application_failure_info().type(), "std::out_of_range");
}

}  // namespace
}  // namespace temporal::converter

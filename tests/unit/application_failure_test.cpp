// ApplicationFailure::create, the typed details<T...>() of failures and cause_as<F>().
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

#include "converter/proto.h"
#include "temporal/common/errors.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;

struct Receipt {
  std::string card;
  int64_t cents = 0;
  friend void to_json(nlohmann::json& j, const Receipt& r) { j = {{"card", r.card}, {"cents", r.cents}}; }
  friend void from_json(const nlohmann::json& j, Receipt& r) {
    j.at("card").get_to(r.card);
    j.at("cents").get_to(r.cents);
  }
};

TEST(ApplicationFailure, CreateTakesTypeNonRetryableAndDetailsEachInItsOwnPayload) {
  auto f = ApplicationFailure::create("card declined", {.type = "CardDeclined", .non_retryable = true},
                                      std::string("4242"), int64_t{402}, Receipt{"4242", 1999});
  EXPECT_EQ(f.message(), "card declined");
  EXPECT_STREQ(f.what(), "card declined");
  EXPECT_EQ(f.type(), "CardDeclined");
  EXPECT_TRUE(f.non_retryable());
  EXPECT_EQ(f.details().size(), 3u);
  EXPECT_FALSE(f.next_retry_delay().has_value());
  EXPECT_EQ(f.cause(), nullptr);

  auto [card, code, receipt] = f.details<std::string, int64_t, Receipt>();
  EXPECT_EQ(card, "4242");
  EXPECT_EQ(code, 402);
  EXPECT_EQ(receipt.cents, 1999);
  // A prefix of the details can be read on its own.
  auto [only_card] = f.details<std::string>();
  EXPECT_EQ(only_card, "4242");
}

TEST(ApplicationFailure, CreateWithNothingButAMessageIsRetryableWithoutTypeOrDetails) {
  auto f = ApplicationFailure::create("plain");
  EXPECT_EQ(f.type(), "");
  EXPECT_FALSE(f.non_retryable());
  EXPECT_TRUE(f.details().empty());
  EXPECT_EQ(f.category(), ApplicationErrorCategory::kUnspecified);
}

TEST(ApplicationFailure, CreateCarriesRetryDelayCategoryAndCause) {
  auto cause = std::make_shared<ApplicationFailure>(ApplicationFailure::create("root", {.type = "Root"}));
  auto f = ApplicationFailure::create("outer", {.type = "Outer", .next_retry_delay = 3s,
                                                .category = ApplicationErrorCategory::kBenign, .cause = cause});
  ASSERT_TRUE(f.next_retry_delay().has_value());
  EXPECT_EQ(*f.next_retry_delay(), 3000ms);
  EXPECT_EQ(f.category(), ApplicationErrorCategory::kBenign);
  ASSERT_NE(f.cause_as<ApplicationFailure>(), nullptr);
  EXPECT_EQ(f.cause_as<ApplicationFailure>()->type(), "Root");
  EXPECT_EQ(f.cause_as<CanceledFailure>(), nullptr);  // another type: null, not a throw
}

TEST(ApplicationFailure, CreateThrowsDataConverterErrorNamingADetailThatCannotBeEncoded) {
  try {
    (void)ApplicationFailure::create("bad", {}, std::string("ok"), std::nan(""));
    FAIL() << "expected DataConverterError";
  } catch (const DataConverterError& e) {
    EXPECT_NE(std::string(e.what()).find("argument 2"), std::string::npos) << e.what();
  }
}

TEST(ApplicationFailure, DetailsOfTheWrongTypeThrowDataConverterErrorNamingTheIndex) {
  auto f = ApplicationFailure::create("x", {}, std::string("text"), int64_t{7});
  try {
    (void)f.details<std::string, std::string>();
    FAIL() << "expected DataConverterError";
  } catch (const DataConverterError& e) {
    EXPECT_NE(std::string(e.what()).find("failure detail 1"), std::string::npos) << e.what();
  }
  try {
    (void)f.details<int64_t>();
    FAIL() << "expected DataConverterError";
  } catch (const DataConverterError& e) {
    EXPECT_NE(std::string(e.what()).find("failure detail 0"), std::string::npos) << e.what();
  }
}

TEST(ApplicationFailure, AskingForMoreDetailsThanCarriedThrowsDataConverterErrorNamingTheMissingIndex) {
  auto f = ApplicationFailure::create("x", {}, std::string("one"));
  try {
    (void)f.details<std::string, int64_t>();
    FAIL() << "expected DataConverterError";
  } catch (const DataConverterError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("failure detail 1"), std::string::npos) << what;
    EXPECT_NE(what.find("missing"), std::string::npos) << what;
    EXPECT_NE(what.find("1 detail payload"), std::string::npos) << what;
  }
  // And DataConverterError is a TemporalError, like every library error.
  EXPECT_THROW(((void)f.details<std::string, int64_t>()), TemporalError);
}

TEST(ApplicationFailure, CreatedFailureRoundTripsThroughTheFailureConverterWithTypedDetailsAndCause) {
  converter::DataConverter dc;
  auto cause = std::make_shared<ApplicationFailure>(ApplicationFailure::create("inner", {.type = "Inner"}, 1, 2));
  auto f = ApplicationFailure::create("outer", {.type = "Outer", .non_retryable = true, .cause = cause},
                                      std::string("why"), Receipt{"1", 5});
  converter::apifailure::Failure proto;
  converter::failure_to_proto(dc, f, &proto);
  auto back = converter::failure_from_proto(dc, proto);
  const auto* app = dynamic_cast<const ApplicationFailure*>(back.get());
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->type(), "Outer");
  EXPECT_TRUE(app->non_retryable());
  auto [why, receipt] = app->details<std::string, Receipt>();
  EXPECT_EQ(why, "why");
  EXPECT_EQ(receipt.card, "1");
  const auto* inner = app->cause_as<ApplicationFailure>();
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->type(), "Inner");
  EXPECT_EQ((inner->details<int, int>()), std::make_tuple(1, 2));
}

TEST(FailureDetails, CanceledAndTerminatedFailuresReadDetailsTyped) {
  CanceledFailure canceled("canceled", converter::to_payloads(std::string("bye")));
  EXPECT_EQ(std::get<0>(canceled.details<std::string>()), "bye");
  TerminatedFailure terminated("enough", converter::to_payloads(std::string("why"), int64_t{7}));
  EXPECT_EQ(terminated.message(), "enough");
  auto [why, n] = terminated.details<std::string, int64_t>();
  EXPECT_EQ(why, "why");
  EXPECT_EQ(n, 7);
  EXPECT_THROW((void)terminated.details<int64_t>(), DataConverterError);
}

TEST(FailureDetails, TimeoutAndResetFailuresReadHeartbeatDetailsTyped) {
  TimeoutFailure timeout("heartbeat timeout", TimeoutType::kHeartbeat,
                         converter::to_payloads(std::string("row"), int64_t{41}));
  auto [where, row] = timeout.last_heartbeat_details<std::string, int64_t>();
  EXPECT_EQ(where, "row");
  EXPECT_EQ(row, 41);
  EXPECT_THROW((void)timeout.last_heartbeat_details<int64_t>(), DataConverterError);
  ResetWorkflowFailure reset("reset", converter::to_payloads(int64_t{9}));
  EXPECT_EQ(std::get<0>(reset.last_heartbeat_details<int64_t>()), 9);
  EXPECT_THROW(((void)reset.last_heartbeat_details<int64_t, int64_t>()), DataConverterError);
}

// Details given to an application failure's wire form are its details (one copy, not two).
TEST(FailureDetails, ApplicationFailureInfoDetailsAreTheFailuresDetails) {
  ApplicationFailure f("m", ApplicationFailure::Info{.type = "T", .details = converter::to_payloads(3, 4)});
  EXPECT_EQ(f.details().size(), 2u);
  EXPECT_EQ((f.details<int, int>()), std::make_tuple(3, 4));
  EXPECT_EQ(f.type(), "T");
}

TEST(FailureDetails, WorkflowFailedErrorReachesItsCauseTyped) {
  auto cause = std::make_shared<TerminatedFailure>("stop", converter::to_payloads(1));
  WorkflowFailedError e("workflow 'w' was terminated", "w", "r", RetryState::kNonRetryableFailure, cause);
  ASSERT_NE(e.cause_as<TerminatedFailure>(), nullptr);
  EXPECT_EQ(std::get<0>(e.cause_as<TerminatedFailure>()->details<int>()), 1);
  EXPECT_EQ(e.cause_as<ApplicationFailure>(), nullptr);
  WorkflowFailedError none("x", "w", "r", RetryState::kUnspecified, nullptr);
  EXPECT_EQ(none.cause_as<TerminatedFailure>(), nullptr);
}

}  // namespace
}  // namespace temporal

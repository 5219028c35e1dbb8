// The one parser of google.rpc.Status details (rpc/status.h) and what is built on it.
#include <gtest/gtest.h>

#include "google/rpc/status.pb.h"
#include "rpc/status.h"
#include "temporal/api/errordetails/v1/message.pb.h"

namespace temporal::rpc {
namespace {

namespace ed = ::temporal::api::errordetails::v1;

template <class... Details>
Status status_with(grpc::StatusCode code, const std::string& message, const Details&... details) {
  google::rpc::Status st;
  st.set_code(static_cast<int>(code));
  st.set_message(message);
  (st.add_details()->PackFrom(details), ...);
  return Status{code, message, st.SerializeAsString()};
}

TEST(StatusDetail, FindsTheDetailOfTheAskedType) {
  ed::WorkflowExecutionAlreadyStartedFailure started;
  started.set_run_id("run-1");
  ed::NamespaceNotFoundFailure nf;
  nf.set_namespace_("missing");
  const Status s = status_with(grpc::StatusCode::ALREADY_EXISTS, "already started", nf, started);
  ASSERT_EQ(status_details(s).size(), 2u);
  const auto got = status_detail<ed::WorkflowExecutionAlreadyStartedFailure>(s);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->run_id(), "run-1");
  EXPECT_FALSE(status_detail<ed::QueryFailedFailure>(s));
}

TEST(StatusDetail, NoOrBrokenDetailsAreNone) {
  EXPECT_TRUE(status_details(Status{grpc::StatusCode::INTERNAL, "x", {}}).empty());
  EXPECT_TRUE(status_details(Status{grpc::StatusCode::INTERNAL, "x", "\xff\xff\xff not a status"}).empty());
  EXPECT_FALSE(status_detail<ed::NamespaceNotFoundFailure>(Status{grpc::StatusCode::NOT_FOUND, "x", "\x0a\xff"}));
}

TEST(StatusDetail, NamespaceNotFoundByDetailOrByTheServersWords) {
  ed::NamespaceNotFoundFailure nf;
  nf.set_namespace_("missing");
  EXPECT_TRUE(is_namespace_not_found(status_with(grpc::StatusCode::NOT_FOUND, "gone", nf)));
  EXPECT_TRUE(is_namespace_not_found(Status{grpc::StatusCode::NOT_FOUND, "Namespace missing is not found.", {}}));
  EXPECT_FALSE(is_namespace_not_found(Status{grpc::StatusCode::NOT_FOUND, "workflow not found", {}}));
  ed::WorkflowNotReadyFailure other;
  EXPECT_FALSE(is_namespace_not_found(status_with(grpc::StatusCode::NOT_FOUND, "workflow gone", other)));
}

TEST(StatusDetail, FailedOperationsOfAMultiOperationFailure) {
  ed::MultiOperationExecutionFailure mf;
  auto* start = mf.add_statuses();  // the start failed on its own, with its detail
  start->set_code(static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
  start->set_message("already started");
  ed::WorkflowExecutionAlreadyStartedFailure started;
  started.set_run_id("run-2");
  start->add_details()->PackFrom(started);
  auto* update = mf.add_statuses();  // the update was only aborted because the start failed
  update->set_code(static_cast<int>(grpc::StatusCode::ABORTED));
  update->set_message("aborted");
  const auto failed = failed_operations(status_with(grpc::StatusCode::ALREADY_EXISTS, "multi", mf));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].code, grpc::StatusCode::ALREADY_EXISTS);
  const auto inner = status_detail<ed::WorkflowExecutionAlreadyStartedFailure>(failed[0]);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->run_id(), "run-2");
  EXPECT_TRUE(failed_operations(Status{grpc::StatusCode::ALREADY_EXISTS, "plain", {}}).empty());
}

}  // namespace
}  // namespace temporal::rpc

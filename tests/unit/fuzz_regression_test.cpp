// Regression tests for what the sanitizer builds and the fuzz targets (fuzz/) found: each test is
// named after what broke and feeds the smallest input that broke it.
#include <gtest/gtest.h>

#include <memory>

#include "converter/proto.h"

namespace temporal::converter {
namespace {

// Destroys a cause chain one link at a time: protobuf's own destructor recurses once a level.
void destroy_iteratively(apifailure::Failure& f) {
  std::unique_ptr<apifailure::Failure> next(f.release_cause());
  while (next) next.reset(next->release_cause());
}

TEST(FuzzRegression, DeeplyNestedFailureCauseChainDoesNotOverflowTheStack) {
  apifailure::Failure root;
  apifailure::Failure* f = &root;
  for (int i = 0; i < 200000; ++i) {
    f->set_message("level " + std::to_string(i));
    f->mutable_application_failure_info()->set_type("Nested");
    f = f->mutable_cause();
  }
  DataConverter dc;
  auto e = failure_from_proto(dc, root);
  destroy_iteratively(root);

  int depth = 0;
  const FailureError* last = e.get();
  for (const FailureError* c = e.get(); c; c = c->cause()) {
    ++depth;
    last = c;
  }
  EXPECT_LE(depth, 101);
  EXPECT_EQ(e->message(), "level 0");
  EXPECT_NE(last->message().find("truncated"), std::string::npos) << last->message();

  apifailure::Failure back;
  failure_to_proto(dc, *e, &back);
  EXPECT_EQ(back.message(), "level 0");
}

}  // namespace
}  // namespace temporal::converter

// Writes the seed corpora of the fuzz targets: small, valid inputs of each kind.
//   fuzz_make_corpus <dir>   writes <dir>/<target>/<name>.pb
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <google/protobuf/struct.pb.h>

#include "converter/proto.h"
#include "converter/proto.h"
#include "temporal/converter/protobuf.h"

namespace {

namespace conv = temporal::converter;
namespace fs = std::filesystem;

fs::path g_root;

void write(const std::string& target, const std::string& name, const google::protobuf::Message& m) {
  fs::create_directories(g_root / target);
  std::ofstream(g_root / target / (name + ".pb"), std::ios::binary) << m.SerializeAsString();
}

void payloads() {
  const std::string t = "fuzz_payload_decode";
  write(t, "json_string", conv::to_proto(conv::to_payload(std::string("Temporal"))));
  write(t, "json_int", conv::to_proto(conv::to_payload(42)));
  write(t, "json_double", conv::to_proto(conv::to_payload(-2.5)));
  write(t, "json_object", conv::to_proto(conv::to_payload(nlohmann::json{{"a", {1, 2.5, true, nullptr, "x"}}})));
  write(t, "json_list", conv::to_proto(conv::to_payload(std::vector<std::string>{"a", "b"})));
  write(t, "null", conv::to_proto(conv::to_payload(nullptr)));
  write(t, "bytes", conv::to_proto(conv::to_payload(conv::Bytes{std::byte{0}, std::byte{0xff}})));
  temporal::api::common::v1::WorkflowExecution we;
  we.set_workflow_id("wf");
  we.set_run_id("run");
  write(t, "json_protobuf", conv::to_proto(conv::to_payload(we)));
  conv::Payload bin{{{"encoding", conv::encodings::kBinaryProtobuf}, {"messageType", we.GetTypeName()}},
                    we.SerializeAsString()};
  write(t, "binary_protobuf", conv::to_proto(bin));
  google::protobuf::Struct st;
  (*st.mutable_fields())["k"].mutable_list_value()->add_values()->set_number_value(1);
  write(t, "json_protobuf_struct", conv::to_proto(conv::to_payload(st)));
  write(t, "no_encoding", conv::to_proto(conv::Payload{{}, "\"x\""}));
}

void failures() {
  const std::string t = "fuzz_failure_convert";
  conv::DataConverter dc;
  auto cause = std::make_shared<temporal::ApplicationFailure>(
      "inner", temporal::ApplicationFailure::Info{.type = "Inner", .details = conv::to_payloads(std::string("d"), 1)});
  temporal::ApplicationFailure app("outer",
                                   {.type = "MyError",
                                    .non_retryable = true,
                                    .next_retry_delay = std::chrono::milliseconds(1500),
                                    .category = temporal::ApplicationErrorCategory::kBenign},
                                   "stack", cause);
  conv::apifailure::Failure f;
  conv::failure_to_proto(dc, app, &f);
  write(t, "application_with_cause", f);

  conv::DataConverter encoded;
  encoded.failure.encode_common_attributes = true;
  f.Clear();
  conv::failure_to_proto(encoded, app, &f);
  write(t, "encoded_attributes", f);

  f.Clear();
  conv::failure_to_proto(dc, temporal::TimeoutFailure("timeout", temporal::TimeoutType::kHeartbeat, conv::to_payloads(7)),
                         &f);
  write(t, "timeout", f);
  f.Clear();
  conv::failure_to_proto(dc, temporal::CanceledFailure("canceled", conv::to_payloads(std::string("why"))), &f);
  write(t, "canceled", f);
  f.Clear();
  conv::failure_to_proto(dc, temporal::TerminatedFailure("terminated"), &f);
  write(t, "terminated", f);
  f.Clear();
  conv::failure_to_proto(dc, temporal::ServerFailure("server", true), &f);
  write(t, "server", f);

  f.Clear();
  f.set_message("activity failed");
  auto* a = f.mutable_activity_failure_info();
  a->mutable_activity_type()->set_name("greet");
  a->set_activity_id("1");
  a->set_retry_state(temporal::api::enums::v1::RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
  a->set_scheduled_event_id(5);
  f.mutable_cause()->set_message("boom");
  f.mutable_cause()->mutable_application_failure_info()->set_type("Error");
  write(t, "activity_with_cause", f);

  f.Clear();
  f.set_message("child failed");
  auto* c = f.mutable_child_workflow_execution_failure_info();
  c->set_namespace_("default");
  c->mutable_workflow_execution()->set_workflow_id("child");
  c->mutable_workflow_type()->set_name("childWorkflow");
  f.mutable_cause()->set_message("terminated");
  f.mutable_cause()->mutable_terminated_failure_info();
  write(t, "child_workflow", f);

  f.Clear();
  f.set_message("reset");
  f.mutable_reset_workflow_failure_info();
  write(t, "reset", f);
}

void search_attributes() {
  const std::string t = "fuzz_search_attributes";
  using temporal::SearchAttributeValue;
  temporal::SearchAttributes attrs{
      {"CppText", SearchAttributeValue::text("hello world")},
      {"CppKeyword", SearchAttributeValue::keyword("gold")},
      {"CppInt", SearchAttributeValue::integer(-7)},
      {"CppDouble", SearchAttributeValue::floating(1.25)},
      {"CppBool", SearchAttributeValue::boolean(true)},
      {"CppDatetime", SearchAttributeValue::datetime(SearchAttributeValue::Time(std::chrono::seconds(1700000000)) +
                                                      std::chrono::milliseconds(250))},
      {"CppKeywordList", SearchAttributeValue::keyword_list({"a", "b"})},
  };
  temporal::api::common::v1::SearchAttributes wire;
  temporal::converter::encode_search_attributes(attrs, &wire);
  write(t, "all_types", wire);
  for (const auto& [name, value] : attrs) {
    temporal::api::common::v1::SearchAttributes one;
    temporal::converter::encode_search_attributes({{name, value}}, &one);
    write(t, name, one);
  }
  // Untyped values, as older SDKs wrote them (single values in one-element arrays), and an offset.
  temporal::api::common::v1::SearchAttributes untyped;
  auto& fields = *untyped.mutable_indexed_fields();
  (*fields["Untyped"].mutable_metadata())["encoding"] = "json/plain";
  fields["Untyped"].set_data("[\"x\"]");
  (*fields["Typed"].mutable_metadata())["type"] = "Int";
  fields["Typed"].set_data("[3]");
  (*fields["Offset"].mutable_metadata())["type"] = "Datetime";
  fields["Offset"].set_data("\"2024-02-29T23:59:59.123456789+05:30\"");
  write(t, "untyped_and_offset", untyped);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_corpus <dir>\n";
    return 2;
  }
  g_root = argv[1];
  payloads();
  failures();
  search_attributes();
  return 0;
}

// Compiled (never run) with -Wall -Wextra -Wpedantic -Werror by the ctest
// compile.option_structs_without_warnings: every public header, and every public option struct
// filled the README's way, with a designated initializer naming one field. GCC's
// -Wmissing-field-initializers (in -Wextra) warns about each member left out that has no default
// member initializer, so this fails when a struct gains a member without one.
#include <google/protobuf/duration.pb.h>

#include <chrono>
#include <string>

#include "temporal/activity/activity.h"
#include "temporal/async/cancellation.h"
#include "temporal/async/task.h"
#include "temporal/client.h"
#include "temporal/client/async_activity.h"
#include "temporal/client/client.h"
#include "temporal/client/connection.h"
#include "temporal/client/operator_client.h"
#include "temporal/client/schedule_client.h"
#include "temporal/client/workflow_client.h"
#include "temporal/common/errors.h"
#include "temporal/common/function_traits.h"
#include "temporal/common/logger.h"
#include "temporal/common/retry_policy.h"
#include "temporal/common/search_attributes.h"
#include "temporal/converter/data_converter.h"
#include "temporal/converter/payload.h"
#include "temporal/converter/protobuf.h"
#include "temporal/envconfig/envconfig.h"
#include "temporal/testing/activity_environment.h"
#include "temporal/testing/dev_server.h"
#include "temporal/testing/time_skipping.h"
#include "temporal/version.h"
#include "temporal/worker/replayer.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/definition.h"
#include "temporal/workflow/workflow.h"

using namespace std::chrono_literals;
namespace client = temporal::client;
namespace wf = temporal::workflow;

// Each struct with exactly one field named; returned so that nothing is unused.
inline auto all_option_structs() {
  return std::make_tuple(
      // converter
      temporal::converter::Payload{.data = "x"},
      temporal::converter::FailureConverterOptions{.encode_common_attributes = true},
      temporal::converter::DataConverter{.failure = {.encode_common_attributes = true}},
      temporal::converter::BinaryProtobuf<google::protobuf::Duration>{.message = {}},
      // common
      temporal::RetryPolicy{.maximum_attempts = 3},
      temporal::SearchAttributeValue{.value = std::string("gold")},
      temporal::ApplicationFailureOptions{.type = "MyError"},
      temporal::ApplicationFailure::Info{.non_retryable = true},
      temporal::ActivityFailure::Info{.activity_id = "a"},
      temporal::ChildWorkflowFailure::Info{.workflow_id = "w"},
      // client
      client::TlsOptions{.server_name_override = "example"},
      client::RetryOptions{.max_attempts = 2},
      client::KeepAliveOptions{.interval = 10s},
      client::HttpConnectProxyOptions{.target_host = "proxy:8080"},
      client::ConnectionOptions{.address = "localhost:7233"},
      client::CallOptions{.timeout = 5s},
      client::ClientOptions{.namespace_name = "default"},
      client::Priority{.priority_key = 1},
      client::WorkflowOptions{.task_queue = "q"},
      client::WorkflowExecution{.workflow_id = "w"},
      client::ResultOptions{.timeout = 5s},
      client::UpdateOptions{.update_id = "u"},
      client::ActivityId{.workflow_id = "w"},
      client::ScheduleIntervalSpec{.every = 1h},
      client::ScheduleRange{.start = 1},
      client::ScheduleCalendarSpec{.comment = "c"},
      client::ScheduleSpec{.cron_strings = {"* * * * *"}},
      client::ScheduleActionStartWorkflow{.workflow_type = "w"},
      client::SchedulePolicies{.catchup_window = 1min},
      client::ScheduleState{.paused = true},
      client::Schedule{.state = {.note = "n"}},
      client::ScheduleBackfill{.overlap = client::ScheduleOverlapPolicy::kUnspecified},
      client::ScheduleOptions{.memo = {}},
      client::ScheduleUpdate{.memo = {}},
      // workflow, activity, worker
      wf::ActivityOptions{.start_to_close_timeout = 10s},
      wf::ContinueAsNewOptions{.task_queue = "q"},
      wf::Info{.workflow_id = "w"},
      temporal::activity::Info{.activity_id = "a"},
      temporal::worker::WorkerOptions{.task_queue = "q"},
      temporal::worker::ReplayerOptions{.namespace_name = "default"},
      // envconfig
      temporal::envconfig::DataSource{.path = "/tmp/ca.pem"},
      temporal::envconfig::ClientConfigTls{.disabled = true},
      temporal::envconfig::ClientConfigCodec{.endpoint = "http://codec"},
      temporal::envconfig::ClientConfigProfile{.address = "localhost:7233"},
      temporal::envconfig::ClientConfig{.profiles = {}},
      temporal::envconfig::LoadOptions{.profile = "default"},
      // testing
      temporal::testing::DevServerOptions{.port = 7233},
      temporal::testing::TimeSkippingEnvironmentOptions{.log_file = "/tmp/ts.log"},
      temporal::testing::ActivityEnvironmentOptions{.info = temporal::activity::Info{.activity_type = "a"}});
}

int compiled_only() { return static_cast<int>(std::tuple_size_v<decltype(all_option_structs())>); }

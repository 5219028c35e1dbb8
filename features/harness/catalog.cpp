// Every scenario folder of github.com/temporalio/features (features/<area>/<name>, and the Go
// regression tests under bugs/go/), with where it stands here: implemented in
// features/<area>/<name>/feature.cpp, waiting for an SDK feature that is not built yet, or not
// applicable to this SDK. The runner prints one line for each.
#include "harness/harness.h"

namespace temporal::features {

namespace scenarios {
Scenario activity_basic_no_workflow_timeout();
Scenario activity_heartbeating();
Scenario activity_retry_on_error();
Scenario activity_running_concurrently();
Scenario activity_shutdown();
Scenario client_http_proxy();
Scenario client_http_proxy_auth();
Scenario continue_as_new_continue_as_same();
Scenario continue_as_new_signals_block_continue_as_new();
Scenario continue_as_new_updates_do_not_block_continue_as_new();
Scenario data_converter_binary();
Scenario data_converter_binary_protobuf();
Scenario data_converter_codec();
Scenario data_converter_empty();
Scenario data_converter_failure();
Scenario data_converter_json();
Scenario data_converter_json_protobuf();
Scenario eager_activity_non_remote_activities_worker();
Scenario query_successful_query();
Scenario query_timeout_due_to_no_active_workers();
Scenario query_unexpected_arguments();
Scenario query_unexpected_query_type_name();
Scenario query_unexpected_return_type();
Scenario schedule_backfill();
Scenario schedule_basic();
Scenario schedule_cron();
Scenario schedule_duplicate_error();
Scenario schedule_pause();
Scenario schedule_trigger();
Scenario search_attributes_set();
Scenario signal_basic();
Scenario signal_external();
Scenario signal_prevent_close();
Scenario signal_signal_with_start();
Scenario signal_workflow_to_workflow();
Scenario update_activities();
Scenario update_async_accepted();
Scenario update_basic();
Scenario update_basic_async();
Scenario update_client_interceptor();
Scenario update_deduplication();
Scenario update_non_durable_reject();
Scenario update_self();
Scenario update_task_failure();
Scenario update_validation_replay();
Scenario update_worker_restart();
}  // namespace scenarios

namespace {

CatalogEntry implemented(std::string dir, Scenario (*make)()) {
  return CatalogEntry{std::move(dir), Status::kImplemented, {}, make};
}
CatalogEntry not_built(std::string dir, std::string feature) {
  return CatalogEntry{std::move(dir), Status::kNotBuilt, std::move(feature), nullptr};
}
CatalogEntry not_applicable(std::string dir, std::string why) {
  return CatalogEntry{std::move(dir), Status::kNotApplicable, std::move(why), nullptr};
}

const char* const kCancellationScopes = "cancellation scopes (cancelling one activity or child from workflow code)";
const char* const kChildWorkflows = "child workflows";
const char* const kLocalActivities = "local activities";
const char* const kBuildIds =
    "legacy build-id based versioning (task queue version sets), deprecated by the server in favour of worker "
    "deployments; this SDK will not implement it";
const char* const kDeployments = "worker deployment versioning";
const char* const kSnippet = "a documentation snippet for the docs site, not a scenario: it has no checks to pass";

}  // namespace

const std::vector<CatalogEntry>& catalog() {
  using namespace scenarios;
  static const std::vector<CatalogEntry> entries = {
      implemented("activity/basic_no_workflow_timeout", activity_basic_no_workflow_timeout),
      not_built("activity/cancel_abandon", kCancellationScopes),
      not_built("activity/cancel_try_cancel", kCancellationScopes),
      not_built("activity/cancel_wait_cancel", kCancellationScopes),
      implemented("activity/heartbeating", activity_heartbeating),
      implemented("activity/retry_on_error", activity_retry_on_error),
      implemented("activity/running_concurrently", activity_running_concurrently),
      implemented("activity/shutdown", activity_shutdown),

      not_applicable("bugs/go/activity_start_race", "a regression test of the Go SDK's own code (Go only)"),
      not_applicable("bugs/go/child_workflow_cancel_panic", "a regression test of the Go SDK's own code (Go only)"),

      not_applicable("build_id_versioning/activity_and_child_on_correct_version", kBuildIds),
      not_applicable("build_id_versioning/continues_as_new_on_correct_version", kBuildIds),
      not_applicable("build_id_versioning/only_appropriate_worker_gets_task", kBuildIds),
      not_applicable("build_id_versioning/unversioned_worker_gets_unversioned_task", kBuildIds),
      not_applicable("build_id_versioning/unversioned_worker_no_task", kBuildIds),
      not_applicable("build_id_versioning/versions_added_while_worker_polling", kBuildIds),

      not_built("child_workflow/cancel_abandon", kChildWorkflows),
      not_built("child_workflow/cancel_try_cancel", kChildWorkflows),
      not_built("child_workflow/cancel_wait_completed", kChildWorkflows),
      not_built("child_workflow/cancel_wait_requested", kChildWorkflows),
      not_built("child_workflow/handle", kChildWorkflows),
      not_built("child_workflow/result", kChildWorkflows),
      not_built("child_workflow/retry", kChildWorkflows),
      not_built("child_workflow/signal", kChildWorkflows),
      not_built("child_workflow/start", kChildWorkflows),
      not_built("child_workflow/throws_on_execute", kChildWorkflows),
      not_built("child_workflow/throws_on_start", kChildWorkflows),
      not_built("child_workflow/throws_on_termination", kChildWorkflows),
      not_built("child_workflow/throws_on_timeout", kChildWorkflows),

      implemented("client/http_proxy", client_http_proxy),
      implemented("client/http_proxy_auth", client_http_proxy_auth),
      not_applicable("client/http_proxy_nativeconn",
                     "tests the TypeScript SDK's NativeConnection (its Rust-core connection); this SDK has one "
                     "connection type, covered by client/http_proxy"),
      not_applicable("client/http_proxy_nativeconn_auth",
                     "tests the TypeScript SDK's NativeConnection (its Rust-core connection); this SDK has one "
                     "connection type, covered by client/http_proxy_auth"),

      implemented("continue_as_new/continue_as_same", continue_as_new_continue_as_same),
      implemented("continue_as_new/signals_block_continue_as_new", continue_as_new_signals_block_continue_as_new),
      implemented("continue_as_new/updates_do_not_block_continue_as_new",
                  continue_as_new_updates_do_not_block_continue_as_new),

      implemented("data_converter/binary", data_converter_binary),
      implemented("data_converter/binary_protobuf", data_converter_binary_protobuf),
      implemented("data_converter/codec", data_converter_codec),
      implemented("data_converter/empty", data_converter_empty),
      implemented("data_converter/failure", data_converter_failure),
      implemented("data_converter/json", data_converter_json),
      implemented("data_converter/json_protobuf", data_converter_json_protobuf),

      not_applicable("deployment_versioning/aa_clean_old_deployments",
                     "housekeeping of the Temporal Cloud namespace the official suite runs against, not a scenario"),
      not_built("deployment_versioning/routing_auto_upgrade", kDeployments),
      not_built("deployment_versioning/routing_pinned", kDeployments),
      not_built("deployment_versioning/routing_with_override", kDeployments),
      not_built("deployment_versioning/routing_with_ramp", kDeployments),

      implemented("eager_activity/non_remote_activities_worker", eager_activity_non_remote_activities_worker),
      not_built("eager_workflow/successful_start",
                "eager workflow start on the worker (the client can ask for it, but no worker takes the first "
                "workflow task from the start response)"),

      not_built("local_activity/backoff_with_persistent_timer", kLocalActivities),
      not_built("local_activity/cancel_abandon", kLocalActivities),
      not_built("local_activity/cancel_failing", kLocalActivities),
      not_built("local_activity/cancel_try_cancel", kLocalActivities),
      not_built("local_activity/cancel_wait_completed", kLocalActivities),
      not_built("local_activity/complete_after_shutdown", kLocalActivities),
      not_built("local_activity/complete_eventually", kLocalActivities),
      not_built("local_activity/complete_immediately", kLocalActivities),
      not_built("local_activity/concurrent", kLocalActivities),
      not_built("local_activity/non_retryable_error_from_activity", kLocalActivities),
      not_built("local_activity/non_retryable_error_in_options", kLocalActivities),
      not_built("local_activity/one_success_one_fail", kLocalActivities),
      not_built("local_activity/retry_on_error", kLocalActivities),
      not_built("local_activity/serial", kLocalActivities),
      not_built("local_activity/shutdown_sends_cancellation", kLocalActivities),

      not_built("nexus/sync_success", "Nexus operations (handlers on the worker, calls from workflows)"),

      implemented("query/successful_query", query_successful_query),
      implemented("query/timeout_due_to_no_active_workers", query_timeout_due_to_no_active_workers),
      implemented("query/unexpected_arguments", query_unexpected_arguments),
      implemented("query/unexpected_query_type_name", query_unexpected_query_type_name),
      implemented("query/unexpected_return_type", query_unexpected_return_type),

      not_built("reset/reset_and_delete",
                "resetting and deleting workflow executions from the client (ResetWorkflowExecution, "
                "DeleteWorkflowExecution)"),

      implemented("schedule/backfill", schedule_backfill),
      implemented("schedule/basic", schedule_basic),
      implemented("schedule/cron", schedule_cron),
      implemented("schedule/duplicate_error", schedule_duplicate_error),
      implemented("schedule/pause", schedule_pause),
      implemented("schedule/trigger", schedule_trigger),

      implemented("search_attributes/set", search_attributes_set),
      not_built("search_attributes/upsert", "upserting search attributes from workflow code"),

      not_built("signal/activities", "asynchronous signal handlers (a signal handler that awaits activities)"),
      implemented("signal/basic", signal_basic),
      not_built("signal/child_workflow", kChildWorkflows),
      implemented("signal/external", signal_external),
      implemented("signal/prevent_close", signal_prevent_close),
      implemented("signal/signal_with_start", signal_signal_with_start),
      implemented("signal/workflow_to_workflow", signal_workflow_to_workflow),

      not_applicable("snippets/external_storage", kSnippet),
      not_applicable("snippets/plugins", kSnippet),
      not_applicable("snippets/worker", kSnippet),
      not_applicable("snippets/worker_tuner", kSnippet),

      not_built("telemetry/metrics", "worker metrics (the SDK metric names on a meter)"),

      implemented("update/activities", update_activities),
      implemented("update/async_accepted", update_async_accepted),
      implemented("update/basic", update_basic),
      implemented("update/basic_async", update_basic_async),
      implemented("update/client_interceptor", update_client_interceptor),
      implemented("update/deduplication", update_deduplication),
      implemented("update/non_durable_reject", update_non_durable_reject),
      implemented("update/self", update_self),
      implemented("update/task_failure", update_task_failure),
      implemented("update/validation_replay", update_validation_replay),
      implemented("update/worker_restart", update_worker_restart),

      not_built("worker_shutdown/poll_complete_on_shutdown",
                "run variants: two dev servers with frontend.enableCancelWorkerPollsOnShutdown on and off, and a "
                "worker that reads the namespace capability workerPollCompleteOnShutdown"),
  };
  return entries;
}

}  // namespace temporal::features

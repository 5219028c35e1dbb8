#include "temporal/worker/worker.h"

#include <condition_variable>

#include "worker/activity_worker.h"
#include "worker/workflow_worker.h"

namespace temporal::worker {

struct Worker::Impl {
  Impl(client::Client c, WorkerOptions o) : client(std::move(c)), options(std::move(o)) {}
  client::Client client;
  WorkerOptions options;
  std::map<std::string, workflow::WorkflowDefinition> workflows;
  std::map<std::string, ActivityFunction> activities;
  std::unique_ptr<detail::WorkflowWorker> workflow_worker;
  std::unique_ptr<detail::ActivityWorker> activity_worker;
  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  bool stopped = false;
  std::exception_ptr fatal;

  void on_fatal(std::exception_ptr e) {
    std::lock_guard lock(mu);
    if (!fatal) fatal = e;
    cv.notify_all();
  }
};

Worker::Worker(client::Client client, WorkerOptions options) {
  if (options.task_queue.empty()) {
    throw InvalidArgumentError("task_queue", "WorkerOptions.task_queue is required: name the task queue to poll");
  }
  if (options.max_concurrent_activities < 1 || options.max_concurrent_workflow_tasks < 1) {
    throw InvalidArgumentError("max_concurrent_activities", "WorkerOptions concurrency limits must be at least 1");
  }
  impl_ = std::make_unique<Impl>(std::move(client), std::move(options));
}

Worker::~Worker() { shutdown(); }

Worker& Worker::register_workflow(workflow::WorkflowDefinition definition) {
  if (impl_->started) throw UsageError("register workflows before Worker::start");
  if (definition.name.empty()) throw InvalidArgumentError("workflow_type", "a workflow type needs a name");
  if (impl_->workflows.count(definition.name)) {
    throw InvalidArgumentError("workflow_type", "workflow type '" + definition.name +
                                                    "' is already registered on this worker; register each type once");
  }
  auto name = definition.name;
  impl_->workflows.emplace(std::move(name), std::move(definition));
  return *this;
}

Worker& Worker::register_activity_function(std::string name, ActivityFunction fn) {
  if (impl_->started) throw UsageError("register activities before Worker::start");
  if (name.empty()) throw InvalidArgumentError("activity_type", "an activity type needs a name");
  if (impl_->activities.count(name)) {
    throw InvalidArgumentError("activity_type", "activity type '" + name +
                                                    "' is already registered on this worker; register each type once");
  }
  impl_->activities.emplace(std::move(name), std::move(fn));
  return *this;
}

void Worker::start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->started) throw UsageError("Worker::start called twice");
  impl_->started = true;
  // Unset: the connection's logger (which defaults to stderr).
  if (!impl_->options.logger) impl_->options.logger = impl_->client.core()->connection.options().logger;
  auto* impl = impl_.get();
  auto on_fatal = [impl](std::exception_ptr e) { impl->on_fatal(e); };
  if (!impl_->workflows.empty()) {
    const auto& core = impl_->client.core();
    detail::WorkflowWorkerConfig config;
    config.namespace_name = core->namespace_name;
    config.identity = impl_->options.identity.empty() ? core->identity : impl_->options.identity;
    config.options = impl_->options;
    config.data_converter = core->data_converter;
    config.workflows = impl_->workflows;
    config.logger = impl_->options.logger;
    impl_->workflow_worker = std::make_unique<detail::WorkflowWorker>(detail::grpc_workflow_task_client(core),
                                                                      std::move(config), on_fatal);
    impl_->workflow_worker->start();
  }
  if (!impl_->activities.empty() && !impl_->options.no_activities) {
    impl_->activity_worker = std::make_unique<detail::ActivityWorker>(impl_->client.core(), impl_->options,
                                                                      impl_->activities, on_fatal);
    impl_->activity_worker->start();
  }
}

void Worker::run() {
  start();
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stopped || impl_->fatal; });
  auto fatal = impl_->fatal;
  lock.unlock();
  if (fatal) {
    shutdown();
    std::rethrow_exception(fatal);
  }
}

void Worker::shutdown() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  // Workflows first: ShutdownWorker makes the server send this worker's sticky work to the normal
  // queue, so the workflow tasks that the finishing activities cause go to another worker at once
  // instead of waiting out the sticky schedule-to-start timeout.
  if (impl_->workflow_worker) impl_->workflow_worker->shutdown();
  if (impl_->activity_worker) impl_->activity_worker->shutdown();
  impl_->cv.notify_all();
}

std::exception_ptr Worker::fatal_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->fatal;
}

const WorkerOptions& Worker::options() const { return impl_->options; }

}  // namespace temporal::worker

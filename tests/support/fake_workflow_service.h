// FakeWorkflowService: the server side of the workflow worker, in memory, for unit tests of worker
// logic (polling, the run cache, eviction, shutdown, the deadlock detector). Tests queue tasks and
// read what the worker answered. It is not Temporal: it checks nothing a server would.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/history_builder.h"
#include "worker/workflow_task_client.h"

namespace temporal::test {

namespace wsv1 = ::temporal::api::workflowservice::v1;

class FakeWorkflowService final : public worker::detail::WorkflowTaskClient {
 public:
  struct Answer {
    std::string task_token;
    std::optional<wsv1::RespondWorkflowTaskCompletedRequest> completed;
    std::optional<wsv1::RespondWorkflowTaskFailedRequest> failed;
    std::optional<wsv1::RespondQueryTaskCompletedRequest> query;
  };

  /// A workflow task for the run of `h`, carrying its events after `after_event_id` (0: all),
  /// started at the history's last event. `token` names the task in answers.
  static wsv1::PollWorkflowTaskQueueResponse task(const HistoryBuilder& h, const std::string& workflow_type,
                                                  const std::string& run_id, int64_t after_event_id,
                                                  const std::string& token) {
    wsv1::PollWorkflowTaskQueueResponse t;
    t.set_task_token(token);
    t.mutable_workflow_execution()->set_workflow_id("wf-" + run_id);
    t.mutable_workflow_execution()->set_run_id(run_id);
    t.mutable_workflow_type()->set_name(workflow_type);
    t.set_attempt(1);
    t.set_started_event_id(h.last_event_id());
    for (const auto& e : h.history().events()) {
      if (e.event_id() > after_event_id) *t.mutable_history()->add_events() = e;
    }
    return t;
  }

  /// Queues a task for the next poll (of any queue, normal or sticky).
  void push(wsv1::PollWorkflowTaskQueueResponse t) {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(t));
    cv_.notify_all();
  }
  /// The full history GetWorkflowExecutionHistory returns for `run_id`.
  void set_history(const std::string& run_id, const HistoryBuilder& h) {
    std::lock_guard lock(mu_);
    histories_[run_id] = h.history();
  }
  /// Makes every poll fail with `code` (e.g. NOT_FOUND: the namespace is gone).
  void fail_polls(grpc::StatusCode code) {
    std::lock_guard lock(mu_);
    poll_failure_ = code;
    cv_.notify_all();
  }

  /// Waits up to `timeout` for the answer to task `token`.
  std::optional<Answer> answer(const std::string& token, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    std::optional<Answer> found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& a : answers_) {
        if (a.task_token == token) {
          found = a;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  int history_fetches() const {
    std::lock_guard lock(mu_);
    return history_fetches_;
  }
  std::vector<std::string> shutdown_sticky_queues() const {
    std::lock_guard lock(mu_);
    return shutdown_sticky_queues_;
  }

  // ---- WorkflowTaskClient ----
  rpc::Result<wsv1::PollWorkflowTaskQueueResponse> poll(wsv1::PollWorkflowTaskQueueRequest,
                                                        std::shared_ptr<rpc::CallCancellation> cancel) override {
    rpc::Result<wsv1::PollWorkflowTaskQueueResponse> r;
    std::unique_lock lock(mu_);
    // A short long poll: empty answers come back often, so cancellation is noticed quickly.
    cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return !tasks_.empty() || poll_failure_; });
    if (cancel && cancel->cancelled()) {
      r.status.code = grpc::StatusCode::CANCELLED;
      return r;
    }
    if (poll_failure_) {
      r.status.code = *poll_failure_;
      r.status.message = "namespace default is not found";
      return r;
    }
    if (!tasks_.empty()) {
      r.value = std::move(tasks_.front());
      tasks_.pop_front();
    }
    return r;
  }
  rpc::Result<wsv1::GetWorkflowExecutionHistoryResponse> history(wsv1::GetWorkflowExecutionHistoryRequest request) override {
    rpc::Result<wsv1::GetWorkflowExecutionHistoryResponse> r;
    std::lock_guard lock(mu_);
    ++history_fetches_;
    auto it = histories_.find(request.execution().run_id());
    if (it == histories_.end()) {
      r.status.code = grpc::StatusCode::NOT_FOUND;
      r.status.message = "no history";
      return r;
    }
    *r.value.mutable_history() = it->second;
    return r;
  }
  rpc::Status complete(wsv1::RespondWorkflowTaskCompletedRequest request) override {
    return record(Answer{request.task_token(), request, std::nullopt, std::nullopt});
  }
  rpc::Status fail(wsv1::RespondWorkflowTaskFailedRequest request) override {
    return record(Answer{request.task_token(), std::nullopt, request, std::nullopt});
  }
  rpc::Status answer_query(wsv1::RespondQueryTaskCompletedRequest request) override {
    return record(Answer{request.task_token(), std::nullopt, std::nullopt, request});
  }
  rpc::Status shutdown_worker(wsv1::ShutdownWorkerRequest request) override {
    std::lock_guard lock(mu_);
    shutdown_sticky_queues_.push_back(request.sticky_task_queue());
    return {};
  }
  [[noreturn]] void throw_status(const rpc::Status& status, const std::string& operation) const override {
    throw RpcError(static_cast<int>(status.code), operation + ": " + status.message, status.message);
  }

 private:
  rpc::Status record(Answer a) {
    std::lock_guard lock(mu_);
    answers_.push_back(std::move(a));
    cv_.notify_all();
    return {};
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<wsv1::PollWorkflowTaskQueueResponse> tasks_;
  std::map<std::string, ::temporal::api::history::v1::History> histories_;
  std::vector<Answer> answers_;
  std::optional<grpc::StatusCode> poll_failure_;
  int history_fetches_ = 0;
  std::vector<std::string> shutdown_sticky_queues_;
};

}  // namespace temporal::test

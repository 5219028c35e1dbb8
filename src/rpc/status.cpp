#include "rpc/status.h"

#include <google/protobuf/any.pb.h>

#include "google/rpc/status.pb.h"
#include "temporal/api/errordetails/v1/message.pb.h"
#include "temporal/common/errors.h"

namespace temporal::rpc {

namespace ed = ::temporal::api::errordetails::v1;

namespace {

bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

const char* code_name(grpc::StatusCode c) {
  switch (c) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNRECOGNIZED";
  }
}

}  // namespace

std::vector<google::protobuf::Any> status_details(const Status& status) {
  if (status.details.empty()) return {};
  google::rpc::Status st;
  if (!st.ParseFromString(status.details)) return {};
  return {st.details().begin(), st.details().end()};
}

bool is_namespace_not_found(const Status& status) {
  if (status_detail<ed::NamespaceNotFoundFailure>(status)) return true;
  return status.code == grpc::StatusCode::NOT_FOUND && contains(status.message, "amespace") &&
         contains(status.message, "not found");
}

std::vector<Status> failed_operations(const Status& status) {
  std::vector<Status> out;
  const auto mf = status_detail<ed::MultiOperationExecutionFailure>(status);
  if (!mf) return out;
  for (const auto& os : mf->statuses()) {
    if (os.code() == 0) continue;
    if (os.details_size() == 0 && os.code() == static_cast<int>(grpc::StatusCode::ABORTED)) continue;
    google::rpc::Status inner;
    inner.set_code(os.code());
    inner.set_message(os.message());
    for (const auto& d : os.details()) *inner.add_details() = d;
    out.push_back(Status{static_cast<grpc::StatusCode>(os.code()), os.message(), inner.SerializeAsString()});
  }
  return out;
}

std::string describe_status(const Status& status, const std::string& address) {
  const std::string& m = status.message;
  const std::string where = address.empty() ? std::string("the server") : address;
  if (status.code == grpc::StatusCode::UNAVAILABLE || status.code == grpc::StatusCode::UNKNOWN ||
      status.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    if (contains(m, "CERTIFICATE_VERIFY_FAILED") || contains(m, "certificate verify failed")) {
      return "TLS handshake with " + where +
             " failed: the server's certificate is not trusted or has expired; check tls.server_root_ca_cert "
             "and the certificate's validity (gRPC: " + m + ")";
    }
    if (contains(m, "Peer name") || contains(m, "hostname mismatch") || contains(m, "name verification")) {
      return "TLS handshake with " + where +
             " failed: the certificate does not match the server name; set tls.server_name_override "
             "to the name in the certificate (gRPC: " + m + ")";
    }
    if (contains(m, "WRONG_VERSION_NUMBER") || contains(m, "wrong version number")) {
      return "TLS handshake with " + where +
             " failed: the server does not speak TLS; connect without tls (gRPC: " + m + ")";
    }
    if (contains(m, "CERTIFICATE_REQUIRED") || contains(m, "certificate required") ||
        contains(m, "SSLV3_ALERT_HANDSHAKE_FAILURE") || contains(m, "alert")) {
      return "TLS handshake with " + where +
             " failed: the server rejected the connection; it may require a client certificate (mTLS): set "
             "tls.client_cert and tls.client_private_key (gRPC: " + m + ")";
    }
    if (contains(m, "Ssl handshake failed") || contains(m, "SSL_ERROR") || contains(m, "Handshake failed") ||
        contains(m, "handshake")) {
      return "TLS handshake with " + where + " failed (gRPC: " + m + ")";
    }
    if (contains(m, "Connection refused") || contains(m, "failed to connect to all addresses") ||
        contains(m, "DNS resolution failed") || contains(m, "Name or service not known") ||
        contains(m, "No address") || contains(m, "Socket closed") || contains(m, "Connection reset")) {
      std::string hint = contains(m, "DNS") ? "the host name does not resolve"
                         : contains(m, "refused") ? "connection refused"
                                                   : "the connection failed";
      std::string extra;
      if (contains(m, "Socket closed") || contains(m, "Connection reset")) {
        extra = "; if the server requires TLS, set tls";
      }
      return "cannot reach the Temporal server at " + where + ": " + hint +
             "; check the address and port and that the server is running" + extra + " (gRPC: " + m + ")";
    }
    if (status.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
      if (status.connected) {
        return "the call to " + where +
               " ran past its deadline: the server was reachable but did not answer in time (gRPC: " + m + ")";
      }
      return "the call to " + where +
             " ran past its deadline without a working connection: the server could not be reached; check the "
             "address and that the server is running (gRPC: " + m + ")";
    }
  }
  // A gRPC server never answers HTTP 400; a proxy does, and a TLS-terminating one (nginx's
  // `ssl_verify_client on`) finishes the handshake and then answers 400 to every call that came
  // without a client certificate it trusts. gRPC reports that as INTERNAL.
  if (status.code == grpc::StatusCode::INTERNAL && contains(m, "http2 header with status: 400")) {
    return "the server at " + where +
           " (or a proxy in front of it) answered HTTP 400 instead of gRPC; a TLS-terminating proxy does this when "
           "it requires a client certificate that was not sent or is not trusted (mTLS): set tls.client_cert and "
           "tls.client_private_key to a certificate its CA trusts (gRPC: " + m + ")";
  }
  // gRPC's own size check, on either side: retrying sends the same bytes again, so say what to change.
  if (status.code == grpc::StatusCode::RESOURCE_EXHAUSTED && contains(m, "larger than max")) {
    return "a message of this call is larger than the gRPC size limit (ConnectionOptions.max_message_bytes on "
           "this side, 128 MiB by default; the server has its own); send less data per call, or large data by "
           "reference (gRPC: " + m + ")";
  }
  if (status.code == grpc::StatusCode::UNAUTHENTICATED) {
    return "the server at " + where + " rejected the credentials: check the API key or client certificate (gRPC: " +
           m + ")";
  }
  if (status.code == grpc::StatusCode::PERMISSION_DENIED) {
    return "permission denied by " + where + ": the credentials lack access to this namespace or operation (gRPC: " +
           m + ")";
  }
  return std::string(code_name(status.code)) + ": " + m;
}

void throw_status(const Status& status, const ErrorContext& ctx) {
  const int code = static_cast<int>(status.code);
  const std::string op = ctx.operation.empty() ? std::string("call") : ctx.operation;
  switch (status.local) {
    case Status::Local::kClosed:
      throw ConnectionClosedError(op + " failed: the connection to " +
                                  (ctx.address.empty() ? std::string("the server") : ctx.address) +
                                  " was closed (Connection::close()); make a new Connection to talk to the server");
    case Status::Local::kCancelled:
      throw CallCancelledError(op + " was cancelled: the caller's CancellationToken was cancelled (" + status.message +
                               ")");
    case Status::Local::kRejected:
      if (status.error) std::rethrow_exception(status.error);
      throw InvalidArgumentError("call", op + " was not sent: " + status.message);
    case Status::Local::kNone:
      break;
  }
  if (status.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    throw DeadlineExceededError(op + " failed: " + describe_status(status, ctx.address), status.message,
                                status.details);
  }
  {
    if (is_namespace_not_found(status)) {
      const auto nf = status_detail<ed::NamespaceNotFoundFailure>(status);
      const std::string ns = nf && !nf->namespace_().empty() ? nf->namespace_() : ctx.namespace_name;
      throw NamespaceNotFoundError(ns, code,
                                   op + " failed: namespace '" + ns +
                                       "' does not exist on the server; check the namespace name (or register it "
                                       "with `temporal operator namespace create`)",
                                   status.message);
    }
  }
  {
    const auto started = status_detail<ed::WorkflowExecutionAlreadyStartedFailure>(status);
    if (status.code == grpc::StatusCode::ALREADY_EXISTS && started) {
      const auto& as = *started;
      throw WorkflowAlreadyStartedError(op + " failed: workflow '" + ctx.workflow_id +
                                            "' is already running (run " + as.run_id() +
                                            "); use another workflow id or an id conflict policy",
                                        ctx.workflow_id, as.run_id(), {}, code, status.details);
    }
  }
  // An unknown update id on a workflow that exists: the server says so ("update ... not found"),
  // which is not "workflow not found".
  if (status.code == grpc::StatusCode::NOT_FOUND && !ctx.update_id.empty() &&
      (contains(status.message, "update") || contains(status.message, "Update")) &&
      !contains(status.message, "already completed") && !contains(status.message, "already finished")) {
    throw WorkflowUpdateNotFoundError(op + " failed: workflow '" + ctx.workflow_id + "'" +
                                          (ctx.run_id.empty() ? std::string() : " run '" + ctx.run_id + "'") +
                                          " has no update with id '" + ctx.update_id +
                                          "'; check the update id (and that it was sent to this run) (server: " +
                                          status.message + ")",
                                      ctx.workflow_id, ctx.run_id, ctx.update_id, code, status.details);
  }
  if (status.code == grpc::StatusCode::NOT_FOUND && !ctx.workflow_id.empty()) {
    // A signal, cancel or update of a closed run: the workflow exists but takes no more input. Kept
    // a WorkflowNotFoundError (as the Go and TypeScript SDKs report it) with a message that says so.
    if (contains(status.message, "already completed") || contains(status.message, "already finished")) {
      throw WorkflowNotFoundError(op + " failed: workflow '" + ctx.workflow_id + "'" +
                                      (ctx.run_id.empty() ? std::string() : " run '" + ctx.run_id + "'") +
                                      " is already closed (completed, failed, canceled, terminated or timed out), so "
                                      "it takes no signals, cancellations or updates; query or describe it instead (" +
                                      status.message + ")",
                                  ctx.workflow_id, ctx.run_id, code, status.details);
    }
    throw WorkflowNotFoundError(op + " failed: workflow '" + ctx.workflow_id + "'" +
                                    (ctx.run_id.empty() ? std::string() : " run '" + ctx.run_id + "'") +
                                    " not found in namespace '" + ctx.namespace_name + "' (" + status.message + ")",
                                ctx.workflow_id, ctx.run_id, code, status.details);
  }
  // The server's per-payload limit (dynamic config limit.blobSize.error, 2 MiB by default), which it
  // reports only as "Blob data size exceeds limit.".
  if (status.code == grpc::StatusCode::INVALID_ARGUMENT &&
      (contains(status.message, "size exceeds limit") || contains(status.message, "exceeds size limit"))) {
    throw RpcError(code,
                   op + " failed: a payload (an argument, memo, header or details) is larger than the server's blob "
                        "size limit (dynamic config limit.blobSize.error, 2 MiB by default); pass large data by "
                        "reference instead (server: " + status.message + ")",
                   status.message, status.details);
  }
  throw RpcError(code, op + " failed: " + describe_status(status, ctx.address), status.message, status.details);
}

}  // namespace temporal::rpc

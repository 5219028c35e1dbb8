// Conversions between the SDK's converter types and the generated Temporal API messages.
#pragma once

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <string>

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include "temporal/api/common/v1/message.pb.h"
#include "temporal/api/failure/v1/message.pb.h"
#include "temporal/common/retry_policy.h"
#include "temporal/common/search_attributes.h"
#include "temporal/converter/data_converter.h"

namespace temporal::converter {

namespace apicommon = ::temporal::api::common::v1;
namespace apifailure = ::temporal::api::failure::v1;

apicommon::Payload to_proto(const Payload& p);
Payload from_proto(const apicommon::Payload& p);

/// Runs the codec chain, then copies into the wire list.
void encode_to(const DataConverter& dc, Payloads payloads, apicommon::Payloads* out);
/// Copies out of the wire list, then runs the codec chain in reverse.
Payloads decode_from(const DataConverter& dc, const apicommon::Payloads& in);

/// One value through the codec chain (memo fields, headers-free single payloads).
apicommon::Payload encode_one(const DataConverter& dc, Payload p);
Payload decode_one(const DataConverter& dc, const apicommon::Payload& p);

/// Failure proto -> exception, with the whole cause chain and codec-decoded details.
std::shared_ptr<const FailureError> failure_from_proto(const DataConverter& dc, const apifailure::Failure& f);
/// Exception -> failure proto. FailureError subclasses keep their kind; any other std::exception
/// becomes an ApplicationFailure whose type is the exception's type name.
void failure_to_proto(const DataConverter& dc, const std::exception_ptr& e, apifailure::Failure* out);
void failure_to_proto(const DataConverter& dc, const FailureError& e, apifailure::Failure* out);

/// google.protobuf.Duration and Timestamp <-> std::chrono. Values beyond the chrono types' range
/// (only corrupt input carries them) saturate instead of overflowing.
void to_proto_duration(std::chrono::milliseconds d, google::protobuf::Duration* out);
std::chrono::milliseconds from_proto_duration(const google::protobuf::Duration& d);
std::chrono::system_clock::time_point from_proto_time(const google::protobuf::Timestamp& t);
void to_proto_time(std::chrono::system_clock::time_point t, google::protobuf::Timestamp* out);

// The common API messages that client and worker both build (proto_common.cpp).

void to_proto_retry_policy(const RetryPolicy& p, apicommon::RetryPolicy* out);
RetryPolicy from_proto_retry_policy(const apicommon::RetryPolicy& p);
/// Typed search attributes as the other SDKs write them: json/plain payloads with a "type" metadata
/// entry. Throws InvalidArgumentError for a value that does not hold its declared type.
void encode_search_attributes(const SearchAttributes& attrs, apicommon::SearchAttributes* out);
/// Reads typed and untyped (older SDKs) attributes; skips what is not JSON. Throws
/// DataConverterError for a value that does not fit its declared type.
SearchAttributes decode_search_attributes(const apicommon::SearchAttributes& in);
/// Memo fields go through the codec chain; header fields do not (they are read before decoding).
void encode_memo(const DataConverter& dc, const std::map<std::string, Payload>& memo, apicommon::Memo* out);
std::map<std::string, Payload> decode_memo(const DataConverter& dc, const apicommon::Memo& in);
void encode_headers(const std::map<std::string, Payload>& headers, apicommon::Header* out);

}  // namespace temporal::converter

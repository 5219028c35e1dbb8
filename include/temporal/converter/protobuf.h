// Protobuf messages as payloads. A message passed as it is travels as json/protobuf (the default
// of the other SDKs) with the `messageType` metadata; wrapped in BinaryProtobuf it travels as
// binary/protobuf (its wire bytes, with `messageType`), the form of the Go SDK's
// ProtoPayloadConverter. Decoding a message accepts either encoding.
// Include this header where you pass protobuf messages as workflow arguments or results.
#pragma once

#include <type_traits>
#include <utility>

#include <google/protobuf/message.h>

#include "temporal/converter/data_converter.h"

namespace temporal::converter {

namespace detail {
Payload proto_to_json_payload(const google::protobuf::Message& m);
Payload proto_to_binary_payload(const google::protobuf::Message& m);
void proto_from_payload(const Payload& p, google::protobuf::Message* m);
}  // namespace detail

template <class T>
struct PayloadTraits<T, std::enable_if_t<std::is_base_of_v<google::protobuf::Message, T>>> {
  static Payload to_payload(const T& m) { return detail::proto_to_json_payload(m); }
  static T from_payload(const Payload& p) {
    T m;
    detail::proto_from_payload(p, &m);
    return m;
  }
};

/// A protobuf message that is encoded as binary/protobuf. Use it as a workflow, activity, signal,
/// query or update argument or result type:
///
///   wf::Workflow<BinaryProtobuf<MyMessage>> echo(BinaryProtobuf<MyMessage> in) { co_return in; }
///   client.workflow().start("echo", options, BinaryProtobuf<MyMessage>{message});
///
/// A plain value type.
template <class T>
struct BinaryProtobuf {
  static_assert(std::is_base_of_v<google::protobuf::Message, T>, "BinaryProtobuf<T> needs a protobuf message type");
  T message{};
};

template <class T>
struct PayloadTraits<BinaryProtobuf<T>> {
  static Payload to_payload(const BinaryProtobuf<T>& b) { return detail::proto_to_binary_payload(b.message); }
  static BinaryProtobuf<T> from_payload(const Payload& p) {
    BinaryProtobuf<T> b;
    detail::proto_from_payload(p, &b.message);
    return b;
  }
};

}  // namespace temporal::converter

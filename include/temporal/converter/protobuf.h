// Protobuf messages as payloads: json/protobuf (the default of the other SDKs) with the
// `messageType` metadata; binary/protobuf is accepted when decoding.
// Include this header where you pass protobuf messages as workflow arguments or results.
#pragma once

#include <type_traits>

#include <google/protobuf/message.h>

#include "temporal/converter/data_converter.h"

namespace temporal::converter {

namespace detail {
Payload proto_to_json_payload(const google::protobuf::Message& m);
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

}  // namespace temporal::converter

// Converting C++ values to and from Payloads, byte-compatible with the other Temporal SDKs.
//
// Encodings, chosen from the static type:
//   std::nullptr_t, std::monostate, empty std::optional  -> binary/null
//   converter::Bytes (std::vector<std::byte>)             -> binary/plain
//   protobuf messages (include temporal/converter/protobuf.h) -> json/protobuf
//   everything else, through nlohmann::json (to_json/from_json) -> json/plain
// Decoding reads the payload's `encoding`; a payload that cannot become the requested type raises
// DataConverterError naming both. `Payload` itself passes through unchanged.
// Customize a type by specializing PayloadTraits<T> with static to_payload/from_payload.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "temporal/common/errors.h"
#include "temporal/converter/payload.h"

namespace temporal::converter {

namespace detail {
[[noreturn]] void throw_decode_error(const Payload& p, const char* wanted, const std::string& why);
[[noreturn]] void throw_encode_error(const char* type, const std::string& why);
nlohmann::json payload_to_json(const Payload& p);  // json/plain, json/protobuf; binary/null -> null
/// j.dump(), except that what JSON cannot hold raises DataConverterError naming `type` (a
/// typeid name or a description): NaN and infinities (nlohmann would write null) and strings
/// that are not valid UTF-8.
std::string dump_json(const nlohmann::json& j, const char* type);
/// typeid(T).name() as the C++ spelling ("int", "std::string", "my::Error"); other text as is.
std::string readable_type(const char* mangled);
}  // namespace detail

/// Customization point: specialize for types that need their own encoding.
template <class T, class Enable = void>
struct PayloadTraits {
  static Payload to_payload(const T& value) {
    nlohmann::json j;
    try {
      j = value;
    } catch (const nlohmann::json::exception& e) {
      detail::throw_encode_error(typeid(T).name(), e.what());
    }
    return Payload{{{"encoding", encodings::kJsonPlain}}, detail::dump_json(j, typeid(T).name())};
  }
  static T from_payload(const Payload& p);
};

namespace detail {
/// Whether the JSON number `j` converts to the arithmetic type T without overflow: nlohmann's get<T>()
/// casts unchecked, and a float outside T's range is undefined behaviour. Not a number: true.
template <class T>
bool json_number_fits(const nlohmann::json& j) {
  using L = std::numeric_limits<T>;
  if constexpr (std::is_floating_point_v<T>) {
    if (!j.is_number_float() || sizeof(T) >= sizeof(double)) return true;
    const double d = j.template get<double>();
    return !std::isfinite(d) || std::fabs(d) <= static_cast<double>(L::max());
  } else {
    if (j.is_number_unsigned()) return j.template get<uint64_t>() <= static_cast<uint64_t>(L::max());
    if (j.is_number_integer()) {
      const int64_t v = j.template get<int64_t>();
      if (v < 0) return L::is_signed && v >= static_cast<int64_t>(L::min());
      return static_cast<uint64_t>(v) <= static_cast<uint64_t>(L::max());
    }
    if (j.is_number_float()) {  // get<T>() truncates toward zero; NaN and infinities fail both tests
      const double t = std::trunc(j.template get<double>());
      return t >= (L::is_signed ? -std::ldexp(1.0, L::digits) : 0.0) && t < std::ldexp(1.0, L::digits);
    }
    return true;
  }
}
}  // namespace detail

template <class T, class Enable>
T PayloadTraits<T, Enable>::from_payload(const Payload& p) {
  nlohmann::json j = detail::payload_to_json(p);
  if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
    if (!detail::json_number_fits<T>(j)) detail::throw_decode_error(p, typeid(T).name(), j.dump() + " is out of range");
  }
  try {
    return j.template get<T>();
  } catch (const nlohmann::json::exception& e) {
    detail::throw_decode_error(p, typeid(T).name(), e.what());
  }
}

template <>
struct PayloadTraits<Payload> {
  static Payload to_payload(const Payload& p) { return p; }
  static Payload from_payload(const Payload& p) { return p; }
};

template <>
struct PayloadTraits<std::nullptr_t> {
  static Payload to_payload(std::nullptr_t) { return Payload{{{"encoding", encodings::kNull}}, {}}; }
  static std::nullptr_t from_payload(const Payload& p);
};

template <>
struct PayloadTraits<std::monostate> {
  static Payload to_payload(std::monostate) { return Payload{{{"encoding", encodings::kNull}}, {}}; }
  static std::monostate from_payload(const Payload& p);
};

template <>
struct PayloadTraits<Bytes> {
  static Payload to_payload(const Bytes& b) {
    return Payload{{{"encoding", encodings::kBinaryPlain}},
                   std::string(reinterpret_cast<const char*>(b.data()), b.size())};
  }
  static Bytes from_payload(const Payload& p);
};

template <>
struct PayloadTraits<nlohmann::json> {
  static Payload to_payload(const nlohmann::json& j) {
    if (j.is_null()) return Payload{{{"encoding", encodings::kNull}}, {}};
    return Payload{{{"encoding", encodings::kJsonPlain}}, detail::dump_json(j, "nlohmann::json")};
  }
  static nlohmann::json from_payload(const Payload& p) { return detail::payload_to_json(p); }
};

template <class T>
struct PayloadTraits<std::optional<T>> {
  static Payload to_payload(const std::optional<T>& v) {
    if (!v) return Payload{{{"encoding", encodings::kNull}}, {}};
    return PayloadTraits<T>::to_payload(*v);
  }
  static std::optional<T> from_payload(const Payload& p) {
    // binary/null, or a JSON null (how the TypeScript and Python SDKs send null and None).
    if (p.encoding() == encodings::kNull) return std::nullopt;
    if (p.encoding() == encodings::kJsonPlain && p.data == "null") return std::nullopt;
    return PayloadTraits<T>::from_payload(p);
  }
};

/// Encodes one value.
template <class T>
Payload to_payload(const T& value) {
  return PayloadTraits<std::decay_t<T>>::to_payload(value);
}

/// Decodes one value; throws DataConverterError when the payload cannot become a T.
template <class T>
T from_payload(const Payload& p) {
  return PayloadTraits<std::decay_t<T>>::from_payload(p);
}

namespace detail {
template <class T>
Payload argument_to_payload(const T& value, size_t index) {
  try {
    return to_payload(value);
  } catch (const DataConverterError& e) {
    throw DataConverterError("argument " + std::to_string(index + 1) + ": " + e.what());
  }
}
}  // namespace detail

/// Encodes each argument into its own payload, as every SDK does for workflow/signal/query args.
/// A value that cannot be encoded raises DataConverterError naming the argument ("argument 2: ...").
template <class... Args>
Payloads to_payloads(const Args&... args) {
  Payloads out;
  out.reserve(sizeof...(Args));
  size_t index = 0;
  (out.push_back(detail::argument_to_payload(args, index++)), ...);
  (void)index;
  return out;
}

/// Transforms whole payload lists: encryption, compression. encode() runs in chain order,
/// decode() in reverse. Implementations must be thread-safe and must throw (not return partial
/// results) on failure.
class PayloadCodec {
 public:
  virtual ~PayloadCodec() = default;
  virtual Payloads encode(Payloads payloads) const = 0;
  virtual Payloads decode(Payloads payloads) const = 0;
};

/// How failures are encoded on the wire.
struct FailureConverterOptions {
  /// Move message and stack trace into an encoded payload (so codecs can encrypt them);
  /// the visible message becomes "Encoded failure", as in the other SDKs.
  bool encode_common_attributes = false;
};

/// The per-client conversion settings: the codec chain and the failure encoding. Immutable and
/// thread-safe once built; share it between clients and workers.
struct DataConverter {
  std::vector<std::shared_ptr<const PayloadCodec>> codecs{};
  FailureConverterOptions failure{};

  /// Runs the codec chain over a list (no-op without codecs). A codec's TemporalError passes
  /// through; any other exception becomes a DataConverterError naming the codec.
  Payloads encode(Payloads payloads) const {
    for (const auto& c : codecs) {
      try {
        payloads = c->encode(std::move(payloads));
      } catch (const TemporalError&) {
        throw;
      } catch (const std::exception& e) {
        const PayloadCodec& codec = *c;
        throw DataConverterError("payload codec " + detail::readable_type(typeid(codec).name()) +
                                 " failed to encode: " + e.what());
      }
    }
    return payloads;
  }
  Payloads decode(Payloads payloads) const {
    for (auto it = codecs.rbegin(); it != codecs.rend(); ++it) {
      try {
        payloads = (*it)->decode(std::move(payloads));
      } catch (const TemporalError&) {
        throw;
      } catch (const std::exception& e) {
        const PayloadCodec& codec = **it;
        throw DataConverterError("payload codec " + detail::readable_type(typeid(codec).name()) +
                                 " failed to decode: " + e.what());
      }
    }
    return payloads;
  }
};

}  // namespace temporal::converter

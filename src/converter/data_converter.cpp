#include <cxxabi.h>

#include <cmath>
#include <cstdlib>

#include <google/protobuf/util/json_util.h>

#include "converter/proto.h"
#include "temporal/converter/protobuf.h"

namespace temporal::converter {

namespace detail {

std::string readable_type(const char* mangled) {
  int status = 0;
  char* name = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string out = (status == 0 && name) ? name : mangled;
  std::free(name);
  const std::string long_string = "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >";
  for (size_t at; (at = out.find(long_string)) != std::string::npos;) out.replace(at, long_string.size(), "std::string");
  return out;
}

void throw_decode_error(const Payload& p, const char* wanted, const std::string& why) {
  const std::string enc = p.encoding().empty() ? std::string("<none>") : p.encoding();
  throw DataConverterError("cannot decode a payload with encoding '" + enc + "' into " + readable_type(wanted) + ": " +
                           why);
}

void throw_encode_error(const char* type, const std::string& why) {
  throw DataConverterError("cannot encode a value of type " + readable_type(type) + " as JSON: " + why);
}

namespace {
bool has_non_finite(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::number_float: return !std::isfinite(j.get<double>());
    case nlohmann::json::value_t::array:
    case nlohmann::json::value_t::object:
      for (const auto& v : j) {
        if (has_non_finite(v)) return true;
      }
      return false;
    default: return false;
  }
}
}  // namespace

std::string dump_json(const nlohmann::json& j, const char* type) {
  std::string out;
  try {
    out = j.dump();
  } catch (const nlohmann::json::exception& e) {
    throw_encode_error(type, std::string("a string in it is not valid UTF-8 (") + e.what() + ")");
  }
  // nlohmann writes NaN and infinities as null; only then can there be one.
  if (out.find("null") != std::string::npos && has_non_finite(j)) {
    throw_encode_error(type, "it holds NaN or an infinity, which JSON cannot represent (and other SDKs could not "
                             "read); send a finite number, null or a string");
  }
  return out;
}

nlohmann::json payload_to_json(const Payload& p) {
  const std::string enc = p.encoding();
  if (enc == encodings::kNull) return nullptr;
  if (enc == encodings::kJsonPlain || enc == encodings::kJsonProtobuf) {
    try {
      return nlohmann::json::parse(p.data);
    } catch (const nlohmann::json::exception& e) {
      throw_decode_error(p, "JSON", e.what());
    }
  }
  if (enc.empty()) throw_decode_error(p, "a value", "the payload has no 'encoding' metadata");
  if (enc == encodings::kBinaryPlain) {
    throw_decode_error(p, "a JSON value", "binary payloads decode only into converter::Bytes or Payload");
  }
  throw_decode_error(p, "a JSON value", "unknown encoding; add a PayloadTraits specialization for it");
}

Payload proto_to_json_payload(const google::protobuf::Message& m) {
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = false;
  auto st = google::protobuf::util::MessageToJsonString(m, &json, opts);
  if (!st.ok()) throw DataConverterError("cannot encode " + m.GetTypeName() + " as JSON: " + st.ToString());
  return Payload{{{"encoding", encodings::kJsonProtobuf}, {"messageType", m.GetTypeName()}}, std::move(json)};
}

Payload proto_to_binary_payload(const google::protobuf::Message& m) {
  std::string bytes;
  if (!m.SerializeToString(&bytes)) {
    throw DataConverterError("cannot encode " + m.GetTypeName() + " as binary/protobuf: a required field is missing");
  }
  return Payload{{{"encoding", encodings::kBinaryProtobuf}, {"messageType", m.GetTypeName()}}, std::move(bytes)};
}

void proto_from_payload(const Payload& p, google::protobuf::Message* m) {
  const std::string enc = p.encoding();
  auto type = p.metadata.find("messageType");
  if (type != p.metadata.end() && type->second != m->GetTypeName()) {
    throw_decode_error(p, m->GetTypeName().c_str(), "the payload holds a " + type->second);
  }
  if (enc == encodings::kJsonProtobuf || enc == encodings::kJsonPlain) {
    google::protobuf::util::JsonParseOptions opts;
    opts.ignore_unknown_fields = true;
    auto st = google::protobuf::util::JsonStringToMessage(p.data, m, opts);
    if (!st.ok()) throw_decode_error(p, m->GetTypeName().c_str(), st.ToString());
    return;
  }
  if (enc == encodings::kBinaryProtobuf) {
    if (!m->ParseFromString(p.data)) throw_decode_error(p, m->GetTypeName().c_str(), "invalid protobuf bytes");
    return;
  }
  throw_decode_error(p, m->GetTypeName().c_str(), "not a protobuf encoding");
}

}  // namespace detail

std::nullptr_t PayloadTraits<std::nullptr_t>::from_payload(const Payload& p) {
  if (p.encoding() != encodings::kNull) detail::throw_decode_error(p, "null", "expected binary/null");
  return nullptr;
}

std::monostate PayloadTraits<std::monostate>::from_payload(const Payload& p) {
  // A workflow whose result is ignored may return anything; accept every well-formed payload.
  if (p.encoding().empty()) detail::throw_decode_error(p, "void", "the payload has no 'encoding' metadata");
  return {};
}

Bytes PayloadTraits<Bytes>::from_payload(const Payload& p) {
  if (p.encoding() != encodings::kBinaryPlain) detail::throw_decode_error(p, "Bytes", "expected binary/plain");
  const auto* b = reinterpret_cast<const std::byte*>(p.data.data());
  return Bytes(b, b + p.data.size());
}

apicommon::Payload to_proto(const Payload& p) {
  apicommon::Payload out;
  for (const auto& [k, v] : p.metadata) (*out.mutable_metadata())[k] = v;
  out.set_data(p.data);
  return out;
}

Payload from_proto(const apicommon::Payload& p) {
  Payload out;
  for (const auto& [k, v] : p.metadata()) out.metadata.emplace(k, v);
  out.data = p.data();
  return out;
}

void encode_to(const DataConverter& dc, Payloads payloads, apicommon::Payloads* out) {
  payloads = dc.encode(std::move(payloads));
  out->mutable_payloads()->Reserve(static_cast<int>(payloads.size()));
  for (auto& p : payloads) *out->add_payloads() = to_proto(p);
}

Payloads decode_from(const DataConverter& dc, const apicommon::Payloads& in) {
  Payloads out;
  out.reserve(in.payloads_size());
  for (const auto& p : in.payloads()) out.push_back(from_proto(p));
  return dc.decode(std::move(out));
}

apicommon::Payload encode_one(const DataConverter& dc, Payload p) {
  Payloads one;
  one.push_back(std::move(p));
  one = dc.encode(std::move(one));
  if (one.size() != 1) throw DataConverterError("a payload codec returned " + std::to_string(one.size()) + " payloads for 1");
  return to_proto(one[0]);
}

Payload decode_one(const DataConverter& dc, const apicommon::Payload& p) {
  Payloads one{from_proto(p)};
  one = dc.decode(std::move(one));
  if (one.size() != 1) throw DataConverterError("a payload codec returned " + std::to_string(one.size()) + " payloads for 1");
  return std::move(one[0]);
}

}  // namespace temporal::converter

namespace temporal::detail {

void throw_missing_detail(size_t index, size_t count, size_t available) {
  throw DataConverterError("failure detail " + std::to_string(index) + " (of the " + std::to_string(count) +
                           " asked for) is missing: the failure carries " + std::to_string(available) +
                           " detail payload(s)");
}

void throw_detail_error(size_t index, size_t count, const std::exception& e) {
  throw DataConverterError("failure detail " + std::to_string(index) + " (of the " + std::to_string(count) +
                           " asked for): " + e.what());
}

}  // namespace temporal::detail

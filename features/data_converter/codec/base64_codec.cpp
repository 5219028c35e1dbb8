#include "data_converter/codec/base64_codec.h"

#include <openssl/evp.h>

#include "temporal/api/common/v1/message.pb.h"

namespace temporal::features {
namespace {
namespace apicommon = ::temporal::api::common::v1;

std::string encode_base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}
}  // namespace

std::string Base64Codec::decode_base64(const std::string& text) {
  if (text.size() % 4 != 0) throw DataConverterError("my-encoding: the data is not base64");
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw DataConverterError("my-encoding: the data is not base64");
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text.size() > 1 && text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

converter::Payloads Base64Codec::encode(converter::Payloads payloads) const {
  converter::Payloads out;
  for (auto& p : payloads) {
    apicommon::Payload proto;
    for (const auto& [k, v] : p.metadata) (*proto.mutable_metadata())[k] = v;
    proto.set_data(p.data);
    out.push_back(converter::Payload{{{"encoding", kEncoding}}, encode_base64(proto.SerializeAsString())});
  }
  return out;
}

converter::Payloads Base64Codec::decode(converter::Payloads payloads) const {
  converter::Payloads out;
  for (auto& p : payloads) {
    if (p.encoding() != kEncoding) {
      out.push_back(std::move(p));
      continue;
    }
    apicommon::Payload proto;
    if (!proto.ParseFromString(decode_base64(p.data))) throw DataConverterError("my-encoding: not a serialized Payload");
    converter::Payload inner;
    for (const auto& [k, v] : proto.metadata()) inner.metadata[k] = v;
    inner.data = proto.data();
    out.push_back(std::move(inner));
  }
  return out;
}

}  // namespace temporal::features

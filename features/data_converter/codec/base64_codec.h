// The `my-encoding` codec of data_converter/codec: each payload becomes a payload whose data is
// the base64 of the serialized original Payload proto. Decoding leaves other encodings alone.
#pragma once

#include <string>

#include "temporal/converter/data_converter.h"

namespace temporal::features {

class Base64Codec : public converter::PayloadCodec {
 public:
  static constexpr const char* kEncoding = "my-encoding";
  converter::Payloads encode(converter::Payloads payloads) const override;
  converter::Payloads decode(converter::Payloads payloads) const override;
  static std::string decode_base64(const std::string& text);
};

}  // namespace temporal::features

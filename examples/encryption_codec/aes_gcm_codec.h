// AesGcmCodec: a PayloadCodec that encrypts every payload with AES-256-GCM, in the format of the
// Temporal samples' encryption codec (samples-typescript/encryption, samples-go/encryption), so a
// TypeScript or Go worker configured with the same key reads what this codec writes and the
// other way round.
//
//   auto codec = std::make_shared<encryption_codec::AesGcmCodec>("key-2024", key_bytes);
//   temporal::client::Client client(connection, {.data_converter = {.codecs = {codec}}});
//
// Wire format of an encoded payload:
//   metadata  {"encoding": "binary/encrypted", "encryption-key-id": <key id>}
//   data      nonce (12 random bytes) || ciphertext || GCM tag (16 bytes)
// where the plaintext is the original payload (metadata and data) serialized as the protobuf
// message temporal.api.common.v1.Payload. No additional authenticated data is used, as in the
// samples; the key id is only a lookup hint (a changed id fails decryption or picks a wrong key,
// which the tag detects).
//
// Key rotation: encode() always uses the current key; decode() accepts every key it was given.
// Thread-safe and immutable after construction.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "temporal/converter/data_converter.h"

namespace encryption_codec {

class AesGcmCodec : public temporal::converter::PayloadCodec {
 public:
  static constexpr const char* kEncoding = "binary/encrypted";
  static constexpr const char* kKeyIdMetadataKey = "encryption-key-id";
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;

  /// One key: encrypts and decrypts with `key` (32 raw bytes) under the id `key_id`.
  /// Throws temporal::InvalidArgumentError for an empty id or a key that is not 32 bytes.
  AesGcmCodec(std::string key_id, std::string key);
  /// Several keys by id: encrypts with `current_key_id`, decrypts with whichever key a payload names.
  AesGcmCodec(std::string current_key_id, std::map<std::string, std::string> keys);

  /// Each payload becomes one `binary/encrypted` payload (in order).
  temporal::converter::Payloads encode(temporal::converter::Payloads payloads) const override;
  /// Decrypts `binary/encrypted` payloads and passes every other payload through unchanged.
  /// Throws temporal::DataConverterError naming the key when the key is unknown, wrong, or the
  /// data was tampered with.
  temporal::converter::Payloads decode(temporal::converter::Payloads payloads) const override;

  const std::string& current_key_id() const { return current_key_id_; }

  /// 64 hex digits -> 32 raw key bytes; throws temporal::InvalidArgumentError otherwise.
  static std::string key_from_hex(std::string_view hex);

 private:
  std::string current_key_id_;
  std::map<std::string, std::string> keys_;
};

}  // namespace encryption_codec

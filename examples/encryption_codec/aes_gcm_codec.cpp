#include "aes_gcm_codec.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <utility>

#include "temporal/api/common/v1/message.pb.h"
#include "temporal/common/errors.h"

namespace encryption_codec {

namespace {

using temporal::DataConverterError;
using temporal::converter::Payload;
using temporal::converter::Payloads;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) throw DataConverterError("AES-GCM: out of memory creating a cipher context");
  return ctx;
}

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

unsigned char* u8(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* u8(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// The original payload as temporal.api.common.v1.Payload bytes: what the other SDKs' samples encrypt.
std::string serialize(const Payload& p) {
  ::temporal::api::common::v1::Payload proto;
  for (const auto& [k, v] : p.metadata) (*proto.mutable_metadata())[k] = v;
  proto.set_data(p.data);
  std::string out;
  if (!proto.SerializeToString(&out)) throw DataConverterError("AES-GCM codec: cannot serialize the payload");
  return out;
}

Payload parse(const std::string& bytes, const std::string& key_id) {
  ::temporal::api::common::v1::Payload proto;
  if (!proto.ParseFromString(bytes)) {
    throw DataConverterError("AES-GCM codec: the payload decrypted with key '" + key_id +
                             "' is not a serialized temporal.api.common.v1.Payload");
  }
  Payload out;
  for (const auto& [k, v] : proto.metadata()) out.metadata.emplace(k, v);
  out.data = proto.data();
  return out;
}

std::string encrypt(const std::string& key, const std::string& plaintext) {
  std::string out(AesGcmCodec::kNonceSize + plaintext.size() + AesGcmCodec::kTagSize, '\0');
  unsigned char* nonce = u8(out);
  if (RAND_bytes(nonce, static_cast<int>(AesGcmCodec::kNonceSize)) != 1) {
    throw DataConverterError("AES-GCM codec: no random nonce: " + openssl_error());
  }
  auto ctx = new_ctx();
  int len = 0;
  unsigned char* ciphertext = nonce + AesGcmCodec::kNonceSize;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(AesGcmCodec::kNonceSize), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, u8(key), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ciphertext, &len, u8(plaintext), static_cast<int>(plaintext.size())) != 1) {
    throw DataConverterError("AES-GCM codec: encryption failed: " + openssl_error());
  }
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), ciphertext + len, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(AesGcmCodec::kTagSize),
                          ciphertext + plaintext.size()) != 1) {
    throw DataConverterError("AES-GCM codec: encryption failed: " + openssl_error());
  }
  return out;
}

std::string decrypt(const std::string& key, const std::string& key_id, const std::string& data) {
  constexpr size_t kOverhead = AesGcmCodec::kNonceSize + AesGcmCodec::kTagSize;
  if (data.size() < kOverhead) {
    throw DataConverterError("AES-GCM codec: an encrypted payload (key '" + key_id + "') has " +
                             std::to_string(data.size()) + " bytes, fewer than the " + std::to_string(kOverhead) +
                             " of nonce and tag: it is truncated or not from this codec");
  }
  const size_t n = data.size() - kOverhead;
  const unsigned char* nonce = u8(data);
  const unsigned char* ciphertext = nonce + AesGcmCodec::kNonceSize;
  std::string tag = data.substr(data.size() - AesGcmCodec::kTagSize);
  std::string out(n, '\0');
  auto ctx = new_ctx();
  int len = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(AesGcmCodec::kNonceSize), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, u8(key), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), u8(out), &len, ciphertext, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(AesGcmCodec::kTagSize), tag.data()) != 1) {
    throw DataConverterError("AES-GCM codec: decryption with key '" + key_id + "' failed: " + openssl_error());
  }
  int tail = 0;
  // EVP_DecryptFinal_ex checks the tag: the only point where a wrong key or changed bytes show.
  if (EVP_DecryptFinal_ex(ctx.get(), u8(out) + len, &tail) != 1) {
    ERR_clear_error();
    throw DataConverterError("AES-GCM codec: cannot decrypt a payload with key '" + key_id +
                             "': authentication failed (wrong key for this id, or the data was tampered with)");
  }
  return out;
}

}  // namespace

AesGcmCodec::AesGcmCodec(std::string key_id, std::string key)
    : AesGcmCodec(key_id, std::map<std::string, std::string>{{key_id, std::move(key)}}) {}

AesGcmCodec::AesGcmCodec(std::string current_key_id, std::map<std::string, std::string> keys)
    : current_key_id_(std::move(current_key_id)), keys_(std::move(keys)) {
  if (current_key_id_.empty()) throw temporal::InvalidArgumentError("key_id", "AesGcmCodec: the key id is empty");
  for (const auto& [id, key] : keys_) {
    if (key.size() != kKeySize) {
      throw temporal::InvalidArgumentError("key", "AesGcmCodec: key '" + id + "' has " + std::to_string(key.size()) +
                                                      " bytes; AES-256 needs 32");
    }
  }
  if (!keys_.count(current_key_id_)) {
    throw temporal::InvalidArgumentError("key_id",
                                         "AesGcmCodec: no key for the current key id '" + current_key_id_ + "'");
  }
}

Payloads AesGcmCodec::encode(Payloads payloads) const {
  const std::string& key = keys_.at(current_key_id_);
  for (auto& p : payloads) {
    std::string data = encrypt(key, serialize(p));
    p.metadata = {{"encoding", kEncoding}, {kKeyIdMetadataKey, current_key_id_}};
    p.data = std::move(data);
  }
  return payloads;
}

Payloads AesGcmCodec::decode(Payloads payloads) const {
  for (auto& p : payloads) {
    if (p.encoding() != kEncoding) continue;
    auto id = p.metadata.find(kKeyIdMetadataKey);
    if (id == p.metadata.end()) {
      throw DataConverterError(std::string("AES-GCM codec: an encrypted payload has no '") + kKeyIdMetadataKey +
                               "' metadata");
    }
    auto key = keys_.find(id->second);
    if (key == keys_.end()) {
      std::string known;
      for (const auto& [k, v] : keys_) known += (known.empty() ? "'" : ", '") + k + "'";
      throw DataConverterError("AES-GCM codec: a payload was encrypted with key '" + id->second +
                               "', which this codec does not have (it has " + known + ")");
    }
    p = parse(decrypt(key->second, id->second, p.data), id->second);
  }
  return payloads;
}

std::string AesGcmCodec::key_from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() != 2 * kKeySize) {
    throw temporal::InvalidArgumentError("key", "AesGcmCodec: a hex key has 64 digits, not " +
                                                    std::to_string(hex.size()));
  }
  std::string out(kKeySize, '\0');
  for (size_t i = 0; i < kKeySize; ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw temporal::InvalidArgumentError("key", "AesGcmCodec: the hex key has a non-hex digit");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace encryption_codec

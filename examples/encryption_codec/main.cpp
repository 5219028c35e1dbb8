// End-to-end encryption with a PayloadCodec: workflow input, result and memo leave this process
// AES-256-GCM encrypted; the server (and its UI, and anyone reading the history) sees only ciphertext.
//
//   encryption_codec [task-queue]
//
// Environment: TEMPORAL_ADDRESS (default localhost:7233); TEMPORAL_ENCRYPTION_KEY (64 hex digits)
// and TEMPORAL_ENCRYPTION_KEY_ID (default "example-key"); without a key a fixed demo key is used.
//
// The worker must have the same codec, since it decrypts the input and encrypts the result. Our
// TypeScript test client can run such a worker (the samples' encryption codec, same format):
//   TEMPORAL_ENCRYPTION_KEY=... node tests/interop/ts/lib/client.js worker <task-queue>
// examples/encryption_codec/run_with_ts_worker.sh starts one and runs this example against it.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <temporal/client.h>

#include "aes_gcm_codec.h"

namespace {
// For the demo only: a real key comes from a key manager, never from source code.
constexpr const char* kDemoKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace temporal::client;
  const std::string address = env_or("TEMPORAL_ADDRESS", "localhost:7233");
  const std::string task_queue = argc > 1 ? argv[1] : "encryption";
  try {
    const std::string key_hex = env_or("TEMPORAL_ENCRYPTION_KEY", "");
    if (key_hex.empty()) std::cerr << "TEMPORAL_ENCRYPTION_KEY is not set: using the demo key\n";
    auto codec = std::make_shared<encryption_codec::AesGcmCodec>(
        env_or("TEMPORAL_ENCRYPTION_KEY_ID", "example-key"),
        encryption_codec::AesGcmCodec::key_from_hex(key_hex.empty() ? kDemoKeyHex : key_hex));

    auto connection = Connection::connect({.address = address});
    ClientOptions options;
    options.data_converter.codecs.push_back(codec);
    Client client(connection, options);

    WorkflowOptions wf;
    wf.task_queue = task_queue;
    wf.workflow_id = "encryption-example";
    wf.id_conflict_policy = WorkflowIdConflictPolicy::kTerminateExisting;
    wf.memo = {{"customer", temporal::converter::to_payload(std::string("Jane Doe, card 4111"))}};
    auto handle = client.workflow().start("echo", wf, std::string("Hello, encrypted Temporal!")).get();

    // With the codec: plain values.
    std::cout << handle.result<std::string>().get() << std::endl;
    std::cout << "memo customer: "
              << temporal::converter::from_payload<std::string>(handle.describe().get().memo.at("customer"))
              << std::endl;

    // Without it (what the server stores): ciphertext.
    Client no_codec(connection);
    auto raw = no_codec.workflow().get_handle(handle.workflow_id()).result_payload().get();
    std::cout << "stored result: encoding " << raw.encoding() << ", key id "
              << raw.metadata[encryption_codec::AesGcmCodec::kKeyIdMetadataKey] << ", " << raw.data.size()
              << " bytes" << std::endl;
  } catch (const temporal::TemporalError& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}

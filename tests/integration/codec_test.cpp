// Payload codecs end to end: the AES-GCM example codec (examples/encryption_codec) on a client,
// against a TypeScript worker and client with the same codec (the TypeScript samples' format), and
// what the server stores. Also failures whose message and stack trace are encoded by the codec.
#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "aes_gcm_codec.h"
#include "converter/proto.h"
#include "support/ts_worker.h"
#include "temporal/api/history/v1/message.pb.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

#ifndef TEMPORAL_INTEROP_TS_DIR
#error "TEMPORAL_INTEROP_TS_DIR must be defined"
#endif

namespace temporal::client {
namespace {

using encryption_codec::AesGcmCodec;
using nlohmann::json;
namespace apihistory = ::temporal::api::history::v1;

constexpr const char* kKeyId = "codec-test-key";

std::string random_key() {
  std::string key(AesGcmCodec::kKeySize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) std::abort();
  return key;
}

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// `env... node client.js <args>` as one shell command line.
std::string ts_client_command(const std::string& key_hex, const std::vector<std::string>& args) {
  std::string cmd = "env TEMPORAL_ADDRESS=" + shell_quote(testing::shared_test_server_address());
  if (!key_hex.empty()) {
    cmd += " TEMPORAL_ENCRYPTION_KEY=" + key_hex + " TEMPORAL_ENCRYPTION_KEY_ID=" + shell_quote(kKeyId);
  } else {
    cmd += " TEMPORAL_ENCRYPTION_KEY=";
  }
  cmd += " LOG_LEVEL=ERROR node " + shell_quote(std::string(TEMPORAL_INTEROP_TS_DIR) + "/lib/client.js");
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return cmd;
}

// Runs the TypeScript client and parses the JSON object it prints.
json run_ts_client(const std::string& key_hex, const std::vector<std::string>& args) {
  const std::string cmd = ts_client_command(key_hex, args);
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = std::fread(buf.data(), 1, buf.size(), f)) out.append(buf.data(), n);
  int status = ::pclose(f);
  if (status != 0) throw std::runtime_error("`" + cmd + "` exited with " + std::to_string(status) + ": " + out);
  return json::parse(out);
}

// A TypeScript worker (tests/interop/ts/lib/client.js worker) with the same AES-GCM codec.
class TsCodecWorker {
 public:
  TsCodecWorker(const std::string& key_hex, const std::string& queue) {
    const std::string cmd = "exec " + ts_client_command(key_hex, {"worker", queue});
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[512];
    while (std::fgets(line, sizeof(line), f)) {
      if (contains(line, "worker ready")) {
        stdout_ = f;
        return;
      }
    }
    std::fclose(f);
    stop();
    throw std::runtime_error("the TypeScript codec worker exited before it was ready");
  }
  ~TsCodecWorker() { stop(); }
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (stdout_) {
      std::fclose(stdout_);
      stdout_ = nullptr;
    }
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

apihistory::History parse_history(const WorkflowHistory& h) {
  apihistory::History out;
  EXPECT_TRUE(out.ParseFromString(h.serialized));
  return out;
}

void expect_encrypted(const ::temporal::api::common::v1::Payload& p, const std::string& secret) {
  ASSERT_EQ(p.metadata().count("encoding"), 1u);
  EXPECT_EQ(p.metadata().at("encoding"), AesGcmCodec::kEncoding);
  ASSERT_EQ(p.metadata().count(AesGcmCodec::kKeyIdMetadataKey), 1u);
  EXPECT_EQ(p.metadata().at(AesGcmCodec::kKeyIdMetadataKey), kKeyId);
  EXPECT_EQ(p.metadata().size(), 2u);
  EXPECT_FALSE(contains(p.data(), secret));
  EXPECT_FALSE(contains(p.SerializeAsString(), "json/plain")) << "the original metadata must be encrypted too";
}

class CodecTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Starting the shared TypeScript worker also builds tests/interop/ts/lib (client.js).
    test_support::ts_task_queue();
    key_ = new std::string(random_key());
    queue_ = new std::string("ts-codec-" + std::to_string(::getpid()));
    worker_ = new TsCodecWorker(to_hex(*key_), *queue_);
    connection_ = new Connection(Connection::connect({.address = testing::shared_test_server_address()}));
    codec_ = new std::shared_ptr<AesGcmCodec>(std::make_shared<AesGcmCodec>(kKeyId, *key_));
    ClientOptions options;
    options.data_converter.codecs.push_back(*codec_);
    client_ = new Client(*connection_, options);
    plain_client_ = new Client(*connection_);
  }
  static void TearDownTestSuite() {
    delete worker_;
    worker_ = nullptr;
  }
  WorkflowOptions options(const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }
  static std::string key_hex() { return to_hex(*key_); }

  static std::string* key_;
  static std::string* queue_;
  static TsCodecWorker* worker_;
  static Connection* connection_;
  static std::shared_ptr<AesGcmCodec>* codec_;
  static Client* client_;
  static Client* plain_client_;
};
std::string* CodecTest::key_ = nullptr;
std::string* CodecTest::queue_ = nullptr;
TsCodecWorker* CodecTest::worker_ = nullptr;
Connection* CodecTest::connection_ = nullptr;
std::shared_ptr<AesGcmCodec>* CodecTest::codec_ = nullptr;
Client* CodecTest::client_ = nullptr;
Client* CodecTest::plain_client_ = nullptr;

TEST_F(CodecTest, InputResultAndMemoAreEncryptedOnTheServerAndDecryptedByTheClient) {
  const std::string secret = "the launch code is 0000";
  const std::string memo_secret = "memo: account 12345";
  auto o = options("enc");
  o.memo = {{"note", converter::to_payload(memo_secret)}};
  auto handle = client_->workflow().start("echo", o, secret).get();
  EXPECT_EQ(handle.result<std::string>().get(), secret);
  EXPECT_EQ(converter::from_payload<std::string>(handle.describe().get().memo.at("note")), memo_secret);

  auto raw = handle.fetch_history().get();
  EXPECT_FALSE(contains(raw.serialized, secret)) << "the secret is stored in the clear";
  EXPECT_FALSE(contains(raw.serialized, memo_secret)) << "the memo is stored in the clear";
  auto history = parse_history(raw);
  ASSERT_GE(history.events_size(), 2);
  const auto& started = history.events(0).workflow_execution_started_event_attributes();
  ASSERT_EQ(started.input().payloads_size(), 1);
  expect_encrypted(started.input().payloads(0), secret);
  ASSERT_EQ(started.memo().fields().count("note"), 1u);
  expect_encrypted(started.memo().fields().at("note"), memo_secret);
  const auto& last = history.events(history.events_size() - 1);
  ASSERT_TRUE(last.has_workflow_execution_completed_event_attributes()) << last.DebugString();
  const auto& result = last.workflow_execution_completed_event_attributes().result();
  ASSERT_EQ(result.payloads_size(), 1);
  expect_encrypted(result.payloads(0), secret);
  // The TypeScript worker re-encrypted the result with a fresh nonce: not the input bytes.
  EXPECT_NE(result.payloads(0).data(), started.input().payloads(0).data());
}

TEST_F(CodecTest, EveryKindOfValueSurvivesTheCodec) {
  auto wf = client_->workflow();
  json obj = {{"a", 1}, {"b", {true, nullptr, "x"}}};
  EXPECT_EQ(wf.execute<json>("echo", options("json"), obj).get(), obj);
  converter::Bytes bytes{std::byte{0}, std::byte{0xff}, std::byte{7}};
  EXPECT_EQ(wf.execute<converter::Bytes>("echo", options("bytes"), bytes).get(), bytes);
  EXPECT_TRUE(wf.execute<json>("echo", options("null"), nullptr).get().is_null());
  EXPECT_EQ(wf.execute<json>("echoAll", options("all"), std::string("a"), 2, true).get(),
            json::parse(R"(["a",2,true])"));
}

TEST_F(CodecTest, AClientWithoutTheCodecCannotReadTheResult) {
  auto handle = client_->workflow().start("echo", options("nocodec"), std::string("hidden")).get();
  EXPECT_EQ(handle.result<std::string>().get(), "hidden");
  auto other = plain_client_->workflow().get_handle(handle.workflow_id());
  try {
    other.result<std::string>().get();
    FAIL() << "a client without the codec decoded an encrypted result";
  } catch (const DataConverterError& e) {
    EXPECT_TRUE(contains(e.what(), "binary/encrypted")) << e.what();
  }
  auto raw = other.result_payload().get();
  EXPECT_EQ(raw.encoding(), AesGcmCodec::kEncoding);
  EXPECT_FALSE(contains(raw.data, "hidden"));
}

TEST_F(CodecTest, WrongKeyTamperedTruncatedAndUnknownKeyIdFailToDecrypt) {
  auto handle = client_->workflow().start("echo", options("tamper"), std::string("tamper-me")).get();
  handle.result<void>().get();
  const converter::Payload stored = plain_client_->workflow().get_handle(handle.workflow_id()).result_payload().get();
  ASSERT_EQ(stored.encoding(), AesGcmCodec::kEncoding);
  EXPECT_EQ(converter::from_payload<std::string>((*codec_)->decode({stored}).at(0)), "tamper-me");

  auto expect_fails = [](const AesGcmCodec& codec, const converter::Payload& p, const std::string& why) {
    try {
      codec.decode({p});
      ADD_FAILURE() << "decoded: " << why;
    } catch (const DataConverterError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string other_key = random_key();
  AesGcmCodec wrong_key(kKeyId, other_key);
  auto what = expect_fails(wrong_key, stored, "wrong key");
  EXPECT_TRUE(contains(what, "authentication failed")) << what;
  EXPECT_TRUE(contains(what, kKeyId)) << what;

  for (size_t at : {size_t{0}, AesGcmCodec::kNonceSize + 1, stored.data.size() - 1}) {  // nonce, ciphertext, tag
    auto tampered = stored;
    tampered.data[at] = static_cast<char>(tampered.data[at] ^ 0x01);
    what = expect_fails(**codec_, tampered, "tampered at byte " + std::to_string(at));
    EXPECT_TRUE(contains(what, "authentication failed")) << what;
  }

  auto truncated = stored;
  truncated.data.resize(10);
  what = expect_fails(**codec_, truncated, "truncated");
  EXPECT_TRUE(contains(what, "fewer than the 28")) << what;

  auto renamed = stored;
  renamed.metadata[AesGcmCodec::kKeyIdMetadataKey] = "no-such-key";
  what = expect_fails(**codec_, renamed, "unknown key id");
  EXPECT_TRUE(contains(what, "'no-such-key'")) << what;
  EXPECT_TRUE(contains(what, "does not have")) << what;

  auto no_id = stored;
  no_id.metadata.erase(AesGcmCodec::kKeyIdMetadataKey);
  what = expect_fails(**codec_, no_id, "no key id");
  EXPECT_TRUE(contains(what, AesGcmCodec::kKeyIdMetadataKey)) << what;

  // Through the client: a client with the wrong key gets the codec's error from result().
  ClientOptions wrong;
  wrong.data_converter.codecs.push_back(std::make_shared<AesGcmCodec>(kKeyId, other_key));
  Client wrong_client(*connection_, wrong);
  try {
    wrong_client.workflow().get_handle(handle.workflow_id()).result<std::string>().get();
    FAIL() << "a client with the wrong key decoded the result";
  } catch (const DataConverterError& e) {
    EXPECT_TRUE(contains(e.what(), "authentication failed")) << e.what();
  }
}

TEST_F(CodecTest, TheTypeScriptClientDecryptsWhatCppEncrypted) {
  auto o = options("cpp-to-ts");
  o.memo = {{"owner", converter::to_payload(std::string("team-secret"))}, {"n", converter::to_payload(7)}};
  auto handle = client_->workflow().start("echo", o, json{{"msg", "for typescript"}, {"n", 3}}).get();
  handle.result<void>().get();
  auto result = run_ts_client(key_hex(), {"result", handle.workflow_id()});
  EXPECT_EQ(result["status"], "completed") << result.dump();
  EXPECT_EQ(result["result"], (json{{"msg", "for typescript"}, {"n", 3}})) << result.dump();
  // The memo was encrypted by C++ and never touched by the worker: a pure C++ -> TypeScript check.
  auto described = run_ts_client(key_hex(), {"describe", handle.workflow_id()});
  EXPECT_EQ(described["memo"], (json{{"owner", "team-secret"}, {"n", 7}})) << described.dump();
  // Without the key the TypeScript client fails just like ours.
  auto no_key = run_ts_client("", {"result", handle.workflow_id()});
  EXPECT_EQ(no_key["status"], "error") << no_key.dump();
  EXPECT_TRUE(contains(no_key["error"]["message"].get<std::string>(), "binary/encrypted")) << no_key.dump();
}

TEST_F(CodecTest, CppDecryptsWhatTheTypeScriptClientEncrypted) {
  const std::string id = options("ts-to-cpp").workflow_id;
  auto started = run_ts_client(key_hex(), {"start-async", "echo", *queue_, id, R"(["from typescript"])",
                                           R"({"memo":{"origin":"ts-secret","list":[1,2]}})"});
  ASSERT_EQ(started["status"], "started") << started.dump();
  auto handle = client_->workflow().get_handle(id);
  EXPECT_EQ(handle.result<std::string>().get(), "from typescript");
  auto memo = handle.describe().get().memo;
  EXPECT_EQ(converter::from_payload<std::string>(memo.at("origin")), "ts-secret");
  EXPECT_EQ(converter::from_payload<json>(memo.at("list")), json::parse("[1,2]"));
  auto history = parse_history(handle.fetch_history().get());
  const auto& attrs = history.events(0).workflow_execution_started_event_attributes();
  expect_encrypted(attrs.input().payloads(0), "from typescript");
  expect_encrypted(attrs.memo().fields().at("origin"), "ts-secret");
}

TEST_F(CodecTest, FailureDetailsFromTheWorkerAreEncryptedAndDecrypted) {
  auto handle = client_->workflow().start("failing", options("fail"), std::string("application")).get();
  try {
    handle.result<json>().get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "MyError");
    ASSERT_EQ(app->details().size(), 2u);
    EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "detail1");
    EXPECT_EQ(converter::from_payload<int>(app->details()[1]), 42);
  }
  auto history = parse_history(handle.fetch_history().get());
  const auto& last = history.events(history.events_size() - 1);
  ASSERT_TRUE(last.has_workflow_execution_failed_event_attributes()) << last.DebugString();
  const auto& failure = last.workflow_execution_failed_event_attributes().failure();
  ASSERT_EQ(failure.application_failure_info().details().payloads_size(), 2);
  expect_encrypted(failure.application_failure_info().details().payloads(0), "detail1");
  // The TypeScript worker does not encode common attributes by default: the message is plain.
  EXPECT_EQ(failure.message(), "failed on purpose");
}

// Workers encode failures; the client only decodes them. So the failure converter with
// encode_common_attributes and the codec is checked here at the converter level.
TEST(CodecFailureConverter, EncodedCommonAttributesHideMessageStackAndDetails) {
  auto codec = std::make_shared<AesGcmCodec>(kKeyId, random_key());
  converter::DataConverter dc;
  dc.codecs.push_back(codec);
  dc.failure.encode_common_attributes = true;

  auto cause = std::make_shared<ApplicationFailure>("secret cause message", ApplicationFailure::Info{.type = "Inner"},
                                                    "secret cause stack");
  ApplicationFailure::Info info;
  info.type = "SecretError";
  info.non_retryable = true;
  info.details = converter::to_payloads(std::string("secret detail"));
  ApplicationFailure failure("secret top message", info, "secret top stack", cause);

  converter::apifailure::Failure proto;
  converter::failure_to_proto(dc, failure, &proto);
  EXPECT_EQ(proto.message(), "Encoded failure");
  EXPECT_EQ(proto.stack_trace(), "");
  EXPECT_EQ(proto.cause().message(), "Encoded failure");
  EXPECT_EQ(proto.encoded_attributes().metadata().at("encoding"), AesGcmCodec::kEncoding);
  EXPECT_EQ(proto.application_failure_info().type(), "SecretError");  // types stay visible, as in every SDK
  const std::string wire = proto.SerializeAsString();
  for (const char* secret : {"secret top message", "secret top stack", "secret cause message", "secret cause stack",
                             "secret detail"}) {
    EXPECT_FALSE(contains(wire, secret)) << secret << " is on the wire in the clear";
  }

  auto back = converter::failure_from_proto(dc, proto);
  const auto* app = dynamic_cast<const ApplicationFailure*>(back.get());
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->message(), "secret top message");
  EXPECT_EQ(app->stack_trace(), "secret top stack");
  EXPECT_EQ(app->type(), "SecretError");
  EXPECT_TRUE(app->non_retryable());
  ASSERT_EQ(app->details().size(), 1u);
  EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "secret detail");
  ASSERT_NE(app->cause(), nullptr);
  EXPECT_EQ(app->cause()->message(), "secret cause message");
  EXPECT_EQ(app->cause()->stack_trace(), "secret cause stack");

  // Without the key the failure still converts, showing only what is in the clear.
  converter::DataConverter no_key;
  auto hidden = converter::failure_from_proto(no_key, proto);
  EXPECT_EQ(hidden->message(), "Encoded failure");
  EXPECT_EQ(dynamic_cast<const ApplicationFailure*>(hidden.get())->type(), "SecretError");
}

TEST(AesGcmCodec, KeyRotationDecryptsEveryKnownKeyAndEncryptsWithTheCurrentOne) {
  const std::string old_key = random_key(), new_key = random_key();
  AesGcmCodec before("k1", old_key);
  AesGcmCodec after("k2", std::map<std::string, std::string>{{"k1", old_key}, {"k2", new_key}});
  auto old_payloads = before.encode(converter::to_payloads(std::string("old"), 1));
  auto new_payloads = after.encode(converter::to_payloads(std::string("new")));
  EXPECT_EQ(old_payloads[0].metadata.at(AesGcmCodec::kKeyIdMetadataKey), "k1");
  EXPECT_EQ(new_payloads[0].metadata.at(AesGcmCodec::kKeyIdMetadataKey), "k2");
  auto decoded = after.decode(old_payloads);
  EXPECT_EQ(converter::from_payload<std::string>(decoded[0]), "old");
  EXPECT_EQ(converter::from_payload<int>(decoded[1]), 1);
  EXPECT_EQ(converter::from_payload<std::string>(after.decode(new_payloads)[0]), "new");
  EXPECT_THROW(before.decode(new_payloads), DataConverterError);
}

TEST(AesGcmCodec, RoundTripKeepsMetadataAndPassesOtherEncodingsThrough) {
  AesGcmCodec codec(kKeyId, random_key());
  converter::Payload p{{{"encoding", "json/protobuf"}, {"messageType", "a.b.C"}}, R"({"x":1})"};
  converter::Payload empty{{{"encoding", "binary/null"}}, ""};
  auto encoded = codec.encode({p, empty});
  ASSERT_EQ(encoded.size(), 2u);
  EXPECT_NE(encoded[0].data, encoded[1].data);
  // A fresh nonce each time: the same value never encrypts to the same bytes.
  EXPECT_NE(codec.encode({p})[0].data, encoded[0].data);
  auto decoded = codec.decode(encoded);
  EXPECT_EQ(decoded[0], p);
  EXPECT_EQ(decoded[1], empty);
  // Not encrypted: untouched.
  converter::Payload plain = converter::to_payload(std::string("plain"));
  EXPECT_EQ(codec.decode({plain})[0], plain);
  EXPECT_THROW(AesGcmCodec("k", std::string("short")), InvalidArgumentError);
  EXPECT_THROW(AesGcmCodec::key_from_hex("00"), InvalidArgumentError);
  EXPECT_EQ(AesGcmCodec::key_from_hex(std::string(64, 'f')), std::string(32, '\xff'));
}

}  // namespace
}  // namespace temporal::client

#include "support/certs.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace temporal::test_support {

namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

[[noreturn]] void fail(const std::string& what) {
  std::string msg = "test certificates: " + what;
  if (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    msg += ": ";
    msg += buf;
  }
  throw std::runtime_error(msg);
}

constexpr long kHour = 3600;
constexpr long kDay = 24 * kHour;

// One certificate to make. Offsets are seconds from now.
struct Spec {
  std::string common_name;
  bool is_ca = false;
  std::string san;             // e.g. "DNS:localhost,IP:127.0.0.1"
  std::string extended_usage;  // "serverAuth" / "clientAuth"
  long not_before = -kHour;
  long not_after = 30 * kDay;
};

struct Made {
  KeyPtr key;
  CertPtr cert;
};

void add_ext(X509* x, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) fail("cannot make extension " + value);
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
}

// Makes a key and a certificate for it, signed by `issuer` (self-signed when null).
Made make(const Spec& spec, const Made* issuer) {
  static uint64_t serial = 1000;
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("EC key generation failed");
  CertPtr x(X509_new());
  if (!x) fail("X509_new failed");
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(x.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), spec.not_before);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), spec.not_after);
  X509_set_pubkey(x.get(), key.get());
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("temporal-cpp tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0);
  X509* issuer_cert = issuer ? issuer->cert.get() : x.get();
  EVP_PKEY* issuer_key = issuer ? issuer->key.get() : key.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(issuer_cert));

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer_cert, x.get(), nullptr, nullptr, 0);
  add_ext(x.get(), &ctx, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_ext(x.get(), &ctx, NID_key_usage,
          spec.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
  add_ext(x.get(), &ctx, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(x.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  if (!spec.san.empty()) add_ext(x.get(), &ctx, NID_subject_alt_name, spec.san);
  if (!spec.extended_usage.empty()) add_ext(x.get(), &ctx, NID_ext_key_usage, spec.extended_usage);
  if (X509_sign(x.get(), issuer_key, EVP_sha256()) == 0) fail("signing " + spec.common_name + " failed");
  return Made{std::move(key), std::move(x)};
}

std::string bio_string(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return std::string(data, static_cast<size_t>(n));
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("test certificates: cannot write " + path);
}

CertAndKey save(const Made& m, const std::string& dir, const std::string& name) {
  CertAndKey out;
  BioPtr cb(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(cb.get(), m.cert.get())) fail("PEM of " + name);
  out.cert = bio_string(cb.get());
  BioPtr kb(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(kb.get(), m.key.get(), nullptr, nullptr, 0, nullptr, nullptr)) fail("PEM key " + name);
  out.key = bio_string(kb.get());
  out.cert_path = dir + "/" + name + ".crt";
  out.key_path = dir + "/" + name + ".key";
  write_file(out.cert_path, out.cert);
  write_file(out.key_path, out.key);
  return out;
}

struct Pki {
  TestCerts certs;
  Pki() {
    char tmpl[] = "/tmp/temporal-cpp-certs-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("test certificates: mkdtemp failed");
    certs.dir = tmpl;
    const std::string& d = certs.dir;

    const std::string server_names = "DNS:localhost,IP:127.0.0.1";
    Made ca = make({.common_name = "temporal-cpp test CA", .is_ca = true}, nullptr);
    Made server = make({.common_name = "localhost", .san = server_names, .extended_usage = "serverAuth"}, &ca);
    Made expired = make({.common_name = "localhost",
                         .san = server_names,
                         .extended_usage = "serverAuth",
                         .not_before = -30 * kDay,
                         .not_after = -kDay},
                        &ca);
    Made localhost_only =
        make({.common_name = "localhost", .san = "DNS:localhost", .extended_usage = "serverAuth"}, &ca);
    Made other = make({.common_name = "temporal-cpp unrelated CA", .is_ca = true}, nullptr);
    Made client_ca = make({.common_name = "temporal-cpp test client CA", .is_ca = true}, nullptr);
    Made client = make({.common_name = "temporal-cpp test client", .extended_usage = "clientAuth"}, &client_ca);

    certs.ca = save(ca, d, "ca");
    certs.server = save(server, d, "server");
    certs.expired_server = save(expired, d, "expired-server");
    certs.localhost_only = save(localhost_only, d, "localhost-only");
    certs.other_ca = save(other, d, "other-ca");
    certs.client_ca = save(client_ca, d, "client-ca");
    certs.client = save(client, d, "client");
  }
  ~Pki() {
    std::error_code ec;
    std::filesystem::remove_all(certs.dir, ec);
  }
};

}  // namespace

const TestCerts& test_certs() {
  static const Pki pki;
  return pki.certs;
}

}  // namespace temporal::test_support

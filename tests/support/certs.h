// Test PKI: certificate authorities and certificates made at test time with OpenSSL's C API.
//
//   const auto& pki = temporal::test_support::test_certs();
//   TlsOptions{.server_root_ca_cert = pki.ca.cert};
//
// Everything lives in one temp directory (PEM strings and files), made on first use and removed at
// process exit. Keys are ECDSA P-256.
#pragma once

#include <string>

namespace temporal::test_support {

/// One certificate with its key, as PEM text and as files.
struct CertAndKey {
  std::string cert;       ///< PEM certificate
  std::string key;        ///< PEM private key (PKCS#8)
  std::string cert_path;  ///< file holding `cert`
  std::string key_path;   ///< file holding `key`
};

struct TestCerts {
  std::string dir;
  CertAndKey ca;              ///< the CA that signs `server` and `expired_server`
  CertAndKey server;          ///< CN=localhost, SAN DNS:localhost + IP:127.0.0.1, valid now
  CertAndKey expired_server;  ///< same names, signed by `ca`, expired yesterday
  CertAndKey localhost_only;  ///< CN=localhost, SAN DNS:localhost only (no IP), signed by `ca`
  CertAndKey other_ca;        ///< an unrelated CA that signed nothing used here
  CertAndKey client_ca;       ///< the CA a mTLS server trusts for client certificates
  CertAndKey client;          ///< a client certificate signed by `client_ca`
};

/// The process-wide test PKI (made on first call; thread-safe).
const TestCerts& test_certs();

}  // namespace temporal::test_support

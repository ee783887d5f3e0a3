// Message digests from OpenSSL's libcrypto (Debian's libssl-dev): SHA-256
// for the audit chain and form hashes, and the algorithms of the
// expression language's digest().
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace skema {

// Streaming SHA-256 (update/finish) for hashing data in pieces.
class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void reset();
  void update(const void* data, std::size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  Digest finish();  // the object must be reset() before reuse
  static std::string hex(const Digest& d);

 private:
  void* m_ctx;  // EVP_MD_CTX, kept opaque so callers need no OpenSSL header
};

// Lower-case hex digest of `data`.
std::string sha256Hex(std::string_view data);

// The raw digest of `data` with `algorithm` ("md5", "sha1", "sha256",
// "sha384", "sha512"); false when the algorithm is unknown.
bool digestBytes(std::string_view algorithm, std::string_view data, std::string& out);

}  // namespace skema

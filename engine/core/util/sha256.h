// SHA-256 (FIPS 180-4), written here so the audit chain needs no extra
// dependency. Streaming (update/finish) or one-shot (sha256Hex).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace skema {

class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;
  Sha256() { reset(); }
  void reset();
  void update(const void* data, std::size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  Digest finish();  // the object must be reset() before reuse
  static std::string hex(const Digest& d);

 private:
  void block(const std::uint8_t* p);
  std::uint32_t m_h[8];
  std::uint8_t m_buf[64];
  std::size_t m_bufLen = 0;
  std::uint64_t m_total = 0;
};

// Lower-case hex digest of `data`.
std::string sha256Hex(std::string_view data);

}  // namespace skema

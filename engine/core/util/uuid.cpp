#include "util/uuid.h"

#include <cstdint>
#include <random>

namespace skema {
namespace {

// xoshiro256** seeded from the OS random device: fast enough for bulk
// imports, unpredictable across processes.
struct Rng {
  std::uint64_t s[4];
  Rng() {
    std::random_device rd;
    for (auto& x : s) x = (std::uint64_t(rd()) << 32) ^ rd();
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    std::uint64_t r = rotl(s[1] * 5, 7) * 9;
    std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
};

}  // namespace

std::string newUuid() {
  thread_local Rng rng;
  std::uint8_t b[16];
  std::uint64_t a = rng.next(), c = rng.next();
  for (int i = 0; i < 8; ++i) {
    b[i] = std::uint8_t(a >> (8 * i));
    b[8 + i] = std::uint8_t(c >> (8 * i));
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += digits[b[i] >> 4];
    s += digits[b[i] & 15];
  }
  return s;
}

bool isUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace skema

// digest(): MD5, SHA-1, SHA-256, SHA-384, SHA-512 (OpenSSL, util/sha256.h)
// with base64 or hex output.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "expr/functions.h"
#include "util/sha256.h"

namespace skema::expr {
namespace {

std::string toHex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

std::string toBase64(const std::string& bytes) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(t[v >> 18]); out.push_back(t[(v >> 12) & 63]); out.push_back(t[(v >> 6) & 63]); out.push_back(t[v & 63]);
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    out.push_back(t[v >> 18]); out.push_back(t[(v >> 12) & 63]); out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out.push_back(t[v >> 18]); out.push_back(t[(v >> 12) & 63]); out.push_back(t[(v >> 6) & 63]); out += "=";
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

std::string digest(const std::string& data, const std::string& algorithm, const std::string& encoding,
                   std::string& error) {
  std::string alg = lower(algorithm), enc = lower(encoding.empty() ? "base64" : encoding);
  std::string raw;
  std::string name = alg;  // "SHA-256" and "sha256" both name SHA-256
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  if (!digestBytes(name, data, raw)) {
    error = "digest(): unknown algorithm '" + algorithm + "' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)";
    return {};
  }
  if (enc == "hex") return toHex(raw);
  if (enc == "base64") return toBase64(raw);
  error = "digest(): unknown encoding '" + encoding + "' (use base64 or hex)";
  return {};
}

}  // namespace skema::expr

#include "util/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace skema {

namespace {
EVP_MD_CTX* ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }
}  // namespace

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
  if (!m_ctx) throw std::bad_alloc();
  reset();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx(m_ctx)); }

void Sha256::reset() { EVP_DigestInit_ex(ctx(m_ctx), EVP_sha256(), nullptr); }

void Sha256::update(const void* data, std::size_t len) { EVP_DigestUpdate(ctx(m_ctx), data, len); }

Sha256::Digest Sha256::finish() {
  Digest d{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx(m_ctx), d.data(), &len);
  return d;
}

std::string Sha256::hex(const Digest& d) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (auto b : d) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  Sha256::Digest d{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr);
  return Sha256::hex(d);
}

bool digestBytes(std::string_view algorithm, std::string_view data, std::string& out) {
  const EVP_MD* md = nullptr;
  if (algorithm == "md5") md = EVP_md5();
  else if (algorithm == "sha1") md = EVP_sha1();
  else if (algorithm == "sha256") md = EVP_sha256();
  else if (algorithm == "sha384") md = EVP_sha384();
  else if (algorithm == "sha512") md = EVP_sha512();
  if (!md) return false;
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), buf, &len, md, nullptr) != 1) return false;
  out.assign(reinterpret_cast<const char*>(buf), len);
  return true;
}

}  // namespace skema

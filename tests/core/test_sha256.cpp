// SHA-256 against the FIPS 180-4 / NIST example vectors.
#include <doctest/doctest.h>

#include <string>

#include "util/sha256.h"
#include "util/uuid.h"

using skema::sha256Hex;

TEST_CASE("sha256: FIPS 180-4 test vectors") {
  CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                  "lmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  // one million times 'a'
  skema::Sha256 h;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk);
  CHECK(skema::Sha256::hex(h.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: streaming in odd pieces equals one shot") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += char('a' + i % 26);
  for (size_t step : {1u, 3u, 63u, 64u, 65u, 127u}) {
    skema::Sha256 h;
    for (size_t i = 0; i < data.size(); i += step) h.update(std::string_view(data).substr(i, step));
    CHECK(skema::Sha256::hex(h.finish()) == sha256Hex(data));
  }
  // lengths around the padding boundary
  for (size_t n : {55u, 56u, 57u, 63u, 64u}) {
    std::string s(n, 'x');
    skema::Sha256 a;
    a.update(s.substr(0, n / 2));
    a.update(s.substr(n / 2));
    CHECK(skema::Sha256::hex(a.finish()) == sha256Hex(s));
  }
}

TEST_CASE("uuid: version 4 format, unique") {
  auto a = skema::newUuid(), b = skema::newUuid();
  CHECK(skema::isUuid(a));
  CHECK(a != b);
  CHECK(a[14] == '4');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  CHECK_FALSE(skema::isUuid("not-a-uuid"));
}

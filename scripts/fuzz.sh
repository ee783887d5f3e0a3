#!/usr/bin/env bash
# Builds the expression-parser fuzz target with clang + libFuzzer (ASan and
# UBSan) in build-fuzz/ and runs it for SECONDS seconds (default 60).
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
# Crashes are written to build-fuzz/crashes/; the corpus grows in
# build-fuzz/corpus/ (seeded from tests/fuzz/corpus/). Exit code non-zero
# when the fuzzer found a crash.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
build="$root/build-fuzz"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSKEMA_FUZZ=ON -DSKEMA_BUILD_UI=OFF -DSKEMA_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --target fuzz_expr_parser
mkdir -p "$build/corpus" "$build/crashes"
cp -n "$root"/tests/fuzz/corpus/* "$build/corpus/" 2>/dev/null || true
exec "$build/tests/fuzz/fuzz_expr_parser" "$build/corpus" \
  -max_total_time="$seconds" -max_len=512 -timeout=5 -rss_limit_mb=1024 \
  -artifact_prefix="$build/crashes/" -dict="$root/tests/fuzz/expr.dict" "$@"

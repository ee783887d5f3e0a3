#!/usr/bin/env bash
# Builds a libFuzzer target with clang (ASan and UBSan) in build-fuzz/ and
# runs it for SECONDS seconds (default 60).
#   scripts/fuzz.sh [TARGET] [SECONDS] [extra libFuzzer flags...]
# TARGET: fuzz_expr_parser (default), fuzz_csv_import, fuzz_jsonl_import.
# Crashes are written to build-fuzz/crashes/ (expression parser) or
# build-fuzz/crashes/TARGET/; the corpus grows in build-fuzz/corpus/ or
# build-fuzz/corpus-TARGET/ (seeded from tests/fuzz/corpus/, or from
# tests/fuzz/seeds/TARGET/ and tests/fuzz/regressions/TARGET/). Exit code
# non-zero when the fuzzer found a crash.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=fuzz_expr_parser
if [[ "${1:-}" == fuzz_* ]]; then
  target="$1"
  shift
fi
seconds="${1:-60}"
shift || true
build="$root/build-fuzz"
case "$target" in
  fuzz_expr_parser)
    corpus="$build/corpus" crashes="$build/crashes" seeds=("$root"/tests/fuzz/corpus)
    flags=(-max_len=512 -timeout=5 -dict="$root/tests/fuzz/expr.dict") ;;
  fuzz_csv_import | fuzz_jsonl_import)
    corpus="$build/corpus-$target" crashes="$build/crashes/$target"
    seeds=("$root/tests/fuzz/seeds/$target" "$root/tests/fuzz/regressions/$target")
    # Long inputs, so that deep nesting and many rows are reachable.
    flags=(-max_len=300000 -timeout=20 -dict="$root/tests/fuzz/import.dict") ;;
  *) echo "fuzz.sh: no target $target" >&2; exit 2 ;;
esac
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSKEMA_FUZZ=ON -DSKEMA_BUILD_UI=OFF -DSKEMA_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --target "$target"
mkdir -p "$corpus" "$crashes"
for s in "${seeds[@]}"; do
  [[ -d "$s" ]] && find "$s" -maxdepth 1 -type f ! -name README -exec cp -n {} "$corpus/" \;
done
exec "$build/tests/fuzz/$target" "$corpus" \
  -max_total_time="$seconds" -rss_limit_mb=1024 -artifact_prefix="$crashes/" "${flags[@]}" "$@"

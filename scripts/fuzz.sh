#!/usr/bin/env bash
# Builds a libFuzzer target with clang (ASan and UBSan) in build-fuzz/ and
# runs it for SECONDS seconds (default 60).
#   scripts/fuzz.sh [TARGET] [SECONDS] [extra libFuzzer flags...]
# TARGET: expr_parser (default), form_loader, csv_import, jsonl_import (a
# leading fuzz_ may be written). Crashes are written to
# build-fuzz/crashes-TARGET/; the corpus grows in build-fuzz/corpus-TARGET/,
# seeded from tests/fuzz/corpus/ (expressions), the shipped and test forms
# (form loader) or tests/fuzz/seeds/fuzz_TARGET/ (imports), and from
# tests/fuzz/regressions/TARGET/ (or fuzz_TARGET/). Exit code non-zero when
# the fuzzer found a crash.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=expr_parser
if [[ $# -gt 0 && ! "$1" =~ ^[0-9]+$ ]]; then target="${1#fuzz_}"; shift; fi
seconds="${1:-60}"
shift || true
build="$root/build-fuzz"
timeout=5
case "$target" in
  expr_parser) max_len=12000; rss=1024; dict="$root/tests/fuzz/expr.dict"
               seeds=("$root"/tests/fuzz/corpus/*) ;;
  form_loader) max_len=200000; rss=2048; dict="$root/tests/fuzz/form.dict"
               mapfile -t seeds < <(find "$root/forms" "$root/tests/data/forms" -name '*.json') ;;
  csv_import | jsonl_import)
    # Long inputs, so that deep nesting and many rows are reachable.
    max_len=300000; rss=1024; timeout=20; dict="$root/tests/fuzz/import.dict"
    seeds=("$root/tests/fuzz/seeds/fuzz_$target"/*) ;;
  *) echo "fuzz.sh: no target $target (expr_parser, form_loader, csv_import, jsonl_import)" >&2; exit 2 ;;
esac
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSKEMA_FUZZ=ON -DSKEMA_BUILD_UI=OFF -DSKEMA_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --target "fuzz_$target"
corpus="$build/corpus-$target" crashes="$build/crashes-$target"
mkdir -p "$corpus" "$crashes"
for f in "${seeds[@]}" "$root"/tests/fuzz/regressions/{,fuzz_}"$target"/*; do
  [[ -f "$f" && "$(basename "$f")" != README* ]] &&
    cp -n "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")" 2>/dev/null || true
done
exec "$build/tests/fuzz/fuzz_$target" "$corpus" \
  -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout" -rss_limit_mb="$rss" \
  -artifact_prefix="$crashes/" -dict="$dict" "$@"

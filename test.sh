#!/usr/bin/env bash
# Sets up and builds Skema, then runs every test. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)" "$@"

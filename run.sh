#!/usr/bin/env bash
# Sets up and builds Skema, then runs its main job.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
exec build/skema forms check forms/ "$@"

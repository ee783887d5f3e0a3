#!/usr/bin/env bash
# Sets up and builds Skema, checks the shipped forms, then opens the
# workbench on the last used (or default) workspace. Arguments go to skema,
# e.g. `./run.sh open my.skema` or `./run.sh forms check forms/`.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
build/skema forms check forms/ --quiet
if [[ $# -gt 0 ]]; then
  exec build/skema "$@"
fi
# Without a display the workbench says so and names the headless commands.
exec build/skema

#!/bin/bash
# Without a display the workbench says so and exits 3.
skema=$1
msg=$(env -u DISPLAY -u WAYLAND_DISPLAY "$skema" 2>&1)
rc=$?
[ $rc -eq 3 ] || { echo "exit $rc, expected 3"; exit 1; }
echo "$msg" | grep -q "needs a display" || { echo "no clear message: $msg"; exit 1; }
echo "$msg" | grep -q "skema help" || { echo "no hint to skema help: $msg"; exit 1; }
echo ok

#!/usr/bin/env bash
# A plugin whose static constructor calls exit(7) ends `skema plugins list`
# (nothing can stop that), but not silently: stderr names the plugin and the
# status, and the program ends with that status.
set -u
skema="$1"; src="$2"
fail() { echo "FAIL: $*"; exit 1; }
dir="$(dirname "$skema")/tests/plugin_loader/plugins_exit"
[ -f "$dir/exits_in_constructor.so" ] || fail "exits_in_constructor.so not built in $dir"

out=$(SKEMA_PLUGIN_PATH="$dir" "$skema" plugins list 2>&1)
rc=$?
[ "$rc" -eq 7 ] || fail "expected exit status 7, got $rc: $out"
grep -qxF "skema: plugin $dir/exits_in_constructor.so ended the program while loading (its initialiser called exit(7))" <<<"$out" ||
  fail "no message naming the plugin: $out"
echo "plugins_exit: ok"

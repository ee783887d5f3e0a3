#!/usr/bin/env bash
# `skema plugins list`: the example plugin hello loads from the build's
# plugins folder; with SKEMA_PLUGIN_PATH pointing at the loader test's
# plugins, each bad one is refused with its reason and the good one loads.
set -u
skema="$1"; src="$2"
fail() { echo "FAIL: $*"; exit 1; }
testplugins="$(dirname "$skema")/tests/plugin_loader/plugins"

out=$(SKEMA_PLUGIN_PATH= "$skema" plugins list) || fail "plugins list failed: $out"
grep -Eq "^loaded  hello  1\.0\.0  ABI [0-9]+\.[0-9]+  .*/plugins/hello\.so$" <<<"$out" || fail "hello not loaded: $out"
grep -q "^refused" <<<"$out" && fail "unexpected refusal: $out"

[ -d "$testplugins" ] || fail "test plugins not built in $testplugins"
out=$(SKEMA_PLUGIN_PATH="/nonexistent:$testplugins" "$skema" plugins list) || fail "plugins list failed: $out"
abi=$(sed -n 's/^loaded  hello  1\.0\.0  ABI \([0-9.]*\) .*/\1/p' <<<"$out")
[ -n "$abi" ] || fail "hello missing with SKEMA_PLUGIN_PATH set: $out"
major=${abi%%.*}; minor=${abi#*.}
expect() { grep -qF -- "$1" <<<"$out" || fail "missing line '$1' in: $out"; }
expect "loaded  good  1.2.3  ABI $abi  $testplugins/good.so"
expect "loaded  older_minor  1.0.0  ABI $major.0  $testplugins/older_minor.so"  # an older minor loads
expect "refused wrong_major.so: built for plugin ABI 2.0; this Skema has ABI $abi"
expect "refused newer_minor.so: built for plugin ABI $major.$((minor + 1)), newer than this Skema's ABI $abi"
expect "refused too_small.so: descriptor too small (8 bytes; ABI $abi needs at least"
expect "refused not_a_plugin.so: not a Skema plugin: no skema_plugin_entry symbol"
expect "refused init_fails.so: init failed: settings file init_fails.json is missing"
expect "refused init_throws.so: init threw: database of clinics not found"
expect "refused bad_id.so: invalid plugin id 'Out Reach' (use lower-case letters, digits, '_' and '-')"
expect "refused good_duplicate.so: duplicate plugin id 'good' (already loaded from $testplugins/good.so)"
[ "$(grep -c '^refused' <<<"$out")" -eq 8 ] || fail "expected 8 refusals: $out"

out=$(SKEMA_PLUGIN_PATH= "$skema" plugins list -v) || fail "plugins list -v failed"
grep -q "indicator  hello.count" <<<"$out" || fail "-v does not show hello.count: $out"
grep -q "function   hello-upper()" <<<"$out" || fail "-v does not show hello-upper: $out"

"$skema" plugins frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown argument must be a usage error"
echo "plugins_list: ok"

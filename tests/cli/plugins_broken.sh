#!/usr/bin/env bash
# A broken or missing plugin file leaves Skema running: the built plugins
# are copied into a temporary folder, outreach.so is overwritten with junk,
# a half-finished copy of training.so is added (it used to end Skema with
# SIGBUS inside dlopen) and psychology.so removed; `skema plugins list`
# (with SKEMA_PLUGIN_PATH at the copy, and a copy of skema that has no
# plugins folder of its own) loads the others and refuses outreach.so and
# the partial copy with their reasons; `skema indicators` still computes
# the others' figures; the workbench (under Xvfb, when available) renders a
# dashboard and the refusals are reported.
set -u
skema="$1"; src="$2"
fail() { echo "FAIL: $*"; exit 1; }
built="$(dirname "$skema")/plugins"
for p in outreach training advisory psychology; do
  [ -f "$built/$p.so" ] || fail "$p.so not built in $built"
done

tmp=$(mktemp -d /tmp/skema-plugins-broken-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/plugins"
cp "$skema" "$tmp/bin/skema"   # no plugins/ next to this copy
cp "$built"/*.so "$tmp/plugins/"
printf 'this is not a shared library\n' > "$tmp/plugins/outreach.so"
rm "$tmp/plugins/psychology.so"
size=$(stat -c %s "$built/training.so")
head -c $((size / 2)) "$built/training.so" > "$tmp/plugins/training_copy.so"
grouped() { sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta' <<<"$1"; }  # 86016 -> 86,016
partial="refused training_copy.so: not a complete plugin: the file ends at $(grouped $((size / 2))) bytes but its segments need "
export SKEMA_PLUGIN_PATH="$tmp/plugins"

out=$("$tmp/bin/skema" plugins list 2>&1) || fail "plugins list failed: $out"
grep -q "^refused outreach.so: not a Skema plugin: " <<<"$out" || fail "outreach.so not refused with a reason: $out"
for p in training advisory; do
  grep -Eq "^loaded  $p  1\.0\.0  ABI [0-9.]+  $tmp/plugins/$p\.so$" <<<"$out" || fail "$p not loaded: $out"
done
grep -q "psychology" <<<"$out" && fail "psychology.so was removed but shows up: $out"
grep -qF "$partial" <<<"$out" || fail "the partial copy is not refused with its reason: $out"
grep -q "^refused training_copy.so: .* (a partial copy?)$" <<<"$out" || fail "no hint at a partial copy: $out"
[ "$(grep -c '^refused' <<<"$out")" -eq 2 ] || fail "expected exactly two refusals: $out"

# Indicators of the remaining plugins still work; the refusal is a warning.
"$tmp/bin/skema" demo "$tmp/w.skema" --records 300 --seed 4 > /dev/null || fail "demo failed"
out=$("$tmp/bin/skema" indicators "$tmp/w.skema" --plugin training --format csv 2>"$tmp/err") ||
  fail "indicators failed: $out $(cat "$tmp/err")"
grep -q "^training.participants,1,value," <<<"$out" || fail "training.participants missing: $out"
grep -q "refused outreach.so" "$tmp/err" || fail "no warning about outreach.so: $(cat "$tmp/err")"
"$tmp/bin/skema" indicators "$tmp/w.skema" --plugin outreach > /dev/null 2>"$tmp/err" &&
  fail "indicators of the refused plugin succeeded"
grep -q "plugin 'outreach' is not loaded" "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"

# The workbench keeps running and says why (only with a virtual display).
# (`skema open` exists only in a build with the workbench.)
if command -v xvfb-run > /dev/null && "$skema" help | grep -q "^  open " && [ -n "$(command -v Xvfb)" ]; then
  out=$(xvfb-run -a "$tmp/bin/skema" --screenshot "$tmp/shot.png" --view dashboard:training \
        --workspace "$tmp/w.skema" --lang en 2>&1) || fail "workbench failed with a broken plugin: $out"
  [ -s "$tmp/shot.png" ] || fail "no screenshot written: $out"
  grep -q "refused outreach.so: not a Skema plugin" <<<"$out" || fail "workbench did not report the refusal: $out"
  grep -qF "$partial" <<<"$out" || fail "workbench did not report the partial copy: $out"
fi
echo "ok"

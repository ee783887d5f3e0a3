#!/usr/bin/env bash
# `skema forms check`: the shipped forms pass and are listed; a broken file
# gets every error with its line, and exit code 1.
set -u
skema="$1"; src="$2"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$skema" forms check "$src/forms") || fail "shipped forms do not pass: $out"
for id in outreach.visit outreach.call outreach.clinic psychology.session psychology.outcome \
          training.event training.evaluation advisory.inquiry; do
  grep -q "^ok  $id " <<<"$out" || fail "form $id not listed: $out"
done
grep -q "0 error(s)" <<<"$out" || fail "summary missing: $out"

out=$("$skema" forms check "$src/tests/data/forms/broken/two_errors.json"); rc=$?
[ "$rc" -eq 1 ] || fail "expected exit 1, got $rc"
grep -q "two_errors.json:8:[0-9]*: error: place: choice list 'plases' not found" <<<"$out" || fail "line 8 error missing: $out"
grep -q "two_errors.json:9:[0-9]*: error: count: unknown type 'number'" <<<"$out" || fail "line 9 error missing: $out"
grep -q "2 error(s)" <<<"$out" || fail "summary wrong: $out"

"$skema" forms check /nonexistent/path >/dev/null; [ $? -eq 1 ] || fail "missing path must fail"
"$skema" forms check >/dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments is a usage error"
echo "forms_check: ok"

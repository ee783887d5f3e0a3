#!/usr/bin/env bash
# skema migrate: dry run changes nothing, --verbose lists records, a plan
# recodes a removed choice and fills a new required field, the real run is
# audited ("migrated to v2") and --revert restores every record exactly.
# Usage: bash migrate_cli.sh SKEMA_BINARY SOURCE_DIR
set -uo pipefail
skema="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
export SKEMA_USER=tester
ws="$tmp/ws.skema"
v2="$src/tests/data/forms/revised/outreach/visit.v2.json"
"$skema" demo "$ws" --records 150 --seed 7 --today 2025-06-30 --forms "$src/forms" >/dev/null || fail "demo"
"$skema" forms publish "$ws" "$v2" >/dev/null || fail "publish v2"

snapshot() {  # id, version, status, values of every outreach.visit record, sorted
  "$skema" records list "$ws" outreach.visit --limit 100000 --json 2>/dev/null |
    python3 -c 'import sys, json
rows = [json.loads(l) for l in sys.stdin if l.strip()]
rows = rows[0] if len(rows) == 1 and isinstance(rows[0], list) else rows
for r in sorted(rows, key=lambda r: r["id"]):
    print(r["id"], r.get("form_version"), r.get("status"), json.dumps(r.get("values"), sort_keys=True))'
}
audit_rows() { "$skema" audit verify "$ws" | grep -o "[0-9]* rows"; }

snapshot >"$tmp/before"
[[ -s "$tmp/before" ]] || fail "no records to migrate"
rows0=$(audit_rows)

# dry run without a plan: nothing changes, problems are listed
out=$("$skema" migrate "$ws" outreach.visit --to 2 --dry-run) || fail "dry run exited $?"
grep -q "dry run: nothing was changed" <<<"$out" || fail "dry run message"
grep -q "choice 'bar' is not in v2's list" <<<"$out" || fail "unmapped choice not reported: $out"
grep -q "visit_mode: required" <<<"$out" || fail "new required field not reported"
snapshot >"$tmp/after_dry"
cmp -s "$tmp/before" "$tmp/after_dry" || fail "dry run changed records"
[[ "$(audit_rows)" == "$rows0" ]] || fail "dry run wrote audit rows"

cat >"$tmp/plan.json" <<'JSON'
{"choices": {"place_kind": {"bar": "other"}}, "defaults": {"visit_mode": "in_person"}, "on_invalid": "draft"}
JSON
out=$("$skema" migrate "$ws" outreach.visit --to 2 --plan "$tmp/plan.json" --dry-run --verbose) || fail "verbose dry run"
grep -qE "^  [0-9a-f-]{36}  v1 final -> v2 final" <<<"$out" || fail "--verbose lists no records"
grep -q "renamed from place_type; choice bar -> other" <<<"$out" || fail "--verbose lacks the recode"
grep -q "default from the plan" <<<"$out" || fail "--verbose lacks the default"
snapshot >"$tmp/after_dry2"
cmp -s "$tmp/before" "$tmp/after_dry2" || fail "verbose dry run changed records"

# the real run
out=$("$skema" migrate "$ws" outreach.visit --to 2 --plan "$tmp/plan.json") || fail "migrate exited $?"
n=$(grep -o "migrated [0-9]* record" <<<"$out" | grep -o "[0-9]*")
[[ -n "$n" && "$n" -gt 0 ]] || fail "nothing migrated: $out"
on2=$("$skema" records list "$ws" outreach.visit --version 2 --limit 100000 2>&1 >/dev/null | grep -o "^[0-9]*")
[[ "$on2" == "$n" ]] || fail "expected $n records on v2, found $on2"
"$skema" records list "$ws" outreach.visit --version 2 --where place_kind=bar 2>&1 >/dev/null | grep -q "^0 of" ||
  fail "a record on v2 still has the removed choice"
"$skema" audit verify "$ws" >/dev/null || fail "audit chain broken after migration"
id=$("$skema" records list "$ws" outreach.visit --version 2 --limit 1 2>/dev/null | cut -d' ' -f1)
"$skema" audit show "$ws" "$id" | grep -q "migrated to v2" || fail "audit rows lack the reason"

# revert
out=$("$skema" migrate "$ws" outreach.visit --to 2 --revert --dry-run) || fail "revert dry run"
grep -q "$n record(s) go back" <<<"$out" || fail "revert plan: $out"
"$skema" migrate "$ws" outreach.visit --to 2 --revert >/dev/null || fail "revert exited $?"
snapshot >"$tmp/after_revert"
cmp -s "$tmp/before" "$tmp/after_revert" || { fail "revert did not restore the records"; diff "$tmp/before" "$tmp/after_revert" | head -5 >&2; }
"$skema" audit verify "$ws" >/dev/null || fail "audit chain broken after revert"
"$skema" audit show "$ws" "$id" | grep -q "reverted migration to v2" || fail "revert not audited"

# errors
echo '{"choices": {"place_type": {"bar": "other"}}}' >"$tmp/bad.json"
"$skema" migrate "$ws" outreach.visit --to 2 --plan "$tmp/bad.json" --dry-run >/dev/null 2>&1
[[ $? -eq 1 ]] || fail "a plan naming an old field should exit 1"
echo '{"choises": {}}' >"$tmp/typo.json"
"$skema" migrate "$ws" outreach.visit --to 2 --plan "$tmp/typo.json" --dry-run >/dev/null 2>&1
[[ $? -eq 1 ]] || fail "a malformed plan should exit 1"
"$skema" migrate "$ws" outreach.visit --dry-run >/dev/null 2>&1; [[ $? -eq 2 ]] || fail "missing --to should exit 2"
"$skema" migrate "$ws" outreach.visit --to 3 --dry-run >/dev/null 2>&1; [[ $? -eq 1 ]] || fail "unknown version should exit 1"
"$skema" migrate "$tmp/none.skema" outreach.visit --to 2 >/dev/null 2>&1; [[ $? -eq 3 ]] || fail "missing workspace should exit 3"

[[ $fails -eq 0 ]] && echo "migrate_cli: ok"
exit $((fails > 0))

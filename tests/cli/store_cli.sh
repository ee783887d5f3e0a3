#!/usr/bin/env bash
# End-to-end test of the store's commands: init, forms publish, records,
# import/export (CSV and JSON lines, round trip), audit, exit codes.
# Usage: bash store_cli.sh SKEMA_BINARY SOURCE_DIR
set -uo pipefail
skema="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect_rc() {  # expect_rc CODE command...
  local want="$1"; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [[ $rc -eq $want ]] || fail "expected exit $want, got $rc: $* :: $(cat "$tmp/err")"
}
export SKEMA_USER=tester

cat >"$tmp/visit.json" <<'JSON'
{
  "format": "skema-form/1", "id": "test.visit", "version": 1, "languages": ["en"],
  "title": {"en": "Visit"},
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "person", "type": "person_code", "label": {"en": "Person"}},
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "topics", "type": "select_multiple", "label": {"en": "Topics"}, "choices": "topics"},
    {"name": "people", "type": "integer", "label": {"en": "People met"}, "min": 0, "max": 50},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}, "sensitive": true}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen"}}, {"name": "odense", "label": {"en": "Odense"}}],
    "topics": [{"name": "health", "label": {"en": "Health"}}, {"name": "tax", "label": {"en": "Tax"}}]
  }
}
JSON
sed -e 's/"version": 1/"version": 2/' -e 's/"People met"/"People"/' "$tmp/visit.json" >"$tmp/visit2.json"
sed -e 's/"Visit"/"Changed"/' "$tmp/visit.json" >"$tmp/visit1changed.json"

ws="$tmp/w.skema"
# --- opening and creating ---
expect_rc 3 "$skema" records list "$tmp/missing.skema" test.visit
[[ -e "$tmp/missing.skema" ]] && fail "opening a missing workspace created it"
echo "not a workspace" >"$tmp/text.skema"
expect_rc 3 "$skema" records list "$tmp/text.skema" test.visit
grep -q "not a Skema workspace" "$tmp/err" || fail "no clear message for a non-workspace: $(cat "$tmp/err")"
[[ "$(cat "$tmp/text.skema")" == "not a workspace" ]] || fail "a non-workspace file was changed"
expect_rc 0 "$skema" init "$ws"
expect_rc 3 "$skema" init "$ws"
expect_rc 2 "$skema" init
expect_rc 2 "$skema" records

# --- publishing ---
expect_rc 0 "$skema" forms publish "$ws" "$tmp/visit.json"
grep -q "published test.visit version 1" "$tmp/out" || fail "publish output: $(cat "$tmp/out")"
expect_rc 0 "$skema" forms publish "$ws" "$tmp/visit.json"
grep -q "unchanged" "$tmp/out" || fail "re-publish is not a no-op"
expect_rc 1 "$skema" forms publish "$ws" "$tmp/visit1changed.json"

# --- records ---
expect_rc 0 "$skema" records add "$ws" test.visit '{"date":"2024-05-01","office":"cph","person":"P-1","people":2}'
id1="$(cat "$tmp/out")"
[[ "$id1" =~ ^[0-9a-f-]{36}$ ]] || fail "add did not print an id: $id1"
expect_rc 1 "$skema" records add "$ws" test.visit '{"date":"2024-05-01"}'
grep -q "office" "$tmp/err" || fail "no per-field message for a missing required field"
expect_rc 1 "$skema" records add "$ws" test.visit '{"date":"2024-05-01","office":"cph","people":99}'
expect_rc 2 "$skema" records add "$ws" test.visit 'not json'
expect_rc 0 "$skema" records add "$ws" test.visit '{"people":1}' --draft
draft="$(cat "$tmp/out")"
expect_rc 2 "$skema" records edit "$ws" "$id1" '{"office":"odense"}'
expect_rc 0 "$skema" records edit "$ws" "$id1" '{"office":"odense"}' --reason "wrong office" --user bo
expect_rc 0 "$skema" records show "$ws" "$id1"
grep -q '"office": "odense"' "$tmp/out" || fail "edit not saved"
grep -q '"updated_by": "bo"' "$tmp/out" || fail "--user not used"
expect_rc 0 "$skema" records edit "$ws" "$draft" '{"date":"2024-05-02","office":"cph"}' --finalise
expect_rc 0 "$skema" records list "$ws" test.visit --where office=cph --json
[[ $(wc -l <"$tmp/out") -eq 1 ]] || fail "filtered list: $(cat "$tmp/out")"
expect_rc 0 "$skema" records list "$ws" test.visit --sort date --desc --json
head -1 "$tmp/out" | grep -q 2024-05-02 || fail "sorted list: $(cat "$tmp/out")"

# --- audit ---
expect_rc 0 "$skema" audit show "$ws" "$id1"
grep -q 'edit r2 office: "cph" -> "odense"  reason: wrong office' "$tmp/out" || fail "audit show: $(cat "$tmp/out")"
expect_rc 0 "$skema" audit verify "$ws"
expect_rc 2 "$skema" records delete "$ws" "$id1"
expect_rc 0 "$skema" records delete "$ws" "$id1" --reason "duplicate"
expect_rc 0 "$skema" records list "$ws" test.visit --json
[[ $(wc -l <"$tmp/out") -eq 1 ]] || fail "deleted record still listed"
expect_rc 0 "$skema" records show "$ws" "$id1"
grep -q '"deleted": true' "$tmp/out" || fail "tombstone not shown"

# --- import ---
printf 'date;office;topics;people;notes\n2024-01-01;cph;health tax;3;first\n2024-01-02;odense;;;\n' >"$tmp/good.csv"
printf 'date,office,people\n2024-01-03,cph,1\n2024-13-01,cph,2\n2024-01-05,nowhere,x\n2024-01-06,odense,4\n' >"$tmp/bad.csv"
expect_rc 1 "$skema" import "$ws" test.visit "$tmp/bad.csv"
grep -q "bad.csv:3: date:" "$tmp/err" || fail "bad row 3 not reported: $(cat "$tmp/err")"
grep -q "bad.csv:4: people:" "$tmp/err" || fail "bad row 4 not reported: $(cat "$tmp/err")"
expect_rc 0 "$skema" records list "$ws" test.visit --json
[[ $(wc -l <"$tmp/out") -eq 1 ]] || fail "a failed import left records behind"
expect_rc 0 "$skema" import "$ws" test.visit "$tmp/bad.csv" --skip-invalid "$tmp/rejects.csv"
grep -q "imported 2 records" "$tmp/out" || fail "skip-invalid import: $(cat "$tmp/out")"
[[ $(wc -l <"$tmp/rejects.csv") -eq 3 ]] || fail "reject file: $(cat "$tmp/rejects.csv")"
head -1 "$tmp/rejects.csv" | grep -q "^date,office,people$" || fail "reject file has no header"
expect_rc 0 "$skema" import "$ws" test.visit "$tmp/good.csv"
expect_rc 1 "$skema" import "$ws" test.visit <(printf 'date,bogus\n2024-01-01,x\n')
printf '{"date":"2024-02-01","office":"cph","people":5}\n\n{"date":"2024-02-02","office":"odense","_status":"draft"}\n' >"$tmp/rows.jsonl"
expect_rc 0 "$skema" import "$ws" test.visit "$tmp/rows.jsonl"
grep -q "imported 2 records" "$tmp/out" || fail "jsonl import"
expect_rc 0 "$skema" audit verify "$ws"

# --- a second version, then export all versions and round-trip ---
expect_rc 0 "$skema" forms publish "$ws" "$tmp/visit2.json"
expect_rc 0 "$skema" records add "$ws" test.visit '{"date":"2024-06-01","office":"cph","notes":"secret note"}' --version 2
expect_rc 0 "$skema" export "$ws" test.visit --format csv --out "$tmp/all.csv"
grep -q "sensitive fields left out: notes" "$tmp/err" || fail "export did not say what it left out"
grep -q "secret note" "$tmp/all.csv" && fail "a sensitive field was exported"
head -1 "$tmp/all.csv" | grep -q "^_id,_form_version,_status,_created_at" || fail "export header: $(head -1 "$tmp/all.csv")"
grep -q ",2,final," "$tmp/all.csv" || fail "no version-2 row"
expect_rc 0 "$skema" export "$ws" test.visit --format jsonl --include-sensitive notes --out "$tmp/all.jsonl"
grep -q "secret note" "$tmp/all.jsonl" || fail "--include-sensitive notes did not include it"
expect_rc 1 "$skema" export "$ws" test.visit --include-sensitive people

for fmt in csv jsonl; do
  ws2="$tmp/copy-$fmt.skema"
  expect_rc 0 "$skema" init "$ws2"
  expect_rc 0 "$skema" forms publish "$ws2" "$tmp/visit.json" "$tmp/visit2.json"
  expect_rc 0 "$skema" export "$ws" test.visit --format "$fmt" --include-sensitive notes --out "$tmp/src.$fmt"
  expect_rc 0 "$skema" import "$ws2" test.visit "$tmp/src.$fmt"
  expect_rc 0 "$skema" export "$ws2" test.visit --format "$fmt" --include-sensitive notes --out "$tmp/back.$fmt"
  cmp -s "$tmp/src.$fmt" "$tmp/back.$fmt" || fail "$fmt round trip differs: $(diff "$tmp/src.$fmt" "$tmp/back.$fmt" | head -5)"
done

# --- bad JSON lines: what and where; the same file twice; ids that exist ---
ws3="$tmp/w3.skema"
expect_rc 0 "$skema" init "$ws3"
expect_rc 0 "$skema" forms publish "$ws3" "$tmp/visit.json"
python3 - "$tmp/deep.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"date":"2024-01-01","office":"cph","office":"odense"}\n')
    f.write('{"_status":"draft","notes":' + "[" * 100000 + "]" * 100000 + "}\n")
    f.write('[1]\n{"date":\n')
PY
expect_rc 1 "$skema" import "$ws3" test.visit "$tmp/deep.jsonl"
grep -qx "$tmp/deep.jsonl:1: column 37: duplicate key \"office\"" "$tmp/err" || fail "duplicate key: $(cat "$tmp/err")"
grep -qx "$tmp/deep.jsonl:2: column 91: nested deeper than 64 levels" "$tmp/err" || fail "deep line: $(cat "$tmp/err")"
grep -qx "$tmp/deep.jsonl:3: column 1: expected a JSON object, got an array" "$tmp/err" || fail "array line: $(cat "$tmp/err")"
grep -q "^$tmp/deep.jsonl:4: column 9: syntax error .*unexpected end of input" "$tmp/err" || fail "cut line: $(cat "$tmp/err")"
printf '{"date":"2024-01-01","office":"cph","_created_at":"2999-01-01T00:00:00Z","_created_by":"x\\u0000"}\n' >"$tmp/meta.jsonl"
expect_rc 1 "$skema" import "$ws3" test.visit "$tmp/meta.jsonl"
grep -q "meta.jsonl:1: _created_at: '2999-01-01T00:00:00Z' is in the future" "$tmp/err" || fail "future _created_at: $(cat "$tmp/err")"
grep -q "meta.jsonl:1: _created_by: contains the control character U+0000" "$tmp/err" || fail "_created_by: $(cat "$tmp/err")"
expect_rc 0 "$skema" import "$ws3" test.visit "$tmp/good.csv" --user anne
[[ -s "$tmp/err" ]] && fail "first import warned: $(cat "$tmp/err")"
expect_rc 0 "$skema" import "$ws3" test.visit "$tmp/good.csv"
grep -q "warning: $tmp/good.csv has the same content as an earlier import (20.* by anne, \"import $tmp/good.csv\", 2 records)" \
  "$tmp/err" || fail "no warning for the same file again: $(cat "$tmp/err")"
expect_rc 0 "$skema" export "$ws3" test.visit --format jsonl --out "$tmp/w3.jsonl"
expect_rc 1 "$skema" import "$ws3" test.visit "$tmp/w3.jsonl"
grep -q "w3.jsonl:1: _id: a record with this id already exists (created 20.* by anne)" "$tmp/err" || fail "existing id: $(cat "$tmp/err")"
grep -q "hint: 4 row(s) have the _id of a record already in the workspace" "$tmp/err" || fail "no hint: $(cat "$tmp/err")"
cp "$ws3" "$tmp/w3.copy"
expect_rc 3 "$skema" import "$ws3" test.visit "$ws3" --format csv
grep -q "is a Skema workspace, not a file to import" "$tmp/err" || fail "importing the workspace itself: $(cat "$tmp/err")"
cmp -s "$ws3" "$tmp/w3.copy" || fail "importing the workspace into itself changed it"
expect_rc 3 "$skema" import "$ws3" test.visit "$ws"
expect_rc 0 "$skema" audit verify "$ws3"

# --- an ill-typed draft made with sqlite3 does not break filters, sorts, search ---
if command -v sqlite3 >/dev/null; then
  expect_rc 0 "$skema" records add "$ws3" test.visit '{"notes":"draft"}' --draft
  draft3="$(cat "$tmp/out")"
  deep="$(python3 -c 'print("[" * 2100 + "]" * 2100)')"
  expect_rc 1 "$skema" records add "$ws3" test.visit "{\"notes\":$deep}" --draft
  grep -q "notes: must be text" "$tmp/err" || fail "deep draft: $(cat "$tmp/err")"
  expect_rc 1 "$skema" records add "$ws3" test.visit '{"people":"many"}' --draft
  grep -q "people: must be a whole number" "$tmp/err" || fail "ill-typed draft: $(cat "$tmp/err")"
  sqlite3 "$ws3" "UPDATE records SET data='{\"notes\":$deep}' WHERE id='$draft3'" || fail "sqlite3 update"
  expect_rc 0 "$skema" records list "$ws3" test.visit --where office=cph --json
  [[ $(wc -l <"$tmp/out") -eq 2 ]] || fail "filter with a deep draft: $(cat "$tmp/out" "$tmp/err")"
  expect_rc 0 "$skema" records list "$ws3" test.visit --sort date --desc --json
  [[ $(wc -l <"$tmp/out") -eq 5 ]] || fail "sort with a deep draft: $(cat "$tmp/err")"
  expect_rc 0 "$skema" records list "$ws3" test.visit --search first --json
  [[ $(wc -l <"$tmp/out") -eq 2 ]] || fail "search with a deep draft: $(cat "$tmp/out" "$tmp/err")"
fi

# --- locked workspace: exit 4, nothing changed ---
if command -v sqlite3 >/dev/null; then
  (sqlite3 "$ws" "BEGIN IMMEDIATE; SELECT 1;" ".shell sleep 8" "COMMIT;" >/dev/null 2>&1) &
  locker=$!
  sleep 0.5
  SECONDS=0
  expect_rc 4 "$skema" records add "$ws" test.visit '{"date":"2024-05-01","office":"cph"}'
  grep -q "locked" "$tmp/err" || fail "no clear message for a locked workspace: $(cat "$tmp/err")"
  kill "$locker" 2>/dev/null; wait "$locker" 2>/dev/null
fi

if [[ $fails -gt 0 ]]; then
  echo "$fails failure(s)" >&2
  exit 1
fi
echo "store_cli: ok"
